//! Inputs the fuzzers (`fuzz/`, see the README's Robustness section) found, minimized, run
//! through the real binary with `check --write --unsafe-fixes`: the migration must finish
//! without the fix engine giving up, leave files that parse, and a second run must change
//! nothing.

mod common;

use std::fs;
use std::path::Path;

use common::{codes, run};

const ISOLATED_PROJECT: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="1.21.0" />
    <PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask" Version="1.1.0" />
  </ItemGroup>
</Project>
"#;

const ISOLATED_SETTINGS: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated"
  }
}
"#;

const PYTHON_REQUIREMENTS: &str = "azure-functions-durable\n";

/// Runs `--write --unsafe-fixes` twice on an app made of `files` and checks the result.
fn migrates_cleanly(files: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let app = dir.path().join("app");
    fs::create_dir(&app).unwrap();
    for (name, text) in files {
        fs::write(app.join(name), text).unwrap();
    }
    let first = write(dir.path());
    assert!(
        !first["written"].as_array().unwrap().is_empty(),
        "nothing was migrated"
    );
    let report = common::check_json(dir.path(), &["app"], &[]);
    let codes = codes(&report);
    assert!(
        !codes.iter().any(|c| c == "DTS501"),
        "a migrated file does not parse: {report:#}\n{}",
        fs::read_to_string(app.join("host.json")).unwrap_or_default()
    );
    let second = write(dir.path());
    assert_eq!(
        second["written"],
        serde_json::json!([]),
        "a second --write changed the app again"
    );
}

fn write(dir: &Path) -> serde_json::Value {
    let out = run(
        dir,
        &[
            "check",
            "--write",
            "--unsafe-fixes",
            "--format",
            "json",
            "app",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    assert!(
        !stderr.contains("please report this") && !stderr.contains("not written"),
        "{stderr}"
    );
    serde_json::from_slice(&out.stdout).expect("json report")
}

/// `"vErsion"` and no `"version"`: DTS104 added `"version"`, DTS109 (keys differing only in
/// case) removed it again, forever ("fixes did not converge").
#[test]
fn a_case_variant_version_key_is_renamed_not_duplicated() {
    migrates_cleanly(&[
        ("host.json", "{\"vErsion\":\"0\",\"extensions\": {\n\n}\n}"),
        ("App.csproj", ISOLATED_PROJECT),
        ("local.settings.json", ISOLATED_SETTINGS),
    ]);
}

/// A multi-line object whose closing brace sits on its last member's line: the appended
/// member (here DTS404's extensionBundle) went after the brace ("a fix left host.json
/// unparsable").
#[test]
fn a_member_is_appended_before_a_brace_on_the_same_line() {
    migrates_cleanly(&[
        ("host.json", "{\n\"extensions\":{}}"),
        ("requirements.txt", PYTHON_REQUIREMENTS),
    ]);
}
