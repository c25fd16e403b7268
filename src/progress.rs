//! Progress on standard error for the long commands (an import, a report): a bar of rows read
//! with the rate, or a spinner for work that has no count. Shown only when standard error is a
//! terminal and the work has taken longer than about a second; otherwise nothing is drawn. It
//! does not print results or messages of its own.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Drawn after this long.
const AFTER: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    /// Drawing is possible (a terminal) and not started yet.
    pending: bool,
}

impl Progress {
    /// A bar of `total` rows: "what rows 20480/100000 (51234 rows/s)".
    pub fn rows(total: u64, what: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        Progress {
            bar,
            start: Instant::now(),
            pending: std::io::stderr().is_terminal(),
        }
    }

    /// A spinner with a message, ticking by itself.
    pub fn spinner(what: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(what.to_string());
        let p = Progress {
            bar,
            start: Instant::now(),
            pending: std::io::stderr().is_terminal(),
        };
        if p.pending {
            // The spinner's own thread shows it once the second has passed.
            let bar = p.bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(AFTER);
                if !bar.is_finished() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        p
    }

    /// `n` more rows done.
    pub fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if self.pending && self.start.elapsed() >= AFTER {
            self.pending = false;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Run `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Remove the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
