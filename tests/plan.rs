//! `dts-migrate plan` on the fixtures of `fixtures/plan/`: every format as an insta snapshot,
//! the shell plan run with a fake `az`, the JSON plan against its schema, the Bicep module's
//! structure, and the same hubs before and after `check --write`.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use dts_migrate::model::App;
use dts_migrate::plan::{self, AppInput, Identity, PlanOptions, Sku};
use dts_migrate::source::read::{Limits, Reader};

/// The plan's inputs for the apps under `dir`, read with the library.
fn inputs(dir: &Path) -> Vec<AppInput> {
    let discovery = dts_migrate::discover::discover(&[dir.to_path_buf()], 1).unwrap();
    let reader = Reader::disk(Limits::default());
    discovery
        .apps
        .iter()
        .filter_map(|files| {
            let app = App::load(files, Vec::new(), &reader);
            let rel = files
                .dir
                .strip_prefix(dir)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| files.dir.clone());
            let path = if rel.as_os_str().is_empty() {
                ".".to_string()
            } else {
                rel.to_string_lossy().replace('\\', "/")
            };
            plan::adapter::app_input(&app, path, (Vec::new(), Vec::new()))
        })
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/plan").join(name)
}

fn known() -> PlanOptions {
    PlanOptions {
        resource_group: Some("rg-orders".into()),
        scheduler: Some("orders-dts".into()),
        location: Some("westeurope".into()),
        sku: Some(Sku::Consumption),
        app_names: plan::AppNames::Template("func-{app}".into()),
        ..PlanOptions::default()
    }
}

fn cases() -> Vec<(&'static str, &'static str, PlanOptions)> {
    let uami = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-id";
    vec![
        ("isolated-literal-hub", "isolated-literal-hub", known()),
        ("python-my-hub", "python-my-hub", PlanOptions::default()),
        ("shared-scheduler", "shared-scheduler", known()),
        ("shared-hub", "shared-hub", known()),
        ("already-dts", "already-dts", known()),
        (
            "user-assigned-identity",
            "isolated-literal-hub",
            PlanOptions {
                identity: Identity::UserAssigned(uami.into()),
                sku: Some(Sku::Dedicated),
                capacity: Some(2),
                ip_allowlist: Some(vec!["10.0.0.0/8".into(), "192.168.1.1".into()]),
                ..known()
            },
        ),
    ]
}

fn plan_of(dir: &str, options: &PlanOptions) -> plan::Plan {
    plan::build(&inputs(&fixture(dir)), options, "default")
}

#[test]
fn every_format_of_every_case() {
    for (name, dir, options) in cases() {
        let p = plan_of(dir, &options);
        insta::assert_snapshot!(format!("{name}_shell"), plan::shell::render(&p));
        insta::assert_snapshot!(format!("{name}_pwsh"), plan::pwsh::render(&p));
        insta::assert_snapshot!(format!("{name}_markdown"), plan::markdown::render(&p));
        insta::assert_snapshot!(format!("{name}_json"), plan::json::render(&p));
        insta::assert_snapshot!(format!("{name}_bicep"), plan::bicep::render(&p));
        insta::assert_snapshot!(format!("{name}_summary"), plan::summary::render(&p, true));
    }
}

#[test]
fn no_format_prints_a_secret() {
    for (name, dir, options) in cases() {
        let p = plan_of(dir, &options);
        for text in [
            plan::shell::render(&p),
            plan::pwsh::render(&p),
            plan::markdown::render(&p),
            plan::json::render(&p),
            plan::bicep::render(&p),
        ] {
            for secret in [
                "c2VjcmV0LWtleS1uZXZlci1wcmludGVk",
                "hunter2",
                "bm90LWEtcmVhbC1rZXk",
                "AccountKey",
                "Password",
                "SharedAccessKey",
            ] {
                assert!(!text.contains(secret), "{name} prints {secret}");
            }
        }
    }
}

#[test]
fn two_apps_on_one_hub_are_reported_not_planned() {
    let p = plan_of("shared-hub", &known());
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].apps, ["alpha", "beta"]);
    assert!(p.apps.iter().all(|a| !a.planned));
    assert!(p.scheduler.task_hubs.is_empty());
}

/// `check --write` on two apps that would share a hub ends with the problem to solve, not with
/// Azure steps for no app ("set  on 0 function apps").
#[test]
fn the_write_summary_of_apps_that_cannot_be_planned_names_the_problem() {
    let dir = copy_of("shared-hub");
    let out = common::run(dir.path(), &["check", "--write", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("before the Azure steps can be planned"),
        "{err}"
    );
    assert!(err.contains("share the task hub \"SharedHub\""), "{err}");
    assert!(!err.contains("function apps"), "{err}");
}

#[test]
fn two_apps_share_one_scheduler_with_a_hub_each() {
    let p = plan_of("shared-scheduler", &known());
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.scheduler.task_hubs, ["billing", "shipping"]);
    let script = plan::shell::render(&p);
    assert_eq!(
        script.matches("durabletask' 'scheduler' 'create").count()
            + script.matches("durabletask scheduler create").count(),
        1,
        "{script}"
    );
}

#[test]
fn the_python_app_keeps_its_hub_setting_and_the_configured_connection_setting() {
    // The configuration of the fixture names the connection setting (DTS_CONNECTION); here the
    // library reads the facts' default, so only the hub setting is checked.
    let p = plan_of("python-my-hub", &PlanOptions::default());
    let app = &p.apps[0];
    assert_eq!(app.task_hub.name, "PyOrders");
    assert!(app.settings.iter().any(|s| s.name == "MY_HUB"));
    assert_eq!(app.remove_settings, ["SQL_CONN"]);
    // Nothing known: every value is a placeholder, never an empty argument.
    assert!(p.params.iter().all(|p| p.value.is_none()));
    let script = plan::shell::render(&p);
    assert!(!script.contains(" ''"), "{script}");
    assert!(!script.contains(" <"), "{script}");
}

/// A fake `az`: it records each call and fails on a subcommand or flag that reference §0 (and
/// the `az` documentation of the few commands around it) does not list, on an empty or
/// `<placeholder>` value, and on values Azure would refuse; `show` prints a fake endpoint.
const FAKE_AZ: &str = r#"#!/usr/bin/env bash
set -u
{ printf 'az'; printf ' %s' "$@"; printf '\n'; } >> "$FAKE_AZ_LOG"
fail() { echo "fake az: $*" >&2; exit 3; }
words=()
while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do words+=("$1"); shift; done
sub="${words[*]}"
# Reference §0 (Azure side), the az CLI reference for the rest; --output/-o and --query are
# global arguments of every command.
case "$sub" in
  "extension add") allowed="--name --upgrade --yes" ;;
  "durabletask scheduler create") allowed="--resource-group --name --location --sku-name --sku-capacity --ip-allowlist" ;;
  "durabletask scheduler show") allowed="--resource-group --name" ;;
  "durabletask scheduler attach") allowed="--resource-group --name --task-hub-name --role-type --target --identity" ;;
  "durabletask taskhub create") allowed="--resource-group --scheduler-name --name" ;;
  "durabletask taskhub show") allowed="--resource-group --scheduler-name --name" ;;
  "functionapp identity assign") allowed="--resource-group --name --identities" ;;
  "functionapp identity show") allowed="--resource-group --name" ;;
  "functionapp show") allowed="--resource-group --name" ;;
  "identity show") allowed="--ids" ;;
  "role assignment create") allowed="--assignee-object-id --assignee-principal-type --role --scope" ;;
  "functionapp config appsettings set") allowed="--resource-group --name --settings" ;;
  "functionapp config appsettings delete") allowed="--resource-group --name --setting-names" ;;
  *) fail "unknown subcommand: $sub" ;;
esac
declare -A value
settings=()
while [ $# -gt 0 ]; do
  flag="$1"; shift
  case " $allowed --output --query " in *" $flag "*) ;; *) fail "$sub: unknown flag $flag" ;; esac
  case "$flag" in --upgrade|--yes) value[$flag]=yes; continue ;; esac
  values=()
  while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do values+=("$1"); shift; done
  [ "${#values[@]}" -gt 0 ] || fail "$sub: $flag has no value"
  for v in "${values[@]}"; do
    [ -n "$v" ] || fail "$sub: $flag is empty"
    case "$v" in "<"*|*">"*) fail "$sub: $flag is a placeholder: $v" ;; esac
  done
  [ "$flag" = --settings ] && settings=("${values[@]}")
  value[$flag]="${values[*]}"
done
need() { for f in "$@"; do [ -n "${value[$f]:-}" ] || fail "$sub: $f is required"; done; }
case "$sub" in
  "durabletask scheduler create")
    need --resource-group --name --location --sku-name --ip-allowlist
    case "${value[--sku-name]}" in Consumption|Dedicated) ;; *) fail "bad --sku-name ${value[--sku-name]}" ;; esac
    case "${value[--ip-allowlist]}" in '["'*'"]') ;; *) fail "--ip-allowlist is not a JSON list: ${value[--ip-allowlist]}" ;; esac
    [ -z "${value[--sku-capacity]:-}" ] || [ "${value[--sku-name]}" = Dedicated ] || fail "--sku-capacity without Dedicated" ;;
  "durabletask scheduler show")
    need --resource-group --name
    [ "${value[--query]:-}" = properties.endpoint ] || fail "scheduler show without --query properties.endpoint"
    echo "https://${value[--name]}-a1b2c3.westeurope.durabletask.io" ;;
  "durabletask taskhub create")
    need --resource-group --scheduler-name --name
    echo "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${value[--resource-group]}/providers/Microsoft.DurableTask/schedulers/${value[--scheduler-name]}/taskHubs/${value[--name]}" ;;
  "durabletask taskhub show")
    need --resource-group --scheduler-name --name
    echo "https://dashboard.durabletask.io/?taskhub=${value[--name]}" ;;
  "functionapp identity assign")
    need --resource-group --name
    [ -z "${value[--query]:-}" ] || echo "11111111-1111-1111-1111-111111111111" ;;
  "identity show")
    need --ids
    echo "22222222-2222-2222-2222-222222222222" ;;
  "role assignment create")
    need --assignee-object-id --assignee-principal-type --role --scope
    [ "${value[--assignee-principal-type]}" = ServicePrincipal ] || fail "principal type"
    [ "${value[--role]}" = 0ad04412-c4d5-4796-b79c-f76d14c8d402 ] || fail "not the Durable Task Data Contributor role"
    case "${value[--scope]}" in /subscriptions/*/taskHubs/*) ;; *) fail "scope is not a task hub: ${value[--scope]}" ;; esac ;;
  "functionapp config appsettings set")
    need --resource-group --name --settings
    [ "${value[--output]:-}" = none ] || fail "appsettings set prints every setting: use --output none"
    for s in "${settings[@]}"; do
      case "$s" in *=*) ;; *) fail "setting without =: $s" ;; esac
      case "$s" in *Endpoint=*) case "$s" in *"=Endpoint=https://"*".durabletask.io;Authentication=ManagedIdentity"*) ;; *) fail "bad connection string: $s" ;; esac ;; esac
    done ;;
  "functionapp config appsettings delete")
    need --resource-group --name --setting-names
    case " ${value[--setting-names]} " in *" AzureWebJobsStorage "*) fail "AzureWebJobsStorage must stay" ;; esac ;;
esac
exit 0
"#;

/// Runs `script` with the fake `az` first on PATH; returns the exit code, the calls and stderr.
fn run_with_fake_az(script: &str, env: &[(&str, &str)]) -> (Option<i32>, Vec<String>, String) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let az = bin.join("az");
    std::fs::write(&az, FAKE_AZ).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let plan = dir.path().join("plan.sh");
    std::fs::write(&plan, script).unwrap();
    let log = dir.path().join("az.log");
    std::fs::write(&log, "").unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = std::process::Command::new("bash");
    command
        .arg(&plan)
        .env("PATH", path)
        .env("FAKE_AZ_LOG", &log)
        .env_remove("DRAINED")
        .env_remove("REMOVE_OLD_SETTINGS");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let calls = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    (
        output.status.code(),
        calls,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_shell_plan_runs_unattended_against_a_fake_az() {
    for (name, dir, options) in cases() {
        let script = plan::shell::render(&plan_of(dir, &options));
        let env: Vec<(&str, &str)> = if name == "python-my-hub" {
            vec![
                ("RESOURCE_GROUP", "rg-py"),
                ("SCHEDULER", "py-dts"),
                ("LOCATION", "northeurope"),
                ("SKU", "Consumption"),
                ("APP_PYAPP", "py-func"),
            ]
        } else {
            Vec::new()
        };
        let (code, calls, err) = run_with_fake_az(&script, &env);
        assert_eq!(code, Some(0), "{name}: {err}\n{script}");
        assert!(
            calls
                .iter()
                .any(|c| c.starts_with("az durabletask scheduler create")),
            "{name}: {calls:?}"
        );
        // A first run changes no legacy app's settings and removes nothing.
        if name != "already-dts" {
            assert!(
                !calls.iter().any(|c| c.contains("appsettings")),
                "{name}: {calls:?}"
            );
        }
        let mut all = env.clone();
        all.extend([("DRAINED", "yes"), ("REMOVE_OLD_SETTINGS", "yes")]);
        let (code, calls, err) = run_with_fake_az(&script, &all);
        assert_eq!(code, Some(0), "{name}: {err}");
        let planned = plan_of(dir, &options).planned_apps().count();
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.starts_with("az functionapp config appsettings set"))
                .count(),
            planned,
            "{name}: {calls:?}"
        );
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.starts_with("az role assignment create"))
                .count(),
            planned,
            "{name}: {calls:?}"
        );
        insta::assert_snapshot!(format!("{name}_az_calls"), calls.join("\n"));
    }
}

#[test]
fn the_shell_plan_names_what_it_does_not_know_and_runs_nothing() {
    let script = plan::shell::render(&plan_of("python-my-hub", &PlanOptions::default()));
    let (code, calls, err) = run_with_fake_az(&script, &[]);
    assert_eq!(code, Some(2));
    assert!(calls.is_empty(), "{calls:?}");
    for var in [
        "RESOURCE_GROUP",
        "SCHEDULER",
        "LOCATION",
        "SKU",
        "APP_PYAPP",
    ] {
        assert!(err.contains(&format!("set {var}: ")), "{err}");
    }
    let (code, _, err) = run_with_fake_az(
        &script,
        &[
            ("RESOURCE_GROUP", "rg"),
            ("SCHEDULER", "s-dts"),
            ("LOCATION", "x"),
            ("SKU", "Premium"),
            ("APP_PYAPP", "f"),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("SKU must be one of Consumption, Dedicated"),
        "{err}"
    );
}

#[test]
fn the_fake_az_refuses_what_azure_would() {
    for bad in [
        "az durabletask scheduler create --resource-group r --name n --location l --sku-name Consumption",
        "az durabletask scheduler create --resource-group r --name n --location l --sku-name Basic --ip-allowlist '[\"0.0.0.0/0\"]'",
        "az durabletask taskhub create --resource-group r --scheduler-name s --name h --hub-name h",
        "az durabletask scheduler delete --resource-group r --name n",
        "az role assignment create --assignee x --role r --scope s",
        "az functionapp config appsettings set --resource-group r --name n --settings A=1",
        "az durabletask taskhub create --resource-group '' --scheduler-name s --name h",
        "az durabletask taskhub create --resource-group '<RG>' --scheduler-name s --name h",
    ] {
        let (code, _, _) = run_with_fake_az(&format!("set -e\n{bad}\n"), &[]);
        assert_eq!(code, Some(3), "accepted: {bad}");
    }
}

/// A JSON Schema check of the keywords `docs/plan.schema.json` uses: `type`, `const`, `enum`,
/// `required`, `properties`, `additionalProperties: false`, `items`, `prefixItems`,
/// `minItems`, `minimum`, `minLength`, `$ref`, `oneOf`, `not`, and the two `pattern`s the
/// plan relies on (hub names, variables), checked by hand.
fn validate(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    let Some(s) = schema.as_object() else { return };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        validate(&root["$defs"][name], root, value, at, errors);
        return;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(c) = s.get("const") {
        if c != value {
            errors.push(format!("{at}: {value} is not {c}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            errors.push(format!("{at}: {value} is not one of {e:?}"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), value.as_str()) {
        let ok = match p {
            "^[a-zA-Z0-9-]{3,64}$" => plan::names::is_valid_hub_name(text),
            "^[A-Z][A-Z0-9_]*$" => {
                text.starts_with(|c: char| c.is_ascii_uppercase())
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            }
            "^[A-Z_]+!?=yes$" => {
                text.ends_with("=yes")
                    && text
                        .trim_end_matches("=yes")
                        .trim_end_matches('!')
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b == b'_')
            }
            "^--[a-z-]+$" => {
                text.starts_with("--") && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            }
            "^DTS[0-9]{3}$" => text.len() == 6 && text.starts_with("DTS"),
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: {text:?} does not match {p}"));
        }
    }
    if let Some(n) = s.get("not") {
        if n.get("pattern").is_some()
            && value
                .as_str()
                .is_some_and(|t| t.to_ascii_lowercase().starts_with("azurewebjobsstorage"))
        {
            errors.push(format!("{at}: {value} must not be AzureWebJobsStorage"));
        }
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_u64) {
        if value.as_u64().is_some_and(|v| v < min) {
            errors.push(format!("{at}: {value} < {min}"));
        }
    }
    if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
        if value
            .as_str()
            .is_some_and(|v| (v.chars().count() as u64) < min)
        {
            errors.push(format!("{at}: {value} is too short"));
        }
    }
    if let Some(options) = s.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(o, root, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{at}: {value} matches {matching} of oneOf"));
        }
    }
    if let Some(obj) = value.as_object() {
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str() {
                if !obj.contains_key(r) {
                    errors.push(format!("{at}: missing {r}"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(ps, root, v, &format!("{at}.{k}"), errors),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: unexpected {k}"))
                }
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                errors.push(format!("{at}: fewer than {min} items"));
            }
        }
        let prefix = s.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let schema = prefix.and_then(|p| p.get(i)).or_else(|| s.get("items"));
            if let Some(schema) = schema {
                validate(schema, root, item, &format!("{at}[{i}]"), errors);
            }
        }
    }
}

#[test]
fn the_json_plan_matches_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(plan::json::SCHEMA).unwrap();
    let on_disk = std::fs::read_to_string(root().join("docs/plan.schema.json")).unwrap();
    assert_eq!(on_disk, plan::json::SCHEMA);
    for (name, dir, options) in cases() {
        let doc: serde_json::Value =
            serde_json::from_str(&plan::json::render(&plan_of(dir, &options))).unwrap();
        let mut errors = Vec::new();
        validate(&schema, &schema, &doc, "$", &mut errors);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // The check does catch a wrong document.
    let mut doc: serde_json::Value =
        serde_json::from_str(&plan::json::render(&plan_of("already-dts", &known()))).unwrap();
    doc["apps"][0]["task_hub"]["name"] = "no".into();
    doc["scheduler"]["extra"] = 1.into();
    let mut errors = Vec::new();
    validate(&schema, &schema, &doc, "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn the_bicep_module_is_well_formed() {
    for (name, dir, options) in cases() {
        let p = plan_of(dir, &options);
        let bicep = plan::bicep::render(&p);
        // Brackets balance outside strings and comments.
        let mut depth = 0i32;
        for line in bicep.lines() {
            let code = if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            };
            let mut in_string = false;
            let mut escaped = false;
            for c in code.chars() {
                match c {
                    '\\' if in_string && !escaped => {
                        escaped = true;
                        continue;
                    }
                    '\'' if !escaped => in_string = !in_string,
                    '{' | '[' | '(' if !in_string => depth += 1,
                    '}' | ']' | ')' if !in_string => depth -= 1,
                    _ => {}
                }
                escaped = false;
            }
            assert!(!in_string, "{name}: unterminated string in {line}");
            assert!(depth >= 0, "{name}: {line}");
        }
        assert_eq!(depth, 0, "{name}");
        assert!(
            bicep.contains("resource scheduler 'Microsoft.DurableTask/schedulers@2026-02-01' = {"),
            "{name}"
        );
        assert!(
            bicep.contains("    ipAllowlist: ipAllowlist\n    sku: {\n      name: skuName"),
            "{name}"
        );
        assert!(bicep.contains("param ipAllowlist array = [\n  '"), "{name}");
        let declared: Vec<&str> = bicep
            .lines()
            .filter_map(|l| l.strip_prefix("resource "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for app in p.planned_apps() {
            let k = &app.key;
            for (resource, kind) in [
                (format!("hub_{k}"), "'Microsoft.DurableTask/schedulers/taskHubs@2026-02-01' = {\n  parent: scheduler\n"),
                (format!("site_{k}"), "'Microsoft.Web/sites@2024-04-01' existing"),
                (format!("role_{k}"), "'Microsoft.Authorization/roleAssignments@2022-04-01'"),
                (format!("settings_{k}"), "'Microsoft.Web/sites/config@2024-04-01'"),
            ] {
                assert!(bicep.contains(&format!("resource {resource} {kind}")), "{name}: {resource}");
            }
            assert!(
                bicep.contains(&format!("  scope: hub_{k}\n")),
                "{name}: role at hub scope"
            );
            assert!(
                bicep.contains("roleDefinitions', dataContributorRoleId)"),
                "{name}"
            );
            assert!(
                bicep.contains(
                    "Endpoint=${scheduler.properties.endpoint};Authentication=ManagedIdentity"
                ),
                "{name}"
            );
        }
        // Every reference `x.` or `parent: x` names a declared resource or parameter.
        for reference in bicep.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        {
            if let Some((head, _)) = reference.split_once('.') {
                if head.starts_with("hub_")
                    || head.starts_with("site_")
                    || head.starts_with("role_")
                    || head == "scheduler"
                    || head == "userIdentity"
                {
                    assert!(declared.contains(&head), "{name}: {head} is not declared");
                }
            }
        }
        let params: Vec<&str> = bicep
            .lines()
            .filter_map(|l| l.strip_prefix("param "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for used in ["schedulerName", "location", "skuName", "ipAllowlist"] {
            assert!(params.contains(&used), "{name}: param {used}");
        }
        if p.user_identity_var.is_some() {
            assert!(
                params.contains(&"userIdentityId")
                    && bicep.contains("ClientID=${userIdentity.properties.clientId}"),
                "{name}"
            );
        }
    }
}

/// A copy of a fixture in a temporary folder.
fn copy_of(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(name), dir.path());
    dir
}

/// `dts-migrate plan --format json` in `dir`, with its exit code.
fn cli_plan(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["plan", "--format", "json"];
    args.extend_from_slice(extra);
    let out = common::run(dir, &args);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), doc)
}

/// What must not change across `check --write`: each app's hub, drain, settings, old settings.
fn stable_part(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            serde_json::json!([
                a["path"],
                a["task_hub"],
                a["state"],
                a["drain"],
                a["settings"],
                a["remove_settings"],
                a["planned"]
            ])
        })
        .collect()
}

#[test]
fn plan_before_and_after_check_write_gives_the_same_hubs() {
    for (name, _, _) in cases().into_iter().filter(|(n, d, _)| n == d) {
        let dir = copy_of(name);
        let (_, before) = cli_plan(dir.path(), &[]);
        let out = common::run(dir.path(), &["check", "--write", "."]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}");
        let (_, after) = cli_plan(dir.path(), &[]);
        assert_eq!(stable_part(&before), stable_part(&after), "{name}");
        assert!(
            after["apps"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["file_changes"].as_array().unwrap().is_empty() || name == "shared-hub"),
            "{name}: {after}"
        );
    }
}

#[test]
fn a_second_write_changes_nothing_and_keeps_the_note() {
    let dir = copy_of("isolated-literal-hub");
    common::run(dir.path(), &["check", "--write", "."]);
    let host = dir.path().join("orders/host.json");
    let first = std::fs::read_to_string(&host).unwrap();
    assert!(
        first.contains("      // dts-migrate: task hub \"OrdersHub\", migrated from AzureStorage, old settings TrackingStorage (dts-migrate plan reads this)\n      \"hubName\": \"%TASKHUB_NAME%\","),
        "{first}"
    );
    let local = std::fs::read_to_string(dir.path().join("orders/local.settings.json")).unwrap();
    assert!(local.contains("\"TASKHUB_NAME\": \"default\""), "{local}");
    let out = common::run(dir.path(), &["check", "--write", "."]);
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty()
            || !String::from_utf8_lossy(&out.stderr).contains("Fixed")
    );
    assert_eq!(std::fs::read_to_string(&host).unwrap(), first);
    // The migrated app checks clean of backend findings: the note is a plain comment.
    let report = common::check_json(dir.path(), &["."], &[]);
    assert!(
        !common::codes(&report)
            .iter()
            .any(|c| c.starts_with("DTS1") || c == "DTS501"),
        "{report}"
    );
}

#[test]
fn check_write_ends_with_the_plan_summary() {
    let dir = copy_of("shared-scheduler");
    let out = common::run(dir.path(), &["check", "--write", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("  - create a scheduler (--scheduler) and 2 task hubs: billing and shipping;"),
        "{err}"
    );
    assert!(err.contains("Durable Task Data Contributor role"), "{err}");
    assert!(!err.contains("  billing: task hub"), "{err}");
    let dir = copy_of("shared-scheduler");
    let out = common::run(dir.path(), &["check", "--write", "-v", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("  billing: task hub billing (TASKHUB_NAME), from Azure Storage"),
        "{err}"
    );
    assert!(
        err.contains("  shipping: task hub shipping (TASKHUB_NAME), from Azure Storage"),
        "{err}"
    );
}

#[test]
fn the_cli_fills_placeholders_reads_the_configuration_and_reports_problems() {
    let (code, doc) = cli_plan(&fixture("python-my-hub"), &[]);
    assert_eq!(code, Some(0));
    // dts-migrate.toml names the connection setting.
    assert_eq!(doc["apps"][0]["settings"][0]["name"], "DTS_CONNECTION");
    assert_eq!(doc["apps"][0]["file_changes"][0]["code"], "DTS101");
    assert!(doc["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["value"].is_null()));
    let (code, doc) = cli_plan(
        &fixture("shared-scheduler"),
        &[
            "--resource-group",
            "rg",
            "--scheduler",
            "s-dts",
            "--location",
            "westeurope",
            "--sku",
            "dedicated",
            "--capacity",
            "3",
            "--app-name",
            "fn-{app}",
            "--ip-allowlist",
            "10.0.0.0/8,20.1.2.3",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(doc["scheduler"]["capacity"], 3);
    assert_eq!(
        doc["scheduler"]["ip_allowlist"],
        serde_json::json!(["10.0.0.0/8", "20.1.2.3"])
    );
    let names: Vec<&str> = doc["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_str())
        .collect();
    assert!(
        names.contains(&"fn-billing") && names.contains(&"fn-shipping"),
        "{names:?}"
    );
    // Two apps on one hub: reported, exit 1.
    let out = common::run(&fixture("shared-hub"), &["plan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("share the task hub \"SharedHub\""));
    // One name for two apps is a usage error; a mapping file names each.
    let out = common::run(
        &fixture("shared-scheduler"),
        &["plan", "--app-name", "one-app"],
    );
    assert_eq!(out.status.code(), Some(2));
    let map = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        map.path(),
        "billing = \"bill-func\"\n\"shipping\" = \"ship-func\"\n",
    )
    .unwrap();
    let (_, doc) = cli_plan(
        &fixture("shared-scheduler"),
        &["--app-name", map.path().to_str().unwrap()],
    );
    let names: Vec<&str> = doc["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_str())
        .collect();
    assert_eq!(names, ["bill-func", "ship-func"]);
    // Every format and shell through the command line.
    for args in [
        &["--format", "shell"][..],
        &["--format", "shell", "--shell", "pwsh"],
        &["--format", "markdown"],
        &["--format", "bicep"],
    ] {
        let mut all = vec!["plan"];
        all.extend_from_slice(args);
        all.extend(["--identity", "/subscriptions/x/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"]);
        let out = common::run(&fixture("isolated-literal-hub"), &all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("OrdersHub"), "{args:?}");
        assert!(
            !text.contains("c2VjcmV0LWtleS1uZXZlci1wcmludGVk"),
            "{args:?}"
        );
    }
}

fn synthetic(name: &str) -> AppInput {
    AppInput {
        path: format!("apps/{name}"),
        name: name.to_string(),
        hosting: "Python".into(),
        old_backend: None,
        on_dts: true,
        hub: plan::HubInput::default(),
        hub_setting: Some("TASKHUB_NAME".into()),
        connection_setting: "DURABLE_TASK_SCHEDULER_CONNECTION_STRING".into(),
        old_settings: Vec::new(),
        file_changes: Vec::new(),
        changed_files: Vec::new(),
        migrated: false,
        blocked: None,
    }
}

#[test]
fn more_hubs_than_the_quota_are_reported_and_names_are_made_valid() {
    let apps: Vec<AppInput> = ["a_1", "b.2", "c", "d-4", "e 5", "f6"]
        .iter()
        .map(|n| synthetic(n))
        .collect();
    let p = plan::build(
        &apps,
        &PlanOptions {
            sku: Some(Sku::Consumption),
            ..PlanOptions::default()
        },
        "default",
    );
    assert_eq!(
        p.scheduler.task_hubs,
        ["a-1", "b-2", "c-hub", "d-4", "e-5", "f6-hub"]
    );
    assert!(
        p.apps[0].notes[0].contains("\"a_1\" is not a valid DTS task hub name"),
        "{:?}",
        p.apps[0].notes
    );
    let quota: Vec<_> = p
        .problems
        .iter()
        .filter(|q| q.kind == plan::ProblemKind::Quota)
        .collect();
    assert_eq!(quota.len(), 1, "{:?}", p.problems);
    assert!(
        quota[0].message.contains("6 task hubs")
            && quota[0].message.contains("Dedicated SKU (25 task hubs)"),
        "{}",
        quota[0].message
    );
    let p = plan::build(
        &apps,
        &PlanOptions {
            sku: Some(Sku::Dedicated),
            ..PlanOptions::default()
        },
        "default",
    );
    assert!(
        p.problems
            .iter()
            .all(|q| q.kind != plan::ProblemKind::Quota),
        "{:?}",
        p.problems
    );
    // Folders of one name get hubs named after their paths, then a number; names from the
    // files never change (two of those on one hub are a problem).
    let p = plan::build(
        &[synthetic("x_y"), synthetic("x.y")],
        &PlanOptions::default(),
        "default",
    );
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.scheduler.task_hubs, ["apps-x-y", "apps-x-y-2"]);
    let mut a = synthetic("func");
    a.path = "orders/func".into();
    let mut b = synthetic("func");
    b.path = "billing/func".into();
    let p = plan::build(&[a.clone(), b.clone()], &PlanOptions::default(), "default");
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.scheduler.task_hubs, ["billing-func", "orders-func"]);
    assert!(p.apps[0].settings.iter().any(|s| s.value
        == plan::SettingValue::TaskHub {
            name: "billing-func".into()
        }));
    a.hub.literal = Some("Shared".into());
    b.hub.literal = Some("shared".into());
    let p = plan::build(&[a, b], &PlanOptions::default(), "default");
    assert!(
        p.problems
            .iter()
            .any(|q| q.kind == plan::ProblemKind::SharedHub),
        "{:?}",
        p.problems
    );
}

#[test]
fn hostile_folder_names_stay_inert_in_the_shell_plan() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("a'b $(touch pwned) `x` \"c\"");
    std::fs::create_dir(&app).unwrap();
    std::fs::write(
        app.join("host.json"),
        "{\"version\": \"2.0\", \"extensions\": {\"durableTask\": {\"hubName\": \"it's $(touch pwned2)\"}}, \"extensionBundle\": {\"id\": \"Microsoft.Azure.Functions.ExtensionBundle\", \"version\": \"[4.32.0, 5.0.0)\"}}",
    )
    .unwrap();
    std::fs::write(app.join("requirements.txt"), "azure-functions-durable\n").unwrap();
    let p = plan::build(&inputs(dir.path()), &known(), "default");
    assert_eq!(p.apps.len(), 1);
    assert_eq!(p.apps[0].task_hub.name, "it-s-touch-pwned2");
    let script = plan::shell::render(&p);
    let (code, calls, err) = run_with_fake_az(&script, &[("DRAINED", "yes")]);
    assert_eq!(code, Some(0), "{err}\n{script}");
    assert!(!calls.is_empty());
    assert!(!Path::new("pwned").exists() && !Path::new("pwned2").exists());
}
