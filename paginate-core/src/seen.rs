//! The fingerprints of the tokens a listing has received, for cycle
//! detection: a set that is only ever inserted into, one entry a page.
//!
//! It is split into 16 shards by the fingerprint's top bits. Growing a shard
//! moves a sixteenth of the entries, within tables small enough to stay in
//! cache and, up to about 100,000 pages, below the size at which the
//! allocator maps fresh pages. Measured at page size 10 (`cargo bench
//! --bench overhead`), the set costs 0.06 to 0.08 of the item iterator's ratio
//! to a hand-written loop; one table cost 0.01 to 0.02 more. A tag table
//! over a log of fingerprints and a Bloom filter over a chunked log were
//! tried and cost the same within noise: what costs is the memory a set
//! needs per page, which a loop without cycle detection does not touch.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

const SHARDS: usize = 16;

/// A set of 128-bit token fingerprints.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// Empty until the first insert (most listings are a page or two).
    shards: Vec<HashSet<u128, BuildHasherDefault<Prehashed>>>,
}

impl Seen {
    fn shard(fingerprint: u128) -> usize {
        (fingerprint >> (128 - SHARDS.trailing_zeros())) as usize
    }

    /// Adds `fingerprint`; `false` when it was there already.
    #[inline]
    pub(crate) fn insert(&mut self, fingerprint: u128) -> bool {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, HashSet::default);
        }
        match self.shards.get_mut(Self::shard(fingerprint)) {
            Some(set) => set.insert(fingerprint),
            None => true,
        }
    }
}

/// The shards' hasher: their keys are fingerprints, hashes already.
#[derive(Debug, Default)]
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

    fn write_u128(&mut self, fingerprint: u128) {
        // The low half of the fingerprint, as it is (the shard is chosen by
        // the top bits).
        self.0 = fingerprint as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn tells_new_fingerprints_from_seen_ones_in_every_shard() {
        let mut seen = Seen::default();
        let spread = |i: u128| i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        for i in 1..=10_000 {
            assert!(seen.insert(spread(i)), "{i} is new");
        }
        for i in 1..=10_000 {
            assert!(!seen.insert(spread(i)), "{i} was seen");
        }
        assert!(seen.insert(0) && seen.insert(u128::MAX) && !seen.insert(u128::MAX));
        assert!(seen.shards.iter().all(|shard| shard.len() > 400), "every shard is used");
    }
}
