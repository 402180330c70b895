//! The layout of notes, labels and acknowledged warnings, wherever they stand: each note
//! and each `allow` on a line of its own, its strings aligned under the first, and a note's
//! `by` on the same line when the whole note fits there, else on the next line, indented.

use super::items::INDENT;
use super::layout::{Blank, Doc, Layout};
use crate::syntax::ast::*;

impl<'a> Layout<'a> {
    /// `note "text" by "authority"`.
    pub(super) fn note(&mut self, note: &'a Note) -> Doc<'a> {
        let Note {
            text,
            authority,
            span: _,
        } = note;
        let mut doc = self.text("note ").append(self.quoted(text));
        if let Some(authority) = authority {
            let line = self.soft_break_before(authority.span.start as usize);
            let by = self.inline_before(authority.span.start as usize);
            let authority = self.quoted(authority);
            doc = doc.append(line.append("by ").append(by).append(authority).nest(INDENT));
        }
        doc.group()
    }

    /// `allow Q202 "reason"`.
    pub(super) fn allow(&mut self, allow: &'a Allow) -> Doc<'a> {
        let Allow {
            code,
            reason,
            span: _,
        } = allow;
        let before_reason = self.inline_before(reason.span.start as usize);
        self.text("allow ")
            .append(self.name(code))
            .append(" ")
            .append(before_reason)
            .append(self.quoted(reason))
    }

    pub(super) fn annotation(&mut self, annotation: &'a Annotation) -> Doc<'a> {
        match annotation {
            Annotation::Note(note) => self.note(note),
            Annotation::Allow(allow) => self.allow(allow),
        }
    }

    /// Each annotation on a line of its own, at the current indentation: the lines between
    /// a tier's or substitution's citation and its `:`.
    pub(super) fn annotation_lines(&mut self, annotations: &'a [Annotation]) -> Doc<'a> {
        let mut doc = self.nil();
        for annotation in annotations {
            doc = doc
                .append(self.break_before(annotation_start(annotation), Blank::Never))
                .append(self.annotation(annotation));
        }
        doc
    }

    /// Each note on a line of its own, one indentation further in than the line before: the
    /// notes that belong to a field set's or category's header, a field, or a profile
    /// statement.
    pub(super) fn notes_below(&mut self, notes: impl IntoIterator<Item = &'a Note>) -> Doc<'a> {
        let mut doc = self.nil();
        for note in notes {
            let line = self.break_before(note.span.start as usize, Blank::Never);
            doc = doc.append(line.append(self.note(note)).nest(INDENT));
        }
        doc
    }

    /// `label "short name"`.
    pub(super) fn label(&mut self, label: &'a Label) -> Doc<'a> {
        let Label { text, span: _ } = label;
        let before = self.inline_before(text.span.start as usize);
        self.text("label ").append(before).append(self.quoted(text))
    }
}

pub(super) fn annotation_start(annotation: &Annotation) -> usize {
    let span = match annotation {
        Annotation::Note(note) => note.span,
        Annotation::Allow(allow) => allow.span,
    };
    span.start as usize
}
