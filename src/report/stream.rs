//! Every report as a head, pieces and a tail. A piece is a batch of findings rendered on its
//! own ([`piece`], on any thread: a unit of the engine's stream, or a run of files of a whole
//! outcome); a [`Report`] writes the head, then the pieces in report order, then the tail with
//! the run's [`Totals`]. So a report is written as the check goes, and what it holds at once
//! is one piece, whatever the number of findings. A report written whole
//! ([`super::write`]) goes the same way, so both give the same bytes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::{ci, concise, gitlab, human, json, junit, sarif, Counts, Format, ReportContext};
use crate::discover::WalkProblem;
use crate::engine::Outcome;
use crate::finding::Finding;
use crate::fix::FileChange;

/// What a report's tail says of the run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals<'a> {
    /// The findings, counted.
    pub counts: Counts,
    /// Apps checked.
    pub apps: usize,
    /// Config files read.
    pub files: usize,
    /// Problems met while walking.
    pub problems: &'a [WalkProblem],
    /// The apps `--write` did not write (folder, why).
    pub held: &'a [(PathBuf, String)],
    /// The files `--write` wrote.
    pub written: &'a [FileChange],
}

impl<'a> Totals<'a> {
    /// The totals of a whole outcome.
    pub fn of(outcome: &'a Outcome) -> Totals<'a> {
        Totals {
            counts: Counts::of(&outcome.findings),
            apps: outcome.apps,
            files: outcome.files,
            problems: &outcome.problems,
            held: &outcome.held,
            written: &outcome.written,
        }
    }
}

/// A batch of findings rendered in one format.
#[derive(Debug, Default)]
pub struct Piece {
    bytes: Vec<u8>,
    /// For the JSON formats: the items of the report's array it holds.
    items: usize,
}

/// Renders `findings` (in report order, a file's findings all in this batch) in `format`.
pub fn piece(format: Format, cx: &ReportContext, findings: &[Finding]) -> Piece {
    let mut piece = Piece {
        bytes: Vec::with_capacity(capacity_hint(format, findings.len())),
        items: 0,
    };
    // The text formats write into the same buffer, as a String: it is empty, so its room
    // carries over.
    let text = |bytes: &mut Vec<u8>, render: &dyn Fn(&mut String)| {
        let mut text = String::from_utf8(std::mem::take(bytes)).unwrap_or_default();
        render(&mut text);
        *bytes = text.into_bytes();
    };
    match format {
        Format::Human => text(&mut piece.bytes, &|out| human::render(findings, cx, out)),
        Format::Concise => text(&mut piece.bytes, &|out| concise::render(findings, out)),
        Format::Json => piece.items = json::piece(findings, &mut piece.bytes),
        Format::JsonLines => {
            for f in findings {
                // Writing to a Vec cannot fail.
                let _ = json::write_finding(f, &mut piece.bytes);
                piece.bytes.push(b'\n');
            }
        }
        Format::Sarif => piece.items = sarif::piece(findings, cx.root.as_deref(), &mut piece.bytes),
        Format::Gitlab => {
            piece.items = gitlab::piece(findings, cx.root.as_deref(), &mut piece.bytes)
        }
        Format::Junit => text(&mut piece.bytes, &|out| {
            junit::piece(findings, cx.fail_on, out)
        }),
        Format::Github => text(&mut piece.bytes, &|out| {
            for f in findings {
                out.push_str(&ci::github_line(f));
                out.push('\n');
            }
        }),
        Format::Azure => text(&mut piece.bytes, &|out| {
            for f in findings {
                out.push_str(&ci::azure_line(f));
                out.push('\n');
            }
        }),
    }
    remember_size(format, findings.len(), piece.bytes.len());
    piece
}

thread_local! {
    /// The most bytes a finding took in a piece of each format on this thread.
    static PER_FINDING: std::cell::Cell<[usize; Format::COUNT]> =
        const { std::cell::Cell::new([0; Format::COUNT]) };
}

/// The largest buffer a piece starts with, and the most a finding is taken to need (a piece
/// that needs more grows as it must): one huge finding does not make every later piece
/// reserve as much.
const MOST_RESERVED: usize = 64 << 10;
const MOST_PER_FINDING: usize = 8 << 10;

/// The bytes a piece of `findings` findings in `format` is likely to take, from the pieces
/// rendered before on this thread: a buffer of that size is not grown and copied again and
/// again (5% of a JSON report's instructions).
fn capacity_hint(format: Format, findings: usize) -> usize {
    let per_finding = PER_FINDING.get()[format as usize];
    per_finding.saturating_mul(findings).min(MOST_RESERVED)
}

/// Notes the size of a piece for [`capacity_hint`].
fn remember_size(format: Format, findings: usize, bytes: usize) {
    if findings == 0 {
        return;
    }
    let mut sizes = PER_FINDING.get();
    let slot = &mut sizes[format as usize];
    *slot = (*slot).max(bytes.div_ceil(findings).min(MOST_PER_FINDING));
    PER_FINDING.set(sizes);
}

/// A report being written: its head is out, pieces follow in order, [`Report::end`] writes
/// the tail.
pub struct Report<W: Write> {
    format: Format,
    cx: ReportContext,
    out: W,
    /// Items of the JSON array written so far.
    items: usize,
    /// Whether any finding was written.
    any: bool,
    /// The SARIF log's text after its results.
    sarif_tail: Vec<u8>,
}

/// What the heads of reports in `formats`, rooted at `root` (their context's), cost to make,
/// as work to do ahead — SARIF's log around its results (the rules' documentation, parsed and
/// written: a few milliseconds) — so that a thread can do it while the walk runs instead of
/// the run waiting for it before the first result; `None` when there is none (a thread of
/// its own would cost more than it saves).
pub fn head_work<'a>(
    formats: &[Format],
    root: Option<&'a Path>,
) -> Option<impl FnOnce() + Send + 'a> {
    formats.contains(&Format::Sarif).then_some(move || {
        sarif_parts(root);
    })
}

/// [`sarif::parts`] for `root` and the working folder, made once a run (a second root is made
/// when asked for).
fn sarif_parts(root: Option<&Path>) -> (Vec<u8>, Vec<u8>) {
    type Made = Option<(Option<PathBuf>, (Vec<u8>, Vec<u8>))>;
    static MADE: Mutex<Made> = Mutex::new(None);
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((key, parts)) = &*made {
        if key.as_deref() == root {
            return parts.clone();
        }
    }
    let parts = sarif::parts(root, working_dir().as_deref());
    *made = Some((root.map(Path::to_path_buf), parts.clone()));
    parts
}

/// The folder the tool runs in, canonical (SARIF's `workingDirectory`).
fn working_dir() -> Option<PathBuf> {
    std::env::current_dir()
        .ok()
        .map(|dir| std::fs::canonicalize(&dir).unwrap_or(dir))
}

impl<W: Write> Report<W> {
    /// Starts a report in `format` on `out`: writes its head.
    pub fn begin(format: Format, cx: &ReportContext, mut out: W) -> io::Result<Self> {
        let mut sarif_tail = Vec::new();
        match format {
            Format::Json => out.write_all(&json::head())?,
            Format::Sarif => {
                let (head, tail) = sarif_parts(cx.root.as_deref());
                out.write_all(&head)?;
                sarif_tail = tail;
            }
            Format::Gitlab => out.write_all(b"[")?,
            Format::Junit => out.write_all(junit::HEAD.as_bytes())?,
            _ => {}
        }
        Ok(Report {
            format,
            cx: cx.clone(),
            out,
            items: 0,
            any: false,
            sarif_tail,
        })
    }

    /// The format being written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Where it is written.
    pub fn output(&self) -> &W {
        &self.out
    }

    /// The context it is rendered in.
    pub fn context(&self) -> &ReportContext {
        &self.cx
    }

    /// Writes the next piece.
    pub fn push(&mut self, piece: &Piece) -> io::Result<()> {
        if piece.bytes.is_empty() {
            return Ok(());
        }
        if matches!(self.format, Format::Json | Format::Sarif | Format::Gitlab) {
            self.out
                .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
            self.items += piece.items;
        }
        self.any = true;
        self.out.write_all(&piece.bytes)
    }

    /// Writes the tail, with the run's `totals`, and gives the output back.
    pub fn end(mut self, totals: &Totals<'_>) -> io::Result<W> {
        let summary = |would| (!self.cx.quiet).then(|| super::summary(totals, would));
        match self.format {
            Format::Human => {
                if let Some(line) = summary(self.cx.would_write) {
                    self.out.write_all(line.as_bytes())?;
                }
            }
            Format::Concise => {
                if let Some(line) = summary(None) {
                    self.out.write_all(line.as_bytes())?;
                }
            }
            Format::Json => self.out.write_all(&json::tail(self.items, totals))?,
            Format::Sarif => {
                self.out
                    .write_all(&json::close_array(self.items, sarif::RESULTS_LEVEL))?;
                self.out.write_all(&self.sarif_tail)?;
            }
            Format::Gitlab => {
                self.out.write_all(&json::close_array(self.items, 1))?;
                self.out.write_all(b"\n")?;
            }
            Format::Junit => self.out.write_all(junit::tail(self.any).as_bytes())?,
            Format::Github => self.out.write_all(ci::github_notice(totals).as_bytes())?,
            Format::JsonLines | Format::Azure => {}
        }
        Ok(self.out)
    }
}

/// The findings as batches for [`piece`]: runs of about `size` findings, cut only between
/// files.
pub fn batches(findings: &[Finding], size: usize) -> Vec<&[Finding]> {
    let mut batches = Vec::new();
    let mut rest = findings;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while end < rest.len() && same_file(&rest[end - 1], &rest[end]) {
            end += 1;
        }
        let (batch, after) = rest.split_at(end);
        batches.push(batch);
        rest = after;
    }
    batches
}

fn same_file(a: &Finding, b: &Finding) -> bool {
    std::sync::Arc::ptr_eq(&a.span.file, &b.span.file) || a.span.file.path == b.span.file.path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SARIF head made ahead is the one of the root asked for: another root is made anew.
    #[test]
    fn sarif_heads_made_ahead_are_for_their_root() {
        let (a, b) = (Path::new("/repo/a"), Path::new("/repo/b"));
        head_work(&[Format::Sarif], Some(a)).expect("SARIF has a head to make")();
        assert!(head_work(&[Format::Human, Format::Json], Some(a)).is_none());
        let wd = working_dir();
        assert_eq!(sarif_parts(Some(a)), sarif::parts(Some(a), wd.as_deref()));
        assert_eq!(sarif_parts(Some(b)), sarif::parts(Some(b), wd.as_deref()));
        assert_eq!(sarif_parts(None), sarif::parts(None, wd.as_deref()));
        assert_ne!(sarif_parts(Some(a)).0, sarif_parts(Some(b)).0);
    }

    #[test]
    fn a_slot_for_every_format() {
        use clap::ValueEnum;
        assert_eq!(Format::value_variants().len(), Format::COUNT);
        for (i, format) in Format::value_variants().iter().enumerate() {
            assert_eq!(*format as usize, i);
        }
    }

    #[test]
    fn pieces_start_as_large_as_the_largest_before() {
        // A thread of its own: the hint is per thread.
        std::thread::spawn(|| {
            assert_eq!(capacity_hint(Format::Json, 3), 0);
            remember_size(Format::Json, 2, 5_001);
            remember_size(Format::Json, 4, 400);
            remember_size(Format::Json, 0, 1_000_000);
            assert_eq!(capacity_hint(Format::Json, 3), 3 * 2_501);
            assert_eq!(capacity_hint(Format::Sarif, 3), 0);
            assert_eq!(capacity_hint(Format::Json, usize::MAX), MOST_RESERVED);
            // One huge finding counts as a large one, no more.
            remember_size(Format::Json, 1, 10_000_000);
            assert_eq!(capacity_hint(Format::Json, 1), MOST_PER_FINDING);
        })
        .join()
        .unwrap();
    }
}
