//! The rule catalogue: each rule's metadata and documentation from `rules/DTS*.toml`, and the
//! severities findings carry. Plain data, parsed once; it never looks at an app.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informs, never fails a run by default.
    Info,
    /// Fails a run by default (`--fail-on warning`).
    Warning,
    /// Always fails a run.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Every rule's documentation file (`rules/DTSxxx.toml`), embedded in the binary, by code.
/// `tests/rules.rs` fails when a file in `rules/` is missing here.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("DTS101", include_str!("../../rules/DTS101.toml")),
    ("DTS102", include_str!("../../rules/DTS102.toml")),
    ("DTS103", include_str!("../../rules/DTS103.toml")),
    ("DTS104", include_str!("../../rules/DTS104.toml")),
    ("DTS105", include_str!("../../rules/DTS105.toml")),
    ("DTS106", include_str!("../../rules/DTS106.toml")),
    ("DTS107", include_str!("../../rules/DTS107.toml")),
    ("DTS108", include_str!("../../rules/DTS108.toml")),
    ("DTS109", include_str!("../../rules/DTS109.toml")),
    ("DTS110", include_str!("../../rules/DTS110.toml")),
    ("DTS201", include_str!("../../rules/DTS201.toml")),
    ("DTS202", include_str!("../../rules/DTS202.toml")),
    ("DTS203", include_str!("../../rules/DTS203.toml")),
    ("DTS204", include_str!("../../rules/DTS204.toml")),
    ("DTS205", include_str!("../../rules/DTS205.toml")),
    ("DTS206", include_str!("../../rules/DTS206.toml")),
    ("DTS207", include_str!("../../rules/DTS207.toml")),
    ("DTS208", include_str!("../../rules/DTS208.toml")),
    ("DTS301", include_str!("../../rules/DTS301.toml")),
    ("DTS302", include_str!("../../rules/DTS302.toml")),
    ("DTS303", include_str!("../../rules/DTS303.toml")),
    ("DTS304", include_str!("../../rules/DTS304.toml")),
    ("DTS305", include_str!("../../rules/DTS305.toml")),
    ("DTS306", include_str!("../../rules/DTS306.toml")),
    ("DTS307", include_str!("../../rules/DTS307.toml")),
    ("DTS401", include_str!("../../rules/DTS401.toml")),
    ("DTS402", include_str!("../../rules/DTS402.toml")),
    ("DTS403", include_str!("../../rules/DTS403.toml")),
    ("DTS404", include_str!("../../rules/DTS404.toml")),
    ("DTS405", include_str!("../../rules/DTS405.toml")),
    ("DTS501", include_str!("../../rules/DTS501.toml")),
    ("DTS502", include_str!("../../rules/DTS502.toml")),
    ("DTS503", include_str!("../../rules/DTS503.toml")),
    ("DTS504", include_str!("../../rules/DTS504.toml")),
    ("DTS505", include_str!("../../rules/DTS505.toml")),
    ("DTS506", include_str!("../../rules/DTS506.toml")),
];

/// Best applicability a rule's fix can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// Applied by `--write`.
    Safe,
    /// Applied with `--unsafe-fixes`.
    Unsafe,
    /// Shown, never applied.
    DisplayOnly,
    /// The rule has no fix.
    None,
}

/// The documentation sections of a rule.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RuleDocs {
    /// What it does.
    pub what_it_does: String,
    /// Why it matters.
    pub why_it_matters: String,
    /// Example, Markdown.
    pub example: String,
    /// What the fix does.
    pub fix: String,
    /// Sources.
    #[serde(default)]
    pub references: Vec<String>,
}

/// A rule's metadata and documentation.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RuleMeta {
    /// `DTS101`.
    pub code: String,
    /// `legacy-backend`.
    pub name: String,
    /// `backend`, `settings`, `packages`, `extensions`, `files`.
    pub family: String,
    /// Default severity.
    pub severity: Severity,
    /// Best fix applicability.
    pub fix: FixKind,
    /// One line.
    pub summary: String,
    /// The documentation.
    pub docs: RuleDocs,
}

/// The rule catalogue, ordered by code.
pub fn catalogue() -> &'static BTreeMap<String, RuleMeta> {
    static CATALOGUE: OnceLock<BTreeMap<String, RuleMeta>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        RULE_FILES
            .iter()
            .copied()
            .map(|file| {
                let meta = parse_rule(file);
                (meta.code.clone(), meta)
            })
            .collect()
    })
}

/// The metadata of one rule. Only that rule's file is parsed (once), not the whole catalogue:
/// a run that reports a few rules does not pay for the documentation of the others.
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    static ONE: [OnceLock<RuleMeta>; RULE_FILES.len()] =
        [const { OnceLock::new() }; RULE_FILES.len()];
    let at = RULE_FILES.binary_search_by(|(c, _)| (*c).cmp(code)).ok()?;
    Some(ONE[at].get_or_init(|| parse_rule(RULE_FILES[at])))
}

/// The metadata in a rule's file.
fn parse_rule((code, text): (&str, &str)) -> RuleMeta {
    toml::from_str(text).unwrap_or_else(|e| panic!("rules/{code}.toml is invalid: {e}"))
}
