// corpus: an edited build script that would run at compile time (never taken)
fn main() {
    let _ = std::fs::write("/tmp/threadwork-corpus-canary/pwned", "build.rs ran");
}
