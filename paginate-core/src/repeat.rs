//! Repeated tokens: botocore's check that a page does not hand back the token
//! the page before it gave, and, under the default policy, that no token of
//! the listing comes back at all (a cycle of any length would loop for ever).

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::BuildHasher;

use crate::config::RepeatPolicy;
use crate::token::TokenSet;

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
/// whose fingerprints collide, and by chance two sets of tokens meet with
/// probability under n²/2¹²⁹ in a listing of n pages.
#[derive(Debug)]
pub(crate) struct RepeatGuard {
    policy: RepeatPolicy,
    key: u64,
    /// The fingerprint of the tokens last received.
    last: Option<u128>,
    /// Every fingerprint received, under [`RepeatPolicy::RejectCycles`].
    seen: HashSet<u128>,
}

impl RepeatGuard {
    pub(crate) fn new(policy: RepeatPolicy) -> Self {
        RepeatGuard {
            policy,
            key: RandomState::new().hash_one(0u8),
            last: None,
            seen: HashSet::new(),
        }
    }

    /// Records the tokens a page gave; how they repeat earlier ones, if the
    /// policy refuses that.
    pub(crate) fn check(&mut self, received: &TokenSet) -> Option<Repeat> {
        if self.policy == RepeatPolicy::Allow {
            return None;
        }
        let fingerprint = received.fingerprint(self.key);
        let immediate = self.last.replace(fingerprint) == Some(fingerprint);
        match self.policy {
            RepeatPolicy::Allow => None,
            _ if immediate => Some(Repeat::Immediate),
            RepeatPolicy::RejectImmediateRepeat => None,
            RepeatPolicy::RejectCycles => (!self.seen.insert(fingerprint)).then_some(Repeat::Cycle),
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
