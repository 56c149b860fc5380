//! Floods the local endpoint, running in a child process under a file
//! descriptor limit, and prints its peak memory and open descriptors, how
//! the flood was answered, and whether a valid client is still served.
//!
//! ```text
//! # 3000 unsigned connections, each sending a 1 MiB - 1 byte body (all but its last byte):
//! FLOOD=body FLOOD_CONNECTIONS=3000 FLOOD_NOFILE=20000 cargo bench -p network-firewall --bench flood
//! # the same with a made-up signature (the public demo key id) and chunked bodies:
//! FLOOD=forged FLOOD_CONNECTIONS=3000 FLOOD_NOFILE=20000 cargo bench -p network-firewall --bench flood
//! # 1030 idle connections against a server limited to 1024 descriptors:
//! FLOOD=idle FLOOD_CONNECTIONS=1030 FLOOD_NOFILE=1024 cargo bench -p network-firewall --bench flood
//! ```
//!
//! Defaults: `FLOOD=body`, 3000 connections (1030 for `idle`), `FLOOD_NOFILE=1024`.
//! Bounded: every connection and answer has a deadline, and it talks to 127.0.0.1 only.
//! The endpoint is started with `ServerConfig::demo()` (default limits).

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use network_firewall::ServerConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Raw HTTP to the endpoint, as the tests speak it.
#[path = "../tests/it/raw_http.rs"]
#[allow(dead_code)] // the flood signs nothing itself
mod raw_http;

use raw_http::{client, forged_headers, head, is_closed, request, Signing, TARGET};

/// The length each flooding body declares (all but its last byte is sent).
const LENGTH: usize = (1 << 20) - 1;

/// How long a connection, a body or an answer may take.
const BOUND: Duration = Duration::from_secs(60);

/// Set in the child process, which serves instead of flooding.
const CHILD: &str = "FLOOD_CHILD";

fn main() {
    if std::env::var_os(CHILD).is_some() {
        serve();
        return;
    }
    let mode = std::env::var("FLOOD").unwrap_or_else(|_| "body".into());
    if !["body", "forged", "idle"].contains(&mode.as_str()) {
        eprintln!("FLOOD is body, forged or idle, not {mode:?}");
        std::process::exit(2);
    }
    let connections: usize = std::env::var("FLOOD_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if mode == "idle" { 1030 } else { 3000 });
    let nofile: u64 = std::env::var("FLOOD_NOFILE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let exe = std::env::current_exe().expect("the bench's own path");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {nofile} && exec \"$0\""))
        .arg(&exe)
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process starts");
    let to_child = child.stdin.take().expect("the child's stdin");
    let mut from_child = BufReader::new(child.stdout.take().expect("the child's stdout"));
    let mut line = String::new();
    from_child.read_line(&mut line).expect("the child's port");
    let port: u16 = match line.strip_prefix("PORT ").and_then(|p| p.trim().parse().ok()) {
        Some(port) => port,
        None => panic!("the server process did not start: {line:?}"),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    // `sh` execs the bench binary, so the child's pid is the server's.
    let server = Server {
        pid: child.id(),
        mode: mode.clone(),
    };
    server.stats("baseline");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    if mode == "idle" {
        runtime.block_on(idle(&server, addr, connections));
    } else {
        runtime.block_on(bodies(&server, addr, connections, mode == "forged"));
    }
    drop(to_child);
    let _ = child.wait();
}

/// The child: serves `ServerConfig::demo()`, prints `PORT <port>`, and
/// stops when stdin closes.
fn serve() {
    let server = network_firewall::start_blocking(ServerConfig::demo()).expect("the endpoint starts");
    println!("PORT {}", server.addr().port());
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    while std::io::stdin().read_line(&mut line).unwrap_or(0) > 0 {
        line.clear();
    }
    server.shutdown();
}

/// The server process, seen from /proc.
struct Server {
    pid: u32,
    mode: String,
}

impl Server {
    fn stats(&self, label: &str) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map_or_else(|| "?".to_owned(), |v| v.trim().to_owned())
        };
        let fds = std::fs::read_dir(format!("/proc/{}/fd", self.pid)).map_or(0, Iterator::count);
        println!(
            "flood[{}] {label}: server VmHWM {}, VmRSS {}, open fds {fds}",
            self.mode,
            field("VmHWM:"),
            field("VmRSS:")
        );
    }
}

/// Opens `connections` idle connections, then lists with a valid client.
async fn idle(server: &Server, addr: SocketAddr, connections: usize) {
    let mut idle = Vec::new();
    for _ in 0..connections {
        // Long enough for the SYN retransmission (1 s) when the accept
        // queue is momentarily full.
        match tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr)).await {
            Ok(Ok(s)) => idle.push(s),
            Ok(Err(e)) => {
                println!("flood[idle] connection {} failed: {e}", idle.len());
                break;
            }
            Err(_) => {
                println!("flood[idle] connection {} timed out", idle.len());
                break;
            }
        }
    }
    // Until the server has taken in every connection it will: its open
    // descriptors stop changing.
    let mut fds = usize::MAX;
    let settled = Instant::now() + BOUND;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = std::fs::read_dir(format!("/proc/{}/fd", server.pid)).map_or(0, Iterator::count);
        if now == fds || Instant::now() > settled {
            break;
        }
        fds = now;
    }
    let started = Instant::now();
    let outcome = client(&format!("http://{addr}"), "us-east-1", BOUND)
        .list_flow_operations(&request())
        .await;
    let served = match outcome {
        Ok(_) => format!("served in {:?}", started.elapsed()),
        Err(e) => format!("NOT served after {:?}: {e}", started.elapsed()),
    };
    let closed = idle.iter().filter(|s| is_closed(s)).count();
    println!(
        "flood[idle] {} idle connections opened, {closed} closed by the server",
        idle.len()
    );
    println!("flood[idle] valid client: {served}");
    server.stats("idle connections still held");
    drop(idle);
    server.stats("after");
}

/// Opens `connections` connections that each send all of a 1 MiB body but
/// its last byte, so that every body is held at once; then sends the last
/// bytes and counts the answers.
async fn bodies(server: &Server, addr: SocketAddr, connections: usize, forged: bool) {
    let body: Arc<Vec<u8>> = Arc::new(vec![b' '; LENGTH]);
    let written = Arc::new(AtomicUsize::new(0));
    let all_written = Arc::new(tokio::sync::Notify::new());
    let release = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (body, written, all_written, release) =
            (body.clone(), written.clone(), all_written.clone(), release.clone());
        tasks.push(tokio::spawn(async move {
            let released = release.notified();
            let wrote = || {
                if written.fetch_add(1, Ordering::SeqCst) + 1 == connections {
                    all_written.notify_one();
                }
            };
            let Ok(Ok(mut s)) = tokio::time::timeout(BOUND, TcpStream::connect(addr)).await else {
                wrote();
                return "connect failed".to_owned();
            };
            let (start, tail) = if forged {
                // Signed-looking (the public demo key id, a made-up
                // signature), chunked: one chunk of LENGTH bytes.
                (
                    format!(
                        "{}{LENGTH:x}\r\n",
                        head(
                            &forged_headers(&addr.to_string(), &Signing::default()),
                            "transfer-encoding: chunked\r\n",
                        )
                    ),
                    " \r\n0\r\n\r\n",
                )
            } else {
                (
                    format!(
                        "POST / HTTP/1.1\r\nhost: {addr}\r\nx-amz-target: {TARGET}\r\n\
                         content-type: application/x-amz-json-1.0\r\ncontent-length: {LENGTH}\r\n\r\n"
                    ),
                    " ",
                )
            };
            let sent = tokio::time::timeout(BOUND, async {
                s.write_all(start.as_bytes()).await?;
                s.write_all(&body[..LENGTH - 1]).await
            })
            .await;
            wrote();
            released.await;
            let _ = s.write_all(tail.as_bytes()).await;
            match (sent, read_response(&mut s).await) {
                (_, Some(answer)) => answer,
                (Ok(Ok(())), None) => "no answer".to_owned(),
                (_, None) => "refused while sending".to_owned(),
            }
        }));
    }
    let _ = tokio::time::timeout(2 * BOUND, all_written.notified()).await;
    server.stats("all bodies sent but their last byte");
    release.notify_waiters();
    let mut counts = BTreeMap::<String, usize>::new();
    for task in tasks {
        *counts
            .entry(task.await.unwrap_or_else(|_| "panicked".into()))
            .or_default() += 1;
    }
    println!("flood[{}] {connections} connections, answers: {counts:?}", server.mode);
    server.stats("after");
}

/// The status line of the response, if one arrives within `BOUND`.
async fn read_response(stream: &mut TcpStream) -> Option<String> {
    let read = async {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = buf.iter().position(|&b| b == b'\n') {
                return Some(String::from_utf8_lossy(&buf[..end]).trim_end().to_owned());
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    tokio::time::timeout(BOUND, read).await.ok().flatten()
}
