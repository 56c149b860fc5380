use paginate::Paginated;

#[derive(Clone, serde::Serialize, Paginated)]
#[paginated(response = RepoPage)]
struct ListRepos {
    #[serde(skip)]
    #[paginated(input_token)]
    url: Option<String>,
}

#[derive(serde::Deserialize, Paginated)]
#[serde(transparent)]
struct RepoPage {
    #[paginated(result_key)]
    repos: Vec<String>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "next")]
    link: Option<String>,
}

fn main() {
    let _ = paginate::Paginator::new(|_: ListRepos| Ok::<_, ()>(RepoPage { repos: Vec::new(), link: None }));
}
