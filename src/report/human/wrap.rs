//! Wrapping a diagnostic's message and help as miette does (`textwrap::fill` with
//! `WordSeparator::AsciiSpace`), without textwrap when every line fits.

use textwrap::core::display_width;

/// `text` filled to `width` columns as miette's `textwrap::fill` does, the first line after
/// `initial`, the others after `subsequent` (either may hold ANSI escapes).
///
/// A line that fits comes out as it is, less its trailing spaces; a line of printable ASCII
/// that does not is wrapped here as textwrap wraps it. Any other text is textwrap's.
pub(super) fn fill(text: &str, initial: &str, subsequent: &str, width: usize) -> String {
    let widths = [
        width.saturating_sub(display_width(initial)),
        width.saturating_sub(display_width(subsequent)),
    ];
    let room = widths[0].min(widths[1]);
    let ours = text
        .split('\n')
        .all(|line| is_printable_ascii(line) || text_width(line.trim_end_matches(' ')) <= room);
    if !ours || initial.is_empty() {
        return slow(text, initial, subsequent, width);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rows = Vec::new();
    for line in text.split('\n') {
        rows.clear();
        if text_width(line.trim_end_matches(' ')) <= room {
            rows.push(line.trim_end_matches(' '));
        } else {
            first_fit(line, widths, &mut rows);
        }
        for row in &rows {
            if out.is_empty() {
                out.push_str(initial);
            } else {
                out.push('\n');
                out.push_str(subsequent);
            }
            out.push_str(row);
        }
    }
    out
}

/// Whether `line` is all printable ASCII (each byte one column).
fn is_printable_ascii(line: &str) -> bool {
    line.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// A piece of a line textwrap places whole: its text `start..word_end`, then spaces to `end`.
#[derive(Clone, Copy)]
struct Fragment {
    start: usize,
    word_end: usize,
    end: usize,
}

impl Fragment {
    fn width(self) -> usize {
        self.word_end - self.start
    }
}

/// The rows of a line of printable ASCII, as textwrap makes them with `WordSeparator::
/// AsciiSpace`, the hyphen splitter, broken words and the first-fit algorithm, the first row
/// `widths[0]` wide and the others `widths[1]`.
fn first_fit<'a>(line: &'a str, widths: [usize; 2], rows: &mut Vec<&'a str>) {
    // The empty word textwrap puts first when there is an initial indent.
    let mut fragments = vec![Fragment {
        start: 0,
        word_end: 0,
        end: 0,
    }];
    for word in words(line) {
        split_at_hyphens(line, word, widths[1], &mut fragments);
    }
    let mut row_start = 0;
    let mut width = 0;
    let mut row_widths = widths[0];
    for idx in 0..fragments.len() {
        let fragment = fragments[idx];
        if width + fragment.width() > row_widths && idx > row_start {
            rows.push(row(line, &fragments[row_start..idx]));
            row_start = idx;
            width = 0;
            row_widths = widths[1];
        }
        width += fragment.end - fragment.start;
    }
    rows.push(row(line, &fragments[row_start..]));
}

/// The text of a row: its fragments less the last one's spaces.
fn row<'a>(line: &'a str, fragments: &[Fragment]) -> &'a str {
    let start = fragments
        .iter()
        .find(|f| f.end > f.start)
        .map_or(0, |f| f.start);
    let end = fragments.last().map_or(0, |f| f.word_end);
    line.get(start..end.max(start)).unwrap_or("")
}

/// The words of `line` (each with its trailing spaces) as `WordSeparator::AsciiSpace` finds
/// them: a word starts at the line's start and at each non-space after a space.
fn words(line: &str) -> impl Iterator<Item = Fragment> + '_ {
    let bytes = line.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut end = start + 1;
        while end < bytes.len() && !(bytes[end] != b' ' && bytes[end - 1] == b' ') {
            end += 1;
        }
        let mut word_end = end;
        while word_end > start && bytes[word_end - 1] == b' ' {
            word_end -= 1;
        }
        let word = Fragment {
            start,
            word_end,
            end,
        };
        start = end;
        Some(word)
    })
}

/// Splits `word` after each hyphen between two alphanumerics (the hyphen splitter), then
/// breaks each piece wider than `width` into pieces of `width` (at least one column).
fn split_at_hyphens(line: &str, word: Fragment, width: usize, out: &mut Vec<Fragment>) {
    let bytes = line.as_bytes();
    let mut prev = word.start;
    for idx in word.start..word.word_end {
        let splits = bytes[idx] == b'-'
            && idx > word.start
            && idx + 1 < word.word_end
            && bytes[idx - 1].is_ascii_alphanumeric()
            && bytes[idx + 1].is_ascii_alphanumeric();
        if splits {
            let piece = Fragment {
                start: prev,
                word_end: idx + 1,
                end: idx + 1,
            };
            break_apart(piece, width, out);
            prev = idx + 1;
        }
    }
    let last = Fragment {
        start: prev,
        word_end: word.word_end,
        end: word.end,
    };
    break_apart(last, width, out);
}

/// `fragment` as is, or in pieces of `width` columns (at least one) when it is wider; the
/// last piece keeps its spaces.
fn break_apart(fragment: Fragment, width: usize, out: &mut Vec<Fragment>) {
    if fragment.width() <= width {
        out.push(fragment);
        return;
    }
    let size = width.max(1);
    let mut start = fragment.start;
    while fragment.word_end - start > size {
        out.push(Fragment {
            start,
            word_end: start + size,
            end: start + size,
        });
        start += size;
    }
    out.push(Fragment { start, ..fragment });
}

/// The columns `line` takes as textwrap counts them (a printable ASCII byte is one).
fn text_width(line: &str) -> usize {
    if is_printable_ascii(line) {
        line.len()
    } else {
        display_width(line)
    }
}

/// What miette does: textwrap with its options.
fn slow(text: &str, initial: &str, subsequent: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(initial)
        .subsequent_indent(subsequent)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares with textwrap on texts that fit and texts that do not.
    #[test]
    fn fill_is_textwraps() {
        let texts = [
            "",
            "short",
            "trailing   ",
            "  leading and  double  spaces ",
            "a\nb\n\nc  \n",
            "a-very-long-hyphenated-word-that-goes-on-and-on and more words to wrap here",
            "ＣＪＫ全角の文字はニ列を取ります、そして折り返されるはずですよ。",
            "emoji 🎉🎉🎉🎉 and tabs\tin text and more text that keeps going on and on",
            "exactly-twenty-cols!",
            "exactly-twenty-cols!x",
            "--double--hyphens-- a-b -a b- x--y well-formed-words-that-wrap-here and-there",
            "averyveryveryveryverylongwordwithnospacesatallthatmustbebrokenapart ok",
            "   leading spaces then a line long enough to wrap past the width of the row",
            "trailing spaces at a break point                                       x",
            "short\nand a second line that is long enough to wrap past the width for sure",
        ];
        for width in [0, 1, 2, 5, 9, 10, 11, 20, 24, 30, 41, 98] {
            for (initial, subsequent) in [("  × ", "  │ "), ("  help: ", "        ")] {
                for text in texts {
                    assert_eq!(
                        fill(text, initial, subsequent, width),
                        slow(text, initial, subsequent, width),
                        "{text:?} at {width}"
                    );
                }
            }
        }
    }
}
