//! The Durable Task Scheduler connection string, parsed and checked as the runtime does
//! (DESIGN §4 DTS202/DTS203, reference §3): `;`-separated `Key=Value` pairs with keys compared
//! ignoring case, a required `Endpoint` URL and `Authentication` type, and nothing secret inside.
//! Every problem carries the byte range of the bad part, so findings point inside the string.

use std::ops::Range;

use super::contains_ci;
use crate::facts::settings::settings_facts;
use crate::facts::starts_with_ci;
use crate::source::redact::mask;

/// One `Key=Value` pair of a connection string; ranges are byte ranges of the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    pub(super) key: String,
    pub(super) key_range: Range<usize>,
    pub(super) value: String,
    pub(super) value_range: Range<usize>,
}

/// A problem in a DTS connection string, at a byte range of the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub(super) range: Range<usize>,
    /// Completes "the connection string in \"NAME\" …".
    pub(super) message: String,
    pub(super) label: String,
}

impl Problem {
    fn new(range: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Problem {
        Problem {
            range,
            message: message.into(),
            label: label.into(),
        }
    }
}

/// The last part with this key (ignoring case): DbConnectionStringBuilder keeps the last one.
pub(super) fn find_part<'p>(parts: &'p [Part], key: &str) -> Option<&'p Part> {
    parts.iter().rev().find(|p| p.key.eq_ignore_ascii_case(key))
}

/// Splits a connection string the way DbConnectionStringBuilder does: `;`-separated
/// `Key=Value` pairs, whitespace around keys and values ignored, values optionally quoted with
/// `"` or `'` (a doubled quote inside stands for one). A part without `=`, an empty key or an
/// unterminated quote makes the whole string invalid.
pub(super) fn parse_parts(s: &str) -> Result<Vec<Part>, Problem> {
    let b = s.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i] != b';' && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut parts = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] == b';' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            return Ok(parts);
        }
        let start = i;
        let part_end = s[i..].find(';').map_or(s.len(), |k| i + k);
        let Some(eq) = s[i..part_end].find('=').map(|k| i + k) else {
            return Err(Problem::new(
                start..part_end,
                format!("has \"{}\", which is not a Key=Value pair; the runtime rejects the whole string", mask(s[start..part_end].trim_end())),
                "not Key=Value",
            ));
        };
        let key = s[start..eq].trim_end();
        if key.is_empty() {
            return Err(Problem::new(
                start..eq + 1,
                "has a value without a key; the runtime rejects the whole string",
                "no key before '='",
            ));
        }
        let key_range = start..start + key.len();
        let j = skip_ws(eq + 1);
        let (value, value_range, next) = match b.get(j) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let mut value = String::new();
                let mut k = j + 1;
                loop {
                    let Some(off) = s[k..].find(q as char) else {
                        return Err(Problem::new(
                            j..s.len(),
                            "has a quoted value without its closing quote; the runtime rejects the whole string",
                            "unterminated quote",
                        ));
                    };
                    value.push_str(&s[k..k + off]);
                    k += off + 1;
                    if b.get(k) == Some(&q) {
                        value.push(q as char);
                        k += 1;
                    } else {
                        break;
                    }
                }
                let after = skip_ws(k);
                if after < b.len() && b[after] != b';' {
                    return Err(Problem::new(
                        j..after + 1,
                        "has text after a quoted value; the runtime rejects the whole string",
                        "expected ';' after the quote",
                    ));
                }
                (value, j + 1..k - 1, after)
            }
            _ => {
                let end = s[j..].find(';').map_or(s.len(), |k| j + k);
                let v = s[j..end].trim_end();
                (v.to_string(), j..j + v.len(), end)
            }
        };
        parts.push(Part {
            key: key.to_string(),
            key_range,
            value,
            value_range,
        });
        i = next;
    }
}

/// The scheme (lower case; empty when absent, which the client reads as https) and the host
/// (lower case) of an endpoint, or why it is not a URL.
pub(super) fn parse_endpoint(endpoint: &str) -> Result<(String, String), String> {
    if endpoint.is_empty() {
        return Err("it is empty".into());
    }
    if endpoint.chars().any(char::is_whitespace) {
        return Err("it contains spaces".into());
    }
    let (scheme, rest) = match endpoint.find("://") {
        Some(i) => (endpoint[..i].to_ascii_lowercase(), &endpoint[i + 3..]),
        None => (String::new(), endpoint),
    };
    if !scheme.is_empty() && scheme != "http" && scheme != "https" {
        return Err(format!("the scheme \"{scheme}\" is not http or https"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => (&authority[..=end], &authority[end + 1..]),
            None => return Err("the IPv6 address has no closing ']'".into()),
        }
    } else {
        match authority.find(':') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        }
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[')
            || host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')));
    if !host_ok {
        return Err(if host.is_empty() {
            "it has no host".into()
        } else {
            format!("\"{}\" is not a host name", mask(host))
        });
    }
    if let Some(p) = port.strip_prefix(':') {
        if !p.parse::<u16>().is_ok_and(|n| n > 0) {
            return Err(format!(
                "the port \"{}\" is not a number from 1 to 65535",
                mask(p)
            ));
        }
    } else if !port.is_empty() {
        return Err(format!("\"{}\" follows the host", mask(port)));
    }
    Ok((scheme, host.to_ascii_lowercase()))
}

/// A host that is not this machine: a name with a dot, other than the local ones.
pub(super) fn is_public_host(host: &str) -> bool {
    host.contains('.') && !contains_ci(&settings_facts().local_hosts, host)
}

/// Whether `a` is within two edits of `b`, ignoring case (for "did you mean").
pub(super) fn is_close(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

/// Every way a DTS connection string breaks the runtime's grammar (DESIGN §4, DTS202).
pub(super) fn check_connection_string(s: &str) -> Vec<Problem> {
    let f = settings_facts();
    let parts = match parse_parts(s) {
        Ok(parts) => parts,
        Err(problem) => return vec![problem],
    };
    let whole = 0..s.len();
    let at_value = |p: &Part| {
        if p.value_range.is_empty() {
            p.key_range.clone()
        } else {
            p.value_range.clone()
        }
    };
    let mut problems = Vec::new();
    for p in &parts {
        if contains_ci(&f.secret_keys, &p.key) {
            problems.push(Problem::new(
                at_value(p),
                format!("holds a secret in its {} part (not shown); the Durable Task Scheduler authenticates only with Microsoft Entra identities, and a secret in local.settings.json leaks with the file", p.key),
                "secret (not shown)",
            ));
        }
    }
    let endpoint = find_part(&parts, "Endpoint");
    let auth = find_part(&parts, "Authentication");
    if auth.is_none() {
        let foreign = f
            .foreign_strings
            .iter()
            .find(|k| parts.iter().any(|p| contains_ci(&k.keys, &p.key)));
        if let Some(kind) = foreign {
            problems.insert(
                0,
                Problem::new(
                    whole,
                    format!("is {}, not a Durable Task Scheduler connection string (\"Endpoint=…;Authentication=…\")", kind.kind),
                    "not a DTS connection string",
                ),
            );
            return problems;
        }
    }
    for p in &parts {
        if contains_ci(&f.connection_string_keys, &p.key) || contains_ci(&f.secret_keys, &p.key) {
            continue;
        }
        let hint = f
            .connection_string_keys
            .iter()
            .find(|k| is_close(k, &p.key) || starts_with_ci(&p.key, k))
            .map(|k| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        problems.push(Problem::new(
            p.key_range.clone(),
            format!(
                "has the unknown key \"{}\"{hint}; the provider reads only {}",
                mask(&p.key),
                f.connection_string_keys.join(", ")
            ),
            "unknown key",
        ));
    }
    let missing: Vec<String> = [
        ("Endpoint", endpoint.is_none()),
        ("Authentication", auth.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| k.to_string())
    .collect();
    if !missing.is_empty() {
        let what = missing.join(" and no ");
        problems.push(Problem::new(
            whole,
            format!("has no {what}; the runtime requires Endpoint and Authentication"),
            format!("no {what}"),
        ));
    }
    let auth_none = auth.is_some_and(|a| a.value.eq_ignore_ascii_case("None"));
    if let Some(a) = auth {
        if !contains_ci(&f.authentication_types, &a.value) {
            problems.push(Problem::new(
                at_value(a),
                format!(
                    "has the unsupported authentication type \"{}\"; the client accepts {}",
                    mask(&a.value),
                    f.authentication_types.join(", ")
                ),
                "unsupported authentication type",
            ));
        }
    }
    if let Some(e) = endpoint {
        match parse_endpoint(&e.value) {
            Err(why) => problems.push(Problem::new(
                at_value(e),
                format!("has an Endpoint that is not a URL: {why}"),
                "not a URL",
            )),
            Ok((scheme, host)) if is_public_host(&host) => {
                if scheme == "http" {
                    problems.push(Problem::new(
                        at_value(e),
                        format!("sends traffic to the public host {host} over plain http://; the scheduler is reached over https:// only"),
                        "http:// to a public host",
                    ));
                }
                if let Some(a) = auth.filter(|_| auth_none) {
                    problems.push(Problem::new(
                        at_value(a),
                        format!("uses Authentication=None with the public host {host}; None is for the local emulator, the scheduler needs an identity (e.g. ManagedIdentity)"),
                        "no authentication",
                    ));
                }
            }
            Ok((scheme, host)) if scheme.is_empty() => problems.push(Problem::new(
                at_value(e),
                format!("has an Endpoint without a scheme; the client adds https://, which the local emulator at {host} does not speak: write http://"),
                "no scheme",
            )),
            Ok(_) => {}
        }
    }
    if let Some(a) = find_part(&parts, "AuthorityHost") {
        if !matches!(parse_endpoint(&a.value), Ok((ref scheme, _)) if scheme == "https") {
            problems.push(Problem::new(
                at_value(a),
                "has an AuthorityHost that is not an https:// URL",
                "not an https:// URL",
            ));
        }
    }
    problems
}

/// One DTS connection string from identity-style parts (`endpoint`, `taskHub`, …), or `None`
/// without an endpoint or when a value cannot stand in a connection string. A missing
/// authentication is taken from `credential`, else `None` for a local endpoint and
/// `DefaultAzure` for a remote one.
pub(super) fn build_connection_string<'p>(
    parts: impl Iterator<Item = (&'p str, Option<&'p str>)>,
) -> Option<String> {
    let f = settings_facts();
    let mut found: Vec<(String, String)> = Vec::new();
    let mut credential = None;
    for (suffix, value) in parts {
        let value = value?.trim();
        if value.contains([';', '"', '\'']) {
            return None;
        }
        if suffix.eq_ignore_ascii_case(&f.identity_credential) {
            credential = f
                .authentication_types
                .iter()
                .find(|t| t.eq_ignore_ascii_case(value))
                .cloned();
        } else if let Some(key) = f
            .connection_string_keys
            .iter()
            .find(|k| k.eq_ignore_ascii_case(suffix))
        {
            found.retain(|(k, _)| k != key);
            found.push((key.clone(), value.to_string()));
        }
    }
    let get = |key: &str| found.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let endpoint = get("Endpoint")?;
    let local = parse_endpoint(&endpoint)
        .ok()
        .is_some_and(|(_, host)| !is_public_host(&host));
    let auth = get("Authentication")
        .or(credential)
        .unwrap_or_else(|| if local { "None" } else { "DefaultAzure" }.to_string());
    let mut out = format!("Endpoint={endpoint};Authentication={auth}");
    for key in &f.connection_string_keys {
        if key != "Endpoint" && key != "Authentication" {
            if let Some(v) = get(key) {
                out.push_str(&format!(";{key}={v}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(s: &str) -> Vec<(String, String)> {
        check_connection_string(s)
            .into_iter()
            .map(|p| (s[p.range.clone()].to_string(), p.message))
            .collect()
    }

    fn spans(s: &str) -> Vec<String> {
        problems(s).into_iter().map(|(span, _)| span).collect()
    }

    #[test]
    fn valid_strings_pass() {
        for s in [
            "Endpoint=http://localhost:8080;Authentication=None",
            "Endpoint=http://localhost:8080;TaskHub=default;Authentication=None",
            "endpoint=https://s.westus2.durabletask.io ; authentication=managedidentity;ClientID=abc;",
            "Endpoint=http://dts-emulator:8080;Authentication=None",
            "Endpoint=http://127.0.0.1:8080;Authentication=None",
            "Endpoint=http://[::1]:8080;Authentication=None",
            "Endpoint='https://s.durabletask.io';Authentication=\"DefaultAzure\"",
            "Endpoint=s.westus.durabletask.io;Authentication=DefaultAzure",
            "Endpoint=https://s.durabletask.io;Authentication=WorkloadIdentity;TenantId=t;TokenFilePath=/var/t;AdditionallyAllowedTenants=a,b;ResourceId=https://durabletask.io;AuthorityHost=https://login.microsoftonline.com",
        ] {
            assert_eq!(problems(s), vec![], "{s}");
        }
    }

    #[test]
    fn grammar_errors_stop_the_check() {
        let s = "Endpoint=http://localhost:8080;Authentication";
        assert_eq!(spans(s), vec!["Authentication"]);
        assert_eq!(spans("=x;Endpoint=a"), vec!["="]);
        let s = "Endpoint='http://localhost:8080;Authentication=None";
        assert_eq!(spans(s), vec!["'http://localhost:8080;Authentication=None"]);
        let s = "Endpoint='http://localhost:8080' x;Authentication=None";
        assert_eq!(spans(s), vec!["'http://localhost:8080' x"]);
        let parts = parse_parts("A='it''s';B=\"x\"").unwrap();
        assert_eq!(parts[0].value, "it's");
        assert_eq!(parts[1].value, "x");
    }

    #[test]
    fn missing_unknown_and_unsupported_parts() {
        assert_eq!(spans("TaskHub=x"), vec!["TaskHub=x"]);
        assert!(problems("TaskHub=x")[0]
            .1
            .contains("no Endpoint and no Authentication"));
        assert_eq!(
            spans("Endpoint=http://localhost:8080"),
            vec!["Endpoint=http://localhost:8080"]
        );
        let s = "Endpont=http://localhost:8080;Authentication=None";
        let p = problems(s);
        assert_eq!(p[0].0, "Endpont");
        assert!(p[0].1.contains("did you mean Endpoint?"), "{p:?}");
        assert_eq!(
            p[1].1,
            "has no Endpoint; the runtime requires Endpoint and Authentication"
        );
        let s = "Endpoint=http://localhost:8080;Authentication=Managed";
        assert_eq!(spans(s), vec!["Managed"]);
        let s = "Endpoint=http://localhost:8080;Authentication=";
        assert_eq!(spans(s), vec!["Authentication"]);
    }

    #[test]
    fn endpoints_must_be_urls() {
        for (s, bad) in [
            ("Endpoint=sb://x.servicebus.windows.net;Authentication=None", "sb://x.servicebus.windows.net"),
            ("Endpoint=http://;Authentication=None", "http://"),
            ("Endpoint=http://local host:8080;Authentication=None", "http://local host:8080"),
            ("Endpoint=http://localhost:80x;Authentication=None", "http://localhost:80x"),
            ("Endpoint=http://u@h.example.com;Authentication=None", "http://u@h.example.com"),
            ("Endpoint=localhost:8080;Authentication=None", "localhost:8080"),
            ("Endpoint=https://s.durabletask.io;Authentication=DefaultAzure;AuthorityHost=http://login", "http://login"),
        ] {
            assert_eq!(spans(s), vec![bad], "{s}");
        }
    }

    #[test]
    fn public_hosts_need_https_and_an_identity() {
        let s = "Endpoint=http://s.westus.durabletask.io;Authentication=None";
        assert_eq!(spans(s), vec!["http://s.westus.durabletask.io", "None"]);
        let s = "Endpoint=https://my.example.com;Authentication=none";
        assert_eq!(spans(s), vec!["none"]);
        let s = "Endpoint=http://host.docker.internal:8080;Authentication=None";
        assert_eq!(spans(s), vec![] as Vec<String>);
    }

    #[test]
    fn secrets_are_found_and_never_quoted() {
        let s = "Endpoint=https://s.durabletask.io;Authentication=DefaultAzure;AccountKey=c2VjcmV0";
        let p = problems(s);
        assert_eq!(p[0].0, "c2VjcmV0");
        assert!(!p[0].1.contains("c2VjcmV0"));
        let s = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0";
        let p = problems(s);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].1.contains("an Azure Storage connection string"));
        assert_eq!(p[1].0, "c2VjcmV0");
        for (_, message) in p {
            assert!(!message.contains("c2VjcmV0"));
        }
        assert_eq!(problems("UseDevelopmentStorage=true").len(), 1);
        let s = "Server=s;Password=hunter2;Database=d";
        assert!(problems(s).iter().all(|(_, m)| !m.contains("hunter2")));
    }

    #[test]
    fn identity_parts_build_one_string() {
        let built = build_connection_string(
            [
                ("endpoint", Some("https://s.westus.durabletask.io")),
                ("taskHub", Some("orders")),
                ("authentication", Some("ManagedIdentity")),
                ("clientId", Some("c1")),
            ]
            .into_iter(),
        );
        assert_eq!(
            built.as_deref(),
            Some("Endpoint=https://s.westus.durabletask.io;Authentication=ManagedIdentity;ClientID=c1;TaskHub=orders")
        );
        let built =
            build_connection_string([("endpoint", Some("http://localhost:8080"))].into_iter());
        assert_eq!(
            built.as_deref(),
            Some("Endpoint=http://localhost:8080;Authentication=None")
        );
        let built = build_connection_string(
            [
                ("endpoint", Some("https://s.durabletask.io")),
                ("credential", Some("managedidentity")),
            ]
            .into_iter(),
        );
        assert_eq!(
            built.as_deref(),
            Some("Endpoint=https://s.durabletask.io;Authentication=ManagedIdentity")
        );
        assert_eq!(
            build_connection_string([("taskHub", Some("x"))].into_iter()),
            None
        );
        assert!(is_close("Endpont", "Endpoint"));
        assert!(!is_close("Server", "Endpoint"));
    }
}
