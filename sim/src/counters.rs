//! The hardware performance counters that every SSM core and system exposes
//! (`cycles`, `busy_pe_cycles`, `stall_cycles`, `bubble_cycles`), read in one go.

use rtl::ssm::gemm_system::GemmSystem;
use rtl::ssm::scan_system::ScanSystem;
use rtl::ssm::{GemmCore, ScanCore};

/// The four counters, as read at the end of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counters {
    pub cycles: u64,
    pub busy_pe_cycles: u64,
    pub stall_cycles: u64,
    pub bubble_cycles: u64,
}

/// A circuit with the four counter outputs.
pub trait HasCounters {
    fn counters(&self) -> Counters;
}

macro_rules! has_counters {
    ($([$($generics:tt)*] $circuit:ty),* $(,)?) => {$(
        impl<$($generics)*> HasCounters for $circuit {
            fn counters(&self) -> Counters {
                Counters {
                    cycles: self.cycles.val().to_u64(),
                    busy_pe_cycles: self.busy_pe_cycles.val().to_u64(),
                    stall_cycles: self.stall_cycles.val().to_u64(),
                    bubble_cycles: self.bubble_cycles.val().to_u64(),
                }
            }
        }
    )*};
}

has_counters!(
    [const R: usize, const C: usize] GemmCore<R, C>,
    [const R: usize, const C: usize] ScanCore<R, C>,
    [const R: usize, const C: usize, const A: usize] GemmSystem<R, C, A>,
    [const R: usize, const C: usize, const A: usize] ScanSystem<R, C, A>,
);
