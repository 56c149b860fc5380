//! JSON text exactly as Python's `json.dumps` writes it with its defaults
//! (`separators=(', ', ': ')`, `ensure_ascii=True`, float `repr`).
//!
//! botocore's resume tokens are `base64(json.dumps(token))`, so a token is only
//! byte-identical to boto3's when the JSON text is too.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

use crate::value::TokenValue;

/// A [`serde_json`] formatter that writes what Python's `json.dumps` writes.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PyFormatter;

impl Formatter for PyFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(python_float_repr(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        // serde_json hands over everything it does not escape itself: that is
        // all printable ASCII but also DEL and every non-ASCII character, which
        // `ensure_ascii` turns into `\uXXXX` (UTF-16 surrogate pairs above the BMP).
        let mut start = 0;
        for (i, ch) in fragment.char_indices() {
            if ch.is_ascii() && ch != '\x7f' {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = i + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, writer: &mut W, escape: CharEscape) -> io::Result<()> {
        let text: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write!(writer, "\\u{byte:04x}"),
        };
        writer.write_all(text)
    }
}

/// Serializes `value` into `out` as Python's `json.dumps(value)` would.
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let mut serializer = Serializer::with_formatter(out, PyFormatter);
    value.serialize(&mut serializer)
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed
/// notation for decimal exponents in `-4..16` and scientific notation
/// (`1e+16`, `1.5e-05`) outside it.
pub(crate) fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. `1.733337353759e9`.
    let sci = format!("{value:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::from(sign);
    if (-4..16).contains(&exponent) {
        if exponent < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        } else {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.abs()));
    }
    out
}

/// A Python `repr` of a JSON value, as botocore prints token dicts in its
/// error messages (`{'NextToken': 'abc'}`).
pub(crate) fn python_repr(value: &TokenValue, out: &mut String) {
    match value {
        TokenValue::Null => out.push_str("None"),
        TokenValue::Bool(true) => out.push_str("True"),
        TokenValue::Bool(false) => out.push_str("False"),
        TokenValue::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() => out.push_str(&python_float_repr(f)),
            _ => out.push_str(&n.to_string()),
        },
        TokenValue::String(s) => python_str_repr(s, out),
        TokenValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        TokenValue::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str_repr(key, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn python_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !python_printable(c) => {
                let code = c as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
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
    if c == ' ' {
        return true;
    }
    !matches!(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> TokenValue {
        TokenValue::from_json(text).expect("valid JSON")
    }

    fn dumps(value: &TokenValue) -> String {
        let mut out = Vec::new();
        write(&mut out, value).expect("serializing a Value cannot fail");
        String::from_utf8(out).expect("output is ASCII")
    }

    #[test]
    fn separators_and_escapes_match_python() {
        // Expected strings are what CPython 3.11 `json.dumps` prints.
        assert_eq!(
            dumps(&json(r#"{"KeyMarker": "docs/café", "V": null, "n": [1, 2]}"#)),
            r#"{"KeyMarker": "docs/caf\u00e9", "V": null, "n": [1, 2]}"#
        );
        assert_eq!(dumps(&json(r#""emoji/😀""#)), r#""emoji/\ud83d\ude00""#);
        assert_eq!(
            dumps(&TokenValue::String("tab\tand \"q\" \\ /\u{7f}\u{1}".into())),
            r#""tab\tand \"q\" \\ /\u007f\u0001""#
        );
        assert_eq!(dumps(&json(r#""日本""#)), r#""\u65e5\u672c""#);
    }

    #[test]
    fn floats_match_python_repr() {
        for (value, python) in [
            (1733337353.759, "1733337353.759"),
            (3.0, "3.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345.6, "123456789012345.6"),
            (-2.5, "-2.5"),
            (1e22, "1e+22"),
        ] {
            assert_eq!(python_float_repr(value), python, "repr({value})");
        }
    }

    #[test]
    fn repr_escapes_what_python_does_not_print() {
        // Expected strings are what CPython 3.11 `repr('a' + c + 'b')` prints.
        for (c, python) in [
            ('\u{a0}', r"'a\xa0b'"),
            ('\u{85}', r"'a\x85b'"),
            ('\u{2028}', r"'a\u2028b'"),
            ('\u{2029}', r"'a\u2029b'"),
            ('\u{200b}', r"'a\u200bb'"),
            ('\u{feff}', r"'a\ufeffb'"),
            ('\u{e000}', r"'a\ue000b'"),
            ('\u{10fffd}', r"'a\U0010fffdb'"),
            ('\u{378}', r"'a\u0378b'"),
            ('\u{e0001}', r"'a\U000e0001b'"),
            ('\u{7f}', r"'a\x7fb'"),
            ('\u{9f}', r"'a\x9fb'"),
            ('\u{ad}', r"'a\xadb'"),
            ('\u{3000}', r"'a\u3000b'"),
            ('\u{1fffe}', r"'a\U0001fffeb'"),
            ('é', "'aéb'"),
            ('日', "'a日b'"),
            ('😀', "'a😀b'"),
        ] {
            let mut out = String::new();
            python_str_repr(&format!("a{c}b"), &mut out);
            assert_eq!(out, python, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn repr_matches_python() {
        let mut out = String::new();
        python_repr(&json(r#"{"NextToken": "it's", "n": null, "b": true}"#), &mut out);
        assert_eq!(out, r#"{'NextToken': "it's", 'n': None, 'b': True}"#);
    }
}
