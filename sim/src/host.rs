//! The host side of the valid/ready streams shared by
//! [`crate::gemm_host`] and [`crate::scan_host`]: loading the buffers over
//! the write stream, waiting for the core, and reading the result back over
//! the read stream. Errors are the message of the driver's `Sim` error.

use crate::clock::Clocked;
use rand::Rng;
use rtl::ssm::gemm_system::GemmSystem;
use rtl::ssm::scan_system::ScanSystem;
use rust_hdl::prelude::*;

/// The stream handshake ports of a system (a GEMM or scan `*System`).
pub trait HostStreams: Block + Default {
    fn clock(&mut self) -> &mut Signal<In, Clock>;
    fn go(&mut self) -> &mut Signal<In, Bit>;
    fn busy(&self) -> bool;
    fn wr_valid(&mut self) -> &mut Signal<In, Bit>;
    fn wr_ready(&self) -> bool;
    fn out_start(&mut self) -> &mut Signal<In, Bit>;
    fn out_ready(&mut self) -> &mut Signal<In, Bit>;
    /// The word on the read stream and whether it is the last, if valid.
    fn out_word(&self) -> Option<(u32, bool)>;
}

macro_rules! host_streams {
    ($system:ident<$($param:ident),*>) => {
        impl<$(const $param: usize),*> HostStreams for $system<$($param),*> {
            fn clock(&mut self) -> &mut Signal<In, Clock> {
                &mut self.clock
            }
            fn go(&mut self) -> &mut Signal<In, Bit> {
                &mut self.go
            }
            fn busy(&self) -> bool {
                self.busy.val()
            }
            fn wr_valid(&mut self) -> &mut Signal<In, Bit> {
                &mut self.wr_valid
            }
            fn wr_ready(&self) -> bool {
                self.wr_ready.val()
            }
            fn out_start(&mut self) -> &mut Signal<In, Bit> {
                &mut self.out_start
            }
            fn out_ready(&mut self) -> &mut Signal<In, Bit> {
                &mut self.out_ready
            }
            fn out_word(&self) -> Option<(u32, bool)> {
                self.out_valid
                    .val()
                    .then(|| (self.out_data.val().to_u32(), self.out_last.val()))
            }
        }
    };
}

host_streams!(GemmSystem<R, C, A>);
host_streams!(ScanSystem<R, C, A, T, S>);

/// A bench around a system in its reset state.
pub fn bench<B: HostStreams>() -> Result<Clocked<B>, String> {
    Clocked::new(B::default(), B::clock)
}

/// Drive one beat per cycle over the write stream (`set` puts a beat on the
/// port); the system must be ready, as it is while idle.
pub fn write_stream<B: HostStreams, T>(
    bench: &mut Clocked<B>,
    beats: impl IntoIterator<Item = T>,
    set: impl Fn(&mut B, T),
) -> Result<(), String> {
    for beat in beats {
        bench.uut.wr_valid().next = true;
        set(&mut bench.uut, beat);
        bench.settle().map_err(|e| e.to_string())?;
        if !bench.uut.wr_ready() {
            return Err("write stream not ready while idle".into());
        }
        bench.tick().map_err(|e| e.to_string())?;
    }
    bench.uut.wr_valid().next = false;
    Ok(())
}

/// Pulse `go` (the caller has set the dimensions), then tick until the core
/// drops `busy`, at most `cycles` more edges; "`what` did not finish"
/// otherwise.
pub fn run_to_idle<B: HostStreams>(
    bench: &mut Clocked<B>,
    cycles: u64,
    what: &str,
) -> Result<(), String> {
    bench.uut.go().next = true;
    bench.settle().map_err(|e| e.to_string())?;
    bench.tick().map_err(|e| e.to_string())?;
    bench.uut.go().next = false;
    let limit = bench.edges + cycles;
    bench.settle().map_err(|e| e.to_string())?;
    while bench.uut.busy() {
        if bench.edges > limit {
            return Err(format!("{what} did not finish"));
        }
        bench.tick().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Pulse `out_start` and read the result back over the read stream, the host
/// accepting a word in a cycle with probability `ready_p` (drawn from `rng`);
/// exactly `words` words must come, the last one flagged.
pub fn read_stream<B: HostStreams>(
    bench: &mut Clocked<B>,
    rng: &mut impl Rng,
    ready_p: f64,
    words: usize,
) -> Result<Vec<u32>, String> {
    let sim_err = |e: crate::clock::NotConverged| e.to_string();
    bench.uut.out_start().next = true;
    bench.settle().map_err(sim_err)?;
    bench.tick().map_err(sim_err)?;
    bench.uut.out_start().next = false;
    let mut out = Vec::with_capacity(words);
    let limit = bench.edges + words as u64 * 300 + 1000;
    loop {
        let ready = rng.gen_bool(ready_p.clamp(0.01, 1.0));
        bench.uut.out_ready().next = ready;
        bench.settle().map_err(sim_err)?;
        if let Some((word, last)) = bench.uut.out_word().filter(|_| ready) {
            out.push(word);
            if last {
                bench.tick().map_err(sim_err)?;
                break;
            }
        }
        if bench.edges > limit {
            return Err("read stream stalled".into());
        }
        bench.tick().map_err(sim_err)?;
    }
    if out.len() != words {
        return Err(format!(
            "read stream returned {} words, expected {words}",
            out.len()
        ));
    }
    Ok(out)
}
