//! The package facts of `rules/packages.toml`: the Durable packages the rules track, with their
//! floors and the versions fixes write, the pairs seen working together, and the extension
//! bundles. Plain data, parsed once, with the configuration's version overrides applied.

use std::sync::OnceLock;

use serde::{Deserialize, Deserializer};

use crate::syntax::nuget::Version;

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
    let text = String::deserialize(d)?;
    Version::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("bad version {text}")))
}

fn versions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Version>, D::Error> {
    Vec::<String>::deserialize(d)?
        .into_iter()
        .map(|t| {
            Version::parse(&t).ok_or_else(|| serde::de::Error::custom(format!("bad version {t}")))
        })
        .collect()
}

/// A package the rules check, with its floor and its target.
#[derive(Debug, Deserialize)]
pub struct TrackedPackage {
    /// NuGet id.
    pub id: String,
    /// The lowest version that works with DTS.
    #[serde(deserialize_with = "version")]
    pub minimum: Version,
    /// The lowest version any fix may write.
    #[serde(deserialize_with = "version")]
    pub fix_floor: Version,
    /// The version fixes write.
    #[serde(deserialize_with = "version")]
    pub recommended: Version,
}

/// A feature of the AzureManaged provider that needs at least some version of it.
#[derive(Debug, Deserialize)]
pub struct Feature {
    /// Name for messages.
    pub name: String,
    /// host.json `storageProvider` keys that turn it on.
    pub keys: Vec<String>,
    /// Keys of the DTS connection string that use it.
    pub connection_keys: Vec<String>,
    /// The lowest AzureManaged version that has it.
    #[serde(deserialize_with = "version")]
    pub minimum: Version,
    /// Whether only the .NET isolated package has it.
    pub isolated_only: bool,
    /// Where the floor is stated.
    pub source: String,
}

/// A package id with a version.
#[derive(Debug, Deserialize)]
pub struct PinnedPackage {
    /// NuGet id.
    pub id: String,
    /// Version.
    #[serde(deserialize_with = "version")]
    pub version: Version,
}

/// The current form of an extensions.csproj.
#[derive(Debug, Deserialize)]
pub struct ExtensionsProjectForm {
    /// `TargetFramework`.
    pub target_framework: String,
    /// `Microsoft.Azure.WebJobs.Script.ExtensionsMetadataGenerator` and its version.
    pub metadata_generator: PinnedPackage,
}

/// An AzureManaged and Durable version seen working together.
#[derive(Debug, Deserialize)]
pub struct ProvenPair {
    /// AzureManaged version.
    #[serde(deserialize_with = "version")]
    pub azure_managed: Version,
    /// Durable extension version.
    #[serde(deserialize_with = "version")]
    pub durable: Version,
    /// Where the pair was seen.
    pub seen: String,
}

/// The packages of one hosting model.
#[derive(Debug, Deserialize)]
pub struct ModelPackages {
    /// The DTS provider package.
    pub azure_managed: TrackedPackage,
    /// The Durable extension package.
    pub durable: TrackedPackage,
    /// Pairs proven together, any order.
    pub pairs: Vec<ProvenPair>,
}

/// The GA extension bundle.
#[derive(Debug, Deserialize)]
pub struct GaBundle {
    /// Bundle id.
    pub id: String,
    /// First version holding the DTS extension.
    #[serde(deserialize_with = "version")]
    pub first_with_dts: Version,
    /// The floor the docs ask for.
    #[serde(deserialize_with = "version")]
    pub docs_floor: Version,
    /// Versions known to exist.
    #[serde(deserialize_with = "versions")]
    pub known: Vec<Version>,
}

/// The Preview extension bundle.
#[derive(Debug, Deserialize)]
pub struct PreviewBundle {
    /// Bundle id.
    pub id: String,
    /// First version holding the DTS extension (an alpha).
    #[serde(deserialize_with = "version")]
    pub first_with_dts: Version,
    /// First version holding the released (1.x) extension.
    #[serde(deserialize_with = "version")]
    pub first_with_released_extension: Version,
    /// Versions known to exist, without their `-Preview` label.
    #[serde(deserialize_with = "versions")]
    pub known: Vec<Version>,
}

/// The two bundles that can carry the DTS extension.
#[derive(Debug, Deserialize)]
pub struct Bundles {
    /// GA.
    pub ga: GaBundle,
    /// Preview.
    pub preview: PreviewBundle,
}

/// Everything in `rules/packages.toml`.
#[derive(Debug, Deserialize)]
pub struct PackageFacts {
    /// .NET isolated worker packages.
    pub isolated: ModelPackages,
    /// Host (WebJobs) extension packages: in-process apps and extensions.csproj.
    pub webjobs: ModelPackages,
    /// Feature floors of the AzureManaged provider.
    pub features: Vec<Feature>,
    /// Extension bundles.
    pub bundles: Bundles,
    /// The current form of extensions.csproj.
    pub extensions_project: ExtensionsProjectForm,
}

/// The package facts, parsed once.
pub fn package_facts() -> &'static PackageFacts {
    static FACTS: OnceLock<PackageFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        let mut facts = parse_package_facts();
        // Recommended versions set in dts-migrate.toml (validated when it was loaded).
        let overrides = &super::migration().packages;
        for model in [&mut facts.isolated, &mut facts.webjobs] {
            for tracked in [&mut model.azure_managed, &mut model.durable] {
                if let Some(v) = overrides.get(&tracked.id).and_then(|v| Version::parse(v)) {
                    tracked.recommended = v;
                }
            }
        }
        facts
    })
}

fn parse_package_facts() -> PackageFacts {
    toml::from_str(include_str!("../../rules/packages.toml"))
        .expect("rules/packages.toml is valid (checked by a test)")
}

/// The packages the migration writes, with the lowest version a fix may write, read afresh (so the
/// configuration can be checked before [`package_facts`] takes its overrides).
pub fn tracked_packages() -> Vec<(String, Version)> {
    let facts = parse_package_facts();
    [facts.isolated, facts.webjobs]
        .into_iter()
        .flat_map(|m| [m.azure_managed, m.durable])
        .map(|t| {
            let floor = t.minimum.max(t.fix_floor);
            (t.id, floor)
        })
        .collect()
}
