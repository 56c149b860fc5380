//! Interop check: the AWS SDK for Rust against `list_flow_operations serve`.
//!
//! ```text
//! interop-sdk ENDPOINT_URL FIREWALL_ARN EXPECTED_COUNT [IDS_FILE]
//! ```
//!
//! With the demo credentials (AKIDPAGINATEDEMO / paginate-demo-secret), lists
//! the firewall with the SDK's `into_paginator()` at page sizes 1, 7 and 100
//! and checks that every flow operation id appears exactly once, that the
//! count is EXPECTED_COUNT and that no page is larger than asked; the three
//! listings must be identical. Then a wrong secret key and an unknown access
//! key must be refused (InvalidSignatureException / UnrecognizedClientException).
//! IDS_FILE, if given, receives the ids (one a line, in listing order).
//! Prints one PASS/FAIL line per check; exits 1 if any check failed.

use std::collections::HashSet;
use std::process::ExitCode;

use aws_config::BehaviorVersion;
use aws_sdk_networkfirewall::config::{Credentials, Region};
use aws_sdk_networkfirewall::error::ProvideErrorMetadata;
use aws_sdk_networkfirewall::Client;

const DEMO_ACCESS_KEY_ID: &str = "AKIDPAGINATEDEMO";
const DEMO_SECRET_ACCESS_KEY: &str = "paginate-demo-secret";

async fn client(url: &str, access_key_id: &str, secret: &str) -> Client {
    // Plain-http client: the endpoint is on loopback, no TLS stack needed.
    let http = aws_smithy_http_client::Builder::new().build_http();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(access_key_id, secret, None, None, "interop-sdk"))
        .load()
        .await;
    Client::new(&config)
}

/// `Code: message` of a failed call (the code alone for a transport error).
fn describe<E: ProvideErrorMetadata + std::error::Error>(e: E) -> String {
    match (e.code(), e.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_owned(),
        _ => aws_sdk_networkfirewall::error::DisplayErrorContext(&e).to_string(),
    }
}

/// Lists every flow operation id with the paginator, checking page sizes.
async fn list_ids(client: &Client, arn: &str, page_size: i32) -> Result<(Vec<String>, usize), String> {
    let mut pages = client
        .list_flow_operations()
        .firewall_arn(arn)
        .into_paginator()
        .page_size(page_size)
        .send();
    let (mut ids, mut count) = (Vec::new(), 0usize);
    while let Some(page) = pages.next().await {
        let page = page.map_err(describe)?;
        count += 1;
        let ops = page.flow_operations();
        if ops.len() > page_size as usize {
            return Err(format!("page {count} has {} items, more than MaxResults {page_size}", ops.len()));
        }
        for op in ops {
            ids.push(op.flow_operation_id().ok_or("a flow operation without FlowOperationId")?.to_owned());
        }
    }
    Ok((ids, count))
}

/// `interop-sdk bench URL ARN PAGE_SIZE WORK_MS`: lists the firewall with the
/// SDK's paginator, spending WORK_MS per page as a caller would, and prints
/// `items N seconds S` (benches/versus_sdk.sh compares it with paginate's).
async fn bench(args: &[String]) -> ExitCode {
    let [url, arn, page_size, work_ms] = args else {
        eprintln!("usage: interop-sdk bench ENDPOINT_URL FIREWALL_ARN PAGE_SIZE WORK_MS");
        return ExitCode::from(2);
    };
    let (Ok(page_size), Ok(work_ms)) = (page_size.parse::<i32>(), work_ms.parse::<u64>()) else {
        eprintln!("interop-sdk bench: PAGE_SIZE and WORK_MS are numbers");
        return ExitCode::from(2);
    };
    let client = client(url, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY).await;
    let started = std::time::Instant::now();
    let mut pages = client
        .list_flow_operations()
        .firewall_arn(arn)
        .into_paginator()
        .page_size(page_size)
        .send();
    let mut items = 0usize;
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => items += page.flow_operations().len(),
            Err(e) => {
                eprintln!("interop-sdk bench: {}", describe(e));
                return ExitCode::from(1);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(work_ms)).await;
    }
    println!("items {items} seconds {}", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}

/// Calls ListFlowOperations with the given credentials; the call must fail with `code`.
async fn expect_refused(url: &str, arn: &str, access_key_id: &str, secret: &str, code: &str) -> Result<(), String> {
    let client = client(url, access_key_id, secret).await;
    match client.list_flow_operations().firewall_arn(arn).send().await {
        Ok(_) => Err("the call succeeded".into()),
        Err(e) if e.code() == Some(code) => Ok(()),
        Err(e) => Err(format!("failed with {} instead of {code}", describe(e))),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("bench") {
        return bench(&args[2..]).await;
    }
    if args.len() < 4 || args.len() > 5 {
        eprintln!("usage: interop-sdk ENDPOINT_URL FIREWALL_ARN EXPECTED_COUNT [IDS_FILE]");
        return ExitCode::from(2);
    }
    let (url, arn) = (args[1].as_str(), args[2].as_str());
    let Ok(expected) = args[3].parse::<usize>() else {
        eprintln!("interop-sdk: EXPECTED_COUNT must be a number");
        return ExitCode::from(2);
    };
    let mut failed = 0usize;
    let mut report = |name: &str, result: Result<(), String>| match result {
        Ok(()) => println!("PASS sdk: {name}"),
        Err(e) => {
            failed += 1;
            println!("FAIL sdk: {name}: {e}");
        }
    };

    let demo = client(url, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY).await;
    let mut first: Option<Vec<String>> = None;
    for page_size in [1, 7, 100] {
        let result = match list_ids(&demo, arn, page_size).await {
            Err(e) => Err(e),
            Ok((ids, pages)) => {
                let unique: HashSet<&String> = ids.iter().collect();
                let want_pages = expected.div_ceil(page_size as usize).max(1);
                if unique.len() != ids.len() {
                    Err(format!("{} ids listed, only {} distinct", ids.len(), unique.len()))
                } else if ids.len() != expected {
                    Err(format!("{} operations listed, expected {expected}", ids.len()))
                } else if pages != want_pages {
                    Err(format!("{pages} pages, expected {want_pages}"))
                } else if first.as_ref().is_some_and(|f| *f != ids) {
                    Err("listing differs from the page-size-1 listing".into())
                } else {
                    if first.is_none() {
                        first = Some(ids);
                    }
                    Ok(())
                }
            }
        };
        report(&format!("into_paginator page_size {page_size}: {expected} operations, each once"), result);
    }
    if let (Some(path), Some(ids)) = (args.get(4), &first) {
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        if let Err(e) = std::fs::write(path, text) {
            report("write ids file", Err(format!("{path}: {e}")));
        }
    }
    report(
        "wrong secret key refused (InvalidSignatureException)",
        expect_refused(url, arn, DEMO_ACCESS_KEY_ID, "not-the-secret", "InvalidSignatureException").await,
    );
    report(
        "unknown access key refused (UnrecognizedClientException)",
        expect_refused(url, arn, "AKIDUNKNOWNINTEROP", DEMO_SECRET_ACCESS_KEY, "UnrecognizedClientException").await,
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
