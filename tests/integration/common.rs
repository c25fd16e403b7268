//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `diagnoza` binary speaking English (`--lang en`: the tests written before the CLI spoke
/// Polish check English messages; the language tests use [`diagnoza_in`]).
pub fn diagnoza() -> Command {
    let mut c = Command::cargo_bin("diagnoza").expect("the binary is built");
    c.args(["--lang", "en"]);
    c
}

/// The `diagnoza` binary with no language on the command line and none in the environment:
/// it speaks the workspace's language, else Polish.
pub fn diagnoza_in() -> Command {
    let mut c = Command::cargo_bin("diagnoza").expect("the binary is built");
    for k in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] {
        c.env_remove(k);
    }
    c
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh workspace for gmina "Testowo" in a temporary folder.
pub fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    diagnoza()
        .args(["init"])
        .arg(&ws)
        .args(["--gmina", "Testowo"])
        .assert()
        .success();
    (dir, ws)
}

/// Write a file and return its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

/// A copy of the bundled example workspace (plan, desk data, answers; no store, no reports).
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("wydminy");
    let src = root().join("examples/wydminy");
    std::fs::create_dir_all(&ws).expect("create workspace");
    std::fs::copy(src.join("diagnoza.toml"), ws.join("diagnoza.toml")).expect("copy config");
    for sub in ["imports", "dane"] {
        std::fs::create_dir_all(ws.join(sub)).expect("create folder");
        for e in std::fs::read_dir(src.join(sub)).expect("example folder") {
            let p = e.expect("entry").path();
            std::fs::copy(&p, ws.join(sub).join(p.file_name().expect("name"))).expect("copy");
        }
    }
    (dir, ws)
}
