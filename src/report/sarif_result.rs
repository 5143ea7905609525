//! A SARIF result and the parts it is made of, written as the log writes every object
//! (pretty-printed, keys in alphabetical order), field by field through [`Pretty`]: results
//! are nearly all of a log, and serialising each key as an escaped string took a quarter of
//! the SARIF report's time.

use std::borrow::Cow;
use std::cell::RefCell;

use super::pretty::{Layouts, Pretty};
use super::sarif::ArtifactLocation;
use crate::finding::Span;

/// A text of the log: borrowed from the finding when masking leaves it as it is.
pub(super) struct Text<'a> {
    pub text: Cow<'a, str>,
}

/// Where a span is, in lines and columns and in code points.
pub(super) struct Region {
    char_length: usize,
    char_offset: usize,
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

impl Region {
    /// The region of `span`; the BOM takes no offset (a span starting in it starts after it).
    pub fn of(span: &Span) -> Region {
        let (start_line, start_column) = span.start();
        let (end_line, end_column) = span.end();
        let source = &span.file.text;
        let text = source.as_str();
        let bom = source.bom_len();
        let start = span.range.start.max(bom);
        let end = span.range.end.max(start);
        // Counted from the text's marks (a byte is a character in an ASCII file), not char by
        // char from its start.
        let chars = |range: std::ops::Range<usize>| {
            if text.is_char_boundary(range.start) && text.is_char_boundary(range.end) {
                source.chars_before(range.end) - source.chars_before(range.start)
            } else {
                0
            }
        };
        Region {
            char_length: chars(start..end),
            char_offset: chars(bom..start),
            end_column,
            end_line,
            start_column,
            start_line,
        }
    }
}

pub(super) struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

pub(super) struct Location<'a> {
    pub id: Option<usize>,
    pub message: Option<Text<'a>>,
    pub physical_location: PhysicalLocation,
}

pub(super) struct Replacement<'a> {
    pub deleted_region: Region,
    pub inserted_content: Text<'a>,
}

pub(super) struct ArtifactChange<'a> {
    pub artifact_location: ArtifactLocation,
    pub replacements: Vec<Replacement<'a>>,
}

pub(super) struct SarifFix<'a> {
    pub artifact_changes: Vec<ArtifactChange<'a>>,
    pub description: Text<'a>,
}

pub(super) struct SarifResult<'a> {
    pub fixes: Option<SarifFix<'a>>,
    pub level: &'static str,
    pub location: Location<'a>,
    pub message: Text<'a>,
    /// `partialFingerprints.dtsMigrateFinding/v1`.
    pub fingerprint: String,
    pub related_locations: Vec<Location<'a>>,
    pub rule_id: &'a str,
    pub rule_index: Option<usize>,
}

/// Writes each item of `items` with `write`, as the items of an array.
fn array<T>(w: &mut Pretty<'_>, items: &[T], write: impl Fn(&mut Pretty<'_>, &T)) {
    w.open(b'[');
    for item in items {
        w.item();
        write(w, item);
    }
    w.close(b']');
}

impl Text<'_> {
    fn write(&self, w: &mut Pretty<'_>) {
        w.open(b'{');
        w.str_field("text", &self.text);
        w.close(b'}');
    }
}

impl Region {
    /// Every location and replacement holds one: written from its layout.
    fn write(&self, w: &mut Pretty<'_>) {
        thread_local! {
            static LAYOUTS: Layouts = const { RefCell::new(Vec::new()) };
        }
        let numbers = [
            self.char_length,
            self.char_offset,
            self.end_column,
            self.end_line,
            self.start_column,
            self.start_line,
        ];
        w.laid_out(
            &LAYOUTS,
            |w, holes| {
                w.open(b'{');
                for key in [
                    "charLength",
                    "charOffset",
                    "endColumn",
                    "endLine",
                    "startColumn",
                    "startLine",
                ] {
                    w.key(key);
                    holes.push(w.written());
                }
                w.close(b'}');
            },
            &numbers,
        );
    }
}

fn artifact_location(w: &mut Pretty<'_>, location: &ArtifactLocation) {
    w.open(b'{');
    w.str_field("uri", &location.uri);
    if let Some(base) = location.uri_base_id {
        w.str_field("uriBaseId", base);
    }
    w.close(b'}');
}

impl Location<'_> {
    fn write(&self, w: &mut Pretty<'_>) {
        w.open(b'{');
        if let Some(id) = self.id {
            w.num_field("id", id);
        }
        if let Some(message) = &self.message {
            w.key("message");
            message.write(w);
        }
        w.key("physicalLocation");
        w.open(b'{');
        w.key("artifactLocation");
        artifact_location(w, &self.physical_location.artifact_location);
        w.key("region");
        self.physical_location.region.write(w);
        w.close(b'}');
        w.close(b'}');
    }
}

impl SarifFix<'_> {
    fn write(&self, w: &mut Pretty<'_>) {
        w.open(b'{');
        w.key("artifactChanges");
        array(w, &self.artifact_changes, |w, change| {
            w.open(b'{');
            w.key("artifactLocation");
            artifact_location(w, &change.artifact_location);
            w.key("replacements");
            array(w, &change.replacements, |w, replacement| {
                w.open(b'{');
                w.key("deletedRegion");
                replacement.deleted_region.write(w);
                w.key("insertedContent");
                replacement.inserted_content.write(w);
                w.close(b'}');
            });
            w.close(b'}');
        });
        w.key("description");
        self.description.write(w);
        w.close(b'}');
    }
}

impl SarifResult<'_> {
    /// Writes the result as an object at the writer's depth.
    pub fn write(&self, w: &mut Pretty<'_>) {
        w.open(b'{');
        if let Some(fix) = &self.fixes {
            w.key("fixes");
            array(w, std::slice::from_ref(fix), |w, fix| fix.write(w));
        }
        w.str_field("level", self.level);
        w.key("locations");
        array(w, std::slice::from_ref(&self.location), |w, l| l.write(w));
        w.key("message");
        self.message.write(w);
        w.key("partialFingerprints");
        w.open(b'{');
        w.str_field("dtsMigrateFinding/v1", &self.fingerprint);
        w.close(b'}');
        if !self.related_locations.is_empty() {
            w.key("relatedLocations");
            array(w, &self.related_locations, |w, l| l.write(w));
        }
        w.str_field("ruleId", self.rule_id);
        w.key("ruleIndex");
        match self.rule_index {
            Some(index) => w.num(index),
            None => w.null(),
        }
        w.close(b'}');
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::source::text::SourceText;
    use crate::source::{SourceFile, Span};

    /// Offsets and lengths count characters after the BOM, in ASCII and other text, near the
    /// start and past the marks a long text keeps, as counting them one by one does.
    #[test]
    fn regions_count_characters() {
        let long = format!("\u{feff}{{\"é\": \"{}\", \"x\": 1}}", "ü€a".repeat(3_000));
        for text in ["{\"a\": 1}", "\u{feff}{\"a\": 1}", long.as_str()] {
            let file = Arc::new(SourceFile {
                path: PathBuf::from("host.json"),
                text: SourceText::from_string(text.to_string()),
                walked: None,
            });
            let bom = file.text.bom_len();
            let ends: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .step_by(97)
                .chain([0, text.len()])
                .collect();
            for &start in &ends {
                for &end in ends.iter().filter(|&&e| e >= start).take(5) {
                    let region = Region::of(&Span::new(&file, start..end));
                    let from = start.max(bom);
                    assert_eq!(region.char_offset, text[bom..from].chars().count());
                    assert_eq!(
                        region.char_length,
                        text[from..end.max(from)].chars().count()
                    );
                }
            }
        }
    }
}
