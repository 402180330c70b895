//! Finding and reading input files named on the command line.

use std::path::{Path, PathBuf};

/// The extension of rule files.
pub const RULE_EXTENSION: &str = "qual";

/// The extensions of applicant files.
pub const APPLICANT_EXTENSIONS: &[&str] = &["toml", "json"];

/// An I/O problem, reported with exit status 2.
#[derive(Debug)]
pub struct FileError(pub String);

/// Every file below `paths` whose extension is one of `extensions`, sorted, without repeats.
/// A path naming a file is taken whatever its extension.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, FileError> {
    let mut found = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| FileError(format!("cannot read `{}`: {}", path.display(), reason(&e))))?;
        if meta.is_dir() {
            walk(path, extensions, &mut found, 0)?;
        } else {
            found.push(path.clone());
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Each path in the order given, a folder replaced by the files below it whose extension is
/// one of `extensions`, sorted. A folder with no such file is an error; a path naming a
/// file is taken whatever its extension (reading it reports what is wrong with it).
pub fn expand(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, FileError> {
    let mut found = Vec::new();
    for path in paths {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            found.push(path.clone());
            continue;
        }
        let before = found.len();
        walk(path, extensions, &mut found, 0)?;
        if found.len() == before {
            let kinds: Vec<String> = extensions.iter().map(|e| format!("`.{e}`")).collect();
            return Err(FileError(format!(
                "no {} files in `{}`",
                kinds.join(" or "),
                path.display()
            )));
        }
    }
    Ok(found)
}

const MAX_FOLDER_DEPTH: usize = 32;

fn walk(
    dir: &Path,
    extensions: &[&str],
    found: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<(), FileError> {
    if depth > MAX_FOLDER_DEPTH {
        return Err(FileError(format!(
            "folders nested too deeply at `{}`",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        FileError(format!(
            "cannot read folder `{}`: {}",
            dir.display(),
            reason(&e)
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, extensions, found, depth + 1)?;
        } else if has_extension(&path, extensions) {
            found.push(path);
        }
    }
    Ok(())
}

pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path)
        .map_err(|e| FileError(format!("cannot read `{}`: {}", path.display(), reason(&e))))
}

/// A path as shown to people: forward slashes, as given.
pub fn display_name(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
        None => text,
    }
}
