//! The file access a session needs, behind a trait: the command-line shell implements it over
//! the real file system, tests and benchmarks over memory.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One entry of a folder listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// A file found below a folder: the path to open, and its path inside the folder,
/// `/`-separated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleFilePath {
    pub path: PathBuf,
    pub inside: String,
}

/// Folders nested deeper than this are not searched.
const MAX_FOLDER_DEPTH: usize = 32;

/// File access for a session. Paths are used as the user typed them.
pub trait Files {
    /// The content of a regular file. A reader may stop one byte past the largest file the
    /// session accepts (the session refuses such a file), and refuses pipes and devices.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Writes a file so that it is either fully replaced or left as it was. A symbolic link
    /// is written through to the file it names, and a file replaced keeps its mode.
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// The entries of a folder, in any order.
    fn list(&self, dir: &Path) -> io::Result<Vec<DirEntry>>;
    /// Whether `path` names a folder.
    fn is_dir(&self, path: &Path) -> bool;

    /// Every file at or below folder `dir` whose extension is `extension`, in any order, each
    /// once. This default walks [`Files::list`]; the disk follows a symbolic link only inside
    /// `dir`, as `qualify eval` does, so that both read the same rule files.
    fn files_below(&self, dir: &Path, extension: &str) -> io::Result<Vec<RuleFilePath>> {
        let mut found = Vec::new();
        let mut folders = vec![(dir.to_path_buf(), String::new(), 0)];
        while let Some((folder, inside, depth)) = folders.pop() {
            if depth > MAX_FOLDER_DEPTH {
                return Err(io::Error::other(format!(
                    "folders nested too deeply at `{}`",
                    folder.display()
                )));
            }
            let entries = self.list(&folder).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot read folder `{}`: {e}", folder.display()),
                )
            })?;
            // Hidden entries (`.git`, an editor's `.#k9099.qual`) are passed over, as the
            // command line's folder walk passes over them.
            for entry in entries.into_iter().filter(|e| !e.name.starts_with('.')) {
                let path = folder.join(&entry.name);
                let inside = if inside.is_empty() {
                    entry.name.clone()
                } else {
                    format!("{inside}/{}", entry.name)
                };
                if entry.is_dir {
                    folders.push((path, inside, depth + 1));
                } else if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case(extension))
                {
                    found.push(RuleFilePath { path, inside });
                }
            }
        }
        Ok(found)
    }
}

/// Files held in memory, for tests and benchmarks. Clones share the same files.
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles {
    files: Arc<Mutex<BTreeMap<PathBuf, Vec<u8>>>>,
}

impl MemoryFiles {
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(path.into(), bytes.into());
        }
    }

    /// The content of a file, if present.
    pub fn get(&self, path: &Path) -> Option<Vec<u8>> {
        self.files.lock().ok()?.get(path).cloned()
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("no such file: {}", path.display()),
    )
}

impl Files for MemoryFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.get(path).ok_or_else(|| not_found(path))
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.insert(path, bytes);
        Ok(())
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<DirEntry>> {
        let dir = if dir == Path::new(".") {
            Path::new("")
        } else {
            dir
        };
        let files = self
            .files
            .lock()
            .map_err(|_| io::Error::other("file table unavailable"))?;
        let mut entries: Vec<DirEntry> = Vec::new();
        for path in files.keys() {
            let Ok(rest) = path.strip_prefix(dir) else {
                continue;
            };
            let mut parts = rest.components();
            let Some(first) = parts.next() else { continue };
            let entry = DirEntry {
                name: first.as_os_str().to_string_lossy().into_owned(),
                is_dir: parts.next().is_some(),
            };
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
        if entries.is_empty() {
            return Err(not_found(dir));
        }
        Ok(entries)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.files
            .lock()
            .map(|files| files.keys().any(|p| p != path && p.starts_with(path)))
            .unwrap_or(false)
    }
}
