//! The hand-written harness of the botocore sweep: replays vectors recorded by
//! `generate.py` (botocore's own paginator against a generic scripted service)
//! through models generated with `#[derive(Paginated)]`, blocking and async,
//! pages, items, resume tokens, full results and errors, with the replay of
//! tests/conformance.rs (the `paginate-replay` crate, re-exported here).
//!
//! Generated chunk crates call `replay::<Request>` from their `dispatch`; the
//! generated runner calls `main` with every chunk's `dispatch`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

pub use paginate_replay::{replay, Vector};

/// One chunk's dispatch: `None` when the chunk has no model for the paginator.
pub type Dispatch = fn(&str, &str, &Vector) -> Option<Result<(), String>>;

#[derive(Deserialize)]
struct Manifest {
    botocore: String,
    total: usize,
    paginators: Vec<ManifestEntry>,
}

#[derive(Deserialize)]
struct ManifestEntry {
    service: String,
    operation: String,
    expressed: bool,
    selected: bool,
    #[serde(default)]
    reason: Option<String>,
}

/// `runner VECTOR_DIR MANIFEST`: replays every vector, then prints, last,
/// `botocore paginators: P/T replayed, V vectors passed`. Exits 1 on any failure.
pub fn main(chunks: &[Dispatch]) {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} VECTOR_DIR MANIFEST", args[0]);
        std::process::exit(2);
    }
    let manifest: Manifest = match std::fs::read_to_string(&args[2])
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("cannot read manifest {}: {e}", args[2]);
            std::process::exit(2);
        }
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&args[1]) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", args[1]);
            std::process::exit(2);
        }
    };
    files.sort();
    let verbose = std::env::var_os("PAGINATE_BOTOCORE_VERBOSE").is_some();
    // (service, operation) -> (vectors, passed)
    let mut per: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let vector = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Vector>(&text).map_err(|e| format!("unreadable vector: {e}")));
        let (key, result) = match vector {
            Ok(vector) => {
                let key = (vector.service.clone(), vector.operation.clone());
                let result = chunks
                    .iter()
                    .find_map(|dispatch| dispatch(&vector.service, &vector.operation, &vector))
                    .unwrap_or_else(|| Err(format!("no model for {} {}", vector.service, vector.operation)));
                (key, result.map_err(|e| format!("{}: {e}", vector.name)))
            }
            Err(e) => ((String::new(), file.display().to_string()), Err(e)),
        };
        let entry = per.entry(key).or_default();
        entry.0 += 1;
        match result {
            Ok(()) => {
                entry.1 += 1;
                passed += 1;
                if verbose {
                    println!("ok   {}", file.display());
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {e}");
            }
        }
    }
    let mut not_replayed = Vec::new();
    for p in manifest.paginators.iter().filter(|p| !p.expressed) {
        not_replayed.push(format!(
            "{} {}: {}",
            p.service,
            p.operation,
            p.reason.as_deref().unwrap_or("not expressed")
        ));
    }
    let selected = manifest.paginators.iter().filter(|p| p.selected).count();
    let mut missing = 0;
    for p in manifest.paginators.iter().filter(|p| p.selected && p.expressed) {
        if !per.contains_key(&(p.service.clone(), p.operation.clone())) {
            missing += 1;
            println!("FAIL {} {}: no vectors", p.service, p.operation);
        }
    }
    let replayed = per.values().filter(|(n, ok)| *n > 0 && n == ok).count();
    let failing: Vec<String> = per
        .iter()
        .filter(|(_, (n, ok))| n != ok)
        .map(|((s, o), (n, ok))| format!("{s} {o} ({ok}/{n})"))
        .collect();
    if !not_replayed.is_empty() {
        println!("not expressed by the derive ({}, all paginators):", not_replayed.len());
        for line in &not_replayed {
            println!("  {line}");
        }
    }
    if !failing.is_empty() {
        println!("paginators with failing vectors ({}):", failing.len());
        for line in &failing {
            println!("  {line}");
        }
    }
    println!(
        "botocore {}: {selected} paginators selected, {replayed} replayed, {} vectors, {failed} failed",
        manifest.botocore,
        passed + failed
    );
    println!(
        "botocore paginators: {replayed}/{} replayed, {passed} vectors passed",
        manifest.total
    );
    if failed > 0 || missing > 0 || replayed != selected || files.is_empty() {
        std::process::exit(1);
    }
}
