use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct Req {
    #[paginated(input_token, short_page_ends)]
    cursor: Option<String>,
    #[paginated(limit_key)]
    limit: Option<u32>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = cursor)]
    next: Option<String>,
}

fn main() {}
