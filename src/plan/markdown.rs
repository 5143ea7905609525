//! The plan as a pull-request description (`--format markdown`): the values, the problems,
//! the shared scheduler, then a section per app with the file changes `check --write` makes (or
//! made) and its commands in bash code blocks, step by step.

use std::fmt::Write as _;

use super::facts::azure;
use super::script::{self, one_line, Dialect, Step, StepKind};
use super::shell::Bash;
use super::{AppPlan, AppState, HubSource, OldHub, Plan, SettingValue};

/// Inline code that survives backticks in the text (CommonMark: a longer fence).
fn code(text: &str) -> String {
    let text = one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text for a table cell.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

fn block(steps: &[&Step], out: &mut String) {
    if steps.iter().all(|s| s.lines.is_empty()) {
        return;
    }
    out.push_str("```bash\n");
    for step in steps {
        let mut text = String::new();
        render_lines(&step.lines, &mut text, "");
        out.push_str(&text);
    }
    out.push_str("```\n");
}

fn render_lines(lines: &[script::Line], out: &mut String, indent: &str) {
    for line in lines {
        match line {
            script::Line::Comment(text) => Bash.comment(text, indent, out),
            script::Line::Say(word) => Bash.say(word, indent, out),
            script::Line::Run(command) => Bash.run(command, indent, out),
            script::Line::Gate {
                var,
                then,
                otherwise,
            } => {
                Bash.gate_open(var, indent, out);
                let inner = format!("{indent}  ");
                render_lines(then, out, &inner);
                if !otherwise.is_empty() {
                    Bash.gate_else(indent, out);
                    render_lines(otherwise, out, &inner);
                }
                Bash.gate_close(indent, out);
            }
        }
    }
}

fn hub_source(app: &AppPlan) -> String {
    let why = match app.task_hub.source {
        HubSource::OldHubName => "the old backend's hub name",
        HubSource::HostJson => "host.json's hubName",
        HubSource::LocalSettings => "the hub setting in local.settings.json",
        HubSource::AppFolder => "the app folder's name",
    };
    match &app.task_hub.sanitized_from {
        Some(from) => format!("{why}, made valid from {}", code(from)),
        None => why.to_string(),
    }
}

fn app_section(plan: &Plan, app: &AppPlan, steps: &[Step], out: &mut String) {
    let f = azure();
    let from = match (&app.drain, app.state) {
        (Some(drain), _) => format!("{} → Durable Task Scheduler", drain.backend.label),
        (None, AppState::Legacy) => "legacy backend → Durable Task Scheduler".to_string(),
        (None, AppState::Dts) => "already on the Durable Task Scheduler".to_string(),
    };
    let _ = writeln!(
        out,
        "\n### {} ({}, {from})\n",
        code(&app.path),
        cell(&app.hosting)
    );
    let _ = writeln!(
        out,
        "- **Task hub**: {} ({})",
        code(&app.task_hub.name),
        hub_source(app)
    );
    let _ = writeln!(
        out,
        "- **Function app**: {}",
        match plan.param(&app.app_var).and_then(|p| p.value.as_deref()) {
            Some(name) => code(name),
            None => format!("{} (pass `--app-name`)", code(&format!("${}", app.app_var))),
        }
    );
    if app.file_changes.is_empty() {
        let files = if app.migrated {
            "migrated by `dts-migrate check --write` (host.json keeps the old hub name in a `// dts-migrate:` note); nothing left to change"
        } else {
            "nothing for `dts-migrate check --write` to change"
        };
        let _ = writeln!(out, "- **Files**: {files}");
    } else {
        let files: Vec<String> = app.changed_files.iter().map(|f| code(f)).collect();
        let _ = writeln!(
            out,
            "- **Files** (`dts-migrate check --write` changes {}):",
            files.join(", ")
        );
        for c in &app.file_changes {
            let _ = writeln!(out, "  - {}: {}", c.code, cell(&c.change));
        }
    }
    let settings: Vec<String> = app
        .settings
        .iter()
        .map(|s| match &s.value {
            SettingValue::ConnectionString { client_id } => format!(
                "{} = {}",
                code(&s.name),
                code(&format!(
                    "Endpoint=<the scheduler's endpoint>;Authentication={}{}",
                    f.authentication,
                    if *client_id {
                        format!(";{}=<the identity's client id>", f.client_id_key)
                    } else {
                        String::new()
                    }
                ))
            ),
            SettingValue::TaskHub { name } => format!("{} = {}", code(&s.name), code(name)),
        })
        .collect();
    let _ = writeln!(out, "- **App settings**: {}", settings.join(", "));
    if !app.remove_settings.is_empty() {
        let names: Vec<String> = app.remove_settings.iter().map(|s| code(s)).collect();
        let _ = writeln!(
            out,
            "- **Remove after draining**: {} (`AzureWebJobsStorage` stays: the host needs it)",
            names.join(", ")
        );
    }
    for note in &app.notes {
        let _ = writeln!(out, "- **Note**: {}", cell(note));
    }
    if !app.planned {
        let _ = writeln!(
            out,
            "\nNot planned: the task hub is shared with another app (see **Problems**)."
        );
        return;
    }
    let own: Vec<&Step> = steps
        .iter()
        .filter(|s| s.app.as_deref() == Some(app.path.as_str()))
        .collect();
    let mut n = 0;
    if let Some(drain) = &app.drain {
        let hub = match &drain.old_hub {
            OldHub::Literal(name) => format!("task hub {}", code(name)),
            OldHub::Setting(s) => format!("the hub that {} names", code(s)),
            OldHub::Default => "the default hub".to_string(),
        };
        n += 1;
        let [list, terminate] = script::drain_commands(app);
        let _ = writeln!(
            out,
            "\n{n}. **Drain {hub} on {}**: state does not move between backends. Stop what starts new orchestrations, then wait until this lists no instance (`[]`):\n\n```bash\n{}\n```\n\n   Terminate those that must not finish (`INSTANCE_ID`):\n\n```bash\n{}\n```\n\n   Or run side by side: deploy the migrated files as a new function app with its own hub, and stop this one when its instances have finished.",
            drain.backend.label,
            one_line(&list.display()),
            one_line(&terminate.display())
        );
    }
    let mut section = |title: &str, kinds: &[StepKind], out: &mut String| {
        let chosen: Vec<&Step> = own
            .iter()
            .copied()
            .filter(|s| kinds.contains(&s.kind))
            .collect();
        if chosen.is_empty() {
            return;
        }
        n += 1;
        let _ = writeln!(out, "\n{n}. **{title}**\n");
        block(&chosen, out);
    };
    section("Task hub", &[StepKind::TaskHub], out);
    section(
        &format!("Identity and the {} role at task-hub scope", f.role_name),
        &[StepKind::Role],
        out,
    );
    section(
        if app.state == AppState::Legacy {
            "App settings (after draining), then deploy the migrated files"
        } else {
            "App settings"
        },
        &[StepKind::Settings],
        out,
    );
    section(
        "Remove the old backend's settings",
        &[StepKind::RemoveSettings],
        out,
    );
    section("Verify", &[StepKind::Verify], out);
}

/// The plan as Markdown.
pub fn render(plan: &Plan) -> String {
    let f = azure();
    let steps = script::steps(plan);
    let legacy = plan
        .apps
        .iter()
        .filter(|a| a.state == AppState::Legacy)
        .count();
    let mut out = String::from("## Move to the Durable Task Scheduler\n\n");
    let _ = writeln!(
        out,
        "{} durable app{} ({} leaving {}). `dts-migrate check --write` changes the files; the Azure side is below, in order (`dts-migrate plan --format shell` gives the same commands as one script). State does not move between backends: each legacy app drains its old hub before its app settings switch.",
        plan.apps.len(),
        if plan.apps.len() == 1 { "" } else { "s" },
        legacy,
        if legacy == 1 { "its backend" } else { "their backends" }
    );
    out.push_str("\n### Values\n\n| variable | value | what |\n|---|---|---|\n");
    for p in &plan.params {
        let value = match &p.value {
            Some(v) => code(v),
            None => format!("_to fill_ (`{}`)", p.flag),
        };
        let _ = writeln!(out, "| `{}` | {value} | {} |", p.var, cell(&p.about));
    }
    if !plan.problems.is_empty() {
        out.push_str("\n### Problems\n\n");
        for p in &plan.problems {
            let _ = writeln!(out, "- {}", cell(&p.message));
        }
    }
    let s = &plan.scheduler;
    out.push_str("\n### Scheduler\n\n");
    let _ = writeln!(
        out,
        "- **SKU**: {}{}",
        s.sku
            .as_deref()
            .map(code)
            .unwrap_or_else(|| "_to fill_ (`--sku`)".to_string()),
        s.capacity
            .map(|c| format!(", {c} capacity units"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "- **IP allow-list**: {}{}",
        code(&s.ip_allowlist.join(", ")),
        if s.ip_allowlist_is_default {
            " (the default without `--ip-allowlist`; an empty list blocks all traffic — narrow it where you can)"
        } else {
            ""
        }
    );
    let hubs: Vec<String> = s.task_hubs.iter().map(|h| code(h)).collect();
    let _ = writeln!(
        out,
        "- **Task hubs**: {}",
        if hubs.is_empty() {
            "none".to_string()
        } else {
            hubs.join(", ")
        }
    );
    let shared: Vec<&Step> = steps
        .iter()
        .filter(|st| {
            st.app.is_none()
                && matches!(
                    st.kind,
                    StepKind::Setup | StepKind::Scheduler | StepKind::Identity
                )
        })
        .collect();
    out.push('\n');
    block(&shared, &mut out);
    for app in &plan.apps {
        app_section(plan, app, &steps, &mut out);
    }
    let _ = writeln!(
        out,
        "\n<sub>Generated by `dts-migrate plan` (it never calls Azure). The role is {} (`{}`), API version {}.</sub>",
        f.role_name, f.role_id, f.api_version
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_code_survives_backticks_and_newlines() {
        assert_eq!(code("apps/orders"), "`apps/orders`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a\\nb`");
        assert_eq!(cell("a|b"), "a\\|b");
    }
}
