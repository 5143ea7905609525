//! Reads outside the boundary (issue 13): a file of an app that leads outside the repository
//! holding the scanned path is reported by name only. An app's own file there (host.json linked
//! to a credentials file) is not read; a props file there (above a scanned folder that no
//! repository holds) is read for analysis; in neither case does a byte of it reach any output,
//! and the app is never written.

use super::*;

/// The text planted in the files outside.
const PLANTED: &str = "Pl4ntedOUTSIDE";

/// Every format of `check` and `check --diff` in `dir` over `args`.
fn all_outputs(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for format in [
        "human",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "azure",
        "junit",
        "gitlab",
    ] {
        let mut full = vec!["check", "--format", format];
        full.extend(args);
        let run = run_in(dir, &full, TIMEOUT);
        out.push((format!("{format}: stdout"), run.stdout));
        out.push((format!("{format}: stderr"), run.stderr));
    }
    let mut diff = vec!["check", "--diff", "--unsafe-fixes"];
    diff.extend(args);
    let run = run_in(dir, &diff, TIMEOUT);
    out.push(("--diff".to_string(), run.stdout + &run.stderr));
    out
}

fn assert_not_shown(outputs: &[(String, String)]) {
    for (what, text) in outputs {
        assert!(
            !text.contains(PLANTED),
            "{what} shows the file outside:\n{text}"
        );
    }
}

/// host.json, local.settings.json and App.csproj each a link to a file outside the repository
/// (a credentials file, say): each is DTS501 by name ("not read"), nothing of it is shown, and
/// `--write` writes nothing of the app (nor the target).
#[test]
#[cfg(unix)]
fn an_own_file_linked_outside_is_not_read() {
    for name in ["host.json", "local.settings.json", "App.csproj"] {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("credentials");
        let original = fs::read_to_string(
            common::root()
                .join("fixtures/example/orders-app")
                .join(name),
        )
        .unwrap();
        // A file the tool would happily parse, with the planted text as a value.
        let planted = if name.ends_with(".json") {
            original.replacen('{', &format!("{{\"Planted\": \"{PLANTED}\","), 1)
        } else {
            original.replacen(
                "<PropertyGroup>",
                &format!("<PropertyGroup><Planted>{PLANTED}</Planted>"),
                1,
            )
        };
        assert!(planted.contains(PLANTED), "{name}");
        fs::write(&target, &planted).unwrap();
        let tree = Tree::new();
        let app = tree.dotnet_app("linked");
        fs::remove_file(app.join(name)).unwrap();
        std::os::unix::fs::symlink(&target, app.join(name)).unwrap();
        assert_not_shown(&all_outputs(tree.path(), &["."]));
        let report = check(tree.path()).report;
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == format!("linked/{name}"))
            .unwrap_or_else(|| panic!("no finding names linked/{name}: {report:#}"));
        assert_eq!(finding["code"], "DTS501", "{finding:#}");
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("outside the scanned tree"),
            "{finding:#}"
        );
        let before = snapshot(&app);
        let fixed = write(tree.path());
        assert_eq!(snapshot(&app), before, "{name}: {}", fixed.stderr);
        assert_eq!(fs::read_to_string(&target).unwrap(), planted);
        assert!(written(&fixed.report)
            .iter()
            .any(|f| f.starts_with("good/")));
    }
}

/// A `Directory.Packages.props` above a scanned folder that no repository holds decides that
/// the app uses Central Package Management, but it is shown by name only, whether it parses
/// or not, and the app, whose migration needs a version there, is held.
#[test]
fn a_props_file_outside_is_shown_by_name_only() {
    for broken in [false, true] {
        let root = tempfile::tempdir().unwrap();
        let app = root.path().join("src/App");
        copy_app(&app);
        let project = fs::read_to_string(app.join("App.csproj")).unwrap();
        let versionless: String = project
            .lines()
            .map(|l| match l.split_once(" Version=\"") {
                Some((head, _)) if l.contains("PackageReference") => format!("{head} />\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        fs::write(app.join("App.csproj"), versionless).unwrap();
        let tail = if broken { "<Oops" } else { "" };
        fs::write(
            root.path().join("src/Directory.Packages.props"),
            format!(
                "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n    <Note>{PLANTED}</Note>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Microsoft.Azure.Functions.Worker\" Version=\"1.23.0\" />\n    <PackageVersion Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.16.5\" />\n    <PackageVersion Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.SqlServer\" Version=\"1.8.1\" /> {PLANTED}\n  </ItemGroup>{tail}\n</Project>\n"
            ),
        )
        .unwrap();
        let absolute = app.to_string_lossy().into_owned();
        for arg in ["src/App", absolute.as_str()] {
            assert_not_shown(&all_outputs(root.path(), &[arg]));
            let before = snapshot(root.path());
            let fixed = run_in(
                root.path(),
                &["check", "--write", "--format", "json", arg],
                TIMEOUT,
            );
            assert_eq!(snapshot(root.path()), before, "{arg}: {}", fixed.stderr);
            assert!(!fixed.stderr.contains(PLANTED), "{}", fixed.stderr);
            assert_eq!(fixed.code, Some(1), "{arg}: {}", fixed.stderr);
        }
    }
}
