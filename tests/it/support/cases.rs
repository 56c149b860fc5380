//! How many cases a property or fuzz test runs: a default that the
//! environment can raise.

use proptest::test_runner::Config;

/// The number in the environment variable `var`, or `default`.
pub fn env_cases(var: &str, default: u32) -> u32 {
    std::env::var(var).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Proptest's configuration with `PROPTEST_CASES` cases, `default` without it.
pub fn proptest_cases(default: u32) -> Config {
    Config {
        cases: env_cases("PROPTEST_CASES", default),
        ..Config::default()
    }
}
