//! `dts-migrate rule`: a rule's documentation as text (Markdown) or JSON.

use crate::facts::{FixKind, RuleMeta};

fn fix_kind(kind: FixKind) -> &'static str {
    match kind {
        FixKind::Safe => "safe",
        FixKind::Unsafe => "unsafe",
        FixKind::DisplayOnly => "display-only",
        FixKind::None => "none",
    }
}

/// The documentation of one rule as Markdown.
pub fn text(rule: &RuleMeta) -> String {
    let d = &rule.docs;
    let mut out = format!(
        "# {} {}\n\n{}.\n\nDefault severity: {}. Fix: {}.\n\n## What it does\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n{}\n\n## Fix\n\n{}\n",
        rule.code,
        rule.name,
        rule.summary,
        rule.severity.as_str(),
        fix_kind(rule.fix),
        d.what_it_does.trim(),
        d.why_it_matters.trim(),
        d.example.trim(),
        d.fix.trim(),
    );
    if !d.references.is_empty() {
        out.push_str("\n## References\n\n");
        for r in &d.references {
            out.push_str(&format!("- {r}\n"));
        }
    }
    out
}

/// The documentation of rules as JSON (an object for one rule, an array for several); each
/// rule carries the `facts_date` of the knowledge behind it.
pub fn json(rules: &[&RuleMeta]) -> String {
    let with_date = |rule: &RuleMeta| {
        serde_json::to_value(rule).map(|mut v| {
            if let Some(object) = v.as_object_mut() {
                object.insert("facts_date".into(), crate::facts::facts_date().into());
            }
            v
        })
    };
    let value = if rules.len() == 1 {
        with_date(rules[0])
    } else {
        rules
            .iter()
            .map(|r| with_date(r))
            .collect::<Result<Vec<_>, _>>()
            .map(serde_json::Value::Array)
    };
    let mut out = value
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default();
    out.push('\n');
    out
}
