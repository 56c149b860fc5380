// `output_token(with = ...)` is given the request and the page: it goes on
// the request, which names both types.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    after: Option<u64>,
}

#[derive(Paginated)]
#[paginated(output_token(with = next_after, feeds = after))]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<u64>,
}

fn next_after(_: &ListRequest, page: &ListResponse) -> Option<u64> {
    page.items.last().copied()
}

fn main() {}
