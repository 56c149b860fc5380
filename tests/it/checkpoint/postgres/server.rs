//! A real PostgreSQL server for the tests (and the benchmark), started once
//! per process by `server.sh`: a throwaway cluster in a temporary directory on
//! 127.0.0.1 and a free port, stopped and removed when the process ends.
//! `PAGINATE_TEST_POSTGRES_URL` names a server to use instead (the worker
//! child processes are handed their parent's).

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use paginate::{CheckpointError, PostgresStore};

pub const URL_VAR: &str = "PAGINATE_TEST_POSTGRES_URL";

const SCRIPT: &str = include_str!("server.sh");

/// The server's URL, starting it on first use. Panics (fails the test) when
/// PostgreSQL cannot be started: the tests need it, and CI installs it.
pub fn url() -> String {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    static RUNNING: Mutex<Option<Child>> = Mutex::new(None);
    let started = SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var(URL_VAR) {
            return Ok(url);
        }
        let (child, url) = start()?;
        // Kept, never dropped: its standard input closes when this process ends, which stops it.
        *RUNNING.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(child);
        Ok(url)
    });
    match started {
        Ok(url) => url.clone(),
        Err(why) => panic!("PostgreSQL could not be started for the tests (apt-get install -y postgresql): {why}"),
    }
}

fn start() -> Result<(Child, String), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let mut child = Command::new("bash")
        .args(["-c", SCRIPT, "server.sh", &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("bash: {e}"))?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    let Some(dir) = line.trim().strip_prefix("dir ").map(str::to_string) else {
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        return Err(format!("server.sh failed: {}", stderr.trim()));
    };
    let url = format!("postgres://postgres:paginate@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match PostgresStore::connect(&url) {
            Ok(_) => return Ok((child, url)),
            Err(CheckpointError::Unreachable { .. }) | Err(CheckpointError::Store(_))
                if Instant::now() < deadline && child.try_wait().ok().flatten().is_none() =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => {
                let log = std::fs::read_to_string(format!("{dir}/server.log")).unwrap_or_default();
                return Err(format!("no server at {url}: {e}; its log:\n{log}"));
            }
        }
    }
}
