use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct Req {
    #[paginated(offset)]
    start_at: Option<u64>,
    #[paginated(input_token)]
    cursor: Option<String>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = cursor)]
    next: Option<String>,
}

fn main() {}
