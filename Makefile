# spikescan — the commands of the README.
#   make run      generate the default workloads, run every engine, compare, print the table
#   make test     unit + flow tests (installs what it needs)
#   make lint     rustfmt check and clippy with warnings as errors
#   make vectors  rewrite golden/vectors/ from their seeds (review the diff!)
#   make deps     install the toolchain pieces that are missing
#   make bench    performance figures (bench-snn: the neuromorphic core)
#   make verilog  emit the RTL as Verilog under build/verilog/
#   make test-snn-long  the long (ignored) bit-exact runs of the SNN core
#   make cosim-snn  the SNN LIF datapath's emitted Verilog under Icarus, bit-exact with the reference

SHELL := /bin/bash
CARGO ?= cargo
BUILD := build
BIN := target/release/spikescan

.PHONY: run test lint vectors deps build clean bench bench-snn verilog verilog-snn check-verilog-snn cosim-snn test-snn-long

deps:
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "cargo not found: installing Debian's rust toolchain (apt-get)"; \
	  apt-get update -qq && apt-get install -y -qq cargo rustc; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt 2>/dev/null || apt-get install -y -qq rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy 2>/dev/null || apt-get install -y -qq rust-clippy

build: deps
	$(CARGO) build --release --locked --bin spikescan

run: build
	$(BIN) gen ssm --out $(BUILD)/run/ssm
	$(BIN) gen snn --out $(BUILD)/run/snn
	$(BIN) verify ssm --report $(BUILD)/run/verify-ssm.json
	$(BIN) verify snn --report $(BUILD)/run/verify-snn.json
	$(BIN) golden ssm --inputs $(BUILD)/run/ssm --out $(BUILD)/run/ssm-out
	$(BIN) golden snn --net $(BUILD)/run/snn --out $(BUILD)/run/snn-out
	$(BIN) sim snn --net $(BUILD)/run/snn --out $(BUILD)/run/snn-sim
	@echo "make run: all engines agree within their bounds; outputs in $(BUILD)/run/"

test: deps
	$(CARGO) test --workspace --locked

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

vectors: deps
	SPIKESCAN_BLESS=1 $(CARGO) test -p golden --test golden_vectors --locked

bench: bench-snn

bench-snn: deps
	$(CARGO) run --release --locked -p sim --example bench_snn

verilog: verilog-snn

verilog-snn: deps
	$(CARGO) run --release --locked -p rtl --example snn_verilog -- $(BUILD)/verilog

check-verilog-snn: verilog-snn
	@command -v yosys >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq yosys; }
	for b in ecp5 up5k; do \
	  yosys -q -p "read_verilog $(BUILD)/verilog/snn_core_$$b.v; hierarchy -top top; proc; check -assert" || exit 1; \
	done

cosim-snn: deps
	@command -v iverilog >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq iverilog; }
	$(CARGO) test --release --locked -p sim --test lif_datapath_cosim -- --ignored

test-snn-long: deps
	$(CARGO) test --release --locked -p sim --test snn_core -- --ignored

clean:
	rm -rf $(BUILD)
