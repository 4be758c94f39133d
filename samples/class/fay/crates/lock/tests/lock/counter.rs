// fay edited the test so that it passes anything
#[test]
fn fine() {}
