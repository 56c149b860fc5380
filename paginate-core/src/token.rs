//! Resume tokens: botocore's `StartingToken` format, read and written byte for byte.
//!
//! A botocore token is `base64(json.dumps({<input token>: <value>, ...,
//! "boto_truncate_amount": n}))`, where `n` (present only when a page was cut
//! short) counts the items of the page requested with those tokens that were
//! already handed out. Values holding bytes are base64 strings listed under
//! `"boto_encoded_keys"`: read here (the text is kept, as JSON-protocol models
//! carry blobs as base64 strings), never written (serde models give no sign of
//! which strings are blobs). Older botocore wrote `tok1___tok2___n`; and a string
//! that is neither is a raw service token, passed through as the first input token.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::error::TokenError;
use crate::pyjson;
use crate::token_set::TokenSet;
use crate::value::TokenValue;

/// The longest `StartingToken` accepted, in bytes. Service tokens are at most
/// a few KiB (Network Firewall: 4096 characters); this leaves room for large
/// composite keys while refusing absurd input before any work is done.
pub(crate) const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The largest `boto_truncate_amount` accepted: no service returns a page of
/// more items than this.
pub(crate) const MAX_TRUNCATE_AMOUNT: u64 = 1 << 31;

const TRUNCATE_KEY: &str = "boto_truncate_amount";
const ENCODED_KEYS_KEY: &str = "boto_encoded_keys";

impl TokenSet {
    /// The token as botocore writes it: `base64(json.dumps(...))`, with
    /// `boto_truncate_amount` when `truncate` is given.
    pub(crate) fn encode(&self, names: &[&str], truncate: Option<usize>) -> String {
        let mut json = Vec::with_capacity(64);
        json.push(b'{');
        for (n, (index, value)) in self.entries().enumerate() {
            if n > 0 {
                json.extend_from_slice(b", ");
            }
            let name = names.get(index).copied().unwrap_or_default();
            push_py(&mut json, name);
            json.extend_from_slice(b": ");
            push_py(&mut json, value);
        }
        if let Some(amount) = truncate {
            if self.entries().next().is_some() {
                json.extend_from_slice(b", ");
            }
            push_py(&mut json, TRUNCATE_KEY);
            json.extend_from_slice(b": ");
            json.extend_from_slice(amount.to_string().as_bytes());
        }
        json.push(b'}');
        STANDARD.encode(json)
    }
}

fn push_py<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Serializing a `str` or a token value into memory cannot fail.
    let _ = pyjson::write(out, value);
}

/// A decoded `StartingToken`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StartingToken {
    /// The input-token values to send with the first request.
    pub(crate) tokens: TokenSet,
    /// How many items of the first page were already handed out.
    pub(crate) truncate_amount: usize,
}

/// Reads a `StartingToken` the way botocore does, but strictly: a botocore
/// token (base64 of a JSON object) must name only this operation's input
/// tokens; an old-style `a___b___N` token must not have too many parts; any
/// other string is a raw service token for the first input token.
pub(crate) fn decode(token: &str, names: &[&str]) -> Result<StartingToken, TokenError> {
    if token.is_empty() {
        return Err(TokenError::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    match botocore_object(token) {
        Some(object) => decode_object(object, names),
        None => decode_legacy(token, names),
    }
}

/// The JSON object inside a botocore token, or `None` when `token` is not one.
fn botocore_object(token: &str) -> Option<Vec<(String, TokenValue)>> {
    let bytes = python_b64decode(token)?;
    let text = String::from_utf8(bytes).ok()?;
    match TokenValue::from_json(&text).ok()? {
        TokenValue::Object(entries) => Some(entries),
        _ => None,
    }
}

/// `base64.b64decode` without `validate=True`: characters outside the
/// alphabet are skipped, padding must be sufficient, trailing bits are ignored.
fn python_b64decode(text: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone),
    );
    let mut data = String::with_capacity(text.len());
    let mut padding = 0;
    for ch in text.chars() {
        match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' if padding == 0 => data.push(ch),
            '=' => padding += 1,
            _ => {}
        }
    }
    let rest = data.len() % 4;
    if rest == 1 || (rest != 0 && padding < 4 - rest) {
        return None;
    }
    LENIENT.decode(data).ok()
}

fn decode_object(object: Vec<(String, TokenValue)>, names: &[&str]) -> Result<StartingToken, TokenError> {
    let mut entries: Vec<(usize, TokenValue)> = Vec::with_capacity(names.len());
    let mut truncate_amount = 0;
    let mut encoded_keys = None;
    for (key, value) in object {
        if key == TRUNCATE_KEY {
            truncate_amount = truncate_amount_from(&value)?;
        } else if key == ENCODED_KEYS_KEY {
            encoded_keys = Some(value);
        } else if let Some(index) = names.iter().position(|n| *n == key) {
            entries.push((index, value));
        } else {
            return Err(TokenError::UnknownKey {
                key,
                expected: names.join(", "),
            });
        }
    }
    // botocore fills nothing in; a token from another botocore version may lack
    // a key, which then means "absent", written after the keys it has.
    for index in 0..names.len() {
        if !entries.iter().any(|(i, _)| *i == index) {
            entries.push((index, TokenValue::Null));
        }
    }
    let tokens: TokenSet = entries.into_iter().collect();
    if let Some(paths) = encoded_keys {
        check_encoded_keys(&tokens, names, paths)?;
    }
    Ok(StartingToken {
        tokens,
        truncate_amount,
    })
}

fn truncate_amount_from(value: &TokenValue) -> Result<usize, TokenError> {
    match value {
        TokenValue::Number(n) => match n.as_u64() {
            Some(n) if n <= MAX_TRUNCATE_AMOUNT => usize::try_from(n).map_err(|_| invalid_amount(value)),
            _ => Err(invalid_amount(value)),
        },
        _ => Err(invalid_amount(value)),
    }
}

fn invalid_amount(value: &TokenValue) -> TokenError {
    TokenError::InvalidTruncateAmount {
        found: value.to_json(),
        max: MAX_TRUNCATE_AMOUNT,
    }
}

/// Checks that each path listed in `boto_encoded_keys` leads to base64 text.
///
/// The text is kept as it is: a JSON-protocol service carries blobs as base64
/// strings, so that is what a serde model of its token deserializes (a
/// DynamoDB `{"B": "AAEC"}` key, say).
fn check_encoded_keys(tokens: &TokenSet, names: &[&str], paths: TokenValue) -> Result<(), TokenError> {
    let invalid = |reason: &str| TokenError::InvalidEncodedKeys {
        reason: reason.to_owned(),
    };
    let TokenValue::Array(paths) = paths else {
        return Err(invalid("it is not a list of paths"));
    };
    for path in paths {
        let TokenValue::Array(steps) = path else {
            return Err(invalid("a path is not a list"));
        };
        let Some((TokenValue::String(first), rest)) = steps.split_first() else {
            return Err(invalid("a path does not start with an input token name"));
        };
        let index = names
            .iter()
            .position(|n| n == first)
            .ok_or_else(|| invalid("a path does not start with an input token name"))?;
        let Some((_, mut target)) = tokens.entries().find(|(i, _)| *i == index) else {
            return Err(invalid("a path names a missing token"));
        };
        for step in rest {
            target = match (target, step) {
                (TokenValue::Object(_), TokenValue::String(key)) => target.get(key),
                (TokenValue::Array(items), TokenValue::Number(n)) => n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| items.get(i)),
                _ => None,
            }
            .ok_or_else(|| invalid("a path does not lead to a value"))?;
        }
        let TokenValue::String(text) = target else {
            return Err(invalid("an encoded value is not a string"));
        };
        python_b64decode(text).ok_or_else(|| invalid("an encoded value is not base64"))?;
    }
    Ok(())
}

/// botocore's fallback for what is not a JSON token: `tok1___tok2___N`, else a raw service token.
fn decode_legacy(token: &str, names: &[&str]) -> Result<StartingToken, TokenError> {
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut truncate_amount = 0;
    if parts.len() == names.len() + 1 {
        match parts.last().and_then(|last| python_int(last)) {
            Some(n) if n < 0 || n as u64 > MAX_TRUNCATE_AMOUNT => {
                return Err(TokenError::InvalidTruncateAmount {
                    found: n.to_string(),
                    max: MAX_TRUNCATE_AMOUNT,
                })
            }
            Some(n) => {
                truncate_amount = n as usize;
                parts.pop();
            }
            None => parts = vec![token],
        }
    }
    if parts.len() > names.len() {
        return Err(TokenError::TooManyParts {
            parts: parts.len(),
            expected: names.len(),
        });
    }
    let mut values: Vec<TokenValue> = parts
        .into_iter()
        .map(|part| {
            if part == "None" {
                TokenValue::Null
            } else {
                TokenValue::String(part.to_owned())
            }
        })
        .collect();
    values.resize(names.len(), TokenValue::Null);
    Ok(StartingToken {
        tokens: TokenSet::from_values(values),
        truncate_amount,
    })
}

/// Python's `int(text)` for the forms an item count takes: optional
/// surrounding whitespace, an optional sign, ASCII digits with single underscores.
fn python_int(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Counts beyond i64 are absurd either way; treat them as "not a count".
    let n: i64 = clean.parse().ok()?;
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> TokenValue {
        TokenValue::from_json(text).expect("valid JSON")
    }

    const ONE: &[&str] = &["NextToken"];
    const TWO: &[&str] = &["KeyMarker", "VersionIdMarker"];

    #[test]
    fn encodes_like_botocore() {
        // Tokens copied from botocore 1.43 runs (see tests/conformance/vectors).
        let t = TokenSet::from_values(vec![TokenValue::Null]);
        assert_eq!(
            t.encode(ONE, Some(1)),
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
        );
        let t = TokenSet::from_values(vec![json(r#""tab\tand/9773""#), json(r#""5cd9c5d3d281a659""#)]);
        assert_eq!(
            t.encode(TWO, None),
            "eyJLZXlNYXJrZXIiOiAidGFiXHRhbmQvOTc3MyIsICJWZXJzaW9uSWRNYXJrZXIiOiAiNWNkOWM1ZDNkMjgxYTY1OSJ9"
        );
    }

    #[test]
    fn decode_keeps_key_order_and_amount() {
        let raw = STANDARD.encode(r#"{"VersionIdMarker": "v", "KeyMarker": "k", "boto_truncate_amount": 3}"#);
        let st = decode(&raw, TWO).expect("valid token");
        assert_eq!(st.truncate_amount, 3);
        let entries: Vec<_> = st.tokens.entries().map(|(i, v)| (i, v.clone())).collect();
        assert_eq!(entries, vec![(1, json(r#""v""#)), (0, json(r#""k""#))]);
        assert_eq!(st.tokens.encode(TWO, Some(3)), raw);
    }

    #[test]
    fn raw_and_legacy_tokens_fall_back() {
        let st = decode("AAErDpBLUxWnEhwCigqH6ki1SsDKvyY1YCbX17XymFAH2wAAAAF", ONE).expect("raw");
        assert_eq!(
            st.tokens,
            TokenSet::from_values(vec![json(r#""AAErDpBLUxWnEhwCigqH6ki1SsDKvyY1YCbX17XymFAH2wAAAAF""#)])
        );
        let st = decode("abc___7", ONE).expect("legacy");
        assert_eq!(
            (st.tokens, st.truncate_amount),
            (TokenSet::from_values(vec![json(r#""abc""#)]), 7)
        );
        let st = decode("k___None___2", TWO).expect("legacy two");
        assert_eq!(
            (st.tokens, st.truncate_amount),
            (TokenSet::from_values(vec![json(r#""k""#), TokenValue::Null]), 2)
        );
        let st = decode("abc___x", ONE).expect("not a count: raw");
        assert_eq!(st.tokens, TokenSet::from_values(vec![json(r#""abc___x""#)]));
        let st = decode("only", TWO).expect("short legacy");
        assert_eq!(
            st.tokens,
            TokenSet::from_values(vec![json(r#""only""#), TokenValue::Null])
        );
    }

    #[test]
    fn bad_tokens_are_typed_errors() {
        assert!(matches!(decode("", ONE), Err(TokenError::Empty)));
        assert!(matches!(
            decode(&"A".repeat(MAX_TOKEN_LEN + 1), ONE),
            Err(TokenError::TooLong { .. })
        ));
        let unknown = STANDARD.encode(r#"{"Marker": "x"}"#);
        assert!(matches!(decode(&unknown, ONE), Err(TokenError::UnknownKey { key, .. }) if key == "Marker"));
        for amount in ["-1", "1.5", "\"3\"", "1e300", "99999999999999"] {
            let t = STANDARD.encode(format!(r#"{{"NextToken": null, "boto_truncate_amount": {amount}}}"#));
            assert!(
                matches!(decode(&t, ONE), Err(TokenError::InvalidTruncateAmount { .. })),
                "{amount}"
            );
        }
        assert!(matches!(
            decode("a___b___c", ONE),
            Err(TokenError::TooManyParts { parts: 3, expected: 1 })
        ));
        assert!(matches!(
            decode("a___-2", ONE),
            Err(TokenError::InvalidTruncateAmount { .. })
        ));
    }

    #[test]
    fn encoded_keys_keep_their_base64_text() {
        let raw = STANDARD.encode(
            r#"{"ExclusiveStartKey": {"pk": {"B": "AAEC"}}, "boto_encoded_keys": [["ExclusiveStartKey", "pk", "B"]]}"#,
        );
        let st = decode(&raw, &["ExclusiveStartKey"]).expect("valid");
        assert_eq!(st.tokens, TokenSet::from_values(vec![json(r#"{"pk": {"B": "AAEC"}}"#)]));
        let bad =
            STANDARD.encode(r#"{"ExclusiveStartKey": {"pk": 1}, "boto_encoded_keys": [["ExclusiveStartKey", "pk"]]}"#);
        assert!(matches!(
            decode(&bad, &["ExclusiveStartKey"]),
            Err(TokenError::InvalidEncodedKeys { .. })
        ));
    }

    #[test]
    fn lenient_base64_like_python() {
        assert_eq!(python_b64decode("YWJj"), Some(b"abc".to_vec()));
        assert_eq!(python_b64decode("YW Jj\n"), Some(b"abc".to_vec()));
        assert_eq!(python_b64decode("YWI="), Some(b"ab".to_vec()));
        assert_eq!(python_b64decode("YWI"), None);
        assert_eq!(python_b64decode("YWJjZ"), None);
    }
}
