//! The syntax layer: span-keeping readers and editors of the files an app is made of (JSONC,
//! MSBuild XML) and NuGet versions and ranges. It turns text into trees and edits into text;
//! it never reads files and never judges what a file means.

pub mod jsonc;
pub mod jsonc_edit;
mod jsonc_lex;
mod jsonc_tree;
pub mod msbuild;
pub mod msbuild_edit;
pub mod nuget;
