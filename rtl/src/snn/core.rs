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
//!    accumulator banks (neuron j in bank j mod 4, word j / 4). Three
//!    pipelines overlap:
//!    - *event fetch*, one event in flight: F1 pops the event into
//!      `fetch_row` (an input index, or `rec_base` + a spike-list entry),
//!      F2 multiplies it by the row length W into `next_base` (one DSP);
//!    - *row streamer* (A0): one synapse address per cycle (`syn_addr`, a
//!      counter), taking `next_base` in the cycle after a row's last word,
//!      so the rows of queued events follow each other without a gap (the
//!      next event is fetched while the current row streams: a row is at
//!      least 8 words, a fetch 3 cycles);
//!    - *accumulate*: A1 issues the accumulator read (the synapse memory
//!      takes two cycles, [`SYNAPSE_READ_LATENCY`](super::synapse_memory::SYNAPSE_READ_LATENCY)),
//!      A2 registers both words (`synapse_word`, `acc_data*`: no logic
//!      follows a block-RAM output), A3 adds the four lanes and writes them
//!      back. An accumulator word is read in A1 and written in A3, two
//!      cycles later; the same word comes back only with the next row, W ≥ 8
//!      cycles later (W = neurons / 4 and neurons are a multiple of 32), so
//!      no sum needs forwarding.
//! 2. **Update**, after the tick, the last event and the last accumulator
//!    write: the active bitmap (one 32-bit word per group of 32 neurons)
//!    names the neurons whose state is non-zero. A group is visited in full
//!    if the bias is non-zero or a non-zero synapse word of the step reached
//!    it (32 "touched" flip-flops, one per group, set by the accumulate
//!    pipeline); otherwise only its set bits are. Every other neuron has
//!    u = v = 0, zero bias and zero input, so it is skippable in the sense
//!    of `golden::snn::fixed::is_skippable` and stays zero. The group scan
//!    reads the bitmap one word ahead (`bitmap_word`, the next group's word,
//!    registered); a *group cycle* (mask empty) loads the next group's mask,
//!    a *neuron cycle* picks one neuron. The update pipeline, one neuron per
//!    cycle:
//!    - U0 (`pick_*`): the lowest set bit of the mask, one-hot, and whether
//!      it is the group's last (from a carry-free count of the mask's bits);
//!    - U1 (`issue_*`): the neuron's index; its accumulator word is read;
//!    - U2 (`read_*`): the four accumulator words are registered, the state
//!      word is read, and the neuron's accumulator lane is cleared for the
//!      next step;
//!    - U3 (`lane_*`): the neuron's lane and its state word enter the
//!      [`LifDatapath`] ([`LIF_LATENCY`](super::lif_datapath::LIF_LATENCY)
//!      registered stages), with the neuron and its last flag as the tag;
//!    - out: the datapath's result is written to the state memory, its
//!      non-zero bit collected into the group's new bitmap word (written back
//!      with the group's last neuron, its own bit included), and a spike
//!      goes to the AER output FIFO and, with recurrence, to the spike list
//!      (next step's recurrent events: the one-step delay), in neuron order.
//!
//!    Several groups are in the pipeline at once: a bitmap word is read
//!    before its group's neurons are picked and written after they come out,
//!    and the scan only reads words of groups not picked yet, so no read
//!    meets a write of the same word. The phase ends when no update is in
//!    flight (`in_flight`, picked minus out).
//! 3. **Barrier.** When every spike has been acknowledged by the AER receiver,
//!    `step_done` toggles and the core waits for the next tick. The
//!    accumulators were cleared in U2 and the update phase drained, so the
//!    next step's events (which the host sends only after `step_done`)
//!    start from zero.
//!
//! Busy cycles of a step with e ≥ 1 events queued (rows streamed back to
//! back), `active` neurons updated, G = neurons / 32 groups and a neuron of
//! the last group updated: `W · e + active + G + 23` — the rows, one cycle
//! per neuron, one group cycle per group plus the one that ends the scan,
//! and 22 cycles of pipeline fill and drain: 3 to fetch the first event, 4
//! for the last word to reach the accumulators, 1 to start the update, 13
//! for the last neuron to leave the pipeline (U0–U3 and the datapath's 9
//! stages), 1 to signal the step. An event that arrives after the rows
//! before it have finished costs its 3 fetch cycles again; without events
//! the step costs `G + 5` (or more when neurons are active, see the
//! README's measured table).
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
//! fetched), `events_out` (spikes queued), `events_sent` (acknowledged).

use super::aer_receiver::AerReceiver;
use super::aer_transmitter::AerTransmitter;
use super::lif_datapath::LifDatapath;
use super::synapse_memory::SynapseMemory;
use rust_hdl::prelude::*;

#[derive(Copy, Clone, Debug, PartialEq, LogicState)]
pub enum CoreState {
    /// At the barrier; waits for an input event or the tick.
    Idle,
    /// Fetches events (the AER FIFO first, then, after the tick, the spike
    /// list) and streams their synapse rows.
    Accumulate,
    /// Reads the first bitmap word.
    UpdateStart,
    /// Loads a group's mask (one cycle per group) and issues its neurons
    /// (one per cycle).
    UpdateScan,
    /// Waits for the last update to leave the pipeline.
    UpdateDrain,
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
    // Values derived from the configuration, registered (they follow a
    // configuration write one cycle later, long before a step uses them).
    /// `4096 − (du + 1)`, 13-bit unsigned.
    factor_u: DFF<Bits<13>>,
    /// `4096 − dv`, 13-bit unsigned.
    factor_v: DFF<Bits<13>>,
    /// `bias_mant << bias_exp`, 26-bit two's complement.
    bias_scaled: DFF<Bits<26>>,
    /// `vth << 6`, 24-bit unsigned.
    vth_scaled: DFF<Bits<24>>,
    /// W − 1: the last word of a row.
    last_word: DFF<Bits<8>>,
    // Control.
    state: DFF<CoreState>,
    tick_seen: DFF<Bit>,
    ticked: DFF<Bit>,
    /// Groups of 32 neurons that received a non-zero synapse word this step.
    touched: DFF<Bits<32>>,
    overrun_flag: DFF<Bit>,
    done_toggle: DFF<Bit>,
    // Event fetch: F1 (the event's row) and F2 (its first synapse word).
    fetch_valid: DFF<Bit>,
    fetch_row: DFF<Bits<11>>,
    next_valid: DFF<Bit>,
    next_base: DFF<Bits<SYNAPSE_ADDR_BITS>>,
    // Row streamer.
    streaming: DFF<Bit>,
    syn_addr: DFF<Bits<SYNAPSE_ADDR_BITS>>,
    word: DFF<Bits<8>>,
    // Accumulate pipeline: the word of a row in A1 (accumulator read
    // issued), A2 (both words out) and A3 (added and written).
    acc_valid: DFF<Bit>,
    acc_word: DFF<Bits<8>>,
    fetched_valid: DFF<Bit>,
    fetched_word: DFF<Bits<8>>,
    add_valid: DFF<Bit>,
    add_word: DFF<Bits<8>>,
    /// The synapse word of A3.
    synapse_word: DFF<Bits<32>>,
    /// The four accumulator banks' read data of the previous cycle (A3 of
    /// the accumulate pipeline, U2 of the update pipeline).
    acc_data0: DFF<Bits<18>>,
    acc_data1: DFF<Bits<18>>,
    acc_data2: DFF<Bits<18>>,
    acc_data3: DFF<Bits<18>>,
    rec_index: DFF<Bits<11>>,
    rec_count: DFF<Bits<11>>,
    /// rec_index = rec_count in the previous cycle (see the event fetch).
    rec_drained: DFF<Bit>,
    /// The spike list's read data of the previous cycle (entry rec_index).
    spike_entry: DFF<Bits<10>>,
    // Update: the group scan, U0 (issue), U1 (accumulator words out, state
    // read issued), U2 (state word out).
    /// The next group to load, 0…G, and its bitmap word.
    next_group: DFF<Bits<6>>,
    bitmap_word: DFF<Bits<32>>,
    /// The group being issued, its neurons not issued yet, and mask ≠ 0.
    group: DFF<Bits<5>>,
    mask: DFF<Bits<32>>,
    mask_any: DFF<Bit>,
    bias_active: DFF<Bit>,
    pick_valid: DFF<Bit>,
    pick_group: DFF<Bits<5>>,
    /// The picked neuron's bit in its group, one-hot.
    pick_bit: DFF<Bits<32>>,
    pick_last: DFF<Bit>,
    issue_valid: DFF<Bit>,
    issue_neuron: DFF<Bits<10>>,
    issue_last: DFF<Bit>,
    read_valid: DFF<Bit>,
    read_neuron: DFF<Bits<10>>,
    read_last: DFF<Bit>,
    lane_valid: DFF<Bit>,
    lane_neuron: DFF<Bits<10>>,
    lane_last: DFF<Bit>,
    /// Updates picked and not yet out of the LIF datapath (≤ LIF_LATENCY + 4).
    in_flight: DFF<Bits<5>>,
    /// Non-zero bits of the group leaving the datapath so far.
    new_bits: DFF<Bits<32>>,
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
    fetch_start: Signal<Local, Bit>,
    row_product: Signal<Local, Bits<32>>,
    row_end: Signal<Local, Bit>,
    accumulate_idle: Signal<Local, Bit>,
    visit_group: Signal<Local, Bit>,
    group_cycle: Signal<Local, Bit>,
    /// The group's mask without its lowest set bit.
    mask_rest: Signal<Local, Bits<32>>,
    /// The index of `pick_bit`'s bit.
    pick_index: Signal<Local, Bits<5>>,
    /// Bit 4k: nibble k of the mask has a set bit / two or more set bits.
    nibble_any: Signal<Local, Bits<32>>,
    nibble_multiple: Signal<Local, Bits<32>>,
    /// Bits 0 and 16: the same for each half of the mask.
    half_any: Signal<Local, Bits<32>>,
    half_multiple: Signal<Local, Bits<32>>,
    /// The mask has two or more set bits (its lowest is not the last).
    mask_multiple: Signal<Local, Bit>,
    pick_now: Signal<Local, Bit>,
    lane_input: Signal<Local, Bits<18>>,
    out_neuron: Signal<Local, Bits<10>>,
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
            factor_u,
            factor_v,
            bias_scaled,
            vth_scaled,
            last_word,
            state,
            tick_seen,
            ticked,
            touched,
            overrun_flag,
            done_toggle,
            fetch_valid,
            fetch_row,
            next_valid,
            next_base,
            streaming,
            syn_addr,
            word,
            acc_valid,
            acc_word,
            fetched_valid,
            fetched_word,
            add_valid,
            add_word,
            synapse_word,
            acc_data0,
            acc_data1,
            acc_data2,
            acc_data3,
            rec_index,
            rec_count,
            rec_drained,
            spike_entry,
            next_group,
            bitmap_word,
            group,
            mask,
            mask_any,
            bias_active,
            pick_valid,
            pick_group,
            pick_bit,
            pick_last,
            issue_valid,
            issue_neuron,
            issue_last,
            read_valid,
            read_neuron,
            read_last,
            lane_valid,
            lane_neuron,
            lane_last,
            in_flight,
            new_bits,
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
        clock!(self, clock, aer_in, aer_out, tick_sync, lif);
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
        self.factor_u.d.next = (4095 - bit_cast::<13, 12>(self.reg_du.q.val()));
        self.factor_v.d.next = (4096 - bit_cast::<13, 12>(self.reg_dv.q.val()));
        self.bias_scaled.d.next = (((bit_cast::<26, 13>(self.reg_bias_mant.q.val()) ^ 0x1000)
            - 0x1000)
            << self.reg_bias_exp.q.val());
        self.vth_scaled.d.next = (bit_cast::<24, 17>(self.reg_vth.q.val()) << 6);
        self.last_word.d.next = bit_cast::<8, 9>(self.reg_words.q.val() - 1);
        self.lif.factor_u.next = self.factor_u.q.val();
        self.lif.factor_v.next = self.factor_v.q.val();
        self.lif.bias.next = self.bias_scaled.q.val();
        self.lif.vth_scaled.next = self.vth_scaled.q.val();

        // ---- AER and the tick ----
        self.aer_in.req.next = self.aer_in_req.val();
        self.aer_in.data.next = self.aer_in_data.val();
        self.aer_in_ack.next = self.aer_in.ack.val();
        self.aer_in.pop.next = false;
        self.aer_out.ack.next = self.aer_out_ack.val();
        self.aer_out_req.next = self.aer_out.req.val();
        self.aer_out_data.next = self.aer_out.data.val();
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

        // ---- Event fetch: F1 pops an event, F2 forms its row's base ----
        self.spike_list.read_address.next = self.rec_index.q.val().get_bits::<10>(0);
        self.spike_entry.d.next = self.spike_list.read_data.val();
        // One event is in flight at a time: a fetch from the spike list at
        // cycle s is followed by none before s + 3, so the compare of the
        // previous cycle's counters is exact whenever it is used.
        self.rec_drained.d.next = (self.rec_index.q.val() == self.rec_count.q.val());
        self.fetch_start.next = ((self.state.q.val() == CoreState::Accumulate)
            & (!self.fetch_valid.q.val())
            & (!self.next_valid.q.val()));
        if self.fetch_start.val() {
            if (!self.aer_in.empty.val()) {
                self.aer_in.pop.next = true;
                self.fetch_row.d.next = bit_cast::<11, 10>(self.aer_in.head.val());
                self.fetch_valid.d.next = true;
                self.cnt_processed.d.next = (self.cnt_processed.q.val() + 1);
            } else if (self.ticked.q.val() & (!self.rec_drained.q.val())) {
                // spike_entry holds entry rec_index: the index has not
                // changed for the last three cycles (one event in flight).
                self.fetch_row.d.next =
                    (self.reg_rec_base.q.val() + bit_cast::<11, 10>(self.spike_entry.q.val()));
                self.fetch_valid.d.next = true;
                self.rec_index.d.next = (self.rec_index.q.val() + 1);
            }
        }
        self.row_product.next = (bit_cast::<16, 11>(self.fetch_row.q.val())
            * bit_cast::<16, 9>(self.reg_words.q.val()));
        if self.fetch_valid.q.val() {
            self.next_base.d.next = self.row_product.val().get_bits::<SYNAPSE_ADDR_BITS>(0);
            self.next_valid.d.next = true;
            self.fetch_valid.d.next = false;
        }

        // ---- Row streamer: one synapse word per cycle ----
        self.synapses.read_address.next = self.syn_addr.q.val();
        self.row_end.next = (self.word.q.val() == self.last_word.q.val());
        self.acc_valid.d.next = self.streaming.q.val();
        self.acc_word.d.next = self.word.q.val();
        if self.streaming.q.val() {
            self.cnt_sops.d.next = (self.cnt_sops.q.val() + 4);
            self.syn_addr.d.next = (self.syn_addr.q.val() + 1);
            self.word.d.next = (self.word.q.val() + 1);
            if self.row_end.val() {
                self.streaming.d.next = false;
            }
        }
        if (self.next_valid.q.val() & ((!self.streaming.q.val()) | self.row_end.val())) {
            self.syn_addr.d.next = self.next_base.q.val();
            self.word.d.next = 0.into();
            self.streaming.d.next = true;
            self.next_valid.d.next = false;
        }

        // ---- Accumulate pipeline: A1 reads the accumulators, A2 takes both
        // words, A3 adds the four lanes and writes them back ----
        self.fetched_valid.d.next = self.acc_valid.q.val();
        self.fetched_word.d.next = self.acc_word.q.val();
        self.add_valid.d.next = self.fetched_valid.q.val();
        self.add_word.d.next = self.fetched_word.q.val();
        self.synapse_word.d.next = self.synapses.read_data.val();
        self.acc_data0.d.next = self.acc0.read_data.val();
        self.acc_data1.d.next = self.acc1.read_data.val();
        self.acc_data2.d.next = self.acc2.read_data.val();
        self.acc_data3.d.next = self.acc3.read_data.val();
        self.acc0.read_address.next = self.acc_word.q.val();
        self.acc1.read_address.next = self.acc_word.q.val();
        self.acc2.read_address.next = self.acc_word.q.val();
        self.acc3.read_address.next = self.acc_word.q.val();
        self.acc0.write_address.next = self.add_word.q.val();
        self.acc1.write_address.next = self.add_word.q.val();
        self.acc2.write_address.next = self.add_word.q.val();
        self.acc3.write_address.next = self.add_word.q.val();
        self.acc0.write_data.next = (self.acc_data0.q.val()
            + ((bit_cast::<18, 8>(self.synapse_word.q.val().get_bits::<8>(0)) ^ 0x80) - 0x80));
        self.acc1.write_data.next = (self.acc_data1.q.val()
            + ((bit_cast::<18, 8>(self.synapse_word.q.val().get_bits::<8>(8)) ^ 0x80) - 0x80));
        self.acc2.write_data.next = (self.acc_data2.q.val()
            + ((bit_cast::<18, 8>(self.synapse_word.q.val().get_bits::<8>(16)) ^ 0x80) - 0x80));
        self.acc3.write_data.next = (self.acc_data3.q.val()
            + ((bit_cast::<18, 8>(self.synapse_word.q.val().get_bits::<8>(24)) ^ 0x80) - 0x80));
        self.acc0.write_enable.next = self.add_valid.q.val();
        self.acc1.write_enable.next = self.add_valid.q.val();
        self.acc2.write_enable.next = self.add_valid.q.val();
        self.acc3.write_enable.next = self.add_valid.q.val();
        if (self.add_valid.q.val() & self.synapse_word.q.val().any()) {
            self.touched.d.next = (self.touched.q.val()
                | (bit_cast::<32, 1>(1.into()) << self.add_word.q.val().get_bits::<5>(3)));
        }

        // ---- Update U0: the lowest set bit of the group's mask ----
        self.mask_rest.next = (self.mask.q.val() & (self.mask.q.val() - 1));
        self.pick_now.next =
            ((self.state.q.val() == CoreState::UpdateScan) & self.mask_any.q.val());
        self.pick_valid.d.next = self.pick_now.val();
        self.pick_group.d.next = self.group.q.val();
        self.pick_bit.d.next = (self.mask.q.val() & (!(self.mask.q.val() - 1)));
        // Two or more set bits, without the carry chain of mask − 1: per
        // nibble, then per half, then for the word.
        self.nibble_any.next = ((self.mask.q.val()
            | (self.mask.q.val() >> 1)
            | (self.mask.q.val() >> 2)
            | (self.mask.q.val() >> 3))
            & 0x1111_1111);
        self.nibble_multiple.next = (((self.mask.q.val() & (self.mask.q.val() >> 1))
            | (self.mask.q.val() & (self.mask.q.val() >> 2))
            | (self.mask.q.val() & (self.mask.q.val() >> 3))
            | ((self.mask.q.val() >> 1) & (self.mask.q.val() >> 2))
            | ((self.mask.q.val() >> 1) & (self.mask.q.val() >> 3))
            | ((self.mask.q.val() >> 2) & (self.mask.q.val() >> 3)))
            & 0x1111_1111);
        self.half_any.next = ((self.nibble_any.val()
            | (self.nibble_any.val() >> 4)
            | (self.nibble_any.val() >> 8)
            | (self.nibble_any.val() >> 12))
            & 0x0001_0001);
        self.half_multiple.next = ((self.nibble_multiple.val()
            | (self.nibble_multiple.val() >> 4)
            | (self.nibble_multiple.val() >> 8)
            | (self.nibble_multiple.val() >> 12)
            | (self.nibble_any.val() & (self.nibble_any.val() >> 4))
            | (self.nibble_any.val() & (self.nibble_any.val() >> 8))
            | (self.nibble_any.val() & (self.nibble_any.val() >> 12))
            | ((self.nibble_any.val() >> 4) & (self.nibble_any.val() >> 8))
            | ((self.nibble_any.val() >> 4) & (self.nibble_any.val() >> 12))
            | ((self.nibble_any.val() >> 8) & (self.nibble_any.val() >> 12)))
            & 0x0001_0001);
        self.mask_multiple.next = (self.half_multiple.val().any()
            | (self.half_any.val().get_bit(0) & self.half_any.val().get_bit(16)));
        self.pick_last.d.next = (!self.mask_multiple.val());

        // ---- Update U1: the neuron's index; accumulator read ----
        // Bit b of the index: the set bit is at a position with bit b set.
        self.pick_index.next = ((bit_cast::<5, 1>((self.pick_bit.q.val() >> 16).any().into())
            << 4)
            | (bit_cast::<5, 1>(((self.pick_bit.q.val() >> 8) & 0x00FF_00FF).any().into()) << 3)
            | (bit_cast::<5, 1>(((self.pick_bit.q.val() >> 4) & 0x0F0F_0F0F).any().into()) << 2)
            | (bit_cast::<5, 1>(((self.pick_bit.q.val() >> 2) & 0x3333_3333).any().into()) << 1)
            | bit_cast::<5, 1>(((self.pick_bit.q.val() >> 1) & 0x5555_5555).any().into()));
        self.issue_valid.d.next = self.pick_valid.q.val();
        self.issue_neuron.d.next = ((bit_cast::<10, 5>(self.pick_group.q.val()) << 5)
            | bit_cast::<10, 5>(self.pick_index.val()));
        self.issue_last.d.next = self.pick_last.q.val();
        if self.issue_valid.q.val() {
            self.acc0.read_address.next = self.issue_neuron.q.val().get_bits::<8>(2);
            self.acc1.read_address.next = self.issue_neuron.q.val().get_bits::<8>(2);
            self.acc2.read_address.next = self.issue_neuron.q.val().get_bits::<8>(2);
            self.acc3.read_address.next = self.issue_neuron.q.val().get_bits::<8>(2);
        }

        // ---- Update U2: accumulator words out, state read ----
        self.read_valid.d.next = self.issue_valid.q.val();
        self.read_neuron.d.next = self.issue_neuron.q.val();
        self.read_last.d.next = self.issue_last.q.val();
        self.neuron_state.read_address.next = self.dbg_neuron.val();
        self.dbg_state.next = self.neuron_state.read_data.val();
        if self.read_valid.q.val() {
            self.neuron_state.read_address.next = self.read_neuron.q.val();
            // The accumulator of the neuron is cleared for the next step.
            match self.read_neuron.q.val().get_bits::<2>(0).index() {
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
            self.acc0.write_address.next = self.read_neuron.q.val().get_bits::<8>(2);
            self.acc1.write_address.next = self.read_neuron.q.val().get_bits::<8>(2);
            self.acc2.write_address.next = self.read_neuron.q.val().get_bits::<8>(2);
            self.acc3.write_address.next = self.read_neuron.q.val().get_bits::<8>(2);
            self.acc0.write_data.next = 0.into();
            self.acc1.write_data.next = 0.into();
            self.acc2.write_data.next = 0.into();
            self.acc3.write_data.next = 0.into();
        }

        // ---- Update U3: the neuron's lane and state into the datapath ----
        self.lane_valid.d.next = self.read_valid.q.val();
        self.lane_neuron.d.next = self.read_neuron.q.val();
        self.lane_last.d.next = self.read_last.q.val();
        self.lane_input.next = self.acc_data0.q.val();
        match self.lane_neuron.q.val().get_bits::<2>(0).index() {
            1 => {
                self.lane_input.next = self.acc_data1.q.val();
            }
            2 => {
                self.lane_input.next = self.acc_data2.q.val();
            }
            3 => {
                self.lane_input.next = self.acc_data3.q.val();
            }
            _ => {}
        }
        self.lif.u_in.next = self.neuron_state.read_data.val().get_bits::<25>(24);
        self.lif.v_in.next = self.neuron_state.read_data.val().get_bits::<24>(0);
        self.lif.a_in.next = self.lane_input.val();
        self.lif.valid_in.next = self.lane_valid.q.val();
        self.lif.tag_in.next = ((bit_cast::<11, 1>(self.lane_last.q.val().into()) << 10)
            | bit_cast::<11, 10>(self.lane_neuron.q.val()));

        // ---- Update out: write-back, bitmap, spikes ----
        self.out_neuron.next = self.lif.tag_out.val().get_bits::<10>(0);
        self.neuron_state.write_enable.next = self.lif.valid_out.val();
        self.neuron_state.write_address.next = self.out_neuron.val();
        self.neuron_state.write_data.next = ((bit_cast::<49, 25>(self.lif.u_out.val()) << 24)
            | bit_cast::<49, 24>(self.lif.v_out.val()));
        self.bits_now.next = self.new_bits.q.val();
        if (self.lif.valid_out.val() & self.lif.nonzero.val()) {
            self.bits_now.next = (self.new_bits.q.val()
                | (bit_cast::<32, 1>(1.into()) << self.out_neuron.val().get_bits::<5>(0)));
        }
        self.new_bits.d.next = self.bits_now.val();
        self.active.write_address.next = self.out_neuron.val().get_bits::<5>(5);
        self.active.write_data.next = self.bits_now.val();
        self.active.write_enable.next = false;
        if (self.lif.valid_out.val() & self.lif.tag_out.val().get_bit(10)) {
            // The group's last neuron: its bit is in the word written.
            self.active.write_enable.next = true;
            self.new_bits.d.next = 0.into();
        }
        self.spike_now.next = (self.lif.valid_out.val() & self.lif.spike.val());
        self.aer_out.push.next = self.spike_now.val();
        self.aer_out.push_data.next = self.out_neuron.val();
        self.spike_list.write_address.next = self.rec_count.q.val().get_bits::<10>(0);
        self.spike_list.write_data.next = self.out_neuron.val();
        self.spike_list.write_enable.next = false;
        if self.spike_now.val() {
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
        // Updates issued minus updates out.
        if (self.pick_now.val() & (!self.lif.valid_out.val())) {
            self.in_flight.d.next = (self.in_flight.q.val() + 1);
        }
        if ((!self.pick_now.val()) & self.lif.valid_out.val()) {
            self.in_flight.d.next = (self.in_flight.q.val() - 1);
        }

        // ---- Control ----
        if (self.state.q.val() != CoreState::Idle) {
            self.cnt_busy.d.next = (self.cnt_busy.q.val() + 1);
            self.step_cycles.d.next = (self.step_cycles.q.val() + 1);
        }
        if (self.state.q.val() == CoreState::Accumulate) {
            self.cnt_accumulate.d.next = (self.cnt_accumulate.q.val() + 1);
        }
        self.accumulate_idle.next = (self.aer_in.empty.val()
            & (!self.fetch_valid.q.val())
            & (!self.next_valid.q.val())
            & (!self.streaming.q.val()));
        // The group scan: in UpdateScan, bitmap_word holds the word of group
        // next_group and the bitmap RAM shows the word of next_group + 1,
        // read the cycle before. A group cycle (mask empty) loads the next
        // group and reads one word further ahead. Before the scan, word 0 is
        // read (UpdateStart takes it) and then word 1.
        self.group_cycle.next =
            ((self.state.q.val() == CoreState::UpdateScan) & (!self.mask_any.q.val()));
        self.active.read_address.next = 0.into();
        if (self.state.q.val() == CoreState::UpdateStart) {
            self.active.read_address.next = 1.into();
        }
        if (self.state.q.val() == CoreState::UpdateScan) {
            self.active.read_address.next = bit_cast::<5, 6>(self.next_group.q.val() + 1);
        }
        if self.group_cycle.val() {
            self.active.read_address.next = bit_cast::<5, 6>(self.next_group.q.val() + 2);
        }
        // A group is visited in full if it received input or the bias is on.
        self.visit_group.next = (self.bias_active.q.val()
            | self
                .touched
                .q
                .val()
                .get_bit(self.next_group.q.val().get_bits::<5>(0).index()));
        match self.state.q.val() {
            CoreState::Idle => {
                if (self.ticked.q.val() | (!self.aer_in.empty.val())) {
                    self.state.d.next = CoreState::Accumulate;
                }
            }
            CoreState::Accumulate => {
                if self.accumulate_idle.val() {
                    if (!self.ticked.q.val()) {
                        self.state.d.next = CoreState::Idle;
                    } else if (self.rec_drained.q.val()
                        & (!self.acc_valid.q.val())
                        & (!self.fetched_valid.q.val())
                        & (!self.add_valid.q.val()))
                    {
                        // Every row is in the accumulators.
                        self.state.d.next = CoreState::UpdateStart;
                    }
                }
            }
            CoreState::UpdateStart => {
                // Bitmap word 0 was read in the last cycle of Accumulate.
                self.bitmap_word.d.next = self.active.read_data.val();
                self.next_group.d.next = 0.into();
                self.mask.d.next = 0.into();
                self.mask_any.d.next = false;
                self.rec_index.d.next = 0.into();
                self.rec_count.d.next = 0.into();
                self.step_updates.d.next = 0.into();
                self.bias_active.d.next = self.reg_bias_mant.q.val().any();
                self.state.d.next = CoreState::UpdateScan;
            }
            CoreState::UpdateScan => {
                if self.group_cycle.val() {
                    if (self.next_group.q.val() == self.reg_groups.q.val()) {
                        self.state.d.next = CoreState::UpdateDrain;
                    } else {
                        self.group.d.next = self.next_group.q.val().get_bits::<5>(0);
                        self.next_group.d.next = (self.next_group.q.val() + 1);
                        self.bitmap_word.d.next = self.active.read_data.val();
                        self.mask.d.next = self.bitmap_word.q.val();
                        if self.visit_group.val() {
                            self.mask.d.next = 0xFFFF_FFFF_u64.into();
                        }
                        self.mask_any.d.next =
                            (self.bitmap_word.q.val().any() | self.visit_group.val());
                    }
                } else {
                    self.mask.d.next = self.mask_rest.val();
                    self.mask_any.d.next = self.mask_multiple.val();
                    self.step_updates.d.next = (self.step_updates.q.val() + 1);
                    self.cnt_updates.d.next = (self.cnt_updates.q.val() + 1);
                }
            }
            CoreState::UpdateDrain => {
                if (self.in_flight.q.val() == 0) {
                    self.state.d.next = CoreState::WaitOutput;
                }
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
