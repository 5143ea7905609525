//! What the environment says about the console: colour (`NO_COLOR`, `FORCE_COLOR`,
//! `CLICOLOR_FORCE`), the CI the run is in (`GITHUB_ACTIONS`, `TF_BUILD`, `CI`…), and the
//! GitHub job summary file (`GITHUB_STEP_SUMMARY`). Read once, through a lookup function, so
//! tests can give an environment of their own.

use std::path::PathBuf;

use super::Color;

/// A variable's value, empty when unset or not Unicode.
fn var(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> String {
    lookup(name).unwrap_or_default()
}

/// The process environment as a lookup.
pub fn process(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Whether the human report is coloured. `--color always|never` decides; with `auto`,
/// `NO_COLOR` set to a non-empty value turns colour off (an empty `NO_COLOR` counts as unset,
/// as no-color.org says), `FORCE_COLOR` (non-empty) or `CLICOLOR_FORCE` (non-empty, not `0`)
/// turn it on when stdout is not a terminal, and otherwise colour follows the terminal.
pub fn color(choice: Color, terminal: bool, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            if !var(lookup, "NO_COLOR").is_empty() {
                return false;
            }
            let clicolor = var(lookup, "CLICOLOR_FORCE");
            let forced =
                !var(lookup, "FORCE_COLOR").is_empty() || (!clicolor.is_empty() && clicolor != "0");
            forced || terminal
        }
    }
}

/// Whether the run is inside a CI system (`CI`, GitHub Actions, Azure Pipelines, GitLab CI
/// set their variables): no progress indicator there, whatever the console.
pub fn in_ci(lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    [
        "CI",
        "GITHUB_ACTIONS",
        "TF_BUILD",
        "GITLAB_CI",
        "BUILD_BUILDID",
    ]
    .iter()
    .any(|name| {
        let value = var(lookup, name);
        !value.is_empty() && value != "0" && !value.eq_ignore_ascii_case("false")
    })
}

/// The job summary file of a GitHub Actions step: `GITHUB_STEP_SUMMARY` when
/// `GITHUB_ACTIONS=true` and it names a file.
pub fn step_summary(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if var(lookup, "GITHUB_ACTIONS") != "true" {
        return None;
    }
    let path = var(lookup, "GITHUB_STEP_SUMMARY");
    (!path.is_empty()).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn colour_follows_no_color_force_color_and_the_terminal() {
        assert!(color(Color::Auto, true, &env(&[])));
        assert!(!color(Color::Auto, false, &env(&[])));
        assert!(color(Color::Auto, true, &env(&[("NO_COLOR", "")])));
        assert!(!color(Color::Auto, true, &env(&[("NO_COLOR", "1")])));
        assert!(color(Color::Auto, false, &env(&[("FORCE_COLOR", "1")])));
        assert!(color(Color::Auto, false, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!color(Color::Auto, false, &env(&[("CLICOLOR_FORCE", "0")])));
        assert!(!color(
            Color::Auto,
            false,
            &env(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!color(Color::Never, true, &env(&[("FORCE_COLOR", "1")])));
        assert!(color(Color::Always, false, &env(&[("NO_COLOR", "1")])));
    }

    #[test]
    fn the_step_summary_needs_github_actions() {
        assert_eq!(step_summary(&env(&[("GITHUB_STEP_SUMMARY", "/s")])), None);
        assert_eq!(
            step_summary(&env(&[
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_STEP_SUMMARY", "/s")
            ])),
            Some(PathBuf::from("/s"))
        );
        assert!(in_ci(&env(&[("CI", "true")])));
        assert!(!in_ci(&env(&[("CI", "false")])));
    }
}
