//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `diagnoza` binary.
pub fn diagnoza() -> Command {
    Command::cargo_bin("diagnoza").expect("the binary is built")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh workspace for gmina "Testowo" in a temporary folder.
pub fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    diagnoza().args(["init"]).arg(&ws).args(["--gmina", "Testowo"]).assert().success();
    (dir, ws)
}

/// Write a file and return its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}
