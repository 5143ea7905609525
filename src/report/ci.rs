//! CI annotations: GitHub Actions workflow commands and Azure Pipelines logging commands. Text
//! taken from input is escaped for the console first ([`console_text`], [`console_path`]: no
//! line break or command prefix of its own survives), then by its CI's rules.

use super::stream::Totals;
use super::{console_path, console_text};
use crate::facts::Severity;
use crate::finding::Finding;

/// Escapes workflow-command data: `%`, CR and LF.
pub fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property: the data escapes plus `:` and `,`.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One finding as a GitHub workflow command. Columns are left out when the span covers several
/// lines, as GitHub ignores them then.
pub fn github_line(f: &Finding) -> String {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (line, col) = f.span.start();
    let (end_line, end_col) = f.span.end();
    let name = crate::facts::rule(f.code).map_or("", |r| r.name.as_str());
    let mut props = vec![
        format!("file={}", github_property(&console_path(&f.span.file.path))),
        format!("line={line}"),
        format!("endLine={end_line}"),
    ];
    if line == end_line {
        props.push(format!("col={col}"));
        props.push(format!("endColumn={}", end_col.max(col)));
    }
    props.push(format!(
        "title={}",
        github_property(&format!("dts-migrate {} ({name})", f.code))
    ));
    format!(
        "::{command} {}::{}",
        props.join(","),
        github_data(&console_text(&f.message))
    )
}

/// Escapes an Azure Pipelines logging-command property or message.
pub fn azure_escape(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace(';', "%3B")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(']', "%5D")
}

/// One finding as an Azure Pipelines `task.logissue` command; an info finding, for which Azure
/// has no issue type (only errors and warnings), is a plain log line in the concise form
/// (`path:line:col: CODE [info] message`), escaped for the console like every other line.
pub fn azure_line(f: &Finding) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => return super::concise::line(f),
    };
    let (line, col) = f.span.start();
    format!(
        "##vso[task.logissue type={kind};sourcepath={};linenumber={line};columnnumber={col};code={};]{}",
        azure_escape(&console_path(&f.span.file.path)),
        f.code,
        azure_escape(&console_text(&f.message))
    )
}

/// The closing notice of the GitHub annotations, with the counts: GitHub shows only the first
/// annotations of each kind in a step, so the notice gives the whole and points to the job
/// summary ([`super::step_summary`]).
pub fn github_notice(totals: &Totals<'_>) -> String {
    let summary = super::summary(totals, None);
    format!(
        "::notice title=dts-migrate summary::{}\n",
        github_data(summary.trim_end())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(github_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn azure_escaping() {
        assert_eq!(azure_escape("a;b]c%d\r\ne"), "a%3Bb%5Dc%AZP25d%0D%0Ae");
    }
}
