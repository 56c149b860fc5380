//! The values of an operation's input tokens a listing holds, and their
//! fingerprint for cycle detection.

use std::sync::Arc;

use crate::pyjson;
use crate::value::TokenValue;

/// The values of an operation's input tokens, in the order their JSON keys are
/// written (botocore keeps the order of the token it was started from).
///
/// The common single token is held inline (no allocation per page); sets of
/// several share one allocation between clones.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TokenSet {
    entries: Entries,
}

/// A token set's `(input-token index, value)` pairs.
#[derive(Debug, Clone)]
enum Entries {
    One([(usize, TokenValue); 1]),
    Many(Arc<[(usize, TokenValue)]>),
}

impl std::ops::Deref for Entries {
    type Target = [(usize, TokenValue)];

    fn deref(&self) -> &Self::Target {
        match self {
            Entries::One(one) => one,
            Entries::Many(many) => many,
        }
    }
}

impl PartialEq for Entries {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl FromIterator<(usize, TokenValue)> for Entries {
    fn from_iter<I: IntoIterator<Item = (usize, TokenValue)>>(iter: I) -> Self {
        let mut iter = iter.into_iter();
        let Some(first) = iter.next() else {
            return Entries::Many(Arc::new([]));
        };
        match iter.next() {
            None => Entries::One([first]),
            Some(second) => Entries::Many([first, second].into_iter().chain(iter).collect()),
        }
    }
}

impl FromIterator<(usize, TokenValue)> for TokenSet {
    /// `(input-token index, value)` pairs, in the order their keys are written.
    fn from_iter<I: IntoIterator<Item = (usize, TokenValue)>>(entries: I) -> Self {
        TokenSet {
            entries: entries.into_iter().collect(),
        }
    }
}

impl FromIterator<TokenValue> for TokenSet {
    /// Token values by input-token index, in declaration order.
    fn from_iter<I: IntoIterator<Item = TokenValue>>(values: I) -> Self {
        TokenSet {
            entries: values.into_iter().enumerate().collect(),
        }
    }
}

impl TokenSet {
    /// Every input token absent (`null`), in declaration order.
    pub(crate) fn empty(count: usize) -> Self {
        TokenSet {
            entries: (0..count).map(|i| (i, TokenValue::Null)).collect(),
        }
    }

    /// Token values by input-token index, in declaration order.
    pub(crate) fn from_values(values: impl IntoIterator<Item = TokenValue>) -> Self {
        TokenSet {
            entries: values.into_iter().enumerate().collect(),
        }
    }

    /// True when every token is absent: the end of the listing.
    pub(crate) fn is_end(&self) -> bool {
        self.entries.iter().all(|(_, v)| v.is_null())
    }

    /// The value of input token `index`, if the set has it.
    pub(crate) fn get(&self, index: usize) -> Option<&TokenValue> {
        self.entries.iter().find(|(i, _)| *i == index).map(|(_, v)| v)
    }

    /// The set with input token `index` set to `value`, in its place, or
    /// written last when the set does not have it.
    pub(crate) fn with(&self, index: usize, value: TokenValue) -> TokenSet {
        let mut value = Some(value);
        let mut entries: Vec<(usize, TokenValue)> = self
            .entries
            .iter()
            .map(|(i, v)| match (*i == index).then(|| value.take()).flatten() {
                Some(new) => (*i, new),
                None => (*i, v.clone()),
            })
            .collect();
        if let Some(value) = value {
            entries.push((index, value));
        }
        entries.into_iter().collect()
    }

    /// `(input-token index, value)` pairs in key order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (usize, &TokenValue)> {
        self.entries.iter().map(|(i, v)| (*i, v))
    }

    /// A Python-style rendering, `{'NextToken': 'abc'}`, for messages.
    pub(crate) fn python_repr(&self, names: &[&str]) -> String {
        let mut out = String::from("{");
        for (n, (index, value)) in self.entries.iter().enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            pyjson::python_str_repr(names.get(*index).copied().unwrap_or_default(), &mut out);
            out.push_str(": ");
            pyjson::python_repr(value, &mut out);
        }
        out.push('}');
        out
    }

    /// A 128-bit fingerprint of the values (not the key order), for cycle
    /// detection, under the listing's `key`: the set's bytes are written into
    /// `scratch` (kept by the caller, so that no page allocates for it) and
    /// hashed at once.
    pub(crate) fn fingerprint(&self, key: u64, scratch: &mut Vec<u8>) -> u128 {
        // The common set, one string, hashed as it is: the seed tells the
        // input token, so it meets the encoding below only by chance.
        if let [(index, TokenValue::String(token))] = &*self.entries {
            let seed = key ^ ONE_STRING_SEED.wrapping_add(*index as u64);
            return xxhash_rust::xxh3::xxh3_128_with_seed(token.as_bytes(), seed);
        }
        scratch.clear();
        let mut bytes = Encoding(scratch);
        let mut hash = |(index, value): &(usize, TokenValue)| {
            std::hash::Hasher::write_usize(&mut bytes, *index);
            value.hash_into(&mut bytes);
        };
        // Tokens read from a page are in index order; a starting token's may not be.
        if self.entries.is_sorted_by_key(|(i, _)| *i) {
            self.entries.iter().for_each(&mut hash);
        } else {
            let mut sorted: Vec<&(usize, TokenValue)> = self.entries.iter().collect();
            sorted.sort_by_key(|(i, _)| *i);
            sorted.into_iter().for_each(hash);
        }
        xxhash_rust::xxh3::xxh3_128_with_seed(scratch, key)
    }
}

/// The seed of a one-string set's fingerprint, plus its input-token index.
const ONE_STRING_SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// The token set written out as bytes, each part prefixed by its kind or
/// length (`TokenValue::hash_into`), so that two different sets never give
/// the same bytes; hashed with XXH3-128 seeded with a key drawn for each
/// listing, they are the fingerprint (`repeat.rs`).
struct Encoding<'a>(&'a mut Vec<u8>);

impl std::hash::Hasher for Encoding<'_> {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}
