//! Token values as JSON that keeps its key order.
//!
//! botocore writes a token's maps in the order the service sent them, so a
//! resume token over a map (DynamoDB's `ExclusiveStartKey`) is only
//! byte-identical to boto3's if that order survives. `serde_json::Value` keeps
//! it only under the `preserve_order` feature, which a library must not force
//! on its users; this value keeps it always.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

/// A JSON value whose objects keep their keys in the order they were read.
/// Public only for the derive's generated code (through `__private`).
///
/// The tag is a whole word (`repr(u64)`): with a byte tag, the `Bool` payload
/// sits at offset 1 and every move of a value is copied as unaligned 16-byte
/// loads that straddle the stores just made (a store-forwarding stall on each
/// token received, the largest single cost of a page in the overhead bench).
#[doc(hidden)]
#[derive(Debug, Clone)]
#[repr(u64)]
pub enum TokenValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<TokenValue>),
    /// An object, keys in the order read.
    Object(Vec<(String, TokenValue)>),
}

impl TokenValue {
    /// Reads JSON text; object keys keep their order.
    pub(crate) fn from_json(text: &str) -> serde_json::Result<Self> {
        serde_json::from_str(text)
    }

    /// Compact JSON text, keys in their order.
    pub(crate) fn to_json(&self) -> String {
        // Writing a tree of strings, numbers and containers into memory cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, TokenValue::Null)
    }

    /// Python truthiness: `None`, `""`, `0`, `False`, `[]` and `{}` all mean
    /// "no token" to botocore.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            TokenValue::Null => false,
            TokenValue::Bool(b) => *b,
            TokenValue::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            TokenValue::String(s) => !s.is_empty(),
            TokenValue::Array(a) => !a.is_empty(),
            TokenValue::Object(o) => !o.is_empty(),
        }
    }

    /// The value at `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&TokenValue> {
        match self {
            TokenValue::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Feeds the value to a hasher, tagging each kind so that `"1"`, `1` and
    /// `[1]` differ, and ignoring key order as Python's dict equality does.
    pub(crate) fn hash_into(&self, hasher: &mut impl std::hash::Hasher) {
        match self {
            TokenValue::Null => hasher.write_u8(0),
            TokenValue::Bool(b) => hasher.write_u8(if *b { 2 } else { 1 }),
            TokenValue::Number(n) => {
                hasher.write_u8(3);
                hasher.write(n.to_string().as_bytes());
            }
            TokenValue::String(s) => {
                hasher.write_u8(4);
                hasher.write_usize(s.len());
                hasher.write(s.as_bytes());
            }
            TokenValue::Array(items) => {
                hasher.write_u8(5);
                hasher.write_usize(items.len());
                items.iter().for_each(|item| item.hash_into(hasher));
            }
            TokenValue::Object(entries) => {
                hasher.write_u8(6);
                hasher.write_usize(entries.len());
                let mut sorted: Vec<_> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, item) in sorted {
                    hasher.write_usize(key.len());
                    hasher.write(key.as_bytes());
                    item.hash_into(hasher);
                }
            }
        }
    }
}

/// Equality as Python's: two objects are equal whatever their key order.
impl PartialEq for TokenValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TokenValue::Null, TokenValue::Null) => true,
            (TokenValue::Bool(a), TokenValue::Bool(b)) => a == b,
            (TokenValue::Number(a), TokenValue::Number(b)) => a == b,
            (TokenValue::String(a), TokenValue::String(b)) => a == b,
            (TokenValue::Array(a), TokenValue::Array(b)) => a == b,
            (TokenValue::Object(a), TokenValue::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(key, value)| other.get(key) == Some(value))
            }
            _ => false,
        }
    }
}

impl Serialize for TokenValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            TokenValue::Null => serializer.serialize_unit(),
            TokenValue::Bool(b) => serializer.serialize_bool(*b),
            TokenValue::Number(n) => n.serialize(serializer),
            TokenValue::String(s) => serializer.serialize_str(s),
            TokenValue::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            TokenValue::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for TokenValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = TokenValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<TokenValue, E> {
        Ok(TokenValue::Null)
    }

    fn visit_none<E>(self) -> Result<TokenValue, E> {
        Ok(TokenValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<TokenValue, D::Error> {
        TokenValue::deserialize(deserializer)
    }

    fn visit_bool<E>(self, b: bool) -> Result<TokenValue, E> {
        Ok(TokenValue::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<TokenValue, E> {
        Ok(TokenValue::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<TokenValue, E> {
        Ok(TokenValue::Number(n.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<TokenValue, E> {
        Ok(Number::from_f64(f).map_or(TokenValue::Null, TokenValue::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<TokenValue, E> {
        Ok(TokenValue::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<TokenValue, E> {
        Ok(TokenValue::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TokenValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(TokenValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TokenValue, A::Error> {
        let mut entries: Vec<(String, TokenValue)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, value)) = map.next_entry::<String, TokenValue>()? {
            // Python's json.loads keeps the last of duplicate keys, at the first one's place.
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(TokenValue::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_through_a_round_trip() {
        let text = r#"{"sk":{"S":"b"},"pk":{"N":"1"},"a":[1,2.5,null,true]}"#;
        let value = TokenValue::from_json(text).expect("valid JSON");
        assert_eq!(value.to_json(), text);
        // serde_json's own map sorts keys when `preserve_order` is off (as it is
        // for `cargo test -p paginate-core`), which is why this type exists.
        let keys: Vec<String> = match &value {
            TokenValue::Object(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(keys, ["sk", "pk", "a"]);
    }

    #[test]
    fn equality_and_hash_ignore_key_order() {
        use std::hash::{DefaultHasher, Hasher};
        let a = TokenValue::from_json(r#"{"x":1,"y":{"p":"q","r":"s"}}"#).expect("json");
        let b = TokenValue::from_json(r#"{"y":{"r":"s","p":"q"},"x":1}"#).expect("json");
        let c = TokenValue::from_json(r#"{"y":{"r":"s","p":"q"},"x":"1"}"#).expect("json");
        assert_eq!(a, b);
        assert_ne!(a, c);
        let hash = |v: &TokenValue| {
            let mut h = DefaultHasher::new();
            v.hash_into(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&c));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_like_python() {
        let value = TokenValue::from_json(r#"{"a":1,"b":2,"a":3}"#).expect("json");
        assert_eq!(value.to_json(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn truthiness_matches_python() {
        for falsy in ["null", "\"\"", "0", "0.0", "false", "[]", "{}"] {
            assert!(!TokenValue::from_json(falsy).expect("json").truthy(), "{falsy}");
        }
        for truthy in ["\"a\"", "1", "true", "[0]", "{\"a\":null}"] {
            assert!(TokenValue::from_json(truthy).expect("json").truthy(), "{truthy}");
        }
    }
}
