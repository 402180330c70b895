//! The layout of each kind of item and statement: one printing function per syntax node.
//!
//! Every struct is taken apart with all its fields named, so a field added to the syntax
//! tree does not compile here until the formatter prints it; every enum is matched whole.

use pretty::DocAllocator;

use super::layout::{Blank, Doc, Layout};
use crate::syntax::ast::*;

/// Prints one line of a block.
pub(super) type PrintLine<'a> = Box<dyn FnOnce(&mut Layout<'a>) -> Doc<'a> + 'a>;

/// One line of a block: where it starts, the blank line before it, how to print it.
pub(super) type BlockLine<'a> = (usize, Blank, PrintLine<'a>);

/// Indentation of a block's contents, and of the lines a statement continues on.
pub(super) const INDENT: isize = 2;

impl<'a> Layout<'a> {
    pub(super) fn item(&mut self, item: &'a Item) -> Doc<'a> {
        match item {
            Item::Profile(profile) => self.profile(profile),
            Item::FieldSet(set) => self.field_set(set),
            Item::Category(category) => self.category(category),
            Item::Class(class) => self.class(class),
        }
    }

    pub(super) fn name(&self, name: &'a Name) -> Doc<'a> {
        let Name { text, span: _ } = name;
        self.text(text)
    }

    pub(super) fn quoted(&mut self, text: &'a Text) -> Doc<'a> {
        let Text { value: _, span } = text;
        self.text_pieces(*span)
    }

    /// The number and its unit, one space between each two words as written. A unit written
    /// against its number (`2years`, which reads as `2 years`) stays one word: a space there
    /// would change the file's words, not only its layout.
    pub(super) fn amount(&self, amount: &'a Amount) -> Doc<'a> {
        let Amount {
            number: Number { raw: _, span: _ },
            unit: Name { text: _, span: _ },
            span,
        } = amount;
        self.words(*span)
    }

    pub(super) fn date(&self, date: &'a DateLit) -> Doc<'a> {
        let DateLit { raw, span: _ } = date;
        self.text(raw)
    }

    /// `{`, the lines of a block and `}` at `close`. Each line is given with its start, the
    /// blank line before it (never before the first) and how to print it.
    pub(super) fn block(&mut self, lines: Vec<BlockLine<'a>>, close: usize) -> Doc<'a> {
        let mut inside = self.nil();
        let mut last_start = None;
        for (i, (start, blank, line)) in lines.into_iter().enumerate() {
            let policy = if i == 0 { Blank::Never } else { blank };
            inside = inside.append(self.break_before(start, policy));
            inside = inside.append(line(self));
            last_start = Some(start);
        }
        inside = inside.append(self.comments_before(close, Blank::Keep, last_start));
        self.text(" {")
            .append(inside.nest(INDENT))
            .append(self.arena.hardline())
            .append("}")
    }

    // ------------------------------------------------------------------ profiles

    fn profile(&mut self, profile: &'a Profile) -> Doc<'a> {
        let Profile {
            name,
            statements,
            span,
            ..
        } = profile;
        let lines = profile_lines(statements)
            .into_iter()
            .map(|(statement, notes)| {
                let line: PrintLine<'a> = Box::new(move |layout: &mut Self| {
                    let doc = layout.profile_statement(statement);
                    doc.append(layout.notes_below(notes))
                });
                (profile_statement_start(statement), Blank::Keep, line)
            })
            .collect();
        self.text("profile ")
            .append(self.name(name))
            .append(self.block(lines, closing_brace(*span)))
    }

    fn profile_statement(&mut self, statement: &'a ProfileStatement) -> Doc<'a> {
        match statement {
            ProfileStatement::Note(note) => self.note(note),
            ProfileStatement::Jurisdiction(text, _) => {
                self.text("jurisdiction ").append(self.quoted(text))
            }
            ProfileStatement::Credential(credential) => self.credential(credential),
            ProfileStatement::EducationYear(amounts, _) => {
                let mut doc = self.text("a year of education is");
                for (i, amount) in amounts.iter().enumerate() {
                    doc = doc
                        .append(if i == 0 { " " } else { " or " })
                        .append(self.amount(amount));
                }
                doc
            }
            ProfileStatement::FullTime(amount, _) => self
                .text("full time is ")
                .append(self.amount(amount))
                .append(" per week"),
            ProfileStatement::Overlap(rule, _) => self.text(match rule {
                OverlapRule::SummedToFullTime => "overlapping jobs are summed up to full time",
                OverlapRule::LargestJobOnly => "overlapping jobs count only the largest",
            }),
            ProfileStatement::SeveralDegrees(rule, _) => self.text(match rule {
                DegreeRule::HighestOnly => "several degrees count the highest only",
                DegreeRule::AddedUp => "several degrees are added up",
            }),
            ProfileStatement::Coursework(rule, _) => self.text(match rule {
                CourseworkRule::AddedUp => "coursework without a degree is added up",
                CourseworkRule::HighestOnly => "coursework counts the highest only",
            }),
        }
    }

    fn credential(&mut self, credential: &'a CredentialDecl) -> Doc<'a> {
        let CredentialDecl {
            name,
            title,
            value,
            span: _,
        } = credential;
        let mut doc = self.text("credential ").append(self.name(name));
        if let Some(title) = title {
            doc = doc.append(" ").append(self.quoted(title));
        }
        match value {
            CredentialValue::Worth(amount) => doc.append(" worth ").append(self.amount(amount)),
            CredentialValue::SameAs(other) => doc.append(" same as ").append(self.name(other)),
        }
    }

    // ------------------------------------------------------------------ vocabulary

    /// `fields name label "short" "description"`, the notes below, then the members. The
    /// description goes on the next line when the header does not fit on one.
    fn field_set(&mut self, set: &'a FieldSet) -> Doc<'a> {
        let FieldSet {
            name,
            label,
            label_after_description,
            description,
            notes,
            members,
            span,
        } = set;
        let mut header = self.text("fields ").append(self.name(name));
        let label_first = label.as_ref().filter(|_| !*label_after_description);
        if let Some(label) = label_first {
            header = header.append(" ").append(self.label(label));
        }
        if let Some(description) = description {
            let soft = self.soft_break_before(description.span.start as usize);
            let text = self.quoted(description);
            let mut rest = soft.append(text);
            if let Some(label) = label.as_ref().filter(|_| *label_after_description) {
                rest = rest.append(" ").append(self.label(label));
            }
            header = header.append(rest.nest(INDENT).group());
        }
        header = header.append(self.notes_below(notes));
        let lines = members
            .iter()
            .map(|member| {
                let line: PrintLine<'a> =
                    Box::new(move |layout: &mut Self| layout.field_member(member));
                (field_member_start(member), Blank::Keep, line)
            })
            .collect();
        header.append(self.block(lines, closing_brace(*span)))
    }

    /// A field and its other spellings (on one line when they fit, else one per line under
    /// the first), or a field set's name; and the notes below.
    fn field_member(&mut self, member: &'a FieldMember) -> Doc<'a> {
        match member {
            FieldMember::Field {
                field,
                spellings,
                notes,
            } => {
                let mut doc = self.quoted(field);
                let mut list = self.nil();
                for (i, spelling) in spellings.iter().enumerate() {
                    if i == 0 {
                        let before = self.inline_before(spelling.span.start as usize);
                        doc = doc.append(" also ").append(before);
                    } else {
                        list = list
                            .append(",")
                            .append(self.soft_break_before(spelling.span.start as usize));
                    }
                    list = list.append(self.quoted(spelling));
                }
                doc = doc.append(list.align().group());
                doc.append(self.notes_below(notes))
            }
            FieldMember::Set { name, notes } => {
                let doc = self.name(name);
                doc.append(self.notes_below(notes))
            }
        }
    }

    /// `experience name label "short"`, the description on the next line, the notes below.
    fn category(&mut self, category: &'a Category) -> Doc<'a> {
        let Category {
            name,
            label,
            label_after_description,
            description,
            notes,
            span: _,
        } = category;
        let mut head = self.text("experience ").append(self.name(name));
        let label_first = label.as_ref().filter(|_| !*label_after_description);
        if let Some(label) = label_first {
            head = head.append(" ").append(self.label(label));
        }
        let line = self.break_before(description.span.start as usize, Blank::Never);
        let mut rest = line.append(self.quoted(description));
        if let Some(label) = label.as_ref().filter(|_| *label_after_description) {
            rest = rest.append(" ").append(self.label(label));
        }
        head.append(rest.nest(INDENT))
            .append(self.notes_below(notes))
    }
}

/// A profile's statements, each with the notes after it; notes before the first statement
/// (the profile's own) each on a line of their own.
fn profile_lines(statements: &[ProfileStatement]) -> Vec<(&ProfileStatement, Vec<&Note>)> {
    let mut lines: Vec<(&ProfileStatement, Vec<&Note>)> = Vec::new();
    for statement in statements {
        match (statement, lines.last_mut()) {
            (ProfileStatement::Note(note), Some((owner, notes)))
                if !matches!(owner, ProfileStatement::Note(_)) =>
            {
                notes.push(note);
            }
            _ => lines.push((statement, Vec::new())),
        }
    }
    lines
}

/// The offset of a block's closing brace, the last byte of the item's span.
pub(super) fn closing_brace(span: crate::source::Span) -> usize {
    (span.end as usize).saturating_sub(1)
}

fn profile_statement_start(statement: &ProfileStatement) -> usize {
    let span = match statement {
        ProfileStatement::Jurisdiction(_, span)
        | ProfileStatement::EducationYear(_, span)
        | ProfileStatement::FullTime(_, span)
        | ProfileStatement::Overlap(_, span)
        | ProfileStatement::SeveralDegrees(_, span)
        | ProfileStatement::Coursework(_, span) => span,
        ProfileStatement::Credential(credential) => &credential.span,
        ProfileStatement::Note(note) => &note.span,
    };
    span.start as usize
}

fn field_member_start(member: &FieldMember) -> usize {
    match member {
        FieldMember::Field { field, .. } => field.span.start as usize,
        FieldMember::Set { name, .. } => name.span.start as usize,
    }
}
