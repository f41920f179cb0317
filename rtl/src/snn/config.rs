//! Sizes, memory layout and the configuration-port address map of the
//! neuromorphic core ([`super::core::SnnCore`]).
//!
//! The core is built for the largest layer it supports (the widths below) and
//! told the actual layer size through configuration registers, so one
//! bitstream runs any layer up to these limits:
//!
//! - neurons: a multiple of [`GROUP`] up to [`MAX_NEURONS`] (the driver pads
//!   other sizes with silent neurons);
//! - inputs: up to [`MAX_INPUTS`];
//! - fan-in (inputs, plus neurons when recurrent) ≤ [`MAX_FAN_IN`], so the
//!   18-bit accumulator holds any sum of int8 weights exactly:
//!   |a_in| ≤ 1024 · 128 = 2^17 (which also keeps u in (−2^23, 2^23]);
//! - synapse words ((inputs + recurrent rows) · neurons / 4) ≤
//!   2^[`SYNAPSE_ADDR_BITS`] = 65 536 words = 256 k synapses (the default
//!   256 → 256 layer needs 16 384 words, 32 768 with recurrence); the UP5K
//!   build has 2^[`UP5K_SYNAPSE_ADDR_BITS`] = 16 384 words.
//!
//! Synapse memory: 32-bit words of four int8 weights, row-major; row r (an
//! input i = r, or a recurrent source neuron k = r − inputs) occupies words
//! `r · W … r · W + W − 1` with `W = neurons / 4`, and byte b (bits
//! 8b+7…8b) of word w is the weight to neuron `4w + b`.
//!
//! Configuration port (core clock domain, one write per cycle while
//! `cfg_write` is high): `cfg_addr` bit 17 set writes synapse word
//! `cfg_addr[15:0]`; clear writes register `cfg_addr[3:0]`:
//!
//! | reg | name            | bits | value                                   |
//! |-----|-----------------|------|-----------------------------------------|
//! | 0   | `REG_WORDS`     | 9u   | W = neurons / 4                          |
//! | 1   | `REG_GROUPS`    | 6u   | neurons / 32                             |
//! | 2   | `REG_REC_BASE`  | 11u  | first recurrent row (= inputs)           |
//! | 3   | `REG_REC_EN`    | 1    | recurrent rows present                   |
//! | 4   | `REG_DU`        | 12u  | du                                       |
//! | 5   | `REG_DV`        | 12u  | dv                                       |
//! | 6   | `REG_VTH`       | 17u  | vth                                      |
//! | 7   | `REG_BIAS_MANT` | 13   | bias mantissa, two's complement           |
//! | 8   | `REG_BIAS_EXP`  | 3u   | bias exponent                            |

/// Synaptic lanes: int8 weights per synapse word, synapses per cycle.
pub const LANES: usize = 4;
/// Neurons per word of the active bitmap (one bitmap word per group).
pub const GROUP: usize = 32;
pub const MAX_NEURONS: usize = 1024;
pub const MAX_INPUTS: usize = 1024;
pub const MAX_FAN_IN: usize = 1024;
/// Synapse-memory address bits of the ECP5 build (the one the simulator
/// runs): 2^16 words, in inferred block RAM.
///
/// Measured on the LFE5U-85F (`spikescan synth snn --target ecp5-85k`:
/// Yosys 0.23 `synth_ecp5`, nextpnr-0.11.1 `--85k --package CABGA381
/// --freq 100`, out of context like the SSM designs): 2 650 / 83 640
/// TRELLIS_COMB (3 %), 2 274 TRELLIS_FF, 5 / 156 MULT18X18D, 137 / 208
/// DP16KD (128 of them the 2 Mbit of synapses; the budget's estimate was
/// ~138). **Fmax 114.3 MHz (target 100)**, with the LIF update pipelined
/// (see [`super::lif_datapath`]) and every block-RAM output registered; the
/// critical path (8.7 ns, one logic level) is an accumulator bank's read
/// port (5.8 ns clock-to-output) through one LUT into the core's
/// `acc_data` register.
pub const SYNAPSE_ADDR_BITS: usize = 16;
pub const MAX_SYNAPSE_WORDS: usize = 1 << SYNAPSE_ADDR_BITS;
/// Synapse-memory address bits of the iCE40 UP5K build: 2^14 words.
///
/// The UP5K build (`SnnCoreUp5k`, `spikescan verilog snn` →
/// `snn-core-up5k.v`) keeps its 2^14 × 32-bit synapse words (64 k int8
/// synapses, 512 kbit) in two SB_SPRAM256KA (16 k × 16 each, of the 4 on
/// the chip), since the 30 EBR hold only 120 kbit (see
/// [`super::synapse_memory`]).
///
/// Measured (`spikescan synth snn --target ice40-up5k`: Yosys 0.23
/// `synth_ice40 -dsp`, nextpnr-0.11.1 `--up5k --package sg48 --freq 30`,
/// inside the I/O harness of `spikescan synth`, whose ~100 input flip-flops
/// and output XOR fold are included): 3 503 / 5 280 ICESTORM_LC (66 %),
/// 2 226 flip-flops (Yosys SB_DFF*), 5 / 8 DSP (SB_MAC16: the four partial
/// products of the two decays and the row base), **30 / 30 EBR** (state
/// 1024 × 49 bit, accumulators 4 × 256 × 18 bit, spike list, bitmap, AER
/// FIFOs: the budget's estimate was 29) and 2 / 4 SPRAM. **Fmax 36.6 MHz
/// (target 30)**: the LIF update runs over 9 registered stages, one neuron
/// per cycle (see [`super::lif_datapath`]). The critical path (27.3 ns,
/// 6 logic levels, 65 % routing) is the group scan's group cycle: the
/// `touched` bit selected by `next_group`, or'ed with the bias flag, into
/// the new mask. There is no EBR left for anything else on the chip.
pub const UP5K_SYNAPSE_ADDR_BITS: usize = 14;

/// `cfg_addr` bit selecting the synapse memory.
pub const CFG_SYNAPSE: u64 = 1 << 17;
pub const REG_WORDS: u64 = 0;
pub const REG_GROUPS: u64 = 1;
pub const REG_REC_BASE: u64 = 2;
pub const REG_REC_EN: u64 = 3;
pub const REG_DU: u64 = 4;
pub const REG_DV: u64 = 5;
pub const REG_VTH: u64 = 6;
pub const REG_BIAS_MANT: u64 = 7;
pub const REG_BIAS_EXP: u64 = 8;

/// Neuron state word of the state memory and of the debug read port:
/// bits 23…0 = v (24-bit two's complement), bits 48…24 = u (25-bit).
pub const STATE_U_SHIFT: usize = 24;
