//! The formatter's page: the documents it builds (with the `pretty` crate), and the line
//! breaks between them, which carry the comments of the source along.
//!
//! Comments are not in the syntax tree, so they are taken from the source's tokens in order
//! of position: before a syntax node starting at byte `pos` is printed, every comment that
//! starts before `pos` and has not been printed yet is printed. A comment that followed code
//! on its line stays at the end of the printed line; one that stood on a line of its own
//! gets a line of its own, at the indentation of the node after it.

use pretty::{Arena, DocAllocator, DocBuilder};

use super::tokens::{Token, TokenKind};
use crate::source::Span;

/// How many tokens before a node are searched for the start of its line.
const LINE_TOKENS: usize = 256;

/// A document under construction.
pub(super) type Doc<'a> = DocBuilder<'a, Arena<'a>>;

/// Whether a blank line comes before a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Blank {
    /// Never: inside a tier, and after a block's opening brace.
    Never,
    /// When the source has one there (several are made one).
    Keep,
    /// Always, before the first line that follows (between items, levels and tiers).
    Always,
}

/// The documents' allocator, the source's tokens and the comments not yet printed.
pub(super) struct Layout<'a> {
    pub arena: &'a Arena<'a>,
    tokens: &'a [Token<'a>],
    /// Indices in `tokens` of the comments, in order (see [`comment_indices`]).
    comments: &'a [usize],
    /// How many of `comments` are printed.
    printed: usize,
}

/// The indices of the comments among `tokens`, in order.
pub(super) fn comment_indices(tokens: &[Token<'_>]) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TokenKind::Comment)
        .map(|(i, _)| i)
        .collect()
}

impl<'a> Layout<'a> {
    /// A layout of the text of `tokens`, whose comments are `comments` (see
    /// [`comment_indices`]), with the first `printed` of them printed already.
    pub(super) fn new(
        arena: &'a Arena<'a>,
        tokens: &'a [Token<'a>],
        comments: &'a [usize],
        printed: usize,
    ) -> Layout<'a> {
        Layout {
            arena,
            tokens,
            comments,
            printed,
        }
    }

    /// How many comments are printed.
    pub(super) fn printed(&self) -> usize {
        self.printed
    }

    pub(super) fn text(&self, text: &'a str) -> Doc<'a> {
        self.arena.text(text)
    }

    pub(super) fn nil(&self) -> Doc<'a> {
        self.arena.nil()
    }

    fn newline(&self, blank: bool) -> Doc<'a> {
        if blank {
            self.arena.hardline().append(self.arena.hardline())
        } else {
            self.arena.hardline()
        }
    }

    /// The token that starts at `pos`, if one does.
    fn token_at(&self, pos: usize) -> Option<&'a Token<'a>> {
        let tokens = self.tokens;
        let index = tokens.partition_point(|t| t.start < pos);
        tokens.get(index).filter(|t| t.start == pos)
    }

    /// The comments starting before `pos` not printed yet, now counted as printed.
    fn take_comments(&mut self, pos: usize) -> Vec<&'a Token<'a>> {
        let tokens = self.tokens;
        let mut taken = Vec::new();
        while let Some(token) = self
            .comments
            .get(self.printed)
            .and_then(|&i| tokens.get(i))
            .filter(|t| t.start < pos)
        {
            taken.push(token);
            self.printed += 1;
        }
        taken
    }

    /// The comments before `pos`, each on the line it belongs to, without a line break after
    /// the last: for the end of a block (`statement` is where its last statement starts) or
    /// of the file (`None`).
    pub(super) fn comments_before(
        &mut self,
        pos: usize,
        blank: Blank,
        statement: Option<usize>,
    ) -> Doc<'a> {
        self.lines_before(pos, blank, statement).0
    }

    /// The line break before a node starting at `pos`, with the comments before it.
    pub(super) fn break_before(&mut self, pos: usize, blank: Blank) -> Doc<'a> {
        let (comments, blank_pending) = self.lines_before(pos, blank, Some(pos));
        let node_blank = blank_pending
            || (blank != Blank::Never && self.token_at(pos).is_some_and(|t| t.blank_before));
        comments.append(self.newline(node_blank))
    }

    /// A break inside a group: a space when the group fits on its line, else a line break.
    /// A comment before `pos` makes it a line break, and so breaks the whole group.
    pub(super) fn soft_break_before(&mut self, pos: usize) -> Doc<'a> {
        let pending = self
            .comments
            .get(self.printed)
            .and_then(|&i| self.tokens.get(i))
            .is_some_and(|t| t.start < pos);
        if pending {
            self.break_before(pos, Blank::Never)
        } else {
            self.arena.line()
        }
    }

    /// The comments before `pos` when `pos` is in the middle of a line: each is printed and
    /// followed by a line break, so the node goes on after them.
    pub(super) fn inline_before(&mut self, pos: usize) -> Doc<'a> {
        let mut doc = self.nil();
        let mut fresh_line = false;
        for comment in self.take_comments(pos) {
            if fresh_line {
                doc = doc.append(self.text(comment.text));
            } else if comment.starts_line {
                doc = doc
                    .append(self.arena.hardline())
                    .append(self.text(comment.text));
            } else {
                doc = doc.append(self.text("  ")).append(self.text(comment.text));
            }
            doc = doc.append(self.arena.hardline());
            fresh_line = true;
        }
        doc
    }

    /// How far in the source the line holding the token at `pos` is indented; `None` when
    /// more than [`LINE_TOKENS`] tokens stand before it on its line, so that a file written
    /// on one long line is laid out in time proportional to its length.
    fn indent_at(&self, pos: usize) -> Option<usize> {
        let tokens = self.tokens;
        let index = tokens.partition_point(|t| t.start < pos);
        tokens
            .get(..=index)?
            .iter()
            .rev()
            .take(LINE_TOKENS)
            .find(|t| t.starts_line)
            .map(|t| t.indent)
    }

    /// The comments before `pos`, and whether a blank line asked for by `blank` is still to
    /// come (there was no comment to put it before).
    ///
    /// The comments that go on from the code before them stay with it, on lines of their own
    /// one step in, with no blank line: each that followed code on its line (the code was
    /// joined onto fewer lines), or stood on a line of its own indented deeper than the line
    /// of the statement starting at `statement`, with no blank line before it. The others are
    /// about what follows, at its indentation.
    fn lines_before(
        &mut self,
        pos: usize,
        blank: Blank,
        statement: Option<usize>,
    ) -> (Doc<'a>, bool) {
        let mut doc = self.nil();
        let mut blank_pending = blank == Blank::Always;
        let mut going_on = true;
        let comments = self.take_comments(pos);
        // Looked up only when there are comments to place: most breaks have none.
        let statement_indent = if comments.is_empty() {
            None
        } else {
            statement.and_then(|start| self.indent_at(start))
        };
        for (i, comment) in comments.into_iter().enumerate() {
            if i == 0 && !comment.starts_line {
                doc = doc.append(self.text("  ")).append(self.text(comment.text));
                continue;
            }
            let deeper = statement_indent.is_some_and(|indent| comment.indent > indent);
            going_on = going_on && !comment.blank_before && (!comment.starts_line || deeper);
            if going_on {
                let line = self.newline(false).append(self.text(comment.text));
                doc = doc.append(line.nest(super::items::INDENT));
                continue;
            }
            let this_blank = blank_pending || (blank != Blank::Never && comment.blank_before);
            blank_pending = false;
            doc = doc
                .append(self.newline(this_blank))
                .append(self.text(comment.text));
        }
        (doc, blank_pending)
    }

    /// The words of a span, one space between each: a unit such as `semester credits`,
    /// whose syntax node holds its words with any comment between them. A word written
    /// against the one before the span (`is-30`, read as `is -30`) gives only its part in
    /// the span.
    pub(super) fn words(&self, span: Span) -> Doc<'a> {
        let tokens = self.tokens;
        let (start, end) = (span.start as usize, span.end as usize);
        let first = tokens.partition_point(|t| t.start + t.text.len() <= start);
        let words = tokens
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|t| t.start < end)
            .filter(|t| t.kind == TokenKind::Word)
            .filter_map(|t| {
                let from = start.saturating_sub(t.start);
                let to = end.saturating_sub(t.start).min(t.text.len());
                t.text.get(from..to).filter(|part| !part.is_empty())
            });
        let mut doc = self.nil();
        for (i, word) in words.enumerate() {
            if i > 0 {
                doc = doc.append(" ");
            }
            doc = doc.append(self.text(word));
        }
        doc
    }

    /// The strings of a text as written, each on a line of its own under the first.
    pub(super) fn text_pieces(&mut self, span: Span) -> Doc<'a> {
        let tokens = self.tokens;
        let (start, end) = (span.start as usize, span.end as usize);
        let first = tokens.partition_point(|t| t.start < start);
        let pieces = tokens
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|t| t.start < end)
            .filter(|t| t.kind == TokenKind::Str);
        let mut doc = self.nil();
        for (i, piece) in pieces.enumerate() {
            if i > 0 {
                doc = doc.append(self.break_before(piece.start, Blank::Never));
            }
            doc = doc.append(self.text(piece.text));
        }
        doc.align()
    }
}
