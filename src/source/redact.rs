//! Secrets never reach any output: this module finds them in any text (a file, a message, the
//! new text of a fix, a diff) and masks them as `***`. Every report format, every excerpt, every
//! message and the diff go through it; nothing else decides what is secret.
//!
//! What is a secret, found in one linear pass per kind over the text:
//! - the value of a connection-string part whose key says it is secret (`AccountKey`,
//!   `Password`, `Pwd`, `SharedAccessKey`, `sig`, any [`is_secret_name`]), read with the grammar
//!   of .NET's `DbConnectionStringBuilder`: keys compared ignoring case, whitespace around keys
//!   and values ignored, values quoted with `'…'` or `"…"` (a doubled quote stands for one, and
//!   `;` inside quotes is part of the value), else running to the next `;`;
//! - the password in the userinfo of a URL (`https://user:PASSWORD@host`; a user name alone is
//!   masked too, as tokens travel as user names);
//! - the value of a JSON member whose name says it is secret (`"DB_PASSWORD": "…"`), found
//!   lexically, so files that do not parse are masked too.
//!
//! JSON string literals in the text are decoded before matching (`AccountKey\u003d…` and
//! `a\/b` are what the runtime reads) and what they hide is mapped back to the raw text. The
//! text outside literals, and the raw text of literals, are matched too, so text that is not
//! JSON (a message, a diff line, an XML file) is covered the same way.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use super::memo::{self, Memo};
pub use super::secret_name::is_secret_name;

/// What replaces a secret.
pub const MASK: &str = "***";

/// Whether a connection-string key holds a secret: [`is_secret_name`], or a short key that
/// does (`sig` of a shared access signature, `pass`).
fn is_secret_key(key: &[u8]) -> bool {
    ["sig", "pass"]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k.as_bytes()))
        || std::str::from_utf8(key).is_ok_and(is_secret_name)
}

/// Byte ranges of the secrets in `text`, sorted and disjoint. Linear in the length of `text`.
pub fn secrets(text: &str) -> Vec<Range<usize>> {
    found(text, None)
}

/// The secrets of `text` (those [`secrets`] finds) that lie in `shown`: sorted, disjoint
/// ranges of whole lines (each starts at a line start and ends at a line end or at the end of
/// the text). Secrets never span a line break, and all but one kind are found in their line
/// alone; the text above a shown line is read only for what bears on it (the name of a JSON
/// member, lines above its value, says whether the value is masked), and none below the last.
pub fn secrets_in(text: &str, shown: &[Range<usize>]) -> Vec<Range<usize>> {
    found(text, Some(shown))
}

/// [`secrets`], or [`secrets_in`] the lines `shown`.
fn found(text: &str, shown: Option<&[Range<usize>]>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Without `=`, `@` or an escape only a `"name": value` pair can hide a secret, and that
    // needs a quote and a colon; JSON literals need a quote: most messages are done here.
    let pair_or_escape = memchr::memchr3(b'=', b'@', b'\\', bytes).is_some();
    let quote = memchr::memchr(b'"', bytes).is_some();
    let whole = 0..text.len();
    let lines = shown.unwrap_or(std::slice::from_ref(&whole));
    if pair_or_escape {
        // Connection-string parts and URLs are found in their line alone.
        for line in lines {
            let at = |r: Range<usize>| line.start + r.start..line.start + r.end;
            pairs(&bytes[line.clone()], Where::Raw, &mut |r| out.push(at(r)));
            userinfo(&bytes[line.clone()], &mut |r| out.push(at(r)));
        }
    }
    if quote && (pair_or_escape || memchr::memchr(b':', bytes).is_some()) {
        for part in scanned(bytes, shown) {
            literals(
                &text[part.clone()],
                part.start,
                true,
                Shown(shown),
                &mut out,
            );
        }
    }
    // A value that is the mask already shows nothing (a message masked before, a sample file).
    out.retain(|r| text.get(r.clone()) != Some(MASK));
    merged(out)
}

/// Sorts ranges and merges those that overlap or touch, in place.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    ranges.dedup_by(|next, kept| {
        let touches = next.start <= kept.end;
        if touches {
            kept.end = kept.end.max(next.end);
        }
        touches
    });
    ranges
}

/// Where connection-string parts are being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    /// Raw text of any kind: an unquoted value also ends at a `"` (the end of the JSON string
    /// or of the quoted value in a message holding it), at `<` (XML) and at a line break.
    Raw,
    /// The decoded value of one JSON string: the connection string is the whole text.
    Literal,
}

/// Finds `Key=Value` parts whose key is secret and reports their values. Each `=` is found
/// with a search, and its key read backwards from it: the run of key characters before it
/// (spaces and tabs between them and the `=` allowed), none of them before where reading
/// resumed after the last `=`. A secret value is read and skipped, so no byte is looked at
/// twice.
fn pairs(s: &[u8], place: Where, out: &mut impl FnMut(Range<usize>)) {
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'=', &s[from..]) {
        let eq = from + at;
        let mut end = eq;
        while end > from && matches!(s[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let mut start = end;
        while start > from && is_key_char(s[start - 1]) {
            start -= 1;
        }
        from = eq + 1;
        if start < end && is_secret_key(&s[start..end]) {
            from = value(s, from, place, out);
        }
    }
}

/// The parts of `text` that [`literals`] reads for the lines `shown` (None: all of it): each
/// from a line where the reading of the whole text would be in no literal, comment or pending
/// name, to the end of a shown line.
fn scanned(text: &[u8], shown: Option<&[Range<usize>]>) -> Vec<Range<usize>> {
    let Some(lines) = shown else {
        return std::iter::once(0..text.len()).collect();
    };
    // A block comment can hold any number of lines: where one may be open, read from the top.
    let comments = memchr::memmem::find(text, b"/*").is_some();
    let mut parts: Vec<Range<usize>> = Vec::new();
    for line in lines {
        let start = match comments {
            true => None,
            false => fresh_line(text, line.start),
        };
        match (parts.last_mut(), start) {
            (Some(part), Some(start)) if start > part.end => parts.push(start..line.end),
            (Some(part), _) => part.end = line.end,
            (None, start) => parts.push(start.unwrap_or(0)..line.end),
        }
    }
    parts
}

/// A line start, at or a few lines above the line start `at`, where [`literals`], reading a
/// text without block comments from the top, is in no state: the line before it holds no `/`
/// (no comment starts on it) and ends with a byte after which nothing is pending: not a `"`
/// that may close a name, nor the `:` after one (a literal left open ends at the line break,
/// and any other byte ends a pending name). The text above it then bears on nothing after it.
fn fresh_line(text: &[u8], at: usize) -> Option<usize> {
    let mut start = at;
    for _ in 0..4 {
        if start == 0 {
            return Some(0);
        }
        // The line above, its line break (LF, CRLF or a lone CR) left out of the search.
        let mut end = start - 1;
        if text[end] == b'\n' && end > 0 && text[end - 1] == b'\r' {
            end -= 1;
        }
        let above = memchr::memrchr2(b'\n', b'\r', &text[..end]).map_or(0, |i| i + 1);
        let line = &text[above..start];
        let last = line
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .map(|i| line[i]);
        let settled =
            memchr::memchr(b'/', line).is_none() && last.is_some_and(|b| b != b'"' && b != b':');
        if settled {
            return Some(start);
        }
        start = above;
    }
    None
}

/// The lines whose secrets are wanted (None: all of them).
#[derive(Clone, Copy)]
struct Shown<'a>(Option<&'a [Range<usize>]>);

impl Shown<'_> {
    /// Whether offset `at` is on a line whose secrets are wanted.
    fn has(self, at: usize) -> bool {
        self.0.is_none_or(|lines| {
            let i = lines.partition_point(|l| l.end <= at);
            lines.get(i).is_some_and(|l| l.start <= at)
        })
    }
}

/// Whether `c` may be part of a connection-string key.
fn is_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Reads the value that starts at `i` (after `=`), reports its range (quotes excluded) and
/// returns where reading goes on.
fn value(s: &[u8], mut i: usize, place: Where, out: &mut impl FnMut(Range<usize>)) -> usize {
    let line_break = |b: u8| place == Where::Raw && (b == b'\n' || b == b'\r');
    while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
        i += 1;
    }
    match s.get(i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let start = i + 1;
            let mut k = start;
            while k < s.len() && !line_break(s[k]) {
                if s[k] == q {
                    if s.get(k + 1) == Some(&q) {
                        k += 2;
                        continue;
                    }
                    out(start..k);
                    return k + 1;
                }
                k += 1;
            }
            // No closing quote: everything to the end is the value.
            out(start..k);
            k
        }
        _ => {
            let start = i;
            let mut k = i;
            while k < s.len() {
                let b = s[k];
                let ends = match place {
                    Where::Literal => b == b';',
                    Where::Raw => matches!(b, b';' | b'"' | b'<' | b'\n' | b'\r'),
                };
                if ends {
                    break;
                }
                k += 1;
            }
            let mut end = k;
            while end > start && (s[end - 1] == b' ' || s[end - 1] == b'\t') {
                end -= 1;
            }
            out(start..end);
            k
        }
    }
}

/// Finds the userinfo of URLs (`scheme://user:password@host`) and reports the password, or the
/// user name when there is no password. The authority ends at `/`, `?`, `#`, whitespace, a
/// quote, `<`, `>` or `\`; the userinfo ends at its last `@`.
fn userinfo(s: &[u8], out: &mut impl FnMut(Range<usize>)) {
    let mut i = 0;
    while let Some(at) = find(&s[i..], b"://") {
        let start = i + at + 3;
        let mut k = start;
        let mut last_at = None;
        while k < s.len() {
            let b = s[k];
            if matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\')
                || b.is_ascii_whitespace()
            {
                break;
            }
            if b == b'@' {
                last_at = Some(k);
            }
            k += 1;
        }
        if let Some(end) = last_at {
            let from = s[start..end]
                .iter()
                .position(|&b| b == b':')
                .map_or(start, |c| start + c + 1);
            out(from..end);
        }
        i = k.max(start);
    }
}

/// The first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(p) = hay[from..].iter().position(|&b| b == first) {
        let at = from + p;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The JSON string literals of `text` (found lexically: a `"` to the next unescaped `"`, or to
/// the end of the line when unterminated, as a JSON string never spans lines): each is decoded
/// and its connection-string parts and URLs are matched; a literal that follows a secret name
/// and a `:` is masked whole, as is a bare word in its place. `base` is added to every range.
///
/// Comments (with `comments`) do not break a `"name": "value"` pair; the literals inside them
/// are matched on their own, without looking for comments again (so the scan stays one pass).
/// Only what lies on the lines `shown` is reported; on the others, what can only find secrets
/// there is not worked out.
fn literals(text: &str, base: usize, comments: bool, shown: Shown, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    // After a literal: its body, until a `:` makes it a name, whose value comes next.
    #[derive(PartialEq)]
    enum After {
        Nothing,
        /// Its body, and whether it holds an escape (a name without one is read as it is,
        /// which saves 1% of a human report's instructions).
        Literal(Range<usize>, bool),
        /// A name and its `:`: whether it is a secret's is worked out at its value.
        Name(Range<usize>, bool),
    }
    let secret_name = |raw: &Range<usize>, escaped: bool| match escaped {
        true => is_secret_name(&Decoded::of(&text[raw.clone()]).text),
        false => is_secret_name(&text[raw.clone()]),
    };
    let mut after = After::Nothing;
    let mut i = 0;
    while i < b.len() {
        // After nothing, only a literal or a comment starts something: the bytes before the
        // next `"` or `/` are passed over at once.
        if after == After::Nothing {
            match memchr::memchr2(b'"', b'/', &b[i..]) {
                Some(skip) => i += skip,
                None => break,
            }
        }
        match b[i] {
            b'"' => {
                let start = i + 1;
                let body = literal_body(b, start);
                let end = body.end;
                let closed = end < b.len() && b[end] == b'"';
                // What a literal hides is on its line (it ends at a line break).
                let wanted = shown.has(base + i);
                if let After::Name(raw, escaped) = &after {
                    if wanted && secret_name(raw, *escaped) {
                        out.push(base + start..base + end);
                    }
                }
                // Pairs need a `=`, userinfo a `@`: most literals hold neither, nor an escape
                // that could stand for one.
                if wanted && (body.escaped || body.pair_or_userinfo) {
                    let decoded = Decoded::of(&text[start..end]);
                    let at = |r: Range<usize>| {
                        base + start + decoded.raw(r.start, false)
                            ..base + start + decoded.raw(r.end, true)
                    };
                    let inner = decoded.text.as_bytes();
                    if memchr::memchr2(b'=', b'@', inner).is_some() {
                        pairs(inner, Where::Literal, &mut |r| out.push(at(r)));
                        userinfo(inner, &mut |r| out.push(at(r)));
                    }
                }
                (after, i) = match closed {
                    true => (After::Literal(start..end, body.escaped), end + 1),
                    false => (After::Nothing, end),
                };
            }
            b':' => {
                after = match std::mem::replace(&mut after, After::Nothing) {
                    After::Literal(raw, escaped) => After::Name(raw, escaped),
                    _ => After::Nothing,
                };
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'/' if comments && matches!(b.get(i + 1), Some(b'/' | b'*')) => {
                let inner_start = i + 2;
                let (inner_end, next) = if b[i + 1] == b'/' {
                    let e = b[inner_start..]
                        .iter()
                        .position(|&c| c == b'\n' || c == b'\r')
                        .map_or(b.len(), |p| inner_start + p);
                    (e, e)
                } else {
                    find(&b[inner_start..], b"*/").map_or((b.len(), b.len()), |p| {
                        (inner_start + p, inner_start + p + 2)
                    })
                };
                literals(
                    &text[inner_start..inner_end],
                    base + inner_start,
                    false,
                    shown,
                    out,
                );
                i = next;
            }
            _ => {
                // Worked out on every line: a masked word is passed over whole, which changes
                // how the text after it is read.
                let secret = match &after {
                    After::Name(raw, escaped) => {
                        !matches!(b[i], b'{' | b'[') && secret_name(raw, *escaped)
                    }
                    _ => false,
                };
                if secret {
                    let mut j = i;
                    while j < b.len()
                        && !matches!(b[j], b',' | b'}' | b']' | b'"')
                        && !b[j].is_ascii_whitespace()
                    {
                        j += 1;
                    }
                    let word = &b[i..j];
                    let plain = matches!(word, b"true" | b"false" | b"null")
                        || word
                            .first()
                            .is_some_and(|c| c.is_ascii_digit() || *c == b'-');
                    if !plain && shown.has(base + i) {
                        out.push(base + i..base + j);
                    }
                    i = j.max(i + 1);
                } else {
                    i += 1;
                }
                after = After::Nothing;
            }
        }
    }
}

/// What [`literal_body`] finds of a literal's body.
struct Body {
    /// Where it ends: at its closing `"`, at a line break, or at the end of the text.
    end: usize,
    /// It holds a `\` escape.
    escaped: bool,
    /// It holds a `=` or a `@` (raw).
    pair_or_userinfo: bool,
}

/// The body of the literal that starts at `start`: an escaped character (not a line break) is
/// skipped with its `\`. One look at each byte (literals are short: a search per kind of byte
/// cost more than it saved).
fn literal_body(b: &[u8], start: usize) -> Body {
    let mut body = Body {
        end: start,
        escaped: false,
        pair_or_userinfo: false,
    };
    while let Some(&c) = b.get(body.end) {
        match c {
            b'"' | b'\n' | b'\r' => break,
            b'\\' => {
                let escaped = b
                    .get(body.end + 1)
                    .is_some_and(|&c| c != b'\n' && c != b'\r');
                body.escaped |= escaped;
                body.end += if escaped { 2 } else { 1 };
            }
            b'=' | b'@' => {
                body.pair_or_userinfo = true;
                body.end += 1;
            }
            _ => body.end += 1,
        }
    }
    body
}

/// The decoded text of a JSON string body and the map back to its raw bytes.
struct Decoded<'a> {
    text: Cow<'a, str>,
    /// For each escape: (decoded start, decoded end, raw start, raw end), in order.
    escapes: Vec<(usize, usize, usize, usize)>,
}

impl<'a> Decoded<'a> {
    /// Decodes the JSON escapes of `raw`; an invalid escape stands for the character after the
    /// backslash, and a lone surrogate for U+FFFD.
    fn of(raw: &'a str) -> Decoded<'a> {
        if !raw.contains('\\') {
            return Decoded {
                text: Cow::Borrowed(raw),
                escapes: Vec::new(),
            };
        }
        let b = raw.as_bytes();
        let hex = |at: usize| {
            raw.get(at..at + 4)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        let mut text = String::with_capacity(raw.len());
        let mut escapes = Vec::new();
        let mut r = 0;
        while r < b.len() {
            let Some(p) = raw[r..].find('\\') else {
                text.push_str(&raw[r..]);
                break;
            };
            text.push_str(&raw[r..r + p]);
            let at = r + p;
            let d = text.len();
            let (c, len) = match b.get(at + 1) {
                None => (None, 1),
                Some(b'u') => match hex(at + 2) {
                    Some(hi @ 0xD800..=0xDBFF) => match (b.get(at + 6..at + 8), hex(at + 8)) {
                        (Some(b"\\u"), Some(lo @ 0xDC00..=0xDFFF)) => (
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)),
                            12,
                        ),
                        _ => (Some('\u{FFFD}'), 6),
                    },
                    Some(unit) => (Some(char::from_u32(unit).unwrap_or('\u{FFFD}')), 6),
                    None => (Some('u'), 2),
                },
                Some(_) => {
                    let next = raw[at + 1..].chars().next().unwrap_or('\\');
                    let c = match next {
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    };
                    (Some(c), 1 + next.len_utf8())
                }
            };
            if let Some(c) = c {
                text.push(c);
            }
            escapes.push((d, text.len(), at, at + len));
            r = at + len;
        }
        Decoded {
            text: Cow::Owned(text),
            escapes,
        }
    }

    /// The raw offset of decoded offset `d`; inside the text of an escape, its start (or, for
    /// the `end` of a range, its end), so masks cover whole escapes.
    fn raw(&self, d: usize, end: bool) -> usize {
        let i = self.escapes.partition_point(|e| e.0 <= d);
        if i == 0 {
            return d;
        }
        let (d_start, d_end, r_start, r_end) = self.escapes[i - 1];
        if d >= d_end {
            r_end + (d - d_end)
        } else if d == d_start || !end {
            r_start
        } else {
            r_end
        }
    }
}

/// Masks secrets in a message or any other text.
pub fn mask(text: &str) -> String {
    masked(text).into_owned()
}

/// [`mask`], borrowing `text` when it holds no secret (as nearly every message does).
pub fn masked(text: &str) -> Cow<'_, str> {
    thread_local! {
        static CLEAN: Memo<bool> = RefCell::default();
    }
    // Messages, labels and the texts of fixes come again in app after app.
    if memo::remembered(&CLEAN, 512, text, |t| secrets(t).is_empty()) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len());
    let mut cursor = 0;
    for secret in secrets(text) {
        shown.push_str(&text[cursor..secret.start]);
        shown.push_str(MASK);
        cursor = secret.end;
    }
    shown.push_str(&text[cursor..]);
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time reading of `pairs` it replaced, kept to check the new one against.
    fn pairs_bytewise(s: &[u8], place: Where, out: &mut impl FnMut(Range<usize>)) {
        let mut key: Option<Range<usize>> = None;
        let mut i = 0;
        while i < s.len() {
            let c = s[i];
            if is_key_char(c) {
                match &mut key {
                    Some(k) if k.end == i => k.end = i + 1,
                    _ => key = Some(i..i + 1),
                }
                i += 1;
            } else if c == b' ' || c == b'\t' {
                i += 1;
            } else if c == b'=' {
                let secret = key.take().is_some_and(|k| is_secret_key(&s[k]));
                i += 1;
                if secret {
                    i = value(s, i, place, out);
                }
            } else {
                key = None;
                i += 1;
            }
        }
    }

    #[test]
    fn pairs_read_as_byte_at_a_time() {
        let pieces: [&[u8]; 16] = [
            b"AccountKey",
            b"Password",
            b"pwd",
            b"sig",
            b"Name",
            b"=",
            b"==",
            b" ",
            b"\t",
            b";",
            b"\"",
            b"'",
            b"<",
            b"\n",
            b"a.b-c_d",
            b"x",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut found = 0;
        for _ in 0..20_000 {
            let mut text = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bits = seed;
            for _ in 0..(bits % 12) as usize + 1 {
                bits = bits.rotate_right(5) ^ 0x9e37_79b9;
                text.extend_from_slice(pieces[(bits % 16) as usize]);
            }
            for place in [Where::Raw, Where::Literal] {
                let (mut new, mut old) = (Vec::new(), Vec::new());
                pairs(&text, place, &mut |r| new.push(r));
                pairs_bytewise(&text, place, &mut |r| old.push(r));
                assert_eq!(new, old, "{:?} {place:?}", String::from_utf8_lossy(&text));
                found += new.len();
            }
        }
        // The texts hold secrets, not only their absence.
        assert!(found > 5_000, "{found}");
    }

    /// `text` masked, and asserts `secret` is gone from it.
    fn gone(text: &str, secret: &str) -> String {
        let shown = mask(text);
        assert!(
            !shown.contains(secret),
            "{secret} shown in {shown:?} (from {text:?})"
        );
        shown
    }

    #[test]
    fn masks_connection_string_secrets() {
        let text =
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc+/=;EndpointSuffix=x";
        assert_eq!(
            mask(text),
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;EndpointSuffix=x"
        );
        assert_eq!(
            mask("Server=s;Password=p4ss;User Id=u"),
            "Server=s;Password=***;User Id=u"
        );
        let plain = "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default";
        assert!(matches!(masked(plain), Cow::Borrowed(_)));
        assert!(matches!(
            masked("storageProvider.type is \"mssql\": move to azureManaged"),
            Cow::Borrowed(_)
        ));
        // Masking what is masked changes nothing.
        let once = mask("Password='p';AccountKey=k;{\"DB_PASSWORD\": \"x\"}");
        assert_eq!(
            once,
            "Password='***';AccountKey=***;{\"DB_PASSWORD\": \"***\"}"
        );
        assert!(secrets(&once).is_empty());
    }

    #[test]
    fn the_grammar_of_db_connection_string_builder() {
        // Keys ignore case, whitespace around keys and values is trimmed.
        assert_eq!(
            mask("Server=s; pwd = S3cr3t ;x=1"),
            "Server=s; pwd = *** ;x=1"
        );
        assert_eq!(mask("ACCOUNTKEY=S3cr3t"), "ACCOUNTKEY=***");
        // Quoted values: `;` inside quotes, doubled quotes stand for one.
        assert_eq!(mask("Password='a;b';x=1"), "Password='***';x=1");
        assert_eq!(mask(r#"Password="a;b";x=1"#), r#"Password="***";x=1"#);
        gone(r#"Password="S3""cr;3t";x=1"#, "cr;3t");
        gone("Password='S3''cr;3t'", "cr;3t");
        // An unquoted value runs to the next `;`, spaces inside included.
        gone("Password=S3cr3t with spaces;x=1", "with spaces");
        // An unterminated quote hides everything after it.
        gone("Password='S3cr3t;x=1", "x=1");
        // Every secret key, and keys whose names say secret.
        for key in [
            "AccountKey",
            "SharedAccessKey",
            "SharedAccessSignature",
            "Pwd",
            "ClientSecret",
            "sig",
            "MY_API_KEY",
            "GITHUB_TOKEN",
            "db-password",
        ] {
            gone(&format!("A=1;{key}=S3cr3t;B=2"), "S3cr3t");
        }
        // Names that name or locate a secret are not secrets.
        assert_eq!(
            mask("SharedAccessKeyName=Root;TokenFilePath=/t"),
            "SharedAccessKeyName=Root;TokenFilePath=/t"
        );
        // A shared access signature in a URL.
        gone(
            "https://a.blob.core.windows.net/c?sv=2022&sig=S3cr%3D&se=1",
            "S3cr",
        );
    }

    #[test]
    fn json_escapes_are_decoded_before_matching() {
        let text = r#"{"a": "AccountKey\u003dS3cr3t;x=1", "b": "SharedAccessKey=a\/S3cr3t", "c": "Password=\"S3;cr3t\"", "d": "\u0041ccountKey=S3cr3t"}"#;
        let shown = gone(text, "S3cr3t");
        assert!(!shown.contains("cr3t"), "{shown}");
        assert!(shown.contains("AccountKey\\u003d***;x=1"), "{shown}");
        assert!(shown.contains(r#""b": "SharedAccessKey=***""#), "{shown}");
        // The mask never splits an escape.
        assert!(
            shown.contains(r#""c": "Password=***""#)
                || shown.contains(r#""c": "Password=\"***\"""#),
            "{shown}"
        );
    }

    #[test]
    fn url_userinfo() {
        assert_eq!(
            mask("Endpoint=https://user:S3cr3t@host.example/x"),
            "Endpoint=https://user:***@host.example/x"
        );
        gone("see http://ghp_S3cr3t@github.com/o/r", "S3cr3t");
        gone("https://u:p@ss:S3cr3t@host", "S3cr3t");
        gone(r#"{"u": "https:\/\/u:S3cr3t@h"}"#, "S3cr3t");
        assert!(matches!(
            masked("https://host.example:443/a@b"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn secret_named_members_parsed_or_not() {
        let text = "{\"Values\": {\"OPENAI_API_KEY\": \"sk-123\", \"TASKHUB_NAME\": \"hub\"}}";
        let shown = mask(text);
        assert!(!shown.contains("sk-123"), "{shown}");
        assert!(shown.contains("\"hub\""), "{shown}");
        // Broken JSON: no tree, the same masks.
        for text in [
            "{\"DB_PASSWORD\" : \"S3cr3t\" \"x\": ",
            "{\"DB_PASSWORD\" /* c */ : \"S3cr3t\"",
            "{\"DB_PASSWORD\": S3cr3t, }",
            "{\"Secret\"\n  :\n  \"S3cr3t\"",
            "// \"API_KEY\": \"S3cr3t\"\n{",
            "{\"DB_PASSWORD\": \"S3cr3t", // unterminated
            "{\"db\\u005fpassword\": \"S3cr3t\"}",
            // A name whose secret word is spelt by an escape; a `\` that ends a line.
            "{\"Pass\\u0077ord\": \"S3cr3t\"}",
            "{\"x\": \"a\\\n\"Password\": \"S3cr3t\"}",
        ] {
            gone(text, "S3cr3t");
        }
        // Values that are not secrets stay.
        assert_eq!(
            mask("{\"useTokenCredential\": true}"),
            "{\"useTokenCredential\": true}"
        );
        assert_eq!(mask("{\"maxTokens\": 10}"), "{\"maxTokens\": 10}");
        assert_eq!(
            mask("{\"hubName\": \"Password\", \"x\": \"y\"}"),
            "{\"hubName\": \"Password\", \"x\": \"y\"}"
        );
    }

    /// The secrets of some lines are those of the whole text on them, wherever the reading of
    /// the text above them starts.
    #[test]
    fn secrets_of_some_lines_are_those_of_the_whole_text() {
        let mut found = 0;
        crate::source::secret_texts::texts_and_lines(|text, lines| {
            let whole = secrets(text);
            let on = |r: &Range<usize>| lines.iter().any(|l| l.start <= r.start && r.end <= l.end);
            let across =
                |r: &Range<usize>| lines.iter().any(|l| r.start < l.end && l.start < r.end);
            // No secret is partly on the lines.
            assert!(
                whole.iter().all(|r| on(r) || !across(r)),
                "{text:?} {whole:?} {lines:?}"
            );
            let expected: Vec<Range<usize>> = whole.into_iter().filter(|r| on(r)).collect();
            assert_eq!(secrets_in(text, lines), expected, "{text:?} {lines:?}");
            found += expected.len();
        });
        assert!(found > 5_000, "{found}");
    }
}
