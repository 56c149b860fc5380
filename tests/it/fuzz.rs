//! Fuzzing the token decoder with proptest's byte and string strategies
//! (cargo-fuzz needs a nightly toolchain, which this machine cannot fetch).
//! The test prints how many inputs it ran; `PAGINATE_FUZZ_CASES=N` runs more.

use std::cell::Cell;

use crate::support::{env_cases, request, Service};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{ConfigError, Error, Listing, ListingError, PaginationConfig, ResumeToken, TokenError};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Token-shaped input: raw strings, base64 of arbitrary bytes, and base64 of
/// JSON objects mixing real and bogus keys, truncate amounts of every JSON
/// type, and `boto_encoded_keys` of any shape.
fn token_input() -> impl Strategy<Value = String> {
    let json_value = prop_oneof![
        Just("null".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            f.to_string()
        } else {
            "1e999".to_owned()
        }),
        ".{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
        Just("[]".to_owned()),
        Just("{\"a\": [1, {\"b\": null}]}".to_owned()),
        Just("true".to_owned()),
    ];
    let key = prop_oneof![
        Just("NextToken".to_owned()),
        Just("boto_truncate_amount".to_owned()),
        Just("boto_encoded_keys".to_owned()),
        "[A-Za-z_]{0,10}",
    ];
    let object = prop::collection::vec((key, json_value), 0..5).prop_map(|entries| {
        let body: Vec<String> = entries
            .into_iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::to_string(&k).unwrap_or_default()))
            .collect();
        STANDARD.encode(format!("{{{}}}", body.join(", ")))
    });
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|bytes| STANDARD.encode(bytes)),
        object,
        "[A-Za-z0-9_]{0,20}(___[A-Za-z0-9_-]{0,20}){0,4}",
    ]
}

#[test]
fn token_decoder_under_arbitrary_input() {
    let total = env_cases("PAGINATE_FUZZ_CASES", 20_000);
    let mut runner = runner(total);
    let (accepted, refused) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner.run(&token_input(), |token| {
        // Decoding is total: a typed error or a token, never a panic.
        let decoded = ResumeToken::decode::<crate::support::ListReq>(&token);
        // A listing started from it agrees, and sends nothing when it refuses.
        let svc = Service::new(3);
        let config = PaginationConfig::default().with_starting_token(token.clone());
        let first = Listing::new(svc.blocking(), request(), config).pages().next();
        match (&decoded, first) {
            (Err(_), Some(Err(Error::Listing(ListingError::Config(ConfigError::StartingToken(_)))))) => {
                prop_assert_eq!(svc.calls(), 0);
                refused.set(refused.get() + 1);
            }
            (Err(_), other) => prop_assert!(false, "decode refused {token:?}, the listing gave {other:?}"),
            // Decoding knows no field types; the listing also checks the value fits.
            (
                Ok(_),
                Some(Err(Error::Listing(ListingError::Config(ConfigError::StartingToken(TokenError::InvalidValue {
                    ..
                }))))),
            ) => {
                accepted.set(accepted.get() + 1);
            }
            (Ok(_), Some(Err(Error::Listing(ListingError::Config(e))))) => {
                prop_assert!(false, "decode accepted {token:?}; listing: {e}")
            }
            (Ok(_), _) => accepted.set(accepted.get() + 1),
        }
        Ok(())
    });
    result.expect("no input breaks the decoder");
    let (accepted, refused) = (accepted.get(), refused.get());
    println!("fuzz: token decoder ran {total} inputs ({accepted} accepted, {refused} refused)");
    assert_eq!(accepted + refused, total);
}
