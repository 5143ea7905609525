//! The harness behind the fuzz targets: put the fuzzed bytes into an app, run the check and
//! the fixes the way `check --write --unsafe-fixes` does, and assert what must always hold.
//!
//! Input layout: the first byte picks the app around the fuzzed file (see [`jsonc`] and
//! [`msbuild`]); the rest is split at the first [`SEP`] into the fuzzed file and, optionally,
//! a second file of the app. The files are written once per input to a folder in `/dev/shm`
//! (the fix engine reads from disk; everything after that happens in memory).
//!
//! The properties checked, for every input:
//! - nothing panics, overflows the stack or hangs (libFuzzer's `-timeout`);
//! - every finding's span and every fix edit lies inside its file, on character boundaries;
//! - the human, concise and JSON reports render;
//! - the fix engine never gives up with "please report this" (fixes that do not converge, or
//!   that leave a file unparsable);
//! - every changed file parses again;
//! - the composed edits (`FileChange::edits`) are sorted, disjoint, and applied to the
//!   original give exactly the new text, so no byte outside them changed;
//! - fixing the fixed app again changes nothing;
//! - with secrets and CI commands planted into the input's values ([`plant_json`],
//!   [`plant_xml`]: `AccountKey='…;…'`, `Pwd = …`, URL userinfo, a `DB_PASSWORD` member, and
//!   `\n::error::`, `\n##vso[…]`, ESC and CR), no output of any format, nor the `--diff`, shows
//!   a planted secret (unless the fuzzed bytes hold it themselves), a raw ESC or CR, or a line
//!   a CI runner would execute ([`assert_console_safe`]), whatever the fuzzed text around them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dts_migrate::model::{self, App, Parsed};
use dts_migrate::source::read::{Limits, Reader};
use dts_migrate::model::AppFiles;
use dts_migrate::finding::Finding;
use dts_migrate::source::FileRef;
use dts_migrate::fix::Applicability;
use dts_migrate::engine::fixpoint::{self, AppFix, Status};
use dts_migrate::fix::FileChange;
use dts_migrate::report::{self, Format, ReportContext};
use dts_migrate::write::AppWrite;
use dts_migrate::syntax::msbuild::Project;
use dts_migrate::source::text::SourceText;
use dts_migrate::syntax::{jsonc, msbuild};
use dts_migrate::engine::{suppress, Outcome, Policy};
use dts_migrate::rules;

/// Separates the fuzzed file from the optional second file in an input.
pub const SEP: &[u8] = b"\n=====\n";

/// The secrets [`plant_json`] and [`plant_xml`] put into an input.
pub const PLANTED_SECRETS: &[&str] = &[
    "PLANTs3cr3tA",
    "PLANTs3cr3tB",
    "PLANTs3cr3tC",
    "PLANTs3cr3tD",
    "PLANTs3cr3tE",
];

/// JSON members holding secrets written several ways, and text a console or CI runner would
/// act on (JSON escapes, so the member stays valid JSON).
const PLANTED_JSON: &str = r#""DB_PASSWORD": "PLANTs3cr3tA", "Planted": "AccountKey='PLANTs3cr3tB;x';Pwd = PLANTs3cr3tC ;U=https://u:PLANTs3cr3tD@h", "PlantedText": "x\n::error::planted\n##vso[task.setvariable variable=planted]y\u001b[31m\r::warning::cr", "#;

/// An XML comment with a secret and CI commands on lines of their own.
const PLANTED_XML: &str =
    "<!-- AccountKey=PLANTs3cr3tE;\n::error::planted\n##vso[task.setvariable variable=planted]y -->";

/// The first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where to plant members in a JSON text: just after the first `{` outside strings and
/// comments, and after the first such `{` that follows a `"Values"` key and its `:`. Strings
/// end at their closing quote or at a line break, as the lexical scans of the tool read them,
/// so planted members are members (or, in text that does not parse, still `"name": value`).
fn json_object_opens(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    // The last two tokens outside strings and comments: was it `"Values"` then `:`?
    let (mut after_values_key, mut after_values_colon) = (false, false);
    let mut values_done = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && !matches!(bytes[j], b'"' | b'\n' | b'\r') {
                    j += if bytes[j] == b'\\' && j + 1 < bytes.len() && !matches!(bytes[j + 1], b'\n' | b'\r') { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                after_values_key = &bytes[start..end] == b"Values";
                after_values_colon = false;
                i = if end < bytes.len() && bytes[end] == b'"' { end + 1 } else { end };
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |p| i + 2 + p + 2);
                continue;
            }
            b':' if after_values_key => {
                after_values_key = false;
                after_values_colon = true;
            }
            b'{' => {
                if out.is_empty() || (after_values_colon && !values_done) {
                    values_done |= after_values_colon;
                    out.push(i + 1);
                }
                after_values_key = false;
                after_values_colon = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                after_values_key = false;
                after_values_colon = false;
            }
        }
        i += 1;
    }
    out.dedup();
    out
}

/// The JSON text with [`PLANTED_JSON`] inserted as the first members of the objects
/// [`json_object_opens`] finds (a trailing comma is valid JSONC).
pub fn plant_json(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for &i in json_object_opens(bytes).iter().rev() {
        out.splice(i..i, PLANTED_JSON.bytes());
    }
    out
}

/// The XML text with [`PLANTED_XML`] after its first `>`.
pub fn plant_xml(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(i) = bytes.iter().position(|&b| b == b'>') {
        out.splice(i + 1..i + 1, PLANTED_XML.bytes());
    }
    out
}

/// Whether a line is one of the tool's own CI annotations.
fn own_annotation(line: &str) -> bool {
    ["::error file=", "::warning file=", "::notice file="]
        .iter()
        .any(|p| line.starts_with(p))
        || (line.starts_with("##vso[task.logissue type=") && line.matches("##vso[").count() == 1)
}

/// Asserts what every output must keep: no planted secret (when `secrets`), no raw ESC, no
/// CR but that of a CRLF line ending of the diff (`crlf`), and no line a CI runner would
/// execute unless it is the tool's own annotation: nothing that starts with `::` or `##` after
/// whitespace (GitHub), no `##vso[` or `##[` anywhere (Azure Pipelines).
pub fn assert_console_safe(what: &str, text: &str, secrets: bool, crlf: bool) {
    if secrets {
        for secret in PLANTED_SECRETS {
            assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
        }
    }
    assert!(!text.contains('\u{1b}'), "{what} prints a raw ESC:\n{text:?}");
    for line in text.split('\n') {
        let body = if crlf { line.strip_suffix('\r').unwrap_or(line) } else { line };
        assert!(!body.contains('\r'), "{what} prints a raw CR: {line:?}");
        if own_annotation(body) {
            continue;
        }
        let trimmed = body.trim_start();
        assert!(
            !trimmed.starts_with("::") && !trimmed.starts_with("##"),
            "{what} prints a line a CI runner would execute: {line:?}"
        );
        assert!(
            !body.contains("##vso[") && !body.contains("##["),
            "{what} prints an Azure Pipelines command: {line:?}"
        );
    }
}

const HOST_AZURE_STORAGE: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "Orders",
      "storageProvider": {
        "type": "AzureStorage",
        "connectionName": "Storage"
      }
    }
  }
}
"#;

const HOST_BUNDLE: &str = r#"{
  "version": "2.0",
  "extensions": { "durableTask": { "storageProvider": { "type": "mssql", "connectionStringName": "SQLDB_Connection" } } },
  "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[3.*, 4.0.0)" }
}
"#;

const SETTINGS_ISOLATED: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "Storage": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k==;"
  }
}
"#;

const SETTINGS_PYTHON: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "python",
    "SQLDB_Connection": "Server=tcp:x.database.windows.net;Database=d;Password=p;"
  }
}
"#;

const PROJECT_ISOLATED: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="1.21.0" />
    <PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask" Version="1.1.0" />
    <PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="1.17.0" />
  </ItemGroup>
</Project>
"#;

const PROJECT_IN_PROCESS: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net6.0</TargetFramework>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.2.0" />
    <PackageReference Include="Microsoft.Azure.WebJobs.Extensions.DurableTask" Version="2.13.0" />
  </ItemGroup>
</Project>
"#;

const PROJECT_CENTRAL: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" />
    <PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask" />
  </ItemGroup>
</Project>
"#;

const PROPS_CENTRAL: &str = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Microsoft.Azure.Functions.Worker" Version="1.21.0" />
    <PackageVersion Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask" Version="1.1.0" />
  </ItemGroup>
</Project>
"#;

const EXTENSIONS_PROJECT: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net6.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.WebJobs.Extensions.DurableTask" Version="2.9.0" />
  </ItemGroup>
</Project>
"#;

/// Where the files of a fuzzed app live: `<root>/.git/` (so the app is a repository of its
/// own), `<root>/Directory.Packages.props`, `<root>/app/…`.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("dts-migrate-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(root.join(".git")).expect("fuzz folder");
        std::fs::create_dir_all(root.join("app")).expect("fuzz folder");
        root
    })
}

/// The files of one app, as bytes by role.
#[derive(Default, Clone)]
struct Layout {
    host: Vec<u8>,
    local_settings: Option<Vec<u8>>,
    project: Option<Vec<u8>>,
    extensions_project: Option<Vec<u8>>,
    props: Option<Vec<u8>>,
    manifest: Option<(&'static str, &'static str)>,
}

/// Splits an input at the first [`SEP`].
fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.windows(SEP.len()).position(|w| w == SEP) {
        Some(i) => (&data[..i], Some(&data[i + SEP.len()..])),
        None => (data, None),
    }
}

/// Fuzzes host.json: the first byte picks the app (.NET isolated, .NET in-process, Python
/// with a bundle, Python with extensions.csproj, Node), its top bit whether the app has the
/// template local.settings.json; the rest is host.json, then after [`SEP`]
/// local.settings.json.
pub fn jsonc(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (host, settings) = split(rest);
    let mut layout = Layout {
        host: host.to_vec(),
        ..Layout::default()
    };
    let default_settings = match selector % 5 {
        0 => {
            layout.project = Some(PROJECT_ISOLATED.into());
            SETTINGS_ISOLATED
        }
        1 => {
            layout.project = Some(PROJECT_IN_PROCESS.into());
            SETTINGS_ISOLATED
        }
        2 => {
            layout.manifest = Some(("requirements.txt", "azure-functions-durable\n"));
            SETTINGS_PYTHON
        }
        3 => {
            layout.manifest = Some(("requirements.txt", "azure-functions-durable\n"));
            layout.extensions_project = Some(EXTENSIONS_PROJECT.into());
            SETTINGS_PYTHON
        }
        _ => {
            layout.manifest = Some(("package.json", r#"{"dependencies":{"durable-functions":"^3"}}"#));
            SETTINGS_PYTHON
        }
    };
    layout.local_settings = match settings {
        Some(s) => Some(s.to_vec()),
        None if selector & 0x80 != 0 => Some(default_settings.into()),
        None => None,
    };
    run(&layout);
}

/// Fuzzes MSBuild files: the first byte picks which file the bytes are (the app's project,
/// extensions.csproj of a Python app, or Directory.Packages.props of a Central Package
/// Management app); the rest is that file, then after [`SEP`] the app's project (for the
/// props case) or Directory.Packages.props (for the project case; without one, the top bit of
/// the first byte adds a template props file).
pub fn msbuild(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (file, second) = split(rest);
    let layout = match selector % 3 {
        0 => Layout {
            host: HOST_AZURE_STORAGE.into(),
            local_settings: Some(SETTINGS_ISOLATED.into()),
            project: Some(file.to_vec()),
            props: match second {
                Some(bytes) => Some(bytes.to_vec()),
                None if selector & 0x80 != 0 => Some(PROPS_CENTRAL.into()),
                None => None,
            },
            ..Layout::default()
        },
        1 => Layout {
            host: HOST_BUNDLE.into(),
            local_settings: Some(SETTINGS_PYTHON.into()),
            extensions_project: Some(file.to_vec()),
            manifest: Some(("requirements.txt", "azure-functions-durable\n")),
            ..Layout::default()
        },
        _ => Layout {
            host: HOST_AZURE_STORAGE.into(),
            local_settings: Some(SETTINGS_ISOLATED.into()),
            project: Some(second.map_or_else(|| PROJECT_CENTRAL.into(), <[u8]>::to_vec)),
            props: Some(file.to_vec()),
            ..Layout::default()
        },
    };
    run(&layout);
}

fn write(path: &Path, bytes: &[u8]) -> PathBuf {
    std::fs::write(path, bytes).expect("write fuzz input");
    path.to_path_buf()
}

/// The layout with secrets and CI commands planted in every file.
fn planted(layout: &Layout) -> Layout {
    let xml = |b: &Option<Vec<u8>>| b.as_deref().map(plant_xml);
    Layout {
        host: plant_json(&layout.host),
        local_settings: layout.local_settings.as_deref().map(plant_json),
        project: xml(&layout.project),
        extensions_project: xml(&layout.extensions_project),
        props: xml(&layout.props),
        manifest: layout.manifest,
    }
}

/// Runs the planted layout through every report format and the diff, asserting
/// [`assert_console_safe`]; then the layout itself through the check and the fixes.
fn run(layout: &Layout) {
    let plant = planted(layout);
    let fuzzed_holds_plant = [&layout.host]
        .into_iter()
        .chain(layout.local_settings.iter())
        .chain(layout.project.iter())
        .chain(layout.extensions_project.iter())
        .chain(layout.props.iter())
        .any(|b| find(b, b"PLANT").is_some());
    let files = write_layout(&plant);
    let outcome = check_app(&files);
    let cx = ReportContext::default();
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::JsonLines,
        Format::Sarif,
        Format::Github,
        Format::Azure,
        Format::Junit,
        Format::Gitlab,
    ] {
        let text = report::render(&outcome, format, &cx);
        assert_console_safe(&format!("{format:?}"), &text, !fuzzed_holds_plant, false);
    }
    let fixed = fix(&files);
    let writes = vec![AppWrite {
        app: files.dir.clone(),
        files: fixed.changes.into_iter().collect(),
        shares: Vec::new(),
    }];
    let diff = report::diff::diff(&writes);
    assert_console_safe("--diff", &diff.patch, !fuzzed_holds_plant, true);
    for note in &diff.notes {
        assert_console_safe("--diff note", note, !fuzzed_holds_plant, false);
    }
    let files = write_layout(layout);
    let outcome = check_app(&files);
    for format in [Format::Human, Format::Concise, Format::Json] {
        let text = report::render(&outcome, format, &cx);
        assert_console_safe(&format!("{format:?}"), &text, false, false);
    }
    fix_twice(&files);
}

/// Writes the files of a layout.
fn write_layout(layout: &Layout) -> AppFiles {
    let root = root();
    let dir = root.join("app");
    let mut files = AppFiles {
        dir: dir.clone(),
        host: write(&dir.join("host.json"), &layout.host),
        ..AppFiles::default()
    };
    if let Some(bytes) = &layout.local_settings {
        files.local_settings = Some(write(&dir.join("local.settings.json"), bytes));
    }
    if let Some(bytes) = &layout.project {
        files.projects.push(write(&dir.join("App.csproj"), bytes));
    }
    if let Some(bytes) = &layout.extensions_project {
        files.extensions_project = Some(write(&dir.join("extensions.csproj"), bytes));
    }
    if let Some((name, text)) = layout.manifest {
        files.manifests.push(write(&dir.join(name), text.as_bytes()));
    }
    if let Some(bytes) = &layout.props {
        files
            .props
            .push(write(&root.join("Directory.Packages.props"), bytes));
    }
    files
}

fn limits() -> Limits {
    Limits::default()
}

fn filter(found: Vec<Finding>, app: &App) -> Vec<Finding> {
    Policy::default().apply(found, &suppress::files_of(app))
}

/// The check alone (no fixes), as `check` runs it: the outcome every report renders.
fn check_app(files: &AppFiles) -> Outcome {
    let reader = Reader::disk(limits());
    let mut problems = Vec::new();
    let props: Vec<std::sync::Arc<Parsed<Project>>> = files
        .props
        .iter()
        .filter_map(|p| model::load_project(p, &reader, &mut problems).map(std::sync::Arc::new))
        .collect();
    let mut findings = rules::files::load_findings(&problems);
    let app = App::load(files, props, &reader);
    let mut planned = filter(rules::check_app(&app), &app);
    planned.sort_by(Finding::report_order);
    // The reports without edits use findings whose edits may be unplanned: they must read the
    // same (same findings, fixes with the same message and applicability).
    let mut unplanned = filter(rules::check_app_with(&app, rules::Edits::Skipped), &app);
    unplanned.sort_by(Finding::report_order);
    let shape = |f: &Finding| {
        let fix = f.fix.as_ref().map(|x| (x.message.clone(), x.applicability));
        (f.code, f.span.range.clone(), f.message.clone(), fix)
    };
    assert_eq!(
        planned.iter().map(shape).collect::<Vec<_>>(),
        unplanned.iter().map(shape).collect::<Vec<_>>(),
        "findings differ when edits are not planned"
    );
    findings.extend(planned);
    findings.sort_by(Finding::report_order);
    for f in &findings {
        assert_span(&f.span.file, &f.span.range, f.code);
        for r in &f.related {
            assert_span(&r.span.file, &r.span.range, f.code);
        }
        if let Some(fix) = &f.fix {
            for e in &fix.edits {
                assert_span(&e.file, &e.range, f.code);
            }
        }
    }
    Outcome {
        findings,
        apps: 1,
        files: app.files_read,
        ..Outcome::default()
    }
}

fn assert_span(file: &FileRef, range: &std::ops::Range<usize>, code: &str) {
    let text = file.text.as_str();
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{code}: span {range:?} outside {} ({} bytes)",
        file.path.display(),
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{code}: span {range:?} not on character boundaries in {}",
        file.path.display()
    );
}

fn fix(files: &AppFiles) -> AppFix {
    fixpoint::fix_app(files, limits(), Applicability::Unsafe, &filter)
}

/// Whether to print what each input did (`DTS_MIGRATE_FUZZ_DEBUG=1`, for checking seeds).
fn verbose() -> bool {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    *VERBOSE.get_or_init(|| std::env::var_os("DTS_MIGRATE_FUZZ_DEBUG").is_some())
}

/// Fixes to a fixed point, checks the result, writes it, and fixes again: nothing may change.
fn fix_twice(files: &AppFiles) {
    let first = fix(files);
    if verbose() {
        eprintln!(
            "status {:?}; {} fixes applied ({:?}); files changed: {:?}; findings left: {:?}",
            first.status,
            first.applied.len(),
            first.applied.iter().map(|a| a.code).collect::<Vec<_>>(),
            first.changes.keys().collect::<Vec<_>>(),
            first.findings.iter().map(|f| f.code).collect::<Vec<_>>()
        );
    }
    assert_sane(&first);
    if first.changes.is_empty() {
        return;
    }
    for (path, change) in &first.changes {
        assert_change(path, change);
    }
    for (path, change) in &first.changes {
        std::fs::write(path, change.new_text.as_bytes()).expect("write fixed file");
    }
    let second = fix(files);
    assert_sane(&second);
    assert!(
        second.changes.is_empty(),
        "fixing the fixed app changed it again: {:?}\napplied: {:?}",
        second
            .changes
            .iter()
            .map(|(p, c)| (p.display().to_string(), c.edits.clone()))
            .collect::<Vec<_>>(),
        second.applied
    );
}

fn assert_sane(result: &AppFix) {
    match &result.status {
        Status::Converged => {}
        Status::NotConverged { codes } => panic!("fixes did not converge: {codes:?}"),
        Status::Refused { reason } => {
            assert!(
                !reason.contains("please report this"),
                "fix engine refused: {reason}"
            );
        }
    }
}

fn assert_change(path: &Path, change: &FileChange) {
    let original = change.original.text.as_str();
    let mut rebuilt = String::new();
    let mut cursor = 0;
    for (range, text) in &change.edits {
        assert!(
            cursor <= range.start && range.start <= range.end && range.end <= original.len(),
            "{}: edits unsorted, overlapping or outside the file: {:?}",
            path.display(),
            change.edits
        );
        rebuilt.push_str(&original[cursor..range.start]);
        rebuilt.push_str(text);
        cursor = range.end;
    }
    rebuilt.push_str(&original[cursor..]);
    assert_eq!(
        rebuilt,
        change.new_text,
        "{}: the edits do not give the new text",
        path.display()
    );
    let source = SourceText::from_string(change.new_text.clone());
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        let parsed = jsonc::parse(&source);
        assert!(
            parsed.as_ref().is_ok_and(|doc| doc.members().is_some()),
            "{}: the fixed file does not parse: {:?}\n{}",
            path.display(),
            parsed.err(),
            change.new_text
        );
    } else if let Err(err) = msbuild::parse(&source) {
        panic!(
            "{}: the fixed file does not parse: {err:?}\n{}",
            path.display(),
            change.new_text
        );
    }
}
