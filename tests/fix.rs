//! `--write` and `--diff` on copies of fixtures and of the corpus.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{root, run, stdout};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
            // The corpus is read-only; the copies must be writable.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
    }
}

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/example"), dir.path());
    dir
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else if entry.file_type().unwrap().is_file() {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

const MIGRATED_HOST: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      // dts-migrate: hub setting TASKHUB_NAME, migrated from mssql, old settings SQLDB_Connection (dts-migrate plan reads this)
      "hubName": "%TASKHUB_NAME%",
      "storageProvider": {
        "type": "azureManaged",
        "connectionStringName": "DURABLE_TASK_SCHEDULER_CONNECTION_STRING"
      }
    }
  }
}
"#;

#[test]
fn write_migrates_and_a_second_write_changes_nothing() {
    let dir = example();
    let out = run(dir.path(), &["check", "--write", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Fixed orders-app: 5 fixes in App.csproj, host.json, local.settings.json"),
        "{err}"
    );
    assert!(err.contains("Durable Task Data Contributor"), "{err}");
    let host = fs::read_to_string(dir.path().join("orders-app/host.json")).unwrap();
    assert_eq!(host, MIGRATED_HOST);
    let project = fs::read_to_string(dir.path().join("orders-app/App.csproj")).unwrap();
    assert!(
        project.contains(
            r#"Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged""#
        ) && !project.contains(".SqlServer"),
        "{project}"
    );
    let settings = fs::read_to_string(dir.path().join("orders-app/local.settings.json")).unwrap();
    assert!(
        settings.contains(r#""DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "Endpoint=http://localhost:8080;Authentication=None""#)
            && settings.contains(r#""TASKHUB_NAME": "default""#)
            && settings.contains("Password=NotARealSecret1!"),
        "the settings were not completed, or a secret was lost: {settings}"
    );
    let before = snapshot(dir.path());
    let again = run(dir.path(), &["check", "--write", "."]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the second --write changed files"
    );
}

#[test]
fn exit_non_zero_on_fix() {
    let dir = example();
    let out = run(
        dir.path(),
        &["check", "--write", "--exit-non-zero-on-fix", "."],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn diff_writes_nothing_and_patch_gives_the_write_result() {
    let dir = example();
    // The diff masks secrets, so this copy holds none: the patch must reproduce --write exactly.
    fs::write(
        dir.path().join("orders-app/local.settings.json"),
        "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n  }\n}\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["check", "--diff", "."]);
    assert_eq!(out.status.code(), Some(1), "a diff exits 1");
    assert_eq!(snapshot(dir.path()), before, "--diff wrote files");
    let diff = stdout(&out);
    assert!(diff.contains("--- a/orders-app/host.json"), "{diff}");
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the patch half: `patch` is not installed");
        return;
    }
    let patched = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), patched.path());
    let mut child = std::process::Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(patched.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(diff.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    run(dir.path(), &["check", "--write", "."]);
    assert_eq!(snapshot(patched.path()), snapshot(dir.path()));
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_read_only_files_are_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = example();
    copy_dir(
        &dir.path().join("orders-app"),
        &dir.path().join("locked-app"),
    );
    let host = dir.path().join("orders-app/host.json");
    fs::set_permissions(&host, fs::Permissions::from_mode(0o640)).unwrap();
    let locked = dir.path().join("locked-app/host.json");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    let locked_before = fs::read(&locked).unwrap();
    let out = run(dir.path(), &["check", "--write", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(fs::read_to_string(&host).unwrap(), MIGRATED_HOST);
    assert_eq!(
        fs::metadata(&host).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // Root ignores permission bits when writing, but the tool still refuses.
    assert_eq!(fs::read(&locked).unwrap(), locked_before);
}

#[cfg(unix)]
#[test]
fn symlinks_are_written_through_only_inside_the_tree() {
    let outside = example();
    let inside = tempfile::tempdir().unwrap();
    let app = inside.path().join("linked-app");
    fs::create_dir_all(&app).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("orders-app/host.json"),
        app.join("host.json"),
    )
    .unwrap();
    fs::copy(
        outside.path().join("orders-app/App.csproj"),
        app.join("App.csproj"),
    )
    .unwrap();
    let before = fs::read(outside.path().join("orders-app/host.json")).unwrap();
    let out = run(inside.path(), &["check", "--write", "."]);
    // The link is reported by name only (DTS501: not read), and nothing is written through it.
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("outside the scanned tree"), "{report}");
    assert_eq!(
        fs::read(outside.path().join("orders-app/host.json")).unwrap(),
        before
    );
    assert!(fs::symlink_metadata(app.join("host.json"))
        .unwrap()
        .file_type()
        .is_symlink());

    // A link whose target is inside the scanned tree is written through and stays a link.
    let tree = tempfile::tempdir().unwrap();
    copy_dir(outside.path(), &tree.path().join("real"));
    let linked = tree.path().join("linked");
    fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(
        tree.path().join("real/orders-app/host.json"),
        linked.join("host.json"),
    )
    .unwrap();
    fs::copy(
        outside.path().join("orders-app/App.csproj"),
        linked.join("App.csproj"),
    )
    .unwrap();
    run(tree.path(), &["check", "--write", "."]);
    assert!(fs::symlink_metadata(linked.join("host.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(tree.path().join("real/orders-app/host.json")).unwrap(),
        MIGRATED_HOST
    );
}

#[test]
fn apps_with_parse_errors_and_v1_apps_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("fixtures/rules/DTS501/fires"),
        &dir.path().join("broken"),
    );
    // The Functions 1.x case only: `{}` (also a DTS104 passes case) is a version-2.0 file.
    copy_dir(
        &root().join("fixtures/rules/DTS104/passes/functions-v1-root-section"),
        &dir.path().join("v1/functions-v1-root-section"),
    );
    let before = snapshot(dir.path());
    run(dir.path(), &["check", "--write", "--unsafe-fixes", "."]);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn corpus_write_then_check() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus, dir.path());
    let report_before = common::check_json(dir.path(), &["."], &[]);
    let broken: Vec<String> = report_before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DTS501")
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    let before = snapshot(dir.path());
    let written: serde_json::Value = serde_json::from_slice(
        &run(dir.path(), &["check", "--write", "--format", "json", "."]).stdout,
    )
    .unwrap();
    let after = snapshot(dir.path());
    assert!(!written["written"].as_array().unwrap().is_empty());
    common::only_the_reported_edits_changed("corpus", &before, &after, &written);
    // Files of apps with DTS501 are untouched.
    for file in &broken {
        let app = Path::new(file).parent().unwrap();
        for (path, bytes) in &after {
            if path.starts_with(app) {
                assert_eq!(Some(bytes), before.get(path), "{} changed", path.display());
            }
        }
    }
    // Every written file parses, and no error with a safe fix remains.
    let report = common::check_json(dir.path(), &["."], &[]);
    for f in report["findings"].as_array().unwrap() {
        assert!(
            f["code"] != "DTS501" || broken.contains(&f["file"].as_str().unwrap().to_string()),
            "a written file does not parse: {f}"
        );
        assert!(
            f["severity"] != "error" || f["fix"]["applicability"] != "safe",
            "an error with a safe fix remains: {f}"
        );
    }
    // A second --write is a no-op.
    run(dir.path(), &["check", "--write", "."]);
    assert_eq!(snapshot(dir.path()), after);
}
