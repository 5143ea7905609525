//! The plan as a PowerShell 7.3+ script (`--format shell --shell pwsh`). It owns PowerShell
//! quoting: literals in single quotes, where `'` and its typographic look-alikes (U+2018–U+201B,
//! which PowerShell also reads as single quotes) are doubled; text with variables in double
//! quotes, where `` ` ``, `$`, `"` and the double-quote look-alikes (U+201C–U+201E) are escaped
//! with a backtick. `$PSNativeCommandArgumentPassing = 'Standard'` makes PowerShell pass a
//! JSON argument's `"` to `az` (a `.cmd` file on Windows) as they are, and
//! `$PSNativeCommandUseErrorActionPreference` stops the script when a command fails.

use super::script::{self, Dialect, Part, Word};
use super::Plan;

/// Characters PowerShell reads as a single quote.
const SINGLE_QUOTES: &[char] = &['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
/// Characters PowerShell reads as a double quote.
const DOUBLE_QUOTES: &[char] = &['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// A literal as a single-quoted PowerShell string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Text inside a double-quoted PowerShell string: `` ` ``, `$` and double quotes escaped.
pub fn escape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '`' || c == '$' || DOUBLE_QUOTES.contains(&c) {
            out.push('`');
        }
        out.push(c);
    }
    out
}

/// A literal argument: bare when it holds only letters, digits and `-_./:` (none of which
/// PowerShell reads specially in argument mode), else [`quote`]d.
pub fn literal(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:".contains(&b));
    if bare {
        text.to_string()
    } else {
        quote(text)
    }
}

/// A word: a literal by [`literal`], a lone variable as `$NAME`, else one double-quoted string
/// with `${NAME}` for each variable.
pub fn word(word: &Word) -> String {
    match word.0.as_slice() {
        [Part::Lit(text)] => literal(text),
        [Part::Var(name)] => format!("${name}"),
        parts => {
            let mut out = String::from("\"");
            for part in parts {
                match part {
                    Part::Lit(text) => out.push_str(&escape_double(text)),
                    Part::Var(name) => {
                        out.push_str("${");
                        out.push_str(name);
                        out.push('}');
                    }
                }
            }
            out.push('"');
            out
        }
    }
}

/// PowerShell 7.3 or later.
pub struct Pwsh;

impl Dialect for Pwsh {
    fn prologue(&self, out: &mut String) {
        out.push_str(
            "#Requires -Version 7.3\n\
             Set-StrictMode -Version Latest\n\
             $ErrorActionPreference = 'Stop'\n\
             $PSNativeCommandUseErrorActionPreference = $true\n\
             $PSNativeCommandArgumentPassing = 'Standard'\n",
        );
    }

    fn set_var(&self, var: &str, value: &str, out: &mut String) {
        out.push_str(&format!("${var} = {}\n", quote(value)));
    }

    fn require_vars(&self, vars: &[(String, String)], out: &mut String) {
        out.push_str(
            "# Not known to dts-migrate plan: set these in the environment.\n$missing = @()\n",
        );
        for (var, about) in vars {
            out.push_str(&format!(
                "${var} = $env:{var}\nif (-not ${var}) {{ $missing += {} }}\n",
                quote(&format!("{var}: {about}"))
            ));
        }
        out.push_str(
            "if ($missing.Count -gt 0) {\n  foreach ($m in $missing) { [Console]::Error.WriteLine(\"set $m\") }\n  exit 2\n}\n",
        );
    }

    fn require_one_of(&self, var: &str, allowed: &[String], out: &mut String) {
        let alternatives: Vec<String> = allowed.iter().map(|a| quote(a)).collect();
        out.push_str(&format!(
            "if (${var} -cnotin @({})) {{\n  [Console]::Error.WriteLine({})\n  exit 2\n}}\n",
            alternatives.join(", "),
            quote(&format!("{var} must be one of {}", allowed.join(", ")))
        ));
    }

    fn say(&self, w: &Word, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}Write-Output {}\n", word(w)));
    }

    fn word(&self, w: &Word) -> String {
        word(w)
    }

    fn capture(&self, var: &str, call: &str) -> String {
        format!("${var} = {call}")
    }

    fn gate_open(&self, var: &str, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}if ($env:{var} -eq 'yes') {{\n"));
    }

    fn gate_else(&self, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}}} else {{\n"));
    }

    fn gate_close(&self, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}}}\n"));
    }
}

/// The plan as a PowerShell script.
pub fn render(plan: &Plan) -> String {
    script::render(plan, &Pwsh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_and_their_look_alikes_are_doubled() {
        assert_eq!(quote("rg-orders"), "'rg-orders'");
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("it\u{2019}s"), "'it\u{2019}\u{2019}s'");
        assert_eq!(
            quote("\u{2018}\u{201A}\u{201B}"),
            "'\u{2018}\u{2018}\u{201A}\u{201A}\u{201B}\u{201B}'"
        );
        // Nothing else is special inside single quotes.
        assert_eq!(quote("$x `n \"y\""), "'$x `n \"y\"'");
        assert_eq!(quote("[\"0.0.0.0/0\"]"), "'[\"0.0.0.0/0\"]'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn double_quoted_text_escapes_backtick_dollar_and_double_quotes() {
        assert_eq!(escape_double("a$b"), "a`$b");
        assert_eq!(escape_double("`"), "``");
        assert_eq!(
            escape_double("\"\u{201C}\u{201D}\u{201E}"),
            "`\"`\u{201C}`\u{201D}`\u{201E}"
        );
        assert_eq!(escape_double("$(Remove-Item x)"), "`$(Remove-Item x)");
        // Single quotes mean nothing inside double quotes.
        assert_eq!(escape_double("it's"), "it's");
    }

    #[test]
    fn literals_are_bare_only_without_special_characters() {
        assert_eq!(literal("--resource-group"), "--resource-group");
        assert_eq!(literal("properties.endpoint"), "properties.endpoint");
        assert_eq!(literal("a,b"), "'a,b'");
        assert_eq!(literal("a;b"), "'a;b'");
        assert_eq!(literal("@x"), "'@x'");
        assert_eq!(literal("#x"), "'#x'");
        assert_eq!(literal("$x"), "'$x'");
        assert_eq!(literal("a b"), "'a b'");
        assert_eq!(literal(""), "''");
    }

    #[test]
    fn words() {
        assert_eq!(word(&Word::var("ENDPOINT")), "$ENDPOINT");
        let w = Word(vec![
            Part::Lit("C=Endpoint=".into()),
            Part::Var("ENDPOINT".into()),
            Part::Lit(";Authentication=ManagedIdentity;x=$y".into()),
        ]);
        assert_eq!(
            word(&w),
            "\"C=Endpoint=${ENDPOINT};Authentication=ManagedIdentity;x=`$y\""
        );
        // A variable followed by ':' would be a scope-qualified name without the braces.
        let w = Word(vec![Part::Var("A".into()), Part::Lit(":b".into())]);
        assert_eq!(word(&w), "\"${A}:b\"");
    }
}
