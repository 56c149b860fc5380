use paginate::Paginated;

#[derive(serde::Deserialize, Paginated)]
#[serde(transparent)]
struct RepoPage {
    #[paginated(result_key)]
    repos: Vec<String>,
    #[serde(skip)]
    #[paginated(link = "next")]
    link: Option<String>,
}

fn main() {}
