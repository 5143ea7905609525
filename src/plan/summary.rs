//! The plan's short form, which `check --write` ends with: the Azure steps in a few lines, one
//! more line per app when verbose.

use std::fmt::Write as _;

use super::build::{list, SCHEDULER};
use super::facts::azure;
use super::script::one_line;
use super::{AppState, Plan, SettingValue};

/// The short form; empty when there is no app.
pub fn render(plan: &Plan, verbose: bool) -> String {
    if plan.apps.is_empty() {
        return String::new();
    }
    let f = azure();
    if plan.planned_apps().next().is_none() {
        // Every app has a problem that must be solved before anything in Azure can be planned.
        let mut out = String::from(
            "The files are ready; before the Azure steps can be planned (`dts-migrate plan`), solve:\n",
        );
        problems(plan, &mut out);
        return out;
    }
    let mut out = String::from(
        "The files are ready; in Azure (`dts-migrate plan` prints every command, `--format shell` as a script):\n",
    );
    let legacy = plan
        .planned_apps()
        .filter(|a| a.state == AppState::Legacy)
        .count();
    if legacy > 0 {
        let _ = writeln!(
            out,
            "  - drain {} first: state does not move between backends;",
            if legacy == 1 {
                "the legacy app's old task hub".to_string()
            } else {
                format!("the old task hubs of {legacy} legacy apps")
            }
        );
    }
    let scheduler = match plan.param(SCHEDULER).and_then(|p| p.value.as_deref()) {
        Some(name) => format!("the scheduler {}", one_line(name)),
        None => "a scheduler (--scheduler)".to_string(),
    };
    let hubs = &plan.scheduler.task_hubs;
    let _ = writeln!(
        out,
        "  - create {scheduler}{} and {} task hub{}: {};",
        plan.scheduler
            .sku
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default(),
        hubs.len(),
        if hubs.len() == 1 { "" } else { "s" },
        list(&first_of(hubs.iter().map(|h| one_line(h)), hubs.len()))
    );
    let _ = writeln!(
        out,
        "  - grant {} the {} role on {} task hub;",
        if plan.user_identity_var.is_some() {
            "the user-assigned identity"
        } else {
            "each app's managed identity"
        },
        f.role_name,
        if plan.planned_apps().count() == 1 {
            "its"
        } else {
            "each app's"
        }
    );
    let mut names: Vec<String> = Vec::new();
    for app in plan.planned_apps() {
        for s in &app.settings {
            if !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
    }
    let apps = plan.planned_apps().count();
    let _ = writeln!(
        out,
        "  - set {} on {} (the connection string from the scheduler's endpoint and the managed identity), then deploy;",
        list(&names),
        if apps == 1 {
            "the function app".to_string()
        } else {
            format!("{apps} function apps")
        }
    );
    let mut old: Vec<String> = Vec::new();
    for app in plan.planned_apps() {
        for s in &app.remove_settings {
            if !old.contains(s) {
                old.push(s.clone());
            }
        }
    }
    if !old.is_empty() {
        let _ = writeln!(
            out,
            "  - once drained, remove the old backend's settings {} (AzureWebJobsStorage stays);",
            list(&old)
        );
    }
    out.push_str("  - verify on each task hub's dashboard.\n");
    problems(plan, &mut out);
    if verbose {
        for app in &plan.apps {
            let hub_setting = app.settings.iter().find_map(|s| match &s.value {
                SettingValue::TaskHub { .. } => Some(s.name.as_str()),
                _ => None,
            });
            let _ = writeln!(
                out,
                "  {}: task hub {}{}{}{}",
                one_line(&app.path),
                one_line(&app.task_hub.name),
                hub_setting.map(|s| format!(" ({s})")).unwrap_or_default(),
                app.drain
                    .as_ref()
                    .map(|d| format!(", from {}", d.backend.label))
                    .unwrap_or_else(|| ", already on DTS".to_string()),
                if app.planned { "" } else { ", not planned" }
            );
        }
    }
    out
}

/// The most names or problems the short form lists; `dts-migrate plan` gives them all.
const SHOWN: usize = 10;

/// The first [`SHOWN`] of `names` (of `total`), then "N more" when there are more.
fn first_of(names: impl Iterator<Item = String>, total: usize) -> Vec<String> {
    let mut shown: Vec<String> = names.take(SHOWN).collect();
    if total > SHOWN {
        shown.push(format!(
            "{} more (`dts-migrate plan` lists them)",
            total - SHOWN
        ));
    }
    shown
}

/// The plan's problems, the first [`SHOWN`] of them.
fn problems(plan: &Plan, out: &mut String) {
    for p in plan.problems.iter().take(SHOWN) {
        let _ = writeln!(out, "  problem: {}", one_line(&p.message));
    }
    if plan.problems.len() > SHOWN {
        let _ = writeln!(
            out,
            "  and {} more problems (`dts-migrate plan` lists them)",
            plan.problems.len() - SHOWN
        );
    }
}
