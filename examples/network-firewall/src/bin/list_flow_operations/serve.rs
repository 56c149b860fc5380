//! The `serve` subcommand: the local Network Firewall endpoint, on a port,
//! with a dataset, credentials and injected faults as given.

use std::io::Write;
use std::time::Duration;

use network_firewall::server::FaultConfig;
use network_firewall::{Credentials, Dataset, ServerConfig};

use crate::cli::ServeArgs;
use crate::failure::Failure;

/// `serve`: the local endpoint on a port, until Ctrl-C.
pub async fn serve(args: ServeArgs) -> Result<(), Failure> {
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
