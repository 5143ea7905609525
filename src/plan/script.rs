//! The plan as steps of `az` commands, in the order they run, with every argument as data
//! (literal text and variable references): [`super::shell`] and [`super::pwsh`] quote them for
//! their shell through a [`Dialect`], [`super::markdown`] shows them, [`super::json`] lists
//! them. Nothing here quotes or prints.
//!
//! A script run as it is provisions what is safe while the old apps still run (scheduler, task
//! hubs, identities, roles) and prints how to drain; the cut-over of a legacy app (its app
//! settings) waits for `DRAINED=yes`, and removing the old backend's settings for
//! `REMOVE_OLD_SETTINGS=yes`: the script never prompts and never waits.

use super::build::SKU;
use super::facts::azure;
use super::Plan;

pub use super::steps::{attach_route, drain_commands, steps};

/// The variable that holds the scheduler's endpoint, read from Azure.
pub const ENDPOINT: &str = "ENDPOINT";
/// The gate of a legacy app's cut-over.
pub const DRAINED: &str = "DRAINED";
/// The gate of removing the old backend's settings.
pub const REMOVE_OLD_SETTINGS: &str = "REMOVE_OLD_SETTINGS";
/// The user-assigned identity's principal id, read from Azure.
pub const USER_PRINCIPAL: &str = "USER_IDENTITY_PRINCIPAL_ID";
/// The user-assigned identity's client id, read from Azure.
pub const USER_CLIENT: &str = "USER_IDENTITY_CLIENT_ID";

/// A piece of an argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// The value of a variable.
    Var(String),
}

/// One argument (or one printed line): literal text and variables, joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// Literal text.
    pub fn lit(text: impl Into<String>) -> Word {
        Word(vec![Part::Lit(text.into())])
    }

    /// A variable.
    pub fn var(name: impl Into<String>) -> Word {
        Word(vec![Part::Var(name.into())])
    }

    /// The word with variables written `${NAME}`, for people and JSON.
    pub fn display(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(t) => t.clone(),
                Part::Var(v) => format!("${{{v}}}"),
            })
            .collect()
    }
}

/// An `az` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The arguments after `az`.
    pub argv: Vec<Word>,
    /// The variable that receives its output (`-o tsv`), if any.
    pub capture: Option<String>,
}

impl Command {
    /// The command with variables written `${NAME}`, for people.
    pub fn display(&self) -> String {
        let args: Vec<String> = self.argv.iter().map(Word::display).collect();
        match &self.capture {
            Some(var) => format!("{var}=$(az {})", args.join(" ")),
            None => format!("az {}", args.join(" ")),
        }
    }
}

/// A line of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A comment for whoever reads the script.
    Comment(String),
    /// A line printed when the script runs.
    Say(Word),
    /// A command that runs.
    Run(Command),
    /// Lines that run only when the variable is `yes`, and the ones that run otherwise.
    Gate {
        /// The environment variable.
        var: String,
        /// When it is `yes`.
        then: Vec<Line>,
        /// Otherwise.
        otherwise: Vec<Line>,
    },
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// The CLI extension.
    Setup,
    /// Problems found while planning.
    Problems,
    /// Draining the old hub (printed only).
    Drain,
    /// The scheduler and its endpoint.
    Scheduler,
    /// The user-assigned identity's ids.
    Identity,
    /// The task hub.
    TaskHub,
    /// The app's identity and its role on the hub.
    Role,
    /// The app settings.
    Settings,
    /// Removing the old backend's settings.
    RemoveSettings,
    /// Checking the dashboard.
    Verify,
}

/// A step: a title and its lines, for one app or for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What it does.
    pub kind: StepKind,
    /// The app (path) it is for; `None` for shared steps.
    pub app: Option<String>,
    /// A heading for people.
    pub title: String,
    /// Its lines.
    pub lines: Vec<Line>,
}

/// How one shell writes the lines.
pub trait Dialect {
    /// The first lines: interpreter, error handling.
    fn prologue(&self, out: &mut String);
    /// Sets a known parameter.
    fn set_var(&self, var: &str, value: &str, out: &mut String);
    /// Takes the unknown parameters (variable, what it is) from the environment, and exits
    /// naming every one that is not set.
    fn require_vars(&self, vars: &[(String, String)], out: &mut String);
    /// Fails unless `var` is one of `allowed`.
    fn require_one_of(&self, var: &str, allowed: &[String], out: &mut String);
    /// A word (literal, variable or both) as the dialect quotes it.
    fn word(&self, word: &Word) -> String;
    /// The statement that sets `var` to what `call` prints.
    fn capture(&self, var: &str, call: &str) -> String;
    /// A comment line (text is one line): `#` in both dialects.
    fn comment(&self, text: &str, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}# {}\n", one_line(text)));
    }
    /// A printed line.
    fn say(&self, word: &Word, indent: &str, out: &mut String);
    /// A command: `az` with its words, its output captured when the command says so.
    fn run(&self, command: &Command, indent: &str, out: &mut String) {
        let args: Vec<String> = command.argv.iter().map(|w| self.word(w)).collect();
        let call = format!("az {}", args.join(" "));
        match &command.capture {
            Some(var) => out.push_str(&format!("{indent}{}\n", self.capture(var, &call))),
            None => out.push_str(&format!("{indent}{call}\n")),
        }
    }
    /// Opens a gate.
    fn gate_open(&self, var: &str, indent: &str, out: &mut String);
    /// Between the two branches of a gate.
    fn gate_else(&self, indent: &str, out: &mut String);
    /// Closes a gate.
    fn gate_close(&self, indent: &str, out: &mut String);
}

/// A one-line text that no CI runner acts on, taken from input (a folder name, a hub name):
/// control characters are escaped (`\n`), and so are `##` (an Azure Pipelines command
/// anywhere in a line) and a `::` that could start a GitHub workflow command
/// ([`crate::source::escape::console`]).
pub fn one_line(text: &str) -> String {
    crate::source::escape::console(text).into_owned()
}

/// Renders the whole plan as a script in `dialect`.
pub fn render(plan: &Plan, dialect: &dyn Dialect) -> String {
    let mut out = String::new();
    dialect.prologue(&mut out);
    dialect.comment(
        "Generated by `dts-migrate plan`; it never calls Azure itself. Values: flags of dts-migrate plan, or the environment.",
        "",
        &mut out,
    );
    let mut unknown = Vec::new();
    for p in &plan.params {
        match &p.value {
            Some(value) => dialect.set_var(&p.var, value, &mut out),
            None => unknown.push((
                p.var.clone(),
                one_line(&format!("{} ({})", p.about, p.flag)),
            )),
        }
    }
    if !unknown.is_empty() {
        dialect.require_vars(&unknown, &mut out);
    }
    if plan.scheduler.sku.is_none() {
        dialect.require_one_of(SKU, &azure().skus, &mut out);
    }
    for step in steps(plan) {
        out.push('\n');
        dialect.comment(&format!("== {}", step.title), "", &mut out);
        render_lines(&step.lines, dialect, "", &mut out);
    }
    out
}

fn render_lines(lines: &[Line], dialect: &dyn Dialect, indent: &str, out: &mut String) {
    for line in lines {
        match line {
            Line::Comment(text) => dialect.comment(&one_line(text), indent, out),
            Line::Say(word) => dialect.say(word, indent, out),
            Line::Run(command) => dialect.run(command, indent, out),
            Line::Gate {
                var,
                then,
                otherwise,
            } => {
                dialect.gate_open(var, indent, out);
                let inner = format!("{indent}  ");
                render_lines(then, dialect, &inner, out);
                if !otherwise.is_empty() {
                    dialect.gate_else(indent, out);
                    render_lines(otherwise, dialect, &inner, out);
                }
                dialect.gate_close(indent, out);
            }
        }
    }
}
