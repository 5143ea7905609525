//! JUnit XML: one test suite per file, one test case per finding. A finding at or above the
//! run's failing level (`--fail-on`, default `warning`) is a failed test case; one below it
//! (an info finding, by default) is a passed test case whose message is in `<system-out>`,
//! so the test tab turns red exactly when the run fails on findings. Messages are masked and
//! every text goes through [`escape_xml`], which also keeps CI command prefixes out.

use std::collections::BTreeMap;

use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::display_path;
use crate::source::escape::escape_xml;
use crate::source::redact::mask;

/// Renders the findings as JUnit XML; findings at or above `fail_on` are failures.
pub fn render(findings: &[Finding], fail_on: Severity, out: &mut String) {
    let mut by_file: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file
            .entry(display_path(&f.span.file.path))
            .or_default()
            .push(f);
    }
    let failing = |list: &[&Finding]| list.iter().filter(|f| f.severity >= fail_on).count();
    let all: Vec<&Finding> = findings.iter().collect();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"dts-migrate\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
        findings.len().max(1),
        failing(&all)
    ));
    if findings.is_empty() {
        out.push_str("  <testsuite name=\"dts-migrate\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no problems\" classname=\"dts-migrate\"/>\n  </testsuite>\n");
    }
    for (file, list) in &by_file {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
            escape_xml(file),
            list.len(),
            failing(list)
        ));
        for f in list {
            let (line, col) = f.span.start();
            let message = mask(&f.message);
            let (msg, code, severity) = (escape_xml(&message), f.code, f.severity.as_str());
            let shown = escape_xml(file);
            let outcome = if f.severity >= fail_on {
                format!("failure message=\"{msg}\" type=\"{severity}\">{shown}:{line}:{col}: {code} {msg}</failure")
            } else {
                format!("system-out>{shown}:{line}:{col}: {code} [{severity}] {msg}</system-out")
            };
            out.push_str(&format!(
                "    <testcase name=\"{code} at {file}:{line}:{col}\" classname=\"dts-migrate.{code}\" file=\"{file}\" line=\"{line}\">\n      <{outcome}>\n    </testcase>\n",
                code = f.code,
                file = escape_xml(file),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
}
