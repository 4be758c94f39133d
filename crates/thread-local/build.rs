//! Includes `exercises/thread-local/*.rs` (or `solutions/thread-local/*.rs`) and checks the
//! import rule.
fn main() {
    catalog::wiring::wire_topic();
}
