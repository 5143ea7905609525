//! The tokens of the JSONC that config files are written in, read a byte at a time and strings
//! a search at a time, for the fast path of [`super::jsonc_tree`]: it reads the subset of
//! `jsonc-parser`'s scanner that the dialect of [`super::jsonc`] allows, token for token as
//! the scanner reads it, and gives up (`None`) on everything else, which the scanner and the
//! parser then decide.
//!
//! Given up on: any error the scanner reports (an unterminated string or block comment, an
//! invalid escape, a number the JSON grammar does not allow, a `'`), a word other than `true`,
//! `false` and `null` (which the tree would give up on too), a `\u` escape of a UTF-16
//! surrogate, and any byte outside strings and comments that is not ASCII (Unicode blank
//! space, which the scanner skips, is rare enough to leave to it).

/// A token (comments and blank space are skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    /// A string; [`Lexer::string`] is its decoded text.
    String,
    /// A number; its text is the token's.
    Number,
    Bool(bool),
    Null,
}

/// Reads the tokens of a text one after the other.
pub(super) struct Lexer<'a> {
    text: &'a str,
    /// Where the next token is looked for.
    pos: usize,
    /// Where the current token starts.
    start: usize,
    /// The decoded text of the current string when it holds escapes.
    decoded: String,
    escaped: bool,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            pos: 0,
            start: 0,
            decoded: String::new(),
            escaped: false,
        }
    }

    /// The byte range of the current token.
    pub(super) fn range(&self) -> std::ops::Range<usize> {
        self.start..self.pos
    }

    /// The text of the current token as it is written.
    pub(super) fn raw(&self) -> &'a str {
        &self.text[self.start..self.pos]
    }

    /// The decoded text of the current token, a string.
    pub(super) fn string(&self) -> &str {
        match self.escaped {
            true => &self.decoded,
            false => &self.text[self.start + 1..self.pos - 1],
        }
    }

    /// The next token: `Some(None)` at the end of the text, `None` where the scanner must
    /// decide.
    pub(super) fn next(&mut self) -> Option<Option<Token>> {
        let b = self.text.as_bytes();
        loop {
            while b
                .get(self.pos)
                .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
            {
                self.pos += 1;
            }
            self.start = self.pos;
            let Some(&c) = b.get(self.pos) else {
                return Some(None);
            };
            self.pos += 1;
            let token = match c {
                b'{' => Token::OpenBrace,
                b'}' => Token::CloseBrace,
                b'[' => Token::OpenBracket,
                b']' => Token::CloseBracket,
                b',' => Token::Comma,
                b':' => Token::Colon,
                b'"' => {
                    self.string_body()?;
                    Token::String
                }
                b'-' | b'0'..=b'9' => {
                    self.number(c)?;
                    Token::Number
                }
                b't' => self.word("rue", Token::Bool(true))?,
                b'f' => self.word("alse", Token::Bool(false))?,
                b'n' => self.word("ull", Token::Null)?,
                b'/' => {
                    self.comment()?;
                    continue;
                }
                _ => return None,
            };
            return Some(Some(token));
        }
    }

    /// Moves past the rest of a string whose `"` has been read, decoding it when it holds
    /// escapes.
    fn string_body(&mut self) -> Option<()> {
        let b = self.text.as_bytes();
        self.escaped = false;
        // Where the text not yet copied to `decoded` starts.
        let mut from = self.pos;
        loop {
            let at = self.pos + memchr::memchr2(b'"', b'\\', &b[self.pos..])?;
            if b[at] == b'"' {
                if self.escaped {
                    self.decoded.push_str(&self.text[from..at]);
                }
                self.pos = at + 1;
                return Some(());
            }
            if !self.escaped {
                self.escaped = true;
                self.decoded.clear();
            }
            self.decoded.push_str(&self.text[from..at]);
            let (c, len) = match *b.get(at + 1)? {
                b'"' => ('"', 2),
                b'\\' => ('\\', 2),
                b'/' => ('/', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'n' => ('\n', 2),
                b'r' => ('\r', 2),
                b't' => ('\t', 2),
                b'u' => {
                    let hex = b.get(at + 2..at + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    let unit = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                    // Surrogates, paired or not, are left to the scanner.
                    (char::from_u32(unit)?, 6)
                }
                _ => return None,
            };
            self.decoded.push(c);
            self.pos = at + len;
            from = self.pos;
        }
    }

    /// Moves past the rest of a number whose first byte `first` has been read: the JSON
    /// grammar's `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as the scanner reads
    /// it (it ends where the grammar does; what follows is the next token).
    fn number(&mut self, first: u8) -> Option<()> {
        let b = self.text.as_bytes();
        let digits = |pos: &mut usize| {
            let from = *pos;
            while b.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos > from
        };
        let mut pos = self.pos;
        let lead = match first {
            b'-' => {
                let c = *b.get(pos)?;
                pos += 1;
                c
            }
            c => c,
        };
        match lead {
            // `0x…` is a hexadecimal number, which the dialect does not allow.
            b'0' if matches!(b.get(pos), Some(b'x' | b'X')) => return None,
            b'0' => {}
            b'1'..=b'9' => {
                digits(&mut pos);
            }
            _ => return None,
        }
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            if !digits(&mut pos) {
                return None;
            }
        }
        if matches!(b.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(b.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if !digits(&mut pos) {
                return None;
            }
        }
        self.pos = pos;
        Some(())
    }

    /// `token` when the text goes on with `rest` and then a byte that cannot continue a word
    /// (the scanner would read `trueish` as a word).
    fn word(&mut self, rest: &str, token: Token) -> Option<Token> {
        let b = self.text.as_bytes();
        if !b[self.pos..].starts_with(rest.as_bytes()) {
            return None;
        }
        let end = self.pos + rest.len();
        if b.get(end)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'$' || c >= 0x80)
        {
            return None;
        }
        self.pos = end;
        Some(token)
    }

    /// Moves past a comment whose `/` has been read.
    fn comment(&mut self) -> Option<()> {
        let b = self.text.as_bytes();
        match b.get(self.pos)? {
            b'/' => {
                self.pos = memchr::memchr2(b'\n', b'\r', &b[self.pos..])
                    .map_or(b.len(), |at| self.pos + at);
            }
            b'*' => {
                let body = self.pos + 1;
                self.pos = body + memchr::memmem::find(&b[body..], b"*/")? + 2;
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Option<Vec<(Token, String)>> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        while let Some(token) = lexer.next()? {
            let shown = match token {
                Token::String => lexer.string().to_string(),
                _ => lexer.raw().to_string(),
            };
            out.push((token, shown));
        }
        Some(out)
    }

    #[test]
    fn strings_are_decoded_and_their_ranges_keep_the_quotes() {
        let mut lexer = Lexer::new(r#" "a\"b\\\/\u00e9\n" "plain""#);
        assert_eq!(lexer.next(), Some(Some(Token::String)));
        assert_eq!(lexer.string(), "a\"b\\/é\n");
        assert_eq!(lexer.range(), 1..19);
        assert_eq!(lexer.next(), Some(Some(Token::String)));
        assert_eq!(lexer.string(), "plain");
        assert_eq!(lexer.next(), Some(None));
    }

    #[test]
    fn numbers_end_where_the_grammar_ends() {
        let t = tokens("-0 12.5e+3 1E9 01").unwrap();
        let raw: Vec<&str> = t.iter().map(|(_, s)| s.as_str()).collect();
        // `01` is `0` and `1`, as the scanner reads it (the tree then gives up).
        assert_eq!(raw, ["-0", "12.5e+3", "1E9", "0", "1"]);
    }

    #[test]
    fn comments_are_skipped_and_anything_else_is_left_to_the_scanner() {
        let t = tokens("// a\r[/* b */true,null]//").unwrap();
        assert_eq!(t.len(), 5);
        for given_up in [
            "\"open",
            "/* open",
            "'x'",
            "0x1",
            "+1",
            ".5",
            "1.",
            "1e",
            "-",
            "truex",
            "true$",
            "nul",
            "word",
            "\"\\x\"",
            "\"\\'\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u12\"",
            "\u{a0}1",
            "/",
            "/x",
        ] {
            assert_eq!(tokens(given_up), None, "{given_up:?}");
        }
    }
}
