//! The policy's path rules: which items of std a submission may not name, decided on the
//! paths the file resolves to (syn), never on words. `fn process()` is the student's own
//! helper; `std::process::exit`, `::std::process`, `use std::process as p; p::exit` and
//! `use std::panic::*; set_hook` are std's, and refused.
//!
//! Resolution is by the file's `use` items (an alias or imported name stands for its full
//! path); paths from `crate`, `self` or `super` are the student's own. Paths inside macro
//! bodies are read from their tokens; a path built from a macro variable
//! (`std::$m::exit`, `$root::process`) cannot be resolved, so it is refused.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::visit::Visit;

use super::Violation;

/// Paths into std that a submission may not name (an item or anything below it), and why.
const FORBIDDEN_PATHS: &[(&[&str], &str)] = &[
    (
        &["std", "process"],
        "`std::process` can end or replace the test process (exit, abort, exec), which would skip the test's checks",
    ),
    (
        &["support", "worker", "for_tests"],
        "it makes a worker of any program; an exercise starts only the worker its test gives it",
    ),
    (
        &["std", "os", "unix", "process"],
        "`CommandExt::exec` replaces the test process with another program, which would skip the test's checks",
    ),
    (
        &["std", "os", "linux", "process"],
        "the Linux process extensions (pidfd) reach outside the test process",
    ),
    (
        &["std", "panic", "set_hook"],
        "panic hooks can hide a failing assertion from the test harness",
    ),
    (
        &["std", "panic", "take_hook"],
        "panic hooks can hide a failing assertion from the test harness",
    ),
    (
        &["std", "panic", "update_hook"],
        "panic hooks can hide a failing assertion from the test harness",
    ),
    (&["std", "arch"], "inline assembly is not allowed"),
    (&["core", "arch"], "inline assembly is not allowed"),
    (
        &["std", "include"],
        "`include!` reads files at compile time; submissions are one file",
    ),
    (
        &["std", "include_str"],
        "`include_str!` reads files at compile time; submissions are one file",
    ),
    (
        &["std", "include_bytes"],
        "`include_bytes!` reads files at compile time; submissions are one file",
    ),
    (
        &["core", "include"],
        "`include!` reads files at compile time; submissions are one file",
    ),
    (
        &["core", "include_str"],
        "`include_str!` reads files at compile time; submissions are one file",
    ),
    (
        &["core", "include_bytes"],
        "`include_bytes!` reads files at compile time; submissions are one file",
    ),
];

/// Macros of std's prelude that a bare name (`include_str!`) resolves to.
const PRELUDE_MACROS: &[&str] = &["include", "include_str", "include_bytes"];

const UNRESOLVABLE: &str = "a path built from a macro variable cannot be checked against the \
                            submission policy; write the path out";

/// Checks every path of a parsed file.
pub fn check(file: &syn::File) -> Vec<Violation> {
    let mut imports = Imports::default();
    imports.visit_file(file);
    imports.resolve_chains();
    let mut finder = Finder {
        imports: &imports,
        found: Vec::new(),
    };
    finder.visit_file(file);
    for (module, span) in &imports.globs {
        if let Some(why) = forbidden_glob(module) {
            finder.push(*span, &format!("{}::*", module.join("::")), why);
        }
    }
    finder.found
}

fn name(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The std item a full path names, if a submission may not name it, and why.
fn forbidden(path: &[String]) -> Option<&'static str> {
    FORBIDDEN_PATHS.iter().find_map(|(prefix, why)| {
        (path.len() >= prefix.len() && path.iter().zip(prefix.iter()).all(|(a, b)| a == b))
            .then_some(*why)
    })
}

/// A glob import of a module that holds a forbidden item brings it in by its bare name.
fn forbidden_glob(module: &[String]) -> Option<&'static str> {
    forbidden(module).or_else(|| {
        FORBIDDEN_PATHS.iter().find_map(|(prefix, why)| {
            (prefix.len() > module.len() && module.iter().zip(prefix.iter()).all(|(a, b)| a == b))
                .then_some(*why)
        })
    })
}

/// Local names the file's `use` items bind, to the full paths they stand for.
#[derive(Default)]
struct Imports {
    names: BTreeMap<String, Vec<String>>,
    /// Modules imported with `::*`, where their use item is.
    globs: Vec<(Vec<String>, Span)>,
}

impl Imports {
    fn add_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(name(&p.ident));
                self.add_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.bind(prefix, &n.ident, &n.ident),
            syn::UseTree::Rename(r) => self.bind(prefix, &r.ident, &r.rename),
            syn::UseTree::Glob(g) => self.globs.push((prefix.clone(), g.star_token.span)),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.add_tree(tree, prefix);
                }
            }
        }
    }

    /// `use a::b;` binds `b`, `use a::b as c;` binds `c`, `use a::{self as c}` binds `c`
    /// to `a`.
    fn bind(&mut self, prefix: &[String], item: &syn::Ident, local: &syn::Ident) {
        let mut full = prefix.to_vec();
        if name(item) != "self" {
            full.push(name(item));
        }
        // `use std::panic::{self};` binds `panic`.
        let local = match name(local) {
            own if own == "self" => full.last().cloned().unwrap_or(own),
            other => other,
        };
        if local != "_" && !full.is_empty() {
            self.names.insert(local, full);
        }
    }

    /// `use std::panic; use panic::set_hook as h;`: an import may start from another.
    fn resolve_chains(&mut self) {
        for _ in 0..self.names.len().min(16) {
            let snapshot = self.names.clone();
            for path in self.names.values_mut() {
                let mut resolved = resolve(&snapshot, path);
                std::mem::swap(path, &mut resolved);
            }
            if snapshot == self.names {
                break;
            }
        }
        let names = self.names.clone();
        for (module, _) in &mut self.globs {
            *module = resolve(&names, module);
        }
    }
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
        self.add_tree(tree, &mut Vec::new());
    }
}

/// The full path a written path stands for: its first segment through the imports.
/// `self::` and `super::` are dropped first (the imports are the whole file's, so
/// `super::panic::set_hook` is still found); `crate::` paths are the course's own.
fn resolve(names: &BTreeMap<String, Vec<String>>, path: &[String]) -> Vec<String> {
    let start = path
        .iter()
        .take_while(|s| *s == "self" || *s == "super")
        .count();
    let path = &path[start..];
    match path.split_first() {
        Some((first, rest)) if names.get(first).is_some_and(|full| full != path) => {
            names[first].iter().chain(rest).cloned().collect()
        }
        _ => path.to_vec(),
    }
}

struct Finder<'a> {
    imports: &'a Imports,
    found: Vec<Violation>,
}

impl Finder<'_> {
    fn judge(&mut self, written: &[String], span: Span) {
        let full = resolve(&self.imports.names, written);
        if let Some(why) = forbidden(&full) {
            self.push(span, &written.join("::"), why);
        }
    }

    fn judge_macro(&mut self, written: &[String], span: Span) {
        let full = resolve(&self.imports.names, written);
        match full.as_slice() {
            [only] if PRELUDE_MACROS.contains(&only.as_str()) => {
                let with_std = ["std".to_string(), only.clone()];
                if let Some(why) = forbidden(&with_std) {
                    self.push(span, only, why);
                }
            }
            _ => self.judge(written, span),
        }
    }

    fn push(&mut self, span: Span, what: &str, why: &str) {
        let start = span.start();
        self.found.push(Violation {
            line: start.line,
            column: start.column + 1,
            what: what.to_string(),
            why: why.to_string(),
        });
    }

    /// Paths in a macro's tokens: `a :: b :: c` runs, and `name !` calls.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.scan_tokens(g.stream()),
                TokenTree::Punct(p) if p.as_char() == '$' => {
                    // `$var::x` (a path rooted at a macro variable) or `x::$var`.
                    let is_crate =
                        matches!(trees.get(i + 1), Some(TokenTree::Ident(v)) if v == "crate");
                    if !is_crate
                        && (is_path_sep(&trees, i + 2) || (i >= 2 && is_path_sep(&trees, i - 2)))
                    {
                        self.push(p.span(), "$", UNRESOLVABLE);
                    }
                }
                TokenTree::Ident(start) if !continues_path(&trees, i) => {
                    let (segments, next) = path_at(&trees, i);
                    if matches!(trees.get(next), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                        self.judge_macro(&segments, start.span());
                    } else {
                        self.judge(&segments, start.span());
                    }
                    i = next;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// Whether the identifier `trees[i]` is a later segment of a path (`a::b`, not `::std`).
fn continues_path(trees: &[TokenTree], i: usize) -> bool {
    i >= 3 && is_path_sep(trees, i - 2) && matches!(trees[i - 3], TokenTree::Ident(_))
}

/// Whether `trees[i..]` starts with `::`.
fn is_path_sep(trees: &[TokenTree], i: usize) -> bool {
    matches!(
        (trees.get(i), trees.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// The path `a :: b :: c` starting at the identifier `trees[i]`, and the index after it.
fn path_at(trees: &[TokenTree], mut i: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    while let Some(TokenTree::Ident(id)) = trees.get(i) {
        segments.push(name(id));
        if is_path_sep(trees, i + 1) {
            i += 3;
        } else {
            i += 1;
            break;
        }
    }
    (segments, i)
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| name(&s.ident)).collect();
        let span = path
            .segments
            .first()
            .map_or_else(Span::call_site, |s| s.ident.span());
        self.judge(&segments, span);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.judge_use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let segments: Vec<String> = mac.path.segments.iter().map(|s| name(&s.ident)).collect();
        let span = mac
            .path
            .segments
            .first()
            .map_or_else(Span::call_site, |s| s.ident.span());
        self.judge_macro(&segments, span);
        self.scan_tokens(mac.tokens.clone());
    }
}

impl Finder<'_> {
    fn judge_use_leaf(&mut self, prefix: &[(String, Span)], item: &syn::Ident) {
        let mut written: Vec<String> = prefix.iter().map(|(s, _)| s.clone()).collect();
        if name(item) != "self" {
            written.push(name(item));
        }
        let span = prefix.first().map_or(item.span(), |(_, s)| *s);
        self.judge(&written, span);
    }

    fn judge_use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<(String, Span)>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push((name(&p.ident), p.ident.span()));
                self.judge_use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.judge_use_leaf(prefix, &n.ident),
            syn::UseTree::Rename(r) => self.judge_use_leaf(prefix, &r.ident),
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.judge_use_tree(tree, prefix);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn whats(src: &str) -> Vec<String> {
        super::super::check(Path::new("x.rs"), src)
            .expect("lexes")
            .into_iter()
            .map(|v| v.what)
            .collect()
    }

    #[test]
    fn the_unix_and_linux_process_extensions_are_refused() {
        assert_eq!(
            whats("use std::os::unix::process::CommandExt;"),
            ["std::os::unix::process::CommandExt"]
        );
        assert_eq!(
            whats("fn f(c: &mut C) { std::os::unix::process::CommandExt::exec(c); }"),
            ["std::os::unix::process::CommandExt::exec"]
        );
        assert_eq!(
            whats("use std::os::unix::{process as p};"),
            ["std::os::unix::process"]
        );
        assert_eq!(whats("use std::os::unix::*;"), ["std::os::unix::*"]);
        assert_eq!(
            whats("use std::os::linux::process::ChildExt;"),
            ["std::os::linux::process::ChildExt"]
        );
        // The rest of std::os stays allowed.
        assert_eq!(
            whats("use std::os::unix::ffi::OsStrExt;"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_exercise_cannot_make_a_worker_of_its_own() {
        assert_eq!(
            whats("fn f() { support::worker::for_tests::worker(\"/bin/sh\"); }"),
            ["support::worker::for_tests::worker"]
        );
        assert_eq!(whats("use support::worker::*;"), ["support::worker::*"]);
        assert_eq!(whats("use crate::process::Worker;"), Vec::<String>::new());
    }

    /// `worker_processes` starts processes through the course's `crate::process::Worker`,
    /// never naming `std::process`: its reference solution passes the policy.
    #[test]
    fn the_worker_processes_solution_passes_the_policy() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../solutions/spawn/06_worker_processes.rs");
        let source = std::fs::read_to_string(&file).expect("the reference solution");
        assert_eq!(
            super::super::check(&file, &source).expect("lexes"),
            [],
            "the solution breaks the policy"
        );
    }
}
