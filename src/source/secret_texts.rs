//! Texts for the tests of secret masking: random mixes of the pieces secrets hide in (names,
//! colons, line breaks of three kinds, comments, escapes, connection strings, URLs), each with a
//! random set of its lines, for the tests that compare masking some lines with masking all.

use std::ops::Range;

use super::text::SourceText;

/// Random texts of the pieces secrets hide in, and random sets of their lines.
pub(super) fn texts_and_lines(mut each: impl FnMut(&str, &[Range<usize>])) {
    const PIECES: [&str; 34] = [
        "\"Password\"",
        "\"a\"",
        "\"token\"",
        "\"Api\\u004bey\"",
        ":",
        " ",
        "\n",
        "\r\n",
        "\r",
        ",",
        "{",
        "}",
        "[",
        "]",
        "// c",
        "/* c */",
        "/*",
        "*/",
        "\"AccountKey=ab;x=1\"",
        "AccountKey=zz",
        "https://u:p@h",
        "\"\\u0041\"",
        "\\",
        "secretword",
        "'",
        "true",
        "5",
        "\"S3cr3t",
        "pwd=q",
        "\"v\"",
        "\t",
        "##vso[",
        "::x",
        "é",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..next(40) {
            text.push_str(PIECES[next(PIECES.len())]);
        }
        let source = SourceText::from_string(text.clone());
        let mut lines: Vec<Range<usize>> = Vec::new();
        for line in 0..source.line_count() {
            if next(3) == 0 {
                let range = source.full_line_range(line);
                match lines.last_mut() {
                    Some(last) if last.end == range.start => last.end = range.end,
                    _ => lines.push(range),
                }
            }
        }
        each(&text, &lines);
    }
}
