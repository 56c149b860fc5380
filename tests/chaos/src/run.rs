//! One run: `workers` worker processes on a fresh shared job, one of them
//! (at random) killed with SIGKILL every `kill_every` and started again at
//! once, until every listing is done; what each printed, for the verdict.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::plan::mix;
use crate::verdict::{Event, Incarnation};
use crate::worker::Settings;

/// What a run did, besides what its workers printed.
#[derive(Debug)]
pub struct Run {
    pub incarnations: Vec<Incarnation>,
    pub elapsed: Duration,
    /// Exit codes of workers that ended without being killed, other than 0.
    pub failed_workers: Vec<String>,
}

fn spawn(settings: &Settings, id: usize, lines: mpsc::Sender<(usize, String)>) -> std::io::Result<Child> {
    let mut child = Command::new(std::env::current_exe()?)
        .args([
            "worker",
            "--database",
            &settings.database,
            "--endpoint",
            &settings.endpoint,
            "--job",
            &settings.job,
            "--listings",
            &settings.listings.to_string(),
            "--lease-ms",
            &settings.lease_ms.to_string(),
            "--flush-every",
            &settings.flush_every.to_string(),
            "--page-size",
            &settings.page_size.to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()?;
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send((id, line)).is_err() {
                    break;
                }
            }
            let _ = lines.send((id, String::from("\u{0}closed")));
        });
    }
    Ok(child)
}

/// Runs `settings.job` with `workers` processes, killing one every
/// `kill_every` (`None`: never), within `deadline`.
pub fn run(
    settings: &Settings,
    workers: usize,
    kill_every: Option<Duration>,
    seed: u64,
    deadline: Duration,
) -> std::io::Result<Run> {
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let mut incarnations: Vec<Incarnation> = Vec::new();
    // For each slot: the incarnation running in it, and its process.
    let mut slots: Vec<(usize, Child)> = Vec::new();
    for _ in 0..workers {
        let id = incarnations.len();
        incarnations.push(Incarnation::default());
        slots.push((id, spawn(settings, id, tx.clone())?));
    }
    let mut open_pipes = workers;
    let mut finished = 0;
    let mut kills = 0u64;
    let mut next_kill = kill_every.map(|every| started + every);
    let mut failed_workers = Vec::new();
    while finished < workers || open_pipes > 0 {
        if started.elapsed() > deadline {
            for (_, child) in &mut slots {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(std::io::Error::other(format!(
                "the job was not done within {deadline:?}: {finished} of {workers} workers finished"
            )));
        }
        let wait = next_kill.map_or(Duration::from_millis(200), |at| {
            at.saturating_duration_since(Instant::now())
        });
        match rx.recv_timeout(wait.min(Duration::from_millis(200))) {
            Ok((id, line)) => {
                if line == "\u{0}closed" {
                    open_pipes -= 1;
                    // A worker that ended on its own without finishing failed: the run stops there.
                    let ended = slots.iter().position(|(current, _)| *current == id);
                    if let Some(slot) = ended.filter(|_| !incarnations[id].events.contains(&Event::Finished)) {
                        let status = slots[slot].1.wait()?;
                        failed_workers.push(format!("worker {id} ended without finishing: {status}"));
                        for (_, child) in &mut slots {
                            let _ = child.kill();
                        }
                        break;
                    }
                    continue;
                }
                match Event::parse(&line) {
                    Some(Event::Finished) => {
                        finished += 1;
                        incarnations[id].events.push(Event::Finished);
                    }
                    Some(event) => incarnations[id].events.push(event),
                    None => eprintln!("worker {id}: {line}"),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let Some(at) = next_kill else { continue };
        if Instant::now() < at {
            continue;
        }
        next_kill = kill_every.map(|every| Instant::now() + every);
        // A worker still working, at random: killed, and another started in its slot.
        let working: Vec<usize> = (0..slots.len())
            .filter(|&slot| !incarnations[slots[slot].0].events.contains(&Event::Finished))
            .collect();
        if working.is_empty() {
            continue;
        }
        kills += 1;
        let slot = working[(mix(seed ^ mix(kills)) % working.len() as u64) as usize];
        let (id, child) = &mut slots[slot];
        if child.try_wait()?.is_some() {
            continue; // it ended on its own meanwhile
        }
        child.kill()?; // SIGKILL; what it printed before is still read from its pipe
        child.wait()?;
        incarnations[*id].killed = true;
        let new = incarnations.len();
        incarnations.push(Incarnation::default());
        *child = spawn(settings, new, tx.clone())?;
        *id = new;
        open_pipes += 1;
    }
    let stopped = !failed_workers.is_empty();
    for (id, child) in &mut slots {
        let status = child.wait()?;
        if !status.success() && !stopped {
            failed_workers.push(format!("worker {id}: {status}"));
        }
    }

    Ok(Run {
        incarnations,
        elapsed: started.elapsed(),
        failed_workers,
    })
}
