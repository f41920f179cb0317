//! `spikescan`: the command-line front end (see `spikescan --help`).

fn main() {}
