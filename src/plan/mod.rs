//! The Azure half of the migration (DESIGN §8): from plain facts about each durable app
//! ([`AppInput`]) and the flags ([`PlanOptions`]) to a [`Plan`] of Azure-side steps, which
//! [`shell`], [`pwsh`], [`markdown`], [`json`] and [`bicep`] render. It never calls Azure, never
//! reads an app's files itself (only [`adapter`] looks at the model), and never holds a secret:
//! connection strings in it name an identity, never a key.

pub mod adapter;
pub mod bicep;
mod build;
pub mod facts;
pub mod json;
pub mod markdown;
pub mod names;
pub mod pwsh;
pub mod script;
pub mod shell;
mod steps;
pub mod summary;

use std::collections::BTreeMap;

use serde::Serialize;

pub use build::build;

/// The backend an app leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OldBackend {
    /// Name for people: "Azure Storage".
    pub label: String,
    /// The `storageProvider.type` spelling: "AzureStorage", "mssql", "Netherite".
    pub canonical: String,
}

/// Where an app's task hub name comes from in its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubInput {
    /// The old backend's literal hub name: host.json's `hubName` on a legacy app, or the one
    /// the migration noted beside `%TASKHUB_NAME%` (see [`crate::model::hub_note`]).
    pub old_literal: Option<String>,
    /// A literal `hubName` of an app already on DTS.
    pub literal: Option<String>,
    /// `X` when `hubName` is `%X%`.
    pub setting: Option<String>,
    /// The app setting that named the old backend's hub (`%X%` on a legacy app, or as the
    /// migration noted it).
    pub old_setting: Option<String>,
    /// The value of `X` in local.settings.json.
    pub local_value: Option<String>,
}

/// A fix `check --write` applies to the app's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// The rule whose fix it is.
    pub code: String,
    /// What changes.
    pub change: String,
}

/// What the plan needs to know about one durable app: plain data, built from the model by
/// [`adapter::app_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInput {
    /// The app folder for display (`apps/orders`, `.`).
    pub path: String,
    /// The folder's own name (`orders`): names the task hub and the function app when nothing
    /// else does.
    pub name: String,
    /// The hosting model, for people.
    pub hosting: String,
    /// The backend the app leaves: from host.json on a legacy app, from the migration's note on
    /// one that `check --write` migrated; `None` for an app that was always on DTS.
    pub old_backend: Option<OldBackend>,
    /// Whether host.json selects the Durable Task Scheduler now.
    pub on_dts: bool,
    /// The task hub, as the files name it.
    pub hub: HubInput,
    /// The app setting `hubName` reads once migrated (`None`: a literal hub name).
    pub hub_setting: Option<String>,
    /// The app setting holding the scheduler's connection string once migrated.
    pub connection_setting: String,
    /// Settings only the old backend read, to remove once drained (never `AzureWebJobsStorage`).
    pub old_settings: Vec<String>,
    /// The fixes `check --write` applies (pending) to the app's files.
    pub file_changes: Vec<FileChange>,
    /// The files they change, relative to the app folder.
    pub changed_files: Vec<String>,
    /// Whether the files were migrated already (the migration's note is in host.json).
    pub migrated: bool,
    /// Why the files cannot be migrated as they are, when they cannot.
    pub blocked: Option<String>,
}

/// `--sku`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sku {
    /// Pay per use.
    Consumption,
    /// Reserved capacity units.
    Dedicated,
}

impl Sku {
    /// The name Azure uses (`--sku-name`, `sku.name`).
    pub fn name(self) -> &'static str {
        match self {
            Sku::Consumption => "Consumption",
            Sku::Dedicated => "Dedicated",
        }
    }
}

/// `--identity`: which managed identity the apps use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Identity {
    /// Each app's system-assigned identity (the default).
    #[default]
    System,
    /// One user-assigned identity, by resource id, shared by the apps.
    UserAssigned(String),
}

/// `--app-name`: the Azure function app of each app.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AppNames {
    /// Not given: a placeholder per app.
    #[default]
    Unknown,
    /// A template where `{app}` is the app folder's name made a valid resource name.
    Template(String),
    /// Function app names by app path or folder name (a mapping file).
    Map(BTreeMap<String, String>),
}

/// The flags of `dts-migrate plan`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// `--resource-group`.
    pub resource_group: Option<String>,
    /// `--scheduler`.
    pub scheduler: Option<String>,
    /// `--location`.
    pub location: Option<String>,
    /// `--sku`.
    pub sku: Option<Sku>,
    /// `--capacity` (Dedicated only).
    pub capacity: Option<u32>,
    /// `--app-name`.
    pub app_names: AppNames,
    /// `--identity`.
    pub identity: Identity,
    /// `--ip-allowlist`; the documented default when `None`.
    pub ip_allowlist: Option<Vec<String>>,
}

/// A value the commands use: known from a flag, or a named placeholder to fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The variable that holds it in the scripts (`RESOURCE_GROUP`).
    pub var: String,
    /// The flag of `dts-migrate plan` that fills it.
    pub flag: String,
    /// The value, when known.
    pub value: Option<String>,
    /// What it is.
    pub about: String,
}

/// The scheduler the apps share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchedulerPlan {
    /// The variable holding its name.
    pub name_var: String,
    /// The SKU name, when known (else the `SKU` variable).
    pub sku: Option<String>,
    /// Capacity units (Dedicated only), when given.
    pub capacity: Option<u32>,
    /// The allow-list passed to Azure.
    pub ip_allowlist: Vec<String>,
    /// Whether that is the documented default (no `--ip-allowlist`).
    pub ip_allowlist_is_default: bool,
    /// The task hubs it gets, in order.
    pub task_hubs: Vec<String>,
}

/// Where the task hub's name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HubSource {
    /// The old backend's literal hub name.
    OldHubName,
    /// A literal `hubName` of an app already on DTS.
    HostJson,
    /// The value of the hub setting in local.settings.json.
    LocalSettings,
    /// The app folder's name.
    AppFolder,
}

/// The task hub of one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubPlan {
    /// Its name (valid for DTS).
    pub name: String,
    /// Where the name comes from.
    pub source: HubSource,
    /// The name it was made from, when that was not valid as it was.
    pub sanitized_from: Option<String>,
}

/// What the old hub of a legacy app is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum OldHub {
    /// A literal name.
    Literal(String),
    /// The value of this app setting.
    Setting(String),
    /// The backend's default (derived from the function app's name).
    Default,
}

/// Draining a legacy app's old hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drain {
    /// The backend.
    pub backend: OldBackend,
    /// Its hub.
    pub old_hub: OldHub,
}

/// The value of an app setting the plan sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum SettingValue {
    /// `Endpoint=<the scheduler's endpoint>;Authentication=ManagedIdentity[;ClientID=…]`.
    ConnectionString {
        /// Whether `ClientID` (of the user-assigned identity) is added.
        client_id: bool,
    },
    /// The task hub's name.
    TaskHub {
        /// The name.
        name: String,
    },
}

/// An app setting to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingPlan {
    /// Its name.
    pub name: String,
    /// Its value.
    #[serde(flatten)]
    pub value: SettingValue,
}

/// Whether an app is leaving a backend or already on DTS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppState {
    /// Runs on Azure Storage, MSSQL or Netherite (its files may be migrated already).
    Legacy,
    /// Already on DTS: what its Azure side must have.
    Dts,
}

/// The plan of one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppPlan {
    /// The app folder for display.
    pub path: String,
    /// The folder's name.
    pub name: String,
    /// The hosting model.
    pub hosting: String,
    /// Legacy or DTS.
    pub state: AppState,
    /// Whether its files were migrated already.
    pub migrated: bool,
    /// The suffix of this app's script variables (`ORDERS` in `APP_ORDERS`).
    pub key: String,
    /// The variable holding the function app's name.
    pub app_var: String,
    /// The task hub.
    pub task_hub: HubPlan,
    /// Whether the steps are planned: `false` when the app shares its hub with another.
    pub planned: bool,
    /// Draining, for a legacy app.
    pub drain: Option<Drain>,
    /// Settings to set.
    pub settings: Vec<SettingPlan>,
    /// Settings of the old backend to remove once drained.
    pub remove_settings: Vec<String>,
    /// Fixes `check --write` applies to the files.
    pub file_changes: Vec<FileChange>,
    /// The files they change.
    pub changed_files: Vec<String>,
    /// Anything else to know.
    pub notes: Vec<String>,
}

/// Kinds of problem the plan reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Two apps would use one task hub.
    SharedHub,
    /// More task hubs than a region allows.
    Quota,
    /// A value given to the plan is not valid.
    InvalidValue,
}

/// Something that keeps the plan from being carried out as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The kind.
    pub kind: ProblemKind,
    /// What is wrong and what to do.
    pub message: String,
    /// The apps concerned (paths).
    pub apps: Vec<String>,
}

/// The Azure-side steps for every durable app, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The values the commands use.
    pub params: Vec<Param>,
    /// The shared scheduler.
    pub scheduler: SchedulerPlan,
    /// The identity the apps use: `None` for system-assigned, else the variable holding the
    /// user-assigned identity's resource id.
    pub user_identity_var: Option<String>,
    /// The apps, by path.
    pub apps: Vec<AppPlan>,
    /// What keeps it from being carried out as it is.
    pub problems: Vec<Problem>,
}

impl Plan {
    /// A parameter by variable name.
    pub fn param(&self, var: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.var == var)
    }

    /// The apps whose steps are planned.
    pub fn planned_apps(&self) -> impl Iterator<Item = &AppPlan> {
        self.apps.iter().filter(|a| a.planned)
    }
}
