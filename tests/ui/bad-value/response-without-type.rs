use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

fn main() {}
