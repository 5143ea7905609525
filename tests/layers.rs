//! The shape of the crate (ARCHITECTURE.md): the top-level modules of `src/` form no import
//! cycle, no source file is over 600 lines (a trailing `#[cfg(test)] mod tests` block aside),
//! and every rule's check is a file named after its code.
//!
//! The module graph is read from the code as a newcomer would: every `crate::<module>` path
//! outside the trailing test block, with comments, strings and character literals stripped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text before a trailing `#[cfg(test)] mod NAME {` block.
fn without_test_block(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let at = from + at;
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") && rest.split('{').next().is_some_and(|h| !h.contains(';')) {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// Rust source without comments, string literals (raw ones too) and character literals.
fn strip(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 1;
            i += 2;
            while i < b.len() && depth > 0 {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r'
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b[i + 1..].iter().take_while(|&&c| c == b'#').count() < 200
            && b.get(i + 1 + b[i + 1..].iter().take_while(|&&c| c == b'#').count()) == Some(&b'"')
        {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            i += 2 + hashes;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && char_literal_len(&b[i..]).is_some() {
            i += char_literal_len(&b[i..]).unwrap_or(1);
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
        }
    }
    out
}

/// The length of a character literal at the start of `b` (`'a'`, `'\n'`, `'\u{1b}'`), or
/// `None` for a lifetime.
fn char_literal_len(b: &[u8]) -> Option<usize> {
    if b.get(1) == Some(&b'\\') {
        let end = b.iter().skip(2).take(12).position(|&c| c == b'\'')?;
        return Some(end + 3);
    }
    let text = std::str::from_utf8(&b[1..b.len().min(6)]).unwrap_or("");
    let c = text.chars().next()?;
    (b.get(1 + c.len_utf8()) == Some(&b'\'')).then_some(2 + c.len_utf8())
}

/// The top-level modules named by `crate::…` paths in `code` (also inside `use crate::{…}`).
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let tail = rest.trim_start();
        if let Some(group) = tail.strip_prefix('{') {
            let end = group.find(';').unwrap_or(group.len());
            for part in group[..end].split([',', '{', '}']) {
                let name = ident(part.trim());
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        } else {
            let name = ident(tail);
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// The top-level module a file under `src/` belongs to (`None` for lib.rs and main.rs).
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    match first.as_str() {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// Edges `from -> to` between distinct top-level modules.
fn module_graph() -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(me) = top_module(&src, file) else {
            continue;
        };
        let text = fs::read_to_string(file).expect("source is UTF-8");
        for other in named_modules(&strip(without_test_block(&text))) {
            if other != me && modules.contains(&other) {
                edges.entry(me.clone()).or_default().insert(other);
            }
        }
    }
    (modules, edges)
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(
    modules: &BTreeSet<String>,
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(v: &'a str, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let next: Vec<&'a str> = s
            .edges
            .get(v)
            .map(|e| e.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for w in next {
            if !s.index.contains_key(w) {
                visit(w, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for m in modules {
        if !state.index.contains_key(m.as_str()) {
            visit(m, &mut state);
        }
    }
    state.out
}

#[test]
fn top_level_modules_form_no_cycle() {
    let (modules, edges) = module_graph();
    assert!(modules.len() > 5, "read the modules of src/: {modules:?}");
    let found = cycles(&modules, &edges);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let inside: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    edges[a]
                        .iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            format!("cycle {}: {}", c.join(", "), inside.join(", "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "layers use only the layers below them (ARCHITECTURE.md):\n{}",
        described.join("\n")
    );
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    // The reader and the search, on made-up code: a cycle is found and named.
    let code = strip(
        "use crate::{model::App, source::read};\n// crate::report in a comment\nlet s = \"crate::cli\";\nfn f() { crate::engine::check(); }",
    );
    let names = named_modules(&code);
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["engine", "model", "source"]
    );
    let modules: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("a".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycles(&modules, &edges), vec![vec!["a", "b"]]);
    assert_eq!(
        without_test_block("fn a() {}\n#[cfg(test)]\nmod tests {\n use crate::x;\n}\n"),
        "fn a() {}\n"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = fs::read_to_string(f).expect("source is UTF-8");
            let lines = without_test_block(&text).lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn every_rule_is_a_file_named_after_its_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/rules"), &mut files);
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().to_string()))
        .collect();
    let mut missing = Vec::new();
    for entry in fs::read_dir(root.join("rules")).expect("rules/ is readable") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        let Some(code) = name.strip_suffix(".toml").filter(|c| c.starts_with("DTS")) else {
            continue;
        };
        let prefix = format!("{}_", code.to_ascii_lowercase());
        if !names.iter().any(|n| n.starts_with(&prefix)) {
            missing.push(code.to_string());
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "rules without a file src/rules/<family>/<code>_<name>.rs: {missing:?}"
    );
}
