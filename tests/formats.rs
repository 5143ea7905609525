//! Every report format over one shared set of findings, as snapshots, plus structural checks.

mod common;

use common::{root, run, stdout};

const PATHS: &[&str] = &[
    "fixtures/rules/DTS101/fires",
    "fixtures/rules/DTS106/fires",
    "fixtures/rules/DTS109/fires",
    "fixtures/rules/DTS501/fires",
];

fn render(format: &str) -> String {
    let mut args = vec!["check", "--format", format];
    args.extend_from_slice(PATHS);
    stdout(&run(&root(), &args))
}

#[test]
fn formats_match_snapshots() {
    for format in [
        "concise",
        "json-lines",
        "github",
        "azure",
        "junit",
        "gitlab",
    ] {
        insta::assert_snapshot!(format!("format_{format}"), render(format));
    }
    let mut sarif: serde_json::Value = serde_json::from_str(&render("sarif")).unwrap();
    // The absolute root differs between machines.
    sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///ROOT/".into();
    sarif["runs"][0]["invocations"][0]["workingDirectory"]["uri"] = "file:///ROOT/".into();
    sarif["runs"][0]["tool"]["driver"]["rules"] = serde_json::Value::Null;
    insta::assert_json_snapshot!("format_sarif", sarif);
}

#[test]
fn sarif_lists_every_rule_and_fingerprints_survive_line_moves() {
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif")).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let catalogue: Vec<serde_json::Value> =
        serde_json::from_slice(&run(&root(), &["rule", "--all", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(rules.len(), catalogue.len());
    assert!(rules.iter().all(|r| r["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Why it matters")));

    let dir = tempfile::tempdir().unwrap();
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"TASKHUB_NAME\", \"storageProvider\": { \"type\": \"azureManaged\" } } }\n}\n";
    std::fs::write(dir.path().join("host.json"), host).unwrap();
    let print = |d: &std::path::Path| {
        let s: serde_json::Value =
            serde_json::from_slice(&run(d, &["check", "--format", "sarif", "."]).stdout).unwrap();
        s["runs"][0]["results"][0]["partialFingerprints"].clone()
    };
    let before = print(dir.path());
    std::fs::write(dir.path().join("host.json"), format!("\n\n{host}")).unwrap();
    assert_eq!(print(dir.path()), before);
}

#[test]
fn junit_is_well_formed_xml() {
    let xml = render("junit");
    let doc = roxmltree::Document::parse(&xml).expect("junit parses");
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    let passed_with_output = doc
        .descendants()
        .filter(|n| n.has_tag_name("system-out"))
        .count();
    // Info findings (below --fail-on warning) are passed test cases with their message.
    assert!(failures > 0 && passed_with_output > 0, "{xml}");
    assert_eq!(cases, failures + passed_with_output);
}
