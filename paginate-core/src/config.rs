//! `PaginationConfig` and the policy for repeated tokens.

/// What boto3 calls `PaginationConfig`.
///
/// Built from its default (nothing set) with the `with_` methods, or by
/// setting its fields; more may be added, so it cannot be written as a
/// struct literal outside this crate.
///
/// ```
/// use paginate::PaginationConfig;
///
/// let config = PaginationConfig::default().with_max_items(50).with_page_size(20);
/// let mut same = PaginationConfig::default();
/// same.max_items = Some(50);
/// same.page_size = Some(20);
/// assert_eq!(config, same);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationConfig {
    /// Stop after this many items of the primary result key (`MaxItems`).
    pub max_items: Option<u64>,
    /// Ask the service for pages of this size, through the limit key (`PageSize`).
    pub page_size: Option<u64>,
    /// Resume from a token produced by this library, boto3 or the AWS CLI (`StartingToken`).
    pub starting_token: Option<String>,
    /// How many items of the listing come before the place `starting_token`
    /// resumes at, when that is known (a checkpoint records it). With it, an
    /// [`ExpiryPolicy::restart_by_count`](crate::ExpiryPolicy::restart_by_count)
    /// restarts from the listing's request, skipping these items too, rather
    /// than from the starting token, which may have expired as well.
    pub starting_position: Option<u64>,
    /// What to do when the service hands out a token it handed out before
    /// (default: [`RepeatPolicy::RejectCycles`]).
    pub repeat_policy: RepeatPolicy,
}

impl PaginationConfig {
    /// Sets `max_items`.
    ///
    /// ```
    /// assert_eq!(paginate::PaginationConfig::default().with_max_items(3).max_items, Some(3));
    /// ```
    pub fn with_max_items(mut self, max_items: u64) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Sets `page_size`.
    ///
    /// ```
    /// assert_eq!(paginate::PaginationConfig::default().with_page_size(3).page_size, Some(3));
    /// ```
    pub fn with_page_size(mut self, page_size: u64) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets `starting_token`.
    ///
    /// ```
    /// let c = paginate::PaginationConfig::default().with_starting_token("abc");
    /// assert_eq!(c.starting_token.as_deref(), Some("abc"));
    /// ```
    pub fn with_starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// Sets `starting_position`.
    ///
    /// ```
    /// let c = paginate::PaginationConfig::default().with_starting_token("abc").with_starting_position(40);
    /// assert_eq!(c.starting_position, Some(40));
    /// ```
    pub fn with_starting_position(mut self, items_before: u64) -> Self {
        self.starting_position = Some(items_before);
        self
    }

    /// Sets `repeat_policy`.
    ///
    /// ```
    /// use paginate::{PaginationConfig, RepeatPolicy};
    /// let c = PaginationConfig::default().with_repeat_policy(RepeatPolicy::Allow);
    /// assert_eq!(c.repeat_policy, RepeatPolicy::Allow);
    /// ```
    pub fn with_repeat_policy(mut self, policy: RepeatPolicy) -> Self {
        self.repeat_policy = policy;
        self
    }
}

/// What to do when the service hands out a token it handed out before.
///
/// ```
/// use paginate::RepeatPolicy;
/// assert_eq!(RepeatPolicy::default(), RepeatPolicy::RejectCycles);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RepeatPolicy {
    /// Fail on any token already received during this listing, so a cycle of
    /// any length ends with an error instead of looping forever. It agrees
    /// with botocore unless the service hands out an earlier, non-adjacent
    /// token again (botocore would loop, or carry on if the service is stateful).
    #[default]
    RejectCycles,
    /// botocore's rule: fail only when a token equals the one just before it.
    RejectImmediateRepeat,
    /// Never fail: for APIs that legitimately repeat tokens, such as log tailing.
    Allow,
}
