//! The `tracing` spans: one `paginate_listing` per listing, one
//! `paginate_request` per call inside it, with page, retry, latency, items,
//! next token and failure recorded. A small recording subscriber stands in
//! for the application's.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::support::{request, Service};
use paginate::{Listing, PaginationConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Debug, Default, Clone)]
struct SpanData {
    name: &'static str,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

#[derive(Default, Clone)]
struct Recorder {
    spans: Arc<Mutex<Vec<SpanData>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().expect("lock");
        let mut data = SpanData {
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
    let recorder = Recorder::default();
    let svc = Service::new(7).fail_calls([1]);
    tracing::subscriber::with_default(recorder.clone(), || {
        let mut items = Listing::new(svc.blocking(), request(), PaginationConfig::default().with_page_size(3)).items();
        let mut got = 0;
        while let Some(item) = items.next() {
            match item {
                Ok(_) => got += 1,
                Err(_) => assert!(items.retry()),
            }
        }
        assert_eq!(got, 7);
    });
    let spans = recorder.spans.lock().expect("lock").clone();
    let listing: Vec<_> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == "paginate_listing")
        .collect();
    assert_eq!(listing.len(), 1, "{spans:#?}");
    let listing_id = listing[0].0 as u64 + 1;
    let requests: Vec<&SpanData> = spans.iter().filter(|s| s.name == "paginate_request").collect();
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
    let recorder = Recorder::default();
    let server = Server::new(25);
    tracing::subscriber::with_default(recorder.clone(), || {
        let client = |r: SearchIssues| std::future::ready(server.jira(&r));
        let listing = Listing::new(
            client,
            SearchIssues::default(),
            PaginationConfig::default().with_page_size(10),
        );
        let items = futures::executor::block_on(listing.page_stream().parallel(4).items().count());
        assert_eq!(items, 25);
    });
    let spans = recorder.spans.lock().expect("lock").clone();
    let requests: Vec<(String, String)> = spans
        .iter()
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
