//! Spike events: CSV with the header `t,neuron`, one spike per row, sorted by
//! time step `t`. Each event keeps the line it came from so later checks
//! (neuron out of range, step past the run) can name it.

use super::matrix::{csv_error, is_comment_or_blank};
use super::InputError;
use serde::Deserialize;
use std::fs::File;
use std::path::{Path, PathBuf};

/// One spike: neuron `neuron` fired (or is driven) at time step `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct Event {
    pub t: u32,
    pub neuron: u32,
}

/// Events read from a file, with the 1-based line of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFile {
    pub path: PathBuf,
    pub events: Vec<Event>,
    pub lines: Vec<usize>,
}

impl EventFile {
    /// Fails on the first event whose neuron is not below `count`.
    pub fn check_neurons(&self, count: usize, what: &str) -> Result<(), InputError> {
        for (e, &line) in self.events.iter().zip(&self.lines) {
            if e.neuron as usize >= count {
                return Err(InputError::at(
                    &self.path,
                    line,
                    format!(
                        "expected a neuron index below {count} ({what}), found {}",
                        e.neuron
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Fails on the first event whose step is not below `steps`.
    pub fn check_steps(&self, steps: usize) -> Result<(), InputError> {
        for (e, &line) in self.events.iter().zip(&self.lines) {
            if e.t as usize >= steps {
                return Err(InputError::at(
                    &self.path,
                    line,
                    format!(
                        "expected a time step below {steps} (the run's steps), found t={}",
                        e.t
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Reads a `t,neuron` event file. Rejects a missing or different header,
/// non-integer or negative fields, events out of time order and duplicate
/// events (a neuron spikes at most once per step).
pub fn read_events(path: &Path) -> Result<EventFile, InputError> {
    let file = File::open(path).map_err(|e| {
        InputError::file(
            path,
            format!("cannot open: {e}; expected a `t,neuron` event CSV"),
        )
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .quoting(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let mut records = reader
        .records()
        .filter(|r| !r.as_ref().is_ok_and(is_comment_or_blank));
    let headers = match records.next() {
        Some(record) => record.map_err(|e| csv_error(path, &e))?,
        None => {
            return Err(InputError::file(
                path,
                "expected the header `t,neuron`, found an empty file",
            ))
        }
    };
    if headers.iter().collect::<Vec<_>>() != ["t", "neuron"] {
        return Err(InputError::at(
            path,
            headers.position().map_or(1, |p| p.line() as usize),
            format!(
                "expected the header `t,neuron`, found `{}`",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    let mut out = EventFile {
        path: path.to_path_buf(),
        events: Vec::new(),
        lines: Vec::new(),
    };
    for record in records {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let event: Event = record.deserialize(Some(&headers)).map_err(|_| {
            InputError::at(
                path,
                line,
                format!(
                    "expected two non-negative integers `t,neuron`, found `{}`",
                    record.iter().collect::<Vec<_>>().join(",")
                ),
            )
        })?;
        if let Some(prev) = out.events.last() {
            if event.t < prev.t {
                return Err(InputError::at(
                    path,
                    line,
                    format!(
                        "expected events sorted by t, found t={} after t={}",
                        event.t, prev.t
                    ),
                ));
            }
            let same_step = out.events.iter().rev().take_while(|e| e.t == event.t);
            if same_step.clone().any(|e| e.neuron == event.neuron) {
                return Err(InputError::at(
                    path,
                    line,
                    format!(
                        "expected at most one spike per neuron and step, found neuron {} twice at t={}",
                        event.neuron, event.t
                    ),
                ));
            }
        }
        out.events.push(event);
        out.lines.push(line);
    }
    Ok(out)
}

/// Events as `t,neuron` CSV text with its header, in the order given.
pub fn events_csv(events: &[Event]) -> String {
    let mut text = String::from("t,neuron\n");
    for e in events {
        text.push_str(&format!("{},{}\n", e.t, e.neuron));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn read_str(text: &str) -> Result<EventFile, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        fs::write(&path, text).unwrap();
        read_events(&path)
    }

    #[test]
    fn reads_sorted_events_with_their_lines() {
        let f = read_str("# input spikes\nt,neuron\n0,3\n# step 0 done\n0,1\n2,0\n").unwrap();
        assert_eq!(f.events[1], Event { t: 0, neuron: 1 });
        assert_eq!(f.lines, vec![3, 5, 6]);
        assert!(f.check_neurons(4, "inputs").is_ok());
        let e = f.check_neurons(3, "inputs").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = f.check_steps(2).unwrap_err();
        assert_eq!(e.line, Some(6));
    }

    #[test]
    fn rejects_unsorted_duplicate_negative_and_headerless() {
        let e = read_str("t,neuron\n3,0\n1,0\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("sorted by t"), "{e}");
        let e = read_str("t,neuron\n1,4\n1,4\n").unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = read_str("t,neuron\n1,-4\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("non-negative integers"), "{e}");
        let e = read_str("0,1\n").unwrap_err();
        assert!(e.message.contains("header"), "{e}");
    }

    #[test]
    fn write_then_read_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        let events = vec![Event { t: 0, neuron: 7 }, Event { t: 5, neuron: 2 }];
        fs::write(&path, events_csv(&events)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "t,neuron\n0,7\n5,2\n");
        assert_eq!(read_events(&path).unwrap().events, events);
    }
}
