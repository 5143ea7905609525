//! JUnit XML: one test suite per file, one failing test case per finding. Messages are masked
//! and every text goes through [`escape_xml`], which also keeps CI command prefixes out.

use std::collections::BTreeMap;

use crate::finding::Finding;
use crate::source::display_path;
use crate::source::escape::escape_xml;
use crate::source::redact::mask;

/// Renders the findings as JUnit XML.
pub fn render(findings: &[Finding], out: &mut String) {
    let mut by_file: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file
            .entry(display_path(&f.span.file.path))
            .or_default()
            .push(f);
    }
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"dts-migrate\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
        findings.len().max(1),
        findings.len()
    ));
    if findings.is_empty() {
        out.push_str("  <testsuite name=\"dts-migrate\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no problems\" classname=\"dts-migrate\"/>\n  </testsuite>\n");
    }
    for (file, list) in &by_file {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">\n",
            escape_xml(file),
            n = list.len()
        ));
        for f in list {
            let (line, col) = f.span.start();
            let message = mask(&f.message);
            out.push_str(&format!(
                "    <testcase name=\"{code} at {file}:{line}:{col}\" classname=\"dts-migrate.{code}\" file=\"{file}\" line=\"{line}\">\n      <failure message=\"{msg}\" type=\"{severity}\">{file}:{line}:{col}: {code} {msg}</failure>\n    </testcase>\n",
                code = f.code,
                file = escape_xml(file),
                msg = escape_xml(&message),
                severity = f.severity.as_str(),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
}
