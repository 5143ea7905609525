//! Wrapping a diagnostic's message and help as miette does (`textwrap::fill` with
//! `WordSeparator::AsciiSpace`), without textwrap when every line fits.

use textwrap::core::display_width;

/// `text` filled to `width` columns as miette's `textwrap::fill` does, the first line after
/// `initial`, the others after `subsequent` (either may hold ANSI escapes).
///
/// textwrap breaks a line only when it is wider than the width left after the indent; a line
/// that fits comes out as it is, less its trailing spaces. When a line does not fit, textwrap
/// wraps the whole text.
pub(super) fn fill(text: &str, initial: &str, subsequent: &str, width: usize) -> String {
    let room = width
        .saturating_sub(display_width(initial))
        .min(width.saturating_sub(display_width(subsequent)));
    let fits = text
        .split('\n')
        .all(|line| text_width(line.trim_end_matches(' ')) <= room);
    if !fits {
        return slow(text, initial, subsequent, width);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(subsequent);
        } else {
            out.push_str(initial);
        }
        out.push_str(line.trim_end_matches(' '));
    }
    out
}

/// The columns `line` takes as textwrap counts them (a printable ASCII byte is one).
fn text_width(line: &str) -> usize {
    if line.bytes().all(|b| (b' '..=b'~').contains(&b)) {
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
        ];
        for width in [0, 1, 5, 20, 24, 30, 98] {
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
