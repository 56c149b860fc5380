//! `list_flow_operations --checkpoint PATH`: runs killed with SIGKILL part-way
//! and started again print, together, every operation of every firewall,
//! each crash repeating only the newest operations it had printed; a job done
//! prints an empty list; a store in use, corrupt or unusable is one stderr
//! line and its exit code. The binary against the local endpoint, over
//! loopback HTTP.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use network_firewall::server::FaultConfig;
use network_firewall::{Dataset, ServerConfig, ServerHandle};
use serde_json::Value;

use crate::cli::command;
use crate::support::firewall;

pub const FIREWALLS: usize = 12;
pub const OPERATIONS: usize = 30;
pub const PAGE_SIZE: usize = 3;
const CONCURRENCY: usize = 4;

/// `FIREWALLS` firewalls of `OPERATIONS` operations each, answering every
/// page after `latency`.
pub async fn many_firewalls(latency: Duration) -> ServerHandle {
    let firewalls = (0..FIREWALLS)
        .map(|n| {
            firewall(
                format!("arn:aws:network-firewall:us-east-1:123456789012:firewall/cp-{n:02}"),
                (0..OPERATIONS).map(|k| format!("op-{n:02}-{k:02}")),
            )
        })
        .collect();
    network_firewall::start(ServerConfig {
        dataset: Dataset { firewalls },
        faults: FaultConfig {
            latency,
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await
    .expect("server starts")
}

/// The arguments listing every firewall of `server`, at `PAGE_SIZE`.
pub fn listing_args(server: &ServerHandle) -> Vec<String> {
    let mut args: Vec<String> = server
        .firewall_arns()
        .iter()
        .flat_map(|arn| ["--firewall-arn".to_owned(), arn.clone()])
        .collect();
    args.extend(["--page-size".into(), PAGE_SIZE.to_string()]);
    args.extend(["--max-concurrency".into(), CONCURRENCY.to_string()]);
    args
}

pub async fn run(url: &str, args: Vec<String>) -> Output {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        command(&url, &args).output().expect("the binary runs")
    })
    .await
    .expect("no panic")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The operations of a document, whole or cut by a kill, in the order
/// printed: `(FirewallArn, FlowOperationId)`. An operation is written in one
/// flushed write of less than a pipe's atomic size, so a kill cannot cut one.
pub fn operations(stdout: &str) -> Vec<(String, String)> {
    let field = |line: &str, key: &str| {
        line.trim()
            .strip_prefix(&format!("\"{key}\": \""))
            .map(|rest| rest.trim_end_matches(',').trim_end_matches('"').to_owned())
    };
    let mut out = Vec::new();
    let mut arn = None;
    for line in stdout.lines() {
        if let Some(a) = field(line, "FirewallArn") {
            arn = Some(a);
        } else if let Some(id) = field(line, "FlowOperationId") {
            out.push((arn.take().unwrap_or_default(), id));
        }
    }
    out
}

/// Reads `stdout` into `printed`, line by line, until `n` operations are
/// printed or it ends; how many operations it read.
pub fn read_operations(stdout: &mut impl BufRead, n: usize, printed: &mut String) -> usize {
    let mut seen = 0;
    let mut line = String::new();
    while seen < n {
        line.clear();
        if stdout.read_line(&mut line).expect("reads stdout") == 0 {
            break; // it ended by itself
        }
        seen += usize::from(line.contains("\"FlowOperationId\""));
        printed.push_str(&line);
    }
    seen
}

/// Fails if `ops` holds an operation twice (`who` printed them).
pub fn assert_each_once(ops: &[(String, String)], who: &str) {
    let unique: HashSet<&(String, String)> = ops.iter().collect();
    assert_eq!(unique.len(), ops.len(), "{who} printed an operation twice");
}

/// What a run that went on with firewall `arn` repeated of what a killed
/// run had printed of it: how many ids `after` starts with that `before`
/// holds. Fails unless they are the newest of `before`, in its order, and
/// none of `before` comes later in `after`.
pub fn repeated_tail<T: PartialEq + std::fmt::Debug>(arn: &str, before: &[T], after: &[T]) -> usize {
    let overlap = after.iter().take_while(|id| before.contains(id)).count();
    assert!(
        after[overlap..].iter().all(|id| !before.contains(id)),
        "{arn}: a repeat after a new operation"
    );
    assert_eq!(
        &before[before.len() - overlap..],
        &after[..overlap],
        "{arn}: what is repeated is the newest of what was printed"
    );
    overlap
}

/// Every operation of `server` as a plain listing prints them (a whole
/// document), sorted.
pub async fn plain_listing(url: &str, server: &ServerHandle) -> Vec<(String, String)> {
    let plain = run(url, listing_args(server)).await;
    assert!(plain.status.success(), "{}", stderr(&plain));
    let plain: Value = serde_json::from_slice(&plain.stdout).expect("a document");
    let mut all: Vec<(String, String)> = plain["FlowOperations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            let field = |key: &str| op[key].as_str().expect("a string").to_owned();
            (field("FirewallArn"), field("FlowOperationId"))
        })
        .collect();
    all.sort();
    assert_eq!(all.len(), FIREWALLS * OPERATIONS);
    all
}

/// Runs the binary with `args` once their job is done: it exits 0 and
/// prints an empty list.
pub async fn run_done_job(url: &str, args: Vec<String>) -> Output {
    let again = run(url, args).await;
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "{\n    \"FlowOperations\": []\n}\n"
    );
    again
}

/// Runs the binary with `args` until it has printed `kill_after` operations,
/// then kills it with SIGKILL; gives what it printed in all and whether it
/// ended by itself first (and how).
fn run_until_killed(url: &str, args: &[String], kill_after: usize) -> (String, Option<i32>, String) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child: Child = command(url, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    let killed = read_operations(&mut stdout, kill_after, &mut printed) >= kill_after;
    if killed {
        child.kill().expect("SIGKILL");
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("reads stdout");
    printed.push_str(&rest);
    let status = child.wait().expect("waits");
    let mut errors = String::new();
    if let Some(mut e) = child.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut errors).expect("reads stderr");
    }
    let code = if killed {
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9),
            "killed: {errors}"
        );
        None
    } else {
        status.code()
    };
    (printed, code, errors)
}

/// Killed with SIGKILL after printing 50 operations, four times, then run
/// to its end: every operation of every firewall printed, the whole set
/// equal to a plain listing's; each run prints an operation at most once;
/// a crash repeats only the newest operations of each firewall it printed
/// (the ones not yet committed), at most a few pages; the job done prints
/// an empty list and exits 0.
#[tokio::test(flavor = "multi_thread")]
async fn runs_killed_with_sigkill_resume_until_everything_is_printed_once() {
    let server = many_firewalls(Duration::from_millis(20)).await;
    let url = server.url();
    let expected = plain_listing(&url, &server).await;

    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("jobs.redb").display().to_string();
    let mut args = listing_args(&server);
    args.extend(["--checkpoint".into(), store.clone()]);

    let mut runs: Vec<Vec<(String, String)>> = Vec::new();
    let mut crashes = 0;
    loop {
        assert!(runs.len() < 20, "the runs do not end");
        let kill_after = if crashes < 4 { 50 } else { usize::MAX };
        let (url, args) = (url.clone(), args.clone());
        let (printed, code, errors) = tokio::task::spawn_blocking(move || run_until_killed(&url, &args, kill_after))
            .await
            .expect("no panic");
        let ops = operations(&printed);
        assert_each_once(&ops, &format!("run {}", runs.len()));
        runs.push(ops);
        match code {
            None => {
                crashes += 1;
                assert!(
                    serde_json::from_str::<Value>(&printed).is_err(),
                    "a killed run's output must not pass for a complete document"
                );
            }
            Some(code) => {
                assert_eq!(code, 0, "{errors}");
                let document: Value = serde_json::from_str(&printed).expect("the last run prints a whole document");
                assert!(document.get("NextToken").is_none());
                break;
            }
        }
    }
    assert_eq!(crashes, 4, "the runs were killed part-way");

    // Each crash repeats, of each firewall, a tail of what the killed run
    // printed of it, as the head of what the next run prints of it.
    let by_firewall = |ops: &[(String, String)]| {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (arn, id) in ops {
            map.entry(arn.clone()).or_default().push(id.clone());
        }
        map
    };
    let mut repeats = Vec::new();
    for pair in runs.windows(2) {
        let (killed, next) = (by_firewall(&pair[0]), by_firewall(&pair[1]));
        let mut repeated = 0;
        for (arn, ids) in &next {
            let before = killed.get(arn).map(Vec::as_slice).unwrap_or_default();
            repeated += repeated_tail(arn, before, ids);
        }
        repeats.push(repeated);
    }
    eprintln!("checkpoint: {crashes} crashes, repeats per crash {repeats:?}");
    for &repeated in &repeats {
        assert!(
            repeated <= 4 * PAGE_SIZE * CONCURRENCY,
            "{repeated} repeated after a crash: {repeats:?}"
        );
    }

    let mut got: Vec<(String, String)> = runs.concat();
    got.sort();
    got.dedup();
    assert_eq!(got, expected, "every operation of every firewall, none lost");

    let again = run_done_job(&url, args).await;
    assert!(again.stderr.is_empty(), "{}", stderr(&again));
    server.shutdown().await;
}

/// One firewall: `--max-items` runs each print the next operations, the
/// first run's output byte for byte a plain run's; the same store with
/// another `--page-size` is another job, listing from the beginning.
#[tokio::test(flavor = "multi_thread")]
async fn one_firewall_goes_on_where_max_items_stopped() {
    let server = many_firewalls(Duration::ZERO).await;
    let url = server.url();
    let arn = server.firewall_arns()[0].clone();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("jobs.redb").display().to_string();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "--firewall-arn",
            arn.as_str(),
            "--page-size",
            "4",
            "--checkpoint",
            &store,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let plain = run(
        &url,
        vec![
            "--firewall-arn".into(),
            arn.clone(),
            "--max-items".into(),
            "7".into(),
            "--page-size".into(),
            "4".into(),
        ],
    )
    .await;
    let first = run(&url, args(&["--max-items", "7"])).await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(first.stdout, plain.stdout, "the same document as without --checkpoint");
    let mut got = Vec::new();
    for output in [
        first,
        run(&url, args(&["--max-items", "10"])).await,
        run(&url, args(&[])).await,
    ] {
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice::<Value>(&output.stdout).expect("a document");
        got.extend(operations(&String::from_utf8_lossy(&output.stdout)));
    }
    let ids: Vec<String> = got.into_iter().map(|(_, id)| id).collect();
    let expected: Vec<String> = (0..OPERATIONS).map(|k| format!("op-00-{k:02}")).collect();
    assert_eq!(ids, expected, "every operation once, in order");

    let mut other = args(&[]);
    other[3] = "5".into();
    let output = run(&url, other).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(operations(&String::from_utf8_lossy(&output.stdout)).len(), OPERATIONS);
    server.shutdown().await;
}

/// A second run on a store another run has open is refused (255) with one
/// line saying so, and prints nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_store_in_use_by_another_run_is_refused() {
    let server = many_firewalls(Duration::from_millis(500)).await;
    let url = server.url();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut args = listing_args(&server);
    args.extend([
        "--checkpoint".into(),
        dir.path().join("jobs.redb").display().to_string(),
    ]);
    let first_args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut first = command(&url, &first_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut stdout = BufReader::new(first.stdout.take().expect("stdout"));
    // Its first line is printed after the store is open.
    let mut line = String::new();
    let read = tokio::task::spawn_blocking(move || {
        let n = stdout.read_line(&mut line).expect("reads");
        (n, stdout)
    })
    .await
    .expect("no panic");
    assert!(read.0 > 0, "the first run printed nothing");
    let second = run(&url, args.clone()).await;
    first.kill().expect("SIGKILL");
    first.wait().expect("waits");
    assert_eq!(second.status.code(), Some(255), "{}", stderr(&second));
    assert_eq!(stderr(&second).lines().count(), 1, "{}", stderr(&second));
    assert!(stderr(&second).contains("locked"), "{}", stderr(&second));
    assert!(second.stdout.is_empty());
    server.shutdown().await;
}

/// A store that is not one, or that cannot be, fails in one line before
/// anything is listed: corrupt 253, a path under a file 255; flags that
/// make no sense with a job, or with a job shared through a database, 252
/// (before the database is asked). Nothing on stdout.
#[tokio::test(flavor = "multi_thread")]
async fn unusable_stores_and_conflicting_flags_fail_in_one_line() {
    let server = many_firewalls(Duration::ZERO).await;
    let url = server.url();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let corrupt = dir.path().join("corrupt.redb");
    std::fs::write(&corrupt, vec![0xAB; 16 * 1024]).expect("writes");
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, b"").expect("writes");
    let good = dir.path().join("jobs.redb").display().to_string();
    let cases: Vec<(&str, Vec<String>, i32, &str)> = vec![
        (
            "corrupt",
            vec!["--checkpoint".into(), corrupt.display().to_string()],
            253,
            "corrupt",
        ),
        (
            "under a file",
            vec!["--checkpoint".into(), a_file.join("jobs.redb").display().to_string()],
            255,
            "checkpoint store",
        ),
        (
            "shared with --max-items",
            vec![
                "--checkpoint".into(),
                "postgres://user:hunter2@127.0.0.1/jobs".into(),
                "--max-items".into(),
                "3".into(),
            ],
            252,
            "--max-items",
        ),
        (
            "shared with --query",
            vec![
                "--checkpoint".into(),
                "postgresql://user:hunter2@127.0.0.1/jobs".into(),
                "--query".into(),
                "FlowOperations".into(),
            ],
            252,
            "--query",
        ),
        ("empty", vec!["--checkpoint".into(), String::new()], 252, "empty"),
        (
            "starting token",
            vec![
                "--checkpoint".into(),
                good.clone(),
                "--starting-token".into(),
                "x".into(),
            ],
            252,
            "--starting-token",
        ),
        (
            "one call",
            vec!["--checkpoint".into(), good.clone(), "--no-paginate".into()],
            252,
            "--no-paginate",
        ),
        (
            "query",
            vec![
                "--checkpoint".into(),
                good.clone(),
                "--query".into(),
                "FlowOperations".into(),
            ],
            252,
            "--query",
        ),
        (
            "table",
            vec!["--checkpoint".into(), good.clone(), "--output".into(), "table".into()],
            252,
            "--output table",
        ),
    ];
    for (name, args, code, says) in cases {
        let output = run(&url, args).await;
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{name}: {message}");
        assert_eq!(message.lines().count(), 1, "{name}: {message}");
        assert!(message.contains(says), "{name}: {message}");
        assert!(!message.contains("hunter2"), "{name}: {message}");
        assert!(output.stdout.is_empty(), "{name}");
    }
    assert!(!Path::new(&good).exists(), "a refused command line creates no store");
    server.shutdown().await;
}
