//! Group commit: acknowledgements are handed to one thread, which commits
//! the latest position of every job that has one pending, in one transaction,
//! while the listing goes on.
//!
//! Acknowledgements that arrive while a commit runs replace each other (only
//! a job's latest position matters) and go together into the next commit, so
//! a store that takes milliseconds to `fsync` never holds up a consumer that
//! acknowledges every item.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::error::panic_message;
use super::{CheckpointError, CheckpointStore, Progress};

/// The writer thread and what it shares with the acknowledging side.
pub(crate) struct Writer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    store: Arc<dyn CheckpointStore>,
    queue: Mutex<Queue>,
    /// Signalled when there is something to commit, or the writer is to stop.
    work: Condvar,
    /// Signalled when a commit ended.
    committed: Condvar,
}

#[derive(Default)]
struct Queue {
    /// The latest acknowledged position of each job not yet handed to the store.
    pending: BTreeMap<String, Progress>,
    /// How many acknowledgements were handed over, and how many of them are durable.
    acked: u64,
    durable: u64,
    /// The first commit that failed; every acknowledgement since is refused.
    failure: Option<Arc<CheckpointError>>,
    closing: bool,
}

impl Writer {
    pub(crate) fn spawn(store: Arc<dyn CheckpointStore>) -> Result<Self, CheckpointError> {
        let shared = Arc::new(Shared {
            store,
            queue: Mutex::new(Queue::default()),
            work: Condvar::new(),
            committed: Condvar::new(),
        });
        let thread = std::thread::Builder::new()
            .name("paginate-checkpoint".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || shared.run()
            })
            .map_err(CheckpointError::Writer)?;
        Ok(Writer {
            shared,
            thread: Some(thread),
        })
    }

    pub(crate) fn store(&self) -> &dyn CheckpointStore {
        &*self.shared.store
    }

    /// Hands `progress` of `job` to the writer; returns at once.
    pub(crate) fn submit(&self, job: &str, progress: Progress) -> Result<(), CheckpointError> {
        let mut queue = self.shared.lock();
        if let Some(failure) = &queue.failure {
            return Err(refusal(failure));
        }
        queue.pending.insert(job.to_string(), progress);
        queue.acked += 1;
        drop(queue);
        self.shared.work.notify_one();
        Ok(())
    }

    /// Waits until everything handed over so far is durable.
    pub(crate) fn flush(&self) -> Result<(), CheckpointError> {
        let mut queue = self.shared.lock();
        let target = queue.acked;
        loop {
            if let Some(failure) = &queue.failure {
                return Err(refusal(failure));
            }
            if queue.durable >= target {
                return Ok(());
            }
            queue = self
                .shared
                .committed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// What an acknowledgement after a failed commit is told: a lost lease as
/// itself (the worker stops that listing), anything else as the commit that failed.
fn refusal(failure: &Arc<CheckpointError>) -> CheckpointError {
    match &**failure {
        CheckpointError::LeaseLost { job } => CheckpointError::LeaseLost { job: job.clone() },
        _ => CheckpointError::CommitFailed(Arc::clone(failure)),
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn run(&self) {
        loop {
            let mut queue = self.lock();
            while queue.pending.is_empty() && !queue.closing {
                queue = self.work.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
            if queue.pending.is_empty() || queue.failure.is_some() {
                return;
            }
            let batch = std::mem::take(&mut queue.pending);
            let generation = queue.acked;
            drop(queue);
            // A store that panics fails the commit, as an error would: the
            // thread lives on to tell every `ack` and `flush` so.
            let outcome =
                std::panic::catch_unwind(AssertUnwindSafe(|| self.store.commit(&batch))).unwrap_or_else(|panic| {
                    Err(CheckpointError::Store(format!(
                        "the store panicked: {}",
                        panic_message(&*panic)
                    )))
                });
            let mut queue = self.lock();
            match outcome {
                Ok(()) => queue.durable = generation,
                Err(e) => queue.failure = Some(Arc::new(e)),
            }
            drop(queue);
            self.committed.notify_all();
        }
    }
}

/// Commits what is pending, then stops the thread.
impl Drop for Writer {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.work.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
