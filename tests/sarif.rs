//! SARIF paths as GitHub code scanning and Microsoft's SARIF Multitool want them: relative to
//! the repository root under `%SRCROOT%` whatever folder the tool runs in and however the path
//! is given, percent-encoded, with the working directory; offsets that do not count a BOM;
//! within GitHub's documented limits.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{root, run};
use serde_json::Value;

/// A folder name with every character that must be encoded in a URI.
const ODD: &str = "My Functions #1 %20 ü";
const ODD_ENCODED: &str = "My%20Functions%20%231%20%2520%20%C3%BC";

/// A repository (a `.git` folder) holding a legacy app under an odd folder name, its host.json
/// with a BOM; returns (temporary folder, canonical repository root).
fn repository() -> (tempfile::TempDir, PathBuf) {
    let tree = tempfile::tempdir().unwrap();
    let repo = fs::canonicalize(tree.path()).unwrap().join("repo");
    let app = repo.join(ODD).join("app");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(&app).unwrap();
    let fixture = root().join("fixtures/rules/DTS101/fires/azure-storage-default");
    let host = fs::read_to_string(fixture.join("host.json")).unwrap();
    fs::write(app.join("host.json"), format!("\u{FEFF}{host}")).unwrap();
    fs::copy(fixture.join("App.csproj"), app.join("App.csproj")).unwrap();
    (tree, repo)
}

fn sarif(dir: &Path, path: &str) -> Value {
    let out = run(dir, &["check", "--format", "sarif", path]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every artifact location of the log: results, related locations and fixes.
fn artifact_locations(log: &Value) -> Vec<Value> {
    let mut found = Vec::new();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let locations = result["locations"].as_array().into_iter().flatten();
        let related = result["relatedLocations"].as_array().into_iter().flatten();
        for l in locations.chain(related) {
            found.push(l["physicalLocation"]["artifactLocation"].clone());
        }
        for fix in result["fixes"].as_array().into_iter().flatten() {
            for change in fix["artifactChanges"].as_array().unwrap() {
                found.push(change["artifactLocation"].clone());
            }
        }
    }
    found
}

fn file_uri(folder: &Path) -> String {
    let mut uri = String::from("file://");
    for b in folder.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri + "/"
}

/// The SARIF Multitool: `SARIF_MULTITOOL`, the one `.ci/run` installs, or `sarif-multitool` on
/// PATH. `None`, with a message, when none runs (a failure under DTS_MIGRATE_REQUIRE_TOOLS=1).
fn multitool() -> Option<String> {
    let installed = std::env::var("TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/tmp"))
        .join("dts-migrate-ci-tools/node_modules/.bin/sarif-multitool");
    let candidates = std::env::var("SARIF_MULTITOOL").into_iter().chain([
        installed.to_string_lossy().into_owned(),
        "sarif-multitool".to_string(),
    ]);
    for tool in candidates {
        let runs = std::process::Command::new(&tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if runs {
            return Some(tool);
        }
    }
    assert!(
        std::env::var("DTS_MIGRATE_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "the SARIF Multitool is required (npm install @microsoft/sarif-multitool)"
    );
    eprintln!(
        "skipped: the SARIF Multitool is not installed (npm install @microsoft/sarif-multitool)"
    );
    None
}

/// The Multitool's errors (and warnings) for the log `log`.
fn validate(tool: &str, log: &Value) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dts.sarif");
    let output = dir.path().join("validation.sarif");
    fs::write(&input, serde_json::to_vec_pretty(log).unwrap()).unwrap();
    let status = std::process::Command::new(tool)
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "sarif-multitool failed to run");
    let report: Value = serde_json::from_slice(&fs::read(&output).unwrap()).unwrap();
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|run| run["results"].as_array())
        .flatten()
        .filter(|r| r["level"] == "error" || r["level"] == "warning")
        .cloned()
        .collect()
}

#[test]
fn uris_are_relative_to_the_repository_however_the_path_is_given() {
    let (tree, repo) = repository();
    let app = repo.join(ODD).join("app");
    let outside = fs::canonicalize(tree.path()).unwrap();
    let logs = [
        ("absolute", sarif(&outside, app.to_str().unwrap())),
        ("relative", sarif(&repo, &format!("{ODD}/app"))),
        (".", sarif(&app, ".")),
        ("subfolder", sarif(&repo.join(ODD), "app")),
    ];
    let root_uri = file_uri(&repo);
    for (how, log) in &logs {
        let run = &log["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            root_uri.as_str(),
            "{how}"
        );
        assert!(run["invocations"][0]["workingDirectory"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///"));
        let locations = artifact_locations(log);
        assert!(!locations.is_empty(), "{how}: {log}");
        for location in &locations {
            assert_eq!(location["uriBaseId"], "%SRCROOT%", "{how}: {location}");
            let uri = location["uri"].as_str().unwrap();
            assert!(
                uri.starts_with(&format!("{ODD_ENCODED}/app/")),
                "{how}: {uri}"
            );
        }
    }
    // The same log whichever way the app was named, but for the working directory.
    let strip = |log: &Value| {
        let mut log = log.clone();
        log["runs"][0]["invocations"] = Value::Null;
        log
    };
    for (how, log) in &logs[1..] {
        // Fingerprints too: they hash the path relative to the root.
        let (this, first) = (strip(log), strip(&logs[0].1));
        assert!(this == first, "{how}: {this:#}\nnot the same as\n{first:#}");
    }
    let cwd = |log: &Value| log["runs"][0]["invocations"][0]["workingDirectory"]["uri"].clone();
    assert_eq!(cwd(&logs[1].1), file_uri(&repo).as_str());
    assert_eq!(cwd(&logs[3].1), file_uri(&repo.join(ODD)).as_str());
    let mut uris: Vec<Value> = artifact_locations(&logs[0].1);
    uris.dedup();
    insta::assert_json_snapshot!("sarif_odd_folder_uris", uris);
}

#[test]
fn without_a_repository_uris_are_relative_to_the_current_folder() {
    let (tree, repo) = repository();
    fs::remove_dir(repo.join(".git")).unwrap();
    let log = sarif(&repo, &format!("{ODD}/app"));
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        file_uri(&repo).as_str()
    );
    for location in artifact_locations(&log) {
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        assert!(location["uri"].as_str().unwrap().starts_with(ODD_ENCODED));
    }
    drop(tree);
}

#[test]
fn offsets_do_not_count_the_bom() {
    let (_tree, repo) = repository();
    let with_bom = sarif(&repo, ".");
    let host = repo.join(ODD).join("app/host.json");
    let text = fs::read_to_string(&host).unwrap();
    fs::write(&host, text.trim_start_matches('\u{FEFF}')).unwrap();
    let without = sarif(&repo, ".");
    let regions = |log: &Value| -> Vec<Value> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["locations"][0]["physicalLocation"]["region"].clone())
            .collect()
    };
    assert!(!regions(&without).is_empty());
    assert_eq!(regions(&with_bom), regions(&without));
}

/// GitHub's documented limits for a SARIF upload (docs.github.com, "SARIF support for code
/// scanning" and "SARIF results exceed limits").
fn check_github_limits(log: &Value) {
    let runs = log["runs"].as_array().unwrap();
    assert!(runs.len() <= 20, "runs per file");
    for run in runs {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(rules.len() <= 25_000, "rules per run");
        for rule in rules {
            let id = rule["id"].as_str().unwrap();
            for field in ["shortDescription", "fullDescription"] {
                let text = rule[field]["text"].as_str().unwrap();
                let n = text.chars().count();
                assert!(n > 0 && n <= 1024, "{id} {field}: {n} characters");
            }
            assert!(rule["properties"]["tags"].as_array().unwrap().len() <= 20);
            assert!(rule["help"]["markdown"]
                .as_str()
                .is_some_and(|t| !t.is_empty()));
        }
        let results = run["results"].as_array().unwrap();
        assert!(results.len() <= 25_000, "results per run");
        for result in results {
            let locations = result["locations"].as_array().unwrap();
            assert!(!locations.is_empty() && locations.len() <= 1_000);
            let related = result["relatedLocations"].as_array().map_or(0, Vec::len);
            assert!(related <= 1_000);
            assert!(result["partialFingerprints"]
                .as_object()
                .is_some_and(|p| !p.is_empty()));
        }
    }
}

#[test]
fn sarif_passes_the_multitool_and_github_limits_from_every_folder() {
    let (tree, repo) = repository();
    let app = repo.join(ODD).join("app");
    let outside = fs::canonicalize(tree.path()).unwrap();
    let formats_paths = [
        "fixtures/rules/DTS101/fires",
        "fixtures/rules/DTS106/fires",
        "fixtures/rules/DTS109/fires",
        "fixtures/rules/DTS501/fires",
    ];
    let mut args = vec!["check", "--format", "sarif"];
    args.extend_from_slice(&formats_paths);
    let fixtures: Value = serde_json::from_slice(&run(&root(), &args).stdout).unwrap();
    let logs = [
        ("fixtures", fixtures),
        ("absolute", sarif(&outside, app.to_str().unwrap())),
        ("relative", sarif(&repo, &format!("{ODD}/app"))),
        (".", sarif(&app, ".")),
        ("subfolder", sarif(&repo.join(ODD), "app")),
    ];
    for (_, log) in &logs {
        check_github_limits(log);
    }
    let Some(tool) = multitool() else {
        return;
    };
    for (how, log) in &logs {
        let problems = validate(&tool, log);
        assert!(problems.is_empty(), "{how}: {problems:#?}");
    }
}
