use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct Req {
    #[paginated(offset, page)]
    start_at: Option<u64>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
}

fn main() {}
