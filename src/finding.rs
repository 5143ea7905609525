//! Findings: what a rule reports, where, and the fix it proposes. Plain data with its report
//! order; rules build them, the engine filters them, reports render them.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::facts::Severity;
use crate::fix::Fix;

pub use crate::source::Span;

/// A secondary location with its label.
#[derive(Debug, Clone)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What it is.
    pub label: String,
}

/// One reported problem.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule code, `DTS101`.
    pub code: &'static str,
    /// Severity (the rule's default unless the rule says otherwise for this case).
    pub severity: Severity,
    /// The message; names the values seen, never a secret.
    pub message: String,
    /// The primary location.
    pub span: Span,
    /// The label under the primary location.
    pub label: String,
    /// Other places that matter (the setting a key refers to, the package that decides…).
    pub related: Vec<Related>,
    /// A hint on what to do when there is no fix, or more context.
    pub help: Option<String>,
    /// The fix, as data.
    pub fix: Option<Fix>,
    /// For the finding that sums up the findings of a rule in a file beyond those reported one
    /// by one ([`crate::rules::bound`]): how many it stands for; 0 for any other finding.
    pub more: usize,
}

impl Finding {
    /// Order by file path, then position, then code: the order of every report.
    pub fn report_order(a: &Finding, b: &Finding) -> Ordering {
        let same_file = Arc::ptr_eq(&a.span.file, &b.span.file);
        (if same_file {
            Ordering::Equal
        } else {
            a.span.file.path.cmp(&b.span.file.path)
        })
        .then(a.span.range.start.cmp(&b.span.range.start))
        .then(a.code.cmp(b.code))
        .then(a.span.range.end.cmp(&b.span.range.end))
        .then_with(|| a.message.cmp(&b.message))
    }
}

impl Finding {
    /// A finding of `code` at `span` with the rule's default severity.
    pub fn new(code: &'static str, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: crate::facts::rule(code).map_or(Severity::Error, |r| r.severity),
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
            fix: None,
            more: 0,
        }
    }

    /// Sets the label under the primary span.
    pub fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = label.into();
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary span.
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Finding {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: Option<Fix>) -> Finding {
        self.fix = fix;
        self
    }

    /// Overrides the severity for this case.
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
}
