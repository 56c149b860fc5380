use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct Req {
    #[paginated(offset)]
    start_at: Option<u64>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = start_at)]
    next_start: Option<u64>,
}

fn main() {}
