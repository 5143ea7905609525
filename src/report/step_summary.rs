//! The GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`): Markdown with the counts per rule
//! and per app, the first findings, and what `--write` would change (or changed). GitHub shows
//! only the first annotations of each kind in a step, so this is where a large run is read.
//! Every text taken from input is masked and escaped for the console ([`console_text`],
//! [`console_path`]), then for Markdown ([`markdown`]): a message cannot open a table cell,
//! a link, HTML or a CI command.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::{console_path, console_text, plural};
use crate::engine::Outcome;
use crate::finding::Finding;

/// How many findings the summary lists one by one.
pub const FIRST_FINDINGS: usize = 20;
/// How many apps the per-app table lists (the most findings first).
pub const MAX_APPS: usize = 50;

/// Escapes text for a Markdown table cell: every ASCII punctuation character Markdown or its
/// HTML gives a meaning to is backslash-escaped or written as an entity, and a line break is
/// a space.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | ':' | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The app folder a finding's file belongs to: the nearest discovered app folder above it,
/// else the file's folder (a props file above the apps).
fn app_of<'a>(file: &'a Path, apps: &HashSet<&'a Path>) -> &'a Path {
    let folder = file.parent().unwrap_or(file);
    folder
        .ancestors()
        .find(|d| apps.contains(d))
        .unwrap_or(folder)
}

/// The job summary of `outcome`; `changes` is the closing line of what `--write` changed or
/// would change (empty: none to say).
pub fn render(outcome: &Outcome, changes: &str) -> String {
    let mut out = String::from("## dts-migrate\n\n");
    // Counts only: nothing taken from input.
    out.push_str(super::summary(outcome, None).trim_end());
    out.push_str("\n\n");
    if !changes.is_empty() {
        let _ = writeln!(out, "{}\n", markdown(&console_text(changes)));
    }
    if outcome.findings.is_empty() {
        return out;
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let apps: HashSet<&Path> = outcome.discovered.iter().map(|a| a.dir.as_path()).collect();
    let mut by_app: BTreeMap<&Path, usize> = BTreeMap::new();
    for f in &outcome.findings {
        *by_rule.entry(f.code).or_default() += 1;
        *by_app.entry(app_of(&f.span.file.path, &apps)).or_default() += 1;
    }
    out.push_str("| rule | name | findings |\n|---|---|---:|\n");
    for (code, n) in &by_rule {
        let name = crate::facts::rule(code).map_or("", |r| r.name.as_str());
        let _ = writeln!(out, "| {code} | {} | {n} |", markdown(name));
    }
    let mut apps: Vec<(&Path, usize)> = by_app.into_iter().collect();
    apps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out.push_str("\n| app | findings |\n|---|---:|\n");
    for (app, n) in apps.iter().take(MAX_APPS) {
        let _ = writeln!(out, "| {} | {n} |", markdown(&console_path(app)));
    }
    if apps.len() > MAX_APPS {
        let rest = apps.len() - MAX_APPS;
        let _ = writeln!(out, "\n… and {} more.", plural(rest, "app", "apps"));
    }
    let first = outcome.findings.len().min(FIRST_FINDINGS);
    let _ = writeln!(
        out,
        "\n### The first {} of {}\n\n| where | rule | severity | message |\n|---|---|---|---|",
        plural(first, "finding", "findings"),
        outcome.findings.len()
    );
    for f in outcome.findings.iter().take(FIRST_FINDINGS) {
        let _ = writeln!(out, "{}", row(f));
    }
    out
}

fn row(f: &Finding) -> String {
    let (line, col) = f.span.start();
    format!(
        "| {}:{line}:{col} | {} | {} | {} |",
        markdown(&console_path(&f.span.file.path)),
        f.code,
        f.severity.as_str(),
        markdown(&console_text(&f.message))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_would_format_or_break_a_cell() {
        assert_eq!(
            markdown("a|b <img> [x](y) `c`\n::error::"),
            "a\\|b &lt;img&gt; \\[x\\]\\(y\\) \\`c\\` \\:\\:error\\:\\:"
        );
    }
}
