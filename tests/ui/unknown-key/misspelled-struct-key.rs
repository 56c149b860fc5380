use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(respone = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

fn main() {}
