// An input token's `Default` is its value without a token (`None`, `""`): a
// type without one cannot be an input token.
use paginate::Paginated;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Cursor(String);

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    cursor: Cursor,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = cursor)]
    next_cursor: Option<String>,
}

fn main() {}
