//! Unit tests of the GEMM processing element, written as a spec:
//! set inputs, tick, get outputs.

use rtl::common::dsp::DSP_LATENCY;
use rtl::ssm::pe::Pe;
use rust_hdl::prelude::*;
use sim::clock::Clocked;

type Bench = Clocked<Pe>;

fn bench() -> Bench {
    Clocked::new(Pe::default(), |pe| &mut pe.clock).expect("PE passes rust-hdl's checks")
}

fn i8_bits(x: i8) -> Bits<8> {
    (x as u8 as u64).into()
}

fn i32_bits(x: i32) -> Bits<32> {
    (x as u32 as u64).into()
}

fn get_i32(x: Bits<32>) -> i32 {
    x.to_u32() as i32
}

fn get_i8(x: Bits<8>) -> i8 {
    x.to_u8() as i8
}

/// Idle inputs: nothing valid.
fn idle(pe: &mut Pe) {
    pe.a_valid_in.next = false;
    pe.a_sel_in.next = false;
    pe.a_in.next = 0.into();
    pe.p_in.next = 0.into();
    pe.w_valid_in.next = false;
    pe.w_first_in.next = false;
    pe.w_buf_in.next = false;
    pe.w_in.next = 0.into();
}

/// Preload `w` into weight register `buf` (a one-word burst: the word is `first`).
fn load_weight(b: &mut Bench, buf: bool, w: i8) {
    idle(&mut b.uut);
    b.uut.w_valid_in.next = true;
    b.uut.w_first_in.next = true;
    b.uut.w_buf_in.next = buf;
    b.uut.w_in.next = i8_bits(w);
    b.tick().unwrap();
    idle(&mut b.uut);
    b.settle().unwrap();
}

/// Presents one valid activation for a cycle and checks that it (with its
/// select bit) is forwarded east one edge later.
fn send_activation(b: &mut Bench, sel: bool, a: i8) {
    b.uut.a_valid_in.next = true;
    b.uut.a_sel_in.next = sel;
    b.uut.a_in.next = i8_bits(a);
    b.tick().unwrap();
    assert!(b.uut.a_valid_out.val(), "valid travels with the activation");
    assert_eq!(
        b.uut.a_sel_out.val(),
        sel,
        "select travels with the activation"
    );
    assert_eq!(get_i8(b.uut.a_out.val()), a, "activation is forwarded east");
}

/// One valid activation through the PE: its product meets the partial sum
/// `p_in` presented [`DSP_LATENCY`] cycles after the activation; returns
/// p_out after that edge.
fn mac(b: &mut Bench, sel: bool, a: i8, p_in: i32) -> i32 {
    idle(&mut b.uut);
    send_activation(b, sel, a);
    idle(&mut b.uut);
    for _ in 1..DSP_LATENCY {
        b.tick().unwrap();
        assert!(!b.uut.p_valid_out.val(), "the product is not out yet");
    }
    b.uut.p_in.next = i32_bits(p_in);
    b.tick().unwrap();
    assert!(b.uut.p_valid_out.val(), "the activation's sum is out");
    get_i32(b.uut.p_out.val())
}

#[test]
fn int8_corner_products() {
    let mut b = bench();
    load_weight(&mut b, false, -128);
    load_weight(&mut b, true, 127);
    assert_eq!(get_i8(b.uut.weight0_out.val()), -128);
    assert_eq!(get_i8(b.uut.weight1_out.val()), 127);
    // −128 · −128 = +16384: the one product that needs the full int16 range.
    assert_eq!(mac(&mut b, false, -128, 0), 16384);
    // 127 · −128 and −128 · 127 = −16256.
    assert_eq!(mac(&mut b, false, 127, 0), -16256);
    assert_eq!(mac(&mut b, true, -128, 0), -16256);
    assert_eq!(mac(&mut b, true, 127, 0), 16129);
    assert_eq!(mac(&mut b, true, -1, 0), -127);
    assert_eq!(mac(&mut b, false, 0, 5), 5);
}

#[test]
fn accumulation_wraps_at_32_bits() {
    let mut b = bench();
    load_weight(&mut b, false, -128);
    // i32::MAX + 16384 wraps to a negative number, as two's complement does.
    assert_eq!(
        mac(&mut b, false, -128, i32::MAX),
        i32::MAX.wrapping_add(16384)
    );
    assert!(mac(&mut b, false, -128, i32::MAX) < 0);
    // i32::MIN − 16256 wraps positive.
    assert_eq!(
        mac(&mut b, false, 127, i32::MIN),
        i32::MIN.wrapping_add(-16256)
    );
    // Ordinary accumulation.
    assert_eq!(mac(&mut b, false, 3, -1000), -1000 - 384);
}

#[test]
fn bubbles_hold_the_sum_and_travel_on() {
    let mut b = bench();
    load_weight(&mut b, false, 2);
    assert_eq!(mac(&mut b, false, 21, 0), 42);
    idle(&mut b.uut);
    b.uut.a_in.next = i8_bits(99);
    b.uut.p_in.next = i32_bits(7);
    b.tick().unwrap();
    assert!(!b.uut.a_valid_out.val(), "the bubble travels on");
    for _ in 0..DSP_LATENCY {
        b.tick().unwrap();
        assert!(!b.uut.p_valid_out.val());
        assert_eq!(
            get_i32(b.uut.p_out.val()),
            42,
            "an invalid slot changes no sum"
        );
    }
}

#[test]
fn preload_burst_keeps_the_first_word_and_retags_the_next() {
    let mut b = bench();
    // A 3-word burst into buffer 1: this PE keeps word 0, forwards word 1 as
    // the new `first`, and word 2 as an ordinary word.
    let burst: [(i8, bool); 3] = [(11, true), (22, false), (33, false)];
    let mut forwarded = vec![];
    for (w, first) in burst {
        idle(&mut b.uut);
        b.uut.w_valid_in.next = true;
        b.uut.w_first_in.next = first;
        b.uut.w_buf_in.next = true;
        b.uut.w_in.next = i8_bits(w);
        b.tick().unwrap();
        if b.uut.w_valid_out.val() {
            forwarded.push((
                get_i8(b.uut.w_out.val()),
                b.uut.w_first_out.val(),
                b.uut.w_buf_out.val(),
            ));
        }
    }
    assert_eq!(get_i8(b.uut.weight1_out.val()), 11);
    assert_eq!(
        get_i8(b.uut.weight0_out.val()),
        0,
        "the other buffer is untouched"
    );
    assert_eq!(forwarded, vec![(22, true, true), (33, false, true)]);
    // While a burst loads buffer 1, activations keep using buffer 0.
    load_weight(&mut b, false, 5);
    assert_eq!(mac(&mut b, false, 3, 0), 15);
    assert_eq!(mac(&mut b, true, 3, 0), 33);
}

/// Every int8 × int8 pair, streamed back to back (one activation per
/// cycle, each partial sum presented [`DSP_LATENCY`] cycles after its
/// activation), against i32 arithmetic.
#[test]
fn exhaustive_int8_products() {
    let mut b = bench();
    let p_of = |a: i8| (a as i32) * 1_000_003;
    for w in i8::MIN..=i8::MAX {
        let sel = (w as u8) & 1 == 1;
        load_weight(&mut b, sel, w);
        let stream: Vec<i8> = (i8::MIN..=i8::MAX).collect();
        for cycle in 0..stream.len() + DSP_LATENCY {
            idle(&mut b.uut);
            if let Some(&a) = stream.get(cycle) {
                b.uut.a_valid_in.next = true;
                b.uut.a_sel_in.next = sel;
                b.uut.a_in.next = i8_bits(a);
            }
            let done = cycle.checked_sub(DSP_LATENCY).map(|i| stream[i]);
            if let Some(a) = done {
                b.uut.p_in.next = i32_bits(p_of(a));
            }
            b.tick().unwrap();
            if let Some(a) = done {
                assert!(b.uut.p_valid_out.val(), "a={a} w={w}");
                let want = p_of(a).wrapping_add(a as i32 * w as i32);
                assert_eq!(get_i32(b.uut.p_out.val()), want, "a={a} w={w}");
            }
        }
    }
}
