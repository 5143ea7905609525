//! The reports that show no edits (human, concise, the CI formats) are made from findings whose
//! fixes may leave their edits unplanned (`Edits::Skipped`). Those findings must read exactly as
//! the planned ones do: same findings, and each fix with the same message and applicability —
//! in particular no fix may exist in one mode and not the other. Checked on every fixture, the
//! generated example tree below, and the corpus when it is present.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use dts_migrate::engine::{Options, Policy};
use dts_migrate::rules::Edits;
use dts_migrate::source::read::Limits;

/// Each finding as text: code, place, message, and its fix without the edits.
fn findings(path: &Path, edits: Edits) -> Vec<String> {
    let options = Options {
        paths: vec![path.to_path_buf()],
        policy: Policy::default(),
        limits: Limits::default(),
        threads: 2,
        fix: None,
        edits,
    };
    let outcome = dts_migrate::engine::check(&options).expect("the path exists");
    outcome
        .findings
        .iter()
        .map(|f| {
            let fix = f
                .fix
                .as_ref()
                .map(|x| format!("{} ({})", x.message, x.applicability.as_str()));
            format!(
                "{} {}:{:?} {} | fix: {fix:?}",
                f.code,
                f.span.file.path.display(),
                f.span.range,
                f.message
            )
        })
        .collect()
}

fn assert_same_either_way(path: &Path) -> usize {
    let planned = findings(path, Edits::Planned);
    let skipped = findings(path, Edits::Skipped);
    assert_eq!(planned.len(), skipped.len(), "{}", path.display());
    for (p, s) in planned.iter().zip(&skipped) {
        assert_eq!(p, s, "{}", path.display());
    }
    planned.len()
}

#[test]
fn fixtures_read_the_same_with_edits_planned_or_not() {
    let found = assert_same_either_way(&root().join("fixtures"));
    assert!(found > 100, "the fixtures hold {found} findings");
}

/// host.json shapes around the one case where DTS101 must plan its edits to know whether it
/// has a fix: a durableTask object that keeps its hubName and has a storageProvider object.
#[test]
fn dts101_host_shapes_read_the_same_with_edits_planned_or_not() {
    let tree = tempfile::tempdir().unwrap();
    let shapes = [
        r#"{"version": "2.0"}"#,
        r#"{"version": "2.0", "extensions": 1}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": 1}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "Hub"}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": 7}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%"}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%", "storageProvider": 1}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%", "storageProvider": {}}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%", "storageProvider": {"type": "mssql"}}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB%", "storageProvider": {"type": "azureManaged", "connectionStringName": "DURABLE_TASK_SCHEDULER_CONNECTION_STRING"}}}}"#,
        r#"{"version": "2.0", "extensions": {"durableTask": {"storageProvider": {"type": "AzureStorage"}}}}"#,
        r#"{"extensions": {"durableTask": {"hubName": "Hub"}}}"#,
    ];
    for (i, host) in shapes.iter().enumerate() {
        let app: PathBuf = tree.path().join(format!("app{i}"));
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("host.json"), host).unwrap();
        std::fs::write(app.join("requirements.txt"), "azure-functions\n").unwrap();
    }
    let found = assert_same_either_way(tree.path());
    assert!(found >= shapes.len(), "{found} findings");
}

#[test]
fn the_corpus_reads_the_same_with_edits_planned_or_not() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    assert!(assert_same_either_way(&corpus) > 0);
}
