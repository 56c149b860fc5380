use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Default, Paginated)]
#[paginated(result_key(path = "pages[0].items"), output_token(path = "next || other", feeds = marker))]
struct ListResponse {
    pages: Option<Vec<String>>,
    next: Option<String>,
    other: Option<String>,
}

fn main() {}
