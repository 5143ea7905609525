//! Span-keeping readers and editors of the files an app is made of.

pub mod jsonc;
pub mod jsonc_edit;
pub mod msbuild;
pub mod msbuild_edit;
pub mod text;
