//! DTS202 `invalid-connection-string`: the value of the connection setting is not a string, or
//! its DTS connection string breaks the runtime's grammar or is unsafe (the grammar is in
//! `connection_string`), each problem at its part of the string.
//!
//! No fix: the right endpoint, identity and secrets are the team's to choose.

use super::connection_string::check_connection_string;
use crate::finding::{Finding, Span};
use crate::model::Parsed;
use crate::rules::json_span;
use crate::syntax::jsonc::{string_inner_range, Json};

/// The connection setting `name` holds a number, an object, … instead of a string.
pub(super) fn not_a_connection_string(
    local: &Parsed<Json>,
    name: &str,
    value: &Json,
    span: Span,
    out: &mut Vec<Finding>,
) {
    out.push(
        Finding::new(
            "DTS202",
            json_span(local, value.range.clone()),
            format!(
                "the connection setting \"{name}\" is {}, not a connection string",
                value.kind_name()
            ),
        )
        .label("expected \"Endpoint=…;Authentication=…\"")
        .related(span, "the connection setting named here"),
    );
}

/// Every problem of the connection string `text`, the value of the setting `name`.
pub(super) fn invalid_connection_string(
    local: &Parsed<Json>,
    name: &str,
    value: &Json,
    text: &str,
    span: &Span,
    out: &mut Vec<Finding>,
) {
    for p in check_connection_string(text) {
        out.push(
            Finding::new(
                "DTS202",
                json_span(
                    local,
                    string_inner_range(local.file.text.as_str(), value, &p.range),
                ),
                format!("the connection string in \"{name}\" {}", p.message),
            )
            .label(p.label)
            .related(span.clone(), "the connection setting named here"),
        );
    }
}
