//! The files an app is made of, as paths: what discovery hands to the model (nothing is
//! read yet).

use std::path::PathBuf;

/// The files of one app, as paths (nothing is read yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppFiles {
    /// The app folder.
    pub dir: PathBuf,
    /// `host.json`.
    pub host: PathBuf,
    /// `local.settings.json`, when present.
    pub local_settings: Option<PathBuf>,
    /// The app's own project files (`*.csproj`, `*.fsproj`, `*.vbproj`), sorted.
    pub projects: Vec<PathBuf>,
    /// `extensions.csproj`, when present.
    pub extensions_project: Option<PathBuf>,
    /// Language manifests beside host.json, sorted.
    pub manifests: Vec<PathBuf>,
    /// `function.json` files of the app's functions (one folder down), sorted.
    pub function_jsons: Vec<PathBuf>,
    /// `Directory.Packages.props` and `Directory.Build.props` from the app folder up to the
    /// repository root, nearest first.
    pub props: std::sync::Arc<[PathBuf]>,
    /// The app's own files above that are symbolic links (the walk saw them as such).
    pub links: Vec<PathBuf>,
    /// The app's own files above that the walk did not list as regular files (links, pipes,
    /// devices, folders): what they are is looked at before they are read. The others were
    /// regular files when the folder was listed, and are read without that look.
    pub not_regular: Vec<PathBuf>,
    /// The folder the walk that found the app started from (`None` for apps made by hand).
    pub walked: Option<std::sync::Arc<crate::source::WalkRoot>>,
    /// Files above (links, props files) whose target is outside the run's boundary: the
    /// repository holding the scanned path, else that path (DESIGN §5). The engine fills it
    /// in. The app's own files there are never read; props files there are read for analysis
    /// but shown by name only.
    pub outside: Vec<PathBuf>,
}

impl AppFiles {
    /// Whether `path` is one of [`AppFiles::outside`].
    pub fn is_outside(&self, path: &std::path::Path) -> bool {
        self.outside.iter().any(|p| p == path)
    }
}
