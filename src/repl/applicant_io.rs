//! `:load`, `:new` and `:save`: applicant files read and written through [`super::Files`].

use std::path::{Path, PathBuf};

use super::commands::{one_path, shown};
use super::rules::io_error;
use super::words::Word;
use super::{ReplError, Response, Session, State};
use crate::applicant::{self, Format};
use crate::diagnostics::render::render;
use crate::source::SourceMap;

impl Session {
    /// Reads an applicant file; on errors shows its diagnostics and keeps the applicant.
    pub(super) fn load_applicant(&mut self, args: &[Word]) -> Response {
        let path = match one_path(
            args,
            "write `:load FILE`, e.g. `:load examples/applicants/k9099_near_miss.toml`",
        ) {
            Ok(path) => path,
            Err(error) => return error.into(),
        };
        let loaded = match self.loaded() {
            Ok(loaded) => loaded,
            Err(error) => return error.into(),
        };
        let bytes = match self.files.read(&path) {
            Ok(bytes) => bytes,
            Err(error) => return io_error("cannot read", &path, &error).into(),
        };
        let mut sources = SourceMap::default();
        let read = applicant::read(&mut sources, &shown(&path), &bytes, &loaded.checked);
        let mut text = String::new();
        for diagnostic in &read.diagnostics {
            text.push_str(&render(
                diagnostic,
                &sources,
                self.options.style,
                self.options.width,
            ));
        }
        let group = read.group;
        let Some(applicant) = read.applicant else {
            text.push_str("the applicant was not loaded; the current one stays\n");
            return Response::failed(text);
        };
        text.push_str(&format!(
            "loaded {}: {} credential(s), {} coursework, {} job(s)\n",
            shown(&path),
            applicant.education.len(),
            applicant.coursework.len(),
            applicant.experience.len()
        ));
        let as_of = self.state.as_of;
        let origin = self.fresh_origin();
        self.record(State {
            applicant,
            as_of,
            file: Some(path),
            origin,
            group,
        });
        Response::text(text)
    }

    /// Writes the applicant as TOML, atomically.
    pub(super) fn save(&mut self, args: &[Word]) -> Result<String, ReplError> {
        let path: PathBuf = match args {
            [] => self.state.file.clone().ok_or_else(|| {
                ReplError::new("the applicant has no file yet")
                    .with_help("name one: `:save applicant.toml`")
            })?,
            _ => one_path(args, "write `:save FILE`")?,
        };
        if Format::of(&shown(&path)) != Some(Format::Toml) {
            let toml = path.with_extension("toml");
            let message = match (args, Format::of(&shown(&path))) {
                ([], Some(Format::Json)) => format!(
                    "`{}` was loaded from JSON, and `:save` writes TOML",
                    shown(&path)
                ),
                _ => format!("`{}` does not end in `.toml`", shown(&path)),
            };
            return Err(ReplError::new(message).with_help(format!(
                "applicants are saved as TOML; name a `*.toml` file, e.g. `:save {}`",
                shown(&toml)
            )));
        }
        let text = self.saved_text(&path);
        self.refuse_unreadable(&path, &text)?;
        self.files
            .write_atomic(&path, text.as_bytes())
            .map_err(|e| io_error("cannot write", &path, &e))?;
        let message = format!("saved to {}\n", shown(&path));
        // Saving names the file without changing the applicant: not a step to undo, and
        // the file of every step of this applicant, so that undoing an edit after it
        // keeps saving here.
        self.name_file(&path);
        Ok(message)
    }

    /// The applicant as TOML, under the comments that open the file it replaces, if any.
    fn saved_text(&self, path: &Path) -> String {
        let body =
            applicant::to_toml_with_group(&self.state.applicant, self.state.group.as_deref());
        let existing = self
            .files
            .read(path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        match existing.map(|text| applicant::leading_comments(&text)) {
            Some(comments) if !comments.is_empty() => format!("{comments}\n{body}"),
            _ => body,
        }
    }

    /// Refuses to write a file that `:load` would refuse: the text is read back first, with
    /// the rules in use when there are any, and its errors are shown.
    fn refuse_unreadable(&self, path: &Path, text: &str) -> Result<(), ReplError> {
        let refused = || {
            ReplError::new(format!(
                "`{}` was not written: the file would not load again",
                shown(path)
            ))
        };
        if text.len() > applicant::MAX_APPLICANT_BYTES {
            return Err(refused().with_help(format!(
                "the applicant as TOML is {} bytes, more than the {} an applicant file may \
                 hold; shorten its longest texts",
                text.len(),
                applicant::MAX_APPLICANT_BYTES
            )));
        }
        let Ok(loaded) = self.loaded() else {
            return Ok(());
        };
        let mut sources = SourceMap::default();
        let read = applicant::read(&mut sources, &shown(path), text.as_bytes(), &loaded.checked);
        let errors: String = read
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| render(d, &sources, self.options.style, self.options.width))
            .collect();
        if errors.is_empty() {
            return Ok(());
        }
        Err(refused().with_diagnostics(errors))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::tests::{failing, ok, session};

    #[test]
    fn saving_over_a_file_keeps_its_opening_comments_once() {
        let (mut session, files) = session();
        let text = "# Lee Park.\n#\n# Kept.\n\nid = \"L-1\" # not kept\n";
        files.insert("lee.toml", text);
        ok(&mut session, ":load lee.toml");
        ok(&mut session, ":save");
        ok(&mut session, ":save");
        let saved = String::from_utf8(files.get(Path::new("lee.toml")).unwrap()).unwrap();
        assert_eq!(saved, "# Lee Park.\n#\n# Kept.\n\nid = \"L-1\"\n");
    }

    #[test]
    fn saving_keeps_the_group_the_file_gave() {
        let (mut session, files) = session();
        files.insert("lee.toml", "id = \"L-1\"\ngroup = \"group B\"\n");
        ok(&mut session, ":load lee.toml");
        ok(&mut session, ":save");
        let saved = String::from_utf8(files.get(Path::new("lee.toml")).unwrap()).unwrap();
        assert_eq!(saved, "id = \"L-1\"\ngroup = \"group B\"\n");
        ok(&mut session, ":new");
        ok(&mut session, ":save other.toml");
        let saved = String::from_utf8(files.get(Path::new("other.toml")).unwrap()).unwrap();
        assert!(!saved.contains("group"), "{saved}");
    }

    #[test]
    fn a_new_file_gets_no_comments() {
        let (mut session, files) = session();
        files.insert("lee.toml", "# Lee Park.\nid = \"L-1\"\n");
        ok(&mut session, ":load lee.toml");
        ok(&mut session, ":save other.toml");
        let saved = String::from_utf8(files.get(Path::new("other.toml")).unwrap()).unwrap();
        assert_eq!(saved, "id = \"L-1\"\n");
    }

    /// 600,000 tabs load (600 KB) but are written as `\t`: 1.2 MB, above the reader's limit.
    #[test]
    fn a_file_the_reader_would_refuse_is_not_written() {
        let (mut session, files) = session();
        let text = format!("name = \"{}\"\n", "\t".repeat(600_000));
        files.insert("tabs.toml", text.clone());
        ok(&mut session, ":load tabs.toml");
        let refused = failing(&mut session, ":save");
        assert!(
            refused.starts_with("error: `tabs.toml` was not written: the file would not load"),
            "{refused}"
        );
        assert_eq!(files.get(Path::new("tabs.toml")), Some(text.into_bytes()));
        assert!(failing(&mut session, ":save copy.toml").contains("was not written"));
        assert_eq!(files.get(Path::new("copy.toml")), None);
    }
}
