//! Secrets and console injection through every output (DESIGN §1, §3, §7).
//!
//! Each tree plants unique secrets (`S3cr3t…`) written every way a user or a tool writes them,
//! and text that a terminal or a CI runner would act on (a folder named `\n::error::x`, a value
//! holding `\n##vso[task.setvariable …]` and `ESC[31m`). Every format is run to stdout and to
//! `--report` files, with `--diff` (safe and unsafe fixes) and with `--show-fixes --write` on a
//! copy of the tree; no secret may appear in any stdout, stderr or report file, and no console
//! line may carry a raw ESC or CR or a CI command taken from input.

use super::*;

/// Every `--format`.
const FORMATS: &[&str] = &[
    "human",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "azure",
    "junit",
    "gitlab",
];

/// What a run printed or wrote: (what it is, the bytes).
type Outputs = Vec<(String, String)>;

/// Runs the binary in `dir` (outside any CI) and returns stdout and stderr after checking that
/// it ended with 0 or 1 and did not panic.
fn outputs(dir: &Path, args: &[&str]) -> Outputs {
    let output = assert_cmd::Command::new(BIN)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("the binary runs");
    let what = format!("dts-migrate {}", args.join(" "));
    finished(&what, &output);
    vec![
        (
            format!("{what}: stdout"),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            format!("{what}: stderr"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ]
}

/// Copies a tree (files and folders; these trees hold nothing else).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every output of the tool over `tree`: each format on stdout, every format as `--report`
/// files of one run, `--diff` with safe and with unsafe fixes, and `--show-fixes --write` (in
/// human and json) on copies of the tree.
fn every_output(tree: &Path) -> Outputs {
    let mut all = Outputs::new();
    for format in FORMATS {
        all.extend(outputs(tree, &["check", "--format", format, "."]));
    }
    // The console reports followed by CI annotations, as inside GitHub Actions or Azure.
    for format in ["human", "concise"] {
        for ci in ["github", "azure"] {
            all.extend(outputs(
                tree,
                &["check", "--format", format, "--annotations", ci, "."],
            ));
        }
    }
    let reports = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "concise".into()];
    for format in FORMATS {
        args.push("--report".into());
        args.push(format!(
            "{format}={}",
            reports.path().join(format!("report.{format}")).display()
        ));
    }
    args.push(".".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(outputs(tree, &args));
    for format in FORMATS {
        let path = reports.path().join(format!("report.{format}"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        all.push((format!("--report {format}"), text));
    }
    all.extend(outputs(tree, &["check", "--diff", "."]));
    all.extend(outputs(tree, &["check", "--diff", "--unsafe-fixes", "."]));
    // The Azure half: every format of the plan.
    for format in ["shell", "markdown", "json", "bicep"] {
        all.extend(outputs(tree, &["plan", "--format", format, "."]));
    }
    all.extend(outputs(tree, &["plan", "--shell", "pwsh", "."]));
    for format in ["human", "json", "sarif"] {
        let copy = tempfile::tempdir().unwrap();
        copy_tree(tree, copy.path());
        all.extend(outputs(
            copy.path(),
            &[
                "check",
                "--show-fixes",
                "--write",
                "--unsafe-fixes",
                "--format",
                format,
                ".",
            ],
        ));
        // The run after the write reports the migrated files.
        all.extend(outputs(copy.path(), &["check", "--format", format, "."]));
    }
    all
}

/// Asserts that no output holds any of `secrets`.
fn assert_no_secret(all: &Outputs, secrets: &[&str]) {
    for (what, text) in all {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{what} shows the secret {secret}:\n{text}"
            );
        }
    }
}

/// Whether a line is one of the tool's own annotations (github and azure formats); the
/// closing summary notice holds counts only, nothing taken from input.
fn own_annotation(line: &str) -> bool {
    (["::error file=", "::warning file=", "::notice file="]
        .iter()
        .any(|p| line.starts_with(p)))
        || (line.starts_with("::notice title=dts-migrate summary::Found ")
            || line.starts_with("::notice title=dts-migrate summary::No problems found"))
            && line.matches("::").count() == 2
        || (line.starts_with("##vso[task.logissue type=") && line.matches("##vso[").count() == 1)
}

/// Asserts that no output line carries a raw ESC or CR, starts with `::` or `##` (after
/// whitespace, as the GitHub runner reads it) unless it is the tool's own annotation, or holds
/// `##vso[` / `##[` anywhere (as an Azure Pipelines agent reads it).
fn assert_no_injection(all: &Outputs) {
    for (what, text) in all {
        assert!(
            !text.contains('\u{1b}'),
            "{what} prints a raw ESC:\n{text:?}"
        );
        assert!(!text.contains('\r'), "{what} prints a raw CR:\n{text:?}");
        for line in text.lines() {
            if own_annotation(line) {
                continue;
            }
            let trimmed = line.trim_start();
            // A Markdown heading of the tool's own (`## Move …`) is no command: an agent acts
            // on `##[` and `##vso[` only.
            let heading = trimmed.trim_start_matches('#').starts_with(' ');
            assert!(
                !trimmed.starts_with("::") && (!trimmed.starts_with("##") || heading),
                "{what} prints a line a CI runner would execute: {line:?}\n{text}"
            );
            assert!(
                !line.contains("##vso[") && !line.contains("##["),
                "{what} prints an Azure Pipelines command: {line:?}\n{text}"
            );
        }
    }
}

/// The secrets of [`secret_tree`], each written a different way.
const SECRETS: &[&str] = &[
    "S3cr3tSINGLE",
    "S3cr3tDOUBLE",
    "S3cr3tSPACED",
    "S3cr3tUESCAPE",
    "S3cr3tSLASH",
    "S3cr3tUSERINFO",
    "S3cr3tNAMED",
    "S3cr3tKEYNAME",
    "S3cr3tTOKEN",
    "S3cr3tHUB",
    "S3cr3tCONTEXT",
    "S3cr3tCONFIG",
    "S3cr3tBROKEN",
    "S3cr3tBAREWORD",
    "S3cr3tBROKENHOST",
    "S3cr3tDTS",
];

/// The settings that plant the secrets of [`SECRETS`] (JSON members, escapes as written).
const SECRET_SETTINGS: &[&str] = &[
    r#""AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey='S3cr3tSINGLE;x';EndpointSuffix=core.windows.net""#,
    r#""SQLDB_Connection": "Server=tcp:x.database.windows.net;Password=\"S3cr3tDOUBLE;y\";User Id=u""#,
    r#""Spaced": "Server=x; Pwd = S3cr3tSPACED ;Database=d""#,
    r#""Escaped": "DefaultEndpointsProtocol=https;AccountKey\u003dS3cr3tUESCAPE;x=1""#,
    r#""Slashed": "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a\/S3cr3tSLASH""#,
    r#""Proxy": "https://user:S3cr3tUSERINFO@host.example/x""#,
    r#""DB_PASSWORD": "S3cr3tNAMED""#,
    r#""OPENAI_API_KEY": "S3cr3tKEYNAME""#,
    r#""GITHUB_TOKEN": "S3cr3tTOKEN""#,
    r#""DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "Endpoint=https://s.westus.durabletask.io;Authentication=ManagedIdentity;Password = 'S3cr3tDTS;z'""#,
];

/// A tree whose files plant [`SECRETS`]:
/// - `oneline/`: every secret setting on the one line of local.settings.json, so each finding
///   there shows all of them in its excerpt, and each change of the file is a change of a line
///   that holds them; a literal hub name holding a quoted password (the DTS101 fix names it);
/// - `spread/`: the same settings one per line, the last of them two lines above where the
///   migration adds its settings (context lines of `--diff`);
/// - `broken/`: a local.settings.json and a host.json that do not parse, a secret-named
///   setting on the line of each error, one of them a bare word;
/// - the configuration's `local-connection-string` holds an `AccountKey`, which the DTS201 fix
///   writes into local.settings.json (and SARIF used to show in its `fixes`).
fn secret_tree() -> Tree {
    let tree = Tree::new();
    fs::write(
        tree.path().join("dts-migrate.toml"),
        "[migration]\nlocal-connection-string = \"Endpoint=http://localhost:8080;Authentication=None;AccountKey=S3cr3tCONFIG\"\n",
    )
    .unwrap();
    let oneline = tree.legacy_app("oneline");
    fs::write(
        oneline.join("local.settings.json"),
        format!(
            "{{\"IsEncrypted\": false, \"Values\": {{{}, \"FUNCTIONS_WORKER_RUNTIME\": \"python\"}}}}\n",
            SECRET_SETTINGS.join(", ")
        ),
    )
    .unwrap();
    fs::write(
        oneline.join("host.json"),
        LEGACY_HOST.replace("\"ReportsHub\"", r#""Hub;Password='S3cr3tHUB;z'""#),
    )
    .unwrap();
    spread_app(&tree, SECRET_SETTINGS);
    // An app already on the scheduler, whose connection string DTS202 checks (the legacy apps
    // above are held by --write: that string would be an error they do not have now).
    let on_dts = tree.legacy_app("on-dts");
    fs::write(
        on_dts.join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"extensions\": {\n    \"durableTask\": {\n      \"hubName\": \"%TASKHUB_NAME%\",\n      \"storageProvider\": {\n        \"type\": \"azureManaged\",\n        \"connectionStringName\": \"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\"\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    fs::write(
        on_dts.join("local.settings.json"),
        format!(
            "{{\n  \"IsEncrypted\": false,\n  \"Values\": {{\n    {},\n    \"TASKHUB_NAME\": \"default\",\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"python\"\n  }}\n}}\n",
            SECRET_SETTINGS[SECRET_SETTINGS.len() - 1]
        ),
    )
    .unwrap();
    let broken = tree.legacy_app("broken");
    fs::write(
        broken.join("local.settings.json"),
        "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"DB_PASSWORD\": \"S3cr3tBROKEN\" \"FUNCTIONS_WORKER_RUNTIME\": \"python\"\n  }\n}\n",
    )
    .unwrap();
    let broken_host = tree.legacy_app("broken-host");
    fs::write(
        broken_host.join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"ClientSecret\": S3cr3tBAREWORD,\n  \"extensions\": {}\n}\n",
    )
    .unwrap();
    fs::write(
        broken_host.join("local.settings.json"),
        "{\n  \"Values\": {\n    \"StorageAccountKey\": \"S3cr3tBROKENHOST\n  }\n}\n",
    )
    .unwrap();
    tree
}

/// `spread/`: a legacy app whose local.settings.json holds `settings` one per line, then
/// `"API_KEY": "S3cr3tCONTEXT"` two lines above the line the migration changes.
fn spread_app(tree: &Tree, settings: &[&str]) {
    let spread = tree.legacy_app("spread");
    let mut text = String::from("{\n  \"IsEncrypted\": false,\n  \"Values\": {\n");
    for s in settings {
        text.push_str(&format!("    {s},\n"));
    }
    text.push_str("    \"API_KEY\": \"S3cr3tCONTEXT\",\n    \"WEBSITE_SITE_NAME\": \"spread\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"python\"\n  }\n}\n");
    fs::write(spread.join("local.settings.json"), text).unwrap();
}

/// No secret of [`secret_tree`] appears in any output of any format, report file, diff or
/// write summary; the files that do not parse are masked too (DTS501 excerpts).
#[test]
fn no_secret_reaches_any_output() {
    let tree = secret_tree();
    let all = every_output(tree.path());
    assert_no_secret(&all, SECRETS);
    assert_no_injection(&all);
    // The secrets were there to be shown: the excerpts and messages mask them.
    let human = &all
        .iter()
        .find(|(what, _)| what == "dts-migrate check --format human .: stdout")
        .unwrap()
        .1;
    assert!(
        human.contains(r#""DB_PASSWORD": "***" "FUNCTIONS"#),
        "{human}"
    );
    assert!(
        human.contains(r#"the old hub name was "Hub;Password='***'""#),
        "{human}"
    );
    assert!(human.contains(r#""StorageAccountKey": "***"#), "{human}");
    let concise = &all
        .iter()
        .find(|(what, _)| what == "dts-migrate check --format concise .: stdout")
        .unwrap()
        .1;
    assert!(
        concise.contains("broken-host/host.json:3:19: DTS501"),
        "{concise}"
    );
    // The scheduler's connection string is checked (DTS202), its excerpt masked.
    assert!(
        all.iter()
            .any(|(what, text)| what.contains("human") && text.contains("Password = '***'")),
        "no DTS202 excerpt"
    );
}

/// The text of [`injection_tree`] that a console or CI runner would act on.
const HOSTILE_VALUE: &str =
    r"Hub\n##vso[task.setvariable variable=x]y\n::error::value\u001b[31m\r::warning::cr";

/// A tree with a folder named `\n::error::x` and one named `\n##vso[…]`, each a legacy app, a
/// host.json whose hub name holds `\n##vso[task.setvariable …]`, `\n::error::` and ESC (the
/// DTS101 fix names it), a local.settings.json with such a setting name, and a host.json that
/// does not parse with a raw ESC and a raw CR on the line of its error.
fn injection_tree() -> Tree {
    let tree = Tree::new();
    tree.legacy_app("\n::error::x");
    tree.legacy_app("\n##vso[task.setvariable variable=v]w");
    let valued = tree.legacy_app("valued");
    fs::write(
        valued.join("host.json"),
        LEGACY_HOST.replace("\"ReportsHub\"", &format!("\"{HOSTILE_VALUE}\"")),
    )
    .unwrap();
    fs::write(
        valued.join("local.settings.json"),
        format!("{{\n  \"IsEncrypted\": false,\n  \"Values\": {{\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\",\n    \"{HOSTILE_VALUE}\": \"{HOSTILE_VALUE}\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"python\"\n  }}\n}}\n"),
    )
    .unwrap();
    let raw = tree.legacy_app("raw");
    fs::write(
        raw.join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"hubName\": \"\u{1b}[2J\r::error::raw\" ##vso[task.complete result=Failed]\n}\n",
    )
    .unwrap();
    tree
}

/// No console format prints a raw ESC or CR, or a line a CI runner would execute, from folder
/// names, values or the raw text of a file that does not parse; the github and azure formats
/// still print their own annotations, escaped by their own rules.
#[test]
fn no_console_line_runs_a_ci_command() {
    let tree = injection_tree();
    let all = every_output(tree.path());
    assert_no_injection(&all);
    let stdout = |format: &str| {
        &all.iter()
            .find(|(what, _)| *what == format!("dts-migrate check --format {format} .: stdout"))
            .unwrap()
            .1
    };
    // The folder is shown escaped, and the CI formats keep their own syntax.
    assert!(
        stdout("concise").contains("\\n\\u{3a}:error\\u{3a}:x/host.json:"),
        "{}",
        stdout("concise")
    );
    let github = stdout("github");
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::")
                && l.contains(" file=\\n\\u{3a}%3Aerror\\u{3a}%3Ax/host.json,")),
        "{github}"
    );
    let azure = stdout("azure");
    assert!(
        azure
            .lines()
            .any(|l| l.starts_with("##vso[task.logissue type=")
                && l.contains("sourcepath=\\n\\u{23}#vso[")),
        "{azure}"
    );
    assert!(
        stdout("human").contains("raw/host.json"),
        "{}",
        stdout("human")
    );
}

/// A 5 MB file of `AccountKey=x;` lines (and one of `AccountKey=` without end, which used to
/// make the masking quadratic: minutes) is masked in time linear in its size: the human report
/// builds its masked excerpt, and the whole run stays within a debug-build bound.
#[test]
fn a_5_mb_file_of_account_keys_masks_in_linear_time() {
    let tree = Tree::new();
    for (name, unit) in [("lines", "AccountKey=x;\n"), ("endless", "AccountKey=")] {
        let app = tree.legacy_app(name);
        let text = unit.repeat(5_000_000 / unit.len());
        fs::write(app.join("host.json"), text).unwrap();
    }
    let started = Instant::now();
    let all = outputs(tree.path(), &["check", "--format", "human", "."]);
    let elapsed = started.elapsed();
    let human = &all[0].1;
    assert!(
        human.contains("AccountKey=***"),
        "{}",
        &human[..human.len().min(4000)]
    );
    assert!(
        !human.contains("AccountKey=x"),
        "{}",
        &human[..human.len().min(4000)]
    );
    // Release: well under a second (README, Robustness); debug builds are given 10 s.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

/// `--diff` stays applicable with `patch -p1` when secrets sit beside and on its changes: a
/// secret on a context line is left out of the context, a change whose own line holds a secret
/// is not shown (stderr says so, and that `--write` applies it), and the other hunks apply
/// cleanly and give what `--write` writes.
#[test]
fn diff_with_secrets_applies_with_patch() {
    let tree = Tree::new();
    let plain: Vec<&str> = SECRET_SETTINGS
        .iter()
        .copied()
        .filter(|s| !s.contains("DURABLE_TASK"))
        .collect();
    spread_app(&tree, &plain);
    let oneline = tree.legacy_app("oneline");
    fs::write(
        oneline.join("local.settings.json"),
        format!(
            "{{\"IsEncrypted\": false, \"Values\": {{{}, \"FUNCTIONS_WORKER_RUNTIME\": \"python\"}}}}\n",
            plain.join(", ")
        ),
    )
    .unwrap();
    // Secrets on the lines right before and after a change: a hunk with no context at all.
    let tight = tree.legacy_app("tight");
    fs::write(
        tight.join("host.json"),
        LEGACY_HOST.replace(
            "      \"hubName\": \"ReportsHub\",\n",
            "      \"apiToken\": \"S3cr3tNAMED\",\n      \"hubName\": \"ReportsHub\",\n      \"sessionSecret\": \"S3cr3tNAMED\",\n",
        ),
    )
    .unwrap();
    let all = outputs(tree.path(), &["check", "--diff", "."]);
    let (diff, stderr) = (&all[0].1, &all[1].1);
    assert_no_secret(&all, SECRETS);
    assert!(diff.contains("--- a/spread/local.settings.json"), "{diff}");
    assert!(
        diff.contains(
            "\n-      \"hubName\": \"ReportsHub\",\n+      // dts-migrate: task hub \"ReportsHub\", migrated from AzureStorage (dts-migrate plan reads this)\n+      \"hubName\": \"%TASKHUB_NAME%\",\n@@"
        ),
        "no hunk without context around tight/host.json's hub name:\n{diff}"
    );
    assert!(
        stderr.contains("oneline/local.settings.json: the change at line 1 holds a secret")
            && stderr.contains("--write applies it"),
        "{stderr}"
    );
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the patch half: `patch` is not installed");
        return;
    }
    let patched = tempfile::tempdir().unwrap();
    copy_tree(tree.path(), patched.path());
    let mut child = std::process::Command::new("patch")
        .args(["-p1", "--forward", "--batch"])
        .current_dir(patched.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(diff.as_bytes())
        .unwrap();
    let result = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "patch failed:\n{said}\n{diff}");
    assert!(!said.contains("fuzz") && !said.contains("offset"), "{said}");
    let written = tempfile::tempdir().unwrap();
    copy_tree(tree.path(), written.path());
    outputs(written.path(), &["check", "--write", "."]);
    // Every shown change is what --write writes: all but oneline/local.settings.json.
    for file in [
        "spread/local.settings.json",
        "spread/host.json",
        "good/host.json",
        "good/local.settings.json",
        "oneline/host.json",
        "tight/host.json",
        "tight/local.settings.json",
    ] {
        assert_eq!(
            fs::read_to_string(patched.path().join(file)).unwrap(),
            fs::read_to_string(written.path().join(file)).unwrap(),
            "{file}: the patch gives another file than --write\n{diff}"
        );
    }
    // The change left out is not applied by the patch.
    assert_eq!(
        fs::read_to_string(patched.path().join("oneline/local.settings.json")).unwrap(),
        fs::read_to_string(tree.path().join("oneline/local.settings.json")).unwrap(),
    );
}
