//! `--diff`: unified diffs of the planned writes (`a/` and `b/` prefixes) that `patch -p1`
//! applies as they are, and that show no secret and no text a console must not print. A line
//! that holds one ([`redact::secrets`], [`escape::is_console_safe_line`]) is never context:
//! the hunk takes less context there, or splits in two. A change whose own lines hold one is
//! left out, and a note says so and that `--write` applies it. It never masks inside a line:
//! a masked line would no longer match the file, and `patch` would refuse the hunk.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use similar::{DiffOp, DiffTag, TextDiff};

use super::console_path;
use crate::source::{display_path, escape, redact};
use crate::write::AppWrite;

/// Lines of context around a change, as `diff -u` gives.
const CONTEXT: usize = 3;

/// What `--diff` prints.
#[derive(Debug, Default, Clone)]
pub struct Diff {
    /// The unified diff (stdout).
    pub patch: String,
    /// One sentence for each change left out (stderr).
    pub notes: Vec<String>,
}

impl Diff {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.patch.is_empty() && self.notes.is_empty()
    }
}

/// The diff of every planned write.
pub fn diff(writes: &[AppWrite]) -> Diff {
    let mut out = Diff::default();
    for app in writes {
        for (path, change) in &app.files {
            file_diff(
                path,
                change.original.text.as_str(),
                &change.new_text,
                &mut out,
            );
        }
    }
    out
}

/// The lines of `text`, each with its line feed; a carriage return is part of its line, as
/// `patch` reads it.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// For each line, whether it may not be shown: it holds (part of) a secret, or something the
/// console must not print.
fn hidden(text: &str, lines: &[&str]) -> Vec<bool> {
    let secrets = redact::secrets(text);
    let mut next = secrets.iter().peekable();
    let mut at = 0;
    lines
        .iter()
        .map(|line| {
            let range = at..at + line.len();
            at = range.end;
            while next.next_if(|s| s.end <= range.start).is_some() {}
            let secret = next.peek().is_some_and(|s| s.start < range.end);
            secret || !escape::is_console_safe_line(line)
        })
        .collect()
}

/// A run of changed lines: its ops, and the lines it replaces and gives.
struct Block {
    ops: Vec<DiffOp>,
    old: Range<usize>,
    new: Range<usize>,
}

/// Writes the diff of one file.
fn file_diff(path: &Path, old_text: &str, new_text: &str, out: &mut Diff) {
    let old = lines(old_text);
    let new = lines(new_text);
    let diff = TextDiff::configure().diff_slices(&old, &new);
    let mut blocks: Vec<Block> = Vec::new();
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match blocks.last_mut() {
            Some(b) if b.old.end == o.start && b.new.end == n.start => {
                b.ops.push(*op);
                b.old.end = o.end;
                b.new.end = n.end;
            }
            _ => blocks.push(Block {
                ops: vec![*op],
                old: o,
                new: n,
            }),
        }
    }
    if blocks.is_empty() {
        return;
    }
    let shown_path = display_path(path);
    if !escape::is_console_safe_line(&shown_path) {
        out.notes.push(format!(
            "{}: its name holds control characters or a CI command, so its changes are not shown; --write applies them",
            console_path(path)
        ));
        return;
    }
    let old_hidden = hidden(old_text, &old);
    let new_hidden = hidden(new_text, &new);
    let block_hidden =
        |b: &Block| b.old.clone().any(|i| old_hidden[i]) || b.new.clone().any(|i| new_hidden[i]);
    // An unchanged line may be context when it can be shown in both files.
    let clean = |old_line: usize, shift: isize| {
        let new_line = old_line as isize + shift;
        !old_hidden[old_line] && !usize::try_from(new_line).is_ok_and(|n| new_hidden[n])
    };
    // Hunks: runs of shown blocks whose gaps are wholly clean context, with the context
    // before the first and after the last.
    let mut hunks: Vec<(Vec<&Block>, usize, usize)> = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        if block_hidden(b) {
            out.notes.push(format!(
                "{}: the change at line {} holds a secret or text the console must not print, so it is not shown; --write applies it",
                console_path(path),
                b.old.start + 1
            ));
            continue;
        }
        let shift = b.new.start as isize - b.old.start as isize;
        let floor = k.checked_sub(1).map_or(0, |p| blocks[p].old.end);
        let before = (floor..b.old.start)
            .rev()
            .take(CONTEXT)
            .take_while(|&i| clean(i, shift))
            .count();
        let after_shift = b.new.end as isize - b.old.end as isize;
        let ceiling = blocks.get(k + 1).map_or(old.len(), |n| n.old.start);
        let after = (b.old.end..ceiling)
            .take(CONTEXT)
            .take_while(|&i| clean(i, after_shift))
            .count();
        match hunks.last_mut() {
            Some((members, _, last_after))
                if members.last().is_some_and(|p| {
                    std::ptr::eq(*p, &blocks[k.saturating_sub(1)])
                        && *last_after + before >= b.old.start - p.old.end
                }) =>
            {
                members.push(b);
                *last_after = after;
            }
            _ => hunks.push((vec![b], before, after)),
        }
    }
    if hunks.is_empty() {
        return;
    }
    let _ = writeln!(out.patch, "--- a/{shown_path}\n+++ b/{shown_path}");
    // The new file of this patch is the old one with the shown hunks only.
    let mut delta: isize = 0;
    for (members, mut before, after) in hunks {
        let (Some(first), Some(last)) = (members.first(), members.last()) else {
            continue;
        };
        // `patch` reads a hunk with less context after than before as one that ends the file.
        if after < before && last.old.end + after < old.len() {
            before = after;
        }
        let old_start = first.old.start - before;
        let old_end = last.old.end + after;
        let changed: isize = members
            .iter()
            .map(|b| b.new.len() as isize - b.old.len() as isize)
            .sum();
        let new_start = (old_start as isize + delta).max(0) as usize;
        let new_len = ((old_end - old_start) as isize + changed).max(0) as usize;
        delta += changed;
        let _ = writeln!(
            out.patch,
            "@@ -{} +{} @@",
            HunkRange(old_start, old_end - old_start),
            HunkRange(new_start, new_len)
        );
        let mut cursor = old_start;
        for b in &members {
            for line in &old[cursor..b.old.start] {
                push_line(&mut out.patch, ' ', line);
            }
            for op in &b.ops {
                let (_, o, n) = op.as_tag_tuple();
                for line in &old[o] {
                    push_line(&mut out.patch, '-', line);
                }
                for line in &new[n] {
                    push_line(&mut out.patch, '+', line);
                }
            }
            cursor = b.old.end;
        }
        for line in &old[cursor..old_end] {
            push_line(&mut out.patch, ' ', line);
        }
    }
}

/// A line of a hunk; a line without a line feed (the last of a file) is followed by the
/// `\ No newline at end of file` marker.
fn push_line(out: &mut String, tag: char, line: &str) {
    out.push(tag);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A hunk's range as unified diffs write it: `start,len`, with `start` alone for one line and
/// the line before for none.
struct HunkRange(usize, usize);

impl std::fmt::Display for HunkRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let HunkRange(start, len) = *self;
        match len {
            1 => write!(f, "{}", start + 1),
            0 => write!(f, "{start},0"),
            _ => write!(f, "{},{len}", start + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(old: &str, new: &str) -> Diff {
        let mut out = Diff::default();
        file_diff(Path::new("app/f.json"), old, new, &mut out);
        out
    }

    #[test]
    fn without_secrets_it_is_the_usual_unified_diff() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
        let new = "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\nfifteen\n16";
        let expected = TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header("a/app/f.json", "b/app/f.json")
            .to_string();
        assert_eq!(of(old, new).patch, expected);
    }

    #[test]
    fn secret_lines_are_never_context() {
        let old = "a\n\"Password\": \"S3cr3t\"\nb\nc\nd\ne\n";
        let new = "a\n\"Password\": \"S3cr3t\"\nb\nc\nD\ne\n";
        let d = of(old, new);
        assert!(!d.patch.contains("S3cr3t"), "{}", d.patch);
        // Two lines of context before (the secret stops it); the hunk ends the file.
        assert!(
            d.patch.contains("@@ -3,4 +3,4 @@\n b\n c\n-d\n+D\n e\n"),
            "{}",
            d.patch
        );
        assert!(d.notes.is_empty());
        // A secret after the change: one line of context after, so one before too, as `patch`
        // reads a hunk with less context after than before as one that ends the file.
        let old = "a\nb\nc\nd\ne\nPassword=S3cr3t\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nPassword=S3cr3t\nf\ng\n";
        let d = of(old, new);
        assert!(
            d.patch.ends_with("@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n"),
            "{}",
            d.patch
        );
    }

    #[test]
    fn a_change_holding_a_secret_is_left_out_with_a_note() {
        let old = "x\nPwd=S3cr3t\ny\nz\n";
        let new = "x\nPwd=S3cr3t;\ny\nZ\n";
        let d = of(old, new);
        assert!(!d.patch.contains("S3cr3t"), "{}", d.patch);
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
        assert!(d.notes[0].contains("line 2") && d.notes[0].contains("--write"));
        assert!(
            d.patch.ends_with("@@ -3,2 +3,2 @@\n y\n-z\n+Z\n"),
            "{}",
            d.patch
        );
    }
}
