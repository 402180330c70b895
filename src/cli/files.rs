//! Finding, reading and writing the files named on the command line: only regular files are
//! read, never more than one byte past the size limit; a folder walk visits each file once;
//! a write is atomic and keeps the mode of the file it replaces.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use qualify::diagnostics::{Code, Diagnostic};

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
                self.list(root, path);
                return;
            }
        };
        let Ok(canonical) = std::fs::canonicalize(&path) else {
            return;
        };
        if !canonical.starts_with(canonical_root)
            || !self.seen.insert(Identity::of(&canonical, &meta))
        {
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
            use std::os::unix::fs::MetadataExt;
            let stdin = std::io::stdin();
            let handle = stdin.as_fd().try_clone_to_owned().ok()?;
            let meta = std::fs::File::from(handle).metadata().ok()?;
            meta.is_file()
                .then(|| FileIdentity((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
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

/// A path as shown to people: forward slashes, as given.
pub fn display_name(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// An I/O error's message without the OS error number.
pub fn reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
        None => text,
    }
}

/// Writes a file the user named, never damaging what was there: through symbolic links to
/// the file they name, a temporary file in that file's folder, with the mode of the file it
/// replaces (or the mode a new file gets), synced, then renamed over it, and the folder
/// synced. Anything there that is not a regular file is refused, and so is a file the user
/// may not write.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = OutputFile::start(path, Special::Refuse)?;
    file.write_all(bytes)?;
    file.commit(Sync::ToDisk)
}

/// Writes a file at its own name in a folder the run writes into (a notice among
/// thousands): a temporary file beside the name, renamed over it, so that a symbolic link
/// found at the name is replaced by the file, never written through. Only the rename is
/// waited for, as [`Sync::RenameOnly`] says: a crash may leave the file as it was, but
/// never half written.
pub fn write_at_name(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => None,
        found => replaced_permissions(path, found)?,
    };
    let mut file = OutputFile::replacing(path.to_path_buf(), existing)?;
    file.write_all(bytes)?;
    file.commit(Sync::RenameOnly)
}

/// A file the user named as output, being written: a temporary file that replaces it when
/// committed, or the device or pipe it names, written in place.
pub struct OutputFile {
    file: std::fs::File,
    replacing: Option<Replacing>,
}

/// The temporary file, the file it replaces and that file's folder.
struct Replacing {
    temp: Temporary,
    target: PathBuf,
    folder: PathBuf,
}

/// What an output path that names neither a regular file nor nothing may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// Nothing else: it is refused (a file the user will read back as rules or applicant).
    Refuse,
    /// A character device or a pipe (`/dev/null`, `/dev/stderr`, a FIFO), written in place,
    /// since it cannot be replaced; an open file named by its descriptor (`/dev/fd/3`),
    /// written in place at its end; any other kind of file is refused.
    DevicesAndPipes,
}

/// Whether committing syncs the file and its folder to disk first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sync {
    ToDisk,
    /// The rename alone: for a large output, whose old contents the rename still keeps whole
    /// until the new ones are complete.
    RenameOnly,
}

impl OutputFile {
    /// Starts writing `path`, following symbolic links to the file they name: a temporary
    /// file in that file's folder, with the mode of the file it replaces (or the mode a new
    /// file gets).
    pub fn start(path: &Path, special: Special) -> std::io::Result<OutputFile> {
        if special == Special::DevicesAndPipes
            && let Some(file) = open_in_place(path)?
        {
            return Ok(OutputFile {
                file,
                replacing: None,
            });
        }
        let target = follow_links(path)?;
        let existing = replaced_permissions(&target, std::fs::metadata(&target))?;
        OutputFile::replacing(target, existing)
    }

    /// A temporary file beside `target` that will replace it, with `existing`, the mode of
    /// the file it replaces (none for a new file).
    fn replacing(
        target: PathBuf,
        existing: Option<std::fs::Permissions>,
    ) -> std::io::Result<OutputFile> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (file, temp) = Temporary::create(&folder, existing)?;
        Ok(OutputFile {
            file,
            replacing: Some(Replacing {
                temp,
                target,
                folder,
            }),
        })
    }

    /// Puts the written file in place of the one named; until then, and if this is never
    /// called, the file named is as it was.
    pub fn commit(self, sync: Sync) -> std::io::Result<()> {
        let Some(replacing) = self.replacing else {
            return Ok(());
        };
        if sync == Sync::ToDisk {
            self.file.sync_all()?;
        }
        drop(self.file);
        replacing.temp.persist(&replacing.target)?;
        if sync == Sync::ToDisk
            && let Ok(folder) = std::fs::File::open(&replacing.folder)
        {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl std::io::Write for OutputFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The mode of the file at `target` that a new file will replace, as `found` describes it;
/// none when there is none. A file the user may not write is kept, and so is anything that
/// is not a regular file.
fn replaced_permissions(
    target: &Path,
    found: std::io::Result<std::fs::Metadata>,
) -> std::io::Result<Option<std::fs::Permissions>> {
    match found {
        Ok(meta) if meta.is_file() => {
            refuse_unwritable(target, &meta)?;
            Ok(Some(meta.permissions()))
        }
        Ok(_) => Err(std::io::Error::other(format!(
            "not a regular file ({})",
            Code::NotARegularFile
        ))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Refuses to replace the regular file at `target` when the user may not write it: the
/// rename that replaces a file needs only the folder to be writable, and would pass over
/// the file's mode and owner. Whether it may be written is asked of the system, by opening
/// it for writing (without truncating it, nor waiting should it have become a pipe), since
/// its mode alone does not say it for a file owned by someone else.
fn refuse_unwritable(target: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    if meta.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only (make it writable to replace it)",
        ));
    }
    match open_for_writing(target) {
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is not writable by you (make it writable to replace it)",
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn open_for_writing(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_writing(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open(path)
}

/// The device or pipe `path` names, opened to be written in place (the system follows the
/// links, so that `/dev/fd/3` reaches the pipe it stands for), or the open file it names by
/// its descriptor, opened to be written at its end; none for anything else.
fn open_in_place(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    let descriptor = names_a_descriptor(path);
    let mut options = std::fs::OpenOptions::new();
    if is_device_or_pipe(&meta) {
        options.write(true);
    } else if meta.is_file() && descriptor {
        // A file the shell opened (`3>> log`) is added to, as a write to the descriptor would.
        options.append(true);
    } else {
        return Ok(None);
    }
    let file = options.open(path)?;
    let opened = file.metadata()?;
    if is_device_or_pipe(&opened) || (opened.is_file() && descriptor) {
        Ok(Some(file))
    } else {
        // Replaced since it was looked at: written like any other path.
        Ok(None)
    }
}

/// Whether `path`, through its links, is an entry of this process's folder of open files
/// (`/dev/fd/1`, `/dev/stdout`, `/proc/self/fd/1`): such a link names no path that can be
/// replaced (`pipe:[1234]`), and stands for the file already open.
#[cfg(unix)]
fn names_a_descriptor(path: &Path) -> bool {
    let Ok(descriptors) = std::fs::canonicalize("/dev/fd") else {
        return false;
    };
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let in_descriptors = current
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .and_then(|parent| std::fs::canonicalize(parent).ok())
            .is_some_and(|parent| parent == descriptors);
        if in_descriptors {
            return true;
        }
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => match std::fs::read_link(&current) {
                Ok(target) => {
                    current = match current.parent() {
                        Some(parent) if target.is_relative() => parent.join(target),
                        _ => target,
                    };
                }
                Err(_) => return false,
            },
            _ => return false,
        }
    }
    false
}

#[cfg(not(unix))]
fn names_a_descriptor(_path: &Path) -> bool {
    false
}

/// Whether `path` names this process's standard output: `-`, or `/dev/stdout`,
/// `/dev/fd/1` or `/proc/self/fd/1` as written, which mean it whatever it is (a pipe, or a
/// file the shell adds to with `>>`).
pub fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|name| path.as_os_str() == *name)
}

/// The temporary files being written, removed by [`abandon`] when a run is interrupted.
static TEMPORARIES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn temporaries() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temporary file being written, known to [`abandon`] from the moment it exists until it
/// is renamed into place or removed.
struct Temporary(Option<tempfile::TempPath>);

impl Temporary {
    /// A new hidden file in `folder`, with `existing` (the mode of the file it will replace)
    /// or the mode a new file gets.
    fn create(
        folder: &Path,
        existing: Option<std::fs::Permissions>,
    ) -> std::io::Result<(std::fs::File, Temporary)> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".qualify-");
        if let Some(permissions) = existing.clone().or_else(new_file_permissions) {
            builder.permissions(permissions);
        }
        // Known before it exists: an interrupt between the two would leave it behind.
        let mut known = temporaries();
        let temp = builder.tempfile_in(folder)?;
        let (file, path) = temp.into_parts();
        known.push(path.to_path_buf());
        drop(known);
        let temp = Temporary(Some(path));
        if let Some(permissions) = existing {
            // The mode given at creation is narrowed by the umask; the old file's is kept whole.
            file.set_permissions(permissions)?;
        }
        Ok((file, temp))
    }

    /// Renames the file over `target`.
    fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let mut known = temporaries();
        let Some(path) = self.0.take() else {
            return Ok(());
        };
        forget(&mut known, &path);
        path.persist(target).map_err(|e| e.error)
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let mut known = temporaries();
            forget(&mut known, &path);
            // Removes the file.
            drop(path);
        }
    }
}

fn forget(known: &mut Vec<PathBuf>, path: &Path) {
    known.retain(|p| p != path);
}

/// Ends a run interrupted by a signal: removes every temporary file being written, so that
/// each file named as output is left as it was, calls `report`, and exits with `status`.
/// A file that is being renamed into place is finished first; none is started after.
pub fn abandon(report: impl FnOnce(), status: u8) -> ! {
    let mut known = temporaries();
    for path in known.drain(..) {
        let _ = std::fs::remove_file(&path);
    }
    report();
    std::process::exit(i32::from(status))
}

#[cfg(unix)]
fn is_device_or_pipe(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    kind.is_char_device() || kind.is_fifo()
}

#[cfg(not(unix))]
fn is_device_or_pipe(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Links followed when writing before the path is taken to be a loop.
const MAX_LINKS: usize = 40;

/// The file `path` names once every symbolic link is followed (it need not exist yet).
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// What a new file gets: read and write for all, narrowed by the umask as for any new file.
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o666))
}

/// Elsewhere a new file gets the system's default.
#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn refusal(mode: u32) -> Option<String> {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.csv");
        std::fs::write(&path, "kept\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        refuse_unwritable(&path, &meta)
            .err()
            .map(|error| error.to_string())
    }

    #[test]
    fn a_file_is_replaced_only_when_the_user_may_write_it() {
        assert_eq!(refusal(0o644), None);
        assert_eq!(refusal(0o600), None);
        assert!(refusal(0o444).unwrap().contains("read-only"));
        // Writable by its group but not by its owner: its mode alone does not say that the
        // user may not write it. Root may write anything.
        let folder = tempfile::tempdir().unwrap();
        let closed = folder.path().join("closed");
        std::fs::write(&closed, "").unwrap();
        std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
        let privileged = std::fs::OpenOptions::new()
            .write(true)
            .open(&closed)
            .is_ok();
        let refused = refusal(0o464);
        if privileged {
            assert_eq!(refused, None);
        } else {
            assert!(refused.unwrap().contains("not writable by you"));
        }
    }
}
