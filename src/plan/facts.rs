//! The facts of `rules/azure.toml`, typed and parsed once: API versions, resource types, the
//! role, SKUs, quotas and defaults the plan writes. Nothing here is computed.

use std::sync::OnceLock;

use serde::Deserialize;

/// One SKU's quotas per region per subscription.
#[derive(Debug, Deserialize)]
pub struct Quota {
    /// The SKU name.
    pub sku: String,
    /// Schedulers allowed.
    pub schedulers: usize,
    /// Task hubs allowed.
    pub task_hubs: usize,
}

/// The Durable Functions HTTP API used to drain an old hub.
#[derive(Debug, Deserialize)]
pub struct DrainFacts {
    /// Path of the instances API.
    pub instances_path: String,
    /// Statuses that mean "still running".
    pub running_statuses: String,
    /// The system key that opens the API.
    pub system_key: String,
}

/// The Azure CLI extension.
#[derive(Debug, Deserialize)]
pub struct CliFacts {
    /// Its name.
    pub extension: String,
}

/// Everything in `rules/azure.toml`.
#[derive(Debug, Deserialize)]
pub struct AzureFacts {
    /// API version of the DTS resources.
    pub api_version: String,
    /// Scheduler resource type.
    pub scheduler_type: String,
    /// Task hub resource type.
    pub task_hub_type: String,
    /// Function app resource type.
    pub site_type: String,
    /// Its API version.
    pub site_api_version: String,
    /// App settings resource type.
    pub site_config_type: String,
    /// Role assignment resource type.
    pub role_assignment_type: String,
    /// Its API version.
    pub role_assignment_api_version: String,
    /// API version of user-assigned identities.
    pub user_identity_api_version: String,
    /// SKU names.
    pub skus: Vec<String>,
    /// The SKU that takes a capacity.
    pub capacity_sku: String,
    /// The allow-list when none is given.
    pub default_ip_allowlist: Vec<String>,
    /// The role's name.
    pub role_name: String,
    /// The role definition id.
    pub role_id: String,
    /// `--role-type` of `az durabletask scheduler attach`.
    pub attach_role_type: String,
    /// `--assignee-principal-type`.
    pub principal_type: String,
    /// `Authentication=` of the connection string.
    pub authentication: String,
    /// The connection-string key of a user-assigned identity's client id.
    pub client_id_key: String,
    /// Quotas per SKU.
    pub quotas: Vec<Quota>,
    /// Draining.
    pub drain: DrainFacts,
    /// The CLI extension.
    pub cli: CliFacts,
}

impl AzureFacts {
    /// The quota of a SKU.
    pub fn quota(&self, sku: &str) -> Option<&Quota> {
        self.quotas.iter().find(|q| q.sku.eq_ignore_ascii_case(sku))
    }
}

/// The facts, parsed once.
pub fn azure() -> &'static AzureFacts {
    static FACTS: OnceLock<AzureFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        toml::from_str(include_str!("../../rules/azure.toml"))
            .expect("rules/azure.toml is valid (checked by a test)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_parse_and_name_what_reference_section_0_says() {
        let f = azure();
        assert_eq!(f.role_id, "0ad04412-c4d5-4796-b79c-f76d14c8d402");
        assert_eq!(f.api_version, "2026-02-01");
        assert_eq!(f.quota("Consumption").map(|q| q.task_hubs), Some(5));
        assert_eq!(f.quota("dedicated").map(|q| q.task_hubs), Some(25));
        assert_eq!(f.skus, ["Consumption", "Dedicated"]);
        assert!(!f.default_ip_allowlist.is_empty());
    }
}
