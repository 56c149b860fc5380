//! A listing bound to a `--checkpoint` job: each operation is acknowledged
//! once it is out (written to stdout and flushed; the operations at hand
//! together, before waiting for more), so a run killed at any
//! moment is resumed by the same command after the last operation printed,
//! repeating at most the ones printed since the last commit.

use std::io::{BufWriter, Stdout};

use futures::{FutureExt, Stream, StreamExt};
use paginate::{CheckpointError, Checkpointed, Resumable};

use crate::failure::{failure_of, write_failure, Failure, CUT_SHORT};
use crate::interrupt::CtrlC;
use crate::output::JsonDocument;

/// The document a tracked listing prints into.
pub type Document = JsonDocument<BufWriter<Stdout>>;

/// The empty result a job with nothing left to list prints (its key and an
/// empty list, so that `.FlowOperations[]` finds nothing rather than null).
pub fn print_nothing(mut document: Document) -> Result<(), Failure> {
    document.page(Some(&[])).map_err(write_failure)?;
    document.finish(None).map(drop).map_err(write_failure)
}

/// The next item of `tracked`: at once when it is at hand; else, once what
/// was printed since the last acknowledgement (`unacked`) is acknowledged,
/// when it comes. So a page's operations cost one acknowledgement (a
/// fan-out's token names every listing), and none is acknowledged before it
/// is out. `Ok(None)`: Ctrl-C came first.
pub async fn next_acked<D, T, E>(
    tracked: &mut Checkpointed<D>,
    unacked: &mut bool,
    ctrl_c: &mut CtrlC,
) -> Result<Option<Option<Result<T, E>>>, CheckpointError>
where
    D: Stream<Item = Result<T, E>> + Unpin + Resumable,
{
    if let Some(item) = tracked.next().now_or_never() {
        return Ok(Some(item));
    }
    if std::mem::take(unacked) {
        tracked.ack()?;
    }
    Ok(ctrl_c.or(tracked.next()).await)
}

/// Prints what `tracked` yields with `write`, acknowledging the items
/// written and flushed before waiting for more; closes the document with the `NextToken` that
/// `token` gives for the driver (when `--max-items` stopped it, or a failure
/// or Ctrl-C did). `store` names the store in the resume hint.
pub async fn print_tracked<D, T>(
    mut tracked: Checkpointed<D>,
    mut document: Document,
    mut write: impl FnMut(&mut Document, T) -> std::io::Result<()>,
    token: impl Fn(&D) -> Result<Option<String>, Failure>,
    store: &str,
) -> Result<(), Failure>
where
    D: Stream<Item = Result<T, paginate::Error<network_firewall::Error>>> + Unpin + Resumable,
{
    let mut ctrl_c = CtrlC::new();
    let mut unacked = false;
    let stop = loop {
        let next = match next_acked(&mut tracked, &mut unacked, &mut ctrl_c).await {
            Ok(Some(next)) => next,
            Ok(None) => break Some((Failure::Interrupted("interrupted".into()), true)),
            Err(e) => break Some((crate::checkpoint::store_failure(e), true)),
        };
        match next {
            None => break None,
            Some(Ok(item)) => {
                if let Err(e) = write(&mut document, item) {
                    // What was printed before is out: acknowledged all the same.
                    let _ = tracked.ack();
                    return Err(write_failure(e));
                }
                unacked = true;
            }
            // Only a service error leaves the listing where it can resume.
            Some(Err(error)) => {
                let resumable = error.is_service();
                break Some((failure_of(error), resumable));
            }
        }
    };
    // Everything printed is out; at the end of the listing this marks the job done.
    if let Err(e) = tracked.ack() {
        if stop.is_none() {
            return Err(crate::checkpoint::store_failure(e));
        }
    }
    let next_token = token(tracked.get_ref())?;
    let Some((failure, resumable)) = stop else {
        if !document.started() {
            document.page(Some(&[])).map_err(write_failure)?;
        }
        document.finish(next_token.as_deref()).map_err(write_failure)?;
        // The end is acknowledged with the last item: wait until it is durable.
        return tracked.flush().map_err(crate::checkpoint::store_failure);
    };
    // What was acknowledged is committed when the store closes; a failure
    // of that commit only means the next run repeats more.
    let _ = tracked.flush();
    if !document.started() {
        return Err(failure);
    }
    if !resumable {
        document.cut_short().map_err(write_failure)?;
        return Err(failure.with_hint(CUT_SHORT));
    }
    document.finish(next_token.as_deref()).map_err(write_failure)?;
    Err(failure.with_hint(&format!(
        "the output ends at the last item received; the same command resumes after it (checkpoint in {store})"
    )))
}
