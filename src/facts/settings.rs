//! The settings facts of `rules/settings.toml`: the keys and values of the DTS connection
//! string, the settings the host reads beside it, the settings only an old backend read, and
//! the keys that tell other services' connection strings apart. Plain data, parsed once.

use std::sync::OnceLock;

use serde::Deserialize;

use super::BackendId;

/// Settings only an old backend read, by default name.
#[derive(Debug, Deserialize)]
pub struct StaleSettings {
    /// The backend that read them.
    pub backend: BackendId,
    /// Setting names.
    pub names: Vec<String>,
}

/// storageProvider keys whose value names a setting of the old backend.
#[derive(Debug, Deserialize)]
pub struct StaleSettingKeys {
    /// The keys.
    pub keys: Vec<String>,
}

/// Another service's connection string, told apart by its keys.
#[derive(Debug, Deserialize)]
pub struct ForeignString {
    /// "an Azure Storage connection string".
    pub kind: String,
    /// Keys only that kind has.
    pub keys: Vec<String>,
}

/// Everything in `rules/settings.toml`.
#[derive(Debug, Deserialize)]
pub struct SettingsFacts {
    /// Keys of the DTS connection string.
    pub connection_string_keys: Vec<String>,
    /// `Authentication=` values.
    pub authentication_types: Vec<String>,
    /// Host names with a dot that are local.
    pub local_hosts: Vec<String>,
    /// Connection-string keys holding secrets.
    pub secret_keys: Vec<String>,
    /// Prefixes of values resolved in Azure only.
    pub unresolved_locally: Vec<String>,
    /// `NAME__part` separator.
    pub identity_separator: String,
    /// The identity-style part naming the credential.
    pub identity_credential: String,
    /// The host's storage setting.
    pub host_storage: String,
    /// Its local value.
    pub host_storage_local: String,
    /// `FUNCTIONS_WORKER_RUNTIME`.
    pub worker_runtime_setting: String,
    /// Its values.
    pub worker_runtimes: Vec<String>,
    /// Stale settings per backend.
    pub stale_settings: Vec<StaleSettings>,
    /// storageProvider keys naming stale settings.
    pub stale_setting_keys: StaleSettingKeys,
    /// Other services' connection strings.
    pub foreign_strings: Vec<ForeignString>,
}

/// The facts of `rules/settings.toml`, parsed once.
pub fn settings_facts() -> &'static SettingsFacts {
    static FACTS: OnceLock<SettingsFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        toml::from_str(include_str!("../../rules/settings.toml"))
            .expect("rules/settings.toml is valid (checked by a test)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains_ci(list: &[String], item: &str) -> bool {
        list.iter().any(|k| k.eq_ignore_ascii_case(item))
    }

    #[test]
    fn facts_parse() {
        let f = settings_facts();
        assert!(contains_ci(&f.connection_string_keys, "endpoint"));
        assert!(contains_ci(&f.authentication_types, "managedidentity"));
        assert_eq!(f.stale_settings.len(), 2);
        assert!(!f.foreign_strings.is_empty());
    }
}
