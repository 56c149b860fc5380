//! The small version of the chaos harness, run by `cargo test`: two runs (1
//! and 2 workers) over 120 listings, a worker killed every 700 ms, against
//! the faulty loopback service and a throwaway PostgreSQL cluster. The
//! harness exits 0 only when every item was delivered, every repeat lay in
//! a killed worker's unflushed window, and the deduping consumer saw each
//! item once.

use std::process::Command;

#[test]
fn workers_killed_at_random_lose_nothing_and_repeat_only_their_unflushed_window() {
    let output = Command::new(env!("CARGO_BIN_EXE_paginate-chaos"))
        .args([
            "--workers",
            "1,2",
            "--listings",
            "120",
            "--kill-every-ms",
            "700",
            "--lease-ms",
            "500",
            "--flush-every",
            "20",
            "--deadline-s",
            "240",
        ])
        .output()
        .expect("the harness runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(output.status.success(), "the harness failed: {}", output.status);
    assert!(stdout.contains("chaos: passed"), "{stdout}");
    // The runs were long enough for the kills to happen.
    for line in stdout
        .lines()
        .filter(|l| l.starts_with("| 1 |") || l.starts_with("| 2 |"))
    {
        let crashes: usize = line.split('|').nth(4).and_then(|c| c.trim().parse().ok()).unwrap_or(0);
        assert!(crashes >= 1, "no worker was killed: {line}");
    }
}
