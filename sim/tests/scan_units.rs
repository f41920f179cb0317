//! The scan array's arithmetic units, each alone: the Rust model against
//! `golden::ssm::fixed` (rust engine), and the hand-written Verilog against
//! the model, every output every cycle (Verilator in lockstep), on random
//! words mixed with the edges of each format; the units with products also
//! in their ECP5 form (MULT18X18D instances, on the cell's model). Each
//! golden comparison is also shown to catch a one-LSB error. The DSP
//! products of the GEMM PE (signed) and sequencer (unsigned) are checked
//! the same way.

use golden::ssm::fixed::qformat::{round_shift, saturate};
use golden::ssm::fixed::units::{Exp2Neg, Silu, Softplus};
use rand::Rng;
use rtl::common::dsp::{ecp5_form, DspProduct, DSP_LATENCY, ECP5_MACRO};
use rtl::ssm::scan_units::ch_mac::{CH_LATENCY, CH_PSUM_IN_DELAY};
use rtl::ssm::scan_units::dbu::DBU_LATENCY;
use rtl::ssm::scan_units::exp2neg::{Exp2NegUnit, EXP2NEG_LATENCY};
use rtl::ssm::scan_units::row_head_terms::{DeltaUUnit, SkipTerm, DELTA_U_LATENCY, SKIP_LATENCY};
use rtl::ssm::scan_units::silu::{SiluUnit, SILU_LATENCY};
use rtl::ssm::scan_units::softplus::{SoftplusUnit, SOFTPLUS_LATENCY};
use rtl::ssm::scan_units::state_ring::{StateRing, STATE_RING_STAGES};
use rtl::ssm::scan_units::y_finish::{YFinish, Y_LATENCY};
use rtl::ssm::scan_units::{ch_mac::ChMac, dbu::DbuUnit};
use sim::engine::lockstep::Lockstep;
use sim::engine::rust::{HasPorts, RustEngine};
use sim::engine::verilator::{emitted_verilog, VerilatorEngine};
use sim::engine::{self, ClockPort, Engine, EngineKind};

/// Cycles of random stimulus per unit.
const CYCLES: usize = 3000;

/// The signed value of a `width`-bit word.
fn signed(x: u64, width: u32) -> i64 {
    let s = 64 - width;
    ((x << s) as i64) >> s
}

/// The `width`-bit word of a value.
fn word(v: i64, width: u32) -> u64 {
    if width == 64 {
        v as u64
    } else {
        (v as u64) & ((1 << width) - 1)
    }
}

/// A random `width`-bit word, one in four an edge of the format (0, ±1,
/// the largest and smallest signed and unsigned values).
fn random_word(rng: &mut golden::rng::Rng, width: u32) -> u64 {
    let mask = if width == 64 {
        u64::MAX
    } else {
        (1 << width) - 1
    };
    if rng.gen_bool(0.25) {
        let edges = [0, 1, mask, mask >> 1, (mask >> 1) + 1, mask - 1];
        edges[rng.gen_range(0..edges.len())]
    } else {
        rng.gen::<u64>() & mask
    }
}

/// Drives `inputs[cycle]` (values in `names` order) into the unit and
/// returns every output's value in every cycle, on engine `kind` (the
/// lockstep engine stops at the first difference between its two).
fn run<U: HasPorts>(
    kind: EngineKind,
    names: &[&str],
    outputs: &[&str],
    inputs: &[Vec<u64>],
) -> Vec<Vec<u64>> {
    drive(
        engine::open::<U>(kind).expect("engine"),
        names,
        outputs,
        inputs,
    )
}

/// Drives `inputs` into engine `e`, as [`run`] does.
fn drive(
    mut e: Box<dyn Engine>,
    names: &[&str],
    outputs: &[&str],
    inputs: &[Vec<u64>],
) -> Vec<Vec<u64>> {
    let ins: Vec<_> = names
        .iter()
        .map(|n| e.ports().input(n).expect("input"))
        .collect();
    let outs: Vec<_> = outputs
        .iter()
        .map(|n| e.ports().output(n).expect("output"))
        .collect();
    let clock = ClockPort::of(e.as_ref()).unwrap();
    let mut seen = Vec::with_capacity(inputs.len());
    for cycle in inputs {
        for (&port, &v) in ins.iter().zip(cycle) {
            e.set(port, v);
        }
        e.eval().expect("eval");
        seen.push(outs.iter().map(|&o| e.get(o)).collect());
        clock.rise(e.as_mut()).expect("clock");
    }
    seen
}

/// Random stimulus of the given port widths.
fn stimulus(seed: u64, widths: &[u32]) -> Vec<Vec<u64>> {
    let mut rng = golden::rng::seeded(seed);
    (0..CYCLES)
        .map(|_| widths.iter().map(|&w| random_word(&mut rng, w)).collect())
        .collect()
}

/// Output 0 of `seen` at cycle x + `latency` equals `want(x)` for every x
/// past the pipeline fill; the first difference, if any.
fn check(
    seen: &[Vec<u64>],
    latency: usize,
    want: impl Fn(usize) -> Option<u64>,
) -> Result<(), String> {
    for x in 0..seen.len() - latency {
        if let Some(w) = want(x) {
            let got = seen[x + latency][0];
            if got != w {
                return Err(format!("cycle {x}: got {got:#x}, want {w:#x}"));
            }
        }
    }
    Ok(())
}

/// `check` passes, and fails once one expected word is one LSB off.
fn check_and_plant(seen: &[Vec<u64>], latency: usize, want: impl Fn(usize) -> Option<u64>) {
    check(seen, latency, &want).unwrap();
    let planted = seen.len() / 2;
    let off = |x: usize| want(x).map(|w| if x == planted { w ^ 1 } else { w });
    assert!(
        check(seen, latency, off).is_err(),
        "a one-LSB error must be caught"
    );
}

/// The unit's Verilog equals its model on `stimulus`, cycle by cycle, and
/// so does its ECP5 form (MULT18X18D instances on the cell's model) when
/// the unit has products.
fn lockstep<U: HasPorts>(names: &[&str], outputs: &[&str], stimulus: &[Vec<u64>]) {
    run::<U>(EngineKind::Cosim, names, outputs, stimulus);
    let verilog = emitted_verilog::<U>();
    if verilog.contains(ECP5_MACRO) {
        let ecp5 = VerilatorEngine::of_verilog::<U>(&ecp5_form(&verilog)).expect("ECP5 form");
        let engine = Lockstep::new(Box::new(RustEngine::<U>::new().unwrap()), Box::new(ecp5));
        drive(
            Box::new(engine.expect("lockstep")),
            names,
            outputs,
            stimulus,
        );
    }
}

#[test]
fn dsp_products_are_exact_in_both_forms() {
    let names = ["a", "b"];
    let x = stimulus(10, &[8, 8]);
    let seen = run::<DspProduct<8, 8, 16, true>>(EngineKind::Rust, &names, &["p"], &x);
    check_and_plant(&seen, DSP_LATENCY, |c| {
        Some(word(signed(x[c][0], 8) * signed(x[c][1], 8), 16))
    });
    lockstep::<DspProduct<8, 8, 16, true>>(&names, &["p"], &x);

    let x = stimulus(11, &[16, 16]);
    let seen = run::<DspProduct<16, 16, 32, false>>(EngineKind::Rust, &names, &["p"], &x);
    check_and_plant(&seen, DSP_LATENCY, |c| Some(x[c][0] * x[c][1]));
    lockstep::<DspProduct<16, 16, 32, false>>(&names, &["p"], &x);
}

#[test]
fn exp2neg_is_golden_and_its_verilog_is_its_model() {
    let names = ["dlt", "a2"];
    let x = stimulus(1, &[18, 16]);
    let e = Exp2Neg::new();
    let seen = run::<Exp2NegUnit>(EngineKind::Rust, &names, &["da"], &x);
    check_and_plant(&seen, EXP2NEG_LATENCY, |c| {
        Some(e.eval((x[c][0] * x[c][1]) as i64) as u64)
    });
    lockstep::<Exp2NegUnit>(&names, &["da"], &x);
}

#[test]
fn dbu_is_golden_and_its_verilog_is_its_model() {
    let names = ["du", "b"];
    let x = stimulus(2, &[28, 16]);
    let seen = run::<DbuUnit>(EngineKind::Rust, &names, &["dbu"], &x);
    check_and_plant(&seen, DBU_LATENCY, |c| {
        let p = signed(x[c][0], 28) * signed(x[c][1], 16);
        Some(word(round_shift(p, 10), 34))
    });
    lockstep::<DbuUnit>(&names, &["dbu"], &x);
}

#[test]
fn the_state_ring_keeps_four_recurrences_and_its_verilog_is_its_model() {
    let names = ["valid", "first", "h0", "da", "dbu"];
    let mut rng = golden::rng::seeded(3);
    let mut x = stimulus(3, &[1, 1, 32, 18, 34]);
    // dA ≤ 1.0 (UQ1.17), as the exp2neg unit delivers; a fold starts with
    // `first` on each slot's first token.
    for (c, v) in x.iter_mut().enumerate() {
        v[3] = rng.gen_range(0..=1 << 17);
        if rng.gen_bool(0.2) {
            v[3] = [0, 1 << 17, (1 << 17) - 1][c % 3];
        }
        v[1] = u64::from(c < STATE_RING_STAGES || rng.gen_bool(0.02));
    }
    let seen = run::<StateRing>(EngineKind::Rust, &names, &["h"], &x);
    // Slot c mod 4: h ← sat32(round(dA·h, 17) + dBu), or h0 on `first`;
    // a cycle without a token leaves its slot's state alone.
    let mut state = [0i64; STATE_RING_STAGES];
    let mut want = Vec::with_capacity(x.len());
    for (c, v) in x.iter().enumerate() {
        let h = &mut state[c % STATE_RING_STAGES];
        let start = if v[1] == 1 { signed(v[2], 32) } else { *h };
        *h = if v[0] == 1 {
            saturate(round_shift(v[3] as i64 * start, 17) + signed(v[4], 34), 32)
        } else {
            start
        };
        want.push(word(*h, 32));
    }
    check_and_plant(&seen, STATE_RING_STAGES, |c| Some(want[c]));
    lockstep::<StateRing>(&names, &["h"], &x);
}

#[test]
fn ch_mac_is_golden_and_its_verilog_is_its_model() {
    let names = ["c", "h", "psum_in"];
    let x = stimulus(4, &[16, 32, 64]);
    let seen = run::<ChMac>(EngineKind::Rust, &names, &["psum_out"], &x);
    check_and_plant(&seen, CH_LATENCY, |c| {
        let ch = signed(x[c][0], 16) * signed(x[c][1], 32);
        let psum = x[c + CH_PSUM_IN_DELAY][2] as i64;
        Some(psum.wrapping_add(ch) as u64)
    });
    lockstep::<ChMac>(&names, &["psum_out"], &x);
}

#[test]
fn softplus_is_golden_and_its_verilog_is_its_model() {
    let names = ["en", "delta", "bias"];
    let x = stimulus(5, &[1, 16, 16]);
    let sp = Softplus::new();
    let seen = run::<SoftplusUnit>(EngineKind::Rust, &names, &["dlt"], &x);
    check_and_plant(&seen, SOFTPLUS_LATENCY, |c| {
        let v = signed(x[c][1], 16) + signed(x[c][2], 16);
        // `en` is sampled one stage after the operands (it is held per job).
        Some(if x[c + 1][0] == 1 {
            sp.eval(v) as u64
        } else {
            (v << 6).clamp(0, (1 << 18) - 1) as u64
        })
    });
    lockstep::<SoftplusUnit>(&names, &["dlt"], &x);
}

#[test]
fn silu_is_golden_and_its_verilog_is_its_model() {
    let x = stimulus(6, &[16]);
    let s = Silu::new();
    let seen = run::<SiluUnit>(EngineKind::Rust, &["z"], &["silu"], &x);
    check_and_plant(&seen, SILU_LATENCY, |c| {
        Some(word(s.eval(signed(x[c][0], 16)), 18))
    });
    lockstep::<SiluUnit>(&["z"], &["silu"], &x);
}

#[test]
fn delta_u_is_golden_and_its_verilog_is_its_model() {
    let names = ["dlt", "u"];
    let x = stimulus(7, &[18, 16]);
    let seen = run::<DeltaUUnit>(EngineKind::Rust, &names, &["du"], &x);
    check_and_plant(&seen, DELTA_U_LATENCY, |c| {
        Some(word(
            round_shift(x[c][0] as i64 * signed(x[c][1], 16), 6),
            28,
        ))
    });
    lockstep::<DeltaUUnit>(&names, &["du"], &x);
}

#[test]
fn the_skip_term_is_golden_and_its_verilog_is_its_model() {
    let names = ["en", "skip", "u"];
    let x = stimulus(8, &[1, 16, 16]);
    let seen = run::<SkipTerm>(EngineKind::Rust, &names, &["psum0"], &x);
    check_and_plant(&seen, SKIP_LATENCY, |c| {
        let term = (signed(x[c][1], 16) * signed(x[c][2], 16)) << 10;
        Some(if x[c][0] == 1 { term as u64 } else { 0 })
    });
    lockstep::<SkipTerm>(&names, &["psum0"], &x);
}

#[test]
fn y_finish_is_golden_and_its_verilog_is_its_model() {
    let names = ["gate", "nfirst", "psum", "acc_word", "silu"];
    let mut rng = golden::rng::seeded(9);
    let mut x = stimulus(9, &[1, 1, 64, 64, 18]);
    // Accumulator words and partial sums within the y accumulator's range
    // (|acc| < 2^61), half of them small enough not to saturate y.
    for v in x.iter_mut() {
        let bits = if rng.gen_bool(0.5) { 46 } else { 60 };
        v[2] = word(signed(v[2], bits), 64);
        v[3] = word(signed(v[3], bits), 64);
    }
    let outs = ["y", "acc"];
    let seen = run::<YFinish>(EngineKind::Rust, &names, &outs, &x);
    let acc = |c: usize| {
        let word = if x[c][1] == 1 { 0 } else { x[c - 1][3] as i64 };
        (x[c][2] as i64).wrapping_add(word)
    };
    let y = |c: usize| {
        if c == 0 {
            return None;
        }
        let y_pre = saturate(round_shift(acc(c), 14), 32);
        let y = if x[c][0] == 1 {
            saturate(round_shift(y_pre * signed(x[c][4], 18), 12), 32)
        } else {
            y_pre
        };
        Some(word(y, 32))
    };
    check_and_plant(&seen, Y_LATENCY, y);
    let acc_seen: Vec<Vec<u64>> = seen.iter().map(|v| vec![v[1]]).collect();
    check_and_plant(&acc_seen, 1, |c| (c > 0).then(|| acc(c) as u64));
    lockstep::<YFinish>(&names, &outs, &x);
}
