//! JSONC reading with exact spans.
//!
//! `jsonc-parser` does the parsing; this module configures it the way the Functions host
//! reads its files (comments and trailing commas allowed, everything else strict), hides the
//! BOM from it, and gives an owned tree whose every key and value keeps its byte range in the
//! file: built straight from the scanner's tokens ([`super::jsonc_tree`]) when the file
//! parses, else from the parser's AST, which words the errors.

use std::ops::Range;

use compact_str::CompactString;
use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::source::SourceText;

/// A JSON value with its byte range in the file (string ranges include the quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    /// What the value is.
    pub kind: JsonKind,
    /// Byte range in the file.
    pub range: Range<usize>,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    /// An object; members in file order, duplicates kept.
    Object(Vec<Member>),
    /// An array.
    Array(Vec<Json>),
    /// A string, unescaped (held inline up to 24 bytes).
    String(CompactString),
    /// A number, as written.
    Number(CompactString),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped (held inline up to 24 bytes, as nearly every key is).
    pub key: CompactString,
    /// Byte range of the key, quotes included.
    pub key_range: Range<usize>,
    /// The value.
    pub value: Json,
}

impl Member {
    /// Byte range from the start of the key to the end of the value.
    pub fn range(&self) -> Range<usize> {
        self.key_range.start..self.value.range.end
    }
}

/// A file that is not valid JSONC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the problem is (byte range in the file).
    pub range: Range<usize>,
    /// What is wrong, without position (the report adds it).
    pub message: String,
}

/// The JSONC dialect of Functions config files: comments and trailing commas, nothing looser.
pub(super) fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// How deep objects and arrays may nest. Functions config files nest a handful of levels;
/// the limit keeps the recursive parser, the tree's conversion and its drop far from the end of
/// the stack whatever the input.
pub const MAX_DEPTH: usize = 128;

/// Finds where objects and arrays first nest deeper than `max`, without parsing: one pass over
/// the bytes that skips strings and comments. Returns the offset of the bracket that opens
/// level `max + 1`.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // Nesting past `max` needs more than `max` opening brackets: most files have far fewer,
    // and counting them (a loop the compiler vectorises) is much cheaper than the scan.
    if bytes.iter().filter(|&&b| b == b'{' || b == b'[').count() <= max {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A line comment ends at a line feed or a lone carriage return, as the parser
                // reads it: brackets after a `\r` are code, and must be counted.
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !bytes[i..].starts_with(b"*/") {
                    i += 1;
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses a whole file. An empty or comment-only file is an error: no config file of a
/// Functions app may be empty. Nesting deeper than [`MAX_DEPTH`] is an error too.
pub fn parse(source: &SourceText) -> Result<Json, SyntaxError> {
    let bom = source.bom_len();
    let body = source.body();
    match super::jsonc_tree::build(body, bom) {
        Some(Some(value)) => return Ok(value),
        Some(None) => return Err(no_value(source)),
        // An error, or a shape the fast path leaves to the parser: the parser decides.
        None => {}
    }
    if let Some(at) = too_deep(body, MAX_DEPTH) {
        return Err(SyntaxError {
            range: at + bom..at + bom + 1,
            message: format!(
                "objects and arrays nest more than {MAX_DEPTH} levels deep here; no Functions config file does, so the file is not parsed"
            ),
        });
    }
    let result = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &parse_options())
        .map_err(|err| {
            let r = err.range();
            let (start, end) = if matches!(
                err.kind(),
                jsonc_parser::errors::ParseErrorKind::ExpectedComma
            ) {
                // Point at the token that should have been preceded by a comma.
                let next = skip_whitespace_and_comments(body, r.start);
                (next, next)
            } else {
                (r.start, r.end)
            };
            SyntaxError {
                range: start + bom..end + bom,
                message: describe(err.kind()),
            }
        })?;
    match result.value {
        Some(value) => Ok(convert(&value, bom)),
        None => Err(no_value(source)),
    }
}

/// The error of a file that holds no value.
fn no_value(source: &SourceText) -> SyntaxError {
    SyntaxError {
        range: source.as_str().len()..source.as_str().len(),
        message: "the file holds no JSON value (it is empty or only comments)".to_string(),
    }
}

/// [`parse`] by the AST path only, which the fast path ([`super::jsonc_tree`]) must agree with.
#[cfg(test)]
pub(super) fn parse_by_ast(body: &str) -> Result<Option<Json>, ()> {
    jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &parse_options())
        .map(|r| r.value.map(|v| convert(&v, 0)))
        .map_err(|_| ())
}

/// The offset of the next byte that is neither whitespace nor inside a comment.
pub fn skip_whitespace_and_comments(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if bytes[pos.min(bytes.len())..].starts_with(b"//") {
            // A line comment ends at a line feed or a lone carriage return, as the parser reads it.
            pos = text[pos..]
                .find(['\n', '\r'])
                .map_or(bytes.len(), |i| pos + i);
        } else if bytes[pos.min(bytes.len())..].starts_with(b"/*") {
            pos = text[pos + 2..]
                .find("*/")
                .map_or(bytes.len(), |i| pos + 2 + i + 2);
        } else {
            return pos.min(bytes.len());
        }
    }
}

fn describe(kind: &jsonc_parser::errors::ParseErrorKind) -> String {
    use jsonc_parser::errors::ParseErrorKind as K;
    match kind {
        K::ExpectedComma => "expected a comma between these values".to_string(),
        K::UnexpectedWord => {
            "unexpected word (keys and strings need double quotes; true, false and null are lower case)"
                .to_string()
        }
        K::MultipleRootJsonValues => {
            "more than one JSON value at the top level (only one object is allowed)".to_string()
        }
        other => {
            let mut text = other.to_string();
            if let Some(first) = text.get_mut(0..1) {
                first.make_ascii_lowercase();
            }
            text
        }
    }
}

fn convert(value: &ast::Value<'_>, shift: usize) -> Json {
    let range = |r: jsonc_parser::common::Range| r.start + shift..r.end + shift;
    match value {
        ast::Value::Object(object) => Json {
            kind: JsonKind::Object(
                object
                    .properties
                    .iter()
                    .map(|prop| {
                        let (key, key_range) = match &prop.name {
                            ast::ObjectPropName::String(lit) => {
                                (CompactString::from(&*lit.value), range(lit.range))
                            }
                            ast::ObjectPropName::Word(lit) => {
                                (CompactString::from(lit.value), range(lit.range))
                            }
                        };
                        Member {
                            key,
                            key_range,
                            value: convert(&prop.value, shift),
                        }
                    })
                    .collect(),
            ),
            range: range(object.range),
        },
        ast::Value::Array(array) => Json {
            kind: JsonKind::Array(array.elements.iter().map(|v| convert(v, shift)).collect()),
            range: range(array.range),
        },
        ast::Value::StringLit(lit) => Json {
            kind: JsonKind::String(CompactString::from(&*lit.value)),
            range: range(lit.range),
        },
        ast::Value::NumberLit(lit) => Json {
            kind: JsonKind::Number(CompactString::from(lit.value)),
            range: range(lit.range),
        },
        ast::Value::BooleanLit(lit) => Json {
            kind: JsonKind::Bool(lit.value),
            range: range(lit.range),
        },
        ast::Value::NullKeyword(lit) => Json {
            kind: JsonKind::Null,
            range: range(lit.range),
        },
    }
}

impl Json {
    /// The members when this is an object.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The string when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member with exactly this key; the last one when repeated, as the host reads it.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members()?.iter().rev().find(|m| m.key == key)
    }

    /// The value of the member with exactly this key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.member(key).map(|m| &m.value)
    }

    /// The member whose key matches ignoring ASCII case (the way .NET configuration binds
    /// sections); the last one when several match.
    pub fn member_ci(&self, key: &str) -> Option<&Member> {
        self.members()?
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    /// The value of the member matching `key` ignoring ASCII case.
    pub fn get_ci(&self, key: &str) -> Option<&Json> {
        self.member_ci(key).map(|m| &m.value)
    }

    /// A short description of the kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Object(_) => "an object",
            JsonKind::Array(_) => "an array",
            JsonKind::String(_) => "a string",
            JsonKind::Number(_) => "a number",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Null => "null",
        }
    }
}

/// Maps a byte range of a JSON string's decoded value to the file. Without escapes the raw text
/// between the quotes is the value; with escapes the raw text is walked. Falls back to the whole
/// value when the range cannot be mapped.
pub fn string_inner_range(file_text: &str, value: &Json, range: &Range<usize>) -> Range<usize> {
    let whole = value.range.clone();
    let (Some(decoded), Some(raw)) = (
        value.as_str(),
        file_text.get(whole.start + 1..whole.end.saturating_sub(1)),
    ) else {
        return whole;
    };
    let offsets = if raw.contains('\\') {
        match decoded_offsets(raw) {
            Some(o) if o.last().map(|(d, _)| *d) == Some(decoded.len()) => o,
            _ => return whole,
        }
    } else if raw.len() == decoded.len() {
        return whole.start + 1 + range.start..whole.start + 1 + range.end;
    } else {
        return whole;
    };
    let at = |d: usize| offsets.iter().find(|(dd, _)| *dd == d).map(|(_, r)| *r);
    match (at(range.start), at(range.end)) {
        (Some(s), Some(e)) => whole.start + 1 + s..whole.start + 1 + e,
        _ => whole,
    }
}

/// (decoded offset, raw offset) at every character boundary of a JSON string body.
fn decoded_offsets(raw: &str) -> Option<Vec<(usize, usize)>> {
    let b = raw.as_bytes();
    let mut out = vec![(0, 0)];
    let (mut d, mut r) = (0usize, 0usize);
    let hex = |at: usize| {
        raw.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    while r < b.len() {
        if b[r] == b'\\' {
            let (len, raw_len) = match b.get(r + 1)? {
                b'u' => {
                    let unit = hex(r + 2)?;
                    if (0xD800..0xDC00).contains(&unit)
                        && b.get(r + 6) == Some(&b'\\')
                        && b.get(r + 7) == Some(&b'u')
                    {
                        (4, 12)
                    } else {
                        (char::from_u32(unit).map_or(3, char::len_utf8), 6)
                    }
                }
                _ => (1, 2),
            };
            d += len;
            r += raw_len;
        } else {
            let c = raw[r..].chars().next()?;
            d += c.len_utf8();
            r += c.len_utf8();
        }
        out.push((d, r));
    }
    Some(out)
}

/// Whether the end of `line_prefix` (the text of one line before some point) is outside a JSON
/// string: JSON strings never span lines, so an even number of unescaped quotes before it means
/// outside. For finding comments (`//`) in a line without parsing the file.
pub fn outside_string(line_prefix: &str) -> bool {
    let mut quotes = 0;
    let mut escaped = false;
    for c in line_prefix.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => quotes += 1,
            _ => escaped = false,
        }
    }
    quotes % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText {
        SourceText::decode(text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn spans_account_for_the_bom_and_comments() {
        let s = src("\u{FEFF}{\r\n  // c\r\n  \"hubName\": \"x\", /* d */\r\n}");
        let root = parse(&s).unwrap();
        let m = root.member("hubName").unwrap();
        assert_eq!(&s.as_str()[m.key_range.clone()], "\"hubName\"");
        assert_eq!(&s.as_str()[m.value.range.clone()], "\"x\"");
        assert_eq!(s.line_col(m.key_range.start), (3, 3));
    }

    #[test]
    fn missing_comma_is_an_error_with_position() {
        let s = src("{\n  \"a\": 1\n  \"b\": 2\n}");
        let err = parse(&s).unwrap_err();
        assert_eq!(s.line_col(err.range.start), (3, 3));
        assert!(err.message.contains("comma"), "{}", err.message);
    }

    #[test]
    fn loose_syntax_is_rejected() {
        for text in ["{a: 1}", "{'a': 1}", "{\"a\": 0x1}", "{\"a\": +1}"] {
            assert!(parse(&src(text)).is_err(), "{text}");
        }
    }

    #[test]
    fn empty_and_comment_only_files_are_errors() {
        assert!(parse(&src("")).is_err());
        assert!(parse(&src("// nothing\n")).is_err());
        assert!(parse(&src("\u{FEFF}")).is_err());
    }

    #[test]
    fn nesting_after_a_comment_ended_by_a_lone_cr_is_counted() {
        // jsonc-parser ends a line comment at `\r`; the depth check must see what follows.
        let text = format!("{{\"a\": // c\r{}{}}}", "[".repeat(300), "]".repeat(300));
        let s = src(&text);
        let err = parse(&s).unwrap_err();
        assert!(err.message.contains("nest more than"), "{}", err.message);
        assert_eq!(err.range.start, text.find('[').unwrap() + MAX_DEPTH - 1);
        // A comment ended by CRLF or LF hides nothing either, and a bracket inside it is text.
        assert!(parse(&src("{\"a\": // [[[\r\n1}")).is_ok());
        assert!(parse(&src("{\"a\": // [[[\r1}")).is_ok());
    }

    #[test]
    fn two_root_objects_are_an_error() {
        let s = src("{\"a\": 1}\n{\"b\": 2}");
        let err = parse(&s).unwrap_err();
        assert_eq!(s.line_col(err.range.start), (2, 1));
    }

    #[test]
    fn duplicates_are_kept_and_lookup_takes_the_last() {
        let s = src("{\"a\": 1, \"a\": 2}");
        let root = parse(&s).unwrap();
        assert_eq!(root.members().unwrap().len(), 2);
        assert_eq!(root.get("a").unwrap().kind, JsonKind::Number("2".into()));
    }

    #[test]
    fn inner_ranges_map_to_the_file() {
        let text = r#"{"a": "Endpoint=http://x;Authentication=Bad", "b": "K=\"v\";Authentication=Bad", "c": "\ud83d\ude00=1;Authentication=Bad"}"#;
        let src = SourceText::from_string(text.to_string());
        let doc = parse(&src).unwrap();
        for key in ["a", "b", "c"] {
            let value = doc.get(key).unwrap();
            let decoded = value.as_str().unwrap();
            let at = decoded.find("Bad").unwrap();
            let r = string_inner_range(text, value, &(at..at + 3));
            assert_eq!(&text[r], "Bad", "{key}");
        }
        // A range that starts inside an escaped character falls back to the whole value.
        let value = doc.get("c").unwrap();
        assert_eq!(string_inner_range(text, value, &(1..2)), value.range);
    }
}
