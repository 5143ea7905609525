//! `dts-migrate.toml` (DESIGN §6): found in the scanned folder or its parents, the closest one
//! wins; `extend` inherits from another file (the extending file's keys win). It selects and
//! ignores rules, changes severities, ignores rules under path globs, excludes paths, and sets
//! the values the migration writes. Unknown keys and bad values are errors with the file's line
//! and column. It reads only its own files (through the source layer) and validates values
//! against the facts; it never looks at an app.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::facts::{Migration, Severity};
use crate::source::text::SourceText;
use crate::syntax::nuget::{Version, VersionRange};

/// The configuration file's name.
pub const FILE_NAME: &str = "dts-migrate.toml";

/// The JSON Schema of the file, for editors (`docs/dts-migrate.schema.json`).
pub const SCHEMA: &str = include_str!("../docs/dts-migrate.schema.json");

/// A configuration error with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column (characters), when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Relative to the working directory when the file is below it.
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| d.canonicalize().ok());
        let shown = cwd
            .and_then(|cwd| self.path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| self.path.clone());
        let path = crate::source::display_path(&shown);
        match self.position {
            Some((line, column)) => write!(f, "{path}:{line}:{column}: {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A severity as the configuration writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The rule does not run.
    Off,
    /// Report at this severity.
    On(Severity),
}

/// Rules ignored under a path glob.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    /// The glob as written.
    pub pattern: String,
    /// The folder the glob is relative to (the config file's).
    pub base: PathBuf,
    matcher: GlobMatcher,
    /// Codes or prefixes.
    pub codes: Vec<String>,
}

impl PathIgnore {
    /// Whether `path` (absolute) is under the glob.
    pub fn matches(&self, path: &Path) -> bool {
        path.strip_prefix(&self.base)
            .is_ok_and(|rel| self.matcher.is_match(rel))
    }
}

/// The resolved configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The files read, the closest first (empty without a configuration file).
    pub files: Vec<PathBuf>,
    /// Codes or prefixes to report; `None`: all.
    pub select: Option<Vec<String>>,
    /// Codes or prefixes never reported.
    pub ignore: Vec<String>,
    /// Severity per code or prefix.
    pub severity: BTreeMap<String, Level>,
    /// Rules ignored under path globs.
    pub per_path_ignores: Vec<PathIgnore>,
    /// Paths left out of the run.
    pub exclude: Vec<PathIgnore>,
    /// What the migration writes.
    pub migration: Migration,
}

impl Config {
    /// Whether `path` (absolute) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude.iter().any(|e| e.matches(path))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_path_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    migration: Option<RawMigration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMigration {
    connection_setting: Option<Spanned<String>>,
    hub_setting: Option<Spanned<String>>,
    local_connection_string: Option<Spanned<String>>,
    bundle_range: Option<Spanned<String>>,
    packages: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// The nearest `dts-migrate.toml` in `start` (a folder, or a file's folder) or its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let first = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    first?
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Loads `path` and the files it extends.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let mut chain: Vec<PathBuf> = Vec::new();
    let mut config = load_chain(path, &mut chain)?;
    config.files = chain;
    Ok(config)
}

/// The most files an `extend` chain may hold, the extending file included. Real chains are two
/// or three files long; a longer one is an error (each file is read and held while the chain
/// is resolved, so without a bound a generated chain of thousands overflows the stack).
pub const MAX_EXTEND_DEPTH: usize = 32;

/// The largest config file read (1 MiB).
const CONFIG_FILE_LIMIT: u64 = 1 << 20;

/// The text of a config file, read like the files the tool checks: never blocking on a pipe,
/// never past [`CONFIG_FILE_LIMIT`]. The error is the message to show.
fn read_config_text(path: &Path) -> Result<String, String> {
    use crate::source::read::{io_reason, read_bounded};
    let bytes = read_bounded(path, CONFIG_FILE_LIMIT)
        .map_err(|err| format!("cannot read: {}", io_reason(&err)))?
        .into_bytes(CONFIG_FILE_LIMIT)?;
    String::from_utf8(bytes).map_err(|err| {
        format!(
            "cannot read: it is not valid UTF-8 (byte {})",
            err.utf8_error().valid_up_to()
        )
    })
}

/// One file of the chain: the files it extends first, then its own keys on top.
fn load_chain(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Config, ConfigError> {
    let canonical = std::fs::canonicalize(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: format!("cannot read: {}", crate::source::read::io_reason(&e)),
    })?;
    if chain.contains(&canonical) {
        return Err(ConfigError {
            path: path.to_path_buf(),
            position: None,
            message: "`extend` forms a cycle".to_string(),
        });
    }
    chain.push(canonical.clone());
    let text = read_config_text(path).map_err(|message| ConfigError {
        path: path.to_path_buf(),
        position: None,
        message,
    })?;
    let source = SourceText::from_string(text);
    let file = FileCx {
        path,
        source: &source,
        base: canonical.parent().unwrap_or(Path::new("/")).to_path_buf(),
    };
    let raw: RawConfig = toml::from_str(source.as_str()).map_err(|e| {
        let message = e.message().trim_end().to_string();
        match e.span() {
            Some(span) => file.error(span, message),
            None => ConfigError {
                path: path.to_path_buf(),
                position: None,
                message,
            },
        }
    })?;
    let mut config = match &raw.extend {
        Some(parent) if chain.len() >= MAX_EXTEND_DEPTH => {
            return Err(file.error(
                parent.span(),
                format!("`extend` chains more than {MAX_EXTEND_DEPTH} files; dts-migrate stops here (make the chain shorter)"),
            ))
        }
        Some(parent) => {
            let target = file.base.join(parent.get_ref());
            if !target.is_file() {
                return Err(file.error(
                    parent.span(),
                    format!("`extend`: {} is not a file", target.display()),
                ));
            }
            load_chain(&target, chain)?
        }
        None => Config::default(),
    };
    file.merge(raw, &mut config)?;
    Ok(config)
}

/// The file being read, for spans and relative paths.
struct FileCx<'a> {
    path: &'a Path,
    source: &'a SourceText,
    base: PathBuf,
}

impl FileCx<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: self.path.to_path_buf(),
            position: Some(
                self.source
                    .line_col(span.start.min(self.source.as_str().len())),
            ),
            message: message.into(),
        }
    }

    /// A rule code or prefix of the catalogue, upper-cased.
    fn code(&self, code: &Spanned<String>) -> Result<String, ConfigError> {
        let upper = code.get_ref().trim().to_ascii_uppercase();
        let known = !upper.is_empty()
            && crate::facts::catalogue()
                .keys()
                .any(|c| c.starts_with(upper.as_str()));
        if known {
            Ok(upper)
        } else {
            Err(self.error(
                code.span(),
                format!(
                    "unknown rule code or prefix {:?} (see `dts-migrate rule --all`)",
                    code.get_ref()
                ),
            ))
        }
    }

    fn codes(&self, codes: &[Spanned<String>]) -> Result<Vec<String>, ConfigError> {
        codes.iter().map(|c| self.code(c)).collect()
    }

    fn glob(
        &self,
        pattern: &Spanned<String>,
        codes: Vec<String>,
    ) -> Result<PathIgnore, ConfigError> {
        let glob = Glob::new(pattern.get_ref())
            .map_err(|e| self.error(pattern.span(), format!("bad glob: {}", e.kind())))?;
        Ok(PathIgnore {
            pattern: pattern.get_ref().clone(),
            base: self.base.clone(),
            matcher: glob.compile_matcher(),
            codes,
        })
    }

    fn setting_name(&self, value: &Spanned<String>) -> Result<String, ConfigError> {
        let name = value.get_ref();
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if valid {
            Ok(name.clone())
        } else {
            Err(self.error(
                value.span(),
                format!(
                    "{name:?} is not an app setting name (letters, digits, `_`, `-`, `.`, `:`)"
                ),
            ))
        }
    }

    fn merge(&self, raw: RawConfig, config: &mut Config) -> Result<(), ConfigError> {
        if let Some(select) = &raw.select {
            config.select = Some(self.codes(select)?);
        }
        if let Some(ignore) = &raw.ignore {
            config.ignore = self.codes(ignore)?;
        }
        if let Some(exclude) = &raw.exclude {
            config.exclude = exclude
                .iter()
                .map(|p| self.glob(p, Vec::new()))
                .collect::<Result<_, _>>()?;
        }
        for (code, level) in raw.severity.iter().flatten() {
            let code = self.code(code)?;
            let level = match level.get_ref().as_str() {
                "off" => Level::Off,
                "info" => Level::On(Severity::Info),
                "warning" => Level::On(Severity::Warning),
                "error" => Level::On(Severity::Error),
                other => {
                    return Err(self.error(
                        level.span(),
                        format!("severity {other:?} is not one of off, info, warning, error"),
                    ))
                }
            };
            config.severity.insert(code, level);
        }
        for (pattern, codes) in raw.per_path_ignores.iter().flatten() {
            let codes = self.codes(codes)?;
            config
                .per_path_ignores
                .retain(|p| p.pattern != *pattern.get_ref());
            config.per_path_ignores.push(self.glob(pattern, codes)?);
        }
        if let Some(m) = raw.migration {
            self.merge_migration(m, &mut config.migration)?;
        }
        Ok(())
    }

    fn merge_migration(&self, m: RawMigration, out: &mut Migration) -> Result<(), ConfigError> {
        if let Some(v) = &m.connection_setting {
            out.connection_setting = Some(self.setting_name(v)?);
        }
        if let Some(v) = &m.hub_setting {
            out.hub_setting = Some(self.setting_name(v)?);
        }
        if let Some(v) = &m.local_connection_string {
            let s = v.get_ref();
            let has = |key: &str| {
                s.split(';').any(|part| {
                    part.split_once('=')
                        .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                })
            };
            if !has("Endpoint") || !has("Authentication") {
                return Err(self.error(
                    v.span(),
                    "local-connection-string needs Endpoint= and Authentication=, e.g. \"Endpoint=http://localhost:8080;Authentication=None\"",
                ));
            }
            out.local_connection_string = Some(s.clone());
        }
        if let Some(v) = &m.bundle_range {
            let first_with_dts = Version::parse("4.30.0").expect("a valid version");
            match VersionRange::parse(v.get_ref()) {
                Some(range) if range.min.as_ref().is_some_and(|min| *min >= first_with_dts) => {
                    out.bundle_range = Some(v.get_ref().clone());
                }
                Some(_) => {
                    return Err(self.error(
                        v.span(),
                        "bundle-range must start at 4.30.0 or later, the first bundle with the Durable Task Scheduler extension",
                    ))
                }
                None => {
                    return Err(self.error(
                        v.span(),
                        format!("{:?} is not a NuGet version range", v.get_ref()),
                    ))
                }
            }
        }
        let tracked = crate::facts::packages::tracked_packages();
        for (id, version) in m.packages.iter().flatten() {
            let Some((canonical, minimum)) = tracked
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(id.get_ref()))
            else {
                let ids: Vec<&str> = tracked.iter().map(|(i, _)| i.as_str()).collect();
                return Err(self.error(
                    id.span(),
                    format!(
                        "{:?} is not a package the migration writes ({})",
                        id.get_ref(),
                        ids.join(", ")
                    ),
                ));
            };
            match Version::parse(version.get_ref()) {
                Some(v) if v >= *minimum => {
                    out.packages
                        .insert(canonical.clone(), version.get_ref().clone());
                }
                Some(_) => {
                    return Err(self.error(
                        version.span(),
                        format!(
                        "{canonical} {} is below {minimum}, the lowest version a migration writes",
                        version.get_ref()
                    ),
                    ))
                }
                None => {
                    return Err(self.error(
                        version.span(),
                        format!("{:?} is not a NuGet version", version.get_ref()),
                    ))
                }
            }
        }
        Ok(())
    }
}

/// The commented file `dts-migrate init` writes: every key with its default.
pub fn template() -> String {
    let d = &crate::facts::facts().defaults;
    let p = crate::facts::packages::package_facts();
    format!(
        r#"# dts-migrate configuration. dts-migrate uses the nearest dts-migrate.toml in the scanned
# folder or its parents. Every key is optional; the values below are the defaults.
# Schema for editors: docs/dts-migrate.schema.json in the dts-migrate repository.

# Inherit from another file (relative to this one); keys here win.
# extend = "../dts-migrate.toml"

# Rule codes or prefixes to report (all when absent), and to leave out.
# select = ["DTS1", "DTS2", "DTS3", "DTS4", "DTS5"]
ignore = []

# Paths (globs relative to this file) left out of the run.
exclude = []

# Severity per rule code or prefix: "off", "info", "warning" or "error".
[severity]
# DTS306 = "off"

# Rules ignored under path globs (relative to this file).
[per-path-ignores]
# "samples/**" = ["DTS304"]

# What the migration writes.
[migration]
connection-setting = "{conn}"
hub-setting = "{hub}"
local-connection-string = "{local}"
bundle-range = "{bundle}"

[migration.packages]
"{iso_am}" = "{iso_am_v}"
"{iso_df}" = "{iso_df_v}"
"{wj_am}" = "{wj_am_v}"
"{wj_df}" = "{wj_df_v}"
"#,
        conn = d.connection_setting,
        hub = d.hub_setting,
        local = d.local_connection_string,
        bundle = d.bundle_range,
        iso_am = p.isolated.azure_managed.id,
        iso_am_v = p.isolated.azure_managed.recommended,
        iso_df = p.isolated.durable.id,
        iso_df_v = p.isolated.durable.recommended,
        wj_am = p.webjobs.azure_managed.id,
        wj_am_v = p.webjobs.azure_managed.recommended,
        wj_df = p.webjobs.durable.id,
        wj_df_v = p.webjobs.durable.recommended,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    #[test]
    fn the_template_loads_and_keeps_the_defaults() {
        let config = load_text(&template()).unwrap();
        assert_eq!(config.ignore, Vec::<String>::new());
        assert_eq!(
            config.migration.connection_setting.as_deref(),
            Some("DURABLE_TASK_SCHEDULER_CONNECTION_STRING")
        );
        assert_eq!(config.migration.packages.len(), 4);
    }

    #[test]
    fn errors_carry_line_and_column() {
        let err = load_text("select = [\"DTS1\"]\nbogus = 1\n").unwrap_err();
        assert_eq!(err.position, Some((2, 1)), "{err}");
        assert!(err.message.contains("bogus"), "{err}");
        let err = load_text("[severity]\nDTS101 = \"loud\"\n").unwrap_err();
        assert_eq!(err.position, Some((2, 10)), "{err}");
        let err = load_text("ignore = [\"DTS9\"]\n").unwrap_err();
        assert_eq!(err.position, Some((1, 11)), "{err}");
        let err = load_text("[migration.packages]\n\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged\" = \"0.4.1-alpha\"\n").unwrap_err();
        assert!(err.message.contains("below 1.10.2"), "{err}");
        let err = load_text("[migration]\nbundle-range = \"[4.0.0, 5.0.0)\"\n").unwrap_err();
        assert_eq!(err.position, Some((2, 16)), "{err}");
        let err = load_text("exclude = [\"a/[\"]\n").unwrap_err();
        assert!(err.message.contains("bad glob"), "{err}");
    }

    #[test]
    fn extend_inherits_and_the_extending_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.toml"),
            "ignore = [\"DTS306\"]\n[severity]\nDTS101 = \"error\"\nDTS103 = \"off\"\n",
        )
        .unwrap();
        let sub = dir.path().join("app");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(
            sub.join(FILE_NAME),
            "extend = \"../base.toml\"\n[severity]\nDTS101 = \"info\"\n",
        )
        .unwrap();
        let config = load(&sub.join(FILE_NAME)).unwrap();
        assert_eq!(config.ignore, vec!["DTS306"]);
        assert_eq!(config.severity["DTS101"], Level::On(Severity::Info));
        assert_eq!(config.severity["DTS103"], Level::Off);
        assert_eq!(config.files.len(), 2);
        assert_eq!(
            find(&sub),
            Some(std::fs::canonicalize(sub.join(FILE_NAME)).unwrap())
        );
        // A cycle is an error, not a hang.
        std::fs::write(
            dir.path().join("base.toml"),
            "extend = \"app/dts-migrate.toml\"\n",
        )
        .unwrap();
        assert!(load(&sub.join(FILE_NAME))
            .unwrap_err()
            .message
            .contains("cycle"));
    }

    #[test]
    fn extend_chains_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let name = |i: usize| format!("c{i}.toml");
        for i in 0..MAX_EXTEND_DEPTH + 5 {
            std::fs::write(
                dir.path().join(name(i)),
                format!("\nextend = \"{}\"\n", name(i + 1)),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join(name(MAX_EXTEND_DEPTH + 5)), "").unwrap();
        let err = load(&dir.path().join(name(0))).unwrap_err();
        assert!(err.path.ends_with(name(MAX_EXTEND_DEPTH - 1)), "{err}");
        assert_eq!(err.position, Some((2, 10)), "{err}");
        assert!(err.message.contains("more than 32 files"), "{err}");
        // A chain of 32 files loads.
        let config = load(&dir.path().join(name(6))).unwrap();
        assert_eq!(config.files.len(), MAX_EXTEND_DEPTH);
    }

    #[test]
    fn per_path_globs_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "[per-path-ignores]\n\"legacy/**\" = [\"DTS1\"]\n").unwrap();
        let config = load(&path).unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        let rule = &config.per_path_ignores[0];
        assert!(rule.matches(&base.join("legacy/app/host.json")));
        assert!(!rule.matches(&base.join("apps/legacy/host.json")));
        assert_eq!(rule.codes, vec!["DTS1"]);
    }
}
