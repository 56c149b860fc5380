use paginate::Paginated;

#[derive(Paginated)]
enum ListResponse {
    Page {
        items: Vec<String>,
        next_token: Option<String>,
    },
    Empty,
}

fn main() {}
