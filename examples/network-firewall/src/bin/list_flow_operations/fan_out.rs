//! Several firewalls listed at once (`--firewall-arn` given more than once),
//! printed as one JSON document with one resume token for the set.

use std::io::BufWriter;

use futures::StreamExt;
use network_firewall::ListFlowOperationsRequest;
use paginate::{FanOut, Listing, PaginationConfig};

use crate::cli::TimestampFormat;
use crate::failure::{failure_of, write_failure, Failure, CUT_SHORT};
use crate::interrupt::CtrlC;
use crate::output::JsonDocument;
use crate::set_token;

/// One listing per firewall of `arns`, each from its beginning, at `page_size`.
pub fn listings<C: Clone>(
    arns: &[String],
    request: &ListFlowOperationsRequest,
    page_size: Option<u64>,
    client: &C,
) -> Vec<Listing<C, ListFlowOperationsRequest>> {
    let mut per_listing = PaginationConfig::default();
    per_listing.page_size = page_size;
    arns.iter()
        .map(|arn| {
            let request = ListFlowOperationsRequest {
                firewall_arn: arn.clone(),
                ..request.clone()
            };
            Listing::new(client.clone(), request, per_listing.clone())
        })
        .collect()
}

/// The token of a listing not started, which the set's token leaves out.
pub fn fresh_token<C>(request: &ListFlowOperationsRequest, page_size: Option<u64>, client: &C) -> String
where
    C: paginate::AsyncClient<ListFlowOperationsRequest> + Clone,
{
    let mut per_listing = PaginationConfig::default();
    per_listing.page_size = page_size;
    let first = Listing::new(client.clone(), request.clone(), per_listing);
    FanOut::new(vec![first], 1, None)
        .resume_token()
        .and_then(|token| set_token::first_of(&token))
        .unwrap_or_default()
}

/// Lists several firewalls at once (`FanOut`), printing each operation with
/// its `FirewallArn` as it arrives; `NextToken` is the set's token, which
/// `--starting-token` takes back with the same `--firewall-arn`s.
pub async fn print_fan_out<C>(
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
    let listings = listings(arns, &request, config.page_size, &client);
    let fresh = fresh_token(&request, config.page_size, &client);
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
    let mut ctrl_c = CtrlC::new();
    let stop = loop {
        let Some(next) = ctrl_c.or(set.next()).await else {
            break Some((Failure::Interrupted("interrupted".into()), true));
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
