//! Colour for the learner's screens: green for what passes, red for what fails, bold for
//! headings. The styles are written into the text; [`super::term::Out`] prints through
//! `anstream`, which drops them wherever colour is not wanted: NO_COLOR, CLICOLOR=0, a pipe
//! or a file, TERM=dumb (and keeps them for CLICOLOR_FORCE).

use anstyle::{AnsiColor, Style};

const PASS: Style = AnsiColor::Green.on_default();
const FAIL: Style = AnsiColor::Red.on_default();
const HEADING: Style = Style::new().bold();

pub fn pass(text: &str) -> String {
    paint(PASS, text)
}

pub fn fail(text: &str) -> String {
    paint(FAIL, text)
}

pub fn heading(text: &str) -> String {
    paint(HEADING, text)
}

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_wrap_the_text_and_reset_after_it() {
        assert_eq!(pass("ok"), "\u{1b}[32mok\u{1b}[0m");
        assert_eq!(heading("lock"), "\u{1b}[1mlock\u{1b}[0m");
    }
}
