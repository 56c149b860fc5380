//! `output_token(with = f, feeds = ...)`: a token computed from the request
//! and the page, for a rule the attributes cannot say. Discord's message
//! history has no cursor and no "more" flag: the next `after` is the last id
//! of a full page, and a page shorter than the `limit` asked for is the last.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::StreamExt as _;
use paginate::{Listing, Paginated, PaginatedRequest, PaginationConfig};
use serde::Serialize;

use crate::support::YieldOnce;

#[derive(Debug, Clone, Serialize, Paginated)]
#[paginated(response = Messages, output_token(with = next_after, feeds = after))]
struct History {
    channel: &'static str,
    #[paginated(input_token)]
    after: Option<u64>,
    #[paginated(limit_key, min = 1, max = 100)]
    limit: Option<u32>,
}

#[derive(Debug, Paginated)]
struct Messages {
    #[paginated(result_key)]
    messages: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq)]
struct Message {
    id: u64,
}

const DEFAULT_LIMIT: u32 = 50;

/// The last id of a full page; none after a short page.
fn next_after(request: &History, page: &Messages) -> Option<u64> {
    let full = page.messages.len() >= request.limit.unwrap_or(DEFAULT_LIMIT) as usize;
    full.then(|| page.messages.last().map(|m| m.id)).flatten()
}

/// A channel whose message ids are `10, 20, ..., 10 * n`; it counts the calls.
#[derive(Clone)]
struct Channel {
    messages: u64,
    calls: Arc<AtomicUsize>,
}

impl Channel {
    fn new(messages: u64) -> Self {
        Channel {
            messages,
            calls: Arc::default(),
        }
    }

    fn history(&self, request: &History) -> Result<Messages, String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let limit = u64::from(request.limit.unwrap_or(DEFAULT_LIMIT));
        if !(1..=100).contains(&limit) {
            return Err(format!("limit {limit}"));
        }
        let after = request.after.unwrap_or(0);
        if after % 10 != 0 {
            return Err(format!("unknown message {after}"));
        }
        let messages = (after / 10 + 1..=self.messages)
            .take(limit as usize)
            .map(|i| Message { id: i * 10 })
            .collect();
        Ok(Messages { messages })
    }

    fn client(&self) -> impl FnMut(History) -> Result<Messages, String> + Clone {
        let channel = self.clone();
        move |request: History| channel.history(&request)
    }

    fn calls(&self) -> usize {
        self.calls.swap(0, Ordering::SeqCst)
    }
}

fn history() -> History {
    History {
        channel: "general",
        after: None,
        limit: None,
    }
}

fn ids(items: impl Iterator<Item = Result<Message, paginate::Error<String>>>) -> Vec<u64> {
    items.map(|m| m.expect("no error").id).collect()
}

fn all(n: u64) -> Vec<u64> {
    (1..=n).map(|i| i * 10).collect()
}

#[test]
fn the_computed_cursor_pages_and_a_short_page_ends() {
    for (messages, page_size, calls) in [(23, 5, 5), (20, 5, 5), (7, 10, 1), (0, 3, 1), (120, 100, 2)] {
        let channel = Channel::new(messages);
        let config = PaginationConfig::default().with_page_size(page_size);
        let got = ids(Listing::new(channel.client(), history(), config).items());
        assert_eq!(got, all(messages), "{messages} messages by {page_size}");
        assert_eq!(channel.calls(), calls, "{messages} messages by {page_size}");
    }
}

#[test]
fn a_token_at_every_item_resumes_exactly() {
    let channel = Channel::new(17);
    for page_size in [1, 4, 17] {
        let config = || PaginationConfig::default().with_page_size(page_size);
        for max_items in 1..=17 {
            let mut items = Listing::new(channel.client(), history(), config().with_max_items(max_items)).items();
            let first = ids(items.by_ref());
            assert_eq!(first.len() as u64, max_items);
            let Some(token) = items.resume_token() else {
                // Only a short last page says the listing is over.
                assert!(
                    max_items == 17 && 17 % page_size != 0,
                    "page size {page_size}, MaxItems {max_items}"
                );
                continue;
            };
            let text = crate::support::token_text(&token);
            assert!(text.starts_with(r#"{"after": "#), "{text}");
            let resumed = Listing::new(channel.client(), history(), config().with_starting_token(token));
            let all_ids: Vec<u64> = first.into_iter().chain(ids(resumed.items())).collect();
            assert_eq!(all_ids, all(17), "page size {page_size}, MaxItems {max_items}");
        }
    }
}

#[test]
fn a_request_from_its_own_cursor_cut_on_its_first_page_resumes_from_it() {
    let channel = Channel::new(12);
    let from_50 = || History {
        after: Some(50),
        ..history()
    };
    let config = PaginationConfig::default().with_page_size(4).with_max_items(2);
    let mut items = Listing::new(channel.client(), from_50(), config).items();
    let first = ids(items.by_ref());
    let token = items.resume_token().expect("messages are left");
    let resumed = Listing::new(
        channel.client(),
        history(),
        PaginationConfig::default().with_starting_token(token),
    );
    let all_ids: Vec<u64> = first.into_iter().chain(ids(resumed.items())).collect();
    assert_eq!(all_ids, all(12)[5..]);
}

#[test]
fn async_streams_and_full_result() {
    let channel = Channel::new(11);
    let server = channel.clone();
    let client = move |request: History| YieldOnce::new(server.history(&request));
    let config = || PaginationConfig::default().with_page_size(3);
    let (streamed, pages, token) = futures::executor::block_on(async {
        let items = Listing::new(client.clone(), history(), config()).item_stream();
        let streamed: Vec<u64> = items.map(|m| m.expect("no error").id).collect().await;
        let pages: Vec<usize> = Listing::new(client.clone(), history(), config())
            .page_stream()
            .map(|p| p.expect("no error").messages.len())
            .collect()
            .await;
        let mut cut = Listing::new(client.clone(), history(), config().with_max_items(4)).item_stream();
        while cut.next().await.is_some() {}
        (streamed, pages, cut.resume_token())
    });
    assert_eq!(streamed, all(11));
    assert_eq!(pages, [3, 3, 3, 2]);
    assert_eq!(
        crate::support::token_text(&token.expect("a token")),
        r#"{"after": 30, "boto_truncate_amount": 1}"#
    );
    let full = Listing::new(channel.client(), history(), config().with_max_items(5))
        .full_result()
        .expect("no error");
    assert_eq!(full.result.messages.iter().map(|m| m.id).collect::<Vec<_>>(), all(5));
    assert!(full.resume_token.is_some());
}

#[test]
fn describe_names_the_function() {
    let described = History::describe();
    assert_eq!(described.input_tokens, ["after"]);
    assert_eq!(described.output_tokens, ["next_after(request, page)"]);
}

/// A computed token may feed a token inside nested request structs, and be
/// any `Serialize` type: here a page number, from the request's own.
mod nested_page_number {
    use super::*;

    #[derive(Debug, Clone, Serialize, Paginated)]
    #[paginated(
        response = Page,
        input_token(path = "paging.number"),
        output_token(with = self::next_number, feeds = "paging.number")
    )]
    pub(super) struct Query {
        paging: Paging,
    }

    #[derive(Debug, Clone, Default, Serialize, Paginated)]
    #[paginated(nested)]
    struct Paging {
        number: u32,
    }

    #[derive(Debug, Paginated)]
    pub(super) struct Page {
        #[paginated(result_key)]
        rows: Vec<u32>,
        last: bool,
    }

    pub(super) fn next_number(request: &Query, page: &Page) -> u32 {
        if page.last {
            0
        } else {
            request.paging.number.max(1) + 1
        }
    }

    #[test]
    fn pages_by_number_and_resumes() {
        let service = |q: Query| -> Result<Page, String> {
            let number = q.paging.number.max(1);
            let rows: Vec<u32> = (number * 2 - 1..=number * 2).filter(|r| *r <= 7).collect();
            Ok(Page {
                last: number * 2 >= 7,
                rows,
            })
        };
        let query = || Query {
            paging: Paging::default(),
        };
        let rows: Vec<u32> = Listing::new(service, query(), PaginationConfig::default())
            .items()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!(rows, [1, 2, 3, 4, 5, 6, 7]);
        let mut items = Listing::new(service, query(), PaginationConfig::default().with_max_items(3)).items();
        let first: Vec<u32> = items.by_ref().map(|r| r.expect("no error")).collect();
        let token = items.resume_token().expect("rows are left");
        assert_eq!(
            crate::support::token_text(&token),
            r#"{"paging.number": 2, "boto_truncate_amount": 1}"#
        );
        let rest: Vec<u32> = Listing::new(service, query(), PaginationConfig::default().with_starting_token(token))
            .items()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!([first, rest].concat(), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(Query::describe().output_tokens, ["self::next_number(request, page)"]);
    }
}

/// Tokens are read from a page as the service sent it: a cursor taken from
/// the first item (backward paging, Stripe's `ending_before = data[0].id`)
/// is not moved by the items a resume token skips.
mod first_item_cursor {
    use super::*;

    #[derive(Debug, Clone, Default, Serialize, Paginated)]
    #[paginated(response = Older)]
    pub(super) struct ListOlder {
        #[paginated(input_token)]
        ending_before: Option<u32>,
        #[paginated(limit_key)]
        limit: Option<u32>,
    }

    #[derive(Debug, Paginated)]
    #[paginated(output_token(path = "data[0]", feeds = ending_before))]
    pub(super) struct Older {
        #[paginated(result_key)]
        data: Vec<u32>,
        #[paginated(more_results)]
        has_more: bool,
    }

    /// Ids 1..=9; each page the `limit` ids just before `ending_before`, ascending.
    fn service(request: ListOlder) -> Result<Older, String> {
        let end = request.ending_before.unwrap_or(10);
        let start = end.saturating_sub(request.limit.unwrap_or(3)).max(1);
        Ok(Older {
            data: (start..end).collect(),
            has_more: start > 1,
        })
    }

    #[test]
    fn a_token_at_every_item_resumes_exactly() {
        let service = service as fn(ListOlder) -> Result<Older, String>;
        let listed = [7, 8, 9, 4, 5, 6, 1, 2, 3];
        for stop in 1..9 {
            let config = PaginationConfig::default().with_max_items(stop);
            let mut items = Listing::new(service, ListOlder::default(), config).items();
            let first: Vec<u32> = items.by_ref().map(|r| r.expect("no error")).collect();
            let token = items.resume_token().expect("ids are left");
            let resumed = Listing::new(
                service,
                ListOlder::default(),
                PaginationConfig::default().with_starting_token(token),
            );
            let rest: Vec<u32> = resumed.items().map(|r| r.expect("no error")).collect();
            assert_eq!([first, rest].concat(), listed, "stopped after {stop}");
        }
    }
}
