//! Repeated tokens: botocore's check that a page does not hand back the token
//! the page before it gave, and, under the default policy, that no token of
//! the listing comes back at all (a cycle of any length would loop for ever).

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::config::RepeatPolicy;
use crate::token_set::TokenSet;

/// How a page's tokens repeat earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// The tokens the page before gave (botocore's check).
    Immediate,
    /// Tokens an earlier page gave.
    Cycle,
}

/// The tokens a listing has received, as 128-bit fingerprints keyed per
/// listing: the key is drawn at random, so a service cannot choose tokens
/// whose fingerprints collide. The immediate check compares all 128 bits; the
/// set keeps 64 of each, so that by chance two sets of tokens meet with
/// probability under n²/2⁶⁵ in a listing of n pages (3·10⁻⁸ at a million
/// pages), and then the listing stops with a cycle error, having yielded
/// nothing twice.
pub(crate) struct RepeatGuard {
    policy: RepeatPolicy,
    /// The listing's key.
    key: u64,
    /// The bytes of the tokens last fingerprinted, kept for the next page.
    scratch: Vec<u8>,
    /// The fingerprint of the tokens last received.
    last: Option<u128>,
    /// Every fingerprint received, under [`RepeatPolicy::RejectCycles`].
    seen: HashSet<u64, BuildHasherDefault<Prehashed>>,
}

impl std::fmt::Debug for RepeatGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepeatGuard")
            .field("policy", &self.policy)
            .field("received", &self.seen.len())
            .finish_non_exhaustive()
    }
}

/// The set's hasher: a fingerprint is a keyed hash already, so it serves as
/// the set's hash as it is.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, fingerprint: u64) {
        self.0 = fingerprint;
    }
}

impl RepeatGuard {
    pub(crate) fn new(policy: RepeatPolicy) -> Self {
        RepeatGuard {
            policy,
            key: RandomState::new().hash_one(0u8),
            scratch: Vec::new(),
            last: None,
            seen: HashSet::default(),
        }
    }

    /// Forgets every token received: a listing restarted from its beginning
    /// receives them again.
    pub(crate) fn reset(&mut self) {
        self.last = None;
        self.seen.clear();
    }

    /// Records the tokens a page gave; how they repeat earlier ones, if the
    /// policy refuses that.
    pub(crate) fn check(&mut self, received: &TokenSet) -> Option<Repeat> {
        if self.policy == RepeatPolicy::Allow {
            return None;
        }
        let fingerprint = received.fingerprint(self.key, &mut self.scratch);
        let immediate = self.last.replace(fingerprint) == Some(fingerprint);
        match self.policy {
            RepeatPolicy::Allow => None,
            _ if immediate => Some(Repeat::Immediate),
            RepeatPolicy::RejectImmediateRepeat => None,
            RepeatPolicy::RejectCycles => (!self.seen.insert(fingerprint as u64)).then_some(Repeat::Cycle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::TokenValue;

    fn tokens(s: &str) -> TokenSet {
        TokenSet::from_values([TokenValue::String(s.to_owned())])
    }

    #[test]
    fn each_policy_refuses_what_it_says() {
        let run = |policy, pages: &[&str]| {
            let mut guard = RepeatGuard::new(policy);
            pages.iter().map(|p| guard.check(&tokens(p))).collect::<Vec<_>>()
        };
        let cycle = ["a", "b", "a"];
        let immediate = ["a", "a"];
        assert_eq!(
            run(RepeatPolicy::RejectCycles, &cycle),
            [None, None, Some(Repeat::Cycle)]
        );
        assert_eq!(
            run(RepeatPolicy::RejectCycles, &immediate),
            [None, Some(Repeat::Immediate)]
        );
        assert_eq!(run(RepeatPolicy::RejectImmediateRepeat, &cycle), [None, None, None]);
        assert_eq!(
            run(RepeatPolicy::RejectImmediateRepeat, &immediate),
            [None, Some(Repeat::Immediate)]
        );
        assert_eq!(run(RepeatPolicy::Allow, &immediate), [None, None]);
    }
}
