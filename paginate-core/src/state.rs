//! The listing state machine, free of I/O: it says which request to send,
//! takes the page that came back, and hands it on as botocore would yield it.
//! The blocking iterators and the async streams are thin drivers around it.

use std::sync::Arc;

use crate::config::PaginationConfig;
use crate::error::TokenError;
use crate::error::{ConfigError, ListingError};
use crate::expiry::{Action, Expired, ExpiryPolicy, Filtered, Recovery};
use crate::model::{PaginatedRequest, PaginatedResponse, ResponseTokens, TokensPaired};
use crate::position::{PagePosition, ResumePoint, Tokens};
use crate::repeat::{Repeat, RepeatGuard};
use crate::shape::Shape;
use crate::token;
use crate::token_set::TokenSet;
use crate::value::TokenValue;

/// One listing's state, for drivers that do their own I/O (a sans-IO core,
/// as in `h2` or `quinn-proto`): ask it for the request to send with
/// [`next_request`](Self::next_request), send it however you like, and give
/// the page back to [`receive`](Self::receive). It keeps the tokens, `MaxItems`,
/// repeat detection and the resume position; the blocking iterators and async
/// streams of this crate are drivers around it.
///
/// ```
/// use paginate::{ListingState, Paginated, PaginationConfig};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[paginated(response = Resp)]
/// struct Req {
///     #[paginated(input_token)]
///     next_token: Option<String>,
/// }
/// #[derive(Paginated)]
/// struct Resp {
///     #[paginated(result_key)]
///     items: Vec<u32>,
///     #[paginated(output_token = next_token)]
///     next_token: Option<String>,
/// }
///
/// let mut state = ListingState::new(Req::default(), PaginationConfig::default().with_max_items(3));
/// let mut seen = Vec::new();
/// while let Some(request) = state.next_request() {
///     let request = request?;
///     // Your I/O here; this service has pages [1, 2] and [3, 4].
///     let response = match request.next_token.as_deref() {
///         None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
///         Some(_) => Resp { items: vec![3, 4], next_token: None },
///     };
///     seen.extend(state.receive(response)?.items);
/// }
/// assert_eq!(seen, [1, 2, 3]); // MaxItems cut the second page
/// assert!(state.resume_token().is_some()); // where a new listing would go on: at 4
/// # Ok::<(), paginate::ListingError>(())
/// ```
#[derive(Debug)]
pub struct ListingState<Req: PaginatedRequest> {
    request: Req,
    names: Arc<[&'static str]>,
    /// The tokens the request holds.
    request_tokens: TokenSet,
    /// For each input token, what feeds it.
    feeds: Vec<Option<Feed>>,
    max_items: Option<u64>,
    /// The items to skip from the start of the next page: a starting token's
    /// truncate amount (`Some(0)` too: botocore clears the first page's
    /// secondary results), and what of a cursor's skip the pages received
    /// so far were too short to hold.
    starting_truncation: Option<usize>,
    /// Items handed out, and how many of them before the last page.
    total_items: u64,
    page_start: u64,
    /// Items of the listing before where it started: 0 from its request,
    /// the starting position with a starting token (unknown without one).
    items_before: Option<u64>,
    /// The request and tokens the listing begins with, before a starting
    /// token with a known position replaced them: where a restart by count
    /// goes back to.
    beginning: Option<(Req, TokenSet)>,
    position: Option<PagePosition>,
    repeats: RepeatGuard,
    /// Cursors read from the page, or an offset or page number computed.
    shape: Shape,
    /// For an offset or page number: the index of the item after the last,
    /// when the last page said (`total`, `total_pages`).
    end_index: Option<u64>,
    /// What an expired token makes the listing do, when a policy says.
    recovery: Option<Recovery<Req>>,
    state: State,
}

/// What feeds an input token: an output token of the page, or a token the
/// request computes from the page (`output_token(with = ...)`).
#[derive(Debug, Clone, Copy)]
enum Feed {
    Output(usize),
    Computed(usize),
}

#[derive(Debug)]
enum State {
    Ready,
    /// Sending the request failed; it is sent again only after `retry`.
    Interrupted,
    Finished,
    Invalid(ConfigError),
    Pending(Pending),
    Failed,
}

#[derive(Debug)]
enum Pending {
    Repeated(String),
    Cycle(String),
    BadToken {
        input_token: &'static str,
        source: serde_json::Error,
        resume_token: Option<String>,
    },
}

impl<Req: PaginatedRequest> ListingState<Req> {
    /// A listing of `request` under `config`. A bad config is reported by the first
    /// [`next_request`](Self::next_request), before any request.
    pub fn new(request: Req, config: PaginationConfig) -> Self {
        #[allow(clippy::let_unit_value)] // evaluating the constant is the point
        let () = <Req as TokensPaired>::PAIRED;
        let outputs = <Req::Response as ResponseTokens>::OUTPUT_TOKENS;
        let feeds = Req::INPUT_TOKENS
            .iter()
            .map(|input| {
                let output = outputs.iter().position(|o| o.field == input.field).map(Feed::Output);
                output.or_else(|| {
                    Req::COMPUTED_TOKENS
                        .iter()
                        .position(|c| c.field == input.field)
                        .map(Feed::Computed)
                })
            })
            .collect();
        let names: Arc<[&'static str]> = Req::INPUT_TOKENS.iter().map(|t| t.wire).collect();
        // The tokens the request starts from: its own (an incremental sync
        // starting from a cursor), so that a listing cut on its first page
        // resumes from them, not from the beginning; null where it has none,
        // as botocore writes them. A starting token replaces them.
        let request_tokens = tokens_of(&request);
        let mut engine = ListingState {
            request,
            request_tokens,
            names,
            feeds,
            max_items: config.max_items,
            starting_truncation: None,
            total_items: 0,
            page_start: 0,
            items_before: Some(0),
            beginning: None,
            position: None,
            repeats: RepeatGuard::new(config.repeat_policy),
            shape: Shape::of::<Req>(),
            end_index: None,
            recovery: None,
            state: State::Ready,
        };
        if let Err(e) = engine.configure(config) {
            engine.state = State::Invalid(e);
        }
        engine
    }

    fn configure(&mut self, config: PaginationConfig) -> Result<(), ConfigError> {
        if let Some(page_size) = config.page_size {
            let limit = Req::LIMIT_KEY.ok_or(ConfigError::PageSizeNotSupported)?;
            let out_of_range = |range: String| ConfigError::PageSizeOutOfRange {
                page_size,
                limit_key: limit.name,
                range,
            };
            if !limit.admits(page_size) {
                return Err(out_of_range(limit.range()));
            }
            self.request
                .set_page_size(page_size)
                .ok_or_else(|| out_of_range("the limit key's type".into()))?;
        }
        if let Some(starting) = config.starting_token.as_deref() {
            self.items_before = config.starting_position;
            if config.starting_position.is_some() {
                self.beginning = Some((self.request.clone(), self.request_tokens.clone()));
            }
            let decoded = token::decode(starting, &self.shape.token_names(&self.names))?;
            let start = self.shape.start(decoded, config.page_size, &self.names)?;
            if let Some(recorded) = start.page_size {
                // The page size the token records is sent as it is: held to
                // the declared range as a `PageSize` would be.
                let out_of_range = |range: String| ConfigError::PageSizeOutOfRange {
                    page_size: recorded,
                    limit_key: Req::LIMIT_KEY.map_or("", |k| k.name),
                    range,
                };
                if let Some(limit) = Req::LIMIT_KEY.filter(|limit| !limit.admits(recorded)) {
                    return Err(out_of_range(limit.range()));
                }
                self.request
                    .set_page_size(recorded)
                    .ok_or_else(|| out_of_range("the limit key's type".into()))?;
            }
            for (index, value) in start.tokens.entries() {
                inject(&mut self.request, index, value).map_err(|source| TokenError::InvalidValue {
                    key: self.names[index].to_owned(),
                    source,
                })?;
            }
            self.request_tokens = start.tokens;
            self.starting_truncation = Some(start.skip);
        }
        if self.shape.is_computed() {
            self.shape = self.shape.with_page_size(self.request.page_size());
            self.shape.check(&self.request_tokens, &self.names)?;
            self.start_at_first_page()?;
        }
        Ok(())
    }

    /// A page number below the first page (a plain integer field left at 0
    /// when pages count from 1) is sent as the first page, from the request
    /// and from the beginning a restart by count goes back to.
    fn start_at_first_page(&mut self) -> Result<(), TokenError> {
        let Some((index, first)) = self.shape.first_page() else {
            return Ok(());
        };
        let beginning = self.beginning.as_mut().map(|(request, _)| request);
        for request in std::iter::once(&mut self.request).chain(beginning) {
            let below = match request.input_token(index) {
                Ok(TokenValue::Number(n)) => n.as_u64().is_none_or(|n| n < first),
                _ => false,
            };
            if below {
                let first = TokenValue::Number(first.into());
                inject(request, index, &first).map_err(|source| TokenError::InvalidValue {
                    key: self.names[index].to_owned(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// The request to send now; `None` when the listing is over; an error for
    /// a bad config (before any request) or a token problem found in the page
    /// last received (after which the listing is over).
    ///
    /// A request stays the one to send until its page is given to
    /// [`receive`](Self::receive): if sending it failed, calling this again
    /// returns the same request. A driver that hands the failure on to code
    /// that may simply ask again calls [`interrupt`](Self::interrupt) first,
    /// so that asking again ends the listing instead of flooding a failing
    /// service; [`retry`](Self::retry) then sends the request again.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// let first = state.next_request().expect("a request")?;
    /// // Sending failed (a timeout, say): the same request is the one to send.
    /// let again = state.next_request().expect("a request")?;
    /// assert_eq!(first.next_token, again.next_token);
    /// state.receive(Resp { items: vec![1], next_token: None })?;
    /// assert!(state.next_request().is_none() && state.is_finished());
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn next_request(&mut self) -> Option<Result<Req, ListingError>> {
        self.next_request_ref().map(|request| request.cloned())
    }

    /// [`next_request`](Self::next_request) without the copy: the request to
    /// send, borrowed. Same answers, same retry rule; what the drivers of this
    /// crate call, handing the borrow to
    /// [`Client::send_ref`](crate::Client::send_ref).
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// let request = state.next_request_ref().expect("a request")?;
    /// assert_eq!(request.next_token, None);
    /// state.receive(Resp { items: vec![1], next_token: Some("p2".into()) })?;
    /// let request = state.next_request_ref().expect("a request")?;
    /// assert_eq!(request.next_token.as_deref(), Some("p2"));
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn next_request_ref(&mut self) -> Option<Result<&Req, ListingError>> {
        match self.state {
            State::Ready => return Some(Ok(&self.request)),
            State::Interrupted | State::Finished | State::Failed => return None,
            State::Invalid(_) | State::Pending(_) => {}
        }
        match std::mem::replace(&mut self.state, State::Failed) {
            State::Ready | State::Interrupted | State::Finished | State::Failed => None,
            State::Invalid(e) => Some(Err(ListingError::Config(e))),
            State::Pending(Pending::Repeated(tokens)) => Some(Err(ListingError::RepeatedToken { tokens })),
            State::Pending(Pending::Cycle(tokens)) => Some(Err(ListingError::TokenCycle { tokens })),
            State::Pending(Pending::BadToken {
                input_token,
                source,
                resume_token,
            }) => Some(Err(ListingError::BadOutputToken {
                input_token,
                source,
                resume_token,
            })),
        }
    }

    /// Records that sending the current request failed: until
    /// [`retry`](Self::retry), [`next_request`](Self::next_request) gives
    /// `None`, and the listing is neither finished nor lost (its resume token
    /// still resumes at the failed request). The iterators and streams of this
    /// crate call it on every service error, so that the idioms that skip
    /// errors (`filter_map(Result::ok)`) end instead of calling a failing
    /// service for ever.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// let _request = state.next_request().expect("a request")?;
    /// state.interrupt(); // the call failed
    /// assert!(state.next_request().is_none() && state.is_interrupted() && !state.is_finished());
    /// assert!(state.retry());
    /// let again = state.next_request().expect("the same request")?;
    /// assert_eq!(again.next_token, None);
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn interrupt(&mut self) {
        if matches!(self.state, State::Ready) {
            self.state = State::Interrupted;
        }
    }

    /// After [`interrupt`](Self::interrupt), makes the failed request the one
    /// to send again. False (and nothing changes) when the listing was not
    /// interrupted.
    pub fn retry(&mut self) -> bool {
        let interrupted = self.is_interrupted();
        if interrupted {
            self.state = State::Ready;
        }
        interrupted
    }

    /// True between [`interrupt`](Self::interrupt) and [`retry`](Self::retry).
    pub fn is_interrupted(&self) -> bool {
        matches!(self.state, State::Interrupted)
    }

    /// Takes the page the last request returned and hands it back as botocore
    /// yields it: the items a starting token had consumed dropped, cut at
    /// `MaxItems`. The next request (if any) is then ready. A cursor token's
    /// skip that its first page is too short to hold (a smaller `PageSize`, a
    /// page that shrank) goes on into the pages after it, where botocore
    /// would forget it and yield those items again.
    ///
    /// The one refusal: a primary result key that is a map
    /// ([`ResultKey::WHOLE`](crate::ResultKey::WHOLE)) cannot be cut, so a
    /// page that `MaxItems` or a starting token's offset would cut into is
    /// not handed back; the listing ends with [`ListingError::Uncuttable`]
    /// (botocore raises `TypeError` there).
    pub fn receive(&mut self, mut page: Req::Response) -> Result<Req::Response, ListingError> {
        self.receive_in_place(&mut page)?;
        Ok(page)
    }

    /// [`receive`](Self::receive) on a page left where it is, so that a page
    /// is not moved on its way through a driver: the same cuts, made in
    /// place, and on an error the page is left as it came.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default().with_max_items(1));
    /// let _request = state.next_request_ref().expect("a request")?;
    /// let mut page = Resp { items: vec![7, 8], next_token: Some("p2".into()) };
    /// state.receive_in_place(&mut page)?;
    /// assert_eq!(page.items, [7]);
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn receive_in_place(&mut self, page: &mut Req::Response) -> Result<(), ListingError> {
        let whole = <Req::Response as PaginatedResponse>::RESULTS_WHOLE;
        // The next tokens come from the page as the service sent it: one
        // taken from its first item (`data[0].id`), computed from its length
        // (`output_token(with = ...)`) or an offset must not see a starting
        // token's skip.
        let raw_len = page.result_len();
        let next = self.next_tokens(page, raw_len);
        let offset = match self.starting_truncation {
            // Refused before the skip is taken: the resume token is the starting token.
            Some(skip) if whole && skip > 0 => {
                return Err(self.refuse_cut(raw_len, skip));
            }
            Some(skip) => {
                page.skip_results(skip);
                skip.min(raw_len)
            }
            None => 0,
        };
        let resumed = self.starting_truncation.is_some();
        // A cursor's skip counts items from where its cursor starts, whatever
        // the page size: what a shorter page did not hold is skipped from the
        // pages after it, so that a token resumed under a smaller `PageSize`
        // (or from a page that shrank) repeats nothing. An offset has folded
        // its skip in; a page number's next page starts past its skip.
        self.starting_truncation = match self.starting_truncation {
            Some(skip) if skip > offset && !self.shape.is_computed() => Some(skip - offset),
            _ => None,
        };
        let (offset, kept) = match self.recovery.as_mut().map(|r| r.filter(page, offset)) {
            Some(Filtered::Uncuttable(at)) => return Err(self.refuse_cut(page.result_len(), at)),
            Some(Filtered::Prefix(n)) => (offset + n, None),
            Some(Filtered::Kept(kept)) => (offset, Some(Arc::from(kept))),
            Some(Filtered::None) | None => (offset, None),
        };
        let len = page.result_len();
        self.page_start = self.total_items;
        let over = self
            .max_items
            .map_or(0, |max| (self.total_items + len as u64).saturating_sub(max));
        let kept_at = kept;
        let kept = len.saturating_sub(usize::try_from(over).unwrap_or(usize::MAX));
        if over > 0 && whole {
            // Refused before the page is changed: it is left as it came.
            return Err(self.refuse_cut(len, kept));
        }
        if resumed {
            page.clear_secondary_results();
        }
        if over > 0 {
            page.truncate_results(kept);
            self.total_items += kept as u64;
            self.record(page);
            let position = PagePosition {
                tokens: Tokens::Request,
                offset,
                len: kept,
                cut: true,
                next: None,
                kept: kept_at,
            };
            self.finish(position, State::Finished);
            return Ok(());
        }
        self.total_items += len as u64;
        self.record(page);
        self.end_index = self.shape.end_index(page);
        let mut position = PagePosition {
            tokens: Tokens::Request,
            offset,
            len,
            cut: false,
            next: None,
            kept: kept_at,
        };
        let next = match next {
            Ok(next) => next,
            Err((input_token, source)) => {
                self.finish(
                    position,
                    State::Pending(Pending::BadToken {
                        input_token,
                        source,
                        resume_token: None,
                    }),
                );
                return Ok(());
            }
        };
        if next.is_end() {
            // A restart whose listing ended before it caught up has nothing left either.
            if let Some(recovery) = &mut self.recovery {
                recovery.frozen = None;
            }
            self.finish(position, State::Finished);
            return Ok(());
        }
        if self.max_items == Some(self.total_items) {
            position.next = Some(Tokens::Held(next));
            self.finish(position, State::Finished);
            return Ok(());
        }
        if let Some(repeat) = self.repeats.check(&next) {
            let tokens = next.python_repr(&self.names);
            let pending = match repeat {
                Repeat::Immediate => Pending::Repeated(tokens),
                Repeat::Cycle => Pending::Cycle(tokens),
            };
            position.next = Some(Tokens::Held(next));
            self.finish(position, State::Pending(pending));
            return Ok(());
        }
        let request = &mut self.request;
        let injected = next
            .entries()
            .try_for_each(|(index, value)| inject(request, index, value).map_err(|source| (index, source)));
        if let Err((index, source)) = injected {
            let input_token = self.names[index];
            position.next = Some(Tokens::Held(next));
            self.position = Some(position);
            let resume_token = self.resume_token();
            self.state = State::Pending(Pending::BadToken {
                input_token,
                source,
                resume_token,
            });
            return Ok(());
        }
        // The tokens just sent become the page's; the ones received, the request's.
        position.tokens = Tokens::Held(std::mem::replace(&mut self.request_tokens, next));
        position.next = Some(Tokens::Request);
        self.position = Some(position);
        Ok(())
    }

    /// Lets the expiry policy note the items a page hands out.
    fn record(&mut self, page: &mut Req::Response) {
        if let Some(recovery) = &mut self.recovery {
            recovery.record(page);
        }
    }

    /// Ends the listing before a page whose map result key would have to be
    /// cut after `at` of its `entries`: resuming from the token it carries
    /// (this page's start) lists the page again.
    fn refuse_cut(&mut self, entries: usize, at: usize) -> ListingError {
        let resume_token = self.resume_token();
        self.state = State::Finished;
        ListingError::Uncuttable {
            entries,
            at,
            resume_token,
        }
    }

    fn finish(&mut self, position: PagePosition, state: State) {
        self.position = Some(position);
        self.state = state;
    }

    /// botocore's `_get_next_token`: falsy output tokens mean absent, and a
    /// false `more_results` ends the listing, as does a true `last_page`. An
    /// offset or page number is computed from the request's and the
    /// `raw_len` items the page came with; a computed token is given the
    /// request that returned the page (the next tokens are not in it yet).
    fn next_tokens(&self, page: &Req::Response, raw_len: usize) -> Result<TokenSet, (&'static str, serde_json::Error)> {
        if page.more_results() == Some(false) || page.last_page() {
            return Ok(TokenSet::empty(self.names.len()));
        }
        if self.shape.is_computed() {
            return Ok(self.shape.next(&self.request_tokens, page, raw_len));
        }
        let values = self.feeds.iter().enumerate().map(|(input, feed)| {
            let value = match feed {
                Some(Feed::Output(output)) => page.output_token(*output),
                Some(Feed::Computed(computed)) => self.request.computed_token(*computed, page),
                None => Ok(TokenValue::Null),
            }
            .map_err(|e| (self.names[input], e))?;
            Ok(if value.truthy() { value } else { TokenValue::Null })
        });
        values.collect()
    }

    /// The request `n` pages after the one [`next_request`](Self::next_request)
    /// gives, for drivers that send several at once: known without the pages
    /// between only for an offset or page number whose page size is known,
    /// once a page said where the listing ends (`total`, `total_pages`), and
    /// assuming full pages. `None` otherwise, past the end, or past what
    /// `MaxItems` still needs. A page that comes back for it is handed to
    /// [`receive`](Self::receive) only once [`is_next`](Self::is_next) says
    /// it is the listing's next request (if the service served a shorter page
    /// on the way, it is not: the prediction is dropped).
    ///
    /// ```
    /// use paginate::{ListingState, Paginated, PaginationConfig};
    ///
    /// #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// #[paginated(response = Page)]
    /// struct Req {
    ///     #[paginated(offset)]
    ///     offset: u64,
    ///     #[paginated(limit_key)]
    ///     limit: Option<u32>,
    /// }
    /// #[derive(Paginated)]
    /// struct Page {
    ///     #[paginated(result_key)]
    ///     items: Vec<u64>,
    ///     #[paginated(total)]
    ///     total: u64,
    /// }
    ///
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default().with_page_size(10));
    /// assert!(state.request_ahead(1).is_none()); // the total is not known yet
    /// let _first = state.next_request().expect("a request")?;
    /// state.receive(Page { items: (0..10).collect(), total: 35 })?;
    /// let offsets: Vec<u64> = (0..4).filter_map(|n| state.request_ahead(n)).map(|r| r.offset).collect();
    /// assert_eq!(offsets, [10, 20, 30]); // nothing starts at or past 35
    /// let ahead = state.request_ahead(1).expect("known");
    /// assert!(!state.is_next(&ahead)); // offset 10 is next, not 20
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn request_ahead(&self, n: usize) -> Option<Req> {
        if !matches!(self.state, State::Ready) {
            return None;
        }
        let remaining = self.max_items.map(|max| max.saturating_sub(self.total_items));
        let tokens = self
            .shape
            .ahead(&self.request_tokens, n as u64, self.end_index, remaining)?;
        let mut request = self.request.clone();
        for (index, value) in tokens.entries() {
            inject(&mut request, index, value).ok()?;
        }
        Some(request)
    }

    /// True when `request` is the one to send now (what
    /// [`next_request`](Self::next_request) gives): its input tokens are the
    /// listing's. What a driver checks before handing the page of a request
    /// from [`request_ahead`](Self::request_ahead) to [`receive`](Self::receive).
    pub fn is_next(&self, request: &Req) -> bool {
        if !matches!(self.state, State::Ready) {
            return false;
        }
        let tokens = tokens_of(request);
        let own: TokenSet = (0..self.names.len())
            .map(|index| match self.request_tokens.get(index) {
                Some(value) if value.truthy() => value.clone(),
                _ => TokenValue::Null,
            })
            .collect();
        self.shape.same(&tokens, &own)
    }

    /// The resume token once the last page yielded is fully consumed: a new
    /// listing started from it yields exactly what this one has not yet yielded.
    /// `None` when nothing is left, or after a token error.
    pub fn resume_token(&self) -> Option<String> {
        self.resume_point().resume_token()
    }

    /// The resume token after `consumed` items of the last page were handed out.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[serde(rename_all = "PascalCase")]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// use base64::Engine as _;
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// let _request = state.next_request().expect("a request")?;
    /// state.receive(Resp { items: vec![1, 2, 3], next_token: Some("p2".into()) })?;
    /// let decode = |t: String| String::from_utf8(base64::engine::general_purpose::STANDARD.decode(t).unwrap()).unwrap();
    /// assert_eq!(decode(state.resume_token_at(1).unwrap()), r#"{"NextToken": null, "boto_truncate_amount": 1}"#);
    /// assert_eq!(decode(state.resume_token_at(3).unwrap()), r#"{"NextToken": "p2"}"#);
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn resume_token_at(&self, consumed: usize) -> Option<String> {
        self.resume_point().resume_token_at(consumed)
    }

    /// How many items of the listing come before the place
    /// [`resume_token`](Self::resume_token) resumes at: the items handed out,
    /// plus those before the starting token when its
    /// [`starting_position`](PaginationConfig::starting_position) was given
    /// (`None` when it was not, and after a restart by key). What a
    /// checkpoint records with the token.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// assert_eq!(state.position(), Some(0));
    /// let _ = state.next_request();
    /// state.receive(Resp { items: vec![1, 2, 3], next_token: Some("p2".into()) })?;
    /// assert_eq!((state.position(), state.position_at(1)), (Some(3), Some(1)));
    ///
    /// let token = state.resume_token_at(1).expect("a token");
    /// let resumed = ListingState::<Req>::new(Req::default(), PaginationConfig::default().with_starting_token(token.clone()));
    /// assert_eq!(resumed.position(), None); // where the token stands is not known
    /// let resumed = ListingState::<Req>::new(Req::default(), PaginationConfig::default().with_starting_token(token).with_starting_position(1));
    /// assert_eq!(resumed.position(), Some(1));
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn position(&self) -> Option<u64> {
        self.items_before.map(|before| before.saturating_add(self.total_items))
    }

    /// How many items of the listing come before the place
    /// [`resume_token_at(consumed)`](Self::resume_token_at) resumes at.
    pub fn position_at(&self, consumed: usize) -> Option<u64> {
        self.items_before
            .map(|before| before.saturating_add(self.page_start + consumed as u64))
    }

    /// Where the listing stands, detached from it: what a driver that hands
    /// pages to another task (a prefetching stream) keeps with each page, to
    /// give the resume token at any item of it later.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default());
    /// let _ = state.next_request();
    /// state.receive(Resp { items: vec![1, 2], next_token: Some("p2".into()) })?;
    /// let point = state.resume_point();
    /// let _ = state.next_request();
    /// state.receive(Resp { items: vec![3], next_token: None })?;
    /// // The point still tells where the first page ended.
    /// assert!(point.resume_token().is_some() && state.resume_token().is_none());
    /// assert_ne!(point.resume_token_at(1), point.resume_token());
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn resume_point(&self) -> ResumePoint {
        if let Some(token) = self.recovery.as_ref().and_then(|r| r.frozen.clone()) {
            return ResumePoint::fixed(Arc::clone(&self.names), self.shape, token);
        }
        let valid = !matches!(
            self.state,
            State::Failed | State::Invalid(_) | State::Pending(Pending::Repeated(_) | Pending::Cycle(_))
        );
        ResumePoint::new(
            Arc::clone(&self.names),
            self.shape,
            (valid, matches!(self.state, State::Finished)),
            &self.request_tokens,
            self.starting_truncation,
            self.position.as_ref(),
        )
    }

    /// Follows `policy` when the service says the token expired: what
    /// [`Listing::on_expired_token`](crate::Listing::on_expired_token) sets.
    pub fn with_expiry_policy(mut self, policy: ExpiryPolicy<Req>) -> Self {
        // A restart by count from a starting token whose position is known
        // goes back to the listing's beginning, and skips that many more.
        let (start, before) = match (self.beginning.take(), self.items_before) {
            (Some((request, tokens)), Some(before)) if policy.restarts_by_count() => ((request, tokens, None), before),
            _ => {
                let start = (
                    self.request.clone(),
                    self.request_tokens.clone(),
                    self.starting_truncation,
                );
                (start, 0)
            }
        };
        self.recovery = Some(Recovery::new(policy, start, before));
        self
    }

    /// Tells the listing that sending the current request failed because
    /// its token has expired. True when the [`ExpiryPolicy`] (see
    /// [`with_expiry_policy`](Self::with_expiry_policy)) made a request the
    /// one to send now (from the beginning, with the fresh token, or
    /// reseeked); false when it gives up (no policy, [`ExpiryPolicy::fail`],
    /// its bound reached, no fresh token), and the driver reports the error
    /// as any other. The drivers of this crate call it when their client's
    /// [`expired`](crate::Client::expired) answers.
    ///
    /// ```
    /// # use paginate::{Expired, ExpiryPolicy, ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default())
    ///     .with_expiry_policy(ExpiryPolicy::fresh_token());
    /// let _ = state.next_request();
    /// state.receive(Resp { items: vec![1], next_token: Some("old".into()) })?;
    /// // Sending "old" failed: the service says it expired, and hands a fresh one.
    /// assert!(state.token_expired(Expired::with_fresh_token("fresh")));
    /// let request = state.next_request().expect("a request")?;
    /// assert_eq!(request.next_token.as_deref(), Some("fresh"));
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn token_expired(&mut self, expired: Expired) -> bool {
        if !matches!(self.state, State::Ready) {
            return false;
        }
        let resume_token = self.resume_token();
        let Some(recovery) = &mut self.recovery else {
            return false;
        };
        match recovery.expired(expired, &self.request, self.total_items, resume_token) {
            Action::Fail => false,
            Action::Restart => {
                // After a restart by key, the resume token's place in the new
                // listing is not the count of the items delivered.
                if !recovery.counts() {
                    self.items_before = None;
                }
                let (request, tokens, skip) = recovery.start.clone();
                self.request = request;
                self.request_tokens = tokens;
                self.starting_truncation = skip;
                self.position = None;
                self.end_index = None;
                self.repeats.reset();
                true
            }
            Action::Fresh(token) => {
                let value = TokenValue::String(token);
                if self.names.is_empty() || inject(&mut self.request, 0, &value).is_err() {
                    return false;
                }
                self.request_tokens = self.request_tokens.with(0, value);
                true
            }
            Action::Seek(request) => {
                self.request_tokens = tokens_of(&request);
                self.request = request;
                self.repeats.reset();
                true
            }
        }
    }

    /// True once no further request will be made.
    ///
    /// ```
    /// # use paginate::{ListingState, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut state = ListingState::new(Req::default(), PaginationConfig::default().with_max_items(1));
    /// assert!(!state.is_finished());
    /// let _ = state.next_request();
    /// let page = state.receive(Resp { items: vec![7, 8], next_token: Some("p2".into()) })?;
    /// assert_eq!(page.items, [7]); // MaxItems reached: nothing more is asked for
    /// assert!(state.is_finished());
    /// # Ok::<(), paginate::ListingError>(())
    /// ```
    pub fn is_finished(&self) -> bool {
        !matches!(
            self.state,
            State::Ready | State::Interrupted | State::Pending(_) | State::Invalid(_)
        )
    }
}

/// The input tokens `request` holds, falsy ones as null (as botocore
/// writes an absent token).
fn tokens_of<Req: PaginatedRequest>(request: &Req) -> TokenSet {
    (0..Req::INPUT_TOKENS.len())
        .map(|index| match request.input_token(index) {
            Ok(value) if value.truthy() => value,
            _ => TokenValue::Null,
        })
        .collect()
}

/// Puts a token value into the request. botocore sends neither `None` nor the
/// string `'None'`.
fn inject<Req: PaginatedRequest>(request: &mut Req, index: usize, value: &TokenValue) -> Result<(), serde_json::Error> {
    match value {
        TokenValue::String(s) if s == "None" => request.set_input_token(index, &TokenValue::Null),
        other => request.set_input_token(index, other),
    }
}
