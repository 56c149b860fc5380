//! [`by_ref`]: a client from a closure that borrows the request.

use std::future::Future;

use crate::blocking::Client;
use crate::model::PaginatedRequest;
use crate::stream::AsyncClient;

/// A client made of a closure that borrows each request; see [`by_ref`].
///
/// ```
/// use paginate::{ByRef, Client};
/// # use paginate::Paginated;
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let mut client = ByRef(|req: &Req| Ok::<_, String>(Resp { items: vec![1], next_token: req.next_token.clone() }));
/// let page = Client::send_ref(&mut client, &Req::default())?;
/// assert_eq!((page.items, page.next_token), (vec![1], None));
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ByRef<F>(pub F);

/// Makes `send` a [`Client`] (if it returns a `Result`) or an [`AsyncClient`]
/// (if it returns a future of one) that is handed each request borrowed: the
/// listing sends the request it keeps, with no copy per page. A plain
/// `FnMut(Req)` closure is a client too, but is sent a clone of every request.
///
/// An async closure's future must not borrow the request: build the call from
/// it first, then return the future of that call.
///
/// ```
/// use paginate::{Listing, Paginated, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let service = |req: &Req| match req.next_token.as_deref() {
///     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
///     Some(_) => Resp { items: vec![3], next_token: None },
/// };
/// let blocking = paginate::by_ref(|req: &Req| Ok::<_, String>(service(req)));
/// let items: Vec<u32> = Listing::new(blocking, Req::default(), PaginationConfig::default())
///     .items()
///     .collect::<Result<_, _>>()?;
/// assert_eq!(items, [1, 2, 3]);
///
/// use futures::StreamExt;
/// let nonblocking = paginate::by_ref(|req: &Req| std::future::ready(Ok::<_, String>(service(req))));
/// let stream = Listing::new(nonblocking, Req::default(), PaginationConfig::default()).page_stream();
/// let items: Vec<u32> = futures::executor::block_on(stream.items().map(|i| i.expect("no error")).collect());
/// assert_eq!(items, [1, 2, 3]);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
pub fn by_ref<F>(send: F) -> ByRef<F> {
    ByRef(send)
}

impl<F, Req, E> Client<Req> for ByRef<F>
where
    Req: PaginatedRequest,
    F: FnMut(&Req) -> Result<Req::Response, E>,
{
    type Error = E;

    fn send(&mut self, request: Req) -> Result<Req::Response, E> {
        (self.0)(&request)
    }

    #[inline]
    fn send_ref(&mut self, request: &Req) -> Result<Req::Response, E> {
        (self.0)(request)
    }
}

impl<F, Fut, Req, E> AsyncClient<Req> for ByRef<F>
where
    Req: PaginatedRequest,
    F: FnMut(&Req) -> Fut,
    Fut: Future<Output = Result<Req::Response, E>>,
{
    type Error = E;
    type Future = Fut;

    fn send(&mut self, request: Req) -> Fut {
        (self.0)(&request)
    }

    #[inline]
    fn send_ref(&mut self, request: &Req) -> Fut {
        (self.0)(request)
    }
}
