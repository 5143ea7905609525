//! Edits to JSONC text as byte-range replacements that keep everything else: comments,
//! key order, indentation (detected), line endings, trailing-comma style.
//!
//! Removing a member removes its whole line(s) when it stands alone on them, and fixes the
//! comma before it so no dangling comma is left. New members go after the last remaining
//! member, with that member's indentation and the file's line ending.

use std::ops::Range;

use super::jsonc::{skip_whitespace_and_comments, Json, Member};
use crate::source::SourceText;

/// An edit: replace the range with the text.
pub type TextEdit = (Range<usize>, String);

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// A JSON string (escaped when rendered).
    Str(String),
    /// An object with members in this order.
    Object(Vec<(String, NewValue)>),
    /// JSON text moved from elsewhere in the file, kept as written; the lines after its first
    /// lose `from_indent` (the indentation of the line it came from) and take the indentation
    /// of the line it goes to.
    Raw {
        /// The text.
        text: String,
        /// The indentation of the line the text started on.
        from_indent: String,
    },
}

/// A JSON string literal for `s`.
pub fn quote(s: &str) -> String {
    // What serde_json escapes: control characters, quotes and backslashes (most names and
    // values hold none, and are quoted as they are).
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        let mut quoted = String::with_capacity(s.len() + 2);
        quoted.push('"');
        quoted.push_str(s);
        quoted.push('"');
        return quoted;
    }
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Replace a value (string, number, object…) by `value`, rendered at the value's line.
pub fn replace_value(src: &SourceText, target: &Json, value: &NewValue) -> TextEdit {
    // A string takes no layout (most replacements are one).
    if let NewValue::Str(s) = value {
        return (target.range.clone(), quote(s));
    }
    let style = Style::at(src, target.range.start);
    (target.range.clone(), render(value, style.indent, &style))
}

/// Rename a member's key.
pub fn rename_key(member: &Member, new_key: &str) -> TextEdit {
    (member.key_range.clone(), quote(new_key))
}

/// The layout facts an edit reuses.
struct Style<'a> {
    eol: &'static str,
    unit: &'a str,
    /// Indentation of the line where the edit happens.
    indent: &'a str,
}

impl Style<'_> {
    fn at(src: &SourceText, offset: usize) -> Style<'_> {
        Style {
            eol: src.eol(),
            unit: src.indent_unit(),
            indent: src.indent_of_line_at(offset),
        }
    }
}

fn render(value: &NewValue, indent: &str, style: &Style<'_>) -> String {
    match value {
        NewValue::Str(s) => quote(s),
        NewValue::Raw { text, from_indent } => {
            let mut lines = text.split('\n');
            let mut out = lines.next().unwrap_or_default().to_string();
            for line in lines {
                out.push('\n');
                match line.strip_prefix(from_indent.as_str()) {
                    Some(rest) if !line.trim().is_empty() => {
                        out.push_str(indent);
                        out.push_str(rest);
                    }
                    _ => out.push_str(line),
                }
            }
            out
        }
        NewValue::Object(members) if members.is_empty() => "{}".to_string(),
        NewValue::Object(members) => {
            let inner = format!("{indent}{}", style.unit);
            let mut out = String::from("{");
            for (i, (key, value)) in members.iter().enumerate() {
                out.push_str(style.eol);
                out.push_str(&inner);
                out.push_str(&quote(key));
                out.push_str(": ");
                out.push_str(&render(value, &inner, style));
                if i + 1 < members.len() {
                    out.push(',');
                }
            }
            out.push_str(style.eol);
            out.push_str(indent);
            out.push('}');
            out
        }
    }
}

fn render_inline(value: &NewValue) -> String {
    match value {
        NewValue::Str(s) => quote(s),
        NewValue::Raw { text, .. } => text.clone(),
        NewValue::Object(members) => {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), render_inline(v)))
                .collect();
            if parts.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// Offset of the comma that follows a member's value, if any.
fn comma_after(text: &str, member: &Member) -> Option<usize> {
    let pos = skip_whitespace_and_comments(text, member.value.range.end);
    (text.as_bytes().get(pos) == Some(&b',')).then_some(pos)
}

/// Whether only whitespace stands between the start of `offset`'s line and `offset`.
fn starts_line(src: &SourceText, offset: usize) -> bool {
    let line = src.line_range(src.line_index(offset));
    let start = line
        .start
        .max(if line.start == 0 { src.bom_len() } else { 0 });
    src.as_str()[start..offset].trim().is_empty()
}

/// Whether the rest of `offset`'s line is whitespace or a line comment.
fn ends_line(src: &SourceText, offset: usize) -> bool {
    let line = src.line_range(src.line_index(offset));
    let rest = src.as_str()[offset..line.end].trim();
    rest.is_empty() || rest.starts_with("//")
}

/// Plans the edits that remove `remove` (indices into `object`'s members) and append `append`
/// after the last member that stays.
pub fn edit_object(
    src: &SourceText,
    object: &Json,
    remove: &[usize],
    append: &[(String, NewValue)],
) -> Vec<TextEdit> {
    let text = src.as_str();
    let Some(members) = object.members() else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    // Everything below looks only at the removed members and their kept neighbours, so the
    // cost of one call does not grow with the size of the object: a rule that removes one of
    // many members (one call per duplicate key) stays linear in the file.
    let comma = |i: usize| members.get(i).and_then(|m| comma_after(text, m));
    let mut sorted_removals: Vec<usize> = remove.to_vec();
    sorted_removals.sort_unstable();
    let is_kept = |i: &usize| sorted_removals.binary_search(i).is_err();
    let kept_after = |i: usize| (i + 1..members.len()).find(is_kept);
    let kept_before = |i: usize| (0..i).rev().find(is_kept);
    let trailing_style = !members.is_empty() && comma(members.len() - 1).is_some();
    let multiline = src.line_index(object.range.start) != src.line_index(object.range.end);

    for &i in remove {
        let Some(member) = members.get(i) else {
            continue;
        };
        let own_comma = comma(i);
        let end = own_comma.map_or(member.value.range.end, |c| c + 1);
        if multiline && starts_line(src, member.key_range.start) && ends_line(src, end) {
            let first = src.line_index(member.key_range.start);
            let last = src.line_index(end);
            let start = src.full_line_range(first).start;
            let stop = src.full_line_range(last).end;
            edits.push((start..stop, String::new()));
        } else if own_comma.is_some() && kept_after(i).is_some() {
            // Inline and followed by a member that stays: take the comma and the space after.
            let mut stop = end;
            while text.as_bytes().get(stop) == Some(&b' ') {
                stop += 1;
            }
            edits.push((member.key_range.start..stop, String::new()));
        } else {
            // Inline, and the last of those that stay before it carries the comma.
            let start = kept_before(i)
                .and_then(comma)
                .unwrap_or(member.key_range.start);
            edits.push((start..end, String::new()));
        }
    }

    let last_kept = kept_before(members.len());
    if append.is_empty() {
        // Removing the tail of a non-trailing-comma object leaves a comma on the new last
        // member: take it away (multi-line removals keep the previous line untouched).
        if let Some(k) = last_kept {
            let removed_tail = remove.iter().any(|&i| i > k);
            if removed_tail && !trailing_style && multiline {
                if let Some(c) = comma(k) {
                    edits.push((c..c + 1, String::new()));
                }
            }
        }
        return merge(edits);
    }

    if !multiline {
        let rendered: Vec<String> = append
            .iter()
            .map(|(k, v)| format!("{}: {}", quote(k), render_inline(v)))
            .collect();
        let joined = rendered.join(", ");
        match last_kept {
            Some(k) => match comma(k) {
                Some(c) if trailing_style && k + 1 == members.len() => {
                    edits.push((c + 1..c + 1, format!(" {joined},")))
                }
                _ => {
                    let at = members[k].value.range.end;
                    edits.push((at..at, format!(", {joined}")));
                }
            },
            None if members.is_empty() => {
                let at = object.range.start;
                edits.push((at..object.range.end, format!("{{ {joined} }}")));
            }
            None => {
                let at = object.range.start + 1;
                edits.push((at..at, format!(" {joined}")));
            }
        }
        return merge(edits);
    }

    let style = Style::at(src, object.range.start);
    let member_indent = match last_kept.or(if members.is_empty() { None } else { Some(0) }) {
        Some(k) => src
            .indent_of_line_at(members[k].key_range.start)
            .to_string(),
        None => format!("{}{}", style.indent, style.unit),
    };
    let mut block = String::new();
    for (n, (key, value)) in append.iter().enumerate() {
        block.push_str(style.eol);
        block.push_str(&member_indent);
        block.push_str(&quote(key));
        block.push_str(": ");
        block.push_str(&render(value, &member_indent, &style));
        if n + 1 < append.len() || trailing_style {
            block.push(',');
        }
    }
    match last_kept {
        Some(k) => {
            let last_comma = comma(k);
            let anchor = last_comma.map_or(members[k].value.range.end, |c| c + 1);
            let at = if ends_line(src, anchor) {
                // After the rest of the line (a line comment stays with its member).
                src.line_range(src.line_index(anchor)).end
            } else {
                // Something follows on the line (the closing brace, a removed member): right
                // after the member.
                anchor
            };
            // A removal that takes this member's comma with it (an inline member after it
            // is removed) covers `at`: insert before the removal, comma included.
            let covering = edits
                .iter()
                .find(|(r, _)| r.start < at && at < r.end)
                .map(|(r, _)| r.clone());
            // Where the kept text resumes after the insertion point.
            let resume = covering.as_ref().map_or(at, |r| r.end);
            let at = match covering {
                Some(removed) => {
                    block.insert(0, ',');
                    removed.start
                }
                None => {
                    if last_comma.is_none() {
                        let end = members[k].value.range.end;
                        edits.push((end..end, ",".to_string()));
                    }
                    at
                }
            };
            // The closing brace right after: put it back on a line of its own.
            let close = object.range.end.saturating_sub(1);
            if skip_whitespace_and_comments(text, resume) == close
                && src.line_index(at) == src.line_index(close)
            {
                block.push_str(style.eol);
                block.push_str(style.indent);
            }
            edits.push((at..at, block));
        }
        None => {
            let open = object.range.start;
            let at = if members.is_empty() {
                open + 1
            } else {
                src.line_range(src.line_index(open)).end
            };
            // Braces on different lines: the block goes after `{` (after the rest of its
            // line when members follow, so their removal keeps the lines apart).
            edits.push((at..at, block));
        }
    }
    merge(edits)
}

/// Sorts edits and joins removals that touch, so the set stays non-overlapping.
fn merge(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for (range, text) in edits {
        if let Some((prev, prev_text)) = out.last_mut() {
            if prev_text.is_empty()
                && text.is_empty()
                && range.start <= prev.end
                && !range.is_empty()
            {
                prev.end = prev.end.max(range.end);
                continue;
            }
        }
        out.push((range, text));
    }
    out
}

/// Inserts `key: value` as the last member of `object` (creating nothing else).
pub fn append_member(src: &SourceText, object: &Json, key: &str, value: NewValue) -> Vec<TextEdit> {
    edit_object(src, object, &[], &[(key.to_string(), value)])
}

/// Inserts members as the first members of `object` (used for `"version": "2.0"`).
pub fn prepend_member(
    src: &SourceText,
    object: &Json,
    key: &str,
    value: NewValue,
) -> Vec<TextEdit> {
    let Some(members) = object.members() else {
        return Vec::new();
    };
    let Some(first) = members.first() else {
        return append_member(src, object, key, value);
    };
    let multiline = src.line_index(object.range.start) != src.line_index(object.range.end);
    let start = first.key_range.start;
    if multiline && starts_line(src, start) {
        let indent = src.indent_of_line_at(start);
        let style = Style::at(src, start);
        let line_start = src.line_range(src.line_index(start)).start;
        let line_start = line_start.max(src.bom_len());
        vec![(
            line_start..line_start,
            format!(
                "{indent}{}: {},{}",
                quote(key),
                render(&value, indent, &style),
                style.eol
            ),
        )]
    } else {
        vec![(
            start..start,
            format!("{}: {}, ", quote(key), render_inline(&value)),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;
    use crate::syntax::jsonc::parse;

    #[test]
    fn quotes_as_serde_json_does() {
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "tab\there",
            "\u{7}",
            "é€😀",
            "%X%",
            "\u{7f}",
        ] {
            assert_eq!(quote(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    fn run(text: &str, path: &[&str], remove: &[&str], append: &[(&str, &str)]) -> String {
        let src = SourceText::decode(text.as_bytes().to_vec()).unwrap();
        let root = parse(&src).unwrap();
        let mut object = &root;
        for key in path {
            object = object.get(key).unwrap();
        }
        let members = object.members().unwrap();
        let remove: Vec<usize> = remove
            .iter()
            .map(|k| members.iter().position(|m| m.key == *k).unwrap())
            .collect();
        let append: Vec<(String, NewValue)> = append
            .iter()
            .map(|(k, v)| (k.to_string(), NewValue::Str(v.to_string())))
            .collect();
        let edits = edit_object(&src, object, &remove, &append);
        let edits: Vec<(Range<usize>, &str)> =
            edits.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        let out = apply(text, &edits).unwrap();
        parse(&SourceText::from_string(out.clone())).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
        out
    }

    #[test]
    fn appends_before_a_closing_brace_on_the_last_members_line() {
        // Found by fuzzing: the block went after the `}`, leaving two root values.
        assert_eq!(
            run("{\n\"a\":\"1\"}", &[], &[], &[("k", "v")]),
            "{\n\"a\":\"1\",\n\"k\": \"v\"\n}"
        );
        assert_eq!(
            run(
                "{\n  \"a\": \"1\", \"b\": \"2\" }",
                &[],
                &["b"],
                &[("k", "v")]
            ),
            "{\n  \"a\": \"1\",\n  \"k\": \"v\"\n }"
        );
        assert_eq!(
            run(
                "{\n  \"a\": \"1\", \"b\": \"2\", \"c\": \"3\"\n}",
                &[],
                &["b", "c"],
                &[("k", "v")]
            ),
            "{\n  \"a\": \"1\",\n  \"k\": \"v\"\n}"
        );
    }

    #[test]
    fn removes_lines_and_the_dangling_comma() {
        let text = "{\n  \"a\": 1,\n  // keep me\n  \"b\": 2,\n  \"c\": 3\n}\n";
        assert_eq!(
            run(text, &[], &["b", "c"], &[]),
            "{\n  \"a\": 1\n  // keep me\n}\n"
        );
    }

    #[test]
    fn appends_after_last_kept_with_crlf_and_trailing_comma_style() {
        let text = "{\r\n\t\"a\": 1, // note\r\n\t\"b\": 2,\r\n}";
        assert_eq!(
            run(text, &[], &["b"], &[("k", "v")]),
            "{\r\n\t\"a\": 1, // note\r\n\t\"k\": \"v\",\r\n}"
        );
    }

    #[test]
    fn appends_with_a_comma_before_a_line_comment() {
        let text = "{\n    \"a\": 1 // note\n}";
        assert_eq!(
            run(text, &[], &[], &[("k", "v")]),
            "{\n    \"a\": 1, // note\n    \"k\": \"v\"\n}"
        );
    }

    #[test]
    fn replaces_all_members() {
        let text = "{\n  \"x\": {\n    \"a\": 1,\n    \"b\": 2\n  }\n}";
        assert_eq!(
            run(
                text,
                &["x"],
                &["a", "b"],
                &[("type", "azureManaged"), ("c", "D")]
            ),
            "{\n  \"x\": {\n    \"type\": \"azureManaged\",\n    \"c\": \"D\"\n  }\n}"
        );
    }

    #[test]
    fn inline_objects_stay_inline() {
        assert_eq!(
            run("{ \"a\": 1, \"b\": 2 }", &[], &["a"], &[]),
            "{ \"b\": 2 }"
        );
        assert_eq!(
            run("{ \"a\": 1, \"b\": 2 }", &[], &["b"], &[]),
            "{ \"a\": 1 }"
        );
        assert_eq!(
            run("{ \"a\": 1 }", &[], &[], &[("k", "v")]),
            "{ \"a\": 1, \"k\": \"v\" }"
        );
        assert_eq!(run("{}", &[], &[], &[("k", "v")]), "{ \"k\": \"v\" }");
    }

    #[test]
    fn nested_objects_render_with_the_file_indent() {
        let text = "{\n    \"version\": \"2.0\"\n}\n";
        let src = SourceText::from_string(text.into());
        let root = parse(&src).unwrap();
        let value = NewValue::Object(vec![(
            "durableTask".into(),
            NewValue::Object(vec![("hubName".into(), NewValue::Str("%H%".into()))]),
        )]);
        let edits = append_member(&src, &root, "extensions", value);
        let edits: Vec<(Range<usize>, &str)> =
            edits.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        assert_eq!(
            apply(text, &edits).unwrap(),
            "{\n    \"version\": \"2.0\",\n    \"extensions\": {\n        \"durableTask\": {\n            \"hubName\": \"%H%\"\n        }\n    }\n}\n"
        );
    }

    #[test]
    fn prepends_version() {
        let text = "\u{FEFF}{\n  \"durableTask\": {}\n}";
        let src = SourceText::from_string(text.into());
        let root = parse(&src).unwrap();
        let edits = prepend_member(&src, &root, "version", NewValue::Str("2.0".into()));
        let edits: Vec<(Range<usize>, &str)> =
            edits.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        assert_eq!(
            apply(text, &edits).unwrap(),
            "\u{FEFF}{\n  \"version\": \"2.0\",\n  \"durableTask\": {}\n}"
        );
    }
}
