// A generic request whose tokens pair up builds and lists. (Its presence also
// makes trybuild build, not only check, every case: the generic pairing check
// in `output-token/generic-request-misnamed.rs` fails at build time.)
use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest<F: Clone> {
    filter: F,
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {
    let client = |req: ListRequest<u8>| {
        Ok::<_, String>(match req.next_token {
            None => ListResponse { items: vec!["a".into()], next_token: Some("2".into()) },
            Some(_) => ListResponse { items: vec!["b".into()], next_token: None },
        })
    };
    let items: Vec<String> = Listing::new(client, ListRequest::default(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, ["a", "b"]);
}
