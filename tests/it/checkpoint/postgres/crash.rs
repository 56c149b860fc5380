//! Worker processes sharing a job, one killed with SIGKILL in the middle of a
//! listing: its lease expires and another worker resumes that listing from
//! its last checkpoint, repeating at most what the dead worker delivered
//! after its last flush.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{fresh_job, server, truth, work, Event};

/// Set in a child process: the shared job to work on.
const JOB: &str = "PAGINATE_POSTGRES_CRASH_JOB";
const LISTINGS: usize = 12;
const FLUSH_EVERY: usize = 10;
const LEASE: Duration = Duration::from_secs(1);

fn sizes() -> Vec<u32> {
    (0..LISTINGS).map(|i| 200 + 17 * i as u32).collect()
}

/// In the child: one worker, printing `leased L`, `item L N` (before acknowledging it) and `durable`.
#[test]
fn child() {
    let Ok(job) = std::env::var(JOB) else {
        return;
    };
    let url = server::url();
    let mut out = std::io::stdout().lock();
    // The test harness may have printed the test's name without a newline.
    writeln!(out).unwrap();
    work(
        &url,
        &job,
        &sizes(),
        LEASE,
        Duration::from_millis(2),
        FLUSH_EVERY,
        |event| {
            match event {
                Event::Leased(listing) => writeln!(out, "leased {listing}"),
                Event::Item(listing, n) => writeln!(out, "item {listing} {n}"),
                Event::Durable => writeln!(out, "durable"),
            }
            .and_then(|()| out.flush())
            .unwrap();
        },
    )
    .unwrap();
    writeln!(out, "finished").unwrap();
}

fn parse(line: &str) -> Option<Event> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["leased", l] => Some(Event::Leased(l.parse().ok()?)),
        ["item", l, n] => Some(Event::Item(l.parse().ok()?, n.parse().ok()?)),
        ["durable"] => Some(Event::Durable),
        _ => None,
    }
}

fn spawn(worker: usize, url: &str, job: &str, lines: mpsc::Sender<(usize, String)>) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "checkpoint::postgres::crash::child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(JOB, job)
        .env(server::URL_VAR, url)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send((worker, line.trim().to_string())).is_err() {
                break;
            }
        }
    });
    child
}

#[test]
fn a_worker_killed_mid_listing_is_taken_over_from_its_last_checkpoint_once_its_lease_expires() {
    let url = server::url();
    let job = fresh_job("crash");
    let (tx, rx) = mpsc::channel();
    let mut children: Vec<Child> = (0..3).map(|w| spawn(w, &url, &job, tx.clone())).collect();
    drop(tx);

    // Worker 0 is killed after its 30th item: in the middle of its first listing (200 items or more).
    let mut events: Vec<Vec<Event>> = vec![Vec::new(); 3];
    let mut finished = [false; 3];
    let mut killed = false;
    let deadline = Instant::now() + Duration::from_secs(120);
    while let Ok((worker, line)) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if line == "finished" {
            finished[worker] = true;
        }
        let Some(event) = parse(&line) else { continue };
        events[worker].push(event);
        let items = events[0].iter().filter(|e| matches!(e, Event::Item(..))).count();
        if worker == 0 && items == 30 && !killed {
            children[0].kill().unwrap(); // SIGKILL; what it had printed is still read
            killed = true;
        }
    }
    for child in &mut children {
        let _ = child.kill();
        child.wait().unwrap();
    }
    assert!(killed, "worker 0 delivered fewer than 30 items");
    assert!(
        !finished[0] && finished[1] && finished[2],
        "the survivors finished the job within 120 s: {finished:?}"
    );

    // The listing worker 0 died in, and what it delivered there after its last flush.
    let dead = &events[0];
    let Some(Event::Leased(listing)) = dead.iter().rev().find(|e| matches!(e, Event::Leased(_))).cloned() else {
        panic!("worker 0 leased nothing: {dead:?}");
    };
    let last_durable = dead.iter().rposition(|e| *e == Event::Durable).map_or(0, |i| i + 1);
    let unflushed: Vec<u32> = dead[last_durable..]
        .iter()
        .filter_map(|e| match e {
            Event::Item(l, n) if *l == listing => Some(*n),
            _ => None,
        })
        .collect();
    let last_dead = dead.iter().rev().find_map(|e| match e {
        Event::Item(l, n) if *l == listing => Some(*n),
        _ => None,
    });
    assert!(
        last_dead.is_some_and(|n| n + 1 < sizes()[listing]),
        "worker 0 died mid-listing"
    );

    // Another worker took it over, starting inside that window (or right after it).
    let taker = (1..3)
        .find(|&w| events[w].contains(&Event::Leased(listing)))
        .expect("a survivor took the dead worker's listing over");
    let first = events[taker]
        .iter()
        .skip_while(|e| **e != Event::Leased(listing))
        .find_map(|e| match e {
            Event::Item(l, n) if *l == listing => Some(*n),
            _ => None,
        })
        .expect("the taker delivered the rest");
    assert!(
        unflushed.contains(&first) || last_dead.map(|n| n + 1) == Some(first),
        "resumed at {first}, outside the unflushed window {unflushed:?}"
    );

    // Every other listing was advanced by one worker only.
    for other in (0..LISTINGS).filter(|&l| l != listing) {
        let workers: Vec<usize> = (0..3).filter(|&w| events[w].contains(&Event::Leased(other))).collect();
        assert_eq!(workers.len(), 1, "listing {other} leased by workers {workers:?}");
    }

    // Every item delivered; the repeats are the dead worker's unflushed window at most.
    let delivered: Vec<(usize, u32)> = events
        .iter()
        .flatten()
        .filter_map(|e| match e {
            Event::Item(l, n) => Some((*l, *n)),
            _ => None,
        })
        .collect();
    let unique: BTreeSet<(usize, u32)> = delivered.iter().copied().collect();
    let expected: BTreeSet<(usize, u32)> = truth(&sizes()).into_iter().collect();
    assert_eq!(unique, expected, "every item delivered");
    let repeats = delivered.len() - unique.len();
    assert!(
        repeats <= unflushed.len() && unflushed.len() <= FLUSH_EVERY + 1,
        "{repeats} repeats, window {unflushed:?}"
    );
    eprintln!(
        "worker 0 killed in listing {listing} after {} items; worker {taker} resumed at {first}; {repeats} repeated",
        dead.iter().filter(|e| matches!(e, Event::Item(..))).count()
    );
}
