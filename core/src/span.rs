//! Source positions. Every value and every map key in the tree carries a [`Span`].
//!
//! Positions come straight from the YAML event loader: 1-based line, 1-based column
//! counted in Unicode scalar values (what an editor shows), and the character offset.
//!
//! In an app of several files ([`crate::app`]) a position also says which file it is in
//! ([`Span::file`]). That index lives in the top bits of the offsets, which nothing reads
//! after loading, so that a span stays 24 bytes: a wider span, copied through every value
//! of the tree, cost the web app about 3 KB gzip.

use serde::Serialize;

/// One point in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based character offset from the start of the text, below 2^23 (templates are read
    /// up to 8 MB); in an app, the bits above hold the file ([`Span::file`]).
    pub offset: u32,
}

/// Bits of an offset below the file index of an app.
const FILE_SHIFT: u32 = 23;
/// Largest offset a position keeps; the loader holds larger ones here, so that the text
/// past it (only in templates read with raised limits) never reads as another file.
pub const MAX_OFFSET: u32 = (1 << FILE_SHIFT) - 1;
/// Most files one app can tell apart.
pub const MAX_FILES: usize = 1 << (32 - FILE_SHIFT);

impl Pos {
    /// The same point in file `file` of an app.
    #[must_use]
    pub const fn in_file(self, file: u16) -> Pos {
        Pos {
            offset: (self.offset & MAX_OFFSET) | ((file as u32) << FILE_SHIFT),
            ..self
        }
    }
}

/// A half-open range of the source text.
///
/// Serialised as `{start, end, file}` with plain offsets, `file` left out for the first
/// file (as when the index was a field of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Self { start, end }
    }

    /// Which file of an app the range is in (its index in the app's file list, set by
    /// [`crate::value::Value::set_file`]); 0 for a single template.
    pub const fn file(&self) -> u16 {
        (self.start.offset >> FILE_SHIFT) as u16
    }

    /// The same range in file `file` of an app.
    #[must_use]
    pub const fn in_file(self, file: u16) -> Span {
        Span::new(self.start.in_file(file), self.end.in_file(file))
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
        }
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let file = self.file();
        let mut st = s.serialize_struct("Span", 2 + usize::from(file != 0))?;
        st.serialize_field("start", &self.start.in_file(0))?;
        st.serialize_field("end", &self.end.in_file(0))?;
        if file != 0 {
            st.serialize_field("file", &file)?;
        }
        st.end()
    }
}

/// The first position of a document: line 1, column 1.
pub const START: Pos = Pos {
    line: 1,
    column: 1,
    offset: 0,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_span_keeps_lines_columns_and_offsets() {
        let s = Span::new(
            Pos {
                line: 3,
                column: 7,
                offset: 41,
            },
            Pos {
                line: 3,
                column: 9,
                offset: MAX_OFFSET,
            },
        );
        assert_eq!(s.file(), 0);
        let last = u16::try_from(MAX_FILES - 1).expect("fits");
        let t = s.in_file(last);
        assert_eq!(t.file(), last);
        assert_eq!((t.start.line, t.start.column, t.end.column), (3, 7, 9));
        assert_eq!(t.start.offset & MAX_OFFSET, 41);
        assert_eq!(t.in_file(2).file(), 2, "a span moves to another file whole");
        assert_eq!(t.in_file(0), s);
    }

    #[test]
    fn a_span_serialises_with_plain_offsets_and_its_file() {
        let s = Span::new(
            Pos {
                line: 1,
                column: 2,
                offset: 1,
            },
            Pos {
                line: 1,
                column: 4,
                offset: 3,
            },
        );
        let plain = serde_json::to_value(s).expect("serialises");
        assert_eq!(
            plain,
            serde_json::json!({
                "start": {"line": 1, "column": 2, "offset": 1},
                "end": {"line": 1, "column": 4, "offset": 3}
            })
        );
        let mut in_app = plain;
        in_app["file"] = 5.into();
        assert_eq!(
            serde_json::to_value(s.in_file(5)).expect("serialises"),
            in_app
        );
    }
}
