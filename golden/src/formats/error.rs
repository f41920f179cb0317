use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a user's input file: which file, which line (1-based, when
/// one line is at fault) and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl InputError {
    /// An error about the file as a whole (missing, empty, wrong shape).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }

    /// An error about one line of the file.
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for InputError {}
