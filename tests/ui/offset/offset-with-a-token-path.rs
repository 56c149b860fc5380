// An offset beside a cursor inside a nested request struct: the library
// computes the offset from the pages and never reads the cursor back.
use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = Page, input_token(path = "variables.after"))]
struct Req {
    #[paginated(offset)]
    start_at: Option<u64>,
    variables: Variables,
}

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(nested)]
struct Variables {
    after: Option<String>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = "variables.after")]
    end_cursor: Option<String>,
}

fn main() {}
