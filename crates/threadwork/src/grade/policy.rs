//! What a submitted exercise file may not contain, checked on every token of the file
//! (macro bodies included), before it is compiled.
//!
//! The tests run in the same process as the student's code, so that code could end the
//! process with status 0 before an assertion fails, or patch the test harness. No exercise
//! needs any of the tools for that, so a file that names one is not compiled: it is graded
//! like a compile error (the exercise scores 0, the rest of the topic is graded) and the
//! report says which token, where and why. The course's import rule
//! ([`catalog::guard`]) is checked here too, so its message reaches the student's report.

use std::path::Path;
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Identifiers a submission may not use anywhere, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "unsafe",
        "`unsafe` code can bypass every check; no exercise needs it",
    ),
    (
        "extern",
        "`extern` items link to outside code; no exercise needs them",
    ),
    ("asm", "inline assembly is not allowed"),
    ("global_asm", "inline assembly is not allowed"),
    ("naked_asm", "inline assembly is not allowed"),
    (
        "include",
        "`include!` reads files at compile time; submissions are one file",
    ),
    (
        "include_str",
        "`include_str!` reads files at compile time; submissions are one file",
    ),
    (
        "include_bytes",
        "`include_bytes!` reads files at compile time; submissions are one file",
    ),
    (
        "process",
        "`std::process` can end or replace the test process (exit, abort, exec), which would skip the test's checks",
    ),
    (
        "set_hook",
        "panic hooks can hide a failing assertion from the test harness",
    ),
    (
        "take_hook",
        "panic hooks can hide a failing assertion from the test harness",
    ),
];

/// Attributes a submission may not use.
const FORBIDDEN_ATTRIBUTES: &[(&str, &str)] = &[
    (
        "path",
        "`#[path]` includes another file; submissions are one file",
    ),
    (
        "no_mangle",
        "`#[no_mangle]` can replace symbols of the test harness",
    ),
    (
        "export_name",
        "`#[export_name]` can replace symbols of the test harness",
    ),
    (
        "link_section",
        "`#[link_section]` can run code before the tests start",
    ),
    ("link", "`#[link]` links to outside code"),
];

/// One place where a file breaks the submission policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub line: usize,
    pub column: usize,
    pub what: String,
    pub why: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}:{}: `{}`: {}",
            self.line, self.column, self.what, self.why
        )
    }
}

/// Checks one submitted file; `shown` names it in import-rule messages. `Err` is a file
/// that is not even Rust tokens (a compile error, said in the learner's terms).
pub fn check(shown: &Path, source: &str) -> Result<Vec<Violation>, String> {
    let tokens = match TokenStream::from_str(source) {
        Ok(tokens) => tokens,
        Err(e) => {
            let start = e.span().start();
            return Err(format!(
                "{}:{}:{}: the file is not valid Rust from here on: an unbalanced bracket, or                  an unterminated string, character or comment?",
                shown.display(),
                start.line,
                start.column + 1
            ));
        }
    };
    let mut found = Vec::new();
    scan(tokens, &mut found);
    for v in catalog::guard::check_source(shown, source) {
        found.push(Violation {
            line: v.line,
            column: v.column,
            what: v.written.clone(),
            why: format!(
                "bypasses the model checker; write `{}` instead (the course's import rule)",
                v.fix
            ),
        });
    }
    found.sort_by_key(|v| (v.line, v.column));
    found.dedup();
    Ok(found)
}

fn scan(tokens: TokenStream, found: &mut Vec<Violation>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let name = text.strip_prefix("r#").unwrap_or(&text);
                if let Some((_, why)) = FORBIDDEN.iter().find(|(f, _)| *f == name) {
                    push(found, ident.span(), name, why);
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // `#[attr ...]` or `#![attr ...]`
                let group = match (trees.get(i + 1), trees.get(i + 2)) {
                    (Some(TokenTree::Group(g)), _) => Some(g),
                    (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(g)))
                        if bang.as_char() == '!' =>
                    {
                        Some(g)
                    }
                    _ => None,
                };
                if let Some(g) = group.filter(|g| g.delimiter() == Delimiter::Bracket) {
                    if let Some(TokenTree::Ident(attr)) = g.stream().into_iter().next() {
                        let name = attr.to_string();
                        if let Some((_, why)) =
                            FORBIDDEN_ATTRIBUTES.iter().find(|(f, _)| *f == name)
                        {
                            push(found, attr.span(), &format!("#[{name}]"), why);
                        }
                    }
                }
            }
            TokenTree::Group(g) => scan(g.stream(), found),
            _ => {}
        }
    }
}

fn push(found: &mut Vec<Violation>, span: proc_macro2::Span, what: &str, why: &str) {
    let start = span.start();
    found.push(Violation {
        line: start.line,
        column: start.column + 1,
        what: what.to_string(),
        why: why.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(src: &str) -> Vec<String> {
        check(Path::new("x.rs"), src)
            .expect("lexes")
            .into_iter()
            .map(|v| v.what)
            .collect()
    }

    #[test]
    fn tools_that_could_fake_a_pass_are_refused_even_inside_macros() {
        assert_eq!(whats("fn f() { std::process::exit(0) }"), ["process"]);
        assert_eq!(whats("use std::{process as p};"), ["process"]);
        assert_eq!(whats("fn f() { std::r#process::exit(0) }"), ["process"]);
        assert_eq!(whats("macro_rules! m { () => { unsafe { } } }"), ["unsafe"]);
        assert_eq!(
            whats("const S: &str = include_str!(\"/etc/passwd\");"),
            ["include_str"]
        );
        assert_eq!(
            whats("fn f() { std::panic::set_hook(Box::new(|_| {})); }"),
            ["set_hook"]
        );
        assert_eq!(whats("#[path = \"/x.rs\"] mod x;"), ["#[path]"]);
        assert_eq!(whats("#![no_mangle]"), ["#[no_mangle]"]);
    }

    #[test]
    fn ordinary_exercise_code_and_words_in_strings_or_comments_pass() {
        let src = "use crate::sync::{Arc, Mutex};\n/// process the queue, then exit\n\
                   fn f() { let s = \"unsafe process\"; // include_str\n let _ = s; }";
        assert_eq!(whats(src), Vec::<String>::new());
    }

    #[test]
    fn a_file_that_is_not_rust_tokens_says_where() {
        let err = check(Path::new("x.rs"), "fn f() {\n  \"open").expect_err("does not lex");
        assert!(err.starts_with("x.rs:2:"), "{err}");
    }

    #[test]
    fn the_import_rule_is_reported_too() {
        assert_eq!(whats("use std::sync::Mutex;"), ["std::sync::Mutex"]);
    }
}
