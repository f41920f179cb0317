//! Helpers for the hand-written Verilog of `Wrapper` blocks: register
//! declarations that start at zero (as the Rust models do and as rust-hdl's
//! own `DFF`s are emitted), and signed/unsigned sizing in Verilator `-Wall`
//! clean form.

use std::fmt::Write as _;

/// `reg [w-1:0] name;` with an `initial` zero, for each `(name, width)`.
/// Widths are at least 1; a `signed` register is declared `reg signed`.
pub fn regs(list: &[(&str, usize, bool)]) -> String {
    let mut text = String::new();
    for &(name, width, signed) in list {
        assert!(width >= 1, "register {name} has no bits");
        let sign = if signed { "signed " } else { "" };
        let _ = writeln!(text, "reg {sign}[{}:0] {name};", width - 1);
    }
    text.push_str("initial begin\n");
    for &(name, width, _) in list {
        let _ = writeln!(text, "    {name} = {width}'d0;");
    }
    text.push_str("end\n");
    text
}

/// A chain of `depth` registers `name1 … name{depth}` taking `input`:
/// returns the declarations and the statements for an `always @(posedge
/// clock)` block; `name{depth}` is `input` delayed by `depth` cycles.
pub fn delay_chain(name: &str, width: usize, depth: usize, input: &str) -> (String, String) {
    let names: Vec<String> = (1..=depth).map(|i| format!("{name}{i}")).collect();
    let decl: Vec<(&str, usize, bool)> = names.iter().map(|n| (n.as_str(), width, false)).collect();
    let mut body = String::new();
    for (i, n) in names.iter().enumerate() {
        let from = if i == 0 {
            input.to_string()
        } else {
            names[i - 1].clone()
        };
        let _ = writeln!(body, "    {n} <= {from};");
    }
    (regs(&decl), body)
}

/// The low `width` bits of `value`, as a Verilog hex literal.
pub fn hex(width: usize, value: u64) -> String {
    let masked = if width >= 64 {
        value
    } else {
        value & ((1u64 << width) - 1)
    };
    format!("{width}'h{masked:x}")
}

/// `x` (a `from`-bit two's-complement vector) sign-extended to `to` bits.
pub fn sext(x: &str, from: usize, to: usize) -> String {
    assert!(to >= from, "sign extension of {x} from {from} to {to} bits");
    if to == from {
        x.to_string()
    } else {
        format!("{{{{{}{{{x}[{}]}}}}, {x}}}", to - from, from - 1)
    }
}

/// `x` (a `from`-bit unsigned vector) zero-extended to `to` bits.
pub fn zext(x: &str, from: usize, to: usize) -> String {
    assert!(to >= from, "zero extension of {x} from {from} to {to} bits");
    if to == from {
        x.to_string()
    } else {
        format!("{{{}'d0, {x}}}", to - from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_start_at_zero() {
        let text = regs(&[("a", 3, false), ("b", 1, true)]);
        assert!(text.contains("reg [2:0] a;"));
        assert!(text.contains("reg signed [0:0] b;"));
        assert!(text.contains("a = 3'd0;"));
        assert!(text.contains("b = 1'd0;"));
    }

    #[test]
    fn extensions_are_concatenations() {
        assert_eq!(sext("x", 4, 6), "{{2{x[3]}}, x}");
        assert_eq!(sext("x", 4, 4), "x");
        assert_eq!(zext("x", 4, 6), "{2'd0, x}");
    }

    #[test]
    fn literals_are_masked_to_width() {
        assert_eq!(hex(4, 0x1f), "4'hf");
        assert_eq!(hex(64, u64::MAX), "64'hffffffffffffffff");
    }
}
