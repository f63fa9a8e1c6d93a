//! A positioned reader for HCL native syntax (`.tf` files), after hashicorp/hcl's
//! `hclsyntax/spec.md`: bodies of attributes and blocks, expressions (literals, tuples,
//! objects, templates with `${}` interpolation and `%{if}`/`%{for}` directives, heredocs,
//! traversals, indexes, splats, function calls, `for` expressions, unary and binary
//! operators, conditionals) and the three comment styles.
//!
//! One parser path in the style of the YAML loader: every attribute, block, label and
//! expression carries its [`Span`] (line and column as editors count them); errors are a
//! [`ParseError`] at the offending character; nesting depth and input size are bounded by
//! [`Limits`]; nothing here can panic on any input (the `hcl` fuzz target checks it).
//! Comments that carry suppressions (`# pillarlint:ignore …`, `#checkov:skip=…`) are kept with
//! their position; the others are skipped.

use crate::parse::{Limits, ParseError};
use crate::span::{Pos, Span};

/// A body: attributes and blocks in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    /// The name's position.
    pub span: Span,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    /// From the block type to the last label: where findings about the block point.
    pub span: Span,
    /// The whole block, to its closing brace (which comments belong to it).
    pub whole: Span,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(String),
    /// A quoted string or heredoc; a template without interpolation is one literal part.
    Template(Vec<Part>),
    Tuple(Vec<Expr>),
    /// Keys are expressions; a bare identifier key is a one-literal template.
    Object(Vec<(Expr, Expr)>),
    /// A variable (`var`, `local`, `aws_lambda_function`, `each`, a `for` variable...).
    Var(String),
    GetAttr(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    /// `x[*].a.b` / `x.*.a`: the traversal after the splat applies to each element.
    Splat(Box<Expr>, Vec<Step>),
    Call(String, Vec<Expr>, bool),
    Unary(u8, Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
}

/// One step of the traversal after a splat.
#[derive(Debug, Clone)]
pub enum Step {
    Attr(String),
    Index(Expr),
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub val_var: String,
    pub coll: Expr,
    /// `Some` for an object `for` (`{for k, v in x : k => v}`).
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value: group values by key.
    pub group: bool,
}

#[derive(Debug, Clone)]
pub enum Part {
    Lit(String),
    Interp(Expr),
    If(Expr, Vec<Part>, Vec<Part>),
    For(Option<String>, String, Expr, Vec<Part>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl Op {
    fn prec(self) -> u8 {
        match self {
            Op::Or => 1,
            Op::And => 2,
            Op::Eq | Op::Ne => 3,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => 4,
            Op::Add | Op::Sub => 5,
            Op::Mul | Op::Div | Op::Mod => 6,
        }
    }
}

/// A comment that carries a suppression, with where it is.
#[derive(Debug, Clone)]
pub struct Directive {
    pub text: String,
    pub span: Span,
}

/// A parsed file.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub body: Body,
    pub directives: Vec<Directive>,
}

/// Read one `.tf` file; spans are marked with `file` (its index in the module).
pub fn parse(text: &str, file: u16, limits: &Limits) -> Result<File, ParseError> {
    if text.len() > limits.max_bytes {
        return Err(ParseError::at(
            format!(
                "the file is {} bytes; pillarlint reads at most {} bytes",
                text.len(),
                limits.max_bytes
            ),
            1,
            1,
        ));
    }
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        max_depth: max_depth(limits),
        file,
        lines: line_starts(text),
        directives: Vec::new(),
        nl: false,
    };
    let body = p.body(false)?;
    Ok(File {
        body,
        directives: p.directives,
    })
}

/// Read a template (the text of a `.tf.json` string) whose parts all take `span`.
pub fn parse_template(text: &str, span: Span, limits: &Limits) -> Result<Vec<Part>, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        max_depth: max_depth(limits),
        file: span.file(),
        lines: line_starts(text),
        directives: Vec::new(),
        nl: true,
    };
    let parts = p.template(Mode::Raw(text.len()), 0)?;
    let mut parts = parts;
    respan_parts(&mut parts, span);
    Ok(parts)
}

/// Read an expression (a `.tf.json` `${…}`-free value such as a `count`), spans all `span`.
pub fn parse_expr(text: &str, span: Span, limits: &Limits) -> Result<Expr, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        max_depth: max_depth(limits),
        file: span.file(),
        lines: line_starts(text),
        directives: Vec::new(),
        nl: true,
    };
    let mut e = p.expr()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the expression"));
    }
    respan(&mut e, span);
    Ok(e)
}

fn respan_parts(parts: &mut [Part], span: Span) {
    for p in parts {
        match p {
            Part::Lit(_) => {}
            Part::Interp(e) => respan(e, span),
            Part::If(c, a, b) => {
                respan(c, span);
                respan_parts(a, span);
                respan_parts(b, span);
            }
            Part::For(_, _, c, body) => {
                respan(c, span);
                respan_parts(body, span);
            }
        }
    }
}

fn respan(e: &mut Expr, span: Span) {
    e.span = span;
    match &mut e.kind {
        ExprKind::Template(parts) => respan_parts(parts, span),
        ExprKind::Tuple(items) => items.iter_mut().for_each(|x| respan(x, span)),
        ExprKind::Object(items) => items.iter_mut().for_each(|(k, v)| {
            respan(k, span);
            respan(v, span);
        }),
        ExprKind::GetAttr(x, _) | ExprKind::Unary(_, x) => respan(x, span),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            respan(a, span);
            respan(b, span);
        }
        ExprKind::Splat(x, steps) => {
            respan(x, span);
            for s in steps {
                if let Step::Index(i) = s {
                    respan(i, span);
                }
            }
        }
        ExprKind::Call(_, args, _) => args.iter_mut().for_each(|x| respan(x, span)),
        ExprKind::Cond(a, b, c) => {
            respan(a, span);
            respan(b, span);
            respan(c, span);
        }
        ExprKind::For(f) => {
            respan(&mut f.coll, span);
            respan(&mut f.value, span);
            if let Some(k) = &mut f.key {
                respan(k, span);
            }
            if let Some(c) = &mut f.cond {
                respan(c, span);
            }
        }
        _ => {}
    }
}

/// The parser recurses (a few frames per level); Terraform files nest a dozen levels at most,
/// and the browser's stack is small, so the YAML loader's depth limit is capped here.
fn max_depth(limits: &Limits) -> usize {
    limits.max_depth.clamp(8, 100)
}

/// Byte offset and character offset of each line's start.
fn line_starts(text: &str) -> Vec<(usize, usize)> {
    let mut v = vec![(0, 0)];
    let mut chars = 0;
    for (i, b) in text.bytes().enumerate() {
        if (b & 0xC0) != 0x80 {
            chars += 1;
        }
        if b == b'\n' {
            v.push((i + 1, chars));
        }
    }
    v
}

/// Where a template ends.
#[derive(Clone, Copy)]
enum Mode {
    /// A quoted string: ends at `"`, backslash escapes, no line breaks.
    Quoted,
    /// Heredoc content or a JSON string: ends at this byte offset, no escapes.
    Raw(usize),
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
    max_depth: usize,
    file: u16,
    lines: Vec<(usize, usize)>,
    directives: Vec<Directive>,
    /// Are line breaks insignificant here (inside parentheses, brackets, interpolations)?
    nl: bool,
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80
}

impl Parser<'_> {
    // not inlined: called from some forty places, each copy would cost the web app
    #[inline(never)]
    fn pos(&self, at: usize) -> Pos {
        let at = at.min(self.s.len());
        let line = self
            .lines
            .partition_point(|&(s, _)| s <= at)
            .saturating_sub(1);
        let (start, chars) = self.lines.get(line).copied().unwrap_or((0, 0));
        let col = self
            .text
            .get(start..at)
            .map_or(at - start, |t| t.chars().count());
        let offset = chars + col;
        Pos {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
            // below the file index's bits (see [`crate::span::MAX_OFFSET`])
            offset: u32::try_from(offset)
                .unwrap_or(u32::MAX)
                .min(crate::span::MAX_OFFSET),
        }
    }

    #[inline(never)]
    fn span(&self, from: usize, to: usize) -> Span {
        Span::new(self.pos(from), self.pos(to)).in_file(self.file)
    }

    fn err_at(&self, at: usize, msg: impl std::fmt::Display) -> ParseError {
        let p = self.pos(at);
        ParseError::at(format!("invalid HCL: {msg}"), p.line, p.column)
    }

    fn err(&self, msg: impl std::fmt::Display) -> ParseError {
        self.err_at(self.i, msg)
    }

    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(0)
    }

    fn peek_at(&self, k: usize) -> u8 {
        self.s.get(self.i + k).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn starts(&self, t: &str) -> bool {
        self.s
            .get(self.i..)
            .is_some_and(|r| r.starts_with(t.as_bytes()))
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.err(format_args!(
                "the file nests deeper than {} levels; refusing to read it",
                self.max_depth
            )));
        }
        Ok(())
    }

    /// Skip blanks and comments; line breaks too when `self.nl`.
    fn ws(&mut self) {
        let nl = self.nl;
        self.skip(nl);
    }

    fn skip(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' if newlines => self.i += 1,
                b'#' => self.line_comment(),
                b'/' if self.peek_at(1) == b'/' => self.line_comment(),
                b'/' if self.peek_at(1) == b'*' => {
                    let from = self.i;
                    let end = self.text.get(self.i + 2..).and_then(|r| r.find("*/"));
                    self.i = end.map_or(self.s.len(), |e| self.i + 2 + e + 2);
                    self.note_comment(from, self.i);
                }
                _ => return,
            }
        }
    }

    fn line_comment(&mut self) {
        let from = self.i;
        let end = self.text.get(self.i..).and_then(|r| r.find('\n'));
        self.i = end.map_or(self.s.len(), |e| self.i + e);
        self.note_comment(from, self.i);
    }

    fn note_comment(&mut self, from: usize, to: usize) {
        let Some(text) = self.text.get(from..to) else {
            return;
        };
        if text.contains("pillarlint:") || text.contains("checkov:") {
            let span = self.span(from, to);
            self.directives.push(Directive {
                text: text.to_owned(),
                span,
            });
        }
    }

    fn ident(&mut self) -> Option<String> {
        if !is_id_start(self.peek()) {
            return None;
        }
        let from = self.i;
        while is_id_char(self.peek()) {
            self.i += 1;
        }
        // identifiers are ASCII or whole UTF-8 sequences: stop only on a character boundary
        while !self.text.is_char_boundary(self.i) {
            self.i += 1;
        }
        self.text.get(from..self.i).map(str::to_owned)
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), ParseError> {
        self.ws();
        if self.peek() == c {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(format_args!("expected {what}{}", self.found())))
        }
    }

    /// ", found `x`" for error messages.
    fn found(&self) -> String {
        if self.at_end() {
            return ", found the end of the file".into();
        }
        match self.text.get(self.i..).and_then(|r| r.chars().next()) {
            Some('\n') => ", found a line break".into(),
            Some(c) => format!(", found `{c}`"),
            None => String::new(),
        }
    }

    fn body(&mut self, nested: bool) -> Result<Body, ParseError> {
        self.enter()?;
        let saved = self.nl;
        self.nl = false;
        let mut body = Body::default();
        loop {
            self.skip(true);
            if self.at_end() {
                if nested {
                    return Err(
                        self.err("expected `}` to close the block, found the end of the file")
                    );
                }
                break;
            }
            if self.peek() == b'}' {
                if nested {
                    break;
                }
                return Err(self.err("unexpected `}`: no block is open here"));
            }
            let from = self.i;
            let Some(name) = self.ident() else {
                return Err(self.err(format_args!(
                    "expected an argument name or a block type{}",
                    self.found()
                )));
            };
            let name_end = self.i;
            self.skip(false);
            if self.peek() == b'=' && self.peek_at(1) != b'=' {
                self.i += 1;
                let expr = self.expr()?;
                self.skip(false);
                if !(self.at_end() || matches!(self.peek(), b'\n' | b'}')) {
                    return Err(self.err(format_args!(
                        "expected a line break after the value of `{name}`{}",
                        self.found()
                    )));
                }
                if let Some(prev) = body.attrs.iter().find(|a| a.name == name) {
                    return Err(self.err_at(
                        from,
                        format_args!(
                            "duplicate argument `{name}` (first set at line {}, column {})",
                            prev.span.start.line, prev.span.start.column
                        ),
                    ));
                }
                body.attrs.push(Attribute {
                    name,
                    span: self.span(from, name_end),
                    expr,
                });
                continue;
            }
            let mut labels = Vec::new();
            let mut head_end = name_end;
            loop {
                self.skip(false);
                match self.peek() {
                    b'"' => {
                        let at = self.i;
                        self.i += 1;
                        let parts = self.template(Mode::Quoted, at)?;
                        let [Part::Lit(l)] = parts.as_slice() else {
                            return Err(self.err_at(at, "a block label cannot use `${` or `%{`"));
                        };
                        labels.push(l.clone());
                        head_end = self.i;
                    }
                    b'{' => break,
                    c if is_id_start(c) => {
                        if let Some(l) = self.ident() {
                            labels.push(l);
                        }
                        head_end = self.i;
                    }
                    _ => {
                        return Err(self.err(format_args!(
                            "expected `=` after the argument name `{name}`, or `{{` to open a `{name}` block{}",
                            self.found()
                        )))
                    }
                }
            }
            self.i += 1;
            let inner = self.body(true)?;
            self.i += 1; // the `}` the nested body stopped at
            let end = self.i;
            self.skip(false);
            if !matches!(self.peek(), b'\n' | b'}') && !self.at_end() {
                return Err(self.err(format_args!(
                    "expected a line break after the `{name}` block{}",
                    self.found()
                )));
            }
            body.blocks.push(Block {
                kind: name,
                labels,
                span: self.span(from, head_end),
                whole: self.span(from, end),
                body: inner,
            });
        }
        self.nl = saved;
        self.depth -= 1;
        Ok(body)
    }

    pub fn expr(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let from = self.skip_to_expr();
        let cond = self.binary(0)?;
        self.ws();
        let e = if self.peek() == b'?' {
            self.i += 1;
            self.skip(true);
            let a = self.expr()?;
            self.skip(true);
            self.expect(b':', "`:` in the conditional")?;
            self.skip(true);
            let b = self.expr()?;
            Expr {
                span: self.span(from, self.i),
                kind: ExprKind::Cond(Box::new(cond), Box::new(a), Box::new(b)),
            }
        } else {
            cond
        };
        self.depth -= 1;
        Ok(e)
    }

    fn skip_to_expr(&mut self) -> usize {
        self.ws();
        self.i
    }

    fn op(&mut self) -> Option<Op> {
        self.ws();
        let (op, n) = match (self.peek(), self.peek_at(1)) {
            (b'|', b'|') => (Op::Or, 2),
            (b'&', b'&') => (Op::And, 2),
            (b'=', b'=') => (Op::Eq, 2),
            (b'!', b'=') => (Op::Ne, 2),
            (b'<', b'=') => (Op::Le, 2),
            (b'>', b'=') => (Op::Ge, 2),
            (b'<', b'<') => return None,
            (b'<', _) => (Op::Lt, 1),
            (b'>', _) => (Op::Gt, 1),
            (b'+', _) => (Op::Add, 1),
            (b'-', _) => (Op::Sub, 1),
            (b'*', _) => (Op::Mul, 1),
            (b'/', b'/' | b'*') => return None,
            (b'/', _) => (Op::Div, 1),
            (b'%', b'{') => return None,
            (b'%', _) => (Op::Mod, 1),
            _ => return None,
        };
        self.i += n;
        Some(op)
    }

    fn binary(&mut self, min: u8) -> Result<Expr, ParseError> {
        let from = self.skip_to_expr();
        let mut lhs = self.unary()?;
        loop {
            let save = self.i;
            let Some(op) = self.op() else {
                self.i = save;
                break;
            };
            if op.prec() <= min {
                self.i = save;
                break;
            }
            self.skip(true);
            self.enter()?;
            let rhs = self.binary(op.prec())?;
            self.depth -= 1;
            lhs = Expr {
                span: self.span(from, self.i),
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let from = self.skip_to_expr();
        let op = match self.peek() {
            b'-' => b'-',
            b'!' => b'!',
            _ => return self.postfix(),
        };
        self.i += 1;
        self.enter()?;
        let inner = self.unary()?;
        self.depth -= 1;
        Ok(Expr {
            span: self.span(from, self.i),
            kind: ExprKind::Unary(op, Box::new(inner)),
        })
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let from = self.i;
        let mut e = self.primary()?;
        loop {
            // traversals do not continue across line breaks outside brackets
            let save = self.i;
            self.ws();
            match (self.peek(), self.peek_at(1)) {
                // `...` after a `for` value or the last call argument
                (b'.', b'.') => {
                    self.i = save;
                    break;
                }
                (b'.', b'*') => {
                    self.i += 2;
                    let steps = self.splat_steps(true)?;
                    e = Expr {
                        span: self.span(from, self.i),
                        kind: ExprKind::Splat(Box::new(e), steps),
                    };
                }
                (b'.', c) if c.is_ascii_digit() => {
                    self.i += 1;
                    let at = self.i;
                    while self.peek().is_ascii_digit() {
                        self.i += 1;
                    }
                    let n = self.text.get(at..self.i).unwrap_or("0").to_owned();
                    let idx = Expr {
                        span: self.span(at, self.i),
                        kind: ExprKind::Number(n),
                    };
                    e = Expr {
                        span: self.span(from, self.i),
                        kind: ExprKind::Index(Box::new(e), Box::new(idx)),
                    };
                }
                (b'.', _) => {
                    self.i += 1;
                    let Some(name) = self.ident() else {
                        return Err(self.err(format_args!(
                            "expected an attribute name after `.`{}",
                            self.found()
                        )));
                    };
                    e = Expr {
                        span: self.span(from, self.i),
                        kind: ExprKind::GetAttr(Box::new(e), name),
                    };
                }
                (b'[', _) => {
                    self.i += 1;
                    let saved = self.nl;
                    self.nl = true;
                    self.ws();
                    if self.peek() == b'*' {
                        self.i += 1;
                        self.expect(b']', "`]` after `[*`")?;
                        self.nl = saved;
                        let steps = self.splat_steps(false)?;
                        e = Expr {
                            span: self.span(from, self.i),
                            kind: ExprKind::Splat(Box::new(e), steps),
                        };
                        continue;
                    }
                    let idx = self.expr()?;
                    self.expect(b']', "`]` to close the index")?;
                    self.nl = saved;
                    e = Expr {
                        span: self.span(from, self.i),
                        kind: ExprKind::Index(Box::new(e), Box::new(idx)),
                    };
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        Ok(e)
    }

    /// The traversal after a splat: attributes (and, after `[*]`, indexes too).
    fn splat_steps(&mut self, attr_only: bool) -> Result<Vec<Step>, ParseError> {
        let mut steps = Vec::new();
        loop {
            match (self.peek(), self.peek_at(1)) {
                (b'.', c) if is_id_start(c) => {
                    self.i += 1;
                    if let Some(n) = self.ident() {
                        steps.push(Step::Attr(n));
                    }
                }
                (b'[', c) if !attr_only && c != b'*' => {
                    self.i += 1;
                    let saved = self.nl;
                    self.nl = true;
                    let idx = self.expr()?;
                    self.expect(b']', "`]` to close the index")?;
                    self.nl = saved;
                    steps.push(Step::Index(idx));
                }
                _ => return Ok(steps),
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.ws();
        let from = self.i;
        let c = self.peek();
        let kind = match c {
            b'"' => {
                self.i += 1;
                ExprKind::Template(self.template(Mode::Quoted, from)?)
            }
            b'<' if self.starts("<<") => self.heredoc()?,
            b'0'..=b'9' => ExprKind::Number(self.number()),
            b'[' => {
                self.i += 1;
                self.tuple()?
            }
            b'{' => {
                self.i += 1;
                self.object()?
            }
            b'(' => {
                self.i += 1;
                let saved = self.nl;
                self.nl = true;
                let mut inner = self.expr()?;
                self.expect(b')', "`)`")?;
                self.nl = saved;
                inner.span = self.span(from, self.i);
                return Ok(inner);
            }
            c if is_id_start(c) => {
                let name = self.ident().unwrap_or_default();
                match name.as_str() {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    _ => {
                        let mut name = name;
                        // provider-defined functions: provider::aws::arn_parse(...)
                        while self.starts("::") {
                            self.i += 2;
                            let Some(n) = self.ident() else {
                                return Err(self.err("expected a name after `::`"));
                            };
                            name.push_str("::");
                            name.push_str(&n);
                        }
                        let save = self.i;
                        self.skip(false);
                        if self.peek() == b'(' {
                            self.i += 1;
                            self.call(name)?
                        } else {
                            self.i = save;
                            if name.contains("::") {
                                return Err(self.err("expected `(` after a provider function name"));
                            }
                            ExprKind::Var(name)
                        }
                    }
                }
            }
            _ => {
                return Err(self.err(format_args!("expected an expression{}", self.found())));
            }
        };
        Ok(Expr {
            kind,
            span: self.span(from, self.i),
        })
    }

    fn number(&mut self) -> String {
        let from = self.i;
        while self.peek().is_ascii_digit() {
            self.i += 1;
        }
        if self.peek() == b'.' && self.peek_at(1).is_ascii_digit() {
            self.i += 1;
            while self.peek().is_ascii_digit() {
                self.i += 1;
            }
        }
        if matches!(self.peek(), b'e' | b'E') {
            let save = self.i;
            self.i += 1;
            if matches!(self.peek(), b'+' | b'-') {
                self.i += 1;
            }
            if self.peek().is_ascii_digit() {
                while self.peek().is_ascii_digit() {
                    self.i += 1;
                }
            } else {
                self.i = save;
            }
        }
        self.text.get(from..self.i).unwrap_or("0").to_owned()
    }

    fn call(&mut self, name: String) -> Result<ExprKind, ParseError> {
        let saved = self.nl;
        self.nl = true;
        let mut args = Vec::new();
        let mut expand = false;
        while !self.closes(b')') {
            args.push(self.expr()?);
            self.ws();
            if self.starts("...") {
                self.i += 3;
                expand = true;
                self.expect(b')', "`)` after `...`")?;
                break;
            }
            if self.item_end(b')', format_args!("the arguments of `{name}`"))? {
                break;
            }
        }
        self.nl = saved;
        Ok(ExprKind::Call(name, args, expand))
    }

    /// Before an item of a list or call: is it closed here (`close` consumed)?
    fn closes(&mut self, close: u8) -> bool {
        self.ws();
        let closed = self.peek() == close;
        if closed {
            self.i += 1;
        }
        closed
    }

    /// After an item of a list or call: `,` (more may follow) or `close` (true: the end).
    fn item_end(&mut self, close: u8, what: std::fmt::Arguments<'_>) -> Result<bool, ParseError> {
        self.ws();
        match self.peek() {
            b',' => {
                self.i += 1;
                Ok(false)
            }
            c if c == close => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(self.err(format_args!(
                "expected `,` or `{}` in {what}{}",
                char::from(close),
                self.found()
            ))),
        }
    }

    fn keyword(&mut self, kw: &str) -> bool {
        self.ws();
        let after = self.s.get(self.i + kw.len()).copied().unwrap_or(0);
        if self.starts(kw) && !is_id_char(after) {
            self.i += kw.len();
            true
        } else {
            false
        }
    }

    /// The variables of a `for` (`v`, or `k, v`), in expressions and template directives.
    fn for_vars(&mut self) -> Result<(Option<String>, String), ParseError> {
        self.ws();
        let Some(a) = self.ident() else {
            return Err(self.err("expected a variable name after `for`"));
        };
        self.ws();
        let (k, v) = if self.peek() == b',' {
            self.i += 1;
            self.ws();
            let Some(b) = self.ident() else {
                return Err(self.err("expected a second variable name after `,`"));
            };
            (Some(a), b)
        } else {
            (None, a)
        };
        Ok((k, v))
    }

    /// `for k, v in coll :` (after `[` or `{`).
    fn for_intro(&mut self) -> Result<(Option<String>, String, Expr), ParseError> {
        let (k, v) = self.for_vars()?;
        if !self.keyword("in") {
            return Err(self.err(format_args!(
                "expected `in` in the `for` expression{}",
                self.found()
            )));
        }
        let coll = self.expr()?;
        self.expect(b':', "`:` after the `for` collection")?;
        Ok((k, v, coll))
    }

    fn tuple(&mut self) -> Result<ExprKind, ParseError> {
        let saved = self.nl;
        self.nl = true;
        if self.keyword("for") {
            let (key_var, val_var, coll) = self.for_intro()?;
            let value = self.expr()?;
            let cond = if self.keyword("if") {
                Some(self.expr()?)
            } else {
                None
            };
            self.expect(b']', "`]` to close the `for` expression")?;
            self.nl = saved;
            return Ok(ExprKind::For(Box::new(ForExpr {
                key_var,
                val_var,
                coll,
                key: None,
                value,
                cond,
                group: false,
            })));
        }
        let mut items = Vec::new();
        while !self.closes(b']') {
            items.push(self.expr()?);
            if self.item_end(b']', format_args!("the list"))? {
                break;
            }
        }
        self.nl = saved;
        Ok(ExprKind::Tuple(items))
    }

    fn object(&mut self) -> Result<ExprKind, ParseError> {
        let saved = self.nl;
        self.nl = true;
        if self.keyword("for") {
            let (key_var, val_var, coll) = self.for_intro()?;
            let key = self.expr()?;
            self.ws();
            if !self.starts("=>") {
                return Err(self.err(format_args!(
                    "expected `=>` in the object `for` expression{}",
                    self.found()
                )));
            }
            self.i += 2;
            let value = self.expr()?;
            self.ws();
            let group = self.starts("...");
            if group {
                self.i += 3;
            }
            let cond = if self.keyword("if") {
                Some(self.expr()?)
            } else {
                None
            };
            self.expect(b'}', "`}` to close the `for` expression")?;
            self.nl = saved;
            return Ok(ExprKind::For(Box::new(ForExpr {
                key_var,
                val_var,
                coll,
                key: Some(key),
                value,
                cond,
                group,
            })));
        }
        let mut items = Vec::new();
        loop {
            self.skip(true);
            if self.peek() == b'}' {
                self.i += 1;
                break;
            }
            // element values end at a line break, as attributes do
            self.nl = false;
            let key = self.expr()?;
            self.skip(false);
            match self.peek() {
                b'=' | b':' if self.peek_at(1) != b'=' => self.i += 1,
                _ => {
                    return Err(self.err(format_args!(
                        "expected `=` or `:` after the object key{}",
                        self.found()
                    )))
                }
            }
            let value = self.expr()?;
            items.push((key, value));
            self.skip(false);
            match self.peek() {
                b',' | b'\n' => self.i += 1,
                b'}' => {}
                _ => {
                    return Err(self.err(format_args!(
                        "expected `,`, a line break or `}}` after the object element{}",
                        self.found()
                    )))
                }
            }
        }
        self.nl = saved;
        Ok(ExprKind::Object(items))
    }

    fn heredoc(&mut self) -> Result<ExprKind, ParseError> {
        let at = self.i;
        self.i += 2;
        let strip = self.peek() == b'-';
        if strip {
            self.i += 1;
        }
        let Some(marker) = self.ident() else {
            return Err(self.err("expected a heredoc marker after `<<` (as in `<<EOT`)"));
        };
        while matches!(self.peek(), b' ' | b'\t' | b'\r') {
            self.i += 1;
        }
        if self.peek() != b'\n' {
            return Err(self.err("expected a line break after the heredoc marker"));
        }
        self.i += 1;
        let start = self.i;
        // the closing marker: a line holding only it (after indentation)
        let mut line = start;
        let end = loop {
            if line >= self.s.len() {
                return Err(self.err_at(
                    at,
                    format_args!(
                        "heredoc `{marker}` is never closed (no line with only `{marker}`)"
                    ),
                ));
            }
            let next = self
                .text
                .get(line..)
                .and_then(|r| r.find('\n'))
                .map_or(self.s.len(), |e| line + e);
            let l = self.text.get(line..next).unwrap_or("");
            if l.trim() == marker {
                break line;
            }
            line = next + 1;
        };
        let indent = if strip {
            self.text
                .get(start..end)
                .unwrap_or("")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
                .min()
                .unwrap_or(0)
        } else {
            0
        };
        let mut parts = self.template(Mode::Raw(end), at)?;
        if indent > 0 {
            strip_indent(&mut parts, indent);
        }
        // past the closing marker's line
        let close = self
            .text
            .get(end..)
            .and_then(|r| r.find('\n'))
            .map_or(self.s.len(), |e| end + e);
        self.i = close;
        Ok(ExprKind::Template(parts))
    }

    /// A template from the current position: until the closing `"` (quoted) or the end
    /// offset (raw). `open` is where the string started, for errors.
    fn template(&mut self, mode: Mode, open: usize) -> Result<Vec<Part>, ParseError> {
        self.enter()?;
        // a flat list first: literals, interpolations, and directive markers
        enum Flat {
            Part(Part),
            If(Expr, usize),
            Else(usize),
            EndIf(usize),
            For(Option<String>, String, Expr, usize),
            EndFor(usize),
        }
        let mut flat: Vec<Flat> = Vec::new();
        let mut lit = String::new();
        let end = match mode {
            Mode::Raw(e) => e.min(self.s.len()),
            Mode::Quoted => self.s.len(),
        };
        loop {
            if self.i >= end {
                if let Mode::Quoted = mode {
                    return Err(self.err_at(
                        open,
                        "this string is never closed (no `\"` before the end of the file)",
                    ));
                }
                break;
            }
            let c = self.peek();
            match c {
                b'"' if matches!(mode, Mode::Quoted) => {
                    self.i += 1;
                    break;
                }
                b'\n' if matches!(mode, Mode::Quoted) => {
                    return Err(self.err_at(open, "this string is not closed on its line (use a heredoc `<<EOT` for text over several lines)"));
                }
                b'\\' if matches!(mode, Mode::Quoted) => {
                    self.i += 1;
                    let e = self.peek();
                    self.i += 1;
                    match e {
                        b'n' => lit.push('\n'),
                        b't' => lit.push('\t'),
                        b'r' => lit.push('\r'),
                        b'"' => lit.push('"'),
                        b'\\' => lit.push('\\'),
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 8 };
                            let hex = self.text.get(self.i..self.i + n).unwrap_or("");
                            let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                            match ch {
                                Some(ch) if hex.len() == n => {
                                    lit.push(ch);
                                    self.i += n;
                                }
                                _ => return Err(self.err_at(self.i - 2, "invalid `\\u` escape")),
                            }
                        }
                        _ => {
                            return Err(self.err_at(
                                self.i.saturating_sub(2),
                                "invalid escape; strings know \\n, \\t, \\r, \\\", \\\\, \\uNNNN and \\UNNNNNNNN",
                            ))
                        }
                    }
                }
                b'$' | b'%' if self.peek_at(1) == c && self.peek_at(2) == b'{' => {
                    lit.push(c as char);
                    lit.push('{');
                    self.i += 3;
                }
                b'$' | b'%' if self.peek_at(1) == b'{' => {
                    let at = self.i;
                    self.i += 2;
                    if self.peek() == b'~' {
                        self.i += 1;
                        let t = lit.trim_end().len();
                        lit.truncate(t);
                    }
                    if !lit.is_empty() {
                        flat.push(Flat::Part(Part::Lit(std::mem::take(&mut lit))));
                    }
                    let saved = self.nl;
                    self.nl = true;
                    if c == b'$' {
                        let e = self.expr()?;
                        flat.push(Flat::Part(Part::Interp(e)));
                    } else if self.keyword("if") {
                        let e = self.expr()?;
                        flat.push(Flat::If(e, at));
                    } else if self.keyword("else") {
                        flat.push(Flat::Else(at));
                    } else if self.keyword("endif") {
                        flat.push(Flat::EndIf(at));
                    } else if self.keyword("for") {
                        let (k, v, coll) = self.for_intro_template()?;
                        flat.push(Flat::For(k, v, coll, at));
                    } else if self.keyword("endfor") {
                        flat.push(Flat::EndFor(at));
                    } else {
                        return Err(self
                            .err("expected `if`, `else`, `endif`, `for` or `endfor` after `%{`"));
                    }
                    self.ws();
                    let strip_after = self.peek() == b'~';
                    if strip_after {
                        self.i += 1;
                    }
                    if self.peek() != b'}' {
                        return Err(self.err(format_args!(
                            "expected `}}` to close the interpolation{}",
                            self.found()
                        )));
                    }
                    self.i += 1;
                    self.nl = saved;
                    if strip_after {
                        while self.i < end && matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n') {
                            self.i += 1;
                        }
                    }
                    if self.i > end {
                        return Err(
                            self.err_at(at, "the interpolation runs past the end of its string")
                        );
                    }
                }
                _ => {
                    let from = self.i;
                    self.i += 1;
                    while self.i < end && !self.text.is_char_boundary(self.i) {
                        self.i += 1;
                    }
                    lit.push_str(self.text.get(from..self.i).unwrap_or(""));
                }
            }
        }
        if !lit.is_empty() || flat.is_empty() {
            flat.push(Flat::Part(Part::Lit(lit)));
        }
        // nest the directives
        fn nest(
            p: &Parser<'_>,
            it: &mut std::iter::Peekable<std::vec::IntoIter<Flat>>,
            stop: &[u8],
        ) -> Result<(Vec<Part>, Option<Flat>), ParseError> {
            let mut out = Vec::new();
            while let Some(f) = it.next() {
                match f {
                    Flat::Part(x) => out.push(x),
                    Flat::If(c, at) => {
                        let (a, ended) = nest(p, it, b"ei")?;
                        let b = match ended {
                            Some(Flat::Else(_)) => match nest(p, it, b"i")? {
                                (b, Some(Flat::EndIf(_))) => b,
                                _ => return Err(p.err_at(at, "`%{if}` without `%{endif}`")),
                            },
                            Some(Flat::EndIf(_)) => Vec::new(),
                            _ => return Err(p.err_at(at, "`%{if}` without `%{endif}`")),
                        };
                        out.push(Part::If(c, a, b));
                    }
                    Flat::For(k, v, coll, at) => match nest(p, it, b"f")? {
                        (body, Some(Flat::EndFor(_))) => out.push(Part::For(k, v, coll, body)),
                        _ => return Err(p.err_at(at, "`%{for}` without `%{endfor}`")),
                    },
                    Flat::Else(at) if stop.contains(&b'e') => {
                        return Ok((out, Some(Flat::Else(at))))
                    }
                    Flat::EndIf(at) if stop.contains(&b'i') => {
                        return Ok((out, Some(Flat::EndIf(at))))
                    }
                    Flat::EndFor(at) if stop.contains(&b'f') => {
                        return Ok((out, Some(Flat::EndFor(at))))
                    }
                    Flat::Else(at) | Flat::EndIf(at) | Flat::EndFor(at) => {
                        return Err(p.err_at(at, "this template directive closes nothing"))
                    }
                }
            }
            Ok((out, None))
        }
        let mut it = flat.into_iter().peekable();
        let (parts, _) = nest(self, &mut it, b"")?;
        self.depth -= 1;
        Ok(parts)
    }

    fn for_intro_template(&mut self) -> Result<(Option<String>, String, Expr), ParseError> {
        let (k, v) = self.for_vars()?;
        if !self.keyword("in") {
            return Err(self.err("expected `in` in the `%{for}` directive"));
        }
        let coll = self.expr()?;
        Ok((k, v, coll))
    }
}

/// `<<-` heredocs: remove `n` columns of indentation at the start of each line.
fn strip_indent(parts: &mut [Part], n: usize) {
    let mut at_line_start = true;
    for p in parts.iter_mut() {
        if let Part::Lit(s) = p {
            let mut out = String::with_capacity(s.len());
            for (i, line) in s.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                    at_line_start = true;
                }
                if at_line_start {
                    let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
                    out.push_str(line.get(ws.min(n)..).unwrap_or(""));
                } else {
                    out.push_str(line);
                }
                at_line_start = false;
            }
            *s = out;
        } else {
            at_line_start = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> File {
        parse(s, 0, &Limits::default()).unwrap_or_else(|e| panic!("{e}\n{s}"))
    }

    fn perr(s: &str) -> ParseError {
        parse(s, 0, &Limits::default()).expect_err("must fail")
    }

    #[test]
    fn blocks_attributes_and_positions() {
        let f = p("# c\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags = { a = 1, \"b\" = 2 }\n  versioning {\n    enabled = true\n  }\n}\n");
        let b = &f.body.blocks[0];
        assert_eq!(b.kind, "resource");
        assert_eq!(b.labels, ["aws_s3_bucket", "b"]);
        assert_eq!((b.span.start.line, b.span.start.column), (2, 1));
        let a = b.body.attr("bucket").expect("bucket");
        assert_eq!((a.span.start.line, a.span.start.column), (3, 3));
        assert_eq!((a.expr.span.start.line, a.expr.span.start.column), (3, 12));
        let v = &b.body.blocks[0];
        assert_eq!(v.kind, "versioning");
        assert_eq!(v.body.attr("enabled").map(|a| a.span.start.line), Some(6));
        assert!(
            matches!(&b.body.attr("tags").expect("tags").expr.kind, ExprKind::Object(o) if o.len() == 2)
        );
    }

    #[test]
    fn expressions() {
        let f = p(
            r#"a = var.x ? [for k, v in local.m : "${k}-${v}" if v != null] : aws_iam_role.r[*].arn
b = 1 + 2 * 3 == 7 && !false
c = jsonencode({
  Statement = [{ Effect = "Allow", Resource = "${aws_s3_bucket.b.arn}/*" }]
})
d = { for s in var.l : s.name => s... }
e = x.0.y
f = provider::aws::arn_parse("a")
g = (
  1 +
  2
)
h = lookup(var.m, "k", null)
i = -1
j = <<-EOT
    {"a": "${var.x}"}
      indented
    EOT
k = [
  "a",
  "b",
]
"#,
        );
        let a = |n: &str| &f.body.attr(n).expect(n).expr.kind;
        assert!(matches!(a("a"), ExprKind::Cond(..)));
        let ExprKind::Binary(Op::And, l, _) = a("b") else {
            panic!("{:?}", a("b"))
        };
        assert!(matches!(l.kind, ExprKind::Binary(Op::Eq, ..)));
        assert!(
            matches!(a("c"), ExprKind::Call(n, args, false) if n == "jsonencode" && args.len() == 1)
        );
        assert!(matches!(a("d"), ExprKind::For(f) if f.group && f.key.is_some()));
        assert!(matches!(a("e"), ExprKind::GetAttr(..)));
        assert!(matches!(a("f"), ExprKind::Call(n, ..) if n == "provider::aws::arn_parse"));
        assert!(matches!(a("g"), ExprKind::Binary(Op::Add, ..)));
        assert!(matches!(a("i"), ExprKind::Unary(b'-', _)));
        let ExprKind::Template(parts) = a("j") else {
            panic!()
        };
        let Part::Lit(first) = &parts[0] else {
            panic!()
        };
        assert_eq!(first, "{\"a\": \"");
        let Part::Lit(last) = &parts[2] else { panic!() };
        assert_eq!(last, "\"}\n  indented\n");
        assert!(matches!(a("k"), ExprKind::Tuple(t) if t.len() == 2));
    }

    #[test]
    fn templates_directives_and_escapes() {
        let f = p(
            r#"a = "x\n\"${"y"}\"$${z}%{ if var.b }on%{ else }off%{ endif }\u00e9"
b = "%{ for x in var.l ~}${x},%{ endfor ~}"
"#,
        );
        let ExprKind::Template(parts) = &f.body.attr("a").expect("a").expr.kind else {
            panic!()
        };
        assert!(matches!(&parts[0], Part::Lit(s) if s == "x\n\""));
        assert!(matches!(&parts[2], Part::Lit(s) if s == "\"${z}"));
        assert!(matches!(&parts[3], Part::If(_, a, b) if a.len() == 1 && b.len() == 1));
        assert!(matches!(&parts[4], Part::Lit(s) if s == "é"));
        let ExprKind::Template(parts) = &f.body.attr("b").expect("b").expr.kind else {
            panic!()
        };
        assert!(matches!(&parts[0], Part::For(None, v, _, body) if v == "x" && body.len() == 2));
    }

    #[test]
    fn suppression_comments_are_kept() {
        let f = p("resource \"a\" \"b\" {\n  #checkov:skip=CKV_AWS_50:tested elsewhere\n  // pillarlint:ignore LOG001 no\n  x = 1 # plain\n}\n");
        assert_eq!(f.directives.len(), 2);
        assert_eq!(f.directives[0].span.start.line, 2);
        assert!(f.directives[1].text.contains("LOG001"));
    }

    #[test]
    fn errors_are_positioned() {
        let e = perr("resource \"a\" \"b\" {\n  x = \n}\n");
        assert_eq!((e.line, e.column), (2, 7), "{e}");
        let e = perr("a = \"open\nb = 1\n");
        assert_eq!((e.line, e.column), (1, 5), "{e}");
        let e = perr("resource \"a\" \"b\" {\n  x = 1\n");
        assert_eq!(e.line, 3, "{e}");
        let e = perr("a = 1\na = 2\n");
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("line 1"), "{e}");
        let e = perr("a = 1 2\n");
        assert_eq!((e.line, e.column), (1, 7), "{e}");
        let e = perr("x = <<EOT\nabc\n");
        assert_eq!((e.line, e.column), (1, 5), "{e}");
        let e = perr("}\n");
        assert_eq!((e.line, e.column), (1, 1), "{e}");
        let e = perr("a = \"${\"\n");
        assert_eq!(e.line, 1, "{e}");
        let e = perr("a = \"%{ if x }\"\n");
        assert!(e.message.contains("endif"), "{e}");
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("a = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let e = perr(&deep);
        assert!(e.message.contains("nests deeper"), "{e}");
        let deep = format!("{}{}", "a {\n".repeat(5000), "}\n".repeat(5000));
        let e = perr(&deep);
        assert!(e.message.contains("nests deeper"), "{e}");
        let deep = format!("a = {}1\n", "-".repeat(5000));
        assert!(perr(&deep).message.contains("nests deeper"));
        let deep = format!("a = \"{}\"\n", "${\"".repeat(3000));
        assert!(parse(&deep, 0, &Limits::default()).is_err());
    }

    #[test]
    fn columns_count_characters() {
        let f = p("a = \"é\" \nb = \"日本\"; \n".replace("; ", "").as_str());
        assert_eq!(f.body.attr("b").map(|a| a.expr.span.start.column), Some(5));
        let f = p("tags = { \"é\" = \"x\", y = 1 }\n");
        let ExprKind::Object(o) = &f.body.attrs[0].expr.kind else {
            panic!()
        };
        assert_eq!(o[1].0.span.start.column, 21);
    }
}
