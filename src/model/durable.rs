//! Whether an app is a Durable Functions app (DESIGN §2), and the reading of the files that
//! only that decision needs: function.json files, referenced projects and language manifests
//! are read, in that order, only while what was read before has not decided it.

use std::path::PathBuf;

use super::{App, AppFiles, Parsed};
use crate::facts::facts;
use crate::source::read::{leads_to_file, Bounded, Reader};
use crate::syntax::jsonc::{Json, JsonKind};
use crate::syntax::msbuild::{self, Project};

/// A language manifest of an app.
#[derive(Debug)]
pub struct Manifest {
    /// Its file name, lower-cased.
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its text, lower-cased; read only when nothing else decides that the app is durable
    /// (`None` then, and when it cannot be read).
    pub text: Option<String>,
}

/// The language manifests of `files` that are files (a link is followed), by name only: a
/// manifest counts by its name, whatever its size and whether it can be read.
pub(super) fn manifests(files: &AppFiles) -> Vec<Manifest> {
    files
        .manifests
        .iter()
        .filter(|p| !files.is_outside(p))
        .filter(|p| !files.not_regular.contains(p) || leads_to_file(p))
        .filter_map(|p| {
            Some(Manifest {
                name: p.file_name()?.to_string_lossy().to_ascii_lowercase(),
                path: p.clone(),
                text: None,
            })
        })
        .collect()
}

/// Reads for `app` what only decides whether it is durable, cheapest first, until
/// [`App::is_durable`] is decided: through `reader` the function.json files and referenced
/// projects, through `listed` (the walk's reader of the app's own files) the manifests.
pub(super) fn read_what_decides(
    app: &mut App,
    files: &AppFiles,
    reader: &Reader<'_>,
    listed: &Reader<'_>,
) {
    if app.is_durable() {
        return;
    }
    app.durable_bindings = binds_durable(files, reader);
    if app.is_durable() {
        return;
    }
    app.durable_project_reference = projects_reference_durable(&app.projects, reader);
    if app.is_durable() {
        return;
    }
    for manifest in &mut app.manifests {
        if let Ok(Bounded::Bytes(bytes)) = listed.read(&manifest.path) {
            manifest.text = Some(String::from_utf8_lossy(&bytes).to_ascii_lowercase());
        }
    }
}

impl App {
    /// Whether this is a Durable Functions app (DESIGN §2). Other apps get no backend findings.
    pub fn is_durable(&self) -> bool {
        self.durable_by_host()
            || self.durable_bindings
            || self.durable_by_packages()
            || self.durable_project_reference
            || self.durable_by_setting()
            || self.durable_by_manifests()
    }

    /// Whether host.json has a `durableTask` section.
    fn durable_by_host(&self) -> bool {
        self.host
            .as_ref()
            .is_some_and(|host| find_key(&host.doc, "durableTask", 3))
    }

    /// Whether a project or props file references a Durable package or a wrapper of one.
    fn durable_by_packages(&self) -> bool {
        let f = facts();
        self.all_package_refs()
            .any(|(_, r)| f.is_durable_package(&r.id.value) || f.is_durable_wrapper(&r.id.value))
    }

    /// Whether the PowerShell Durable setting is set.
    fn durable_by_setting(&self) -> bool {
        self.setting(&facts().languages.powershell_setting)
            .is_some()
    }

    /// Whether a language manifest (whose text was read) names a Durable package.
    fn durable_by_manifests(&self) -> bool {
        let f = facts();
        self.manifests.iter().any(|manifest| {
            let Some(text) = &manifest.text else {
                return false;
            };
            let name = manifest.name.as_str();
            let names: &[String] = match name {
                "requirements.txt" => &f.languages.python,
                "package.json" => &f.languages.node,
                "pom.xml" | "build.gradle" | "build.gradle.kts" => &f.languages.java,
                "requirements.psd1" => &f.languages.powershell,
                _ => return false,
            };
            names
                .iter()
                .any(|n| manifest_mentions(name, text, &n.to_ascii_lowercase()))
        })
    }
}

/// Whether a `function.json` of the app binds a Durable trigger or client.
fn binds_durable(files: &AppFiles, reader: &Reader<'_>) -> bool {
    let bindings = &facts().languages.durable_bindings;
    files.function_jsons.iter().any(|p| {
        if files.is_outside(p) {
            return false;
        }
        let Ok(Bounded::Bytes(bytes)) = reader.read(p) else {
            return false;
        };
        std::str::from_utf8(&bytes)
            .is_ok_and(|text| bindings.iter().any(|b| text.contains(&format!("\"{b}\""))))
    })
}

/// Whether a `ProjectReference` of `projects` names a project file that exists and references a
/// Durable package or a wrapper of one. The referenced file is read through `reader` (its
/// limits apply); one that cannot be read or parsed counts as not durable, and a path with an
/// MSBuild property is not evaluated.
fn projects_reference_durable(projects: &[Parsed<Project>], reader: &Reader<'_>) -> bool {
    let f = facts();
    projects.iter().any(|project| {
        let Some(dir) = project.file.path.parent() else {
            return false;
        };
        project.doc.project_references.iter().any(|r| {
            if r.value.contains("$(") || r.value.is_empty() {
                return false;
            }
            let path = dir.join(r.value.replace('\\', "/"));
            let Ok(Bounded::Bytes(bytes)) = reader.read(&path) else {
                return false;
            };
            let text = crate::source::SourceText::from_string(
                String::from_utf8_lossy(&bytes).into_owned(),
            );
            msbuild::parse(&text).is_ok_and(|doc| {
                doc.package_references
                    .iter()
                    .any(|p| f.is_durable_package(&p.id.value) || f.is_durable_wrapper(&p.id.value))
            })
        })
    })
}

/// Whether a lower-cased manifest names a package: a requirement line for Python, a quoted
/// name for the others.
fn manifest_mentions(name: &str, text: &str, package: &str) -> bool {
    if name == "requirements.txt" {
        let wanted = package.replace('_', "-");
        text.lines().any(|line| {
            let line = line.trim();
            let end = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
                .unwrap_or(line.len());
            line[..end].replace('_', "-") == wanted
        })
    } else {
        text.contains(&format!("\"{package}\""))
            || text.contains(&format!("'{package}'"))
            || text.contains(&format!(">{package}<"))
            || text.contains(&format!(":{package}:"))
            || text.contains(&format!(":{package}\""))
            || text.contains(&format!(":{package}'"))
    }
}

/// Whether an object member named `key` (ignoring case) exists within `depth` levels.
fn find_key(value: &Json, key: &str, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    match &value.kind {
        JsonKind::Object(members) => members
            .iter()
            .any(|m| m.key.eq_ignore_ascii_case(key) || find_key(&m.value, key, depth - 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hosting;
    use crate::source::read::Limits;
    use std::collections::HashMap;

    /// A manifest counts by its name whatever its size; its text, and the function.json files,
    /// are read only when what comes before them in `is_durable` has not decided it.
    #[test]
    fn what_only_decides_durability_is_read_only_when_needed() {
        let tree = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = tree.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let durable_host = r#"{"extensions": {"durableTask": {}}}"#;
        let node = r#"{"dependencies": {"durable-functions": "^3"}}"#;
        let binding = r#"{"bindings": [{"type": "orchestrationTrigger"}]}"#;
        write("by-host/host.json", durable_host);
        write("by-host/package.json", node);
        write("by-host/orch/function.json", binding);
        write("by-manifest/host.json", "{}");
        write("by-manifest/package.json", node);
        write("by-binding/host.json", "{}");
        write("by-binding/package.json", node);
        write("by-binding/orch/function.json", binding);
        write("not-durable/host.json", "{}");
        write("not-durable/package.json", "{}");
        write("too-large/host.json", durable_host);
        write("too-large/pom.xml", &"<!-- padding -->\n".repeat(100));
        // A manifest that is a link counts as the file it leads to; a folder is no manifest.
        write("linked/host.json", "{}");
        write("target/package.json", node);
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            tree.path().join("target/package.json"),
            tree.path().join("linked/package.json"),
        )
        .unwrap();
        write("folder/host.json", "{}");
        std::fs::create_dir_all(tree.path().join("folder/package.json")).unwrap();
        let found = crate::discover::discover(&[tree.path().to_path_buf()], 1).unwrap();
        let reader = Reader::disk(Limits {
            max_file_bytes: 1000,
        });
        let loaded: HashMap<String, App> = found
            .apps
            .iter()
            .map(|files| {
                let name = files
                    .dir
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, App::load(files, Vec::new(), &reader))
            })
            .collect();
        let text = |app: &str| loaded[app].manifests[0].text.clone();
        assert_eq!(text("by-host"), None);
        assert!(!loaded["by-host"].durable_bindings);
        assert!(loaded["by-host"].is_durable());
        assert_eq!(loaded["by-host"].hosting(), Hosting::Node);
        assert_eq!(text("by-manifest"), Some(node.to_ascii_lowercase()));
        assert!(loaded["by-manifest"].is_durable());
        assert_eq!(text("by-binding"), None);
        assert!(loaded["by-binding"].durable_bindings);
        assert!(loaded["by-binding"].is_durable());
        assert_eq!(text("not-durable"), Some("{}".to_string()));
        assert!(!loaded["not-durable"].is_durable());
        assert_eq!(loaded["too-large"].manifests[0].name, "pom.xml");
        assert_eq!(loaded["too-large"].hosting(), Hosting::Java);
        #[cfg(unix)]
        assert!(loaded["linked"].is_durable());
        assert!(loaded["folder"].manifests.is_empty());
    }

    #[test]
    fn manifests_are_matched_by_name_not_substring() {
        assert!(manifest_mentions(
            "requirements.txt",
            "azure-functions\nazure-functions-durable>=1.2\n",
            "azure-functions-durable"
        ));
        assert!(!manifest_mentions(
            "requirements.txt",
            "azure-functions\n",
            "azure-functions-durable"
        ));
        assert!(manifest_mentions(
            "package.json",
            "{\"dependencies\": {\"durable-functions\": \"^3\"}}",
            "durable-functions"
        ));
        assert!(manifest_mentions(
            "build.gradle",
            "implementation 'com.microsoft:durabletask-azure-functions:1.5.0'",
            "durabletask-azure-functions"
        ));
    }
}
