// A request path must start at a field of the request.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(nested)]
struct Variables {
    first: Option<u32>,
    after: Option<String>,
}

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(
    response = UsersResponse,
    input_token(path = "variables.after"),
    limit_key(path = "vars.first", max = 100)
)]
struct UsersRequest {
    query: String,
    variables: Variables,
}

#[derive(serde::Deserialize, Paginated)]
#[paginated(output_token(path = "page_info.end_cursor", feeds = "variables.after"))]
struct UsersResponse {
    #[paginated(result_key)]
    nodes: Vec<String>,
    page_info: PageInfo,
}

#[derive(Default, serde::Deserialize, Paginated)]
#[paginated(nested)]
struct PageInfo {
    end_cursor: Option<String>,
}

fn main() {}
