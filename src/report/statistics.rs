//! `--statistics`: one line per rule with findings, as ruff prints them: the count, the code,
//! `[*]` when findings of the rule have a fix `--write` applies, and the rule's name. The most
//! frequent rule first, then by code.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::engine::Outcome;

/// The statistics of `outcome`.
pub fn render(outcome: &Outcome) -> String {
    let mut by_rule: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for f in &outcome.findings {
        let entry = by_rule.entry(f.code).or_default();
        entry.0 += 1;
        entry.1 |= super::fixable(f);
    }
    let mut rows: Vec<(&str, usize, bool)> = by_rule
        .into_iter()
        .map(|(c, (n, fix))| (c, n, fix))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (code, count, fixable) in rows {
        let name = crate::facts::rule(code).map_or("", |r| r.name.as_str());
        let mark = if fixable { "[*]" } else { "   " };
        let _ = writeln!(out, "{count:>width$}\t{code}\t{mark} {name}");
    }
    out
}
