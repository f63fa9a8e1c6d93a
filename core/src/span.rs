//! Source positions. Every value and every map key in the tree carries a [`Span`].
//!
//! Positions come straight from the YAML event loader: 1-based line, 1-based column
//! counted in Unicode scalar values (what an editor shows), and the character offset.

use serde::Serialize;

/// One point in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based character offset from the start of the text.
    pub offset: u32,
}

/// A half-open range of the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
    /// Which file of an app the range is in (its index in the app's file list); 0 for a
    /// single template, so one-file analyses never see it.
    #[serde(skip_serializing_if = "is_first_file")]
    pub file: u16,
}

fn is_first_file(f: &u16) -> bool {
    *f == 0
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Self {
            start,
            end,
            file: 0,
        }
    }

    /// An empty span at a point; used for template-wide facts.
    pub const fn point(p: Pos) -> Self {
        Self::new(p, p)
    }

    pub const fn line(&self) -> u32 {
        self.start.line
    }

    pub const fn column(&self) -> u32 {
        self.start.column
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
            file: self.file,
        }
    }
}

/// The first position of a document: line 1, column 1.
pub const START: Pos = Pos {
    line: 1,
    column: 1,
    offset: 0,
};
