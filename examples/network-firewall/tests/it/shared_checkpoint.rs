//! `list_flow_operations --checkpoint postgres://...`: instances started with
//! the same command line and database split the firewalls between them, and
//! together print every operation of every firewall; one killed with SIGKILL
//! has its firewall finished by another once its lease expires; one stalled
//! past its lease loses its firewall and ends cleanly; a database
//! that cannot be used is one stderr line and its exit code, without the
//! URL's password. Against a throwaway PostgreSQL cluster, started by the
//! root package's test script.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Read};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use network_firewall::ServerHandle;
use serde_json::Value;

use crate::checkpoint::{
    assert_each_once, listing_args, many_firewalls, operations, plain_listing, read_operations, repeated_tail, run,
    run_done_job, stderr, OPERATIONS, PAGE_SIZE,
};
use crate::cli::command;

/// The root package's throwaway cluster: its script (initdb in a temporary
/// directory, the server on 127.0.0.1 only, user `postgres` with password
/// `paginate`) and the launcher that starts it once per test process.
#[path = "../../../../tests/it/checkpoint/postgres/server.rs"]
#[allow(dead_code)] // its URL variable is for the root tests' worker processes
mod server;

fn database() -> String {
    server::url()
}

/// One instance of the binary, its stdout read by a thread of its own.
struct Instance {
    child: Child,
    stdout: std::thread::JoinHandle<String>,
}

impl Instance {
    fn start(url: &str, args: &[String], lease_seconds: u64) -> Instance {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = command(url, &args)
            .env("LIST_FLOW_OPERATIONS_LEASE_SECONDS", lease_seconds.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut out = child.stdout.take().expect("stdout");
        let stdout = std::thread::spawn(move || {
            let mut text = String::new();
            out.read_to_string(&mut text).expect("reads stdout");
            text
        });
        Instance { child, stdout }
    }

    /// Waits for the end (at most two minutes, then kills it and fails):
    /// its exit code, stdout and stderr.
    fn finish(mut self) -> (Option<i32>, String, String) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("an instance did not end within two minutes");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut errors = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut errors).expect("reads stderr");
        }
        let stdout = self.stdout.join().expect("the reader thread");
        (status.code(), stdout, errors)
    }
}

/// The operations instance `n` printed, having exited 0 with a whole
/// document and printed no operation twice.
fn operations_of(n: usize, (code, stdout, errors): &(Option<i32>, String, String)) -> Vec<(String, String)> {
    assert_eq!(*code, Some(0), "instance {n}: {errors}");
    serde_json::from_str::<Value>(stdout).unwrap_or_else(|e| panic!("instance {n} printed a cut document: {e}"));
    let ops = operations(stdout);
    assert_each_once(&ops, &format!("instance {n}"));
    ops
}

/// What each listing test here starts from: the endpoint of many firewalls
/// (30 ms a page), its URL, their plain listing, and the arguments that list
/// them as one job in the throwaway database.
async fn shared_job() -> (ServerHandle, String, Vec<(String, String)>, Vec<String>) {
    let database = tokio::task::spawn_blocking(database).await.expect("no panic");
    let server = many_firewalls(Duration::from_millis(30)).await;
    let url = server.url();
    let expected = plain_listing(&url, &server).await;
    let mut args = listing_args(&server);
    args.extend(["--checkpoint".into(), database]);
    (server, url, expected, args)
}

fn firewalls_of(ops: &[(String, String)]) -> BTreeSet<String> {
    ops.iter().map(|(arn, _)| arn.clone()).collect()
}

/// Three instances, one job: each exits 0 with a whole document and prints
/// nothing twice; no firewall is listed by two of them; together they print
/// exactly a plain listing; the job done, a fourth prints an empty list.
#[tokio::test(flavor = "multi_thread")]
async fn instances_split_the_firewalls_and_together_print_a_plain_listing() {
    let (server, url, expected, args) = shared_job().await;

    let (url2, args2) = (url.clone(), args.clone());
    let outputs = tokio::task::spawn_blocking(move || {
        let instances: Vec<Instance> = (0..3).map(|_| Instance::start(&url2, &args2, 30)).collect();
        instances.into_iter().map(Instance::finish).collect::<Vec<_>>()
    })
    .await
    .expect("no panic");

    let mut all = Vec::new();
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    let mut working = 0;
    for (n, output) in outputs.iter().enumerate() {
        let ops = operations_of(n, output);
        for arn in firewalls_of(&ops) {
            if let Some(other) = owners.insert(arn.clone(), n) {
                panic!("{arn} listed by instances {other} and {n}");
            }
        }
        working += usize::from(!ops.is_empty());
        all.extend(ops);
    }
    eprintln!("shared: {working} of 3 instances listed firewalls");
    assert!(working >= 2, "the firewalls were not split: {owners:?}");
    all.sort();
    assert_eq!(all, expected, "together, a plain listing");

    run_done_job(&url, args).await;
    server.shutdown().await;
}

/// An instance killed with SIGKILL part-way through a firewall: the two
/// others finish every firewall, its own after its lease expires; together
/// they print every operation; the only firewall listed twice is the killed
/// one's, and what is repeated of it is the newest of what it had printed
/// (a few pages at most).
#[tokio::test(flavor = "multi_thread")]
async fn an_instance_killed_with_sigkill_has_its_firewall_finished_by_another() {
    const LEASE: u64 = 3;
    let (server, url, expected, mut args) = shared_job().await;
    args.extend(["--checkpoint-lease".into(), LEASE.to_string()]);

    let (url2, args2) = (url.clone(), args.clone());
    let (killed, others, waited) = tokio::task::spawn_blocking(move || {
        let argv: Vec<&str> = args2.iter().map(String::as_str).collect();
        let mut victim = command(&url2, &argv)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut out = BufReader::new(victim.stdout.take().expect("stdout"));
        let mut printed = String::new();
        // Part-way through its first firewall.
        let part_way = 2 * PAGE_SIZE + 1;
        let seen = read_operations(&mut out, part_way, &mut printed);
        assert_eq!(seen, part_way, "ended before it was killed");
        let others: Vec<Instance> = (0..2).map(|_| Instance::start(&url2, &args2, 30)).collect();
        victim.kill().expect("SIGKILL");
        let killed_at = Instant::now();
        let mut rest = String::new();
        out.read_to_string(&mut rest).expect("reads");
        printed.push_str(&rest);
        victim.wait().expect("waits");
        let others: Vec<_> = others.into_iter().map(Instance::finish).collect();
        (printed, others, killed_at.elapsed())
    })
    .await
    .expect("no panic");

    assert!(
        serde_json::from_str::<Value>(&killed).is_err(),
        "the killed instance's output is cut"
    );
    let killed = operations(&killed);
    let victim_firewalls = firewalls_of(&killed);
    let mut all = killed.clone();
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    let mut repeated = 0;
    for (n, output) in others.iter().enumerate() {
        let ops = operations_of(n, output);
        for arn in firewalls_of(&ops) {
            if let Some(other) = owners.insert(arn.clone(), n) {
                panic!("{arn} listed by instances {other} and {n}");
            }
            if !victim_firewalls.contains(&arn) {
                continue;
            }
            // Taken over: its head repeats the tail of what the killed one printed.
            let before: Vec<&String> = killed.iter().filter(|(a, _)| *a == arn).map(|(_, id)| id).collect();
            let after: Vec<&String> = ops.iter().filter(|(a, _)| *a == arn).map(|(_, id)| id).collect();
            repeated += repeated_tail(&arn, &before, &after);
        }
        all.extend(ops);
    }
    eprintln!(
        "shared: killed after {} operations, {repeated} repeated, the others done {waited:?} after the kill",
        killed.len()
    );
    assert!(repeated <= 4 * PAGE_SIZE, "{repeated} repeated");
    assert!(
        victim_firewalls.iter().all(|arn| owners.contains_key(arn)),
        "the killed instance's firewall was taken over"
    );
    assert!(
        waited >= Duration::from_secs(LEASE) - Duration::from_millis(500),
        "taken over before the lease expired: {waited:?}"
    );
    all.sort();
    all.dedup();
    assert_eq!(all, expected, "every operation of every firewall, none lost");
    server.shutdown().await;
}

/// Stops (SIGSTOP) the process on drop's way out too: never left stopped.
struct Stopped(u32);

impl Stopped {
    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.0).expect("a pid");
        // SAFETY: kill(2) on a child of this process, which it has not reaped.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill {signal}");
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.0) {
            // SAFETY: as above; a failure leaves nothing to undo.
            unsafe {
                libc::kill(pid, libc::SIGCONT);
            }
        }
    }
}

/// An instance stalled (SIGSTOP) for longer than its lease loses its
/// firewall to another, which lists it to its end; resumed (SIGCONT), the
/// stalled one finds its lease gone, goes on with what is left (nothing),
/// and exits 0 with a whole document, no operation twice in it. Together,
/// every operation; what both printed is the stalled one's firewall only.
#[tokio::test(flavor = "multi_thread")]
async fn an_instance_that_stalls_past_its_lease_loses_its_firewall_and_ends_cleanly() {
    let (server, url, expected, args) = shared_job().await;

    let (url2, args2) = (url.clone(), args.clone());
    let (stalled, other) = tokio::task::spawn_blocking(move || {
        let argv: Vec<&str> = args2.iter().map(String::as_str).collect();
        let mut child = command(&url2, &argv)
            .env("LIST_FLOW_OPERATIONS_LEASE_SECONDS", "2")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let guard = Stopped(child.id());
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut printed = String::new();
        // Stopped part-way through its first firewall.
        let part_way = PAGE_SIZE + 1;
        let seen = read_operations(&mut out, part_way, &mut printed);
        assert_eq!(seen, part_way, "ended before it was stopped");
        guard.signal(libc::SIGSTOP);
        let other = Instance::start(&url2, &args2, 2).finish();
        guard.signal(libc::SIGCONT);
        out.read_to_string(&mut printed).expect("reads");
        let stalled = Instance {
            stdout: std::thread::spawn(move || printed),
            child,
        }
        .finish();
        drop(guard);
        (stalled, other)
    })
    .await
    .expect("no panic");

    let stalled_printed = operations(&stalled.1).len();
    let mut all = Vec::new();
    let mut listed = Vec::new();
    for (n, output) in [stalled, other].iter().enumerate() {
        let ops = operations_of(n, output);
        listed.push(firewalls_of(&ops));
        all.extend(ops);
    }
    let both: Vec<&String> = listed[0].intersection(&listed[1]).collect();
    eprintln!(
        "shared: the stalled instance printed {stalled_printed} operations of {:?}; both listed {both:?}",
        listed[0]
    );
    assert!(
        stalled_printed < OPERATIONS,
        "the stalled instance stopped listing the firewall it lost ({stalled_printed} printed)"
    );
    assert!(
        both.len() <= 1,
        "only the stalled instance's firewall is listed twice: {both:?}"
    );
    all.sort();
    all.dedup();
    assert_eq!(all, expected, "every operation of every firewall, none lost");
    server.shutdown().await;
}

/// A database that cannot be used is one line on stderr, its exit code, no
/// password, nothing on stdout: a wrong password or no such database 253,
/// nothing listening 255.
#[tokio::test(flavor = "multi_thread")]
async fn a_database_that_cannot_be_used_fails_in_one_line() {
    let database = tokio::task::spawn_blocking(database).await.expect("no panic");
    let server = many_firewalls(Duration::ZERO).await;
    let url = server.url();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let cases = [
        (
            "wrong password",
            database.replace(":paginate@", ":hunter2@"),
            253,
            "refused",
        ),
        ("no such database", format!("{database}-none"), 253, "does not exist"),
        (
            "nothing listening",
            format!("postgres://postgres:hunter2@127.0.0.1:{closed}/postgres"),
            255,
            "cannot be reached",
        ),
        (
            "not a URL",
            "postgres://postgres:hunter2@127.0.0.1:notaport/postgres".to_owned(),
            253,
            "cannot be used",
        ),
    ];
    for (name, store, code, says) in cases {
        let output = run(&url, vec!["--checkpoint".into(), store.clone()]).await;
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{name}: {message}");
        assert_eq!(message.lines().count(), 1, "{name}: {message}");
        assert!(message.contains(says), "{name}: {message}");
        assert!(
            !message.contains("hunter2") && !message.contains("paginate@"),
            "{name}: {message}"
        );
        assert!(output.stdout.is_empty(), "{name}");
    }
    server.shutdown().await;
}
