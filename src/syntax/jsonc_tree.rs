//! The JSONC tree built straight from the tokens of [`super::jsonc_lex`], for files that parse:
//! no intermediate AST is made and converted, and the tokens are read by a lexer of the subset
//! config files use, which together cut the cost of reading the config files to a fraction.
//!
//! It accepts a subset of what [`jsonc_parser::parse_to_ast`] accepts with the options of
//! [`super::jsonc`] (comments and trailing commas; strings, numbers and literals as the scanner
//! reads them) and builds the same tree; anything else — every error, and any shape it does not
//! know — makes it give up, and the caller parses the text again with `parse_to_ast`, whose
//! result and error messages are then the answer. The tests check that on every input where it
//! does not give up, it builds what the AST path builds.

use compact_str::CompactString;

use super::jsonc::{Json, JsonKind, Member, MAX_DEPTH};
use super::jsonc_lex::{Lexer, Token};

/// The tree of `body` with every range moved by `shift` (the BOM's length): `Some(Some(tree))`,
/// `Some(None)` when the text holds no value (it is empty or only comments), `None` when the
/// AST path must decide.
pub(super) fn build(body: &str, shift: usize) -> Option<Option<Json>> {
    let mut tree = Tree {
        lexer: Lexer::new(body),
        token: None,
        shift,
        depth: 0,
    };
    tree.next()?;
    if tree.token.is_none() {
        return Some(None);
    }
    let value = tree.value()?;
    tree.next()?;
    // A second value at the top level is an error the AST path words.
    match tree.token {
        None => Some(Some(value)),
        Some(_) => None,
    }
}

/// A recursive descent over the lexer's tokens. It gives up on nesting deeper than
/// [`MAX_DEPTH`], which the parser's path reports.
struct Tree<'a> {
    lexer: Lexer<'a>,
    /// The current token; None at the end of the text.
    token: Option<Token>,
    shift: usize,
    /// Objects and arrays open around the current token.
    depth: usize,
}

impl<'a> Tree<'a> {
    /// Moves to the next token; None where the scanner must decide.
    fn next(&mut self) -> Option<()> {
        self.token = self.lexer.next()?;
        Some(())
    }

    /// The byte range of the current token in the file.
    fn range(&self) -> std::ops::Range<usize> {
        let r = self.lexer.range();
        r.start + self.shift..r.end + self.shift
    }

    /// The value that starts at the current token, which is left on the value's last token.
    fn value(&mut self) -> Option<Json> {
        let kind = match self.token.take()? {
            Token::OpenBrace | Token::OpenBracket if self.depth == MAX_DEPTH => return None,
            Token::OpenBrace => return self.nested(Self::object),
            Token::OpenBracket => return self.nested(Self::array),
            Token::String => JsonKind::String(CompactString::from(self.lexer.string())),
            Token::Number => JsonKind::Number(CompactString::from(self.lexer.raw())),
            Token::Bool(value) => JsonKind::Bool(value),
            Token::Null => JsonKind::Null,
            _ => return None,
        };
        Some(Json {
            kind,
            range: self.range(),
        })
    }

    /// The object or array `build` makes of the current token, one level deeper.
    fn nested(&mut self, build: fn(&mut Self) -> Option<Json>) -> Option<Json> {
        self.depth += 1;
        let value = build(self);
        self.depth -= 1;
        value
    }

    /// The object whose `{` is the current token.
    fn object(&mut self) -> Option<Json> {
        let start = self.lexer.range().start + self.shift;
        let mut members = Vec::new();
        self.next()?;
        loop {
            match self.token.take() {
                Some(Token::CloseBrace) => break,
                Some(Token::String) => {
                    let key = CompactString::from(self.lexer.string());
                    let key_range = self.range();
                    self.next()?;
                    if self.token != Some(Token::Colon) {
                        return None;
                    }
                    self.next()?;
                    let value = self.value()?;
                    members.push(Member {
                        key,
                        key_range,
                        value,
                    });
                }
                _ => return None,
            }
            self.after_item(Token::CloseBrace)?;
        }
        Some(Json {
            kind: JsonKind::Object(members),
            range: start..self.lexer.range().end + self.shift,
        })
    }

    /// Moves past the comma after an item of an object or array, or onto its `close`: the
    /// only tokens that may follow an item. A trailing comma is allowed (the caller's loop
    /// then meets `close`).
    fn after_item(&mut self, close: Token) -> Option<()> {
        self.next()?;
        match &self.token {
            Some(Token::Comma) => self.next(),
            Some(token) if *token == close => Some(()),
            _ => None,
        }
    }

    /// The array whose `[` is the current token.
    fn array(&mut self) -> Option<Json> {
        let start = self.lexer.range().start + self.shift;
        let mut elements = Vec::new();
        self.next()?;
        loop {
            if self.token == Some(Token::CloseBracket) {
                break;
            }
            elements.push(self.value()?);
            self.after_item(Token::CloseBracket)?;
        }
        Some(Json {
            kind: JsonKind::Array(elements),
            range: start..self.lexer.range().end + self.shift,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::jsonc::parse_by_ast;
    use super::*;

    /// A small deterministic random source (the tests need no crate for it).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    /// Where the fast path builds a tree, the AST path builds the same one.
    fn agrees(text: &str) -> bool {
        match build(text, 0) {
            Some(tree) => {
                assert_eq!(parse_by_ast(text), Ok(tree), "{text:?}");
                true
            }
            None => false,
        }
    }

    /// A random valid JSONC value: comments, blank space and trailing commas where allowed.
    fn valid(rng: &mut Lcg, depth: usize, out: &mut String) {
        const GAPS: [&str; 6] = ["", " ", "\n  ", "// c\n", "/* c */", "\r\n\t"];
        const LEAVES: [&str; 9] = [
            "\"a\"",
            "\"\"",
            "\"x\\\"y\"",
            "\"\\u00e9\\n\"",
            "\"é😀\"",
            "0",
            "-12.5e+3",
            "true",
            "null",
        ];
        let gap = |rng: &mut Lcg, out: &mut String| out.push_str(GAPS[rng.below(GAPS.len())]);
        let shape = if depth > 4 { 2 } else { rng.below(3) };
        if shape == 2 {
            out.push_str(LEAVES[rng.below(LEAVES.len())]);
            return;
        }
        // An object (0) or an array (1) of up to 3 items, sometimes with a trailing comma.
        let object = shape == 0;
        out.push(if object { '{' } else { '[' });
        let n = rng.below(4);
        for i in 0..n {
            gap(rng, out);
            if object {
                out.push_str(LEAVES[rng.below(5)]);
                gap(rng, out);
                out.push(':');
                gap(rng, out);
            }
            valid(rng, depth + 1, out);
            if i + 1 < n || rng.below(3) == 0 {
                out.push(',');
            }
        }
        gap(rng, out);
        out.push(if object { '}' } else { ']' });
    }

    #[test]
    fn valid_jsonc_is_built_as_the_parser_builds_it() {
        let mut rng = Lcg(7);
        for _ in 0..3000 {
            let mut text = String::from(" // head\n");
            valid(&mut rng, 0, &mut text);
            text.push_str("\n/* tail */\n");
            assert!(
                agrees(&text),
                "the fast path gave up on valid JSONC: {text:?}"
            );
        }
        assert_eq!(build("// only a comment\n", 0), Some(None));
        assert_eq!(build("", 0), Some(None));
    }

    #[test]
    fn any_token_soup_is_built_alike_or_left_to_the_parser() {
        const TOKENS: [&str; 44] = [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"k\"",
            "\"v\\t\"",
            "1",
            "-0.5",
            "true",
            "false",
            "null",
            " ",
            "\n",
            "// c\n",
            "/* c */",
            "tru",
            "'x'",
            "0x1",
            "+1",
            ".5",
            "\"open",
            "/* open",
            "\"\\u00e9\\/\\\\\"",
            "\"\\ud83d\\ude00\"",
            "\"\\udc00\"",
            "\"\\'\"",
            "\"\\x41\"",
            "\"raw\nline\"",
            "\u{b}\u{c}",
            "\u{a0}",
            "\u{feff}",
            "01",
            "1.",
            "-",
            "1e+",
            "2E-3",
            "truex",
            "true$",
            "$",
            "é",
            "//",
            "\r",
        ];
        let mut rng = Lcg(11);
        let mut built = 0;
        for _ in 0..20000 {
            let mut text = String::new();
            for _ in 0..rng.below(12) {
                text.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
            built += usize::from(agrees(&text));
        }
        // Some soups are valid JSONC: the comparison above ran on them.
        assert!(built > 500, "{built}");
    }

    #[test]
    fn nesting_past_the_limit_is_left_to_the_parser() {
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(agrees(&at_limit));
        let deeper = format!("[{at_limit}]");
        assert_eq!(build(&deeper, 0), None);
    }

    #[test]
    fn ranges_are_shifted_by_the_bom() {
        let tree = build("{\"a\": [1]}", 3).unwrap().unwrap();
        assert_eq!(tree.range, 3..13);
        let member = &tree.members().unwrap()[0];
        assert_eq!(member.key_range, 4..7);
        assert_eq!(member.value.range, 9..12);
    }

    #[test]
    fn the_corpus_files_are_built_as_the_parser_builds_them() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !corpus.is_dir() {
            eprintln!("skipped: {} is missing", corpus.display());
            return;
        }
        let mut files = 0;
        for entry in ignore::WalkBuilder::new(&corpus)
            .standard_filters(false)
            .build()
        {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_some_and(|e| e == "json") {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
                agrees(text);
                files += 1;
            }
        }
        assert!(files > 50, "{files}");
    }
}
