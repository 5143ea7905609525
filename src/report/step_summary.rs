//! The GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`): Markdown with the counts per rule
//! and per app, the first findings, and what `--write` would change (or changed). GitHub shows
//! only the first annotations of each kind in a step, so this is where a large run is read.
//! Every text taken from input is masked and escaped for the console ([`console_text`],
//! [`console_path`]), then for Markdown ([`markdown`]): a message cannot open a table cell,
//! a link, HTML or a CI command.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::stream::Totals;
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

/// What the job summary says of the findings, gathered batch by batch in report order
/// ([`Digest::add`], [`Digest::merge`]): counts per rule and per app and the first rows.
#[derive(Debug, Default)]
pub struct Digest {
    by_rule: BTreeMap<&'static str, usize>,
    by_app: HashMap<PathBuf, usize>,
    first: Vec<String>,
    findings: usize,
}

impl Digest {
    /// The digest of a whole outcome.
    pub fn of(outcome: &Outcome) -> Digest {
        let apps: HashSet<&Path> = outcome.discovered.iter().map(|a| a.dir.as_path()).collect();
        let mut digest = Digest::default();
        digest.add(&outcome.findings, &apps);
        digest
    }

    /// Adds `findings`, the next in report order, of the run whose app folders are `apps`.
    pub fn add(&mut self, findings: &[Finding], apps: &HashSet<&Path>) {
        for f in findings {
            *self.by_rule.entry(f.code).or_default() += 1;
            let app = app_of(&f.span.file.path, apps);
            match self.by_app.get_mut(app) {
                Some(n) => *n += 1,
                None => {
                    self.by_app.insert(app.to_path_buf(), 1);
                }
            }
            if self.first.len() < FIRST_FINDINGS {
                self.first.push(row(f));
            }
        }
        self.findings += findings.len();
    }

    /// Adds `later`, the digest of the findings after these.
    pub fn merge(&mut self, later: Digest) {
        for (code, n) in later.by_rule {
            *self.by_rule.entry(code).or_default() += n;
        }
        for (app, n) in later.by_app {
            *self.by_app.entry(app).or_default() += n;
        }
        let room = FIRST_FINDINGS - self.first.len().min(FIRST_FINDINGS);
        self.first.extend(later.first.into_iter().take(room));
        self.findings += later.findings;
    }
}

/// The job summary of a run with `totals`, whose findings `digest` sums up; `changes` is the
/// closing line of what `--write` changed or would change (empty: none to say).
pub fn render(digest: &Digest, totals: &Totals<'_>, changes: &str) -> String {
    let mut out = String::from("## dts-migrate\n\n");
    // Counts only: nothing taken from input.
    out.push_str(super::summary(totals, None).trim_end());
    out.push_str("\n\n");
    if !changes.is_empty() {
        let _ = writeln!(out, "{}\n", markdown(&console_text(changes)));
    }
    if digest.findings == 0 {
        return out;
    }
    out.push_str("| rule | name | findings |\n|---|---|---:|\n");
    for (code, n) in &digest.by_rule {
        let name = crate::facts::rule(code).map_or("", |r| r.name.as_str());
        let _ = writeln!(out, "| {code} | {} | {n} |", markdown(name));
    }
    let mut apps: Vec<(&PathBuf, &usize)> = digest.by_app.iter().collect();
    apps.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    out.push_str("\n| app | findings |\n|---|---:|\n");
    for (app, n) in apps.iter().take(MAX_APPS) {
        let _ = writeln!(out, "| {} | {n} |", markdown(&console_path(app)));
    }
    if apps.len() > MAX_APPS {
        let rest = apps.len() - MAX_APPS;
        let _ = writeln!(out, "\n… and {} more.", plural(rest, "app", "apps"));
    }
    let _ = writeln!(
        out,
        "\n### The first {} of {}\n\n| where | rule | severity | message |\n|---|---|---|---|",
        plural(digest.first.len(), "finding", "findings"),
        digest.findings
    );
    for row in &digest.first {
        let _ = writeln!(out, "{row}");
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
