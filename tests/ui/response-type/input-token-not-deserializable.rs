use paginate::Paginated;

#[derive(Clone)]
struct Cursor(String);

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    cursor: Option<Cursor>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = cursor)]
    next_cursor: Option<String>,
}

fn main() {}
