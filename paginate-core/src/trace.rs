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

    /// One request in progress, traced: its span is enabled. Boxed, so that
    /// the `Option<RequestTrace>` a stream keeps is one word, which an
    /// untraced page writes and reads (the span and instant inline were 56
    /// bytes, copied on every page).
    #[derive(Debug)]
    pub(crate) struct RequestTrace(Box<Traced>);

    #[derive(Debug)]
    struct Traced {
        span: tracing::Span,
        started: Instant,
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

        /// The next request's trace; `None` (one load of the global level,
        /// nothing built) while no subscriber wants debug spans, so that an
        /// untraced listing pays next to nothing per page.
        #[inline]
        pub(crate) fn start(&self) -> Option<RequestTrace> {
            self.start_ahead(0)
        }

        /// The trace of the request `ahead` pages after the next one (sent
        /// ahead of its turn by a parallel stream).
        #[inline]
        pub(crate) fn start_ahead(&self, ahead: usize) -> Option<RequestTrace> {
            if tracing::level_enabled!(tracing::Level::DEBUG) {
                self.start_span(ahead as u64)
            } else {
                None
            }
        }

        #[inline(never)]
        fn start_span(&self, ahead: u64) -> Option<RequestTrace> {
            let span = tracing::debug_span!(
                parent: &self.listing,
                "paginate_request",
                page = self.page + 1 + ahead,
                retry = self.retry,
                latency_ms = Empty,
                items = Empty,
                next_token = Empty,
                failed = Empty,
            );
            (!span.is_disabled()).then(|| {
                RequestTrace(Box::new(Traced {
                    span,
                    started: Instant::now(),
                }))
            })
        }

        /// Records a page received (`finished`: no request follows it, asked
        /// only of a traced request).
        #[inline]
        pub(crate) fn page<R: PaginatedResponse>(
            &mut self,
            trace: Option<RequestTrace>,
            page: &R,
            finished: impl FnOnce() -> bool,
        ) {
            if let Some(trace) = trace {
                trace.received(page.result_len(), !finished());
            }
            self.page += 1;
            self.retry = 0;
        }

        /// Records a failed call (the next one is a retry).
        #[inline]
        pub(crate) fn failed(&mut self, trace: Option<RequestTrace>) {
            if let Some(trace) = trace {
                trace.failed();
            }
            self.retry += 1;
        }
    }

    impl RequestTrace {
        #[inline(never)]
        fn received(self, items: usize, next_token: bool) {
            self.finish();
            self.0.span.record("items", items);
            self.0.span.record("next_token", next_token);
        }

        #[inline(never)]
        fn failed(self) {
            self.finish();
            self.0.span.record("failed", true);
        }

        fn finish(&self) {
            let Traced { span, started } = &*self.0;
            span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
        }
    }

    /// Runs `f` inside the request's span, if it is traced (for a blocking
    /// call, or the creation of a future).
    #[inline]
    pub(crate) fn in_scope<T>(trace: &Option<RequestTrace>, f: impl FnOnce() -> T) -> T {
        match trace {
            Some(trace) => trace.0.span.in_scope(f),
            None => f(),
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod enabled {
    use crate::model::{PaginatedRequest, PaginatedResponse};

    #[derive(Debug)]
    pub(crate) struct Tracer;

    #[derive(Debug)]
    pub(crate) enum RequestTrace {}

    impl Tracer {
        // The same signature as with the feature on, where `Req` names the span.
        #[allow(clippy::extra_unused_type_parameters)]
        pub(crate) fn new<Req: PaginatedRequest>() -> Self {
            Tracer
        }
        pub(crate) fn start(&self) -> Option<RequestTrace> {
            None
        }
        #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
        pub(crate) fn start_ahead(&self, _: usize) -> Option<RequestTrace> {
            None
        }
        pub(crate) fn page<R: PaginatedResponse>(&mut self, _: Option<RequestTrace>, _: &R, _: impl FnOnce() -> bool) {}
        pub(crate) fn failed(&mut self, _: Option<RequestTrace>) {}
    }

    pub(crate) fn in_scope<T>(_: &Option<RequestTrace>, f: impl FnOnce() -> T) -> T {
        f()
    }
}

pub(crate) use enabled::{in_scope, RequestTrace, Tracer};
