//! Errors of a listing.

/// A `PaginationConfig` that cannot be used; found before any request is sent.
///
/// ```
/// # use paginate::{ConfigError, Error, ListingError, Paginated, Listing, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String>, #[paginated(limit_key, min = 1, max = 100)] max_results: Option<i32> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let mut calls = 0;
/// let client = |_: Req| { calls += 1; Ok::<_, String>(Resp { items: vec![], next_token: None }) };
/// let result = Listing::new(client, Req::default(), PaginationConfig::default().with_page_size(500)).full_result();
/// assert!(matches!(result, Err(Error::Listing(ListingError::Config(ConfigError::PageSizeOutOfRange { page_size: 500, .. })))));
/// assert_eq!(calls, 0);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The `StartingToken` is malformed or belongs to another operation.
    #[error("invalid StartingToken")]
    StartingToken(#[from] TokenError),
    /// `PageSize` was given but the operation has no limit key.
    #[error("PageSize parameter is not supported for the pagination interface for this operation.")]
    PageSizeNotSupported,
    /// `PageSize` (or the page size a page-number `StartingToken` records,
    /// which the resumed listing sends) is outside the limit key's declared
    /// range or type.
    #[error("PageSize {page_size} is out of range for {limit_key}: {range}")]
    PageSizeOutOfRange {
        /// The page size asked for.
        page_size: u64,
        /// The limit key's wire name.
        limit_key: &'static str,
        /// The accepted range, as text (`1..=100`).
        range: String,
    },
    /// The `StartingToken` of a page-number listing stands inside a page
    /// whose size it does not record (that listing sent no page size), so no
    /// page of another `PageSize` can be said to start at the same item.
    /// Resume it without `PageSize`.
    #[error(
        "the starting token does not record the page size its pages had, so it cannot be resumed with PageSize \
         {page_size} without skipping or repeating items; resume it without PageSize"
    )]
    PageSizeNotRecorded {
        /// The page size asked for.
        page_size: u64,
    },
}

/// Why a listing stopped or a page could not be had.
///
/// Every variant raised after the listing started carries `resume_token`
/// where one exists: the token from which a new listing yields exactly the
/// items not yet yielded.
///
/// ```
/// # use paginate::{Error, Paginated, Listing, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let mut calls = 0;
/// let flaky = |req: Req| {
///     calls += 1;
///     match (calls, req.next_token.as_deref()) {
///         (2, _) => Err("throttled"),
///         (_, None) => Ok(Resp { items: vec![1, 2], next_token: Some("p2".into()) }),
///         (_, Some(_)) => Ok(Resp { items: vec![3], next_token: None }),
///     }
/// };
/// let mut items = Listing::new(flaky, Req::default(), PaginationConfig::default()).items();
/// assert_eq!(items.next().transpose()?, Some(1));
/// assert_eq!(items.next().transpose()?, Some(2));
/// match items.next() {
///     Some(Err(Error::Service { source, resume_token })) => {
///         assert_eq!(source, "throttled");
///         assert!(resume_token.is_some()); // a new listing from here yields [3]
///     }
///     other => panic!("expected the service error, got {other:?}"),
/// }
/// assert!(items.next().is_none()); // the iterator ends after an error
/// assert!(items.retry()); // unless told to send the failed request again
/// assert_eq!(items.next().transpose()?, Some(3));
/// # Ok::<(), Error<&str>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service call failed. The iterator or stream that gave it ends;
    /// its `retry` sends the same request again, or a new listing started from
    /// `resume_token` goes on from here later.
    #[error("the service call failed")]
    Service {
        /// The client's error.
        #[source]
        source: E,
        /// Where to resume so that nothing is lost or repeated.
        resume_token: Option<String>,
    },
    /// The listing stopped for a reason of its own: a configuration refused
    /// before any request, or a page whose tokens or result key it cannot go
    /// on from. Retrying does not help.
    #[error(transparent)]
    Listing(#[from] ListingError),
}

impl<E> From<ConfigError> for Error<E> {
    fn from(e: ConfigError) -> Self {
        Error::Listing(ListingError::Config(e))
    }
}

/// Why a listing stopped other than by the service's own error: what
/// [`ListingState`](crate::ListingState) reports, and [`Error::Listing`] carries.
///
/// ```
/// use paginate::{Error, ListingError};
/// let stop = ListingError::TokenCycle { tokens: "{'NextToken': 'a'}".into() };
/// let error: Error<std::io::Error> = stop.into();
/// assert!(matches!(error, Error::Listing(ListingError::TokenCycle { .. })));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListingError {
    /// The configuration was refused before any request was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The service returned the token it had just returned (botocore's check).
    #[error("Error during pagination: The same next token was received twice: {tokens}")]
    RepeatedToken {
        /// The token, as botocore prints it (`{'NextToken': '...'}`).
        tokens: String,
    },
    /// The service returned a token it had returned earlier in this listing.
    #[error("Error during pagination: the service returned a token it returned earlier, so the listing would loop: {tokens}")]
    TokenCycle {
        /// The token, as botocore prints it.
        tokens: String,
    },
    /// An output token could not be put into the next request (its type does
    /// not fit the input token's field), or could not be read from the page
    /// (a `Link` header that does not parse). The page was yielded; the
    /// listing ends rather than take the page for the last one.
    #[error("the response's token for {input_token} does not fit the request")]
    BadOutputToken {
        /// The input token's wire name.
        input_token: &'static str,
        /// What serde said.
        #[source]
        source: serde_json::Error,
        /// Where to resume: the page that carried the token was already yielded.
        resume_token: Option<String>,
    },
    /// The primary result key is a map ([`ResultKey::WHOLE`](crate::ResultKey::WHOLE))
    /// and `MaxItems` (or the starting token's offset) falls inside a page of
    /// it: a map cannot be cut, so that page is not yielded and the listing
    /// ends. botocore raises `TypeError` at the same point.
    #[error("{}", uncuttable(*entries, *at))]
    Uncuttable {
        /// Entries of the page's map.
        entries: usize,
        /// Where `MaxItems` or the starting token would cut it.
        at: usize,
        /// Where to resume: the start of the page that was not yielded
        /// (`None`: from the beginning).
        resume_token: Option<String>,
    },
    /// A `search` expression failed on a page (a function given a value of
    /// the wrong type, as `length(Items)` on a page without `Items`; an
    /// unknown function; a wrong number of arguments). botocore raises the
    /// JMESPath error at the same point; the search ends, and its
    /// `resume_token` is after the page searched.
    #[error("the JMESPath expression {expression:?} failed on a page: {message}")]
    SearchFailed {
        /// The expression.
        expression: String,
        /// What the JMESPath interpreter said.
        message: String,
    },
}

impl ListingError {
    /// The token to resume from, where the error carries one.
    fn resume_token_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            ListingError::BadOutputToken { resume_token, .. } | ListingError::Uncuttable { resume_token, .. } => {
                Some(resume_token)
            }
            _ => None,
        }
    }
}

fn uncuttable(entries: usize, at: usize) -> String {
    format!(
        "the page's result key is a map of {entries} entries, which cannot be cut after {at} \
         (MaxItems or the starting token falls inside it; botocore raises TypeError): \
         resume from the resume token with MaxItems at a page boundary, or without it"
    )
}

impl<E> Error<E> {
    /// The token to resume from, for errors raised mid-listing.
    ///
    /// ```
    /// let e: paginate::Error<std::io::Error> = paginate::Error::Service {
    ///     source: std::io::Error::other("connection reset"),
    ///     resume_token: Some("abc".into()),
    /// };
    /// assert_eq!(e.resume_token(), Some("abc"));
    /// ```
    pub fn resume_token(&self) -> Option<&str> {
        match self {
            Error::Service { resume_token, .. } => resume_token.as_deref(),
            Error::Listing(stop) => match stop {
                ListingError::BadOutputToken { resume_token, .. } | ListingError::Uncuttable { resume_token, .. } => {
                    resume_token.as_deref()
                }
                _ => None,
            },
        }
    }

    /// The same error with `token` as its resume token where it carries one
    /// (a fan-out puts the set's token in place of a listing's).
    pub(crate) fn with_resume_token(mut self, token: Option<String>) -> Self {
        let slot = match &mut self {
            Error::Service { resume_token, .. } => Some(resume_token),
            Error::Listing(stop) => stop.resume_token_mut(),
        };
        if let Some(slot) = slot {
            *slot = token;
        }
        self
    }

    /// True for a service error, where retrying the same request may succeed.
    ///
    /// ```
    /// let e: paginate::Error<&str> = paginate::ListingError::RepeatedToken { tokens: "{}".into() }.into();
    /// assert!(!e.is_service());
    /// ```
    pub fn is_service(&self) -> bool {
        matches!(self, Error::Service { .. })
    }
}

/// Why a `StartingToken` was refused. Raised before any request is sent.
///
/// ```
/// use paginate::{Paginated, ResumeToken, TokenError};
/// # #[derive(Clone, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let err = ResumeToken::decode::<Req>("a___b___c").unwrap_err();
/// assert!(matches!(err, TokenError::TooManyParts { parts: 3, expected: 1 }));
/// assert!(matches!(ResumeToken::decode::<Req>(""), Err(TokenError::Empty)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token is the empty string.
    #[error("the starting token is empty")]
    Empty,
    /// The token is longer than [`ResumeToken::MAX_LEN`](crate::ResumeToken::MAX_LEN).
    #[error("the starting token is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A botocore token names a key that is not one of this operation's input tokens.
    #[error(
        "the starting token has the key {key:?}, which is not an input token of this operation (expected {expected})"
    )]
    UnknownKey {
        /// The key found.
        key: String,
        /// The keys this operation accepts, comma-separated.
        expected: String,
    },
    /// `boto_truncate_amount` is not a whole number in
    /// `0..=`[`ResumeToken::MAX_TRUNCATE_AMOUNT`](crate::ResumeToken::MAX_TRUNCATE_AMOUNT).
    #[error("the starting token's boto_truncate_amount must be a whole number from 0 to {max}, not {found}")]
    InvalidTruncateAmount {
        /// The value found, as JSON text.
        found: String,
        /// The largest accepted amount.
        max: u64,
    },
    /// A token value does not have the type of the request field it fills.
    #[error("the starting token's value for {key} does not fit the request")]
    InvalidValue {
        /// The input token (wire name).
        key: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// `boto_encoded_keys` is malformed or points at something that is not base64 text.
    #[error("the starting token's boto_encoded_keys is invalid: {reason}")]
    InvalidEncodedKeys {
        /// What is wrong.
        reason: String,
    },
    /// A token given to [`FanOut::resume`](crate::FanOut::resume) is not a
    /// fan-out token of that many listings.
    #[error("the token is not a fan-out token of {listings} listings")]
    NotAFanOutToken {
        /// Listings in the set.
        listings: usize,
    },
    /// An old-style `a___b___N` token has more parts than the operation has input tokens.
    #[error("the starting token has {parts} parts separated by '___' but the operation has {expected} input tokens")]
    TooManyParts {
        /// Parts found (without the trailing item count).
        parts: usize,
        /// Input tokens of the operation.
        expected: usize,
    },
}
