//! TOML parameter files, read with serde. Parse errors and range checks name
//! the line of the offending key.

use super::InputError;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// A TOML file's text, kept so later range checks can point at a key's line.
#[derive(Debug, Clone)]
pub struct TomlFile {
    pub path: PathBuf,
    text: String,
}

impl TomlFile {
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::file(path, format!("cannot read: {e}; expected a TOML file"))
        })?;
        Ok(TomlFile {
            path: path.to_path_buf(),
            text,
        })
    }

    /// Deserializes the whole file; unknown keys are rejected by the target
    /// type's `#[serde(deny_unknown_fields)]`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, InputError> {
        toml::from_str(&self.text).map_err(|e| {
            let message = format!("invalid TOML: {}", e.message());
            match e.span() {
                Some(span) => InputError::at(&self.path, self.line_of_offset(span.start), message),
                None => InputError::file(&self.path, message),
            }
        })
    }

    /// An error about `key`'s value, on the key's line when it is in the file.
    pub fn key_error(&self, key: &str, message: impl Into<String>) -> InputError {
        let message = format!("{key}: {}", message.into());
        match self.key_line(key) {
            Some(line) => InputError::at(&self.path, line, message),
            None => InputError::file(&self.path, message),
        }
    }

    /// The 1-based line on which top-level `key = …` is written.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map(|i| i + 1)
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct P {
        du: u32,
        #[serde(default)]
        on: bool,
    }

    fn file(text: &str) -> (tempfile::TempDir, TomlFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, text).unwrap();
        let f = TomlFile::read(&path).unwrap();
        (dir, f)
    }

    #[test]
    fn parses_and_locates_keys() {
        let (_d, f) = file("# params\non = true\ndu = 7\n");
        let p: P = f.parse().unwrap();
        assert_eq!((p.du, p.on), (7, true));
        assert_eq!(f.key_line("du"), Some(3));
        let e = f.key_error("du", "expected at most 4095");
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string()
                .ends_with("p.toml:3: du: expected at most 4095"),
            "{e}"
        );
    }

    #[test]
    fn type_errors_and_unknown_keys_name_the_line() {
        let (_d, f) = file("on = true\ndu = \"x\"\n");
        let e = f.parse::<P>().unwrap_err();
        assert_eq!(e.line, Some(2));
        let (_d, f) = file("du = 1\nfoo = 2\n");
        let e = f.parse::<P>().unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unknown field"), "{e}");
    }
}
