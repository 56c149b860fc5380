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
//! demo credentials are used. Otherwise credentials come from the usual AWS
//! environment variables and shared files. Output is the AWS CLI's JSON
//! document, resume token (`NextToken`) included, byte-identical to the CLI's.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};
use futures::StreamExt;
use network_firewall::server::FaultConfig;
use network_firewall::{
    ClientConfig, Credentials, Dataset, FlowOperationMetadata, FlowOperationType, ListFlowOperationsRequest,
    ListFlowOperationsResponse, NetworkFirewallClient, ServerConfig, DEMO_FIREWALL_ARN,
};
use paginate::{FullResult, FullResultBuilder, Listing, PaginationConfig};

#[derive(Parser)]
#[command(
    name = "list_flow_operations",
    about = "List AWS Network Firewall flow operations, like `aws network-firewall list-flow-operations`",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    list: ListArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local Network Firewall endpoint until interrupted.
    Serve(ServeArgs),
}

#[derive(Args)]
struct ListArgs {
    /// ARN of the firewall (default: the demo firewall of the embedded endpoint).
    #[arg(long)]
    firewall_arn: Option<String>,
    /// Only operations in this Availability Zone.
    #[arg(long)]
    availability_zone: Option<String>,
    /// Only operations of this VPC endpoint association.
    #[arg(long)]
    vpc_endpoint_association_arn: Option<String>,
    /// Only operations of this VPC endpoint.
    #[arg(long)]
    vpc_endpoint_id: Option<String>,
    /// Only operations of this type (FLOW_FLUSH or FLOW_CAPTURE).
    #[arg(long)]
    flow_operation_type: Option<String>,
    /// Stop after this many operations and print a NextToken to resume from.
    #[arg(long)]
    max_items: Option<u64>,
    /// Ask the service for pages of this size (1..=100).
    #[arg(long)]
    page_size: Option<u64>,
    /// Resume from a NextToken printed by this program or the AWS CLI.
    #[arg(long)]
    starting_token: Option<String>,
    /// Endpoint to call instead of the embedded one.
    #[arg(long, conflicts_with = "aws")]
    endpoint_url: Option<String>,
    /// Call the real AWS endpoint `https://network-firewall.<region>.amazonaws.com`.
    #[arg(long)]
    aws: bool,
    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region; us-east-1 when embedded).
    #[arg(long)]
    region: Option<String>,
    /// Profile of the shared credentials/config files.
    #[arg(long)]
    profile: Option<String>,
    /// Output format; only json is supported.
    #[arg(long, value_enum, default_value_t = Output::Json)]
    output: Output,
    /// How to print timestamps: as the epoch seconds the service sent (AWS CLI v1) or ISO 8601 (AWS CLI v2).
    #[arg(long, value_enum, default_value_t = TimestampFormat::None)]
    cli_timestamp_format: TimestampFormat,
    /// Attempts per request, retries included (AWS standard retry mode).
    #[arg(long, env = "AWS_MAX_ATTEMPTS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    max_attempts: u32,
    /// Seconds to wait for a response, 0 for no limit (the AWS CLI's --cli-read-timeout).
    #[arg(long, default_value_t = 60)]
    cli_read_timeout: u64,
    /// Seconds to wait for a connection, 0 for no limit (the AWS CLI's --cli-connect-timeout).
    #[arg(long, default_value_t = 60)]
    cli_connect_timeout: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum TimestampFormat {
    None,
    Iso8601,
}

#[derive(Args)]
struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// JSON file with the firewalls and flow operations to serve (default: demo data).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Access key id accepted (default: the demo credentials).
    #[arg(long, requires = "secret_access_key")]
    access_key_id: Option<String>,
    /// Secret access key accepted.
    #[arg(long, requires = "access_key_id")]
    secret_access_key: Option<String>,
    /// Answer every Nth request with a ThrottlingException.
    #[arg(long)]
    throttle_every: Option<u64>,
    /// Milliseconds added to every response.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

/// Exit codes follow the AWS CLI v2: 252 bad input, 254 service error, 255 anything else.
enum Failure {
    Input(String),
    Service(String),
    Other(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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

fn fail(failure: Failure) -> ExitCode {
    let (code, message) = match failure {
        Failure::Input(m) => (252, m),
        Failure::Service(m) => (254, m),
        Failure::Other(m) => (255, m),
    };
    eprintln!("list_flow_operations: error: {message}");
    ExitCode::from(code)
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let dataset = match &args.data {
        Some(path) => Dataset::load(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?,
        None => Dataset::demo(),
    };
    let mut config = ServerConfig {
        port: args.port,
        dataset,
        ..demo_server()
    };
    if let (Some(id), Some(secret)) = (args.access_key_id, args.secret_access_key) {
        config.credentials = vec![Credentials::new(id, secret, None, None, "list_flow_operations serve")];
    }
    config.faults = FaultConfig {
        throttle_every: args.throttle_every,
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

/// The local endpoint's demo setup. Its page tokens are keyed with a fixed
/// key, so a resume token printed by one run still works in the next run
/// (each run starts its own embedded endpoint).
fn demo_server() -> ServerConfig {
    ServerConfig {
        token_key: Some(b"paginate demo endpoint token key".to_vec()),
        ..ServerConfig::demo()
    }
}

async fn list(args: ListArgs) -> Result<(), Failure> {
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
    if let Some(region) = &args.region {
        client_config = client_config.region(region.clone());
    }
    if embedded {
        let handle = network_firewall::start(demo_server())
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
    let client = NetworkFirewallClient::new(client_config).map_err(|e| Failure::Input(e.to_string()))?;
    let firewall_arn = match (args.firewall_arn, embedded) {
        (Some(arn), _) => arn,
        (None, true) => DEMO_FIREWALL_ARN.to_owned(),
        (None, false) => {
            return Err(Failure::Input(
                "--firewall-arn is required with --endpoint-url or --aws".into(),
            ))
        }
    };
    let request = ListFlowOperationsRequest {
        firewall_arn,
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
    let send = move |req: ListFlowOperationsRequest| {
        let client = client.clone();
        async move { client.list_flow_operations(&req).await }
    };
    let full = collect(Listing::new(send, request, config)).await;
    if let Some(server) = server {
        server.shutdown().await;
    }
    let document = render(&full?, args.cli_timestamp_format)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{document}").map_err(|e| Failure::Other(format!("cannot write the output: {e}")))
}

/// Runs the listing, showing progress on a terminal when it takes a while.
async fn collect<C>(
    listing: Listing<C, ListFlowOperationsRequest>,
) -> Result<FullResult<ListFlowOperationsResponse>, Failure>
where
    C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error>,
{
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let (mut pages, mut items, mut shown) = (0usize, 0usize, false);
    let stream = listing.into_stream();
    let mut stream = std::pin::pin!(stream);
    let mut full = FullResultBuilder::new();
    while let Some(page) = stream.next().await {
        let page = page.map_err(|e| match e {
            paginate::Error::Config(e) => Failure::Input(e.to_string()),
            // A resume hint only helps once the listing has moved past where it started.
            paginate::Error::Service { source, resume_token } => Failure::Service(match resume_token {
                Some(token) if pages > 0 => format!("{source} (resume with --starting-token {token})"),
                _ => source.to_string(),
            }),
            other => Failure::Other(other.to_string()),
        })?;
        pages += 1;
        items += page.flow_operations.as_ref().map_or(0, Vec::len);
        full.push(page);
        if show_progress && started.elapsed() > Duration::from_millis(500) {
            eprint!("\r{pages} pages, {items} flow operations fetched");
            shown = true;
        }
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
    Ok(full.finish(stream.resume_token()))
}

/// The AWS CLI's JSON document: `json.dumps(result, indent=4, ensure_ascii=False)`,
/// keys in the model's member order (botocore's parser builds its dicts that way).
fn render(full: &FullResult<ListFlowOperationsResponse>, timestamps: TimestampFormat) -> Result<String, Failure> {
    let document = Document {
        flow_operations: full.result.flow_operations.as_ref().map(|operations| {
            operations
                .iter()
                .map(|operation| OperationView { operation, timestamps })
                .collect()
        }),
        next_token: full.resume_token.as_deref(),
    };
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&document, &mut serializer).map_err(|e| Failure::Other(e.to_string()))?;
    String::from_utf8(out).map_err(|e| Failure::Other(e.to_string()))
}

/// The full result as the AWS CLI prints it.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_operations: Option<Vec<OperationView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<&'a str>,
}

/// One operation, its timestamp in the chosen format.
struct OperationView<'a> {
    operation: &'a FlowOperationMetadata,
    timestamps: TimestampFormat,
}

impl serde::Serialize for OperationView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let op = self.operation;
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &op.flow_operation_id {
            map.serialize_entry("FlowOperationId", id)?;
        }
        if let Some(kind) = &op.flow_operation_type {
            map.serialize_entry("FlowOperationType", kind)?;
        }
        if let Some(ts) = &op.flow_request_timestamp {
            match self.timestamps {
                TimestampFormat::Iso8601 => map.serialize_entry("FlowRequestTimestamp", &ts.to_iso8601())?,
                TimestampFormat::None => map.serialize_entry("FlowRequestTimestamp", ts)?,
            }
        }
        if let Some(status) = &op.flow_operation_status {
            map.serialize_entry("FlowOperationStatus", status)?;
        }
        map.end()
    }
}
