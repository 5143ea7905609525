//! The CI snippets of the README's "CI and pre-commit" section: each YAML block parses (with
//! Python's PyYAML, which pre-commit brings; skipped with a message without it), and every
//! `dts-migrate …` command they show runs on a copy of `fixtures/example` with the exit code
//! and the report files the snippet expects.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{root, run};

/// The ```yaml blocks of the README's CI section.
fn ci_snippets() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("## CI and pre-commit").expect("the CI section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split("```yaml\n")
        .skip(1)
        .map(|block| block[..block.find("```").unwrap()].to_string())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_ci_snippet_parses_as_yaml() {
    let snippets = ci_snippets();
    // GitHub Actions, Azure Pipelines, GitLab CI, pre-commit.
    assert!(snippets.len() >= 4, "{snippets:?}");
    assert!(
        snippets.iter().any(|s| s.contains("codequality:")),
        "no GitLab snippet"
    );
    let python = Command::new("python3").args(["-c", "import yaml"]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with PyYAML is not installed (pip install pre-commit)");
        return;
    }
    for snippet in &snippets {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys, yaml; d = yaml.safe_load(sys.argv[1]); assert d, 'empty'",
                snippet,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{snippet}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_command_of_the_ci_snippets_runs_on_the_example() {
    let commands: Vec<String> = ci_snippets()
        .iter()
        .flat_map(|s| s.lines().map(str::to_string).collect::<Vec<_>>())
        .filter_map(|l| {
            let at = l.find("dts-migrate check ")?;
            // A comment after the command is not part of it.
            let command = &l[at..];
            Some(
                command[..command.find(" #").unwrap_or(command.len())]
                    .trim()
                    .to_string(),
            )
        })
        .collect();
    assert!(commands.len() >= 2, "{commands:?}");
    for command in &commands {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join("fixtures/example"), dir.path());
        let staging = dir.path().join("staging");
        fs::create_dir(&staging).unwrap();
        let line = command.replace(
            "$(Build.ArtifactStagingDirectory)",
            staging.to_str().unwrap(),
        );
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = run(dir.path(), &args);
        // The example app has a warning: the gate fails, and the reports are written.
        assert_eq!(
            out.status.code(),
            Some(1),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for arg in args.iter().filter_map(|a| a.split_once('=')) {
            let (format, path) = arg;
            let path = if Path::new(path).is_absolute() {
                Path::new(path).to_path_buf()
            } else {
                dir.path().join(path)
            };
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{line}: {format} report {}: {e}", path.display()));
            match format {
                "gitlab" => {
                    let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(
                        issues[0]["location"]["path"], "orders-app/host.json",
                        "{text}"
                    );
                }
                "junit" => {
                    roxmltree::Document::parse(&text).unwrap();
                    assert!(text.contains("<failure"), "{text}");
                }
                _ => {}
            }
        }
    }
}
