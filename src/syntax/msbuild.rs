//! MSBuild project files (`*.csproj`, `extensions.csproj`, `Directory.Packages.props`, …) read
//! with `roxmltree`, keeping the byte span of every value the rules look at.
//!
//! MSBuild compares item types, metadata and property names without regard to case, so this
//! reader does too (`version=` is read like `Version=`).

use std::ops::Range;

use crate::source::SourceText;

/// A value in the file and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The value as MSBuild reads it (entities decoded, surrounding whitespace trimmed).
    pub value: String,
    /// Byte range of the raw value in the file (attribute value without quotes, or element
    /// text).
    pub range: Range<usize>,
}

/// How a package version is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionForm {
    /// `Version="…"` (any case).
    Attribute,
    /// `<Version>…</Version>` child element.
    Element,
}

/// A `Version` (or `VersionOverride`) of a package item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSpec {
    /// The version text and its span.
    pub text: Spanned,
    /// Attribute or child element.
    pub form: VersionForm,
}

/// A `PackageReference`, `PackageVersion` or `GlobalPackageReference` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageItem {
    /// The element name as written.
    pub item_type: String,
    /// The package id (`Include`, or `Update` for update items).
    pub id: Spanned,
    /// Whether the id came from `Update=` rather than `Include=`.
    pub is_update: bool,
    /// `Version`.
    pub version: Option<VersionSpec>,
    /// `VersionOverride` (Central Package Management).
    pub version_override: Option<VersionSpec>,
    /// The whole element, start tag to end tag.
    pub element: Range<usize>,
    /// Whether the item or one of its ancestors has a `Condition`.
    pub conditional: bool,
}

impl PackageItem {
    /// The version that applies to this item when it is written in the item itself:
    /// `VersionOverride` wins over `Version`.
    pub fn effective_version(&self) -> Option<&VersionSpec> {
        self.version_override.as_ref().or(self.version.as_ref())
    }
}

/// A property set in a `PropertyGroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Property name as written.
    pub name: String,
    /// Its value and span.
    pub value: Spanned,
    /// Whether the property or its group has a `Condition`.
    pub conditional: bool,
}

/// The parts of an MSBuild file the rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    /// `Sdk="…"` of the root element.
    pub sdk: Option<String>,
    /// Properties in file order.
    pub properties: Vec<Property>,
    /// `PackageReference` items.
    pub package_references: Vec<PackageItem>,
    /// The `Include` of each `ProjectReference`, as written.
    pub project_references: Vec<Spanned>,
    /// `PackageVersion` items (Central Package Management).
    pub package_versions: Vec<PackageItem>,
    /// `Project="…"` of each `Import`.
    pub imports: Vec<Spanned>,
    /// Byte range of the root element.
    pub root: Range<usize>,
}

/// An MSBuild file that is not well-formed XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// Where (byte range in the file).
    pub range: Range<usize>,
    /// What is wrong, without position.
    pub message: String,
}

impl Project {
    /// The last unconditional value of a property, the way MSBuild evaluates a flat file.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties
            .iter()
            .rev()
            .find(|p| p.name.eq_ignore_ascii_case(name) && !p.conditional)
            .or_else(|| {
                self.properties
                    .iter()
                    .rev()
                    .find(|p| p.name.eq_ignore_ascii_case(name))
            })
    }

    /// The `PackageReference` for `id` (ids compare without case, as NuGet does).
    pub fn package_reference(&self, id: &str) -> Option<&PackageItem> {
        self.package_references
            .iter()
            .find(|p| p.id.value.eq_ignore_ascii_case(id))
    }

    /// Whether the file turns Central Package Management on or off: `Some(true)` when
    /// `ManagePackageVersionsCentrally` is `true`.
    pub fn manages_versions_centrally(&self) -> Option<bool> {
        self.property("ManagePackageVersionsCentrally")
            .map(|p| p.value.value.eq_ignore_ascii_case("true"))
    }
}

/// How deep elements may nest. MSBuild files nest a handful of levels; the limit keeps the
/// per-item walks up the ancestors (conditions) linear in the size of the file.
pub const MAX_DEPTH: usize = 128;

/// The range of the `<` of the first element nested deeper than `max`, if any
/// (one pass over the nodes in document order; roxmltree itself does not recurse).
fn too_deep(doc: &roxmltree::Document<'_>, max: usize) -> Option<Range<usize>> {
    // Element depth of every node seen, by node id (parents come before their children).
    let mut depths: Vec<usize> = Vec::new();
    for node in doc.root().descendants() {
        let parent = node
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .unwrap_or(0);
        let depth = parent + usize::from(node.is_element());
        let id = node.id().get_usize();
        if depths.len() <= id {
            depths.resize(id + 1, 0);
        }
        depths[id] = depth;
        if depth > max {
            let start = node.range().start;
            return Some(start..start + 1);
        }
    }
    None
}

/// Parses an MSBuild file. Elements nested deeper than [`MAX_DEPTH`] are an error.
pub fn parse(source: &SourceText) -> Result<Project, XmlError> {
    let text = source.as_str();
    if source.body().trim().is_empty() {
        return Err(XmlError {
            range: text.len()..text.len(),
            message: "the file is empty".to_string(),
        });
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|err| {
        if err == roxmltree::Error::DtdDetected {
            // roxmltree places this error at 1:1; the declaration is where the prolog ends.
            let at = doctype_at(source);
            return XmlError {
                range: at..(at + DOCTYPE.len()).min(text.len()),
                message: "the file declares a DOCTYPE; MSBuild files have none, and dts-migrate does not read document type definitions (their entities can expand without bound), so the file is not read".to_string(),
            };
        }
        let pos = err.pos();
        let offset = offset_of(source, pos.row as usize, pos.col as usize);
        XmlError {
            range: offset..offset,
            message: describe(&err),
        }
    })?;
    if let Some(at) = too_deep(&doc, MAX_DEPTH) {
        return Err(XmlError {
            range: at,
            message: format!(
                "elements nest more than {MAX_DEPTH} levels deep here; no MSBuild file does, so the file is not read"
            ),
        });
    }
    let root = doc.root_element();
    let mut project = Project {
        sdk: root.attribute("Sdk").map(str::to_string),
        root: root.range(),
        ..Default::default()
    };
    for node in root.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let parent_name = node
            .parent_element()
            .map(|p| p.tag_name().name())
            .unwrap_or("");
        if parent_name.eq_ignore_ascii_case("PropertyGroup") {
            if let Some(value) = element_text(&node) {
                project.properties.push(Property {
                    name: name.to_string(),
                    value,
                    conditional: is_conditional(&node),
                });
            }
        } else if name.eq_ignore_ascii_case("PackageReference")
            || name.eq_ignore_ascii_case("GlobalPackageReference")
        {
            if let Some(item) = package_item(&node) {
                project.package_references.push(item);
            }
        } else if name.eq_ignore_ascii_case("PackageVersion") {
            if let Some(item) = package_item(&node) {
                project.package_versions.push(item);
            }
        } else if name.eq_ignore_ascii_case("ProjectReference") {
            if let Some(attr) = attribute_ci(&node, "Include") {
                project.project_references.push(attr);
            }
        } else if name.eq_ignore_ascii_case("Import") {
            if let Some(attr) = attribute_ci(&node, "Project") {
                project.imports.push(attr);
            }
        }
    }
    Ok(project)
}

fn describe(err: &roxmltree::Error) -> String {
    // roxmltree's Display ends with " at row:col"; the report prints the position itself.
    let text = err.to_string();
    let text = match text.rfind(" at ") {
        Some(i)
            if text[i + 4..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':') =>
        {
            text[..i].to_string()
        }
        _ => text,
    };
    let mut text = text;
    if let Some(first) = text.get_mut(0..1) {
        first.make_ascii_lowercase();
    }
    text
}

const DOCTYPE: &str = "<!DOCTYPE";

/// Where the `<!DOCTYPE` of the file starts: after the BOM, the XML declaration, processing
/// instructions, comments and white space of the prolog, as roxmltree looks for it (else the
/// first one in the file, else the start).
fn doctype_at(source: &SourceText) -> usize {
    let text = source.as_str();
    let mut at = source.bom_len();
    loop {
        at += text[at..].len() - text[at..].trim_start_matches([' ', '\t', '\r', '\n']).len();
        let rest = &text[at..];
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with(DOCTYPE) {
            return at;
        } else {
            None
        };
        match end {
            Some(end) => at += end,
            None => return text.find(DOCTYPE).unwrap_or(source.bom_len()),
        }
    }
}

/// Byte offset of a 1-based row and character column as roxmltree counts them: rows end at a
/// line feed only (a lone CR is a character of the row), and the BOM is a column of the first.
fn offset_of(source: &SourceText, row: usize, col: usize) -> usize {
    let text = source.as_str();
    let start = match row.checked_sub(2) {
        None => 0,
        Some(lfs) => memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(lfs)
            .map_or(text.len(), |lf| lf + 1),
    };
    let line_end =
        memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i + 1);
    let line_text = &text[start..line_end];
    let within = line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    start + within
}

fn is_conditional(node: &roxmltree::Node<'_, '_>) -> bool {
    node.ancestors()
        .filter(|n| n.is_element())
        .any(|n| attribute_ci(&n, "Condition").is_some())
}

fn attribute_ci(node: &roxmltree::Node<'_, '_>, name: &str) -> Option<Spanned> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| {
            let raw = a.range_value();
            Spanned {
                value: a.value().trim().to_string(),
                range: raw,
            }
        })
}

fn child_ci<'a, 'input>(
    node: &roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(|c| c.is_element())
        .find(|c| c.tag_name().name().eq_ignore_ascii_case(name))
}

/// The text of an element with no child elements, and the span of that text. An empty
/// element yields an empty value positioned just after its start tag.
fn element_text(node: &roxmltree::Node<'_, '_>) -> Option<Spanned> {
    if node.children().any(|c| c.is_element()) {
        return None;
    }
    let texts: Vec<_> = node.children().filter(|c| c.is_text()).collect();
    match (texts.first(), texts.last()) {
        (Some(first), Some(last)) => {
            let value: String = texts.iter().filter_map(|t| t.text()).collect();
            Some(Spanned {
                value: value.trim().to_string(),
                range: first.range().start..last.range().end,
            })
        }
        _ => {
            // `<X></X>` or `<X/>`: an empty value. Point at the element.
            let range = node.range();
            Some(Spanned {
                value: String::new(),
                range,
            })
        }
    }
}

fn version_of(node: &roxmltree::Node<'_, '_>, name: &str) -> Option<VersionSpec> {
    if let Some(text) = attribute_ci(node, name) {
        return Some(VersionSpec {
            text,
            form: VersionForm::Attribute,
        });
    }
    let child = child_ci(node, name)?;
    element_text(&child).map(|text| VersionSpec {
        text,
        form: VersionForm::Element,
    })
}

fn package_item(node: &roxmltree::Node<'_, '_>) -> Option<PackageItem> {
    let (id, is_update) = match attribute_ci(node, "Include") {
        Some(id) => (id, false),
        None => (attribute_ci(node, "Update")?, true),
    };
    Some(PackageItem {
        item_type: node.tag_name().name().to_string(),
        id,
        is_update,
        version: version_of(node, "Version"),
        version_override: version_of(node, "VersionOverride"),
        element: node.range(),
        conditional: is_conditional(node),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText {
        SourceText::decode(text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn reads_all_version_forms() {
        let s = src(concat!(
            "\u{FEFF}<Project Sdk=\"Microsoft.NET.Sdk\">\r\n",
            "  <PropertyGroup><AzureFunctionsVersion>v4</AzureFunctionsVersion></PropertyGroup>\r\n",
            "  <ItemGroup>\r\n",
            "    <PackageReference Include=\"A\" Version=\"1.0.0\" />\r\n",
            "    <PackageReference Include='B' version='2.0.0' />\r\n",
            "    <PackageReference Include=\"C\"><Version>3.0.0</Version></PackageReference>\r\n",
            "    <PackageReference Include=\"D\" VersionOverride=\"4.0.0\" />\r\n",
            "    <PackageReference Include=\"E\" />\r\n",
            "  </ItemGroup>\r\n",
            "</Project>\r\n"
        ));
        let p = parse(&s).unwrap();
        assert_eq!(
            p.property("AzureFunctionsVersion").unwrap().value.value,
            "v4"
        );
        let version = |id: &str| {
            p.package_reference(id)
                .and_then(|r| r.effective_version())
                .map(|v| {
                    (
                        v.text.value.clone(),
                        s.as_str()[v.text.range.clone()].to_string(),
                    )
                })
        };
        assert_eq!(version("A"), Some(("1.0.0".into(), "1.0.0".into())));
        assert_eq!(version("b"), Some(("2.0.0".into(), "2.0.0".into())));
        assert_eq!(version("C"), Some(("3.0.0".into(), "3.0.0".into())));
        assert_eq!(version("D"), Some(("4.0.0".into(), "4.0.0".into())));
        assert_eq!(version("E"), None);
        let a = p.package_reference("A").unwrap();
        assert_eq!(
            s.line_col(a.version.as_ref().unwrap().text.range.start),
            (4, 44)
        );
    }

    #[test]
    fn errors_carry_the_position() {
        let s = src("\u{FEFF}<Project>\n  <ItemGroup>\n</Project>\n");
        let err = parse(&s).unwrap_err();
        let (line, _) = s.line_col(err.range.start);
        assert_eq!(line, 3, "{err:?}");
        assert!(err.message.contains("ItemGroup"), "{}", err.message);
    }

    #[test]
    fn positions_follow_lone_carriage_returns() {
        // roxmltree counts rows at LF only; the line index ends lines at a lone CR too.
        let s = src("<Project>\r  <ItemGroup>\r</Project>\r");
        let err = parse(&s).unwrap_err();
        assert_eq!(s.line_col(err.range.start), (3, 1), "{err:?}");
    }

    #[test]
    fn a_doctype_is_reported_where_it_is() {
        let s = src("\u{FEFF}<?xml version=\"1.0\"?>\n<!-- <!DOCTYPE x> -->\n\n  <!DOCTYPE Project [ <!ENTITY a \"b\"> ]>\n<Project/>\n");
        let err = parse(&s).unwrap_err();
        assert_eq!(s.line_col(err.range.start), (4, 3), "{err:?}");
        assert_eq!(&s.as_str()[err.range.clone()], "<!DOCTYPE");
        assert!(
            err.message.starts_with("the file declares a DOCTYPE"),
            "{}",
            err.message
        );
    }

    #[test]
    fn conditions_are_noticed() {
        let s = src("<Project><ItemGroup Condition=\"'$(X)'=='1'\"><PackageReference Include=\"A\" Version=\"1\"/></ItemGroup></Project>");
        assert!(parse(&s).unwrap().package_references[0].conditional);
    }
}
