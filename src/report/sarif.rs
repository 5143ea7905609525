//! SARIF 2.1.0: every rule with its help, results with repo-relative URIs, stable
//! `partialFingerprints`, and fixes as artifact changes; every text masked, the new text of
//! fixes included.
//!
//! Paths: every `artifactLocation.uri` is relative to the repository root
//! ([`crate::source::repo::report_root`], the same folder GitLab paths are relative to) under
//! `uriBaseId` `%SRCROOT%`, whose `originalUriBaseIds` entry gives the root as a `file://`
//! URI; a file outside the root gets an absolute `file://` URI and no base. URIs are
//! percent-encoded (RFC 3986: everything but the unreserved characters and `/`).
//! `invocations[0].workingDirectory` is the folder the tool ran in. Offsets and columns count
//! Unicode code points after the BOM (which takes none).
//!
//! The log is streamed: the header, each result as it is made, then the footer, so the memory
//! a run needs does not grow with the number of results. The header and footer go through the
//! serialiser of [`super::json::write_pretty`]; results are written field by field
//! ([`super::sarif_result`]) in the same layout. Object keys are in alphabetical order.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::sarif_result::{
    ArtifactChange, Location, PhysicalLocation, Region, Replacement, SarifFix, SarifResult, Text,
};
use super::{Fingerprints, Recent, RepoPaths};
use crate::facts::Severity;
use crate::facts::{catalogue, RuleMeta};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::source::redact::masked;
use crate::source::{SourceFile, WalkRoot};

/// The `uriBaseId` of URIs relative to the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// GitHub code scanning keeps at most this many characters of a rule's `fullDescription`.
pub const FULL_DESCRIPTION_LIMIT: usize = 1024;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `text` when it fits in [`FULL_DESCRIPTION_LIMIT`] characters; else its first paragraphs
/// that fit, then the list items or sentences of the next one that still fit, and `…` for
/// the rest (a word cut with `…` when not even the first sentence fits). The full text stays
/// in the rule's `help`.
pub fn full_description(text: &str) -> String {
    let text = text.trim();
    let count = |s: &str| s.chars().count();
    if count(text) <= FULL_DESCRIPTION_LIMIT {
        return text.to_string();
    }
    // Room for the `…` that ends a shortened text (at most "\n- …").
    let room = FULL_DESCRIPTION_LIMIT - 4;
    let mut out = String::new();
    let fits = |out: &str, sep: &str, more: &str| count(out) + count(sep) + count(more) <= room;
    let mut in_list = false;
    for paragraph in text.split("\n\n").map(str::trim) {
        let sep = if out.is_empty() { "" } else { "\n\n" };
        if fits(&out, sep, paragraph) {
            out.push_str(sep);
            out.push_str(paragraph);
            continue;
        }
        // The part of this paragraph that fits: whole list items, else whole sentences.
        let units: Vec<&str> = if paragraph.starts_with("- ") {
            in_list = true;
            split_after(paragraph, "\n- ", 1)
        } else {
            split_after(paragraph, ". ", 1)
        };
        let mut first = true;
        for unit in units {
            let sep = match (first, out.is_empty()) {
                (true, false) => "\n\n",
                _ => "",
            };
            if !fits(&out, sep, unit) {
                break;
            }
            out.push_str(sep);
            out.push_str(unit);
            first = false;
        }
        in_list &= !first;
        break;
    }
    if out.is_empty() {
        out = text.chars().take(room).collect();
        if let Some(space) = out.rfind(char::is_whitespace) {
            out.truncate(space);
        }
    }
    let out = out.trim_end();
    if in_list {
        format!("{out}\n- …")
    } else {
        format!("{out} …")
    }
}

/// `text` cut after each `sep`, the separator's first `keep` bytes kept with the piece before
/// it and the rest with the piece after it (so the pieces join back to `text`).
fn split_after<'t>(text: &'t str, sep: &str, keep: usize) -> Vec<&'t str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(sep) {
        pieces.push(&text[start..i + keep]);
        start = i + keep;
    }
    pieces.push(&text[start..]);
    pieces
}

fn rule(meta: &RuleMeta) -> serde_json::Value {
    let markdown = super::rule_docs::text(meta);
    serde_json::json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full_description(&meta.docs.what_it_does) },
        "help": { "text": markdown, "markdown": markdown },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": [meta.family] },
    })
}

/// Where a file is: a URI relative to `%SRCROOT%`, or an absolute `file://` URI.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    /// The percent-encoded URI.
    pub uri: String,
    /// `%SRCROOT%` for a relative URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

impl ArtifactLocation {
    /// The location of the file at `path` (as found): relative to the canonical folder `root`
    /// when it lies inside it, else absolute.
    pub fn of(root: Option<&Path>, path: &Path) -> ArtifactLocation {
        Artifacts {
            paths: RepoPaths::new(root),
            known: Recent::default(),
        }
        .find(path, None)
    }
}

/// `path` made absolute: its folder resolved (as [`crate::source::repo::relative_to`] does), else joined to the
/// current folder.
fn absolute(path: &Path) -> PathBuf {
    let resolved = path.file_name().and_then(|name| {
        let folder = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(folder).ok()?.join(name))
    });
    resolved
        .or_else(|| std::path::absolute(path).ok())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Percent-encodes a `/`-separated path (RFC 3986): every byte but the unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) and `/` becomes `%XX`, so a space, `#`, `%`, `:` or `?` and every
/// non-ASCII byte of the UTF-8 name is encoded.
pub fn percent_encode(path: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(path.len());
    for &b in path {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}

/// The `file://` URI of the absolute path `path`, ending with `/` when `folder`.
pub fn file_uri(path: &Path, folder: bool) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = crate::source::display_path(path).into_bytes();
    let mut uri = String::from("file://");
    match bytes.get(1) {
        // A Windows drive (`C:/...`): `file:///C:/...`, the colon kept.
        Some(b':') if bytes[0].is_ascii_alphabetic() => {
            uri.push('/');
            uri.push(char::from(bytes[0]));
            uri.push(':');
            uri.push_str(&percent_encode(&bytes[2..]));
        }
        _ => {
            if !bytes.starts_with(b"/") {
                uri.push('/');
            }
            uri.push_str(&percent_encode(&bytes));
        }
    }
    if folder && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The artifact locations of the files of a run of findings, each worked out once, and the
/// paths their fingerprints hash.
struct Artifacts<'a> {
    paths: RepoPaths<'a>,
    known: Recent<&'a Path, ArtifactLocation>,
}

impl<'a> Artifacts<'a> {
    /// The location of the file at `path`, which the walk from `walked` listed if given.
    fn find(&mut self, path: &'a Path, walked: Option<&WalkRoot>) -> ArtifactLocation {
        let paths = &mut self.paths;
        self.known
            .get_or_insert_with(
                |known| known.as_os_str() == path.as_os_str(),
                || path,
                || match paths.relative(path, walked) {
                    Some(relative) => ArtifactLocation {
                        uri: percent_encode(relative.as_bytes()),
                        uri_base_id: Some(SRCROOT),
                    },
                    None => ArtifactLocation {
                        uri: file_uri(&absolute(path), false),
                        uri_base_id: None,
                    },
                },
            )
            .clone()
    }

    fn location(&mut self, span: &'a Span) -> PhysicalLocation {
        PhysicalLocation {
            artifact_location: self.find(&span.file.path, span.file.walked.as_deref()),
            region: Region::of(span),
        }
    }
}

fn result<'a>(
    f: &'a Finding,
    fingerprint: String,
    rule_index: Option<usize>,
    artifacts: &mut Artifacts<'a>,
) -> SarifResult<'a> {
    let related_locations = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i),
            message: Some(Text {
                text: masked(&r.label),
            }),
            physical_location: artifacts.location(&r.span),
        })
        .collect();
    let fixes = f
        .fix
        .as_ref()
        .filter(|x| x.applicability != Applicability::DisplayOnly)
        .map(|fix| {
            let mut changes: Vec<(&SourceFile, Vec<Replacement>)> = Vec::new();
            for e in &fix.edits {
                let span = Span::new(&e.file, e.range.clone());
                let replacement = Replacement {
                    deleted_region: Region::of(&span),
                    inserted_content: Text {
                        text: masked(&e.replacement),
                    },
                };
                let path = e.file.path.as_path();
                match changes.iter_mut().find(|(file, _)| file.path == path) {
                    Some((_, list)) => list.push(replacement),
                    None => changes.push((&*e.file, vec![replacement])),
                }
            }
            SarifFix {
                artifact_changes: changes
                    .into_iter()
                    .map(|(file, replacements)| ArtifactChange {
                        artifact_location: artifacts.find(&file.path, file.walked.as_deref()),
                        replacements,
                    })
                    .collect(),
                description: Text {
                    text: Cow::Owned(format!(
                        "{} ({})",
                        masked(&fix.message),
                        fix.applicability.as_str()
                    )),
                },
            }
        });
    SarifResult {
        fixes,
        level: level(f.severity),
        location: Location {
            id: None,
            message: None,
            physical_location: artifacts.location(&f.span),
        },
        message: Text {
            text: masked(&f.message),
        },
        fingerprint,
        related_locations,
        rule_id: f.code,
        rule_index,
    }
}

/// The results of `findings`, appended to `out` as items of the log's `results` array (URIs
/// relative to `root`); returns how many. Fingerprints count the identical findings before
/// each one in its file: a file's findings come in one call.
pub fn piece(findings: &[Finding], root: Option<&Path>, out: &mut Vec<u8>) -> usize {
    let mut prints = Fingerprints::default();
    let mut artifacts = Artifacts {
        paths: RepoPaths::new(root),
        known: Recent::default(),
    };
    super::pretty::push_items(out, RESULTS_LEVEL, findings, |w, f| {
        let rule_index = rule_codes().binary_search(&f.code).ok();
        let fingerprint = prints.next(f, &artifacts.paths.shown(&f.span.file));
        result(f, fingerprint, rule_index, &mut artifacts).write(w);
    })
}

/// The rule codes in the order the log's driver lists its rules (the catalogue's, by code):
/// a result's rule index is its code's place here.
fn rule_codes() -> &'static [&'static str] {
    static CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| catalogue().keys().map(String::as_str).collect())
}

/// The depth of the results in the log.
pub const RESULTS_LEVEL: usize = 4;

#[derive(Serialize)]
struct Uri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_directory: Option<Uri>,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: Uri,
}

#[derive(Serialize)]
struct FactsDate {
    #[serde(rename = "factsDate")]
    facts_date: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    properties: FactsDate,
    rules: Vec<serde_json::Value>,
    semantic_version: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    column_kind: &'static str,
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    results: [(); 0],
    tool: Tool,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run; 1],
    version: &'static str,
}

/// The log around its results: the text up to the `[` of `results` and the text after its
/// `]` (a newline ends it). URIs are relative to `root` (canonical; the repository root) where
/// they can be; `working_dir` is the folder the tool ran in.
pub fn parts(root: Option<&Path>, working_dir: Option<&Path>) -> (Vec<u8>, Vec<u8>) {
    let rules: Vec<&RuleMeta> = catalogue().values().collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: true,
                working_directory: working_dir.map(|dir| Uri {
                    uri: file_uri(dir, true),
                }),
            }],
            original_uri_base_ids: root.map(|root| BaseIds {
                srcroot: Uri {
                    uri: file_uri(root, true),
                },
            }),
            results: [],
            tool: Tool {
                driver: Driver {
                    name: "dts-migrate",
                    properties: FactsDate {
                        facts_date: crate::facts::facts_date(),
                    },
                    rules: rules.iter().map(|r| rule(r)).collect(),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    let (head, mut tail) = super::json::split_at_array(&log, "results");
    tail.push(b'\n');
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            percent_encode(b"src/My Functions/host.json"),
            "src/My%20Functions/host.json"
        );
        assert_eq!(
            percent_encode("a#b/50%/ü/x:y?".as_bytes()),
            "a%23b/50%25/%C3%BC/x%3Ay%3F"
        );
        assert_eq!(percent_encode(b"A-z_0.9~/"), "A-z_0.9~/");
        assert_eq!(
            file_uri(Path::new("/r/My Repo"), true),
            "file:///r/My%20Repo/"
        );
        assert_eq!(file_uri(Path::new("/r/x/"), true), "file:///r/x/");
        assert_eq!(
            file_uri(Path::new("/r/a#1.json"), false),
            "file:///r/a%231.json"
        );
        assert_eq!(
            file_uri(Path::new("C:/Users/a b"), true),
            "file:///C:/Users/a%20b/"
        );
    }

    #[test]
    fn files_outside_the_root_get_absolute_uris_without_a_base() {
        let tree = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(tree.path()).unwrap();
        let repo = top.join("my repo");
        std::fs::create_dir_all(repo.join("app #1")).unwrap();
        let inside = ArtifactLocation::of(Some(&repo), &repo.join("app #1/host.json"));
        assert_eq!(inside.uri, "app%20%231/host.json");
        assert_eq!(inside.uri_base_id, Some(SRCROOT));
        let outside = ArtifactLocation::of(Some(&repo), &top.join("Directory.Packages.props"));
        assert_eq!(
            outside.uri,
            file_uri(&top.join("Directory.Packages.props"), false)
        );
        assert!(outside.uri.starts_with("file:///"), "{}", outside.uri);
        assert_eq!(outside.uri_base_id, None);
    }

    #[test]
    fn full_descriptions_fit_github() {
        let short = "One paragraph.\n\nAnother.";
        assert_eq!(full_description(short), short);
        let long = format!("One paragraph.\n\n{}", "x".repeat(FULL_DESCRIPTION_LIMIT));
        assert_eq!(full_description(&long), "One paragraph. …");
        let list = format!("Reports:\n\n{}", "- an item of the list\n".repeat(60));
        let cut = full_description(&list);
        assert!(
            cut.starts_with("Reports:\n\n- an item of the list\n- an item"),
            "{cut}"
        );
        assert!(cut.ends_with("an item of the list\n- …"), "{cut}");
        let sentences = "A sentence that goes on. ".repeat(60);
        let cut = full_description(&sentences);
        assert!(cut.ends_with("goes on. …"), "{cut}");
        let words = "word ".repeat(400);
        assert!(full_description(&words).ends_with("word …"));
        for text in [list, sentences, words] {
            assert!(full_description(&text).chars().count() <= FULL_DESCRIPTION_LIMIT);
        }
        for meta in catalogue().values() {
            let text = full_description(&meta.docs.what_it_does);
            assert!(
                !text.is_empty() && text.chars().count() <= FULL_DESCRIPTION_LIMIT,
                "{}: {} characters",
                meta.code,
                text.chars().count()
            );
        }
    }
}
