//! Acknowledged checkpoints: a job resumes after a restart at the last
//! position its consumer acknowledged, lists nothing once done, and refuses
//! to be reused for other listings; with every driver (blocking, async,
//! prefetch, fan-out) and with offset paging.

mod acks;
mod crash;
mod errors;
#[cfg(feature = "postgres")]
mod postgres;

use std::convert::Infallible;
use std::path::Path;

use futures::StreamExt;
use paginate::{CheckpointError, Checkpoints, Listing, Paginated, PaginationConfig, Progress};
use serde::Serialize;

use acks::{ack_next, ack_next_async, ack_rest, ack_rest_async};

/// Numbers `0..upto`, seven a page, each page's token the offset of the next.
#[derive(Clone, Debug, Default, Serialize, Paginated)]
#[paginated(response = Page)]
pub struct Numbers {
    pub upto: u32,
    #[paginated(input_token)]
    pub next_token: Option<String>,
}

#[derive(Debug, Paginated)]
pub struct Page {
    #[paginated(result_key)]
    pub items: Vec<u32>,
    #[paginated(output_token = next_token)]
    pub next_token: Option<String>,
}

pub const PAGE: u32 = 7;

pub fn serve(req: &Numbers) -> Page {
    page_at(req.next_token.as_deref(), req.upto, PAGE)
}

/// The page of `0..upto` at the offset `token` holds (0 without one), `size` items at most.
pub fn page_at(token: Option<&str>, upto: u32, size: u32) -> Page {
    let at: u32 = token.map_or(0, |t| t.parse().expect("the service's own token"));
    let end = (at + size).min(upto);
    Page {
        items: (at..end).collect(),
        next_token: (end < upto).then(|| end.to_string()),
    }
}

/// The blocking listing of `0..upto`.
fn numbers(upto: u32) -> Listing<impl FnMut(Numbers) -> Result<Page, Infallible> + Clone, Numbers> {
    Listing::new(
        |req: Numbers| Ok(serve(&req)),
        Numbers { upto, next_token: None },
        PaginationConfig::default(),
    )
}

/// The async listing of `0..upto`.
fn async_numbers(
    upto: u32,
) -> Listing<impl FnMut(Numbers) -> std::future::Ready<Result<Page, Infallible>> + Clone, Numbers> {
    Listing::new(
        |req: Numbers| std::future::ready(Ok(serve(&req))),
        Numbers { upto, next_token: None },
        PaginationConfig::default(),
    )
}

fn job_progress(path: &Path, id: &str, description: &str) -> Progress {
    let checkpoints = Checkpoints::open(path).unwrap();
    checkpoints.job::<Numbers>(id, description).unwrap().progress().clone()
}

#[test]
fn a_restarted_job_resumes_after_the_last_acknowledged_item() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
        assert_eq!(job.progress(), &Progress::Start);
        let mut items = job.track(job.start(numbers(50)).unwrap().items());
        // Items 0..=9 handled and acknowledged (10 is mid-page), 10 and 11 yielded and not.
        for expected in 0..10 {
            assert_eq!(items.next().unwrap().unwrap(), expected);
        }
        items.ack().unwrap();
        assert_eq!(items.next().unwrap().unwrap(), 10);
        assert_eq!(items.next().unwrap().unwrap(), 11);
        // Dropped without a flush: the drop of the last handle commits what was acknowledged.
    }
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    assert!(matches!(job.progress(), Progress::At { .. }));
    let items = job.track(job.start(numbers(50)).unwrap().items());
    let rest: Vec<u32> = items.map(Result::unwrap).collect();
    assert_eq!(rest, (10..50).collect::<Vec<_>>());
}

#[test]
fn a_job_is_done_once_its_listing_ended_and_everything_was_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let checkpoints = Checkpoints::open(&path).unwrap();

    // Ended, but the last item not acknowledged: not done, and it is listed again.
    {
        let job = checkpoints.job::<Numbers>("n", "0..14").unwrap();
        let mut items = job.track(job.start(numbers(14)).unwrap().items());
        ack_next(&mut items, 13);
        assert_eq!(items.next().unwrap().unwrap(), 13);
        assert!(items.next().is_none());
        items.flush().unwrap();
    }
    let job = checkpoints.job::<Numbers>("n", "0..14").unwrap();
    let mut items = job.track(job.start(numbers(14)).unwrap().items());
    assert_eq!(items.next().unwrap().unwrap(), 13);
    assert!(items.next().is_none());
    items.ack().unwrap();
    items.flush().unwrap();
    // The store stays open (and locked) while a handle, a job or a tracked driver of it lives.
    drop((items, job, checkpoints));

    assert_eq!(job_progress(&path, "n", "0..14"), Progress::Done);
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", "0..14").unwrap();
    assert!(job.start(numbers(14)).is_none());
    assert!(job
        .start_fan_out(
            Vec::<Listing<fn(Numbers) -> std::future::Ready<Result<Page, Infallible>>, Numbers>>::new(),
            1,
            None
        )
        .unwrap()
        .is_none());
}

#[test]
fn a_listing_acknowledged_up_to_its_last_item_is_done_at_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..10").unwrap();
        let mut items = job.track(job.start(numbers(10)).unwrap().items());
        ack_rest(&mut items);
    }
    assert_eq!(job_progress(&path, "n", "0..10"), Progress::Done);

    // Cut by MaxItems, the listing ends with items left: not done.
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("cut", "0..10").unwrap();
        let listing = Listing::new(
            |req: Numbers| Ok::<_, Infallible>(serve(&req)),
            Numbers {
                upto: 10,
                next_token: None,
            },
            PaginationConfig::default().with_max_items(4),
        );
        let mut items = job.track(job.start(listing).unwrap().items());
        ack_rest(&mut items);
    }
    assert!(matches!(job_progress(&path, "cut", "0..10"), Progress::At { .. }));
}

#[test]
fn acknowledging_the_last_item_is_durable_without_asking_for_the_end() {
    // A consumer that handles exactly the 14 items there are, acknowledging
    // each, flushes and stops (or is killed) before asking for the end.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..14").unwrap();
        let mut items = job.track(job.start(numbers(14)).unwrap().items());
        assert_eq!(ack_next(&mut items, 14), (0..14).collect::<Vec<_>>());
        items.flush().unwrap();
    }
    // Every item was acknowledged and flushed: none is listed again.
    assert_eq!(job_progress(&path, "n", "0..14"), Progress::Done);

    // The same with a page stream, and with a fan-out.
    futures::executor::block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("pages", "0..14").unwrap();
        let mut pages = job.track(job.start(async_numbers(14)).unwrap().page_stream());
        for _ in 0..2 {
            pages.next().await.unwrap().unwrap();
            pages.ack().unwrap();
        }
        pages.flush().unwrap();
        let job = checkpoints.job::<Numbers>("set", "2 listings").unwrap();
        let set = job
            .start_fan_out(vec![async_numbers(3), async_numbers(9)], 2, None)
            .unwrap()
            .unwrap();
        let mut set = job.track(set);
        assert_eq!(ack_next_async(&mut set, 12).await.len(), 12);
        set.flush().unwrap();
    });
    assert_eq!(job_progress(&path, "pages", "0..14"), Progress::Done);
    assert_eq!(job_progress(&path, "set", "2 listings"), Progress::Done);

    // And with a prefetching item stream.
    #[cfg(feature = "prefetch")]
    {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let checkpoints = Checkpoints::open(&path).unwrap();
            let job = checkpoints.job::<Numbers>("prefetched", "0..14").unwrap();
            let stream = job.start(async_numbers(14)).unwrap().page_stream().prefetch(2).items();
            let mut items = job.track(stream);
            assert_eq!(ack_next_async(&mut items, 14).await.len(), 14);
            items.flush().unwrap();
        });
        assert_eq!(job_progress(&path, "prefetched", "0..14"), Progress::Done);
    }
}

#[test]
fn a_job_resumed_after_its_tokens_expired_restarts_from_the_beginning_and_skips_what_was_acknowledged() {
    use paginate::{Expired, ExpiryPolicy};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Gone;
    // The service's tokens carry the generation they were issued in; a new
    // generation (the job resumed a day later) refuses every older token.
    let generation = Arc::new(AtomicU32::new(0));
    let listing = |generation: Arc<AtomicU32>| {
        let service = move |req: Numbers| {
            let now = generation.load(Ordering::SeqCst);
            let at = match req
                .next_token
                .as_deref()
                .map(|t| t.split_once('@').expect("its own token"))
            {
                Some((issued, _)) if issued.parse::<u32>() != Ok(now) => return Err(Gone),
                Some((_, at)) => Some(at.to_string()),
                None => None,
            };
            let page = serve(&Numbers { next_token: at, ..req });
            Ok(Page {
                next_token: page.next_token.map(|t| format!("{now}@{t}")),
                ..page
            })
        };
        Listing::new(
            service,
            Numbers {
                upto: 50,
                next_token: None,
            },
            PaginationConfig::default(),
        )
        .on_expired_token(|_: &Gone| Some(Expired::new()), ExpiryPolicy::restart_by_count())
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
        let mut items = job.track(job.start(listing(Arc::clone(&generation))).unwrap().items());
        for expected in 0..17 {
            assert_eq!(items.next().unwrap().unwrap(), expected);
        }
        items.ack().unwrap();
        items.flush().unwrap();
    }
    generation.store(1, Ordering::SeqCst);
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    assert_eq!(job.progress().position(), Some(17));
    let mut items = job.track(job.start(listing(Arc::clone(&generation))).unwrap().items());
    let rest: Vec<u32> = items
        .by_ref()
        .map(|item| item.expect("the rest, after a restart"))
        .collect();
    assert_eq!(rest, (17..50).collect::<Vec<_>>());
    items.ack().unwrap();
    items.flush().unwrap();
    assert!(checkpoints.job::<Numbers>("n", "0..50").unwrap().progress().is_done());
}

#[test]
fn a_position_recorded_after_a_restart_by_key_loses_nothing_to_a_later_restart_by_count() {
    use paginate::{Expired, ExpiryPolicy};
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Gone;
    // The service refuses each token of `refused` once, as expired.
    let refused: Arc<Mutex<HashSet<&str>>> = Arc::default();
    let listing = |refused: Arc<Mutex<HashSet<&'static str>>>| {
        let service = move |req: Numbers| {
            if let Some(token) = req.next_token.as_deref() {
                if refused.lock().unwrap().remove(token) {
                    return Err(Gone);
                }
            }
            Ok(serve(&req))
        };
        Listing::new(
            service,
            Numbers {
                upto: 50,
                next_token: None,
            },
            PaginationConfig::default(),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let checkpoints = Checkpoints::open(&path).unwrap();

    // A run that restarts by key: the third page's token expires, the
    // listing starts again, and its first page comes empty (every item of it
    // delivered already). Acknowledged there, the job stands at that page's end.
    refused.lock().unwrap().insert("14");
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    let listing_by_key = listing(Arc::clone(&refused)).on_expired_token(
        |_: &Gone| Some(Expired::new()),
        ExpiryPolicy::restart_by_key(|n: &u32| *n),
    );
    let mut pages = job.track(job.start(listing_by_key).unwrap().pages());
    let sizes: Vec<usize> = (0..3)
        .map(|_| {
            let page = pages.next().unwrap().unwrap();
            pages.ack().unwrap();
            page.items.len()
        })
        .collect();
    assert_eq!(sizes, [7, 7, 0]);
    pages.flush().unwrap();
    drop((pages, job));

    // A run that restarts by count, whose third page's token expires too:
    // it may list again what the first run delivered, and must skip nothing.
    refused.lock().unwrap().insert("14");
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    let listing_by_count = listing(Arc::clone(&refused))
        .on_expired_token(|_: &Gone| Some(Expired::new()), ExpiryPolicy::restart_by_count());
    let items = job.track(job.start(listing_by_count).unwrap().items());
    let rest: Vec<u32> = items.map(Result::unwrap).collect();
    assert_eq!(rest, (7..50).collect::<Vec<_>>());
}

#[test]
fn a_job_reopened_for_other_listings_is_refused_and_keeps_its_progress() {
    #[derive(Clone, Default, Serialize, Paginated)]
    #[paginated(response = Page)]
    struct Other {
        #[paginated(input_token)]
        next_token: Option<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    let mut items = job.track(job.start(numbers(50)).unwrap().items());
    items.next().unwrap().unwrap();
    items.ack().unwrap();
    items.flush().unwrap();
    let acked = items.get_ref().resume_token().unwrap();

    match checkpoints.job::<Numbers>("n", "0..60") {
        Err(CheckpointError::BindingMismatch { job, stored, given }) => {
            assert_eq!(job, "n");
            assert!(stored.ends_with("Numbers: 0..50"), "{stored}");
            assert!(given.ends_with("Numbers: 0..60"), "{given}");
        }
        other => panic!("expected a binding mismatch, got {other:?}"),
    }
    let other = checkpoints.job::<Other>("n", "0..50").unwrap_err();
    assert!(matches!(other, CheckpointError::BindingMismatch { .. }), "{other:?}");
    assert!(other.to_string().contains("use another job id"), "{other}");

    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    assert_eq!(
        job.progress(),
        &Progress::At {
            token: acked,
            position: Some(1)
        }
    );
}

#[test]
fn an_error_that_ends_the_listing_does_not_mark_the_job_done() {
    // The service hands back the token it was given: a repeated token ends the listing.
    let service = |req: Numbers| {
        let mut page = serve(&req);
        if req.next_token.is_some() {
            page.next_token.clone_from(&req.next_token);
        }
        Ok::<_, Infallible>(page)
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
    let listing = Listing::new(
        service,
        Numbers {
            upto: 50,
            next_token: None,
        },
        PaginationConfig::default(),
    );
    let mut items = job.track(job.start(listing).unwrap().items());
    let mut handled = 0;
    while let Some(item) = items.next() {
        if item.is_err() {
            break;
        }
        handled += 1;
        items.ack().unwrap();
    }
    assert_eq!(handled, 2 * PAGE);
    assert_eq!(items.get_ref().resume_token(), None);
    items.ack().unwrap();
    items.flush().unwrap();
    drop((items, job, checkpoints));
    assert!(matches!(job_progress(&path, "n", "0..50"), Progress::At { .. }));
}

#[test]
fn an_async_item_stream_resumes_at_its_last_acknowledged_item() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    futures::executor::block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..30").unwrap();
        let mut items = job.track(job.start(async_numbers(30)).unwrap().item_stream());
        ack_next_async(&mut items, 17).await;
        items.flush().unwrap();
    });
    futures::executor::block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..30").unwrap();
        let items = job.track(job.start(async_numbers(30)).unwrap().item_stream());
        let rest: Vec<u32> = items.map(Result::unwrap).collect().await;
        assert_eq!(rest, (17..30).collect::<Vec<_>>());
    });
}

#[cfg(feature = "prefetch")]
#[test]
fn a_prefetching_stream_resumes_at_what_the_consumer_acknowledged_not_what_was_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..100").unwrap();
        let stream = job.start(async_numbers(100)).unwrap().page_stream().prefetch(8).items();
        let mut items = job.track(stream);
        assert_eq!(ack_next_async(&mut items, 23).await, (0..23).collect::<Vec<_>>());
        // Pages ahead were fetched; what counts is what was acknowledged.
        items.next().await.unwrap().unwrap();
        items.flush().unwrap();
    });
    runtime.block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..100").unwrap();
        let stream = job.start(async_numbers(100)).unwrap().page_stream().prefetch(8).items();
        let mut items = job.track(stream);
        assert_eq!(ack_rest_async(&mut items).await, (23..100).collect::<Vec<_>>());
        items.flush().unwrap();
    });
    assert_eq!(job_progress(&path, "n", "0..100"), Progress::Done);
}

#[test]
fn a_fan_out_resumes_every_listing_at_its_acknowledged_position_and_skips_the_done_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    // Listing i holds 0..10*i: listing 0 is empty, listing 3 has 30 items.
    let listings = || (0..4).map(|i| async_numbers(10 * i)).collect::<Vec<_>>();
    let mut seen = Vec::new();
    futures::executor::block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("set", "4 listings").unwrap();
        let set = job.start_fan_out(listings(), 2, None).unwrap().unwrap();
        let mut set = job.track(set);
        seen.extend(ack_next_async(&mut set, 25).await);
        set.flush().unwrap();
    });
    futures::executor::block_on(async {
        let checkpoints = Checkpoints::open(&path).unwrap();
        let job = checkpoints.job::<Numbers>("set", "4 listings").unwrap();
        let set = job.start_fan_out(listings(), 2, None).unwrap().unwrap();
        let mut set = job.track(set);
        seen.extend(ack_rest_async(&mut set).await);
        set.flush().unwrap();
    });
    let mut expected: Vec<(usize, u32)> = (0..4).flat_map(|i| (0..10 * i as u32).map(move |n| (i, n))).collect();
    let mut got = seen.clone();
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(got, expected, "every item once, none twice");
    assert_eq!(job_progress(&path, "set", "4 listings"), Progress::Done);
    // A token for a set of another size is a typed error, not a panic.
    let checkpoints = Checkpoints::open(dir.path().join("other.redb")).unwrap();
    let job = checkpoints.job::<Numbers>("set", "4 listings").unwrap();
    let mut set = job.track(job.start_fan_out(listings(), 2, None).unwrap().unwrap());
    futures::executor::block_on(set.next()).unwrap().unwrap();
    set.ack().unwrap();
    set.flush().unwrap();
    drop(set);
    let job = checkpoints.job::<Numbers>("set", "4 listings").unwrap();
    let mut fewer = listings();
    fewer.pop();
    assert!(matches!(
        job.start_fan_out(fewer, 2, None),
        Err(CheckpointError::Token { .. })
    ));
}

#[test]
fn an_offset_listing_resumes_at_its_acknowledged_item() {
    use crate::offset::{SearchIssues, Server};
    let server = Server {
        cap: Some(7),
        ..Server::new(40)
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let listing = || {
        Listing::new(
            |r: SearchIssues| server.jira(&r),
            SearchIssues {
                jql: "project = X".into(),
                ..Default::default()
            },
            PaginationConfig::default().with_page_size(10),
        )
    };
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<SearchIssues>("issues", "project = X").unwrap();
    let mut items = job.track(job.start(listing()).unwrap().items());
    ack_next(&mut items, 12);
    items.flush().unwrap();
    drop(items);
    let job = checkpoints.job::<SearchIssues>("issues", "project = X").unwrap();
    let rest: Vec<u64> = job
        .track(job.start(listing()).unwrap().items())
        .map(Result::unwrap)
        .collect();
    assert_eq!(rest, (12..40).collect::<Vec<_>>());
}
