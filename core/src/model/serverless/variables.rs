//! Serverless variables: `${self:…}`, `${opt:…}`, `${sls:…}`, `${env:…}`, `${param:…}`,
//! `${strToBool(…)}`, fallbacks; sources pillarlint cannot read stay as written with a diagnostic.

use crate::smap::StrMap;
use crate::span::Span;
use crate::value::{Node, Value};

use super::mk::{boolean, s};

const SOURCES: &[&str] = &[
    "self",
    "opt",
    "sls",
    "env",
    "aws",
    "file",
    "cf",
    "s3",
    "ssm",
    "param",
    "strToBool",
    "git",
];

const MAX_DEPTH: usize = 32;

struct Vars<'a> {
    root: &'a Value,
    stack: Vec<String>,
    memo: StrMap<Option<Value>>,
    diags: Vec<(String, Span)>,
    depth: usize,
}

/// Resolve the Serverless variables of a whole configuration.
pub fn resolve_variables(root: &Value) -> (Value, Vec<(String, Span)>) {
    let mut v = Vars {
        root,
        stack: Vec::new(),
        memo: StrMap::new(),
        diags: Vec::new(),
        depth: 0,
    };
    let out = v.value(root);
    (out, v.diags)
}

/// What a `${…}` evaluates to.
enum Eval {
    Found(Value),
    Missing,
}

impl Vars<'_> {
    fn value(&mut self, v: &Value) -> Value {
        match &v.node {
            Node::String(text) if text.contains("${") => self.string(text, v.span),
            Node::Seq(items) => Value::new(
                Node::Seq(items.iter().map(|i| self.value(i)).collect()),
                v.span,
            ),
            Node::Map(entries) => Value::new(
                Node::Map(
                    entries
                        .iter()
                        .map(|(k, i)| (k.clone(), self.value(i)))
                        .collect(),
                ),
                v.span,
            ),
            _ => v.clone(),
        }
    }

    /// Resolve the variables of a string; a string that is exactly one variable takes the
    /// variable's value (which may be a map or a list).
    fn string(&mut self, text: &str, span: Span) -> Value {
        let mut out = String::new();
        let mut rest = text;
        let mut whole: Option<Value> = None;
        while let Some(i) = rest.find("${") {
            let Some(end) = matching_brace(&rest[i..]) else {
                break;
            };
            let inner = &rest[i + 2..i + end];
            let full = &rest[i..=i + end];
            out.push_str(&rest[..i]);
            let is_var = source_of(inner).is_some();
            if !is_var {
                out.push_str(full);
                rest = &rest[i + end + 1..];
                continue;
            }
            let resolved = self.variable(inner, span);
            let exactly = i == 0 && i + end + 1 == rest.len() && out.is_empty();
            match resolved {
                Some(val) if exactly => whole = Some(val),
                Some(val) => {
                    match val.as_str() {
                        Some(s) => out.push_str(s),
                        None if val.is_null() => {}
                        None => {
                            self.diags.push((
                            format!("variable `{full}` is a map or list and cannot be part of a string"),
                            span,
                        ));
                            out.push_str(full);
                        }
                    }
                }
                None => out.push_str(full),
            }
            rest = &rest[i + end + 1..];
        }
        if let Some(mut w) = whole {
            w.span = span;
            return w;
        }
        out.push_str(rest);
        Value::string(out, span)
    }

    /// One `${…}` (without the braces): nested variables first, then fallbacks left to right.
    fn variable(&mut self, inner: &str, span: Span) -> Option<Value> {
        if self.depth > MAX_DEPTH {
            self.diags.push((
                format!("variable `${{{inner}}}` nests too deeply; kept as written"),
                span,
            ));
            return None;
        }
        self.depth += 1;
        let r = self.variable_inner(inner, span);
        self.depth -= 1;
        r
    }

    fn variable_inner(&mut self, inner: &str, span: Span) -> Option<Value> {
        // Nested `${…}` inside an address or parameter.
        let inner_text = if inner.contains("${") {
            let v = self.string(inner, span);
            match v.as_str() {
                Some(s) if !s.contains("${") => s.to_owned(),
                _ => {
                    self.diags.push((
                        format!("variable `${{{inner}}}` depends on a value the file does not give; kept as written"),
                        span,
                    ));
                    return None;
                }
            }
        } else {
            inner.to_owned()
        };
        let mut missing_sources = Vec::new();
        for alt in split_fallbacks(&inner_text) {
            let alt = alt.trim();
            if let Some(lit) = literal(alt, span) {
                return Some(lit);
            }
            match self.source(alt, span) {
                Some(Eval::Found(v)) => return Some(v),
                Some(Eval::Missing) | None => missing_sources.push(alt.to_owned()),
            }
        }
        let why = missing_sources
            .iter()
            .map(|m| match source_of(m) {
                Some("env") => format!("`{m}` (the environment is never read)"),
                Some("opt") => format!("`{m}` (no CLI option is given)"),
                Some("file" | "cf" | "s3" | "ssm" | "param" | "git") => {
                    format!("`{m}` (outside the file)")
                }
                _ => format!("`{m}`"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        self.diags.push((
            format!(
                "variable `${{{inner}}}` cannot be resolved from the file: {why}; kept as written"
            ),
            span,
        ));
        None
    }

    fn source(&mut self, alt: &str, span: Span) -> Option<Eval> {
        let src = source_of(alt)?;
        let address = alt.find(':').map(|i| alt[i + 1..].trim()).unwrap_or("");
        Some(match src {
            "self" => match self.self_path(address, span) {
                Some(v) if !v.is_null() => Eval::Found(v),
                _ => Eval::Missing,
            },
            "sls" => match address {
                "stage" => Eval::Found(self.stage(span)),
                _ => Eval::Missing,
            },
            "aws" => match address {
                "region" => match self.self_path("provider.region", span) {
                    Some(v) if !v.is_null() => Eval::Found(v),
                    _ => Eval::Found(s("us-east-1", span)),
                },
                _ => Eval::Missing,
            },
            "param" => {
                // v3 `params.<stage>` / `params.default`; v4 `stages.<stage>.params` /
                // `stages.default.params`. Dashboard parameters are outside the file.
                let stage = self.stage(span);
                let stage = stage.as_str().unwrap_or("dev").to_owned();
                let mut found = None;
                for path in [
                    format!("params.{stage}.{address}"),
                    format!("params.default.{address}"),
                    format!("stages.{stage}.params.{address}"),
                    format!("stages.default.params.{address}"),
                ] {
                    if let Some(v) = self.self_path(&path, span).filter(|v| !v.is_null()) {
                        found = Some(v);
                        break;
                    }
                }
                match found {
                    Some(v) => Eval::Found(v),
                    None => Eval::Missing,
                }
            }
            "strToBool" => {
                let arg = alt
                    .find('(')
                    .and_then(|i| alt[i + 1..].rfind(')').map(|j| &alt[i + 1..i + 1 + j]))
                    .unwrap_or("")
                    .trim();
                let arg = arg.trim_matches(|c| c == '\'' || c == '"');
                match arg {
                    "true" | "1" => Eval::Found(boolean(true, span)),
                    "false" | "0" | "null" => Eval::Found(boolean(false, span)),
                    _ => Eval::Missing,
                }
            }
            // opt: no CLI options; env: never read; the rest lives outside the file.
            _ => Eval::Missing,
        })
    }

    fn stage(&mut self, span: Span) -> Value {
        match self.self_path("provider.stage", span) {
            Some(v) if v.as_str().is_some() => v,
            _ => s("dev", span),
        }
    }

    /// `${self:a.b}`: the value at that path, its own variables resolved.
    fn self_path(&mut self, address: &str, span: Span) -> Option<Value> {
        let path = address.trim();
        if self.stack.iter().any(|p| p == path) {
            self.diags.push((
                format!("variable `${{self:{path}}}` refers to itself and never resolves; kept as written"),
                span,
            ));
            return None;
        }
        if let Some(m) = self.memo.get(path) {
            return m.clone();
        }
        let mut cur = self.root;
        if !path.is_empty() {
            for part in path.split('.') {
                let next = match &cur.node {
                    Node::Seq(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => cur.get(part),
                };
                match next {
                    Some(n) => cur = n,
                    None => {
                        self.memo.insert(path.to_owned(), None);
                        return None;
                    }
                }
            }
        }
        self.stack.push(path.to_owned());
        let v = self.value(cur);
        self.stack.pop();
        let unresolved = v.as_str().is_some_and(|s| s.contains("${self:"));
        let out = (!unresolved).then_some(v);
        self.memo.insert(path.to_owned(), out.clone());
        out
    }
}

/// The index of the `}` closing the `${` at the start of `s`.
fn matching_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The source of a variable (`self`, `opt`, …) if it is one the Framework knows.
fn source_of(inner: &str) -> Option<&'static str> {
    let t = inner.trim_start();
    let name: String = t.chars().take_while(char::is_ascii_alphanumeric).collect();
    let after = t[name.len()..].chars().next();
    if !matches!(after, Some(':' | '(')) {
        return None;
    }
    if after == Some(':') && t[name.len() + 1..].starts_with(':') {
        return None; // `${AWS::Region}`: CloudFormation
    }
    SOURCES.iter().find(|s| **s == name).copied()
}

fn split_fallbacks(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '{' | '[') => depth += 1,
            (None, ')' | '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn literal(alt: &str, span: Span) -> Option<Value> {
    if alt.len() >= 2
        && ((alt.starts_with('\'') && alt.ends_with('\''))
            || (alt.starts_with('"') && alt.ends_with('"')))
    {
        return Some(s(&alt[1..alt.len() - 1], span));
    }
    match alt {
        "true" => return Some(boolean(true, span)),
        "false" => return Some(boolean(false, span)),
        "null" => return Some(Value::new(Node::Null, span)),
        _ => {}
    }
    if crate::value::parse_number(alt).is_some() {
        return Some(Value::new(Node::Number(alt.to_owned()), span));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_split_at_top_level_commas_only() {
        assert_eq!(
            split_fallbacks("opt:stage, self:provider.stage, 'd,ev'"),
            vec!["opt:stage", " self:provider.stage", " 'd,ev'"]
        );
        assert_eq!(source_of("AWS::Region"), None);
        assert_eq!(source_of("self:custom.x"), Some("self"));
        assert_eq!(source_of("file(./x.yml):a"), Some("file"));
    }
}
