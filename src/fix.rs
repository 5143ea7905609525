//! Fixes as data: edits (file, byte range, new text) with an applicability, the changed files a
//! fixed point yields ([`FileChange`]), and the code that applies a set of edits to a text. It
//! never reads or writes files.

use std::ops::Range;

use serde::Serialize;

use crate::source::FileRef;

/// Whether a fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown only; never applied (the change needs a person).
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: may change behaviour the tool cannot see.
    Unsafe,
    /// Applied by `--write`.
    Safe,
}

impl Applicability {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `range` of `file` with `replacement` (an insertion when the range is empty).
#[derive(Debug, Clone)]
pub struct Edit {
    /// The file.
    pub file: FileRef,
    /// Byte range in the file's text.
    pub range: Range<usize>,
    /// New text.
    pub replacement: String,
}

/// A fix: what it does, how safe it is, and its edits (possibly across files of one app).
#[derive(Debug, Clone)]
pub struct Fix {
    /// What the fix does, in a sentence.
    pub message: String,
    /// How safe it is.
    pub applicability: Applicability,
    /// The edits; they do not overlap.
    pub edits: Vec<Edit>,
}

/// A file the fixes changed.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The file as it was read from disk before any fix.
    pub original: FileRef,
    /// Its text after every fix.
    pub new_text: String,
    /// The edits of every pass as one list in the original file's coordinates, sorted and
    /// disjoint: applied to the original text they give `new_text`, and every byte outside
    /// their ranges is kept.
    pub edits: Vec<(Range<usize>, String)>,
}

/// Why edits could not be applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The first of the two overlapping ranges.
    pub first: Range<usize>,
    /// The second.
    pub second: Range<usize>,
}

/// Applies edits (ranges into `text`) and returns the new text. Insertions at the same offset
/// are applied in the order given. Overlapping edits are refused.
pub fn apply(text: &str, edits: &[(Range<usize>, &str)]) -> Result<String, Overlap> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].0.start, edits[i].0.end, i));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0usize;
    let mut previous: Option<Range<usize>> = None;
    for i in order {
        let (range, replacement) = &edits[i];
        if let Some(prev) = &previous {
            let touches_same_insert = prev.is_empty() && range.is_empty();
            if range.start < prev.end || (range.start < cursor && !touches_same_insert) {
                return Err(Overlap {
                    first: prev.clone(),
                    second: range.clone(),
                });
            }
        }
        out.push_str(&text[cursor..range.start]);
        out.push_str(replacement);
        cursor = range.end;
        previous = Some(range.clone());
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_offset_order() {
        let out = apply("abcdef", &[(4..5, "E"), (0..1, "A"), (2..2, "+")]).unwrap();
        assert_eq!(out, "Ab+cdEf");
    }

    #[test]
    fn refuses_overlap() {
        assert!(apply("abcdef", &[(0..3, "x"), (2..4, "y")]).is_err());
    }

    #[test]
    fn two_insertions_at_one_point_keep_their_order() {
        assert_eq!(apply("ab", &[(1..1, "1"), (1..1, "2")]).unwrap(), "a12b");
    }
}
