use paginate::Paginated;

#[derive(Default, Paginated)]
#[paginated(nested)]
struct Page {
    #[paginated(result_key)]
    items: Option<Vec<String>>,
}

fn main() {}
