//! The facts from `rules/facts.toml` and the rule catalogue from `rules/DTS*.toml`, embedded
//! in the binary and parsed once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::config::Migration;
use crate::finding::Severity;

/// The backends a Durable Functions app can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum BackendId {
    /// Azure Storage (the default).
    #[serde(rename = "azure-storage")]
    AzureStorage,
    /// Microsoft SQL Server.
    #[serde(rename = "mssql")]
    Mssql,
    /// Netherite.
    #[serde(rename = "netherite")]
    Netherite,
    /// Durable Task Scheduler (`azureManaged`).
    #[serde(rename = "dts")]
    Dts,
}

/// One backend's names.
#[derive(Debug, Deserialize)]
pub struct BackendFacts {
    /// Which backend.
    pub id: BackendId,
    /// Name for messages.
    pub label: String,
    /// The spelling to write.
    pub canonical: String,
    /// Names the runtime rejects but that mean this legacy backend.
    #[serde(default)]
    pub legacy_aliases: Vec<String>,
    /// Names the runtime rejects that mean DTS.
    #[serde(default)]
    pub rejected_aliases: Vec<String>,
}

/// Keys of each provider's `storageProvider` section.
#[derive(Debug, Deserialize)]
pub struct ProviderKeys {
    /// Azure Storage keys.
    #[serde(rename = "azure-storage")]
    pub azure_storage: Vec<String>,
    /// MSSQL keys.
    pub mssql: Vec<String>,
    /// Netherite keys.
    pub netherite: Vec<String>,
    /// durableTask-level keys only Azure Storage reads.
    pub durable_level: Vec<String>,
}

/// What the migration writes by default.
#[derive(Debug, Deserialize)]
pub struct Defaults {
    /// Name of the app setting holding the DTS connection string.
    pub connection_setting: String,
    /// Name of the app setting holding the task hub name.
    pub hub_setting: String,
    /// The emulator connection string for local.settings.json.
    pub local_connection_string: String,
    /// The emulator's task hub.
    pub emulator_hub: String,
    /// The GA extension bundle id.
    pub bundle_id: String,
    /// The bundle range the migration writes.
    pub bundle_range: String,
    /// DTS task hub names.
    pub hub_name_pattern: String,
}

/// Backend provider packages.
#[derive(Debug, Deserialize)]
pub struct BackendPackages {
    /// The backend the packages select.
    pub backend: BackendId,
    /// NuGet ids.
    pub ids: Vec<String>,
}

/// NuGet package facts.
#[derive(Debug, Deserialize)]
pub struct Packages {
    /// Prefixes of ids that make an app durable.
    pub durable_nuget_prefixes: Vec<String>,
    /// Further ids that make an app durable.
    pub durable_nuget: Vec<String>,
    /// Prefixes of ids that mark a .NET isolated app.
    pub isolated_prefixes: Vec<String>,
    /// Ids that mark a .NET in-process app.
    pub in_process: Vec<String>,
    /// Prefix of the in-process (WebJobs) Durable packages.
    pub in_process_durable_prefix: String,
    /// Provider packages per backend.
    pub backend: Vec<BackendPackages>,
}

/// Durable SDKs of the other languages.
#[derive(Debug, Deserialize)]
pub struct Languages {
    /// PyPI names.
    pub python: Vec<String>,
    /// npm names.
    pub node: Vec<String>,
    /// Maven artifact ids.
    pub java: Vec<String>,
    /// PowerShell modules.
    pub powershell: Vec<String>,
    /// App setting of the external PowerShell SDK.
    pub powershell_setting: String,
    /// function.json binding types.
    pub durable_bindings: Vec<String>,
}

/// Everything in `rules/facts.toml`.
#[derive(Debug, Deserialize)]
pub struct Facts {
    /// The backends.
    pub backends: Vec<BackendFacts>,
    /// Type strings with no clear intent.
    pub ambiguous_types: Vec<String>,
    /// Provider keys.
    pub provider_keys: ProviderKeys,
    /// Keys DTS reads.
    pub dts_keys: Vec<String>,
    /// durableTask keys DTS does not support.
    pub unsupported_on_dts: Vec<String>,
    /// Migration defaults.
    pub defaults: Defaults,
    /// Packages.
    pub packages: Packages,
    /// Language SDKs.
    pub languages: Languages,
}

impl Facts {
    /// The facts of one backend.
    pub fn backend(&self, id: BackendId) -> &BackendFacts {
        self.backends
            .iter()
            .find(|b| b.id == id)
            .expect("facts.toml lists every backend (checked by a test)")
    }

    /// The backend a provider package selects, if it is one.
    pub fn backend_of_package(&self, id: &str) -> Option<BackendId> {
        self.packages
            .backend
            .iter()
            .find(|b| b.ids.iter().any(|p| p.eq_ignore_ascii_case(id)))
            .map(|b| b.backend)
    }

    /// Whether a NuGet package makes an app durable.
    pub fn is_durable_package(&self, id: &str) -> bool {
        self.packages
            .durable_nuget_prefixes
            .iter()
            .any(|p| starts_with_ci(id, p))
            || self
                .packages
                .durable_nuget
                .iter()
                .any(|p| p.eq_ignore_ascii_case(id))
    }
}

/// ASCII-case-insensitive `starts_with`.
pub fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The facts, parsed once.
pub fn facts() -> &'static Facts {
    static FACTS: OnceLock<Facts> = OnceLock::new();
    FACTS.get_or_init(|| {
        let mut facts: Facts = toml::from_str(include_str!("../rules/facts.toml"))
            .expect("rules/facts.toml is valid (checked by a test)");
        let m = migration();
        let d = &mut facts.defaults;
        for (value, target) in [
            (&m.connection_setting, &mut d.connection_setting),
            (&m.hub_setting, &mut d.hub_setting),
            (&m.local_connection_string, &mut d.local_connection_string),
            (&m.bundle_range, &mut d.bundle_range),
        ] {
            if let Some(value) = value {
                target.clone_from(value);
            }
        }
        facts
    })
}

static MIGRATION: OnceLock<Migration> = OnceLock::new();

/// Sets what the migration writes (from `dts-migrate.toml`). Call it once, before anything
/// reads the facts; a later call is refused with `Err`.
pub fn configure(migration: Migration) -> Result<(), Migration> {
    MIGRATION.set(migration)
}

/// What the configuration changed in the migration (nothing unless [`configure`] was called).
pub fn migration() -> &'static Migration {
    MIGRATION.get_or_init(Migration::default)
}

/// Best applicability a rule's fix can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// Applied by `--write`.
    Safe,
    /// Applied with `--unsafe-fixes`.
    Unsafe,
    /// Shown, never applied.
    DisplayOnly,
    /// The rule has no fix.
    None,
}

/// The documentation sections of a rule.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RuleDocs {
    /// What it does.
    pub what_it_does: String,
    /// Why it matters.
    pub why_it_matters: String,
    /// Example, Markdown.
    pub example: String,
    /// What the fix does.
    pub fix: String,
    /// Sources.
    #[serde(default)]
    pub references: Vec<String>,
}

/// A rule's metadata and documentation.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RuleMeta {
    /// `DTS101`.
    pub code: String,
    /// `legacy-backend`.
    pub name: String,
    /// `backend`, `settings`, `packages`, `extensions`, `files`.
    pub family: String,
    /// Default severity.
    pub severity: Severity,
    /// Best fix applicability.
    pub fix: FixKind,
    /// One line.
    pub summary: String,
    /// The documentation.
    pub docs: RuleDocs,
}

/// The rule catalogue, ordered by code.
pub fn catalogue() -> &'static BTreeMap<String, RuleMeta> {
    static CATALOGUE: OnceLock<BTreeMap<String, RuleMeta>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        crate::rules::rule_files()
            .map(|(code, text)| {
                let meta: RuleMeta = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("rules/{code}.toml is invalid: {e}"));
                (meta.code.clone(), meta)
            })
            .collect()
    })
}

/// The metadata of one rule.
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    catalogue().get(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_parse_and_cover_every_backend() {
        let f = facts();
        for id in [
            BackendId::AzureStorage,
            BackendId::Mssql,
            BackendId::Netherite,
            BackendId::Dts,
        ] {
            assert_eq!(f.backend(id).id, id);
        }
        assert_eq!(
            f.backend_of_package("microsoft.durabletask.sqlserver.azurefunctions"),
            Some(BackendId::Mssql)
        );
    }

    #[test]
    fn catalogue_parses_and_codes_match_file_names() {
        for (file, text) in crate::rules::rule_files() {
            let meta: RuleMeta = toml::from_str(text).unwrap();
            assert_eq!(meta.code, file);
        }
        assert_eq!(
            catalogue().len(),
            crate::rules::rule_files().count(),
            "a code repeats"
        );
    }
}
