//! A consumer that acknowledges every item as it comes: the next `n` items,
//! or every item left, from a checkpointed iterator or stream. Any error or
//! a missing item fails the test.

use std::fmt::Debug;

use futures::{Stream, StreamExt};
use paginate::{Checkpointed, Resumable};

/// The next `n` items, each acknowledged once it came.
pub fn ack_next<D, T, E>(items: &mut Checkpointed<D>, n: usize) -> Vec<T>
where
    D: Resumable,
    Checkpointed<D>: Iterator<Item = Result<T, E>>,
    E: Debug,
{
    let mut got = Vec::with_capacity(n);
    for _ in 0..n {
        got.push(items.next().expect("an item").unwrap());
        items.ack().unwrap();
    }
    got
}

/// Every item left, each acknowledged once it came.
pub fn ack_rest<D, T, E>(items: &mut Checkpointed<D>) -> Vec<T>
where
    D: Resumable,
    Checkpointed<D>: Iterator<Item = Result<T, E>>,
    E: Debug,
{
    let mut got = Vec::new();
    while let Some(item) = items.next() {
        got.push(item.unwrap());
        items.ack().unwrap();
    }
    got
}

/// The next `n` items of a stream, each acknowledged once it came.
pub async fn ack_next_async<D, T, E>(items: &mut Checkpointed<D>, n: usize) -> Vec<T>
where
    D: Resumable,
    Checkpointed<D>: Stream<Item = Result<T, E>> + Unpin,
    E: Debug,
{
    let mut got = Vec::with_capacity(n);
    for _ in 0..n {
        got.push(items.next().await.expect("an item").unwrap());
        items.ack().unwrap();
    }
    got
}

/// Every item left in a stream, each acknowledged once it came.
pub async fn ack_rest_async<D, T, E>(items: &mut Checkpointed<D>) -> Vec<T>
where
    D: Resumable,
    Checkpointed<D>: Stream<Item = Result<T, E>> + Unpin,
    E: Debug,
{
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.unwrap());
        items.ack().unwrap();
    }
    got
}
