//! The command line: the AWS CLI's flags for `list-flow-operations`, and `serve`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "list_flow_operations",
    about = "List AWS Network Firewall flow operations, like `aws network-firewall list-flow-operations`",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the local Network Firewall endpoint until interrupted.
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct ListArgs {
    /// ARN of the firewall (default: the demo firewall of the embedded endpoint).
    /// Give it several times to list several firewalls at once: each operation
    /// then carries its `FirewallArn`, and `NextToken` resumes them all.
    #[arg(long)]
    pub firewall_arn: Vec<String>,
    /// With several --firewall-arn: how many firewalls are listed at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrency: u16,
    /// Only operations in this Availability Zone.
    #[arg(long)]
    pub availability_zone: Option<String>,
    /// Only operations of this VPC endpoint association.
    #[arg(long)]
    pub vpc_endpoint_association_arn: Option<String>,
    /// Only operations of this VPC endpoint.
    #[arg(long)]
    pub vpc_endpoint_id: Option<String>,
    /// Only operations of this type (FLOW_FLUSH or FLOW_CAPTURE).
    #[arg(long)]
    pub flow_operation_type: Option<String>,
    /// Stop after this many operations and print a NextToken to resume from.
    #[arg(long)]
    pub max_items: Option<u64>,
    /// Ask the service for pages of this size (1..=100).
    #[arg(long)]
    pub page_size: Option<u64>,
    /// Resume from a NextToken printed by this program or the AWS CLI.
    #[arg(long)]
    pub starting_token: Option<String>,
    /// Keep the listing's position in this file (created if missing): each
    /// operation is acknowledged once printed, and the same command run
    /// again after a crash or `kill -9` resumes after the last one printed;
    /// once everything is printed, the same command prints an empty list.
    /// JSON output only (no --query); not with --starting-token or
    /// --no-paginate.
    ///
    /// A `postgres://` URL instead of a path shares the job between
    /// instances: each lists the firewalls it leases, one at a time.
    #[arg(long, value_name = "PATH|URL")]
    pub checkpoint: Option<String>,
    /// With `--checkpoint postgres://...`: how long, in seconds, a firewall
    /// stays leased to an instance that stopped acknowledging (killed, or
    /// stuck) before another instance takes it over.
    #[arg(long, value_name = "SECONDS", env = "LIST_FLOW_OPERATIONS_LEASE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub checkpoint_lease: u64,
    /// Endpoint to call instead of the embedded one.
    #[arg(long, conflicts_with = "aws")]
    pub endpoint_url: Option<String>,
    /// Call the real AWS endpoint `https://network-firewall.<region>.amazonaws.com`.
    #[arg(long)]
    pub aws: bool,
    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, IMDS; us-east-1 when embedded).
    #[arg(long)]
    pub region: Option<String>,
    /// Profile of the shared credentials/config files (default: AWS_PROFILE, else `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// A JMESPath expression applied to the whole result before printing (the AWS CLI's --query).
    #[arg(long)]
    pub query: Option<String>,
    /// One call, no pagination: the service's own NextToken is printed.
    #[arg(long)]
    pub no_paginate: bool,
    /// Request members as JSON (or file://PATH); flags win over the same member.
    #[arg(long)]
    pub cli_input_json: Option<String>,
    /// Print the JSON skeleton --cli-input-json takes, and exit.
    #[arg(long, num_args = 0..=1, default_missing_value = "input", value_parser = ["input"])]
    pub generate_cli_skeleton: Option<String>,
    /// Show each request and response on stderr (credentials redacted), and
    /// the paginator's spans (page, retry, latency, items).
    #[arg(long)]
    pub debug: bool,
    /// Output format: json (default), text or table, byte for byte as the
    /// AWS CLI v1 prints them. json and text are printed as the pages
    /// arrive; table, as in the AWS CLI, once the listing is complete.
    #[arg(long, value_enum, default_value_t = Output::Json)]
    pub output: Output,
    /// Colour the table output: on, off, or auto (on when stdout is a
    /// terminal), as the AWS CLI v1 does; json and text are never coloured.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// How to print timestamps: as the epoch seconds the service sent (AWS CLI v1) or ISO 8601 (AWS CLI v2).
    #[arg(long, value_enum, default_value_t = TimestampFormat::None)]
    pub cli_timestamp_format: TimestampFormat,
    /// Attempts per request, retries included (AWS standard retry mode)
    /// [default: AWS_MAX_ATTEMPTS, else 3].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: Option<u32>,
    /// Seconds to wait for a response, 0 for no limit (the AWS CLI's --cli-read-timeout).
    #[arg(long, default_value_t = 60)]
    pub cli_read_timeout: u64,
    /// Seconds to wait for a connection, 0 for no limit (the AWS CLI's --cli-connect-timeout).
    #[arg(long, default_value_t = 60)]
    pub cli_connect_timeout: u64,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Output {
    Json,
    Text,
    Table,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Color {
    On,
    Off,
    Auto,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum TimestampFormat {
    None,
    Iso8601,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// JSON file with the firewalls and flow operations to serve (default: demo data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Access key id accepted (default: the demo credentials).
    #[arg(long, env = "PAGINATE_SERVE_ACCESS_KEY_ID", requires = "secret_access_key")]
    pub access_key_id: Option<String>,
    /// Secret access key accepted. Prefer the environment variable: a flag is
    /// visible to every user of the machine in `ps`.
    #[arg(
        long,
        env = "PAGINATE_SERVE_SECRET_ACCESS_KEY",
        hide_env_values = true,
        requires = "access_key_id"
    )]
    pub secret_access_key: Option<String>,
    /// Key that tags page tokens, at least 16 bytes (default: random per start,
    /// so tokens from one start are refused by the next).
    #[arg(long, env = "PAGINATE_SERVE_TOKEN_KEY", hide_env_values = true, value_parser = token_key)]
    pub token_key: Option<String>,
    /// The region requests must be signed for (their credential scope).
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    pub region: String,
    /// Answer every Nth request with a 500 InternalServerError.
    #[arg(long)]
    pub error_every: Option<u64>,
    /// Drop the connection of every Nth request without answering.
    #[arg(long)]
    pub reset_every: Option<u64>,
    /// Answer every Nth request with a ThrottlingException.
    #[arg(long)]
    pub throttle_every: Option<u64>,
    /// Milliseconds added to every response.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
}

/// A token key: long enough that guessing it is hopeless.
fn token_key(value: &str) -> Result<String, String> {
    if value.len() < 16 {
        return Err("a token key needs at least 16 bytes".into());
    }
    Ok(value.to_owned())
}
