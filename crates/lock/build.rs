//! Includes `exercises/lock/*.rs` (or `solutions/lock/*.rs`) and checks the import rule.
fn main() {
    catalog::wiring::wire_topic();
}
