//! Names the plan makes: task hub names valid for DTS (`^[a-zA-Z0-9-]{3,64}$`, reference §7),
//! function app names from `--app-name`, and script variable names. Pure functions.

use std::collections::BTreeMap;

use super::AppNames;

/// Whether `name` is a valid DTS task hub (or scheduler) name.
pub fn is_valid_hub_name(name: &str) -> bool {
    (3..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `raw` made a valid DTS resource name: every run of other characters becomes one `-`, no `-`
/// at either end, at most 64 characters; a name shorter than 3 gets `-hub` (an empty one is
/// `taskhub`).
pub fn sanitize_hub_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(64);
    while out.ends_with('-') {
        out.pop();
    }
    match out.len() {
        0 => "taskhub".to_string(),
        1 | 2 => format!("{out}-hub"),
        _ => out,
    }
}

/// The suffix of an app's script variables: upper-case letters, digits and `_`, starting
/// with a letter (`orders-api` → `ORDERS_API`, `2fa` → `APP_2FA`).
pub fn var_key(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out.truncate(40);
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "APP_");
    }
    out
}

/// Makes every key unique by suffixing `_2`, `_3`… in order.
pub fn unique(keys: Vec<String>) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    keys.into_iter()
        .map(|k| {
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                k
            } else {
                format!("{k}_{n}")
            }
        })
        .collect()
}

/// The function app name `--app-name` gives an app (path for display, folder name), if any.
pub fn function_app_name(names: &AppNames, path: &str, folder: &str) -> Option<String> {
    match names {
        AppNames::Unknown => None,
        AppNames::Template(template) => {
            Some(template.replace("{app}", &sanitize_hub_name(folder).to_ascii_lowercase()))
        }
        AppNames::Map(map) => map
            .get(path)
            .or_else(|| map.get(path.trim_end_matches('/')))
            .or_else(|| map.get(folder))
            .cloned(),
    }
}

/// Whether `name` is a valid function app (site) name: 2–60 letters, digits and hyphens, no
/// hyphen at either end.
pub fn is_valid_site_name(name: &str) -> bool {
    (2..=60).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// Parses an `--app-name` mapping file: TOML, `"<app path or folder name>" = "<function app>"`.
pub fn parse_app_name_map(text: &str) -> Result<BTreeMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().trim().to_string())?;
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::String(name) => Ok((key, name)),
            other => Err(format!(
                "{key:?}: expected a function app name (a string), not {}",
                other.type_str()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_names_are_made_valid() {
        assert_eq!(sanitize_hub_name("OrdersHub"), "OrdersHub");
        assert_eq!(sanitize_hub_name("my_app.v2"), "my-app-v2");
        assert_eq!(sanitize_hub_name("__x__"), "x-hub");
        assert_eq!(sanitize_hub_name("é"), "taskhub");
        assert_eq!(sanitize_hub_name(&"a".repeat(70)).len(), 64);
        let long = format!("{}_b", "a".repeat(63));
        assert_eq!(sanitize_hub_name(&long), "a".repeat(63));
        for raw in ["", "a", "ab", "a b c", "-x-", "Ünïcode hub", "1"] {
            assert!(is_valid_hub_name(&sanitize_hub_name(raw)), "{raw:?}");
        }
    }

    #[test]
    fn variable_keys_are_shell_names() {
        assert_eq!(var_key("orders-api"), "ORDERS_API");
        assert_eq!(var_key("2fa"), "APP_2FA");
        assert_eq!(var_key("$(rm -rf)"), "RM_RF");
        assert_eq!(var_key(""), "APP_");
        assert_eq!(
            unique(vec!["A".into(), "B".into(), "A".into()]),
            ["A", "B", "A_2"]
        );
    }

    #[test]
    fn app_names_from_templates_and_maps() {
        let t = AppNames::Template("func-{app}-prod".into());
        assert_eq!(
            function_app_name(&t, "apps/Orders_Api", "Orders_Api").as_deref(),
            Some("func-orders-api-prod")
        );
        let map =
            parse_app_name_map("\"apps/orders\" = \"orders-func\"\nbilling = \"bill-func\"\n")
                .unwrap();
        let m = AppNames::Map(map);
        assert_eq!(
            function_app_name(&m, "apps/orders", "orders").as_deref(),
            Some("orders-func")
        );
        assert_eq!(
            function_app_name(&m, "x/billing", "billing").as_deref(),
            Some("bill-func")
        );
        assert_eq!(function_app_name(&m, "other", "other"), None);
        assert!(parse_app_name_map("a = 1").is_err());
        assert!(is_valid_site_name("orders-func"));
        assert!(!is_valid_site_name("-x"));
        assert!(!is_valid_site_name("a_b"));
    }
}
