//! Every step of a plan as [`Line`]s of `az` commands, printed lines and gates, in the order
//! the scripts run them: the extension, the problems, each legacy app's drain, the scheduler,
//! the user-assigned identity, then per app its task hub, identity and role, app settings,
//! old settings and dashboard. The commands follow reference §0 to the flag.

use super::build::{list, LOCATION, RESOURCE_GROUP, SCHEDULER, SKU};
use super::facts::azure;
use super::script::{
    one_line, Command, Line, Part, Step, StepKind, Word, DRAINED, ENDPOINT, REMOVE_OLD_SETTINGS,
    USER_CLIENT, USER_PRINCIPAL,
};
use super::{AppPlan, AppState, OldHub, Plan, SettingValue};

fn arg(flag: &str, value: Word) -> [Word; 2] {
    [Word::lit(flag), value]
}

fn cmd(parts: &[&str], args: Vec<[Word; 2]>, tail: &[&str], capture: Option<String>) -> Command {
    let mut argv: Vec<Word> = parts.iter().map(|p| Word::lit(*p)).collect();
    argv.extend(args.into_iter().flatten());
    argv.extend(tail.iter().map(|t| Word::lit(*t)));
    Command { argv, capture }
}

fn az(parts: &[&str], args: Vec<[Word; 2]>, tail: &[&str], capture: Option<String>) -> Line {
    Line::Run(cmd(parts, args, tail, capture))
}

fn say(parts: Vec<Part>) -> Line {
    Line::Say(Word(parts))
}

fn lit(text: impl Into<String>) -> Part {
    Part::Lit(text.into())
}

fn var(name: &str) -> Part {
    Part::Var(name.to_string())
}

fn rg() -> [Word; 2] {
    arg("--resource-group", Word::var(RESOURCE_GROUP))
}

/// Every step, in the order the script runs them.
pub fn steps(plan: &Plan) -> Vec<Step> {
    let f = azure();
    let mut out = vec![Step {
        kind: StepKind::Setup,
        app: None,
        title: format!("the `az {}` commands", f.cli.extension),
        lines: vec![az(
            &["extension", "add"],
            vec![arg("--name", Word::lit(&f.cli.extension))],
            &["--upgrade", "--yes", "--output", "none"],
            None,
        )],
    }];
    if !plan.problems.is_empty() {
        out.push(Step {
            kind: StepKind::Problems,
            app: None,
            title: "problems found while planning".to_string(),
            lines: plan
                .problems
                .iter()
                .map(|p| say(vec![lit(format!("problem: {}", one_line(&p.message)))]))
                .collect(),
        });
    }
    for app in plan.planned_apps() {
        if let Some(step) = drain_step(app) {
            out.push(step);
        }
    }
    out.push(scheduler_step(plan));
    if plan.user_identity_var.is_some() {
        out.push(user_identity_step());
    }
    for app in &plan.apps {
        if app.planned {
            out.extend(app_steps(plan, app));
        } else {
            out.push(Step {
                kind: StepKind::TaskHub,
                app: Some(app.path.clone()),
                title: format!("{}: not planned", one_line(&app.path)),
                lines: vec![say(vec![lit(format!(
                    "not planned: {} shares its task hub {:?} with another app (see the problems above)",
                    one_line(&app.path),
                    app.task_hub.name
                ))])],
            });
        }
    }
    out
}

fn scheduler_step(plan: &Plan) -> Step {
    let s = &plan.scheduler;
    let sku = match &s.sku {
        Some(sku) => Word::lit(sku),
        None => Word::var(SKU),
    };
    let mut args = vec![
        rg(),
        arg("--name", Word::var(SCHEDULER)),
        arg("--location", Word::var(LOCATION)),
        arg("--sku-name", sku),
    ];
    if let Some(capacity) = s.capacity {
        args.push(arg("--sku-capacity", Word::lit(capacity.to_string())));
    }
    let allowlist = serde_json::to_string(&s.ip_allowlist).unwrap_or_else(|_| "[]".to_string());
    args.push(arg("--ip-allowlist", Word::lit(allowlist)));
    let mut lines = Vec::new();
    if s.ip_allowlist_is_default {
        lines.push(Line::Comment(format!(
            "--ip-allowlist {}: the default when dts-migrate plan gets no --ip-allowlist (an empty list blocks all traffic); narrow it to the apps' outbound addresses where you can",
            s.ip_allowlist.join(",")
        )));
    }
    lines.push(az(
        &["durabletask", "scheduler", "create"],
        args,
        &["--output", "none"],
        None,
    ));
    lines.push(Line::Comment(
        "the endpoint is set by Azure (it may carry a generated suffix): read it, never assemble it"
            .to_string(),
    ));
    lines.push(az(
        &["durabletask", "scheduler", "show"],
        vec![rg(), arg("--name", Word::var(SCHEDULER))],
        &["--query", "properties.endpoint", "--output", "tsv"],
        Some(ENDPOINT.to_string()),
    ));
    Step {
        kind: StepKind::Scheduler,
        app: None,
        title: format!(
            "the scheduler, shared by {} ({} task hub{})",
            if plan.planned_apps().count() == 1 {
                "the app".to_string()
            } else {
                format!("{} apps", plan.planned_apps().count())
            },
            s.task_hubs.len(),
            if s.task_hubs.len() == 1 { "" } else { "s" }
        ),
        lines,
    }
}

fn user_identity_step() -> Step {
    let show = |query: &str, capture: &str| {
        az(
            &["identity", "show"],
            vec![arg("--ids", Word::var(super::build::USER_IDENTITY))],
            &["--query", query, "--output", "tsv"],
            Some(capture.to_string()),
        )
    };
    Step {
        kind: StepKind::Identity,
        app: None,
        title: "the user-assigned identity".to_string(),
        lines: vec![
            show("principalId", USER_PRINCIPAL),
            show("clientId", USER_CLIENT),
        ],
    }
}

fn app_word(app: &AppPlan) -> Word {
    Word::var(&app.app_var)
}

/// The two commands of a drain, as text to show (they are printed, never run): list the
/// instances still running on the old hub, and terminate one, through the Durable Functions
/// HTTP API of the app with its `durabletask_extension` system key.
pub fn drain_commands(app: &AppPlan) -> [Word; 2] {
    let f = azure();
    let app_var = app.app_var.as_str();
    let show_host = vec![
        lit("$(az functionapp show --resource-group "),
        var(RESOURCE_GROUP),
        lit(" --name "),
        var(app_var),
        lit(" --query defaultHostName -o tsv)"),
    ];
    let key = vec![
        lit("$(az functionapp keys list --resource-group "),
        var(RESOURCE_GROUP),
        lit(" --name "),
        var(app_var),
        lit(format!(
            " --query systemKeys.{} -o tsv)",
            f.drain.system_key
        )),
    ];
    let mut list = vec![lit("curl -s \"https://")];
    list.extend(show_host.clone());
    list.push(lit(format!(
        "{}?runtimeStatus={}&code=",
        f.drain.instances_path, f.drain.running_statuses
    )));
    list.extend(key.clone());
    list.push(lit("\""));
    let mut terminate = vec![lit("curl -s -X POST \"https://")];
    terminate.extend(show_host);
    terminate.push(lit(format!(
        "{}/INSTANCE_ID/terminate?reason=migration&code=",
        f.drain.instances_path
    )));
    terminate.extend(key);
    terminate.push(lit("\""));
    [Word(list), Word(terminate)]
}

fn drain_step(app: &AppPlan) -> Option<Step> {
    let drain = app.drain.as_ref()?;
    let path = one_line(&app.path);
    let hub = match &drain.old_hub {
        OldHub::Literal(name) => format!("task hub {:?}", one_line(name)),
        OldHub::Setting(setting) => {
            format!("the task hub the app setting {} names", one_line(setting))
        }
        OldHub::Default => "the default task hub (made from the function app's name)".to_string(),
    };
    let [list, terminate] = drain_commands(app);
    let indent = |w: Word| {
        let mut parts = vec![lit("      ")];
        parts.extend(w.0);
        parts
    };
    let list_cmd = indent(list);
    let terminate = indent(terminate);
    Some(Step {
        kind: StepKind::Drain,
        app: Some(app.path.clone()),
        title: format!("{path}: drain {hub} on {}", drain.backend.label),
        lines: vec![
            say(vec![lit(format!(
                "drain {path} ({}, {hub}): state does not move to the scheduler.",
                drain.backend.label
            ))]),
            say(vec![lit(
                "  1. stop what starts new orchestrations (pause those triggers or their traffic);",
            )]),
            say(vec![lit(
                "  2. list the instances still running; wait until this returns []:",
            )]),
            say(list_cmd),
            say(vec![lit("     or terminate those that must not finish:")]),
            say(terminate),
            say(vec![lit(
                "  or run side by side: deploy the migrated files as a new function app with its own hub, let this one finish its instances, then stop it;",
            )]),
            say(vec![lit(format!(
                "  then run this script again with {DRAINED}=yes: it switches the app settings, and deploy the migrated files."
            ))]),
        ],
    })
}

/// The one-step route for an app: `az durabletask scheduler attach` (experimental) assigns the
/// role at task-hub scope, attaches the identity and writes the default app settings.
pub fn attach_route(plan: &Plan, app: &AppPlan) -> Vec<Command> {
    let f = azure();
    let app_id = format!("APP_ID_{}", app.key);
    let mut args = vec![
        rg(),
        arg("--name", Word::var(SCHEDULER)),
        arg("--task-hub-name", Word::lit(&app.task_hub.name)),
        arg("--role-type", Word::lit(&f.attach_role_type)),
        arg("--target", Word::var(&app_id)),
    ];
    if let Some(identity) = &plan.user_identity_var {
        args.push(arg("--identity", Word::var(identity)));
    }
    vec![
        cmd(
            &["functionapp", "show"],
            vec![rg(), arg("--name", app_word(app))],
            &["--query", "id", "--output", "tsv"],
            Some(app_id),
        ),
        cmd(&["durabletask", "scheduler", "attach"], args, &[], None),
    ]
}

fn app_steps(plan: &Plan, app: &AppPlan) -> Vec<Step> {
    let f = azure();
    let path = one_line(&app.path);
    let hub = &app.task_hub.name;
    let hub_var = format!("HUB_ID_{}", app.key);
    let name = || arg("--name", app_word(app));
    let mut steps = vec![Step {
        kind: StepKind::TaskHub,
        app: Some(app.path.clone()),
        title: format!("{path}: task hub {hub}"),
        lines: vec![az(
            &["durabletask", "taskhub", "create"],
            vec![
                rg(),
                arg("--scheduler-name", Word::var(SCHEDULER)),
                arg("--name", Word::lit(hub)),
            ],
            &["--query", "id", "--output", "tsv"],
            Some(hub_var.clone()),
        )],
    }];
    let mut role = Vec::new();
    let principal = match &plan.user_identity_var {
        None => {
            let principal = format!("PRINCIPAL_{}", app.key);
            role.push(az(
                &["functionapp", "identity", "assign"],
                vec![rg(), name()],
                &["--query", "principalId", "--output", "tsv"],
                Some(principal.clone()),
            ));
            principal
        }
        Some(identity) => {
            role.push(az(
                &["functionapp", "identity", "assign"],
                vec![rg(), name(), arg("--identities", Word::var(identity))],
                &["--output", "none"],
                None,
            ));
            USER_PRINCIPAL.to_string()
        }
    };
    role.push(Line::Comment(format!(
        "{} ({}) at task-hub scope: least privilege",
        f.role_name, f.role_id
    )));
    role.push(az(
        &["role", "assignment", "create"],
        vec![
            arg("--assignee-object-id", Word::var(&principal)),
            arg("--assignee-principal-type", Word::lit(&f.principal_type)),
            arg("--role", Word::lit(&f.role_id)),
            arg("--scope", Word::var(&hub_var)),
        ],
        &["--output", "none"],
        None,
    ));
    role.push(Line::Comment(
        "one step instead (experimental; it writes the default setting names):".to_string(),
    ));
    for command in attach_route(plan, app) {
        role.push(Line::Comment(format!("  {}", command.display())));
    }
    steps.push(Step {
        kind: StepKind::Role,
        app: Some(app.path.clone()),
        title: format!("{path}: identity and the {} role", f.role_name),
        lines: role,
    });
    let mut settings = vec![rg(), name()];
    let mut set_words = vec![Word::lit("--settings")];
    for s in &app.settings {
        let word = match &s.value {
            SettingValue::ConnectionString { client_id } => {
                let mut parts = vec![lit(format!("{}=Endpoint=", s.name)), var(ENDPOINT)];
                parts.push(lit(format!(";Authentication={}", f.authentication)));
                if *client_id {
                    parts.push(lit(format!(";{}=", f.client_id_key)));
                    parts.push(var(USER_CLIENT));
                }
                Word(parts)
            }
            SettingValue::TaskHub { name } => Word::lit(format!("{}={name}", s.name)),
        };
        set_words.push(word);
    }
    let mut argv: Vec<Word> = ["functionapp", "config", "appsettings", "set"]
        .iter()
        .map(|p| Word::lit(*p))
        .collect();
    argv.extend(settings.drain(..).flatten());
    argv.extend(set_words);
    argv.extend([Word::lit("--output"), Word::lit("none")]);
    let set = Line::Run(Command {
        argv,
        capture: None,
    });
    let names: Vec<String> = app.settings.iter().map(|s| s.name.clone()).collect();
    let settings_lines = match app.state {
        AppState::Dts => vec![set],
        AppState::Legacy => vec![Line::Gate {
            var: DRAINED.to_string(),
            then: vec![
                set,
                say(vec![lit(format!(
                    "{path}: app settings switched; deploy its migrated files now (dts-migrate check --write)."
                ))]),
            ],
            otherwise: vec![say(vec![lit(format!(
                "{path}: {} not set yet: the app still drains its old hub (run again with {DRAINED}=yes).",
                list(&names)
            ))])],
        }],
    };
    steps.push(Step {
        kind: StepKind::Settings,
        app: Some(app.path.clone()),
        title: format!("{path}: app settings {}", list(&names)),
        lines: settings_lines,
    });
    if !app.remove_settings.is_empty() {
        let mut argv: Vec<Word> = ["functionapp", "config", "appsettings", "delete"]
            .iter()
            .map(|p| Word::lit(*p))
            .collect();
        argv.extend(rg());
        argv.extend(name());
        argv.push(Word::lit("--setting-names"));
        argv.extend(app.remove_settings.iter().map(Word::lit));
        argv.extend([Word::lit("--output"), Word::lit("none")]);
        steps.push(Step {
            kind: StepKind::RemoveSettings,
            app: Some(app.path.clone()),
            title: format!(
                "{path}: the old backend's settings {} (never AzureWebJobsStorage: the host still needs it)",
                list(&app.remove_settings)
            ),
            lines: vec![Line::Gate {
                var: REMOVE_OLD_SETTINGS.to_string(),
                then: vec![Line::Run(Command {
                    argv,
                    capture: None,
                })],
                otherwise: vec![say(vec![lit(format!(
                    "{path}: kept {} for the rollback window; once the app runs well on the scheduler, run again with {REMOVE_OLD_SETTINGS}=yes.",
                    list(&app.remove_settings)
                ))])],
            }],
        });
    }
    let dashboard = format!("DASHBOARD_{}", app.key);
    steps.push(Step {
        kind: StepKind::Verify,
        app: Some(app.path.clone()),
        title: format!("{path}: verify on the dashboard"),
        lines: vec![
            az(
                &["durabletask", "taskhub", "show"],
                vec![
                    rg(),
                    arg("--scheduler-name", Word::var(SCHEDULER)),
                    arg("--name", Word::lit(hub)),
                ],
                &["--query", "properties.dashboardUrl", "--output", "tsv"],
                Some(dashboard.clone()),
            ),
            say(vec![
                lit(format!("verify {path}: open ")),
                var(&dashboard),
                lit(format!(
                    " and watch new orchestrations arrive in task hub {hub}; none after traffic means the app still runs its old backend (storageProvider.type) or cannot reach the scheduler (role, ClientID, IP allow-list)."
                )),
            ]),
        ],
    });
    steps
}
