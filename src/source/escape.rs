//! Escaping text taken from input for the places the tool prints it, so no file content and no
//! path can drive a terminal or a CI runner: on the console ([`console`]) control characters
//! are shown as `\n`, `\u{1b}`, and the prefixes CI runners execute (`::name` for GitHub Actions,
//! `##vso[` and `##[` for Azure Pipelines, which finds them anywhere in a line) are broken up;
//! in JSON and XML output the same characters are written as escapes that decode to the same
//! text ([`json_fragment`], [`escape_xml`]). It never masks secrets (that is
//! [`super::redact`]).

use std::borrow::Cow;
use std::ops::Range;

/// Characters a console must never receive raw from input: C0 and C1 controls but the tab,
/// DEL, the bidirectional overrides and isolates ("Trojan source") and the Unicode line and
/// paragraph separators.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// How a console shows a hidden character: `\n`, `\r`, `\0`, else `\u{…}` in hex.
fn shown(c: char) -> Cow<'static, str> {
    match c {
        '\n' => Cow::Borrowed("\\n"),
        '\r' => Cow::Borrowed("\\r"),
        '\0' => Cow::Borrowed("\\0"),
        c => Cow::Owned(format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// Whether the `#` at `at` starts a command prefix an Azure Pipelines agent (or the GitHub
/// runner's old syntax) acts on anywhere in a line: `##[` or `##vso[` (any case).
fn starts_vso(bytes: &[u8], at: usize) -> bool {
    let rest = &bytes[at..];
    rest.starts_with(b"##")
        && (rest.get(2) == Some(&b'[')
            || rest
                .get(2..6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"vso[")))
}

/// The escapes [`console`] makes, in order: (byte range of `text`, what replaces it). With
/// `keep_lines` (source excerpts, which keep their lines), line feeds stay, the carriage
/// return of a CRLF is dropped (an empty replacement) and a lone carriage return becomes a line
/// feed; otherwise every control character is escaped.
///
/// Besides hidden characters: the first `:` of a `::` followed by a letter (a GitHub workflow
/// command at the start of a line) becomes `\u{3a}`, and the first `#` of every `##` becomes
/// `\u{23}`, so `##vso[` and `##[` never reach an Azure Pipelines agent and no line starts with
/// `##`.
pub fn console_escapes(text: &str, keep_lines: bool) -> Vec<(Range<usize>, Cow<'static, str>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Most texts (a config file's lines) hold nothing to escape but the carriage returns of
    // an excerpt: told at once by the bytes. A byte order mark is not a hidden character.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || (keep_lines && (b == b'\n' || b == b'\r'));
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if !any_byte(body, |b| !plain(b)) && !doubled_colon_or_hash(body) {
        for cr in memchr::memchr_iter(b'\r', bytes) {
            out.push((cr..cr + 1, kept_line_cr(bytes, cr)));
        }
        return out;
    }
    let mut i = 0;
    // Only controls, non-ASCII characters, `:` and `#` can be escaped: the bytes between are
    // skipped without decoding characters. `i` stays on character boundaries.
    while let Some(skip) = bytes[i..]
        .iter()
        .position(|&b| !(0x20..0x7f).contains(&b) || b == b':' || b == b'#')
    {
        i += skip;
        // The usual stops, without decoding a character: a line break kept, a single `:`.
        match bytes[i] {
            b'\n' if keep_lines => {
                i += 1;
                continue;
            }
            b':' if bytes.get(i + 1) != Some(&b':') => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let replacement = match c {
            '\n' if keep_lines => None,
            '\r' if keep_lines => Some(kept_line_cr(bytes, i)),
            ':' if bytes.get(i + 1) == Some(&b':')
                && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) =>
            {
                Some(Cow::Borrowed("\\u{3a}"))
            }
            '#' if bytes.get(i + 1) == Some(&b'#') => Some(Cow::Borrowed("\\u{23}")),
            c if is_hidden(c) => Some(shown(c)),
            _ => None,
        };
        if let Some(replacement) = replacement {
            out.push((i..i + c.len_utf8(), replacement));
        }
        i += c.len_utf8();
    }
    out
}

/// What replaces the carriage return at `at` in a text whose lines are kept: nothing when it
/// is a CRLF's; a line feed when it is alone (it ends a line too, as the line index counts it).
fn kept_line_cr(bytes: &[u8], at: usize) -> Cow<'static, str> {
    let crlf = bytes.get(at + 1) == Some(&b'\n');
    Cow::Borrowed(if crlf { "" } else { "\n" })
}

/// Whether any byte of `bytes` is one `test` accepts: every byte is tested, without an early
/// exit, which the compiler turns into vector code (texts are short, and this runs on every
/// one).
#[inline]
pub(crate) fn any_byte(bytes: &[u8], test: impl Fn(u8) -> bool) -> bool {
    bytes.iter().fold(false, |any, &b| any | test(b))
}

/// Whether `text` may hold something [`console`] escapes (a quick test on the bytes).
fn may_need_console_escape(text: &str) -> bool {
    // A `:` or `#` is escaped only when doubled: most messages hold single ones.
    let bytes = text.as_bytes();
    any_byte(bytes, |b| !(0x20..0x7f).contains(&b)) || doubled_colon_or_hash(bytes)
}

/// Whether `bytes` hold `::` or `##` (every pair looked at, which the compiler vectorises).
fn doubled_colon_or_hash(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .zip(bytes.iter().skip(1))
        .fold(false, |any, (&a, &b)| {
            any | ((a == b) & ((a == b':') | (a == b'#')))
        })
}

/// Text taken from input (a message, a label, a path, a line of a file) as a console shows it:
/// control characters escaped as `\n`, `\u{1b}`, and CI command prefixes broken up (see
/// [`console_escapes`]). Borrows `text` when nothing needs escaping, as nearly always.
pub fn console(text: &str) -> Cow<'_, str> {
    if !may_need_console_escape(text) {
        return Cow::Borrowed(text);
    }
    let escapes = console_escapes(text, false);
    if escapes.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + escapes.len() * 6);
    let mut cursor = 0;
    for (range, replacement) in escapes {
        out.push_str(&text[cursor..range.start]);
        out.push_str(&replacement);
        cursor = range.end;
    }
    out.push_str(&text[cursor..]);
    Cow::Owned(out)
}

/// Whether a line of a file can be printed on a console as it is (as `--diff` must print it):
/// no hidden character but its line ending (LF or CRLF), and nothing [`console`] would break
/// up.
pub fn is_console_safe_line(line: &str) -> bool {
    !may_need_console_escape(line)
        || console_escapes(line, true)
            .iter()
            .all(|(_, replacement)| replacement.is_empty())
}

/// A fragment of a JSON string (as `serde_json` writes it, its `"`, `\` and C0 controls already
/// escaped) with the characters a console must not see written as `\u` escapes: hidden
/// characters, and the first `#` of `##[` / `##vso[`. The JSON value is unchanged.
#[inline]
pub fn json_fragment(fragment: &str) -> Cow<'_, str> {
    if !any_byte(fragment.as_bytes(), |b| b == b'#' || b >= 0x7f) {
        return Cow::Borrowed(fragment);
    }
    let bytes = fragment.as_bytes();
    let mut out: Option<String> = None;
    for (i, c) in fragment.char_indices() {
        let escape = (c == '#' && starts_vso(bytes, i)) || is_hidden(c);
        match (&mut out, escape) {
            (None, false) => {}
            (None, true) => {
                let mut s = String::with_capacity(fragment.len() + 12);
                s.push_str(&fragment[..i]);
                s.push_str(&format!("\\u{:04x}", u32::from(c)));
                out = Some(s);
            }
            (Some(s), true) => s.push_str(&format!("\\u{:04x}", u32::from(c))),
            (Some(s), false) => s.push(c),
        }
    }
    out.map_or(Cow::Borrowed(fragment), Cow::Owned)
}

/// Escapes text for an XML attribute value or element text; line breaks become character
/// references and other C0 control characters, which XML 1.0 forbids, are dropped. C1 controls,
/// bidirectional controls and the first `#` of `##[` / `##vso[` become character references, so
/// the report read raw on a console runs no CI command.
pub fn escape_xml(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 => {}
            '#' if starts_vso(bytes, i) => out.push_str("&#35;"),
            c if is_hidden(c) => out.push_str(&format!("&#x{:x};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_escapes_controls_and_ci_prefixes() {
        assert_eq!(console("plain text: a::1 [::1]"), "plain text: a::1 [::1]");
        assert!(matches!(console("no escapes"), Cow::Borrowed(_)));
        assert_eq!(console("a\n::error::x"), "a\\n\\u{3a}:error\\u{3a}:x");
        assert_eq!(
            console("v\n##vso[task.setvariable variable=x]y"),
            "v\\n\\u{23}#vso[task.setvariable variable=x]y"
        );
        assert_eq!(console("\u{1b}[31mred\r"), "\\u{1b}[31mred\\r");
        assert_eq!(console("tab\tkept"), "tab\tkept");
        assert_eq!(console("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(console("\u{85}"), "\\u{85}");
        // No `::` + letter and no `##` survive, whatever precedes them.
        for text in [":::error", "###vso[", "::E", "a::b", "####"] {
            let shown = console(text);
            assert!(
                !shown
                    .as_bytes()
                    .windows(3)
                    .any(|w| w[0] == b':' && w[1] == b':' && w[2].is_ascii_alphabetic()),
                "{shown}"
            );
            assert!(!shown.contains("##"), "{shown}");
        }
    }

    #[test]
    fn excerpt_escapes_keep_lines() {
        let text = "a\r\nb\rc\nd\u{1b}";
        let escapes = console_escapes(text, true);
        let expected = vec![
            (1..2, Cow::Borrowed("")),
            (4..5, Cow::Borrowed("\n")),
            (8..9, Cow::Borrowed("\\u{1b}")),
        ];
        assert_eq!(escapes, expected);
        // Without anything else to escape (the quick way): the same carriage returns.
        assert_eq!(console_escapes(&text[..8], true), expected[..2]);
        assert_eq!(
            console_escapes("\u{feff}{\r\n}\r", true),
            vec![(4..5, Cow::Borrowed("")), (7..8, Cow::Borrowed("\n"))]
        );
        assert!(is_console_safe_line("  \"a\": \"b\",\r\n"));
        assert!(!is_console_safe_line("  \"a\": \"\u{1b}[2J\",\n"));
        assert!(!is_console_safe_line("##vso[task.complete]\n"));
        assert!(!is_console_safe_line("::error::x\n"));
        // A byte order mark is shown as it is, and what follows it is escaped all the same.
        for keep_lines in [true, false] {
            assert!(console_escapes("\u{feff}{\"a\": 1}", keep_lines).is_empty());
            assert_eq!(
                console_escapes("\u{feff}a\u{1b}", keep_lines),
                vec![(4..5, Cow::Borrowed("\\u{1b}"))]
            );
            assert_eq!(
                console_escapes("\u{feff}##[x]", keep_lines),
                vec![(3..4, Cow::Borrowed("\\u{23}"))]
            );
        }
    }

    #[test]
    fn json_and_xml_keep_the_value() {
        assert_eq!(json_fragment("a ##vso[x] ## b"), "a \\u0023#vso[x] ## b");
        assert_eq!(json_fragment("##[error]"), "\\u0023#[error]");
        assert_eq!(json_fragment("\u{9b}2J"), "\\u009b2J");
        assert!(matches!(json_fragment("## What it does"), Cow::Borrowed(_)));
        assert_eq!(escape_xml("x ##VSO[y] <z>"), "x &#35;#VSO[y] &lt;z&gt;");
        assert_eq!(escape_xml("a\u{1b}b\u{202e}"), "ab&#x202e;");
    }
}
