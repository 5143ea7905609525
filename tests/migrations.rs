//! End-to-end migrations: each `fixtures/migrations/<case>/before/` is copied to a temporary
//! folder, migrated with `check --write` (plus the arguments in `<case>/args`, if any), and
//! compared byte for byte with `<case>/after/`. A second `--write` must change nothing, and
//! `--diff` applied with `patch -p1` must give the same files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{root, run};

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    for (rel, bytes) in files(from) {
        let target = to.join(rel);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(root().join("fixtures/migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("before").is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    cases
}

fn args(case: &Path) -> Vec<String> {
    fs::read_to_string(case.join("args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn show(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, String> {
    files
        .iter()
        .map(|(p, b)| (p.clone(), String::from_utf8_lossy(b).into_owned()))
        .collect()
}

#[test]
fn migrations_match_their_expected_files_exactly() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy(&case.join("before"), dir.path());
        let before = files(dir.path());
        let mut argv = vec!["check".to_string(), "--write".to_string()];
        argv.extend(args(&case));
        argv.push(".".to_string());
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let mut json_argv = argv.clone();
        json_argv.splice(2..2, ["--format", "json"]);
        let report: serde_json::Value =
            serde_json::from_slice(&run(dir.path(), &json_argv).stdout).unwrap();
        let expected = files(&case.join("after"));
        let got = files(dir.path());
        common::only_the_reported_edits_changed(&name, &before, &got, &report);
        assert_eq!(
            show(&got),
            show(&expected),
            "{name}: --write result differs"
        );
        assert_eq!(got, expected, "{name}: bytes differ (line endings or BOM?)");

        run(dir.path(), &argv);
        assert_eq!(
            files(dir.path()),
            expected,
            "{name}: the second --write changed files"
        );
    }
}

#[test]
fn diff_applied_with_patch_gives_the_same_files() {
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `patch` is not installed");
        return;
    }
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy(&case.join("before"), dir.path());
        let mut argv = vec!["check".to_string(), "--diff".to_string()];
        argv.extend(args(&case));
        argv.push(".".to_string());
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let diff = run(dir.path(), &argv).stdout;
        let mut child = std::process::Command::new("patch")
            .args(["-p1", "--quiet", "--binary"])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&diff).unwrap();
        assert!(child.wait().unwrap().success(), "{name}: patch failed");
        assert_eq!(
            show(&files(dir.path())),
            show(&files(&case.join("after"))),
            "{name}: patched files differ from --write"
        );
    }
}

/// The recommended version of each package in `rules/packages.toml`, by lower-cased id.
fn recommended_versions() -> BTreeMap<String, dts_migrate::syntax::nuget::Version> {
    let text = fs::read_to_string(root().join("rules/packages.toml")).unwrap();
    let doc: toml::Value = toml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for model in ["isolated", "webjobs"] {
        for package in ["azure_managed", "durable"] {
            let t = &doc[model][package];
            let id = t["id"].as_str().unwrap().to_ascii_lowercase();
            let v = dts_migrate::syntax::nuget::Version::parse(t["recommended"].as_str().unwrap())
                .unwrap();
            let floor =
                dts_migrate::syntax::nuget::Version::parse(t["fix_floor"].as_str().unwrap())
                    .unwrap();
            assert!(
                v >= floor,
                "{id}: recommended {v} is below its fix floor {floor}"
            );
            out.insert(id, v);
        }
    }
    out
}

/// Every package version a fix wrote in a migration case's MSBuild files (a reference or
/// `PackageVersion` line that the `before` file does not have) is at or above the recommended
/// version of `rules/packages.toml`.
#[test]
fn no_fix_writes_a_version_below_the_recommended_one() {
    let recommended = recommended_versions();
    let mut checked = 0;
    for case in cases() {
        let before = files(&case.join("before"));
        for (path, bytes) in files(&case.join("after")) {
            let name = path.to_string_lossy().to_ascii_lowercase();
            if !(name.ends_with("proj") || name.ends_with(".props")) {
                continue;
            }
            let old = before
                .get(&path)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            for line in String::from_utf8_lossy(&bytes).lines() {
                if old.lines().any(|l| l == line) {
                    continue;
                }
                let lower = line.to_ascii_lowercase();
                let attr = |key: &str| {
                    let at = lower.find(&format!("{key}=\""))? + key.len() + 2;
                    let end = at + lower[at..].find('"')?;
                    Some(line[at..end].to_string())
                };
                let (Some(id), Some(version)) = (attr("include"), attr("version")) else {
                    continue;
                };
                let Some(want) = recommended.get(&id.to_ascii_lowercase()) else {
                    continue;
                };
                let got =
                    dts_migrate::syntax::nuget::Version::parse(&version).unwrap_or_else(|| {
                        panic!("{}: {id} {version} is not a version", case.display())
                    });
                assert!(
                    &got >= want,
                    "{}: a fix wrote {id} {version}, below the recommended {want}",
                    case.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "only {checked} written versions checked");
}
