// The first result key counts toward MaxItems, so it must be a list.
use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    count: Option<u64>,
    #[paginated(result_key)]
    items: Option<Vec<String>>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
