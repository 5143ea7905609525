//! The hooks of `.pre-commit-hooks.yaml` run by the real pre-commit framework in a temporary
//! git repository. The hooks' `entry`, `files` and `require_serial` are taken from the file; only
//! the executable is swapped for the binary under test (`language: system` instead of
//! `language: rust`, which would build the crate again). Skipped when pre-commit or git is
//! missing (`pip install pre-commit`).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const HOST: &str = r#"{
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

/// The value of `key:` in the hook `id` of `.pre-commit-hooks.yaml`.
fn hook_field(hooks: &str, id: &str, key: &str) -> String {
    let start = hooks
        .find(&format!("- id: {id}\n"))
        .unwrap_or_else(|| panic!("hook {id} is missing"));
    let block = &hooks[start + 1..];
    let block = &block[..block.find("\n- id:").unwrap_or(block.len())];
    block
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("hook {id} has no {key}"))
        .to_string()
}

fn local_config(bin: &Path) -> String {
    let hooks = fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut out = String::from("repos:\n- repo: local\n  hooks:\n");
    for id in ["dts-migrate", "dts-migrate-fix"] {
        let entry = hook_field(&hooks, id, "entry");
        let rest = entry
            .strip_prefix("dts-migrate ")
            .expect("the entry runs dts-migrate");
        assert_eq!(hook_field(&hooks, id, "language"), "rust");
        out.push_str(&format!(
            "  - id: {id}\n    name: {id}\n    entry: '{} {rest}'\n    language: system\n    files: {}\n    require_serial: {}\n",
            bin.display(),
            hook_field(&hooks, id, "files"),
            hook_field(&hooks, id, "require_serial"),
        ));
    }
    out
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn pre_commit(dir: &Path, home: &Path, hook: &str) -> Output {
    Command::new("pre-commit")
        .args(["run", hook, "--all-files", "--color", "never"])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .output()
        .unwrap()
}

#[test]
fn both_hooks_run_under_pre_commit() {
    let available = |tool: &str| Command::new(tool).arg("--version").output().is_ok();
    if !available("pre-commit") || !available("git") {
        eprintln!("skipped: pre-commit or git is not installed (pip install pre-commit)");
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git(dir, &["init", "--quiet"]);
    git(dir, &["config", "user.email", "ci@example.com"]);
    git(dir, &["config", "user.name", "CI"]);
    fs::create_dir(dir.join("orders")).unwrap();
    fs::write(dir.join("orders/host.json"), HOST).unwrap();
    fs::write(
        dir.join("orders/requirements.txt"),
        "azure-functions-durable\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("dts-migrate");
    fs::write(dir.join(".pre-commit-config.yaml"), local_config(&bin)).unwrap();
    git(dir, &["add", "-A"]);

    let check = pre_commit(dir, home.path(), "dts-migrate");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        !check.status.success(),
        "the check hook passed a legacy app:\n{text}"
    );
    assert!(text.contains("orders/host.json:4:5: DTS101"), "{text}");

    let fix = pre_commit(dir, home.path(), "dts-migrate-fix");
    let text = String::from_utf8_lossy(&fix.stdout);
    assert!(
        !fix.status.success(),
        "the fix hook must fail when it rewrites:\n{text}"
    );
    let host = fs::read_to_string(dir.join("orders/host.json")).unwrap();
    assert!(host.contains("\"type\": \"azureManaged\""), "{host}");
    git(dir, &["add", "-A"]);

    let again = pre_commit(dir, home.path(), "dts-migrate-fix");
    assert!(
        again.status.success(),
        "the second fix run failed:\n{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let check = pre_commit(dir, home.path(), "dts-migrate");
    assert!(
        check.status.success(),
        "the check hook fails on the migrated app:\n{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// Runs the check hook on what is staged (no `--all-files`), as a commit does.
fn pre_commit_staged(dir: &Path, home: &Path) -> Output {
    Command::new("pre-commit")
        .args(["run", "dts-migrate", "--color", "never"])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .output()
        .unwrap()
}

/// A change to any one kind of file dts-migrate reads, staged alone, runs the check hook (it
/// is not "(no files to check) Skipped"), and the hook checks the app it belongs to.
#[test]
fn the_check_hook_runs_on_a_change_to_each_file_kind() {
    let available = |tool: &str| Command::new(tool).arg("--version").output().is_ok();
    if !available("pre-commit") || !available("git") {
        eprintln!("skipped: pre-commit or git is not installed (pip install pre-commit)");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("dts-migrate");
    let home = tempfile::tempdir().unwrap();
    // (file, contents): every kind DESIGN §10 names, each in an app on a legacy backend.
    let kinds: &[(&str, &str)] = &[
        ("app/host.json", HOST),
        ("app/local.settings.json", "{ \"Values\": {} }\n"),
        (
            "app/App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        ),
        (
            "app/App.fsproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        ),
        (
            "app/extensions.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        ),
        ("Directory.Packages.props", "<Project></Project>\n"),
        ("Directory.Build.props", "<Project></Project>\n"),
        ("app/requirements.txt", "azure-functions-durable\n"),
        (
            "app/package.json",
            "{ \"dependencies\": { \"durable-functions\": \"3.0.0\" } }\n",
        ),
        ("app/pom.xml", "<project></project>\n"),
        ("app/build.gradle", "// gradle\n"),
        ("app/build.gradle.kts", "// gradle\n"),
        ("app/requirements.psd1", "@{}\n"),
        ("app/orchestrator/function.json", "{ \"bindings\": [] }\n"),
        ("dts-migrate.toml", "ignore = [\"DTS306\"]\n"),
        (".dts-migrate-ignore", "# nothing\n"),
    ];
    for (file, contents) in kinds {
        let repo = tempfile::tempdir().unwrap();
        let dir = repo.path();
        git(dir, &["init", "--quiet"]);
        git(dir, &["config", "user.email", "ci@example.com"]);
        git(dir, &["config", "user.name", "CI"]);
        fs::create_dir_all(dir.join("app/orchestrator")).unwrap();
        fs::write(dir.join("app/host.json"), HOST).unwrap();
        fs::write(dir.join(".pre-commit-config.yaml"), local_config(&bin)).unwrap();
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "--quiet", "--no-verify", "-m", "start"]);
        let path = dir.join(file);
        let old = fs::read_to_string(&path).unwrap_or_default();
        fs::write(
            &path,
            format!("{old}{contents}").replace(&format!("{HOST}{HOST}"), HOST),
        )
        .unwrap();
        if *file == "app/host.json" {
            fs::write(&path, HOST.replace("OrdersHub", "OtherHub")).unwrap();
        }
        git(dir, &["add", file]);
        let out = pre_commit_staged(dir, home.path());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("no files to check"),
            "a change to {file} alone skipped the hook:\n{text}"
        );
        assert!(
            !out.status.success() && text.contains("DTS101"),
            "a change to {file} alone did not check its app:\n{text}"
        );
    }
}
