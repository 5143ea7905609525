//! Secrets never reach any output. Connection-string parts such as `AccountKey=…` are masked
//! as `***` wherever they appear, and in JSON files the values of settings whose names say
//! they hold a secret (`…_KEY`, `…Password`, `…Secret`, `…Token`) are masked too.
//!
//! Reports mask every message, and show source excerpts from a [`Redacted`] copy whose
//! offsets are mapped from the original's.

use std::ops::Range;

use crate::source::text::SourceText;

/// What replaces a secret.
pub const MASK: &str = "***";

/// Connection-string keys whose values are secrets (lower case).
const SECRET_KEYS: &[&str] = &[
    "accountkey",
    "sharedaccesskey",
    "sharedaccesssignature",
    "password",
    "pwd",
    "clientsecret",
    "sig",
    "secret",
    "apikey",
    "accesskey",
    "token",
];

/// Byte ranges of secret values in `text` (`Key=value` parts of connection strings).
///
/// One pass over the `=` signs: the run of letters and digits before each is the key (it must
/// not follow `_`, a letter or a digit), compared ignoring case with [`SECRET_KEYS`].
pub fn connection_string_secrets(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (eq, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b'=') {
        let key_start = bytes[..eq]
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        if key_start > 0 && bytes[key_start - 1] == b'_' {
            continue;
        }
        let key = &bytes[key_start..eq];
        if !SECRET_KEYS
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k.as_bytes()))
        {
            continue;
        }
        let value_start = eq + 1;
        let value_end = bytes[value_start..]
            .iter()
            .position(|&b| {
                matches!(b, b';' | b'"' | b'\'' | b'<' | b'&' | b'\\') || b.is_ascii_whitespace()
            })
            .map_or(bytes.len(), |i| value_start + i);
        if value_end > value_start {
            out.push(value_start..value_end);
        }
    }
    out
}

/// Whether a setting name says its value is a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("key")
        || [
            "password",
            "secret",
            "pwd",
            "token",
            "apikey",
            "api_key",
            "signature",
            "credential",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Masks secrets in a message or any other text.
pub fn mask(text: &str) -> String {
    masked(text).into_owned()
}

/// [`mask`], borrowing `text` when it holds no secret (as nearly every message does).
pub fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    let ranges = connection_string_secrets(text);
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(Redacted::from_ranges(text, ranges).text)
}

/// A copy of a text with secrets replaced by `***`, and the map back to original offsets.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The masked text.
    pub text: String,
    /// Replaced ranges of the original, sorted, with their start in the masked text.
    replaced: Vec<(Range<usize>, usize)>,
}

impl Redacted {
    /// Masks a file's text: connection-string secrets anywhere, and the `secret_values` the
    /// file's parser found (in JSON, the string values of members whose names say they are
    /// secrets: [`crate::syntax::jsonc::Json::secret_values`]).
    pub fn of_source(source: &SourceText, secret_values: Vec<Range<usize>>) -> Redacted {
        let text = source.as_str();
        let mut ranges = connection_string_secrets(text);
        ranges.extend(secret_values);
        Redacted::from_ranges(text, ranges)
    }

    fn from_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> Redacted {
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut replaced = Vec::with_capacity(merged.len());
        let mut cursor = 0;
        for r in merged {
            out.push_str(&text[cursor..r.start]);
            replaced.push((r.clone(), out.len()));
            out.push_str(MASK);
            cursor = r.end;
        }
        out.push_str(&text[cursor..]);
        Redacted {
            text: out,
            replaced,
        }
    }

    /// The offset in the masked text of an original offset (inside a secret: its mask).
    pub fn map(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for (range, masked_start) in &self.replaced {
            if offset < range.start {
                break;
            }
            if offset < range.end {
                return *masked_start;
            }
            shift = (*masked_start + MASK.len()) as isize - range.end as isize;
        }
        (offset as isize + shift) as usize
    }

    /// Maps an original range.
    pub fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.map(range.start);
        let end = self.map(range.end).max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_connection_string_secrets() {
        let text =
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc+/=;EndpointSuffix=x";
        assert_eq!(
            mask(text),
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;EndpointSuffix=x"
        );
        assert_eq!(
            mask("Server=s;Password=p4ss;User Id=u"),
            "Server=s;Password=***;User Id=u"
        );
        assert_eq!(
            mask("Endpoint=http://localhost:8080;Authentication=None"),
            "Endpoint=http://localhost:8080;Authentication=None"
        );
    }

    #[test]
    fn maps_offsets_around_masks() {
        let text = "{\"a\": \"AccountKey=0123456789;\", \"b\": 1}";
        let src = SourceText::from_string(text.into());
        let r = Redacted::of_source(&src, Vec::new());
        assert_eq!(r.text, "{\"a\": \"AccountKey=***;\", \"b\": 1}");
        let b = text.find("\"b\"").unwrap();
        assert_eq!(&r.text[r.map(b)..r.map(b) + 3], "\"b\"");
    }

    #[test]
    fn masks_secret_named_settings() {
        let text = "{\"Values\": {\"OPENAI_API_KEY\": \"sk-123\", \"TASKHUB_NAME\": \"hub\"}}";
        let src = SourceText::from_string(text.into());
        let json = crate::syntax::jsonc::parse(&src).unwrap();
        let r = Redacted::of_source(&src, json.secret_values());
        assert!(!r.text.contains("sk-123"));
        assert!(r.text.contains("\"hub\""));
    }
}
