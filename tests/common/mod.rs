//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The corpus of real apps in `../shared/corpus` (never copied into the project); None, with a
/// message, when it is not there.
pub fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/corpus is not here");
        None
    }
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `dts-migrate` with `args` in `dir`, outside any CI (no automatic annotations).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with_env(dir, args, &[])
}

/// Runs `dts-migrate` with `args` in `dir` and these environment variables set.
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::cargo_bin("dts-migrate").expect("binary built");
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD");
    for (key, value) in env {
        command.env(key, value);
    }
    command.args(args).output().expect("binary runs")
}

/// stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `check --format json` and returns the parsed document.
pub fn check_json(dir: &Path, paths: &[&str], extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let output = run(dir, &args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json report")
}

/// The codes of the findings in a JSON report.
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every byte outside the edits `--write` reports is unchanged: applying the reported edits to
/// the files as they were gives exactly the files on disk, and no other file changed.
pub fn only_the_reported_edits_changed(
    name: &str,
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    report: &serde_json::Value,
) {
    let mut rebuilt = before.clone();
    for written in report["written"].as_array().unwrap() {
        let path = PathBuf::from(written["file"].as_str().unwrap());
        let old = &before[&path];
        let mut new = Vec::new();
        let mut cursor = 0;
        for edit in written["edits"].as_array().unwrap() {
            let start = edit["range"]["start"]["offset"].as_u64().unwrap() as usize;
            let end = edit["range"]["end"]["offset"].as_u64().unwrap() as usize;
            assert!(
                cursor <= start && start <= end,
                "{name}: edits out of order"
            );
            assert!(
                end - start < old.len() || old.len() < 64,
                "{name}: {path:?} rewritten whole"
            );
            new.extend_from_slice(&old[cursor..start]);
            new.extend_from_slice(edit["content"].as_str().unwrap().as_bytes());
            cursor = end;
        }
        new.extend_from_slice(&old[cursor..]);
        rebuilt.insert(path, new);
    }
    assert_eq!(
        &rebuilt, after,
        "{name}: bytes changed outside the reported edits"
    );
}
