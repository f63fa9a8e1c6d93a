//! The one loader for YAML and JSON templates.
//!
//! # Why libyaml
//! We read templates with `unsafe-libyaml`, the Rust translation of libyaml (the parser
//! behind PyYAML's C loader and cfn-guard's marked loader), driven event by event:
//! - it emits a start and end mark for every event, so every node *and every key* gets a
//!   position, and tags arrive with the node they annotate;
//! - it accepts exactly what AWS and cfn-lint accept: on our corpus of 353 public templates
//!   it rejects only the 2 with genuine syntax errors, while `saphyr` 0.3.4 (the other
//!   position-keeping candidate) also rejects 3 valid ones (under-indented flow collections
//!   and multi-line quoted scalars that PyYAML and CloudFormation take);
//! - JSON is YAML for this parser, so both formats share one path and one tree: there is no
//!   second, position-less entry point (the mistake cfn-guard's history warns about);
//! - it is plain Rust (no C toolchain), so it builds for `wasm32-unknown-unknown`.
//!
//! `serde_yaml` 0.9 was not an option: it is deprecated and keeps no positions.
//!
//! The `unsafe` FFI-style calls are confined to [`Events`], a small safe iterator; everything
//! else here is safe code. Hostile input is bounded by [`Limits`]: input size, nesting
//! depth and the total number of nodes (which caps alias expansion: billion laughs).

#![allow(unsafe_code)] // the libyaml event API is unsafe; it is wrapped in `Events` below.

use std::collections::HashMap;
use std::mem::MaybeUninit;

#[allow(clippy::unsafe_removed_from_name)]
use unsafe_libyaml as ly;

use super::ParseError;
use crate::span::{Pos, Span};
use crate::value::{Key, Node, Value};

/// Bounds on what one template may cost to read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of input. CloudFormation's own limit is 1 MB for a template body.
    pub max_bytes: usize,
    /// Nesting depth of maps and lists.
    pub max_depth: usize,
    /// Total nodes after alias expansion.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 8 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 2_000_000,
        }
    }
}

/// Short-form CloudFormation tags and the long forms they stand for.
const SHORT_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
];

/// Read a template (YAML or JSON) into a marked value tree.
pub fn load(text: &str, limits: &Limits) -> Result<Value, ParseError> {
    if text.len() > limits.max_bytes {
        return Err(ParseError::at(
            format!(
                "the template is {} bytes; pillarlint reads at most {} bytes (CloudFormation itself accepts 1 MB)",
                text.len(),
                limits.max_bytes
            ),
            1,
            1,
        ));
    }
    let mut builder = Builder {
        limits: *limits,
        ..Builder::default()
    };
    let mut events = Events::new(text.as_bytes());
    let mut docs = 0usize;
    loop {
        let ev = events.next_event()?;
        match ev.kind {
            EventKind::StreamEnd => break,
            EventKind::StreamStart | EventKind::DocumentEnd => {}
            EventKind::DocumentStart => {
                docs += 1;
                if docs > 1 {
                    return Err(ParseError::at(
                        "the file holds more than one YAML document; a template is a single document",
                        ev.span.start.line,
                        ev.span.start.column,
                    ));
                }
            }
            _ => builder.event(ev)?,
        }
    }
    match builder.root {
        Some(v) => Ok(v),
        None => Err(ParseError::at("the file is empty", 1, 1)),
    }
}

pub(super) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        value: String,
        plain: bool,
        anchor: Option<String>,
        tag: Option<String>,
    },
    SeqStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    SeqEnd,
    MapStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    MapEnd,
}

pub(super) struct Event {
    pub(super) kind: EventKind,
    pub(super) span: Span,
}

/// A safe iterator over libyaml events.
pub(super) struct Events<'a> {
    parser: Box<ly::yaml_parser_t>,
    // The parser reads from this buffer; it must outlive the parser.
    input: &'a [u8],
    done: bool,
    /// Set when the input has line breaks libyaml counts and editors do not (a lone `\r`,
    /// U+0085, U+2028, U+2029): positions are then recounted from byte offsets.
    recount: Option<LineCursor>,
}

/// Lines and columns as editors count them (`\n` ends a line; columns in characters),
/// recomputed from byte offsets. Offsets mostly grow from one event to the next, so the
/// cursor walks forward from the last one; it restarts from the line's start otherwise.
#[derive(Debug, Default)]
struct LineCursor {
    /// Byte offsets where lines start.
    starts: Vec<usize>,
    off: usize,
    line: usize,
    col: usize,
}

impl LineCursor {
    fn new(input: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            input
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineCursor {
            starts,
            ..LineCursor::default()
        }
    }

    /// (line, column), both 0-based, of byte offset `to`.
    fn at(&mut self, input: &[u8], to: usize) -> (usize, usize) {
        let to = to.min(input.len());
        let line = self.starts.partition_point(|&s| s <= to).saturating_sub(1);
        if to < self.off || line != self.line {
            self.line = line;
            self.off = self.starts[line];
            self.col = 0;
        }
        // characters, not bytes: count the bytes that start one
        self.col += input[self.off..to]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        self.off = to;
        (self.line, self.col)
    }
}

/// Does the input break lines where editors do not?
fn has_odd_breaks(input: &[u8]) -> bool {
    input.iter().enumerate().any(|(i, &b)| match b {
        b'\r' => input.get(i + 1) != Some(&b'\n'),
        0xC2 => input.get(i + 1) == Some(&0x85),
        0xE2 => input.get(i + 1) == Some(&0x80) && matches!(input.get(i + 2), Some(0xA8 | 0xA9)),
        _ => false,
    })
}

impl<'a> Events<'a> {
    pub(super) fn new(input: &'a [u8]) -> Self {
        // SAFETY: `yaml_parser_initialize` fully initialises the struct it is given; the
        // parser keeps a pointer to `input`, which lives as long as `Events` (`'a`), and
        // is deleted in `Drop` before `input` can go away.
        let parser = unsafe {
            let mut parser: Box<MaybeUninit<ly::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
            let ok = ly::yaml_parser_initialize(parser.as_mut_ptr()).ok;
            debug_assert!(ok, "libyaml could not initialise");
            let mut parser: Box<ly::yaml_parser_t> = Box::from_raw(Box::into_raw(parser).cast());
            ly::yaml_parser_set_input_string(&mut *parser, input.as_ptr(), input.len() as u64);
            parser
        };
        Self {
            parser,
            input,
            done: false,
            recount: has_odd_breaks(input).then(|| LineCursor::new(input)),
        }
    }

    /// A libyaml mark as a position, lines counted as editors count them.
    fn pos(&mut self, m: ly::yaml_mark_t) -> Pos {
        let mut p = pos(m);
        if let Some(c) = &mut self.recount {
            let (line, col) = c.at(self.input, p.offset as usize);
            p.line = one_based(line as u64);
            p.column = one_based(col as u64);
        }
        p.offset = p.offset.min(crate::span::MAX_OFFSET);
        p
    }

    pub(super) fn next_event(&mut self) -> Result<Event, ParseError> {
        if self.done {
            return Ok(Event {
                kind: EventKind::StreamEnd,
                span: Span::default(),
            });
        }
        // SAFETY: the parser was initialised in `new`; the event is initialised by a
        // successful `yaml_parser_parse` and deleted exactly once below after we copied
        // what we need out of it (strings are copied into owned `String`s).
        unsafe {
            let mut raw = MaybeUninit::<ly::yaml_event_t>::uninit();
            if !ly::yaml_parser_parse(&mut *self.parser, raw.as_mut_ptr()).ok {
                self.done = true;
                return Err(self.error());
            }
            let mut raw = raw.assume_init();
            let span = Span::new(self.pos(raw.start_mark), self.pos(raw.end_mark));
            let kind = match raw.type_ {
                ly::YAML_STREAM_START_EVENT => EventKind::StreamStart,
                ly::YAML_STREAM_END_EVENT => {
                    self.done = true;
                    EventKind::StreamEnd
                }
                ly::YAML_DOCUMENT_START_EVENT => EventKind::DocumentStart,
                ly::YAML_DOCUMENT_END_EVENT => EventKind::DocumentEnd,
                ly::YAML_ALIAS_EVENT => EventKind::Alias {
                    anchor: cstr(raw.data.alias.anchor).unwrap_or_default(),
                },
                ly::YAML_SCALAR_EVENT => {
                    let s = raw.data.scalar;
                    let bytes = if s.value.is_null() {
                        &[][..]
                    } else {
                        std::slice::from_raw_parts(s.value, s.length as usize)
                    };
                    EventKind::Scalar {
                        value: String::from_utf8_lossy(bytes).into_owned(),
                        plain: s.style == ly::YAML_PLAIN_SCALAR_STYLE,
                        anchor: cstr(s.anchor),
                        tag: cstr(s.tag),
                    }
                }
                ly::YAML_SEQUENCE_START_EVENT => EventKind::SeqStart {
                    anchor: cstr(raw.data.sequence_start.anchor),
                    tag: cstr(raw.data.sequence_start.tag),
                },
                ly::YAML_SEQUENCE_END_EVENT => EventKind::SeqEnd,
                ly::YAML_MAPPING_START_EVENT => EventKind::MapStart {
                    anchor: cstr(raw.data.mapping_start.anchor),
                    tag: cstr(raw.data.mapping_start.tag),
                },
                ly::YAML_MAPPING_END_EVENT => EventKind::MapEnd,
                _ => EventKind::DocumentEnd,
            };
            ly::yaml_event_delete(&mut raw);
            Ok(Event { kind, span })
        }
    }

    fn error(&mut self) -> ParseError {
        let (problem, context, problem_mark, context_mark) = {
            let p = &*self.parser;
            // SAFETY: libyaml sets `problem` and `context` to static C strings or null.
            let problem = unsafe { cstr(p.problem.cast_mut().cast()) }
                .unwrap_or_else(|| "invalid YAML".into());
            let context = unsafe { cstr(p.context.cast_mut().cast()) };
            (problem, context, p.problem_mark, p.context_mark)
        };
        let at = self.pos(problem_mark);
        let message = match context {
            Some(c) if !c.is_empty() => {
                let c_at = self.pos(context_mark);
                format!(
                    "{problem} ({c} at line {}, column {})",
                    c_at.line, c_at.column
                )
            }
            _ => problem,
        };
        ParseError::at(format!("invalid YAML: {message}"), at.line, at.column)
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new` and is deleted once.
        unsafe { ly::yaml_parser_delete(&mut *self.parser) }
    }
}

fn pos(m: ly::yaml_mark_t) -> Pos {
    Pos {
        line: one_based(m.line),
        column: one_based(m.column),
        offset: u32::try_from(m.index).unwrap_or(u32::MAX),
    }
}

/// A 0-based count as a 1-based `u32` line or column (saturating).
fn one_based(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1)
}

/// Copy a NUL-terminated libyaml string.
///
/// # Safety
/// `p` must be null or point to a NUL-terminated buffer.
unsafe fn cstr(p: *mut u8) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let c = unsafe { std::ffi::CStr::from_ptr(p.cast_const().cast()) };
    Some(c.to_string_lossy().into_owned())
}

enum Frame {
    Seq {
        items: Vec<Value>,
        start: Span,
        anchor: Option<String>,
        tag: Option<(String, Span)>,
    },
    Map {
        entries: Vec<(Key, Value)>,
        pending: Option<Key>,
        start: Span,
        anchor: Option<String>,
        tag: Option<(String, Span)>,
        /// Keys that came from a `<<` merge: later explicit keys override them silently.
        merged: Vec<String>,
    },
}

#[derive(Default)]
struct Builder {
    limits: Limits,
    stack: Vec<Frame>,
    /// Anchor name -> its value's place in `anchored` (the map type is one the crate already
    /// has; a map to `Value` would be another copy of the hash table code).
    anchors: HashMap<String, usize>,
    anchored: Vec<Value>,
    nodes: usize,
    root: Option<Value>,
}

impl Builder {
    /// Define (or redefine) anchor `a` as `v`.
    fn anchor(&mut self, a: String, v: &Value) {
        match self.anchors.get(&a) {
            Some(&i) => self.anchored[i] = v.clone(),
            None => {
                self.anchors.insert(a, self.anchored.len());
                self.anchored.push(v.clone());
            }
        }
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(ParseError::at(
                format!(
                    "the template expands to more than {} values (YAML aliases repeated too often?); refusing to read it",
                    self.limits.max_nodes
                ),
                span.start.line,
                span.start.column,
            ));
        }
        Ok(())
    }

    fn event(&mut self, ev: Event) -> Result<(), ParseError> {
        let span = ev.span;
        match ev.kind {
            EventKind::Scalar {
                value,
                plain,
                anchor,
                tag,
            } => {
                self.count(1, span)?;
                let node = scalar_node(value, plain, tag.as_deref());
                let v = apply_tag(Value::new(node, span), tag.as_deref(), span)?;
                if let Some(a) = anchor {
                    self.anchor(a, &v);
                }
                self.push(v)
            }
            EventKind::Alias { anchor } => {
                let Some(v) = self.anchors.get(&anchor).map(|&i| &self.anchored[i]) else {
                    return Err(ParseError::at(
                        format!("alias *{anchor} refers to no anchor defined before it"),
                        span.start.line,
                        span.start.column,
                    ));
                };
                let v = v.clone();
                self.count(v.count(), span)?;
                self.push(v)
            }
            EventKind::SeqStart { anchor, tag } => {
                self.count(1, span)?;
                self.depth_check(span)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: span,
                    anchor,
                    tag: tag.map(|t| (t, span)),
                });
                Ok(())
            }
            EventKind::MapStart { anchor, tag } => {
                self.count(1, span)?;
                self.depth_check(span)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    pending: None,
                    start: span,
                    anchor,
                    tag: tag.map(|t| (t, span)),
                    merged: Vec::new(),
                });
                Ok(())
            }
            EventKind::SeqEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                    tag,
                }) => {
                    let whole = Span::new(start.start, span.end);
                    let v = Value::new(Node::Seq(items), whole);
                    let v = apply_tag(v, tag.as_ref().map(|t| t.0.as_str()), start)?;
                    if let Some(a) = anchor {
                        self.anchor(a, &v);
                    }
                    self.push(v)
                }
                _ => Err(ParseError::at(
                    "unbalanced YAML sequence",
                    span.start.line,
                    span.start.column,
                )),
            },
            EventKind::MapEnd => match self.stack.pop() {
                Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    tag,
                    ..
                }) => {
                    let whole = Span::new(start.start, span.end);
                    let v = Value::new(Node::Map(entries), whole);
                    let v = apply_tag(v, tag.as_ref().map(|t| t.0.as_str()), start)?;
                    if let Some(a) = anchor {
                        self.anchor(a, &v);
                    }
                    self.push(v)
                }
                _ => Err(ParseError::at(
                    "unbalanced YAML mapping",
                    span.start.line,
                    span.start.column,
                )),
            },
            _ => Ok(()),
        }
    }

    fn depth_check(&self, span: Span) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(ParseError::at(
                format!(
                    "the template nests deeper than {} levels; refusing to read it",
                    self.limits.max_depth
                ),
                span.start.line,
                span.start.column,
            ));
        }
        Ok(())
    }

    fn push(&mut self, v: Value) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(v);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(v);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                pending,
                merged,
                ..
            }) => match pending.take() {
                None => {
                    let name = match &v.node {
                        Node::String(s) | Node::Number(s) => s.clone(),
                        Node::Bool(b) => b.to_string(),
                        Node::Null => String::new(),
                        Node::Seq(_) | Node::Map(_) => {
                            return Err(ParseError::at(
                                "a map key must be a plain value, not a list or a map",
                                v.span.start.line,
                                v.span.start.column,
                            ))
                        }
                    };
                    *pending = Some(Key { name, span: v.span });
                    Ok(())
                }
                Some(key) if key.name == "<<" => {
                    // YAML merge key: copy entries not already present.
                    let sources: Vec<&Value> = match &v.node {
                        Node::Seq(items) => items.iter().collect(),
                        _ => vec![&v],
                    };
                    for src in sources {
                        let Some(m) = src.as_map() else {
                            return Err(ParseError::at(
                                "a `<<` merge key needs a map (or a list of maps)",
                                key.span.start.line,
                                key.span.start.column,
                            ));
                        };
                        for (k, val) in m {
                            if !entries.iter().any(|(e, _)| e.name == k.name) {
                                merged.push(k.name.clone());
                                entries.push((k.clone(), val.clone()));
                            }
                        }
                    }
                    Ok(())
                }
                Some(key) => {
                    if let Some(i) = entries.iter().position(|(e, _)| e.name == key.name) {
                        if let Some(m) = merged.iter().position(|n| *n == key.name) {
                            merged.remove(m);
                            entries[i] = (key, v);
                            return Ok(());
                        }
                        let first = entries[i].0.span.start;
                        return Err(ParseError::at(
                            format!(
                                "duplicate key `{}` (first defined at line {}, column {}); CloudFormation rejects templates with duplicate keys",
                                key.name, first.line, first.column
                            ),
                            key.span.start.line,
                            key.span.start.column,
                        ));
                    }
                    entries.push((key, v));
                    Ok(())
                }
            },
        }
    }
}

fn scalar_node(value: String, plain: bool, tag: Option<&str>) -> Node {
    match tag {
        Some("tag:yaml.org,2002:str") => return Node::String(value),
        Some("tag:yaml.org,2002:null") => return Node::Null,
        _ => {}
    }
    if !plain {
        return Node::String(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        "true" | "True" | "TRUE" => Node::Bool(true),
        "false" | "False" | "FALSE" => Node::Bool(false),
        s if looks_numeric(s) => Node::Number(value),
        _ => Node::String(value),
    }
}

pub(super) fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if t.is_empty() {
        return false;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    let mut prev = ' ';
    for c in t.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_dot && !seen_exp => seen_dot = true,
            'e' | 'E' if seen_digit && !seen_exp => seen_exp = true,
            '-' | '+' if prev == 'e' || prev == 'E' => {}
            _ => return false,
        }
        prev = c;
    }
    seen_digit && !matches!(prev, 'e' | 'E' | '-' | '+')
}

/// Rewrite a short-form CloudFormation tag (`!Ref X`) to its long form.
fn apply_tag(v: Value, tag: Option<&str>, tag_span: Span) -> Result<Value, ParseError> {
    let Some(tag) = tag else { return Ok(v) };
    if tag.starts_with("tag:yaml.org,2002:") {
        return Ok(v);
    }
    let Some(short) = tag.strip_prefix('!') else {
        return Err(ParseError::at(
            format!("unknown YAML tag `{tag}`"),
            tag_span.start.line,
            tag_span.start.column,
        ));
    };
    // Rain directives (`!Rain::Embed file`, `!Rain::S3 {...}`, `!Rain::Module path`) are kept in
    // the JSON shape `rain fmt --json` writes (`{"Rain::Embed": "file"}`); the model decides
    // what they mean (a module as a resource type cannot be read without `rain pkg`).
    if short.starts_with("Rain::") {
        let key_span = Span::new(tag_span.start, tag_span.start);
        return Ok(Value::single(short, key_span, v));
    }
    let Some((_, long)) = SHORT_TAGS.iter().find(|(s, _)| *s == short) else {
        return Err(ParseError::at(
            format!(
                "unknown tag `!{short}`; CloudFormation knows !Ref, !GetAtt, !Sub, !Join, !If, !Select, !Split, !FindInMap, !ImportValue, !Base64, !Cidr, !GetAZs, !Equals, !Not, !And, !Or, !Condition"
            ),
            tag_span.start.line,
            tag_span.start.column,
        ));
    };
    // The tag's position: from the tag to the start of its value.
    let key_span = Span::new(tag_span.start, tag_span.start);
    let arg = match (*long, &v.node) {
        // `!GetAtt A.B` is `Fn::GetAtt: [A, B]`.
        ("Fn::GetAtt", Node::String(s)) => match s.split_once('.') {
            Some((res, attr)) => Value::new(
                Node::Seq(vec![
                    Value::string(res, v.span),
                    Value::string(attr, v.span),
                ]),
                v.span,
            ),
            None => v,
        },
        _ => v,
    };
    Ok(Value::single(long, key_span, arg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(s: &str) -> Value {
        load(s, &Limits::default()).expect("loads")
    }

    #[test]
    fn short_tags_become_long_forms_with_positions() {
        let v = ld("a: !Ref X\nb: !GetAtt Fn.Arn\nc: !Sub\n  - '${A}'\n  - A: 1\n");
        let a = v.get("a").expect("a");
        let (name, arg) = a.intrinsic().expect("intrinsic");
        assert_eq!(name, "Ref");
        assert_eq!(arg.as_str(), Some("X"));
        assert_eq!(a.as_map().expect("map")[0].0.span.start.line, 1);
        assert_eq!(a.as_map().expect("map")[0].0.span.start.column, 4);
        let (name, arg) = v.get("b").expect("b").intrinsic().expect("intrinsic");
        assert_eq!(name, "Fn::GetAtt");
        assert_eq!(arg.as_seq().map(<[Value]>::len), Some(2));
        let (name, arg) = v.get("c").expect("c").intrinsic().expect("intrinsic");
        assert_eq!(name, "Fn::Sub");
        assert_eq!(arg.as_seq().map(<[Value]>::len), Some(2));
    }

    #[test]
    fn keys_and_values_have_positions() {
        let v = ld("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n");
        let (k, t) = v.get("Resources").and_then(|r| r.entry("Fn")).expect("Fn");
        assert_eq!((k.span.start.line, k.span.start.column), (2, 3));
        let ty = t.get("Type").expect("type");
        assert_eq!((ty.span.start.line, ty.span.start.column), (3, 11));
    }

    #[test]
    fn json_goes_through_the_same_loader() {
        let v = ld("{\n  \"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\", \"N\": 3, \"B\": true}}\n}");
        let a = v.get_path(&["Resources", "A"]).expect("A");
        assert_eq!(
            a.get("Type").and_then(Value::as_str),
            Some("AWS::S3::Bucket")
        );
        assert_eq!(a.get("N").expect("N").node, Node::Number("3".into()));
        assert_eq!(a.get("B").and_then(Value::as_bool), Some(true));
        assert_eq!(a.span.start.line, 2);
    }

    #[test]
    fn duplicate_keys_report_both_positions() {
        let e = load("a: 1\nb: 2\na: 3\n", &Limits::default()).expect_err("duplicate");
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("line 1, column 1"), "{}", e.message);
    }

    /// libyaml also breaks lines at a lone CR, NEL, LS and PS; editors break at LF only.
    /// Positions are the editor's: otherwise an error or a finding points past the text.
    #[test]
    fn positions_count_lines_as_editors_do() {
        // the proptest's find: an error "on line 3" of a one-line text
        let e = load("\u{a1}:\u{2028}\u{a1}", &Limits::default()).expect_err("invalid");
        assert_eq!(e.line, 1, "{e:?}");
        for brk in ["\u{2028}", "\u{2029}", "\u{85}", "\r"] {
            let text = format!("a: \"x{brk}y\"\nb: 2\nc: [1,\n");
            let v = load(&text.replace("c: [1,\n", ""), &Limits::default())
                .unwrap_or_else(|e| panic!("{brk:?}: {e:?}"));
            let b = v
                .as_map()
                .expect("map")
                .iter()
                .find(|(k, _)| k.name == "b")
                .expect("b");
            assert_eq!(
                (b.0.span.start.line, b.0.span.start.column),
                (2, 1),
                "{brk:?}"
            );
            let e = load(&text, &Limits::default()).expect_err("unclosed");
            assert!(e.line <= 4, "{brk:?}: {e:?}");
        }
        // columns count characters, across the odd break, on the editor's line
        let v = ld("{a: \"\u{2028}\u{e9}\", b: 1}\n");
        let b = &v.as_map().expect("map")[1].0;
        assert_eq!(b.name, "b");
        assert_eq!((b.span.start.line, b.span.start.column), (1, 11));
        // a cursor that moves back restarts from its line's start
        let input = "ab\ncd\u{e9}f\n".as_bytes();
        let mut cur = LineCursor::new(input);
        assert_eq!(cur.at(input, 8), (1, 4));
        assert_eq!(cur.at(input, 4), (1, 1));
        assert_eq!(cur.at(input, 1), (0, 1));
        assert_eq!(cur.at(input, 9), (2, 0));
    }

    #[test]
    fn merge_keys_are_not_duplicates() {
        let v = ld("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        let m = v.get("m").expect("m");
        assert_eq!(m.get("x").and_then(Value::as_i64), Some(1));
        assert_eq!(m.get("y").and_then(Value::as_i64), Some(3));
    }

    #[test]
    fn alias_bomb_is_refused_with_a_position() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let e = load(&s, &Limits::default()).expect_err("bomb");
        assert!(e.message.contains("aliases"), "{}", e.message);
        assert!(e.line > 1);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = load(&s, &Limits::default()).expect_err("deep");
        assert!(e.message.contains("nests deeper"), "{}", e.message);
        assert_eq!(e.line, 1);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = load("a: b\n  c: d: e\n", &Limits::default()).expect_err("broken");
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
    }

    #[test]
    fn unknown_tags_are_errors() {
        let e = load("a: !Foo x\n", &Limits::default()).expect_err("tag");
        assert!(e.message.contains("!Foo"));
    }

    #[test]
    fn too_large_input_is_refused() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let e = load("a: 0123456789\n", &limits).expect_err("size");
        assert!(e.message.contains("at most 10 bytes"));
    }

    #[test]
    fn scalars_resolve_like_yaml_core() {
        let v = ld("a: 1.5\nb: '1'\nc: ~\nd: yes\ne: 0x1F\nf: 1e3\ng: 1.2.3\n");
        assert_eq!(v.get("a").expect("a").node, Node::Number("1.5".into()));
        assert_eq!(v.get("b").expect("b").node, Node::String("1".into()));
        assert!(v.get("c").expect("c").is_null());
        assert_eq!(v.get("d").expect("d").node, Node::String("yes".into()));
        assert_eq!(v.get("e").expect("e").node, Node::Number("0x1F".into()));
        assert_eq!(v.get("f").expect("f").node, Node::Number("1e3".into()));
        assert_eq!(v.get("g").expect("g").node, Node::String("1.2.3".into()));
    }
}
