//! Exact width tidying of the Verilog that rust-hdl 0.46 emits, so that
//! `verilator --lint-only -Wall` finds no WIDTH problem in it.
//!
//! rust-hdl prints every cast (`bit_cast`, `.into()` of a literal) as
//! `((x) & W'hmask)` whatever the width of `x`, and every integer literal of
//! the Rust source as a 32-bit (or 64-bit) constant (`count + 32'h1`), so the
//! operands of most operators differ in width. Verilog's rules make that
//! harmless (operands are extended to the width of the expression, the
//! result is truncated to the target), but Verilator reports each one.
//!
//! [`tidy`] rewrites, statement by statement, only where it can prove that
//! the value of every expression stays the same bit for bit:
//!
//! 1. **Casts.** `((x) & W'h(2^W − 1))` with `x` an identifier, a part
//!    select or a literal of known width N becomes the W-bit value it
//!    denotes: `x` (N = W), `{(W−N)'h0, x}` (N < W, zero extension — the
//!    `&` with an unsigned mask makes the original unsigned too), `x[W−1:0]`
//!    (N > W), or the literal reduced modulo 2^W.
//! 2. **Context-determined operands.** Within one context-determined
//!    expression (IEEE 1364-2005 §5.4/§5.5: the operands of `+ - * & | ^ ~`,
//!    the left operand of a shift, the branches of `?:`) every operand is
//!    extended to the width X the expression is evaluated at. The rewrite
//!    makes each operand exactly X bits explicitly — literals re-sized,
//!    narrower operands zero-extended with `{k'h0, …}` — which is what
//!    Verilog does implicitly for an unsigned expression. Signed expressions
//!    (every operand signed) and expressions with an operand of unknown width
//!    are left as they are.
//! 3. **Assignments.** When the target T is narrower than X and every
//!    operator of the expression is one whose low T result bits depend only
//!    on the low T operand bits (`+ - * & | ^ ~`, unary `-`, `<<`, `?:`), the
//!    expression is evaluated at T bits instead: literals modulo 2^T,
//!    identifiers `x[T−1:0]`, part selects narrowed. The assigned value is
//!    unchanged (it is the low T bits either way).
//! 4. **Comparisons** of two plain operands (identifiers, part selects,
//!    literals): a literal is sized to the other operand when its value fits,
//!    which does not change the unsigned comparison.
//!
//! What is not understood (custom Verilog of `Wrapper` blocks, memories,
//! replications, statements other than `x = e;`, `x <= e;`, `assign x = e;`,
//! `if (e)`) is copied unchanged. The Icarus co-simulations of the sim crate
//! run on tidied Verilog, so a rewrite that changed a value would fail them.

use std::collections::HashMap;
use std::fmt::Write as _;

/// The Verilog text with its widths tidied (see the module documentation).
pub fn tidy(verilog: &str) -> String {
    drop_unused_localparams(&tidy_widths(verilog))
}

/// A character of a Verilog identifier as rust-hdl writes them (`a$b_0`).
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Whether `name` occurs in `text` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(ident_char) && !after.is_some_and(ident_char)
    })
}

/// Removes each `localparam` that nothing in its module refers to any more
/// (rule 1 and 2 write sized constants as literals of the width they are
/// used at, which can leave the declaration unused). Removing an unused
/// constant changes no value.
fn drop_unused_localparams(verilog: &str) -> String {
    let mut out = String::with_capacity(verilog.len());
    let mut module: Vec<&str> = Vec::new();
    let flush = |module: &mut Vec<&str>, out: &mut String| {
        for (i, line) in module.iter().enumerate() {
            let name = line
                .trim()
                .strip_prefix("localparam ")
                .and_then(|r| r.split_once('='))
                .map(|(n, _)| n.trim());
            let used = name.is_none_or(|n| {
                module
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && mentions(other, n))
            });
            if used {
                out.push_str(line);
            }
        }
        module.clear();
    };
    for line in verilog.split_inclusive('\n') {
        if line.trim_start().starts_with("module ") {
            flush(&mut module, &mut out);
        }
        module.push(line);
    }
    flush(&mut module, &mut out);
    out
}

/// Rules 1–3 of the module documentation.
fn tidy_widths(verilog: &str) -> String {
    let mut out = String::with_capacity(verilog.len() + verilog.len() / 8);
    let mut scope = Scope::default();
    for line in verilog.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.trim_start().starts_with("module ") {
            scope = Scope::default();
        }
        if scope.declare(body) {
            out.push_str(line);
            continue;
        }
        match tidy_statement(body, &scope) {
            Some(t) => {
                out.push_str(&t);
                out.push_str(nl);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// What a name of the current module is.
#[derive(Clone, Copy, Debug)]
enum Decl {
    /// A net or variable: width, signed.
    Net(usize, bool),
    /// A localparam with a sized value: width, value.
    Const(usize, u128),
}

#[derive(Default)]
struct Scope {
    names: HashMap<String, Decl>,
}

impl Scope {
    /// Records a declaration line (`input wire [7:0] a;`, `reg b;`,
    /// `localparam m = 6'b11111;`); true if the line is one.
    fn declare(&mut self, line: &str) -> bool {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("localparam ") {
            if let Some((name, value)) = rest.trim_end_matches(';').split_once('=') {
                let name = name.trim();
                let toks = tokenize(value.trim());
                if let Some([Tok::Lit(l)]) = toks.as_deref() {
                    if l.sized && !l.signed {
                        self.names
                            .insert(name.to_string(), Decl::Const(l.width, l.value));
                        return true;
                    }
                }
                self.names.remove(name);
            }
            return true;
        }
        let mut words = t.split_whitespace().peekable();
        let mut kind = false;
        let mut signed = false;
        while let Some(w) = words.peek() {
            match *w {
                "input" | "output" | "inout" => {}
                "wire" | "reg" => kind = true,
                "signed" => signed = true,
                _ => break,
            }
            words.next();
        }
        if !kind {
            return false;
        }
        let rest: String = words.collect::<Vec<_>>().join(" ");
        let (width, rest) = match rest.strip_prefix('[') {
            Some(r) => {
                let Some((range, after)) = r.split_once(']') else {
                    return true;
                };
                let parsed = range
                    .split_once(':')
                    .and_then(|(h, l)| Some((h.trim().parse::<usize>().ok()?, l.trim())));
                match parsed {
                    Some((h, "0")) => (Some(h + 1), after.trim()),
                    _ => (None, after.trim()),
                }
            }
            None => (Some(1), rest.as_str()),
        };
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        if name.is_empty() {
            return true;
        }
        // A memory (`reg [7:0] mem[0:15];`) or an unknown range: not a value.
        match width {
            Some(w) if !after.trim_start().starts_with('[') => {
                self.names.insert(name.to_string(), Decl::Net(w, signed));
            }
            _ => {
                self.names.remove(name);
            }
        }
        true
    }
}

/// A literal: `W'hV`, `W'sbV`, or an unsized decimal (32-bit signed).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Lit {
    width: usize,
    value: u128,
    signed: bool,
    sized: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Id(String),
    Sys(String),
    Lit(Lit),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<<", ">>>", "===", "!==", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "~&", "~|", "~^",
    "^~", "+:", "-:", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "<", ">", "?", ":", "(",
    ")", "[", "]", "{", "}", ",",
];

/// Tokens with their byte spans; None for anything not understood.
fn tokenize_spans(s: &str) -> Option<Vec<(Tok, usize, usize)>> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            let word = &s[start..i];
            let tok = if c == b'$' {
                Tok::Sys(word.to_string())
            } else {
                Tok::Id(word.to_string())
            };
            out.push((tok, start, i));
        } else if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let num = &s[start..i];
            if i < b.len() && b[i] == b'\'' {
                let width: usize = num.parse().ok()?;
                i += 1;
                let mut signed = false;
                if i < b.len() && (b[i] == b's' || b[i] == b'S') {
                    signed = true;
                    i += 1;
                }
                let radix = match b.get(i)?.to_ascii_lowercase() {
                    b'h' => 16,
                    b'b' => 2,
                    b'd' => 10,
                    b'o' => 8,
                    _ => return None,
                };
                i += 1;
                let ds = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let digits: String = s[ds..i].chars().filter(|&c| c != '_').collect();
                let value = u128::from_str_radix(&digits, radix).ok()?;
                if width == 0 || width > 128 || (width < 128 && value >> width != 0) {
                    return None;
                }
                out.push((
                    Tok::Lit(Lit {
                        width,
                        value,
                        signed,
                        sized: true,
                    }),
                    start,
                    i,
                ));
            } else {
                let value: u128 = num.parse().ok()?;
                if value >> 31 != 0 {
                    return None;
                }
                out.push((
                    Tok::Lit(Lit {
                        width: 32,
                        value,
                        signed: true,
                        sized: false,
                    }),
                    start,
                    i,
                ));
            }
        } else {
            let op = OPS.iter().find(|o| s[i..].starts_with(**o))?;
            i += op.len();
            out.push((Tok::Op(op), start, i));
        }
    }
    Some(out)
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    Some(tokenize_spans(s)?.into_iter().map(|t| t.0).collect())
}

/// Expression tree over byte spans of the statement text.
#[derive(Debug)]
enum Kind {
    Id(String),
    Lit(Lit),
    /// `base[(off)+:(w)]`: base name, offset node.
    Slice(String, usize, usize),
    /// `base[idx]`: base name, index node.
    Index(String, usize),
    /// `{a, b, ...}`.
    Concat(Vec<usize>),
    /// `$signed(e)` / `$unsigned(e)`.
    Sys(bool, usize),
    Paren(usize),
    Unary(&'static str, usize),
    Binary(&'static str, usize, usize),
    Cond(usize, usize, usize),
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    start: usize,
    end: usize,
    /// The rendering chosen by the rewrite, if any.
    render: Option<String>,
}

struct Parser<'a> {
    toks: &'a [(Tok, usize, usize)],
    pos: usize,
    nodes: Vec<Node>,
}

fn binary_prec(op: &str) -> Option<u8> {
    Some(match op {
        "*" | "/" | "%" => 10,
        "+" | "-" => 9,
        "<<" | ">>" | "<<<" | ">>>" => 8,
        "<" | "<=" | ">" | ">=" => 7,
        "==" | "!=" | "===" | "!==" => 6,
        "&" => 5,
        "^" | "~^" | "^~" => 4,
        "|" => 3,
        "&&" => 2,
        "||" => 1,
        _ => return None,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn start(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(usize::MAX)
    }
    fn last_end(&self) -> usize {
        self.toks[self.pos - 1].2
    }
    fn eat(&mut self, op: &str) -> Option<()> {
        match self.peek() {
            Some(Tok::Op(o)) if *o == op => {
                self.pos += 1;
                Some(())
            }
            _ => None,
        }
    }
    fn push(&mut self, kind: Kind, start: usize) -> usize {
        let end = self.last_end();
        self.nodes.push(Node {
            kind,
            start,
            end,
            render: None,
        });
        self.nodes.len() - 1
    }

    fn expr(&mut self) -> Option<usize> {
        let start = self.start();
        let c = self.binary(1)?;
        if self.eat("?").is_some() {
            let t = self.expr()?;
            self.eat(":")?;
            let f = self.expr()?;
            return Some(self.push(Kind::Cond(c, t, f), start));
        }
        Some(c)
    }

    fn binary(&mut self, min: u8) -> Option<usize> {
        let start = self.start();
        let mut l = self.unary()?;
        while let Some(Tok::Op(op)) = self.peek() {
            let op = *op;
            let Some(p) = binary_prec(op) else { break };
            if p < min {
                break;
            }
            self.pos += 1;
            let r = self.binary(p + 1)?;
            l = self.push(Kind::Binary(op, l, r), start);
        }
        Some(l)
    }

    fn unary(&mut self) -> Option<usize> {
        let start = self.start();
        if let Some(Tok::Op(o)) = self.peek() {
            let o = *o;
            if matches!(
                o,
                "~" | "!" | "-" | "+" | "&" | "|" | "^" | "~&" | "~|" | "~^"
            ) {
                self.pos += 1;
                let e = self.unary()?;
                return Some(self.push(Kind::Unary(o, e), start));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<usize> {
        let start = self.start();
        match self.peek()?.clone() {
            Tok::Lit(l) => {
                self.pos += 1;
                Some(self.push(Kind::Lit(l), start))
            }
            Tok::Op("(") => {
                self.pos += 1;
                let e = self.expr()?;
                self.eat(")")?;
                Some(self.push(Kind::Paren(e), start))
            }
            Tok::Op("{") => {
                self.pos += 1;
                let mut items = vec![self.expr()?];
                while self.eat(",").is_some() {
                    items.push(self.expr()?);
                }
                self.eat("}")?;
                Some(self.push(Kind::Concat(items), start))
            }
            Tok::Sys(name) => {
                let signed = match name.as_str() {
                    "$signed" => true,
                    "$unsigned" => false,
                    _ => return None,
                };
                self.pos += 1;
                self.eat("(")?;
                let e = self.expr()?;
                self.eat(")")?;
                Some(self.push(Kind::Sys(signed, e), start))
            }
            Tok::Id(name) => {
                self.pos += 1;
                if self.eat("[").is_none() {
                    return Some(self.push(Kind::Id(name), start));
                }
                let i = self.expr()?;
                if self.eat("+:").is_some() {
                    let w = match self.peek()?.clone() {
                        Tok::Op("(") => {
                            self.pos += 1;
                            let w = self.lit_value()?;
                            self.eat(")")?;
                            w
                        }
                        _ => self.lit_value()?,
                    };
                    self.eat("]")?;
                    return Some(self.push(Kind::Slice(name, i, w as usize), start));
                }
                self.eat("]")?;
                Some(self.push(Kind::Index(name, i), start))
            }
            _ => None,
        }
    }

    fn lit_value(&mut self) -> Option<u128> {
        match self.peek()? {
            Tok::Lit(l) => {
                let v = l.value;
                self.pos += 1;
                Some(v)
            }
            _ => None,
        }
    }
}

/// A sub-expression evaluated on its own.
enum Sub {
    Expr(usize),
    /// The two operands of a comparison.
    Compare(usize, usize),
}

/// An operand of a context-determined expression.
struct Term {
    node: usize,
    width: usize,
    signed: bool,
}

struct Tidy<'a> {
    src: &'a str,
    scope: &'a Scope,
    nodes: Vec<Node>,
}

fn mask(bits: usize) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

fn lit_text(width: usize, value: u128) -> String {
    format!("{width}'h{:x}", value & mask(width))
}

impl Tidy<'_> {
    /// The node under any parentheses.
    fn strip(&self, mut n: usize) -> usize {
        while let Kind::Paren(e) = self.nodes[n].kind {
            n = e;
        }
        n
    }

    /// A plain operand: (width, signed, value if constant).
    fn plain(&self, n: usize) -> Option<(usize, bool, Option<u128>)> {
        match &self.nodes[n].kind {
            Kind::Id(name) => match self.scope.names.get(name)? {
                Decl::Net(w, s) => Some((*w, *s, None)),
                Decl::Const(w, v) => Some((*w, false, Some(*v))),
            },
            Kind::Lit(l) => Some((l.width, l.signed, Some(l.value))),
            Kind::Slice(_, _, w) => Some((*w, false, None)),
            _ => None,
        }
    }

    /// Self-determined width and signedness of a node; None if unknown.
    fn width(&self, n: usize) -> Option<(usize, bool)> {
        Some(match &self.nodes[n].kind {
            Kind::Id(_) | Kind::Lit(_) | Kind::Slice(..) => {
                let (w, s, _) = self.plain(n)?;
                (w, s)
            }
            // A bit of a net; a word of a memory is of unknown width here.
            Kind::Index(base, _) => match self.scope.names.get(base)? {
                Decl::Net(..) => (1, false),
                Decl::Const(..) => return None,
            },
            Kind::Concat(items) => {
                let mut w = 0;
                for &i in items {
                    w += self.width(i)?.0;
                }
                (w, false)
            }
            Kind::Sys(s, e) => (self.width(*e)?.0, *s),
            Kind::Paren(e) => self.width(*e)?,
            Kind::Unary(op, e) => match *op {
                "~" | "-" | "+" => self.width(*e)?,
                _ => (1, false),
            },
            Kind::Binary(op, l, r) => match *op {
                "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^" | "~^" | "^~" => {
                    let (a, sa) = self.width(*l)?;
                    let (b, sb) = self.width(*r)?;
                    (a.max(b), sa && sb)
                }
                "<<" | ">>" | "<<<" | ">>>" => self.width(*l)?,
                _ => (1, false),
            },
            Kind::Cond(_, t, f) => {
                let (a, sa) = self.width(*t)?;
                let (b, sb) = self.width(*f)?;
                (a.max(b), sa && sb)
            }
        })
    }

    /// The operands of the context-determined expression rooted at `n`,
    /// the self-determined sub-expressions met on the way (each its own
    /// expression), and whether every operator keeps low bits low.
    fn region(&self, n: usize, terms: &mut Vec<usize>, subs: &mut Vec<Sub>, low: &mut bool) {
        if self.cast(n).is_some() {
            terms.push(n);
            return;
        }
        match &self.nodes[n].kind {
            Kind::Paren(e) => self.region(*e, terms, subs, low),
            Kind::Unary(op, e) if matches!(*op, "~" | "-" | "+") => {
                self.region(*e, terms, subs, low)
            }
            Kind::Binary(op, l, r)
                if binary_prec(op).is_some_and(|p| p >= 3 && p != 6 && p != 7) =>
            {
                match *op {
                    "<<" | "<<<" | ">>" | ">>>" => {
                        if *op != "<<" {
                            *low = false;
                        }
                        self.region(*l, terms, subs, low);
                        subs.push(Sub::Expr(*r));
                    }
                    _ => {
                        if matches!(*op, "/" | "%") {
                            *low = false;
                        }
                        self.region(*l, terms, subs, low);
                        self.region(*r, terms, subs, low);
                    }
                }
            }
            Kind::Cond(c, t, f) => {
                subs.push(Sub::Expr(*c));
                self.region(*t, terms, subs, low);
                self.region(*f, terms, subs, low);
            }
            _ => terms.push(n),
        }
    }

    /// Sub-expressions of an operand that are expressions of their own.
    fn inner(&self, n: usize, subs: &mut Vec<Sub>) {
        match &self.nodes[n].kind {
            Kind::Slice(_, off, _) => subs.push(Sub::Expr(*off)),
            Kind::Index(_, i) => subs.push(Sub::Expr(*i)),
            Kind::Concat(items) => subs.extend(items.iter().map(|&i| Sub::Expr(i))),
            Kind::Sys(_, e) => subs.push(Sub::Expr(*e)),
            Kind::Unary(_, e) => subs.push(Sub::Expr(*e)),
            Kind::Binary(op, l, r) => {
                if matches!(*op, "&&" | "||") {
                    subs.push(Sub::Expr(*l));
                    subs.push(Sub::Expr(*r));
                } else {
                    // A comparison: its two operands are one expression.
                    subs.push(Sub::Compare(*l, *r));
                }
            }
            _ => {}
        }
    }

    /// Rule 1: a cast `(x) & W'h(2^W-1)` of a plain operand; returns the
    /// operand, its width and W.
    fn cast(&self, n: usize) -> Option<(usize, usize)> {
        let Kind::Binary("&", l, r) = self.nodes[n].kind else {
            return None;
        };
        let Kind::Lit(m) = self.nodes[r].kind else {
            return None;
        };
        if !m.sized || m.value != mask(m.width) {
            return None;
        }
        let Kind::Paren(x) = self.nodes[l].kind else {
            return None;
        };
        self.plain(x)?;
        Some((x, m.width))
    }

    /// Renders operand `n` (plain or cast) as exactly `bits` bits.
    fn sized(&self, n: usize, bits: usize) -> Option<String> {
        let (x, cap) = match self.cast(n) {
            Some((x, w)) => (x, w),
            None => (n, usize::MAX),
        };
        let (w, signed, value) = self.plain(x)?;
        let take = w.min(cap).min(bits);
        if let Some(v) = value {
            return Some(lit_text(bits, v & mask(take)));
        }
        let base = match &self.nodes[x].kind {
            Kind::Id(name) if take == w => {
                if signed && take == bits {
                    format!("$unsigned({name})")
                } else {
                    name.clone()
                }
            }
            Kind::Id(name) if take == 1 => format!("{name}[0]"),
            Kind::Id(name) => format!("{name}[{}:0]", take - 1),
            Kind::Slice(name, off, _) => {
                let off = self.render(*off);
                format!("{name}[{off}+:({take})]")
            }
            _ => return None,
        };
        Some(if bits > take {
            format!("{{{}'h0, {base}}}", bits - take)
        } else {
            base
        })
    }

    /// Rules 1–3 on the expression rooted at `n`, evaluated for a target of
    /// `target` bits (None: self-determined).
    fn expression(&mut self, n: usize, target: Option<usize>) {
        self.operands(&[n], target);
    }

    /// Rule 4 first, else the two operands as one self-determined expression.
    fn compare(&mut self, l: usize, r: usize) {
        let (sl, sr) = (self.strip(l), self.strip(r));
        let side = |t: &Self, n: usize| -> Option<(usize, bool, Option<u128>)> {
            match t.cast(n) {
                Some((x, w)) => {
                    let (_, _, v) = t.plain(x)?;
                    Some((w, false, v.map(|v| v & mask(w))))
                }
                None => t.plain(n),
            }
        };
        if let (Some(a), Some(b)) = (side(self, sl), side(self, sr)) {
            if !(a.1 && b.1) {
                // Unsigned comparison of two plain operands: size both to
                // the wider non-constant one when every constant fits.
                let vars: Vec<usize> = [a, b]
                    .iter()
                    .filter(|x| x.2.is_none())
                    .map(|x| x.0)
                    .collect();
                let bits = vars.iter().copied().max().unwrap_or(a.0.max(b.0));
                let fits = [a, b].iter().all(|x| match x.2 {
                    Some(v) => v <= mask(bits),
                    None => true,
                });
                if fits {
                    for (n, x) in [(sl, a), (sr, b)] {
                        let is_cast = self.cast(n).is_some();
                        if x.0 != bits || is_cast {
                            if let Some(t) = self.sized(n, bits) {
                                self.nodes[n].render = Some(t);
                            }
                        }
                    }
                    return;
                }
            }
        }
        self.operands(&[l, r], None);
    }

    /// Rules 1–3 on the context-determined expression made of `roots`.
    fn operands(&mut self, roots: &[usize], target: Option<usize>) {
        let mut terms = Vec::new();
        let mut subs = Vec::new();
        let mut low = true;
        for &n in roots {
            self.region(n, &mut terms, &mut subs, &mut low);
        }
        // Operands first (their own expressions), then this one.
        for &t in &terms {
            if self.cast(t).is_none() {
                self.inner(t, &mut subs);
            }
        }
        for s in subs {
            match s {
                Sub::Expr(e) => self.expression(e, None),
                Sub::Compare(l, r) => self.compare(l, r),
            }
        }
        let mut info = Vec::new();
        for &t in &terms {
            let width = match self.cast(t) {
                Some((_, w)) => Some((w, false)),
                None => self.width(t),
            };
            let Some((width, signed)) = width else {
                return;
            };
            info.push(Term {
                node: t,
                width,
                signed,
            });
        }
        if info.iter().all(|t| t.signed) {
            return;
        }
        let widest = info.iter().map(|t| t.width).max().unwrap_or(1);
        let mut bits = widest.max(target.unwrap_or(0));
        if let Some(tw) = target {
            let fits = |t: &Term| {
                t.width <= tw || self.plain(t.node).is_some() || self.cast(t.node).is_some()
            };
            if bits > tw && low && info.iter().all(fits) {
                bits = tw;
            }
        }
        for t in &info {
            let plain = self.plain(t.node).is_some() || self.cast(t.node).is_some();
            if t.width == bits && self.cast(t.node).is_none() {
                continue;
            }
            let text = if plain {
                self.sized(t.node, bits)
            } else if t.width < bits {
                let inner = self.render(t.node);
                Some(format!("{{{}'h0, {inner}}}", bits - t.width))
            } else {
                None
            };
            if let Some(text) = text {
                self.nodes[t.node].render = Some(text);
            }
        }
    }

    fn render(&self, n: usize) -> String {
        if let Some(r) = &self.nodes[n].render {
            return r.clone();
        }
        let node = &self.nodes[n];
        let mut children: Vec<usize> = match &node.kind {
            Kind::Id(_) | Kind::Lit(_) => vec![],
            Kind::Slice(_, o, _) => vec![*o],
            Kind::Index(_, i) => vec![*i],
            Kind::Concat(items) => items.clone(),
            Kind::Sys(_, e) | Kind::Paren(e) | Kind::Unary(_, e) => vec![*e],
            Kind::Binary(_, l, r) => vec![*l, *r],
            Kind::Cond(c, t, f) => vec![*c, *t, *f],
        };
        children.sort_by_key(|&c| self.nodes[c].start);
        let mut s = String::new();
        let mut pos = node.start;
        for c in children {
            s.push_str(&self.src[pos..self.nodes[c].start]);
            s.push_str(&self.render(c));
            pos = self.nodes[c].end;
        }
        s.push_str(&self.src[pos..node.end]);
        s
    }
}

/// Parses `text` as one expression; the tidy context with its root.
fn parse<'a>(text: &'a str, scope: &'a Scope) -> Option<(Tidy<'a>, usize)> {
    let toks = tokenize_spans(text)?;
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        nodes: Vec::new(),
    };
    let root = p.expr()?;
    if p.pos != toks.len() {
        return None;
    }
    Some((
        Tidy {
            src: text,
            scope,
            nodes: p.nodes,
        },
        root,
    ))
}

/// Tidies one expression for a target width (None: self-determined).
fn tidy_expression(text: &str, scope: &Scope, target: Option<usize>) -> Option<String> {
    let (mut t, root) = parse(text, scope)?;
    t.expression(root, target);
    Some(t.render(root))
}

/// One statement line rewritten, or None to keep it.
fn tidy_statement(line: &str, scope: &Scope) -> Option<String> {
    let indent_len = line.len() - line.trim_start().len();
    let (indent, body) = line.split_at(indent_len);
    let body = body.trim_end();
    let mut out = String::from(indent);
    for (head, tail) in [("if (", ") begin"), ("else if (", ") begin")] {
        if let Some(cond) = body.strip_prefix(head).and_then(|r| r.strip_suffix(tail)) {
            let new = tidy_expression(cond, scope, None)?;
            if new == cond {
                return None;
            }
            let _ = write!(out, "{head}{new}{tail}");
            return Some(out);
        }
    }
    let (lead, rest) = match body.strip_prefix("assign ") {
        Some(r) => ("assign ", r),
        None => ("", body),
    };
    let rhs_text = rest.strip_suffix(';')?;
    let eq = rhs_text.find(" = ");
    let le = rhs_text.find(" <= ");
    let (lhs, op, rhs) = match (eq, le) {
        (Some(e), l) if l.is_none_or(|l| e < l) => (&rhs_text[..e], " = ", &rhs_text[e + 3..]),
        (_, Some(l)) => (&rhs_text[..l], " <= ", &rhs_text[l + 4..]),
        _ => return None,
    };
    let Some(Decl::Net(width, _)) = scope.names.get(lhs.trim()) else {
        return None;
    };
    let new = tidy_expression(rhs, scope, Some(*width))?;
    if new == rhs {
        return None;
    }
    let _ = write!(out, "{lead}{lhs}{op}{new};");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::tidy;

    /// A module header declaring the names the statements use.
    const DECLS: &str = "module top(a);
    input wire  [7:0] a_in;
    input wire  [15:0] wide;
    input wire  [1:0] rd_state$q;
    input wire  [15:0] rd_m$q;
    input wire  [15:0] m_q$q;
    input wire  [4:0] group$q;
    input wire  [25:0] v_sum;
    input wire  [7:0] s;
    input wire  [48:0] word49;
    input wire  signed [7:0] sa;
    input wire  signed [7:0] sb;
    input wire  [11:0] reg_du$q;
    input wire  [9:0] read_address$q;
    input wire  flag;
    reg  [15:0] a_ext;
    reg  [7:0] narrow;
    reg  [4:0] group$d;
    reg  [31:0] mask$d;
    reg  [12:0] factor;
    reg  [8:0] addr;
    reg  signed [7:0] ssum;
    reg  [15:0] data;
    reg  [31:0] mem[0:15];
    reg  out;
    localparam  fifo_address_mask = 6'b11111;
    localparam State$Idle = 0;
";

    /// The tidied form of one statement line under [`DECLS`].
    fn one(line: &str) -> String {
        let text = format!("{DECLS}    {line}\nendmodule\n");
        let t = tidy(&text);
        t.lines().rev().nth(1).unwrap().trim().to_string()
    }

    #[test]
    fn casts_become_the_value_they_denote() {
        // N < W: zero extension.
        assert_eq!(
            one("a_ext = ((a_in) & 16'hffff);"),
            "a_ext = ({8'h0, a_in});"
        );
        // N = W: the operand.
        assert_eq!(one("narrow = ((a_in) & 8'hff);"), "narrow = (a_in);");
        // N > W: the low bits.
        assert_eq!(one("narrow = ((wide) & 8'hff);"), "narrow = (wide[7:0]);");
        // Literals modulo 2^W, part selects narrowed.
        assert_eq!(
            one("a_ext = ((32'h12345) & 16'hffff);"),
            "a_ext = (16'h2345);"
        );
        assert_eq!(
            one("narrow = ((word49[(32'h8)+:(16)]) & 8'hff);"),
            "narrow = (word49[(32'h8)+:(8)]);"
        );
        // Inside an expression, at the expression's width.
        assert_eq!(
            one("a_ext = (((a_in) & 16'hffff) | ((32'hff00) & 16'hffff));"),
            "a_ext = (({8'h0, a_in}) | (16'hff00));"
        );
        // A signed operand keeps its zero extension when it is not widened.
        assert_eq!(one("narrow = ((sa) & 8'hff);"), "narrow = ($unsigned(sa));");
        // A mask that is not 2^W - 1 is an AND, not a cast.
        assert_eq!(
            one("narrow = ((a_in) & 8'h0f);"),
            "narrow = ((a_in) & 8'h0f);"
        );
    }

    #[test]
    fn literals_take_the_width_of_the_assignment() {
        assert_eq!(
            one("group$d = (group$q + 32'h1);"),
            "group$d = (group$q + 5'h1);"
        );
        assert_eq!(one("mask$d = 64'hffffffff;"), "mask$d = 32'hffffffff;");
        assert_eq!(one("group$d = (32'h1f - 9);"), "group$d = (5'h1f - 5'h9);");
        assert_eq!(
            one("factor = (32'hfff - {1'h0, reg_du$q});"),
            "factor = (13'hfff - {1'h0, reg_du$q});"
        );
        // Narrower operands are widened to the target explicitly.
        assert_eq!(
            one("factor = (reg_du$q + 32'h1);"),
            "factor = ({1'h0, reg_du$q} + 13'h1);"
        );
        // A sized localparam is a constant.
        assert_eq!(
            one("addr = (((read_address$q + 32'h1) & fifo_address_mask) & 9'h1ff);"),
            "addr = (((read_address$q[8:0] + 9'h1) & 9'h1f) & 9'h1ff);"
        );
        // Non-blocking and continuous assignments too.
        assert_eq!(one("data <= wide + 32'h2;"), "data <= wide + 16'h2;");
        assert_eq!(
            one("assign data = (wide + 32'h2);"),
            "assign data = (wide + 16'h2);"
        );
    }

    #[test]
    fn constants_written_as_literals_lose_their_unused_declaration() {
        let v = "module top$a(off,addr);\n    input wire  [15:0] off;\n    output reg  [31:0] addr;\n    localparam  recip = 16'h4000;\n    localparam  field = 16'h8;\n    localparam  field_2 = 16'h1;\n    always @(*) begin\n        addr = ((off * recip) << field);\n    end\nendmodule\nmodule top$b(x);\n    localparam  recip = 16'h2;\n    output wire [15:0] x;\n    assign x = recip;\nendmodule\n";
        let t = tidy(v);
        let first = &t[..t.find("module top$b").unwrap()];
        assert!(!first.contains("localparam  recip"), "{t}");
        assert!(first.contains("localparam  field = 16'h8;"), "{t}");
        // `field_2` is not `field`: unused, and removed.
        assert!(!first.contains("field_2"), "{t}");
        // The second module still uses its own `recip`.
        assert!(t[t.find("module top$b").unwrap()..].contains("localparam  recip = 16'h2;"));
    }

    #[test]
    fn the_evaluation_width_is_kept_where_high_bits_matter() {
        // Right shift: the high bits shift down, so the width stays.
        assert_eq!(
            one("narrow = ((wide + 32'h1) >> 8'h8);"),
            "narrow = (({16'h0, wide} + 32'h1) >> 8'h8);"
        );
        // The carry of rd_m + 1 counts in the 32-bit comparison.
        assert_eq!(
            one("out = ((rd_m$q + 32'h1) == m_q$q);"),
            "out = (({16'h0, rd_m$q} + 32'h1) == {16'h0, m_q$q});"
        );
    }

    #[test]
    fn comparisons_size_a_fitting_literal_to_the_operand() {
        assert_eq!(
            one("out = (rd_state$q == 32'h3);"),
            "out = (rd_state$q == 2'h3);"
        );
        assert_eq!(
            one("if ((v_sum > 32'h7fffff)) begin"),
            "if ((v_sum > 26'h7fffff)) begin"
        );
        assert_eq!(
            one("else if ((flag & (group$q == 32'h0))) begin"),
            "else if ((flag & (group$q == 5'h0))) begin"
        );
        // 256 does not fit 8 bits: both sides at 32 bits.
        assert_eq!(
            one("out = (s == 32'h100);"),
            "out = ({24'h0, s} == 32'h100);"
        );
    }

    #[test]
    fn what_is_not_understood_is_kept() {
        for line in [
            // Signed arithmetic.
            "ssum = (sa + sb);",
            // A memory word.
            "data <= mem[a_in];",
            // Memory initialisation.
            "mem[4'h3] = 32'h0;",
            // An unknown name.
            "data = (unknown + 32'h1);",
            // An unsized localparam of an enum.
            "out = (rd_state$q == State$Idle);",
            // Not a statement this pass reads.
            "case (rd_state$q)",
        ] {
            assert_eq!(one(line), line);
        }
    }

    #[test]
    fn names_are_per_module() {
        let text = "module a(x);\n    reg  [3:0] y;\n    input wire  [3:0] x;\n    y = (x + 32'h1);\nendmodule\nmodule b(x);\n    reg  [3:0] y;\n    y = (x + 32'h1);\nendmodule\n";
        let t = tidy(text);
        assert!(t.contains("y = (x + 4'h1);"), "{t}");
        assert!(t.contains("y = (x + 32'h1);"), "{t}");
    }
}
