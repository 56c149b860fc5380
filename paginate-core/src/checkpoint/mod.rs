//! Acknowledged checkpoints: a listing (or a fan-out) bound to a job in a
//! store, resumed after a crash at the last position its consumer
//! acknowledged.
//!
//! A checkpoint is a resume token kept at an acknowledged position. Every
//! driver gives the resume token at any item ([`Resumable`]); a
//! [`Checkpointed`] driver hands it, when the consumer calls `ack`, to a
//! writer thread that commits it in the background ([`Checkpoints`]); a job
//! opened again starts its listing there ([`Job::start`]), or not at all when
//! it is done. The store is a trait ([`CheckpointStore`]); the embedded one
//! is [`RedbStore`]; `PostgresStore` (feature `postgres`) shares jobs
//! between workers on many machines, leasing each listing of a
//! [`SharedJob`] to one worker at a time.

mod checkpoints;
mod error;
mod job;
#[cfg(feature = "postgres")]
mod postgres_store;
mod redb_store;
mod shared_job;
mod store;
mod tracked;
mod writer;

pub use checkpoints::Checkpoints;
pub use error::CheckpointError;
pub use job::Job;
#[cfg(feature = "postgres")]
pub use postgres_store::PostgresStore;
pub use redb_store::RedbStore;
pub use shared_job::SharedJob;
pub use store::{CheckpointStore, Progress};
pub use tracked::{Checkpointed, Resumable};
