//! The hostile input catalogue: bad tokens, page sizes, item counts,
//! endpoints, regions, credentials files and data files given to the
//! `list_flow_operations` binary. Each must end with the AWS CLI v2 exit code
//! for its kind, exactly one line on stderr, nothing on stdout, and no panic.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::clean_command;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use network_firewall::{ServerConfig, DEMO_FIREWALL_ARN};

const INPUT: i32 = 252;
const CONFIG: i32 = 253;
const SERVICE: i32 = 254;
const OTHER: i32 = 255;

/// One hostile case: its name, the arguments, extra environment, and the exit code expected.
struct Case {
    name: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    code: i32,
    /// A text that must not appear on stderr (a secret, or a wrong diagnosis).
    secret: Option<&'static str>,
    /// A text stderr must contain.
    says: Option<&'static str>,
}

fn case(name: &str, args: &[&str], code: i32) -> Case {
    Case {
        name: name.to_owned(),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        env: Vec::new(),
        code,
        secret: None,
        says: None,
    }
}

fn token(json: &str) -> String {
    STANDARD.encode(json)
}

/// Runs the binary with a clean environment and at most 20 seconds.
fn run(case: &Case, home: &Path) -> (Option<i32>, String, Vec<u8>) {
    run_with_stdout(case, home, Stdio::piped())
}

/// [`run`], with stdout going to `stdout` (a null one for outputs larger
/// than a pipe holds, which `run` reads only at the end).
fn run_with_stdout(case: &Case, home: &Path, stdout: Stdio) -> (Option<i32>, String, Vec<u8>) {
    let mut command = clean_command(home);
    command
        .args(&case.args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped());
    for (key, value) in &case.env {
        if value.is_empty() {
            command.env_remove(key);
        } else {
            command.env(key, value);
        }
    }
    let mut child = command.spawn().expect("the binary starts");
    let started = Instant::now();
    while child.try_wait().ok().flatten().is_none() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let output = child.wait_with_output().expect("the binary ends");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.stdout,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn every_hostile_input_gets_one_line_and_the_right_exit_code() {
    let server = network_firewall::start(ServerConfig::demo())
        .await
        .expect("server starts");
    let url = server.url();
    let home = std::env::temp_dir().join(format!("paginate-hostile-{}", std::process::id()));
    std::fs::create_dir_all(home.join("a-directory")).expect("temp dir");
    let write = |name: &str, content: &[u8]| {
        let path = home.join(name);
        std::fs::write(&path, content).expect("temp file");
        path.to_string_lossy().into_owned()
    };
    let dir = home.join("a-directory").to_string_lossy().into_owned();
    let long = "A".repeat(70_000);
    let on_endpoint = |name: &str, args: &[&str], code: i32| {
        let mut all = vec!["--endpoint-url", url.as_str()];
        if !args.contains(&"--firewall-arn") {
            all.extend(["--firewall-arn", DEMO_FIREWALL_ARN]);
        }
        all.extend_from_slice(args);
        case(name, &all, code)
    };
    let truncate = |amount: &str| token(&format!(r#"{{"NextToken": null, "boto_truncate_amount": {amount}}}"#));
    let tokens = [
        ("empty token", String::new(), INPUT),
        ("token over 64 KiB", long, INPUT),
        ("token of another operation", token(r#"{"Marker": "x"}"#), INPUT),
        ("negative truncate amount", truncate("-1"), INPUT),
        ("fractional truncate amount", truncate("1.5"), INPUT),
        ("string truncate amount", truncate(r#""3""#), INPUT),
        ("huge truncate amount", truncate("1e300"), INPUT),
        ("absurd truncate amount", truncate("99999999999999"), INPUT),
        ("number as NextToken", token(r#"{"NextToken": 5}"#), INPUT),
        ("list as NextToken", token(r#"{"NextToken": ["a"]}"#), INPUT),
        (
            "bad boto_encoded_keys",
            token(r#"{"NextToken": "x", "boto_encoded_keys": 5}"#),
            INPUT,
        ),
        ("legacy token with too many parts", "a___b___c".to_owned(), INPUT),
        ("legacy token with a negative count", "a___-2".to_owned(), INPUT),
        ("garbage passed to the service", "not-a-token!".to_owned(), SERVICE),
        ("base64 of text passed to the service", "aGVsbG8=".to_owned(), SERVICE),
        ("forged service token", token(r#"{"NextToken": "AAAAforged"}"#), SERVICE),
    ];
    let mut cases: Vec<Case> = tokens
        .iter()
        .map(|(name, t, code)| on_endpoint(name, &["--starting-token", t], *code))
        .collect();
    // Fan-out tokens (several --firewall-arn): bound to the list, compact,
    // and checked before any listing starts.
    let egress = "arn:aws:network-firewall:us-east-1:123456789012:firewall/paginate-demo-egress";
    let two = [DEMO_FIREWALL_ARN, egress];
    let fingerprint = {
        use sha2::{Digest, Sha256};
        let list = serde_json::to_string(&two).expect("json");
        let digest = Sha256::digest(list.as_bytes());
        digest[..8].iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let set = |inner: &str| {
        token(&format!(
            r#"{{"fan_out": {{"firewalls": "{fingerprint}", "count": 2{inner}}}}}"#
        ))
    };
    let fan_out_tokens = [
        (
            "fan-out token of another list",
            token(r#"{"fan_out": {"firewalls": "0123456789abcdef", "count": 2}}"#),
        ),
        (
            "fan-out token of more firewalls",
            token(&format!(
                r#"{{"fan_out": {{"firewalls": "{fingerprint}", "count": 3}}}}"#
            )),
        ),
        (
            "unbound fan-out token",
            token(r#"{"paginate_fan_out": [null, "eyJOZXh0VG9rZW4iOiBudWxsfQ=="]}"#),
        ),
        ("one firewall's token for two", token(r#"{"NextToken": null}"#)),
        ("fan-out token not base64", "not-a-token!".to_owned()),
        ("fan-out token with an unknown member", set(r#", "extra": 1"#)),
        ("fan-out range past the end", set(r#", "done": "0-2""#)),
        ("fan-out ranges descending", set(r#", "done": "1,0""#)),
        ("fan-out range not a number", set(r#", "done": "x""#)),
        (
            "fan-out token for a listing past the end",
            set(r#", "at": {"2": "eyJOZXh0VG9rZW4iOiBudWxsfQ=="}"#),
        ),
        (
            "fan-out token for a listing done",
            set(r#", "done": "1", "at": {"1": "eyJOZXh0VG9rZW4iOiBudWxsfQ=="}"#),
        ),
        (
            "fan-out token over 64 KiB",
            set(&format!(r#", "done": "0", "pad": "{}""#, "A".repeat(70_000))),
        ),
    ];
    cases.extend(fan_out_tokens.iter().map(|(name, t)| {
        let args = [
            "--firewall-arn",
            DEMO_FIREWALL_ARN,
            "--firewall-arn",
            egress,
            "--starting-token",
            t,
        ];
        on_endpoint(name, &args, INPUT)
    }));
    cases.push(on_endpoint(
        "a fan-out token for one firewall",
        &["--starting-token", &set(r#", "done": "1""#)],
        INPUT,
    ));
    let bad_endpoint =
        |name: &str, endpoint: &str| case(name, &["--endpoint-url", endpoint, "--firewall-arn", "x"], INPUT);
    let refusing = |name: &str, endpoint: &str| {
        let args = [
            "--endpoint-url",
            endpoint,
            "--firewall-arn",
            DEMO_FIREWALL_ARN,
            "--max-attempts",
            "1",
        ];
        case(name, &args, OTHER)
    };
    cases.extend([
        on_endpoint("page size 0", &["--page-size", "0"], INPUT),
        on_endpoint("page size 101", &["--page-size", "101"], INPUT),
        on_endpoint("negative page size", &["--page-size", "-1"], INPUT),
        on_endpoint("page size not a number", &["--page-size", "abc"], INPUT),
        on_endpoint("page size over u64", &["--page-size", "18446744073709551616"], INPUT),
        on_endpoint("fractional page size", &["--page-size", "1.5"], INPUT),
        on_endpoint("negative max items", &["--max-items", "-5"], INPUT),
        on_endpoint("max items not a number", &["--max-items", "x"], INPUT),
        on_endpoint("max items over u64", &["--max-items", "99999999999999999999999"], INPUT),
        on_endpoint("zero attempts", &["--max-attempts", "0"], INPUT),
        on_endpoint("negative read timeout", &["--cli-read-timeout", "-1"], INPUT),
        on_endpoint("unsupported output", &["--output", "yaml"], INPUT),
        on_endpoint("unknown timestamp format", &["--cli-timestamp-format", "rfc822"], INPUT),
        on_endpoint("unknown flag", &["--bogus"], INPUT),
        on_endpoint("flag without its value", &["--page-size"], INPUT),
        on_endpoint(
            "unknown flow operation type",
            &["--flow-operation-type", "BOGUS"],
            SERVICE,
        ),
        on_endpoint(
            "unknown firewall",
            &[
                "--firewall-arn",
                "arn:aws:network-firewall:us-east-1:123456789012:firewall/none",
            ],
            SERVICE,
        ),
        on_endpoint("empty firewall ARN", &["--firewall-arn", ""], SERVICE),
        bad_endpoint("endpoint not a URL", "notaurl"),
        bad_endpoint("endpoint with another scheme", "ftp://127.0.0.1/"),
        bad_endpoint("endpoint without a host", "http://"),
        bad_endpoint("endpoint with a newline", "http://127.0.0.1:1\n"),
        refusing("endpoint refusing connections", "http://127.0.0.1:1"),
        Case {
            secret: Some("hunter2"),
            ..refusing(
                "endpoint with a password, refusing connections",
                "http://user:hunter2@127.0.0.1:1",
            )
        },
        on_endpoint("region with a newline", &["--region", "us-east-1\n"], INPUT),
        on_endpoint("empty region", &["--region", ""], INPUT),
        on_endpoint("--aws and --endpoint-url together", &["--aws"], INPUT),
    ]);
    // Several firewalls with --no-paginate (one call lists one firewall), and
    // a firewall given twice (its operations would be listed twice): refused
    // in every output format.
    for output in ["json", "text", "table"] {
        cases.extend([
            on_endpoint(
                &format!("--no-paginate with two firewalls, --output {output}"),
                &[
                    "--no-paginate",
                    "--output",
                    output,
                    "--firewall-arn",
                    DEMO_FIREWALL_ARN,
                    "--firewall-arn",
                    egress,
                ],
                INPUT,
            ),
            on_endpoint(
                &format!("the same firewall twice, --output {output}"),
                &[
                    "--output",
                    output,
                    "--firewall-arn",
                    DEMO_FIREWALL_ARN,
                    "--firewall-arn",
                    egress,
                    "--firewall-arn",
                    DEMO_FIREWALL_ARN,
                ],
                INPUT,
            ),
        ]);
    }
    cases.extend([case(
        "--endpoint-url without --firewall-arn",
        &["--endpoint-url", "http://127.0.0.1:1"],
        INPUT,
    )]);
    // --query: one too deep for a recursive parser is bad input (the AWS CLI
    // stops at Python's recursion limit); one that fails on the result is
    // the AWS CLI's 255, in every output format, and no write failure.
    let deep_queries = [
        (
            "query of 16000 projections",
            format!("FlowOperations{}", "[]".repeat(16_000)),
        ),
        (
            "query of 20000 parentheses",
            format!("{}FlowOperations{}", "(".repeat(20_000), ")".repeat(20_000)),
        ),
        ("query of 60000 nots", format!("{}FlowOperations", "!".repeat(60_000))),
        (
            "query of 8000 nested filters",
            format!("FlowOperations{}{}", "[?a".repeat(8_000), "]".repeat(8_000)),
        ),
        ("query of 100000 open parentheses", "(".repeat(100_000)),
        (
            "query of 20000 nested hashes",
            format!("{}a{}", "{a: ".repeat(20_000), "}".repeat(20_000)),
        ),
        ("query of 30000 pipes", format!("a{}", " | a".repeat(30_000))),
    ];
    for (name, query) in &deep_queries {
        cases.push(on_endpoint(name, &["--query", query], INPUT));
    }
    for output in ["json", "text", "table"] {
        for (what, query) in [
            ("a type error", "abs(FlowOperations[0].FlowOperationId)"),
            ("an unknown function", "nosuch(@)"),
            ("a string with a newline", "abs('a\nb')"),
        ] {
            cases.push(Case {
                secret: Some("cannot write"),
                ..on_endpoint(
                    &format!("--output {output} --query with {what}"),
                    &["--output", output, "--query", query],
                    OTHER,
                )
            });
        }
    }
    let configured = |name: &str, env: &[(&str, String)]| Case {
        env: env.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        ..on_endpoint(name, &["--firewall-arn", DEMO_FIREWALL_ARN], CONFIG)
    };
    let no_keys = [
        ("AWS_ACCESS_KEY_ID", String::new()),
        ("AWS_SECRET_ACCESS_KEY", String::new()),
    ];
    let with_file = |name: &str, content: &[u8]| {
        let file = write(name, content);
        let mut env = no_keys.to_vec();
        env.push(("AWS_SHARED_CREDENTIALS_FILE", file));
        env
    };
    cases.extend([
        configured(
            "region with a newline from the environment",
            &[("AWS_REGION", "us-east-1\nx".into())],
        ),
        configured("access key with a newline", &[("AWS_ACCESS_KEY_ID", "AKID\nX".into())]),
        configured("no credentials anywhere", &no_keys),
        configured(
            "credentials file of garbage",
            &with_file("garbage", b"\x00\xff[[[ not ini"),
        ),
        configured(
            "credentials file without a secret",
            &with_file("nosecret", b"[default]\naws_access_key_id = AKIDX\n"),
        ),
        configured(
            "credentials file naming other profiles",
            &with_file("other", b"[other]\naws_access_key_id = A\naws_secret_access_key = B\n"),
        ),
        configured("credentials file that is a directory", &{
            let mut env = no_keys.to_vec();
            env.push(("AWS_SHARED_CREDENTIALS_FILE", dir.clone()));
            env
        }),
        configured("a profile that does not exist", &{
            let mut env = with_file("one", b"[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
            env.push(("AWS_PROFILE", "nosuchprofile".into()));
            env
        }),
    ]);
    let data = |name: &str, content: Option<&[u8]>| {
        let path = match content {
            Some(content) => write(name, content),
            None => home.join(name).to_string_lossy().into_owned(),
        };
        case(
            &format!("serve --data {name}"),
            &["serve", "--port", "0", "--data", &path],
            INPUT,
        )
    };
    cases.extend([
        data("not-json", Some(b"this is not json")),
        data("array.json", Some(b"[]")),
        data("empty.json", Some(b"")),
        data("wrong-types.json", Some(br#"{"Firewalls": 5}"#)),
        data(
            "operation-without-id.json",
            Some(br#"{"Firewalls": [{"FirewallArn": "a", "FlowOperations": [{}]}]}"#),
        ),
        data("missing.json", None),
        case(
            "serve --data a directory",
            &["serve", "--port", "0", "--data", &dir],
            INPUT,
        ),
        case("serve on a privileged port taken", &["serve", "--port", "99999"], INPUT),
    ]);

    // Unbounded reads: devices, FIFOs and oversized files are refused
    // before anything is read from them.
    let fifo = |name: &str| {
        let path = home.join(name);
        let _ = std::fs::remove_file(&path);
        let c_path = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("no NUL");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo {name}");
        path.to_string_lossy().into_owned()
    };
    let sized = |name: &str, head: &[u8], len: u64| {
        let path = write(name, head);
        let file = std::fs::OpenOptions::new().write(true).open(&path).expect("open");
        file.set_len(len).expect("sparse file");
        path
    };
    let input_fifo = fifo("input.fifo");
    let big_input = {
        // Valid JSON of 5 MiB: an object followed by spaces.
        let path = write("big-input.json", b"{}");
        let mut content = b"{}".to_vec();
        content.resize(5 << 20, b' ');
        std::fs::write(&path, content).expect("big input");
        path
    };
    let data_fifo = fifo("data.fifo");
    let huge_data = sized("huge-data.json", b"", 300 << 20);
    let config_fifo = fifo("config.fifo");
    let big_config = {
        let mut content = b"[default]\nregion = us-east-1\n".to_vec();
        while content.len() < 5 << 20 {
            content.extend_from_slice(b"# a comment line to make the file large\n");
        }
        write("big-config", &content)
    };
    let web_identity = |file: &str| {
        let mut env = no_keys.to_vec();
        env.push(("AWS_WEB_IDENTITY_TOKEN_FILE", file.to_owned()));
        env.push(("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".to_owned()));
        env.push(("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1".to_owned()));
        env
    };
    let profile_token_fifo = fifo("profile-token.fifo");
    let profile_token_config = write(
        "profile-token-config",
        format!(
            "[profile web]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {profile_token_fifo}\n"
        )
        .as_bytes(),
    );
    cases.extend([
        on_endpoint(
            "--cli-input-json /dev/zero",
            &["--cli-input-json", "file:///dev/zero"],
            INPUT,
        ),
        on_endpoint(
            "--cli-input-json /dev/urandom",
            &["--cli-input-json", "file:///dev/urandom"],
            INPUT,
        ),
        on_endpoint(
            "--cli-input-json a FIFO",
            &["--cli-input-json", &format!("file://{input_fifo}")],
            INPUT,
        ),
        on_endpoint(
            "--cli-input-json of 5 MiB",
            &["--cli-input-json", &format!("file://{big_input}")],
            INPUT,
        ),
        case(
            "serve --data /dev/zero",
            &["serve", "--port", "0", "--data", "/dev/zero"],
            INPUT,
        ),
        case(
            "serve --data a FIFO",
            &["serve", "--port", "0", "--data", &data_fifo],
            INPUT,
        ),
        Case {
            says: Some("larger than"),
            ..case(
                "serve --data of 300 MiB",
                &["serve", "--port", "0", "--data", &huge_data],
                INPUT,
            )
        },
        configured("config file /dev/zero", &[("AWS_CONFIG_FILE", "/dev/zero".into())]),
        configured(
            "credentials file /dev/zero",
            &[("AWS_SHARED_CREDENTIALS_FILE", "/dev/zero".into())],
        ),
        configured("config file a FIFO", &[("AWS_CONFIG_FILE", config_fifo.clone())]),
        configured("config file of 5 MiB", &[("AWS_CONFIG_FILE", big_config.clone())]),
        configured("web identity token file /dev/zero", &web_identity("/dev/zero")),
        configured("web identity token file a FIFO", &web_identity(&fifo("token.fifo"))),
        configured("profile's web identity token file a FIFO", &{
            let mut env = no_keys.to_vec();
            env.push(("AWS_CONFIG_FILE", profile_token_config.clone()));
            env.push(("AWS_PROFILE", "web".to_owned()));
            env.push(("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1".to_owned()));
            env
        }),
    ]);
    // An STS that accepts connections (the listener's backlog) and never
    // answers: the CLI's read timeout applies to it too.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback listener");
    let silent_url = format!("http://{}", silent.local_addr().expect("address"));
    let role_config = write(
        "role-config",
        b"[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\n\
          [profile role]\nrole_arn = arn:aws:iam::123456789012:role/paginate-test\nsource_profile = base\n",
    );
    cases.push(Case {
        env: [
            ("AWS_ACCESS_KEY_ID", String::new()),
            ("AWS_SECRET_ACCESS_KEY", String::new()),
            ("AWS_CONFIG_FILE", role_config),
            ("AWS_PROFILE", "role".to_owned()),
            ("AWS_ENDPOINT_URL_STS", silent_url),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect(),
        ..on_endpoint("an STS that never answers", &["--cli-read-timeout", "1"], CONFIG)
    });
    // Smaller: messages name what is wrong, on one line.
    cases.extend([
        Case {
            says: Some("--secret-access-key"),
            ..case(
                "serve --access-key-id without the secret",
                &["serve", "--port", "0", "--access-key-id", "AKIDX"],
                INPUT,
            )
        },
        case("serve --region ''", &["serve", "--port", "0", "--region", ""], INPUT),
        Case {
            says: Some("AWS_MAX_ATTEMPTS"),
            ..configured("AWS_MAX_ATTEMPTS not a number", &[("AWS_MAX_ATTEMPTS", "many".into())])
        },
        Case {
            says: Some("AWS_MAX_ATTEMPTS"),
            ..configured("AWS_MAX_ATTEMPTS zero", &[("AWS_MAX_ATTEMPTS", "0".into())])
        },
        Case {
            says: Some("bad\\nprofile"),
            ..configured("a profile name with a newline", &{
                let mut env = no_keys.to_vec();
                env.push(("AWS_PROFILE", "bad\nprofile".to_owned()));
                env
            })
        },
    ]);

    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    let total = cases.len();
    let results = tokio::task::spawn_blocking(move || {
        cases
            .iter()
            .map(|c| (c.name.clone(), c.code, c.secret, c.says, run(c, &home)))
            .collect::<Vec<_>>()
    })
    .await
    .expect("no panic");
    for (name, expected, secret, says, (code, stderr, stdout)) in results {
        let lines = stderr.lines().count();
        let ok = code == Some(expected)
            && lines == 1
            && stdout.is_empty()
            && !stderr.contains("panicked")
            && secret.is_none_or(|s| !stderr.contains(s))
            && says.is_none_or(|s| stderr.contains(s));
        if !ok {
            failures.push(format!(
                "{name}: exit {code:?} (expected {expected}), {lines} stderr lines, {} stdout bytes: {stderr}",
                stdout.len()
            ));
        }
    }
    server.shutdown().await;
    drop(silent);
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("hostile inputs: {total} cases, each one stderr line and the right exit code");
}

/// Ctrl-C while stdout is blocked (a paused pager, a pipe nobody reads):
/// the binary exits 130 at once, saying so on stderr; also when stderr is
/// the same blocked pipe (`2>&1 | less`).
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_stdout_is_blocked_exits_130() {
    let operations: Vec<String> = (0..5000)
        .map(|i| format!(r#"{{"FlowOperationId": "op-{i:06}", "FlowOperationType": "FLOW_FLUSH", "FlowOperationStatus": "COMPLETED", "FlowRequestTimestamp": 1733337353.759}}"#))
        .collect();
    let data = format!(
        r#"{{"Firewalls": [{{"FirewallArn": "{DEMO_FIREWALL_ARN}", "FlowOperations": [{}]}}]}}"#,
        operations.join(",")
    );
    let server = network_firewall::start(ServerConfig {
        dataset: network_firewall::Dataset::from_json_str(&data).expect("dataset"),
        ..ServerConfig::demo()
    })
    .await
    .expect("server starts");
    let url = server.url();
    let results = tokio::task::spawn_blocking(move || {
        [false, true].map(|shared| (shared, interrupt_while_blocked(&url, shared)))
    })
    .await
    .expect("no panic");
    server.shutdown().await;
    for (shared, (code, stderr)) in results {
        assert_eq!(code, Some(130), "stderr shared with stdout: {shared}; stderr: {stderr}");
        if !shared {
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("interrupted"), "{stderr}");
        }
    }
}

/// Lists to a pipe never read (stderr too, when `shared`), sends SIGINT
/// once the binary blocks writing to it, and gives the exit code (`None`:
/// still running 10 s later) and stderr.
fn interrupt_while_blocked(url: &str, shared: bool) -> (Option<i32>, String) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let home = std::env::temp_dir().join(format!("paginate-hostile-ctrl-c-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp dir");
    let mut fds = [0; 2];
    // SAFETY: pipe writes two descriptors into the array.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created and are owned here only.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let stderr = if shared {
        Stdio::from(write.try_clone().expect("dup"))
    } else {
        Stdio::piped()
    };
    let mut child = clean_command(&home)
        .args(["--endpoint-url", url, "--firewall-arn", DEMO_FIREWALL_ARN])
        .stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .stderr(stderr)
        .spawn()
        .expect("the binary starts");
    let pid = child.id();
    // Never read: the pipe fills, and the binary blocks writing to it.
    let fd = read.as_raw_fd();
    // SAFETY: fcntl on a pipe this process owns.
    let capacity = unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) };
    let blocked = || {
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int.
        let ok = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut queued) } == 0;
        wchan.contains("pipe_write") || (ok && capacity > 0 && queued >= capacity - 8192)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !blocked() {
        assert!(Instant::now() < deadline, "the binary never blocked on stdout");
        assert!(child.try_wait().expect("wait").is_none(), "the binary ended early");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: signalling a child this test spawned.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGINT) }, 0);
    let signalled = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if signalled.elapsed() > Duration::from_secs(10) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    drop(read);
    let output = child.wait_with_output().expect("the binary ends");
    (code, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The deepest `--query` expressions accepted, and a chain of fields as long
/// as an argument can be, run to the end in every output format.
#[test]
fn the_deepest_queries_accepted_run_in_every_output_format() {
    let home = std::env::temp_dir().join(format!("paginate-hostile-deep-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp dir");
    let n = 1000;
    let queries = [
        format!("FlowOperations{}", "[]".repeat(n)),
        format!("{}FlowOperations{}", "(".repeat(n), ")".repeat(n)),
        format!("{}FlowOperations", "!".repeat(n)),
        format!("FlowOperations{}{}", "[?FlowOperationId".repeat(n), "]".repeat(n)),
        format!("{}FlowOperations[0]{}", "[".repeat(n - 1), "]".repeat(n - 1)),
        format!("{}FlowOperations[0]{}", "{a: ".repeat(n - 1), "}".repeat(n - 1)),
        format!("FlowOperations{}", " || a".repeat(n / 2)),
        format!("FlowOperations{}", ".a".repeat(65_000)),
    ];
    let mut failures = Vec::new();
    for query in &queries {
        for output in ["json", "text", "table"] {
            let name = format!("--output {output} --query {}...", &query[..30]);
            let c = case(&name, &["--max-items", "3", "--output", output, "--query", query], 0);
            let (code, stderr, _) = run_with_stdout(&c, &home, Stdio::null());
            if code != Some(0) || !stderr.is_empty() {
                failures.push(format!("{name}: exit {code:?}, stderr {stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
