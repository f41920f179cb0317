//! `spikescan verilog FAMILY --out DIR [--array RxC]`: the top-level Verilog
//! of each design of the family, one `NAME-RxC.v` per design, behind a header
//! comment with its configuration (see `rtl::designs`).

use crate::cli::{Family, VerilogArgs};
use crate::error::CliError;
use crate::output::Outputs;
use rtl::designs::{self, Design};

/// "spikescan 0.1.0": the generator named in every header.
pub fn generator() -> String {
    format!("spikescan {}", env!("CARGO_PKG_VERSION"))
}

/// The designs a family argument names, at `--array` or the defaults.
pub fn selected(
    family: Family,
    array: Option<&str>,
    names: &[String],
) -> Result<Vec<Design>, CliError> {
    let families: Vec<&[Design]> = match family {
        Family::Ssm => vec![designs::SSM],
        Family::Snn => vec![designs::SNN],
        Family::All => designs::FAMILIES.iter().map(|(_, f)| *f).collect(),
    };
    let known: Vec<&str> = families
        .iter()
        .flat_map(|f| f.iter().map(|d| d.name))
        .collect();
    if let Some(bad) = names.iter().find(|n| !known.contains(&n.as_str())) {
        let mut known = known.clone();
        known.dedup();
        return Err(CliError::Usage(format!(
            "--design {bad}: expected one of {}",
            known.join(", ")
        )));
    }
    let array = match array {
        None => None,
        Some(_) if family == Family::Snn => {
            return Err(CliError::Usage(
                "--array: the SNN core has builds (up5k, ecp5), not PE arrays".to_string(),
            ))
        }
        Some(text) => {
            let shapes: Vec<(usize, usize)> = families
                .iter()
                .flat_map(|f| f.iter().filter(|d| d.build.is_empty()).map(|d| d.array))
                .collect();
            Some(super::parse_array(text, &shapes)?)
        }
    };
    let mut out = Vec::new();
    for f in families {
        // A family with no design at this shape is left out of `all`; alone,
        // or with nothing at all selected, it is an error.
        match designs::select(f, array, names) {
            Ok(d) => out.extend(d),
            Err(e) if family != Family::All => {
                return Err(CliError::Usage(format!("--array: {e}")))
            }
            Err(_) => {}
        }
    }
    if out.is_empty() {
        return Err(CliError::Usage(
            "no design matches --array and --design".to_string(),
        ));
    }
    Ok(out)
}

pub fn run(args: VerilogArgs) -> Result<(), CliError> {
    let chosen = selected(args.family, args.array.as_deref(), &args.design)?;
    let mut outputs = Outputs::new(&args.out);
    let generator = generator();
    for d in &chosen {
        outputs.stage(&format!("{}.v", d.file_stem()), d.verilog(&generator));
    }
    for path in outputs.commit()? {
        println!("wrote {}", path.display());
    }
    Ok(())
}
