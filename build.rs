//! Embeds the starter library (`replies/`) in the binary, so a new user has
//! replies with no set-up and `reply init` can copy them out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let replies = root.join("replies");
    println!("cargo:rerun-if-changed={}", replies.display());
    let mut files = Vec::new();
    collect(&replies, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The starter library: (path inside `replies/`, contents).\npub static STARTER: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&replies).expect("under replies/");
        writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            rel.to_string_lossy().replace('\\', "/"),
            file.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("starter.rs");
    std::fs::write(out, code).expect("write starter.rs");
}
