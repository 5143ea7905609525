//! The rule catalogue: every rule has documentation, an implementation that fires on its
//! `fires` fixtures and stays silent on its `passes` fixtures, and snapshots of what users see.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{check_json, codes, root, run, stdout};

/// Fixtures are small; DTS504's `fires` case is over this limit.
const LIMIT: &str = "--max-file-size=1024";

fn catalogue() -> Vec<serde_json::Value> {
    let output = run(&root(), &["rule", "--all", "--format", "json"]);
    assert!(output.status.success());
    serde_json::from_slice::<Vec<serde_json::Value>>(&output.stdout).expect("rule json")
}

fn cases(code: &str, kind: &str) -> Vec<String> {
    let dir = root().join("fixtures/rules").join(code).join(kind);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("{code} has no fixtures/rules/{code}/{kind}/"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "{code} has no {kind} case");
    names
}

#[test]
fn every_rule_file_is_embedded_and_codes_are_unique() {
    let on_disk: BTreeSet<String> = fs::read_dir(root().join("rules"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("DTS") && n.ends_with(".toml"))
        .map(|n| n.trim_end_matches(".toml").to_string())
        .collect();
    let rules = catalogue();
    let embedded: Vec<String> = rules
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = embedded.iter().cloned().collect();
    assert_eq!(unique.len(), embedded.len(), "a code repeats");
    assert_eq!(unique, on_disk, "rules/ and the embedded catalogue differ");
    let names: BTreeSet<&str> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), rules.len(), "a rule name repeats");
}

#[test]
fn every_rule_is_documented() {
    for rule in catalogue() {
        let code = rule["code"].as_str().unwrap();
        for section in ["what_it_does", "why_it_matters", "example", "fix"] {
            let text = rule["docs"][section].as_str().unwrap_or_default();
            assert!(
                text.trim().len() > 20,
                "{code}: docs.{section} is missing or empty"
            );
        }
        assert!(
            !rule["summary"].as_str().unwrap_or_default().is_empty(),
            "{code}: no summary"
        );
        let text = stdout(&run(&root(), &["rule", code]));
        assert!(
            text.contains("## Why it matters"),
            "{code}: `rule` prints no docs"
        );
    }
}

#[test]
fn readme_lists_every_rule_with_its_summary() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows = readme.lines().filter(|l| l.starts_with("| DTS")).count();
    let rules = catalogue();
    assert_eq!(rows, rules.len(), "README rules table has {rows} rows");
    for rule in rules {
        let row = format!(
            "| {} | {} |",
            rule["code"].as_str().unwrap(),
            rule["name"].as_str().unwrap()
        );
        let line = readme.lines().find(|l| l.starts_with(&row));
        let line = line.unwrap_or_else(|| panic!("README has no row {row}"));
        assert!(
            line.ends_with(&format!("| {} |", rule["summary"].as_str().unwrap())),
            "README row of {row} has a stale summary"
        );
    }
}

#[test]
fn every_rule_fires_on_its_fixtures_and_not_on_close_cases() {
    for rule in catalogue() {
        let code = rule["code"].as_str().unwrap();
        let dir = root().join("fixtures/rules").join(code);
        for case in cases(code, "fires") {
            let path = format!("fires/{case}");
            let found = codes(&check_json(&dir, &[&path], &[LIMIT]));
            assert!(
                found.iter().any(|c| c == code),
                "{code} did not fire on {path}: {found:?}"
            );
        }
        for case in cases(code, "passes") {
            let path = format!("passes/{case}");
            let found = codes(&check_json(&dir, &[&path], &[LIMIT]));
            assert!(
                !found.iter().any(|c| c == code),
                "{code} fired on {path}: {found:?}"
            );
        }
    }
}

#[test]
fn rendered_findings_match_snapshots() {
    for rule in catalogue() {
        let code = rule["code"].as_str().unwrap();
        let dir = root().join("fixtures/rules").join(code);
        // Only the rule's own findings, so a change to another rule does not churn these.
        let select = format!("--select={code}");
        let human = stdout(&run(
            &dir,
            &["check", "--color", "never", LIMIT, &select, "fires"],
        ));
        insta::assert_snapshot!(format!("{code}_human"), human);
        let json = check_json(&dir, &["fires"], &[LIMIT, &select]);
        insta::assert_json_snapshot!(format!("{code}_json"), json["findings"]);
    }
}
