//! Builds the [`Plan`] from the apps' inputs and the flags: parameters, the shared scheduler,
//! each app's task hub (checked against the DTS name pattern and against the other apps'), its
//! drain, settings to set and to remove, and the problems (a hub shared by two apps, quotas).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::facts::azure;
use super::names::{
    function_app_name, is_valid_hub_name, is_valid_site_name, sanitize_hub_name, unique, var_key,
};
use super::{
    AppInput, AppPlan, AppState, Drain, HubPlan, HubSource, Identity, OldHub, Param, Plan,
    PlanOptions, Problem, ProblemKind, SchedulerPlan, SettingPlan, SettingValue,
};

/// The variable of the resource group.
pub const RESOURCE_GROUP: &str = "RESOURCE_GROUP";
/// The variable of the scheduler's name.
pub const SCHEDULER: &str = "SCHEDULER";
/// The variable of the region.
pub const LOCATION: &str = "LOCATION";
/// The variable of the SKU.
pub const SKU: &str = "SKU";
/// The variable of the user-assigned identity's resource id.
pub const USER_IDENTITY: &str = "USER_IDENTITY_ID";

/// The plan for `apps` (in any order; the plan sorts them by path) under `options`.
/// `emulator_hub` is the local emulator's hub (`default`), never taken as an Azure hub name.
pub fn build(apps: &[AppInput], options: &PlanOptions, emulator_hub: &str) -> Plan {
    let f = azure();
    let mut apps: Vec<&AppInput> = apps.iter().collect();
    apps.sort_by(|a, b| a.path.cmp(&b.path));
    let mut problems = Vec::new();
    let mut params = vec![
        param(
            RESOURCE_GROUP,
            "--resource-group",
            &options.resource_group,
            "the resource group of the scheduler and the function apps",
        ),
        param(
            SCHEDULER,
            "--scheduler",
            &options.scheduler,
            "the name of the Durable Task Scheduler (3–64 letters, digits and hyphens)",
        ),
        param(
            LOCATION,
            "--location",
            &options.location,
            "the region of the scheduler, e.g. westeurope",
        ),
        param(
            SKU,
            "--sku",
            &options.sku.map(|s| s.name().to_string()),
            "the SKU of the scheduler: Consumption or Dedicated",
        ),
    ];
    if let Some(name) = &options.scheduler {
        if !is_valid_hub_name(name) {
            problems.push(invalid(format!(
                "--scheduler {name:?} is not a valid scheduler name (3–64 letters, digits and hyphens)"
            )));
        }
    }
    let user_identity_var = match &options.identity {
        Identity::System => None,
        Identity::UserAssigned(id) => {
            params.push(param(
                USER_IDENTITY,
                "--identity",
                &Some(id.clone()),
                "the resource id of the user-assigned managed identity",
            ));
            if !id
                .to_ascii_lowercase()
                .contains("/providers/microsoft.managedidentity/userassignedidentities/")
            {
                problems.push(invalid(format!(
                    "--identity {id:?} is not the resource id of a user-assigned identity (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME)"
                )));
            }
            Some(USER_IDENTITY.to_string())
        }
    };
    let keys = unique(apps.iter().map(|a| var_key(&a.name)).collect());
    let mut plans: Vec<AppPlan> = Vec::new();
    for (app, key) in apps.iter().zip(keys) {
        let app_var = format!("APP_{key}");
        let known = function_app_name(&options.app_names, &app.path, &app.name);
        if let Some(name) = &known {
            if !is_valid_site_name(name) {
                problems.push(Problem {
                    kind: ProblemKind::InvalidValue,
                    message: format!("--app-name gives {} the function app name {name:?}, which is not a valid name (2–60 letters, digits and hyphens)", app.path),
                    apps: vec![app.path.clone()],
                });
            }
        }
        params.push(param(
            &app_var,
            "--app-name",
            &known,
            &format!("the function app of {}", app.path),
        ));
        plans.push(app_plan(app, key, app_var, options, emulator_hub));
    }
    distinct_folder_hubs(&mut plans);
    shared_hubs(&mut plans, &mut problems);
    let task_hubs: Vec<String> = plans
        .iter()
        .filter(|a| a.planned)
        .map(|a| a.task_hub.name.clone())
        .collect();
    let sku = options.sku.map(|s| s.name().to_string());
    quota(sku.as_deref(), task_hubs.len(), &mut problems);
    let capacity = options
        .capacity
        .filter(|_| sku.as_deref() == Some(f.capacity_sku.as_str()));
    if options.capacity.is_some() && capacity.is_none() {
        problems.push(invalid(format!(
            "--capacity applies to the {} SKU only; it is left out",
            f.capacity_sku
        )));
    }
    let (ip_allowlist, ip_allowlist_is_default) = match &options.ip_allowlist {
        Some(list) if !list.is_empty() => (list.clone(), false),
        _ => (f.default_ip_allowlist.clone(), true),
    };
    Plan {
        params,
        scheduler: SchedulerPlan {
            name_var: SCHEDULER.to_string(),
            sku,
            capacity,
            ip_allowlist,
            ip_allowlist_is_default,
            task_hubs,
        },
        user_identity_var,
        apps: plans,
        problems,
    }
}

fn param(var: &str, flag: &str, value: &Option<String>, about: &str) -> Param {
    Param {
        var: var.to_string(),
        flag: flag.to_string(),
        value: value.clone().filter(|v| !v.trim().is_empty()),
        about: about.to_string(),
    }
}

fn invalid(message: String) -> Problem {
    Problem {
        kind: ProblemKind::InvalidValue,
        message,
        apps: Vec::new(),
    }
}

/// The task hub: the old literal hub name, else a DTS app's literal, else the hub setting's
/// local value (unless it is the emulator's hub), else the app folder's name.
fn hub_plan(app: &AppInput, emulator_hub: &str) -> HubPlan {
    let hub = &app.hub;
    let local = hub
        .local_value
        .as_deref()
        .filter(|v| !v.trim().is_empty() && !v.eq_ignore_ascii_case(emulator_hub));
    let (raw, source) = if let Some(old) = &hub.old_literal {
        (old.as_str(), HubSource::OldHubName)
    } else if let Some(literal) = &hub.literal {
        (literal.as_str(), HubSource::HostJson)
    } else if let Some(local) = local {
        (local, HubSource::LocalSettings)
    } else {
        (app.name.as_str(), HubSource::AppFolder)
    };
    let name = if is_valid_hub_name(raw) {
        raw.to_string()
    } else {
        sanitize_hub_name(raw)
    };
    HubPlan {
        sanitized_from: (name != raw).then(|| raw.to_string()),
        name,
        source,
    }
}

fn app_plan(
    app: &AppInput,
    key: String,
    app_var: String,
    options: &PlanOptions,
    emulator_hub: &str,
) -> AppPlan {
    let task_hub = hub_plan(app, emulator_hub);
    let state = if app.old_backend.is_some() {
        AppState::Legacy
    } else {
        AppState::Dts
    };
    let drain = match (&app.old_backend, state) {
        (Some(backend), AppState::Legacy) => Some(Drain {
            backend: backend.clone(),
            old_hub: match (&app.hub.old_literal, &app.hub.old_setting) {
                (Some(old), _) => OldHub::Literal(old.clone()),
                (None, Some(setting)) => OldHub::Setting(setting.clone()),
                (None, None) => OldHub::Default,
            },
        }),
        _ => None,
    };
    let mut settings = vec![SettingPlan {
        name: app.connection_setting.clone(),
        value: SettingValue::ConnectionString {
            client_id: matches!(options.identity, Identity::UserAssigned(_)),
        },
    }];
    if let Some(hub_setting) = &app.hub_setting {
        settings.push(SettingPlan {
            name: hub_setting.clone(),
            value: SettingValue::TaskHub {
                name: task_hub.name.clone(),
            },
        });
    }
    let mut notes = Vec::new();
    if let Some(blocked) = &app.blocked {
        notes.push(blocked.clone());
    }
    if let Some(from) = &task_hub.sanitized_from {
        notes.push(format!(
            "{from:?} is not a valid DTS task hub name (3–64 letters, digits and hyphens): the plan uses {:?}",
            task_hub.name
        ));
    }
    if state == AppState::Dts && !app.migrated && task_hub.source == HubSource::AppFolder {
        if let Some(setting) = &app.hub_setting {
            notes.push(format!(
                "the app is on DTS already and its files name no hub: the plan names one after the folder; if the app has a task hub in Azure, keep that one (its app setting {setting} says which)"
            ));
        }
    }
    if task_hub.source == HubSource::LocalSettings {
        if let Some(setting) = &app.hub.setting {
            notes.push(format!(
                "the task hub is named after {setting} in local.settings.json; the app reads {setting} from its app settings in Azure, so check that the two agree"
            ));
        }
    }
    if matches!(
        &drain,
        Some(Drain {
            old_hub: OldHub::Setting(_),
            ..
        })
    ) && task_hub.source != HubSource::LocalSettings
    {
        if let Some(setting) = &app.hub.old_setting {
            notes.push(format!(
                "{setting} names the old hub while the app drains: set it to {:?} only after draining",
                task_hub.name
            ));
        }
    }
    AppPlan {
        path: app.path.clone(),
        name: app.name.clone(),
        hosting: app.hosting.clone(),
        state,
        migrated: app.migrated,
        key,
        app_var,
        task_hub,
        planned: true,
        drain,
        settings,
        remove_settings: app.old_settings.clone(),
        file_changes: app.file_changes.clone(),
        changed_files: app.changed_files.clone(),
        notes,
    }
}

/// Hubs named after app folders are the plan's choice: when two collide (`orders/func` and
/// `billing/func`), each takes its path (`orders-func`, `billing-func`), then a number. Names
/// the apps' files give are never changed (a collision between those is a problem).
fn distinct_folder_hubs(plans: &mut [AppPlan]) {
    // Names compare ignoring case; a map and a set keep this linear in the number of apps.
    let lower = |a: &AppPlan| a.task_hub.name.to_ascii_lowercase();
    let mut count: HashMap<String, usize> = HashMap::new();
    for plan in plans.iter() {
        *count.entry(lower(plan)).or_default() += 1;
    }
    let clashing: Vec<usize> = (0..plans.len())
        .filter(|&i| {
            plans[i].task_hub.source == HubSource::AppFolder
                && count.get(&lower(&plans[i])).is_some_and(|&n| n > 1)
        })
        .collect();
    for &i in &clashing {
        let from_path = sanitize_hub_name(&plans[i].path);
        if from_path.len() >= plans[i].task_hub.name.len() {
            plans[i].task_hub.name = from_path;
        }
    }
    // The first of equal names keeps it; the later ones, and any that meets a name the files
    // give (or another app keeps), take a number.
    let is_clashing: HashSet<usize> = clashing.iter().copied().collect();
    let mut taken: HashSet<String> = (0..plans.len())
        .filter(|j| !is_clashing.contains(j))
        .map(|j| lower(&plans[j]))
        .collect();
    for &i in &clashing {
        let base = plans[i].task_hub.name.clone();
        let mut n = 2;
        while taken.contains(&lower(&plans[i])) {
            let suffix = format!("-{n}");
            let mut name = base.clone();
            name.truncate(64 - suffix.len());
            plans[i].task_hub.name = format!("{}{suffix}", name.trim_end_matches('-'));
            n += 1;
        }
        taken.insert(lower(&plans[i]));
    }
    for &i in &clashing {
        let name = plans[i].task_hub.name.clone();
        for s in &mut plans[i].settings {
            if let SettingValue::TaskHub { name: hub } = &mut s.value {
                hub.clone_from(&name);
            }
        }
        plans[i].notes.push(format!(
            "another app has the same folder name: the task hub is named after the path, {name:?}"
        ));
    }
}

/// Two apps on one hub of one scheduler would run each other's orchestrations: both are
/// reported and neither is planned.
fn shared_hubs(plans: &mut [AppPlan], problems: &mut Vec<Problem>) {
    let mut by_hub: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, app) in plans.iter().enumerate() {
        // Task hub names compare ignoring case, as Azure resource names do.
        by_hub
            .entry(app.task_hub.name.to_ascii_lowercase())
            .or_default()
            .push(i);
    }
    for indices in by_hub.values().filter(|v| v.len() > 1) {
        let paths: Vec<String> = indices.iter().map(|&i| plans[i].path.clone()).collect();
        let hub = plans[indices[0]].task_hub.name.clone();
        for &i in indices {
            plans[i].planned = false;
        }
        problems.push(Problem {
            kind: ProblemKind::SharedHub,
            message: format!(
                "{} would share the task hub {hub:?} on one scheduler and run each other's orchestrations (on Azure Storage each hub lived in its app's own storage account): give each app its own hub name (hubName in host.json, or its hub setting) and run dts-migrate plan again",
                list(&paths)
            ),
            apps: paths,
        });
    }
}

fn quota(sku: Option<&str>, hubs: usize, problems: &mut Vec<Problem>) {
    let f = azure();
    let Some(quota) = f.quota(sku.unwrap_or(&f.skus[0])) else {
        return;
    };
    if hubs <= quota.task_hubs {
        return;
    }
    let which = match sku {
        Some(sku) => format!("the {sku} SKU allows"),
        None => format!("the {} SKU allows", quota.sku),
    };
    let more = f
        .quotas
        .iter()
        .filter(|q| q.task_hubs >= hubs)
        .map(|q| format!("the {} SKU ({} task hubs)", q.sku, q.task_hubs))
        .next();
    problems.push(Problem {
        kind: ProblemKind::Quota,
        message: format!(
            "the plan creates {hubs} task hubs and {which} {} per region per subscription: {}",
            quota.task_hubs,
            match more {
                Some(more) =>
                    format!("use {more}, or spread the apps over regions or subscriptions"),
                None => "spread the apps over regions or subscriptions".to_string(),
            }
        ),
        apps: Vec::new(),
    });
}

/// "a, b and c".
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
