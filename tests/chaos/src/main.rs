//! The chaos harness: K worker processes share one job of many listings
//! through PostgreSQL, against a loopback service that throttles, fails and
//! expires tokens, while one worker at random is killed with SIGKILL every
//! few seconds and started again. At the end it checks every item was
//! delivered, that each repeat lies in the unflushed window of a worker
//! killed in that listing, and that a consumer deduping by key sees each
//! item once; and it prints each K's throughput. See README.md.
//!
//! `cargo run --release -p paginate-chaos` runs the full harness (K = 1, 2,
//! 4 over 1,000 listings); CI runs a small version (`tests/small.rs`).

#![forbid(unsafe_code)]

#[path = "../../it/checkpoint/postgres/server.rs"]
mod postgres_server;

mod plan;
mod run;
mod service;
mod verdict;
mod worker;

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Workers sharing a checkpointed job, killed at random, against a faulty loopback service")]
struct Cli {
    #[command(subcommand)]
    worker: Option<WorkerCommand>,
    /// How many workers in each run, one run each (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,2,4")]
    workers: Vec<usize>,
    /// Listings in the job, of mixed sizes (0 to 1,000 items).
    #[arg(long, default_value_t = 1000)]
    listings: usize,
    /// What the listing sizes and the faults are drawn from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A worker is killed (SIGKILL) this often, and started again at once; 0: never.
    #[arg(long, default_value_t = 2000)]
    kill_every_ms: u64,
    /// A listing's lease: how long a dead worker's listing waits before another takes it over.
    #[arg(long, default_value_t = 1000)]
    lease_ms: u64,
    /// A worker makes what it acknowledged durable every this many items (and at a listing's end).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    flush_every: u64,
    /// Items a page (MaxResults).
    #[arg(long, default_value_t = 25)]
    page_size: u64,
    /// The time the service takes to answer a page.
    #[arg(long, default_value_t = 2)]
    page_ms: u64,
    /// Requests throttled (429), in percent.
    #[arg(long, default_value_t = 5)]
    throttle_pct: u64,
    /// Requests answered 500, in percent.
    #[arg(long, default_value_t = 3)]
    error_pct: u64,
    /// Requests with a token whose token the service has lost (expired), in percent.
    #[arg(long, default_value_t = 2)]
    lose_token_pct: u64,
    /// A token expires this long after it was issued (as long as a lease by default: the token of
    /// a killed worker's checkpoint has expired by the time another worker resumes it).
    #[arg(long, default_value_t = 1000)]
    token_ttl_ms: u64,
    /// Give up (and fail) when a run takes longer.
    #[arg(long, default_value_t = 600)]
    deadline_s: u64,
}

#[derive(Subcommand)]
enum WorkerCommand {
    /// One worker (started by the harness).
    #[command(hide = true)]
    Worker(worker::Settings),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(WorkerCommand::Worker(settings)) = cli.worker {
        return match worker::work(&settings) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                // The whole chain: a listing error keeps the service's error as its source.
                let mut message = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                eprintln!("worker: {message}");
                ExitCode::FAILURE
            }
        };
    }
    match harness(&cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("chaos: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs every K in turn; true when every run passed.
fn harness(cli: &Cli) -> Result<bool, Box<dyn std::error::Error>> {
    let sizes = plan::sizes(cli.seed, cli.listings);
    let truth = plan::truth(&sizes);
    let faults = service::Faults {
        throttle_pct: cli.throttle_pct,
        error_pct: cli.error_pct,
        lose_token_pct: cli.lose_token_pct,
        token_ttl: Duration::from_millis(cli.token_ttl_ms),
        page_time: Duration::from_millis(cli.page_ms),
    };
    let database = postgres_server::url();
    let (endpoint, counters) = service::start(cli.seed, sizes, faults)?;
    println!(
        "{} listings, {} items; service {} ms a page, {}% throttled, {}% 500s, tokens expire after {} ms or lost {}%; \
         a worker killed every {} ms, lease {} ms, flush every {} items",
        cli.listings,
        truth.len(),
        cli.page_ms,
        cli.throttle_pct,
        cli.error_pct,
        cli.token_ttl_ms,
        cli.lose_token_pct,
        cli.kill_every_ms,
        cli.lease_ms,
        cli.flush_every
    );
    println!("| workers | items delivered | repeats | crashes | takeovers | largest window | most repeated a crash | throttled | 500s | tokens expired | tokens lost | seconds | items/s |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut passed = true;
    let mut throughput = Vec::new();
    for &workers in &cli.workers {
        let before = [&counters.throttled, &counters.failed, &counters.expired, &counters.lost]
            .map(|c| c.load(Ordering::Relaxed));
        let settings = worker::Settings {
            database: database.clone(),
            endpoint: endpoint.clone(),
            job: format!("chaos-{}-{workers}-{}", std::process::id(), cli.seed),
            listings: cli.listings,
            lease_ms: cli.lease_ms,
            flush_every: cli.flush_every,
            page_size: cli.page_size,
        };
        let kill_every = (cli.kill_every_ms > 0).then(|| Duration::from_millis(cli.kill_every_ms));
        let run = run::run(
            &settings,
            workers,
            kill_every,
            cli.seed,
            Duration::from_secs(cli.deadline_s),
        )?;
        let verdict = verdict::judge(&truth, &run.incarnations, cli.flush_every as usize);
        let after = [&counters.throttled, &counters.failed, &counters.expired, &counters.lost]
            .map(|c| c.load(Ordering::Relaxed));
        let seconds = run.elapsed.as_secs_f64();
        let rate = verdict.unique as f64 / seconds;
        throughput.push((workers, rate));
        println!(
            "| {workers} | {} of {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {seconds:.1} | {rate:.0} |",
            verdict.unique,
            verdict.expected,
            verdict.repeats,
            verdict.crashes,
            verdict.takeovers,
            verdict.largest_window,
            verdict.most_repeated_per_crash,
            after[0] - before[0],
            after[1] - before[1],
            after[2] - before[2],
            after[3] - before[3],
        );
        for failure in verdict.failures.iter().chain(&run.failed_workers) {
            println!("FAILED with {workers} workers: {failure}");
        }
        passed &= verdict.passed() && run.failed_workers.is_empty();
        if verdict.passed() {
            println!(
                "with {workers} workers: all {} items delivered, {} repeated over {} crashes and {} takeovers (at most {} a crash, window bound {}), none after the deduping consumer ({} items)",
                verdict.expected,
                verdict.repeats,
                verdict.crashes,
                verdict.takeovers,
                verdict.most_repeated_per_crash,
                cli.flush_every,
                verdict.deduped
            );
        }
    }
    if let Some(&(_, one)) = throughput.iter().find(|(k, _)| *k == 1) {
        for &(k, rate) in throughput.iter().filter(|(k, _)| *k > 1) {
            println!(
                "chaos: workers{k}_vs_1 throughput ratio={:.2} (bound {:.1})",
                rate / one,
                0.8 * k as f64
            );
        }
    }
    println!("chaos: {}", if passed { "passed" } else { "FAILED" });
    Ok(passed)
}
