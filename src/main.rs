//! `spikescan`: generate workloads, run the golden models and verify every
//! engine against them (see `spikescan --help`).
//!
//! Exit codes: 0 success; 1 a verification bound was missed or an output
//! could not be written; 2 bad input (usage, a malformed or inconsistent
//! file) — with nothing written.

mod cli;
mod commands;
mod error;
mod output;
mod table;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spikescan: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
