//! The field types `#[derive(Paginated)]` accepts for each role, as traits:
//! implement one for your own type to use it in that role.

/// A field type usable as a result key: it can be aggregated into a full
/// result and emptied.
///
/// ```
/// use paginate::ResultKey;
/// let mut count = Some(2_u64);
/// count.aggregate(Some(3));
/// assert_eq!(count, Some(5));
/// let mut names = Some(vec!["a"]);
/// names.aggregate(None); // a page without the key adds nothing
/// names.aggregate(Some(vec!["b"]));
/// assert_eq!(names, Some(vec!["a", "b"]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a paginated result key",
    label = "not a list, number or string",
    note = "a result key must be `Vec<T>`, a number or `String`, optionally inside `Option`"
)]
pub trait ResultKey {
    /// Folds the same key of a later page into this one.
    fn aggregate(&mut self, later: Self);
    /// True when the page does not have the key at all (an absent `Option`):
    /// botocore then leaves the full result without it.
    fn is_absent(&self) -> bool {
        false
    }
    /// Empties the value for the first page of a resumed listing: lists
    /// become `[]` and strings `""`; numbers and absent values stay as they are.
    fn clear(&mut self);
}

/// A field type usable as the primary result key: a list of items.
///
/// ```
/// use paginate::ResultList;
/// let mut page = Some(vec![1, 2, 3, 4]);
/// page.skip(1); // a resumed first page drops what was already handed out
/// page.keep(2); // MaxItems cuts the end
/// assert_eq!(ResultList::len(&page), 2);
/// assert_eq!(ResultList::take(&mut page), vec![2, 3]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the primary result key",
    label = "not a list",
    note = "the first result key (the one `MaxItems` counts) must be `Vec<T>` or `Option<Vec<T>>`"
)]
pub trait ResultList: ResultKey {
    /// The element type.
    type Item;
    /// Number of items.
    fn len(&self) -> usize;
    /// True when there are no items.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Drops the first `n` items.
    fn skip(&mut self, n: usize);
    /// Keeps the first `keep` items.
    fn keep(&mut self, keep: usize);
    /// Moves all items out.
    fn take(&mut self) -> Vec<Self::Item>;
}

impl<T> ResultKey for Vec<T> {
    fn aggregate(&mut self, later: Self) {
        self.extend(later);
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

impl<T> ResultList for Vec<T> {
    type Item = T;
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn skip(&mut self, n: usize) {
        self.drain(..n.min(Vec::len(self)));
    }
    fn keep(&mut self, keep: usize) {
        self.truncate(keep);
    }
    fn take(&mut self) -> Vec<T> {
        std::mem::take(self)
    }
}

impl ResultKey for String {
    fn aggregate(&mut self, later: Self) {
        self.push_str(&later);
    }
    fn clear(&mut self) {
        String::clear(self);
    }
}

macro_rules! integer_result_key {
    ($($t:ty),*) => {$(
        impl ResultKey for $t {
            /// Sums, saturating at the type's bounds: Python's integers cannot
            /// overflow, and a count that no longer fits must not wrap or panic.
            fn aggregate(&mut self, later: Self) {
                *self = self.saturating_add(later);
            }
            /// Numbers keep their value: botocore (since 1.36) leaves a resumed
            /// page's counts as the service reported them.
            fn clear(&mut self) {}
        }
    )*};
}
integer_result_key!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! float_result_key {
    ($($t:ty),*) => {$(
        impl ResultKey for $t {
            fn aggregate(&mut self, later: Self) {
                *self += later;
            }
            /// Numbers keep their value, as for integers.
            fn clear(&mut self) {}
        }
    )*};
}
float_result_key!(f32, f64);

impl<T: ResultKey> ResultKey for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn aggregate(&mut self, later: Self) {
        match (self.as_mut(), later) {
            (_, None) => {}
            (None, later) => *self = later,
            (Some(existing), Some(later)) => existing.aggregate(later),
        }
    }
    fn clear(&mut self) {
        if let Some(value) = self {
            value.clear();
        }
    }
}

impl<T: ResultList> ResultList for Option<T> {
    type Item = T::Item;
    fn len(&self) -> usize {
        self.as_ref().map_or(0, T::len)
    }
    fn skip(&mut self, n: usize) {
        if let Some(list) = self {
            list.skip(n);
        }
    }
    fn keep(&mut self, keep: usize) {
        if let Some(list) = self {
            list.keep(keep);
        }
    }
    fn take(&mut self) -> Vec<T::Item> {
        self.as_mut().map(T::take).unwrap_or_default()
    }
}

/// A field type usable as a limit key: an integer or a string (some services
/// declare their page size as a string).
///
/// ```
/// use paginate::LimitValue;
/// assert_eq!(<Option<i32>>::from_page_size(50), Some(Some(50)));
/// assert_eq!(<Option<u8>>::from_page_size(300), None); // does not fit: a config error
/// assert_eq!(String::from_page_size(7).as_deref(), Some("7"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a limit key",
    label = "not an integer or string",
    note = "a limit key must be an integer type or `String`, optionally inside `Option`"
)]
pub trait LimitValue: Sized {
    /// The field value for a page size, or `None` when it does not fit the type.
    fn from_page_size(page_size: u64) -> Option<Self>;
}

macro_rules! integer_limit {
    ($($t:ty),*) => {$(
        impl LimitValue for $t {
            fn from_page_size(page_size: u64) -> Option<Self> {
                <$t>::try_from(page_size).ok()
            }
        }
    )*};
}
integer_limit!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl LimitValue for String {
    fn from_page_size(page_size: u64) -> Option<Self> {
        Some(page_size.to_string())
    }
}

impl<T: LimitValue> LimitValue for Option<T> {
    fn from_page_size(page_size: u64) -> Option<Self> {
        T::from_page_size(page_size).map(Some)
    }
}

/// A field type usable as the `more_results` flag (S3's `IsTruncated`).
///
/// ```
/// use paginate::MoreResults;
/// assert!(Some(true).more());
/// assert!(!None::<bool>.more()); // absent means no more pages, as in botocore
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a more_results flag",
    label = "not a bool",
    note = "a more_results field must be `bool` or `Option<bool>`"
)]
pub trait MoreResults {
    /// Python truthiness of the flag: absent means "no more".
    fn more(&self) -> bool;
}

impl MoreResults for bool {
    fn more(&self) -> bool {
        *self
    }
}

impl<T: MoreResults> MoreResults for Option<T> {
    fn more(&self) -> bool {
        self.as_ref().is_some_and(T::more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_aggregation_follows_botocore() {
        let mut full: Option<Vec<i32>> = None;
        full.aggregate(Some(vec![1]));
        full.aggregate(None);
        full.aggregate(Some(vec![2, 3]));
        assert_eq!(full, Some(vec![1, 2, 3]));
        let mut count = Some(2_i64);
        count.aggregate(Some(5));
        assert_eq!(count, Some(7));
        let mut absent: Option<String> = None;
        absent.clear();
        assert_eq!(absent, None);
        let mut s = Some("ab".to_owned());
        s.aggregate(Some("cd".to_owned()));
        assert_eq!(s.as_deref(), Some("abcd"));
        s.clear();
        assert_eq!(s.as_deref(), Some(""));
    }

    #[test]
    fn small_integer_sums_saturate_instead_of_overflowing() {
        // Summing two u8 counts of 200 panicked in debug builds and wrapped to
        // 144 in release builds; botocore's Python sum cannot overflow.
        let mut count = Some(200_u8);
        count.aggregate(Some(200));
        assert_eq!(count, Some(u8::MAX));
        let mut total = i32::MIN + 1;
        total.aggregate(-5);
        assert_eq!(total, i32::MIN);
    }

    #[test]
    fn list_slicing_clamps_like_python() {
        let mut v = Some(vec![1, 2, 3]);
        v.skip(5);
        assert_eq!(v, Some(vec![]));
        let mut v = vec![1, 2, 3];
        ResultList::skip(&mut v, 1);
        ResultList::keep(&mut v, 1);
        assert_eq!(v, vec![2]);
    }

    #[test]
    fn limit_values_convert_or_refuse() {
        assert_eq!(<Option<i32>>::from_page_size(5), Some(Some(5)));
        assert_eq!(<Option<i32>>::from_page_size(u64::MAX), None);
        assert_eq!(String::from_page_size(7).as_deref(), Some("7"));
    }
}
