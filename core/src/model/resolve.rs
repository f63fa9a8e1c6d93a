//! Resolving intrinsic functions far enough to know what a value refers to.
//!
//! Nothing here guesses: a value that depends on something outside the template
//! (`Fn::ImportValue`, an ARN of a resource we do not have, a parameter without a
//! default) resolves to [`Resolved::Unknown`] with the reason.

use crate::span::Span;
use crate::value::{Node, Value};

use super::Template;

/// Pseudo parameters CloudFormation defines.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// What a value stands for, as far as the template says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A literal string (after substituting what the template fixes).
    Literal(String),
    /// A resource of this template (by `Ref`, `GetAtt` or `${Res}` in a `Sub`).
    Resource(String),
    /// Something outside the template or not fixed by it.
    Unknown(String),
}

/// Every resource of `t` that `v` references (by `Ref`, `Fn::GetAtt`, `${X}`/`${X.Attr}`
/// in `Fn::Sub`), with the position of the reference. Parameters and pseudo parameters
/// are not resources and are skipped.
pub fn resource_refs(t: &Template, v: &Value) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    collect_refs(v, &mut |name, span| {
        if t.resource(name).is_some() {
            out.push((name.to_owned(), span));
        }
    });
    out
}

/// Every name referenced by `v` (resources, parameters, pseudo parameters alike).
pub fn collect_refs(v: &Value, f: &mut dyn FnMut(&str, Span)) {
    if let Some((name, arg)) = v.intrinsic() {
        match name {
            "Ref" => {
                if let Some(s) = arg.as_str() {
                    f(s, v.span);
                }
                return;
            }
            "Fn::GetAtt" => {
                match &arg.node {
                    Node::Seq(items) => {
                        if let Some(s) = items.first().and_then(Value::as_str) {
                            f(s, v.span);
                        }
                    }
                    Node::String(s) => {
                        if let Some((res, _)) = s.split_once('.') {
                            f(res, v.span);
                        }
                    }
                    _ => {}
                }
                return;
            }
            "Fn::Sub" => {
                let (template, vars) = match &arg.node {
                    Node::Seq(items) => (items.first(), items.get(1)),
                    _ => (Some(arg), None),
                };
                if let Some(s) = template.and_then(Value::as_str) {
                    for var in sub_variables(s) {
                        let base = var.split('.').next().unwrap_or(var);
                        if vars.and_then(|m| m.get(base)).is_none() {
                            f(base, v.span);
                        }
                    }
                }
                if let Some(vars) = vars {
                    collect_refs(vars, f);
                }
                return;
            }
            _ => {}
        }
    }
    match &v.node {
        Node::Seq(items) => items.iter().for_each(|i| collect_refs(i, f)),
        Node::Map(entries) => entries.iter().for_each(|(_, i)| collect_refs(i, f)),
        _ => {}
    }
}

/// The `${...}` variables of a `Fn::Sub` string (not the `${!Literal}` escapes).
pub fn sub_variables(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find('}') else { break };
        let var = rest[..end].trim();
        if !var.starts_with('!') && !var.is_empty() {
            out.push(var);
        }
        rest = &rest[end + 1..];
    }
    out
}

/// Resolve a value to a string, a resource, or an explicit unknown.
pub fn resolve(t: &Template, v: &Value) -> Resolved {
    resolve_depth(t, v, 0)
}

fn resolve_depth(t: &Template, v: &Value, depth: usize) -> Resolved {
    if depth > 16 {
        return Resolved::Unknown("references nest too deeply".into());
    }
    if let Some(s) = v.as_str() {
        return Resolved::Literal(s.to_owned());
    }
    let Some((name, arg)) = v.intrinsic() else {
        return Resolved::Unknown("not a scalar".into());
    };
    match name {
        "Ref" => {
            let Some(target) = arg.as_str() else {
                return Resolved::Unknown("malformed Ref".into());
            };
            if t.resource(target).is_some() {
                return Resolved::Resource(target.to_owned());
            }
            if let Some(p) = t.parameter(target) {
                return match &p.default {
                    Some(d) => resolve_depth(t, d, depth + 1),
                    None => Resolved::Unknown(format!("parameter {target} has no default")),
                };
            }
            Resolved::Unknown(format!("{target} is set at deploy time"))
        }
        "Fn::GetAtt" => {
            let mut res = None;
            collect_refs(v, &mut |n, _| res = Some(n.to_owned()));
            match res {
                Some(r) if t.resource(&r).is_some() => Resolved::Resource(r),
                _ => Resolved::Unknown("GetAtt of an unknown resource".into()),
            }
        }
        "Fn::ImportValue" => {
            Resolved::Unknown("imported from another stack (Fn::ImportValue)".into())
        }
        "Fn::Sub" => {
            let (template, vars) = match &arg.node {
                Node::Seq(items) => (items.first(), items.get(1)),
                _ => (Some(arg), None),
            };
            let Some(s) = template.and_then(Value::as_str) else {
                return Resolved::Unknown("malformed Sub".into());
            };
            let mut out = String::new();
            let mut rest = s;
            while let Some(i) = rest.find("${") {
                out.push_str(&rest[..i]);
                rest = &rest[i + 2..];
                let Some(end) = rest.find('}') else { break };
                let var = rest[..end].trim();
                rest = &rest[end + 1..];
                if let Some(lit) = var.strip_prefix('!') {
                    out.push_str("${");
                    out.push_str(lit);
                    out.push('}');
                    continue;
                }
                let base = var.split('.').next().unwrap_or(var);
                let sub = if let Some(val) = vars.and_then(|m| m.get(base)) {
                    resolve_depth(t, val, depth + 1)
                } else if var.contains('.') || t.resource(base).is_some() {
                    return Resolved::Unknown(format!("depends on ${{{var}}}"));
                } else {
                    resolve_depth(
                        t,
                        &Value::single("Ref", v.span, Value::string(var, v.span)),
                        depth + 1,
                    )
                };
                match sub {
                    Resolved::Literal(l) => out.push_str(&l),
                    _ => return Resolved::Unknown(format!("depends on ${{{var}}}")),
                }
            }
            out.push_str(rest);
            Resolved::Literal(out)
        }
        "Fn::Join" => {
            let Some(items) = arg.as_seq() else {
                return Resolved::Unknown("malformed Join".into());
            };
            let (Some(sep), Some(parts)) = (items.first().and_then(Value::as_str), items.get(1))
            else {
                return Resolved::Unknown("malformed Join".into());
            };
            let mut out = Vec::new();
            for p in parts.items() {
                match resolve_depth(t, p, depth + 1) {
                    Resolved::Literal(l) => out.push(l),
                    _ => return Resolved::Unknown("part of the Join is not fixed".into()),
                }
            }
            Resolved::Literal(out.join(sep))
        }
        _ => Resolved::Unknown(format!("{name} is not evaluated")),
    }
}

/// Is this a CloudFormation dynamic reference (`{{resolve:ssm-secure:...}}`)?
pub fn dynamic_reference(s: &str) -> Option<&str> {
    let i = s.find("{{resolve:")?;
    let rest = &s[i + "{{resolve:".len()..];
    rest.split(':').next()
}
