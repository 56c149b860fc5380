//! The result as the AWS CLI holds it in Python: objects are dicts that keep
//! their keys in insertion order, numbers are `int` or `float`, and each is
//! printed as Python prints it (`json.dumps`, `str`, `repr`).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value with Python's types: `int` apart from `float`, dicts in
/// insertion order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A Python `int` (held to 128 bits).
    Int(i128),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(IndexMap<String, Json>),
}

impl Json {
    /// Parses JSON text as Python's `json.loads` does: keys in document
    /// order, integers apart from fractional numbers.
    pub fn parse(text: &str) -> Result<Json, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn is_scalar(&self) -> bool {
        !matches!(self, Json::Array(_) | Json::Object(_))
    }

    /// `json.dumps(self, indent=4, ensure_ascii=False)`.
    pub fn dumps_indented(&self) -> String {
        let mut out = String::new();
        write_indented(self, 0, &mut out);
        out
    }

    /// `json.dumps(self, separators=(',', ':'))` (ASCII only, as `ensure_ascii`
    /// is on): JMESPath's `to_string`.
    pub fn dumps_compact_ascii(&self) -> String {
        let mut out = String::new();
        write_compact_ascii(self, &mut out);
        out
    }

    /// Python's `bool()`: false for `None`, `False`, zero and empty
    /// containers.
    pub fn py_bool(&self) -> bool {
        match self {
            Json::Null => false,
            Json::Bool(b) => *b,
            Json::Int(n) => *n != 0,
            Json::Float(f) => *f != 0.0,
            Json::Str(s) => !s.is_empty(),
            Json::Array(items) => !items.is_empty(),
            Json::Object(map) => !map.is_empty(),
        }
    }

    /// Python's `str()`: a string as itself, anything else as its `repr`.
    pub fn py_str(&self) -> String {
        match self {
            Json::Str(s) => s.clone(),
            other => other.py_repr(),
        }
    }

    /// Python's `repr()`.
    pub fn py_repr(&self) -> String {
        let mut out = String::new();
        write_repr(self, &mut out);
        out
    }
}

/// Python's `repr(float)`: the shortest text that reads back as the same
/// number, in positional notation for exponents -4 to 15 and in scientific
/// notation otherwise, with a sign and at least two exponent digits
/// (`1e-07`, `1.5e+16`, `100.0`).
pub fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e17", "1e-7".
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.unsigned_abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        return format!("{sign}0.{zeros}{digits}");
    }
    let int_len = exponent as usize + 1;
    if digits.len() <= int_len {
        let zeros = "0".repeat(int_len - digits.len());
        format!("{sign}{digits}{zeros}.0")
    } else {
        let (int_part, frac_part) = digits.split_at(int_len);
        format!("{sign}{int_part}.{frac_part}")
    }
}

/// How `json.dumps` writes a float (`allow_nan` is on by default).
fn float_json(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        float_repr(value)
    }
}

fn write_indented(value: &Json, depth: usize, out: &mut String) {
    let indent = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', 4 * n));
    match value {
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                write_indented(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push(']');
        }
        Json::Object(map) if map.is_empty() => out.push_str("{}"),
        Json::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push_str(": ");
                write_indented(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push('}');
        }
        Json::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        scalar => write_json_scalar(scalar, out),
    }
}

fn write_json_scalar(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(n) => out.push_str(&n.to_string()),
        Json::Float(f) => out.push_str(&float_json(*f)),
        Json::Str(s) => write_ascii_string(s, out),
        Json::Array(_) | Json::Object(_) => {}
    }
}

/// A JSON string with every non-ASCII character escaped (`ensure_ascii`).
fn write_ascii_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

fn write_compact_ascii(value: &Json, out: &mut String) {
    match value {
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact_ascii(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_ascii_string(key, out);
                out.push(':');
                write_compact_ascii(item, out);
            }
            out.push('}');
        }
        scalar => write_json_scalar(scalar, out),
    }
}

fn write_repr(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("None"),
        Json::Bool(true) => out.push_str("True"),
        Json::Bool(false) => out.push_str("False"),
        Json::Int(n) => out.push_str(&n.to_string()),
        Json::Float(f) => out.push_str(&float_repr(*f)),
        Json::Str(s) => write_str_repr(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str_repr(key, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr(str)`: the quote it picks, and escapes for what it does
/// not print.
fn write_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !python_printable(c) => match u32::from(c) {
                code @ ..=0xff => out.push_str(&format!("\\x{code:02x}")),
                code @ ..=0xffff => out.push_str(&format!("\\u{code:04x}")),
                code => out.push_str(&format!("\\U{code:08x}")),
            },
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable()` for one character: everything but the
/// categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs, except the ASCII space.
/// (Unassigned code points follow this crate's Unicode tables, which may be
/// newer than the running Python's.)
fn python_printable(c: char) -> bool {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    c == ' '
        || !matches!(
            c.general_category(),
            G::Control
                | G::Format
                | G::Surrogate
                | G::PrivateUse
                | G::Unassigned
                | G::LineSeparator
                | G::ParagraphSeparator
                | G::SpaceSeparator
        )
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(i128::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Int(i128::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        // A repeated key keeps its first place and takes the last value, as in a dict.
        let mut object = IndexMap::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}

/// `serde_json`'s pretty printer, but floats written as Python's `repr`
/// writes them (`json.dumps` does): `1e-07`, not `1e-7`.
pub struct PythonFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl PythonFormatter<'_> {
    /// Four spaces of indent, as `json.dumps(indent=4)`.
    pub fn indent_4() -> Self {
        PythonFormatter(serde_json::ser::PrettyFormatter::with_indent(b"    "))
    }
}

impl serde_json::ser::Formatter for PythonFormatter<'_> {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f64) -> std::io::Result<()> {
        writer.write_all(float_json(value).as_bytes())
    }
    fn write_f32<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f32) -> std::io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        // Expected texts are CPython 3.11's repr().
        let cases = [
            (1e-7, "1e-07"),
            (1.5e-5, "1.5e-05"),
            (1e-4, "0.0001"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1733337353.759, "1733337353.759"),
            (-2.5e-10, "-2.5e-10"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (1e100, "1e+100"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "inf"),
        ];
        for (value, python) in cases {
            assert_eq!(float_repr(value), python, "{value:e}");
        }
    }

    #[test]
    fn repr_escapes_what_python_does_not_print() {
        // Expected texts are CPython 3.11's repr(['a' + c + 'b']).
        for (c, python) in [
            ('\u{1}', r"['a\x01b']"),
            ('\u{7f}', r"['a\x7fb']"),
            ('\u{85}', r"['a\x85b']"),
            ('\u{a0}', r"['a\xa0b']"),
            ('\u{ad}', r"['a\xadb']"),
            ('\u{378}', r"['a\u0378b']"),
            ('\u{200b}', r"['a\u200bb']"),
            ('\u{2028}', r"['a\u2028b']"),
            ('\u{2029}', r"['a\u2029b']"),
            ('\u{3000}', r"['a\u3000b']"),
            ('\u{e000}', r"['a\ue000b']"),
            ('\u{feff}', r"['a\ufeffb']"),
            ('\u{1fffe}', r"['a\U0001fffeb']"),
            ('\u{e0001}', r"['a\U000e0001b']"),
            ('\u{10fffd}', r"['a\U0010fffdb']"),
            ('é', "['aéb']"),
            ('日', "['a日b']"),
            ('😀', "['a😀b']"),
        ] {
            let value = Json::Array(vec![Json::Str(format!("a{c}b"))]);
            assert_eq!(value.py_repr(), python, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn serde_json_floats_print_as_python_json_dumps() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter::indent_4());
        serde::Serialize::serialize(&[1e-7, 1.5e16, 2.0], &mut serializer).expect("in memory");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "[\n    1e-07,\n    1.5e+16,\n    2.0\n]"
        );
    }

    #[test]
    fn parses_and_prints_in_document_order() {
        let value = Json::parse(r#"{"b": 1, "a": [1.0, 0, 2e3, "é"], "c": {"z": null, "y": true}}"#).expect("json");
        assert_eq!(
            value.dumps_indented(),
            "{\n    \"b\": 1,\n    \"a\": [\n        1.0,\n        0,\n        2000.0,\n        \"é\"\n    ],\n    \
             \"c\": {\n        \"z\": null,\n        \"y\": true\n    }\n}"
        );
        assert_eq!(
            value.dumps_compact_ascii(),
            r#"{"b":1,"a":[1.0,0,2000.0,"\u00e9"],"c":{"z":null,"y":true}}"#
        );
        assert_eq!(
            value.py_repr(),
            "{'b': 1, 'a': [1.0, 0, 2000.0, 'é'], 'c': {'z': None, 'y': True}}"
        );
    }
}
