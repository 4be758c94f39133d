//! Includes `exercises/share/*.rs` (or `solutions/share/*.rs`) and checks the import rule.
fn main() {
    catalog::wiring::wire_topic();
}
