use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse, response = ListResponseV2)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

fn main() {}
