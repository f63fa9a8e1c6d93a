//! JSON documents in Terraform: `data "aws_iam_policy_document"` blocks, and policies, API
//! bodies or event patterns written as JSON text (heredocs, `file()`-free strings) or built
//! with `jsonencode(…)`. Each becomes the document's own value tree, in the shape
//! CloudFormation templates carry inline (`Statement`, `Effect`, `Action` …), so the graph's
//! IAM reading and the rules see one shape whatever the input.

use crate::model::mk;
use crate::span::Span;
use crate::value::{Key, Node, Value};

/// Placeholders for interpolated pieces while a JSON heredoc is parsed (private-use
/// characters: they cannot collide with the document's own text in a meaningful one).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// `data "aws_iam_policy_document"`, evaluated to a Terraform-shaped map, as an IAM policy
/// document.
pub fn document(body: &Value, span: Span) -> Value {
    let mut statements: Vec<Value> = Vec::new();
    for k in ["source_policy_documents", "source_json"] {
        for d in body.get(k).map(Value::items).unwrap_or_default() {
            statements.extend(statements_of(&json_value(d)));
        }
    }
    for st in body.get("statement").map(Value::items).unwrap_or_default() {
        statements.push(statement(st));
    }
    for k in ["override_policy_documents", "override_json"] {
        for d in body.get(k).map(Value::items).unwrap_or_default() {
            for s in statements_of(&json_value(d)) {
                // an override replaces the statement with its `Sid`
                let sid = s.get("Sid").and_then(Value::as_str).map(str::to_owned);
                match sid.and_then(|sid| {
                    statements
                        .iter()
                        .position(|x| x.get("Sid").and_then(Value::as_str) == Some(&sid))
                }) {
                    Some(i) => statements[i] = s,
                    None => statements.push(s),
                }
            }
        }
    }
    let version = body
        .get("version")
        .cloned()
        .unwrap_or_else(|| mk::s("2012-10-17", span));
    mk::obj(
        span,
        vec![
            ("Version", version),
            ("Statement", mk::seq(span, statements)),
        ],
    )
}

fn statements_of(doc: &Value) -> Vec<Value> {
    doc.get("Statement")
        .map(|s| s.items().into_iter().cloned().collect())
        .unwrap_or_default()
}

fn statement(st: &Value) -> Value {
    let span = st.span;
    let mut out: Vec<(Key, Value)> = Vec::new();
    let mut put = |name: &str, v: Value, at: Span| {
        out.push((
            Key {
                name: name.to_owned(),
                span: at,
            },
            v,
        ));
    };
    for (k, v) in st.as_map().unwrap_or_default() {
        let name = match k.name.as_str() {
            "sid" => "Sid",
            "effect" => "Effect",
            "actions" => "Action",
            "not_actions" => "NotAction",
            "resources" => "Resource",
            "not_resources" => "NotResource",
            "principals" | "not_principals" => {
                let mut entries: Vec<(Key, Value)> = Vec::new();
                for p in v.items() {
                    let ty = p.get("type").and_then(Value::as_str).unwrap_or("AWS");
                    let ids = p
                        .get("identifiers")
                        .cloned()
                        .unwrap_or_else(|| mk::seq(p.span, vec![]));
                    if ty == "*" {
                        // `type = "*"` with `identifiers = ["*"]` is the bare `"Principal": "*"`
                        put(
                            if k.name == "principals" {
                                "Principal"
                            } else {
                                "NotPrincipal"
                            },
                            mk::s("*", ids.span),
                            k.span,
                        );
                        entries.clear();
                        break;
                    }
                    match entries.iter_mut().find(|(e, _)| e.name == ty) {
                        Some((
                            _,
                            Value {
                                node: Node::Seq(list),
                                ..
                            },
                        )) => list.extend(ids.items().into_iter().cloned()),
                        _ => entries.push((
                            Key {
                                name: ty.to_owned(),
                                span: p.span,
                            },
                            ids,
                        )),
                    }
                }
                if !entries.is_empty() {
                    put(
                        if k.name == "principals" {
                            "Principal"
                        } else {
                            "NotPrincipal"
                        },
                        Value::new(Node::Map(entries), v.span),
                        k.span,
                    );
                }
                continue;
            }
            "condition" => {
                let mut tests: Vec<(Key, Value)> = Vec::new();
                for c in v.items() {
                    let (Some(test), Some(var)) = (
                        c.get("test").and_then(Value::as_str),
                        c.get("variable").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    let vals = c
                        .get("values")
                        .cloned()
                        .unwrap_or_else(|| mk::seq(c.span, vec![]));
                    let entry = Key {
                        name: var.to_owned(),
                        span: c.span,
                    };
                    match tests.iter_mut().find(|(t, _)| t.name == test) {
                        Some((_, m)) => {
                            if let Node::Map(e) = &mut m.node {
                                e.push((entry, vals));
                            }
                        }
                        None => tests.push((
                            Key {
                                name: test.to_owned(),
                                span: c.span,
                            },
                            Value::new(Node::Map(vec![(entry, vals)]), c.span),
                        )),
                    }
                }
                put("Condition", Value::new(Node::Map(tests), v.span), k.span);
                continue;
            }
            _ => continue,
        };
        put(name, v.clone(), k.span);
    }
    if !out.iter().any(|(k, _)| k.name == "Effect") {
        out.push((
            Key {
                name: "Effect".into(),
                span,
            },
            mk::s("Allow", span),
        ));
    }
    Value::new(Node::Map(out), span)
}

/// An argument holding a JSON document: a map as it is (`jsonencode`, a policy document
/// data source), JSON text parsed (a heredoc's lines keep their own line numbers), JSON with
/// interpolations parsed around them; anything else unchanged.
pub fn json_value(v: &Value) -> Value {
    if let Some(s) = v.as_str() {
        return parse_json(s, v.span).unwrap_or_else(|| v.clone());
    }
    if let Some(("Fn::Join", arg)) = v.intrinsic() {
        let sep = arg.as_seq().and_then(|a| a.first()).and_then(Value::as_str);
        let parts = arg.as_seq().and_then(|a| a.get(1)).and_then(Value::as_seq);
        if let (Some(""), Some(parts)) = (sep, parts) {
            let mut text = String::new();
            let mut holes = Vec::new();
            for p in parts {
                match p.as_str() {
                    Some(s) => text.push_str(s),
                    None => {
                        text.push(OPEN);
                        text.push_str(&holes.len().to_string());
                        text.push(CLOSE);
                        holes.push(p.clone());
                    }
                }
            }
            if let Some(mut doc) = parse_json(&text, v.span) {
                fill(&mut doc, &holes);
                return doc;
            }
        }
    }
    v.clone()
}

fn parse_json(text: &str, span: Span) -> Option<Value> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let limits = crate::parse::Limits::default();
    let mut doc = crate::parse::load(text, &limits).ok()?;
    if span.end.line > span.start.line {
        // a heredoc: its text starts on the line after `<<EOT`
        shift(&mut doc, span.start.line, span.file());
    } else {
        doc = super::eval::respan_all(&doc, span);
    }
    Some(doc)
}

fn shift(v: &mut Value, lines: u32, file: u16) {
    let mv = |s: &mut Span| {
        s.start.line = s.start.line.saturating_add(lines);
        s.end.line = s.end.line.saturating_add(lines);
        *s = s.in_file(file);
    };
    mv(&mut v.span);
    match &mut v.node {
        Node::Seq(items) => items.iter_mut().for_each(|x| shift(x, lines, file)),
        Node::Map(entries) => entries.iter_mut().for_each(|(k, x)| {
            mv(&mut k.span);
            shift(x, lines, file);
        }),
        _ => {}
    }
}

/// Put the interpolated pieces back where their placeholders are.
fn fill(v: &mut Value, holes: &[Value]) {
    match &mut v.node {
        Node::String(s) if s.contains(OPEN) => {
            let mut parts = Vec::new();
            let mut rest = s.as_str();
            while let Some(i) = rest.find(OPEN) {
                if i > 0 {
                    parts.push(mk::s(&rest[..i], v.span));
                }
                let after = &rest[i + OPEN.len_utf8()..];
                let Some(j) = after.find(CLOSE) else { break };
                if let Some(h) = after[..j].parse::<usize>().ok().and_then(|n| holes.get(n)) {
                    parts.push(h.clone());
                }
                rest = &after[j + CLOSE.len_utf8()..];
            }
            if !rest.is_empty() {
                parts.push(mk::s(rest, v.span));
            }
            let span = v.span;
            *v = match parts.len() {
                1 => {
                    let mut p = parts.remove(0);
                    p.span = span;
                    p
                }
                _ => mk::join("", parts, span),
            };
        }
        Node::Seq(items) => items.iter_mut().for_each(|x| fill(x, holes)),
        Node::Map(entries) => entries.iter_mut().for_each(|(_, x)| fill(x, holes)),
        _ => {}
    }
}
