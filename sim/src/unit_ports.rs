//! Port tables of the scan array's arithmetic units
//! (`rtl::ssm::scan_units`) and of the DSP products of the GEMM PE and
//! sequencer (`rtl::common::dsp::DspProduct`), so that each unit runs alone
//! on every engine:
//! its Rust model against `golden::ssm::fixed` on the rust engine, and its
//! hand-written Verilog against the model in lockstep
//! (`sim/tests/scan_units.rs`).

use crate::engine::rust::{HasPorts, PortTable};
use rtl::common::dsp::DspProduct;
use rtl::ssm::scan_units::ch_mac::ChMac;
use rtl::ssm::scan_units::dbu::DbuUnit;
use rtl::ssm::scan_units::exp2neg::Exp2NegUnit;
use rtl::ssm::scan_units::row_head_terms::{DeltaUUnit, SkipTerm};
use rtl::ssm::scan_units::silu::SiluUnit;
use rtl::ssm::scan_units::softplus::SoftplusUnit;
use rtl::ssm::scan_units::state_ring::StateRing;
use rtl::ssm::scan_units::y_finish::YFinish;
use rust_hdl::prelude::{Clock, In, Signal};

/// A unit's `HasPorts`: its name, clock field and port list.
macro_rules! unit_ports {
    ($ty:ty, $name:literal, [$($input:ident),*], [$($output:ident),*]) => {
        impl HasPorts for $ty {
            fn design_name() -> String {
                $name.into()
            }
            fn clock(&mut self) -> &mut Signal<In, Clock> {
                &mut self.clock
            }
            fn clock_high(&self) -> bool {
                self.clock.val().clk
            }
            fn port_table() -> PortTable<Self> {
                PortTable::<Self>::default()
                    .input("clock", |u| &mut u.clock)
                    $(.input(stringify!($input), |u| &mut u.$input))*
                    $(.output(stringify!($output), |u| &u.$output))*
            }
        }
    };
}

unit_ports!(Exp2NegUnit, "scan-unit-exp2neg", [dlt, a2], [da]);
unit_ports!(DbuUnit, "scan-unit-dbu", [du, b], [dbu]);
unit_ports!(
    StateRing,
    "scan-unit-state-ring",
    [valid, first, h0, da, dbu],
    [h]
);
unit_ports!(ChMac, "scan-unit-ch-mac", [c, h, psum_in], [psum_out]);
unit_ports!(SoftplusUnit, "scan-unit-softplus", [en, delta, bias], [dlt]);
unit_ports!(SiluUnit, "scan-unit-silu", [z], [silu]);
unit_ports!(DeltaUUnit, "scan-unit-delta-u", [dlt, u], [du]);
unit_ports!(SkipTerm, "scan-unit-skip", [en, skip, u], [psum0]);
unit_ports!(
    YFinish,
    "scan-unit-y-finish",
    [gate, nfirst, psum, acc_word, silu],
    [acc, y]
);
unit_ports!(DspProduct<8, 8, 16, true>, "dsp-product-s8", [a, b], [p]);
unit_ports!(DspProduct<16, 16, 32, false>, "dsp-product-u16", [a, b], [p]);
