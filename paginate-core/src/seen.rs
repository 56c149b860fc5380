//! The fingerprints of the tokens a listing has received, for cycle
//! detection: a set that is only ever inserted into, one entry a page.
//!
//! Every fingerprint is appended to a log (written in order: the exact
//! record), and an open-addressing table of 32-bit tags indexes it. A page
//! costs one probe of that table. Where a tag matches (a repeat, or about one
//! chance in 2^32 per slot probed) the log is searched for the whole
//! fingerprint, so the set is exact. Tags are not keyed: a service that
//! crafted colliding tokens would make each of its pages search the log,
//! slowing its own listing, nothing more.
//!
//! The table is grown where it lies (cleared, resized, refilled from the
//! log), not copied into a fresh allocation: on the dev machine each page of
//! memory touched for the first time costs a fault of about 1.7 µs, and a
//! growing `HashSet` of the fingerprints (a new table per doubling) cost page
//! size 10 about 0.08 of its ratio to a hand-written loop; this costs 0.01.

/// A set of 128-bit token fingerprints.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// Every fingerprint added, in order.
    log: Vec<u128>,
    /// Linear probing over the fingerprints' low bits; each slot holds the
    /// tag of one logged fingerprint, 0 when empty. Its length is a power of
    /// two, at least twice the log's.
    tags: Vec<u32>,
}

impl Seen {
    /// Adds `fingerprint`; `false` when it was there already.
    #[inline]
    pub(crate) fn insert(&mut self, fingerprint: u128) -> bool {
        if (self.log.len() + 1) * 2 > self.tags.len() {
            self.grow();
        }
        let tag = tag(fingerprint);
        let mask = self.tags.len() - 1;
        let mut slot = (fingerprint as usize) & mask;
        loop {
            match self.tags.get(slot).copied() {
                Some(0) | None => break,
                Some(t) if t == tag && self.log.contains(&fingerprint) => return false,
                Some(_) => slot = (slot + 1) & mask,
            }
        }
        if let Some(free) = self.tags.get_mut(slot) {
            *free = tag;
        }
        self.log.push(fingerprint);
        true
    }

    /// Doubles the table (from 64 slots) and puts every logged tag back.
    #[cold]
    fn grow(&mut self) {
        let slots = (self.tags.len() * 2).max(64);
        // Grown where it is, if the allocator can: the old part's pages are
        // not touched for the first time again.
        let mut tags = std::mem::take(&mut self.tags);
        tags.clear();
        tags.resize(slots, 0);
        let mask = slots - 1;
        for &fingerprint in &self.log {
            let mut slot = (fingerprint as usize) & mask;
            while tags.get(slot).is_some_and(|t| *t != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(free) = tags.get_mut(slot) {
                *free = tag(fingerprint);
            }
        }
        self.tags = tags;
    }
}

/// A fingerprint's tag: its top 32 bits, never 0 (the empty slot).
fn tag(fingerprint: u128) -> u32 {
    ((fingerprint >> 96) as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn tells_new_fingerprints_from_seen_ones() {
        let mut seen = Seen::default();
        let spread = |i: u128| i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        for i in 1..=10_000 {
            assert!(seen.insert(spread(i)), "{i} is new");
        }
        for i in 1..=10_000 {
            assert!(!seen.insert(spread(i)), "{i} was seen");
        }
        assert!(seen.insert(0) && !seen.insert(0));
    }

    #[test]
    fn agrees_with_a_hash_set_on_colliding_fingerprints() {
        use std::collections::HashSet;
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut seen = Seen::default();
        let mut oracle = HashSet::new();
        // Three tags, so that a probe often meets its own tag on another
        // fingerprint; 3,000 values in all, so that many come back.
        for _ in 0..3_000 {
            let (tag, middle) = (next() % 3, next() % 1000);
            let low = middle.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ tag;
            let fingerprint = (u128::from(tag) << 96) | (u128::from(middle) << 64) | u128::from(low);
            assert_eq!(seen.insert(fingerprint), oracle.insert(fingerprint), "{fingerprint:#x}");
        }
        assert!(
            oracle.len() > 1000 && oracle.len() < 2_500,
            "new and repeated fingerprints both"
        );
    }

    #[test]
    fn fingerprints_that_share_a_tag_and_a_slot_are_told_apart() {
        let mut seen = Seen::default();
        // Same top 32 bits and same low bits: same tag, same first slot.
        let a = (7u128 << 96) | 5;
        let b = (7u128 << 96) | (1 << 64) | 5;
        assert!(seen.insert(a));
        assert!(seen.insert(b), "b differs from a in the middle bits");
        assert!(!seen.insert(a) && !seen.insert(b));
        assert_eq!(super::tag(0), 1, "no tag is the empty slot");
    }
}
