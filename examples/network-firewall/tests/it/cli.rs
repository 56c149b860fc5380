//! The `list_flow_operations` binary as a user runs it: its stdout document,
//! stderr line and exit code when a listing fails part-way, is interrupted,
//! meets bad input, or finds stdout closed. Against the local endpoint over
//! loopback HTTP.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::support::{clean_command, faulty_server, firewall};
use network_firewall::{ServerConfig, DEMO_FIREWALL_ARN};
use serde_json::Value;

/// The binary with a clean environment: demo credentials, no shared files.
pub fn command(url: &str, args: &[&str]) -> Command {
    let mut command = clean_command(Path::new("/nonexistent"));
    command.args(["--endpoint-url", url]).args(args);
    if !args.contains(&"--firewall-arn") {
        command.args(["--firewall-arn", DEMO_FIREWALL_ARN]);
    }
    command
}

async fn run(url: &str, args: &[&str]) -> Output {
    let mut command = command(url, args);
    tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .expect("no panic")
}

fn ids(document: &Value) -> Vec<String> {
    document["FlowOperations"]
        .as_array()
        .map(|ops| {
            ops.iter()
                .filter_map(|op| op["FlowOperationId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `FirewallArn FlowOperationId` of every operation of a document (the ARN
/// and the id as JSON strings, quotes included).
fn keys(document: &Value) -> Vec<String> {
    document["FlowOperations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| format!("{} {}", op["FirewallArn"], op["FlowOperationId"]))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The document a run printed, the run having exited 0.
fn succeeded(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("a JSON document")
}

/// The whole listing, from a server that does not fail.
async fn full_listing() -> Vec<String> {
    let clean = faulty_server(None, Duration::ZERO).await;
    let document = succeeded(&run(&clean.url(), &["--page-size", "100"]).await);
    clean.shutdown().await;
    ids(&document)
}

/// Before the fix, a run that failed on its 5th call printed nothing and
/// hinted at a token that started *after* the 28 operations it had fetched:
/// following it lost them. Now every run prints what it received, closed with
/// the `NextToken` of the first operation not printed, and following the
/// tokens from run to run yields every operation exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_listing_prints_what_it_received_and_resumes_exactly_after_it() {
    let expected = full_listing().await;
    assert_eq!(expected.len(), 237, "the demo firewall");
    let throttling = faulty_server(Some(5), Duration::ZERO).await;
    let (mut got, mut token, mut runs) = (Vec::new(), None::<String>, 0);
    loop {
        runs += 1;
        assert!(runs < 50, "the chain of runs does not end");
        let mut args = vec!["--page-size", "7", "--max-attempts", "1"];
        if let Some(token) = &token {
            args.extend(["--starting-token", token.as_str()]);
        }
        let output = run(&throttling.url(), &args).await;
        let document: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("run {runs}: stdout is not a document ({e}): {}", stderr(&output)));
        got.extend(ids(&document));
        if output.status.success() {
            assert!(document.get("NextToken").is_none());
            break;
        }
        assert_eq!(output.status.code(), Some(254), "a throttled call is a service error");
        let next = document["NextToken"]
            .as_str()
            .expect("a failed run ends with a NextToken")
            .to_owned();
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains("ThrottlingException"), "{message}");
        assert!(message.contains(&format!("--starting-token {next}")), "{message}");
        token = Some(next);
    }
    assert!(runs > 2, "the throttling made runs fail");
    assert_eq!(got, expected, "every operation exactly once, in order");
    throttling.shutdown().await;
}

/// The `FlowOperationId`s and the `NextToken` row of an `--output table`
/// (plain): the first cell of each `FlowOperations` row, or the value of its
/// `FlowOperationId` row when a single operation is shown vertically.
fn table_ids_and_token(table: &str) -> (Vec<String>, Option<String>) {
    let (mut ids, mut token) = (Vec::new(), None);
    for line in table.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        match cells.as_slice() {
            ["", "NextToken", value, ""] => token = Some((*value).to_owned()),
            ["", "", "FlowOperationId", "FlowOperationStatus", ..] => {}
            ["", "", "FlowOperationId", id, "", ""] => ids.push((*id).to_owned()),
            ["", "", id, _, _, _, "", ""] => ids.push((*id).to_owned()),
            _ => {}
        }
    }
    (ids, token)
}

/// `--output table` is printed once the listing is complete, as the AWS CLI
/// does; a run that fails part-way still prints the table of what it
/// received, its `NextToken` row the position to resume from, and following
/// those tokens yields every operation exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_table_listing_shows_what_it_received_and_resumes_after_it() {
    let expected = full_listing().await;
    let throttling = faulty_server(Some(5), Duration::ZERO).await;
    let (mut got, mut token, mut runs) = (Vec::new(), None::<String>, 0);
    loop {
        runs += 1;
        assert!(runs < 50, "the chain of runs does not end");
        let mut args = vec![
            "--output",
            "table",
            "--color",
            "off",
            "--page-size",
            "7",
            "--max-attempts",
            "1",
        ];
        if let Some(token) = &token {
            args.extend(["--starting-token", token.as_str()]);
        }
        let output = run(&throttling.url(), &args).await;
        let table = String::from_utf8(output.stdout.clone()).expect("utf-8");
        assert!(
            table.starts_with("---"),
            "run {runs}: not a table: {table}{}",
            stderr(&output)
        );
        assert!(table.contains("ListFlowOperations"), "{table}");
        let (ids, next) = table_ids_and_token(&table);
        got.extend(ids);
        if output.status.success() {
            assert_eq!(next, None);
            break;
        }
        assert_eq!(output.status.code(), Some(254), "a throttled call is a service error");
        let next = next.expect("a failed run shows a NextToken row");
        let message = stderr(&output);
        assert!(message.contains(&format!("--starting-token {next}")), "{message}");
        token = Some(next);
    }
    assert!(runs > 2, "the throttling made runs fail");
    assert_eq!(got, expected, "every operation exactly once, in order");
    throttling.shutdown().await;
}

/// Ctrl-C exits 130 with the document closed where it stopped; its token
/// resumes the rest.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_exits_130_with_a_token_for_the_rest() {
    let expected = full_listing().await;
    // 24 pages of 150 ms: the listing is far from its end when the first is printed.
    let slow = faulty_server(None, Duration::from_millis(150)).await;
    let mut command = command(&slow.url(), &["--page-size", "10"]);
    let (output, stdout) = tokio::task::spawn_blocking(move || {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        // Interrupted once the first page is printed: the listing is under
        // way, and the binary answers Ctrl-C.
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut stdout = String::new();
        while !stdout.contains("\"FlowOperationId\"") {
            let read = reader.read_line(&mut stdout).expect("stdout is readable");
            assert!(read > 0, "the binary ended before printing an operation: {stdout}");
        }
        let pid = libc::pid_t::try_from(child.id()).expect("a pid");
        // SAFETY: signalling a child this test spawned and has not waited for.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0, "kill -INT");
        reader.read_to_string(&mut stdout).expect("stdout is readable");
        (child.wait_with_output().expect("exits"), stdout)
    })
    .await
    .expect("no panic");
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout).expect("a closed document");
    let first = ids(&document);
    assert!(
        !first.is_empty() && first.len() < expected.len(),
        "stopped part-way: {}",
        first.len()
    );
    let token = document["NextToken"].as_str().expect("a NextToken").to_owned();
    let rest = succeeded(&run(&slow.url(), &["--page-size", "100", "--starting-token", &token]).await);
    assert_eq!([first, ids(&rest)].concat(), expected);
    slow.shutdown().await;
}

/// Exit codes as the AWS CLI v2's. Before: clap's usage errors exited 2,
/// missing credentials 252, a refused connection 254, and a closed stdout 0.
#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_follow_the_aws_cli() {
    let demo = faulty_server(None, Duration::ZERO).await;
    let url = demo.url();
    let code = |output: &Output| output.status.code();

    let usage = run(&url, &["--page-size", "many"]).await;
    assert_eq!(code(&usage), Some(252), "usage error: {}", stderr(&usage));
    let bad_token = run(&url, &["--starting-token", ""]).await;
    assert_eq!(code(&bad_token), Some(252), "bad input: {}", stderr(&bad_token));

    let mut no_credentials = command(&url, &[]);
    no_credentials
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let no_credentials = tokio::task::spawn_blocking(move || no_credentials.output().expect("runs"))
        .await
        .expect("no panic");
    assert_eq!(
        code(&no_credentials),
        Some(253),
        "no credentials: {}",
        stderr(&no_credentials)
    );

    let none = "arn:aws:network-firewall:us-east-1:123456789012:firewall/none";
    let unknown = run(&url, &["--firewall-arn", none]).await;
    assert_eq!(code(&unknown), Some(254), "service error: {}", stderr(&unknown));

    let refused = run("http://127.0.0.1:1", &["--max-attempts", "1"]).await;
    assert_eq!(code(&refused), Some(255), "refused connection: {}", stderr(&refused));

    let mut closed = command(&url, &["--page-size", "5"]);
    let closed = tokio::task::spawn_blocking(move || {
        let mut child = closed
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        drop(child.stdout.take()); // the reader went away, like `| head -c0`
        child.wait_with_output().expect("exits")
    })
    .await
    .expect("no panic");
    assert_eq!(code(&closed), Some(255), "closed stdout: {}", stderr(&closed));
    for output in [&usage, &bad_token, &no_credentials, &unknown, &refused, &closed] {
        assert!(!stderr(output).contains("panicked"), "{}", stderr(output));
    }
    demo.shutdown().await;
}

/// Several `--firewall-arn`s are listed at once; `--max-items` runs chained
/// by the printed `NextToken` list every operation of every firewall once.
#[tokio::test(flavor = "multi_thread")]
async fn several_firewalls_at_once_resume_as_a_set() {
    let demo = faulty_server(None, Duration::ZERO).await;
    let url = demo.url();
    let arns: Vec<String> = demo.firewall_arns().to_vec();
    assert!(arns.len() >= 2);
    let mut args = firewall_args(&arns);
    args.extend(["--page-size", "25", "--max-concurrency", "2"]);
    let mut expected = keys(&succeeded(&run(&url, &args).await));
    let (mut got, mut token, mut runs) = (Vec::new(), None::<String>, 0);
    loop {
        runs += 1;
        assert!(runs < 40, "the chain does not end");
        let mut step = args.clone();
        step.extend(["--max-items", "40"]);
        if let Some(t) = &token {
            step.extend(["--starting-token", t.as_str()]);
        }
        let document = succeeded(&run(&url, &step).await);
        got.extend(keys(&document));
        match document.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert!(runs > 3);
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "every operation of every firewall exactly once");
    demo.shutdown().await;
}

/// `--debug` shows every request and response and the paginator's spans on
/// stderr, never the secret key, the signature or a session token; stdout is
/// the same document.
#[tokio::test(flavor = "multi_thread")]
async fn debug_shows_requests_and_no_secret() {
    let demo = faulty_server(None, Duration::ZERO).await;
    let url = demo.url();
    let plain = run(&url, &["--page-size", "50"]).await;
    let mut debug = command(&url, &["--page-size", "50", "--debug"]);
    debug.env("AWS_SESSION_TOKEN", "session-token-secret-value");
    let debug = tokio::task::spawn_blocking(move || debug.output().expect("runs"))
        .await
        .expect("no panic");
    let log = stderr(&debug);
    // The session token makes the demo endpoint refuse the call; the log must still hide it.
    assert!(log.contains("request") && log.contains("response"), "{log}");
    assert!(log.contains("Signature=<redacted>"), "{log}");
    for secret in ["paginate-demo-secret", "session-token-secret-value"] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
    let debug_ok = run(&url, &["--page-size", "50", "--debug"]).await;
    assert!(debug_ok.status.success(), "{}", stderr(&debug_ok));
    assert_eq!(debug_ok.stdout, plain.stdout, "--debug changes only stderr");
    let log = stderr(&debug_ok);
    assert_eq!(log.matches("paginate_request{page=").count(), 5, "{log}");
    demo.shutdown().await;
}

/// A profile with `role_arn` + `source_profile`: the binary assumes the role
/// through STS (a loopback stand-in reached through `AWS_ENDPOINT_URL_STS`)
/// and signs its requests with the assumed credentials, the only ones the
/// endpoint accepts. STS refusing is a credentials error: exit 253.
#[tokio::test(flavor = "multi_thread")]
async fn assumed_role_credentials_sign_the_requests() {
    use tokio::io::AsyncWriteExt;
    let assumed = network_firewall::Credentials::new(
        "ASIACLIASSUMED",
        "cli-assumed-secret",
        Some("cli-token".into()),
        None,
        "test",
    );
    let endpoint = network_firewall::start(ServerConfig {
        credentials: vec![assumed],
        ..ServerConfig::demo()
    })
    .await
    .expect("server starts");
    let sts = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let sts_url = format!("http://{}", sts.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = sts.accept().await {
            let request = crate::support::read_request(&mut stream).await;
            let text = String::from_utf8_lossy(&request);
            let (status, body) = if text.contains("role%2Fdenied") {
                (403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>".to_owned())
            } else {
                (
                    200,
                    "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIACLIASSUMED</AccessKeyId>\
                       <SecretAccessKey>cli-assumed-secret</SecretAccessKey><SessionToken>cli-token</SessionToken>\
                       <Expiration>2100-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>\
                       <AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>\
                       </AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
                        .to_owned(),
                )
            };
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    let config = std::env::temp_dir().join(format!("paginate-cli-assume-role-{}", std::process::id()));
    std::fs::write(
        &config,
        "[profile base]\naws_access_key_id = AKIDCLIBASE\naws_secret_access_key = base-secret\n\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n\n\
         [profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = base\n",
    )
    .expect("config file");
    let url = endpoint.url();
    let run_profile = |profile: &str| {
        let mut command = command(&url, &["--profile", profile, "--max-items", "3"]);
        command
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_ENDPOINT_URL_STS", &sts_url);
        tokio::task::spawn_blocking(move || command.output().expect("runs"))
    };
    let ok = run_profile("role").await.expect("no panic");
    assert_eq!(ids(&succeeded(&ok)).len(), 3);
    // The source profile's own keys are refused by the endpoint (254).
    let base = run_profile("base").await.expect("no panic");
    assert_eq!(base.status.code(), Some(254), "{}", stderr(&base));
    let denied = run_profile("denied").await.expect("no panic");
    assert_eq!(denied.status.code(), Some(253), "{}", stderr(&denied));
    assert_eq!(stderr(&denied).lines().count(), 1, "{}", stderr(&denied));
    let _ = std::fs::remove_file(&config);
    endpoint.shutdown().await;
}

/// The `--firewall-arn` arguments for `arns`.
fn firewall_args(arns: &[String]) -> Vec<&str> {
    arns.iter().flat_map(|arn| ["--firewall-arn", arn.as_str()]).collect()
}

/// A fan-out `NextToken` is bound to its `--firewall-arn` list, in its
/// order: before, a token of A B C resumed with C B A or A B D was taken,
/// and a listing it marked done was silently never listed.
#[tokio::test(flavor = "multi_thread")]
async fn a_fan_out_token_is_refused_for_other_firewalls() {
    let demo = faulty_server(None, Duration::ZERO).await;
    let url = demo.url();
    let arns: Vec<String> = demo.firewall_arns().to_vec();
    assert_eq!(arns.len(), 3);
    let mut first = firewall_args(&arns);
    first.extend(["--max-items", "3", "--page-size", "2"]);
    let document = succeeded(&run(&url, &first).await);
    let token = document["NextToken"].as_str().expect("a NextToken").to_owned();

    let reversed: Vec<String> = arns.iter().rev().cloned().collect();
    let mut other = arns.clone();
    other[2] = "arn:aws:network-firewall:us-east-1:123456789012:firewall/none".into();
    let fewer = arns[..2].to_vec();
    for (name, set) in [("reversed", &reversed), ("another firewall", &other), ("fewer", &fewer)] {
        let mut args = firewall_args(set);
        args.extend(["--starting-token", token.as_str()]);
        let output = run(&url, &args).await;
        assert_eq!(output.status.code(), Some(252), "{name}: {}", stderr(&output));
        assert_eq!(stderr(&output).lines().count(), 1, "{name}: {}", stderr(&output));
        assert!(
            output.stdout.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    // The same list, in the same order, resumes.
    let mut same = firewall_args(&arns);
    same.extend(["--starting-token", token.as_str()]);
    let output = run(&url, &same).await;
    assert!(output.status.success(), "{}", stderr(&output));
    demo.shutdown().await;
}

/// An endpoint whose every answer carries the same `NextToken`, `loop`: the
/// second page repeats the token, a cycle no token can resume.
async fn cycling_endpoint() -> String {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let mut served = 0u32;
        while let Ok((mut stream, _)) = listener.accept().await {
            crate::support::read_request(&mut stream).await;
            served += 1;
            let body = format!(r#"{{"FlowOperations": [{{"FlowOperationId": "op-{served}"}}], "NextToken": "loop"}}"#);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    url
}

/// Before, a listing stopped by a token cycle (exit 255) printed a closed
/// JSON document (or table) without `NextToken`: the same as a complete
/// listing. No token resumes such a listing, so now the JSON document is
/// left open (not valid JSON) and the table is not printed; text is written
/// row by row as the AWS CLI writes it.
#[tokio::test(flavor = "multi_thread")]
async fn a_token_cycle_never_prints_what_looks_like_a_complete_listing() {
    let url = cycling_endpoint().await;
    let two = [
        DEMO_FIREWALL_ARN.to_owned(),
        "arn:aws:network-firewall:us-east-1:123456789012:firewall/other".to_owned(),
    ];
    let mut fan_out = firewall_args(&two);
    fan_out.extend(["--max-attempts", "1"]);
    for (name, args) in [("json", vec!["--max-attempts", "1"]), ("fan-out json", fan_out)] {
        let output = run(&url, &args).await;
        assert_eq!(output.status.code(), Some(255), "{name}: {}", stderr(&output));
        assert_eq!(stderr(&output).lines().count(), 1, "{name}: {}", stderr(&output));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("\"op-"), "{name}: what was received is shown: {stdout}");
        assert!(
            serde_json::from_slice::<Value>(&output.stdout).is_err(),
            "{name}: a closed document would look complete: {stdout}"
        );
    }
    let table = run(&url, &["--output", "table", "--max-attempts", "1"]).await;
    assert_eq!(table.status.code(), Some(255), "{}", stderr(&table));
    assert!(
        table.stdout.is_empty(),
        "a table looking complete: {}",
        String::from_utf8_lossy(&table.stdout)
    );
    let text = run(&url, &["--output", "text", "--max-attempts", "1"]).await;
    assert_eq!(text.status.code(), Some(255), "{}", stderr(&text));
    assert!(!String::from_utf8_lossy(&text.stdout).contains("NEXTTOKEN"));
}

/// Before, `>&-` (stdout closed, not a closed pipe) exited 0 with the
/// output discarded; it is a failure to write the output: 255.
#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_exits_255() {
    let demo = faulty_server(None, Duration::ZERO).await;
    let url = demo.url();
    for extra in [&[][..], &["--output", "text"][..], &["--no-paginate"][..]] {
        let mut args = vec!["--max-items", "5"];
        if extra == ["--no-paginate"] {
            args.clear();
        }
        args.extend_from_slice(extra);
        let direct = command(&url, &args);
        let mut closed = Command::new("sh");
        closed
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(direct.get_program())
            .args(direct.get_args())
            .env_clear()
            .envs(direct.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let output = tokio::task::spawn_blocking(move || closed.output().expect("runs"))
            .await
            .expect("no panic");
        assert_eq!(output.status.code(), Some(255), "{args:?}: {}", stderr(&output));
        assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
        assert!(output.stdout.is_empty());
    }
    demo.shutdown().await;
}

/// Before, 4,000 firewalls with `--max-items 5` printed a 165 KB `NextToken`
/// (one token per firewall), longer than the 128 KiB a single argument may
/// be: the `--starting-token` it hinted at could not be given. Listings not
/// started and listings done take next to nothing now.
#[tokio::test(flavor = "multi_thread")]
async fn thousands_of_firewalls_resume_with_a_short_token() {
    let firewalls = (0..4000)
        .map(|n| {
            firewall(
                format!("arn:aws:network-firewall:us-east-1:123456789012:firewall/fan-out-{n:05}"),
                (0..2).map(|k| format!("op-{n}-{k}")),
            )
        })
        .collect();
    let many = network_firewall::start(ServerConfig {
        dataset: network_firewall::Dataset { firewalls },
        ..ServerConfig::demo()
    })
    .await
    .expect("server starts");
    let url = many.url();
    let arns: Vec<String> = many.firewall_arns().to_vec();
    assert_eq!(arns.len(), 4000);
    let mut first = firewall_args(&arns);
    first.extend(["--max-items", "5", "--page-size", "1"]);
    let document = succeeded(&run(&url, &first).await);
    let mut got = keys(&document);
    assert_eq!(got.len(), 5);
    let token = document["NextToken"].as_str().expect("a NextToken").to_owned();
    assert!(token.len() < 4096, "a NextToken of {} bytes", token.len());

    let mut rest = firewall_args(&arns);
    rest.extend(["--starting-token", token.as_str(), "--max-concurrency", "16"]);
    let document = succeeded(&run(&url, &rest).await);
    assert!(document.get("NextToken").is_none());
    got.extend(keys(&document));
    let mut expected: Vec<String> = arns
        .iter()
        .flat_map(|arn| (0..2).map(move |k| (arn, k)))
        .map(|(arn, k)| {
            let n: usize = arn.rsplit('-').next().and_then(|n| n.parse().ok()).expect("a number");
            format!("\"{arn}\" \"op-{n}-{k}\"")
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got.len(), expected.len(), "every operation exactly once");
    assert_eq!(got, expected);
    many.shutdown().await;
}
