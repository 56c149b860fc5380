//! Token fields to [`TokenValue`] and back, the way `serde_json` text would
//! carry them (`to_string` then parse; write then `from_str`), without the
//! text for the common shapes: strings, integers, booleans, `null`, and
//! options and newtypes of them.
//!
//! Anything else (maps, lists, floats, bytes, enums with data), and any error,
//! goes through the text, so values and error messages are exactly what the
//! text gives. A serde impl that swallows an error (a `default_on_error`)
//! cannot make the shortcut diverge either: a call the shortcut does not take
//! marks it abandoned, and the text decides.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::ser::{self, Impossible, Serialize};

use crate::value::TokenValue;

/// A token field's value as a [`TokenValue`]: what parsing `serde_json::to_string(value)` gives.
pub fn token_to_value<T: Serialize + ?Sized>(value: &T) -> Result<TokenValue, serde_json::Error> {
    let abandoned = Cell::new(false);
    match value.serialize(Capture { abandoned: &abandoned }) {
        Ok(value) if !abandoned.get() => Ok(value),
        _ => TokenValue::from_json(&serde_json::to_string(value)?),
    }
}

/// A type an input token field can have: read from a token's JSON, with a
/// [`Default`] that says "no token". That is `None` for an `Option`, and `""`
/// or `0` for the plain strings and integers of proto3 (Google AIP-158's
/// `page_token: String`), whose services read them so. (It is also
/// `Serialize`, through [`token_to_value`]: a request's own starting cursor
/// is written into its resume token.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an input token",
    label = "needs `Default` (the value without a token) and `Deserialize`",
    note = "an input token is an `Option<T>`, or a type whose `Default` means no token (`String` for proto3's `\"\"`)"
)]
pub trait InputToken: DeserializeOwned + Default {}

impl<T: DeserializeOwned + Default> InputToken for T {}

/// A token field from a [`TokenValue`]: the field's [`Default`] for `null`
/// (no token), else what `serde_json::from_str` gives on its JSON text.
pub fn token_from_value<T: InputToken>(value: &TokenValue) -> Result<T, serde_json::Error> {
    if value.is_null() {
        return Ok(T::default());
    }
    let abandoned = Cell::new(false);
    match T::deserialize(Reader {
        value,
        abandoned: &abandoned,
    }) {
        Ok(field) if !abandoned.get() => Ok(field),
        _ => serde_json::from_str(&value.to_json()),
    }
}

/// The shortcut does not take this path; the text does.
#[derive(Debug)]
struct Abandon;

impl fmt::Display for Abandon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a shortcut shape")
    }
}

impl std::error::Error for Abandon {}

impl ser::Error for Abandon {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Abandon
    }
}

impl de::Error for Abandon {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Abandon
    }
}

struct Capture<'a> {
    abandoned: &'a Cell<bool>,
}

impl Capture<'_> {
    fn abandon<T>(&self) -> Result<T, Abandon> {
        self.abandoned.set(true);
        Err(Abandon)
    }
}

macro_rules! capture_integers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<TokenValue, Abandon> {
            Ok(TokenValue::Number(v.into()))
        }
    )*};
}

macro_rules! abandon_ser {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, Abandon> {
            self.abandon()
        }
    )*};
}

impl<'a> ser::Serializer for Capture<'a> {
    type Ok = TokenValue;
    type Error = Abandon;
    type SerializeSeq = Impossible<TokenValue, Abandon>;
    type SerializeTuple = Impossible<TokenValue, Abandon>;
    type SerializeTupleStruct = Impossible<TokenValue, Abandon>;
    type SerializeTupleVariant = Impossible<TokenValue, Abandon>;
    type SerializeMap = Impossible<TokenValue, Abandon>;
    type SerializeStruct = Impossible<TokenValue, Abandon>;
    type SerializeStructVariant = Impossible<TokenValue, Abandon>;

    capture_integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
    );

    abandon_ser! {
        serialize_i128(i128) -> TokenValue;
        serialize_u128(u128) -> TokenValue;
        serialize_f32(f32) -> TokenValue;
        serialize_f64(f64) -> TokenValue;
        serialize_bytes(&[u8]) -> TokenValue;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_bool(self, v: bool) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::Bool(v))
    }

    fn serialize_char(self, v: char) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::String(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::String(v.to_owned()))
    }

    fn serialize_none(self) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<TokenValue, Abandon> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::Null)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<TokenValue, Abandon> {
        Ok(TokenValue::String(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<TokenValue, Abandon> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<TokenValue, Abandon> {
        self.abandon()
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<TokenValue, Abandon> {
        self.abandon()
    }
}

struct Reader<'de, 'a> {
    value: &'de TokenValue,
    abandoned: &'a Cell<bool>,
}

impl Reader<'_, '_> {
    fn abandon<T>(&self) -> Result<T, Abandon> {
        self.abandoned.set(true);
        Err(Abandon)
    }
}

/// serde_json escapes these in strings, and hands an escaped string to
/// `visit_str` rather than `visit_borrowed_str`.
fn needs_escape(s: &str) -> bool {
    // Without short-circuits, so that it vectorizes.
    s.bytes()
        .fold(false, |found, b| found | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

macro_rules! abandon_de {
    ($($method:ident($($arg:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $(_: $arg,)* _: V) -> Result<V::Value, Abandon> {
            self.abandon()
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Reader<'de, '_> {
    type Error = Abandon;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Abandon> {
        match self.value {
            TokenValue::Null => visitor.visit_unit(),
            TokenValue::Bool(b) => visitor.visit_bool(*b),
            TokenValue::String(_) => self.deserialize_str(visitor),
            _ => self.abandon(),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Abandon> {
        match self.value {
            TokenValue::String(s) if needs_escape(s) => visitor.visit_str(s),
            TokenValue::String(s) => visitor.visit_borrowed_str(s),
            _ => self.abandon(),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Abandon> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Abandon> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Abandon> {
        match self.value {
            TokenValue::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Abandon> {
        visitor.visit_newtype_struct(self)
    }

    abandon_de! {
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_unit();
        deserialize_unit_struct(&'static str);
        deserialize_seq();
        deserialize_tuple(usize);
        deserialize_tuple_struct(&'static str, usize);
        deserialize_map();
        deserialize_struct(&'static str, &'static [&'static str]);
        deserialize_enum(&'static str, &'static [&'static str]);
        deserialize_ignored_any();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn through_text<T: Serialize>(value: &T) -> TokenValue {
        TokenValue::from_json(&serde_json::to_string(value).expect("json")).expect("json")
    }

    #[test]
    fn values_match_the_text_round_trip() {
        #[derive(serde::Serialize)]
        struct Cursor(String);
        #[derive(serde::Serialize)]
        enum Kind {
            Plain,
        }
        let check = |fast: TokenValue, slow: TokenValue| assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
        check(
            token_to_value(&Some("a\"b\\c\n")).expect("ok"),
            through_text(&Some("a\"b\\c\n")),
        );
        check(
            token_to_value(&None::<String>).expect("ok"),
            through_text(&None::<String>),
        );
        check(token_to_value(&-5i64).expect("ok"), through_text(&-5i64));
        check(token_to_value(&u64::MAX).expect("ok"), through_text(&u64::MAX));
        check(token_to_value(&7i32).expect("ok"), through_text(&7i32));
        check(
            token_to_value(&Cursor("c".into())).expect("ok"),
            through_text(&Cursor("c".into())),
        );
        check(token_to_value(&Kind::Plain).expect("ok"), through_text(&Kind::Plain));
        check(token_to_value(&'x').expect("ok"), through_text(&'x'));
        check(token_to_value(&1.5f32).expect("ok"), through_text(&1.5f32));
        let map = std::collections::BTreeMap::from([("k", vec![1, 2])]);
        check(token_to_value(&map).expect("ok"), through_text(&map));
    }

    #[test]
    fn fields_match_the_text_round_trip() {
        #[derive(Debug, Default, PartialEq, serde::Deserialize)]
        struct Cursor(String);
        let text = |v: &TokenValue| v.to_json();
        for json in [r#""abc""#, r#""a\"b\n""#, "null", "7", "-3", r#"{"k":1}"#, "true"] {
            let value = TokenValue::from_json(json).expect("json");
            let fast = token_from_value::<Option<String>>(&value).map_err(|e| e.to_string());
            let slow = serde_json::from_str::<Option<String>>(&text(&value)).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{json}");
            let fast = token_from_value::<Option<Cursor>>(&value).map_err(|e| e.to_string());
            let slow = serde_json::from_str::<Option<Cursor>>(&text(&value)).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{json}");
            let fast = token_from_value::<Option<i64>>(&value).map_err(|e| e.to_string());
            let slow = serde_json::from_str::<Option<i64>>(&text(&value)).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{json}");
        }
    }

    #[test]
    fn null_is_the_fields_default() {
        #[derive(Debug, Default, PartialEq, serde::Deserialize)]
        struct Cursor(String);
        let null = TokenValue::Null;
        assert_eq!(token_from_value::<String>(&null).expect("ok"), "");
        assert_eq!(token_from_value::<u64>(&null).expect("ok"), 0);
        assert_eq!(token_from_value::<Cursor>(&null).expect("ok"), Cursor::default());
        assert_eq!(token_from_value::<Option<String>>(&null).expect("ok"), None);
        let text = TokenValue::from_json(r#""p2""#).expect("json");
        assert_eq!(token_from_value::<String>(&text).expect("ok"), "p2");
    }

    #[test]
    fn a_swallowed_abandon_still_goes_through_the_text() {
        // Deserializes a string, or anything else as the empty string.
        #[derive(Debug, Default, PartialEq)]
        struct Lenient(String);
        impl<'de> Deserialize<'de> for Lenient {
            fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Lenient(i64::deserialize(d).map(|n| n.to_string()).unwrap_or_default()))
            }
        }
        let value = TokenValue::from_json("12").expect("json");
        assert_eq!(token_from_value::<Lenient>(&value).expect("ok"), Lenient("12".into()));
    }
}
