//! The combinational LIF datapath against `golden::snn::fixed::lif_step`,
//! one update at a time: the corner cases of the Lava model and random
//! states, inputs and parameters.

use golden::snn::{lif_step, NeuronParams, NeuronState};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::lif_datapath::LifDatapath;
use rust_hdl::prelude::*;
use sim::snn::clocking::settle;

const UV: i32 = 1 << 23;

fn datapath() -> LifDatapath {
    let mut d = LifDatapath::default();
    d.connect_all();
    d
}

/// One update on the datapath, inputs encoded as the core drives them.
fn rtl_step(
    d: &mut LifDatapath,
    s: NeuronState,
    a_in: i32,
    p: &NeuronParams,
) -> (NeuronState, bool) {
    let m = |x: i64, bits: u32| (x as u64) & ((1u64 << bits) - 1);
    d.u_in.next = m(s.u.into(), 25).into();
    d.v_in.next = m(s.v.into(), 24).into();
    d.a_in.next = m(a_in.into(), 18).into();
    d.factor_u.next = (4095 - u64::from(p.du)).into();
    d.factor_v.next = (4096 - u64::from(p.dv)).into();
    d.bias.next = m(p.effective_bias().into(), 26).into();
    d.vth_scaled.next = (u64::from(p.vth) << 6).into();
    settle(d);
    let sx = |x: u64, bits: u32| ((x << (64 - bits)) as i64 >> (64 - bits)) as i32;
    (
        NeuronState {
            u: sx(d.u_out.val().to_u64(), 25),
            v: sx(d.v_out.val().to_u64(), 24),
        },
        d.spike.val(),
    )
}

fn golden_step(s: NeuronState, a_in: i32, p: &NeuronParams) -> (NeuronState, bool) {
    let mut g = s;
    let spike = lif_step(&mut g, a_in, p);
    (g, spike)
}

fn params(du: u16, dv: u16, vth: u32, bias_mant: i16, bias_exp: u8) -> NeuronParams {
    NeuronParams {
        du,
        dv,
        vth,
        bias_mant,
        bias_exp,
        steps: 1,
    }
}

#[test]
fn corner_cases_match_the_reference() {
    let mut d = datapath();
    let states = [
        (0, 0),
        (-1, -1),
        (1, 1),
        (-4097, 4097),
        (UV, UV - 1),
        (-UV + 1, -(UV - 1)),
        (258_048, 0),
        (-258_048, 0),
        (UV - 1, -UV + 1),
    ];
    let inputs = [
        0,
        1,
        -1,
        127,
        -128,
        1 << 17,
        -(1 << 17),
        127_041,
        -127_041,
        131_071,
    ];
    let ps = [
        params(0, 0, 0, 0, 0),
        params(0, 4095, 131_071, 0, 0),
        params(4095, 0, 131_071, 0, 0),
        params(4095, 4095, 10, 1, 0),
        params(410, 205, 7646, -4096, 7),
        params(1, 1, 0, 4095, 7),
        params(4095, 1, 1, -1, 3),
    ];
    let mut n = 0;
    for &(u, v) in &states {
        for &a in &inputs {
            for p in &ps {
                let s = NeuronState { u, v };
                assert_eq!(
                    rtl_step(&mut d, s, a, p),
                    golden_step(s, a, p),
                    "u={u} v={v} a_in={a} {p:?}"
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, states.len() * inputs.len() * ps.len());
}

#[test]
fn random_updates_match_the_reference() {
    let mut d = datapath();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..100_000 {
        let p = params(
            rng.gen_range(0..=4095),
            rng.gen_range(0..=4095),
            rng.gen_range(0..=131_071),
            rng.gen_range(-4096..=4095),
            rng.gen_range(0..=7),
        );
        let s = NeuronState {
            u: rng.gen_range(-UV + 1..=UV),
            v: rng.gen_range(-(UV - 1)..=UV - 1),
        };
        let a = rng.gen_range(-(1 << 17)..=(1 << 17));
        assert_eq!(
            rtl_step(&mut d, s, a, &p),
            golden_step(s, a, &p),
            "{s:?} a_in={a} {p:?}"
        );
    }
}

#[test]
fn a_one_lsb_difference_is_visible() {
    // The comparison above is not vacuous: one LSB more of v (no v decay)
    // or of a_in changes the result the reference gives.
    let mut d = datapath();
    let p = params(410, 0, 7646, 0, 0);
    let s = NeuronState {
        u: 123_456,
        v: -98_765,
    };
    let good = golden_step(s, 17, &p);
    assert_eq!(rtl_step(&mut d, s, 17, &p), good);
    let off = NeuronState { u: s.u, v: s.v + 1 };
    assert_ne!(rtl_step(&mut d, off, 17, &p), good);
    assert_ne!(rtl_step(&mut d, s, 18, &p), good);
}
