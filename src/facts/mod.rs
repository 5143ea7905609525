//! The facts layer: what the tool knows about the runtime, as data. The providers, keys and
//! defaults of `rules/facts.toml`, the packages and bundles of `rules/packages.toml`
//! ([`packages`]), the settings of `rules/settings.toml` ([`settings`]), and the rule catalogue
//! of `rules/DTS*.toml` ([`catalogue`]), embedded in the binary and parsed once, with the
//! configuration's migration defaults laid over them. It never reads a user's file and never
//! looks at an app.

pub mod catalogue;
pub mod packages;
pub mod settings;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

pub use catalogue::{catalogue, rule, FixKind, RuleDocs, RuleMeta, Severity};

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

/// A provider key that was renamed.
#[derive(Debug, Deserialize)]
pub struct RenamedKey {
    /// The old name.
    pub old: String,
    /// The current name.
    pub new: String,
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
    /// Wrapper packages that bring the Durable extension with them.
    pub durable_wrappers: Vec<String>,
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
    /// The day the facts were last checked against their sources (`YYYY-MM-DD`).
    pub facts_date: String,
    /// The backends.
    pub backends: Vec<BackendFacts>,
    /// Type strings with no clear intent.
    pub ambiguous_types: Vec<String>,
    /// Provider keys.
    pub provider_keys: ProviderKeys,
    /// Keys DTS reads.
    pub dts_keys: Vec<String>,
    /// DTS provider keys that were renamed.
    pub renamed_keys: Vec<RenamedKey>,
    /// The AzureManaged version that reads the new names.
    pub renamed_keys_since: String,
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

    /// Whether a NuGet package is a wrapper that brings the Durable extension with it.
    pub fn is_durable_wrapper(&self, id: &str) -> bool {
        self.packages
            .durable_wrappers
            .iter()
            .any(|p| p.eq_ignore_ascii_case(id))
    }
}

/// The day the facts were last checked against their sources (`YYYY-MM-DD`).
pub fn facts_date() -> &'static str {
    // Read on its own, so that `--version` does not fix the configuration's overrides (see
    // [`configure`]) before the configuration is loaded.
    #[derive(Deserialize)]
    struct Dated {
        facts_date: String,
    }
    static DATE: OnceLock<String> = OnceLock::new();
    DATE.get_or_init(|| {
        toml::from_str::<Dated>(include_str!("../../rules/facts.toml"))
            .map(|d| d.facts_date)
            .expect("rules/facts.toml is valid (checked by a test)")
    })
}

/// What `--version` prints after the name: the crate version and the facts date.
pub fn version_line() -> &'static str {
    static LINE: OnceLock<String> = OnceLock::new();
    LINE.get_or_init(|| format!("{} (facts {})", env!("CARGO_PKG_VERSION"), facts_date()))
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
        let mut facts: Facts = toml::from_str(include_str!("../../rules/facts.toml"))
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

/// What the migration writes, when the configuration changes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migration {
    /// The app setting holding the DTS connection string.
    pub connection_setting: Option<String>,
    /// The app setting holding the task hub name.
    pub hub_setting: Option<String>,
    /// The connection string written to local.settings.json.
    pub local_connection_string: Option<String>,
    /// The extension bundle range written to host.json.
    pub bundle_range: Option<String>,
    /// Recommended versions by package id.
    pub packages: BTreeMap<String, String>,
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
        for (file, text) in catalogue::RULE_FILES.iter().copied() {
            let meta: RuleMeta = toml::from_str(text).unwrap();
            assert_eq!(meta.code, file);
        }
        assert_eq!(
            catalogue().len(),
            catalogue::RULE_FILES.iter().copied().count(),
            "a code repeats"
        );
        // `rule` finds a file by binary search.
        let codes: Vec<&str> = catalogue::RULE_FILES.iter().map(|(c, _)| *c).collect();
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "RULE_FILES is not sorted"
        );
        for meta in catalogue().values() {
            let one = catalogue::rule(&meta.code).unwrap();
            assert_eq!((&one.code, &one.name), (&meta.code, &meta.name));
        }
        assert!(catalogue::rule("DTS000").is_none());
    }
}
