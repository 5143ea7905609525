//! Hostile trees for discovery, positions, bounded work and exit codes (issue 13), run through
//! the real binary on generated trees with the helpers of `tests/hostile.rs`.
//!
//! Each test fails on the code before the issue and names what it guards: one folder named
//! three ways is one app; a config file in two letter cases uses the exact name; a backslash
//! in a folder name is shown as it is; lone carriage returns end lines for positions and
//! excerpts; a DOCTYPE is reported where it is; an `extend` chain, the findings of a rule in a
//! file, `--threads` and ignore files are bounded; a path or folder that cannot be read fails
//! the run.

use super::*;

/// Runs the binary (after `prefix`, the `setpriv` of [`unprivileged`], when not empty) in
/// `dir`, outside any CI, and returns its output whatever the exit code.
fn raw(dir: &Path, prefix: &[String], args: &[&str], timeout: Duration) -> Output {
    let mut command = assert_cmd::Command::new(prefix.first().map_or(BIN, String::as_str));
    if !prefix.is_empty() {
        command.args(&prefix[1..]).arg(BIN);
    }
    command
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .args(args)
        .timeout(timeout)
        .output()
        .expect("the binary runs")
}

/// [`raw`] for a run that must end with exit 2 and no panic; returns its stderr.
fn usage_error(dir: &Path, prefix: &[String], args: &[&str]) -> String {
    let output = raw(dir, prefix, args, TIMEOUT);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{args:?}:\n{stderr}");
    stderr
}

/// [`run_in`] under `prefix` (see [`raw`]), for runs that end with exit 0 or 1.
fn run_as(dir: &Path, prefix: &[String], args: &[&str]) -> Run {
    finished(&args.join(" "), &raw(dir, prefix, args, TIMEOUT))
}

/// The walk problems of a report, as (path, message).
fn problems(report: &Value) -> Vec<(String, String)> {
    report["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems list: {report:#}"))
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (text("path"), text("message"))
        })
        .collect()
}

/// The peak memory of a run in KB, through GNU time; None when it is not installed.
fn peak_kb(dir: &Path, args: &[&str]) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("no peak memory: /usr/bin/time is not installed");
        return None;
    }
    let output = assert_cmd::Command::new(time)
        .current_dir(dir)
        .args(["-f", "%M", BIN])
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().last().and_then(|l| l.trim().parse().ok())
}

// ---------------------------------------------------------------------------------------------
// Paths and positions
// ---------------------------------------------------------------------------------------------

/// `good`, `./good` and its absolute path on one command line are one app, checked and written
/// once and shown with the first spelling; so is an app reached from two overlapping paths
/// spelled differently (`.` and the absolute path of `good`). Regression: it was checked (and
/// written) once per spelling.
#[test]
fn one_app_named_three_ways_is_checked_and_written_once() {
    let tree = Tree::new();
    let absolute = tree.path().join("good");
    let absolute = absolute.to_str().unwrap();
    for spellings in [
        &["good", "./good", absolute][..],
        &[".", absolute],
        &["good/host.json", "./good", "good/local.settings.json"],
    ] {
        let mut args = vec!["check", "--format", "json"];
        args.extend(spellings);
        let checked = run_in(tree.path(), &args, TIMEOUT);
        assert_eq!(checked.report["summary"]["apps"], 1, "{spellings:?}");
        // Exactly one DTS101, on the first spelling.
        assert_good_checked(&checked.report);
    }
    let args = [
        "check", "--write", "--format", "json", "good", "./good", absolute,
    ];
    let fixed = run_in(tree.path(), &args, TIMEOUT);
    assert_good_written(tree.path(), &fixed);
    // Written once: each file appears once in the report's `written`.
    let files = written(&fixed.report);
    let mut unique = files.clone();
    unique.dedup();
    assert_eq!(files, unique, "{:#}", fixed.report);
}

/// A folder holding a config file in two letter cases (`host.json` and `HOST.JSON`,
/// `local.settings.json` and `Local.Settings.JSON`) uses the exact name the runtime reads,
/// whatever order the listing returns them in, and reports the other as a walk problem naming
/// it; with no exact spelling (`HOST.JSON` and `Host.json`) the first in byte order is read and
/// the problem says that the runtime reads neither. The ignored files are never written.
/// Regression: whichever the listing returned last was used, silently.
#[test]
fn config_files_in_two_letter_cases_use_the_exact_name() {
    let tree = Tree::new();
    let broken = "{\"version\": \"2.0\",";
    let cases = tree.legacy_app("cases");
    fs::write(cases.join("HOST.JSON"), broken).unwrap();
    fs::write(cases.join("Local.Settings.JSON"), broken).unwrap();
    // The same pair created in the other order.
    for (app, first, second) in [
        (
            "reversed",
            ("HOST.JSON", broken),
            ("host.json", LEGACY_HOST),
        ),
        (
            "no-exact",
            ("Host.json", broken),
            ("HOST.JSON", LEGACY_HOST),
        ),
    ] {
        for (name, text) in [first, second, ("requirements.txt", LEGACY_REQUIREMENTS)] {
            fs::write(tree.dir(app).join(name), text).unwrap();
        }
    }
    // In the order of the report.
    let ignored = [
        "cases/HOST.JSON",
        "cases/Local.Settings.JSON",
        "no-exact/Host.json",
        "reversed/HOST.JSON",
    ];
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    for file in [
        "cases/host.json",
        "reversed/host.json",
        "no-exact/HOST.JSON",
    ] {
        let f = finding(&checked.report, "DTS101", file);
        assert_eq!(start(f), (7, 17), "{f:#}");
    }
    let read: Vec<&Value> = findings(&checked.report)
        .iter()
        .filter(|f| f["code"] == "DTS501")
        .collect();
    assert!(read.is_empty(), "an ignored spelling was read: {read:#?}");
    let found = problems(&checked.report);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ignored);
    let message = |path: &str| &found.iter().find(|(p, _)| p == path).unwrap().1;
    assert_eq!(
        message("cases/HOST.JSON"),
        "ignored: this folder also holds host.json, the exact name that is read (by the Functions host, Core Tools or MSBuild); delete or rename this file"
    );
    assert!(message("cases/Local.Settings.JSON").contains("also holds local.settings.json"));
    assert_eq!(
        message("no-exact/Host.json"),
        "ignored: this folder also holds HOST.JSON, a name that differs only in letter case, and dts-migrate reads that one; on a case-sensitive file system neither is read (only host.json would be)"
    );
    let warning = "warning: cases/HOST.JSON: ignored: this folder also holds host.json";
    assert!(checked.stderr.contains(warning), "{}", checked.stderr);
    let fixed = write(tree.path());
    let files = written(&fixed.report);
    let chosen = [
        "cases/host.json",
        "cases/local.settings.json",
        "no-exact/HOST.JSON",
    ];
    let missing: Vec<&&str> = chosen
        .iter()
        .filter(|f| !files.contains(&f.to_string()))
        .collect();
    assert!(missing.is_empty(), "{missing:?} not written: {files:?}");
    for file in ignored {
        assert!(!files.contains(&file.to_string()), "{file} written");
        assert_eq!(fs::read_to_string(tree.path().join(file)).unwrap(), broken);
    }
}

/// On Unix a backslash is a character of a name, not a separator: a folder named `back\slash`
/// is shown as `back\slash/host.json`, not as the path of a folder `slash` in `back`.
#[cfg(unix)]
#[test]
fn a_backslash_in_a_folder_name_is_shown_as_it_is() {
    let tree = Tree::new();
    tree.legacy_app("back\\slash");
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let f = finding(&checked.report, "DTS101", "back\\slash/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    let output = raw(
        tree.path(),
        &[],
        &["check", "--format", "concise", "."],
        TIMEOUT,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("back\\slash/host.json:7:17: DTS101"),
        "{stdout}"
    );
    assert!(!stdout.contains("back/slash"), "{stdout}");
    assert_eq!(output.status.code(), Some(1));
}

/// A file whose lines end with lone carriage returns gets the lines jsonc-parser counts (it
/// ends a line and a `//` comment at a lone CR) and XML reads (a line end, XML 1.0 §2.11), in
/// every report; the human excerpt shows those lines with their numbers (never a gutter line
/// 0, never a raw CR), and `--write` keeps the CR line endings. Regression: lines were counted
/// at LF only (DTS501 at 1:30 instead of 3:10, a gutter "0", the CRs printed raw).
#[test]
fn lone_carriage_returns_end_lines() {
    let tree = Tree::new();
    let valid = tree.legacy_app("cr-valid");
    fs::write(valid.join("host.json"), LEGACY_HOST.replace('\n', "\r")).unwrap();
    let broken = tree.legacy_app("cr-broken");
    let text = "{\r  \"version\": \"2.0\",\r  \"a\": 1 \"b\"\r}\r";
    fs::write(broken.join("host.json"), text).unwrap();
    let project = tree.dotnet_app("cr-project");
    let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\">\r  <ItemGroup>\r</Project>\r";
    fs::write(project.join("App.csproj"), csproj).unwrap();
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let f = finding(&checked.report, "DTS101", "cr-valid/host.json");
    assert_eq!(start(f), (7, 17), "{f:#}");
    let comma = "expected a comma between these values";
    assert_finding(
        &checked.report,
        "DTS501",
        "cr-broken/host.json",
        (3, 10),
        comma,
    );
    assert_finding(
        &checked.report,
        "DTS501",
        "cr-project/App.csproj",
        (3, 1),
        "ItemGroup",
    );
    // The human report.
    let output = raw(
        tree.path(),
        &[],
        &["check", "--color", "never", "cr-broken"],
        TIMEOUT,
    );
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(human.contains("cr-broken/host.json:3:10]"), "{human}");
    assert!(!human.contains('\r'), "a raw CR in the report: {human:?}");
    let gutter: Vec<&str> = human
        .lines()
        .filter_map(|l| l.split_once(" │ "))
        .map(|(number, _)| number.trim())
        .collect();
    assert_eq!(gutter, ["2", "3", "4"], "{human}");
    assert!(human.contains(" 3 │   \"a\": 1 \"b\""), "{human}");
    // The migration writes new lines with the file's own line ending.
    let fixed = write(tree.path());
    assert!(written(&fixed.report).contains(&"cr-valid/host.json".to_string()));
    let after = fs::read_to_string(valid.join("host.json")).unwrap();
    assert!(
        after.contains("azureManaged") && !after.contains('\n'),
        "{after:?}"
    );
}

/// A csproj with a DOCTYPE (which could declare entities that expand without bound) is DTS501
/// at the `<!DOCTYPE` (line 3, after the XML declaration and a comment), with a message that
/// says why, and the app is not migrated. Regression: "xML with DTD detected" at 1:1.
#[test]
fn a_doctype_is_reported_where_it_is() {
    let tree = Tree::new();
    let app = tree.dotnet_app("doctype");
    let project = fs::read_to_string(app.join("App.csproj")).unwrap();
    let with_dtd = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- <!DOCTYPE in a comment> -->\n  <!DOCTYPE Project [\n  <!ENTITY lol \"lol\">\n]>\n{project}"
    );
    fs::write(app.join("App.csproj"), with_dtd).unwrap();
    let (checked, fixed) = survive(&tree);
    for report in [&checked.report, &fixed.report] {
        assert_finding(
            report,
            "DTS501",
            "doctype/App.csproj",
            (3, 3),
            "the file declares a DOCTYPE; MSBuild files have none, and dts-migrate does not read document type definitions",
        );
    }
    assert_refused(&fixed, "doctype");
}

// ---------------------------------------------------------------------------------------------
// Bounded work
// ---------------------------------------------------------------------------------------------

/// An `extend` chain 20,000 files long is a configuration error (exit 2) at the `extend` of the
/// 32nd file, with its file, line and column. Regression: the recursion overflowed the stack
/// (SIGABRT, exit 134; 5,000 files took 1.9 s and passed).
#[test]
fn an_extend_chain_thousands_long_is_a_config_error() {
    let tree = Tree::new();
    let chain = tree.dir("chain");
    let n = 20_000;
    fs::write(
        tree.path().join("dts-migrate.toml"),
        "extend = \"chain/c0.toml\"\n",
    )
    .unwrap();
    for i in 0..n {
        fs::write(
            chain.join(format!("c{i}.toml")),
            format!("extend = \"c{}.toml\"\n", i + 1),
        )
        .unwrap();
    }
    fs::write(chain.join(format!("c{n}.toml")), "").unwrap();
    let started = Instant::now();
    let stderr = usage_error(tree.path(), &[], &["check", "."]);
    assert!(
        stderr.contains(
            "error: invalid configuration: chain/c30.toml:1:10: `extend` chains more than 32 files"
        ),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// The findings of one rule in one file are bounded: 5,000 duplicate keys give 100 DTS109
/// findings and one "… and 4899 more DTS109 findings in this file" at the first one left out,
/// and the bound holds for every rule (150 unused suppressions: 100 DTS505 and a summary).
/// Fixes still apply to all of them. Regression: every finding was reported (a 5 MB file of
/// duplicate keys: 750,000 findings, a minute and 900 MB for the human report).
#[test]
fn findings_are_capped_per_rule_and_file() {
    let tree = Tree::new();
    let n = 5_000;
    let prefix = "{\"version\":\"2.0\",";
    let text = format!("{prefix}{}}}", vec!["\"a\":1"; n].join(","));
    fs::write(tree.dir("dups").join("host.json"), &text).unwrap();
    let mut suppressed = String::from("{\n  \"version\": \"2.0\",\n");
    for i in 0..150 {
        suppressed.push_str(&format!(
            "  // dts-migrate-ignore DTS107: kept\n  \"k{i}\": {i},\n"
        ));
    }
    suppressed.push_str("  \"last\": 0\n}\n");
    fs::write(tree.dir("unused").join("host.json"), &suppressed).unwrap();
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let of = |code: &str, file: &str| -> Vec<&Value> {
        findings(&checked.report)
            .iter()
            .filter(|f| f["code"] == code && f["file"] == file)
            .collect()
    };
    let dups = of("DTS109", "dups/host.json");
    assert_eq!(dups.len(), 101);
    let summary = dups[100];
    assert_eq!(
        summary["message"],
        format!("… and {} more DTS109 findings in this file", n - 1 - 100)
    );
    // At the 101st duplicate: key 101 (1-based) starts at this column.
    let column = prefix.len() + 6 * 100 + 1;
    assert_eq!(start(summary), (1, column as u64), "{summary:#}");
    assert_eq!(summary["severity"], "warning");
    let unused = of("DTS505", "unused/host.json");
    assert_eq!(unused.len(), 101, "{:#}", checked.report);
    assert_eq!(
        unused[100]["message"],
        "… and 50 more DTS505 findings in this file"
    );
    // The fixes of the findings not shown still apply.
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
        fs::read_to_string(tree.path().join("dups/host.json")).unwrap(),
        format!("{prefix}\"a\":1}}")
    );
}

/// `--threads` has an upper bound: 100,000 is a usage error at once (exit 2, naming the
/// range), and the bound itself works. Regression: the walk tried to start 100,000 threads
/// (minutes, then killed for memory).
#[test]
fn threads_are_bounded() {
    let tree = Tree::new();
    let started = Instant::now();
    let stderr = usage_error(tree.path(), &[], &["check", "--threads", "100000", "good"]);
    assert!(stderr.contains("100000 is not in 0..=256"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let run = run_in(
        tree.path(),
        &["check", "--threads", "256", "--format", "json", "good"],
        TIMEOUT,
    );
    assert_good_checked(&run.report);
}

/// An ignore file is bounded before its patterns are compiled: one over 64 KiB is reported
/// and not read (its size is checked first), one with more than 1,000 patterns is reported and
/// not used, and the run stays small. Regression: a 1 MB file of 24,000 patterns was compiled
/// (about 280 MB here; 530 MB with other patterns).
#[test]
fn ignore_files_are_bounded() {
    let tree = Tree::new();
    let pattern = |i: usize| format!("dir{i}/**/sub{i}*/file[a-c]{i}.json\n");
    let mut big = String::new();
    let mut i = 0;
    while big.len() < 1_000_000 {
        big.push_str(&pattern(i));
        i += 1;
    }
    fs::write(tree.path().join(".dts-migrate-ignore"), &big).unwrap();
    let many: String = (0..1_001).map(pattern).collect();
    let sub = tree.dir("sub");
    fs::write(sub.join(".dts-migrate-ignore"), &many).unwrap();
    let checked = check(tree.path());
    assert_good_checked(&checked.report);
    let found = problems(&checked.report);
    assert_eq!(
        found,
        [
            (
                ".dts-migrate-ignore".to_string(),
                format!(
                    "the file is {} bytes, over the limit of 65536 bytes; it was not read",
                    big.len()
                )
            ),
            (
                "sub/.dts-migrate-ignore".to_string(),
                "the file holds 1001 patterns, over the limit of 1000; it was not used".to_string()
            ),
        ]
    );
    // Neither is a reason to fail the run: nothing was left unchecked.
    let stderr = &checked.stderr;
    assert!(!stderr.contains("could not be read"), "{stderr}");
    if let Some(kb) = peak_kb(tree.path(), &["check", "--format", "concise", "."]) {
        assert!(kb < 100_000, "peak {kb} KB");
    }
}

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

/// A folder given on the command line that cannot be listed exits 2 naming it, as a path that
/// does not exist does; the run does not say "No problems found". Run as an unprivileged user
/// (see `unprivileged`); skipped, with a message, where that is not possible.
#[cfg(unix)]
#[test]
fn an_unreadable_path_argument_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    let locked = tree.legacy_app("locked");
    let Some(prefix) = unprivileged(tree.path()) else {
        eprintln!("skipped: running as root and `setpriv --reuid=65534` does not work here");
        return;
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let plain = usage_error(tree.path(), &prefix, &["check", "locked"]);
    let with_others = usage_error(tree.path(), &prefix, &["check", "good", "locked"]);
    let missing = usage_error(tree.path(), &prefix, &["check", "good", "missing"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    for stderr in [&plain, &with_others] {
        assert!(
            stderr.contains("error: cannot read locked: permission denied"),
            "{stderr}"
        );
        assert!(!stderr.contains("No problems found"), "{stderr}");
    }
    assert!(
        missing.contains("error: cannot read missing: it does not exist"),
        "{missing}"
    );
}

/// A folder met during the walk that cannot be listed fails the run (exit 1) whatever
/// `--fail-on` and `--exit-zero` say, with an error line that says why, and is a problem of
/// the JSON report; the normal app (only a warning, so `--fail-on error` alone would pass) is
/// still checked. Regression: a warning on stderr, and exit 0.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_in_the_walk_fails_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    let locked = tree.legacy_app("locked-folder");
    let Some(prefix) = unprivileged(tree.path()) else {
        eprintln!("skipped: running as root and `setpriv --reuid=65534` does not work here");
        return;
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let runs: Vec<Run> = [
        &["check", "--format", "json", "--fail-on", "error", "."][..],
        &["check", "--format", "json", "--exit-zero", "."],
        // Nothing to fix among the DTS5 findings: an empty diff, which exits 0 on its own.
        &["check", "--diff", "--select", "DTS5", "."],
    ]
    .iter()
    .map(|args| run_as(tree.path(), &prefix, args))
    .collect();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    for run in &runs {
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "error: 1 folder could not be read (see the warning above): the apps in it were not checked, so the run fails"
            ),
            "{}",
            run.stderr
        );
    }
    for run in &runs[..2] {
        assert_good_checked(&run.report);
        let found = problems(&run.report);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "locked-folder");
        assert!(
            found[0].1.ends_with("; the folder was not checked"),
            "{found:?}"
        );
    }
}

/// An app folder whose path is longer than PATH_MAX (made with `mkdirat` from inside the tree,
/// 20 levels of 250-byte names) is a walk problem that names the limit and fails the run, even
/// with `--fail-on error`. Regression: "No problems found" and exit 0, the app unseen.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_beyond_path_max_fails_the_run() {
    use rustix::fs::{mkdirat, openat, Mode, OFlags, CWD};
    let tree = Tree::new();
    let name = "d".repeat(250);
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir = openat(CWD, tree.path(), flags, Mode::empty()).unwrap();
    for _ in 0..20 {
        mkdirat(&dir, name.as_str(), Mode::from_raw_mode(0o755)).unwrap();
        dir = openat(&dir, name.as_str(), flags, Mode::empty()).unwrap();
    }
    for (file, text) in [
        ("host.json", LEGACY_HOST),
        ("local.settings.json", LEGACY_SETTINGS),
        ("requirements.txt", LEGACY_REQUIREMENTS),
    ] {
        let create = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = openat(&dir, file, create, Mode::from_raw_mode(0o644)).unwrap();
        fs::File::from(fd).write_all(text.as_bytes()).unwrap();
    }
    let checked = run_in(
        tree.path(),
        &["check", "--format", "json", "--fail-on", "error", "."],
        TIMEOUT,
    );
    assert_good_checked(&checked.report);
    assert_eq!(checked.code, Some(1), "{}", checked.stderr);
    let found = problems(&checked.report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.starts_with(&name), "{found:?}");
    assert_eq!(
        found[0].1,
        "its path is longer than the system allows (PATH_MAX); the folder was not checked"
    );
    let stderr = &checked.stderr;
    assert!(
        stderr.contains("error: 1 folder could not be read"),
        "{stderr}"
    );
}
