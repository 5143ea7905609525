//! The CI reports as each platform reads them: GitLab paths relative to the repository root,
//! JUnit failures only for findings that fail the run, Azure info lines, one GitHub summary
//! notice and the GitHub job summary file.

mod common;

use std::fs;
use std::path::Path;

use common::{root, run, run_with_env, stdout};

const LEGACY_HOST: &str = r#"{
  "version": "2.0",
  "extensions": { "durableTask": { "hubName": "OrdersHub" } },
  "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)" }
}
"#;

/// A repository (`.git`) holding `apps/orders`, a legacy app.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::create_dir_all(dir.path().join("apps/orders")).unwrap();
    fs::write(dir.path().join("apps/orders/host.json"), LEGACY_HOST).unwrap();
    dir
}

fn gitlab_paths(dir: &Path, path: &str) -> Vec<String> {
    let out = run(dir, &["check", "--format", "gitlab", path]);
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn gitlab_paths_are_relative_to_the_repository_root() {
    let repo = repo();
    let abs = fs::canonicalize(repo.path().join("apps/orders")).unwrap();
    let abs = abs.to_str().unwrap();
    let outside = tempfile::tempdir().unwrap();
    for (dir, path) in [
        (repo.path().to_path_buf(), "apps/orders"),
        (repo.path().join("apps"), "orders"),
        (repo.path().join("apps/orders"), "."),
        (outside.path().to_path_buf(), abs),
    ] {
        let paths = gitlab_paths(&dir, path);
        assert!(!paths.is_empty());
        assert!(
            paths.iter().all(|p| p == "apps/orders/host.json"),
            "{path} from {}: {paths:?}",
            dir.display()
        );
    }
    // No repository: relative to the current folder.
    let loose = tempfile::tempdir().unwrap();
    fs::create_dir_all(loose.path().join("a/b")).unwrap();
    fs::write(loose.path().join("a/b/host.json"), LEGACY_HOST).unwrap();
    let paths = gitlab_paths(&loose.path().join("a"), "b");
    assert!(paths.iter().all(|p| p == "b/host.json"), "{paths:?}");
}

fn junit_failures(xml: &str) -> (usize, usize) {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
    (count("testcase"), count("failure"))
}

#[test]
fn junit_fails_only_what_fails_the_run() {
    // DTS103 (info) and DTS201 (info without local.settings.json): an info-only app.
    let info_only = "fixtures/rules/DTS103/fires";
    let out = run(&root(), &["check", "--format", "junit", info_only]);
    assert_eq!(out.status.code(), Some(0));
    let (cases, failures) = junit_failures(&stdout(&out));
    assert!(cases >= 2, "{}", stdout(&out));
    assert_eq!(failures, 0, "{}", stdout(&out));
    let out = run(
        &root(),
        &["check", "--format", "junit", "--fail-on", "info", info_only],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(junit_failures(&stdout(&out)), (cases, cases));
    // A warning fails under the default --fail-on warning, and only it.
    let out = run(&root(), &["check", "--format", "junit", "fixtures/example"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(junit_failures(&stdout(&out)).1, 1);
}

#[test]
fn azure_shows_info_findings_as_log_lines() {
    let out = run(
        &root(),
        &["check", "--format", "azure", "fixtures/rules/DTS103/fires"],
    );
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("DTS103"))
        .unwrap_or_else(|| panic!("no DTS103 line:\n{text}"));
    assert!(!line.starts_with("##"), "{line}");
    assert!(line.contains("host.json:7:17: DTS103 [*] [info]"), "{line}");
}

#[test]
fn github_ends_with_one_summary_notice() {
    let out = run(
        &root(),
        &["check", "--format", "github", "fixtures/example"],
    );
    let text = stdout(&out);
    let notices: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("::notice title=dts-migrate summary::"))
        .collect();
    assert_eq!(notices.len(), 1, "{text}");
    assert!(notices[0].contains("Found 1 problem"), "{text}");
    assert_eq!(text.lines().last(), Some(notices[0]));
}

#[test]
fn the_job_summary_is_appended_under_github_actions_whatever_the_format() {
    let repo = repo();
    // A secret and a CI command in the input, a Markdown table breaker in a folder name.
    fs::create_dir_all(repo.path().join("apps/a|b")).unwrap();
    fs::write(
        repo.path().join("apps/a|b/host.json"),
        LEGACY_HOST.replace("OrdersHub", "x\\n::error::boom"),
    )
    .unwrap();
    fs::write(
        repo.path().join("apps/a|b/local.settings.json"),
        r#"{ "Values": { "DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "Endpoint=https://x;Authentication=Nope;AccountKey=HUNTER2SECRET" } }"#,
    )
    .unwrap();
    let summary = repo.path().join("summary.md");
    fs::write(&summary, "# earlier step\n").unwrap();
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
    ];
    for format in ["json", "sarif", "concise"] {
        fs::write(&summary, "# earlier step\n").unwrap();
        let out = run_with_env(repo.path(), &["check", "--format", format, "apps"], &env);
        assert_eq!(out.status.code(), Some(1));
        if format != "concise" {
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let text = fs::read_to_string(&summary).unwrap();
        assert!(
            text.starts_with("# earlier step\n## dts-migrate\n"),
            "{text}"
        );
        assert!(text.contains("| DTS101 | legacy\\-backend | 2 |"), "{text}");
        assert!(text.contains("| apps/a\\|b | "), "{text}");
        assert!(text.contains("### The first"), "{text}");
        assert!(!text.contains("HUNTER2SECRET"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("::")), "{text}");
        assert!(
            text.contains("`--write` would make") || text.contains("would make"),
            "{text}"
        );
    }
    // Not under GitHub Actions: nothing is written.
    fs::write(&summary, "").unwrap();
    let out = run_with_env(
        repo.path(),
        &["check", "apps"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&summary).unwrap(), "");
}

#[cfg(unix)]
#[test]
fn the_job_summary_never_follows_a_symlink() {
    let repo = repo();
    let target = repo.path().join("elsewhere.md");
    fs::write(&target, "keep\n").unwrap();
    let link = repo.path().join("summary.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run_with_env(
        repo.path(),
        &["check", "--format", "json", "apps"],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", link.to_str().unwrap()),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the summary never changes the result"
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep\n");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("symlink"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
