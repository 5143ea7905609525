//! Hostile inputs, run through the real binary (and, where a race has to be made
//! deterministic, through the library).
//!
//! Every test builds a temporary tree that holds the hostile app(s) *and* a normal legacy app
//! (`good/`, a Python app on Azure Storage with an extension bundle too old for DTS), with a
//! `.git` folder at the root so discovery stops there. Unless its doc comment says otherwise,
//! each test checks, through [`survive`], that
//!
//! 1. neither `check` nor `check --write` crashes: exit code 0 or 1, no panic, no hang (every
//!    run has a timeout);
//! 2. the hostile file gets a clear finding (DTS501 / DTS504, from `--format json`) or a clear
//!    warning that names its path, with its line and column where the file has a position;
//! 3. the run goes on: `good/` is still checked, and `--write` migrates it;
//! 4. nothing of the hostile app is written: every file, link and special file outside `good/`
//!    has the same bytes, mode and mtime afterwards, and no `.dts-migrate-*.tmp` file is left.

mod common;
#[path = "hostile/secrets.rs"]
mod secrets;
#[path = "hostile/walk.rs"]
mod walk;

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tempfile::TempDir;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_dts-migrate");

/// A run that takes longer than this hangs (a debug run over these trees takes well under a
/// second).
const TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// The tree and its normal app
// ---------------------------------------------------------------------------------------------

/// host.json of the normal legacy app: Azure Storage, and a bundle too old for DTS.
const LEGACY_HOST: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "ReportsHub",
      "storageProvider": {
        "type": "AzureStorage"
      }
    }
  },
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[3.*, 4.0.0)"
  }
}
"#;

/// local.settings.json of the normal legacy app.
const LEGACY_SETTINGS: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "python"
  }
}
"#;

/// requirements.txt of the normal legacy app: this makes it a durable Python app.
const LEGACY_REQUIREMENTS: &str = "azure-functions\nazure-functions-durable\n";

/// A temporary tree: `.git/`, the normal app `good/`, and whatever a test adds.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new() -> Tree {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        let tree = Tree { dir };
        tree.legacy_app("good");
        tree
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A copy of the normal legacy Python app at `name` (which `--write` would migrate); tests
    /// make it hostile by replacing one of its files.
    fn legacy_app(&self, name: &str) -> PathBuf {
        let app = self.path().join(name);
        fs::create_dir_all(&app).unwrap();
        fs::write(app.join("host.json"), LEGACY_HOST).unwrap();
        fs::write(app.join("local.settings.json"), LEGACY_SETTINGS).unwrap();
        fs::write(app.join("requirements.txt"), LEGACY_REQUIREMENTS).unwrap();
        app
    }

    /// A copy of `fixtures/example/orders-app` (a .NET isolated MSSQL app whose migration
    /// edits App.csproj, host.json and local.settings.json) at `name`.
    fn dotnet_app(&self, name: &str) -> PathBuf {
        copy_app(&self.path().join(name))
    }

    /// A folder for a hostile input that is not built from an app.
    fn dir(&self, name: &str) -> PathBuf {
        let dir = self.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}

/// Copies `fixtures/example/orders-app` to `to`.
fn copy_app(to: &Path) -> PathBuf {
    let from = common::root().join("fixtures/example/orders-app");
    fs::create_dir_all(to).unwrap();
    for name in ["App.csproj", "host.json", "local.settings.json"] {
        fs::write(to.join(name), fs::read(from.join(name)).unwrap()).unwrap();
    }
    to.to_path_buf()
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

/// What a path is, for comparing a tree before and after a run. Files are read (small ones
/// kept whole, large ones hashed); links are not followed; pipes are never opened.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File {
        bytes: Option<Vec<u8>>,
        len: u64,
        hash: u64,
        mode: u32,
        modified: Option<SystemTime>,
    },
    /// A file this process cannot read (chmod 000 when not root).
    Unreadable {
        mode: u32,
        modified: Option<SystemTime>,
    },
    Dir {
        mode: u32,
    },
    Link(PathBuf),
    Other {
        mode: u32,
    },
}

fn mode(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode()
    }
    #[cfg(not(unix))]
    {
        u32::from(meta.permissions().readonly())
    }
}

/// Every path under `dir` (relative), without following links.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let kind = meta.file_type();
            let shown = if kind.is_symlink() {
                Entry::Link(fs::read_link(&path).unwrap())
            } else if kind.is_dir() {
                stack.push(path.clone());
                Entry::Dir { mode: mode(&meta) }
            } else if kind.is_file() {
                match fs::read(&path) {
                    Ok(bytes) => {
                        let mut hasher = DefaultHasher::new();
                        bytes.hash(&mut hasher);
                        Entry::File {
                            len: meta.len(),
                            hash: hasher.finish(),
                            bytes: (bytes.len() <= 1 << 20).then_some(bytes),
                            mode: mode(&meta),
                            modified: meta.modified().ok(),
                        }
                    }
                    Err(_) => Entry::Unreadable {
                        mode: mode(&meta),
                        modified: meta.modified().ok(),
                    },
                }
            } else {
                Entry::Other { mode: mode(&meta) }
            };
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), shown);
        }
    }
    out
}

/// The snapshot without `good/`, the one app that is written.
fn without_good(mut snap: BTreeMap<PathBuf, Entry>) -> BTreeMap<PathBuf, Entry> {
    snap.retain(|path, _| !path.starts_with("good"));
    snap
}

/// Asserts that nothing but `good/` changed, and that no temporary file of `--write` is left
/// anywhere in the tree.
fn assert_untouched(before: &BTreeMap<PathBuf, Entry>, tree: &Path) {
    let after = snapshot(tree);
    let leftovers: Vec<&PathBuf> = after
        .keys()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".dts-migrate-") && n.ends_with(".tmp"))
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let after = without_good(after);
    for (path, entry) in before {
        assert_eq!(
            after.get(path),
            Some(entry),
            "{} changed or vanished",
            path.display()
        );
    }
    for path in after.keys() {
        assert!(before.contains_key(path), "{} appeared", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Runs and reports
// ---------------------------------------------------------------------------------------------

/// One run of the binary.
struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    /// The JSON report (`Null` when the run printed no JSON).
    report: Value,
}

/// Checks what every run must keep whatever the input: it ended (no timeout, no signal) with
/// exit 0 or 1, and did not panic.
fn finished(what: &str, output: &Output) -> Run {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what} panicked:\n{stderr}"
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what} ended with {:?} (a timeout or a signal shows as None)\nstderr:\n{stderr}\nstdout:\n{stdout}",
        output.status
    );
    Run {
        code: output.status.code(),
        report: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr,
        stdout,
    }
}

/// Runs the binary in `dir` with a timeout, outside any CI.
fn run_in(dir: &Path, args: &[&str], timeout: Duration) -> Run {
    let output = assert_cmd::Command::new(BIN)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .args(args)
        .timeout(timeout)
        .output()
        .expect("the binary runs");
    finished(&format!("dts-migrate {}", args.join(" ")), &output)
}

/// `check --format json .` in the tree.
fn check(tree: &Path) -> Run {
    run_in(tree, &["check", "--format", "json", "."], TIMEOUT)
}

/// `check --write --format json .` in the tree.
fn write(tree: &Path) -> Run {
    run_in(
        tree,
        &["check", "--write", "--format", "json", "."],
        TIMEOUT,
    )
}

/// The findings of a report.
fn findings(report: &Value) -> &Vec<Value> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("not a JSON report: {report:#}"))
}

/// The one finding with `code` on `file` (as the report names it, relative to the tree).
fn finding<'a>(report: &'a Value, code: &str, file: &str) -> &'a Value {
    let found: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["code"] == code && f["file"] == file)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code} on {file}:\n{:#}",
        report["findings"]
    );
    found[0]
}

/// Line and column where a finding starts.
fn start(finding: &Value) -> (u64, u64) {
    let at = &finding["range"]["start"];
    (at["line"].as_u64().unwrap(), at["column"].as_u64().unwrap())
}

/// Asserts `code` on `file` at `line:column` with a message holding `message`.
fn assert_finding(report: &Value, code: &str, file: &str, at: (u64, u64), message: &str) {
    let f = finding(report, code, file);
    assert_eq!(start(f), at, "position of {code} on {file}: {f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(text.contains(message), "{code} on {file} says {text:?}");
}

/// The files a `--write` report lists as written.
fn written(report: &Value) -> Vec<String> {
    report["written"]
        .as_array()
        .unwrap_or_else(|| panic!("no written list: {report:#}"))
        .iter()
        .map(|w| w["file"].as_str().unwrap().to_string())
        .collect()
}

/// The normal app was checked (its Azure Storage backend is reported).
fn assert_good_checked(report: &Value) {
    let f = finding(report, "DTS101", "good/host.json");
    assert!(
        f["message"].as_str().unwrap().contains("AzureStorage"),
        "{f:#}"
    );
}

/// The normal app was migrated, and it alone.
fn assert_good_written(tree: &Path, run: &Run) {
    assert_written(tree, run, &[]);
}

/// The normal app was migrated, and besides it only `others` were written.
fn assert_written(tree: &Path, run: &Run, others: &[&str]) {
    let mut expected: Vec<&str> = others.to_vec();
    expected.extend(["good/host.json", "good/local.settings.json"]);
    expected.sort_unstable();
    assert_eq!(written(&run.report), expected, "stderr:\n{}", run.stderr);
    // A machine format tells only what could not be written on stderr.
    assert!(!run.stderr.contains("Fixed "), "{}", run.stderr);
    let host = fs::read_to_string(tree.join("good/host.json")).unwrap();
    assert!(
        host.contains(r#""type": "azureManaged""#) && host.contains("[4.32.0, 5.0.0)"),
        "good/host.json was not migrated:\n{host}"
    );
}

/// Runs `check` and `check --write` over the tree and asserts points 1–4 of the module
/// documentation; returns both runs for the test's own assertions.
fn survive(tree: &Tree) -> (Run, Run) {
    let before = without_good(snapshot(tree.path()));
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let fixed = write(tree.path());
    assert_good_written(tree.path(), &fixed);
    assert_untouched(&before, tree.path());
    (checked, fixed)
}

/// The message `--write` prints for an app it does not write because a file of it is broken.
/// It is printed only when the app had fixes to apply: an app whose host.json is broken has
/// none, and its DTS501/DTS504 finding is all there is to say.
fn refused(app: &str) -> String {
    format!("error: {app}: a file of this app cannot be read or parsed (DTS501/DTS504); no file of the app is rewritten")
}

fn assert_refused(run: &Run, app: &str) {
    let expected = refused(app);
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

/// Encodes `text` (which starts with U+FEFF) as UTF-16.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

#[path = "hostile/writes.rs"]
mod writes;

#[path = "hostile/held.rs"]
mod held;

#[path = "hostile/outside.rs"]
mod outside;

// ---------------------------------------------------------------------------------------------
// Empty files, a lone BOM, encodings
// ---------------------------------------------------------------------------------------------

/// Empty host.json, local.settings.json and App.csproj are DTS501 at 1:1, and an app with an
/// empty file is not migrated (its other files would otherwise be rewritten).
#[test]
fn empty_files() {
    let tree = Tree::new();
    fs::write(tree.legacy_app("empty-host").join("host.json"), "").unwrap();
    fs::write(
        tree.legacy_app("empty-settings")
            .join("local.settings.json"),
        "",
    )
    .unwrap();
    fs::write(tree.dotnet_app("empty-project").join("App.csproj"), "").unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        let no_value = "the file holds no JSON value (it is empty or only comments)";
        assert_finding(report, "DTS501", "empty-host/host.json", (1, 1), no_value);
        assert_finding(
            report,
            "DTS501",
            "empty-settings/local.settings.json",
            (1, 1),
            no_value,
        );
        assert_finding(
            report,
            "DTS501",
            "empty-project/App.csproj",
            (1, 1),
            "the file is empty",
        );
    }
    assert_refused(&fixed, "empty-settings");
    assert_refused(&fixed, "empty-project");
    assert_eq!(fixed.code, Some(1));
}

/// A file that holds only a UTF-8 byte order mark is empty: DTS501 at 1:1 (the BOM takes no
/// column), for JSON and MSBuild files alike.
#[test]
fn a_file_holding_only_a_bom() {
    let tree = Tree::new();
    let bom = "\u{FEFF}";
    fs::write(tree.legacy_app("bom-host").join("host.json"), bom).unwrap();
    fs::write(
        tree.legacy_app("bom-settings").join("local.settings.json"),
        bom,
    )
    .unwrap();
    fs::write(tree.dotnet_app("bom-project").join("App.csproj"), bom).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        let no_value = "the file holds no JSON value";
        assert_finding(report, "DTS501", "bom-host/host.json", (1, 1), no_value);
        let settings = "bom-settings/local.settings.json";
        assert_finding(report, "DTS501", settings, (1, 1), no_value);
        let project = "bom-project/App.csproj";
        assert_finding(report, "DTS501", project, (1, 1), "the file is empty");
    }
    assert_refused(&fixed, "bom-settings");
    assert_refused(&fixed, "bom-project");
}

/// Valid UTF-16 files with a BOM (little and big endian) are decoded and checked, with
/// positions in characters, and their fixes are display-only. An app is migrated whole or not
/// at all, so an app with a UTF-16 file is not written even where its other files are UTF-8:
/// the regression is `utf16-settings/`, whose host.json used to be migrated to
/// `%TASKHUB_NAME%` and `DURABLE_TASK_SCHEDULER_CONNECTION_STRING` while its UTF-16
/// local.settings.json could not receive those settings (DTS201/DTS204 errors afterwards).
#[test]
fn utf16_files_are_read_and_never_written() {
    let tree = Tree::new();
    let le = tree.legacy_app("utf16-host");
    let host = format!("\u{FEFF}{LEGACY_HOST}");
    fs::write(le.join("host.json"), utf16(&host, false)).unwrap();
    let be = tree.legacy_app("utf16-settings");
    let settings = format!("\u{FEFF}{LEGACY_SETTINGS}");
    fs::write(be.join("local.settings.json"), utf16(&settings, true)).unwrap();
    let (checked, fixed) = survive(&tree);
    // `"type": "AzureStorage"` on line 7: the value starts at column 17, as in good/.
    let f = finding(&checked.report, "DTS101", "utf16-host/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    assert_eq!(f["fix"]["applicability"], "display-only", "{f:#}");
    // The UTF-16 local.settings.json is read: the UTF-8 host.json's finding is the ordinary one.
    let f = finding(&checked.report, "DTS101", "utf16-settings/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    for report in [&checked.report, &fixed.report] {
        assert!(
            !findings(report).iter().any(|f| f["code"] == "DTS501"),
            "a valid UTF-16 file was not read: {report:#}"
        );
    }
    assert!(
        fixed.stderr.contains(
            "error: utf16-settings: utf16-settings/local.settings.json is UTF-16 (big endian), which dts-migrate reads but never rewrites"
        ),
        "{}",
        fixed.stderr
    );
    // Nothing of the app was written, so its report is the one of the files on disk.
    let f = finding(&fixed.report, "DTS101", "utf16-settings/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    assert_eq!(fixed.code, Some(1));
}

/// Invalid UTF-16: an unpaired surrogate (little endian) and an odd number of bytes (big
/// endian) are DTS501 at the bad code unit, with its byte offset in the message.
#[test]
fn invalid_utf16() {
    let tree = Tree::new();
    // `{`, LF, two spaces, `"a": "`, then a lone high surrogate.
    let mut surrogate = utf16("\u{FEFF}{\n  \"a\": \"", false);
    surrogate.extend_from_slice(&0xD800u16.to_le_bytes());
    surrogate.extend_from_slice(&utf16("\"\n}\n", false));
    let unpaired = tree.legacy_app("utf16-unpaired");
    fs::write(unpaired.join("host.json"), &surrogate).unwrap();
    let mut odd = utf16(&format!("\u{FEFF}{LEGACY_SETTINGS}"), true);
    odd.push(b'x');
    let odd_len = odd.len() - 1;
    let odd_app = tree.legacy_app("utf16-odd");
    fs::write(odd_app.join("local.settings.json"), &odd).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "utf16-unpaired/host.json",
            (2, 9),
            "the UTF-16 file holds an unpaired surrogate (0xD800 at offset 22)",
        );
        // After the last line ending: line 8, column 1.
        assert_finding(
            report,
            "DTS501",
            "utf16-odd/local.settings.json",
            (8, 1),
            &format!(
                "the UTF-16 file has an odd number of bytes (a lone byte at offset {odd_len})"
            ),
        );
    }
    assert_refused(&fixed, "utf16-odd");
}

/// Invalid UTF-8 is DTS501 at the bad byte (line and character column), naming the byte and
/// its offset.
#[test]
fn invalid_utf8() {
    let tree = Tree::new();
    let app = tree.legacy_app("bad-utf8");
    let bad = LEGACY_HOST
        .replace("ReportsHub", "Reports\u{E9}Hub")
        .into_bytes();
    // Cut the two-byte é after its first byte: C3 followed by `H` is invalid.
    let at = bad.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    let mut bytes = bad.clone();
    bytes.remove(at + 1);
    fs::write(app.join("host.json"), &bytes).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        // Line 5 is `      "hubName": "ReportsHub",`: the bad byte is character 26.
        assert_finding(
            report,
            "DTS501",
            "bad-utf8/host.json",
            (5, 26),
            &format!("the file is not valid UTF-8 (byte 0xC3 at offset {at})"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Size and depth
// ---------------------------------------------------------------------------------------------

/// A 50 MB host.json is DTS504 under the default 5 MB limit and is not parsed: the run stays
/// fast (its size is checked before it is opened).
#[test]
fn a_50_mb_host_json() {
    let tree = Tree::new();
    let app = tree.legacy_app("huge");
    let path = app.join("host.json");
    {
        let mut file = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        file.write_all(b"{\n  \"version\": \"2.0\",\n  \"padding\": \"")
            .unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..50 {
            file.write_all(&chunk).unwrap();
        }
        file.write_all(b"\"\n}\n").unwrap();
    }
    let size = fs::metadata(&path).unwrap().len();
    assert!(size > 50 << 20);
    let started = Instant::now();
    let (checked, fixed) = survive(&tree);
    let elapsed = started.elapsed();
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS504",
            "huge/host.json",
            (1, 1),
            &format!(
                "the file is {size} bytes, over the limit of 5242880 bytes; it was not parsed"
            ),
        );
    }
    // Two runs and two snapshots (which read and hash the file twice) in debug.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

/// Writes the hostile JSON host.json of a nesting test into a legacy app at `name`.
fn deep_host(tree: &Tree, name: &str, text: &str) {
    fs::write(tree.legacy_app(name).join("host.json"), text).unwrap();
}

/// `[[[[…` 100,000 deep does not overflow the stack: DTS501 at the bracket that opens level
/// 129 (the `{` of the root is level 1).
#[test]
fn json_arrays_nested_100_000_deep() {
    let tree = Tree::new();
    let n = 100_000;
    let text = format!("{{\"a\": {}{}}}", "[".repeat(n), "]".repeat(n));
    deep_host(&tree, "deep-arrays", &text);
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "deep-arrays/host.json",
            (1, 7 + 127),
            "objects and arrays nest more than 128 levels deep here",
        );
    }
}

/// `{"a":{"a":…` 100,000 deep does not overflow the stack: DTS501 at the 129th `{`.
#[test]
fn json_objects_nested_100_000_deep() {
    let tree = Tree::new();
    let n = 100_000;
    let text = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    deep_host(&tree, "deep-objects", &text);
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "deep-objects/host.json",
            (1, 128 * 5 + 1),
            "objects and arrays nest more than 128 levels deep here",
        );
    }
}

/// Regression: the depth check ended a `//` comment only at a line feed while the parser also
/// ends it at a lone carriage return, so nesting written after `// …\r` was not counted and
/// 300 levels were accepted. It is counted now; 100,000 levels are DTS501 like any other.
/// (Issue 13: a lone CR ends a line, as the parser counts it, so the position is on line 2.)
#[test]
fn json_nested_behind_a_comment_ended_by_a_lone_cr() {
    let tree = Tree::new();
    for (name, n) in [("cr-300", 300), ("cr-100000", 100_000)] {
        let text = format!("{{\"a\": // c\r{}{}}}", "[".repeat(n), "]".repeat(n));
        deep_host(&tree, name, &text);
    }
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        for name in ["cr-300", "cr-100000"] {
            // The lone CR ends line 1: the 128th `[` is column 128 of line 2.
            assert_finding(
                report,
                "DTS501",
                &format!("{name}/host.json"),
                (2, 128),
                "objects and arrays nest more than 128 levels deep here",
            );
        }
    }
}

/// `<a><a>…` 100,000 deep in a csproj does not overflow the stack: DTS501 at the `<` of the
/// element at level 129, and the .NET app is not migrated.
#[test]
fn csproj_nested_100_000_deep() {
    let tree = Tree::new();
    let app = tree.dotnet_app("deep-project");
    let n = 100_000;
    let text = format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
    fs::write(app.join("App.csproj"), text).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "deep-project/App.csproj",
            (1, 128 * 3 + 1),
            "elements nest more than 128 levels deep here",
        );
    }
    assert_refused(&fixed, "deep-project");
}

// ---------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------

/// Duplicate keys (exact and differing only in case) are valid JSONC: each earlier occurrence
/// is DTS109 and points at the later one the host reads. Unlike the other inputs the app *is*
/// migrated (refusing would block every app with a harmless duplicate), so this test checks
/// the write instead: the fixes edit only the occurrences the host reads, the earlier ones
/// stay byte for byte, and DTS109 still reports them afterwards.
#[test]
fn duplicate_keys() {
    let tree = Tree::new();
    let app = tree.legacy_app("dup");
    let host = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "OldHub",
      "storageProvider": { "type": "MSSQL" },
      "HubName": "ReportsHub",
      "storageProvider": {
        "type": "AzureStorage"
      }
    }
  },
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[3.*, 4.0.0)"
  }
}
"#;
    fs::write(app.join("host.json"), host).unwrap();
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let dts109: Vec<(u64, u64, String)> = findings(&checked.report)
        .iter()
        .filter(|f| f["code"] == "DTS109" && f["file"] == "dup/host.json")
        .map(|f| {
            let (line, column) = start(f);
            (line, column, f["message"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        dts109,
        [
            (5, 7, "the keys \"hubName\" and \"HubName\" differ only in case; the host reads them as one key and only the last one takes effect".to_string()),
            (6, 7, "the key \"storageProvider\" appears more than once in this object; only the last one takes effect".to_string()),
        ]
    );
    // The backend is the one of the last storageProvider.
    let f = finding(&checked.report, "DTS101", "dup/host.json");
    assert_eq!(start(f), (9, 17), "{f:#}");
    assert!(f["message"].as_str().unwrap().contains("AzureStorage"));

    let fixed = write(tree.path());
    assert_written(
        tree.path(),
        &fixed,
        &["dup/host.json", "dup/local.settings.json"],
    );
    let after = fs::read_to_string(app.join("host.json")).unwrap();
    let kept =
        "      \"hubName\": \"OldHub\",\n      \"storageProvider\": { \"type\": \"MSSQL\" },\n";
    assert!(
        after.contains(kept),
        "an earlier occurrence was edited:\n{after}"
    );
    assert!(
        after.contains("\"HubName\": \"%TASKHUB_NAME%\"") && after.contains("\"azureManaged\""),
        "the occurrences the host reads were not migrated:\n{after}"
    );
    let again = check(tree.path());
    let codes: Vec<&Value> = findings(&again.report)
        .iter()
        .filter(|f| f["code"] == "DTS109")
        .collect();
    assert_eq!(codes.len(), 2, "{:#}", again.report);
}

/// 30,000 duplicate keys on one long line (a 180 KB host.json that also holds a non-ASCII
/// key) are reported and fixed in well under a second. Regression: every DTS109 fix scanned
/// the whole object (`jsonc_edit::edit_object`), fix selection compared each fix with every
/// one taken before it (`fixpoint::select`, and the applied-fix bookkeeping of `fix_app`), and
/// each column was counted from the start of its line (`SourceText::line_col`): this input
/// took minutes, and a 5 MB one hours. The column of the last duplicate checks the counting.
/// (Issue 13: the first 100 findings of a rule in a file are reported and one summary stands
/// for the rest, so the column checked is the summary's, at the 101st duplicate; every fix
/// still applies.)
#[test]
fn many_duplicate_keys_on_one_line() {
    let tree = Tree::new();
    let n = 30_000;
    let prefix = "{\"version\":\"2.0\",\"\u{E9}\":1,";
    let text = format!("{prefix}{}}}", vec!["\"a\":1"; n].join(","));
    let host = tree.dir("dups").join("host.json");
    fs::write(&host, &text).unwrap();
    let started = Instant::now();
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let dups: Vec<&Value> = findings(&checked.report)
        .iter()
        .filter(|f| f["code"] == "DTS109" && f["file"] == "dups/host.json")
        .collect();
    assert_eq!(dups.len(), 101);
    // The summary is at the 101st key; `é` is one column.
    let column = prefix.chars().count() + 6 * 100 + 1;
    assert_eq!(start(dups[100]), (1, column as u64));
    let more = format!("… and {} more DTS109 findings in this file", n - 1 - 100);
    assert_eq!(dups[100]["message"], more);
    let fixed = run_in(
        tree.path(),
        &[
            "check",
            "--write",
            "--unsafe-fixes",
            "--format",
            "json",
            ".",
        ],
        TIMEOUT,
    );
    assert!(written(&fixed.report).contains(&"dups/host.json".to_string()));
    assert_eq!(
        fs::read_to_string(&host).unwrap(),
        format!("{prefix}\"a\":1}}")
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}

/// The default (human) report of a finding past column 65,535 (a minified host.json with a
/// syntax error near its end) must not panic: miette's graphical handler pads the underline
/// with `{:width$}` and panics past 65,535 ("Formatting argument out of range", exit 101), and
/// would print the whole line once per finding. Such findings are shown by position.
#[test]
fn a_finding_past_column_65535_in_the_human_report() {
    let tree = Tree::new();
    let text = format!(
        "{{\"version\": \"2.0\", \"pad\": \"{}\" \"b\": 1}}",
        "x".repeat(70_000)
    );
    fs::write(tree.dir("minified").join("host.json"), text).unwrap();
    for args in [&["check", "."][..], &["check", "--write", "."][..]] {
        let output = assert_cmd::Command::new(BIN)
            .current_dir(tree.path())
            .args(args)
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        let run = finished(&args.join(" "), &output);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("minified/host.json:1:70030"), "{stdout}");
        assert!(stdout.len() < 20_000, "{} bytes of report", stdout.len());
        assert_eq!(run.code, Some(1));
    }
}

/// A NUL byte in the middle of host.json or of a csproj is DTS501 at its line and column,
/// with its byte offset (such a file is binary, or UTF-16 without a BOM).
#[test]
fn nul_bytes_in_the_middle_of_a_file() {
    let tree = Tree::new();
    let host = LEGACY_HOST.replacen("Reports", "Rep\0orts", 1);
    let host_offset = host.find('\0').unwrap();
    fs::write(tree.legacy_app("nul-host").join("host.json"), &host).unwrap();
    let project_path = tree.dotnet_app("nul-project").join("App.csproj");
    let project =
        fs::read_to_string(&project_path)
            .unwrap()
            .replacen("<ItemGroup>", "<ItemGroup>\0", 1);
    let project_offset = project.find('\0').unwrap();
    let (line, column) = {
        let before = &project[..project_offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        (line as u64, column as u64)
    };
    fs::write(&project_path, &project).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "nul-host/host.json",
            (5, 22),
            &format!("the file holds a NUL byte at offset {host_offset}"),
        );
        assert_finding(
            report,
            "DTS501",
            "nul-project/App.csproj",
            (line, column),
            &format!("the file holds a NUL byte at offset {project_offset}"),
        );
    }
    assert_refused(&fixed, "nul-project");
}

// ---------------------------------------------------------------------------------------------
// Links, folders, pipes, permissions, vanishing files
// ---------------------------------------------------------------------------------------------

/// A host.json and a local.settings.json that are links to themselves: DTS501 "too many
/// levels of symbolic links" naming them, and their apps are not migrated.
#[cfg(unix)]
#[test]
fn symlink_to_itself() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let host = tree.legacy_app("loop-host").join("host.json");
    fs::remove_file(&host).unwrap();
    symlink("host.json", &host).unwrap();
    let settings = tree.legacy_app("loop-settings").join("local.settings.json");
    fs::remove_file(&settings).unwrap();
    symlink("local.settings.json", &settings).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        let message = "the file cannot be read: too many levels of symbolic links";
        assert_finding(report, "DTS501", "loop-host/host.json", (1, 1), message);
        let file = "loop-settings/local.settings.json";
        assert_finding(report, "DTS501", file, (1, 1), message);
    }
    assert_refused(&fixed, "loop-settings");
}

/// Folder links that point to an ancestor (`a/b -> ..`, and one inside the normal app) are
/// not followed: the walk ends, each app is found once (not again under the link), and the
/// normal app with a loop inside it is still migrated. Nothing needs reporting: no file is
/// missed.
#[cfg(unix)]
#[test]
fn folder_symlink_to_an_ancestor() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let a = tree.dir("loops/a");
    symlink("..", a.join("b")).unwrap();
    symlink("../..", tree.dir("good/functions").join("up")).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_eq!(report["summary"]["apps"], 1, "{report:#}");
        assert!(
            findings(report)
                .iter()
                .all(|f| f["file"].as_str().unwrap().starts_with("good/")),
            "{report:#}"
        );
        assert_eq!(report["problems"], serde_json::json!([]), "{report:#}");
    }
    // The link inside the migrated app is still a link.
    assert!(fs::symlink_metadata(tree.path().join("good/functions/up"))
        .unwrap()
        .file_type()
        .is_symlink());
}

/// A host.json and an App.csproj that are links to files outside the scanned tree: `check`
/// reports each by name only (DTS501, "not read"; `outside::` has the full case), `--write`
/// writes nothing of the app and says why, and neither the links nor their targets change.
#[cfg(unix)]
#[test]
fn symlink_outside_the_tree() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let target = copy_app(&outside.path().join("orders-app"));
    let tree = Tree::new();
    let linked_host = tree.dotnet_app("linked-host");
    fs::remove_file(linked_host.join("host.json")).unwrap();
    symlink(target.join("host.json"), linked_host.join("host.json")).unwrap();
    let linked_project = tree.dotnet_app("linked-project");
    fs::remove_file(linked_project.join("App.csproj")).unwrap();
    symlink(target.join("App.csproj"), linked_project.join("App.csproj")).unwrap();
    let outside_before = snapshot(outside.path());
    let (checked, fixed) = survive(&tree);
    assert_eq!(snapshot(outside.path()), outside_before, "a target changed");
    for (app, file) in [
        ("linked-host", "host.json"),
        ("linked-project", "App.csproj"),
    ] {
        let f = finding(&checked.report, "DTS501", &format!("{app}/{file}"));
        assert_eq!(start(f), (1, 1), "{f:#}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("outside the scanned tree"),
            "{f:#}"
        );
        // linked-host has nothing to fix (its host.json is not read); linked-project does.
        if app == "linked-project" {
            assert_refused(&fixed, app);
        }
    }
}

/// When the write layer refuses an app (here: a read-only host.json), the report and the exit
/// code must describe the files as they are on disk, not the migration that was not written:
/// not the findings of the in-memory migration (DTS201/DTS204 info at positions that do not
/// exist on disk), which would exit 0.
#[cfg(unix)]
#[test]
fn a_refused_write_reports_the_files_on_disk() {
    use std::os::unix::fs::PermissionsExt;
    let tree = tempfile::tempdir().unwrap();
    fs::create_dir(tree.path().join(".git")).unwrap();
    let app = copy_app(&tree.path().join("read-only"));
    fs::set_permissions(app.join("host.json"), fs::Permissions::from_mode(0o444)).unwrap();
    let fixed = write(tree.path());
    assert!(fixed.stderr.contains("read-only"), "{}", fixed.stderr);
    let f = finding(&fixed.report, "DTS101", "read-only/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    assert_eq!(fixed.code, Some(1), "a refused migration exits 0");
}

/// The prefix that runs a command as an unprivileged user, when this process is root (which
/// reads any file whatever its mode): `setpriv` to uid/gid 65534. `None` when that is not
/// possible; `Some(vec![])` when this process is not root.
#[cfg(unix)]
fn unprivileged(tree: &Path) -> Option<Vec<String>> {
    use std::os::unix::fs::MetadataExt;
    let probe = tree.join(".uid-probe");
    fs::write(&probe, "").unwrap();
    let uid = fs::metadata(&probe).unwrap().uid();
    fs::remove_file(&probe).unwrap();
    if uid != 0 {
        return Some(Vec::new());
    }
    let prefix: Vec<String> = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
    ]
    .map(String::from)
    .to_vec();
    // The tree must belong to the user (it writes good/), and the binary must run as it.
    chown_tree(tree, 65534, 65534);
    let works = std::process::Command::new(&prefix[0])
        .args(&prefix[1..])
        .args([BIN, "check", "--format", "concise", "good"])
        .current_dir(tree)
        .output()
        .is_ok_and(|o| matches!(o.status.code(), Some(0 | 1)));
    works.then_some(prefix)
}

#[cfg(unix)]
fn chown_tree(dir: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(dir, Some(uid), Some(gid)).unwrap();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if fs::symlink_metadata(&path).unwrap().is_dir() {
            chown_tree(&path, uid, gid);
        } else {
            std::os::unix::fs::lchown(&path, Some(uid), Some(gid)).unwrap();
        }
    }
}

/// Unreadable files (mode 000: a local.settings.json, a host.json) are DTS501 "permission
/// denied" naming them, and an unreadable folder is a warning naming it; the normal app is
/// migrated. Root reads any file, so as root the binary runs as uid 65534 through `setpriv`;
/// without it the test says so and checks nothing.
#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    let settings = tree
        .legacy_app("locked-settings")
        .join("local.settings.json");
    let host = tree.legacy_app("locked-host").join("host.json");
    let folder = tree.legacy_app("locked-folder");
    let Some(prefix) = unprivileged(tree.path()) else {
        eprintln!("skipped: running as root and `setpriv --reuid=65534` does not work here");
        return;
    };
    // Taken before the modes change: they are restored before the comparison.
    let before = without_good(snapshot(tree.path()));
    for path in [&settings, &host] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o000)).unwrap();
    }
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o000)).unwrap();
    let run = |args: &[&str]| {
        let mut command = assert_cmd::Command::new(prefix.first().map_or(BIN, String::as_str));
        if !prefix.is_empty() {
            command.args(&prefix[1..]).arg(BIN);
        }
        let output = command
            .current_dir(tree.path())
            .env_remove("GITHUB_ACTIONS")
            .env_remove("TF_BUILD")
            .args(args)
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        finished(&args.join(" "), &output)
    };
    let checked = run(&["check", "--format", "json", "."]);
    assert_good_checked(&checked.report);
    let fixed = run(&["check", "--write", "--format", "json", "."]);
    // Restore the modes before comparing (and so that the temporary tree can be removed).
    for path in [&settings, &host] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert_good_written(tree.path(), &fixed);
    assert_untouched(&before, tree.path());
    for run in [&checked, &fixed] {
        let report = &run.report;
        let message = "the file cannot be read: permission denied";
        let file = "locked-settings/local.settings.json";
        assert_finding(report, "DTS501", file, (1, 1), message);
        assert_finding(report, "DTS501", "locked-host/host.json", (1, 1), message);
        assert!(
            run.stderr
                .contains("warning: locked-folder: Permission denied"),
            "{}",
            run.stderr
        );
        assert_eq!(report["problems"][0]["path"], "locked-folder", "{report:#}");
    }
    assert_refused(&fixed, "locked-settings");
}

/// A folder named host.json makes an app whose host.json is DTS501 "a folder", so the app's
/// other files are not migrated.
#[test]
fn a_folder_named_host_json() {
    let tree = Tree::new();
    let app = tree.legacy_app("folder-host");
    fs::remove_file(app.join("host.json")).unwrap();
    fs::create_dir(app.join("host.json")).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "folder-host/host.json",
            (1, 1),
            "this is a folder, not a regular file; it was not read",
        );
    }
}

/// A folder named local.settings.json or App.csproj in an app is, like a folder named
/// host.json, a file of the app that cannot be read: DTS501, and the app is not migrated.
/// Dropping such folders silently would let `--write` migrate host.json of an app it only
/// half saw (for the .NET app: without its project, so as a non-.NET app).
#[test]
fn folders_named_like_other_config_files() {
    let tree = Tree::new();
    let settings = tree.legacy_app("folder-settings");
    fs::remove_file(settings.join("local.settings.json")).unwrap();
    fs::create_dir(settings.join("local.settings.json")).unwrap();
    let project = tree.dotnet_app("folder-project");
    fs::remove_file(project.join("App.csproj")).unwrap();
    fs::create_dir(project.join("App.csproj")).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        let message = "this is a folder, not a regular file; it was not read";
        let file = "folder-settings/local.settings.json";
        assert_finding(report, "DTS501", file, (1, 1), message);
        assert_finding(
            report,
            "DTS501",
            "folder-project/App.csproj",
            (1, 1),
            message,
        );
    }
    assert_refused(&fixed, "folder-settings");
    assert_refused(&fixed, "folder-project");
}

/// A pipe named host.json, and one named local.settings.json, do not block the run (nothing
/// writes to them: opening one for reading would wait forever). They are DTS501 "a pipe".
#[cfg(unix)]
#[test]
fn fifo_named_like_a_config_file() {
    let tree = Tree::new();
    let host = tree.dir("fifo-host").join("host.json");
    let settings = tree.legacy_app("fifo-settings").join("local.settings.json");
    fs::remove_file(&settings).unwrap();
    for path in [&host, &settings] {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        let message = "this is a pipe, socket or device, not a regular file; it was not read";
        assert_finding(report, "DTS501", "fifo-host/host.json", (1, 1), message);
        let file = "fifo-settings/local.settings.json";
        assert_finding(report, "DTS501", file, (1, 1), message);
    }
    assert_refused(&fixed, "fifo-settings");
}

/// A pipe named `.dts-migrate-ignore` must not block the walk either: it is reported as a
/// walk problem naming it, and the other apps are checked.
#[cfg(unix)]
#[test]
fn fifo_named_dts_migrate_ignore() {
    let tree = Tree::new();
    let ignore = tree.dir("fifo-ignore").join(".dts-migrate-ignore");
    let made = std::process::Command::new("mkfifo").arg(&ignore).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let checked = run_in(
        tree.path(),
        &["check", "--format", "json", "."],
        Duration::from_secs(10),
    );
    assert_good_checked(&checked.report);
    assert!(
        checked.stderr.contains("fifo-ignore/.dts-migrate-ignore"),
        "{}",
        checked.stderr
    );
}

/// A file that disappears between the walk and the read is DTS501 naming it. Through the
/// binary this is made deterministic with dangling links (the walk lists them; reading them
/// fails with "not found", as for a file removed after the walk), and the message says where
/// they point.
#[cfg(unix)]
#[test]
fn dangling_symlinks() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let host = tree.legacy_app("gone-host").join("host.json");
    fs::remove_file(&host).unwrap();
    symlink("removed.json", &host).unwrap();
    let project = tree.dotnet_app("gone-project").join("App.csproj");
    fs::remove_file(&project).unwrap();
    symlink("removed.csproj", &project).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "gone-host/host.json",
            (1, 1),
            "the file cannot be read: it is a symbolic link to removed.json, which does not exist",
        );
        assert_finding(
            report,
            "DTS501",
            "gone-project/App.csproj",
            (1, 1),
            "the file cannot be read: it is a symbolic link to removed.csproj, which does not exist",
        );
    }
    assert_refused(&fixed, "gone-project");
}

/// A file removed after discovery listed it, made deterministic through the library: the walk
/// (`discover`) runs, the file is deleted, then the app is read, checked and fixed
/// (`App::load` + `rules::check_app`, and `fixpoint::fix_app` as `--write` does). The file is
/// DTS501 "it does not exist (it was removed during the run?)", and the app is refused whole;
/// the normal app is fixed.
#[test]
fn a_file_removed_after_the_walk() {
    use dts_migrate::engine::fixpoint::{fix_app, Status};
    use dts_migrate::finding::Finding;
    use dts_migrate::fix::Applicability;
    use dts_migrate::model::App;
    use dts_migrate::source::read::{Limits, Reader};
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let found = dts_migrate::discover::discover(&[tree.path().to_path_buf()], 1).unwrap();
    assert_eq!(found.apps.len(), 2);
    let settings = victim.join("local.settings.json");
    fs::remove_file(&settings).unwrap();
    let message = "the file cannot be read: it does not exist (it was removed during the run?)";
    for files in &found.apps {
        let app = App::load(files, Vec::new(), &Reader::disk(Limits::default()));
        let checked = dts_migrate::rules::check_app(&app);
        let keep_all = |found: Vec<Finding>, _: &App| found;
        let fixed = fix_app(files, Limits::default(), Applicability::Safe, &keep_all);
        if files.dir == victim {
            for findings in [&checked, &fixed.findings] {
                let f = findings
                    .iter()
                    .find(|f| f.code == "DTS501")
                    .expect("DTS501 for the removed file");
                assert_eq!(f.span.file.path, settings);
                assert_eq!(f.message, message);
            }
            assert!(
                matches!(&fixed.status, Status::Refused { .. }),
                "{:?}",
                fixed.status
            );
            assert!(fixed.changes.is_empty());
            assert!(fixed.blocked, "the refusal is reported");
        } else {
            assert!(!checked.iter().any(|f| f.code == "DTS501"));
            assert_eq!(fixed.status, Status::Converged);
            assert_eq!(fixed.changes.len(), 2, "good/ is migrated");
        }
    }
    assert!(!settings.exists());
}

/// A file removed after it was read and before `--write` writes it, made deterministic
/// through the library (`check` with fixes, delete, `planned_writes` + `write::write_apps`):
/// the app is not written at all (all-or-nothing: its host.json is unchanged and the file is
/// not re-created), the error names the file, and the normal app is written.
#[test]
fn a_file_removed_before_the_write() {
    use dts_migrate::fix::Applicability;
    use dts_migrate::source::read::Limits;
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let options = dts_migrate::engine::Options {
        paths: vec![tree.path().to_path_buf()],
        policy: dts_migrate::engine::Policy::default(),
        limits: Limits::default(),
        threads: 1,
        fix: Some(Applicability::Safe),
        edits: dts_migrate::rules::Edits::Planned,
    };
    let outcome = dts_migrate::engine::check(&options).unwrap();
    let settings = victim.join("local.settings.json");
    fs::remove_file(&settings).unwrap();
    let before = without_good(snapshot(tree.path()));
    let (writes, held) = dts_migrate::engine::planned_writes(&outcome);
    assert!(held.is_empty());
    assert_eq!(writes.len(), 2, "both apps were to be migrated");
    let roots = [fs::canonicalize(tree.path()).unwrap()];
    let results = dts_migrate::write::write_apps(writes, &roots);
    let victim_result = results.iter().find(|r| r.app == victim).unwrap();
    assert!(victim_result.written.is_empty(), "{victim_result:?}");
    let error = victim_result.error.as_deref().unwrap_or_default();
    assert!(
        error.contains("local.settings.json") && error.contains("does not exist"),
        "{error}"
    );
    let good = results.iter().find(|r| r.app != victim).unwrap();
    assert_eq!(good.error, None);
    assert_eq!(good.written.len(), 2);
    assert_untouched(&before, tree.path());
    assert!(!settings.exists(), "the removed file was re-created");
}
