//! Replays botocore's recorded paginator runs (tests/conformance/vectors, or the
//! directory in `PAGINATE_CONFORMANCE_DIR`) through the blocking and the async
//! paths with a scripted client. A vector passes only if both paths reproduce
//! the requests, pages, resume token, full result and error exactly.
//!
//! Listings run under `RepeatPolicy::RejectImmediateRepeat`, botocore's own
//! rule for repeated tokens: the vectors record botocore, and our default
//! (rejecting any earlier token, not just the previous one) stops sooner on
//! services that cycle. tests/it/errors.rs covers the default.

mod models;

use std::path::{Path, PathBuf};

use paginate_replay::{replay, Vector};

use models::network_firewall::ListFlowOperationsRequest;
use models::{dynamodb, s3, shapes};

/// The vector directories: `PAGINATE_CONFORMANCE_DIR` (a set of the same
/// format, or a folder holding `vectors/` and `vectors-shapes/`), or the
/// project's own copies of both shared sets plus `regressions/` (botocore-
/// recorded vectors that once failed here).
fn vector_dirs() -> Vec<PathBuf> {
    let has_json = |d: &Path| {
        std::fs::read_dir(d)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "json"))
            })
            .unwrap_or(false)
    };
    let root = std::env::var_os("PAGINATE_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance"));
    if has_json(&root) {
        return vec![root];
    }
    ["vectors", "vectors-shapes", "regressions"]
        .iter()
        .map(|sub| root.join(sub))
        .filter(|d| has_json(d))
        .collect()
}

fn main() {
    let dirs = vector_dirs();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in &dirs {
        match std::fs::read_dir(dir) {
            Ok(entries) => files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json")),
            ),
            Err(e) => {
                eprintln!("conformance: cannot read {}: {e}", dir.display());
                std::process::exit(1);
            }
        }
    }
    files.sort();
    let verbose = std::env::var_os("PAGINATE_CONFORMANCE_VERBOSE").is_some();
    let (mut passed, total) = (0, files.len());
    for file in &files {
        let result = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Vector>(&text).map_err(|e| format!("unreadable vector: {e}")))
            .and_then(|vector| {
                match vector.operation.as_str() {
                    "ListFlowOperations" => replay::<ListFlowOperationsRequest>(&vector),
                    "ListObjectVersions" => replay::<s3::ListObjectVersionsRequest>(&vector),
                    "Scan" => replay::<dynamodb::ScanInput>(&vector),
                    "DescribeStream" => replay::<shapes::DescribeStreamInput>(&vector),
                    "ListDistributions" => replay::<shapes::ListDistributionsRequest>(&vector),
                    "ListObjects" => replay::<shapes::ListObjectsRequest>(&vector),
                    "ListResourceRecordSets" => replay::<shapes::ListResourceRecordSetsRequest>(&vector),
                    "GetQueryResults" => replay::<shapes::GetQueryResultsInput>(&vector),
                    other => Err(format!("no model for operation {other}")),
                }
                .map_err(|e| format!("{}: {e}", vector.name))
            });
        match result {
            Ok(()) => {
                passed += 1;
                if verbose {
                    println!("ok   {}", file.display());
                }
            }
            Err(e) => println!("FAIL {}: {e}", file.display()),
        }
    }
    let from: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    println!(
        "conformance: {passed}/{total} vectors passed (from {})",
        from.join(", ")
    );
    println!("conformance: {passed} passed, {} failed", total - passed);
    if total == 0 || passed != total {
        std::process::exit(1);
    }
}
