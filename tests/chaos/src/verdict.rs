//! What a run proves: every item delivered (set equality with the ground
//! truth), each repeat inside the unflushed window of a worker killed (or
//! taken over) in the listing it repeats, and nothing repeated after a
//! consumer that dedupes by the item's key.

use std::collections::{HashMap, HashSet};

/// What one worker process printed, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Leased(u32),
    Item(u32, u32),
    Durable,
    Lost(u32),
    Finished,
}

impl Event {
    pub fn parse(line: &str) -> Option<Event> {
        let words: Vec<&str> = line.split_whitespace().collect();
        Some(match words.as_slice() {
            ["leased", l] => Event::Leased(l.parse().ok()?),
            ["item", l, n] => Event::Item(l.parse().ok()?, n.parse().ok()?),
            ["durable"] => Event::Durable,
            ["lost", l] => Event::Lost(l.parse().ok()?),
            ["finished"] => Event::Finished,
            _ => return None,
        })
    }
}

/// One worker process from start to end.
#[derive(Clone, Debug, Default)]
pub struct Incarnation {
    pub events: Vec<Event>,
    /// Killed with SIGKILL (rather than finishing).
    pub killed: bool,
}

impl Incarnation {
    /// The items it printed after the last point where all it had printed
    /// was durable, with the listing they belong to: what a resumed listing
    /// may repeat. Empty for a process that finished. A listing taken over
    /// from it (`lost`) has its own window, closed at the `lost` line.
    pub fn windows(&self) -> Vec<Vec<(u32, u32)>> {
        let mut windows = Vec::new();
        let mut open: Vec<(u32, u32)> = Vec::new();
        for event in &self.events {
            match event {
                Event::Item(l, n) => open.push((*l, *n)),
                Event::Durable => open.clear(),
                Event::Lost(_) => windows.push(std::mem::take(&mut open)),
                Event::Leased(_) | Event::Finished => {}
            }
        }
        if self.killed {
            windows.push(open);
        }
        windows
    }

    pub fn items(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.events.iter().filter_map(|e| match e {
            Event::Item(l, n) => Some((*l, *n)),
            _ => None,
        })
    }
}

/// The figures of a run, and what failed.
#[derive(Debug, Default)]
pub struct Verdict {
    pub delivered: usize,
    pub unique: usize,
    pub expected: usize,
    pub missing: usize,
    pub unknown: usize,
    pub repeats: usize,
    pub crashes: usize,
    pub takeovers: usize,
    /// The largest unflushed window of a killed or taken-over worker.
    pub largest_window: usize,
    /// The most items repeated because of one crash or takeover.
    pub most_repeated_per_crash: usize,
    /// Repeats not inside any window.
    pub unexplained: usize,
    /// Items the deduping consumer passed on: the first delivery of each key.
    pub deduped: usize,
    pub failures: Vec<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Judges a run of `incarnations` against `truth`, each window at most
/// `window` items.
pub fn judge(truth: &[(u32, u32)], incarnations: &[Incarnation], window: usize) -> Verdict {
    let mut v = Verdict {
        expected: truth.len(),
        ..Verdict::default()
    };
    let expected: HashSet<(u32, u32)> = truth.iter().copied().collect();
    let mut count: HashMap<(u32, u32), usize> = HashMap::new();
    // The consumer that dedupes by key keeps each item's first delivery only.
    let mut dedupe: HashSet<(u32, u32)> = HashSet::new();
    for incarnation in incarnations {
        for item in incarnation.items() {
            v.delivered += 1;
            *count.entry(item).or_default() += 1;
            if dedupe.insert(item) {
                v.deduped += 1;
            }
        }
    }
    v.unique = count.len();
    v.missing = expected.iter().filter(|i| !count.contains_key(i)).count();
    v.unknown = count.keys().filter(|i| !expected.contains(i)).count();
    v.repeats = v.delivered - v.unique;

    // Every repeat must come from a window: an item printed by a worker that
    // died (or lost the listing) before that item was durable.
    let mut explained: HashMap<(u32, u32), usize> = HashMap::new();
    for incarnation in incarnations {
        let windows = incarnation.windows();
        v.crashes += usize::from(incarnation.killed);
        v.takeovers += incarnation
            .events
            .iter()
            .filter(|e| matches!(e, Event::Lost(_)))
            .count();
        for window_items in windows {
            v.largest_window = v.largest_window.max(window_items.len());
            let repeated = window_items
                .iter()
                .filter(|i| count.get(i).is_some_and(|&c| c > 1))
                .count();
            v.most_repeated_per_crash = v.most_repeated_per_crash.max(repeated);
            for item in window_items {
                *explained.entry(item).or_default() += 1;
            }
        }
    }
    v.unexplained = count
        .iter()
        .map(|(item, &c)| (c - 1).saturating_sub(explained.get(item).copied().unwrap_or(0)))
        .sum();

    if v.missing > 0 {
        v.failures.push(format!("{} items never delivered", v.missing));
    }
    if v.unknown > 0 {
        v.failures
            .push(format!("{} items delivered that the service does not hold", v.unknown));
    }
    if v.unexplained > 0 {
        v.failures.push(format!(
            "{} repeats outside the window of a killed or taken-over worker",
            v.unexplained
        ));
    }
    if v.largest_window > window {
        v.failures.push(format!(
            "an unflushed window of {} items, over the bound of {window}",
            v.largest_window
        ));
    }
    if v.deduped != v.expected {
        v.failures.push(format!(
            "the deduping consumer passed on {} items of {}",
            v.deduped, v.expected
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(killed: bool, lines: &[&str]) -> Incarnation {
        Incarnation {
            events: lines.iter().map(|l| Event::parse(l).expect("a line")).collect(),
            killed,
        }
    }

    const TRUTH: [(u32, u32); 4] = [(0, 0), (0, 1), (0, 2), (1, 0)];

    #[test]
    fn a_repeat_inside_a_dead_workers_window_passes() {
        let dead = worker(true, &["leased 0", "item 0 0", "durable", "item 0 1"]);
        let taker = worker(
            false,
            &[
                "leased 0", "item 0 1", "item 0 2", "durable", "leased 1", "item 1 0", "durable", "finished",
            ],
        );
        let v = judge(&TRUTH, &[dead, taker], 5);
        assert!(v.passed(), "{:?}", v.failures);
        assert_eq!((v.repeats, v.crashes, v.most_repeated_per_crash), (1, 1, 1));
    }

    #[test]
    fn a_lost_item_fails() {
        let only = worker(
            false,
            &[
                "leased 0", "item 0 0", "item 0 2", "durable", "leased 1", "item 1 0", "finished",
            ],
        );
        let v = judge(&TRUTH, &[only], 5);
        assert_eq!(v.missing, 1);
        assert!(!v.passed());
    }

    #[test]
    fn a_repeat_of_a_durable_item_fails() {
        let dead = worker(true, &["leased 0", "item 0 0", "durable", "item 0 1"]);
        let taker = worker(
            false,
            &[
                "leased 0", "item 0 0", "item 0 1", "item 0 2", "leased 1", "item 1 0", "finished",
            ],
        );
        let v = judge(&TRUTH, &[dead, taker], 5);
        assert_eq!(v.unexplained, 1);
        assert!(!v.passed());
    }

    #[test]
    fn a_window_over_the_bound_fails() {
        let dead = worker(true, &["leased 0", "item 0 0", "item 0 1"]);
        let taker = worker(
            false,
            &[
                "leased 0", "item 0 0", "item 0 1", "item 0 2", "leased 1", "item 1 0", "finished",
            ],
        );
        let v = judge(&TRUTH, &[dead, taker], 1);
        assert!(!v.passed());
        assert_eq!(v.largest_window, 2);
    }
}
