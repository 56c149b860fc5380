use paginate::Paginated;

#[derive(Default, Paginated)]
#[paginated(output_token(path = "page.next"))]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    page: Option<String>,
}

fn main() {}
