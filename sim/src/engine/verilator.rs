//! The Verilator engine: a design's emitted Verilog, compiled by Verilator
//! into a shared library and driven through a small C ABI.
//!
//! **Build.** `verilator --cc` translates the Verilog; its model header
//! (`Vtop.h`) lists the ports, from which a C++ shim is generated with three
//! entry points:
//!
//! ```text
//! void*       ss_new(void);                                   // a model at time 0, all state 0
//! void        ss_eval(void*, const uint64_t* in, uint64_t* out); // inputs → eval() → outputs
//! const char* ss_ports(void);                                  // "in|out name width\n" per port
//! void        ss_free(void*);
//! ```
//!
//! One FFI call per evaluation moves every input in and every output out, so
//! the testbench's cost per cycle is two calls and a few array stores. The
//! model and shim are compiled with `-O2` into `libmodel.so`.
//!
//! **Cache.** Libraries live in `$SPIKESCAN_CACHE_DIR/verilator/<key>/`
//! (default `~/.cache/spikescan`), where `key` is the SHA-256 of the Verilog,
//! the shim generator's version, the Verilator version and the build flags.
//! A changed design is a new key, so a stale library is never reused. A
//! build happens in a scratch directory renamed into place when complete,
//! so concurrent builds of one design cannot see half a library.

use super::rust::HasPorts;
use super::{Engine, EngineError, In, Out, Port, PortList};
use libloading::Library;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

/// Bump when the shim or the build flags change.
const SHIM_VERSION: u32 = 2;

/// Verilator's options: speed over checking (the Verilog is machine-made and
/// linted separately); X values start at 0 like rust-hdl's registers.
const VERILATOR_FLAGS: &[&str] = &[
    "--cc",
    "--top-module",
    "top",
    "-O3",
    "--x-assign",
    "fast",
    "--x-initial",
    "fast",
    "--noassert",
    "-Wno-fatal",
    "-Wno-lint",
    "-Wno-style",
    "-CFLAGS",
    "-fPIC",
];

const CXX_OPT: &str = "-O2";

/// How to get Verilator when it is missing.
const INSTALL_HINT: &str =
    "install it with `apt-get install verilator` (or `make hdl-tools`), or pass --engine rust";

/// `verilator --version`, or why it cannot be run.
pub fn version() -> Result<String, String> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(
            || match Command::new("verilator").arg("--version").output() {
                Ok(out) if out.status.success() => {
                    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
                }
                Ok(out) => Err(format!(
                    "`verilator --version` failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
                Err(_) => Err(format!("verilator is not installed; {INSTALL_HINT}")),
            },
        )
        .clone()
}

/// The Verilog of a fresh instance of `B` as `spikescan verilog` writes it
/// ([`rtl::designs::verilog_of`]).
pub fn emitted_verilog<B: HasPorts>() -> String {
    rtl::designs::verilog_of(B::fresh())
}

/// Where compiled models are cached.
pub fn cache_root() -> PathBuf {
    let base = std::env::var_os("SPIKESCAN_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/spikescan")))
        .unwrap_or_else(|| std::env::temp_dir().join("spikescan-cache"));
    base.join("verilator")
}

/// The cache key of `verilog` under this Verilator and these flags.
pub fn cache_key(verilog: &str, verilator_version: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("shim {SHIM_VERSION}\n{verilator_version}\n"));
    h.update(VERILATOR_FLAGS.join(" "));
    h.update(format!("\n{CXX_OPT}\n"));
    h.update(verilog);
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

type NewFn = unsafe extern "C" fn() -> *mut c_void;
type EvalFn = unsafe extern "C" fn(*mut c_void, *const u64, *mut u64);
type PortsFn = unsafe extern "C" fn() -> *const c_char;
type FreeFn = unsafe extern "C" fn(*mut c_void);

/// A loaded model library. Libraries stay loaded for the life of the
/// process (Verilator's runtime keeps static state).
struct ModelLib {
    _lib: Library,
    new: NewFn,
    eval: EvalFn,
    free: FreeFn,
    ports: PortList,
}

fn loaded() -> &'static Mutex<HashMap<PathBuf, Arc<ModelLib>>> {
    static LIBS: OnceLock<Mutex<HashMap<PathBuf, Arc<ModelLib>>>> = OnceLock::new();
    LIBS.get_or_init(Default::default)
}

fn verr(s: impl Into<String>) -> EngineError {
    EngineError::Verilator(s.into())
}

impl ModelLib {
    fn load(path: &Path) -> Result<Arc<ModelLib>, EngineError> {
        let mut libs = loaded().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lib) = libs.get(path) {
            return Ok(lib.clone());
        }
        // SAFETY: the library is one this module built from its own shim;
        // its symbols have exactly the signatures declared above.
        let lib = unsafe {
            let lib = Library::new(path)
                .map_err(|e| verr(format!("cannot load {}: {e}", path.display())))?;
            let sym = |name: &[u8]| -> Result<*const c_void, EngineError> {
                lib.get::<*const c_void>(name)
                    .map(|s| *s)
                    .map_err(|e| verr(format!("{}: {e}", path.display())))
            };
            let new: NewFn = std::mem::transmute(sym(b"ss_new\0")?);
            let eval: EvalFn = std::mem::transmute(sym(b"ss_eval\0")?);
            let free: FreeFn = std::mem::transmute(sym(b"ss_free\0")?);
            let ports_fn: PortsFn = std::mem::transmute(sym(b"ss_ports\0")?);
            let ports = parse_port_spec(&CStr::from_ptr(ports_fn()).to_string_lossy())?;
            ModelLib {
                _lib: lib,
                new,
                eval,
                free,
                ports,
            }
        };
        let lib = Arc::new(lib);
        libs.insert(path.to_path_buf(), lib.clone());
        Ok(lib)
    }
}

/// The `ss_ports` text: one `in|out name width` line per port.
fn parse_port_spec(spec: &str) -> Result<PortList, EngineError> {
    let mut list = PortList::default();
    for line in spec.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(' ').collect();
        let (dir, name, width) = match f.as_slice() {
            [d, n, w] => (*d, *n, w.parse::<u32>().ok()),
            _ => (line, "", None),
        };
        let port = Port {
            name: name.to_string(),
            width: width.ok_or_else(|| verr(format!("bad port line `{line}`")))?,
        };
        match dir {
            "in" => list.inputs.push(port),
            "out" => list.outputs.push(port),
            _ => return Err(verr(format!("bad port line `{line}`"))),
        }
    }
    Ok(list)
}

/// A port of the Verilator model header: direction, C++ member, Verilog name, width.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HeaderPort {
    input: bool,
    member: String,
    name: String,
    width: u32,
}

/// Ports of `Vtop.h` (`VL_IN16(&rd_t,15,0);`, `VL_OUT8(&a__0240,7,0);`).
/// Verilator writes a character that C++ names cannot hold as `__0` + two
/// hex digits (`$` = `__024`), which is undone for the Verilog name.
fn header_ports(header: &str) -> Result<Vec<HeaderPort>, EngineError> {
    let mut ports = Vec::new();
    for line in header.lines().map(str::trim) {
        let (input, rest) = if let Some(r) = line.strip_prefix("VL_IN") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("VL_OUT") {
            (false, r)
        } else {
            continue;
        };
        let Some(args) = rest
            .split_once("(&")
            .and_then(|(kind, a)| (!kind.contains('W')).then_some(a))
        else {
            return Err(verr(format!(
                "port wider than 64 bits or unknown declaration: `{line}`"
            )));
        };
        let args = args.trim_end_matches(");");
        let parts: Vec<&str> = args.split(',').collect();
        let [member, msb, lsb] = parts.as_slice() else {
            return Err(verr(format!("unexpected port declaration `{line}`")));
        };
        let (msb, lsb) = (msb.parse::<u32>(), lsb.parse::<u32>());
        let (Ok(msb), Ok(0)) = (msb, lsb) else {
            return Err(verr(format!("unexpected port range in `{line}`")));
        };
        ports.push(HeaderPort {
            input,
            member: member.to_string(),
            name: demangle(member),
            width: msb + 1,
        });
    }
    Ok(ports)
}

/// Verilator's `__0XX` escapes back to characters.
fn demangle(member: &str) -> String {
    let mut out = String::new();
    let mut rest = member;
    while let Some(at) = rest.find("__0") {
        let hex = rest.get(at + 3..at + 5);
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(c) => {
                out.push_str(&rest[..at]);
                out.push(c as char);
                rest = &rest[at + 5..];
            }
            None => {
                out.push_str(&rest[..at + 3]);
                rest = &rest[at + 3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The C++ shim for a model with `ports`.
fn shim_source(ports: &[HeaderPort]) -> String {
    let mut s = String::from(
        "// Generated by spikescan (sim::engine::verilator): the C ABI of one model.\n\
         #include \"Vtop.h\"\n#include \"verilated.h\"\n#include <cstdint>\n\n\
         struct SsModel {\n  VerilatedContext ctx;\n  Vtop top;\n  SsModel() : ctx(), top(&ctx, \"top\") {}\n};\n\n\
         extern \"C\" {\n\
         void* ss_new() { return new SsModel(); }\n\
         void ss_free(void* m) { auto* s = static_cast<SsModel*>(m); s->top.final(); delete s; }\n\
         void ss_eval(void* m, const uint64_t* in, uint64_t* out) {\n  Vtop& t = static_cast<SsModel*>(m)->top;\n",
    );
    for (i, p) in ports.iter().filter(|p| p.input).enumerate() {
        s.push_str(&format!("  t.{} = in[{i}];\n", p.member));
    }
    s.push_str("  t.eval();\n");
    for (i, p) in ports.iter().filter(|p| !p.input).enumerate() {
        s.push_str(&format!("  out[{i}] = t.{};\n", p.member));
    }
    s.push_str("}\nconst char* ss_ports() {\n  return\n");
    for p in ports
        .iter()
        .filter(|p| p.input)
        .chain(ports.iter().filter(|p| !p.input))
    {
        let dir = if p.input { "in" } else { "out" };
        s.push_str(&format!("    \"{dir} {} {}\\n\"\n", p.name, p.width));
    }
    s.push_str("    ;\n}\n}\n");
    s
}

fn run(cmd: &mut Command, what: &str) -> Result<(), EngineError> {
    let out = cmd
        .output()
        .map_err(|e| verr(format!("cannot run {what}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
    Err(verr(format!(
        "{what} failed:\n{}",
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    )))
}

/// A C++ program that replays a recorded stimulus on the bare model
/// ([`super::replay::on_bare_verilator`]): inputs assigned, `eval()` called,
/// nothing else, timed around the loop only. Stimulus file: per evaluation a
/// little-endian u32 count, then that many (u32 input index, u64 value).
fn replay_source(ports: &[HeaderPort]) -> String {
    let mut s = String::from(
        "// Generated by spikescan (sim::engine::verilator): bare replay loop.\n\
         #include \"Vtop.h\"\n#include \"verilated.h\"\n\
         #include <chrono>\n#include <cstdint>\n#include <cstdio>\n#include <cstring>\n#include <vector>\n\n\
         static void set_input(Vtop& t, uint32_t i, uint64_t v) {\n  switch (i) {\n",
    );
    for (i, p) in ports.iter().filter(|p| p.input).enumerate() {
        s.push_str(&format!("  case {i}: t.{} = v; break;\n", p.member));
    }
    s.push_str(
        "  }\n}\n\n\
         int main(int argc, char** argv) {\n\
         \x20 if (argc != 2) return 2;\n\
         \x20 FILE* f = std::fopen(argv[1], \"rb\");\n\
         \x20 if (!f) return 2;\n\
         \x20 std::vector<uint32_t> counts; std::vector<uint32_t> idx; std::vector<uint64_t> val;\n\
         \x20 uint32_t n;\n\
         \x20 while (std::fread(&n, 4, 1, f) == 1) {\n\
         \x20   counts.push_back(n);\n\
         \x20   for (uint32_t k = 0; k < n; k++) {\n\
         \x20     uint32_t i; uint64_t v;\n\
         \x20     if (std::fread(&i, 4, 1, f) != 1 || std::fread(&v, 8, 1, f) != 1) return 3;\n\
         \x20     idx.push_back(i); val.push_back(v);\n\
         \x20   }\n\
         \x20 }\n\
         \x20 std::fclose(f);\n\
         \x20 VerilatedContext ctx;\n\
         \x20 Vtop t(&ctx, \"top\");\n\
         \x20 t.eval();\n\
         \x20 auto t0 = std::chrono::steady_clock::now();\n\
         \x20 size_t k = 0;\n\
         \x20 for (uint32_t c : counts) {\n\
         \x20   for (uint32_t j = 0; j < c; j++, k++) set_input(t, idx[k], val[k]);\n\
         \x20   t.eval();\n\
         \x20 }\n\
         \x20 double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();\n\
         \x20 t.final();\n\
         \x20 std::printf(\"evals %zu seconds %.9f\\n\", counts.size(), dt);\n\
         \x20 return 0;\n}\n",
    );
    s
}

/// The bare replay program of the model in `model_dir`, compiled on first use.
pub fn replay_binary(model_dir: &Path) -> Result<PathBuf, EngineError> {
    let exe = model_dir.join("replay");
    if exe.is_file() {
        return Ok(exe);
    }
    let obj = model_dir.join("obj");
    let globals = std::fs::read_to_string(obj.join("globals.txt"))
        .map_err(|e| verr(format!("{}: {e}", obj.display())))?;
    let include = verilator_include()?;
    let scratch = format!("replay.{}", std::process::id());
    run(
        Command::new("g++")
            .current_dir(&obj)
            .args([CXX_OPT, "-o"])
            .arg(format!("../{scratch}"))
            .arg(format!("-I{include}"))
            .arg(format!("-I{include}/vltstd"))
            .args(["-I.", "ss_replay.cpp", "Vtop__ALL.a"])
            .args(globals.split_whitespace())
            .args(["-pthread", "-latomic"]),
        "g++ (replay loop)",
    )?;
    std::fs::rename(model_dir.join(&scratch), &exe)
        .map_err(|e| verr(format!("{}: {e}", exe.display())))?;
    Ok(exe)
}

/// The ports of the model in `model_dir`, in its numbering.
pub fn ports_of(model_dir: &Path) -> Result<PortList, EngineError> {
    Ok(ModelLib::load(&model_dir.join("libmodel.so"))?
        .ports
        .clone())
}

/// Compile `verilog` into `dir/libmodel.so` (dir must be empty).
fn build(verilog: &str, dir: &Path) -> Result<(), EngineError> {
    std::fs::write(dir.join("top.v"), verilog)
        .map_err(|e| verr(format!("{}: {e}", dir.display())))?;
    let obj = dir.join("obj");
    run(
        Command::new("verilator")
            .args(VERILATOR_FLAGS)
            .arg("--Mdir")
            .arg(&obj)
            .arg(dir.join("top.v")),
        "verilator",
    )?;
    let header =
        std::fs::read_to_string(obj.join("Vtop.h")).map_err(|e| verr(format!("Vtop.h: {e}")))?;
    let ports = header_ports(&header)?;
    std::fs::write(obj.join("ss_abi.cpp"), shim_source(&ports))
        .map_err(|e| verr(format!("ss_abi.cpp: {e}")))?;
    std::fs::write(obj.join("ss_replay.cpp"), replay_source(&ports))
        .map_err(|e| verr(format!("ss_replay.cpp: {e}")))?;
    // The model archive and Verilator's runtime objects, by its own makefile.
    std::fs::write(
        obj.join("ss.mk"),
        "include Vtop.mk\nss_objs: Vtop__ALL.a $(VK_GLOBAL_OBJS)\n\t@echo $(VK_GLOBAL_OBJS) > globals.txt\n",
    )
    .map_err(|e| verr(format!("ss.mk: {e}")))?;
    run(
        Command::new("make")
            .current_dir(&obj)
            .args(["-s", "-f", "ss.mk", "ss_objs"])
            .arg(format!("OPT_FAST={CXX_OPT}"))
            .arg(format!("OPT_GLOBAL={CXX_OPT}")),
        "make (Verilator model)",
    )?;
    let globals = std::fs::read_to_string(obj.join("globals.txt"))
        .map_err(|e| verr(format!("globals.txt: {e}")))?;
    let include = verilator_include()?;
    let mut link = Command::new("g++");
    link.current_dir(&obj)
        .args(["-shared", "-fPIC", CXX_OPT, "-o", "../libmodel.so"])
        .arg(format!("-I{include}"))
        .arg(format!("-I{include}/vltstd"))
        .args(["-I.", "ss_abi.cpp", "Vtop__ALL.a"])
        .args(globals.split_whitespace())
        .args(["-pthread", "-latomic"]);
    run(&mut link, "g++ (model library)")
}

/// Verilator's include directory (`verilator --getenv VERILATOR_ROOT`/include).
fn verilator_include() -> Result<String, EngineError> {
    let out = Command::new("verilator")
        .args(["--getenv", "VERILATOR_ROOT"])
        .output()
        .map_err(|e| verr(format!("verilator --getenv: {e}")))?;
    Ok(format!(
        "{}/include",
        String::from_utf8_lossy(&out.stdout).trim()
    ))
}

/// The cached library of `verilog`, built first if there is none.
pub fn library_for(verilog: &str, design: &str) -> Result<PathBuf, EngineError> {
    let version = version().map_err(verr)?;
    let key = cache_key(verilog, &version);
    let root = cache_root();
    let dir = root.join(format!("{design}-{key}"));
    let lib = dir.join("libmodel.so");
    if lib.is_file() {
        return Ok(lib);
    }
    std::fs::create_dir_all(&root).map_err(|e| verr(format!("{}: {e}", root.display())))?;
    let scratch = root.join(format!(
        ".build-{design}-{key}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| verr(format!("{}: {e}", scratch.display())))?;
    let built = build(verilog, &scratch);
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(e);
    }
    // Another process may have finished the same key first: keep theirs.
    if std::fs::rename(&scratch, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&scratch);
        if !lib.is_file() {
            return Err(verr(format!(
                "cannot move the model into {}",
                dir.display()
            )));
        }
    }
    Ok(lib)
}

/// A Verilator model of one design instance.
pub struct VerilatorEngine {
    lib: Arc<ModelLib>,
    model: *mut c_void,
    inputs: Vec<u64>,
    outputs: Vec<u64>,
    masks: Vec<u64>,
    evals: u64,
}

impl VerilatorEngine {
    /// A model of `B`'s emitted Verilog, its ports checked against `B`'s port table.
    pub fn of<B: HasPorts>() -> Result<Self, EngineError> {
        Self::of_verilog::<B>(&emitted_verilog::<B>())
    }

    /// A model of `verilog`, a form of `B`'s Verilog (such as
    /// [`rtl::common::dsp::ecp5_form`]), its ports checked against `B`'s.
    pub fn of_verilog<B: HasPorts>(verilog: &str) -> Result<Self, EngineError> {
        let path = library_for(verilog, &B::design_name())?;
        let engine = Self::load(&path)?;
        B::port_table().list().check_same(engine.ports())?;
        Ok(engine)
    }

    /// A model from a library built by [`library_for`].
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        let lib = ModelLib::load(path)?;
        // SAFETY: ss_new returns a fresh heap model, freed in Drop.
        let model = unsafe { (lib.new)() };
        if model.is_null() {
            return Err(verr("ss_new returned no model"));
        }
        let masks = lib
            .ports
            .inputs
            .iter()
            .map(|p| {
                if p.width >= 64 {
                    u64::MAX
                } else {
                    (1u64 << p.width) - 1
                }
            })
            .collect();
        let mut me = Self {
            inputs: vec![0; lib.ports.inputs.len()],
            outputs: vec![0; lib.ports.outputs.len()],
            masks,
            lib,
            model,
            evals: 0,
        };
        // Time 0: initial blocks and the settled outputs at all-zero inputs.
        me.call_eval();
        Ok(me)
    }

    fn call_eval(&mut self) {
        // SAFETY: the arrays have exactly the model's input and output counts.
        unsafe {
            (self.lib.eval)(self.model, self.inputs.as_ptr(), self.outputs.as_mut_ptr());
        }
    }
}

impl Drop for VerilatorEngine {
    fn drop(&mut self) {
        // SAFETY: the model came from this library's ss_new and is freed once.
        unsafe { (self.lib.free)(self.model) }
    }
}

impl Engine for VerilatorEngine {
    fn kind(&self) -> &'static str {
        "verilator"
    }
    fn ports(&self) -> &PortList {
        &self.lib.ports
    }
    fn set(&mut self, port: In, value: u64) {
        self.inputs[port.0] = value & self.masks[port.0];
    }
    fn get(&self, port: Out) -> u64 {
        self.outputs[port.0]
    }
    fn eval(&mut self) -> Result<(), EngineError> {
        self.call_eval();
        self.evals += 1;
        Ok(())
    }
    fn evals(&self) -> u64 {
        self.evals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_ports_are_read_and_names_demangled() {
        let h = "  VL_IN8(&clock,0,0);\n  VL_OUT16(&rd_t,15,0);\n  VL_IN8(&a_rd_data__0243,7,0);\n  VL_OUT64(&cycles,47,0);\n  void eval();\n";
        let ports = header_ports(h).unwrap();
        let names: Vec<(&str, u32, bool)> = ports
            .iter()
            .map(|p| (p.name.as_str(), p.width, p.input))
            .collect();
        assert_eq!(
            names,
            [
                ("clock", 1, true),
                ("rd_t", 16, false),
                ("a_rd_data$3", 8, true),
                ("cycles", 48, false)
            ]
        );
        assert_eq!(ports[2].member, "a_rd_data__0243");
    }

    #[test]
    fn wide_ports_are_refused() {
        assert!(header_ports("VL_INW(&x,127,0,4);").is_err());
    }

    #[test]
    fn demangle_leaves_plain_names_alone() {
        assert_eq!(demangle("plain_name"), "plain_name");
        assert_eq!(demangle("x__024y__0240"), "x$y$0");
    }

    #[test]
    fn the_shim_declares_every_port_in_order() {
        let ports =
            header_ports("VL_IN8(&clock,0,0);\nVL_IN8(&d__0240,7,0);\nVL_OUT8(&q,7,0);").unwrap();
        let src = shim_source(&ports);
        assert!(src.contains("t.clock = in[0];"));
        assert!(src.contains("t.d__0240 = in[1];"));
        assert!(src.contains("out[0] = t.q;"));
        let spec: String = src
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .map(|l| l.trim_end_matches('"').replace("\\n", "\n"))
            .collect();
        let list = parse_port_spec(&spec).unwrap();
        assert_eq!(list.inputs[1].name, "d$0");
        assert_eq!(list.outputs[0].width, 8);
    }

    #[test]
    fn the_cache_key_follows_the_verilog_and_the_tool() {
        let k = cache_key("module top; endmodule", "Verilator 5.006");
        assert_eq!(k.len(), 32);
        assert_eq!(k, cache_key("module top; endmodule", "Verilator 5.006"));
        assert_ne!(k, cache_key("module top;  endmodule", "Verilator 5.006"));
        assert_ne!(k, cache_key("module top; endmodule", "Verilator 5.020"));
    }
}
