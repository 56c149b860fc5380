//! Connections: how many are served at once, which one makes room for a new
//! one, and when an unproductive one is closed.
//!
//! * At most [`ServerLimits::max_connections`](super::ServerLimits::max_connections)
//!   connections are served; each holds a permit of `Tracker::slots`.
//! * When all permits are taken, the connection that is idle (no request
//!   being handled) and has moved no byte for the longest is asked to close
//!   (hyper's graceful shutdown closes a connection waiting for a request at
//!   once; one in the middle of a request head is closed after
//!   `EVICT_GRACE`) and the new connection waits briefly for its permit; if
//!   every connection is handling a request, it gets a `503` and is closed.
//!   Excess connections therefore cost neither memory nor file descriptors
//!   for long, and idle ones cannot lock clients out.
//! * hyper's `header_read_timeout` closes connections that do not deliver a
//!   request head in time (also between keep-alive requests); a watchdog
//!   closes connections that move no byte for
//!   [`ServerLimits::idle_timeout`](super::ServerLimits::idle_timeout) while
//!   no request is being handled (e.g. a client that stopped reading).

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, Notify, OwnedSemaphorePermit, Semaphore};

use super::dispatch::handle;
use super::state::State;

/// Largest accepted [`ServerLimits::max_connections`](super::ServerLimits::max_connections).
pub(super) const MAX_CONNECTIONS: usize = 1 << 20;

/// How long a new connection waits for an evicted one to make room.
const ADMIT_WAIT: Duration = Duration::from_millis(250);

/// How long an evicted connection (or any, at shutdown) that is not
/// handling a request, e.g. one still sending its request head, has before
/// it is closed outright.
const EVICT_GRACE: Duration = Duration::from_millis(100);

/// How long in-flight requests get to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Largest request head (and read buffer) a connection holds, bytes.
const MAX_HEAD_BYTES: usize = 32 * 1024;

/// What a refused connection is told before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/x-amz-json-1.0\r\n\
x-amzn-ErrorType: ServiceUnavailableException\r\n\
connection: close\r\n\
content-length: 93\r\n\r\n\
{\"__type\":\"ServiceUnavailableException\",\"message\":\"Too many connections; retry the request.\"}";

/// The connections of one server.
pub(super) struct Tracker {
    epoch: Instant,
    max: usize,
    slots: Arc<Semaphore>,
    next_id: AtomicU64,
    live: Mutex<HashMap<u64, Arc<ConnState>>>,
    refused: AtomicU64,
    evicted: AtomicU64,
}

/// What the tracker and the request handler know of one connection.
pub(super) struct ConnState {
    epoch: Instant,
    /// Milliseconds since `epoch` of the last byte read or written.
    last_activity_ms: AtomicU64,
    /// Requests being handled (0 or 1 on HTTP/1.1).
    in_flight: AtomicUsize,
    /// Asked to close by the tracker.
    evicted: AtomicBool,
    evict: Notify,
}

fn millis_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl ConnState {
    fn touch(&self) {
        self.last_activity_ms.store(millis_since(self.epoch), Ordering::Relaxed);
    }

    /// Marks a request as being handled until the guard is dropped.
    pub(super) fn begin_request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.touch();
        InFlight(self.clone())
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// When the idle watchdog should look again, or `None` if the
    /// connection has been idle (no request, no byte) for `idle` already.
    fn idle_check(&self, idle: Duration) -> Option<Instant> {
        let now = millis_since(self.epoch);
        let idle_ms = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
        if self.busy() {
            return Some(Instant::now() + idle);
        }
        let last = self.last_activity_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= idle_ms {
            return None;
        }
        Some(self.epoch + Duration::from_millis(last.saturating_add(idle_ms)))
    }
}

/// A request being handled; see [`ConnState::begin_request`].
pub(super) struct InFlight(Arc<ConnState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Tracker {
    pub(super) fn new(max: usize) -> Self {
        Tracker {
            epoch: Instant::now(),
            max,
            slots: Arc::new(Semaphore::new(max)),
            next_id: AtomicU64::new(0),
            live: Mutex::new(HashMap::new()),
            refused: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
        }
    }

    pub(super) fn open(&self) -> usize {
        self.live.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub(super) fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    pub(super) fn evicted(&self) -> u64 {
        self.evicted.load(Ordering::Relaxed)
    }

    fn register(&self) -> (u64, Arc<ConnState>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(ConnState {
            epoch: self.epoch,
            last_activity_ms: AtomicU64::new(millis_since(self.epoch)),
            in_flight: AtomicUsize::new(0),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        });
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, conn.clone());
        (id, conn)
    }

    fn unregister(&self, id: u64) {
        self.live.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    }

    /// Asks the connection idle the longest to close; false if none is idle.
    fn evict_one_idle(&self) -> bool {
        let live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        let victim = live
            .values()
            .filter(|c| !c.busy() && !c.evicted.load(Ordering::Relaxed))
            .min_by_key(|c| c.last_activity_ms.load(Ordering::Relaxed));
        match victim {
            Some(c) => {
                c.evicted.store(true, Ordering::Relaxed);
                c.evict.notify_one();
                self.evicted.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// A permit for a new connection, making room if need be.
    async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Some(permit);
        }
        if !self.evict_one_idle() {
            return None; // every connection is handling a request
        }
        match tokio::time::timeout(ADMIT_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => None,
        }
    }

    /// Resolves once every connection has closed.
    async fn all_closed(&self) {
        let n = u32::try_from(self.max).unwrap_or(u32::MAX);
        let _ = self.slots.acquire_many(n).await;
    }
}

/// A socket that records when bytes move.
struct ActivityIo {
    inner: TcpStream,
    conn: Arc<ConnState>,
}

impl AsyncRead for ActivityIo {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.conn.touch();
        }
        polled
    }
}

impl AsyncWrite for ActivityIo {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.touch();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Where the server is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// Finish the request in progress, then close.
    Draining,
    /// Close now.
    Closing,
}

pub(super) async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    let (phase_tx, _) = watch::channel(Phase::Running);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Transient accept errors, e.g. too many open files when
                    // `max_connections` is above the process's limit: make
                    // room as when full, and back off briefly.
                    state.tracker.evict_one_idle();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let Some(permit) = state.tracker.admit().await else {
                    state.tracker.refused.fetch_add(1, Ordering::Relaxed);
                    // Best effort, never blocks: the socket buffer is empty.
                    let _ = stream.try_write(REFUSAL);
                    drop(stream);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve_connection(stream, permit, state.clone(), phase_tx.subscribe()));
            }
        }
    }
    drop(listener);
    let _ = phase_tx.send(Phase::Draining);
    if tokio::time::timeout(SHUTDOWN_GRACE, state.tracker.all_closed())
        .await
        .is_err()
    {
        let _ = phase_tx.send(Phase::Closing);
        let _ = tokio::time::timeout(Duration::from_secs(1), state.tracker.all_closed()).await;
    }
}

async fn serve_connection(
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    state: Arc<State>,
    mut phase: watch::Receiver<Phase>,
) {
    let (id, conn_state) = state.tracker.register();
    let io = TokioIo::new(ActivityIo {
        inner: stream,
        conn: conn_state.clone(),
    });
    let service = {
        let state = state.clone();
        let conn_state = conn_state.clone();
        service_fn(move |req| handle(state.clone(), conn_state.clone(), req))
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let idle = state.limits.idle_timeout;
    let mut draining = false;
    let mut force_close_at: Option<Instant> = None;
    loop {
        let current = *phase.borrow_and_update();
        if current == Phase::Closing {
            break;
        }
        if current == Phase::Draining && !draining {
            conn.as_mut().graceful_shutdown();
            draining = true;
            force_close_at = Some(Instant::now() + EVICT_GRACE);
        }
        let Some(mut wake) = conn_state.idle_check(idle) else {
            break; // idle too long: dropping the connection closes it
        };
        if let Some(at) = force_close_at {
            if Instant::now() >= at {
                if !conn_state.busy() {
                    break;
                }
                // A request is being handled: it finishes, then the
                // connection closes (keep-alive is off).
                force_close_at = None;
            } else {
                wake = wake.min(at);
            }
        }
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = conn_state.evict.notified(), if !draining => {
                // Closes an idle connection at once; one in the middle of a
                // request head or response gets `EVICT_GRACE`.
                conn.as_mut().graceful_shutdown();
                draining = true;
                force_close_at = Some(Instant::now() + EVICT_GRACE);
            }
            changed = phase.changed() => {
                if changed.is_err() {
                    break; // the server is gone
                }
            }
            _ = tokio::time::sleep_until(wake.into()) => {}
        }
    }
    state.tracker.unregister(id);
    drop(permit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_is_a_well_formed_response() {
        let text = std::str::from_utf8(REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 503 "));
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["__type"], "ServiceUnavailableException");
    }
}
