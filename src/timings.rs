//! Where a run spends its time and memory, stage by stage, for `check --timings` and
//! `scripts/bench.sh`: the profile, not guesses, picks what to make faster.
//!
//! A stage that runs on several threads at once (the rule families) has CPU time as
//! well: the sum over threads, which says what the stage costs when the wall time of
//! parallel work hides it.

use std::time::{Duration, Instant};

/// One stage of a run.
#[derive(Clone, Debug)]
pub struct Stage {
    pub name: String,
    pub wall: Duration,
    /// CPU time summed over threads, where the stage measures it.
    pub cpu: Option<Duration>,
    /// The process's peak resident set size when the stage ended (KiB), where the
    /// system tells it.
    pub peak_rss_kib: Option<u64>,
    /// The resident set size when the stage ended (KiB): what the stage left behind,
    /// where the peak says only the most it ever held.
    pub rss_kib: Option<u64>,
}

impl Stage {
    /// A stage that took `wall` and ends now, with the memory figures of this moment.
    pub fn ended(name: &str, wall: Duration) -> Stage {
        // Both figures from one reading, so the peak is never below the current size.
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        Stage {
            name: name.to_string(),
            wall,
            cpu: None,
            peak_rss_kib: status_kib(&status, "VmHWM:"),
            rss_kib: status_kib(&status, "VmRSS:"),
        }
    }
}

/// Laps stages one after the other.
pub struct Stopwatch {
    last: Instant,
    pub stages: Vec<Stage>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::new()
    }
}

impl Stopwatch {
    pub fn new() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the stage `name`, begun at the previous lap.
    pub fn lap(&mut self, name: &str) {
        self.stages.push(Stage::ended(name, self.last.elapsed()));
        self.last = Instant::now();
    }

    /// Adds a stage measured elsewhere (CPU time summed over the threads that ran it).
    pub fn add_cpu(&mut self, name: &str, cpu: Duration) {
        self.stages.push(Stage {
            name: name.to_string(),
            wall: Duration::ZERO,
            cpu: Some(cpu),
            peak_rss_kib: None,
            rss_kib: None,
        });
    }
}

/// A figure in KiB from the text of `/proc/self/status` (Linux only).
fn status_kib(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The stages as a table for a terminal.
pub fn table(stages: &[Stage]) -> String {
    let mut out = format!(
        "{:<28} {:>9} {:>9} {:>10} {:>10}\n",
        "stage", "wall ms", "cpu ms", "peak MiB", "rss MiB"
    );
    let mib = |k: Option<u64>| {
        k.map(|k| format!("{:.1}", k as f64 / 1024.0))
            .unwrap_or_else(|| "-".into())
    };
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    for s in stages {
        let wall = if s.cpu.is_some() && s.wall.is_zero() {
            "-".to_string()
        } else {
            ms(s.wall)
        };
        out.push_str(&format!(
            "{:<28} {:>9} {:>9} {:>10} {:>10}\n",
            s.name,
            wall,
            s.cpu.map(ms).unwrap_or_else(|| "-".into()),
            mib(s.peak_rss_kib),
            mib(s.rss_kib),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_follow_each_other_and_the_table_lists_them() {
        let mut w = Stopwatch::new();
        std::thread::sleep(Duration::from_millis(5));
        w.lap("first");
        w.lap("second");
        w.add_cpu("rules: ZONE", Duration::from_millis(12));
        assert!(w.stages[0].wall >= Duration::from_millis(5));
        assert!(w.stages[1].wall < w.stages[0].wall);
        let t = table(&w.stages);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("first") && lines[3].starts_with("rules: ZONE"));
        assert!(lines[3].contains("12.0"), "{}", lines[3]);
        if cfg!(target_os = "linux") {
            assert!(w.stages[0].peak_rss_kib.is_some_and(|k| k > 1024));
            // A running process holds more than a mebibyte (its code, its stack).
            assert!(w.stages[0].rss_kib.is_some_and(|k| k > 1024));
            assert!(w.stages[0].rss_kib <= w.stages[0].peak_rss_kib);
        }
    }
}
