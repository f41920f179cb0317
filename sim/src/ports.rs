//! The top-level port tables of the RTL designs that testbenches drive
//! through an [`crate::engine::Engine`]: every port by its Verilog name.
//! The Verilator engine checks each table against the emitted Verilog.

use crate::engine::rust::{HasPorts, PortTable};
use rtl::snn::core::SnnCore;
use rtl::ssm::gemm_system::GemmSystem;
use rtl::ssm::scan_system::ScanSystem;
use rtl::ssm::{GemmCore, ScanCore};
use rust_hdl::prelude::{Bits, Clock, In, Signal};

/// [`HasPorts::clock`] and [`HasPorts::clock_high`] of a design whose clock
/// input is the field `clock`.
macro_rules! clock_field {
    () => {
        fn clock(&mut self) -> &mut Signal<In, Clock> {
            &mut self.clock
        }
        fn clock_high(&self) -> bool {
            self.clock.val().clk
        }
    };
}

/// The accessor of a 48-bit counter output.
type Counter<B> = fn(&B) -> &Signal<rust_hdl::prelude::Out, Bits<48>>;

/// The SSM cores' four performance-counter outputs (see [`crate::counters`]).
fn ssm_counters<B: 'static>(
    table: PortTable<B>,
    [cycles, busy, stall, bubble]: [Counter<B>; 4],
) -> PortTable<B> {
    table
        .output("cycles", cycles)
        .output("busy_pe_cycles", busy)
        .output("stall_cycles", stall)
        .output("bubble_cycles", bubble)
}

impl<const R: usize, const C: usize> HasPorts for GemmCore<R, C> {
    fn design_name() -> String {
        format!("gemm-core-{R}x{C}")
    }
    clock_field!();
    fn port_table() -> PortTable<Self> {
        let table = PortTable::<Self>::default()
            .input("clock", |u| &mut u.clock)
            .input("go", |u| &mut u.go)
            .input("dim_m", |u| &mut u.dim_m)
            .input("dim_k", |u| &mut u.dim_k)
            .input("dim_n", |u| &mut u.dim_n)
            .input("stall", |u| &mut u.stall)
            .output("a_rd_en", |u| &u.a_rd_en)
            .output("a_rd_m", |u| &u.a_rd_m)
            .output("a_rd_k0", |u| &u.a_rd_k0)
            .inputs("a_rd_data", R, |u, i| &mut u.a_rd_data[i])
            .output("b_rd_en", |u| &u.b_rd_en)
            .output("b_rd_k", |u| &u.b_rd_k)
            .output("b_rd_n0", |u| &u.b_rd_n0)
            .inputs("b_rd_data", C, |u, i| &mut u.b_rd_data[i])
            .output("c_rd_en", |u| &u.c_rd_en)
            .output("c_rd_m", |u| &u.c_rd_m)
            .output("c_rd_n0", |u| &u.c_rd_n0)
            .inputs("c_rd_data", C, |u, i| &mut u.c_rd_data[i])
            .output("c_wr_en", |u| &u.c_wr_en)
            .output("c_wr_m", |u| &u.c_wr_m)
            .output("c_wr_n0", |u| &u.c_wr_n0)
            .outputs("c_wr_data", C, |u, i| &u.c_wr_data[i])
            .output("busy", |u| &u.busy);
        ssm_counters(
            table,
            [
                |u| &u.cycles,
                |u| &u.busy_pe_cycles,
                |u| &u.stall_cycles,
                |u| &u.bubble_cycles,
            ],
        )
    }
}

impl<const A: usize, const SPRAM: bool> HasPorts for SnnCore<A, SPRAM> {
    fn design_name() -> String {
        format!("snn-core-a{A}{}", if SPRAM { "-spram" } else { "" })
    }
    clock_field!();
    fn fresh() -> Self {
        Self::new()
    }
    fn port_table() -> PortTable<Self> {
        PortTable::<Self>::default()
            .input("clock", |u| &mut u.clock)
            .input("cfg_write", |u| &mut u.cfg_write)
            .input("cfg_addr", |u| &mut u.cfg_addr)
            .input("cfg_data", |u| &mut u.cfg_data)
            .input("dbg_neuron", |u| &mut u.dbg_neuron)
            .output("dbg_state", |u| &u.dbg_state)
            .input("aer_in_req", |u| &mut u.aer_in_req)
            .input("aer_in_data", |u| &mut u.aer_in_data)
            .output("aer_in_ack", |u| &u.aer_in_ack)
            .output("aer_out_req", |u| &u.aer_out_req)
            .output("aer_out_data", |u| &u.aer_out_data)
            .input("aer_out_ack", |u| &mut u.aer_out_ack)
            .input("tick", |u| &mut u.tick)
            .output("step_done", |u| &u.step_done)
            .output("overrun", |u| &u.overrun)
            .output("sops", |u| &u.sops)
            .output("neuron_updates", |u| &u.neuron_updates)
            .output("skipped_neurons", |u| &u.skipped_neurons)
            .output("busy_cycles", |u| &u.busy_cycles)
            .output("stall_cycles", |u| &u.stall_cycles)
            .output("accumulate_cycles", |u| &u.accumulate_cycles)
            .output("last_step_cycles", |u| &u.last_step_cycles)
            .output("steps", |u| &u.steps)
            .output("events_in", |u| &u.events_in)
            .output("events_processed", |u| &u.events_processed)
            .output("events_out", |u| &u.events_out)
            .output("events_sent", |u| &u.events_sent)
    }
}

impl<const R: usize, const C: usize> HasPorts for ScanCore<R, C> {
    fn design_name() -> String {
        format!("scan-core-{R}x{C}")
    }
    clock_field!();
    fn port_table() -> PortTable<Self> {
        let table = PortTable::<Self>::default()
            .input("clock", |u| &mut u.clock)
            .input("go", |u| &mut u.go)
            .input("dim_l", |u| &mut u.dim_l)
            .input("dim_d", |u| &mut u.dim_d)
            .input("dim_n", |u| &mut u.dim_n)
            .input("softplus", |u| &mut u.softplus)
            .input("gate", |u| &mut u.gate)
            .input("resume", |u| &mut u.resume)
            .input("stall", |u| &mut u.stall)
            .output("rd_en", |u| &u.rd_en)
            .output("rd_t", |u| &u.rd_t)
            .output("rd_d0", |u| &u.rd_d0)
            .inputs("u_data", R, |u, i| &mut u.u_data[i])
            .inputs("delta_data", R, |u, i| &mut u.delta_data[i])
            .inputs("z_data", R, |u, i| &mut u.z_data[i])
            .inputs("bias_data", R, |u, i| &mut u.bias_data[i])
            .inputs("skip_data", R, |u, i| &mut u.skip_data[i])
            .output("bc_rd_en", |u| &u.bc_rd_en)
            .output("bc_rd_t", |u| &u.bc_rd_t)
            .output("bc_rd_n0", |u| &u.bc_rd_n0)
            .inputs("b_data", C, |u, i| &mut u.b_data[i])
            .inputs("c_data", C, |u, i| &mut u.c_data[i])
            .output("a2_rd_en", |u| &u.a2_rd_en)
            .output("a2_rd_d", |u| &u.a2_rd_d)
            .output("a2_rd_n0", |u| &u.a2_rd_n0)
            .inputs("a2_data", C, |u, i| &mut u.a2_data[i])
            .inputs("h0_data", C, |u, i| &mut u.h0_data[i])
            .outputs("st_wr_en", C, |u, i| &u.st_wr_en[i])
            .outputs("st_wr_d", C, |u, i| &u.st_wr_d[i])
            .outputs("st_wr_n0", C, |u, i| &u.st_wr_n0[i])
            .outputs("st_wr_data", C, |u, i| &u.st_wr_data[i])
            .outputs("acc_rd_en", R, |u, i| &u.acc_rd_en[i])
            .outputs("acc_rd_t", R, |u, i| &u.acc_rd_t[i])
            .outputs("acc_rd_d0", R, |u, i| &u.acc_rd_d0[i])
            .inputs("acc_rd_data", R, |u, i| &mut u.acc_rd_data[i])
            .outputs("acc_wr_en", R, |u, i| &u.acc_wr_en[i])
            .outputs("acc_wr_t", R, |u, i| &u.acc_wr_t[i])
            .outputs("acc_wr_d0", R, |u, i| &u.acc_wr_d0[i])
            .outputs("acc_wr_data", R, |u, i| &u.acc_wr_data[i])
            .outputs("y_wr_en", R, |u, i| &u.y_wr_en[i])
            .outputs("y_wr_t", R, |u, i| &u.y_wr_t[i])
            .outputs("y_wr_d0", R, |u, i| &u.y_wr_d0[i])
            .outputs("y_wr_data", R, |u, i| &u.y_wr_data[i])
            .output("busy", |u| &u.busy);
        ssm_counters(
            table,
            [
                |u| &u.cycles,
                |u| &u.busy_pe_cycles,
                |u| &u.stall_cycles,
                |u| &u.bubble_cycles,
            ],
        )
    }
}

/// The host streams and counters that both `*System`s have.
macro_rules! system_streams {
    ($table:expr) => {
        ssm_counters(
            $table
                .input("clock", |u| &mut u.clock)
                .input("wr_valid", |u| &mut u.wr_valid)
                .output("wr_ready", |u| &u.wr_ready)
                .input("wr_buf", |u| &mut u.wr_buf)
                .input("wr_bank", |u| &mut u.wr_bank)
                .input("wr_addr", |u| &mut u.wr_addr)
                .input("wr_data", |u| &mut u.wr_data)
                .input("go", |u| &mut u.go)
                .input("out_start", |u| &mut u.out_start)
                .output("out_valid", |u| &u.out_valid)
                .input("out_ready", |u| &mut u.out_ready)
                .output("out_data", |u| &u.out_data)
                .output("out_last", |u| &u.out_last)
                .output("busy", |u| &u.busy),
            [
                |u| &u.cycles,
                |u| &u.busy_pe_cycles,
                |u| &u.stall_cycles,
                |u| &u.bubble_cycles,
            ],
        )
    };
}

impl<const R: usize, const C: usize, const A: usize, const F: usize> HasPorts
    for GemmSystem<R, C, A, F>
{
    fn design_name() -> String {
        format!("gemm-system-{R}x{C}-a{A}-f{F}")
    }
    clock_field!();
    fn port_table() -> PortTable<Self> {
        system_streams!(PortTable::<Self>::default())
            .input("dim_m", |u| &mut u.dim_m)
            .input("dim_k", |u| &mut u.dim_k)
            .input("dim_n", |u| &mut u.dim_n)
    }
}

impl<const R: usize, const C: usize, const A: usize, const T: usize, const S: usize> HasPorts
    for ScanSystem<R, C, A, T, S>
{
    fn design_name() -> String {
        format!("scan-system-{R}x{C}-a{A}-t{T}-s{S}")
    }
    clock_field!();
    fn port_table() -> PortTable<Self> {
        system_streams!(PortTable::<Self>::default())
            .input("dim_l", |u| &mut u.dim_l)
            .input("dim_d", |u| &mut u.dim_d)
            .input("dim_n", |u| &mut u.dim_n)
            .input("softplus", |u| &mut u.softplus)
            .input("gate", |u| &mut u.gate)
            .input("resume", |u| &mut u.resume)
            .input("out_state", |u| &mut u.out_state)
    }
}
