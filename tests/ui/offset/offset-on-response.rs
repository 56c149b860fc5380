use paginate::Paginated;

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(offset)]
    start_at: Option<u64>,
}

fn main() {}
