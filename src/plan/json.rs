//! The plan as one JSON document (`--format json`), schema version 1, described in
//! `docs/plan.md` and `docs/plan.schema.json`: the plan's data plus, per step, the `az`
//! commands as argument arrays (variables written `${NAME}`) and the lines a script prints.

use serde_json::{json, Value};

use super::script::{self, Line, Step};
use super::Plan;

/// The schema version.
pub const VERSION: u64 = 1;

/// The JSON Schema of the document.
pub const SCHEMA: &str = include_str!("../../docs/plan.schema.json");

fn flatten(
    lines: &[Line],
    when: Option<&str>,
    commands: &mut Vec<Value>,
    messages: &mut Vec<Value>,
) {
    for line in lines {
        match line {
            Line::Comment(_) => {}
            Line::Say(word) => messages.push(json!({ "text": word.display(), "when": when })),
            Line::Run(command) => {
                let mut argv = vec![Value::from("az")];
                argv.extend(command.argv.iter().map(|w| Value::from(w.display())));
                commands.push(json!({ "argv": argv, "capture": command.capture, "when": when }));
            }
            Line::Gate {
                var,
                then,
                otherwise,
            } => {
                let yes = format!("{var}=yes");
                let no = format!("{var}!=yes");
                flatten(then, Some(&yes), commands, messages);
                flatten(otherwise, Some(&no), commands, messages);
            }
        }
    }
}

fn step(step: &Step) -> Value {
    let mut commands = Vec::new();
    let mut messages = Vec::new();
    flatten(&step.lines, None, &mut commands, &mut messages);
    json!({
        "kind": step.kind,
        "title": step.title,
        "commands": commands,
        "messages": messages,
    })
}

/// The document as a value.
pub fn document(plan: &Plan) -> Value {
    let steps = script::steps(plan);
    let shared: Vec<Value> = steps.iter().filter(|s| s.app.is_none()).map(step).collect();
    let apps: Vec<Value> = plan
        .apps
        .iter()
        .map(|app| {
            let mut value = serde_json::to_value(app).unwrap_or(Value::Null);
            let own: Vec<Value> = steps
                .iter()
                .filter(|s| s.app.as_deref() == Some(app.path.as_str()))
                .map(step)
                .collect();
            let attach: Vec<Value> = if app.planned {
                script::attach_route(plan, app)
                    .iter()
                    .map(|c| {
                        let mut argv = vec![Value::from("az")];
                        argv.extend(c.argv.iter().map(|w| Value::from(w.display())));
                        json!({ "argv": argv, "capture": c.capture, "when": null })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            if let Value::Object(map) = &mut value {
                map.insert("steps".into(), Value::Array(own));
                map.insert("attach_route".into(), Value::Array(attach));
            }
            value
        })
        .collect();
    json!({
        "version": VERSION,
        "tool": { "name": "dts-migrate", "version": env!("CARGO_PKG_VERSION") },
        "parameters": plan.params,
        "scheduler": plan.scheduler,
        "user_identity": plan.user_identity_var,
        "shared_steps": shared,
        "apps": apps,
        "problems": plan.problems,
    })
}

/// The document as pretty-printed text with a final newline, its strings escaped as the JSON
/// report's are (`##` and `::` taken from input never reach a CI log as a command).
pub fn render(plan: &Plan) -> String {
    let mut text = String::new();
    crate::report::json::push_pretty(&document(plan), &mut text);
    text
}
