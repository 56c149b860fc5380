// The same GraphQL Relay cursor, declared on the field that holds it.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize)]
struct Variables {
    first: i32,
    after: Option<String>,
}

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = UsersResponse)]
struct UsersRequest {
    query: String,
    #[paginated(input_token(path = "after"))]
    variables: Variables,
}

#[derive(Paginated)]
struct UsersResponse {
    #[paginated(result_key)]
    nodes: Vec<String>,
    #[paginated(output_token = after)]
    end_cursor: Option<String>,
}

fn main() {}
