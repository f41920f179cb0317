//! The event-driven LIF core: synapse, accumulator, state and active-bitmap
//! block RAMs, the accumulate and update phases, the step barrier, AER in/out
//! and the performance counters. Sizes and the configuration map are in
//! [`super::config`].
//!
//! A time step, in the core clock domain:
//!
//! 1. **Accumulate.** Input events (from the AER FIFO, also while waiting for
//!    the tick) and, after the tick, the previous step's spikes (recurrent
//!    events, from the spike list) each stream their synapse row: one 32-bit
//!    word = four int8 synapses per cycle, added into four 18-bit
//!    accumulator banks (neuron j in bank j mod 4, word j / 4) through a
//!    read → add → write pipeline. One cycle per event fetches its row.
//! 2. **Update**, after the tick and the last event: the active bitmap (one
//!    32-bit word per group of 32 neurons) names the neurons whose state is
//!    non-zero. A group is visited in full if the bias is non-zero or a
//!    non-zero synapse word of the step reached it (32 "touched" flip-flops,
//!    one per group, set by the accumulate pipeline); otherwise only its set
//!    bits are. Every other neuron has u = v = 0, zero bias and zero input,
//!    so it is skippable in the sense of
//!    `golden::snn::fixed::is_skippable` and stays zero. An empty group costs
//!    one cycle; a visited neuron one cycle (state and accumulator read,
//!    [`LifDatapath`], write-back; the accumulator is cleared for the next
//!    step). Spikes go to the AER output FIFO and, with recurrence, to the
//!    spike list (next step's recurrent events: the one-step delay).
//! 3. **Barrier.** When every spike has been acknowledged by the AER receiver,
//!    `step_done` toggles and the core waits for the next tick.
//!
//! Host protocol: send step t's input events, toggle `tick`, and send no
//! event of step t + 1 before `step_done` has toggled (events that arrive
//! between the tick and the end of the accumulate phase would count for
//! step t). Configuration and debug reads are synchronous to the core clock
//! and are only valid while the core is idle.
//!
//! `tick` and `step_done` are toggle (two-phase) signals: each transition is
//! one tick / one completed step. `tick` crosses two flip-flops. A tick that
//! arrives while a step is in progress sets the sticky `overrun` flag and is
//! dropped.
//!
//! Counters (32-bit, wrapping): `sops` (4 per synapse word streamed),
//! `neuron_updates`, `skipped_neurons`, `busy_cycles` (cycles not idle),
//! `stall_cycles` (update finished, waiting for the AER output to drain),
//! `accumulate_cycles` (cycles fetching events and streaming rows),
//! `last_step_cycles` (busy cycles of the last completed step), `steps`,
//! `events_in` (accepted by AER in), `events_processed` (input rows
//! streamed), `events_out` (spikes queued), `events_sent` (acknowledged).

use super::aer_receiver::AerReceiver;
use super::aer_transmitter::AerTransmitter;
use super::lif_datapath::LifDatapath;
use super::synapse_memory::SynapseMemory;
use rust_hdl::prelude::*;

#[derive(Copy, Clone, Debug, PartialEq, LogicState)]
pub enum CoreState {
    /// At the barrier; input events are accumulated as they arrive.
    Idle,
    /// Picks the next event: the AER FIFO first, then (after the tick) the
    /// spike list, then the update phase.
    Fetch,
    /// Spike-list read in flight.
    FetchRecurrent,
    /// Streams one synapse row, one word per cycle.
    Row,
    /// Reads the first bitmap word.
    UpdateStart,
    /// Bitmap word of the current group available: visit or skip the group.
    UpdateGroup,
    /// Issues one neuron per cycle.
    UpdateNeuron,
    /// Writes the group's new bitmap word back.
    UpdateWriteBack,
    /// Lets the last spike reach the output FIFO.
    UpdateEnd,
    /// Waits for every spike to be acknowledged, then signals the step.
    WaitOutput,
}

/// The core for the ECP5 target (and the one the simulator runs): 2^16
/// synapse words (256 k synapses, 2 Mbit, 128 DP16KD) in inferred block RAM.
pub type SnnCoreEcp5 = SnnCore<{ super::config::SYNAPSE_ADDR_BITS }, false>;
/// The core for the iCE40 UP5K: 2^14 synapse words (64 k synapses,
/// 512 kbit) in two of the four SB_SPRAM256KA, enough for the default
/// 256 → 256 layer.
pub type SnnCoreUp5k = SnnCore<{ super::config::UP5K_SYNAPSE_ADDR_BITS }, true>;

/// The core; `SYNAPSE_ADDR_BITS` (≤ 16) sizes the synapse memory at
/// 2^SYNAPSE_ADDR_BITS words of four int8 synapses; `SPRAM` puts it in
/// iCE40 SPRAM (see [`SynapseMemory`]; then SYNAPSE_ADDR_BITS ≤ 14).
#[derive(LogicBlock, Default)]
pub struct SnnCore<const SYNAPSE_ADDR_BITS: usize, const SPRAM: bool> {
    pub clock: Signal<In, Clock>,
    // Configuration port (core clock domain).
    pub cfg_write: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<18>>,
    pub cfg_data: Signal<In, Bits<32>>,
    /// Debug read port: the state word of neuron `dbg_neuron` (layout in
    /// [`super::config`]) one cycle later, valid while the core is idle.
    pub dbg_neuron: Signal<In, Bits<10>>,
    pub dbg_state: Signal<Out, Bits<49>>,
    // AER input.
    pub aer_in_req: Signal<In, Bit>,
    pub aer_in_data: Signal<In, Bits<10>>,
    pub aer_in_ack: Signal<Out, Bit>,
    // AER output.
    pub aer_out_req: Signal<Out, Bit>,
    pub aer_out_data: Signal<Out, Bits<10>>,
    pub aer_out_ack: Signal<In, Bit>,
    // Step barrier.
    pub tick: Signal<In, Bit>,
    pub step_done: Signal<Out, Bit>,
    pub overrun: Signal<Out, Bit>,
    // Counters.
    pub sops: Signal<Out, Bits<32>>,
    pub neuron_updates: Signal<Out, Bits<32>>,
    pub skipped_neurons: Signal<Out, Bits<32>>,
    pub busy_cycles: Signal<Out, Bits<32>>,
    pub stall_cycles: Signal<Out, Bits<32>>,
    pub accumulate_cycles: Signal<Out, Bits<32>>,
    pub last_step_cycles: Signal<Out, Bits<32>>,
    pub steps: Signal<Out, Bits<32>>,
    pub events_in: Signal<Out, Bits<32>>,
    pub events_processed: Signal<Out, Bits<32>>,
    pub events_out: Signal<Out, Bits<32>>,
    pub events_sent: Signal<Out, Bits<32>>,
    // Memories.
    synapses: SynapseMemory<SYNAPSE_ADDR_BITS, SPRAM>,
    acc0: RAM<Bits<18>, 8>,
    acc1: RAM<Bits<18>, 8>,
    acc2: RAM<Bits<18>, 8>,
    acc3: RAM<Bits<18>, 8>,
    neuron_state: RAM<Bits<49>, 10>,
    active: RAM<Bits<32>, 5>,
    spike_list: RAM<Bits<10>, 10>,
    // I/O.
    aer_in: AerReceiver,
    aer_out: AerTransmitter,
    tick_sync: BitSynchronizer,
    lif: LifDatapath,
    // Configuration registers.
    reg_words: DFF<Bits<9>>,
    reg_groups: DFF<Bits<6>>,
    reg_rec_base: DFF<Bits<11>>,
    reg_rec_en: DFF<Bit>,
    reg_du: DFF<Bits<12>>,
    reg_dv: DFF<Bits<12>>,
    reg_vth: DFF<Bits<17>>,
    reg_bias_mant: DFF<Bits<13>>,
    reg_bias_exp: DFF<Bits<3>>,
    // Control.
    state: DFF<CoreState>,
    tick_seen: DFF<Bit>,
    ticked: DFF<Bit>,
    /// Groups of 32 neurons that received a non-zero synapse word this step.
    touched: DFF<Bits<32>>,
    overrun_flag: DFF<Bit>,
    done_toggle: DFF<Bit>,
    row_base: DFF<Bits<SYNAPSE_ADDR_BITS>>,
    word: DFF<Bits<8>>,
    acc_valid: DFF<Bit>,
    acc_word: DFF<Bits<8>>,
    rec_index: DFF<Bits<11>>,
    rec_count: DFF<Bits<11>>,
    group: DFF<Bits<5>>,
    bias_active: DFF<Bit>,
    visit_group: Signal<Local, Bit>,
    mask: DFF<Bits<32>>,
    new_bits: DFF<Bits<32>>,
    upd_valid: DFF<Bit>,
    upd_neuron: DFF<Bits<10>>,
    step_updates: DFF<Bits<11>>,
    out_pending: DFF<Bits<11>>,
    step_cycles: DFF<Bits<32>>,
    // Counter registers.
    cnt_sops: DFF<Bits<32>>,
    cnt_updates: DFF<Bits<32>>,
    cnt_skipped: DFF<Bits<32>>,
    cnt_busy: DFF<Bits<32>>,
    cnt_stall: DFF<Bits<32>>,
    cnt_accumulate: DFF<Bits<32>>,
    cnt_last_step: DFF<Bits<32>>,
    cnt_steps: DFF<Bits<32>>,
    cnt_events_in: DFF<Bits<32>>,
    cnt_processed: DFF<Bits<32>>,
    cnt_events_out: DFF<Bits<32>>,
    cnt_sent: DFF<Bits<32>>,
    // Combinational helpers.
    tick_event: Signal<Local, Bit>,
    row: Signal<Local, Bits<11>>,
    row_product: Signal<Local, Bits<32>>,
    lowest: Signal<Local, Bits<5>>,
    acc_neuron_word: Signal<Local, Bits<8>>,
    lane_input: Signal<Local, Bits<18>>,
    bits_now: Signal<Local, Bits<32>>,
    spike_now: Signal<Local, Bit>,
}

/// A RAM whose every word starts at zero (a Verilog `initial` block; FPGA
/// block RAM is initialized by the bitstream).
fn zeroed<D: Synth, const N: usize>() -> RAM<D, N> {
    RAM::new((0..1u64 << N).map(|a| (a.into(), D::default())).collect())
}

impl<const SYNAPSE_ADDR_BITS: usize, const SPRAM: bool> SnnCore<SYNAPSE_ADDR_BITS, SPRAM> {
    /// The core in its reset state: accumulators, neuron states and the
    /// active bitmap at zero (the synapse memory is written in full through
    /// the configuration port before a run). Use this, not `default()`,
    /// whose memories start undefined in Verilog.
    pub fn new() -> Self {
        Self {
            acc0: zeroed(),
            acc1: zeroed(),
            acc2: zeroed(),
            acc3: zeroed(),
            neuron_state: zeroed(),
            active: zeroed(),
            ..Default::default()
        }
    }
}

impl<const SYNAPSE_ADDR_BITS: usize, const SPRAM: bool> Logic
    for SnnCore<SYNAPSE_ADDR_BITS, SPRAM>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            reg_words,
            reg_groups,
            reg_rec_base,
            reg_rec_en,
            reg_du,
            reg_dv,
            reg_vth,
            reg_bias_mant,
            reg_bias_exp,
            state,
            tick_seen,
            ticked,
            touched,
            overrun_flag,
            done_toggle,
            row_base,
            word,
            acc_valid,
            acc_word,
            rec_index,
            rec_count,
            group,
            bias_active,
            mask,
            new_bits,
            upd_valid,
            upd_neuron,
            step_updates,
            out_pending,
            step_cycles,
            cnt_sops,
            cnt_updates,
            cnt_skipped,
            cnt_busy,
            cnt_stall,
            cnt_accumulate,
            cnt_last_step,
            cnt_steps,
            cnt_events_in,
            cnt_processed,
            cnt_events_out,
            cnt_sent
        );
        clock!(self, clock, aer_in, aer_out, tick_sync);
        self.synapses.clock.next = self.clock.val();
        self.acc0.read_clock.next = self.clock.val();
        self.acc0.write_clock.next = self.clock.val();
        self.acc1.read_clock.next = self.clock.val();
        self.acc1.write_clock.next = self.clock.val();
        self.acc2.read_clock.next = self.clock.val();
        self.acc2.write_clock.next = self.clock.val();
        self.acc3.read_clock.next = self.clock.val();
        self.acc3.write_clock.next = self.clock.val();
        self.neuron_state.read_clock.next = self.clock.val();
        self.neuron_state.write_clock.next = self.clock.val();
        self.active.read_clock.next = self.clock.val();
        self.active.write_clock.next = self.clock.val();
        self.spike_list.read_clock.next = self.clock.val();
        self.spike_list.write_clock.next = self.clock.val();

        // ---- Configuration port ----
        self.synapses.write_address.next = self.cfg_addr.val().get_bits::<SYNAPSE_ADDR_BITS>(0);
        self.synapses.write_data.next = self.cfg_data.val();
        self.synapses.write_enable.next = (self.cfg_write.val() & self.cfg_addr.val().get_bit(17));
        if (self.cfg_write.val() & (!self.cfg_addr.val().get_bit(17))) {
            match self.cfg_addr.val().get_bits::<4>(0).index() {
                0 => {
                    self.reg_words.d.next = self.cfg_data.val().get_bits::<9>(0);
                }
                1 => {
                    self.reg_groups.d.next = self.cfg_data.val().get_bits::<6>(0);
                }
                2 => {
                    self.reg_rec_base.d.next = self.cfg_data.val().get_bits::<11>(0);
                }
                3 => {
                    self.reg_rec_en.d.next = self.cfg_data.val().get_bit(0);
                }
                4 => {
                    self.reg_du.d.next = self.cfg_data.val().get_bits::<12>(0);
                }
                5 => {
                    self.reg_dv.d.next = self.cfg_data.val().get_bits::<12>(0);
                }
                6 => {
                    self.reg_vth.d.next = self.cfg_data.val().get_bits::<17>(0);
                }
                7 => {
                    self.reg_bias_mant.d.next = self.cfg_data.val().get_bits::<13>(0);
                }
                8 => {
                    self.reg_bias_exp.d.next = self.cfg_data.val().get_bits::<3>(0);
                }
                _ => {}
            }
        }

        // ---- Neuron parameters into the datapath ----
        self.lif.factor_u.next = (4095 - bit_cast::<13, 12>(self.reg_du.q.val()));
        self.lif.factor_v.next = (4096 - bit_cast::<13, 12>(self.reg_dv.q.val()));
        self.lif.bias.next = (((bit_cast::<26, 13>(self.reg_bias_mant.q.val()) ^ 0x1000) - 0x1000)
            << self.reg_bias_exp.q.val());
        self.lif.vth_scaled.next = (bit_cast::<24, 17>(self.reg_vth.q.val()) << 6);

        // ---- AER and the tick ----
        self.aer_in.req.next = self.aer_in_req.val();
        self.aer_in.data.next = self.aer_in_data.val();
        self.aer_in_ack.next = self.aer_in.ack.val();
        self.aer_in.pop.next = false;
        self.aer_out.ack.next = self.aer_out_ack.val();
        self.aer_out_req.next = self.aer_out.req.val();
        self.aer_out_data.next = self.aer_out.data.val();
        self.aer_out.push.next = false;
        self.aer_out.push_data.next = self.upd_neuron.q.val();
        self.tick_sync.sig_in.next = self.tick.val();
        self.tick_seen.d.next = self.tick_sync.sig_out.val();
        self.tick_event.next = (self.tick_sync.sig_out.val() != self.tick_seen.q.val());
        if self.tick_event.val() {
            if self.ticked.q.val() {
                self.overrun_flag.d.next = true;
            } else {
                self.ticked.d.next = true;
            }
        }
        if self.aer_in.accepted.val() {
            self.cnt_events_in.d.next = (self.cnt_events_in.q.val() + 1);
        }
        if self.aer_out.sent.val() {
            self.cnt_sent.d.next = (self.cnt_sent.q.val() + 1);
        }

        // ---- Memory port defaults ----
        self.synapses.read_address.next =
            (self.row_base.q.val() + bit_cast::<SYNAPSE_ADDR_BITS, 8>(self.word.q.val()));
        self.acc0.read_address.next = self.word.q.val();
        self.acc1.read_address.next = self.word.q.val();
        self.acc2.read_address.next = self.word.q.val();
        self.acc3.read_address.next = self.word.q.val();
        self.acc0.write_enable.next = false;
        self.acc1.write_enable.next = false;
        self.acc2.write_enable.next = false;
        self.acc3.write_enable.next = false;
        self.acc0.write_address.next = self.acc_word.q.val();
        self.acc1.write_address.next = self.acc_word.q.val();
        self.acc2.write_address.next = self.acc_word.q.val();
        self.acc3.write_address.next = self.acc_word.q.val();
        self.neuron_state.read_address.next = self.dbg_neuron.val();
        self.dbg_state.next = self.neuron_state.read_data.val();
        self.neuron_state.write_enable.next = false;
        self.neuron_state.write_address.next = self.upd_neuron.q.val();
        self.neuron_state.write_data.next = ((bit_cast::<49, 25>(self.lif.u_out.val()) << 24)
            | bit_cast::<49, 24>(self.lif.v_out.val()));
        self.active.read_address.next = self.group.q.val();
        self.active.write_address.next = self.group.q.val();
        self.active.write_enable.next = false;
        self.spike_list.read_address.next = self.rec_index.q.val().get_bits::<10>(0);
        self.spike_list.write_address.next = self.rec_count.q.val().get_bits::<10>(0);
        self.spike_list.write_data.next = self.upd_neuron.q.val();
        self.spike_list.write_enable.next = false;
        self.acc_valid.d.next = false;
        self.upd_valid.d.next = false;

        // ---- Accumulate pipeline, second stage: add the four lanes ----
        self.acc0.write_data.next = (self.acc0.read_data.val()
            + ((bit_cast::<18, 8>(self.synapses.read_data.val().get_bits::<8>(0)) ^ 0x80) - 0x80));
        self.acc1.write_data.next = (self.acc1.read_data.val()
            + ((bit_cast::<18, 8>(self.synapses.read_data.val().get_bits::<8>(8)) ^ 0x80) - 0x80));
        self.acc2.write_data.next = (self.acc2.read_data.val()
            + ((bit_cast::<18, 8>(self.synapses.read_data.val().get_bits::<8>(16)) ^ 0x80) - 0x80));
        self.acc3.write_data.next = (self.acc3.read_data.val()
            + ((bit_cast::<18, 8>(self.synapses.read_data.val().get_bits::<8>(24)) ^ 0x80) - 0x80));
        if (self.acc_valid.q.val() & self.synapses.read_data.val().any()) {
            self.touched.d.next = (self.touched.q.val()
                | (bit_cast::<32, 1>(1.into()) << self.acc_word.q.val().get_bits::<5>(3)));
        }
        if self.acc_valid.q.val() {
            self.acc0.write_enable.next = true;
            self.acc1.write_enable.next = true;
            self.acc2.write_enable.next = true;
            self.acc3.write_enable.next = true;
        }

        // ---- Update pipeline, second stage: LIF, write-back, spikes ----
        self.lane_input.next = self.acc0.read_data.val();
        match self.upd_neuron.q.val().get_bits::<2>(0).index() {
            1 => {
                self.lane_input.next = self.acc1.read_data.val();
            }
            2 => {
                self.lane_input.next = self.acc2.read_data.val();
            }
            3 => {
                self.lane_input.next = self.acc3.read_data.val();
            }
            _ => {}
        }
        self.lif.a_in.next = self.lane_input.val();
        self.lif.u_in.next = self.neuron_state.read_data.val().get_bits::<25>(24);
        self.lif.v_in.next = self.neuron_state.read_data.val().get_bits::<24>(0);
        self.spike_now.next = (self.upd_valid.q.val() & self.lif.spike.val());
        self.bits_now.next = self.new_bits.q.val();
        if (self.upd_valid.q.val() & self.lif.nonzero.val()) {
            self.bits_now.next = (self.new_bits.q.val()
                | (bit_cast::<32, 1>(1.into()) << self.upd_neuron.q.val().get_bits::<5>(0)));
        }
        self.new_bits.d.next = self.bits_now.val();
        // The bitmap word is written only in UpdateWriteBack; this default
        // keeps the combinational block free of a latch.
        self.active.write_data.next = self.bits_now.val();
        if self.upd_valid.q.val() {
            self.neuron_state.write_enable.next = true;
            // The accumulator of the updated neuron is cleared for the next step.
            match self.upd_neuron.q.val().get_bits::<2>(0).index() {
                0 => {
                    self.acc0.write_enable.next = true;
                }
                1 => {
                    self.acc1.write_enable.next = true;
                }
                2 => {
                    self.acc2.write_enable.next = true;
                }
                _ => {
                    self.acc3.write_enable.next = true;
                }
            }
            self.acc0.write_address.next = self.upd_neuron.q.val().get_bits::<8>(2);
            self.acc1.write_address.next = self.upd_neuron.q.val().get_bits::<8>(2);
            self.acc2.write_address.next = self.upd_neuron.q.val().get_bits::<8>(2);
            self.acc3.write_address.next = self.upd_neuron.q.val().get_bits::<8>(2);
            self.acc0.write_data.next = 0.into();
            self.acc1.write_data.next = 0.into();
            self.acc2.write_data.next = 0.into();
            self.acc3.write_data.next = 0.into();
        }
        if self.spike_now.val() {
            self.aer_out.push.next = true;
            self.cnt_events_out.d.next = (self.cnt_events_out.q.val() + 1);
            if self.reg_rec_en.q.val() {
                self.spike_list.write_enable.next = true;
                self.rec_count.d.next = (self.rec_count.q.val() + 1);
            }
        }
        // Spikes queued minus spikes acknowledged.
        if (self.spike_now.val() & (!self.aer_out.sent.val())) {
            self.out_pending.d.next = (self.out_pending.q.val() + 1);
        }
        if ((!self.spike_now.val()) & self.aer_out.sent.val()) {
            self.out_pending.d.next = (self.out_pending.q.val() - 1);
        }

        // ---- Lowest set bit of the group mask ----
        self.lowest.next = 0.into();
        for i in 0..32 {
            if self.mask.q.val().get_bit(31 - i) {
                self.lowest.next = (31 - i).to_bits();
            }
        }

        // ---- Control ----
        self.acc_neuron_word.next = ((bit_cast::<8, 5>(self.group.q.val()) << 3)
            | bit_cast::<8, 3>(self.lowest.val().get_bits::<3>(2)));
        self.row.next = bit_cast::<11, 10>(self.aer_in.head.val());
        if (self.state.q.val() == CoreState::FetchRecurrent) {
            self.row.next =
                (self.reg_rec_base.q.val() + bit_cast::<11, 10>(self.spike_list.read_data.val()));
        }
        self.row_product.next =
            (bit_cast::<16, 11>(self.row.val()) * bit_cast::<16, 9>(self.reg_words.q.val()));
        if (self.state.q.val() != CoreState::Idle) {
            self.cnt_busy.d.next = (self.cnt_busy.q.val() + 1);
            self.step_cycles.d.next = (self.step_cycles.q.val() + 1);
        }
        if ((self.state.q.val() == CoreState::Fetch)
            | (self.state.q.val() == CoreState::FetchRecurrent)
            | (self.state.q.val() == CoreState::Row))
        {
            self.cnt_accumulate.d.next = (self.cnt_accumulate.q.val() + 1);
        }
        // A group is visited in full if it received input or the bias is on.
        self.visit_group.next =
            (self.bias_active.q.val() | self.touched.q.val().get_bit(self.group.q.val().index()));
        match self.state.q.val() {
            CoreState::Idle => {
                if (self.ticked.q.val() | (!self.aer_in.empty.val())) {
                    self.state.d.next = CoreState::Fetch;
                }
            }
            CoreState::Fetch => {
                self.word.d.next = 0.into();
                if (!self.aer_in.empty.val()) {
                    self.aer_in.pop.next = true;
                    self.row_base.d.next = self.row_product.val().get_bits::<SYNAPSE_ADDR_BITS>(0);
                    self.cnt_processed.d.next = (self.cnt_processed.q.val() + 1);
                    self.state.d.next = CoreState::Row;
                } else if self.ticked.q.val() {
                    if (self.rec_index.q.val() != self.rec_count.q.val()) {
                        self.state.d.next = CoreState::FetchRecurrent;
                    } else {
                        self.active.read_address.next = 0.into();
                        self.group.d.next = 0.into();
                        self.state.d.next = CoreState::UpdateStart;
                    }
                } else {
                    self.state.d.next = CoreState::Idle;
                }
            }
            CoreState::FetchRecurrent => {
                self.row_base.d.next = self.row_product.val().get_bits::<SYNAPSE_ADDR_BITS>(0);
                self.rec_index.d.next = (self.rec_index.q.val() + 1);
                self.state.d.next = CoreState::Row;
            }
            CoreState::Row => {
                self.acc_valid.d.next = true;
                self.acc_word.d.next = self.word.q.val();
                self.cnt_sops.d.next = (self.cnt_sops.q.val() + 4);
                self.word.d.next = (self.word.q.val() + 1);
                if (bit_cast::<9, 8>(self.word.q.val()) == (self.reg_words.q.val() - 1)) {
                    self.state.d.next = CoreState::Fetch;
                }
            }
            CoreState::UpdateStart => {
                // The bitmap word of group 0 is being read.
                self.rec_index.d.next = 0.into();
                self.rec_count.d.next = 0.into();
                self.step_updates.d.next = 0.into();
                self.bias_active.d.next = self.reg_bias_mant.q.val().any();
                self.state.d.next = CoreState::UpdateGroup;
            }
            CoreState::UpdateGroup => {
                self.new_bits.d.next = 0.into();
                self.mask.d.next = self.active.read_data.val();
                if self.visit_group.val() {
                    self.mask.d.next = 0xFFFF_FFFF_u64.into();
                }
                if (self.active.read_data.val().any() | self.visit_group.val()) {
                    self.state.d.next = CoreState::UpdateNeuron;
                } else if (bit_cast::<6, 5>(self.group.q.val()) == (self.reg_groups.q.val() - 1)) {
                    self.state.d.next = CoreState::UpdateEnd;
                } else {
                    self.group.d.next = (self.group.q.val() + 1);
                    self.active.read_address.next = (self.group.q.val() + 1);
                }
            }
            CoreState::UpdateNeuron => {
                self.upd_neuron.d.next = ((bit_cast::<10, 5>(self.group.q.val()) << 5)
                    | bit_cast::<10, 5>(self.lowest.val()));
                self.neuron_state.read_address.next = ((bit_cast::<10, 5>(self.group.q.val())
                    << 5)
                    | bit_cast::<10, 5>(self.lowest.val()));
                self.acc0.read_address.next = self.acc_neuron_word.val();
                self.acc1.read_address.next = self.acc_neuron_word.val();
                self.acc2.read_address.next = self.acc_neuron_word.val();
                self.acc3.read_address.next = self.acc_neuron_word.val();
                self.upd_valid.d.next = true;
                self.mask.d.next =
                    (self.mask.q.val() & (!(bit_cast::<32, 1>(1.into()) << self.lowest.val())));
                self.step_updates.d.next = (self.step_updates.q.val() + 1);
                self.cnt_updates.d.next = (self.cnt_updates.q.val() + 1);
                if ((self.mask.q.val() & (!(bit_cast::<32, 1>(1.into()) << self.lowest.val())))
                    == 0)
                {
                    self.state.d.next = CoreState::UpdateWriteBack;
                }
            }
            CoreState::UpdateWriteBack => {
                // The group's last neuron is in the second stage now.
                self.active.write_enable.next = true;
                self.active.write_data.next = self.bits_now.val();
                if (bit_cast::<6, 5>(self.group.q.val()) == (self.reg_groups.q.val() - 1)) {
                    self.state.d.next = CoreState::UpdateEnd;
                } else {
                    self.group.d.next = (self.group.q.val() + 1);
                    self.active.read_address.next = (self.group.q.val() + 1);
                    self.state.d.next = CoreState::UpdateGroup;
                }
            }
            CoreState::UpdateEnd => {
                self.state.d.next = CoreState::WaitOutput;
            }
            CoreState::WaitOutput => {
                if (self.out_pending.q.val() == 0) {
                    self.done_toggle.d.next = (!self.done_toggle.q.val());
                    self.ticked.d.next = false;
                    self.touched.d.next = 0.into();
                    self.cnt_steps.d.next = (self.cnt_steps.q.val() + 1);
                    self.cnt_skipped.d.next = ((self.cnt_skipped.q.val()
                        + (bit_cast::<32, 6>(self.reg_groups.q.val()) << 5))
                        - bit_cast::<32, 11>(self.step_updates.q.val()));
                    self.cnt_last_step.d.next = (self.step_cycles.q.val() + 1);
                    self.step_cycles.d.next = 0.into();
                    self.state.d.next = CoreState::Idle;
                } else {
                    self.cnt_stall.d.next = (self.cnt_stall.q.val() + 1);
                }
            }
            _ => {}
        }

        // ---- Outputs ----
        self.step_done.next = self.done_toggle.q.val();
        self.overrun.next = self.overrun_flag.q.val();
        self.sops.next = self.cnt_sops.q.val();
        self.neuron_updates.next = self.cnt_updates.q.val();
        self.skipped_neurons.next = self.cnt_skipped.q.val();
        self.busy_cycles.next = self.cnt_busy.q.val();
        self.stall_cycles.next = self.cnt_stall.q.val();
        self.accumulate_cycles.next = self.cnt_accumulate.q.val();
        self.last_step_cycles.next = self.cnt_last_step.q.val();
        self.steps.next = self.cnt_steps.q.val();
        self.events_in.next = self.cnt_events_in.q.val();
        self.events_processed.next = self.cnt_processed.q.val();
        self.events_out.next = self.cnt_events_out.q.val();
        self.events_sent.next = self.cnt_sent.q.val();
    }
}
