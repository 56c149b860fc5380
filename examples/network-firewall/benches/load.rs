//! Load on the local endpoint: many concurrent SigV4-signed clients listing
//! flow operations over loopback for a fixed time. Prints requests/s, latency
//! percentiles, errors and the process's peak memory (endpoint and clients
//! share the process: the figure bounds the endpoint's).
//!
//! ```text
//! cargo bench --bench load                          # 64 clients, 5 s
//! LOAD_CLIENTS=256 LOAD_SECONDS=10 cargo bench --bench load
//! ```
//! Bounded: it stops by itself after `LOAD_SECONDS`, and talks to 127.0.0.1 only.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use network_firewall::{
    ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient, RetryConfig, ServerConfig, DEMO_FIREWALL_ARN,
};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident memory of this process, from /proc (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

fn main() {
    let clients = env("LOAD_CLIENTS", 64) as usize;
    let seconds = env("LOAD_SECONDS", 5);
    let page_size = env("LOAD_PAGE_SIZE", 100) as i32;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let server = network_firewall::start(ServerConfig::demo())
            .await
            .expect("the endpoint starts");
        let url = server.url();
        let client = NetworkFirewallClient::new(
            ClientConfig::new()
                .region("us-east-1")
                .endpoint_url(url.clone())
                .credentials(network_firewall::server::demo_credentials())
                .retry(RetryConfig {
                    max_attempts: 1,
                    base_delay: Duration::from_millis(1),
                    max_backoff: Duration::from_millis(1),
                }),
        )
        .expect("a client");
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|_| {
                let (client, stop) = (client.clone(), Arc::clone(&stop));
                tokio::spawn(async move {
                    let (mut latencies, mut errors, mut token) = (Vec::new(), 0u64, None);
                    while !stop.load(Ordering::Relaxed) {
                        let request = ListFlowOperationsRequest {
                            firewall_arn: DEMO_FIREWALL_ARN.into(),
                            next_token: token.take(),
                            max_results: Some(page_size),
                            ..Default::default()
                        };
                        let sent = Instant::now();
                        match client.list_flow_operations(&request).await {
                            Ok(page) => token = page.next_token,
                            Err(_) => errors += 1,
                        }
                        latencies.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                    }
                    (latencies, errors)
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let (mut latencies, mut errors) = (Vec::new(), 0);
        for task in tasks {
            let (l, e) = task.await.expect("a client task");
            latencies.extend(l);
            errors += e;
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let requests = latencies.len();
        println!("load: {clients} clients, {seconds} s, page size {page_size}, signed requests over loopback");
        println!(
            "load: {requests} requests, {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {errors} errors",
            requests as f64 / elapsed,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            percentile(&latencies, 1.0),
        );
        match peak_rss_mib() {
            Some(mib) => println!("load: peak memory {mib:.1} MiB (endpoint and clients, one process)"),
            None => println!("load: peak memory unavailable (no /proc)"),
        }
        server.shutdown().await;
    });
}
