//! `dts-migrate.toml`, inline suppressions, `--report`/`--output-file` and CI annotations, on
//! small apps written into temporary folders.

mod common;

use std::fs;
use std::path::Path;

use common::{codes, run, run_with_env, stdout};

/// A Python app on Azure Storage by default: DTS101 at 4:5, nothing else.
const LEGACY_HOST: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "OrdersHub"
    }
  },
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[4.*, 5.0.0)"
  }
}
"#;

fn app(dir: &Path, name: &str, host: &str) {
    let app = dir.join(name);
    fs::create_dir_all(&app).unwrap();
    fs::write(app.join("host.json"), host).unwrap();
    fs::write(app.join("requirements.txt"), "azure-functions-durable\n").unwrap();
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_closest_config_wins_and_extend_inherits() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "team/orders", LEGACY_HOST);
    fs::write(
        dir.path().join("dts-migrate.toml"),
        "[severity]\nDTS101 = \"error\"\n",
    )
    .unwrap();
    let report = json(dir.path(), &["team"]);
    assert_eq!(report["findings"][0]["severity"], "error");

    // A closer file replaces it; `extend` brings the outer one back under it.
    fs::write(
        dir.path().join("team/dts-migrate.toml"),
        "[severity]\nDTS101 = \"info\"\n",
    )
    .unwrap();
    assert_eq!(
        json(dir.path(), &["team"])["findings"][0]["severity"],
        "info"
    );
    fs::write(
        dir.path().join("team/dts-migrate.toml"),
        "extend = \"../dts-migrate.toml\"\nignore = [\"DTS2\"]\n",
    )
    .unwrap();
    assert_eq!(
        json(dir.path(), &["team"])["findings"][0]["severity"],
        "error"
    );
    // --no-config and --config.
    assert_eq!(
        json(dir.path(), &["--no-config", "team"])["findings"][0]["severity"],
        "warning"
    );
    fs::write(dir.path().join("other.toml"), "ignore = [\"DTS1\"]\n").unwrap();
    assert!(codes(&json(dir.path(), &["--config", "other.toml", "team"])).is_empty());
}

#[test]
fn severities_off_and_per_path_ignores() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "apps/orders", LEGACY_HOST);
    app(dir.path(), "legacy/billing", LEGACY_HOST);
    app(dir.path(), "vendor/thing", LEGACY_HOST);
    fs::write(
        dir.path().join("dts-migrate.toml"),
        "exclude = [\"vendor/**\"]\n[per-path-ignores]\n\"legacy/**\" = [\"DTS1\"]\n",
    )
    .unwrap();
    let report = json(dir.path(), &["."]);
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["apps/orders/host.json"]);
    assert_eq!(report["summary"]["apps"], 2, "vendor/ is excluded");

    fs::write(
        dir.path().join("dts-migrate.toml"),
        "[severity]\nDTS1 = \"off\"\n",
    )
    .unwrap();
    assert!(codes(&json(dir.path(), &["."])).is_empty());
    // An ignored rule's fix is not applied either.
    let out = run(dir.path(), &["check", "--write", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("apps/orders/host.json")).unwrap(),
        LEGACY_HOST
    );
}

#[test]
fn config_errors_name_file_line_and_column_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "orders", LEGACY_HOST);
    for (text, place, words) in [
        (
            "select = [\"DTS1\"]\nbogus = true\n",
            "dts-migrate.toml:2:1",
            "bogus",
        ),
        (
            "[severity]\nDTS101 = \"loud\"\n",
            "dts-migrate.toml:2:10",
            "loud",
        ),
        ("ignore = [\"DTS9\"]\n", "dts-migrate.toml:1:11", "DTS9"),
        (
            "[migration]\nhub-setting = \"%HUB%\"\n",
            "dts-migrate.toml:2:15",
            "%HUB%",
        ),
        (
            "extend = \"missing.toml\"\n",
            "dts-migrate.toml:1:10",
            "missing.toml",
        ),
    ] {
        fs::write(dir.path().join("dts-migrate.toml"), text).unwrap();
        let out = run(dir.path(), &["check", "orders"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(place) && err.contains(words), "{text}: {err}");
    }
}

#[test]
fn init_writes_a_config_that_loads_and_migration_defaults_apply() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "orders", LEGACY_HOST);
    assert!(run(dir.path(), &["init"]).status.success());
    let text = fs::read_to_string(dir.path().join("dts-migrate.toml")).unwrap();
    assert!(text.contains("connection-setting = \"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\""));
    assert_eq!(
        run(dir.path(), &["init"]).status.code(),
        Some(2),
        "no overwrite"
    );
    let schema: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["init", "--schema"]).stdout).unwrap();
    assert_eq!(schema["title"], "dts-migrate.toml");

    let text = text
        .replace("DURABLE_TASK_SCHEDULER_CONNECTION_STRING", "OrdersDts")
        .replace("\"TASKHUB_NAME\"", "\"ORDERS_HUB\"");
    fs::write(dir.path().join("dts-migrate.toml"), text).unwrap();
    assert!(run(dir.path(), &["check", "--write", "."]).status.success());
    let host = fs::read_to_string(dir.path().join("orders/host.json")).unwrap();
    assert!(
        host.contains("\"connectionStringName\": \"OrdersDts\"")
            && host.contains("\"hubName\": \"%ORDERS_HUB%\""),
        "{host}"
    );
}

#[test]
fn suppressions_need_a_reason_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let host = LEGACY_HOST.replace(
        "    \"durableTask\": {",
        "    // dts-migrate-ignore DTS101: the move is planned for Q3\n    \"durableTask\": {",
    );
    app(dir.path(), "used", &host);
    let host = LEGACY_HOST.replace(
        "  \"version\": \"2.0\",",
        "  // dts-migrate-ignore DTS107: nothing to hide\n  \"version\": \"2.0\",",
    );
    app(dir.path(), "unused", &host);
    let host = LEGACY_HOST.replace(
        "    \"durableTask\": {",
        "    // dts-migrate-ignore DTS101\n    \"durableTask\": {",
    );
    app(dir.path(), "no-reason", &host);
    let report = json(dir.path(), &["."]);
    let got: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("no-reason/host.json", "DTS506"),
        ("no-reason/host.json", "DTS101"),
        ("unused/host.json", "DTS505"),
        ("unused/host.json", "DTS101"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want;
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted);
    // A suppressed finding's fix is not applied.
    run(dir.path(), &["check", "--write", "used"]);
    assert!(fs::read_to_string(dir.path().join("used/host.json"))
        .unwrap()
        .contains("OrdersHub"));
    // A suppression of a rule that is switched off is not "unused".
    assert!(!codes(&json(dir.path(), &["--ignore", "DTS107", "unused"]))
        .contains(&"DTS505".to_string()));
}

#[test]
fn reports_go_to_files_and_ci_annotations_follow_the_console_report() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "orders", LEGACY_HOST);
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--report",
            "sarif=out/dts.sarif",
            "--report",
            "junit=junit.xml",
            ".",
        ],
    );
    // The folder does not exist: a clear error, exit 2.
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out/dts.sarif"));
    fs::create_dir(dir.path().join("out")).unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--report",
            "sarif=out/dts.sarif",
            "--report",
            "junit=junit.xml",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("orders/host.json:4:5: DTS101"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/dts.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "DTS101");
    let junit = fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(roxmltree::Document::parse(&junit).is_ok());

    let out = run(
        dir.path(),
        &["check", "-o", "report.json", "--format", "json", "."],
    );
    assert!(stdout(&out).is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["code"], "DTS101");

    let gh = stdout(&run_with_env(
        dir.path(),
        &["check", "--format", "concise", "."],
        &[("GITHUB_ACTIONS", "true")],
    ));
    assert!(
        gh.contains("::warning file=orders/host.json,line=4,"),
        "{gh}"
    );
    let az = stdout(&run_with_env(
        dir.path(),
        &["check", "."],
        &[("TF_BUILD", "True")],
    ));
    assert!(
        az.contains("##vso[task.logissue type=warning;sourcepath=orders/host.json;linenumber=4;"),
        "{az}"
    );
    // Machine formats never get annotations mixed in.
    let js = stdout(&run_with_env(
        dir.path(),
        &["check", "--format", "json", "."],
        &[("GITHUB_ACTIONS", "true")],
    ));
    assert!(serde_json::from_str::<serde_json::Value>(&js).is_ok());
    let none = stdout(&run_with_env(
        dir.path(),
        &["check", "--annotations", "none", "."],
        &[("GITHUB_ACTIONS", "true")],
    ));
    assert!(!none.contains("::warning"));
}

/// A config file that is a pipe (or too large) is an error naming it, never a hang: the
/// config is read like the checked files (non-blocking, bounded).
#[cfg(unix)]
#[test]
fn a_pipe_or_an_oversized_config_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    app(dir.path(), "orders", LEGACY_HOST);
    let config = dir.path().join("dts-migrate.toml");
    let made = std::process::Command::new("mkfifo").arg(&config).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let run_bounded = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("dts-migrate")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap()
    };
    let out = run_bounded(&["check", "--config", "dts-migrate.toml", "orders"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("dts-migrate.toml") && err.contains("a pipe"),
        "{err}"
    );
    fs::remove_file(&config).unwrap();
    fs::write(&config, "# padding\n".repeat(200_000)).unwrap();
    let out = run_bounded(&["check", "--config", "dts-migrate.toml", "orders"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("over the limit"), "{err}");
}
