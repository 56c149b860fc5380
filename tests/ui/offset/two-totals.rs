use paginate::Paginated;

#[derive(Paginated)]
#[paginated(total(path = "meta.count"))]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(total)]
    total: Option<u64>,
    meta: Meta,
}

#[derive(Paginated)]
#[paginated(nested)]
struct Meta {
    count: u64,
}

fn main() {}
