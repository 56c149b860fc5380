// A GraphQL Relay request carries its cursor inside `variables`: a token
// inside a nested request struct cannot be declared (yet), and the error says
// what to do instead.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize)]
struct Variables {
    first: i32,
    after: Option<String>,
}

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = UsersResponse, input_token(path = "variables.after"))]
struct UsersRequest {
    query: String,
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
