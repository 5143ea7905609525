//! A plain `check` (no `--write`, `--diff`, `--statistics` or `--show-files`) with its reports
//! written as the check goes ([`engine::stream`]): the console report, each `--report` file,
//! the CI's annotations (after the console report) and the job summary, so that what a run
//! holds does not grow with its findings.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::check::{
    append_step_summary, ci_annotations, contexts, exit_code, fail, interrupts, threshold,
    warn_problems,
};
use super::progress::Progress;
use super::{env, CheckArgs, Color};
use crate::engine::{self, Options};
use crate::fix::Applicability;
use crate::report::{self, Format, ReportContext};
use crate::source::display_path;
use crate::source::read::io_reason;
use crate::write;

/// A plain check (no `--write`, `--diff`, `--statistics` or `--show-files`), its reports
/// written as the check goes ([`engine::stream`]): the console report, each `--report` file,
/// the CI's annotations (after the console report) and the job summary. Each unit of apps is
/// rendered in every format on the worker threads, and written in report order.
pub fn check(args: &CheckArgs, options: &Options, progress: bool, fix: Applicability) -> ExitCode {
    let mut shown = Progress::start(progress, "checking");
    // The heads of the reports are made on another thread while the walk runs.
    let root = crate::source::repo::report_root(&args.paths);
    let formats: Vec<Format> = std::iter::once(args.format)
        .chain(args.report.iter().map(|r| r.format))
        .collect();
    let prepared = std::thread::scope(|s| {
        if let Some(work) = report::stream::head_work(&formats, root.as_deref()) {
            s.spawn(work);
        }
        engine::stream::prepare(options)
    });
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(err) => {
            shown.finish();
            return fail(&format!(
                "cannot read {}: {}",
                display_path(&err.path),
                io_reason(&err.error)
            ));
        }
    };
    let step_summary = env::step_summary(&env::process);
    let human = args.format == Format::Human && !args.quiet;
    // What --write would do, in a run of few apps (it fixes them in memory): the apps it would
    // hold are not claimed as fixable, and the human report counts fixes and files.
    let preview = engine::preview(&prepared.apps, options, fix);
    shown.finish();
    let (unseen, no_app) = warn_problems(&prepared.problems, prepared.apps.len(), &args.paths);
    let held = preview.as_ref().map(|p| p.held.clone()).unwrap_or_default();
    let would = preview
        .filter(|_| human || step_summary.is_some())
        .map(|p| (p.fixes, p.files));
    let fail_on = threshold(args.fail_on);
    let (cx, files_cx) = contexts(args, fail_on, would);
    let mut outputs = match Outputs::open(args, &cx, &files_cx) {
        Ok(outputs) => outputs,
        Err(err) => return fail(&err),
    };
    // The app folders, for the job summary only (hashing 10,000 paths is serial work).
    let apps: HashSet<&Path> = match step_summary {
        Some(_) => prepared.apps.iter().map(|a| a.dir.as_path()).collect(),
        None => HashSet::new(),
    };
    let formats = outputs.formats();
    let mut counts = report::Counts::default();
    let mut digest = report::step_summary::Digest::default();
    let mut failed: Option<String> = None;
    let files = engine::stream::stream(
        &prepared,
        options,
        &held,
        |batch| {
            let pieces: Vec<report::stream::Piece> = formats
                .iter()
                .map(|(format, cx)| report::stream::piece(*format, cx, &batch.findings))
                .collect();
            let mut digest = report::step_summary::Digest::default();
            if step_summary.is_some() {
                digest.add(&batch.findings, &apps);
            }
            let counts = report::Counts::of(&batch.findings);
            // The findings (and the files they hold) are freed here, on the worker.
            (pieces, counts, digest)
        },
        |(pieces, batch_counts, batch_digest)| {
            counts += batch_counts;
            digest.merge(batch_digest);
            if failed.is_none() {
                failed = outputs.push(&pieces).err();
            }
        },
    );
    let totals = report::stream::Totals {
        counts,
        apps: prepared.apps.len(),
        files,
        problems: &prepared.problems,
        ..report::stream::Totals::default()
    };
    if let Some(err) = failed.or_else(|| outputs.end(&totals).err()) {
        return fail(&err);
    }
    if let Some(path) = step_summary {
        let changes = would
            .map(|(fixes, files)| {
                format!(
                    "`--write` would make {fixes} {} in {files} {}.",
                    if fixes == 1 { "fix" } else { "fixes" },
                    if files == 1 { "file" } else { "files" }
                )
            })
            .unwrap_or_default();
        append_step_summary(
            &path,
            &report::step_summary::render(&digest, &totals, &changes),
        );
    }
    let code = exit_code(args, counts.any_at(fail_on), false, no_app, unseen);
    // The process ends here: freeing the apps one by one would only cost time.
    std::mem::forget(prepared);
    code
}

/// An output of a streamed check: a report file open for writing, stdout, or the buffer the
/// CI's annotations wait in until the console report is out.
enum Sink {
    File(write::output::OutputFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Buffer(Vec<u8>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File(f) => f.write(buf),
            Sink::Stdout(s) => s.write(buf),
            Sink::Buffer(b) => b.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.write_all(buf),
            Sink::Stdout(s) => s.write_all(buf),
            Sink::Buffer(b) => b.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.flush(),
            Sink::Stdout(s) => s.flush(),
            Sink::Buffer(_) => Ok(()),
        }
    }
}

impl Sink {
    /// Why a write failed, naming the output; `None` for a closed stdout (a pager that quit),
    /// which is not an error.
    fn error(&self, err: &std::io::Error) -> Option<String> {
        match self {
            Sink::File(f) => Some(f.error(err)),
            Sink::Stdout(_) if err.kind() == std::io::ErrorKind::BrokenPipe => None,
            _ => Some(format!("cannot write the report: {err}")),
        }
    }

    /// Puts a report file in place; prints what waits in a buffer.
    fn finish(self) -> Result<(), String> {
        match self {
            Sink::File(f) => f.finish(),
            Sink::Stdout(mut s) => s.flush().or_else(|e| Sink::closed(&e)),
            Sink::Buffer(b) => write_stdout_bytes(&b).or_else(|e| Sink::closed(&e)),
        }
    }

    fn closed(err: &std::io::Error) -> Result<(), String> {
        match err.kind() {
            std::io::ErrorKind::BrokenPipe => Ok(()),
            _ => Err(format!("cannot write the report: {err}")),
        }
    }
}

/// Writes `bytes` to stdout.
fn write_stdout_bytes(bytes: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()
}

/// Where a streamed check writes, in this order: the console report (stdout or
/// `--output-file`), the `--report` files, and the CI's annotations after a console report.
/// An output whose write failed is left out from then on (stdout closed by a pager), or
/// fails the run (a file).
struct Outputs {
    reports: Vec<Option<report::stream::Report<Sink>>>,
}

impl Outputs {
    fn open(
        args: &CheckArgs,
        cx: &ReportContext,
        files_cx: &ReportContext,
    ) -> Result<Outputs, String> {
        if args.output_file.is_some() || !args.report.is_empty() {
            interrupts();
        }
        let begin = |format, cx: &ReportContext, sink: Sink| {
            report::stream::Report::begin(format, cx, sink)
                .map_err(|e| format!("cannot write the report: {e}"))
        };
        let mut reports = Vec::new();
        match &args.output_file {
            Some(path) => {
                let file_cx = if args.color == Color::Always {
                    cx
                } else {
                    files_cx
                };
                let file =
                    write::output::OutputFile::create(path, write::output::Existing::Replace)?;
                reports.push(begin(args.format, file_cx, Sink::File(file))?);
            }
            None => {
                let stdout = Sink::Stdout(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout(),
                ));
                reports.push(begin(args.format, cx, stdout)?);
            }
        }
        for extra in &args.report {
            let file =
                write::output::OutputFile::create(&extra.path, write::output::Existing::Replace)?;
            reports.push(begin(extra.format, files_cx, Sink::File(file))?);
        }
        // Inside a CI, annotations in its syntax follow a console report.
        let console = matches!(args.format, Format::Human | Format::Concise);
        if let Some(format) =
            ci_annotations(args.annotations).filter(|_| console && args.output_file.is_none())
        {
            reports.push(begin(format, files_cx, Sink::Buffer(Vec::new()))?);
        }
        Ok(Outputs {
            reports: reports.into_iter().map(Some).collect(),
        })
    }

    /// The format and context of each output, in order.
    fn formats(&self) -> Vec<(Format, ReportContext)> {
        self.reports
            .iter()
            .flatten()
            .map(|r| (r.format(), r.context().clone()))
            .collect()
    }

    /// Writes the pieces of a batch, one per output.
    fn push(&mut self, pieces: &[report::stream::Piece]) -> Result<(), String> {
        for (slot, piece) in self.reports.iter_mut().zip(pieces) {
            let Some(report) = slot else { continue };
            if let Err(err) = report.push(piece) {
                let why = report.output().error(&err);
                *slot = None;
                if let Some(why) = why {
                    return Err(why);
                }
            }
        }
        Ok(())
    }

    /// Writes the tails and puts the files in place.
    fn end(self, totals: &report::stream::Totals<'_>) -> Result<(), String> {
        for report in self.reports.into_iter().flatten() {
            match report.end(totals) {
                Ok(sink) => sink.finish()?,
                Err(err) => return Err(format!("cannot write the report: {err}")),
            }
        }
        write::interrupt::exit_if_interrupted();
        Ok(())
    }
}
