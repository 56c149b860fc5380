use paginate::Paginated;

#[derive(Default, Paginated)]
#[paginated(last_page(path = "meta.is_last"))]
struct SprintPage {
    #[paginated(result_key)]
    values: Vec<u64>,
    #[paginated(last_page)]
    is_last: bool,
    #[paginated(last_page)]
    last: Option<bool>,
    meta: Meta,
}

#[derive(Default, Paginated)]
#[paginated(nested)]
struct Meta {
    is_last: bool,
}

fn main() {}
