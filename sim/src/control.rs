//! Control of long runs: progress reports and a clean stop.
//!
//! Drivers call [`checkpoint`] every [`CHECKPOINT_CYCLES`] simulated cycles.
//! It reports progress to the sink a front end installed ([`set_progress`];
//! none by default, so library users and tests stay quiet) and returns
//! [`Stopped`] once a stop was requested ([`request_stop`], e.g. from a
//! Ctrl-C handler), so the run ends with an error that carries how far it
//! got instead of a result that looks complete.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Cycles between checkpoints.
pub const CHECKPOINT_CYCLES: u64 = 4096;

/// How far a run is.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Work done so far, in `unit`s (simulated cycles, algorithmic steps).
    pub cycles: u64,
    /// The whole run in `unit`s (the closed form; an estimate under back-pressure).
    pub expected: u64,
    /// What is counted: `cycles` or `steps`.
    pub unit: &'static str,
    /// Wall-clock start of the run.
    pub started: Instant,
}

/// A stop was requested; the run ended after `cycles` cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub cycles: u64,
}

type Sink = Box<dyn Fn(&Progress) + Send>;

static STOP: AtomicBool = AtomicBool::new(false);
static SINK: Mutex<Option<Sink>> = Mutex::new(None);

/// Ask every running driver to stop at its next checkpoint.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Whether a stop was requested.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Send progress to `sink` (replacing any earlier one).
pub fn set_progress(sink: impl Fn(&Progress) + Send + 'static) {
    *SINK.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(sink));
}

/// Called by drivers every [`CHECKPOINT_CYCLES`]: report, and stop if asked.
pub fn checkpoint(progress: &Progress) -> Result<(), Stopped> {
    if let Some(sink) = SINK.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        sink(progress);
    }
    if stop_requested() {
        return Err(Stopped {
            cycles: progress.cycles,
        });
    }
    Ok(())
}

/// [`checkpoint`] for a driver counting clock cycles: only every
/// [`CHECKPOINT_CYCLES`]-th cycle reports and checks for a stop.
pub fn cycle_checkpoint(cycles: u64, expected: u64, started: Instant) -> Result<(), Stopped> {
    if !cycles.is_multiple_of(CHECKPOINT_CYCLES) {
        return Ok(());
    }
    checkpoint(&Progress {
        cycles,
        expected,
        unit: "cycles",
        started,
    })
}

/// A one-line progress bar: `[#####-----]  52%  1.23 M cycles/s  ETA 14 s`.
pub fn bar(p: &Progress) -> String {
    const WIDTH: usize = 24;
    let frac = (p.cycles as f64 / p.expected.max(1) as f64).min(1.0);
    let done = (frac * WIDTH as f64).round() as usize;
    let secs = p.started.elapsed().as_secs_f64().max(1e-9);
    let speed = p.cycles as f64 / secs;
    let eta = (p.expected.saturating_sub(p.cycles)) as f64 / speed.max(1e-9);
    let (scaled, prefix) = match speed {
        s if s >= 1e6 => (s / 1e6, " M"),
        s if s >= 1e3 => (s / 1e3, " k"),
        s => (s, ""),
    };
    format!(
        "[{}{}] {:3.0}%  {scaled:.2}{prefix} {}/s  ETA {:.0} s",
        "#".repeat(done),
        "-".repeat(WIDTH - done),
        frac * 100.0,
        p.unit,
        eta
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_shows_the_fraction_done() {
        let p = Progress {
            cycles: 50,
            expected: 100,
            unit: "cycles",
            started: Instant::now(),
        };
        let b = bar(&p);
        assert!(b.starts_with("[############------------]  50%"), "{b}");
        assert!(b.contains("cycles/s") && b.contains("ETA"), "{b}");
        let over = bar(&Progress { cycles: 150, ..p });
        assert!(over.contains("100%"), "{over}");
    }
}
