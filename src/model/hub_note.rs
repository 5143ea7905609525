//! The migration's note in host.json: a `//` comment that the DTS101 fix writes on the line
//! before `"hubName": "%TASKHUB_NAME%"`, so that `dts-migrate plan` finds the old backend, its
//! literal hub name and its settings again after `check --write` (the plan reads the apps as
//! they are, before or after the migration, and gives the same hubs both times):
//!
//! ```text
//! // dts-migrate: task hub "OrdersHub", migrated from AzureStorage (dts-migrate plan reads this)
//! ```
//!
//! The Functions host reads host.json with Json.NET's `JObject.Parse`, which skips comments
//! (see the README, "The hub-name note"). This module owns the note's text and its reading;
//! it never edits a file.

use serde_json::Value;

use crate::syntax::jsonc::{outside_string, Json};

/// The word that starts a note.
pub const MARKER: &str = "dts-migrate:";

/// What ends a note, for people.
const TAIL: &str = "(dts-migrate plan reads this)";

/// What a note records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubNote {
    /// The old backend's literal hub name.
    pub task_hub: Option<String>,
    /// The app setting that named the old hub (`hubName: "%X%"`).
    pub hub_setting: Option<String>,
    /// The old backend's `storageProvider.type` spelling (`AzureStorage`, `mssql`, `Netherite`).
    pub migrated_from: Option<String>,
    /// Settings only the old backend read.
    pub old_settings: Vec<String>,
}

impl HubNote {
    /// The comment text, from `//` to the end of the line (no line ending).
    pub fn render(&self) -> String {
        let mut out = format!("// {MARKER} ");
        let start = out.len();
        // The clauses, separated by commas; none leaves the marker and the tail two spaces
        // apart.
        let clause = |out: &mut String, name: &str| {
            if out.len() > start {
                out.push_str(", ");
            }
            out.push_str(name);
        };
        if let Some(hub) = &self.task_hub {
            clause(&mut out, "task hub ");
            out.push_str(&quote(hub));
        }
        if let Some(setting) = &self.hub_setting {
            clause(&mut out, "hub setting ");
            push_word(&mut out, setting);
        }
        if let Some(from) = &self.migrated_from {
            clause(&mut out, "migrated from ");
            push_word(&mut out, from);
        }
        for (i, setting) in self.old_settings.iter().enumerate() {
            if i == 0 {
                clause(&mut out, "old settings ");
            } else {
                out.push(' ');
            }
            push_word(&mut out, setting);
        }
        out.push(' ');
        out.push_str(TAIL);
        out
    }

    /// The first note in a host.json text, if any.
    pub fn find(text: &str) -> Option<HubNote> {
        text.match_indices(MARKER).find_map(|(at, _)| {
            let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let before = &text[line_start..at];
            let slashes = before.find("//")?;
            if !outside_string(&before[..slashes]) || !before[slashes + 2..].trim().is_empty() {
                return None;
            }
            let body_start = at + MARKER.len();
            let body_end = text[body_start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |i| body_start + i);
            Some(parse_body(&text[body_start..body_end]))
        })
    }
}

/// The insertion that puts the note on its own line just before the member whose key starts
/// at `key_start` in `text` (with that line's indentation), as `(offset, text to insert)`. A key
/// that shares its line with text before it gets a line break first, so the `//` comment never
/// swallows the rest of a line.
pub fn insertion_before_key(
    text: &str,
    key_start: usize,
    note: &HubNote,
    eol: &str,
) -> (usize, String) {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..key_start];
    let indent: String = before
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = note.render();
    if before.trim().is_empty() {
        (key_start, format!("{comment}{eol}{indent}"))
    } else {
        (key_start, format!("{eol}{indent}{comment}{eol}{indent}"))
    }
}

/// `inserted` (new JSON text a fix writes, holding a `"hubName"` member) with the note on the
/// line before that member; unchanged when it holds none.
pub fn with_note_before_hub_name(inserted: &str, note: &HubNote, eol: &str) -> String {
    match inserted.find("\"hubName\"") {
        Some(at) => {
            let (at, insert) = insertion_before_key(inserted, at, note, eol);
            format!("{}{insert}{}", &inserted[..at], &inserted[at..])
        }
        None => inserted.to_string(),
    }
}

/// Keys whose own value replaces the backend's default connection setting.
const OWN_CONNECTION_KEYS: &[&str] = &["connectionStringName", "EventHubsConnectionName"];

/// The settings only a legacy backend read, which the migration leaves behind: the backend's
/// default names (`defaults`, e.g. `SQLDB_Connection`) unless the storageProvider names its own
/// connection, and every setting the storageProvider's `connectionName`,
/// `connectionStringName` or `naming_keys` name (`%X%` read as `X`). `host_storage`
/// (`AzureWebJobsStorage`, and its `__` identity settings) is never among them: the host needs
/// it. The DTS101 fix writes these in the note; the plan lists them to remove.
pub fn legacy_settings(
    provider: Option<&Json>,
    defaults: &[String],
    naming_keys: &[String],
    host_storage: &str,
) -> Vec<String> {
    let members = provider.and_then(Json::members).unwrap_or(&[]);
    let names = |key: &str| {
        key.eq_ignore_ascii_case("connectionName")
            || key.eq_ignore_ascii_case("connectionStringName")
            || naming_keys.iter().any(|k| k.eq_ignore_ascii_case(key))
    };
    let named: Vec<(&str, &str)> = members
        .iter()
        .filter(|m| names(&m.key))
        .filter_map(|m| {
            let v = m.value.as_str()?.trim();
            let v = v
                .strip_prefix('%')
                .and_then(|x| x.strip_suffix('%'))
                .filter(|x| !x.is_empty() && !x.contains('%'))
                .unwrap_or(v);
            (!v.is_empty()).then_some((m.key.as_str(), v))
        })
        .collect();
    let own = named.iter().any(|(k, _)| {
        OWN_CONNECTION_KEYS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(k))
    });
    let mut out: Vec<String> = Vec::new();
    let candidates = defaults
        .iter()
        .filter(|_| !own)
        .map(String::as_str)
        .chain(named.iter().map(|(_, v)| *v));
    for name in candidates {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(&host_storage.to_ascii_lowercase())
            || out.iter().any(|o| o.eq_ignore_ascii_case(name))
        {
            continue;
        }
        out.push(name.to_string());
    }
    out
}

/// A JSON string literal: control characters and quotes escaped, so the note stays one line.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A setting or backend name as one word: anything but letters, digits, `_`, `-`, `.` and `:`
/// is left out, so a hostile name cannot end the comment or forge a clause.
fn push_word(out: &mut String, s: &str) {
    out.extend(
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')),
    );
}

/// The clauses after the marker.
fn parse_body(body: &str) -> HubNote {
    let body = body.trim();
    let body = body.strip_suffix(TAIL).unwrap_or(body).trim_end();
    let mut note = HubNote::default();
    let mut rest = body;
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ']);
        if let Some(after) = rest.strip_prefix("task hub ") {
            let Some((value, len)) = json_string_at(after) else {
                break;
            };
            note.task_hub = Some(value);
            rest = &after[len..];
        } else if let Some(after) = rest.strip_prefix("hub setting ") {
            let end = after.find([',', ' ']).unwrap_or(after.len());
            note.hub_setting = Some(after[..end].to_string()).filter(|s| !s.is_empty());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("migrated from ") {
            let end = after.find([',', ' ']).unwrap_or(after.len());
            note.migrated_from = Some(after[..end].to_string()).filter(|s| !s.is_empty());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("old settings ") {
            let end = after.find(',').unwrap_or(after.len());
            note.old_settings = after[..end]
                .split_whitespace()
                .map(str::to_string)
                .collect();
            rest = &after[end..];
        } else {
            break;
        }
    }
    note
}

/// The JSON string literal at the start of `text`: its value and its length in bytes.
fn json_string_at(text: &str) -> Option<(String, usize)> {
    if !text.starts_with('"') {
        return None;
    }
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                let literal = &text[..=i];
                return match serde_json::from_str::<Value>(literal) {
                    Ok(Value::String(s)) => Some((s, i + 1)),
                    _ => None,
                };
            }
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_reads_back_what_it_says() {
        let note = HubNote {
            task_hub: Some("Orders \"Hub\"\n".into()),
            hub_setting: None,
            migrated_from: Some("AzureStorage".into()),
            old_settings: vec!["MyStorage".into(), "Tracking_Conn".into()],
        };
        let text = note.render();
        assert!(!text.contains('\n'));
        assert_eq!(
            text,
            r#"// dts-migrate: task hub "Orders \"Hub\"\n", migrated from AzureStorage, old settings MyStorage Tracking_Conn (dts-migrate plan reads this)"#
        );
        let host = format!(
            "{{\n  \"extensions\": {{\n    {text}\n    \"hubName\": \"%TASKHUB_NAME%\"\n  }}\n}}\n"
        );
        assert_eq!(HubNote::find(&host), Some(note));
    }

    /// The clauses come in their order, comma-separated, names as one word; with none, the
    /// marker and the tail are two spaces apart.
    #[test]
    fn notes_render_clause_by_clause() {
        let all = HubNote {
            task_hub: Some("Orders\"Hub".into()),
            hub_setting: Some("TASK HUB,x".into()),
            migrated_from: Some("mssql".into()),
            old_settings: vec!["A_1".into(), "b.c:d".into()],
        };
        assert_eq!(
            all.render(),
            "// dts-migrate: task hub \"Orders\\\"Hub\", hub setting TASKHUBx, migrated from \
             mssql, old settings A_1 b.c:d (dts-migrate plan reads this)"
        );
        assert_eq!(
            HubNote::default().render(),
            "// dts-migrate:  (dts-migrate plan reads this)"
        );
    }

    #[test]
    fn the_tail_and_every_clause_are_optional() {
        let only_backend = HubNote {
            migrated_from: Some("mssql".into()),
            ..HubNote::default()
        };
        assert_eq!(HubNote::find(&only_backend.render()), Some(only_backend));
        assert_eq!(
            HubNote::find("// dts-migrate: task hub \"OrdersHub\""),
            Some(HubNote {
                task_hub: Some("OrdersHub".into()),
                ..HubNote::default()
            })
        );
    }

    #[test]
    fn only_comments_count() {
        assert_eq!(
            HubNote::find("{\"a\": \"// dts-migrate: task hub \\\"x\\\"\"}"),
            None
        );
        assert_eq!(HubNote::find("{\"dts-migrate:\": 1}"), None);
        assert_eq!(HubNote::find("// see dts-migrate: task hub \"x\""), None);
    }

    #[test]
    fn the_note_goes_on_its_own_line_before_the_key() {
        let note = HubNote {
            task_hub: Some("H".into()),
            ..HubNote::default()
        };
        let c = note.render();
        let text = "{\n    \"hubName\": \"H\"\n}";
        let at = text.find("\"hubName").unwrap();
        assert_eq!(
            insertion_before_key(text, at, &note, "\n"),
            (at, format!("{c}\n    "))
        );
        let minified = "{\"hubName\":\"H\"}";
        let (at, insert) = insertion_before_key(minified, 1, &note, "\r\n");
        assert_eq!((at, insert), (1, format!("\r\n{c}\r\n")));
        let inserted = ",\n      \"hubName\": \"%TASKHUB_NAME%\"";
        assert_eq!(
            with_note_before_hub_name(inserted, &note, "\n"),
            format!(",\n      {c}\n      \"hubName\": \"%TASKHUB_NAME%\"")
        );
        assert_eq!(with_note_before_hub_name("{}", &note, "\n"), "{}");
    }

    #[test]
    fn legacy_settings_are_the_defaults_or_the_named_ones_never_host_storage() {
        let parse = |t: &str| {
            crate::syntax::jsonc::parse(&crate::source::SourceText::from_string(t.into())).unwrap()
        };
        let keys = vec!["trackingStoreConnectionName".to_string()];
        let defaults = vec!["SQLDB_Connection".to_string()];
        let p = parse(r#"{"type": "mssql"}"#);
        assert_eq!(
            legacy_settings(Some(&p), &defaults, &keys, "AzureWebJobsStorage"),
            ["SQLDB_Connection"]
        );
        let p = parse(r#"{"type": "mssql", "connectionStringName": "%SQL_CONN%"}"#);
        assert_eq!(
            legacy_settings(Some(&p), &defaults, &keys, "AzureWebJobsStorage"),
            ["SQL_CONN"]
        );
        let p = parse(
            r#"{"connectionName": "AzureWebJobsStorage", "trackingStoreConnectionName": "Tracking"}"#,
        );
        assert_eq!(
            legacy_settings(Some(&p), &[], &keys, "AzureWebJobsStorage"),
            ["Tracking"]
        );
        assert_eq!(
            legacy_settings(None, &defaults, &keys, "AzureWebJobsStorage"),
            ["SQLDB_Connection"]
        );
    }

    #[test]
    fn hostile_names_cannot_end_the_comment() {
        let note = HubNote {
            task_hub: Some("a\r\nb".into()),
            hub_setting: Some("MY_HUB".into()),
            migrated_from: Some("x\ny, old settings Evil".into()),
            old_settings: vec!["A\nB".into()],
        };
        let text = note.render();
        assert!(!text.contains(['\n', '\r']));
        let back = HubNote::find(&text).unwrap();
        assert_eq!(back.task_hub.as_deref(), Some("a\r\nb"));
        assert_eq!(back.migrated_from.as_deref(), Some("xyoldsettingsEvil"));
        assert_eq!(back.old_settings, vec!["AB".to_string()]);
    }
}
