//! A running endpoint: starting it ([`start`], [`start_blocking`]), where it
//! listens and what it has seen ([`Endpoint`]), and stopping it (the handles).

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::conn;
use super::state::State;
use super::ServerConfig;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding `127.0.0.1:<port>` failed.
    #[error("cannot bind 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The background runtime or thread could not be created.
    #[error("cannot start server runtime: {0}")]
    Runtime(String),
    /// The [`ServerConfig`] is unusable (a token key too short, a zero limit, ...).
    #[error("invalid server configuration: {0}")]
    Config(String),
}

/// Where a running endpoint listens and what it serves; both handles
/// dereference to it.
#[derive(Clone)]
pub struct Endpoint {
    addr: SocketAddr,
    firewall_arns: Vec<String>,
    state: Arc<State>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("addr", &self.addr)
            .field("firewall_arns", &self.firewall_arns)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// ARNs of the firewalls served, in dataset order.
    pub fn firewall_arns(&self) -> &[String] {
        &self.firewall_arns
    }

    /// HTTP requests received so far (all of them, including rejected ones).
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Connections open right now (at most [`ServerLimits::max_connections`](super::ServerLimits::max_connections)).
    pub fn open_connections(&self) -> usize {
        self.state.tracker.open()
    }

    /// Connections refused so far because [`ServerLimits::max_connections`](super::ServerLimits::max_connections)
    /// were open and none of them was idle.
    pub fn refused_connections(&self) -> u64 {
        self.state.tracker.refused()
    }

    /// Idle connections closed so far to make room for new ones.
    pub fn evicted_connections(&self) -> u64 {
        self.state.tracker.evicted()
    }
}

/// A running local endpoint. Dropping it without [`ServerHandle::shutdown`]
/// stops accepting connections too (the accept task ends when the handle's
/// shutdown channel closes).
#[derive(Debug)]
pub struct ServerHandle {
    endpoint: Endpoint,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::ops::Deref for ServerHandle {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl ServerHandle {
    /// Stops accepting, lets in-flight requests finish (up to 5 s), closes
    /// the remaining connections, and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Binds `127.0.0.1:<config.port>` and serves in the current tokio runtime.
pub async fn start(config: ServerConfig) -> Result<ServerHandle, ServerError> {
    config.validate()?;
    let listener = TcpListener::bind(("127.0.0.1", config.port))
        .await
        .map_err(|source| ServerError::Bind {
            port: config.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        port: config.port,
        source,
    })?;
    let firewall_arns = config.dataset.firewall_arns();
    let state = Arc::new(State::new(config));
    let (stop_tx, stop_rx) = oneshot::channel();
    let task = tokio::spawn(conn::accept_loop(listener, state.clone(), stop_rx));
    Ok(ServerHandle {
        endpoint: Endpoint {
            addr,
            firewall_arns,
            state,
        },
        stop: Some(stop_tx),
        task: Some(task),
    })
}

/// A running endpoint on its own thread and tokio runtime, for blocking code.
#[derive(Debug)]
pub struct BlockingServerHandle {
    endpoint: Endpoint,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for BlockingServerHandle {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl BlockingServerHandle {
    /// Stops the server and joins its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for BlockingServerHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Starts the endpoint on a new thread with its own single-threaded tokio
/// runtime; usable from code that has no runtime. Dropping the handle stops it.
pub fn start_blocking(config: ServerConfig) -> Result<BlockingServerHandle, ServerError> {
    config.validate()?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("network-firewall-server".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(ServerError::Runtime(e.to_string())));
                    return;
                }
            };
            runtime.block_on(async move {
                match start(config).await {
                    Ok(handle) => {
                        if ready_tx.send(Ok(handle.endpoint.clone())).is_err() {
                            handle.shutdown().await;
                            return;
                        }
                        let _ = stop_rx.await;
                        handle.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })
        .map_err(|e| ServerError::Runtime(e.to_string()))?;
    match ready_rx.recv() {
        Ok(Ok(endpoint)) => Ok(BlockingServerHandle {
            endpoint,
            stop: Some(stop_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => {
            let _ = thread.join();
            Err(ServerError::Runtime("server thread exited early".into()))
        }
    }
}
