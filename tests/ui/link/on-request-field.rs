use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = RepoPage)]
struct ListRepos {
    #[serde(skip)]
    #[paginated(input_token, link = "next")]
    url: Option<String>,
}

#[derive(serde::Deserialize, Paginated)]
struct RepoPage {
    #[paginated(result_key)]
    repos: Vec<String>,
    #[paginated(output_token)]
    url: Option<String>,
}

fn main() {}
