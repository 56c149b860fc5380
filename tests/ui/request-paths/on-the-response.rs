// `input_token(path = ...)` and `limit_key(path = ...)` belong to the request.
use paginate::Paginated;

#[derive(serde::Deserialize, Paginated)]
#[paginated(input_token(path = "page_info.after"), limit_key(path = "page_info.first"))]
struct UsersResponse {
    #[paginated(result_key)]
    nodes: Vec<String>,
    #[paginated(output_token = after)]
    end_cursor: Option<String>,
}

fn main() {}
