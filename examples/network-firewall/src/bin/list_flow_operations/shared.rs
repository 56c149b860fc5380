//! `--checkpoint postgres://...`: one listing job shared by every instance
//! started with the same command line and database. The job's listings are
//! the firewalls; each instance leases the next free one, lists it to its end
//! (acknowledging what it printed, which renews the lease), then the next,
//! and waits while every firewall left is leased to another instance: one
//! killed leaves its firewall leased until the lease expires, and then an
//! instance still running takes it over from its last acknowledged operation.
//! Each instance prints one JSON document of the operations it listed.

use std::collections::HashSet;
use std::io::BufWriter;
use std::time::Duration;

use network_firewall::{FlowOperationMetadata, ListFlowOperationsRequest};
use paginate::{CheckpointError, Checkpoints, Listing, PaginationConfig, PostgresStore, SharedJob};

use crate::checkpoint::store_failure;
use crate::cli::TimestampFormat;
use crate::failure::{failure_of, write_failure, Failure, CUT_SHORT};
use crate::interrupt::CtrlC;
use crate::output::JsonDocument;
use crate::tracked::next_acked;

type Document = JsonDocument<BufWriter<std::io::Stdout>>;

/// Why an instance stopped listing a firewall before its end.
enum Stop {
    /// Another instance took the firewall over: go on with the next one.
    LeaseLost,
    /// The run ends: the failure, and whether the document can be closed as a
    /// whole one (anything printed is acknowledged, the job resumes).
    Fail(Failure, bool),
}

/// Lists the firewalls of `arns` this instance leases from the shared job
/// `id` in `store`, printing each operation with its `FirewallArn`, until
/// every firewall is done.
pub async fn print_shared<C>(
    store: PostgresStore,
    (id, description): (String, String),
    arns: &[String],
    request: &ListFlowOperationsRequest,
    page_size: Option<u64>,
    client: C,
    timestamps: TimestampFormat,
) -> Result<(), Failure>
where
    C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error> + Clone,
{
    let open = |store: &PostgresStore| -> Result<SharedJob<ListFlowOperationsRequest>, Failure> {
        let checkpoints = Checkpoints::new(store.clone()).map_err(store_failure)?;
        checkpoints
            .shared_job(&id, &description, arns.len())
            .map_err(store_failure)
    };
    let mut shared = blocking(|| open(&store))?;
    // While every firewall left is leased elsewhere: ask again this often.
    let poll = (store.lease() / 10).clamp(Duration::from_millis(100), Duration::from_secs(2));
    let mut document = JsonDocument::new(BufWriter::new(std::io::stdout()), timestamps);
    // The operations printed of the firewall being listed, and of any this
    // instance lost: one it leases again (its taker died too) resumes before
    // some of them, which are not printed twice.
    let mut printed: Vec<HashSet<String>> = vec![HashSet::new(); arns.len()];
    let mut ctrl_c = CtrlC::new();
    let stop = loop {
        let next = match blocking(|| shared.remaining().and_then(|n| Ok((n, shared.next_listing()?)))) {
            Ok((0, _)) => break None,
            Ok((_, next)) => next,
            Err(e) => break Some((store_failure(e), true)),
        };
        let Some((index, job)) = next else {
            match ctrl_c.or(tokio::time::sleep(poll)).await {
                Some(()) => continue,
                None => break Some((Failure::Interrupted("interrupted".into()), true)),
            }
        };
        let Some(arn) = arns.get(index) else {
            break Some((Failure::Other(format!("the shared job has no firewall {index}")), false));
        };
        let mut per_listing = PaginationConfig::default();
        per_listing.page_size = page_size;
        let listing_request = ListFlowOperationsRequest {
            firewall_arn: arn.clone(),
            ..request.clone()
        };
        let Some(listing) = job.start(Listing::new(client.clone(), listing_request, per_listing)) else {
            continue;
        };
        let mut tracked = job.track(listing.item_stream());
        let mut write = |document: &mut Document, operation: FlowOperationMetadata| {
            let new = match &operation.flow_operation_id {
                Some(id) => printed[index].insert(id.clone()),
                None => true,
            };
            if new {
                document.operation_of(arn, &operation)?;
            }
            Ok::<_, std::io::Error>(())
        };
        let mut unacked = false;
        let outcome = loop {
            let next = match next_acked(&mut tracked, &mut unacked, &mut ctrl_c).await {
                Ok(Some(next)) => next,
                Ok(None) => break Ok(Some((Failure::Interrupted("interrupted".into()), true))),
                Err(e) => break Err(e),
            };
            match next {
                None => break Ok(None),
                Some(Ok(operation)) => {
                    if let Err(e) = write(&mut document, operation) {
                        let _ = tracked.ack();
                        let _ = blocking(|| tracked.flush());
                        return Err(write_failure(e));
                    }
                    unacked = true;
                }
                Some(Err(error)) => {
                    let resumable = error.is_service();
                    break Ok(Some((failure_of(error), resumable)));
                }
            }
        };
        // What was printed is acknowledged; at the listing's end this marks
        // the firewall done, which releases its lease.
        let acked = outcome.and_then(|stop| {
            tracked.ack()?;
            blocking(|| tracked.flush())?;
            Ok(stop)
        });
        let stop = match acked {
            Ok(None) => {
                printed[index] = HashSet::new();
                None
            }
            Ok(Some((failure, resumable))) => Some(Stop::Fail(failure, resumable)),
            Err(CheckpointError::LeaseLost { .. }) => Some(Stop::LeaseLost),
            Err(e) => Some(Stop::Fail(store_failure(e), true)),
        };
        match stop {
            None => {}
            // This store's writer refuses every acknowledgement from now on:
            // go on through a new one.
            Some(Stop::LeaseLost) => match blocking(|| open(&store)) {
                Ok(again) => shared = again,
                Err(failure) => break Some((failure, true)),
            },
            Some(Stop::Fail(failure, resumable)) => break Some((failure, resumable)),
        }
    };
    let Some((failure, resumable)) = stop else {
        if !document.started() {
            document.page(Some(&[])).map_err(write_failure)?;
        }
        return document.finish(None).map(drop).map_err(write_failure);
    };
    if !document.started() {
        return Err(failure);
    }
    if !resumable {
        document.cut_short().map_err(write_failure)?;
        return Err(failure.with_hint(CUT_SHORT));
    }
    document.finish(None).map_err(write_failure)?;
    Err(failure.with_hint(
        "the output ends at the last operation listed; the same command resumes the job (checkpoint in the database)",
    ))
}

/// Runs a call of the store, which waits on the database, off the async
/// runtime's worker threads.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}
