//! Ctrl-C: what the listings wait for beside their work, and a watchdog
//! that ends the process with 130 when a write to stdout blocks and the
//! listing cannot answer the signal itself.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Ctrl-C, as a listing waits for it beside the next item or a pause.
pub struct CtrlC {
    signal: Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>,
    /// False once the signal came, or when it cannot be listened for (no
    /// handler here): the listing carries on without it.
    armed: bool,
}

impl CtrlC {
    pub fn new() -> Self {
        CtrlC {
            signal: Box::pin(tokio::signal::ctrl_c()),
            armed: true,
        }
    }

    /// What `future` gives, or `None` when Ctrl-C comes first.
    pub async fn or<F: Future>(&mut self, future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        loop {
            tokio::select! {
                output = &mut future => return Some(output),
                signal = &mut self.signal, if self.armed => {
                    self.armed = false;
                    if signal.is_ok() {
                        return None;
                    }
                }
            }
        }
    }
}

/// Set by whichever prints the closing message first: `main` returning,
/// or the interrupt watchdog.
pub static STOPPING: AtomicBool = AtomicBool::new(false);

/// How long, after Ctrl-C, the listing has to close its document and return
/// before the watchdog ends the process.
const INTERRUPT_GRACE: Duration = Duration::from_secs(1);

/// Ends the process with 130 when Ctrl-C is not handled in time. The
/// listing answers Ctrl-C itself (closing its document with a resume
/// token), but not while a write to stdout blocks (a paused pager, a pipe
/// nobody reads): its thread is stuck in the write. This task runs on the
/// runtime's worker threads, which such a write does not hold.
pub async fn interrupt_watchdog() {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    tokio::select! {
        () = tokio::time::sleep(INTERRUPT_GRACE) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    if !STOPPING.swap(true, Ordering::SeqCst) {
        // From another thread, and waited for briefly: stderr may be the
        // same blocked pipe (`2>&1 | less`).
        let (said, heard) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = writeln!(
                std::io::stderr(),
                "list_flow_operations: error: interrupted while the output was blocked (what was printed is incomplete)"
            );
            let _ = said.send(());
        });
        let _ = tokio::time::timeout(Duration::from_millis(500), heard).await;
    }
    // Else main is printing its own message, and may be stuck doing so.
    std::process::exit(130);
}
