//! Scan runs through the host interface of [`rtl::ssm::scan_system::ScanSystem`]:
//! every operand word goes in over the valid/ready write stream into the
//! block-RAM buffers, the core runs on its own buffers, and y comes back
//! over the valid/ready read stream — the path a host (DMA, soft CPU) uses.
//! [`crate::scan::run_scan`] serves the core's buffer ports directly instead;
//! both must give the same y and the same core cycle count.

use crate::clock::Clocked;
use crate::counters::HasCounters as _;
use crate::host;
use crate::scan::{ScanError, ScanRun};
use golden::ssm::fixed::FixedScanInputs;
use rtl::ssm::scan_system::ScanSystem;
use rtl::ssm::ScanArray;
use rust_hdl::prelude::*;
use std::time::Instant;

/// Address bits per buffer bank: 8192 words (the default workload's
/// L·⌈D/R⌉ on 4×4).
pub const HOST_BANK_ADDR_BITS: usize = 13;

/// Scan array shapes compiled with the host interface.
pub const SUPPORTED_HOST_ARRAYS: &[(usize, usize)] = &[(4, 4), (3, 2)];

/// One write-stream beat: (buffer id, bank, address, data).
pub type Beat = (u64, u64, u64, u64);

/// The write stream that loads `x` into the buffers of an R×C system
/// (zero-padded tiles): (buffer id, bank, address, data) beats.
pub fn load_beats(x: &FixedScanInputs, r: usize, c: usize) -> Vec<Beat> {
    let (l, d, n) = (x.l, x.d, x.n);
    let (dt, nt) = (d.div_ceil(r), n.div_ceil(c));
    let w16 = |v: i64| (v as u64) & 0xFFFF;
    let mut beats = Vec::new();
    for t in 0..l {
        for ch in 0..dt * r {
            let at = |m: &[i64]| if ch < d { w16(m[t * d + ch]) } else { 0 };
            let z = x.z.as_ref().map_or(0, |z| at(z));
            let word = at(&x.u) | (at(&x.delta) << 16) | (z << 32);
            beats.push((0, (ch % r) as u64, (t * dt + ch / r) as u64, word));
        }
        for s in 0..nt * c {
            let at = |m: &[i64]| if s < n { w16(m[t * n + s]) } else { 0 };
            beats.push((
                2,
                (s % c) as u64,
                (t * nt + s / c) as u64,
                at(&x.b) | (at(&x.c) << 16),
            ));
        }
    }
    for ch in 0..dt * r {
        let at = |m: &[i64]| if ch < d { w16(m[ch]) } else { 0 };
        beats.push((
            1,
            (ch % r) as u64,
            (ch / r) as u64,
            at(&x.delta_bias) | (at(&x.skip) << 16),
        ));
        for s in 0..nt * c {
            let a2 = if ch < d && s < n {
                w16(x.a2[ch * n + s])
            } else {
                0
            };
            beats.push((3, (s % c) as u64, (ch * nt + s / c) as u64, a2));
        }
    }
    beats
}

/// The scan through the host interface with the array `(R, C)`. `ready_p`
/// is the probability that the host accepts an output word in a cycle
/// (back-pressure on the read stream); `seed` its pattern.
pub fn run_scan_hosted(
    x: &FixedScanInputs,
    array: (usize, usize),
    ready_p: f64,
    seed: u64,
) -> Result<ScanRun, ScanError> {
    match array {
        (4, 4) => hosted::<4, 4>(x, ready_p, seed),
        (3, 2) => hosted::<3, 2>(x, ready_p, seed),
        (rows, cols) => Err(ScanError::UnsupportedArray { rows, cols }),
    }
}

fn bits_of<const N: usize>(v: u64) -> Bits<N> {
    v.into()
}

fn hosted<const R: usize, const C: usize>(
    x: &FixedScanInputs,
    ready_p: f64,
    seed: u64,
) -> Result<ScanRun, ScanError> {
    let (l, d, n) = (x.l, x.d, x.n);
    let (dt, nt) = (d.div_ceil(R), n.div_ceil(C));
    let words = 1usize << HOST_BANK_ADDR_BITS;
    if l * dt > words || l * nt > words || d * nt > words || l > 32767 || d > 32767 || n > 32767 {
        return Err(ScanError::Shape(format!(
            "L={l} D={d} N={n} needs more than {words} words per buffer bank on {R}x{C}"
        )));
    }
    let mut rng = golden::rng::seeded(seed);
    let started = Instant::now();
    let mut bench: Clocked<ScanSystem<R, C, HOST_BANK_ADDR_BITS>> =
        host::bench().map_err(ScanError::Sim)?;
    // Load: one beat per cycle while the system is ready.
    host::write_stream(
        &mut bench,
        load_beats(x, R, C),
        |u, (buf, bank, addr, data)| {
            u.wr_buf.next = bits_of(buf);
            u.wr_bank.next = bits_of(bank);
            u.wr_addr.next = bits_of(addr);
            u.wr_data.next = bits_of(data);
        },
    )
    .map_err(ScanError::Sim)?;
    // Run.
    {
        let u = &mut bench.uut;
        u.dim_l.next = bits_of(l as u64);
        u.dim_d.next = bits_of(d as u64);
        u.dim_n.next = bits_of(n as u64);
        u.dim_dt.next = bits_of(dt as u64);
        u.dim_nt.next = bits_of(nt as u64);
        u.softplus.next = x.delta_softplus;
        u.gate.next = x.z.is_some();
    }
    let cfg = ScanArray::new(R, C);
    let expected = cfg.cycles(l, d, n);
    host::run_to_idle(&mut bench, 4 * expected + 1000, "scan").map_err(ScanError::Sim)?;
    // Read y back over the output stream.
    let y = host::read_stream(&mut bench, &mut rng, ready_p, l * d)
        .map_err(ScanError::Sim)?
        .into_iter()
        .map(|w| i64::from(w as i32))
        .collect();
    Ok(ScanRun::finish(
        (l, d, n),
        l,
        cfg,
        (y, Vec::new()),
        bench.uut.counters(),
        (started.elapsed().as_secs_f64(), bench.edges),
    ))
}
