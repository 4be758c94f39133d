//! Terminal output: plain text (no full-screen UI), progress bars, and the line endings
//! `watch` needs while the terminal reads single keys.

use std::io::Write;

/// Where a command's text goes. In raw mode (`watch` reading single keys) the terminal
/// no longer turns `\n` into a new line *at the left margin*, so `\r\n` is written instead.
pub struct Out {
    raw: bool,
}

impl Out {
    pub fn plain() -> Out {
        Out { raw: false }
    }

    pub fn raw() -> Out {
        Out { raw: true }
    }

    /// Prints `text` and a line break, and flushes.
    pub fn say(&self, text: &str) {
        // anstream drops the colours where they are not wanted (see `paint`).
        let mut stdout = anstream::AutoStream::auto(std::io::stdout()).lock();
        let text = if self.raw {
            format!("{text}\n").replace('\n', "\r\n")
        } else {
            format!("{text}\n")
        };
        // A closed stdout (the learner piped us into `head`) is not worth a panic.
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Starts a fresh screen: clears the terminal and goes to its top left corner. Only in
    /// a terminal (raw mode); in a pipe, each screen simply follows the previous one.
    pub fn clear(&self) {
        if self.raw {
            let mut stdout = std::io::stdout().lock();
            let _ = crossterm::execute!(
                stdout,
                crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
                crossterm::terminal::Clear(crossterm::terminal::ClearType::Purge),
                crossterm::cursor::MoveTo(0, 0)
            );
        }
    }
}

/// The terminal's height when stdout is a terminal: what a screen must fit in.
pub fn rows() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(_, rows)| usize::from(rows))
}

/// `[########------------]  40%` for `done` out of `total`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {percent:>3}%",
        "#".repeat(filled),
        "-".repeat(width - filled)
    )
}

/// `path` relative to `root` when it is inside it, for messages.
pub fn shorten(root: &std::path::Path, text: &str) -> String {
    let prefix = format!("{}/", root.display());
    text.replace(&prefix, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(0, 4, 8), "[--------]   0%");
        assert_eq!(bar(1, 4, 8), "[##------]  25%");
        assert_eq!(bar(4, 4, 8), "[########] 100%");
        assert_eq!(bar(0, 0, 4), "[----]   0%");
    }
}
