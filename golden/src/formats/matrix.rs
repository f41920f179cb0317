//! Numeric matrices as `numpy.savetxt(f, a, delimiter=",")` writes them: one
//! row per line, comma-separated, `#` comment lines. A 1-D vector is a column
//! (one value per line), as numpy writes a 1-D array.

use super::InputError;
use crate::matrix::Matrix;
use std::fs::File;
use std::path::Path;

/// How [`write_matrix`] prints numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// numpy's default `%.18e` (`1.500000000000000000e+00`): round-trips every f64.
    Float,
    /// `%d`: for integer-valued data such as int8 weights and int32 results.
    Integer,
}

/// Reads a numeric CSV matrix. Every value must be a finite number and every
/// row must have as many values as the first.
pub fn read_matrix(path: &Path) -> Result<Matrix, InputError> {
    read_matrix_lines(path).map(|(m, _)| m)
}

/// [`read_matrix`], also giving the 1-based file line of each row, so that
/// checks made after reading (e.g. "an int8 weight") can name the line.
pub fn read_matrix_lines(path: &Path) -> Result<(Matrix, Vec<usize>), InputError> {
    let file = File::open(path)
        .map_err(|e| InputError::file(path, format!("cannot open: {e}; expected a CSV matrix")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .quoting(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let mut cols = None;
    let mut data = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if is_comment_or_blank(&record) {
            continue;
        }
        let width = *cols.get_or_insert(record.len());
        if record.len() != width {
            return Err(InputError::at(
                path,
                line,
                format!(
                    "expected {width} values (as in the first row), found {}",
                    record.len()
                ),
            ));
        }
        for (col, field) in record.iter().enumerate() {
            data.push(parse_finite(path, line, col, field)?);
        }
        lines.push(line);
    }
    match cols {
        Some(cols) => Ok((Matrix::from_vec(lines.len(), cols, data), lines)),
        None => Err(InputError::file(
            path,
            "expected at least one row of comma-separated numbers, found none",
        )),
    }
}

fn parse_finite(path: &Path, line: usize, col: usize, field: &str) -> Result<f64, InputError> {
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(InputError::at(
            path,
            line,
            format!(
                "column {}: expected a finite number, found '{field}'",
                col + 1
            ),
        )),
        Err(_) => Err(InputError::at(
            path,
            line,
            format!("column {}: expected a number, found '{field}'", col + 1),
        )),
    }
}

/// `#` comment lines and blank lines carry no data. (They are skipped here
/// rather than by the csv crate's comment option, which drops them from its
/// line count and would make every later line number wrong.)
pub(super) fn is_comment_or_blank(record: &csv::StringRecord) -> bool {
    record.get(0).is_some_and(|f| f.starts_with('#')) || (record.len() == 1 && record[0].is_empty())
}

pub(super) fn csv_error(path: &Path, e: &csv::Error) -> InputError {
    match e.position() {
        Some(p) => InputError::at(path, p.line() as usize, format!("malformed CSV: {e}")),
        None => InputError::file(path, format!("malformed CSV: {e}")),
    }
}

/// A matrix as the text numpy's `savetxt` writes (see [`NumberStyle`]).
pub fn matrix_csv(m: &Matrix, style: NumberStyle) -> String {
    let mut text = String::new();
    for r in 0..m.rows() {
        let line: Vec<String> = m.row(r).iter().map(|&v| format_number(v, style)).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    text
}

/// Writes [`matrix_csv`] to `path`.
pub fn write_matrix(path: &Path, m: &Matrix, style: NumberStyle) -> std::io::Result<()> {
    std::fs::write(path, matrix_csv(m, style))
}

fn format_number(v: f64, style: NumberStyle) -> String {
    match style {
        NumberStyle::Integer => format!("{}", v as i64),
        NumberStyle::Float => {
            // Rust prints `1.5e0`; numpy prints `1.5e+00`.
            let s = format!("{v:.18e}");
            let (mantissa, exp) = s.split_once('e').expect("`{:e}` always has an exponent");
            let exp: i32 = exp.parse().expect("exponent is an integer");
            format!("{mantissa}e{exp:+03}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn read_str(text: &str) -> Result<Matrix, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        fs::write(&path, text).unwrap();
        read_matrix(&path)
    }

    #[test]
    fn reads_numpy_savetxt_output_with_comments() {
        let m = read_str("# a comment\n1.000000000000000000e+00,-2.5e-01\n3,4\n").unwrap();
        assert_eq!((m.rows(), m.cols()), (2, 2));
        assert_eq!(m.row(0), &[1.0, -0.25]);
        assert_eq!(m.get(1, 1), 4.0);
    }

    #[test]
    fn read_matrix_lines_gives_each_rows_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        fs::write(&path, "# c\n1,2\n\n# c\n3,4\n").unwrap();
        let (m, lines) = read_matrix_lines(&path).unwrap();
        assert_eq!(m.shape(), (2, 2));
        assert_eq!(lines, vec![2, 5]);
    }

    #[test]
    fn ragged_row_names_its_line() {
        let e = read_str("1,2,3\n4,5\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("expected 3 values"), "{e}");
    }

    #[test]
    fn non_number_and_nan_are_rejected_with_line_and_column() {
        let e = read_str("1,2\n3,abc\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.message
                .contains("column 2: expected a number, found 'abc'"),
            "{e}"
        );
        let e = read_str("# c\n1,nan\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("finite"), "{e}");
        let e = read_str("inf\n").unwrap_err();
        assert!(e.message.contains("finite"), "{e}");
    }

    #[test]
    fn empty_and_missing_files_are_errors() {
        assert!(read_str("# only a comment\n")
            .unwrap_err()
            .message
            .contains("at least one row"));
        let e = read_matrix(Path::new("/nonexistent/x.csv")).unwrap_err();
        assert!(
            e.to_string().starts_with("/nonexistent/x.csv: cannot open"),
            "{e}"
        );
    }

    #[test]
    fn write_then_read_round_trips_every_bit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        let m = Matrix::from_vec(2, 2, vec![0.1, -1e-300, 12345.678, std::f64::consts::PI]);
        write_matrix(&path, &m, NumberStyle::Float).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("1.000000000000000056e-01,-1.000000000000000025e-300\n"),
            "{text}"
        );
        assert_eq!(read_matrix(&path).unwrap(), m);
        let ints = Matrix::from_vec(1, 3, vec![-128.0, 0.0, 127.0]);
        write_matrix(&path, &ints, NumberStyle::Integer).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "-128,0,127\n");
    }
}
