//! dts-migrate: lints Azure Durable Functions apps and migrates them to the Durable Task
//! Scheduler.
//!
//! The data flows one way: [`discover`] finds apps, [`app`] reads and models them, [`rules`]
//! produce [`finding::Finding`]s (each with its [`fix::Fix`] as data), and [`report`] prints
//! them. [`check`] runs the whole pipeline.

pub mod app;
pub mod cli;
pub mod discover;
pub mod finding;
pub mod fix;
pub mod knowledge;
pub mod redact;
pub mod report;
pub mod rules;
pub mod syntax;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::app::{App, Limits, Parsed};
use crate::discover::{PathError, WalkProblem};
use crate::finding::Finding;
use crate::syntax::msbuild::Project;

/// Which rules to report.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Codes or prefixes to report; empty means all.
    pub select: Vec<String>,
    /// Codes or prefixes never to report.
    pub ignore: Vec<String>,
}

impl Selection {
    /// Whether findings of `code` are reported.
    pub fn allows(&self, code: &str) -> bool {
        let matches = |p: &String| code.starts_with(p.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }

    /// Codes or prefixes that match no rule of the catalogue.
    pub fn unknown_codes(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|p| {
                !knowledge::catalogue()
                    .keys()
                    .any(|c| c.starts_with(p.as_str()))
            })
            .cloned()
            .collect()
    }
}

/// What a check run needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folders or files to check.
    pub paths: Vec<PathBuf>,
    /// Rule selection.
    pub selection: Selection,
    /// File size limit and the like.
    pub limits: Limits,
    /// Worker threads for the walk (0 = one per core).
    pub threads: usize,
}

/// The result of a check run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings in report order.
    pub findings: Vec<Finding>,
    /// Apps checked.
    pub apps: usize,
    /// Config files read.
    pub files: usize,
    /// Problems met while walking.
    pub problems: Vec<WalkProblem>,
}

/// A shared props file: its path, the parsed file when it parsed, and its load findings.
type ParsedProps = (PathBuf, Option<Arc<Parsed<Project>>>, Vec<Finding>);

/// Runs discovery and every rule over `options.paths`.
pub fn check(options: &Options) -> Result<Outcome, PathError> {
    let discovery = discover::discover(&options.paths, options.threads)?;
    // Props files are shared between apps: read and parse each once.
    let props_paths: BTreeSet<&PathBuf> = discovery.apps.iter().flat_map(|a| &a.props).collect();
    let parsed_props: Vec<ParsedProps> = props_paths
        .into_par_iter()
        .map(|path| {
            let mut findings = Vec::new();
            let parsed = app::load_project(path, &options.limits, &mut findings).map(Arc::new);
            (path.clone(), parsed, findings)
        })
        .collect();
    let mut findings: Vec<Finding> = Vec::new();
    let mut props: HashMap<PathBuf, Arc<Parsed<Project>>> = HashMap::new();
    for (path, parsed, load_findings) in parsed_props {
        findings.extend(load_findings);
        if let Some(parsed) = parsed {
            props.insert(path, parsed);
        }
    }
    let files_in_props = props.len();
    let per_app: Vec<(Vec<Finding>, usize)> = discovery
        .apps
        .par_iter()
        .map(|files| {
            let app_props = files
                .props
                .iter()
                .filter_map(|p| props.get(p).cloned())
                .collect();
            let app = App::load(files, app_props, &options.limits);
            let found = rules::check_app(&app);
            (found, app.files_read)
        })
        .collect();
    let mut files = files_in_props;
    for (found, read) in per_app {
        findings.extend(found);
        files += read;
    }
    findings.retain(|f| options.selection.allows(f.code));
    findings.sort_by(Finding::report_order);
    Ok(Outcome {
        findings,
        apps: discovery.apps.len(),
        files,
        problems: discovery.problems,
    })
}
