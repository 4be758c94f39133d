// corpus: an "edited test" that would pass anything
#[test]
fn everything_is_fine() {}
