//! One interface over the item iterator and the item streams, so that a
//! test's loop (take items, retry a failure in place, resume from a token)
//! is written once for all of them. A stream's `next` is polled to its end
//! on the calling thread.

use std::fmt::Debug;

use futures::executor::block_on;
use futures::{Stream, StreamExt};
#[cfg(feature = "parallel")]
use paginate::ParallelItemStream;
use paginate::{AsyncClient, Client, Error, ItemStream, Items, PaginatedRequest, PaginatedResponse};

/// What a test's loop reads a listing's items through.
pub trait ItemDriver {
    type Item;
    type Failure: Debug;
    fn next_item(&mut self) -> Option<Result<Self::Item, Error<Self::Failure>>>;
    fn resume_token(&self) -> Option<String>;
    fn retry(&mut self) -> bool;
}

impl<C: Client<Req>, Req: PaginatedRequest> ItemDriver for Items<C, Req>
where
    C::Error: Debug,
{
    type Item = <Req::Response as PaginatedResponse>::Item;
    type Failure = C::Error;
    fn next_item(&mut self) -> Option<Result<Self::Item, Error<C::Error>>> {
        self.next()
    }
    fn resume_token(&self) -> Option<String> {
        Items::resume_token(self)
    }
    fn retry(&mut self) -> bool {
        Items::retry(self)
    }
}

/// The driver over an item stream type, its `next` polled to its end.
macro_rules! stream_driver {
    ($stream:ident) => {
        impl<C: AsyncClient<Req>, Req: PaginatedRequest> ItemDriver for $stream<C, Req>
        where
            C::Error: Debug,
            Self: Stream<Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>> + Unpin,
        {
            type Item = <Req::Response as PaginatedResponse>::Item;
            type Failure = C::Error;
            fn next_item(&mut self) -> Option<Result<Self::Item, Error<C::Error>>> {
                block_on(StreamExt::next(self))
            }
            fn resume_token(&self) -> Option<String> {
                $stream::resume_token(self)
            }
            fn retry(&mut self) -> bool {
                $stream::retry(self)
            }
        }
    };
}

stream_driver!(ItemStream);
#[cfg(feature = "parallel")]
stream_driver!(ParallelItemStream);
