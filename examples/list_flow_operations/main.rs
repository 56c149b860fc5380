//! `aws network-firewall list-flow-operations`, built on `paginate`.
//!
//! ```text
//! cargo run --release --example list_flow_operations                      # embedded local endpoint, demo data
//! cargo run --release --example list_flow_operations -- --max-items 5 --page-size 2
//! cargo run --release --example list_flow_operations -- --endpoint-url http://127.0.0.1:8080 --firewall-arn ARN
//! cargo run --release --example list_flow_operations -- --aws --region us-east-1 --firewall-arn ARN
//! cargo run --release --example list_flow_operations -- serve --port 8080 [--data FILE]
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
//! printed.

mod cli;
mod eval;
mod failure;
mod input;
mod layout;
mod output;
mod query;
mod table;
mod terminal;
mod text;
mod value;
mod width;

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
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
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first);
            return fail(Failure::Input(format!("{message} (see --help)")));
        }
    };
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
        None => runtime.block_on(list(cli.list)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(failure),
    }
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let dataset = match &args.data {
        Some(path) => Dataset::load(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?,
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
    let mut client_config = ClientConfig::new().max_attempts(args.max_attempts);
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
    let config = PaginationConfig {
        max_items: args.max_items,
        page_size: args.page_size,
        starting_token: args.starting_token,
    };
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
    let mut stream = listing.into_stream();
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
    let (token, failure) = match stop {
        Stop::Interrupted(token) => (token, Failure::Interrupted("interrupted".into())),
        Stop::Failed(error) => (error.resume_token().map(str::to_owned), failure_of(error)),
    };
    if !document.started() || whole_result_query.is_some() {
        // Nothing printed (or a query whose result may have dropped the
        // NextToken): the command as given lists everything still to come.
        return Err(failure);
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
    let per_listing = PaginationConfig {
        page_size: config.page_size,
        ..PaginationConfig::default()
    };
    let listings = arns
        .iter()
        .map(|arn| {
            let request = ListFlowOperationsRequest {
                firewall_arn: arn.clone(),
                ..request.clone()
            };
            Listing::new(client.clone(), request, per_listing.clone())
        })
        .collect();
    let concurrency = usize::from(concurrency);
    let mut set = match &config.starting_token {
        None => FanOut::new(listings, concurrency, config.max_items),
        Some(token) => FanOut::resume(listings, concurrency, config.max_items, token)
            .map_err(|e| Failure::Input(format!("--starting-token with several --firewall-arn: {e}")))?,
    };
    let mut document = JsonDocument::new(BufWriter::new(std::io::stdout()), timestamps);
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let mut ctrl_c_armed = true;
    let stop = loop {
        let next = tokio::select! {
            item = set.next() => item,
            signal = &mut ctrl_c, if ctrl_c_armed => {
                if signal.is_ok() {
                    break Some(Failure::Interrupted("interrupted".into()));
                }
                ctrl_c_armed = false;
                continue;
            }
        };
        match next {
            None => break None,
            Some(Ok((index, operation))) => document.operation_of(&arns[index], &operation).map_err(write_failure)?,
            Some(Err(error)) => break Some(failure_of(error)),
        }
    };
    let token = set.resume_token();
    match stop {
        None => document.finish(token.as_deref()).map(drop).map_err(write_failure),
        Some(failure) if !document.started() => Err(failure),
        Some(failure) => {
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
