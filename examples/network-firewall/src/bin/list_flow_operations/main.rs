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

mod checkpoint;
mod cli;
mod eval;
mod failure;
mod fan_out;
mod input;
mod interrupt;
mod layout;
mod listing;
mod one_call;
mod output;
mod query;
mod serve;
mod set_token;
mod shared;
mod table;
mod terminal;
mod text;
mod tracked;
mod value;
mod width;

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Parser;
use network_firewall::{
    ClientConfig, FlowOperationType, ListFlowOperationsRequest, NetworkFirewallClient, ServerConfig, DEMO_FIREWALL_ARN,
};
use paginate::{Listing, PaginationConfig};

use cli::Output;
use cli::{Cli, Command, ListArgs};
use failure::{fail, write_failure, Failure};
use fan_out::print_fan_out;
use listing::{print_listing, Format};
use one_call::one_call;
use output::JsonDocument;
use query::Query;
use table::Look;

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
        Some(Command::Serve(args)) => runtime.block_on(serve::serve(args)),
        None => {
            runtime.spawn(interrupt::interrupt_watchdog());
            runtime.block_on(list(cli.list))
        }
    };
    if interrupt::STOPPING.swap(true, Ordering::SeqCst) {
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

/// What `--checkpoint` cannot be combined with (252): its job says where the
/// listing starts, one call has nothing to resume, and a result printed only
/// once complete (a table, a `--query`) cannot acknowledge operations as they
/// are printed.
fn checkpoint_conflicts(args: &ListArgs) -> Result<(), Failure> {
    let conflicts = [
        ("--starting-token", args.starting_token.is_some()),
        ("--no-paginate", args.no_paginate),
        ("--query", args.query.is_some()),
        ("--output text", args.output == Output::Text),
        ("--output table", args.output == Output::Table),
    ];
    match conflicts.iter().find(|(_, given)| *given) {
        Some((flag, _)) => Err(Failure::Input(format!(
            "--checkpoint cannot be combined with {flag}: the job resumes where its last run stopped, \
             printing JSON as it goes"
        ))),
        None => Ok(()),
    }
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
    let checkpoints = match &args.checkpoint {
        None => None,
        Some(value) => {
            let target = checkpoint::Target::parse(value)?;
            checkpoint_conflicts(&args)?;
            if matches!(target, checkpoint::Target::Database(_)) && args.max_items.is_some() {
                return Err(Failure::Input(
                    "--checkpoint postgres://... cannot be combined with --max-items: each instance lists \
                     the firewalls it leases to their end"
                        .into(),
                ));
            }
            let store = target.open(Duration::from_secs(args.checkpoint_lease))?;
            Some((target, store))
        }
    };
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
    let printed = if let Some((target, store)) = checkpoints {
        let key = checkpoint::JobKey {
            operation: "ListFlowOperations",
            endpoint: (!embedded).then(|| client_for_one_call.endpoint()),
            region: client_for_one_call.region(),
            firewall_arns: &firewall_arns,
            availability_zone: request.availability_zone.as_deref(),
            vpc_endpoint_association_arn: request.vpc_endpoint_association_arn.as_deref(),
            vpc_endpoint_id: request.vpc_endpoint_id.as_deref(),
            flow_operation_type: request.flow_operation_type.as_ref().map(|t| t.as_str()),
            page_size: config.page_size,
        };
        let (id, description) = key.id_and_description();
        let checkpoints = match store {
            checkpoint::Store::Embedded(checkpoints) => checkpoints,
            checkpoint::Store::Shared(store) => {
                let printed = shared::print_shared(
                    store,
                    (id, description),
                    &firewall_arns,
                    &request,
                    config.page_size,
                    send,
                    args.cli_timestamp_format,
                )
                .await;
                if let Some(server) = server {
                    server.shutdown().await;
                }
                return printed;
            }
        };
        let job = checkpoints.job(&id, &description).map_err(checkpoint::store_failure)?;
        let document = JsonDocument::new(BufWriter::new(std::io::stdout()), args.cli_timestamp_format);
        let store = target.describe();
        if firewall_arns.len() > 1 {
            let listings = fan_out::listings(&firewall_arns, &request, config.page_size, &send);
            let fresh = fan_out::fresh_token(&request, config.page_size, &send);
            let set = job
                .start_fan_out(listings, usize::from(args.max_concurrency), config.max_items)
                .map_err(checkpoint::store_failure)?;
            match set {
                None => tracked::print_nothing(document),
                Some(set) => {
                    let arns = &firewall_arns;
                    tracked::print_tracked(
                        job.track(set),
                        document,
                        |document, (index, operation)| document.operation_of(&arns[index], &operation),
                        |set| {
                            set.resume_token()
                                .map(|token| set_token::compact(&token, arns, &fresh))
                                .transpose()
                                .map_err(Failure::Other)
                        },
                        &store,
                    )
                    .await
                }
            }
        } else {
            match job.start(Listing::new(send, request, config)) {
                None => tracked::print_nothing(document),
                Some(listing) => {
                    tracked::print_tracked(
                        job.track(listing.item_stream()),
                        document,
                        |document, operation| document.page(Some(std::slice::from_ref(&operation))),
                        |items| Ok(items.resume_token()),
                        &store,
                    )
                    .await
                }
            }
        }
    } else if args.no_paginate {
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
