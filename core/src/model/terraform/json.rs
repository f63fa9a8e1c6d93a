//! Terraform's JSON syntax (`.tf.json`), loaded by the template loader, as the same body of
//! attributes and blocks [`super::hcl`] reads: strings are templates (`"${var.x}"`), an
//! object (or a list of objects) under a resource argument is a nested block unless the
//! argument is a map by nature (`tags`, environment `variables` …), `"//"` keys are
//! comments (and may carry suppressions).

use crate::parse::{Limits, ParseError};
use crate::span::Span;
use crate::value::{Node, Value};

use super::hcl::{Attribute, Block, Body, Directive, Expr, ExprKind, File, Part};

/// Arguments whose object value is a map of the user's keys, not a block.
const MAP_ARGS: &[&str] = &[
    "tags",
    "tags_all",
    "variables",
    "environment_variables",
    "stage_variables",
    "request_templates",
    "request_parameters",
    "request_models",
    "response_parameters",
    "response_templates",
    "roles",
    "triggers",
    "provider_details",
    "dimensions",
    "default",
    "value",
];

/// Block types whose body holds labels as nested keys: `resource.TYPE.NAME`, `variable.NAME`.
fn label_count(kind: &str) -> Option<usize> {
    match kind {
        "resource" | "data" => Some(2),
        "variable" | "module" | "output" | "provider" => Some(1),
        "locals" | "terraform" | "moved" | "import" | "check" | "removed" => Some(0),
        _ => None,
    }
}

/// A loaded `.tf.json` document as a file body.
pub fn file(root: &Value, limits: &Limits) -> Result<File, ParseError> {
    let mut out = File::default();
    let Some(entries) = root.as_map() else {
        return Err(ParseError::at(
            "a `.tf.json` file must hold one JSON object",
            root.span.start.line,
            root.span.start.column,
        ));
    };
    for (k, v) in entries {
        if k.name == "//" {
            comment(v, k.span, &mut out.directives);
            continue;
        }
        let Some(n) = label_count(&k.name) else {
            return Err(ParseError::at(
                format!("unknown top-level key `{}` in a `.tf.json` file", k.name),
                k.span.start.line,
                k.span.start.column,
            ));
        };
        for obj in v.items() {
            labelled(&k.name, obj, n, &mut Vec::new(), k.span, &mut out, limits)?;
        }
    }
    Ok(out)
}

fn comment(v: &Value, span: Span, out: &mut Vec<Directive>) {
    if let Some(s) = v.as_str() {
        if s.contains("pillarlint:") || s.contains("checkov:") {
            out.push(Directive {
                text: s.to_owned(),
                span,
            });
        }
    }
}

/// Descend `n` levels of labels, then read the block body.
fn labelled(
    kind: &str,
    v: &Value,
    n: usize,
    labels: &mut Vec<(String, Span)>,
    span: Span,
    out: &mut File,
    limits: &Limits,
) -> Result<(), ParseError> {
    if n == 0 {
        let head = labels.last().map_or(span, |(_, s)| *s);
        let body = if kind == "locals" {
            attributes_only(v, &mut out.directives, limits)?
        } else {
            body(v, kind, 0, &mut out.directives, limits)?
        };
        out.body.blocks.push(Block {
            kind: kind.to_owned(),
            labels: labels.iter().map(|(l, _)| l.clone()).collect(),
            span: head,
            whole: v.span.cover(span),
            body,
        });
        return Ok(());
    }
    let Some(entries) = v.as_map() else {
        return Err(ParseError::at(
            format!("expected an object of `{kind}` blocks by name"),
            v.span.start.line,
            v.span.start.column,
        ));
    };
    for (k, inner) in entries {
        if k.name == "//" {
            comment(inner, k.span, &mut out.directives);
            continue;
        }
        labels.push((k.name.clone(), k.span));
        for item in inner.items() {
            labelled(kind, item, n - 1, labels, span, out, limits)?;
        }
        labels.pop();
    }
    Ok(())
}

fn attributes_only(
    v: &Value,
    dirs: &mut Vec<Directive>,
    limits: &Limits,
) -> Result<Body, ParseError> {
    let mut b = Body::default();
    for (k, x) in v.as_map().unwrap_or_default() {
        if k.name == "//" {
            comment(x, k.span, dirs);
            continue;
        }
        b.attrs.push(Attribute {
            name: k.name.clone(),
            span: k.span,
            expr: expr(x, limits)?,
        });
    }
    Ok(b)
}

fn body(
    v: &Value,
    kind: &str,
    depth: usize,
    dirs: &mut Vec<Directive>,
    limits: &Limits,
) -> Result<Body, ParseError> {
    let mut b = Body::default();
    let Some(entries) = v.as_map() else {
        return Err(ParseError::at(
            format!("expected an object for the `{kind}` block"),
            v.span.start.line,
            v.span.start.column,
        ));
    };
    for (k, x) in entries {
        if k.name == "//" {
            comment(x, k.span, dirs);
            continue;
        }
        let objects = match &x.node {
            Node::Map(_) => true,
            Node::Seq(items) => !items.is_empty() && items.iter().all(|i| i.as_map().is_some()),
            _ => false,
        };
        let attribute = !objects
            || MAP_ARGS.contains(&k.name.as_str())
            || depth > 16
            || matches!(kind, "variable" | "output" | "module" | "locals")
            || k.name == "depends_on";
        if attribute {
            let e = if k.name == "depends_on" {
                // references, written as strings
                let items = x
                    .items()
                    .into_iter()
                    .map(|i| Expr {
                        kind: ExprKind::Var(i.as_str().unwrap_or_default().to_owned()),
                        span: i.span,
                    })
                    .collect();
                Expr {
                    kind: ExprKind::Tuple(items),
                    span: x.span,
                }
            } else {
                expr(x, limits)?
            };
            b.attrs.push(Attribute {
                name: k.name.clone(),
                span: k.span,
                expr: e,
            });
            continue;
        }
        if k.name == "dynamic" {
            // "dynamic": {"rule": {"for_each": …, "content": {…}}}
            for (label, inner) in x.as_map().unwrap_or_default() {
                for item in inner.items() {
                    let body_ = body(item, "dynamic", depth + 1, dirs, limits)?;
                    b.blocks.push(Block {
                        kind: "dynamic".into(),
                        labels: vec![label.name.clone()],
                        span: label.span,
                        whole: item.span.cover(label.span),
                        body: body_,
                    });
                }
            }
            continue;
        }
        for item in x.items() {
            b.blocks.push(Block {
                kind: k.name.clone(),
                labels: Vec::new(),
                span: k.span,
                whole: item.span.cover(k.span),
                body: body(item, &k.name, depth + 1, dirs, limits)?,
            });
        }
    }
    Ok(b)
}

/// A JSON value as an expression: strings are templates.
fn expr(v: &Value, limits: &Limits) -> Result<Expr, ParseError> {
    let span = v.span;
    let kind = match &v.node {
        Node::Null => ExprKind::Null,
        Node::Bool(b) => ExprKind::Bool(*b),
        Node::Number(n) => ExprKind::Number(n.clone()),
        Node::String(s) => {
            if s.contains("${") || s.contains("%{") {
                let parts = super::hcl::parse_template(s, span, limits).map_err(|e| {
                    ParseError::at(
                        format!("{} (in this string)", e.message),
                        span.start.line,
                        span.start.column,
                    )
                })?;
                ExprKind::Template(parts)
            } else {
                ExprKind::Template(vec![Part::Lit(s.clone())])
            }
        }
        Node::Seq(items) => ExprKind::Tuple(
            items
                .iter()
                .map(|i| expr(i, limits))
                .collect::<Result<_, _>>()?,
        ),
        Node::Map(entries) => ExprKind::Object(
            entries
                .iter()
                .map(|(k, x)| {
                    Ok((
                        Expr {
                            kind: ExprKind::Template(vec![Part::Lit(k.name.clone())]),
                            span: k.span,
                        },
                        expr(x, limits)?,
                    ))
                })
                .collect::<Result<_, ParseError>>()?,
        ),
    };
    Ok(Expr { kind, span })
}
