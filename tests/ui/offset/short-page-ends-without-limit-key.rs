use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct Req {
    #[paginated(page, short_page_ends)]
    page: Option<u32>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
}

fn main() {}
