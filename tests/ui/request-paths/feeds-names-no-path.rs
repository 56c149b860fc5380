// An output token feeds a path the request does not declare: `feeds` names
// a token inside nested structs by its path, as `input_token(path = ...)` has it.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(nested)]
struct Variables {
    first: Option<u32>,
    after: Option<String>,
}

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = UsersResponse, input_token(path = "variables.after"))]
struct UsersRequest {
    query: String,
    variables: Variables,
}

#[derive(serde::Deserialize, Paginated)]
struct UsersResponse {
    #[paginated(result_key)]
    nodes: Vec<String>,
    #[paginated(output_token = after)]
    end_cursor: Option<String>,
}

fn main() {}
