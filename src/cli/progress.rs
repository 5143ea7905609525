//! The progress indicator of a long run: a spinner on stderr, shown only when stderr is a
//! terminal outside CI and the run has taken [`DELAY`] already. Otherwise nothing is started
//! at all (no thread, no timer), so piped and CI runs pay nothing for it.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes before the spinner appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// A running indicator; [`Progress::finish`] (or dropping it) clears it.
pub struct Progress {
    done: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator for `what` ("checking"), if `enabled`.
    pub fn start(enabled: bool, what: &'static str) -> Progress {
        if !enabled {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                if wait.recv_timeout(DELAY) != Err(mpsc::RecvTimeoutError::Timeout) {
                    return;
                }
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                bar.set_message(what);
                bar.enable_steady_tick(Duration::from_millis(100));
                // Until the run is done (a message, or the sender dropped).
                let _ = wait.recv();
                bar.finish_and_clear();
            })
            .ok();
        Progress {
            done: Some(done),
            thread,
        }
    }

    /// Whether a spinner may be shown: stderr is a terminal and the run is not in CI.
    pub fn wanted(lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal() && !super::env::in_ci(lookup)
    }

    /// Stops and clears the indicator, before anything else is printed.
    pub fn finish(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
