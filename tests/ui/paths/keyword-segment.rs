// A path segment that cannot be a field name is refused, spanned on the path.
use paginate::Paginated;

#[derive(Default, Paginated)]
#[paginated(nested)]
struct ListMeta {
    r#continue: Option<String>,
}

#[derive(Paginated)]
#[paginated(output_token(path = "metadata.self", feeds = r#continue))]
struct PodList {
    #[paginated(result_key)]
    items: Vec<String>,
    metadata: ListMeta,
}

fn main() {}
