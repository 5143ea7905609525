//! Whole apps or none (issue 13, "half-migrated apps"): an app whose migration needs a fix that
//! cannot be made is not written at all, the report says why, and a plain check neither counts
//! nor marks its fixes as fixable. Each case is a .NET isolated MSSQL app (the orders app) made
//! hostile in one way, beside the normal app `good/`, which is still migrated.

use super::*;

/// The orders app at `name`, with `edit` applied to the text of its file `file`.
fn orders_app(tree: &Tree, name: &str, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let app = tree.dotnet_app(name);
    let text = fs::read_to_string(app.join(file)).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit of {name}/{file} changed nothing");
    fs::write(app.join(file), changed).unwrap();
    app
}

/// `--write` leaves `app` as it was and names it with a reason holding `why`; `good/` is
/// migrated; a plain check marks no finding of `app` as fixable (`[*]`) in concise.
fn assert_held(tree: &Tree, app: &Path, why: &str) {
    let name = app.file_name().unwrap().to_string_lossy().into_owned();
    let concise = run_in(tree.path(), &["check", "--format", "concise", "."], TIMEOUT);
    let plain = run_in(tree.path(), &["check", "--format", "json", "."], TIMEOUT);
    let before = snapshot(app);
    let fixed = write(tree.path());
    assert_eq!(
        snapshot(app),
        before,
        "{name} was written:\n{}",
        fixed.stderr
    );
    assert!(no_temporary_files(tree.path()));
    let line = fixed
        .stderr
        .lines()
        .find(|l| l.contains(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no reason names {name}:\n{}", fixed.stderr));
    assert!(line.contains(why), "{line}");
    assert!(line.contains("no file of the app is written"), "{line}");
    assert!(
        written(&fixed.report)
            .iter()
            .any(|f| f.starts_with("good/")),
        "good/ was not migrated: {:#}",
        fixed.report
    );
    assert_eq!(fixed.code, Some(1), "a held app fails the run");
    // The report says it too.
    let held = fixed.report["held"].as_array().unwrap();
    assert!(
        held.iter()
            .any(|h| h["app"] == name.as_str() && h["reason"].as_str().unwrap().contains(why)),
        "{:#}",
        fixed.report
    );
    // What the check claims is what --write does.
    for line in concise.stdout.lines() {
        if line.starts_with(&format!("{name}/")) {
            assert!(!line.contains("[*]"), "{line}");
        }
    }
    for finding in plain.report["findings"].as_array().unwrap() {
        if finding["file"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{name}/"))
        {
            let applicability = &finding["fix"]["applicability"];
            assert!(
                applicability.is_null() || applicability == "display-only",
                "{finding:#}"
            );
        }
    }
}

fn no_temporary_files(dir: &Path) -> bool {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .contains(".dts-migrate-")
            {
                return false;
            }
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    true
}

/// `"Values": null`: the connection, hub and storage settings cannot be added.
#[test]
fn values_that_are_not_an_object_hold_the_app() {
    for (name, values) in [
        ("null-values", "null"),
        ("list-values", "[]"),
        ("text-values", "\"x\""),
    ] {
        let tree = Tree::new();
        let app = orders_app(&tree, name, "local.settings.json", |_| {
            format!("{{\n  \"IsEncrypted\": false,\n  \"Values\": {values}\n}}\n")
        });
        assert_held(&tree, &app, "\"Values\"");
    }
}

/// An encrypted local.settings.json cannot take the settings either.
#[test]
fn encrypted_settings_hold_the_app() {
    let tree = Tree::new();
    let app = orders_app(&tree, "encrypted", "local.settings.json", |t| {
        t.replace("\"IsEncrypted\": false", "\"IsEncrypted\": true")
    });
    assert_held(&tree, &app, "encrypted");
}

/// Packages in an `ItemGroup` with a `Condition`: the AzureManaged package cannot be added
/// beside them, so host.json selecting azureManaged would leave the app unable to start. Known
/// only at the fixed point: a plain check of a few apps fixes them in memory to know it.
#[test]
fn a_package_that_cannot_be_added_holds_the_app() {
    let tree = Tree::new();
    let app = orders_app(&tree, "conditional", "App.csproj", |t| {
        t.replace(
            "<ItemGroup>",
            "<ItemGroup Condition=\"'$(Configuration)' == 'Debug'\">",
        )
    });
    assert_held(&tree, &app, "DTS301");
}

/// After `--write` over a tree of many shapes, every app is migrated whole or untouched: a
/// re-check with `--fail-on error` finds in no written app an error it did not have before.
#[test]
fn no_written_app_gains_an_error() {
    let tree = Tree::new();
    tree.dotnet_app("plain");
    orders_app(&tree, "null-values", "local.settings.json", |_| {
        "{ \"Values\": null }\n".to_string()
    });
    orders_app(&tree, "no-values", "local.settings.json", |_| {
        "{}\n".to_string()
    });
    orders_app(&tree, "conditional", "App.csproj", |t| {
        t.replace("<ItemGroup>", "<ItemGroup Condition=\"'$(X)' == 'y'\">")
    });
    orders_app(&tree, "bad-dts-string", "local.settings.json", |t| {
        t.replace(
            "\"FUNCTIONS_WORKER_RUNTIME\"",
            "\"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\": \"Endpoint=nowhere\",\n    \"FUNCTIONS_WORKER_RUNTIME\"",
        )
    });
    let errors = |run: &Run| -> std::collections::BTreeSet<(String, String, String)> {
        run.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| {
                let file = f["file"].as_str().unwrap().to_string();
                let app = file.split('/').next().unwrap().to_string();
                (
                    app,
                    f["code"].as_str().unwrap().to_string(),
                    f["message"].to_string(),
                )
            })
            .collect()
    };
    let before = check(tree.path());
    let fixed = write(tree.path());
    let written_apps: std::collections::BTreeSet<String> = written(&fixed.report)
        .iter()
        .map(|f| f.split('/').next().unwrap().to_string())
        .collect();
    assert!(
        written_apps.contains("plain") && written_apps.contains("good"),
        "{written_apps:?}"
    );
    for held in ["null-values", "conditional", "bad-dts-string"] {
        assert!(
            !written_apps.contains(held),
            "{held} was written:\n{}",
            fixed.stderr
        );
    }
    let had = errors(&before);
    for (app, code, message) in errors(&check(tree.path())) {
        if written_apps.contains(&app) {
            assert!(
                had.contains(&(app.clone(), code.clone(), message.clone())),
                "{app} gained {code}: {message}"
            );
        }
    }
}

/// A machine format over a readable tree says everything in its report: nothing on stderr,
/// whether it only checks or writes (issue 14).
#[test]
fn machine_formats_print_nothing_on_stderr() {
    for format in ["json", "json-lines", "sarif", "gitlab", "junit"] {
        let tree = Tree::new();
        tree.dotnet_app("orders");
        let checked = run_in(tree.path(), &["check", "--format", format, "."], TIMEOUT);
        assert_eq!(checked.stderr, "", "{format}");
        let fixed = run_in(
            tree.path(),
            &["check", "--write", "--format", format, "."],
            TIMEOUT,
        );
        assert_eq!(fixed.stderr, "", "{format} --write");
    }
}
