//! Reports: one module per output format. Each renders the engine's [`Outcome`] it is given
//! and never re-runs a check or touches a user's file. Every format masks secrets
//! ([`crate::source::redact`]), escapes what a console or CI runner must not see raw
//! ([`crate::source::escape`]; [`console_text`] for the console formats) and lists findings in
//! the order of [`Finding::report_order`].

pub mod ci;
pub mod concise;
pub mod diff;
pub mod fixes;
pub mod gitlab;
pub mod human;
pub mod json;
mod json_finding;
pub mod junit;
mod pretty;
pub mod rule_docs;
pub mod sarif;
mod sarif_result;
pub mod statistics;
pub mod step_summary;
pub mod stream;

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::Path;

use crate::engine::Outcome;
use crate::facts::Severity;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::source::escape;
use crate::source::memo::{self, Memo};
use crate::source::redact::masked;
use crate::source::{display_path, SourceFile, WalkRoot};

/// Text taken from input (a message, label, help or note) as the console formats print it:
/// secrets masked, then control characters and CI command prefixes escaped. Borrows when
/// neither changes anything.
pub fn console_text(text: &str) -> Cow<'_, str> {
    thread_local! {
        /// Whether a text comes out as it is (the same messages come back app after app).
        static AS_IS: Memo<bool> = RefCell::default();
    }
    let as_is = |t: &str| {
        matches!(masked(t), Cow::Borrowed(_)) && matches!(escape::console(t), Cow::Borrowed(_))
    };
    if memo::remembered(&AS_IS, 512, text, as_is) {
        return Cow::Borrowed(text);
    }
    match masked(text) {
        Cow::Borrowed(text) => escape::console(text),
        Cow::Owned(text) => Cow::Owned(escape::console(&text).into_owned()),
    }
}

/// A path as the console formats print it: its display form with control characters and CI
/// command prefixes escaped (a folder may be named `\n::error::x`).
pub fn console_path(path: &Path) -> String {
    let shown = display_path(path);
    match escape::console(&shown) {
        Cow::Borrowed(_) => shown,
        Cow::Owned(escaped) => escaped,
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source excerpts with labels and help (miette), and a summary.
    Human,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// One JSON document (schema in docs/json-report.md).
    Json,
    /// One JSON object per finding per line (the `findings` items of `json`).
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Azure Pipelines logging commands (annotations).
    Azure,
    /// JUnit XML.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// How many formats there are (the last one's index, plus one).
    pub const COUNT: usize = Format::Gitlab as usize + 1;

    /// Whether the format is read by a program (everything but `human` and `concise`): on a
    /// readable tree it prints nothing on stderr but the apps `--write` could not write.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human | Format::Concise)
    }

    /// Whether the format shows the edits of fixes (the others show at most a fix's message
    /// and applicability).
    pub fn shows_edits(self) -> bool {
        matches!(self, Format::Json | Format::JsonLines | Format::Sarif)
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// ANSI colours.
    pub color: bool,
    /// Line width for wrapping.
    pub width: usize,
    /// Leave out the summary line.
    pub quiet: bool,
    /// The canonical folder GitLab paths and SARIF URIs are relative to (the repository root,
    /// [`crate::source::repo::report_root`]); `None`: paths as found (GitLab), absolute
    /// `file://` URIs (SARIF).
    pub root: Option<std::path::PathBuf>,
    /// The lowest severity that fails the run (`--fail-on`): JUnit fails only these.
    pub fail_on: Severity,
    /// What `--write` would change, for the human summary: (fixes, files); `None` when not
    /// computed.
    pub would_write: Option<(usize, usize)>,
    /// The `dts-migrate rule CODE` hint under each finding of the human report.
    pub rule_hint: bool,
}

impl Default for ReportContext {
    fn default() -> ReportContext {
        ReportContext {
            color: false,
            width: 100,
            quiet: false,
            root: None,
            fail_on: Severity::Warning,
            would_write: None,
            rule_hint: true,
        }
    }
}

/// Whether `--write` fixes `finding` (a safe fix): the `[*]` of the concise report and
/// `--statistics`, and the "fixable with --write" count.
pub fn fixable(finding: &Finding) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|fix| fix.applicability == Applicability::Safe)
}

/// Finding counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Info.
    pub info: usize,
    /// Findings with a safe fix.
    pub safe_fixes: usize,
    /// Findings with an unsafe fix.
    pub unsafe_fixes: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.info += other.info;
        self.safe_fixes += other.safe_fixes;
        self.unsafe_fixes += other.unsafe_fixes;
    }
}

impl Counts {
    /// All findings counted.
    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.info
    }

    /// Whether a finding is at or above `severity`.
    pub fn any_at(&self, severity: Severity) -> bool {
        match severity {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.findings() > 0,
        }
    }

    /// Counts findings.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.info += 1,
            }
            match f.fix.as_ref().map(|x| x.applicability) {
                Some(Applicability::Safe) => c.safe_fixes += 1,
                Some(Applicability::Unsafe) => c.unsafe_fixes += 1,
                _ => {}
            }
        }
        c
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Fingerprints that survive line moves: FNV-1a over the rule code, the file (its path
/// relative to `root`, the repository root, so that the fingerprint does not depend on the
/// folder the tool ran in or how the path was given), and the (masked) text at the primary
/// span, plus how many identical findings came before this one.
pub fn fingerprints(findings: &[Finding], root: Option<&Path>) -> Vec<String> {
    let mut paths = RepoPaths::new(root);
    let mut prints = Fingerprints::default();
    findings
        .iter()
        .map(|f| {
            let path = paths.shown(&f.span.file);
            prints.next(f, &path)
        })
        .collect()
}

/// The [`fingerprints`] of findings taken one by one in report order, for the formats that
/// stream: it keeps one count per distinct hash.
#[derive(Debug, Default)]
pub struct Fingerprints {
    seen: std::collections::HashMap<u64, usize>,
}

impl Fingerprints {
    /// The fingerprint of `f`, the next finding, whose file is at `path` ([`RepoPaths::shown`]).
    pub fn next(&mut self, f: &Finding, path: &str) -> String {
        let text = f.span.file.text.as_str();
        let at = text.get(f.span.range.clone()).unwrap_or("");
        let mut hash = fnv1a(0xcbf2_9ce4_8422_2325, f.code.as_bytes());
        hash = fnv1a(hash, path.as_bytes());
        hash = fnv1a(hash, masked(at).as_bytes());
        let n = self.seen.entry(hash).or_insert(0);
        *n += 1;
        // `{hash:016x}:{n}`, written without the formatting machinery (once a result).
        let mut fingerprint = String::with_capacity(24);
        for shift in (0..16).rev() {
            let digit = ((hash >> (shift * 4)) & 0xf) as u8;
            fingerprint.push(char::from(b"0123456789abcdef"[usize::from(digit)]));
        }
        fingerprint.push(':');
        fingerprint.push_str(itoa::Buffer::new().format(*n));
        fingerprint
    }
}

/// The answers of the last few asks of a lookup whose asks come in runs (findings come sorted
/// by file): looked through from the latest, with no hashing of the key.
#[derive(Debug)]
pub struct Recent<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for Recent<K, V> {
    fn default() -> Recent<K, V> {
        Recent { items: Vec::new() }
    }
}

impl<K, V> Recent<K, V> {
    /// Answers kept at most (the oldest is forgotten first).
    const KEPT: usize = 8;

    /// The answer for the key `is_key` accepts, or `answer()` for `key()`, remembered.
    pub fn get_or_insert_with(
        &mut self,
        is_key: impl Fn(&K) -> bool,
        key: impl FnOnce() -> K,
        answer: impl FnOnce() -> V,
    ) -> &V {
        let i = match self.items.iter().rposition(|(k, _)| is_key(k)) {
            Some(i) => i,
            None => {
                if self.items.len() >= Self::KEPT {
                    self.items.remove(0);
                }
                self.items.push((key(), answer()));
                self.items.len() - 1
            }
        };
        &self.items[i].1
    }
}

/// Paths relative to the repository root ([`crate::source::repo::relative_to`]), worked out
/// once per file of a run of findings: many findings share a file.
#[derive(Debug)]
pub struct RepoPaths<'a> {
    root: Option<&'a Path>,
    known: Recent<std::path::PathBuf, Option<String>>,
}

impl<'a> RepoPaths<'a> {
    /// Paths relative to the canonical folder `root`; `None`: every path as found.
    pub fn new(root: Option<&'a Path>) -> RepoPaths<'a> {
        RepoPaths {
            root,
            known: Recent::default(),
        }
    }

    /// `path` relative to the root, `/`-separated; `None` when it lies outside (or there is no
    /// root). `walked`: the root the walk listed the file below, if it did.
    pub fn relative(&mut self, path: &Path, walked: Option<&WalkRoot>) -> Option<&str> {
        let root = self.root;
        self.known
            .get_or_insert_with(
                |known| known.as_os_str() == path.as_os_str(),
                || path.to_path_buf(),
                || root.and_then(|root| crate::source::repo::relative_to(root, path, walked)),
            )
            .as_deref()
    }

    /// The path of `file` relative to the root, else as found ([`display_path`]).
    pub fn shown(&mut self, file: &SourceFile) -> Cow<'_, str> {
        match self.relative(&file.path, file.walked.as_deref()) {
            Some(relative) => Cow::Borrowed(relative),
            None => Cow::Owned(display_path(&file.path)),
        }
    }
}

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash ^ 0xff
}

/// The closing line of the human and concise reports; with `would_write` (fixes, files), what
/// `--write` would change.
pub fn summary(totals: &stream::Totals<'_>, would_write: Option<(usize, usize)>) -> String {
    let c = totals.counts;
    let checked = format!(
        "{} checked ({})",
        plural(totals.apps, "app", "apps"),
        plural(totals.files, "file", "files")
    );
    let found = c.findings();
    if found == 0 {
        return format!("No problems found: {checked}.\n");
    }
    let mut line = format!(
        "Found {}: {}, {}, {}; {checked}.",
        plural(found, "problem", "problems"),
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.info, "info", "info"),
    );
    if c.safe_fixes > 0 {
        line.push_str(&format!(" {} fixable with --write", c.safe_fixes));
        match would_write {
            Some((fixes, files)) if fixes > 0 => line.push_str(&format!(
                " ({} in {}).",
                plural(fixes, "fix", "fixes"),
                plural(files, "file", "files")
            )),
            _ => line.push('.'),
        }
    }
    if c.unsafe_fixes > 0 {
        line.push_str(&format!(
            " {} more with --write --unsafe-fixes.",
            c.unsafe_fixes
        ));
    }
    line.push('\n');
    line
}

/// Renders `outcome` in `format` as text.
pub fn render(outcome: &Outcome, format: Format, cx: &ReportContext) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and every format writes UTF-8.
    let _ = write(outcome, format, cx, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Findings per piece when a whole outcome is written: the pieces are rendered in parallel.
const PIECE: usize = 256;

/// Writes `outcome` in `format` to `out`: its findings rendered in pieces, in parallel, and
/// written in order ([`stream`]).
pub fn write(
    outcome: &Outcome,
    format: Format,
    cx: &ReportContext,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut report = stream::Report::begin(format, cx, out)?;
    let batches = stream::batches(&outcome.findings, PIECE);
    for window in batches.chunks(64) {
        let pieces: Vec<stream::Piece> = window
            .par_iter()
            .map(|batch| stream::piece(format, cx, batch))
            .collect();
        for piece in &pieces {
            report.push(piece)?;
        }
    }
    report.end(&stream::Totals::of(outcome)).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fingerprint is the hash of the code, the path and the masked text in 16 lowercase
    /// hex digits, then how many identical findings came before, plus one.
    #[test]
    fn fingerprints_are_hash_and_count() {
        let file = std::sync::Arc::new(SourceFile {
            path: std::path::PathBuf::from("app/host.json"),
            text: crate::source::text::SourceText::from_string("{ \"a\": 1 }".into()),
            walked: None,
        });
        let finding = Finding::new("DTS101", crate::source::Span::new(&file, 2..5), "m");
        let mut prints = Fingerprints::default();
        let hash = fnv1a(
            fnv1a(fnv1a(0xcbf2_9ce4_8422_2325, b"DTS101"), b"app/host.json"),
            b"\"a\"",
        );
        assert_eq!(
            prints.next(&finding, "app/host.json"),
            format!("{hash:016x}:1")
        );
        assert_eq!(
            prints.next(&finding, "app/host.json"),
            format!("{hash:016x}:2")
        );
        let short = Finding::new("DTS101", crate::source::Span::new(&file, 0..0), "m");
        // An empty span hashes the empty text (which still ends its part).
        let small = fnv1a(fnv1a(fnv1a(0xcbf2_9ce4_8422_2325, b"DTS101"), b"x"), b"");
        assert_eq!(prints.next(&short, "x"), format!("{small:016x}:1"));
    }

    /// An answer is worked out once while it is among the last few, and again once forgotten.
    #[test]
    fn recent_answers_are_remembered_and_the_oldest_forgotten() {
        let mut recent: Recent<usize, usize> = Recent::default();
        let mut worked = 0;
        let mut ask = |recent: &mut Recent<usize, usize>, key: usize| {
            *recent.get_or_insert_with(
                |k| *k == key,
                || key,
                || {
                    worked += 1;
                    key * 10
                },
            )
        };
        for key in [1, 1, 2, 1, 2] {
            assert_eq!(ask(&mut recent, key), key * 10);
        }
        for key in 3..3 + Recent::<usize, usize>::KEPT {
            ask(&mut recent, key);
        }
        // 1 and 2 were the oldest: forgotten, worked out again.
        assert_eq!(ask(&mut recent, 1), 10);
        assert_eq!(worked, 2 + Recent::<usize, usize>::KEPT + 1);
    }

    /// Asked again and again (as the memo answers), a text with a secret, one with a CI
    /// command and one with both are changed every time; a plain one is borrowed.
    #[test]
    fn console_text_masks_and_escapes_every_time() {
        for _ in 0..3 {
            let secret = console_text("AccountKey=c2VjcmV0a2V5");
            assert!(!secret.contains("c2VjcmV0a2V5"), "{secret}");
            let command = console_text("name ::error::x");
            assert!(!command.contains("::error::"), "{command}");
            let both = console_text("::warning::AccountKey=c2VjcmV0a2V5");
            assert!(
                !both.contains("::warning::") && !both.contains("c2VjcmV0a2V5"),
                "{both}"
            );
            assert!(matches!(console_text("plain: text"), Cow::Borrowed(_)));
        }
    }
}
