use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse, output_token(with = next_after, feeds = afterr))]
struct ListRequest {
    #[paginated(input_token)]
    after: Option<u64>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<u64>,
}

fn next_after(_: &ListRequest, page: &ListResponse) -> Option<u64> {
    page.items.last().copied()
}

fn main() {}
