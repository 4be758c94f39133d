//! `threadwork reset <exercise> [--yes]`: puts the original stub back. Asks first (unless
//! `--yes`), refuses when it cannot ask, and keeps the learner's version next to the file as
//! `NN_name.rs.orig` (then `.2.orig`, `.3.orig`...; `*.orig` is git-ignored).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog::Catalog;

use super::invocation::command;
use super::state::{State, all_exercise_paths, relative_path};
use catalog::stubs::Stubs;

pub fn reset(catalog: &Catalog, name: &str, yes: bool) -> Result<()> {
    let (topic, ex) = super::find_exercise(catalog, name)?;
    let root = &catalog.root;
    let rel = relative_path(topic, ex);
    let path = root.join(&rel);
    let stubs = Stubs::load(root, &all_exercise_paths(catalog));
    let original = stubs.original(root, &rel)?;
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(original.as_slice()) {
        println!("{rel} is already the original stub: nothing to reset.");
        return Ok(());
    }
    let backup = current.as_ref().map(|_| free_backup_path(&path));
    if let Some(backup) = &backup {
        let shown = backup.strip_prefix(root).unwrap_or(backup).display();
        if !yes {
            if !std::io::stdin().is_terminal() {
                bail!(
                    "not resetting {rel}: it would replace your version, and there is no terminal \
                     to ask you. Run `{}` (your version will be kept as {shown}).",
                    command(&format!("reset {} --yes", ex.name))
                );
            }
            if !confirm(&format!(
                "Replace {rel} with the original stub? Your version will be kept as {shown}. [y/N] "
            ))? {
                println!("Nothing changed.");
                return Ok(());
            }
        }
        std::fs::copy(&path, backup)
            .with_context(|| format!("cannot keep a backup of {rel} as {shown}"))?;
        println!("Your version of {rel} is kept as {shown}.");
    }
    std::fs::write(&path, &original).with_context(|| format!("cannot write {rel}"))?;
    let mut state = State::load(root);
    state.forget_check(&ex.name);
    state.save();
    println!("{rel} is the original stub again.");
    Ok(())
}

/// `<file>.orig`, or `<file>.2.orig`, `<file>.3.orig`... whichever does not exist yet.
fn free_backup_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (1..)
        .map(|n| match n {
            1 => path.with_file_name(format!("{name}.orig")),
            n => path.with_file_name(format!("{name}.{n}.orig")),
        })
        .find(|p| !p.exists())
        .expect("some backup name is free")
}

fn confirm(question: &str) -> Result<bool> {
    print!("{question}");
    std::io::stdout().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read your answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
