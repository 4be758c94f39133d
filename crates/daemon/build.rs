//! Includes `exercises/daemon/*.rs` (or `solutions/daemon/*.rs`) and checks the import rule.
fn main() {
    catalog::wiring::wire_topic();
}
