//! A text as a console shows it: a copy of a file's lines with their secrets masked
//! ([`redact::secrets_in`]) and their control characters and CI command prefixes escaped
//! ([`escape::console_escapes`]), the lines between those shown left empty, and the map between
//! offsets of the file and offsets of the copy.

use std::borrow::Cow;
use std::ops::Range;

use super::escape;
use super::redact::{self, MASK};

/// A copy of a text with secrets masked and console escapes made, with the map from offsets of
/// the original to offsets of the copy.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The text as shown.
    pub text: String,
    /// Replaced ranges of the original, sorted, with their start and length in `text`.
    replaced: Vec<(Range<usize>, usize, usize)>,
}

/// A range of a text and what replaces it.
type Replacement = (Range<usize>, Cow<'static, str>);

impl Redacted {
    /// A file's text as source excerpts show it on a console, up to the end of the last of
    /// `lines` (sorted, disjoint ranges of whole lines, as [`redact::secrets_in`] takes them):
    /// on those lines, secrets masked and control characters and CI command prefixes escaped
    /// with the lines kept; each line between them shown empty, so that lines keep their
    /// numbers while nothing on them is masked, escaped or shown.
    pub fn for_console(text: &str, lines: &[Range<usize>]) -> Redacted {
        let masks = redact::secrets_in(text, lines);
        let mut next_mask = 0;
        let mut replacements = Vec::new();
        let mut shown_to = 0;
        for line in lines {
            if line.start > shown_to {
                let breaks = line_breaks(&text.as_bytes()[shown_to..line.start]);
                replacements.push((shown_to..line.start, Cow::Owned("\n".repeat(breaks))));
            }
            let first_mask = next_mask;
            while masks.get(next_mask).is_some_and(|m| m.start < line.end) {
                next_mask += 1;
            }
            let escapes = escape::console_escapes(&text[line.clone()], true)
                .into_iter()
                .map(|(r, with)| (line.start + r.start..line.start + r.end, with));
            merge(&masks[first_mask..next_mask], escapes, &mut replacements);
            shown_to = line.end;
        }
        Redacted::build(&text[..shown_to], replacements)
    }

    /// Replaces sorted, disjoint ranges of `text`.
    fn build(text: &str, replacements: Vec<Replacement>) -> Redacted {
        let mut out = String::with_capacity(text.len());
        let mut replaced = Vec::with_capacity(replacements.len());
        let mut cursor = 0;
        for (range, with) in replacements {
            out.push_str(&text[cursor..range.start]);
            replaced.push((range.clone(), out.len(), with.len()));
            out.push_str(&with);
            cursor = range.end;
        }
        out.push_str(&text[cursor..]);
        Redacted {
            text: out,
            replaced,
        }
    }

    /// The offset in the shown text of an original offset (inside a replaced range: the start
    /// of its replacement).
    pub fn map(&self, offset: usize) -> usize {
        let i = self.replaced.partition_point(|(r, _, _)| r.start <= offset);
        let Some((range, start, len)) = i.checked_sub(1).map(|i| &self.replaced[i]) else {
            return offset;
        };
        if offset < range.end {
            *start
        } else {
            start + len + (offset - range.end)
        }
    }

    /// The original offset of an offset in the shown text (inside a replacement: the start of
    /// what it replaced).
    pub fn original(&self, shown: usize) -> usize {
        let i = self
            .replaced
            .partition_point(|(_, start, _)| *start <= shown);
        let Some((range, start, len)) = i.checked_sub(1).map(|i| &self.replaced[i]) else {
            return shown;
        };
        if shown < start + len {
            range.start
        } else {
            range.end + (shown - start - len)
        }
    }

    /// Maps an original range; a range that ends inside a replacement ends after it.
    pub fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.map(range.start);
        if range.is_empty() {
            return start..start;
        }
        let i = self
            .replaced
            .partition_point(|(r, _, _)| r.start < range.end);
        let end = match i.checked_sub(1).map(|i| &self.replaced[i]) {
            Some((r, s, len)) if range.end > r.start && range.end <= r.end => s + len,
            _ => self.map(range.end),
        };
        start..end.max(start)
    }
}

/// Appends sorted masks and sorted escapes to `out` in order; an escape inside a mask is
/// dropped (the mask replaces it).
fn merge(
    masks: &[Range<usize>],
    escapes: impl Iterator<Item = Replacement>,
    out: &mut Vec<Replacement>,
) {
    let mut masks = masks.iter().peekable();
    let mut escapes = escapes.peekable();
    let mut last_end = 0;
    loop {
        let take_mask = match (masks.peek(), escapes.peek()) {
            (None, None) => return,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(m), Some((e, _))) => m.start < e.end,
        };
        let next = match take_mask {
            true => masks.next().map(|m| (m.clone(), Cow::Borrowed(MASK))),
            false => escapes.next(),
        };
        let Some((range, with)) = next else {
            return;
        };
        if range.start >= last_end {
            last_end = range.end;
            out.push((range, with));
        }
    }
}

/// The line breaks in `bytes`: LF, CRLF and a lone CR, each one.
fn line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::{lone_cr_as_lf, SourceText};

    /// The text as a console shows it whole.
    fn shown_whole(text: &str) -> Redacted {
        Redacted::for_console(text, std::slice::from_ref(&(0..text.len())))
    }

    #[test]
    fn maps_offsets_around_masks() {
        let text = "{\"a\": \"AccountKey=0123456789;\", \"b\": 1}";
        let r = shown_whole(text);
        assert_eq!(r.text, "{\"a\": \"AccountKey=***;\", \"b\": 1}");
        let b = text.find("\"b\"").unwrap();
        assert_eq!(&r.text[r.map(b)..r.map(b) + 3], "\"b\"");
        assert_eq!(r.original(r.map(b)), b);
        let key = text.find("0123").unwrap();
        assert_eq!(r.original(r.map(key) + 1), key);
        assert_eq!(&r.text[r.map_range(&(key..key + 10))], MASK);
        assert_eq!(&r.text[r.map_range(&(key + 2..key + 4))], MASK);
    }

    #[test]
    fn excerpts_escape_controls_and_keep_lines() {
        let text = "{\n  \"a\": \"x\u{1b}[31m\",\r\n  \"Password\": \"S3cr3t\u{1b}\"\n}";
        let r = shown_whole(text);
        assert_eq!(
            r.text,
            "{\n  \"a\": \"x\\u{1b}[31m\",\n  \"Password\": \"***\"\n}"
        );
        let close = text.rfind('}').unwrap();
        assert_eq!(&r.text[r.map(close)..], "}");
    }

    /// The human report masks a file only up to the lines its excerpts show: the masks and
    /// escapes of a text cut at a line end must be those of the whole text.
    #[test]
    fn masks_of_a_text_cut_at_a_line_end_are_those_of_the_whole_text() {
        let texts = [
            "{\n  \"Password\":\n    \"S3cr3t\",\n  \"b\": 1\n}",
            "{\n  /* \"Password\": \"in-a-comment\"\n  still \"ApiKey\": \"k1\" */\n  \"x\": \"AccountKey=abc;\"\n}",
            "{\r\n  \"Conn\": \"Server=s;Password='a;b'\",\r\n  \"Url\": \"https://u:p@h/x\"\r\n}\r\n",
            "line one\r:: not a command\r##vso[task]\rAccountKey=zz\rend",
            "{\n  \"token\": secretword,\n  \"Key\": \"v\\u0041\", // pwd=x\n  \"n\": \"a\u{1b}b\"\n}",
            "<Project>\n  <Password>p</Password>\n  <Conn>Pwd=q;x=1</Conn>\n</Project>\n",
            "\u{feff}{\"SharedAccessKey\"\n:\n\"abc\"}\n\n",
        ];
        for text in texts {
            let whole = shown_whole(text);
            let source = SourceText::from_string(text.to_string());
            for line in 0..source.line_count() {
                let end = source.full_line_range(line).end;
                let cut = shown_whole(&text[..end]);
                // The cut's shown text is the whole's, up to where the cut ends.
                assert_eq!(
                    cut.text,
                    whole.text[..whole.map(end)],
                    "{text:?} cut at {end}"
                );
            }
        }
    }

    #[test]
    fn masking_is_linear() {
        // 5 MB of the shapes that used to make the scan quadratic.
        for unit in [
            "AccountKey=x;",
            "AccountKey=",
            "\"Password\": \"",
            "https://a:b@",
            "\"\\u003d",
        ] {
            let text = unit.repeat(5_000_000 / unit.len());
            let started = std::time::Instant::now();
            let shown = shown_whole(&text);
            let took = started.elapsed();
            eprintln!("{} bytes of {unit:?} masked in {took:?}", text.len());
            assert!(shown.text.len() <= text.len() * 2);
            // Release builds take a few tens of milliseconds; a debug build is given 10 s.
            assert!(took.as_secs() < 10, "{unit:?}: {took:?}");
        }
    }

    /// Some lines of a text are shown as the whole text shows them, and the lines between
    /// them empty.
    #[test]
    fn lines_are_shown_as_the_whole_text_shows_them() {
        crate::source::secret_texts::texts_and_lines(|text, lines| {
            let whole = shown_whole(text);
            let some = Redacted::for_console(text, lines);
            let source = SourceText::from_string(text.to_string());
            let end = lines.last().map_or(0, |l| l.end);
            let shown = SourceText::from_string(lone_cr_as_lf(some.text.clone()));
            let all = SourceText::from_string(lone_cr_as_lf(whole.text.clone()));
            for line in 0..source.line_count() {
                let range = source.full_line_range(line);
                if range.start >= end {
                    break;
                }
                let on = lines
                    .iter()
                    .any(|l| l.start <= range.start && range.end <= l.end);
                let got = &shown.as_str()[shown.line_range(line)];
                match on {
                    true => assert_eq!(
                        got,
                        &all.as_str()[all.line_range(line)],
                        "{text:?} {lines:?}"
                    ),
                    false => assert_eq!(got, "", "{text:?} {lines:?}"),
                }
            }
            // Offsets on the lines map to the same places.
            for line in lines {
                assert_eq!(
                    &some.text[some.map(line.start)..some.map(line.end)],
                    &whole.text[whole.map(line.start)..whole.map(line.end)]
                );
            }
        });
    }
}
