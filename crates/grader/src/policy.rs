//! What a submitted exercise file may not contain, checked before it is compiled: keywords
//! and attributes on every token (macro bodies included), the std items it names on
//! resolved paths ([`paths`]).
//!
//! The tests run in the same process as the student's code, so that code could end the
//! process with status 0 before an assertion fails, or patch the test harness. No exercise
//! needs any of the tools for that, so a file that names one is not compiled: it is graded
//! like a compile error (the exercise scores 0, the rest of the topic is graded) and the
//! report says what, where and why. The course's import rule ([`catalog::guard`]) is
//! checked here too, so its message reaches the student's report.
//!
//! Student files are hostile input to a recursive parser: nesting is bounded before
//! parsing ([`MAX_NESTING`]) and the check runs on a thread with a known stack.

mod paths;

use std::path::Path;
use std::str::FromStr;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Keywords a submission may not use anywhere (macro bodies included), and why. Keywords,
/// not names: `r#unsafe` is an identifier like any other. What a file may not *name* is
/// decided on resolved paths ([`paths`]).
const FORBIDDEN_KEYWORDS: &[(&str, &str)] = &[
    (
        "unsafe",
        "`unsafe` code can bypass every check; no exercise needs it",
    ),
    (
        "extern",
        "`extern` items link to outside code; no exercise needs them",
    ),
];

/// Lints a submission may not name anywhere (so neither `#[allow(..)]` nor a macro that
/// writes one can switch them off), and why.
const FORBIDDEN_LINTS: &[(&str, &str)] = &[(
    "long_running_const_eval",
    "allowing rustc's limit on constant evaluation lets compilation run forever; no exercise \
     needs it",
)];

/// Brackets nested deeper than this are refused before the file is parsed: parsing is
/// recursive, and a few KiB of `((((...))))` would otherwise overflow the grader's stack
/// and end the whole class run. No exercise needs a tenth of it.
pub const MAX_NESTING: usize = 256;
/// The parse runs on its own thread with this stack, so even [`MAX_NESTING`] levels of
/// syn's recursion (large frames in debug builds) stay far inside it.
const CHECK_STACK_BYTES: usize = 256 << 20;

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
/// that is not Rust (a compile error, said in the learner's terms). Runs on a thread with a
/// known stack, so no file can crash the grader: if the check itself fails, only this file
/// is refused, saying so.
pub fn check(shown: &Path, source: &str) -> Result<Vec<Violation>, String> {
    let (owned_shown, owned_source) = (shown.to_path_buf(), source.to_string());
    let checked = std::thread::Builder::new()
        .name("policy check".into())
        .stack_size(CHECK_STACK_BYTES)
        .spawn(move || check_here(&owned_shown, &owned_source))
        .map_err(|e| format!("the grader could not start checking this file: {e}"))?
        .join();
    checked.unwrap_or_else(|_| {
        Ok(vec![Violation {
            line: 1,
            column: 1,
            what: "the whole file".into(),
            why: "the grader could not check this file against the submission policy (its \
                  parser failed), so it was not compiled"
                .into(),
        }])
    })
}

fn check_here(shown: &Path, source: &str) -> Result<Vec<Violation>, String> {
    let tokens = match TokenStream::from_str(source) {
        Ok(tokens) => tokens,
        Err(e) => {
            let start = e.span().start();
            return Err(format!(
                "{}:{}:{}: the file is not valid Rust from here on: an unbalanced bracket, or \
                 an unterminated string, character or comment?",
                shown.display(),
                start.line,
                start.column + 1
            ));
        }
    };
    if let Some(deep) = too_deep(tokens.clone()) {
        return Ok(vec![deep]);
    }
    let file = syn::parse_file(source).map_err(|e| {
        let start = e.span().start();
        format!(
            "{}:{}:{}: {e}",
            shown.display(),
            start.line,
            start.column + 1
        )
    })?;
    let mut found = Vec::new();
    scan(tokens, &mut found);
    found.extend(paths::check(&file));
    for v in catalog::guard::check_source(shown, source) {
        found.push(Violation {
            line: v.line,
            column: v.column,
            what: v.written.clone(),
            why: format!(
                "bypasses {}; write `{}` instead (the course's import rule)",
                v.bypassed(),
                v.fix
            ),
        });
    }
    found.sort_by_key(|v| (v.line, v.column));
    found.dedup();
    Ok(found)
}

/// The first bracket nested deeper than [`MAX_NESTING`], found without recursion.
fn too_deep(tokens: TokenStream) -> Option<Violation> {
    let mut open = vec![tokens.into_iter()];
    while let Some(level) = open.last_mut() {
        match level.next() {
            Some(TokenTree::Group(g)) => {
                if open.len() >= MAX_NESTING {
                    let start = g.span_open().start();
                    return Some(Violation {
                        line: start.line,
                        column: start.column + 1,
                        what: "nesting".into(),
                        why: format!(
                            "brackets are nested more than {MAX_NESTING} deep here; the \
                             grader does not parse deeper (no exercise needs it): split the \
                             expression into smaller ones"
                        ),
                    });
                }
                open.push(g.stream().into_iter());
            }
            Some(_) => {}
            None => {
                open.pop();
            }
        }
    }
    None
}

fn scan(tokens: TokenStream, found: &mut Vec<Violation>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                if let Some((_, why)) = FORBIDDEN_KEYWORDS.iter().find(|(f, _)| *f == name) {
                    push(found, ident.span(), &name, why);
                }
                let unraw = name.strip_prefix("r#").unwrap_or(&name);
                if let Some((lint, why)) = FORBIDDEN_LINTS.iter().find(|(f, _)| *f == unraw) {
                    push(found, ident.span(), lint, why);
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
                    check_attribute(g.stream(), found);
                }
            }
            TokenTree::Group(g) => scan(g.stream(), found),
            _ => {}
        }
    }
}

/// One attribute's tokens (`path = "x"`, `cfg_attr(pred, a, b(..))`). The attributes a
/// `cfg_attr` applies are checked like written ones, nested `cfg_attr`s too:
/// `#[cfg_attr(all(), path = "x")]` is a `#[path]`.
fn check_attribute(tokens: TokenStream, found: &mut Vec<Violation>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let Some(TokenTree::Ident(attr)) = trees.first() else {
        return;
    };
    let name = attr.to_string();
    if let Some((_, why)) = FORBIDDEN_ATTRIBUTES.iter().find(|(f, _)| *f == name) {
        push(found, attr.span(), &format!("#[{name}]"), why);
    }
    if name != "cfg_attr" {
        return;
    }
    let Some(TokenTree::Group(args)) = trees.get(1) else {
        return;
    };
    // Split on top-level commas; the first part is the condition.
    let mut parts: Vec<TokenStream> = vec![TokenStream::new()];
    for tree in args.stream() {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(TokenStream::new()),
            _ => parts
                .last_mut()
                .into_iter()
                .for_each(|p| p.extend([tree.clone()])),
        }
    }
    for applied in parts.into_iter().skip(1) {
        check_attribute(applied, found);
    }
}

fn push(found: &mut Vec<Violation>, span: Span, what: &str, why: &str) {
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
        assert_eq!(
            whats("fn f() { std::process::exit(0) }"),
            ["std::process::exit"]
        );
        assert_eq!(
            whats("fn f() { ::std::process::exit(0) }"),
            ["std::process::exit"]
        );
        assert_eq!(whats("use std::{process as p};"), ["std::process"]);
        assert_eq!(
            whats("fn f() { std::r#process::exit(0) }"),
            ["std::process::exit"]
        );
        assert_eq!(whats("macro_rules! m { () => { unsafe { } } }"), ["unsafe"]);
        assert_eq!(
            whats("fn f() { println!(\"{}\", ::std::process::id()); }"),
            ["std::process::id"]
        );
        assert_eq!(
            whats("const S: &str = include_str!(\"/etc/passwd\");"),
            ["include_str"]
        );
        assert_eq!(
            whats("fn f() { std::panic::set_hook(Box::new(|_| {})); }"),
            ["std::panic::set_hook"]
        );
        assert_eq!(whats("#[path = \"/x.rs\"] mod x;"), ["#[path]"]);
        assert_eq!(whats("#![no_mangle]"), ["#[no_mangle]"]);
    }

    #[test]
    fn aliases_and_globs_are_resolved() {
        let src = "use std::panic as p;\nfn f() { p::set_hook(Box::new(|_| {})); }";
        assert_eq!(whats(src), ["p::set_hook"]);
        let src = "use std::panic;\nuse panic::take_hook as th;\nfn f() { let _ = th(); }";
        assert_eq!(whats(src), ["panic::take_hook", "th"]);
        assert_eq!(whats("use std::panic::*;"), ["std::panic::*"]);
        let src = "use std::panic::{self};\nfn f() { panic::set_hook(Box::new(|_| {})); }";
        assert_eq!(whats(src), ["panic::set_hook"]);
        let src = "use std::panic;\nmod m { fn f() { super::panic::set_hook(Box::new(|_| {})); } }";
        assert_eq!(whats(src), ["super::panic::set_hook"]);
    }

    #[test]
    fn paths_built_in_macros_are_refused() {
        let src = "macro_rules! m { ($x:ident) => { std::$x::exit(0) } }";
        assert_eq!(whats(src), ["$"]);
        let src = "macro_rules! m { ($x:ident) => { $x::process::exit(0) } }";
        assert_eq!(whats(src), ["$"]);
    }

    #[test]
    fn a_helper_named_like_a_std_module_is_the_students_own() {
        let src = "fn process(job: u32) -> u32 { job * 2 }\n\
                   mod process_queue { pub fn take_hook() {} }\n\
                   fn run() { let _ = process(1); let _ = vec![process(2)]; \
                   process_queue::take_hook(); let r#unsafe = 1; let _ = r#unsafe; }";
        assert_eq!(whats(src), Vec::<String>::new());
    }

    #[test]
    fn cfg_attr_cannot_smuggle_a_forbidden_attribute() {
        assert_eq!(
            whats("#[cfg_attr(all(), path = \"/x.rs\")] mod x;"),
            ["#[path]"]
        );
        assert_eq!(
            whats("#[cfg_attr(all(), allow(dead_code), cfg_attr(any(), no_mangle))] fn f() {}"),
            ["#[no_mangle]"]
        );
        assert_eq!(
            whats("#[cfg_attr(feature = \"path\", allow(dead_code))] fn f() {}"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_lint_that_stops_endless_const_evaluation_cannot_be_switched_off() {
        let lint = ["long_running_const_eval"];
        assert_eq!(
            whats("#[allow(long_running_const_eval)] const X: u8 = 1;"),
            lint
        );
        assert_eq!(whats("#![expect(r#long_running_const_eval)]"), lint);
        assert_eq!(
            whats("#[cfg_attr(all(), warn(long_running_const_eval))] const X: u8 = 1;"),
            lint
        );
        // A macro that writes the attribute still names the lint.
        assert_eq!(
            whats(
                "macro_rules! m { ($l:ident) => { #[allow($l)] const X: u8 = 1; } }\n\
                 m!(long_running_const_eval);"
            ),
            lint
        );
        assert!(whats("#[allow(dead_code, clippy::all)] const X: u8 = 1;").is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        for depth in [700, 100_000] {
            let src = format!(
                "pub fn f() -> u32 {{ {}1{} }}",
                "(".repeat(depth),
                ")".repeat(depth)
            );
            assert_eq!(whats(&src), ["nesting"], "{depth} levels");
        }
        let ok = format!(
            "pub fn f() -> u32 {{ {}1{} }}",
            "(".repeat(200),
            ")".repeat(200)
        );
        assert_eq!(whats(&ok), Vec::<String>::new(), "200 levels are parsed");
    }

    #[test]
    fn a_file_that_is_not_rust_tokens_says_where() {
        let err = check(Path::new("x.rs"), "fn f() {\n  \"open").expect_err("does not lex");
        assert!(err.starts_with("x.rs:2:"), "{err}");
    }

    #[test]
    fn every_stub_and_solution_of_the_course_passes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let catalog = catalog::Catalog::load(&root).expect("the course's catalogue");
        for topic in &catalog.topics {
            for ex in &topic.exercises {
                for solution in [false, true] {
                    let path = catalog.source_path(topic, ex, solution);
                    let text = std::fs::read_to_string(&path).expect("exercise file");
                    let found = check(&path, &text).expect("parses");
                    assert!(found.is_empty(), "{}: {found:?}", path.display());
                }
            }
        }
    }

    #[test]
    fn the_import_rule_is_reported_too() {
        assert_eq!(whats("use std::sync::Mutex;"), ["std::sync::Mutex"]);
    }
}
