//! Wrapping a diagnostic's message and help as miette does (`textwrap::fill` with
//! `WordSeparator::AsciiSpace`), without textwrap when every line fits.

use textwrap::core::display_width;

/// Appends `text` filled to `width` columns as miette's `textwrap::fill` does, the first line
/// after `initial`, the others after `subsequent` (either may hold ANSI escapes).
///
/// A line that fits comes out as it is, less its trailing spaces; a line of printable ASCII
/// that does not is wrapped here as textwrap wraps it. Any other text is textwrap's.
pub(super) fn fill(text: &str, initial: &str, subsequent: &str, width: usize, out: &mut String) {
    let start = out.len();
    let widths = [
        width.saturating_sub(display_width(initial)),
        width.saturating_sub(display_width(subsequent)),
    ];
    let room = widths[0].min(widths[1]);
    let mut first = true;
    let mut push_row = |out: &mut String, row: &str| {
        out.push_str(if first { initial } else { subsequent });
        out.push_str(row);
        out.push('\n');
        first = false;
    };
    for line in text.split('\n') {
        let trimmed = line.trim_end_matches(' ');
        let ascii = is_printable_ascii(trimmed);
        if (ascii && trimmed.len() <= room) || (!ascii && display_width(trimmed) <= room) {
            push_row(out, trimmed);
        } else if ascii && !initial.is_empty() {
            first_fit(line, widths, &mut |row| push_row(out, row));
        } else {
            out.truncate(start);
            out.push_str(&slow(text, initial, subsequent, width));
            return;
        }
    }
    // Rows end in a line break but the last.
    out.pop();
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
fn first_fit(line: &str, widths: [usize; 2], push_row: &mut impl FnMut(&str)) {
    // The row starts with the empty word textwrap puts first when there is an initial indent.
    let (mut begin, mut end, mut width, mut count, mut room) = (0, 0, 0, 1, widths[0]);
    let mut place = |fragment: Fragment| {
        if width + fragment.width() > room && count > 0 {
            push_row(line.get(begin..end).unwrap_or(""));
            (begin, width, count, room) = (fragment.start, 0, 0, widths[1]);
        }
        width += fragment.end - fragment.start;
        end = fragment.word_end;
        count += 1;
    };
    for word in words(line) {
        split_at_hyphens(line, word, widths[1], &mut place);
    }
    push_row(line.get(begin..end).unwrap_or(""));
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
fn split_at_hyphens(line: &str, word: Fragment, width: usize, out: &mut impl FnMut(Fragment)) {
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
fn break_apart(fragment: Fragment, width: usize, out: &mut impl FnMut(Fragment)) {
    if fragment.width() <= width {
        out(fragment);
        return;
    }
    let size = width.max(1);
    let mut start = fragment.start;
    while fragment.word_end - start > size {
        out(Fragment {
            start,
            word_end: start + size,
            end: start + size,
        });
        start += size;
    }
    out(Fragment { start, ..fragment });
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
                    let mut ours = String::new();
                    fill(text, initial, subsequent, width, &mut ours);
                    assert_eq!(
                        ours,
                        slow(text, initial, subsequent, width),
                        "{text:?} at {width}"
                    );
                }
            }
        }
    }
}
