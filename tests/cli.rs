//! Exit codes and command-line behaviour of the real binary.

mod common;

use common::{root, run, stdout};

fn code(args: &[&str]) -> Option<i32> {
    run(&root(), args).status.code()
}

#[test]
fn clean_app_exits_0() {
    assert_eq!(
        code(&["check", "fixtures/rules/DTS101/passes/dts"]),
        Some(0)
    );
}

#[test]
fn findings_exit_1_unless_exit_zero() {
    assert_eq!(code(&["check", "fixtures/example"]), Some(1));
    assert_eq!(code(&["check", "--exit-zero", "fixtures/example"]), Some(0));
}

#[test]
fn fail_on_sets_the_threshold() {
    // The example has one warning (DTS101) and no error.
    assert_eq!(
        code(&["check", "--fail-on", "error", "fixtures/example"]),
        Some(0)
    );
    // DTS103 is info: it fails only with --fail-on info.
    let dir = "fixtures/rules/DTS103/fires";
    assert_eq!(code(&["check", dir]), Some(0));
    assert_eq!(code(&["check", "--fail-on", "info", dir]), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&["check", "--no-such-flag"]), Some(2));
    assert_eq!(
        code(&["check", "--select", "XYZ9", "fixtures/example"]),
        Some(2)
    );
    assert_eq!(code(&["rule", "DTS999"]), Some(2));
}

#[test]
fn unreadable_path_exits_2_with_its_name() {
    let output = run(&root(), &["check", "fixtures/does-not-exist"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("fixtures/does-not-exist"), "{err}");
}

#[test]
fn select_and_ignore_filter_by_prefix() {
    let out = stdout(&run(
        &root(),
        &[
            "check",
            "--format",
            "concise",
            "--ignore",
            "DTS1",
            "fixtures/example",
        ],
    ));
    assert!(!out.contains("DTS101"), "{out}");
    let out = stdout(&run(
        &root(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "dts101",
            "fixtures/example",
        ],
    ));
    assert!(out.contains("DTS101"), "{out}");
}

#[test]
fn a_file_argument_selects_its_app() {
    let out = stdout(&run(
        &root(),
        &[
            "check",
            "--format",
            "concise",
            "fixtures/example/orders-app/App.csproj",
        ],
    ));
    assert!(out.contains("orders-app/host.json:7:17: DTS101"), "{out}");
    assert!(out.contains("1 app checked"), "{out}");
}

#[test]
fn secrets_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"hub\", \"hubName\": \"x\" } }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("local.settings.json"),
        "{\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0LWtleQ==\",\n    \"OPENAI_API_KEY\": \"sk-live-123\",\n    \"OPENAI_API_KEY\": \"sk-live-456\"\n  }\n}\n",
    )
    .unwrap();
    for format in ["human", "concise", "json"] {
        let out = stdout(&run(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
        ));
        assert!(out.contains("DTS109"), "{format}: {out}");
        for secret in ["c2VjcmV0LWtleQ", "sk-live-123", "sk-live-456"] {
            assert!(!out.contains(secret), "{format} leaks {secret}: {out}");
        }
    }
}

#[test]
fn output_is_stable_between_runs() {
    let a = stdout(&run(&root(), &["check", "--format", "json", "fixtures"]));
    let b = stdout(&run(&root(), &["check", "--format", "json", "fixtures"]));
    assert_eq!(a, b);
}

#[test]
fn human_output_has_no_ansi_when_piped() {
    let out = stdout(&run(&root(), &["check", "fixtures/example"]));
    assert!(!out.contains('\u{1b}'), "{out}");
    let out = stdout(&run(
        &root(),
        &["check", "--color", "always", "fixtures/example"],
    ));
    assert!(out.contains('\u{1b}'), "{out}");
}

#[test]
fn readme_shows_the_real_output_of_the_example() {
    let out = stdout(&run(
        &root(),
        &["check", "--color", "never", "fixtures/example"],
    ));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(out.trim_end()),
        "README example is stale:\n{out}"
    );
}

#[test]
fn utf16_files_are_checked_and_their_fixes_are_display_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{FEFF}{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"Hub1\" } }\n}\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(dir.path().join("host.json"), bytes).unwrap();
    let report = common::check_json(dir.path(), &["."], &[]);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DTS101")
        .expect("DTS101 on the UTF-16 host.json");
    assert_eq!(finding["range"]["start"]["line"], 3);
    assert_eq!(finding["fix"]["applicability"], "display-only");
}

/// A durable app made of host.json alone (no project file or manifest says its language):
/// DTS404 names it "the durable app", not "the unknown durable app".
#[test]
fn dts404_on_an_app_of_unknown_language_reads_plainly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"Hub\" } }\n}\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--format", "concise"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("DTS404"))
        .unwrap_or_else(|| panic!("no DTS404 in {text}"));
    assert!(
        line.contains("the durable app has neither an extensionBundle"),
        "{line}"
    );
    assert!(!line.contains("unknown"), "{line}");
}
