use paginate::Paginated;

#[derive(Paginated)]
struct SprintPage {
    #[paginated(result_key)]
    values: Vec<u64>,
    #[paginated(last_page)]
    is_last: Option<String>,
}

fn main() {}
