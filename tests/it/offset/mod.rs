//! Offset and page-number paging: the next request computed by the library
//! (`offset + items`, `page + 1`), the end rules (`total`, `total_pages`,
//! `more_results`, an empty page, `short_page_ends`), `MaxItems`, and resume
//! tokens exact whatever `PageSize` the resumed listing uses.
//!
//! The servers check what they are sent the way the real APIs do (Jira:
//! `startAt >= 0`, `maxResults` in `1..=100`; GitHub: `page >= 1`,
//! `per_page` in `1..=100`) and refuse anything else, so a request the
//! library gets wrong fails the test at the wire.

mod server;

pub use server::*;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{ConfigError, Error, Listing, ListingError, Paginated, PaginatedRequest, PaginationConfig};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use crate::support::{config, token_text as decode};

/// The values of `key` in the requests the server saw.
fn sent(server: &Server, key: &str) -> Vec<Value> {
    server
        .requests()
        .iter()
        .map(|r| r.get(key).cloned().unwrap_or(Value::Null))
        .collect()
}

#[test]
fn the_next_offset_is_the_requests_offset_plus_the_items_the_page_came_with() {
    // Jira serves at most 7 issues a page, whatever maxResults asks for: the
    // offset follows what came, not what was asked.
    let server = Server {
        cap: Some(7),
        ..Server::new(23)
    };
    let request = SearchIssues {
        jql: "project = X".into(),
        start_at: Some(2),
        ..Default::default()
    };
    let listing = Listing::new(|r: SearchIssues| server.jira(&r), request, config(Some(10), None, None));
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (2..23).collect::<Vec<_>>());
    // total = 23 ends the listing after startAt 16 + 7: no request for an empty page.
    assert_eq!(sent(&server, "startAt"), [json!(2), json!(9), json!(16)]);
    assert!(server
        .requests()
        .iter()
        .all(|r| r["jql"] == "project = X" && r["maxResults"] == 10));
}

#[test]
fn without_a_total_an_empty_page_ends_the_listing() {
    let server = Server {
        totals: false,
        ..Server::new(20)
    };
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(Some(10), None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(sent(&server, "startAt"), [Value::Null, json!(10), json!(20)]);
}

#[test]
fn short_page_ends_stops_on_a_page_shorter_than_the_page_size() {
    let server = Server {
        totals: false,
        ..Server::new(25)
    };
    let listing = Listing::new(
        |r: SearchShort| server.jira(&r),
        SearchShort::default(),
        config(Some(10), None, None),
    );
    assert_eq!(listing.items().count(), 25);
    assert_eq!(sent(&server, "startAt"), [json!(0), json!(10), json!(20)]);
    // A page of exactly the page size is not short: the empty page after it ends the listing.
    let server = Server {
        totals: false,
        ..Server::new(20)
    };
    let listing = Listing::new(
        |r: SearchShort| server.jira(&r),
        SearchShort::default(),
        config(Some(10), None, None),
    );
    assert_eq!(listing.items().count(), 20);
    assert_eq!(sent(&server, "startAt"), [json!(0), json!(10), json!(20)]);
}

#[test]
fn short_page_ends_reads_the_page_size_through_a_limit_key_path() {
    // 25 items in pages of 10: the page of 5 at startAt 20 is short and ends
    // the listing, with no request for the empty page after it.
    let server = Server {
        totals: false,
        ..Server::new(25)
    };
    let listing = Listing::new(
        |r: SearchShortOptions| server.jira_options(&r),
        SearchShortOptions::default(),
        config(Some(10), None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (0..25).collect::<Vec<_>>());
    assert_eq!(sent(&server, "startAt"), [json!(0), json!(10), json!(20)]);
    assert!(server.requests().iter().all(|r| r["options"]["maxResults"] == 10));
    // The page size set in the request, without `PageSize`, is the one a short page is measured against.
    let server = Server {
        totals: false,
        ..Server::new(12)
    };
    let request = SearchShortOptions {
        options: SearchOptions { max_results: 5 },
        ..Default::default()
    };
    let listing = Listing::new(
        |r: SearchShortOptions| server.jira_options(&r),
        request,
        config(None, None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (0..12).collect::<Vec<_>>());
    assert_eq!(sent(&server, "startAt"), [json!(0), json!(5), json!(10)]);
}

#[test]
fn a_false_more_results_ends_an_offset_listing() {
    let server = Server::new(12);
    let listing = Listing::new(
        |r: ListEvents| server.events(&r),
        ListEvents::default(),
        config(Some(5), None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (0..12).collect::<Vec<_>>());
    assert_eq!(sent(&server, "offset"), [json!(0), json!(5), json!(10)]);
}

#[test]
fn page_numbers_count_up_from_the_first_and_total_pages_ends_them() {
    let server = Server::new(45);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(Some(20), None, None),
    );
    assert_eq!(listing.items().count(), 45);
    assert_eq!(sent(&server, "page"), [Value::Null, json!(2), json!(3)]);

    let server = Server::new(45);
    let listing = Listing::new(
        |r: ListReposZero| server.github(&r, 0),
        ListReposZero::default(),
        config(Some(20), None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (0..45).collect::<Vec<_>>());
    assert_eq!(sent(&server, "page"), [json!(0), json!(1), json!(2)]);
}

#[test]
fn a_plain_page_field_left_at_zero_is_sent_as_the_first_page() {
    // GitHub refuses page=0; the field's default must not reach the wire.
    let server = Server::new(5);
    let listing = Listing::new(
        |r: ListReposPlain| server.github(&r, 1),
        ListReposPlain::default(),
        config(Some(2), None, None),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, [0, 1, 2, 3, 4]);
    assert_eq!(sent(&server, "page"), [json!(1), json!(2), json!(3)]);
}

#[test]
fn totals_are_read_through_paths() {
    let server = Server::new(25);
    let listing = Listing::new(
        |r: ListEnveloped| server.enveloped(&r),
        ListEnveloped::default(),
        config(Some(10), None, None),
    );
    assert_eq!(listing.items().count(), 25);
    assert_eq!(sent(&server, "offset"), [Value::Null, json!(10), json!(20)]);
    let server = Server::new(25);
    let listing = Listing::new(
        |r: ListEnvelopedPages| server.enveloped(&r),
        ListEnvelopedPages::default(),
        config(Some(10), None, None),
    );
    assert_eq!(listing.items().count(), 25);
    assert_eq!(sent(&server, "page"), [Value::Null, json!(2), json!(3)]);
}

#[test]
fn max_items_cuts_and_the_token_folds_the_cut_into_the_offset() {
    let server = Server::new(40);
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(Some(10), Some(15), None),
    );
    let mut pages = listing.pages();
    let sizes: Vec<usize> = pages.by_ref().map(|p| p.unwrap().issues.len()).collect();
    assert_eq!(sizes, [10, 5]);
    assert_eq!(server.requests().len(), 2);
    let token = pages.resume_token().expect("items remain");
    assert_eq!(decode(&token), r#"{"startAt": 15}"#);
    // Resumed with another page size, it goes on at item 15.
    let server = Server::new(40);
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(Some(7), None, Some(token)),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (15..40).collect::<Vec<_>>());
    assert_eq!(sent(&server, "startAt")[0], json!(15));
}

#[test]
fn a_page_token_records_the_page_size_and_translates_to_another() {
    let server = Server::new(100);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(Some(20), Some(45), None),
    );
    let mut items = listing.items();
    assert_eq!(items.by_ref().count(), 45);
    let token = items.resume_token().unwrap();
    assert_eq!(
        decode(&token),
        r#"{"page": 3, "per_page": 20, "boto_truncate_amount": 5}"#
    );
    // Item 45 is page 5 of 10 (skip 5), page 2 of 30 (skip 15), page 46 of 1.
    for (size, page) in [(10, 5), (30, 2), (1, 46)] {
        let server = Server::new(100);
        let listing = Listing::new(
            |r: ListRepos| server.github(&r, 1),
            ListRepos::default(),
            config(Some(size), None, Some(token.clone())),
        );
        let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
        assert_eq!(items, (45..100).collect::<Vec<_>>(), "PageSize {size}");
        assert_eq!(sent(&server, "page")[0], json!(page));
        assert_eq!(sent(&server, "per_page")[0], json!(size));
    }
    // Without a PageSize, the token's own is used.
    let server = Server::new(100);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(None, None, Some(token)),
    );
    assert_eq!(listing.items().count(), 55);
    assert_eq!(sent(&server, "per_page")[0], json!(20));
}

#[test]
fn a_page_token_without_a_page_size_refuses_another_page_size_before_any_request() {
    // No per_page sent: the service's default (30) is unknown to the listing.
    let server = Server::new(100);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(None, Some(35), None),
    );
    let mut items = listing.items();
    assert_eq!(items.by_ref().count(), 35);
    let token = items.resume_token().unwrap();
    assert_eq!(decode(&token), r#"{"page": 2, "boto_truncate_amount": 5}"#);
    let server = Server::new(100);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(Some(10), None, Some(token.clone())),
    );
    match listing.items().next() {
        Some(Err(Error::Listing(ListingError::Config(ConfigError::PageSizeNotRecorded { page_size: 10 })))) => {}
        other => panic!("expected PageSizeNotRecorded, got {other:?}"),
    }
    assert!(server.requests().is_empty());
    // Resumed as the error says, without PageSize, it is exact.
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(None, None, Some(token)),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (35..100).collect::<Vec<_>>());
}

#[test]
fn a_page_token_recording_a_page_size_out_of_range_is_refused_before_any_request() {
    // per_page is 1..=100; a hand-made token says 1000 (GitHub would serve
    // pages of 100, and page 2 would no longer start at item 1000).
    let server = Server::new(100);
    let token = STANDARD.encode(r#"{"page": 2, "per_page": 1000}"#);
    let listing = Listing::new(
        |r: ListRepos| server.github(&r, 1),
        ListRepos::default(),
        config(None, None, Some(token)),
    );
    match listing.items().next() {
        Some(Err(Error::Listing(ListingError::Config(ConfigError::PageSizeOutOfRange {
            page_size: 1000,
            limit_key: "per_page",
            ..
        })))) => {}
        other => panic!("expected PageSizeOutOfRange, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[test]
fn an_offset_needs_no_output_token_and_describes_itself() {
    let d = SearchIssues::describe();
    assert_eq!(d.input_tokens, ["startAt"]);
    assert!(d.output_tokens.is_empty());
    assert_eq!(d.limit_key.map(|k| k.name), Some("maxResults"));
}

#[test]
fn the_servers_refuse_what_the_real_apis_refuse() {
    let server = Server::new(10);
    let bad_jira = [
        json!({"startAt": -1}),
        json!({"maxResults": 0}),
        json!({"maxResults": 101}),
    ];
    assert!(bad_jira.iter().all(|r| server.jira(r).is_err()));
    let bad_github = [json!({"page": 0}), json!({"per_page": 101}), json!({"page": "2"})];
    assert!(bad_github.iter().all(|r| server.github(r, 1).is_err()));
}

#[test]
fn a_starting_token_with_a_truncate_amount_is_folded_into_the_offset() {
    let server = Server::new(30);
    // As botocore would write it: offset 10, 3 items of that page handed out.
    let token = STANDARD.encode(r#"{"startAt": 10, "boto_truncate_amount": 3}"#);
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(Some(5), None, Some(token)),
    );
    let items: Vec<u64> = listing.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (13..30).collect::<Vec<_>>());
    assert_eq!(sent(&server, "startAt")[0], json!(13));
    let bad = STANDARD.encode(r#"{"startAt": "ten"}"#);
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(None, None, Some(bad)),
    );
    assert!(matches!(
        listing.items().next(),
        Some(Err(Error::Listing(ListingError::Config(_))))
    ));
}

#[test]
fn the_largest_page_number_or_offset_ends_the_listing_without_overflowing() {
    #[derive(Debug, Clone, Default, Serialize, Paginated)]
    #[paginated(response = ReposPage)]
    struct ListReposWide {
        #[paginated(page, first = 0)]
        page: u64,
        #[paginated(limit_key, min = 1, max = 100)]
        per_page: Option<u32>,
    }
    // The last page a u64 can number: there is no page after it to ask for.
    let token = STANDARD.encode(format!(r#"{{"page": {}}}"#, u64::MAX));
    let asked = std::cell::RefCell::new(Vec::new());
    let client = |r: ListReposWide| {
        asked.borrow_mut().push(r.page);
        Ok::<_, String>(ReposPage {
            repos: vec![r.page],
            total_pages: None,
        })
    };
    let pages: Vec<_> = Listing::new(client, ListReposWide::default(), config(None, None, Some(token)))
        .pages()
        .collect();
    assert_eq!(*asked.borrow(), [u64::MAX]);
    assert!(
        matches!(&pages[..], [Ok(page)] if page.repos == [u64::MAX]),
        "{pages:?}"
    );

    // A page of 5 from 2 below the largest offset: what follows it has no offset.
    let token = STANDARD.encode(format!(r#"{{"startAt": {}}}"#, u64::MAX - 2));
    let asked = std::cell::RefCell::new(Vec::new());
    let client = |r: SearchIssues| {
        asked.borrow_mut().push(r.start_at);
        Ok::<_, String>(IssuesPage {
            start_at: 0,
            max_results: 5,
            total: None,
            issues: (0..5).collect(),
        })
    };
    let pages: Vec<_> = Listing::new(client, SearchIssues::default(), config(Some(5), None, Some(token)))
        .pages()
        .collect();
    assert_eq!(*asked.borrow(), [Some(u64::MAX - 2)]);
    assert!(matches!(&pages[..], [Ok(_)]), "{pages:?}");
}

#[test]
fn full_result_of_an_offset_listing() {
    let server = Server::new(12);
    let listing = Listing::new(
        |r: SearchIssues| server.jira(&r),
        SearchIssues::default(),
        config(Some(5), Some(8), None),
    );
    let full = listing.full_result().unwrap();
    assert_eq!(full.result.issues, (0..8).collect::<Vec<_>>());
    assert_eq!(decode(full.resume_token.as_deref().unwrap()), r#"{"startAt": 8}"#);
}

#[cfg(feature = "prefetch")]
#[test]
fn prefetch_of_an_offset_listing() {
    use futures::StreamExt;
    let server = Server::new(33);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let items: Vec<u64> = runtime.block_on(async {
        let served = server.clone();
        let client = move |r: SearchIssues| std::future::ready(served.jira(&r));
        let stream = Listing::new(client, SearchIssues::default(), config(Some(10), Some(25), None))
            .page_stream()
            .prefetch(3)
            .items();
        stream.map(|item| item.unwrap()).collect().await
    });
    assert_eq!(items, (0..25).collect::<Vec<_>>());
}

#[test]
fn fan_out_over_offset_listings() {
    use futures::StreamExt;
    let servers = [Server::new(17), Server::new(4)];
    let listings = servers
        .iter()
        .map(|s| {
            let client = move |r: SearchIssues| std::future::ready(s.jira(&r));
            Listing::new(client, SearchIssues::default(), config(Some(5), None, None))
        })
        .collect();
    let got: Vec<(usize, u64)> = futures::executor::block_on(
        paginate::FanOut::new(listings, 2, None)
            .map(|item| item.unwrap())
            .collect(),
    );
    for (index, server) in servers.iter().enumerate() {
        let mine: Vec<u64> = got.iter().filter(|(i, _)| *i == index).map(|(_, n)| *n).collect();
        assert_eq!(mine, (0..server.items).collect::<Vec<_>>());
    }
}

/// A resume chain: each leg lists under its own `PageSize` and `MaxItems`,
/// maybe stops after some items, and the next leg resumes from its token.
#[derive(Debug, Clone)]
struct Chain {
    items: u64,
    cap: Option<u64>,
    legs: Vec<(Option<u64>, Option<u64>, Option<usize>)>,
}

fn chain() -> impl Strategy<Value = Chain> {
    (
        0u64..90,
        prop::option::of(1u64..12),
        prop::collection::vec(
            (
                prop::option::of(1u64..=15),
                prop::option::of(1u64..25),
                prop::option::of(1usize..20),
            ),
            1..6,
        ),
    )
        .prop_map(|(items, cap, legs)| Chain { items, cap, legs })
}

/// Runs the chain through `leg` (one leg's listing, as items and its token at
/// the stop), and returns every item received, in order.
fn run_chain<L>(c: &Chain, mut leg: L) -> Vec<u64>
where
    L: FnMut(PaginationConfig, Option<usize>) -> Result<(Vec<u64>, Option<String>), ConfigError>,
{
    let (mut got, mut token, mut runs) = (Vec::new(), None, 0);
    loop {
        assert!(runs < 200, "does not converge");
        let (page_size, max_items, stop) = c.legs[runs % c.legs.len()];
        runs += 1;
        let (items, next) = match leg(config(page_size, max_items, token.clone()), stop) {
            Ok(run) => run,
            // Only a page token without a page size refuses another one; resumed as the error says.
            Err(ConfigError::PageSizeNotRecorded { .. }) => leg(config(None, max_items, token.clone()), stop).unwrap(),
            Err(other) => panic!("{other}"),
        };
        got.extend(items);
        match next {
            Some(t) => token = Some(t),
            None => return got,
        }
    }
}

/// One leg of a listing: items until `stop` (or the end), then its token.
fn leg<Req, C>(listing: Listing<C, Req>, stop: Option<usize>) -> Result<(Vec<u64>, Option<String>), ConfigError>
where
    Req: PaginatedRequest,
    Req::Response: paginate::PaginatedResponse<Item = u64>,
    C: paginate::Client<Req, Error = String>,
{
    let mut items = listing.items();
    let mut got = Vec::new();
    while stop != Some(got.len()) {
        match items.next() {
            Some(Ok(n)) => got.push(n),
            Some(Err(Error::Listing(ListingError::Config(e)))) => return Err(e),
            Some(Err(e)) => panic!("{e}"),
            None => break,
        }
    }
    Ok((got, items.resume_token()))
}

proptest! {
    #![proptest_config(crate::support::proptest_cases(256))]

    #[test]
    fn offset_resume_chains_yield_every_item_once_in_order(c in chain()) {
        let server = Server { cap: c.cap, ..Server::new(c.items) };
        let got = run_chain(&c, |config, stop| {
            leg(Listing::new(|r: SearchIssues| server.jira(&r), SearchIssues::default(), config), stop)
        });
        prop_assert_eq!(got, (0..c.items).collect::<Vec<_>>());
    }

    #[test]
    fn page_resume_chains_yield_every_item_once_in_order(c in chain()) {
        let server = Server::new(c.items);
        let got = run_chain(&c, |config, stop| {
            leg(Listing::new(|r: ListRepos| server.github(&r, 1), ListRepos::default(), config), stop)
        });
        prop_assert_eq!(got, (0..c.items).collect::<Vec<_>>());
    }
}
