//! The import rule: an exercise file takes every concurrency primitive through the course's
//! facade (`crate::sync`, `crate::thread`, `crate::cell`, `crate::hint`), and the time
//! through `crate::time`, never from `std`, `core` or `alloc` directly.
//!
//! Why it matters: the tests compile the same file a second time with `crate::sync` = loom.
//! A `std::sync::Mutex` is invisible to loom, so the model checker would pass a race by luck
//! or hang on a deadlock instead of reporting it. And a test of a timeout drives the
//! course's clock: a `std::time::Instant` would not follow it.
//!
//! The file is parsed with `syn` (paths in `use` trees, expressions, types, patterns and
//! macro invocations) and the token streams inside macro calls are scanned too, so
//! `vec![std::sync::Mutex::new(0)]` is caught as well.

use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// Root crates whose concurrency modules must not be named directly.
const ROOTS: [&str; 3] = ["std", "core", "alloc"];
/// Modules of those roots that the facade replaces.
const FACADE_MODULES: [&str; 3] = ["sync", "thread", "cell"];
/// Macros at the root of std that the facade replaces (`std::thread_local!`).
const FACADE_MACROS: [&str; 1] = ["thread_local"];

/// One place where a file breaks the import rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The offending path as written, e.g. `std::sync::Mutex`.
    pub written: String,
    /// What to write instead, e.g. `crate::sync::Mutex`.
    pub fix: String,
}

impl Violation {
    /// What the path gets past: the model checker, or (for an `Instant`) the tests' clock.
    pub fn bypassed(&self) -> &'static str {
        if self.is_about_time() {
            "the tests' clock"
        } else {
            "the model checker"
        }
    }

    fn is_about_time(&self) -> bool {
        self.fix.starts_with("crate::time")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = if self.is_about_time() {
            "The course's clock is std's in your program and one the test drives in the \
             tests, so a test of a timeout need not wait for it."
        } else {
            "The course's facade is std in your program and loom in the tests, so loom can \
             see every lock and atomic you use."
        };
        write!(
            f,
            "{}:{}:{}: `{}` bypasses {}; write `{}` instead. {why}",
            self.file.display(),
            self.line,
            self.column,
            self.written,
            self.bypassed(),
            self.fix
        )
    }
}

/// Checks one source text; `file` is only used to name the place in the report.
/// A file that does not parse yields no violations: the compiler reports it better.
pub fn check_source(file: &Path, source: &str) -> Vec<Violation> {
    let Ok(ast) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut finder = Finder {
        file,
        found: Vec::new(),
        bare_macros: Vec::new(),
        imported_macros: Vec::new(),
    };
    finder.visit_file(&ast);
    finder.report_bare_macros();
    finder.found.sort_by_key(|v| (v.line, v.column));
    finder.found.dedup_by_key(|v| (v.line, v.column));
    finder.found
}

/// Reads and checks one file.
pub fn check_file(file: &Path) -> std::io::Result<Vec<Violation>> {
    Ok(check_source(file, &std::fs::read_to_string(file)?))
}

struct Finder<'a> {
    file: &'a Path,
    found: Vec<Violation>,
    /// `thread_local!` invoked without a path, with where.
    bare_macros: Vec<(String, proc_macro2::Span)>,
    /// Facade macros brought into scope with `use crate::thread::thread_local;`.
    imported_macros: Vec<String>,
}

impl Finder<'_> {
    /// A bare `thread_local!` is std's prelude macro unless the file imports the facade's:
    /// in the loom build it would then create values loom cannot see.
    fn report_bare_macros(&mut self) {
        for (name, span) in std::mem::take(&mut self.bare_macros) {
            if !self.imported_macros.contains(&name) {
                let start = span.start();
                self.found.push(Violation {
                    file: self.file.to_path_buf(),
                    line: start.line,
                    column: start.column + 1,
                    written: format!("{name}!"),
                    fix: format!("crate::thread::{name}! (or `use crate::thread::{name};`)"),
                });
            }
        }
    }

    fn judge(&mut self, segments: &[String], span: proc_macro2::Span) {
        if let Some(fix) = forbidden(segments) {
            let start = span.start();
            self.found.push(Violation {
                file: self.file.to_path_buf(),
                line: start.line,
                column: start.column + 1,
                written: segments.join("::"),
                fix,
            });
        }
    }

    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(g) => self.scan_tokens(g.stream()),
                TokenTree::Ident(root) if ROOTS.contains(&root.to_string().as_str()) => {
                    let segments = path_after(&trees[i..]);
                    self.judge(&segments, root.span());
                }
                _ => {}
            }
        }
    }
}

/// Reads `a :: b :: c` from a token slice starting at an identifier.
fn path_after(trees: &[TokenTree]) -> Vec<String> {
    let mut segments = Vec::new();
    let mut rest = trees;
    while let Some(TokenTree::Ident(id)) = rest.first() {
        segments.push(id.to_string());
        match rest {
            [_, TokenTree::Punct(a), TokenTree::Punct(b), tail @ ..]
                if a.as_char() == ':' && b.as_char() == ':' =>
            {
                rest = tail
            }
            _ => break,
        }
    }
    segments
}

/// `Some(fix)` when the path names a facade module of std/core/alloc or renames the root.
fn forbidden(segments: &[String]) -> Option<String> {
    let root = segments.first()?;
    if !ROOTS.contains(&root.as_str()) {
        return None;
    }
    let module = segments.get(1)?;
    let rest = segments[1..].join("::");
    if FACADE_MODULES.contains(&module.as_str()) {
        return Some(format!("crate::{rest}"));
    }
    if FACADE_MACROS.contains(&module.as_str()) {
        return Some(format!("crate::thread::{rest}"));
    }
    if module == "hint" && segments.get(2).is_some_and(|s| s == "spin_loop") {
        return Some("crate::hint::spin_loop".into());
    }
    // `Duration` is plain data; an `Instant` (or the module, which reaches it) is the clock.
    if module == "time" && segments.get(2).is_none_or(|s| s == "Instant") {
        return Some(format!("crate::{rest}"));
    }
    None
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let span = path
            .segments
            .first()
            .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
        self.judge(&segments, span);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.visit_use_tree_with(&item.tree, &mut prefix);
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        // `extern crate std as s;` would let `s::sync::Mutex` slip past the path check.
        if item.rename.is_some() && ROOTS.contains(&item.ident.to_string().as_str()) {
            self.found.push(renamed_root(self.file, &item.ident));
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(name) = mac.path.get_ident().map(ToString::to_string) {
            if FACADE_MACROS.contains(&name.as_str()) {
                self.bare_macros
                    .push((name, mac.path.segments[0].ident.span()));
            }
        }
        self.visit_path(&mac.path);
        self.scan_tokens(mac.tokens.clone());
    }
}

impl Finder<'_> {
    fn visit_use_tree_with(&mut self, tree: &syn::UseTree, prefix: &mut Vec<syn::Ident>) {
        let names = |prefix: &[syn::Ident], last: &syn::Ident| -> Vec<String> {
            prefix.iter().chain([last]).map(|i| i.to_string()).collect()
        };
        let span_of =
            |prefix: &[syn::Ident], last: &syn::Ident| prefix.first().unwrap_or(last).span();
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.clone());
                self.visit_use_tree_with(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let path = names(prefix, &n.ident);
                if path.len() == 3 && path[0] == "crate" && path[1] == "thread" {
                    self.imported_macros.push(path[2].clone());
                }
                self.judge(&path, span_of(prefix, &n.ident));
            }
            syn::UseTree::Rename(r) => {
                if prefix.is_empty() && ROOTS.contains(&r.ident.to_string().as_str()) {
                    self.found.push(renamed_root(self.file, &r.ident));
                } else {
                    self.judge(&names(prefix, &r.ident), span_of(prefix, &r.ident));
                }
            }
            syn::UseTree::Glob(g) => {
                let names: Vec<String> = prefix.iter().map(ToString::to_string).collect();
                let fix = match names.as_slice() {
                    // `use std::*;` brings `sync` and `thread` into scope unqualified.
                    [root] if ROOTS.contains(&root.as_str()) => {
                        Some("the specific items you need, e.g. `std::time::Duration`")
                    }
                    // `use std::time::*;` brings `Instant` into scope unqualified.
                    [root, time] if ROOTS.contains(&root.as_str()) && time == "time" => {
                        Some("crate::time::{Duration, Instant}")
                    }
                    _ => None,
                };
                if let Some(fix) = fix {
                    let start = prefix[0].span().start();
                    self.found.push(Violation {
                        file: self.file.to_path_buf(),
                        line: start.line,
                        column: start.column + 1,
                        written: format!("{}::*", names.join("::")),
                        fix: fix.into(),
                    });
                }
                let _ = g;
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.visit_use_tree_with(item, prefix);
                }
            }
        }
    }
}

fn renamed_root(file: &Path, ident: &syn::Ident) -> Violation {
    let start = ident.span().start();
    Violation {
        file: file.to_path_buf(),
        line: start.line,
        column: start.column + 1,
        written: format!("{ident} as ..."),
        fix: format!("`{ident}::...` paths without renaming `{ident}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn written(src: &str) -> Vec<String> {
        check_source(Path::new("x.rs"), src)
            .into_iter()
            .map(|v| v.written)
            .collect()
    }

    #[rstest]
    #[case::use_mutex("use std::sync::Mutex;", "std::sync::Mutex")]
    #[case::grouped("use std::{sync::{Arc, Mutex}};", "std::sync::Arc")]
    #[case::atomic(
        "use core::sync::atomic::AtomicUsize;",
        "core::sync::atomic::AtomicUsize"
    )]
    #[case::thread_expr("fn f() { std::thread::spawn(|| ()); }", "std::thread::spawn")]
    #[case::leading_colons("fn f() { ::std::thread::yield_now(); }", "std::thread::yield_now")]
    #[case::cell_type("struct S(std::cell::UnsafeCell<u8>);", "std::cell::UnsafeCell")]
    #[case::in_macro(
        "fn f() { let v = vec![std::sync::Mutex::new(0)]; }",
        "std::sync::Mutex::new"
    )]
    #[case::module("use std::sync;", "std::sync")]
    #[case::renamed_root("use std as s;", "std as ...")]
    #[case::glob("use std::*;", "std::*")]
    #[case::extern_crate("extern crate std as s;", "std as ...")]
    #[case::spin("fn f() { std::hint::spin_loop(); }", "std::hint::spin_loop")]
    #[case::std_thread_local("std::thread_local! { static X: u8 = 0; }", "std::thread_local")]
    #[case::bare_thread_local("thread_local! { static X: u8 = 0; }", "thread_local!")]
    #[case::instant("use std::time::{Duration, Instant};", "std::time::Instant")]
    #[case::instant_expr("fn f() { std::time::Instant::now(); }", "std::time::Instant::now")]
    #[case::time_module("use std::time;", "std::time")]
    #[case::time_glob("use std::time::*;", "std::time::*")]
    fn direct_primitives_are_reported(#[case] src: &str, #[case] expected: &str) {
        let found = written(src);
        assert_eq!(
            found.first().map(String::as_str),
            Some(expected),
            "{src}: {found:?}"
        );
    }

    #[rstest]
    #[case("use crate::sync::{Arc, Mutex};")]
    #[case("use std::time::Duration; use std::collections::VecDeque;")]
    #[case("use crate::time::{Duration, Instant};")]
    #[case("fn f() { crate::thread::spawn(|| ()); let _ = std::fmt::Error; }")]
    #[case("use crate::sync::atomic::{AtomicUsize, Ordering};")]
    #[case("fn f() { std::hint::black_box(1); }")]
    #[case("use crate::thread::thread_local; thread_local! { static X: u8 = 0; }")]
    #[case("crate::thread::thread_local! { static X: u8 = 0; }")]
    fn facade_and_other_std_paths_are_fine(#[case] src: &str) {
        assert_eq!(written(src), Vec::<String>::new(), "{src}");
    }

    #[test]
    fn report_names_file_line_and_fix() {
        let v = check_source(
            Path::new("exercises/lock/01_counter.rs"),
            "\n\nuse std::sync::Mutex;",
        );
        let text = v[0].to_string();
        assert!(
            text.starts_with("exercises/lock/01_counter.rs:3:5: `std::sync::Mutex`"),
            "{text}"
        );
        assert!(text.contains("write `crate::sync::Mutex`"), "{text}");
    }
}
