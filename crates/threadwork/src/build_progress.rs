//! What cargo is compiling, on one line of the learner's terminal, while a check builds.
//! The first check of a topic compiles its dependencies (minutes on a small machine);
//! without this, the learner would stare at "Checking ..." wondering whether it hangs.
//!
//! cargo draws its own progress bar only on a terminal, and a check reads cargo's stderr
//! through a pipe, so cargo is asked to draw it anyway (`CARGO_TERM_PROGRESS_WHEN=always`)
//! and its `Building [==>  ] n/m: names` updates are redrawn here, on stderr. Only when
//! stderr is a terminal: in a pipe, nothing changes.

use std::io::{IsTerminal, Write};

/// The terminal's width is not known in raw mode's line discipline; 80 always fits.
const WIDTH: usize = 79;

pub struct BuildProgress {
    topic: String,
    /// Whether something other than the topic itself was compiled: its first check.
    said_first_time: bool,
    drawn: bool,
}

impl BuildProgress {
    /// `None` when stderr is not a terminal.
    pub fn for_terminal(topic: &str) -> Option<BuildProgress> {
        std::io::stderr().is_terminal().then(|| BuildProgress {
            topic: topic.to_string(),
            said_first_time: false,
            drawn: false,
        })
    }

    /// What to set on cargo so that it reports progress through a pipe.
    pub const ENV: [(&'static str, &'static str); 2] = [
        ("CARGO_TERM_PROGRESS_WHEN", "always"),
        ("CARGO_TERM_PROGRESS_WIDTH", "80"),
    ];

    /// Takes one piece of cargo's stderr (split at `\r` and `\n`); returns whether it was
    /// progress (and so is no part of cargo's messages).
    pub fn take(&mut self, piece: &str) -> bool {
        let trimmed = piece.trim();
        if let Some(compiling) = trimmed.strip_prefix("Compiling ") {
            let name = compiling.split_whitespace().next().unwrap_or_default();
            if name != self.topic && !self.said_first_time {
                self.said_first_time = true;
                self.clear();
                eprint!("{}\r\n", first_time_note(&self.topic));
            }
            return false;
        }
        let Some(status) = progress_status(trimmed) else {
            return false;
        };
        let mut stderr = std::io::stderr().lock();
        let line: String = format!("  compiling {status}")
            .chars()
            .take(WIDTH)
            .collect();
        let _ = write!(stderr, "\r{line}\x1b[K");
        let _ = stderr.flush();
        self.drawn = true;
        true
    }

    /// Removes the progress line (the build is over).
    pub fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
    }
}

fn first_time_note(topic: &str) -> String {
    format!(
        "  First check of `{topic}`: its dependencies are compiled, this time only (a few \
         minutes); later checks take seconds."
    )
}

/// `12/58: loom, syn` from cargo's `    Building [======>    ] 12/58: loom, syn    `.
fn progress_status(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Building [")?;
    let (_, status) = rest.split_once("] ")?;
    let (count, names) = status.split_once(": ").unwrap_or((status, ""));
    let (done, total) = count.split_once('/')?;
    Some(format!(
        "{} of {} steps: {}",
        done.trim(),
        total.trim(),
        names.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargos_progress_bar_reads_as_n_of_m_and_what_compiles() {
        assert_eq!(
            progress_status("Building [==========>      ] 12/58: loom, syn(build)").as_deref(),
            Some("12 of 58 steps: loom, syn(build)")
        );
        assert_eq!(
            progress_status("Compiling lock v0.1.0 (/w/crates/lock)"),
            None
        );
        assert_eq!(progress_status("error: could not compile `lock`"), None);
    }
}
