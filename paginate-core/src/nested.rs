//! What the derive's path roles navigate with: nested structs
//! (`#[derive(Paginated)] #[paginated(nested)]`) and the containers around
//! them. Plumbing of the derive, reached through `__private`.

use crate::value::TokenValue;

/// A step into a nested value: a struct itself, or the struct inside an
/// `Option` or a `Box` (absent when the `Option` is `None`).
#[diagnostic::on_unimplemented(
    message = "a paginated path cannot step into `{Self}`",
    label = "not a nested paginated struct",
    note = "every struct a path goes through derives `Paginated` with `#[paginated(nested)]`"
)]
pub trait Nav {
    /// The struct stepped into.
    type Target;
    /// The struct, if present.
    fn nav(&self) -> Option<&Self::Target>;
    /// The struct, if present, mutably.
    fn nav_mut(&mut self) -> Option<&mut Self::Target>;
}

/// A step that creates what is absent (a full result gets only the keys
/// botocore's has, so its structs are built as the keys arrive).
pub trait NavInsert: Nav {
    /// The struct, created at its default when absent.
    fn nav_insert(&mut self) -> &mut Self::Target;
}

/// The field of a nested struct whose Rust name is `Name`, spelled as a
/// tuple of [`Ch`]s (`(Ch<'i'>, Ch<'d'>,)` for `id`), so that two names never
/// meet (`#[derive(Paginated)]` implements it for every field of a
/// `#[paginated(nested)]` struct): its type, for the item type of a nested
/// result key, and its serde name, for `describe()`.
#[diagnostic::on_unimplemented(
    message = "a paginated path names a field that `{Self}` does not have",
    label = "no such field",
    note = "path segments are Rust field names of structs that derive `Paginated` with `#[paginated(nested)]`"
)]
pub trait FieldNamed<Name> {
    /// The field's type.
    type Type;
    /// The field's wire (serde) name, as a response reads it.
    const WIRE: &'static str;
    /// The name serde writes it under, as a request sends it (another only
    /// with `#[serde(rename(serialize = ...))]`).
    const WIRE_SENT: &'static str = Self::WIRE;
}

/// One character of a field's name in [`FieldNamed`].
#[derive(Debug)]
pub struct Ch<const C: char>;

/// The element type of a list a path indexes (`shards[-1]`).
pub trait Indexed {
    /// The element type.
    type Elem;
}

impl<T> Indexed for Vec<T> {
    type Elem = T;
}

impl<T: Nav> Nav for Option<T> {
    type Target = T::Target;
    fn nav(&self) -> Option<&T::Target> {
        self.as_ref().and_then(T::nav)
    }
    fn nav_mut(&mut self) -> Option<&mut T::Target> {
        self.as_mut().and_then(T::nav_mut)
    }
}

impl<T: NavInsert + Default> NavInsert for Option<T> {
    fn nav_insert(&mut self) -> &mut T::Target {
        self.get_or_insert_with(T::default).nav_insert()
    }
}

impl<T: Nav> Nav for Box<T> {
    type Target = T::Target;
    fn nav(&self) -> Option<&T::Target> {
        T::nav(self)
    }
    fn nav_mut(&mut self) -> Option<&mut T::Target> {
        T::nav_mut(self)
    }
}

impl<T: NavInsert> NavInsert for Box<T> {
    fn nav_insert(&mut self) -> &mut T::Target {
        T::nav_insert(self)
    }
}

impl<T> Nav for Vec<T> {
    type Target = Vec<T>;
    fn nav(&self) -> Option<&Vec<T>> {
        Some(self)
    }
    fn nav_mut(&mut self) -> Option<&mut Vec<T>> {
        Some(self)
    }
}

/// The length of `parts` joined with `.`: a request path's wire name
/// (`variables.after`), built at compile time from each nested struct's
/// serde name by [`wire_join`].
pub const fn wire_len(parts: &[&str]) -> usize {
    let mut len = parts.len().saturating_sub(1);
    let mut i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// `parts` joined with `.`, as bytes; `N` is [`wire_len`] of them.
pub const fn wire_join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut at, mut i) = (0, 0);
    while i < parts.len() {
        if i > 0 && at < N {
            out[at] = b'.';
            at += 1;
        }
        let bytes = parts[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() && at < N {
            out[at] = bytes[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The text of [`wire_join`]'s bytes (UTF-8, as every part was).
pub const fn wire_str(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => "",
    }
}

/// JMESPath's `list[index]`: negative indexes count from the end; out of
/// range is absent.
pub fn at<T>(list: &[T], index: i64) -> Option<&T> {
    let len = i64::try_from(list.len()).ok()?;
    let index = if index < 0 { len + index } else { index };
    usize::try_from(index).ok().and_then(|i| list.get(i))
}

/// JMESPath's `a || b` over token values: the first that is truthy.
pub fn first_truthy<const N: usize>(
    candidates: [Result<TokenValue, serde_json::Error>; N],
) -> Result<TokenValue, serde_json::Error> {
    for candidate in candidates {
        let value = candidate?;
        if value.truthy() {
            return Ok(value);
        }
    }
    Ok(TokenValue::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_like_jmespath() {
        let v = vec![1, 2, 3];
        assert_eq!(at(&v, 0), Some(&1));
        assert_eq!(at(&v, -1), Some(&3));
        assert_eq!(at(&v, -3), Some(&1));
        assert_eq!(at(&v, -4), None);
        assert_eq!(at(&v, 3), None);
        assert_eq!(at(&Vec::<u8>::new(), -1), None);
    }

    #[test]
    fn wire_paths_join_with_dots() {
        const PARTS: &[&str] = &["variables", "after"];
        const BYTES: [u8; wire_len(PARTS)] = wire_join(PARTS);
        assert_eq!(wire_str(&BYTES), "variables.after");
        assert_eq!(wire_len(&["a"]), 1);
        assert_eq!(wire_len(&[]), 0);
    }

    #[test]
    fn fallbacks_take_the_first_truthy() {
        let json = |text: &str| TokenValue::from_json(text);
        let pick = |a: &str, b: &str| first_truthy([json(a), json(b)]).expect("json").to_json();
        assert_eq!(pick("\"m\"", "\"k\""), "\"m\"");
        assert_eq!(pick("null", "\"k\""), "\"k\"");
        assert_eq!(pick("\"\"", "\"k\""), "\"k\"");
        assert_eq!(pick("null", "null"), "null");
    }
}
