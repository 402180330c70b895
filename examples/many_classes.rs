//! Writes the large generated rule set of the scale benchmarks to a folder, for timing the
//! whole `qualify` process on it: `many_classes FOLDER COUNT` writes COUNT K9099-shaped
//! classes (a thousand to a file) with the shipped profiles and K9099's vocabulary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/many_classes.rs"]
mod many_classes;

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = std::path::PathBuf::from(args.next().expect("usage: many_classes FOLDER COUNT"));
    let count: usize = args
        .next()
        .expect("usage: many_classes FOLDER COUNT")
        .parse()
        .expect("COUNT is a number");
    std::fs::create_dir_all(&folder).unwrap();
    for input in many_classes::k9099_classes(count) {
        std::fs::write(folder.join(&input.name), input.bytes).unwrap();
    }
}
