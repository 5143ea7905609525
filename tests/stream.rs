//! The streamed check (`engine::stream`): findings of nested apps, and load findings of props
//! files between apps, inside an app folder and after every app, come out in report order in
//! every format, in a run of more apps than the preview of `--write` covers; and a report of
//! many findings is the same whatever the number of threads.

mod common;

use std::fs;
use std::path::Path;

use common::{run, stdout};

const LEGACY: &str = r#"{ "version": "2.0", "extensions": { "durableTask": { "storageProvider": { "type": "AzureStorage" } } } }"#;

fn app(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("host.json"), LEGACY).unwrap();
}

/// 227 apps (more than the 200 a plain check fixes in memory), some nested in others, and
/// broken props files before, inside and after the apps.
fn tree(root: &Path) {
    for i in 0..220 {
        app(&root.join(format!("apps/a{i:03}")));
    }
    // Nested apps: their files sort among their parent's (`a000/B…` before `a000/host.json`).
    for name in ["a000/B", "a000/z", "a005/nested/deeper"] {
        app(&root.join("apps").join(name));
    }
    for name in ["Alpha", "a000-x", "zz"] {
        app(&root.join("apps").join(name));
    }
    let broken = "<Project><ItemGroup>";
    // Between apps (`Directory…` sorts after `Alpha`, before `a000`), inside an app folder,
    // and after every app.
    fs::write(root.join("apps/Directory.Packages.props"), broken).unwrap();
    fs::write(root.join("apps/a010/Directory.Build.props"), broken).unwrap();
    fs::create_dir_all(root.join("apps/zz/sub")).unwrap();
    fs::write(root.join("apps/zz/sub/Directory.Build.props"), broken).unwrap();
    app(&root.join("apps/zz/sub"));
    fs::create_dir(root.join(".git")).unwrap();
}

/// The path and position of each concise line, as components for comparing.
fn keys(concise: &str) -> Vec<(Vec<String>, usize, usize)> {
    concise
        .lines()
        .filter(|l| l.contains(": DTS"))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next().unwrap();
            let line: usize = parts.next().unwrap().parse().unwrap();
            let col: usize = parts.next().unwrap().parse().unwrap();
            let components = Path::new(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (components, line, col)
        })
        .collect()
}

#[test]
fn findings_come_in_report_order_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let concise = stdout(&run(dir.path(), &["check", "--format", "concise", "apps"]));
    let found = keys(&concise);
    assert!(found.len() >= 227, "{concise}");
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted, "not in report order:\n{concise}");
    for props in [
        "apps/Directory.Packages.props",
        "apps/a010/Directory.Build.props",
        "apps/zz/sub/Directory.Build.props",
    ] {
        assert_eq!(
            concise.matches(&format!("{props}:")).count(),
            1,
            "{props} once:\n{concise}"
        );
    }
    // The JSON report lists the same findings in the same order, and its summary counts them.
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        dir.path(),
        &["check", "--format", "json", "apps"],
    )))
    .unwrap();
    let files: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let concise_files: Vec<&str> = concise
        .lines()
        .filter(|l| l.contains(": DTS"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(files, concise_files);
    let summary = &json["summary"];
    let counted = summary["errors"].as_u64().unwrap()
        + summary["warnings"].as_u64().unwrap()
        + summary["info"].as_u64().unwrap();
    assert_eq!(counted as usize, files.len());
    assert_eq!(summary["apps"], 227);
    // SARIF and GitLab are one JSON document each, with every finding.
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&run(
        dir.path(),
        &["check", "--format", "sarif", "apps"],
    )))
    .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        files.len()
    );
    let gitlab: serde_json::Value = serde_json::from_str(&stdout(&run(
        dir.path(),
        &["check", "--format", "gitlab", "apps"],
    )))
    .unwrap();
    assert_eq!(gitlab.as_array().unwrap().len(), files.len());
    // JUnit: one suite per file with findings, each case once.
    let junit = stdout(&run(dir.path(), &["check", "--format", "junit", "apps"]));
    assert_eq!(junit.matches("<testcase ").count(), files.len());
    assert!(junit.trim_end().ends_with("</testsuites>"), "{junit}");
    let mut suites: Vec<&str> = files.clone();
    suites.dedup();
    assert_eq!(junit.matches("<testsuite ").count(), suites.len());
}

#[test]
fn the_report_does_not_depend_on_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    for format in ["concise", "json", "sarif", "human"] {
        let one = stdout(&run(
            dir.path(),
            &["check", "--format", format, "--threads", "1", "apps"],
        ));
        let three = stdout(&run(
            dir.path(),
            &["check", "--format", format, "--threads", "3", "apps"],
        ));
        assert_eq!(one, three, "{format}");
    }
}
