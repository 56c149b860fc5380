//! The fingerprints of the tokens a listing has received, for cycle
//! detection: a set that is only ever inserted into, one entry a page.
//!
//! Every fingerprint goes into a log, split into 16 parts by its top bits,
//! and sets 4 bits of one word of a Bloom filter. A fingerprint whose bits
//! are not all set is new (the common case: one word read and written, one
//! value appended); one whose bits are all set is looked for in its part of
//! the log, which is exact. The filter keeps 16 to 64 bits per fingerprint,
//! so about one new fingerprint in 550 to 750 is looked for in vain (counted
//! over 1,000, 20,000, 100,000 and 1,000,000 random fingerprints), a scan of
//! a sixteenth of the log.
//!
//! A hash set of the fingerprints was the structure before. Cycle detection
//! costs what memory it touches per page, which a loop without it never
//! does: a hash set grows by about 26 bytes a page, moves its entries as it grows
//! and reads a random line of a table that outgrows the cache; this grows by
//! 10 to 16 bytes (8 of log, 2 to 8 of filter), appends, and reads one word
//! of the filter.
//!
//! What is left to cost is growth, and it is kept off the common path:
//! - the filter quadruples (it doubled before), so that it is set again from
//!   the log for 1/3 to 4/3 of the fingerprints a listing receives, not 1 to 2;
//! - a part of the log is a list of segments that never move, so appending
//!   never copies what the part holds (a vector per part, grown by
//!   `realloc`, copied it about).
//!
//! Inserting 20,000 random fingerprints into a new set took 10.3 ns an insert
//! with both as they were, 8.7 with the filter quadrupling, 8.1 to 8.5 with
//! segments too (best of 5 in a temporary test, the generator's 2 ns
//! included; at 1,000 fingerprints 9.1 then 7.6).
//!
//! Measured at page size 10 (`cargo bench --bench overhead`, the README
//! gives the figures), the set costs the item iterator 0.03 to 0.05 of the
//! ratio to a hand-written loop; the hash set cost 0.06 to 0.08.
//!
//! The log keeps the low 64 bits of each 128-bit fingerprint and its part
//! the top 4: two tokens are taken for the same when those 68 bits agree.
//! The key is drawn per listing, so a service cannot make that happen; by
//! chance it happens with probability under n²/2⁶⁹ in a listing of n pages
//! (2·10⁻⁹ at a million pages), and then the listing stops with a cycle
//! error, having yielded nothing twice.

/// Parts of the log, chosen by a fingerprint's top bits.
const PARTS: usize = 16;
/// The filter's first size, in words; it quadruples when it holds 4 fingerprints a word.
const FIRST_WORDS: usize = 64;

/// A set of 128-bit token fingerprints.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// The Bloom filter, a power of two words long (empty before the first insert).
    filter: Vec<u64>,
    /// The low 64 bits of every fingerprint inserted, by its top 4 bits
    /// (held inline: a vector of parts was one more load before the append).
    log: [Part; PARTS],
    /// Fingerprints inserted.
    len: usize,
}

impl Seen {
    /// Adds `fingerprint`; `false` when it was there already. Always
    /// inlined into the one caller, `receive`, whose size kept it (and
    /// `Part::push`) a call with its own prologue on every page.
    #[inline(always)]
    pub(crate) fn insert(&mut self, fingerprint: u128) -> bool {
        if self.len >= self.filter.len() * 4 {
            self.grow();
        }
        let key = fingerprint as u64;
        let part = (fingerprint >> (128 - PARTS.trailing_zeros())) as usize;
        let bits = bits(key);
        let index = word(key, self.filter.len());
        let (Some(word), Some(log)) = (self.filter.get_mut(index), self.log.get_mut(part)) else {
            return true;
        };
        if *word & bits == bits && log.contains(key) {
            return false;
        }
        *word |= bits;
        log.push(key);
        self.len += 1;
        true
    }

    /// Quadruples the filter (or makes the first) and sets it again from the log.
    #[cold]
    fn grow(&mut self) {
        let words = (self.filter.len() * 4).max(FIRST_WORDS);
        let mut filter = vec![0; words];
        for part in &self.log {
            for &key in part.iter() {
                if let Some(word) = filter.get_mut(word(key, words)) {
                    *word |= bits(key);
                }
            }
        }
        self.filter = filter;
    }
}

/// The 4 bits a fingerprint sets in its word, from its low 24 bits.
#[inline]
fn bits(key: u64) -> u64 {
    (1 << (key & 63)) | (1 << ((key >> 6) & 63)) | (1 << ((key >> 12) & 63)) | (1 << ((key >> 18) & 63))
}

/// A fingerprint's word in a filter of `words` (a power of two), from the bits above those.
#[inline]
fn word(key: u64, words: usize) -> usize {
    (key >> 24) as usize & (words - 1)
}

/// A part of the log: segments that are never moved, each twice as long as
/// the one before, the last (`current`) being appended to and the others
/// full, so that appending never copies what the part holds. The current one
/// is held apart, so that appending reads it straight from the part, not
/// through the list of segments.
#[derive(Debug, Default)]
struct Part {
    current: Vec<u64>,
    full: Vec<Vec<u64>>,
}

/// The first segment's length.
const FIRST_SEGMENT: usize = 16;

impl Part {
    #[inline(always)]
    fn push(&mut self, key: u64) {
        if self.current.len() < self.current.capacity() {
            self.current.push(key);
        } else {
            self.push_segment(key);
        }
    }

    #[cold]
    #[inline(never)]
    fn push_segment(&mut self, key: u64) {
        let len = (self.current.capacity() * 2).max(FIRST_SEGMENT);
        let full = std::mem::replace(&mut self.current, Vec::with_capacity(len));
        if !full.is_empty() {
            self.full.push(full);
        }
        self.current.push(key);
    }

    /// The part's fingerprints.
    fn iter(&self) -> impl Iterator<Item = &u64> {
        self.full.iter().flatten().chain(&self.current)
    }

    /// Whether the part holds `key`: a scan, for the few fingerprints whose
    /// filter bits are all set.
    #[inline(never)]
    fn contains(&self, key: u64) -> bool {
        self.current.contains(&key) || self.full.iter().any(|segment| segment.contains(&key))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.iter().count()
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    /// Distinct fingerprints spread over all 128 bits.
    fn spread(i: u128) -> u128 {
        i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) ^ (i << 64)
    }

    #[test]
    fn tells_new_fingerprints_from_seen_ones_in_every_part() {
        let mut seen = Seen::default();
        for i in 1..=10_000 {
            assert!(seen.insert(spread(i)), "{i} is new");
        }
        for i in 1..=10_000 {
            assert!(!seen.insert(spread(i)), "{i} was seen");
        }
        assert!(seen.insert(0) && seen.insert(u128::MAX) && !seen.insert(u128::MAX) && !seen.insert(0));
        assert_eq!(seen.len, 10_002);
        assert!(seen.log.iter().all(|part| part.len() > 400), "every part is used");
        assert!(seen.filter.len() * 4 >= seen.len, "the filter grew with the log");
        for part in &seen.log {
            assert!(
                part.full.iter().all(|s| s.len() == s.capacity()),
                "appended to the current segment only"
            );
            let lens: Vec<usize> = part.full.iter().chain([&part.current]).map(Vec::capacity).collect();
            assert!(lens.windows(2).all(|w| w[1] == 2 * w[0]), "{lens:?}");
        }
    }

    #[test]
    fn a_fingerprint_seen_before_the_filter_grew_is_still_found() {
        let mut seen = Seen::default();
        assert!(seen.insert(spread(7)));
        for i in 1000..5000 {
            seen.insert(spread(i));
        }
        assert!(seen.filter.len() > super::FIRST_WORDS, "the filter was rebuilt");
        assert!(!seen.insert(spread(7)));
    }

    #[test]
    fn fingerprints_that_share_the_filter_bits_are_told_apart_by_the_log() {
        let mut seen = Seen::default();
        // Same low 24 bits (the filter bits) and the same word: only the log tells.
        let a = 0x0000_0000_00ab_cdefu128;
        let b = a | (1 << 60);
        assert!(seen.insert(a));
        assert!(seen.insert(b), "a different fingerprint, same filter bits");
        assert!(!seen.insert(b) && !seen.insert(a));
    }
}
