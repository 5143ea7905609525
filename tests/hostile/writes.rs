//! Hostile conditions for `--write` and the files the tool writes (issue 13, "nothing lost"):
//! the write boundary, report files and `init`, a file edited during the write, a rename that
//! fails, owners, interrupts, and one file or app reached by several names. Each test runs the
//! real binary on a generated tree; races are made deterministic with the debug build's test
//! hooks (`DTS_MIGRATE_TEST_PAUSE_BEFORE_RENAME`, `DTS_MIGRATE_TEST_RESUME`,
//! `DTS_MIGRATE_TEST_FAIL_RENAME`, documented in `src/write/commit.rs`).

use super::*;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A Central Package Management version of the orders app at `app` (App.csproj without
/// versions), with its `Directory.Packages.props` in `props_dir`.
fn cpm_app(app: &Path, props_dir: &Path) {
    copy_app(app);
    let project = fs::read_to_string(app.join("App.csproj")).unwrap();
    let mut props = String::from(
        "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n",
    );
    let mut cpm = String::new();
    for line in project.lines() {
        match line.split_once(" Version=\"") {
            Some((head, rest)) if line.contains("PackageReference") => {
                let version = rest.split('"').next().unwrap();
                let id = head
                    .split("Include=\"")
                    .nth(1)
                    .unwrap()
                    .trim_end_matches('"');
                props.push_str(&format!(
                    "    <PackageVersion Include=\"{id}\" Version=\"{version}\" />\n"
                ));
                cpm.push_str(&format!("{head} />\n"));
            }
            _ => {
                cpm.push_str(line);
                cpm.push('\n');
            }
        }
    }
    props.push_str("  </ItemGroup>\n</Project>\n");
    fs::write(app.join("App.csproj"), cpm).unwrap();
    fs::create_dir_all(props_dir).unwrap();
    fs::write(props_dir.join("Directory.Packages.props"), props).unwrap();
}

/// Runs the binary in `dir` with `env` (and a timeout), whatever its exit code.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut command = assert_cmd::Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD");
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("the binary runs")
}

/// A run of the binary that a test steers while it runs: its stderr is read line by line.
struct Steered {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Vec<String>,
    stdout: std::thread::JoinHandle<Vec<u8>>,
}

impl Steered {
    /// Starts `dts-migrate ARGS` in `dir` with `env`.
    fn start(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Steered {
        let mut command = Command::new(BIN);
        command
            .current_dir(dir)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("TF_BUILD")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the binary starts");
        let mut out = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = out.read_to_end(&mut bytes);
            bytes
        });
        let err = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Steered {
            child,
            lines,
            stderr: Vec::new(),
            stdout,
        }
    }

    /// Waits for a stderr line holding `needle`; false if the run ended (or 30 s passed)
    /// without one.
    fn wait_for(&mut self, needle: &str) -> bool {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.stderr.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
        false
    }

    /// Sends `signal` (`INT`, `TERM`) with kill(1).
    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success());
    }

    /// Waits for the end of the run: its exit code (None when a signal ended it), its stderr,
    /// its JSON report (`Null` when none).
    fn finish(mut self) -> (Option<i32>, String, Value) {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the run hangs; stderr so far:\n{}", self.stderr.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.stderr.push(line);
        }
        let stdout = self.stdout.join().unwrap();
        let stderr = self.stderr.join("\n");
        assert!(!stderr.contains("panicked"), "the run panicked:\n{stderr}");
        let report = serde_json::from_slice(&stdout).unwrap_or(Value::Null);
        (status.code(), stderr, report)
    }
}

/// The marker the pause hook prints.
const PAUSED: &str = "test hook: paused before renaming";

/// Whether the tree holds a `.dts-migrate-*.tmp` file anywhere.
fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".dts-migrate-") && n.ends_with(".tmp"))
        })
        .collect()
}

/// Whether a legacy app's two files are migrated: (host.json, local.settings.json). Both
/// must parse as JSON once the migration's own comment lines (`// dts-migrate: …`, the hub
/// note of DTS101) are left out.
fn migrated(app: &Path) -> (bool, bool) {
    let read = |name: &str| {
        let text = fs::read_to_string(app.join(name)).unwrap();
        let json: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("// dts-migrate:"))
            .collect::<Vec<_>>()
            .join("\n");
        let value: Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{}/{name} does not parse ({e}):\n{text}", app.display()));
        (text, value)
    };
    let (host, _) = read("host.json");
    let (settings, _) = read("local.settings.json");
    (
        host.contains("azureManaged"),
        settings.contains("DURABLE_TASK_SCHEDULER_CONNECTION_STRING"),
    )
}

/// The bytes of an app's files.
fn files_of(app: &Path) -> BTreeMap<PathBuf, Entry> {
    snapshot(app)
}

// ---------------------------------------------------------------------------------------------
// 1. The write boundary
// ---------------------------------------------------------------------------------------------

/// With no repository around, the boundary is the scanned folder: a `Directory.Packages.props`
/// above it is not written, whether the folder is named relative (`src/App`, whose props in
/// `src/` was written) or absolute (whose props in the folder above was written), and the app
/// is held whole with a reason naming the props file (a relative path used to half-migrate it:
/// host.json written, the package version not).
#[test]
fn a_props_file_above_the_scanned_folder_is_not_written() {
    for absolute in [false, true] {
        let root = tempfile::tempdir().unwrap();
        let app = root.path().join("src/App");
        cpm_app(&app, &root.path().join("src"));
        let before = snapshot(root.path());
        let arg = if absolute {
            app.to_string_lossy().into_owned()
        } else {
            "src/App".to_string()
        };
        let fixed = run_in(
            root.path(),
            &["check", "--write", "--format", "json", &arg],
            TIMEOUT,
        );
        assert_eq!(snapshot(root.path()), before, "absolute: {absolute}");
        let line = fixed
            .stderr
            .lines()
            .find(|l| l.contains("Directory.Packages.props"))
            .unwrap_or_else(|| panic!("no reason names the props file:\n{}", fixed.stderr));
        assert!(
            line.contains("outside the scanned tree") && line.contains("not written"),
            "{line}"
        );
        assert!(written(&fixed.report).is_empty(), "{:#}", fixed.report);
        assert_eq!(fixed.code, Some(1));
    }
}

/// Inside a repository the boundary is the repository: the props file at its root is written
/// with the app, whichever way the app folder is named.
#[test]
fn a_props_file_at_the_repository_root_is_written() {
    for absolute in [false, true] {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join(".git")).unwrap();
        let app = root.path().join("src/App");
        cpm_app(&app, root.path());
        let arg = if absolute {
            app.to_string_lossy().into_owned()
        } else {
            "src/App".to_string()
        };
        let fixed = run_in(
            root.path(),
            &["check", "--write", "--format", "json", &arg],
            TIMEOUT,
        );
        let files = written(&fixed.report);
        assert!(
            files
                .iter()
                .any(|f| f.ends_with("Directory.Packages.props")),
            "{files:?}\n{}",
            fixed.stderr
        );
        let props = fs::read_to_string(root.path().join("Directory.Packages.props")).unwrap();
        assert!(props.contains("AzureManaged"), "{props}");
    }
}

/// `check --write app/host.json` where host.json is a link to a file outside: the boundary is
/// the repository of the app, not the folder of the link's target (which the old code took as
/// a scanned root, and wrote through the link).
#[cfg(unix)]
#[test]
fn a_file_argument_that_links_outside_is_not_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let target = copy_app(&outside.path().join("orders-app"));
    let tree = Tree::new();
    let app = tree.dotnet_app("linked");
    fs::remove_file(app.join("host.json")).unwrap();
    std::os::unix::fs::symlink(target.join("host.json"), app.join("host.json")).unwrap();
    let outside_before = snapshot(outside.path());
    let before = snapshot(tree.path());
    let fixed = run_in(
        tree.path(),
        &["check", "--write", "--format", "json", "linked/host.json"],
        TIMEOUT,
    );
    assert_eq!(
        snapshot(outside.path()),
        outside_before,
        "the target changed"
    );
    assert_eq!(snapshot(tree.path()), before, "the app was half-written");
    // Not read at all (its bytes reach no output), so the app is refused from the start.
    let finding = fixed.report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "linked/host.json" && f["code"] == "DTS501")
        .unwrap_or_else(|| panic!("no DTS501 on the link: {:#}", fixed.report));
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("outside the scanned tree"),
        "{finding:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Report files and init
// ---------------------------------------------------------------------------------------------

/// `--output-file`, `--report` and `init` never follow a symlink to create or replace a file:
/// a link to a file outside, and a dangling link, are refused with exit 2 naming them, and
/// neither the target nor anything else changes.
#[cfg(unix)]
#[test]
fn report_files_and_init_never_follow_a_symlink() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    fs::write(&victim, "keep me\n").unwrap();
    let tree = Tree::new();
    symlink(&victim, tree.path().join("to-file.json")).unwrap();
    symlink(
        outside.path().join("created.json"),
        tree.path().join("dangling.json"),
    )
    .unwrap();
    let init_dir = tree.dir("init");
    symlink(
        outside.path().join("created.toml"),
        init_dir.join("dts-migrate.toml"),
    )
    .unwrap();
    let outside_before = snapshot(outside.path());
    let before = snapshot(tree.path());
    let cases: [&[&str]; 6] = [
        &["check", "--output-file", "to-file.json", "good"],
        &["check", "--output-file", "dangling.json", "good"],
        &["check", "--report", "json=to-file.json", "good"],
        &["check", "--report", "sarif=dangling.json", "good"],
        &["init", "init"],
        &["init", "--force", "init"],
    ];
    for args in cases {
        let out = run_env(tree.path(), args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let named = ["to-file.json", "dangling.json", "dts-migrate.toml"]
            .iter()
            .any(|n| stderr.contains(n));
        assert!(
            named && stderr.contains("link") || stderr.contains("exists"),
            "{args:?}: {stderr}"
        );
        assert_eq!(snapshot(outside.path()), outside_before, "{args:?}");
        assert_eq!(snapshot(tree.path()), before, "{args:?}");
    }
}

/// A report over a regular file replaces it in one rename (a new inode, the old permission
/// bits, no temporary file left); `/dev/null` and a pipe are written in place; a folder that
/// does not exist is said not to exist (it used to read "removed during the run?").
#[cfg(unix)]
#[test]
fn report_files_are_replaced_whole_or_written_in_place() {
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    let tree = Tree::new();
    let report = tree.path().join("report.json");
    fs::write(&report, "old").unwrap();
    fs::set_permissions(&report, fs::Permissions::from_mode(0o640)).unwrap();
    let inode = fs::metadata(&report).unwrap().ino();
    let out = run_env(
        tree.path(),
        &["check", "--format", "json", "-o", "report.json", "good"],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = fs::metadata(&report).unwrap();
    assert_ne!(meta.ino(), inode, "the report was written in place");
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    let parsed: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert!(parsed["findings"].is_array());
    assert!(temporary_files(tree.path()).is_empty());

    let out = run_env(tree.path(), &["check", "-o", "/dev/null", "good"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run_env(
        tree.path(),
        &["check", "-o", "missing-dir/x.json", "good"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the folder missing-dir does not exist"),
        "{stderr}"
    );

    let fifo = tree.path().join("report.fifo");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped the pipe: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = run_env(
        tree.path(),
        &["check", "--format", "json", "-o", "report.fifo", "good"],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = reader.join().unwrap();
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert!(parsed["findings"].is_array());
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

// ---------------------------------------------------------------------------------------------
// 3 and 4. A file changed during the write; a rename that fails
// ---------------------------------------------------------------------------------------------

/// Runs `--write` paused before renaming `victim/FILE` (its app's earlier files renamed), lets
/// `change` act on the tree, resumes, and returns the run.
fn write_paused_at(tree: &Tree, file: &str, change: impl FnOnce()) -> (Option<i32>, String, Value) {
    let control = tempfile::tempdir().unwrap();
    let resume = control.path().join("resume");
    let suffix = PathBuf::from(format!("victim/{file}"));
    let mut run = Steered::start(
        tree.path(),
        &["check", "--write", "--format", "json", "."],
        &[
            ("DTS_MIGRATE_TEST_PAUSE_BEFORE_RENAME", suffix.as_path()),
            ("DTS_MIGRATE_TEST_RESUME", resume.as_path()),
        ],
    );
    let paused = run.wait_for(PAUSED);
    if paused {
        change();
        fs::write(&resume, "").unwrap();
    }
    let finished = run.finish();
    assert!(
        paused,
        "the run never paused before renaming {file}:\n{}",
        finished.1
    );
    finished
}

/// A user's edit made while `--write` is committing, after the tool checked the file and
/// before its rename, is kept: the app is refused and its files already renamed are put back
/// (its host.json here), so the app is as it was plus the user's edit. Before, the window
/// spanned the whole batch flush and the edit was overwritten silently.
#[test]
fn an_edit_made_during_the_write_is_not_overwritten() {
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let host_before = fs::read(victim.join("host.json")).unwrap();
    let edited = LEGACY_SETTINGS.replace("\"python\"", "\"python\",\n    \"MY_SETTING\": \"mine\"");
    let settings = victim.join("local.settings.json");
    let (code, stderr, report) = write_paused_at(&tree, "local.settings.json", || {
        fs::write(&settings, &edited).unwrap()
    });
    assert_eq!(
        fs::read_to_string(&settings).unwrap(),
        edited,
        "the user's edit was lost"
    );
    assert_eq!(
        fs::read(victim.join("host.json")).unwrap(),
        host_before,
        "half-migrated"
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: victim: not written: "))
        .unwrap_or_else(|| panic!("no refusal:\n{stderr}"));
    assert!(
        line.contains("victim/local.settings.json changed on disk")
            && line.contains("the app was rolled back: victim/host.json put back"),
        "{line}"
    );
    assert!(!written(&report).iter().any(|f| f.starts_with("victim/")));
    assert!(written(&report).contains(&"good/host.json".to_string()));
    assert!(temporary_files(tree.path()).is_empty());
    assert_eq!(code, Some(1));
}

/// The same before the app's first rename: nothing of it is replaced.
#[test]
fn an_edit_before_the_first_rename_refuses_the_app() {
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let settings_before = fs::read(victim.join("local.settings.json")).unwrap();
    let edited = LEGACY_HOST.replace("ReportsHub", "MyHub");
    let host = victim.join("host.json");
    let (_, stderr, _) = write_paused_at(&tree, "host.json", || fs::write(&host, &edited).unwrap());
    assert_eq!(fs::read_to_string(&host).unwrap(), edited);
    assert_eq!(
        fs::read(victim.join("local.settings.json")).unwrap(),
        settings_before
    );
    assert!(
        stderr.contains("victim/host.json changed on disk")
            && stderr.contains("no file of the app was replaced"),
        "{stderr}"
    );
    assert!(temporary_files(tree.path()).is_empty());
}

/// A rename that fails midway (made to fail by the test hook, as EIO would) puts back the
/// app's files already renamed: host.json was replaced and local.settings.json not, which
/// used to be reported as "not written" with host.json migrated.
#[test]
fn a_failed_rename_rolls_the_app_back() {
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let before = files_of(&victim);
    let suffix = Path::new("victim/local.settings.json");
    let out = run_env(
        tree.path(),
        &["check", "--write", "--format", "json", "."],
        &[("DTS_MIGRATE_TEST_FAIL_RENAME", suffix.as_os_str())],
    );
    let run = finished("check --write (a rename fails)", &out);
    assert_eq!(files_of(&victim), before, "the app is half-migrated");
    assert!(
        run.stderr
            .contains("error: victim: not written: victim/local.settings.json: input/output error")
            && run
                .stderr
                .contains("the app was rolled back: victim/host.json put back as it was"),
        "{}",
        run.stderr
    );
    assert_good_written(tree.path(), &run);
    assert!(temporary_files(tree.path()).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 5. Owners, interrupts
// ---------------------------------------------------------------------------------------------

/// Run as root, a rewritten file keeps its owner and group (a mode-640 file owned by another
/// user used to become root's, unreadable by its owner). Skipped when not root.
#[cfg(unix)]
#[test]
fn rewritten_files_keep_their_owner() {
    use std::os::unix::fs::{lchown, MetadataExt, PermissionsExt};
    let tree = Tree::new();
    let probe = tree.path().join(".probe");
    fs::write(&probe, "").unwrap();
    let root = fs::metadata(&probe).unwrap().uid() == 0;
    fs::remove_file(&probe).unwrap();
    if !root {
        eprintln!("skipped: only root can give files to another user");
        return;
    }
    let app = tree.path().join("good");
    for name in ["host.json", "local.settings.json"] {
        let path = app.join(name);
        lchown(&path, Some(65534), Some(65534)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let fixed = write(tree.path());
    assert_good_written(tree.path(), &fixed);
    for name in ["host.json", "local.settings.json"] {
        let meta = fs::metadata(app.join(name)).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "{name}");
        assert_eq!(meta.permissions().mode() & 0o7777, 0o640, "{name}");
    }
}

/// Run as an unprivileged user on a file it may write but does not own (owned by root, mode
/// 666), `--write` cannot keep the owner, so it refuses the app, naming the owner, instead of
/// handing the file to itself. Root runs the binary as uid 65534 through `setpriv`; skipped
/// where that does not work.
#[cfg(unix)]
#[test]
fn a_file_whose_owner_cannot_be_kept_is_not_written() {
    use std::os::unix::fs::{lchown, MetadataExt, PermissionsExt};
    let tree = Tree::new();
    let victim = tree.legacy_app("victim");
    let Some(prefix) = unprivileged(tree.path()) else {
        eprintln!("skipped: running as root and `setpriv --reuid=65534` does not work here");
        return;
    };
    if prefix.is_empty() {
        eprintln!("skipped: not root, so no file of another user can be made");
        return;
    }
    let host = victim.join("host.json");
    lchown(&host, Some(0), Some(0)).unwrap();
    fs::set_permissions(&host, fs::Permissions::from_mode(0o666)).unwrap();
    let before = files_of(&victim);
    let output = assert_cmd::Command::new(&prefix[0])
        .args(&prefix[1..])
        .arg(BIN)
        .args(["check", "--write", "--format", "json", "."])
        .current_dir(tree.path())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let run = finished("check --write as uid 65534", &output);
    assert_eq!(files_of(&victim), before);
    assert_eq!(fs::metadata(&host).unwrap().uid(), 0);
    assert!(
        run.stderr
            .contains("victim/host.json belongs to user 0 and group 0"),
        "{}",
        run.stderr
    );
    assert_good_written(tree.path(), &run);
}

/// SIGINT and SIGTERM while an app is half-renamed (paused before its second rename): the
/// run exits 130 / 143, the app's renamed file is put back, no temporary file is left, and
/// every file parses, old or new. Before, the default action killed the process and left the
/// temporary files (and the app half-migrated).
#[cfg(unix)]
#[test]
fn an_interrupt_mid_commit_leaves_every_app_whole() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let tree = Tree::new();
        let victim = tree.legacy_app("victim");
        let before = files_of(&victim);
        let control = tempfile::tempdir().unwrap();
        let suffix = Path::new("victim/local.settings.json");
        let never = control.path().join("never");
        let mut run = Steered::start(
            tree.path(),
            &["check", "--write", "--format", "json", "."],
            &[
                ("DTS_MIGRATE_TEST_PAUSE_BEFORE_RENAME", suffix),
                ("DTS_MIGRATE_TEST_RESUME", never.as_path()),
            ],
        );
        let paused = run.wait_for(PAUSED);
        if paused {
            run.signal(signal);
        }
        let (status, stderr, _) = run.finish();
        assert!(paused, "never paused:\n{stderr}");
        assert_eq!(status, Some(code), "SIG{signal}:\n{stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        assert_eq!(
            temporary_files(tree.path()),
            Vec::<PathBuf>::new(),
            "SIG{signal}"
        );
        assert_eq!(
            files_of(&victim),
            before,
            "SIG{signal}: the app is half-migrated"
        );
        let (host, settings) = migrated(&tree.path().join("good"));
        assert_eq!(host, settings, "good/ is half-migrated");
    }
}

/// SIGINT at several moments of a `--write` over a few hundred apps (no hook: wherever it
/// lands): no temporary file is left, every file parses, and every app is old or new whole.
#[cfg(unix)]
#[test]
fn sigint_at_any_moment_of_a_large_write() {
    let apps = 300;
    let make = || {
        let tree = Tree::new();
        for i in 0..apps {
            tree.legacy_app(&format!("apps/a{i:03}"));
        }
        tree
    };
    // How long a whole run takes here.
    let full = make();
    let started = Instant::now();
    run_in(
        full.path(),
        &["check", "--write", "--format", "concise", "."],
        TIMEOUT,
    );
    let whole = started.elapsed();
    for fraction in [0.2, 0.4, 0.6, 0.8] {
        let tree = make();
        let run = Steered::start(
            tree.path(),
            &["check", "--write", "--format", "concise", "."],
            &[],
        );
        std::thread::sleep(whole.mul_f64(fraction));
        // The run may be over already; kill then finds nothing to signal.
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(run.child.id().to_string())
            .status();
        let (status, stderr, _) = run.finish();
        assert!(
            matches!(status, Some(0 | 1 | 130) | None),
            "at {fraction}: {status:?}\n{stderr}"
        );
        assert_eq!(
            temporary_files(tree.path()),
            Vec::<PathBuf>::new(),
            "at {fraction}"
        );
        let mut new = 0;
        for i in 0..apps {
            let (host, settings) = migrated(&tree.path().join(format!("apps/a{i:03}")));
            assert_eq!(
                host, settings,
                "apps/a{i:03} is half-migrated at {fraction}"
            );
            new += usize::from(host);
        }
        eprintln!("SIGINT at {fraction} of {whole:?}: {status:?}, {new} of {apps} apps migrated");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. One file or one app under several names
// ---------------------------------------------------------------------------------------------

/// Two apps whose local.settings.json are links to one file make one set: when one of them
/// cannot be written (a read-only host.json), the other is not written either, so the shared
/// file is not migrated under an app that is not. Before, the first app wrote the shared file
/// and the second was reported "not written" with its settings migrated.
#[cfg(unix)]
#[test]
fn apps_sharing_a_linked_file_are_written_together_or_not_at_all() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let tree = Tree::new();
    let first = tree.legacy_app("first");
    let second = tree.legacy_app("second");
    fs::remove_file(second.join("local.settings.json")).unwrap();
    symlink(
        "../first/local.settings.json",
        second.join("local.settings.json"),
    )
    .unwrap();
    let host = second.join("host.json");
    fs::set_permissions(&host, fs::Permissions::from_mode(0o444)).unwrap();
    let (_, fixed) = survive(&tree);
    assert!(
        fixed
            .stderr
            .contains("error: second: not written: second/host.json is read-only"),
        "{}",
        fixed.stderr
    );
    assert!(
        fixed
            .stderr
            .contains("error: first: not written: it shares a file with second"),
        "{}",
        fixed.stderr
    );
    let _ = first;
}

/// Two links to one file changed differently by their apps' fixes (a .NET app and a Python
/// app sharing host.json): the file is written once, by the first app, and the second app is
/// held whole; neither app's edits are overwritten by the other's.
#[cfg(unix)]
#[test]
fn a_file_changed_two_ways_through_two_links_is_written_once() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let dotnet = tree.dotnet_app("a-dotnet");
    let python = tree.legacy_app("b-python");
    fs::remove_file(python.join("host.json")).unwrap();
    symlink("../a-dotnet/host.json", python.join("host.json")).unwrap();
    let python_settings = fs::read(python.join("local.settings.json")).unwrap();
    let fixed = write(tree.path());
    let files = written(&fixed.report);
    assert!(
        files.contains(&"a-dotnet/host.json".to_string()),
        "{files:?}\n{}",
        fixed.stderr
    );
    assert!(
        !files.iter().any(|f| f.starts_with("b-python/")),
        "{files:?}"
    );
    assert!(
        fixed.stderr.contains("error: b-python: b-python/host.json is also changed, differently, by the fixes of a-dotnet"),
        "{}",
        fixed.stderr
    );
    assert_eq!(
        fs::read(python.join("local.settings.json")).unwrap(),
        python_settings
    );
    let _ = dotnet;
}

/// `app`, `./app` and its absolute path given together are one app: checked once, written
/// once.
#[test]
fn one_app_named_three_ways_is_one_app() {
    let tree = Tree::new();
    let absolute = tree.path().join("good");
    let absolute = absolute.to_string_lossy();
    let checked = run_in(
        tree.path(),
        &["check", "--format", "json", "good", "./good", &absolute],
        TIMEOUT,
    );
    assert_eq!(checked.report["summary"]["apps"], 1, "{:#}", checked.report);
    let fixed = run_in(
        tree.path(),
        &[
            "check", "--write", "--format", "json", "good", "./good", &absolute,
        ],
        TIMEOUT,
    );
    assert_eq!(fixed.report["summary"]["apps"], 1, "{:#}", fixed.report);
    assert_eq!(
        written(&fixed.report).len(),
        2,
        "{:#}",
        fixed.report["written"]
    );
}
