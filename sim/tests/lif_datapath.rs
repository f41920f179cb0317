//! The pipelined LIF datapath against `golden::snn::fixed::lif_step`: the
//! corner cases of the Lava model and random states, inputs and parameters,
//! streamed one update per cycle (each result must come out exactly
//! `LIF_LATENCY` cycles after its inputs, with its tag, in order).

use golden::snn::{lif_step, NeuronParams, NeuronState};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::lif_datapath::{LifDatapath, LIF_LATENCY};
use sim::clock::Clocked;

const UV: i32 = 1 << 23;
const TAGS: usize = 1 << 11;

/// A datapath output: the new state, the spike, the non-zero flag.
type Update = (NeuronState, bool, bool);

fn datapath() -> Clocked<LifDatapath> {
    Clocked::new(LifDatapath::default(), |d| &mut d.clock).expect("the datapath passes its checks")
}

fn mask(x: i64, bits: u32) -> u64 {
    (x as u64) & ((1u64 << bits) - 1)
}

fn sign_extend(x: u64, bits: u32) -> i32 {
    ((x << (64 - bits)) as i64 >> (64 - bits)) as i32
}

/// Streams `cases` (state, a_in) through the datapath at one per cycle under
/// parameters `p`, inputs encoded as the core drives them; returns the
/// results in order. Panics unless each result comes out `LIF_LATENCY`
/// cycles after its inputs, tagged with its index.
fn rtl_updates(
    c: &mut Clocked<LifDatapath>,
    p: &NeuronParams,
    cases: &[(NeuronState, i32)],
) -> Vec<Update> {
    let d = &mut c.uut;
    d.factor_u.next = (4095 - u64::from(p.du)).into();
    d.factor_v.next = (4096 - u64::from(p.dv)).into();
    d.bias.next = mask(p.effective_bias().into(), 26).into();
    d.vth_scaled.next = (u64::from(p.vth) << 6).into();
    let mut out = Vec::with_capacity(cases.len());
    for cycle in 0..cases.len() + LIF_LATENCY {
        let d = &mut c.uut;
        match cases.get(cycle) {
            Some(&(s, a_in)) => {
                d.u_in.next = mask(s.u.into(), 25).into();
                d.v_in.next = mask(s.v.into(), 24).into();
                d.a_in.next = mask(a_in.into(), 18).into();
                d.valid_in.next = true;
                d.tag_in.next = ((cycle % TAGS) as u64).into();
            }
            None => d.valid_in.next = false,
        }
        c.settle().unwrap();
        let d = &c.uut;
        let expected = cycle.checked_sub(LIF_LATENCY);
        assert_eq!(
            d.valid_out.val(),
            expected.is_some(),
            "valid_out in cycle {cycle}"
        );
        if let Some(k) = expected {
            assert_eq!(
                d.tag_out.val().to_u64(),
                (k % TAGS) as u64,
                "tag in cycle {cycle}"
            );
            out.push((
                NeuronState {
                    u: sign_extend(d.u_out.val().to_u64(), 25),
                    v: sign_extend(d.v_out.val().to_u64(), 24),
                },
                d.spike.val(),
                d.nonzero.val(),
            ));
        }
        c.rise().unwrap();
        c.fall();
    }
    out
}

fn golden_update(s: NeuronState, a_in: i32, p: &NeuronParams) -> Update {
    let mut g = s;
    let spike = lif_step(&mut g, a_in, p);
    (g, spike, g.u != 0 || g.v != 0)
}

fn golden_updates(p: &NeuronParams, cases: &[(NeuronState, i32)]) -> Vec<Update> {
    cases.iter().map(|&(s, a)| golden_update(s, a, p)).collect()
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

/// The index and both sides of the first differing update.
fn first_difference(rtl: &[Update], golden: &[Update]) -> Option<(usize, Update, Update)> {
    assert_eq!(rtl.len(), golden.len());
    (0..rtl.len())
        .find(|&k| rtl[k] != golden[k])
        .map(|k| (k, rtl[k], golden[k]))
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
    let cases: Vec<(NeuronState, i32)> = states
        .iter()
        .flat_map(|&(u, v)| inputs.iter().map(move |&a| (NeuronState { u, v }, a)))
        .collect();
    for p in &ps {
        let rtl = rtl_updates(&mut d, p, &cases);
        let diff = first_difference(&rtl, &golden_updates(p, &cases));
        assert_eq!(diff, None, "{p:?}: {:?}", diff.map(|(k, ..)| cases[k]));
    }
}

#[test]
fn random_updates_match_the_reference() {
    // 2000 parameter sets of 50 back-to-back updates each
    let mut d = datapath();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..2000 {
        let p = params(
            rng.gen_range(0..=4095),
            rng.gen_range(0..=4095),
            rng.gen_range(0..=131_071),
            rng.gen_range(-4096..=4095),
            rng.gen_range(0..=7),
        );
        let cases: Vec<(NeuronState, i32)> = (0..50)
            .map(|_| {
                let s = NeuronState {
                    u: rng.gen_range(-UV + 1..=UV),
                    v: rng.gen_range(-(UV - 1)..=UV - 1),
                };
                (s, rng.gen_range(-(1 << 17)..=(1 << 17)))
            })
            .collect();
        let rtl = rtl_updates(&mut d, &p, &cases);
        let diff = first_difference(&rtl, &golden_updates(&p, &cases));
        assert_eq!(diff, None, "{p:?}: {:?}", diff.map(|(k, ..)| cases[k]));
    }
}

#[test]
fn a_one_lsb_difference_is_visible() {
    // The comparison above is not vacuous: one LSB more of v (no v decay)
    // or of a_in in one update of a stream changes that result only.
    let mut d = datapath();
    let p = params(410, 0, 7646, 0, 0);
    let s = NeuronState {
        u: 123_456,
        v: -98_765,
    };
    let cases = vec![(s, 17); 5];
    let golden = golden_updates(&p, &cases);
    assert_eq!(
        first_difference(&rtl_updates(&mut d, &p, &cases), &golden),
        None
    );
    let mut off = cases.clone();
    off[2].0.v += 1;
    let diff = first_difference(&rtl_updates(&mut d, &p, &off), &golden);
    assert_eq!(diff.map(|(k, ..)| k), Some(2));
    let mut off = cases.clone();
    off[4].1 += 1;
    let diff = first_difference(&rtl_updates(&mut d, &p, &off), &golden);
    assert_eq!(diff.map(|(k, ..)| k), Some(4));
}
