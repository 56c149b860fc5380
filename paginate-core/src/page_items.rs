//! The items of the page an item iterator or stream is handing out, and
//! where the listing stands after the ones handed out.

use crate::position::ResumePoint;

/// The items of the last page taken, being handed out one by one, and how
/// many of them have been: what item iterators and streams keep.
#[derive(Debug)]
pub(crate) struct PageItems<T> {
    current: std::vec::IntoIter<T>,
    /// Items the page had; `None` before any page was taken.
    taken: Option<usize>,
}

impl<T> PageItems<T> {
    pub(crate) fn new() -> Self {
        PageItems {
            current: Vec::new().into_iter(),
            taken: None,
        }
    }

    /// The next item of the page, if any is left.
    #[inline]
    pub(crate) fn next(&mut self) -> Option<T> {
        self.current.next()
    }

    /// Starts handing out a new page's items.
    pub(crate) fn load(&mut self, items: Vec<T>) {
        self.taken = Some(items.len());
        self.current = items.into_iter();
    }

    /// Items of the page handed out; `None` before any page was taken.
    fn consumed(&self) -> Option<usize> {
        self.taken.map(|taken| taken.saturating_sub(self.current.len()))
    }

    /// The token that resumes after the items handed out, given `point`,
    /// where the last page taken ends (before any page was taken: where the
    /// pages stand).
    pub(crate) fn resume_token(&self, point: &ResumePoint) -> Option<String> {
        match self.consumed() {
            Some(consumed) => point.resume_token_at(consumed),
            None => point.resume_token(),
        }
    }

    /// How many items of the listing come before
    /// [`resume_token`](Self::resume_token)'s place, when `state` knows.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn position<Req: crate::model::PaginatedRequest>(
        &self,
        state: &crate::state::ListingState<Req>,
    ) -> Option<u64> {
        match self.consumed() {
            Some(consumed) => state.position_at(consumed),
            None => state.position(),
        }
    }

    /// Whether the listing ends after the items handed out (see
    /// [`ResumePoint::is_end_at`]).
    pub(crate) fn is_end(&self, point: &ResumePoint) -> bool {
        match self.consumed() {
            Some(consumed) => point.is_end_at(consumed),
            None => point.is_end(),
        }
    }

    /// Frees the buffer of a page whose items were all handed out (before the
    /// next page is asked for, as a loop over pages drops each in turn); what
    /// was handed out still counts.
    pub(crate) fn release(&mut self) {
        self.current = Vec::new().into_iter();
    }

    /// The items not yet handed out, as an iterator.
    pub(crate) fn take_rest(&mut self) -> std::vec::IntoIter<T> {
        std::mem::take(&mut self.current)
    }
}
