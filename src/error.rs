//! The CLI's error type and its exit codes.

use golden::formats::InputError;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum CliError {
    /// A user's file is malformed or inconsistent (exit 2).
    Input(InputError),
    /// An argument is out of range (exit 2).
    Usage(String),
    /// A verification bound was missed (exit 1).
    Check(String),
    /// An output could not be written (exit 1).
    Write(PathBuf, std::io::Error),
    /// An external tool is missing or failed, or a design does not fit (exit 1).
    Tool(String),
    /// The run was stopped (Ctrl-C) before it finished (exit 130).
    Interrupted(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Usage(_) => 2,
            CliError::Check(_) | CliError::Write(..) | CliError::Tool(_) => 1,
            CliError::Interrupted(_) => 130,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(e) => write!(f, "{e}"),
            CliError::Usage(m) => write!(f, "{m}"),
            CliError::Check(m) => write!(f, "verification failed: {m}"),
            CliError::Write(p, e) => write!(f, "{}: cannot write: {e}", p.display()),
            CliError::Tool(m) => write!(f, "{m}"),
            CliError::Interrupted(m) => write!(f, "interrupted: {m}"),
        }
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e)
    }
}
