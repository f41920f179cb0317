//! Output files are staged in memory and written only once the whole command
//! has succeeded, each through a temporary file renamed into place, so a
//! failed run leaves no partial output that looks complete.

use crate::error::CliError;
use std::path::{Path, PathBuf};

/// Files to write into one output directory.
pub struct Outputs {
    dir: PathBuf,
    files: Vec<(String, Vec<u8>)>,
    stale: Vec<String>,
}

impl Outputs {
    pub fn new(dir: &Path) -> Self {
        Outputs {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            stale: Vec::new(),
        }
    }

    /// Stages one file's contents under `name`.
    pub fn stage(&mut self, name: &str, contents: impl Into<Vec<u8>>) {
        self.files.push((name.to_string(), contents.into()));
    }

    /// Marks a file that an earlier run may have left in the directory and
    /// that must not be there after this one (removed on commit).
    pub fn remove_stale(&mut self, name: &str) {
        self.stale.push(name.to_string());
    }

    /// Writes every staged file: first all temporaries, then the renames;
    /// then removes the stale files.
    pub fn commit(self) -> Result<Vec<PathBuf>, CliError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| CliError::Write(self.dir.clone(), e))?;
        let mut temps = Vec::new();
        for (name, bytes) in &self.files {
            let tmp = self.dir.join(format!(".{name}.partial"));
            std::fs::write(&tmp, bytes).map_err(|e| CliError::Write(tmp.clone(), e))?;
            temps.push((tmp, self.dir.join(name)));
        }
        let mut written = Vec::new();
        for (tmp, path) in temps {
            std::fs::rename(&tmp, &path).map_err(|e| CliError::Write(path.clone(), e))?;
            written.push(path);
        }
        for name in &self.stale {
            let path = self.dir.join(name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| CliError::Write(path.clone(), e))?;
            }
        }
        Ok(written)
    }
}

/// report.json of a run stopped by Ctrl-C: how far it got, marked
/// incomplete. Nothing else is written, and `results` of an earlier run in
/// the directory are removed, so no file can pass for this run's result.
pub fn write_interrupted(
    dir: &Path,
    (done, total, unit): (u64, u64, &'static str),
    results: &[&str],
) -> Result<CliError, CliError> {
    #[derive(serde::Serialize)]
    struct Incomplete {
        complete: bool,
        status: &'static str,
        done: u64,
        total: u64,
        unit: &'static str,
    }
    let report = Incomplete {
        complete: false,
        status: "interrupted",
        done,
        total,
        unit,
    };
    let mut files = Outputs::new(dir);
    let json = serde_json::to_string_pretty(&report).expect("report serializes");
    files.stage("report.json", json + "\n");
    for name in results {
        files.remove_stale(name);
    }
    files.commit()?;
    Ok(CliError::Interrupted(format!(
        "after {done} of {total} {unit}; {} is marked incomplete",
        dir.join("report.json").display()
    )))
}
