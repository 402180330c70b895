//! Where `qualify screen` writes: stdout or the `--output` file, and the notices' folder;
//! a failed write is a coded error naming the file.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Stop, files, usage};

/// Where the output goes: stdout, or the `--output` file (written atomically, or in place
/// when it is a device or a pipe); and the notices' folder.
pub(super) struct Sink {
    out: Output,
    notices: Option<PathBuf>,
    broken_pipe: bool,
}

enum Output {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// Unbuffered: each batch is handed to the system in one call, its records not copied.
    File {
        file: files::OutputFile,
        path: PathBuf,
    },
}

/// Standard output is written in pieces of this size.
const OUTPUT_BUFFER_BYTES: usize = 1 << 16;

impl Sink {
    pub(super) fn new(output: Option<&Path>, notices: Option<PathBuf>) -> Result<Sink, Stop> {
        let out = match output {
            None => Output::Stdout(std::io::BufWriter::with_capacity(
                OUTPUT_BUFFER_BYTES,
                std::io::stdout(),
            )),
            Some(path) => {
                let file = files::OutputFile::start(path, files::Special::DevicesAndPipes)
                    .map_err(|e| cannot_write(path, &e))?;
                Output::File {
                    file,
                    path: path.to_path_buf(),
                }
            }
        };
        Ok(Sink {
            out,
            notices,
            broken_pipe: false,
        })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        self.write_pieces(&[bytes])
    }

    /// Writes `pieces` one after another; many pieces are handed to the system together,
    /// without being copied into the buffer first.
    pub(super) fn write_pieces(&mut self, pieces: &[&[u8]]) -> Result<(), Stop> {
        if self.broken_pipe {
            return Ok(());
        }
        let written = match &mut self.out {
            Output::Stdout(out) => write_all_pieces(out, pieces),
            Output::File { file, .. } => write_all_pieces(file, pieces),
        };
        match written {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.broken_pipe = true;
                Ok(())
            }
            Err(e) => Err(match &self.out {
                Output::File { path, .. } => cannot_write(path, &e),
                Output::Stdout(_) => {
                    usage(format!("cannot write the output: {}", files::reason(&e)))
                }
            }),
        }
    }

    pub(super) fn notice(&self, notice: &qualify::screen::notice::Notice) -> Result<(), Stop> {
        let Some(folder) = &self.notices else {
            return Ok(());
        };
        for (extension, text) in [("txt", &notice.text), ("html", &notice.html)] {
            let path = folder.join(format!("{}.{extension}", notice.stem));
            // A link found at the name is replaced, never written through. A run writes its
            // notices again whenever asked; syncing each of thousands to disk would cost a
            // pool of them minutes.
            files::write_at_name(&path, text.as_bytes()).map_err(|e| cannot_write(&path, &e))?;
        }
        Ok(())
    }

    /// Flushes the output and puts the `--output` file in place.
    pub(super) fn close(self) -> Result<(), Stop> {
        let failed =
            |e: &std::io::Error| usage(format!("cannot write the output: {}", files::reason(e)));
        match self.out {
            Output::Stdout(mut out) => match out.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(failed(&e)),
                _ => Ok(()),
            },
            Output::File { file, path } => file
                .commit(files::Sync::RenameOnly)
                .map_err(|e| cannot_write(&path, &e)),
        }
    }
}

/// Writes every byte of `pieces` in order: a buffered writer hands pieces larger than its
/// buffer to the system in one call, with a partial write resumed where it stopped.
fn write_all_pieces<W: Write>(out: &mut W, pieces: &[&[u8]]) -> std::io::Result<()> {
    let mut slices: Vec<std::io::IoSlice<'_>> = pieces
        .iter()
        .filter(|piece| !piece.is_empty())
        .map(|piece| std::io::IoSlice::new(piece))
        .collect();
    let mut rest = slices.as_mut_slice();
    while !rest.is_empty() {
        match out.write_vectored(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => std::io::IoSlice::advance_slices(&mut rest, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn cannot_write(path: &Path, error: &std::io::Error) -> Stop {
    usage(format!(
        "cannot write {}: {}",
        path.display(),
        files::reason(error)
    ))
}
