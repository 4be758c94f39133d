//! Finds the course workspace and loads its catalogue.

use std::path::{Path, PathBuf};

use crate::Catalog;
use anyhow::{Context, Result, bail};

/// The workspace root: the nearest ancestor of the current directory that has both a
/// `Cargo.toml` and an `exercises/` folder.
pub fn root() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    match cwd.ancestors().find(|dir| is_root(dir)) {
        Some(dir) => Ok(dir.to_path_buf()),
        None => bail!(
            "{} is not inside a threadwork course (no folder above it has Cargo.toml and \
             exercises/). cd into your copy of the course and run the command again.",
            cwd.display()
        ),
    }
}

fn is_root(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file() && dir.join(crate::info::EXERCISES_DIR).is_dir()
}

pub fn load_catalog() -> Result<Catalog> {
    let root = root()?;
    Catalog::load(&root).context("the course metadata is broken; fix the file named above")
}
