//! The command-line habits of ruff and biome: aliases, "did you mean", --statistics,
//! --show-settings, --show-files, completions and the man page, colour variables, the notice
//! of a run that finds no app, the ignore file on command-line paths, and the summaries of
//! `check` and `check --write`.

mod common;

use std::fs;

use common::{root, run, run_with_env, stdout};

const LEGACY_HOST: &str = r#"{
  "version": "2.0",
  "extensions": { "durableTask": { "hubName": "OrdersHub" } },
  "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)" }
}
"#;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A repository with `count` legacy apps `apps/appN`.
fn apps(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    for i in 0..count {
        let app = dir.path().join(format!("apps/app{i}"));
        fs::create_dir_all(&app).unwrap();
        fs::write(app.join("host.json"), LEGACY_HOST).unwrap();
    }
    dir
}

#[test]
fn fix_and_output_format_are_aliases() {
    let dir = apps(1);
    let out = run(
        dir.path(),
        &["check", "--output-format", "json", "--fix", "."],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["summary"].is_object(), "{report}");
    let host = fs::read_to_string(dir.path().join("apps/app0/host.json")).unwrap();
    assert!(
        host.contains("azureManaged"),
        "--fix did not write:\n{host}"
    );
}

#[test]
fn mistyped_codes_and_values_get_the_closest_one() {
    let out = run(
        &root(),
        &["check", "--select", "DTS10l", "fixtures/example"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean DTS101?"),
        "{}",
        stderr(&out)
    );
    let out = run(&root(), &["check", "--format", "sarf", "fixtures/example"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'sarif'"), "{}", stderr(&out));
    let out = run(
        &root(),
        &["check", "--report", "junti=x.xml", "fixtures/example"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean junit?"),
        "{}",
        stderr(&out)
    );
    let out = run(&root(), &["rule", "legacy-backnd"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean legacy-backend?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn statistics_print_one_line_per_rule() {
    let out = run(
        &root(),
        &[
            "check",
            "--statistics",
            "fixtures/rules/DTS109/fires",
            "fixtures/example",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"1\tDTS101\t[*] legacy-backend"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("\tDTS109\t    duplicate-key")),
        "{text}"
    );
    assert!(lines.iter().all(|l| l.split('\t').count() == 3), "{text}");
}

#[test]
fn show_settings_and_show_files_print_what_the_run_uses() {
    let dir = apps(1);
    fs::write(
        dir.path().join("dts-migrate.toml"),
        "ignore = [\"DTS306\"]\n[severity]\nDTS101 = \"error\"\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("apps/app0/requirements.txt"),
        "azure-functions-durable\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--show-settings", "apps"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("dts-migrate.toml"), "{text}");
    assert!(text.contains("ignore = [\"DTS306\"]"), "{text}");
    assert!(text.contains("DTS101 = \"error\""), "{text}");
    assert!(text.contains("connection-setting = \"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\""));
    let out = run(dir.path(), &["check", "--show-files", "apps"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "apps/app0\n  apps/app0/host.json\n  apps/app0/requirements.txt\n"
    );
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&root(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains("statistics") && text.contains("output-format"),
            "{shell}"
        );
    }
    let script = stdout(&run(&root(), &["completions", "bash"]));
    if let Ok(out) = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
    {
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(&root(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH dts-migrate"),
        "{page}"
    );
    assert!(
        page.contains("check") && page.contains("completions"),
        "{page}"
    );
}

#[test]
fn colour_follows_no_color_and_force_color() {
    let ansi = |env: &[(&str, &str)]| {
        let out = run_with_env(&root(), &["check", "fixtures/example"], env);
        stdout(&out).contains('\u{1b}')
    };
    assert!(!ansi(&[]));
    assert!(ansi(&[("FORCE_COLOR", "1")]));
    assert!(ansi(&[("CLICOLOR_FORCE", "1")]));
    assert!(!ansi(&[("CLICOLOR_FORCE", "0")]));
    assert!(!ansi(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(ansi(&[("FORCE_COLOR", "1"), ("NO_COLOR", "")]));
}

#[test]
fn a_run_without_apps_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["human", "json"] {
        let out = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            stderr(&out).contains("no Functions app (a folder holding host.json) under ."),
            "{}",
            stderr(&out)
        );
    }
    let out = run(dir.path(), &["check", "--fail-on", "info", "."]);
    assert_eq!(out.status.code(), Some(1));
    // A readable tree with apps: nothing on stderr in a machine format.
    let out = run(&root(), &["check", "--format", "json", "fixtures/example"]);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn the_ignore_file_applies_to_paths_on_the_command_line() {
    let dir = apps(2);
    fs::write(dir.path().join(".dts-migrate-ignore"), "apps/app1/\n").unwrap();
    let count = |path: &str| {
        let out = run(dir.path(), &["check", "--format", "json", path]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["summary"]["apps"].as_u64().unwrap()
    };
    assert_eq!(count("."), 1);
    assert_eq!(count("apps/app1"), 0);
    assert_eq!(count("apps/app1/host.json"), 0);
    assert_eq!(count("apps/app0/host.json"), 1);
    // Also from inside the ignored folder, and by absolute path.
    let abs = fs::canonicalize(dir.path().join("apps/app1")).unwrap();
    let out = run(
        &dir.path().join("apps/app1"),
        &["check", "--format", "json", "."],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["apps"], 0);
    assert_eq!(count(abs.to_str().unwrap()), 0);
}

#[test]
fn the_human_summary_counts_what_write_would_change() {
    let out = run(&root(), &["check", "fixtures/example"]);
    let text = stdout(&out);
    assert!(
        text.contains("1 fixable with --write (5 fixes in 3 files)."),
        "{text}"
    );
    assert!(text.contains("docs: dts-migrate rule DTS101"), "{text}");
}

#[test]
fn a_large_write_prints_a_summary_and_lists_apps_only_when_asked() {
    let dir = apps(25);
    let out = run(
        dir.path(),
        &["check", "--write", "--format", "concise", "."],
    );
    let err = stderr(&out);
    assert!(!err.contains("Fixed apps/app0:"), "{err}");
    assert!(
        err.contains("Fixed 25 problems in 25 files of 25 apps; "),
        "{err}"
    );
    let dir = apps(25);
    let out = run(
        dir.path(),
        &["check", "--write", "-v", "--format", "concise", "."],
    );
    let err = stderr(&out);
    assert_eq!(err.matches("Fixed apps/app").count(), 25, "{err}");
    let dir = apps(2);
    let out = run(
        dir.path(),
        &["check", "--write", "--format", "concise", "."],
    );
    let err = stderr(&out);
    assert_eq!(err.matches("Fixed apps/app").count(), 2, "{err}");
}
