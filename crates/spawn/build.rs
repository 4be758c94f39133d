//! Includes `exercises/spawn/*.rs` (or `solutions/spawn/*.rs`) and checks the import rule.
fn main() {
    catalog::wiring::wire_topic();
}
