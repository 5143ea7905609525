//! JUnit XML: one test suite per file, one test case per finding. A finding at or above the
//! run's failing level (`--fail-on`, default `warning`) is a failed test case; one below it
//! (an info finding, by default) is a passed test case whose message is in `<system-out>`,
//! so the test tab turns red exactly when the run fails on findings. Messages are masked and
//! every text goes through [`escape_xml`], which also keeps CI command prefixes out.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::display_path;
use crate::source::escape::escape_xml;
use crate::source::redact::mask;

/// Writes the findings as JUnit XML, test case by test case; findings at or above `fail_on`
/// are failures. Only references to the findings are kept, grouped by file.
pub fn write(findings: &[Finding], fail_on: Severity, out: &mut dyn Write) -> io::Result<()> {
    let mut by_file: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file
            .entry(display_path(&f.span.file.path))
            .or_default()
            .push(f);
    }
    let failing =
        |list: &mut dyn Iterator<Item = &Finding>| list.filter(|f| f.severity >= fail_on).count();
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<testsuites name=\"dts-migrate\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
        findings.len().max(1),
        failing(&mut findings.iter())
    )?;
    if findings.is_empty() {
        out.write_all(b"  <testsuite name=\"dts-migrate\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no problems\" classname=\"dts-migrate\"/>\n  </testsuite>\n")?;
    }
    for (file, list) in &by_file {
        let shown = escape_xml(file);
        writeln!(
            out,
            "  <testsuite name=\"{shown}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            list.len(),
            failing(&mut list.iter().copied())
        )?;
        for f in list {
            let (line, col) = f.span.start();
            let message = mask(&f.message);
            let (msg, code, severity) = (escape_xml(&message), f.code, f.severity.as_str());
            let outcome = if f.severity >= fail_on {
                format!("failure message=\"{msg}\" type=\"{severity}\">{shown}:{line}:{col}: {code} {msg}</failure")
            } else {
                format!("system-out>{shown}:{line}:{col}: {code} [{severity}] {msg}</system-out")
            };
            writeln!(
                out,
                "    <testcase name=\"{code} at {shown}:{line}:{col}\" classname=\"dts-migrate.{code}\" file=\"{shown}\" line=\"{line}\">\n      <{outcome}>\n    </testcase>",
            )?;
        }
        out.write_all(b"  </testsuite>\n")?;
    }
    out.write_all(b"</testsuites>\n")
}
