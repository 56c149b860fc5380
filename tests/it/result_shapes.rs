//! Primary result keys that are not lists, as eight botocore paginators have:
//! a string whose characters `MaxItems` counts (rds
//! `DownloadDBLogFilePortion`) and a map whose keys it counts (apigateway
//! `GetUsage`). The botocore sweep replays them against botocore; these tests
//! pin what the sweep cannot see: the resume token after a refused cut, and
//! resuming through a map page.

use std::collections::BTreeMap;

use paginate::{Error, Listing, ListingError, ListingState, Paginated, PaginationConfig, ResumeToken};

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = LogPortion)]
struct DownloadLog {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Debug, Paginated)]
struct LogPortion {
    #[paginated(result_key)]
    log_file_data: Option<String>,
    #[paginated(output_token = marker)]
    marker: Option<String>,
}

/// Two portions: "héllo\n" then "wörld\n" (multi-byte characters count once).
fn log_service(req: DownloadLog) -> Result<LogPortion, String> {
    Ok(match req.marker.as_deref() {
        None => LogPortion {
            log_file_data: Some("héllo\n".into()),
            marker: Some("m2".into()),
        },
        Some("m2") => LogPortion {
            log_file_data: Some("wörld\n".into()),
            marker: None,
        },
        Some(other) => return Err(format!("unknown marker {other}")),
    })
}

#[test]
fn a_string_result_is_counted_cut_and_resumed_by_characters() {
    let config = PaginationConfig::default().with_max_items(8);
    let mut pages = Listing::new(log_service, DownloadLog::default(), config).pages();
    let text: String = pages
        .by_ref()
        .map(|p| p.expect("page").log_file_data.unwrap_or_default())
        .collect();
    assert_eq!(text, "héllo\nwö");
    let token = pages
        .resume_token()
        .expect("MaxItems stopped inside the second portion");
    let decoded = ResumeToken::decode::<DownloadLog>(&token).expect("decodes");
    assert_eq!(decoded.items_to_skip(), 2, "{decoded:?}");

    let rest = Listing::new(
        log_service,
        DownloadLog::default(),
        PaginationConfig::default().with_starting_token(token),
    )
    .full_result()
    .expect("resumes");
    assert_eq!(rest.result.log_file_data.as_deref(), Some("rld\n"));

    let items: Vec<char> = Listing::new(log_service, DownloadLog::default(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .expect("items");
    assert_eq!(items.iter().collect::<String>(), "héllo\nwörld\n");
}

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = Usage)]
struct GetUsage {
    #[paginated(input_token)]
    position: Option<String>,
}

#[derive(Debug, Paginated)]
struct Usage {
    #[paginated(result_key)]
    items: Option<BTreeMap<String, u32>>,
    #[paginated(result_key)]
    next_period: Option<BTreeMap<String, u32>>,
    #[paginated(output_token = position)]
    position: Option<String>,
}

fn usage(keys: &[&str], position: Option<&str>) -> Usage {
    Usage {
        items: Some(keys.iter().map(|k| (k.to_string(), k.len() as u32)).collect()),
        next_period: Some(BTreeMap::from([(format!("after-{}", keys[0]), 1)])),
        position: position.map(Into::into),
    }
}

/// Pages of 2, 3 and 1 API keys.
fn usage_service(req: GetUsage) -> Result<Usage, String> {
    Ok(match req.position.as_deref() {
        None => usage(&["a", "b"], Some("p2")),
        Some("p2") => usage(&["c", "d", "e"], Some("p3")),
        Some("p3") => usage(&["f"], None),
        Some(other) => return Err(format!("unknown position {other}")),
    })
}

fn keys(page: &Usage) -> Vec<&str> {
    page.items.iter().flatten().map(|(k, _)| k.as_str()).collect()
}

#[test]
fn max_items_inside_a_map_stops_before_the_page_with_its_start_as_resume_token() {
    let config = PaginationConfig::default().with_max_items(4);
    let mut pages = Listing::new(usage_service, GetUsage::default(), config).pages();
    let first = pages.next().expect("a page").expect("first page");
    assert_eq!(keys(&first), ["a", "b"]);
    let error = pages
        .next()
        .expect("an error")
        .expect_err("the second page cannot be cut to 2");
    let resume = match &error {
        Error::Listing(ListingError::Uncuttable {
            entries: 3,
            at: 2,
            resume_token: Some(token),
        }) => token.clone(),
        other => panic!("expected Uncuttable at 2 of 3, got {other:?}"),
    };
    assert!(error.to_string().contains("map of 3 entries"), "{error}");
    assert!(pages.next().is_none(), "the listing is over");
    assert_eq!(pages.resume_token().as_deref(), Some(resume.as_str()));

    // The token is the second page's start: nothing of it was handed out.
    let mut rest = Listing::new(
        usage_service,
        GetUsage::default(),
        PaginationConfig::default().with_starting_token(resume),
    )
    .pages();
    let second = rest.next().expect("a page").expect("resumed page");
    assert_eq!(keys(&second), ["c", "d", "e"]);
    // botocore drops a resumed page's secondary keys (and, for a map primary
    // key, the primary too: that is where we differ, see the README).
    assert_eq!(second.next_period, None);
    let third = rest.next().expect("a page").expect("last page");
    assert_eq!(keys(&third), ["f"]);
    assert!(rest.next().is_none());
}

#[test]
fn max_items_at_a_page_boundary_resumes_with_the_next_map_whole() {
    let config = PaginationConfig::default().with_max_items(2);
    let mut pages = Listing::new(usage_service, GetUsage::default(), config).pages();
    assert_eq!(keys(&pages.next().expect("page").expect("first")), ["a", "b"]);
    assert!(pages.next().is_none());
    let token = pages.resume_token().expect("more to list");
    let full = Listing::new(
        usage_service,
        GetUsage::default(),
        PaginationConfig::default().with_starting_token(token),
    )
    .full_result()
    .expect("resumes");
    // The first page of the resumed listing keeps its map; a full result
    // keeps the first page's map, as botocore's build_full_result does.
    let items: Vec<&str> = full.result.items.iter().flatten().map(|(k, _)| k.as_str()).collect();
    assert_eq!(items, ["c", "d", "e"]);
    // The secondary map of the resumed page was dropped; the next page's is kept.
    assert_eq!(full.result.next_period, Some(BTreeMap::from([("after-f".into(), 1)])));
}

#[test]
fn a_page_refused_in_place_is_left_as_it_came() {
    // Resumed at the second page's start, MaxItems 2 would cut its map of 3.
    let mut pages = Listing::new(
        usage_service,
        GetUsage::default(),
        PaginationConfig::default().with_max_items(2),
    )
    .pages();
    assert_eq!(pages.by_ref().count(), 1);
    let token = pages.resume_token().expect("more to list");
    let config = PaginationConfig::default().with_starting_token(token).with_max_items(2);
    let mut state = ListingState::new(GetUsage::default(), config);
    let request = state.next_request().expect("a request").expect("valid");
    let mut page = usage_service(request).expect("the second page");
    let error = state.receive_in_place(&mut page).expect_err("the map cannot be cut");
    assert!(
        matches!(error, ListingError::Uncuttable { entries: 3, at: 2, .. }),
        "{error:?}"
    );
    assert_eq!(keys(&page), ["c", "d", "e"]);
    assert_eq!(page.next_period, Some(BTreeMap::from([("after-c".into(), 1)])));
}

#[test]
fn a_map_counts_its_keys_towards_max_items() {
    let config = PaginationConfig::default().with_max_items(5);
    let pages: Vec<Usage> = Listing::new(usage_service, GetUsage::default(), config)
        .pages()
        .collect::<Result<_, _>>()
        .expect("2 + 3 keys fit exactly");
    assert_eq!(pages.len(), 2);
    let items: Vec<(String, u32)> = Listing::new(usage_service, GetUsage::default(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .expect("items");
    assert_eq!(items.len(), 6);
    assert_eq!(items[5], ("f".to_string(), 1));
}

/// The async paths, prefetching included, refuse the same cut at the same
/// place and leave the same resume token as the blocking one.
#[cfg(feature = "prefetch")]
#[tokio::test(flavor = "multi_thread")]
async fn the_streams_and_prefetch_refuse_the_cut_like_the_iterator() {
    use futures::StreamExt;
    let client = |req: GetUsage| std::future::ready(usage_service(req));
    let config = || PaginationConfig::default().with_max_items(4);
    let expected = {
        let mut pages = Listing::new(usage_service, GetUsage::default(), config()).pages();
        let _ = pages.by_ref().count();
        pages.resume_token().expect("the second page's start")
    };

    let mut stream = Listing::new(client, GetUsage::default(), config()).page_stream();
    assert_eq!(keys(&stream.next().await.expect("page").expect("first")), ["a", "b"]);
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::Listing(ListingError::Uncuttable { at: 2, .. })))
    ));
    assert!(stream.next().await.is_none());
    assert_eq!(stream.resume_token().as_deref(), Some(expected.as_str()));

    let mut prefetched = Listing::new(client, GetUsage::default(), config())
        .page_stream()
        .prefetch(2);
    assert_eq!(
        keys(&prefetched.next().await.expect("page").expect("first")),
        ["a", "b"]
    );
    match prefetched.next().await {
        Some(Err(Error::Listing(ListingError::Uncuttable { resume_token, .. }))) => {
            assert_eq!(resume_token.as_deref(), Some(expected.as_str()))
        }
        other => panic!("expected Uncuttable, got {other:?}"),
    }
    assert!(prefetched.next().await.is_none());
    assert_eq!(prefetched.resume_token().as_deref(), Some(expected.as_str()));

    let mut items = Listing::new(client, GetUsage::default(), config())
        .page_stream()
        .items();
    let mut got = Vec::new();
    while let Some(Ok((key, _))) = items.next().await {
        got.push(key);
    }
    assert_eq!(got, ["a", "b"]);
    assert_eq!(items.resume_token().as_deref(), Some(expected.as_str()));
}

/// A fan-out's error carries the set's token, which `FanOut::resume` takes;
/// the listing's own token would resume that listing alone.
#[test]
fn a_fan_out_error_carries_the_token_of_the_set() {
    use futures::StreamExt;
    let client = |req: GetUsage| std::future::ready(usage_service(req));
    let listings = || {
        vec![
            Listing::new(
                client,
                GetUsage::default(),
                PaginationConfig::default().with_max_items(4),
            ),
            Listing::new(client, GetUsage::default(), PaginationConfig::default()),
        ]
    };
    let mut set = paginate::FanOut::new(listings(), 1, None);
    let error = futures::executor::block_on(async {
        loop {
            match set.next().await {
                Some(Ok(_)) => {}
                Some(Err(error)) => break error,
                None => panic!("the first listing's second page cannot be cut"),
            }
        }
    });
    assert!(
        matches!(error, Error::Listing(ListingError::Uncuttable { .. })),
        "{error:?}"
    );
    let token = error.resume_token().expect("a token for the set");
    assert_eq!(Some(token), set.resume_token().as_deref());
    assert!(paginate::FanOut::resume(listings(), 1, None, token).is_ok());
}
