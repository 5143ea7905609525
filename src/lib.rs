//! dts-migrate: lints Azure Durable Functions apps and migrates them to the Durable Task
//! Scheduler.
//!
//! The crate is built in layers; each module uses only the ones listed before it:
//!
//! | layer | owns |
//! |---|---|
//! | [`source`] | bounded reads, decoded text and its line index, display paths, redaction |
//! | [`syntax`] | JSONC and MSBuild readers with spans, their editors, NuGet versions |
//! | [`facts`] | the data of `rules/*.toml`: providers, packages, bundles, the rule catalogue |
//! | [`fix`], [`finding`] | fixes (edits with an applicability) and findings, as plain data |
//! | [`model`] | an app's files, read and parsed, and what they say: hosting, version, backend |
//! | [`discover`] | the parallel walk that finds apps and their files |
//! | [`rules`] | one family per folder, one rule per file |
//! | [`config`] | `dts-migrate.toml` |
//! | [`engine`] | the pipeline: discover, load, rules, policy, fixpoint; the [`engine::Outcome`] |
//! | [`write`] | the write boundary; staging, commit and rollback of the planned changes; report files |
//! | [`plan`] | the Azure half of the migration: steps per app, as scripts, Markdown, JSON, Bicep |
//! | [`report`] | one module per output format; renders an `Outcome`, never re-runs checks |
//! | [`cli`] | the command line |
//!
//! Data flows one way: paths go to [`discover`], which yields [`model::AppFiles`]; the
//! [`model`] reads them into an [`model::App`]; the [`rules`] turn an app into
//! [`finding::Finding`]s, each with its [`fix::Fix`] as data; the [`engine`] filters them by
//! policy and, when fixing, applies fixes until nothing changes; [`write`] commits the result
//! and [`report`] prints the [`engine::Outcome`].

pub mod cli;
pub mod config;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod model;
pub mod plan;
pub mod report;
pub mod rules;
pub mod source;
pub mod syntax;
pub mod write;
