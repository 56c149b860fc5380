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
    label = "not a list, number, string or map",
    note = "a result key must be `Vec<T>`, a number, `String` or a map (`HashMap`, `BTreeMap`, `serde_json::Map`), optionally inside `Option`"
)]
pub trait ResultKey {
    /// True for a value botocore handles as one piece, a map or structure:
    /// a full result keeps the first page's, a resumed first page drops it
    /// as a secondary key, and as the primary key `MaxItems` counts its
    /// entries but cannot cut it (botocore raises `TypeError`; a listing
    /// stops with [`ListingError::Uncuttable`](crate::ListingError::Uncuttable)).
    const WHOLE: bool = false;
    /// Folds the same key of a later page into this one.
    fn aggregate(&mut self, later: Self);
    /// True when the page does not have the key at all (an absent `Option`):
    /// botocore then leaves the full result without it.
    fn is_absent(&self) -> bool {
        false
    }
    /// Empties the value for the first page of a resumed listing: lists
    /// become `[]` and strings `""`; numbers and absent values stay as they
    /// are; maps are emptied (inside `Option`, they become absent, as
    /// botocore sets them to `None`).
    fn clear_result(&mut self);
}

/// A field type usable as the primary result key, the one `MaxItems`
/// counts: a list of items, a string (botocore counts and cuts its
/// characters: rds `DownloadDBLogFilePortion`) or a map (botocore counts its
/// keys: apigateway `GetUsage`; it cannot be cut, see [`ResultKey::WHOLE`]).
///
/// ```
/// use paginate::ResultList;
/// let mut page = Some(vec![1, 2, 3, 4]);
/// page.skip_items(1); // a resumed first page drops what was already handed out
/// page.keep_items(2); // MaxItems cuts the end
/// assert_eq!(page.item_count(), 2);
/// assert_eq!(page.take_items(), vec![2, 3]);
///
/// let mut log = String::from("héllo");
/// log.skip_items(1);
/// log.keep_items(3);
/// assert_eq!(log, "éll"); // characters, as Python slices a str
/// assert_eq!((log.item_count(), log.len()), (3, 4)); // characters, and String's bytes
///
/// let usage = std::collections::BTreeMap::from([("key-1", 3), ("key-2", 5)]);
/// assert_eq!(usage.item_count(), 2);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the primary result key",
    label = "not a list, string or map",
    note = "the first result key (the one `MaxItems` counts) must be `Vec<T>`, `String` or a map, optionally inside `Option`"
)]
pub trait ResultList: ResultKey {
    /// The element type: a list's elements, a string's `char`s, a map's
    /// `(key, value)` entries.
    type Item;
    /// Number of items.
    fn item_count(&self) -> usize;
    /// Drops the first `n` items. Never called with `n > 0` on a
    /// [`WHOLE`](ResultKey::WHOLE) value.
    fn skip_items(&mut self, n: usize);
    /// Keeps the first `keep` items. Never called with `keep < item_count()` on a
    /// [`WHOLE`](ResultKey::WHOLE) value.
    fn keep_items(&mut self, keep: usize);
    /// Moves all items out.
    fn take_items(&mut self) -> Vec<Self::Item>;
    /// Keeps the items `keep` says yes to, in order, and returns true; false
    /// (and nothing changes) for a type whose items cannot be dropped one by
    /// one, the default. What a restart that skips delivered keys
    /// ([`ExpiryPolicy::restart_by_key`](crate::ExpiryPolicy::restart_by_key)) needs.
    fn retain_items(&mut self, keep: &mut dyn FnMut(&Self::Item) -> bool) -> bool {
        let _ = keep;
        false
    }
}

impl<T> ResultKey for Vec<T> {
    fn aggregate(&mut self, later: Self) {
        self.extend(later);
    }
    fn clear_result(&mut self) {
        Vec::clear(self);
    }
}

impl<T> ResultList for Vec<T> {
    type Item = T;
    fn item_count(&self) -> usize {
        Vec::len(self)
    }
    fn skip_items(&mut self, n: usize) {
        self.drain(..n.min(Vec::len(self)));
    }
    fn keep_items(&mut self, keep: usize) {
        self.truncate(keep);
    }
    fn take_items(&mut self) -> Vec<T> {
        std::mem::take(self)
    }
    fn retain_items(&mut self, keep: &mut dyn FnMut(&T) -> bool) -> bool {
        self.retain(|item| keep(item));
        true
    }
}

impl ResultKey for String {
    fn aggregate(&mut self, later: Self) {
        self.push_str(&later);
    }
    fn clear_result(&mut self) {
        String::clear(self);
    }
}

/// Characters, as Python's `len()` and slices count a `str`.
impl ResultList for String {
    type Item = char;
    fn item_count(&self) -> usize {
        self.chars().count()
    }
    fn skip_items(&mut self, n: usize) {
        let at = self.char_indices().nth(n).map_or(String::len(self), |(at, _)| at);
        self.drain(..at);
    }
    fn keep_items(&mut self, keep: usize) {
        if let Some((at, _)) = self.char_indices().nth(keep) {
            self.truncate(at);
        }
    }
    fn take_items(&mut self) -> Vec<char> {
        std::mem::take(self).chars().collect()
    }
    fn retain_items(&mut self, keep: &mut dyn FnMut(&char) -> bool) -> bool {
        self.retain(|c| keep(&c));
        true
    }
}

/// Maps: one piece ([`ResultKey::WHOLE`]) whose entries `MaxItems` counts.
macro_rules! map_result_key {
    ($({$($generics:tt)*} $map:ty => $item:ty;)*) => {$(
        impl<$($generics)*> ResultKey for $map {
            const WHOLE: bool = true;
            /// botocore keeps the first page's value.
            fn aggregate(&mut self, _later: Self) {}
            fn clear_result(&mut self) {
                <$map>::clear(self);
            }
        }

        impl<$($generics)*> ResultList for $map {
            type Item = $item;
            fn item_count(&self) -> usize {
                <$map>::len(self)
            }
            /// Never called with `n > 0` (a map cannot be cut).
            fn skip_items(&mut self, _n: usize) {}
            /// Never called with `keep < item_count()` (a map cannot be cut).
            fn keep_items(&mut self, _keep: usize) {}
            fn take_items(&mut self) -> Vec<$item> {
                std::mem::take(self).into_iter().collect()
            }
        }
    )*};
}
map_result_key! {
    {K, V, S: Default} std::collections::HashMap<K, V, S> => (K, V);
    {K, V} std::collections::BTreeMap<K, V> => (K, V);
    {} serde_json::Map<String, serde_json::Value> => (String, serde_json::Value);
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
            fn clear_result(&mut self) {}
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
            fn clear_result(&mut self) {}
        }
    )*};
}
float_result_key!(f32, f64);

impl<T: ResultKey> ResultKey for Option<T> {
    const WHOLE: bool = T::WHOLE;
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
    fn clear_result(&mut self) {
        if T::WHOLE {
            *self = None;
        } else if let Some(value) = self {
            value.clear_result();
        }
    }
}

impl<T: ResultList> ResultList for Option<T> {
    type Item = T::Item;
    fn item_count(&self) -> usize {
        self.as_ref().map_or(0, T::item_count)
    }
    fn skip_items(&mut self, n: usize) {
        if let Some(list) = self {
            list.skip_items(n);
        }
    }
    fn keep_items(&mut self, keep: usize) {
        if let Some(list) = self {
            list.keep_items(keep);
        }
    }
    fn take_items(&mut self) -> Vec<T::Item> {
        self.as_mut().map(T::take_items).unwrap_or_default()
    }
    fn retain_items(&mut self, keep: &mut dyn FnMut(&T::Item) -> bool) -> bool {
        self.as_mut().is_none_or(|list| list.retain_items(keep))
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

    /// The page size the field holds; `None` when it is absent or not a
    /// positive whole number.
    fn page_size(&self) -> Option<u64> {
        None
    }
}

macro_rules! integer_limit {
    ($($t:ty),*) => {$(
        impl LimitValue for $t {
            fn from_page_size(page_size: u64) -> Option<Self> {
                <$t>::try_from(page_size).ok()
            }

            fn page_size(&self) -> Option<u64> {
                u64::try_from(*self).ok().filter(|size| *size > 0)
            }
        }
    )*};
}
integer_limit!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl LimitValue for String {
    fn from_page_size(page_size: u64) -> Option<Self> {
        Some(page_size.to_string())
    }

    fn page_size(&self) -> Option<u64> {
        self.parse().ok().filter(|size| *size > 0)
    }
}

impl<T: LimitValue> LimitValue for Option<T> {
    fn from_page_size(page_size: u64) -> Option<Self> {
        T::from_page_size(page_size).map(Some)
    }

    fn page_size(&self) -> Option<u64> {
        self.as_ref().and_then(T::page_size)
    }
}

/// A field type usable as a `total` (items) or `total_pages` count: an
/// integer, optionally inside `Option`.
///
/// ```
/// use paginate::Total;
/// assert_eq!(Some(42_u32).total(), Some(42));
/// assert_eq!((-1_i64).total(), None); // not a count: no end is read from it
/// assert_eq!(None::<u64>.total(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a total",
    label = "not an integer",
    note = "a `total` or `total_pages` field must be an integer type, optionally inside `Option`"
)]
pub trait Total {
    /// The count, or `None` when absent or negative.
    fn total(&self) -> Option<u64>;
}

macro_rules! integer_total {
    ($($t:ty),*) => {$(
        impl Total for $t {
            fn total(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
integer_total!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl<T: Total> Total for Option<T> {
    fn total(&self) -> Option<u64> {
        self.as_ref().and_then(T::total)
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

/// A field type usable as the `last_page` flag (Jira Software's `isLast`):
/// true says the page is the last.
///
/// ```
/// use paginate::LastPage;
/// assert!(Some(true).last());
/// assert!(!None::<bool>.last()); // absent says nothing: the tokens decide
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a last_page flag",
    label = "not a bool",
    note = "a last_page field must be `bool` or `Option<bool>`"
)]
pub trait LastPage {
    /// True when the flag is present and true.
    fn last(&self) -> bool;
}

impl LastPage for bool {
    fn last(&self) -> bool {
        *self
    }
}

impl<T: LastPage> LastPage for Option<T> {
    fn last(&self) -> bool {
        self.as_ref().is_some_and(T::last)
    }
}

/// A field type that can hold an HTTP `Link` header (RFC 8288) for
/// `#[paginated(output_token = url, link = "next")]`: the client copies the
/// header's value into it, and the listing takes the target of the named
/// relation as the token. No header, or an empty one, means no next page.
/// The header is parsed with the `link` feature; without it, a response
/// with a `link` field fails to build, with a message that says so.
///
/// ```
/// use paginate::LinkHeader;
/// let header = Some(String::from(r#"<https://api.example/items?page=2>; rel="next""#));
/// assert!(header.link_header().is_some());
/// assert_eq!(None::<String>.link_header(), None);
/// assert_eq!(String::new().link_header(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a Link header",
    label = "not a string",
    note = "a `link` field holds the header's text: `Option<String>` (no header: `None`) or `String` (no header: `\"\"`)"
)]
pub trait LinkHeader {
    /// The header's value; `None` when the response had none.
    fn link_header(&self) -> Option<&str>;
}

impl LinkHeader for str {
    fn link_header(&self) -> Option<&str> {
        (!self.trim().is_empty()).then_some(self)
    }
}

impl LinkHeader for String {
    fn link_header(&self) -> Option<&str> {
        self.as_str().link_header()
    }
}

impl<T: LinkHeader + ?Sized> LinkHeader for &T {
    fn link_header(&self) -> Option<&str> {
        T::link_header(self)
    }
}

impl<T: LinkHeader> LinkHeader for Option<T> {
    fn link_header(&self) -> Option<&str> {
        self.as_ref().and_then(T::link_header)
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
        absent.clear_result();
        assert_eq!(absent, None);
        let mut s = Some("ab".to_owned());
        s.aggregate(Some("cd".to_owned()));
        assert_eq!(s.as_deref(), Some("abcd"));
        s.clear_result();
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
        v.skip_items(5);
        assert_eq!(v, Some(vec![]));
        let mut v = vec![1, 2, 3];
        v.skip_items(1);
        v.keep_items(1);
        assert_eq!(v, vec![2]);
    }

    #[test]
    fn limit_values_convert_or_refuse() {
        assert_eq!(<Option<i32>>::from_page_size(5), Some(Some(5)));
        assert_eq!(<Option<i32>>::from_page_size(u64::MAX), None);
        assert_eq!(String::from_page_size(7).as_deref(), Some("7"));
    }
}
