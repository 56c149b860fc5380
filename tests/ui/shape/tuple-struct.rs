use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse(
    #[paginated(result_key)] Vec<String>,
    #[paginated(output_token)] Option<String>,
);

fn main() {}
