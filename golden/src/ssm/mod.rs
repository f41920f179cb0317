//! Mamba selective scan and block: see the submodules.
