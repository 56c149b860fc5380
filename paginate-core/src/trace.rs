//! `tracing` spans for the drivers: one span per listing (`paginate_listing`)
//! and, inside it, one per request (`paginate_request`) with its page number,
//! retry count, latency, items received and whether a next token came back.
//! Nothing is printed unless the application installs a subscriber; with the
//! `tracing` feature off this is empty.

#[cfg(feature = "tracing")]
mod enabled {
    use std::time::Instant;

    use tracing::field::Empty;

    use crate::model::{PaginatedRequest, PaginatedResponse};

    /// A listing's span and counters.
    #[derive(Debug)]
    pub(crate) struct Tracer {
        listing: tracing::Span,
        page: u64,
        retry: u32,
    }

    /// One request in progress.
    #[derive(Debug)]
    pub(crate) struct RequestTrace {
        span: tracing::Span,
        started: Option<Instant>,
    }

    impl Tracer {
        pub(crate) fn new<Req: PaginatedRequest>() -> Self {
            let listing = tracing::debug_span!("paginate_listing", request = std::any::type_name::<Req>());
            Tracer {
                listing,
                page: 0,
                retry: 0,
            }
        }

        pub(crate) fn start(&self) -> RequestTrace {
            let span = tracing::debug_span!(
                parent: &self.listing,
                "paginate_request",
                page = self.page + 1,
                retry = self.retry,
                latency_ms = Empty,
                items = Empty,
                next_token = Empty,
                failed = Empty,
            );
            let started = (!span.is_disabled()).then(Instant::now);
            RequestTrace { span, started }
        }

        /// Records a page received (`finished`: no request follows it).
        pub(crate) fn page<R: PaginatedResponse>(&mut self, trace: RequestTrace, page: &R, finished: bool) {
            trace.finish();
            trace.span.record("items", page.result_len());
            trace.span.record("next_token", !finished);
            self.page += 1;
            self.retry = 0;
        }

        /// Records a failed call (the next one is a retry).
        pub(crate) fn failed(&mut self, trace: RequestTrace) {
            trace.finish();
            trace.span.record("failed", true);
            self.retry += 1;
        }
    }

    impl RequestTrace {
        fn finish(&self) {
            if let Some(started) = self.started {
                self.span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
            }
        }

        /// Runs `f` inside the request's span (for a blocking call).
        pub(crate) fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
            self.span.in_scope(f)
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod enabled {
    use crate::model::{PaginatedRequest, PaginatedResponse};

    #[derive(Debug)]
    pub(crate) struct Tracer;

    #[derive(Debug)]
    pub(crate) struct RequestTrace;

    impl Tracer {
        pub(crate) fn new<Req: PaginatedRequest>() -> Self {
            Tracer
        }
        pub(crate) fn start(&self) -> RequestTrace {
            RequestTrace
        }
        pub(crate) fn page<R: PaginatedResponse>(&mut self, _: RequestTrace, _: &R, _: bool) {}
        pub(crate) fn failed(&mut self, _: RequestTrace) {}
    }

    impl RequestTrace {
        pub(crate) fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
            f()
        }
    }
}

pub(crate) use enabled::{RequestTrace, Tracer};
