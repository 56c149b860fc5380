//! Ctrl-C while a write to stdout blocks: a watchdog ends the process with
//! 130 when the listing cannot answer the signal itself.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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
