//! Whether a name (of a setting, a connection-string key, a JSON member) says its value is a
//! secret: the one word list [`super::redact`] masks by.

use std::cell::RefCell;

use super::memo::{self, Memo};

/// Whether a setting (or connection-string key, or JSON member) name says its value is a
/// secret: it ends with `key`, or holds `password`, `secret`, `pwd`, `token`, `signature`,
/// `credential` and the like, ignoring case and separators (`DB_PASSWORD`, `ApiKey`,
/// `client-secret`). Names that end with `name`, `path` or `type` name or locate a secret
/// rather than hold one (`SharedAccessKeyName`, `TokenFilePath`), and a bare `Key` is the
/// generic word of `Key=Value`.
pub fn is_secret_name(name: &str) -> bool {
    thread_local! {
        static KNOWN: Memo<bool> = RefCell::default();
    }
    // The same few names come in every file.
    memo::remembered(&KNOWN, 64, name, names_a_secret)
}

/// [`is_secret_name`], worked out.
fn names_a_secret(name: &str) -> bool {
    // The name's ASCII letters and digits, lowercased: on the stack for any name of a usual
    // length (this runs for every literal of every text that is masked).
    let mut stack = [0u8; 64];
    let mut heap = Vec::new();
    let mut n = 0;
    for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
        let b = b.to_ascii_lowercase();
        if n < stack.len() {
            stack[n] = b;
        } else {
            if heap.is_empty() {
                heap.extend_from_slice(&stack);
            }
            heap.push(b);
        }
        n += 1;
    }
    let lower: &[u8] = if n <= stack.len() { &stack[..n] } else { &heap };
    if lower == b"key"
        || [&b"name"[..], b"path", b"type"]
            .iter()
            .any(|s| lower.ends_with(s))
    {
        return false;
    }
    // One pass over the name, comparing only where a secret word can start.
    lower.ends_with(b"key")
        || (0..lower.len()).any(|i| {
            let rest = &lower[i..];
            let words: &[&[u8]] = match rest[0] {
                b'p' => &[b"password", b"passwd", b"passphrase", b"pwd"],
                b's' => &[b"secret", b"signature"],
                b't' => &[b"token"],
                b'c' => &[b"credential"],
                _ => return false,
            };
            words.iter().any(|w| rest.starts_with(w))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_hold_secrets_and_names_that_do_not() {
        let secret = [
            "AccountKey",
            "DB_PASSWORD",
            "db-passwd",
            "Passphrase",
            "client-secret",
            "SqlPwd",
            "AccessToken",
            "Signature",
            "AzureCredentials",
            "apiKey",
        ];
        let plain = [
            "Key",
            "SharedAccessKeyName",
            "TokenFilePath",
            "secretType",
            "hubName",
            "maxConcurrentActivityFunctions",
            "storageProvider",
            "",
        ];
        // Twice: the second answer comes from what the thread keeps.
        for _ in 0..2 {
            for name in secret {
                assert!(is_secret_name(name), "{name}");
            }
            for name in plain {
                assert!(!is_secret_name(name), "{name}");
            }
        }
        let long = format!("{}Password", "x".repeat(100));
        assert!(is_secret_name(&long) && !is_secret_name(&"x".repeat(100)));
    }
}
