//! Real Function apps from public repositories, read from `../shared/corpus` (never copied into
//! the project). Skipped with a message when the folder is absent.

mod common;
use common::{check_json, corpus};
use dts_migrate::facts::BackendId;
use dts_migrate::model::{App, BackendSource};
use dts_migrate::source::read::{Limits, Reader};

/// (folder, app_path, host part of the backends column) for every corpus app.
fn manifest(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let host = cols
                .get(4)?
                .split(';')
                .next()?
                .trim()
                .strip_prefix("host:")?
                .to_string();
            Some((cols[0].to_string(), cols[3].to_string(), host))
        })
        .collect()
}

/// Findings at warning or error on azureManaged samples that are true, with the reason (from
/// MANIFEST.tsv and reference/durable-backends.md). Each entry must still fire.
const KNOWN_TRUE: &[(&str, &str, &str)] = &[
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__dotnet__LargePayloadFanOutFanIn",
        "DTS110",
        "largePayloadStorage* keys, renamed payloadStorage* in AzureManaged 1.6.0 (the sample itself was renamed by Azure-Samples/Durable-Task-Scheduler PR #246)",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__python__pdf-summarizer",
        "DTS106",
        "hubName is the literal \"TASKHUB_NAME\" without %: the host uses it as the hub name",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__quickstarts__dotnet__HelloCities__http@efe9fdb",
        "DTS303",
        "historical preview: AzureManaged 0.3.0-alpha",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__dotnet__HelloCities__http",
        "DTS303",
        "still on AzureManaged 0.3.0-alpha at HEAD",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__dotnet__OrderProcessor@3f07009",
        "DTS303",
        "historical preview: AzureManaged 0.4.1-alpha",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__dotnet__DistributedTracing",
        "DTS301",
        "host.json says azureManaged but the project has no AzureManaged package",
    ),
    (
        "Azure-Samples__Durable-Task-Scheduler__samples__durable-functions__python__pdf-summarizer@efe9fdb",
        "DTS403",
        "historical preview: extensions.csproj with AzureManaged 0.4.2-alpha and DurableTask 3.0.4",
    ),
];

#[test]
fn no_panic_and_parse_errors_have_positions() {
    let Some(dir) = corpus() else { return };
    let report = check_json(&dir, &["."], &[]);
    let findings = report["findings"].as_array().unwrap();
    let parse_errors: Vec<_> = findings.iter().filter(|f| f["code"] == "DTS501").collect();
    assert!(
        !parse_errors.is_empty(),
        "the corpus holds a broken host.json"
    );
    for f in parse_errors {
        let start = &f["range"]["start"];
        assert!(start["line"].as_u64().unwrap() >= 1 && start["column"].as_u64().unwrap() >= 1);
    }
    // The two concatenated objects of function_chaining: the second starts at 15:2.
    assert!(findings.iter().any(|f| f["code"] == "DTS501"
        && f["file"]
            .as_str()
            .unwrap()
            .contains("function_chaining/host.json")
        && f["range"]["start"]["line"] == 15
        && f["range"]["start"]["column"] == 2));
}

#[test]
fn backend_agrees_with_the_manifest() {
    let Some(dir) = corpus() else { return };
    let discovery = dts_migrate::discover::discover(std::slice::from_ref(&dir), 2).unwrap();
    let mut checked = 0;
    for (folder, app_path, host) in manifest(&dir) {
        let app_dir = dir.join(&folder).join(&app_path);
        let files = discovery
            .apps
            .iter()
            .find(|a| a.dir == app_dir)
            .unwrap_or_else(|| panic!("{folder}: app not discovered"));
        let app = App::load(files, Vec::new(), &Reader::disk(Limits::default()));
        if host == "?" {
            assert!(app.host.is_none(), "{folder}: host.json should not parse");
            continue;
        }
        let backend = app.backend();
        let expected = if let Some(t) = host.strip_prefix("type=") {
            match t.to_ascii_lowercase().as_str() {
                "azuremanaged" => BackendId::Dts,
                "mssql" | "microsoftsql" => BackendId::Mssql,
                "netherite" => BackendId::Netherite,
                "azurestorage" => BackendId::AzureStorage,
                other => panic!("{folder}: unexpected type {other}"),
            }
        } else {
            assert!(host.starts_with("default"), "{folder}: {host}");
            assert!(
                matches!(
                    backend.source,
                    BackendSource::Default | BackendSource::Typeless
                ),
                "{folder}: {backend:?}"
            );
            BackendId::AzureStorage
        };
        assert_eq!(backend.id, Some(expected), "{folder}: {host}");
        checked += 1;
    }
    assert!(checked >= 80, "only {checked} apps compared");
}

#[test]
fn no_false_findings_on_azure_managed_samples() {
    let Some(dir) = corpus() else { return };
    let mut visited = Vec::new();
    for (folder, _, host) in manifest(&dir) {
        if !host.eq_ignore_ascii_case("type=azureManaged") {
            continue;
        }
        visited.push(folder.clone());
        let report = check_json(&dir, &[&folder], &[]);
        let findings = report["findings"].as_array().unwrap();
        for (_, code, why) in KNOWN_TRUE.iter().filter(|(fo, _, _)| *fo == folder) {
            assert!(
                findings.iter().any(|f| f["code"] == *code),
                "{folder}: {code} no longer fires ({why})"
            );
        }
        for f in findings {
            let code = f["code"].as_str().unwrap();
            if f["severity"] == "info" {
                continue;
            }
            assert!(
                KNOWN_TRUE
                    .iter()
                    .any(|(fo, c, _)| *fo == folder && *c == code),
                "{folder}: unexpected {code}: {}",
                f["message"]
            );
        }
    }
    for (folder, _, _) in KNOWN_TRUE {
        assert!(
            visited.iter().any(|v| v == folder),
            "{folder} is not an azureManaged sample"
        );
    }
}

#[test]
fn every_legacy_durable_app_is_flagged() {
    let Some(dir) = corpus() else { return };
    for (folder, _, host) in manifest(&dir) {
        let legacy = [
            "type=mssql",
            "type=microsoftsql",
            "type=netherite",
            "type=azurestorage",
        ]
        .contains(&host.to_ascii_lowercase().as_str());
        if !legacy {
            continue;
        }
        let report = check_json(&dir, &[&folder], &[]);
        let found = common::codes(&report);
        assert!(found.iter().any(|c| c == "DTS101"), "{folder}: {found:?}");
    }
}
