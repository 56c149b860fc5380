//! `kill -9` at random moments: a child process lists with checkpoints,
//! acknowledging each item as it prints it; the parent kills it, restarts
//! it, and checks that nothing was lost and that what a restart repeats is
//! within the documented window.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use paginate::Checkpoints;

use super::{numbers, Numbers};

/// Set in a child process: the path of the store to list with.
const STORE: &str = "PAGINATE_CHECKPOINT_CRASH_STORE";
const ITEMS: u32 = 600;
/// The child waits for every acknowledgement to be durable every this many items.
const FLUSH_EVERY: usize = 10;

/// What the child printed, in order.
#[derive(Debug, PartialEq)]
enum Line {
    Item(u32),
    /// Every item printed before this line is durably acknowledged.
    Durable,
    Done,
}

/// In the child: lists `0..ITEMS`, printing `item N` and acknowledging each
/// item, `durable` after every flush, and `done` at the end.
#[test]
fn child() {
    let Some(path) = std::env::var_os(STORE) else {
        return;
    };
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("crash", "0..600").unwrap();
    let mut out = std::io::stdout().lock();
    // The test harness may have printed the test's name without a newline.
    writeln!(out).unwrap();
    if let Some(listing) = job.start(numbers(ITEMS)) {
        let mut items = job.track(listing.items());
        let mut n = 0;
        while let Some(item) = items.next() {
            writeln!(out, "item {}", item.unwrap()).unwrap();
            out.flush().unwrap();
            items.ack().unwrap();
            n += 1;
            if n % FLUSH_EVERY == 0 {
                items.flush().unwrap();
                writeln!(out, "durable").unwrap();
                out.flush().unwrap();
            }
        }
        items.ack().unwrap();
        items.flush().unwrap();
    }
    writeln!(out, "done").unwrap();
    out.flush().unwrap();
}

fn parse(line: &str) -> Option<Line> {
    match line {
        "durable" => Some(Line::Durable),
        "done" => Some(Line::Done),
        _ => line.strip_prefix("item ").map(|n| Line::Item(n.parse().unwrap())),
    }
}

/// A small xorshift: the kill points, reproducible from the seed printed on failure.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Runs the child once; kills it with SIGKILL after `kill_after` items read
/// (if it gets that far), and returns every line it printed.
fn run(path: &std::path::Path, kill_after: Option<usize>) -> Vec<Line> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "checkpoint::crash::child", "--nocapture", "--test-threads=1"])
        .env(STORE, path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut items = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let Some(line) = parse(line.unwrap().trim()) else {
            continue;
        };
        items += usize::from(matches!(line, Line::Item(_)));
        lines.push(line);
        if Some(items) == kill_after {
            child.kill().unwrap(); // SIGKILL; what it had printed is still read
        }
    }
    child.wait().unwrap();
    lines
}

#[test]
fn kill_9_at_random_moments_loses_nothing_and_repeats_only_the_unflushed_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);

    let mut delivered: Vec<u32> = Vec::new();
    let mut deduped: Vec<u32> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut crashes = 0;
    let mut previous: Vec<Line> = Vec::new();
    for run_number in 0.. {
        assert!(run_number < 200, "the listing never finished (seed {seed})");
        let lines = run(&path, Some(1 + rng.below(60) as usize));
        // A restart resumes at or after the last durable point of the run before,
        // and repeats only a suffix of what that run printed after it.
        let first = lines.iter().find_map(|l| match l {
            Line::Item(n) => Some(*n),
            _ => None,
        });
        if let (Some(first), false) = (first, previous.is_empty()) {
            let durable_at = previous.iter().rposition(|l| *l == Line::Durable).map_or(0, |i| i + 1);
            let after: Vec<u32> = previous[durable_at..]
                .iter()
                .filter_map(|l| match l {
                    Line::Item(n) => Some(*n),
                    _ => None,
                })
                .collect();
            let last_before = previous.iter().rev().find_map(|l| match l {
                Line::Item(n) => Some(*n),
                _ => None,
            });
            let repeated = after.iter().position(|n| *n == first);
            let resumed_after = last_before.map(|n| first == n + 1);
            assert!(
                repeated.is_some() || resumed_after == Some(true),
                "run {run_number} started at {first}, outside the window {after:?} (seed {seed})"
            );
            if let Some(i) = repeated {
                assert!(after.len() - i <= FLUSH_EVERY + 1, "seed {seed}");
            }
        }
        for line in &lines {
            if let Line::Item(n) = line {
                delivered.push(*n);
                if seen.insert(*n) {
                    deduped.push(*n);
                }
            }
        }
        let finished = lines.last() == Some(&Line::Done);
        crashes += usize::from(!finished);
        previous = lines;
        if finished {
            break;
        }
    }
    assert!(crashes >= 3, "only {crashes} crashes landed (seed {seed})");
    let truth: Vec<u32> = (0..ITEMS).collect();
    assert_eq!(
        deduped, truth,
        "the deduping consumer saw every item once, in order (seed {seed})"
    );
    let repeats = delivered.len() - truth.len();
    eprintln!(
        "{crashes} crashes, {repeats} items repeated, {} delivered (seed {seed})",
        delivered.len()
    );
    assert!(
        repeats <= crashes * (FLUSH_EVERY + 1),
        "{repeats} repeats over {crashes} crashes (seed {seed})"
    );

    // Done: a further run lists nothing.
    let lines = run(&path, None);
    assert_eq!(lines, [Line::Done]);
}
