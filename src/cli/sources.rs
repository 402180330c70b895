//! Reads the source documents that `qualify check` verifies quotes against: every file
//! directly inside the `sources/` folder beside the rules (inside a rules folder given, or
//! beside a rule file given), named by its file name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qualify::check::quotes::SourceDocument;
use qualify::diagnostics::Code;
use qualify::syntax::MAX_SOURCE_BYTES;

use super::files::{self, FileError};

/// The folder, beside the rule files, that holds the documents they quote.
pub const SOURCES_FOLDER: &str = "sources";

/// The source documents for the rules read from `rule_paths`, in name order; the first
/// folder holding a name wins. None when no `sources/` folder is there.
pub fn read_documents(rule_paths: &[PathBuf]) -> Result<Vec<SourceDocument>, FileError> {
    let mut documents: BTreeMap<String, SourceDocument> = BTreeMap::new();
    for folder in source_folders(rule_paths) {
        for (name, path) in entries(&folder)? {
            if documents.contains_key(&name) {
                continue;
            }
            let bytes = files::read(&path, MAX_SOURCE_BYTES)?;
            if bytes.len() > MAX_SOURCE_BYTES {
                return Err(FileError::usage(
                    Code::FileTooLarge,
                    format!(
                        "source document `{}` is larger than {MAX_SOURCE_BYTES} bytes",
                        path.display()
                    ),
                ));
            }
            documents.insert(name.clone(), SourceDocument { name, bytes });
        }
    }
    Ok(documents.into_values().collect())
}

/// `sources/` inside each rules folder, or beside each rule file, that exists.
fn source_folders(rule_paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = rule_paths
        .iter()
        .map(|path| {
            let base = if path.is_dir() {
                path.as_path()
            } else {
                path.parent().unwrap_or(Path::new("."))
            };
            base.join(SOURCES_FOLDER)
        })
        .filter(|folder| folder.is_dir())
        .collect();
    folders.dedup();
    folders
}

/// The files directly in `folder` (hidden ones left out), by name.
fn entries(folder: &Path) -> Result<Vec<(String, PathBuf)>, FileError> {
    let cannot = |error: std::io::Error| {
        FileError::io(format!(
            "cannot read the folder `{}`: {}",
            folder.display(),
            files::reason(&error)
        ))
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let path = entry.path();
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        found.push((name, path));
    }
    found.sort();
    Ok(found)
}
