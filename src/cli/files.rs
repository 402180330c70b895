//! Finding, reading and writing the files named on the command line: only regular files are
//! read, never more than one byte past the size limit; a folder walk visits each file once;
//! a write is atomic and keeps the mode of the file it replaces.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use qualify::diagnostics::{Code, Diagnostic};

mod write;
pub use write::{
    OutputFile, Special, Sync, abandon, is_stdout, write_at_name, write_atomic, write_new,
};

/// The extension of rule files.
pub const RULE_EXTENSION: &str = "qual";

/// The extensions of applicant files.
pub const APPLICANT_EXTENSIONS: &[&str] = &["toml", "json"];

/// A usage or I/O problem, reported as a coded diagnostic with exit status 2.
#[derive(Debug)]
pub struct FileError {
    pub code: Code,
    pub message: String,
}

impl FileError {
    /// A problem with how the command was used, with its code.
    pub fn usage(code: Code, message: impl Into<String>) -> FileError {
        FileError {
            code,
            message: message.into(),
        }
    }

    /// A file or folder that could not be read, or output that could not be written (Q008).
    pub fn io(message: impl Into<String>) -> FileError {
        FileError::usage(Code::InputOutput, message)
    }

    /// The problem as a diagnostic that points into no file.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::without_source(self.code, self.message.clone())
    }
}

/// A file found below a path given on the command line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The path to open, starting with the path as given.
    pub path: PathBuf,
    /// The path relative to the folder given, `/`-separated; the file name when the path
    /// given names the file itself.
    pub relative: String,
}

/// Every file below `paths` whose extension is one of `extensions`, sorted by path, each
/// file once. A path naming a file is taken whatever its extension.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<Found>, FileError> {
    let mut walk = Walk::new(extensions);
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
        if meta.is_dir() {
            walk.folder(path)?;
        } else if walk.first_sight(path, &meta) {
            walk.found.push(Found {
                path: path.clone(),
                relative: file_name(path),
            });
        }
    }
    let mut found = walk.found;
    found.sort();
    found.dedup_by(|a, b| a.path == b.path);
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
        let mut walk = Walk::new(extensions);
        walk.folder(path)?;
        if walk.found.is_empty() {
            return Err(FileError::usage(
                Code::NoInputFiles,
                no_files_message(path, extensions),
            ));
        }
        walk.found.sort();
        found.extend(walk.found.into_iter().map(|f| f.path));
    }
    Ok(found)
}

/// `no `.toml` or `.json` files in `x``: a folder given without the files asked for.
pub fn no_files_message(folder: &Path, extensions: &[&str]) -> String {
    let kinds: Vec<String> = extensions.iter().map(|e| format!("`.{e}`")).collect();
    let kinds = match kinds.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("no {kinds} files in `{}`", folder.display())
}

const MAX_FOLDER_DEPTH: usize = 32;

/// One walk over folders: the files found, and the identity of every file and folder seen,
/// so that links reaching a file twice do not list it twice.
struct Walk<'a> {
    extensions: &'a [&'a str],
    found: Vec<Found>,
    seen: HashSet<Identity>,
}

/// A folder still to be read, at its depth below the root.
struct Pending {
    dir: PathBuf,
    depth: usize,
}

impl<'a> Walk<'a> {
    fn new(extensions: &'a [&'a str]) -> Walk<'a> {
        Walk {
            extensions,
            found: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Every matching file below `root`, each once. The folders themselves are walked first
    /// and symbolic links after, so that a file is known by its path without links when it
    /// has one; a link is followed only to a file or folder inside `root`.
    fn folder(&mut self, root: &Path) -> Result<(), FileError> {
        let canonical_root = std::fs::canonicalize(root).map_err(|e| cannot_read(root, &e))?;
        let meta = std::fs::metadata(root).map_err(|e| cannot_read(root, &e))?;
        if !self.seen.insert(Identity::of(&canonical_root, &meta)) {
            return Ok(());
        }
        let mut folders = vec![Pending {
            dir: root.to_path_buf(),
            depth: 0,
        }];
        let mut links = Vec::new();
        loop {
            if let Some(folder) = folders.pop() {
                let entries = self.entries(&folder)?;
                for (path, is_link) in entries.into_iter().rev() {
                    if is_link {
                        links.push((path, folder.depth + 1));
                    } else {
                        self.visit(root, &canonical_root, path, folder.depth + 1, &mut folders);
                    }
                }
            } else if !links.is_empty() {
                // Links in path order, each after every folder reachable without links.
                links.sort();
                for (path, depth) in std::mem::take(&mut links) {
                    self.visit(root, &canonical_root, path, depth, &mut folders);
                }
                folders.reverse();
            } else {
                return Ok(());
            }
        }
    }

    /// Whether the file at `path` is seen for the first time; it counts as seen from now on.
    fn first_sight(&mut self, path: &Path, meta: &std::fs::Metadata) -> bool {
        match std::fs::canonicalize(path) {
            Ok(canonical) => self.seen.insert(Identity::of(&canonical, meta)),
            Err(_) => true,
        }
    }

    /// The entries of a folder in path order, each with whether it is a symbolic link.
    fn entries(&self, folder: &Pending) -> Result<Vec<(PathBuf, bool)>, FileError> {
        if folder.depth > MAX_FOLDER_DEPTH {
            return Err(FileError::usage(
                Code::FoldersTooDeep,
                format!("folders nested too deeply at `{}`", folder.dir.display()),
            ));
        }
        let entries = std::fs::read_dir(&folder.dir).map_err(|e| {
            FileError::io(format!(
                "cannot read folder `{}`: {}",
                folder.dir.display(),
                reason(&e)
            ))
        })?;
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(Result::ok)
            .filter(|e| !is_hidden(&e.file_name()))
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// Lists a matching file or queues a folder, unless seen before or a link out of the root.
    /// A broken link is listed, so that reading it reports the problem.
    fn visit(
        &mut self,
        root: &Path,
        canonical_root: &Path,
        path: PathBuf,
        depth: usize,
        folders: &mut Vec<Pending>,
    ) {
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(_) => {
                // A link whose target is missing is still judged by where it leads.
                if leads_outside(&path, canonical_root) {
                    if has_extension(&path, self.extensions) {
                        link_not_followed(root, &path);
                    }
                } else {
                    self.list(root, path);
                }
                return;
            }
        };
        let Ok(canonical) = std::fs::canonicalize(&path) else {
            return;
        };
        if !canonical.starts_with(canonical_root) {
            if meta.is_dir() || has_extension(&path, self.extensions) {
                link_not_followed(root, &path);
            }
            return;
        }
        if !self.seen.insert(Identity::of(&canonical, &meta)) {
            return;
        }
        if meta.is_dir() {
            folders.push(Pending { dir: path, depth });
        } else {
            self.list(root, path);
        }
    }

    fn list(&mut self, root: &Path, path: PathBuf) {
        if has_extension(&path, self.extensions) {
            let relative = relative_name(&path, root);
            self.found.push(Found { path, relative });
        }
    }
}

/// Whether `path`, a link whose target cannot be opened, names a target outside
/// `canonical_root`: its target joined to the link's folder, with `.` and `..` taken
/// literally. A path that is no link, or a link into the root, is read (and its problem
/// reported) as any other file.
fn leads_outside(path: &Path, canonical_root: &Path) -> bool {
    let Ok(target) = std::fs::read_link(path) else {
        return false;
    };
    let Some(folder) = path.parent().and_then(|p| std::fs::canonicalize(p).ok()) else {
        return false;
    };
    let mut resolved = PathBuf::new();
    for part in folder.join(target).components() {
        match part {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            std::path::Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    !resolved.starts_with(canonical_root)
}

/// Says that the link at `path` is not followed: it leads outside `root`, the folder given,
/// and a walk reads only what lies inside it. A file it would have listed is then not read,
/// which must not go unsaid (a test file left out of a run that passes).
fn link_not_followed(root: &Path, path: &Path) {
    // A folder may be walked more than once in a run (for rules, then for applicants): each
    // link is reported once.
    static REPORTED: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let first = REPORTED
        .lock()
        .map_or(true, |mut reported| reported.insert(path.to_path_buf()));
    if !first {
        return;
    }
    let target = std::fs::read_link(path)
        .map(|t| format!(" (to `{}`)", t.display()))
        .unwrap_or_default();
    super::output::report_warning(&Diagnostic::without_source(
        Code::LinkOutsideFolder,
        format!(
            "`{}` is a link that leads outside `{}`{target}: not read; name it on the command line, or put the file inside the folder",
            path.display(),
            root.display()
        ),
    ));
}

/// Whether a folder entry is hidden (its name starts with `.`): version control's folders,
/// an editor's lock and backup files (`.#k9099.qual`). A folder walk passes over them; a
/// hidden file named on the command line is read.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// What makes a file the same file whatever the path to it: device and inode on Unix, the
/// canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl Identity {
    #[cfg(unix)]
    fn of(_canonical: &Path, meta: &std::fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity::Inode(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn of(canonical: &Path, _meta: &std::fs::Metadata) -> Identity {
        Identity::Path(canonical.to_path_buf())
    }
}

/// `path` relative to `root`, `/`-separated, without `.` parts.
fn relative_name(path: &Path, root: &Path) -> String {
    let rest = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rest
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| display_name(path), |n| n.to_string_lossy().into_owned())
}

pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a regular file, at most `limit + 1` bytes: the reader refuses anything longer, and
/// a file growing without end (or a huge sparse one) costs no more than the limit. Pipes,
/// devices, sockets and folders are refused before anything is read (Q007).
pub fn read(path: &Path, limit: usize) -> Result<Vec<u8>, FileError> {
    read_regular(path, limit).map_err(|failure| not_read(path, failure))
}

/// A failure to read `path` as the coded error it is.
fn not_read(path: &Path, failure: ReadFailure) -> FileError {
    match failure {
        ReadFailure::Io(error) => cannot_read(path, &error),
        ReadFailure::NotRegular(kind) => FileError::usage(
            Code::NotARegularFile,
            format!("`{}` is not a regular file: it is {kind}", path.display()),
        ),
    }
}

/// Why a file was not read.
pub enum ReadFailure {
    Io(std::io::Error),
    /// Not a regular file: what it is instead, in words.
    NotRegular(&'static str),
}

/// [`read`], with the failure as data.
pub fn read_regular(path: &Path, limit: usize) -> Result<Vec<u8>, ReadFailure> {
    let (file, len) = open_checked(path)?;
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let expected = usize::try_from(len.min(cap)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected);
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    Ok(bytes)
}

/// The SHA-256 of the whole regular file at `path`, read in pieces (never held whole), as
/// `sha256:` and hex: for an applicant file past the size limit, of which only the start
/// is kept, or one that is not read at all, so that its record still names its content.
pub fn whole_file_hash(path: &Path) -> Result<String, ReadFailure> {
    use sha2::Digest;
    let (mut file, _) = open_checked(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut piece = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => hasher.update(piece.get(..n).unwrap_or_default()),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(ReadFailure::Io(error)),
        }
    }
    Ok(qualify::screen::record::hash_text(hasher))
}

/// Opens `path` when it is a regular file, looking at it before opening it (so that a named
/// pipe is never opened) and at what was opened (the path may have been replaced between
/// the two looks); gives the file and its length.
fn open_checked(path: &Path) -> Result<(std::fs::File, u64), ReadFailure> {
    regular(&std::fs::metadata(path).map_err(ReadFailure::Io)?)?;
    let file = open_without_waiting(path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    regular(&meta)?;
    Ok((file, meta.len()))
}

/// Which existing file a path names, through symbolic links: its device and inode where
/// there are such, else its canonical path. Two paths name the same file when their
/// identities are equal; a path that names nothing has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileIdentity(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileIdentity {
    pub fn of(path: &Path) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(path).ok()?;
            Some(FileIdentity((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(FileIdentity)
        }
    }

    /// The regular file standard input reads (`< pool.jsonl`), if it is one.
    pub fn of_stdin() -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            Self::of_regular(std::io::stdin().as_fd())
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The regular file standard output writes to (`> out.jsonl`, `>> pool.jsonl`), if it is
    /// one.
    pub fn of_stdout() -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            Self::of_regular(std::io::stdout().as_fd())
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The regular file an open descriptor stands for, if it is one.
    #[cfg(unix)]
    fn of_regular(fd: std::os::fd::BorrowedFd<'_>) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let meta = metadata_of(fd)?;
        meta.is_file()
            .then(|| FileIdentity((meta.dev(), meta.ino())))
    }
}

/// What an open descriptor (standard input or output) stands for.
#[cfg(unix)]
fn metadata_of(fd: std::os::fd::BorrowedFd<'_>) -> Option<std::fs::Metadata> {
    let handle = fd.try_clone_to_owned().ok()?;
    std::fs::File::from(handle).metadata().ok()
}

/// Opens a regular file to read it as a stream (a JSON Lines pool, a file of records).
/// Pipes, devices, sockets and folders are refused before anything is read (Q007): a
/// device such as `/dev/zero` is one line without end, and a stream is given as `-`.
pub fn open_regular(path: &Path) -> Result<std::fs::File, FileError> {
    open_checked(path)
        .map(|(file, _)| file)
        .map_err(|failure| not_read(path, failure))
}

/// Refuses a path named as input that is neither a regular file nor a folder (a device, a
/// named pipe, a socket), before anything is read (Q007): `/dev/zero` would be read without
/// end, and a stream is given as `-`. A path that does not exist is left to the reader,
/// which names it.
pub fn refuse_special(path: &Path) -> Result<(), FileError> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            Err(not_read(path, ReadFailure::NotRegular(kind(&meta))))
        }
        _ => Ok(()),
    }
}

/// Refuses standard input when it is a device other than a terminal or `/dev/null`
/// (`< /dev/zero`, `< /dev/urandom`): such a device is read without end (Q007). A file or a
/// pipe on standard input is read as a stream.
pub fn refuse_endless_stdin() -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        use std::os::fd::AsFd;
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Ok(());
        }
        let Some(meta) = metadata_of(stdin.as_fd()) else {
            return Ok(());
        };
        let file_type = meta.file_type();
        let device = file_type.is_char_device() || file_type.is_block_device();
        let null = std::fs::metadata("/dev/null").is_ok_and(|null| null.rdev() == meta.rdev());
        if device && !null {
            return Err(FileError::usage(
                Code::NotARegularFile,
                "standard input is a device, which would be read without end: give a file, \
                 or a pipe, on standard input",
            ));
        }
    }
    Ok(())
}

/// Opens a script of statements: a regular file, or a pipe (`--script <(…)` names one),
/// read as a stream. A device, a folder or a socket is refused before anything is read
/// (Q007): `/dev/zero` would be read without end.
pub fn open_script(path: &Path) -> Result<std::fs::File, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    if !(meta.is_file() || is_pipe(&meta)) {
        return Err(not_read(path, ReadFailure::NotRegular(kind(&meta))));
    }
    std::fs::File::open(path).map_err(|e| cannot_read(path, &e))
}

#[cfg(unix)]
fn is_pipe(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Opens for reading without blocking: opening a named pipe otherwise waits for a writer.
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn regular(meta: &std::fs::Metadata) -> Result<(), ReadFailure> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(ReadFailure::NotRegular(kind(meta)))
    }
}

/// What a file that is not a regular file is, in words.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let file_type = meta.file_type();
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a file that can be read whole"
}

pub fn cannot_read(path: &Path, error: &std::io::Error) -> FileError {
    FileError::io(format!(
        "cannot read `{}`: {}",
        path.display(),
        reason(error)
    ))
}

/// A path as shown to people, as given: with forward slashes where the system separates
/// folders with `\`, and elsewhere whole, since there a `\` is part of a file's name.
pub fn display_name(path: &Path) -> String {
    qualify::source::path_shown(path)
}

/// An I/O error's message without the OS error number.
pub fn reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
        None => text,
    }
}
