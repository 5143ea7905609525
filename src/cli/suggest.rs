//! "Did you mean": the closest valid word to a mistyped one (a rule code, a format), as clap
//! does for flags. Edit distance (Levenshtein, case-insensitive), at most a third of the
//! word's length (rounded) and at least 1.

/// The edit distance of `a` and `b`, case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, when one is close enough to be what was meant; the first
/// of equally close ones.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = ((word.chars().count() + 1) / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The rule code or prefix closest to a code or prefix that matches no rule: codes first, then
/// the family prefixes (`DTS1`…).
pub fn rule_code(word: &str) -> Option<String> {
    let codes: Vec<&str> = crate::facts::catalogue()
        .keys()
        .map(|c| c.as_str())
        .collect();
    let families: Vec<String> = codes
        .iter()
        .map(|c| c[..4.min(c.len())].to_string())
        .collect();
    closest(
        word,
        codes
            .iter()
            .copied()
            .chain(families.iter().map(String::as_str)),
    )
    .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_words_are_suggested_and_far_ones_not() {
        assert_eq!(distance("DTS10l", "DTS101"), 1);
        assert_eq!(rule_code("DTS10L").as_deref(), Some("DTS101"));
        assert_eq!(rule_code("DTS5O1").as_deref(), Some("DTS501"));
        assert_eq!(rule_code("XYZ"), None);
        assert_eq!(closest("sarf", ["json", "sarif"]), Some("sarif"));
        assert_eq!(closest("yaml", ["json", "sarif"]), None);
        assert_eq!(closest("junti", ["json", "junit"]), Some("junit"));
    }
}
