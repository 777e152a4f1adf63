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
        let now = Instant::now();
        self.stages.push(Stage {
            name: name.to_string(),
            wall: now - self.last,
            cpu: None,
            peak_rss_kib: peak_rss_kib(),
        });
        self.last = Instant::now();
    }

    /// Adds a stage measured elsewhere (CPU time summed over the threads that ran it).
    pub fn add_cpu(&mut self, name: &str, cpu: Duration) {
        self.stages.push(Stage {
            name: name.to_string(),
            wall: Duration::ZERO,
            cpu: Some(cpu),
            peak_rss_kib: None,
        });
    }
}

/// The peak resident set size of this process so far, in KiB (Linux: `VmHWM`).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The stages as a table for a terminal.
pub fn table(stages: &[Stage]) -> String {
    let mut out = format!(
        "{:<28} {:>9} {:>9} {:>10}\n",
        "stage", "wall ms", "cpu ms", "peak MiB"
    );
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    for s in stages {
        let wall = if s.cpu.is_some() && s.wall.is_zero() {
            "-".to_string()
        } else {
            ms(s.wall)
        };
        out.push_str(&format!(
            "{:<28} {:>9} {:>9} {:>10}\n",
            s.name,
            wall,
            s.cpu.map(ms).unwrap_or_else(|| "-".into()),
            s.peak_rss_kib
                .map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into())
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
            assert!(w.stages[0].peak_rss_kib.is_some_and(|k| k > 0));
        }
    }
}
