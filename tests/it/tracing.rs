//! The `tracing` spans: one `paginate_listing` per listing, one
//! `paginate_request` per call inside it, with page, retry, latency, items,
//! next token and failure recorded. A small recording subscriber stands in
//! for the application's.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;

use crate::support::{request, Service};
use paginate::{Listing, PaginationConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

#[derive(Debug, Default, Clone)]
struct SpanData {
    thread: Option<ThreadId>,
    name: &'static str,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

#[derive(Default, Clone)]
struct Recorder {
    spans: Arc<Mutex<Vec<SpanData>>>,
}

thread_local! {
    /// Whether the test on this thread records spans.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
}

/// The one subscriber of this test binary, global, recording the spans of
/// the threads that ask for it ([`record_on_this_thread`]). A scoped
/// subscriber (`with_default`) would not do in a binary that runs tests on
/// many threads: tracing decides whether a span site is enabled when a
/// thread first reaches it, asking that thread's subscriber, so another
/// test's thread reaching it first would disable it for good.
fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder = Recorder::default();
        tracing::subscriber::set_global_default(recorder.clone()).expect("no other global subscriber in this binary");
        recorder
    })
}

/// Records the spans opened on this thread until the guard is dropped.
fn record_on_this_thread() -> impl Drop {
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            RECORDING.with(|r| r.set(false));
        }
    }
    recorder();
    RECORDING.with(|r| r.set(true));
    Stop
}

/// The spans this thread opened, with their ids.
fn spans_of_this_thread() -> Vec<(u64, SpanData)> {
    let me = std::thread::current().id();
    let spans = recorder().spans.lock().expect("lock");
    (1..)
        .zip(spans.iter())
        .filter(|(_, s)| s.thread == Some(me))
        .map(|(id, s)| (id, s.clone()))
        .collect()
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        RECORDING.with(Cell::get)
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().expect("lock");
        let mut data = SpanData {
            thread: Some(std::thread::current().id()),
            name: attrs.metadata().name(),
            parent: attrs.parent().map(Id::into_u64),
            ..SpanData::default()
        };
        attrs.record(&mut Fields(&mut data.fields));
        spans.push(data);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().expect("lock");
        if let Some(data) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut data.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn a_span_per_listing_and_per_request() {
    let svc = Service::new(7).fail_calls([1]);
    {
        let _recording = record_on_this_thread();
        let mut items = Listing::new(svc.blocking(), request(), PaginationConfig::default().with_page_size(3)).items();
        let mut got = 0;
        while let Some(item) = items.next() {
            match item {
                Ok(_) => got += 1,
                Err(_) => assert!(items.retry()),
            }
        }
        assert_eq!(got, 7);
    }
    let spans = spans_of_this_thread();
    let listing: Vec<_> = spans.iter().filter(|(_, s)| s.name == "paginate_listing").collect();
    assert_eq!(listing.len(), 1, "{spans:#?}");
    let listing_id = listing[0].0;
    let requests: Vec<&SpanData> = spans
        .iter()
        .map(|(_, s)| s)
        .filter(|s| s.name == "paginate_request")
        .collect();
    // Pages of 3, 3, 1, and one failed call retried: four requests.
    assert_eq!(requests.len(), 4, "{requests:#?}");
    assert!(requests.iter().all(|r| r.parent == Some(listing_id)));
    let field = |r: &SpanData, k: &str| r.fields.get(k).cloned().unwrap_or_default();
    assert_eq!(field(requests[0], "items"), "3");
    assert_eq!(field(requests[0], "next_token"), "true");
    assert_eq!(field(requests[1], "failed"), "true");
    assert_eq!(
        (field(requests[2], "page"), field(requests[2], "retry")),
        ("2".into(), "1".into())
    );
    assert_eq!(field(requests[3], "items"), "1");
    assert_eq!(field(requests[3], "next_token"), "false");
    assert!(requests.iter().all(|r| r.fields.contains_key("latency_ms")));
}

#[cfg(feature = "parallel")]
#[test]
fn requests_sent_ahead_are_spans_numbered_by_their_page() {
    use crate::offset::{SearchIssues, Server};
    use futures::StreamExt;
    let server = Server::new(25);
    {
        let _recording = record_on_this_thread();
        let client = |r: SearchIssues| std::future::ready(server.jira(&r));
        let listing = Listing::new(
            client,
            SearchIssues::default(),
            PaginationConfig::default().with_page_size(10),
        );
        let items = futures::executor::block_on(listing.page_stream().parallel(4).items().count());
        assert_eq!(items, 25);
    }
    let requests: Vec<(String, String)> = spans_of_this_thread()
        .iter()
        .map(|(_, s)| s)
        .filter(|s| s.name == "paginate_request")
        .map(|s| {
            (
                s.fields["page"].clone(),
                s.fields.get("items").cloned().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [("1", "10"), ("2", "10"), ("3", "5")].map(|(p, n)| (p.to_owned(), n.to_owned()));
    assert_eq!(requests, expected);
}
