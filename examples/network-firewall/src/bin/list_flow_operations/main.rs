//! `aws network-firewall list-flow-operations`, built on `paginate`.
//!
//! ```text
//! cargo run -p network-firewall --release                      # embedded local endpoint, demo data
//! cargo run -p network-firewall --release -- --max-items 5 --page-size 2
//! cargo run -p network-firewall --release -- --endpoint-url http://127.0.0.1:8080 --firewall-arn ARN
//! cargo run -p network-firewall --release -- --aws --region us-east-1 --firewall-arn ARN
//! cargo run -p network-firewall --release -- serve --port 8080 [--data FILE]
//! ```
//!
//! Without `--endpoint-url` or `--aws`, a local Network Firewall endpoint is
//! started on an ephemeral loopback port with built-in demo data, and the
//! demo credentials are used, and no credential or region chain is consulted.
//! Otherwise region and credentials are resolved as the AWS CLI does
//! (`aws-config`'s default chains: environment, profiles with assume role,
//! `credential_process`, web identity and SSO, container credentials, IMDS);
//! `--region` and `--profile` win. Output is the AWS CLI v1's, byte for
//! byte, resume token (`NextToken`) included: its JSON document (the default)
//! and `--output text` written page by page as the pages arrive, `--output
//! table` (`--color`) once the listing is complete, as v1 draws it. When the
//! listing fails or is interrupted part-way, what was printed is still a
//! valid document, and its `NextToken` resumes exactly after the last item
//! printed; unless no token can resume it (the service's tokens loop): then
//! the JSON is left unclosed and a table is not printed, so that neither
//! passes for a complete listing.

mod cli;
mod eval;
mod failure;
mod input;
mod layout;
mod output;
mod query;
mod set_token;
mod table;
mod terminal;
mod text;
mod value;
mod width;

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use network_firewall::server::FaultConfig;
use network_firewall::{
    ClientConfig, Credentials, Dataset, FlowOperationType, ListFlowOperationsRequest, NetworkFirewallClient,
    ServerConfig, DEMO_FIREWALL_ARN,
};
use paginate::{FanOut, Listing, PaginationConfig};

use cli::Output;
use cli::{Cli, Command, ListArgs, ServeArgs, TimestampFormat};
use failure::{fail, failure_of, print_failure, write_failure, Failure};
use output::{JsonDocument, PrintError, Sink};
use query::Query;
use table::{Look, TableDocument};
use text::TextDocument;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: to stdout, with success.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // A usage error is bad input, told in one line like every other error.
            // The first line, with the indented lines that complete it (the
            // arguments "the following required arguments were not provided:"
            // names).
            let rendered = e.render().to_string();
            let mut lines = rendered.lines();
            let first = lines.next().unwrap_or_default();
            let mut message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
            for more in lines.take_while(|l| l.starts_with(' ')) {
                message.push(' ');
                message.push_str(more.trim());
            }
            return fail(Failure::Input(format!("{message} (see --help)")));
        }
    };
    if !terminal::stdout_is_open() {
        return fail(write_failure(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "stdout is closed",
        )));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(Failure::Other(format!("cannot start the async runtime: {e}"))),
    };
    let result = match cli.command {
        Some(Command::Serve(args)) => runtime.block_on(serve(args)),
        None => {
            runtime.spawn(interrupt_watchdog());
            runtime.block_on(list(cli.list))
        }
    };
    if STOPPING.swap(true, Ordering::SeqCst) {
        // The watchdog is ending the process with its own message.
        loop {
            std::thread::park();
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(failure),
    }
}

/// Set by whichever prints the closing message first: `main` returning,
/// or the interrupt watchdog.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// How long, after Ctrl-C, the listing has to close its document and return
/// before the watchdog ends the process.
const INTERRUPT_GRACE: Duration = Duration::from_secs(1);

/// Ends the process with 130 when Ctrl-C is not handled in time. The
/// listing answers Ctrl-C itself (closing its document with a resume
/// token), but not while a write to stdout blocks (a paused pager, a pipe
/// nobody reads): its thread is stuck in the write. This task runs on the
/// runtime's worker threads, which such a write does not hold.
async fn interrupt_watchdog() {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    tokio::select! {
        () = tokio::time::sleep(INTERRUPT_GRACE) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    if !STOPPING.swap(true, Ordering::SeqCst) {
        // From another thread, and waited for briefly: stderr may be the
        // same blocked pipe (`2>&1 | less`).
        let (said, heard) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = writeln!(
                std::io::stderr(),
                "list_flow_operations: error: interrupted while the output was blocked (what was printed is incomplete)"
            );
            let _ = said.send(());
        });
        let _ = tokio::time::timeout(Duration::from_millis(500), heard).await;
    }
    // Else main is printing its own message, and may be stuck doing so.
    std::process::exit(130);
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    if args.region.is_empty() {
        return Err(Failure::Input("--region is empty".into()));
    }
    let dataset = match &args.data {
        Some(path) => Dataset::load(path).map_err(|e| match e {
            // Its message names the file already.
            network_firewall::dataset::DatasetError::Io { .. } => Failure::Input(e.to_string()),
            e => Failure::Input(format!("{}: {e}", path.display())),
        })?,
        None => Dataset::demo(),
    };
    // Tokens are tagged with a random key per start unless one is given: a
    // key in this source could be used to forge them.
    let mut config = ServerConfig {
        port: args.port,
        dataset,
        token_key: args.token_key.map(String::into_bytes),
        region: Some(args.region),
        ..ServerConfig::demo()
    };
    if let (Some(id), Some(secret)) = (args.access_key_id, args.secret_access_key) {
        config.credentials = vec![Credentials::new(id, secret, None, None, "list_flow_operations serve")];
    }
    config.faults = FaultConfig {
        throttle_every: args.throttle_every,
        error_every: args.error_every,
        reset_every: args.reset_every,
        latency: Duration::from_millis(args.latency_ms),
    };
    let server = network_firewall::start(config)
        .await
        .map_err(|e| Failure::Other(e.to_string()))?;
    println!("listening on {}", server.url());
    for arn in server.firewall_arns() {
        println!("firewall: {arn}");
    }
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::Other(format!("cannot wait for Ctrl-C: {e}")))?;
    server.shutdown().await;
    Ok(())
}

/// The embedded endpoint's setup. Its page tokens are keyed with a fixed key,
/// so a resume token printed by one run still works in the next run (each run
/// starts its own embedded endpoint, on loopback, for its own lifetime, over
/// demo data). `serve` does not use it: its key is random per start or given.
fn demo_server() -> ServerConfig {
    ServerConfig {
        token_key: Some(b"paginate demo endpoint token key".to_vec()),
        ..ServerConfig::demo()
    }
}

/// `--debug`: requests, responses and the paginator's spans on stderr.
fn install_debug_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::prelude::*;
    let targets = Targets::new()
        .with_target("network_firewall", LevelFilter::DEBUG)
        .with_target("paginate_core", LevelFilter::DEBUG);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(FmtSpan::CLOSE);
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(targets))
        .try_init();
}

async fn list(mut args: ListArgs) -> Result<(), Failure> {
    if args.debug {
        install_debug_logging();
    }
    if args.generate_cli_skeleton.is_some() {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(input::SKELETON.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(write_failure);
    }
    if let Some(json) = &args.cli_input_json {
        let given = input::CliInput::read(json).map_err(Failure::Input)?;
        if args.firewall_arn.is_empty() {
            args.firewall_arn.extend(given.firewall_arn);
        }
        args.availability_zone = args.availability_zone.or(given.availability_zone);
        args.vpc_endpoint_association_arn = args.vpc_endpoint_association_arn.or(given.vpc_endpoint_association_arn);
        args.vpc_endpoint_id = args.vpc_endpoint_id.or(given.vpc_endpoint_id);
        args.flow_operation_type = args.flow_operation_type.or(given.flow_operation_type);
        args.page_size = args.page_size.or(given.max_results);
        args.starting_token = args.starting_token.or(given.next_token.filter(|t| !t.is_empty()));
    }
    // One listing per firewall: a firewall given twice would be listed twice,
    // and --no-paginate (one call) lists one firewall.
    let mut seen = std::collections::HashSet::new();
    if let Some(arn) = args.firewall_arn.iter().find(|arn| !seen.insert(arn.as_str())) {
        return Err(Failure::Input(format!("--firewall-arn {arn:?} is given twice")));
    }
    if args.no_paginate && args.firewall_arn.len() > 1 {
        return Err(Failure::Input("--no-paginate takes one --firewall-arn".into()));
    }
    if args.no_paginate {
        let given = [
            ("--page-size", args.page_size.is_some()),
            ("--max-items", args.max_items.is_some()),
            ("--starting-token", args.starting_token.is_some()),
        ];
        if let Some((flag, _)) = given.iter().find(|(_, set)| *set) {
            return Err(Failure::Input(format!(
                "Cannot specify --no-paginate along with pagination arguments: {flag}"
            )));
        }
    }
    let query = args
        .query
        .as_deref()
        .map(Query::compile)
        .transpose()
        .map_err(Failure::Input)?;
    let embedded = args.endpoint_url.is_none() && !args.aws;
    let mut server = None;
    // AWS_MAX_ATTEMPTS is configuration: a bad value is blamed on it (253).
    let max_attempts = match args.max_attempts {
        Some(attempts) => attempts,
        None => match std::env::var_os("AWS_MAX_ATTEMPTS") {
            None => 3,
            Some(value) => value
                .to_str()
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|&n| n >= 1)
                .ok_or_else(|| {
                    Failure::Config(format!(
                        "AWS_MAX_ATTEMPTS is {value:?}: it must be a whole number of attempts, at least 1"
                    ))
                })?,
        },
    };
    let mut client_config = ClientConfig::new().max_attempts(max_attempts);
    // As in the AWS CLI, 0 means "wait as long as it takes" (here: a day).
    let seconds = |s: u64| Duration::from_secs(if s == 0 { 86_400 } else { s });
    client_config.timeout = Some(seconds(args.cli_read_timeout));
    client_config.connect_timeout = Some(seconds(args.cli_connect_timeout));
    if let Some(profile) = &args.profile {
        client_config = client_config.profile(profile.clone());
    }
    if args.region.as_deref() == Some("") {
        return Err(Failure::Input("--region is empty".into()));
    }
    if let Some(region) = &args.region {
        client_config = client_config.region(region.clone());
    }
    if embedded {
        let region = args.region.clone().unwrap_or_else(|| "us-east-1".into());
        let handle = network_firewall::start(ServerConfig {
            region: Some(region),
            ..demo_server()
        })
        .await
        .map_err(|e| Failure::Other(e.to_string()))?;
        client_config = client_config
            .endpoint_url(handle.url())
            .credentials(network_firewall::server::demo_credentials());
        if args.region.is_none() {
            client_config = client_config.region("us-east-1");
        }
        server = Some(handle);
    } else if let Some(url) = &args.endpoint_url {
        client_config = client_config.endpoint_url(url.clone());
    }
    // The embedded endpoint has its region and the demo credentials: no chain
    // is consulted (no file read, no instance metadata timeout).
    let built = if embedded {
        NetworkFirewallClient::new(client_config)
    } else {
        NetworkFirewallClient::load(client_config).await
    };
    let client = built.map_err(|e| {
        // A bad --endpoint-url or --region is bad command-line input (252); the
        // same value from the environment or a profile is bad configuration (253).
        use network_firewall::error::Setting;
        match &e {
            network_firewall::Error::InvalidSetting {
                setting: Setting::EndpointUrl,
                ..
            } if args.endpoint_url.is_some() => Failure::Input(e.to_string()),
            network_firewall::Error::InvalidSetting {
                setting: Setting::Region,
                ..
            } if args.region.is_some() => Failure::Input(e.to_string()),
            _ => Failure::from_client(&e),
        }
    })?;
    let firewall_arns = match (args.firewall_arn, embedded) {
        (arns, _) if !arns.is_empty() => arns,
        (_, true) => vec![DEMO_FIREWALL_ARN.to_owned()],
        (_, false) => {
            return Err(Failure::Input(
                "--firewall-arn is required with --endpoint-url or --aws".into(),
            ))
        }
    };
    let request = ListFlowOperationsRequest {
        firewall_arn: firewall_arns[0].clone(),
        availability_zone: args.availability_zone,
        vpc_endpoint_association_arn: args.vpc_endpoint_association_arn,
        vpc_endpoint_id: args.vpc_endpoint_id,
        flow_operation_type: args.flow_operation_type.map(|t| FlowOperationType::from(t.as_str())),
        ..Default::default()
    };
    let mut config = PaginationConfig::default();
    config.max_items = args.max_items;
    config.page_size = args.page_size;
    config.starting_token = args.starting_token;
    let client_for_one_call = client.clone();
    let send = move |req: ListFlowOperationsRequest| {
        let client = client.clone();
        async move { client.list_flow_operations(&req).await }
    };
    let format = Format {
        output: args.output,
        timestamps: args.cli_timestamp_format,
        look: Look::of_stdout(args.color),
    };
    let printed = if args.no_paginate {
        one_call(&client_for_one_call, &request, format, query.as_ref()).await
    } else if firewall_arns.len() > 1 {
        if query.is_some() || args.output != Output::Json {
            return Err(Failure::Input(
                "--query, --output text and --output table take one --firewall-arn".into(),
            ));
        }
        print_fan_out(
            &firewall_arns,
            request,
            config,
            send,
            args.max_concurrency,
            args.cli_timestamp_format,
        )
        .await
    } else {
        print_listing(Listing::new(send, request, config), format, query.as_ref()).await
    };
    if let Some(server) = server {
        server.shutdown().await;
    }
    printed
}

/// How to print: `--output`, `--cli-timestamp-format`, and for a table the
/// terminal's width and colours.
#[derive(Clone, Copy)]
struct Format {
    output: Output,
    timestamps: TimestampFormat,
    look: Look,
}

/// Prints the listing as its pages arrive (a table: once they all have),
/// showing progress on a terminal when it takes a while. On a failure or
/// Ctrl-C the document printed so far is closed with the `NextToken` of the
/// first item not printed.
async fn print_listing<C>(
    listing: Listing<C, ListFlowOperationsRequest>,
    format: Format,
    query: Option<&Query>,
) -> Result<(), Failure>
where
    C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error>,
{
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let (mut pages, mut items, mut shown) = (0usize, 0usize, false);
    // JSON with --query is built in memory and queried at the end; text is
    // queried page by page, as the AWS CLI does; a table is built in memory
    // and printed (queried) at the end.
    let json_query = if format.output == Output::Json { query } else { None };
    let whole_result_query = if format.output == Output::Text { None } else { query };
    let sink = match json_query {
        Some(_) => Sink::Memory(Vec::new()),
        None => Sink::Stdout(BufWriter::new(std::io::stdout())),
    };
    let mut document = match format.output {
        Output::Json => Printer::Json(JsonDocument::new(sink, format.timestamps)),
        Output::Text => Printer::Text(TextDocument::new(sink, format.timestamps, query)),
        Output::Table => Printer::Table(TableDocument::new(sink, format.timestamps, query, format.look)),
    };
    let mut stream = listing.page_stream();
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let mut ctrl_c_armed = true;
    let stopped = loop {
        let next = tokio::select! {
            page = stream.next() => page,
            signal = &mut ctrl_c, if ctrl_c_armed => {
                if signal.is_ok() {
                    break Some(Stop::Interrupted(stream.resume_token()));
                }
                ctrl_c_armed = false; // no signal handler here: carry on without one
                continue;
            }
        };
        match next {
            None => break None,
            Some(Ok(page)) => {
                pages += 1;
                items += page.flow_operations.as_ref().map_or(0, Vec::len);
                document.page(page.flow_operations.as_deref()).map_err(print_failure)?;
                if show_progress && started.elapsed() > Duration::from_millis(500) {
                    let rate = items as f64 / started.elapsed().as_secs_f64();
                    eprint!("\r{pages} pages, {items} flow operations ({rate:.0}/s)");
                    shown = true;
                }
            }
            Some(Err(error)) => break Some(Stop::Failed(error)),
        }
    };
    if shown {
        eprint!("\r\x1b[2K");
    }
    let Some(stop) = stopped else {
        let sink = document
            .finish(stream.resume_token().as_deref())
            .map_err(print_failure)?;
        if let (Some(query), Sink::Memory(json)) = (query, sink) {
            let text = query.apply(&String::from_utf8_lossy(&json)).map_err(Failure::Other)?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(write_failure)?;
        }
        return Ok(());
    };
    let (token, failure, resumable) = match stop {
        Stop::Interrupted(token) => (token, Failure::Interrupted("interrupted".into()), true),
        Stop::Failed(error) => {
            let token = error.resume_token().map(str::to_owned);
            let resumable = token.is_some();
            (token, failure_of(error), resumable)
        }
    };
    if !document.started() || whole_result_query.is_some() {
        // Nothing printed (or a query whose result may have dropped the
        // NextToken): the command as given lists everything still to come.
        return Err(failure);
    }
    if !resumable {
        // No token resumes after what was printed (the service's tokens
        // loop, say): the output must not end as a complete listing does.
        return Err(match document {
            Printer::Json(document) => {
                document.cut_short().map_err(write_failure)?;
                failure.with_hint(CUT_SHORT)
            }
            Printer::Text(_) => {
                failure.with_hint("no token can resume this listing: the rows printed are not all of it")
            }
            Printer::Table(_) => failure, // held in memory: not printed, as by the AWS CLI
        });
    }
    document.finish(token.as_deref()).map_err(print_failure)?;
    Err(match (failure, token) {
        (failure, None) => failure,
        (failure, Some(token)) => failure.with_hint(&format!(
            "the output ends at the last item received; resume with --starting-token {token}"
        )),
    })
}

/// Lists several firewalls at once (`FanOut`), printing each operation with
/// its `FirewallArn` as it arrives; `NextToken` is the set's token, which
/// `--starting-token` takes back with the same `--firewall-arn`s.
async fn print_fan_out<C>(
    arns: &[String],
    request: ListFlowOperationsRequest,
    config: PaginationConfig,
    client: C,
    concurrency: u16,
    timestamps: TimestampFormat,
) -> Result<(), Failure>
where
    C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error> + Clone,
{
    let mut per_listing = PaginationConfig::default();
    per_listing.page_size = config.page_size;
    let listings: Vec<_> = arns
        .iter()
        .map(|arn| {
            let request = ListFlowOperationsRequest {
                firewall_arn: arn.clone(),
                ..request.clone()
            };
            Listing::new(client.clone(), request, per_listing.clone())
        })
        .collect();
    // The token of a listing not started, which the set's token leaves out.
    let first = Listing::new(client.clone(), request.clone(), per_listing.clone());
    let fresh = FanOut::new(vec![first], 1, None)
        .resume_token()
        .and_then(|token| set_token::first_of(&token))
        .unwrap_or_default();
    let concurrency = usize::from(concurrency);
    let mut set = match &config.starting_token {
        None => FanOut::new(listings, concurrency, config.max_items),
        Some(token) => {
            let token = set_token::expand(token, arns, &fresh).map_err(Failure::Input)?;
            FanOut::resume(listings, concurrency, config.max_items, &token)
                .map_err(|e| Failure::Input(format!("--starting-token with several --firewall-arn: {e}")))?
        }
    };
    let mut document = JsonDocument::new(BufWriter::new(std::io::stdout()), timestamps);
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let mut ctrl_c_armed = true;
    let stop = loop {
        let next = tokio::select! {
            item = set.next() => item,
            signal = &mut ctrl_c, if ctrl_c_armed => {
                if signal.is_ok() {
                    break Some((Failure::Interrupted("interrupted".into()), true));
                }
                ctrl_c_armed = false;
                continue;
            }
        };
        match next {
            None => break None,
            Some(Ok((index, operation))) => document.operation_of(&arns[index], &operation).map_err(write_failure)?,
            // Only a service error leaves every listing where it can resume;
            // after a token cycle, say, resuming would repeat items.
            Some(Err(error)) => {
                let resumable = error.is_service();
                break Some((failure_of(error), resumable));
            }
        }
    };
    let token = match set.resume_token() {
        Some(token) => Some(set_token::compact(&token, arns, &fresh).map_err(Failure::Other)?),
        None => None,
    };
    match stop {
        None => document.finish(token.as_deref()).map(drop).map_err(write_failure),
        Some((failure, _)) if !document.started() => Err(failure),
        Some((failure, false)) => {
            document.cut_short().map_err(write_failure)?;
            Err(failure.with_hint(CUT_SHORT))
        }
        Some((failure, true)) => {
            document.finish(token.as_deref()).map_err(write_failure)?;
            Err(match token {
                Some(token) => failure.with_hint(&format!(
                    "the output ends at the last item received; resume with --starting-token {token}"
                )),
                None => failure,
            })
        }
    }
}

/// The hint of a listing that stopped where no token can resume it.
const CUT_SHORT: &str = "no token can resume this listing: the JSON printed is left unclosed, as it is not all of it";

/// `--no-paginate`: one call, printed with the service's own `NextToken`.
async fn one_call(
    client: &NetworkFirewallClient,
    request: &ListFlowOperationsRequest,
    format: Format,
    query: Option<&Query>,
) -> Result<(), Failure> {
    let timestamps = format.timestamps;
    let page = client
        .list_flow_operations(request)
        .await
        .map_err(|e| Failure::from_client(&e))?;
    let next_token = page.next_token.as_deref().filter(|t| !t.is_empty());
    match format.output {
        Output::Json => {
            let mut json = JsonDocument::new(Vec::new(), timestamps);
            json.page(page.flow_operations.as_deref()).map_err(write_failure)?;
            let json = json.finish(next_token).map_err(write_failure)?;
            let text = match query {
                Some(query) => query.apply(&String::from_utf8_lossy(&json)).map_err(Failure::Other)?,
                None => String::from_utf8_lossy(&json).into_owned(),
            };
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(write_failure)
        }
        Output::Text => {
            let mut text = TextDocument::new(BufWriter::new(std::io::stdout()), timestamps, query);
            text.response(page.flow_operations.as_deref(), next_token)
                .map_err(print_failure)
        }
        Output::Table => {
            let table = TableDocument::new(BufWriter::new(std::io::stdout()), timestamps, query, format.look);
            table
                .response(page.flow_operations.as_deref(), next_token)
                .map_err(print_failure)
        }
    }
}

/// The document being printed, in the format asked for.
enum Printer<'q> {
    Json(JsonDocument<Sink>),
    Text(TextDocument<'q, Sink>),
    Table(TableDocument<'q, Sink>),
}

impl Printer<'_> {
    fn page(&mut self, operations: Option<&[network_firewall::FlowOperationMetadata]>) -> Result<(), PrintError> {
        match self {
            Printer::Json(doc) => Ok(doc.page(operations)?),
            Printer::Text(doc) => doc.page(operations),
            Printer::Table(doc) => doc.page(operations),
        }
    }

    fn started(&self) -> bool {
        match self {
            Printer::Json(doc) => doc.started(),
            Printer::Text(doc) => doc.started(),
            Printer::Table(doc) => doc.started(),
        }
    }

    fn finish(self, next_token: Option<&str>) -> Result<Sink, PrintError> {
        match self {
            Printer::Json(doc) => Ok(doc.finish(next_token)?),
            Printer::Text(doc) => doc.finish(next_token),
            Printer::Table(doc) => doc.finish(next_token),
        }
    }
}

/// Why the listing stopped before its end.
enum Stop {
    Interrupted(Option<String>),
    Failed(paginate::Error<network_firewall::Error>),
}
