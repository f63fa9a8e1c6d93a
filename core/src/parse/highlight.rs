//! Syntax colouring for editors, from the template loader's own event stream.
//!
//! The web app's editor colours keys, strings, numbers, literals, tags, anchors and comments.
//! It does not carry a second YAML grammar for that: the tokens are the libyaml events the
//! loader reads templates with ([`super::loader`]), so what is coloured as a key is exactly
//! what the analysis reads as a key, JSON included. Comments produce no event; they are
//! found in the gaps between tokens, where a `#` after whitespace can only start a comment.
//!
//! A text that stops parsing half-way is still coloured: after an error the reader resumes
//! at the next line that starts a top-level entry (column 1), so one bad line does not grey
//! out the rest of a long template. Work is bounded by `until`: an editor asks only for
//! what reaches its last visible line.

use super::loader::{looks_numeric, EventKind, Events};

/// What a run of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A map key.
    Key,
    /// A quoted or plain string value (block scalars included).
    String,
    Number,
    /// `true`, `false`, `null`, `~`.
    Literal,
    /// A tag (`!Ref`, `!Sub`) or an intrinsic function's key (`Ref`, `Fn::GetAtt`).
    Tag,
    /// An anchor (`&name`) or an alias (`*name`).
    Anchor,
    Comment,
}

impl TokenKind {
    /// A short CSS class name for the kind.
    pub const fn class(self) -> &'static str {
        match self {
            TokenKind::Key => "k",
            TokenKind::String => "s",
            TokenKind::Number => "n",
            TokenKind::Literal => "l",
            TokenKind::Tag => "t",
            TokenKind::Anchor => "a",
            TokenKind::Comment => "c",
        }
    }
}

/// One coloured run: byte offsets into the text, `start < end`, on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Texts larger than this are not coloured (the loader refuses them as well).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// After this many errors the rest of the text stays plain (each restart re-reads a tail).
const MAX_RESTARTS: usize = 32;

/// The tokens of `text` up to at least byte `until` (all of them when `until >= text.len()`),
/// sorted and non-overlapping. Never fails: text it cannot read stays uncoloured.
pub fn highlight(text: &str, until: usize) -> Vec<Token> {
    let mut out = Vec::new();
    if text.len() > MAX_BYTES {
        return out;
    }
    // libyaml skips a byte-order mark without counting it; keep offsets in the caller's text
    let mut base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = base;
    let mut restarts = 0;
    while base < text.len() && base <= until {
        match scan(text, base, until, &mut out) {
            Ok(()) => break,
            Err(line) => {
                restarts += 1;
                match next_entry_line(text, base, line) {
                    Some(next) if restarts <= MAX_RESTARTS => base = next,
                    _ => break,
                }
            }
        }
    }
    add_comments(text, start, until.min(text.len()), &mut out);
    out
}

/// Where a container's next item goes: in a map, even items are keys.
struct Level {
    map: bool,
    items: usize,
}

/// Read events from `text[base..]` into `out` until the stream ends or passes `until`.
/// `Err(line)`: the 1-based line (of the slice) where reading failed.
fn scan(text: &str, base: usize, until: usize, out: &mut Vec<Token>) -> Result<(), u32> {
    let slice = text.get(base..).unwrap_or("");
    let mut events = Events::new(slice.as_bytes());
    let mut stack: Vec<Level> = Vec::new();
    loop {
        let ev = events.next_event().map_err(|e| e.line)?;
        let (s, e) = (
            base + ev.span.start.offset as usize,
            base + ev.span.end.offset as usize,
        );
        // is this node a key? (decided before it is counted in its parent)
        let is_key = |stack: &[Level]| stack.last().is_some_and(|l| l.map && l.items % 2 == 0);
        match ev.kind {
            EventKind::StreamEnd => return Ok(()),
            EventKind::StreamStart | EventKind::DocumentStart | EventKind::DocumentEnd => {}
            EventKind::Scalar { value, plain, .. } => {
                let key = is_key(&stack);
                if let Some(l) = stack.last_mut() {
                    l.items += 1;
                }
                let value_at = properties(text, s, e, out);
                let kind = if key {
                    if value == "Ref" || value.starts_with("Fn::") {
                        TokenKind::Tag
                    } else {
                        TokenKind::Key
                    }
                } else if !plain {
                    TokenKind::String
                } else {
                    match value.as_str() {
                        "" | "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE"
                        | "false" | "False" | "FALSE" => TokenKind::Literal,
                        v if looks_numeric(v) => TokenKind::Number,
                        _ => TokenKind::String,
                    }
                };
                push(text, out, value_at, e, kind);
            }
            EventKind::Alias { .. } => {
                if let Some(l) = stack.last_mut() {
                    l.items += 1;
                }
                push(text, out, s, e, TokenKind::Anchor);
            }
            EventKind::SeqStart { .. } => open(text, s, e, &mut stack, out, false),
            EventKind::MapStart { .. } => open(text, s, e, &mut stack, out, true),
            EventKind::SeqEnd | EventKind::MapEnd => {
                stack.pop();
            }
        }
        if s > until {
            return Ok(());
        }
    }
}

/// A collection starts: counted in its parent, its properties coloured.
fn open(text: &str, s: usize, e: usize, stack: &mut Vec<Level>, out: &mut Vec<Token>, map: bool) {
    if let Some(l) = stack.last_mut() {
        l.items += 1;
    }
    properties(text, s, e, out);
    stack.push(Level { map, items: 0 });
}

/// Colour the node properties (`!tag`, `&anchor`) at the start of `text[s..e]`; returns
/// where the node's own text starts.
fn properties(text: &str, mut s: usize, e: usize, out: &mut Vec<Token>) -> usize {
    let bytes = text.as_bytes();
    while s < e {
        let kind = match bytes.get(s) {
            Some(b'!') => TokenKind::Tag,
            Some(b'&') => TokenKind::Anchor,
            _ => break,
        };
        let end = (s..e)
            .find(|&i| matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')))
            .unwrap_or(e);
        push(text, out, s, end, kind);
        s = (end..e)
            .find(|&i| !matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')))
            .unwrap_or(e);
    }
    s
}

/// Add a token, keeping the list sorted and non-overlapping and every offset on a
/// character boundary of `text`.
fn push(text: &str, out: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    let start = start.max(out.last().map_or(0, |t| t.end));
    let end = end.min(text.len());
    if start < end && text.is_char_boundary(start) && text.is_char_boundary(end) {
        out.push(Token { start, end, kind });
    }
}

/// The byte offset of the first line after `line` (1-based, counted in `text[base..]`)
/// that starts a top-level entry: not indented, not a comment, not a document marker.
fn next_entry_line(text: &str, base: usize, line: u32) -> Option<usize> {
    let slice = text.get(base..)?;
    let mut off = base;
    for (i, l) in slice.split_inclusive('\n').enumerate() {
        let here = off;
        off += l.len();
        if i < line as usize {
            continue;
        }
        let first = l.as_bytes().first().copied();
        if first.is_some_and(|c| {
            !matches!(
                c,
                b' ' | b'\t' | b'\n' | b'\r' | b'#' | b'-' | b'}' | b']' | b','
            )
        }) {
            return Some(here);
        }
    }
    None
}

/// Comments live between tokens: a `#` at the start of a line or after whitespace, up to
/// the end of its line.
fn add_comments(text: &str, from: usize, until: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut gap_start = from;
    let scan_gap = |a: usize, b: usize, comments: &mut Vec<Token>| {
        let mut i = a;
        while i < b {
            if bytes.get(i) == Some(&b'#')
                && (i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t' | b'\n' | b'\r')))
            {
                let end = bytes[i..]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(text.len(), |p| i + p);
                comments.push(Token {
                    start: i,
                    end,
                    kind: TokenKind::Comment,
                });
                i = end;
            } else {
                i += 1;
            }
        }
    };
    // the text past the last token is a gap too, as far as the caller asked
    let last = out
        .last()
        .map_or(from, |t| t.end)
        .max(until.saturating_add(1).min(text.len()));
    for t in out.iter() {
        scan_gap(gap_start, t.start, &mut comments);
        gap_start = gap_start.max(t.end);
    }
    scan_gap(gap_start, last, &mut comments);
    if comments.is_empty() {
        return;
    }
    // merge two sorted lists; a comment never overlaps a token (it lies in a gap), but one
    // scanned to its line's end may run into a token starting on that line: clip it
    let tokens = std::mem::take(out);
    let mut ti = tokens.into_iter().peekable();
    for c in comments {
        while let Some(t) = ti.next_if(|t| t.start < c.start) {
            out.push(t);
        }
        let end = ti.peek().map_or(c.end, |t| c.end.min(t.start));
        push(text, out, c.start, end, TokenKind::Comment);
    }
    out.extend(ti);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, &'static str)> {
        highlight(text, usize::MAX)
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind.class()))
            .collect()
    }

    #[test]
    fn yaml_keys_values_tags_and_comments() {
        let text = "# a comment\nResources:\n  Fn:\n    Type: AWS::Lambda::Function # inline\n    Properties:\n      Timeout: 30\n      Tracing: !Ref Mode\n      Enabled: true\n      Name: 'x # y'\n      Arn: !GetAtt Role.Arn\n";
        assert_eq!(
            kinds(text),
            vec![
                ("# a comment", "c"),
                ("Resources", "k"),
                ("Fn", "k"),
                ("Type", "k"),
                ("AWS::Lambda::Function", "s"),
                ("# inline", "c"),
                ("Properties", "k"),
                ("Timeout", "k"),
                ("30", "n"),
                ("Tracing", "k"),
                ("!Ref", "t"),
                ("Mode", "s"),
                ("Enabled", "k"),
                ("true", "l"),
                ("Name", "k"),
                ("'x # y'", "s"),
                ("Arn", "k"),
                ("!GetAtt", "t"),
                ("Role.Arn", "s"),
            ]
        );
    }

    #[test]
    fn json_keys_and_intrinsics() {
        let text = "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"N\": 3, \"R\": {\"Ref\": \"X\"}, \"Z\": null}}}";
        assert_eq!(
            kinds(text),
            vec![
                ("\"Resources\"", "k"),
                ("\"B\"", "k"),
                ("\"Type\"", "k"),
                ("\"AWS::S3::Bucket\"", "s"),
                ("\"N\"", "k"),
                ("3", "n"),
                ("\"R\"", "k"),
                ("\"Ref\"", "t"),
                ("\"X\"", "s"),
                ("\"Z\"", "k"),
                ("null", "l"),
            ]
        );
    }

    #[test]
    fn anchors_aliases_and_block_scalars() {
        let text = "a: &base {x: 1}\nb: *base\nc: |\n  line one\n  line two\nd: 2\n";
        let k = kinds(text);
        assert!(k.contains(&("&base", "a")), "{k:?}");
        assert!(k.contains(&("*base", "a")), "{k:?}");
        assert!(
            k.iter()
                .any(|(s, c)| s.starts_with('|') && s.contains("line two") && *c == "s"),
            "{k:?}"
        );
        assert!(k.contains(&("d", "k")), "{k:?}");
    }

    #[test]
    fn colours_past_an_error() {
        let text = "a: 1\nb: [unclosed\nc: 2\n# note\nd: true\n";
        let k = kinds(text);
        assert!(k.contains(&("a", "k")), "{k:?}");
        assert!(
            k.contains(&("d", "k")) && k.contains(&("true", "l")),
            "{k:?}"
        );
        assert!(k.contains(&("# note", "c")), "{k:?}");
    }

    #[test]
    fn stops_near_until() {
        let text: String = (0..2000).map(|i| format!("k{i}: v{i}\n")).collect();
        let few = highlight(&text, 20);
        assert!(few.len() < 20, "{}", few.len());
        assert!(few.iter().any(|t| t.end >= 20));
        assert_eq!(highlight(&text, usize::MAX).len(), 4000);
    }

    #[test]
    fn hostile_text_never_panics_and_tokens_are_sane() {
        let mut cases: Vec<String> = [
            "",
            "#",
            "\u{feff}a: 1 # c\n",
            "a: \"\u{e9}\u{2028}x\"\nb: 1\n",
            "{{{{",
            "]]]: [",
            "- - - &a *a",
            "a: !Foo x\n",
            "a:\r\n  b: 1\r# x\r\n",
            "key: 'unterminated\nnext: 1\n",
            "\u{1F600}: \u{1F600} #\u{1F600}\n",
            "a: |\n  x\n# after\nb: 2",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let ex = crate::example::BOOKSTORE.text;
        // every prefix of a real template, cut anywhere (mid-token, mid-character)
        cases.extend(
            (0..ex.len())
                .step_by(7)
                .filter(|i| ex.is_char_boundary(*i))
                .map(|i| ex[..i].to_owned()),
        );
        cases.push("[".repeat(5000));
        for text in &cases {
            for until in [0, 10, usize::MAX] {
                let toks = highlight(text, until);
                let mut prev = 0;
                for t in &toks {
                    assert!(
                        t.start >= prev && t.start < t.end && t.end <= text.len(),
                        "{text:?}: {toks:?}"
                    );
                    assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                    prev = t.end;
                }
            }
        }
    }
}
