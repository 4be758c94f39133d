//! Includes `exercises/as_completed/*.rs` (or `solutions/as_completed/*.rs`) and checks the
//! import rule.
fn main() {
    catalog::wiring::wire_topic();
}
