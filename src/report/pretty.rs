//! Pretty-printed JSON written field by field, for the views a report writes most (SARIF
//! results): the bytes `serde_json` writes with [`super::json::Pretty`] and
//! [`super::json::Console`], without serialising every key through the escaping of a string.
//! Keys are field names (never text from input); every string value goes through the same
//! serialiser as the rest of the report, so its escaping is the report's.

use std::cell::RefCell;
use std::thread::LocalKey;

use serde::Serialize;

use super::json::Console;
use crate::source::escape::any_byte;

/// A JSON value being written at a depth, indented two spaces a level.
pub struct Pretty<'o> {
    out: &'o mut Vec<u8>,
    level: usize,
    /// Nothing was written in the innermost open object or array yet.
    first: bool,
}

/// Appends `items` as items of an array at depth `level`, each written by `write`, in the
/// layout of [`super::json::push_elements`] (a line each, indented, separated by commas,
/// without the brackets); returns how many.
pub fn push_items<'i, T>(
    out: &mut Vec<u8>,
    level: usize,
    items: &'i [T],
    mut write: impl FnMut(&mut Pretty<'_>, &'i T),
) -> usize {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(b",\n");
        }
        let mut w = Pretty::at(level, out);
        w.indent();
        write(&mut w, item);
    }
    items.len()
}

impl<'o> Pretty<'o> {
    /// A writer of a value at depth `level`, appending to `out`.
    pub fn at(level: usize, out: &'o mut Vec<u8>) -> Pretty<'o> {
        Pretty {
            out,
            level,
            first: false,
        }
    }

    fn indent(&mut self) {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut left = 2 * self.level;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.extend_from_slice(&SPACES[..n]);
            left -= n;
        }
    }

    /// Opens an object (`{`) or an array (`[`).
    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.level += 1;
        self.first = true;
    }

    /// Closes what [`Pretty::open`] opened, on a line of its own when it holds anything.
    pub fn close(&mut self, bracket: u8) {
        self.level -= 1;
        if !self.first {
            self.out.push(b'\n');
            self.indent();
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// Starts the next item of an array.
    pub fn item(&mut self) {
        /// A comma, a line break and the indentation of the deepest levels written at once.
        const BREAKS: &[u8; 66] =
            b",\n                                                                ";
        let from = usize::from(self.first);
        self.first = false;
        match BREAKS.get(from..2 + 2 * self.level) {
            Some(bytes) => self.out.extend_from_slice(bytes),
            None => {
                self.out.extend_from_slice(&BREAKS[from..2]);
                self.indent();
            }
        }
    }

    /// Starts the member `key` of an object (a field name: written as it is).
    pub fn key(&mut self, key: &str) {
        debug_assert!(
            key.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' && b != b'#'),
            "a key that needs escaping: {key:?}"
        );
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A string value, escaped as the report escapes strings.
    pub fn str(&mut self, text: &str) {
        // Printable ASCII without `#`, and line feeds (most texts): escaped here as serde_json
        // escapes them, a run of plain bytes at a time.
        let bytes = text.as_bytes();
        if is_plain(bytes) {
            self.out.reserve(bytes.len() + 2);
            self.out.push(b'"');
            let mut rest = bytes;
            while let Some(at) = memchr::memchr3(b'"', b'\\', b'\n', rest) {
                self.out.extend_from_slice(&rest[..at]);
                self.out.extend_from_slice(match rest[at] {
                    b'"' => b"\\\"",
                    b'\\' => b"\\\\",
                    _ => b"\\n",
                });
                rest = &rest[at + 1..];
            }
            self.out.extend_from_slice(rest);
            self.out.push(b'"');
            return;
        }
        let mut ser = serde_json::Serializer::with_formatter(
            &mut *self.out,
            Console::new(serde_json::ser::CompactFormatter),
        );
        // Writing to a Vec cannot fail, and a string always serialises.
        let _ = text.serialize(&mut ser);
    }

    /// A value whose layout is the same every time but for its numbers (a range, a region),
    /// written from that layout: `make` writes the value key by key, noting in `holes` where
    /// each number goes (at [`Pretty::written`], writing none), once a thread and depth, kept
    /// in `layouts`; then each write is its pieces with `numbers` between them.
    pub fn laid_out(
        &mut self,
        layouts: &'static LocalKey<Layouts>,
        make: fn(&mut Pretty<'_>, &mut Vec<usize>),
        numbers: &[usize],
    ) {
        layouts.with_borrow_mut(|layouts| {
            while layouts.len() <= self.level {
                layouts.push(layout(layouts.len(), make));
            }
            let pieces = &layouts[self.level];
            debug_assert_eq!(pieces.len(), numbers.len() + 1);
            let mut digits = itoa::Buffer::new();
            for (piece, &n) in pieces.iter().zip(numbers) {
                self.out.extend_from_slice(piece);
                self.out.extend_from_slice(digits.format(n).as_bytes());
            }
            if let Some(last) = pieces.last() {
                self.out.extend_from_slice(last);
            }
        });
        self.first = false;
    }

    /// The bytes written so far (of the whole buffer), for the holes of [`Pretty::laid_out`].
    pub fn written(&self) -> usize {
        self.out.len()
    }

    /// A number value.
    pub fn num(&mut self, n: usize) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// The member `key` whose value is the string `text`.
    pub fn str_field(&mut self, key: &str, text: &str) {
        self.key(key);
        self.str(text);
    }

    /// The member `key` whose value is the number `n`.
    pub fn num_field(&mut self, key: &str, n: usize) {
        self.key(key);
        self.num(n);
    }
}

/// The layouts [`Pretty::laid_out`] made on a thread, by depth: each the pieces between the
/// numbers.
pub type Layouts = RefCell<Vec<Vec<Vec<u8>>>>;

/// What `make` writes at depth `level`, cut at its holes.
fn layout(level: usize, make: fn(&mut Pretty<'_>, &mut Vec<usize>)) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut holes = Vec::new();
    make(&mut Pretty::at(level, &mut out), &mut holes);
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in holes.into_iter().chain([out.len()]) {
        pieces.push(out[from..cut].to_vec());
        from = cut;
    }
    pieces
}

/// Whether [`Pretty::str`] escapes a string by itself: printable ASCII but `#` (which
/// [`Console`] may escape), and line feeds.
fn is_plain(bytes: &[u8]) -> bool {
    !any_byte(bytes, |b| {
        !(((0x20..0x7f).contains(&b) & (b != b'#')) | (b == b'\n'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Inner {
        a: usize,
        b: Vec<usize>,
        c: Vec<usize>,
    }

    #[derive(Serialize)]
    struct Outer {
        name: String,
        inner: Inner,
        none: Option<usize>,
        list: Vec<Inner>,
    }

    /// Strings come out as the report's serialiser writes them, plain ones and the others.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let printable: String = (0x20u8..0x7f).map(char::from).collect();
        let plain: String = printable
            .chars()
            .filter(|c| !"\"\\#".contains(*c))
            .collect();
        for text in [
            "",
            "plain text",
            plain.as_str(),
            printable.as_str(),
            "a#b",
            "tab\there",
            "é",
            "\u{7f}",
            "##vso[task.logissue]x",
            "a plain text longer than one block of sixteen bytes",
            "a text longer than one block with a \"quote\" late",
            "a text longer than one block with a \\ late",
            "a text longer than one block, a \u{1f} late",
            "line\nbreaks\r\nand \"quotes\" \\ and\ttabs, longer than a block",
        ] {
            let mut expected = Vec::new();
            crate::report::json::push_elements([text], 0, &mut expected);
            let mut ours = Vec::new();
            Pretty::at(0, &mut ours).str(text);
            assert_eq!(ours, expected, "{text:?}");
        }
    }

    /// What the writer writes is what serde_json writes with the report's formatter.
    #[test]
    fn writes_what_serde_json_writes() {
        let inner = |a| Inner {
            a,
            b: vec![1, 2],
            c: Vec::new(),
        };
        let value = Outer {
            name: "a \"quoted\"\n\u{1b}[31m ##vso[x] é # \\ \u{7f} ~ !".into(),
            inner: inner(7),
            none: None,
            list: vec![inner(1), inner(2)],
        };
        for level in [0, 1, 4] {
            let mut expected = Vec::new();
            crate::report::json::push_elements([&value], level, &mut expected);
            let mut ours = Vec::new();
            ours.extend(std::iter::repeat_n(b' ', 2 * level));
            let mut w = Pretty::at(level, &mut ours);
            let write_inner = |w: &mut Pretty<'_>, i: &Inner| {
                w.open(b'{');
                w.num_field("a", i.a);
                w.key("b");
                w.open(b'[');
                for n in &i.b {
                    w.item();
                    w.num(*n);
                }
                w.close(b']');
                w.key("c");
                w.open(b'[');
                w.close(b']');
                w.close(b'}');
            };
            w.open(b'{');
            w.str_field("name", &value.name);
            w.key("inner");
            write_inner(&mut w, &value.inner);
            w.key("none");
            w.null();
            w.key("list");
            w.open(b'[');
            for i in &value.list {
                w.item();
                write_inner(&mut w, i);
            }
            w.close(b']');
            w.close(b'}');
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&expected),
                "{level}"
            );
        }
    }
}
