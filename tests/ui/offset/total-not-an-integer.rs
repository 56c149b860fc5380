use paginate::Paginated;

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(total_pages)]
    pages: Option<String>,
}

fn main() {}
