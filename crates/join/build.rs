//! Includes `exercises/join/*.rs` (or `solutions/join/*.rs`) and checks the import rule.
fn main() {
    catalog::wiring::wire_topic();
}
