//! Edits to MSBuild files as byte-range replacements that keep everything else: comments,
//! attribute order, quote style, self-closing style, indentation and line endings.
//!
//! Values are replaced at the spans [`super::msbuild`] gives. Removing an element removes its
//! whole line(s) when it stands alone on them. A new item goes on its own line after a sibling
//! item, with the sibling's indentation, quotes, attribute spelling and closing style, and the
//! file's line ending.

use std::ops::Range;

use super::msbuild::{PackageItem, Spanned, VersionForm};
use crate::source::escape::escape_xml;
use crate::source::SourceText;

/// An edit: replace the range with the text.
pub type TextEdit = (Range<usize>, String);

/// Replaces a value (attribute value or element text) with `new`, keeping the whitespace around
/// element text. `None` when the span holds no text to replace (an empty `<Version/>`).
pub fn replace_value(src: &SourceText, value: &Spanned, new: &str) -> Option<TextEdit> {
    let raw = src.as_str().get(value.range.clone())?;
    if raw.trim_start().starts_with('<') {
        return None;
    }
    let start = value.range.start + (raw.len() - raw.trim_start().len());
    let end = value.range.end - (raw.len() - raw.trim_end().len());
    if start >= end {
        return None;
    }
    Some((start..end, escape_xml(new)))
}

/// Whether only spaces and tabs stand between the start of `offset`'s line and `offset`.
fn starts_line(src: &SourceText, offset: usize) -> bool {
    let line = src.line_range(src.line_index(offset));
    let start = line
        .start
        .max(if line.start == 0 { src.bom_len() } else { 0 });
    src.as_str()
        .get(start..offset)
        .is_some_and(|s| s.trim().is_empty())
}

/// Whether the rest of `offset`'s line is blank.
fn ends_line(src: &SourceText, offset: usize) -> bool {
    let line = src.line_range(src.line_index(offset));
    src.as_str()
        .get(offset..line.end)
        .is_some_and(|s| s.trim().is_empty())
}

/// Removes an element: its whole line(s) when it stands alone on them, else the element only.
pub fn remove_element(src: &SourceText, element: Range<usize>) -> TextEdit {
    if starts_line(src, element.start) && ends_line(src, element.end) {
        let first = src.full_line_range(src.line_index(element.start));
        let last = src.full_line_range(src.line_index(element.end));
        let start = first
            .start
            .max(if first.start == 0 { src.bom_len() } else { 0 });
        return (start..last.end, String::new());
    }
    (element, String::new())
}

/// The spelling of the attribute whose value starts at `value_start`, and its quote character.
fn attribute_style(text: &str, value_start: usize) -> Option<(&str, char)> {
    let quote = text.get(..value_start)?.chars().next_back()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let before = text
        .get(..value_start - 1)?
        .trim_end()
        .strip_suffix('=')?
        .trim_end();
    let name_start = before
        .rfind(|c: char| c.is_whitespace() || c == '<')
        .map_or(0, |i| i + 1);
    let name = &before[name_start..];
    (!name.is_empty()).then_some((name, quote))
}

/// A new package item to write.
#[derive(Debug, Clone, Copy)]
pub struct NewItem<'a> {
    /// `PackageReference` or `PackageVersion`.
    pub item_type: &'a str,
    /// The package id.
    pub id: &'a str,
    /// The version, or none (a `PackageReference` under Central Package Management).
    pub version: Option<&'a str>,
}

/// Inserts `item` after `sibling` (an item of the same file), in the sibling's style: on a line
/// of its own with the sibling's indentation when the sibling stands on its own line, else
/// right after it.
pub fn insert_item_after(src: &SourceText, sibling: &PackageItem, item: NewItem<'_>) -> TextEdit {
    let text = src.as_str();
    let (include, quote) =
        attribute_style(text, sibling.id.range.start).unwrap_or(("Include", '"'));
    let include = if sibling.is_update {
        "Include"
    } else {
        include
    };
    let version_name = sibling
        .version
        .as_ref()
        .filter(|v| v.form == VersionForm::Attribute)
        .and_then(|v| attribute_style(text, v.text.range.start))
        .map_or("Version", |(name, _)| name);
    let item_type = if sibling.item_type.eq_ignore_ascii_case(item.item_type) {
        sibling.item_type.as_str()
    } else {
        item.item_type
    };
    let element = text.get(sibling.element.clone()).unwrap_or_default();
    let mut new = format!(
        "<{item_type} {include}={quote}{}{quote}",
        escape_xml(item.id)
    );
    if let Some(version) = item.version {
        new.push_str(&format!(
            " {version_name}={quote}{}{quote}",
            escape_xml(version)
        ));
    }
    if let Some(open) = element.strip_suffix("/>") {
        if open.ends_with(char::is_whitespace) {
            new.push(' ');
        }
        new.push_str("/>");
    } else {
        new.push_str(&format!("></{item_type}>"));
    }
    if starts_line(src, sibling.element.start) {
        let indent = src.indent_of_line_at(sibling.element.start);
        // After the rest of the sibling's line when only blanks or a comment follow it.
        let line_end = src.line_range(src.line_index(sibling.element.end)).end;
        let rest = text
            .get(sibling.element.end..line_end)
            .unwrap_or_default()
            .trim();
        let at = if rest.is_empty() || (rest.starts_with("<!--") && rest.ends_with("-->")) {
            line_end
        } else {
            sibling.element.end
        };
        (at..at, format!("{}{indent}{new}", src.eol()))
    } else {
        let at = sibling.element.end;
        (at..at, format!(" {new}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;
    use crate::syntax::msbuild::{parse, Project};

    fn src(text: &str) -> SourceText {
        SourceText::decode(text.as_bytes().to_vec()).unwrap()
    }

    fn edit(text: &str, edits: &[TextEdit]) -> (String, Project) {
        let edits: Vec<(Range<usize>, &str)> =
            edits.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        let out = apply(text, &edits).unwrap();
        let project = parse(&src(&out)).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
        (out, project)
    }

    const CRLF: &str = "\u{FEFF}<Project Sdk=\"Microsoft.NET.Sdk\">\r\n  <ItemGroup>\r\n    <PackageReference Include=\"A\" Version=\"0.4.1-alpha\" />\r\n    <!-- the worker -->\r\n    <PackageReference Include=\"B\"><Version> 1.2.2 </Version></PackageReference>\r\n  </ItemGroup>\r\n</Project>\r\n";

    #[test]
    fn replaces_attribute_values_and_element_text() {
        let s = src(CRLF);
        let p = parse(&s).unwrap();
        let a = p.package_reference("A").unwrap().version.clone().unwrap();
        let b = p.package_reference("B").unwrap().version.clone().unwrap();
        let edits = vec![
            replace_value(&s, &a.text, "1.8.1").unwrap(),
            replace_value(&s, &b.text, "1.16.5").unwrap(),
        ];
        let (out, p) = edit(CRLF, &edits);
        assert_eq!(
            out,
            CRLF.replace("0.4.1-alpha", "1.8.1")
                .replace("1.2.2", "1.16.5")
        );
        assert_eq!(
            p.package_reference("b")
                .unwrap()
                .version
                .as_ref()
                .unwrap()
                .text
                .value,
            "1.16.5"
        );
    }

    #[test]
    fn an_empty_version_element_is_not_replaced() {
        let s = src("<Project><ItemGroup><PackageReference Include=\"A\"><Version/></PackageReference></ItemGroup></Project>");
        let p = parse(&s).unwrap();
        let v = p.package_references[0].version.clone().unwrap();
        assert!(replace_value(&s, &v.text, "1.0.0").is_none());
    }

    #[test]
    fn removes_whole_lines_and_keeps_comments() {
        let s = src(CRLF);
        let p = parse(&s).unwrap();
        let a = p.package_reference("A").unwrap().element.clone();
        let (out, p) = edit(CRLF, &[remove_element(&s, a)]);
        assert_eq!(
            out,
            CRLF.replace(
                "    <PackageReference Include=\"A\" Version=\"0.4.1-alpha\" />\r\n",
                ""
            )
        );
        assert!(p.package_reference("A").is_none());
        // Inline: only the element goes.
        let text = "<Project><ItemGroup><PackageReference Include='A' /><PackageReference Include='B' /></ItemGroup></Project>";
        let s = src(text);
        let p = parse(&s).unwrap();
        let (out, _) = edit(
            text,
            &[remove_element(&s, p.package_references[0].element.clone())],
        );
        assert_eq!(
            out,
            "<Project><ItemGroup><PackageReference Include='B' /></ItemGroup></Project>"
        );
    }

    #[test]
    fn removes_a_multi_line_element() {
        let text = "<Project>\n\t<ItemGroup>\n\t\t<PackageReference Include=\"A\">\n\t\t\t<Version>1.0</Version>\n\t\t</PackageReference>\n\t</ItemGroup>\n</Project>";
        let s = src(text);
        let p = parse(&s).unwrap();
        let (out, _) = edit(
            text,
            &[remove_element(&s, p.package_references[0].element.clone())],
        );
        assert_eq!(out, "<Project>\n\t<ItemGroup>\n\t</ItemGroup>\n</Project>");
    }

    #[test]
    fn inserts_after_a_sibling_in_its_style() {
        let s = src(CRLF);
        let p = parse(&s).unwrap();
        let a = p.package_reference("A").unwrap();
        let item = NewItem {
            item_type: "PackageReference",
            id: "C",
            version: Some("1.8.1"),
        };
        let (out, p) = edit(CRLF, &[insert_item_after(&s, a, item)]);
        assert!(out.contains("<PackageReference Include=\"A\" Version=\"0.4.1-alpha\" />\r\n    <PackageReference Include=\"C\" Version=\"1.8.1\" />\r\n    <!--"), "{out}");
        assert_eq!(
            p.package_reference("C")
                .unwrap()
                .version
                .as_ref()
                .unwrap()
                .text
                .value,
            "1.8.1"
        );

        // Single quotes, lower-case `version`, no space before `/>`, LF, tabs, a comment after.
        let text = "<Project>\n\t<ItemGroup>\n\t\t<PackageVersion Include='A' version='1.0'/> <!-- a -->\n\t</ItemGroup>\n</Project>\n";
        let s = src(text);
        let p = parse(&s).unwrap();
        let item = NewItem {
            item_type: "PackageVersion",
            id: "C",
            version: Some("1.8.1"),
        };
        let (out, _) = edit(text, &[insert_item_after(&s, &p.package_versions[0], item)]);
        assert_eq!(out, "<Project>\n\t<ItemGroup>\n\t\t<PackageVersion Include='A' version='1.0'/> <!-- a -->\n\t\t<PackageVersion Include='C' version='1.8.1'/>\n\t</ItemGroup>\n</Project>\n");
    }

    #[test]
    fn inserts_without_version_and_after_non_self_closing_siblings() {
        let text = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"A\"></PackageReference>\n  </ItemGroup>\n</Project>";
        let s = src(text);
        let p = parse(&s).unwrap();
        let item = NewItem {
            item_type: "PackageReference",
            id: "C&D",
            version: None,
        };
        let (out, p) = edit(
            text,
            &[insert_item_after(&s, &p.package_references[0], item)],
        );
        assert_eq!(out, "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"A\"></PackageReference>\n    <PackageReference Include=\"C&amp;D\"></PackageReference>\n  </ItemGroup>\n</Project>");
        assert!(p.package_reference("C&D").unwrap().version.is_none());

        let text = "<Project><ItemGroup><PackageReference Include=\"A\" /></ItemGroup></Project>";
        let s = src(text);
        let p = parse(&s).unwrap();
        let (out, _) = edit(
            text,
            &[insert_item_after(&s, &p.package_references[0], item)],
        );
        assert_eq!(out, "<Project><ItemGroup><PackageReference Include=\"A\" /> <PackageReference Include=\"C&amp;D\" /></ItemGroup></Project>");
    }
}
