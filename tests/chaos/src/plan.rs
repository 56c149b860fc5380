//! What a run lists: the sizes of its listings, drawn from a seed, and the
//! items each holds (the ground truth the verdict compares with).

/// A small, fast, well-mixed hash (SplitMix64's finalizer): every random
/// choice of the harness is this of a seed and a counter, so a run is
/// repeatable from its seed.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The sizes of `listings` listings: a tenth empty, three tenths under a
/// page, four tenths of a few pages, two tenths of many pages (up to 1,000
/// items).
pub fn sizes(seed: u64, listings: usize) -> Vec<u32> {
    (0..listings as u64)
        .map(|listing| {
            let r = mix(seed ^ mix(listing));
            let bucket = r % 10;
            let within = (r >> 8) as u32;
            match bucket {
                0 => 0,
                1..=3 => 1 + within % 24,
                4..=7 => 25 + within % 176,
                _ => 200 + within % 801,
            }
        })
        .collect()
}

/// Every item of a run: `(listing, item)`.
pub fn truth(sizes: &[u32]) -> Vec<(u32, u32)> {
    sizes
        .iter()
        .enumerate()
        .flat_map(|(listing, &size)| (0..size).map(move |n| (listing as u32, n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_mixed_and_repeatable() {
        let a = sizes(7, 1000);
        assert_eq!(a, sizes(7, 1000));
        assert_ne!(a, sizes(8, 1000));
        assert!(a.iter().filter(|&&s| s == 0).count() > 50);
        assert!(a.iter().filter(|&&s| (1..25).contains(&s)).count() > 200);
        assert!(a.iter().filter(|&&s| s >= 200).count() > 100);
        assert_eq!(truth(&a).len() as u64, a.iter().map(|&s| u64::from(s)).sum::<u64>());
    }
}
