fn main() { println!("cargo::rustc-cfg=pwned"); }
