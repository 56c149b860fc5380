use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = SprintPage)]
struct SprintsRequest {
    #[paginated(offset)]
    start_at: Option<u64>,
    #[paginated(last_page)]
    is_last: bool,
}

#[derive(Paginated)]
struct SprintPage {
    #[paginated(result_key)]
    values: Vec<u64>,
}

fn main() {}
