//! Source text: decoding (UTF-8 with or without a BOM, UTF-16 with a BOM), a line index that
//! turns byte offsets into 1-based line and character columns, and the style facts (line
//! ending, indentation) that edits reuse.
//!
//! A line ends at a line feed, a CRLF or a lone carriage return: jsonc-parser ends a `//`
//! comment and counts a line at a lone `\r`, and XML reads one as a line end (XML 1.0 §2.11),
//! as editors do. (U+2028 and U+2029 end no line: jsonc-parser does not end a comment there.)

use std::ops::Range;

/// How the bytes of a file were encoded on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 with a byte order mark (`EF BB BF`).
    Utf8Bom,
    /// UTF-16 little endian with a byte order mark (what PowerShell writes).
    Utf16Le,
    /// UTF-16 big endian with a byte order mark.
    Utf16Be,
}

impl Encoding {
    /// Whether fixes may be written back: only UTF-8 files are rewritten byte for byte.
    pub fn is_writable(self) -> bool {
        matches!(self, Encoding::Utf8 | Encoding::Utf8Bom)
    }
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset of the first bad byte in the file.
    pub offset: usize,
    /// 1-based line of the bad byte (counted over the valid prefix).
    pub line: usize,
    /// 1-based character column of the bad byte.
    pub column: usize,
    /// What is wrong, for the user.
    pub message: String,
    /// The file as text for showing the error, undecodable bytes replaced by U+FFFD.
    pub shown: String,
    /// Byte offset of the first bad byte in `shown`.
    pub shown_offset: usize,
}

/// The text of one file with its line index.
///
/// For UTF-8 files `text` holds the exact bytes of the file, BOM included, so that byte
/// ranges into it are byte ranges into the file. For UTF-16 files `text` is the decoded text
/// (BOM included as U+FEFF) and ranges point into it; such files are never rewritten.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    encoding: Encoding,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// How many lines end with CRLF.
    crlf_lines: usize,
    /// How many lines end with a lone CR.
    cr_lines: usize,
    /// `(byte offset, characters before it)` at char boundaries about every
    /// [`CHAR_MARK_STEP`] bytes, starting with `(0, 0)`; empty when the text is ASCII (a byte
    /// is a character). Columns are counted from the nearest mark, so finding a column costs
    /// the same on a 5 MB single-line file as on a pretty-printed one.
    char_marks: Vec<(usize, usize)>,
    /// [`SourceText::indent_unit`], worked out on first use (every fix asks for it).
    indent_unit: std::sync::OnceLock<String>,
}

/// Bytes between two entries of `SourceText::char_marks`.
const CHAR_MARK_STEP: usize = 4096;

impl SourceText {
    /// Decodes raw file bytes.
    pub fn decode(bytes: Vec<u8>) -> Result<SourceText, DecodeError> {
        let (text, encoding) = if bytes.starts_with(&[0xFF, 0xFE]) {
            (
                decode_utf16(&bytes[2..], u16::from_le_bytes)?,
                Encoding::Utf16Le,
            )
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            (
                decode_utf16(&bytes[2..], u16::from_be_bytes)?,
                Encoding::Utf16Be,
            )
        } else {
            let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
            match String::from_utf8(bytes) {
                Ok(text) => (
                    text,
                    if bom {
                        Encoding::Utf8Bom
                    } else {
                        Encoding::Utf8
                    },
                ),
                Err(err) => {
                    let offset = err.utf8_error().valid_up_to();
                    let bytes = err.into_bytes();
                    let shown = String::from_utf8_lossy(&bytes).into_owned();
                    // The text before the bad byte is valid, so it is the same in `shown`.
                    let probe = SourceText::from_string(shown[..offset].to_string());
                    let (line, column) = probe.line_col(offset);
                    let bad = bytes.get(offset).copied().unwrap_or_default();
                    return Err(DecodeError {
                        offset,
                        line,
                        column,
                        message: format!(
                            "the file is not valid UTF-8 (byte 0x{bad:02X} at offset {offset})"
                        ),
                        shown,
                        shown_offset: offset,
                    });
                }
            }
        };
        if let Some(nul) = memchr::memchr(0, text.as_bytes()) {
            // Neither JSON nor XML allows a NUL character anywhere, even escaped in XML.
            let probe = SourceText::from_string(text[..nul].to_string());
            let (line, column) = probe.line_col(nul);
            let offset = if encoding.is_writable() {
                nul
            } else {
                // UTF-16: two bytes per code unit before the NUL (the BOM is one unit).
                text[..nul].chars().map(char::len_utf16).sum::<usize>() * 2
            };
            return Err(DecodeError {
                offset,
                line,
                column,
                message: format!(
                    "the file holds a NUL byte at offset {offset}: it is binary, or UTF-16 without a byte order mark"
                ),
                shown: text.replace('\0', "\u{FFFD}"),
                shown_offset: nul,
            });
        }
        let mut source = SourceText::from_string(text);
        source.encoding = encoding;
        Ok(source)
    }

    /// Wraps text that is already decoded (tests, generated content).
    pub fn from_string(text: String) -> SourceText {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        line_starts.push(0);
        let (mut crlf_lines, mut cr_lines) = (0, 0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' {
                if bytes.get(i + 1) == Some(&b'\n') {
                    // The line ends at the LF that follows.
                    crlf_lines += 1;
                    continue;
                }
                cr_lines += 1;
            }
            line_starts.push(i + 1);
        }
        let encoding = if text.starts_with('\u{FEFF}') {
            Encoding::Utf8Bom
        } else {
            Encoding::Utf8
        };
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut marks = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at + CHAR_MARK_STEP < text.len() {
                // A char is at most 4 bytes, so the boundary is past `at`.
                let next = floor_char_boundary(&text, at + CHAR_MARK_STEP);
                chars += text[at..next].chars().count();
                marks.push((next, chars));
                at = next;
            }
            marks
        };
        SourceText {
            text,
            encoding,
            line_starts,
            crlf_lines,
            cr_lines,
            char_marks,
            indent_unit: std::sync::OnceLock::new(),
        }
    }

    /// Number of characters before `offset` (a char boundary).
    pub fn chars_before(&self, offset: usize) -> usize {
        let Some(i) = self
            .char_marks
            .partition_point(|&(at, _)| at <= offset)
            .checked_sub(1)
        else {
            return offset;
        };
        let (at, chars) = self.char_marks[i];
        chars + self.text[at..offset].chars().count()
    }

    /// The whole text, BOM included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The encoding the file had on disk.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Length in bytes of the byte order mark at the start of `as_str()` (0 or 3).
    pub fn bom_len(&self) -> usize {
        if self.text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        }
    }

    /// The text after the BOM; parsers read this and add `bom_len()` to their offsets.
    pub fn body(&self) -> &str {
        &self.text[self.bom_len()..]
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of line `index` (0-based), without its line ending.
    pub fn line_range(&self, index: usize) -> Range<usize> {
        let start = self.line_starts[index];
        match self.line_starts.get(index + 1) {
            Some(&next) => {
                // The LF or the lone CR that ends the line, and the CR of a CRLF.
                let newline = next - 1;
                let end = if newline > start
                    && self.text.as_bytes()[newline] == b'\n'
                    && self.text.as_bytes()[newline - 1] == b'\r'
                {
                    newline - 1
                } else {
                    newline
                };
                start..end
            }
            None => start..self.text.len(),
        }
    }

    /// Byte range of line `index` including its line ending.
    pub fn full_line_range(&self, index: usize) -> Range<usize> {
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        start..end
    }

    /// Number of lines (a final line ending does not start a new counted line of text, but the
    /// index still has an entry for the empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and 1-based column counted in characters; the BOM takes no column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.line_index(offset);
        let mut start = self.line_starts[line];
        if line == 0 {
            start += self.bom_len();
        }
        let start = start.min(offset);
        let column = self.chars_before(offset) - self.chars_before(start);
        (line + 1, column + 1)
    }

    /// The line ending the file uses most (`"\r\n"`, `"\r"` or `"\n"`); `"\n"` for one-line
    /// files.
    pub fn eol(&self) -> &'static str {
        let lines = self.line_starts.len() - 1;
        if self.crlf_lines * 2 > lines {
            "\r\n"
        } else if self.cr_lines * 2 > lines {
            "\r"
        } else {
            "\n"
        }
    }

    /// Whether the file ends with a line ending.
    pub fn has_final_newline(&self) -> bool {
        self.text.ends_with(['\n', '\r'])
    }

    /// The whitespace at the start of the line holding `offset`.
    pub fn indent_of_line_at(&self, offset: usize) -> &str {
        let range = self.line_range(self.line_index(offset));
        let mut start = range.start;
        if start == 0 {
            start = self.bom_len();
        }
        let line = &self.text[start..range.end];
        let trimmed = line.trim_start_matches([' ', '\t']);
        &line[..line.len() - trimmed.len()]
    }

    /// The indentation unit of the file: a tab, or the smallest positive run of leading spaces
    /// seen (2 or 4 in practice). Defaults to two spaces.
    pub fn indent_unit(&self) -> &str {
        self.indent_unit.get_or_init(|| self.detect_indent_unit())
    }

    fn detect_indent_unit(&self) -> String {
        const BOM: &[u8] = "\u{FEFF}".as_bytes();
        let bytes = self.text.as_bytes();
        let mut smallest_spaces = usize::MAX;
        let mut tabs = 0usize;
        let mut spaced = 0usize;
        for (i, &start) in self.line_starts.iter().enumerate() {
            // Byte by byte from the line's start (this runs on every line of every file that
            // a fix edits); a line is decoded only when what follows its indentation is not
            // visible ASCII, to tell whether it is blank.
            let mut at = start;
            while bytes[at..].starts_with(BOM) {
                at += BOM.len();
            }
            let rest = &bytes[at..];
            let indent = rest
                .iter()
                .position(|&b| b != b' ' && b != b'\t')
                .unwrap_or(rest.len());
            let visible = rest.get(indent).is_some_and(u8::is_ascii_graphic);
            if !visible && self.text[at..self.line_range(i).end].trim().is_empty() {
                continue;
            }
            if rest.first() == Some(&b'\t') {
                tabs += 1;
            } else {
                let n = rest.iter().take_while(|&&b| b == b' ').count();
                if n > 0 {
                    spaced += 1;
                    smallest_spaces = smallest_spaces.min(n);
                }
            }
        }
        if tabs > spaced {
            "\t".to_string()
        } else if smallest_spaces == usize::MAX {
            "  ".to_string()
        } else {
            " ".repeat(smallest_spaces)
        }
    }
}

/// `text` with every lone carriage return made a line feed (the same length, so byte offsets
/// stay valid): for renderers that end lines at `\n` and `\r\n` only.
pub fn lone_cr_as_lf(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes changed, into ASCII bytes: the text is still UTF-8.
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

fn decode_utf16(bytes: &[u8], to_unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units = bytes
        .chunks_exact(2)
        .map(|pair| to_unit([pair[0], pair[1]]));
    let mut text = String::from('\u{FEFF}');
    // Code units read so far, the BOM included.
    let mut unit = 1;
    let mut bad: Option<(usize, String)> = None;
    for ch in char::decode_utf16(units) {
        match ch {
            Ok(c) => {
                text.push(c);
                unit += c.len_utf16();
            }
            Err(err) => {
                let at = unit * 2;
                bad = Some((
                    unit,
                    format!(
                        "the UTF-16 file holds an unpaired surrogate (0x{:04X} at offset {at})",
                        err.unpaired_surrogate()
                    ),
                ));
                break;
            }
        }
    }
    if bad.is_none() && bytes.len() % 2 != 0 {
        let at = unit * 2;
        bad = Some((
            unit,
            format!("the UTF-16 file has an odd number of bytes (a lone byte at offset {at})"),
        ));
    }
    let Some((unit, message)) = bad else {
        return Ok(text);
    };
    let shown_offset = text.len();
    let probe = SourceText::from_string(text);
    let (line, column) = probe.line_col(shown_offset);
    let mut shown = probe.text;
    shown.push('\u{FFFD}');
    Err(DecodeError {
        offset: unit * 2,
        line,
        column,
        message,
        shown,
        shown_offset,
    })
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_characters_and_skip_the_bom() {
        let src = SourceText::decode("\u{FEFF}{\r\n  \"äää\": 1\r\n}".as_bytes().to_vec()).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf8Bom);
        assert_eq!(src.line_col(3), (1, 1));
        let one = src.as_str().find('1').unwrap();
        assert_eq!(src.line_col(one), (2, 10));
        assert_eq!(src.eol(), "\r\n");
        assert_eq!(src.line_range(1), 6..src.as_str().find("1\r").unwrap() + 1);
    }

    #[test]
    fn columns_of_long_lines_count_characters() {
        // Non-ASCII text across several marks, on one line and on later lines.
        let line = "é".repeat(5000) + "x" + &"ab€".repeat(3000);
        let text = format!("\u{FEFF}{line}\n{line}");
        let src = SourceText::from_string(text.clone());
        assert!(src.char_marks.len() > 4);
        for (n, (at, _)) in text.char_indices().enumerate().step_by(997) {
            let newline = text.find('\n').unwrap();
            let expected = if at <= newline {
                (1, n.max(1)) // the BOM takes no column: character n is column n
            } else {
                (2, n - text[..=newline].chars().count() + 1)
            };
            assert_eq!(src.line_col(at), expected, "offset {at}");
        }
        // Inside the BOM and inside a character, and past the end.
        assert_eq!(src.line_col(1), (1, 1));
        let e = text.find('é').unwrap();
        assert_eq!(src.line_col(e + 1), src.line_col(e));
        assert_eq!(src.line_col(text.len() + 5), src.line_col(text.len()));
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_the_parsers_read_it() {
        let src = SourceText::from_string("{\r  \"a\": 1\r\n\r\"b\"\r}".to_string());
        assert_eq!(src.line_count(), 5);
        let b = src.as_str().find("\"b").unwrap();
        assert_eq!(src.line_col(b), (4, 1));
        assert_eq!(src.line_col(src.as_str().find('1').unwrap()), (2, 8));
        assert_eq!(&src.as_str()[src.line_range(1)], "  \"a\": 1");
        assert_eq!(&src.as_str()[src.line_range(2)], "");
        assert_eq!(&src.as_str()[src.line_range(3)], "\"b\"");
        assert_eq!(src.eol(), "\r");
        assert_eq!(
            lone_cr_as_lf(src.as_str().to_string()),
            "{\n  \"a\": 1\r\n\n\"b\"\n}"
        );
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let err = SourceText::decode(b"{\n  \"a\": \"\xFF\"\n}".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column, err.offset), (2, 9, 10));
    }

    #[test]
    fn utf16_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "{\"a\":1}".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let src = SourceText::decode(bytes).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf16Le);
        assert_eq!(src.body(), "{\"a\":1}");
    }

    #[test]
    fn bad_utf16_points_at_the_unit_and_names_its_offset() {
        // BOM, `{`, LF, `"`, then a lone high surrogate.
        let mut bytes = vec![0xFF, 0xFE];
        for unit in [
            u16::from(b'{'),
            u16::from(b'\n'),
            u16::from(b'"'),
            0xD800,
            u16::from(b'"'),
        ] {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let err = SourceText::decode(bytes.clone()).unwrap_err();
        assert_eq!((err.line, err.column, err.offset), (2, 2, 8));
        assert!(
            err.message.contains("0xD800 at offset 8"),
            "{}",
            err.message
        );
        // Big endian, odd length: the lone byte is the last one.
        let mut bytes = vec![0xFE, 0xFF, 0x00, b'{', 0x00];
        let err = SourceText::decode(std::mem::take(&mut bytes)).unwrap_err();
        assert_eq!((err.line, err.column, err.offset), (1, 2, 4));
        assert!(
            err.message
                .contains("odd number of bytes (a lone byte at offset 4)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn indent_unit_detects_tabs_and_spaces() {
        assert_eq!(
            SourceText::from_string("{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}".into()).indent_unit(),
            "\t"
        );
        assert_eq!(
            SourceText::from_string("{\n    \"a\": {\n        \"b\": 1\n    }\n}".into())
                .indent_unit(),
            "    "
        );
        // Blank lines count for nothing, however blank (a space and a no-break space here;
        // a line of a vertical tab, CRLF), and a BOM is no indentation.
        assert_eq!(
            SourceText::from_string(
                "\u{feff}{\r\n \u{a0}\r\n\u{b}\r\n    \"a\": 1,\r\n    \"é\": 2\r\n}".into()
            )
            .indent_unit(),
            "    "
        );
    }
}
