//! The plan as a bash script (`--format shell`): `set -euo pipefail`, the parameters as
//! variables at the top (known ones set, unknown ones required from the environment), every
//! argument quoted: literals in single quotes, anything with a variable in double quotes with
//! `"`, `$`, `` ` `` and `\` escaped. It owns bash quoting and nothing else.

use super::script::{self, Dialect, Part, Word};
use super::Plan;

/// A literal as one bash word: bare when it holds only safe characters, else single-quoted
/// (`'` written as `'\''`).
pub fn quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:,=@%+".contains(&b));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Text inside double quotes: `\`, `"`, `$` and `` ` `` escaped.
fn escape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A word: a literal quoted by [`quote`]; with variables, one double-quoted string.
pub fn word(word: &Word) -> String {
    match word.0.as_slice() {
        [Part::Lit(text)] => quote(text),
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

/// Bash.
pub struct Bash;

impl Dialect for Bash {
    fn prologue(&self, out: &mut String) {
        out.push_str("#!/usr/bin/env bash\nset -euo pipefail\n");
    }

    fn set_var(&self, var: &str, value: &str, out: &mut String) {
        out.push_str(&format!("{var}={}\n", quote(value)));
    }

    fn require_vars(&self, vars: &[(String, String)], out: &mut String) {
        out.push_str(
            "# Not known to dts-migrate plan: set these in the environment.\nmissing=()\n",
        );
        for (var, about) in vars {
            out.push_str(&format!(
                "[ -n \"${{{var}:-}}\" ] || missing+=({})\n",
                quote(&format!("{var}: {about}"))
            ));
        }
        out.push_str(
            "if [ \"${#missing[@]}\" -gt 0 ]; then\n  printf 'set %s\\n' \"${missing[@]}\" >&2\n  exit 2\nfi\n",
        );
    }

    fn require_one_of(&self, var: &str, allowed: &[String], out: &mut String) {
        let alternatives: Vec<String> = allowed.iter().map(|a| quote(a)).collect();
        out.push_str(&format!(
            "case \"${var}\" in\n  {}) ;;\n  *) printf '%s\\n' {} >&2; exit 2 ;;\nesac\n",
            alternatives.join("|"),
            quote(&format!("{var} must be one of {}", allowed.join(", ")))
        ));
    }

    fn say(&self, w: &Word, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}printf '%s\\n' {}\n", word(w)));
    }

    fn word(&self, w: &Word) -> String {
        word(w)
    }

    fn capture(&self, var: &str, call: &str) -> String {
        format!("{var}=$({call})")
    }

    fn gate_open(&self, var: &str, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}if [ \"${{{var}:-no}}\" = yes ]; then\n"));
    }

    fn gate_else(&self, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}else\n"));
    }

    fn gate_close(&self, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}fi\n"));
    }
}

/// The plan as a bash script.
pub fn render(plan: &Plan) -> String {
    script::render(plan, &Bash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_bare_only_when_safe() {
        assert_eq!(quote("rg-orders"), "rg-orders");
        assert_eq!(quote("Endpoint=x;y"), "'Endpoint=x;y'");
        assert_eq!(quote("<RESOURCE_GROUP>"), "'<RESOURCE_GROUP>'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(quote("[\"0.0.0.0/0\"]"), "'[\"0.0.0.0/0\"]'");
    }

    #[test]
    fn words_with_variables_are_double_quoted_and_escaped() {
        let w = Word(vec![
            Part::Lit("C=Endpoint=".into()),
            Part::Var("ENDPOINT".into()),
            Part::Lit(";a\"b$c`d\\e".into()),
        ]);
        assert_eq!(word(&w), r#""C=Endpoint=${ENDPOINT};a\"b\$c\`d\\e""#);
        assert_eq!(word(&Word::var("X")), "\"${X}\"");
    }
}
