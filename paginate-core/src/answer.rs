//! What a driver makes of the answer to one request: the page handed on as
//! the listing yields it, the end of the listing, a service failure, or a
//! restart after an expired token. The drivers (blocking, async, prefetch,
//! parallel) differ in how they wait, not in this.

use crate::error::{Error, ListingError};
use crate::expiry::Expired;
use crate::model::PaginatedRequest;
use crate::state::ListingState;
use crate::trace::{RequestTrace, Tracer};

/// The answer to a request, taken by the listing.
pub(crate) enum Answer<P, E> {
    /// The page, cut as the listing yields it.
    Page(P),
    /// The listing ends here (a token problem, a refused cut).
    Stopped(ListingError),
    /// The service failed, and no expiry policy took the failure: the
    /// driver hands it on (and interrupts the listing, or not).
    Failed(E),
    /// The token had expired and the listing's policy restarted it: send the
    /// next request.
    Restarted,
}

impl<P, E> Answer<P, E> {
    /// What a driver that keeps the listing's state hands its caller: the
    /// page, or the error (a service failure interrupts the listing, and
    /// carries the token that resumes at the failed request); `None` after a
    /// restart, when the next request is to be sent.
    pub(crate) fn into_item<Req: PaginatedRequest>(self, state: &mut ListingState<Req>) -> Option<Result<P, Error<E>>> {
        match self {
            Answer::Page(page) => Some(Ok(page)),
            Answer::Stopped(stop) => Some(Err(stop.into())),
            Answer::Restarted => None,
            Answer::Failed(source) => {
                state.interrupt();
                Some(Err(Error::Service {
                    source,
                    resume_token: state.resume_token(),
                }))
            }
        }
    }
}

/// Takes `outcome`, the answer to the request the listing gave last, into
/// `state`, recording it on its trace; `expired` says whether a failure
/// means the token expired.
pub(crate) fn answer<Req: PaginatedRequest, E>(
    state: &mut ListingState<Req>,
    tracer: &mut Tracer,
    trace: Option<RequestTrace>,
    outcome: Result<Req::Response, E>,
    expired: impl FnOnce(&E) -> Option<Expired>,
) -> Answer<Req::Response, E> {
    match outcome {
        Ok(mut page) => match state.receive_in_place(&mut page) {
            Ok(()) => {
                tracer.page(trace, &page, || state.is_finished());
                Answer::Page(page)
            }
            Err(stop) => {
                tracer.failed(trace);
                Answer::Stopped(stop)
            }
        },
        Err(error) => {
            tracer.failed(trace);
            if expired(&error).is_some_and(|e| state.token_expired(e)) {
                Answer::Restarted
            } else {
                Answer::Failed(error)
            }
        }
    }
}
