use paginate::Paginated;

#[derive(serde::Deserialize, Paginated)]
struct RepoPage {
    #[paginated(result_key)]
    repos: Vec<String>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "")]
    link: Option<String>,
    #[serde(skip)]
    #[paginated(output_token = before, link = "prev first")]
    previous: Option<String>,
}

fn main() {}
