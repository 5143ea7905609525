//! JUnit XML: one test suite per file, in report order, one test case per finding. A finding at or above the
//! run's failing level (`--fail-on`, default `warning`) is a failed test case; one below it
//! (an info finding, by default) is a passed test case whose message is in `<system-out>`,
//! so the test tab turns red exactly when the run fails on findings. Messages are masked and
//! every text goes through [`escape_xml`], which also keeps CI command prefixes out.

use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::display_path;
use crate::source::escape::escape_xml;
use crate::source::redact::mask;

/// The report's text before its test suites.
pub const HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dts-migrate\">\n";

/// The report's text after its test suites; `any`: whether there were findings (without, one
/// passed test case says so).
pub fn tail(any: bool) -> &'static str {
    if any {
        "</testsuites>\n"
    } else {
        "  <testsuite name=\"dts-migrate\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no problems\" classname=\"dts-migrate\"/>\n  </testsuite>\n</testsuites>\n"
    }
}

/// Appends the test suites of `findings` (in report order: a file's findings together), one
/// per file; findings at or above `fail_on` are failures.
pub fn piece(findings: &[Finding], fail_on: Severity, out: &mut String) {
    use std::fmt::Write as _;
    for list in findings.chunk_by(|a, b| a.span.file.path == b.span.file.path) {
        let shown = escape_xml(&display_path(&list[0].span.file.path));
        let failing = list.iter().filter(|f| f.severity >= fail_on).count();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "  <testsuite name=\"{shown}\" tests=\"{}\" failures=\"{failing}\" errors=\"0\">",
            list.len(),
        );
        for f in list {
            let (line, col) = f.span.start();
            let message = mask(&f.message);
            let (msg, code, severity) = (escape_xml(&message), f.code, f.severity.as_str());
            let outcome = if f.severity >= fail_on {
                format!("failure message=\"{msg}\" type=\"{severity}\">{shown}:{line}:{col}: {code} {msg}</failure")
            } else {
                format!("system-out>{shown}:{line}:{col}: {code} [{severity}] {msg}</system-out")
            };
            let _ = writeln!(
                out,
                "    <testcase name=\"{code} at {shown}:{line}:{col}\" classname=\"dts-migrate.{code}\" file=\"{shown}\" line=\"{line}\">\n      <{outcome}>\n    </testcase>",
            );
        }
        out.push_str("  </testsuite>\n");
    }
}
