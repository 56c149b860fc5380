//! The `NextToken` of several firewalls listed at once: `FanOut`'s token for
//! the set, made compact and bound to its `--firewall-arn` list.
//!
//! `FanOut`'s own token holds one token per listing, in order: `null` for a
//! listing done, the starting token for one not started. For thousands of
//! firewalls that is longer than a command-line argument may be (128 KiB on
//! Linux), and it would resume any list of as many firewalls. This one is
//! `base64({"fan_out": {...}})` with
//!
//! * `firewalls`: a fingerprint of the ordered ARN list (the first 8 bytes of
//!   the SHA-256 of the list as a JSON array, in hex), and `count`, its length;
//! * `done`: the listings done, as ascending ranges (`"0-3,7"`);
//! * `at`: the token of each listing started and not done, by its index.
//!
//! A listing in neither starts from its beginning.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The key of `FanOut`'s token, whose value lists the listings' tokens.
const LIBRARY_KEY: &str = "paginate_fan_out";

/// Tokens longer than this are refused before decoding, as for one firewall.
const MAX_TOKEN_LEN: usize = 64 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    fan_out: SetToken,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetToken {
    firewalls: String,
    count: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    done: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    at: BTreeMap<usize, String>,
}

/// The fingerprint of the ordered ARN list.
fn fingerprint(arns: &[String]) -> String {
    let list = serde_json::to_string(arns).unwrap_or_default();
    let digest = Sha256::digest(list.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The set token to print for `FanOut`'s `library` token of `arns`; `fresh`
/// is the token of a listing not started.
pub fn compact(library: &str, arns: &[String], fresh: &str) -> Result<String, String> {
    let unreadable = || "cannot read the resume token of the firewalls listed at once".to_owned();
    let json = STANDARD.decode(library).map_err(|_| unreadable())?;
    let value: serde_json::Value = serde_json::from_slice(&json).map_err(|_| unreadable())?;
    let tokens: Vec<Option<String>> = value
        .get(LIBRARY_KEY)
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(unreadable)?;
    if tokens.len() != arns.len() {
        return Err(unreadable());
    }
    let mut done = Vec::new();
    let mut at = BTreeMap::new();
    for (index, token) in tokens.into_iter().enumerate() {
        match token {
            None => done.push(index),
            Some(token) if token == fresh => {}
            Some(token) => {
                at.insert(index, token);
            }
        }
    }
    let set = Wrapped {
        fan_out: SetToken {
            firewalls: fingerprint(arns),
            count: arns.len(),
            done: ranges(&done),
            at,
        },
    };
    let json = serde_json::to_string(&set).map_err(|_| unreadable())?;
    Ok(STANDARD.encode(json))
}

/// `FanOut`'s token for the set token `token` given with `arns`, or why it is
/// refused (bad input).
pub fn expand(token: &str, arns: &[String], fresh: &str) -> Result<String, String> {
    let not_ours = || "--starting-token is not a NextToken of several --firewall-arn".to_owned();
    if token.len() > MAX_TOKEN_LEN {
        return Err(not_ours());
    }
    let json = STANDARD.decode(token.trim()).map_err(|_| not_ours())?;
    let Wrapped { fan_out: set } = serde_json::from_slice(&json).map_err(|_| not_ours())?;
    if set.count != arns.len() || set.firewalls != fingerprint(arns) {
        return Err(format!(
            "--starting-token is the NextToken of another --firewall-arn list \
             ({} firewalls): give the same firewalls, in the same order",
            set.count
        ));
    }
    let mut tokens: Vec<Option<&str>> = vec![Some(fresh); set.count];
    for index in parse_ranges(&set.done, set.count)? {
        tokens[index] = None;
    }
    for (index, token) in &set.at {
        match tokens.get_mut(*index) {
            Some(slot @ Some(_)) => *slot = Some(token),
            _ => return Err(format!("{}: listing {index} is out of place", not_ours())),
        }
    }
    let json = serde_json::json!({ LIBRARY_KEY: tokens });
    Ok(STANDARD.encode(json.to_string()))
}

/// The first listing's token in `FanOut`'s token `library`.
pub fn first_of(library: &str) -> Option<String> {
    let json = STANDARD.decode(library).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    value.get(LIBRARY_KEY)?.get(0)?.as_str().map(str::to_owned)
}

/// Ascending indices as ranges: `[0, 1, 2, 3, 7]` is `"0-3,7"`.
fn ranges(indices: &[usize]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < indices.len() {
        let start = indices[i];
        let mut end = start;
        while i + 1 < indices.len() && indices[i + 1] == end + 1 {
            i += 1;
            end += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&start.to_string());
        if end > start {
            out.push('-');
            out.push_str(&end.to_string());
        }
        i += 1;
    }
    out
}

/// The indices of `ranges`, which must ascend without overlapping, below `count`.
fn parse_ranges(ranges: &str, count: usize) -> Result<Vec<usize>, String> {
    let bad = || "--starting-token is not a NextToken of several --firewall-arn: bad range of listings done".to_owned();
    let mut indices = Vec::new();
    if ranges.is_empty() {
        return Ok(indices);
    }
    let mut next = 0;
    for range in ranges.split(',') {
        let (start, end) = range.split_once('-').unwrap_or((range, range));
        let number = |s: &str| {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse::<usize>().ok()
        };
        let (Some(start), Some(end)) = (number(start), number(end)) else {
            return Err(bad());
        };
        if start < next || end < start || end >= count {
            return Err(bad());
        }
        indices.extend(start..=end);
        next = end + 1;
    }
    Ok(indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(tokens: &[Option<&str>]) -> String {
        STANDARD.encode(serde_json::json!({ LIBRARY_KEY: tokens }).to_string())
    }

    fn arns(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("arn:{i}")).collect()
    }

    #[test]
    fn ranges_round_trip() {
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[0, 1, 2, 3, 7, 9, 10]), "0-3,7,9-10");
        assert_eq!(parse_ranges("0-3,7,9-10", 11), Ok(vec![0, 1, 2, 3, 7, 9, 10]));
        for bad in ["3-1", "1,1", "2,1", "0-11", "a", "1-", "-1", "+1", "1,,2", "1 "] {
            assert!(parse_ranges(bad, 11).is_err(), "{bad}");
        }
    }

    #[test]
    fn compact_and_expand_round_trip() {
        let fresh = "F";
        let original = library(&[None, Some("a"), Some(fresh), None, None, Some(fresh)]);
        let set = compact(&original, &arns(6), fresh).expect("compacts");
        assert_eq!(expand(&set, &arns(6), fresh), Ok(original));
    }

    #[test]
    fn a_token_is_bound_to_its_list() {
        let fresh = "F";
        let set = compact(&library(&[None, Some("a"), Some(fresh)]), &arns(3), fresh).expect("compacts");
        let mut reordered = arns(3);
        reordered.swap(0, 2);
        assert!(expand(&set, &reordered, fresh).is_err());
        assert!(expand(&set, &arns(2), fresh).is_err());
        assert!(expand(&library(&[None, None, None]), &arns(3), fresh).is_err());
    }

    #[test]
    fn thousands_of_listings_not_started_or_done_take_little_room() {
        let fresh = "eyJOZXh0VG9rZW4iOiBudWxsfQ==";
        let mut tokens = vec![Some(fresh); 4000];
        tokens[..1000].fill(None);
        tokens[1001] = Some("eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==");
        let set = compact(&library(&tokens), &arns(4000), fresh).expect("compacts");
        assert!(set.len() < 300, "{} bytes", set.len());
        assert_eq!(expand(&set, &arns(4000), fresh), Ok(library(&tokens)));
    }
}
