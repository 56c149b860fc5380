//! The items of the page an item iterator or stream is handing out.

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
    pub(crate) fn consumed(&self) -> Option<usize> {
        self.taken.map(|taken| taken.saturating_sub(self.current.len()))
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
