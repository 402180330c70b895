//! Writing the files a command writes, never damaging what was there: atomically, through
//! links to the file they name, keeping a replaced file's mode; devices and pipes in place;
//! an interrupted run's temporary files removed.

use std::path::{Path, PathBuf};

use qualify::diagnostics::Code;

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

/// Writes a new file at its own name, for files that must never replace anything (generated
/// test cases, kept for review): a temporary file beside the name, synced, then linked to
/// the name only if nothing is there, not even a symbolic link, which is never written
/// through. Fails with [`std::io::ErrorKind::AlreadyExists`] when something is.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = folder_of(path);
    let (mut file, temp) = Temporary::create(&folder, None)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    temp.persist_new(path)?;
    sync_folder(&folder);
    Ok(())
}

/// The folder that holds `path` (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Syncs `folder`, so that a name just put in it survives a crash; a folder that cannot be
/// opened for it is left as it is.
fn sync_folder(folder: &Path) {
    if let Ok(folder) = std::fs::File::open(folder) {
        let _ = folder.sync_all();
    }
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
        let folder = folder_of(&target);
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
        if sync == Sync::ToDisk {
            sync_folder(&replacing.folder);
        }
        Ok(())
    }
}

impl std::io::Write for OutputFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn write_vectored(&mut self, pieces: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        self.file.write_vectored(pieces)
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

    /// Gives the file the name `target` when nothing has that name; otherwise the file is
    /// removed and the error says the name is taken.
    fn persist_new(mut self, target: &Path) -> std::io::Result<()> {
        let mut known = temporaries();
        let Some(path) = self.0.take() else {
            return Ok(());
        };
        forget(&mut known, &path);
        // On failure the error holds the temporary path, which removes the file as it drops.
        path.persist_noclobber(target).map_err(|e| e.error)
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
