//! A string token is moved into the request rather than copied (as a loop
//! that assigns it would), and read back from the request for resume tokens.
//! These tests hold that path to the converting one, which a field of any
//! other type takes: the same pages give the same requests, the same resume
//! token at every item and the same errors, through the token botocore does
//! not send (`'None'`), a starting token, `MaxItems` and repeats.

use paginate::{Error, Listing, ListingState, Paginated, PaginationConfig, RepeatPolicy};

/// The token field as a string: tokens are moved in.
#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Moved {
    #[paginated(input_token)]
    next_token: Option<String>,
}

/// The same token in a newtype: tokens are converted in (`serde_json`'s way).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Cursor(String);

#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Converted {
    #[paginated(input_token)]
    next_token: Option<Cursor>,
}

/// A required string field: moved in too.
#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Required {
    #[paginated(input_token)]
    next_token: String,
}

#[derive(Clone, Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = next_token)]
    next_token: Option<String>,
}

/// A required newtype field: converted.
#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct ConvertedRequired {
    #[paginated(input_token)]
    next_token: Cursor,
}

/// Reads a request's token as text, whatever its field type.
trait Sent {
    fn sent(&self) -> Option<String>;
}

impl Sent for Moved {
    fn sent(&self) -> Option<String> {
        self.next_token.clone()
    }
}

impl Sent for Converted {
    fn sent(&self) -> Option<String> {
        self.next_token.clone().map(|c| c.0)
    }
}

impl Sent for ConvertedRequired {
    fn sent(&self) -> Option<String> {
        Some(self.next_token.0.clone()).filter(|t| !t.is_empty())
    }
}

impl Sent for Required {
    fn sent(&self) -> Option<String> {
        Some(self.next_token.clone()).filter(|t| !t.is_empty())
    }
}

/// Pages of three items; page `i` hands back `tokens[i]`.
fn page(i: usize, tokens: &[Option<&str>]) -> Page {
    let first = u32::try_from(i).unwrap_or(0) * 3;
    Page {
        items: vec![first, first + 1, first + 2],
        next_token: tokens.get(i).copied().flatten().map(str::to_owned),
    }
}

/// What a listing did: the token each request carried, the resume token
/// after every item, and how it ended.
#[derive(Debug, PartialEq)]
struct Trace {
    sent: Vec<Option<String>>,
    resume: Vec<Option<String>>,
    end: String,
}

fn run<Req: paginate::PaginatedRequest<Response = Page> + Sent + Default>(
    tokens: &[Option<&str>],
    config: PaginationConfig,
    policy: RepeatPolicy,
) -> Trace {
    let mut state = ListingState::new(Req::default(), config).repeat_policy(policy);
    let mut trace = Trace {
        sent: Vec::new(),
        resume: vec![state.resume_token()],
        end: String::from("finished"),
    };
    for i in 0.. {
        let request = match state.next_request() {
            None => break,
            Some(Ok(request)) => request,
            Some(Err(e)) => {
                trace.end = format!("{e}");
                break;
            }
        };
        trace.sent.push(request.sent());
        let page = match state.receive(page(i, tokens)) {
            Ok(page) => page,
            Err(e) => {
                trace.end = format!("{e}");
                break;
            }
        };
        for consumed in 1..=page.items.len() {
            trace.resume.push(state.resume_token_at(consumed));
        }
        trace.resume.push(state.resume_token());
    }
    trace
}

fn same_as_converting(tokens: &[Option<&str>], config: PaginationConfig, policy: RepeatPolicy) {
    assert_eq!(
        run::<Moved>(tokens, config.clone(), policy),
        run::<Converted>(tokens, config.clone(), policy),
        "tokens {tokens:?}"
    );
    assert_eq!(
        run::<Required>(tokens, config.clone(), policy),
        run::<ConvertedRequired>(tokens, config, policy),
        "tokens {tokens:?}"
    );
}

#[test]
fn moved_tokens_give_the_requests_and_resume_tokens_of_converted_ones() {
    let cases: [&[Option<&str>]; 6] = [
        &[Some("a"), Some("b"), None],
        // botocore sends no 'None': the request goes out without a token, and
        // the tokens after it are moved in again.
        &[Some("a"), Some("None"), Some("b"), None],
        &[Some("None"), Some("a"), None],
        &[Some(""), Some("a")],
        &[Some("a"), Some("a"), Some("b")],
        &[Some("a"), Some("b"), Some("a"), None],
    ];
    for tokens in cases {
        for policy in [
            RepeatPolicy::RejectCycles,
            RepeatPolicy::RejectImmediateRepeat,
            RepeatPolicy::Allow,
        ] {
            same_as_converting(tokens, PaginationConfig::default(), policy);
            same_as_converting(tokens, PaginationConfig::default().with_max_items(5), policy);
            same_as_converting(tokens, PaginationConfig::default().with_max_items(6), policy);
        }
    }
}

#[test]
fn moved_tokens_resume_from_a_starting_token_like_converted_ones() {
    let tokens = [Some("a"), Some("None"), Some("b"), Some("c"), None];
    let full = run::<Converted>(
        &tokens,
        PaginationConfig::default().with_max_items(4),
        RepeatPolicy::default(),
    );
    let starting = full.resume.iter().flatten().last().expect("a resume token").clone();
    same_as_converting(
        &tokens,
        PaginationConfig::default().with_starting_token(starting),
        RepeatPolicy::default(),
    );
}

#[test]
fn repeats_of_moved_tokens_are_caught() {
    let immediate = run::<Moved>(
        &[Some("a"), Some("a")],
        PaginationConfig::default(),
        RepeatPolicy::default(),
    );
    assert_eq!(immediate.sent, [None, Some("a".to_owned())]);
    assert!(immediate.end.contains("same next token"), "{}", immediate.end);
    let cycle = run::<Moved>(
        &[Some("a"), Some("b"), Some("a")],
        PaginationConfig::default(),
        RepeatPolicy::default(),
    );
    assert_eq!(cycle.sent.len(), 3, "the cycle is refused before a fourth request");
    assert!(cycle.end.contains("returned earlier"), "{}", cycle.end);
}

#[test]
fn a_service_error_after_moved_tokens_resumes_at_the_failed_page() {
    let mut calls = 0;
    let service = |req: Moved| {
        calls += 1;
        let i = usize::from(req.next_token.is_some()) + usize::from(req.next_token.as_deref() == Some("b"));
        if calls == 3 {
            return Err("throttled");
        }
        Ok(page(i, &[Some("a"), Some("b"), None]))
    };
    let mut items = Listing::new(service, Moved::default(), PaginationConfig::default()).items();
    let got: Vec<u32> = items.by_ref().take(6).map(|i| i.expect("no error yet")).collect();
    assert_eq!(got, [0, 1, 2, 3, 4, 5]);
    match items.next() {
        Some(Err(Error::Service { resume_token, .. })) => {
            let rest: Vec<u32> = Listing::new(
                |req: Moved| Ok::<_, ()>(page(if req.next_token.as_deref() == Some("b") { 2 } else { 0 }, &[])),
                Moved::default(),
                PaginationConfig::default().with_starting_token(resume_token.expect("a position")),
            )
            .items()
            .map(|i| i.expect("no error"))
            .collect();
            assert_eq!(rest, [6, 7, 8], "resumed at the failed page");
        }
        other => panic!(
            "expected the service error, got {:?}",
            other.map(|r| r.map_err(|e| e.to_string()))
        ),
    }
}
