//! A listing whose request starts from a cursor of its own (an incremental
//! sync: Stripe's `starting_after`), cut on its first page by `MaxItems`:
//! its resume token resumes from that cursor, not from the beginning.

use paginate::{Listing, Paginated, PaginationConfig};
use serde::Serialize;

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = Customers)]
struct ListCustomers {
    #[paginated(input_token)]
    starting_after: Option<String>,
    #[paginated(limit_key)]
    limit: Option<u32>,
}

/// Stripe's list: the next cursor is the last id of the page, `has_more` says
/// whether there is one.
#[derive(Debug, Paginated)]
#[paginated(output_token(path = "data[-1]", feeds = starting_after))]
struct Customers {
    #[paginated(result_key)]
    data: Vec<String>,
    #[paginated(more_results)]
    has_more: bool,
}

const ALL: [&str; 9] = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"];

fn stripe(request: ListCustomers) -> Result<Customers, String> {
    let start = match request.starting_after.as_deref() {
        None => 0,
        Some(id) => ALL.iter().position(|c| *c == id).ok_or(format!("no customer {id}"))? + 1,
    };
    let end = (start + request.limit.unwrap_or(3) as usize).min(ALL.len());
    Ok(Customers {
        data: ALL[start..end].iter().map(|c| (*c).to_owned()).collect(),
        has_more: end < ALL.len(),
    })
}

type Service = fn(ListCustomers) -> Result<Customers, String>;

fn ids(listing: Listing<Service, ListCustomers>) -> (Vec<String>, Option<String>) {
    let mut items = listing.items();
    let got = items.by_ref().map(|c| c.expect("no error")).collect();
    (got, items.resume_token())
}

#[test]
fn a_first_page_cut_resumes_from_the_requests_own_cursor() {
    let from_c2 = || ListCustomers {
        starting_after: Some("c2".into()),
        ..ListCustomers::default()
    };
    let service = stripe as Service;
    for max_items in 1..=6 {
        let (first, token) = ids(Listing::new(
            service,
            from_c2(),
            PaginationConfig::default().with_max_items(max_items),
        ));
        let token = token.expect("customers are left");
        // Resumed with a request of its own (no cursor), as a new run would.
        let (rest, end) = ids(Listing::new(
            service,
            ListCustomers::default(),
            PaginationConfig::default().with_starting_token(token),
        ));
        assert_eq!(end, None);
        let all: Vec<String> = first.into_iter().chain(rest).collect();
        assert_eq!(all, ALL[2..], "MaxItems {max_items}");
    }
}

#[test]
fn without_a_cursor_of_its_own_the_token_is_botocores() {
    let service = stripe as Service;
    let (_, token) = ids(Listing::new(
        service,
        ListCustomers::default(),
        PaginationConfig::default().with_max_items(1),
    ));
    let text = crate::support::token_text(&token.expect("a token"));
    assert_eq!(text, r#"{"starting_after": null, "boto_truncate_amount": 1}"#);
}
