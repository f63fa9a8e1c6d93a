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
        "Fn::FindInMap" => match find_in_map(t, arg, depth) {
            Some(v) => resolve_depth(t, v, depth + 1),
            None => Resolved::Unknown("FindInMap keys are not fixed or not in Mappings".into()),
        },
        "Fn::Select" => {
            let Some([idx, list]) = arg.as_seq().and_then(|s| <&[Value; 2]>::try_from(s).ok())
            else {
                return Resolved::Unknown("malformed Select".into());
            };
            let i = match resolve_depth(t, idx, depth + 1) {
                Resolved::Literal(l) => l.trim().parse::<usize>().ok(),
                _ => None,
            };
            let Some(i) = i else {
                return Resolved::Unknown("Select index is not fixed".into());
            };
            match resolve_list(t, list, depth + 1) {
                Some(items) => items
                    .into_iter()
                    .nth(i)
                    .unwrap_or_else(|| Resolved::Unknown("Select index out of range".into())),
                None => Resolved::Unknown("Select list is not fixed".into()),
            }
        }
        "Fn::If" => {
            let Some([c, a, b]) = arg.as_seq().and_then(|s| <&[Value; 3]>::try_from(s).ok()) else {
                return Resolved::Unknown("malformed If".into());
            };
            match c.as_str().and_then(|c| condition_value(t, c)) {
                Some(true) => resolve_depth(t, a, depth + 1),
                Some(false) => resolve_depth(t, b, depth + 1),
                None => Resolved::Unknown("the If condition is not fixed".into()),
            }
        }
        "Fn::Base64" => resolve_depth(t, arg, depth + 1),
        _ => Resolved::Unknown(format!("{name} is not evaluated")),
    }
}

/// A list value (`[...]`, `Fn::Split`, `Fn::If` of lists, a `CommaDelimitedList` parameter's
/// default) resolved item by item; `None` when its shape is not fixed by the template.
pub fn resolve_list(t: &Template, v: &Value, depth: usize) -> Option<Vec<Resolved>> {
    if depth > 16 {
        return None;
    }
    if let Some(items) = v.as_seq() {
        return Some(
            items
                .iter()
                .map(|i| resolve_depth(t, i, depth + 1))
                .collect(),
        );
    }
    let (name, arg) = v.intrinsic()?;
    match name {
        "Fn::Split" => {
            let [sep, src] = <&[Value; 2]>::try_from(arg.as_seq()?).ok()?;
            let sep = sep.as_str()?;
            match resolve_depth(t, src, depth + 1) {
                Resolved::Literal(text) if !sep.is_empty() => Some(
                    text.split(sep)
                        .map(|p| Resolved::Literal(p.to_owned()))
                        .collect(),
                ),
                _ => None,
            }
        }
        "Ref" => {
            let p = t.parameter(arg.as_str()?)?;
            let d = p.default.as_ref()?;
            if p.type_.contains("List") {
                let text = d.as_str()?;
                return Some(
                    text.split(',')
                        .map(|x| Resolved::Literal(x.trim().to_owned()))
                        .collect(),
                );
            }
            resolve_list(t, d, depth + 1)
        }
        "Fn::If" => {
            let [c, a, b] = <&[Value; 3]>::try_from(arg.as_seq()?).ok()?;
            match condition_value(t, c.as_str()?)? {
                true => resolve_list(t, a, depth + 1),
                false => resolve_list(t, b, depth + 1),
            }
        }
        "Fn::FindInMap" => resolve_list(t, find_in_map(t, arg, depth)?, depth + 1),
        _ => None,
    }
}

/// `Fn::FindInMap: [Map, TopKey, SecondKey]` looked up in the template's `Mappings`, with the
/// keys resolved at default parameter values.
pub fn find_in_map<'a>(t: &'a Template, arg: &Value, depth: usize) -> Option<&'a Value> {
    let items = arg.as_seq()?;
    let mut keys = Vec::with_capacity(3);
    for k in items.iter().take(3) {
        match resolve_depth(t, k, depth + 1) {
            Resolved::Literal(l) => keys.push(l),
            _ => return None,
        }
    }
    let [map, top, second] = <[String; 3]>::try_from(keys).ok()?;
    mappings(t)?.get(&map)?.get(&top)?.get(&second)
}

fn mappings(t: &Template) -> Option<&Value> {
    t.root
        .get("Mappings")
        .or_else(|| t.root.get_path(&["resources", "Mappings"]))
}

/// The value of a named condition at default parameter values (`None`: not fixed by the
/// template, e.g. a parameter without a default, a pseudo parameter, or a cycle).
pub fn condition_value(t: &Template, name: &str) -> Option<bool> {
    let mut stack = Vec::new();
    condition_named(t, name, &mut stack)
}

fn condition_named(t: &Template, name: &str, stack: &mut Vec<String>) -> Option<bool> {
    if stack.iter().any(|s| s == name) || stack.len() > 32 {
        return None;
    }
    let (_, v) = t.conditions.iter().find(|(n, _)| n == name)?;
    stack.push(name.to_owned());
    let r = eval_condition_inner(t, v, stack);
    stack.pop();
    r
}

/// Evaluate a condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`,
/// `Condition`) at default parameter values.
pub fn eval_condition(t: &Template, v: &Value) -> Option<bool> {
    eval_condition_inner(t, v, &mut Vec::new())
}

fn eval_condition_inner(t: &Template, v: &Value, stack: &mut Vec<String>) -> Option<bool> {
    if let Some(b) = v.as_bool() {
        return Some(b);
    }
    let (name, arg) = v.intrinsic()?;
    match name {
        "Condition" => condition_named(t, arg.as_str()?, stack),
        "Fn::Equals" => {
            let [a, b] = <&[Value; 2]>::try_from(arg.as_seq()?).ok()?;
            match (resolve(t, a), resolve(t, b)) {
                (Resolved::Literal(x), Resolved::Literal(y)) => Some(x == y),
                _ => None,
            }
        }
        "Fn::Not" => {
            let inner = arg.as_seq().and_then(|s| s.first()).unwrap_or(arg);
            eval_condition_inner(t, inner, stack).map(|b| !b)
        }
        "Fn::And" => {
            let mut all = Some(true);
            for c in arg.as_seq()? {
                match eval_condition_inner(t, c, stack) {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => all = None,
                }
            }
            all
        }
        "Fn::Or" => {
            let mut any = Some(false);
            for c in arg.as_seq()? {
                match eval_condition_inner(t, c, stack) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => any = None,
                }
            }
            any
        }
        _ => None,
    }
}

/// Is this `{"Ref": "AWS::NoValue"}` (the property is removed)?
pub fn is_no_value(v: &Value) -> bool {
    matches!(v.intrinsic(), Some(("Ref", a)) if a.as_str() == Some("AWS::NoValue"))
}

/// Every branch a value can take through `Fn::If`, with the condition that selects it
/// (`"IsProd"`, `"!IsProd"`, nested ones joined with `" && "`); `None` for an unconditional
/// value. Lets a rule ask "is this secure on every branch?" instead of evaluating one.
/// A branch may be `Ref AWS::NoValue` (see [`is_no_value`]).
pub fn branches(v: &Value) -> Vec<(Option<String>, &Value)> {
    let mut out = Vec::new();
    collect_branches(v, None, &mut out, 0);
    out
}

fn collect_branches<'a>(
    v: &'a Value,
    cond: Option<String>,
    out: &mut Vec<(Option<String>, &'a Value)>,
    depth: usize,
) {
    if let Some(("Fn::If", arg)) = v.intrinsic() {
        if let Some([c, a, b]) = arg.as_seq().and_then(|s| <&[Value; 3]>::try_from(s).ok()) {
            if depth < 16 {
                let name = c.as_str().unwrap_or("?");
                let join = |x: String| match &cond {
                    Some(prev) => format!("{prev} && {x}"),
                    None => x,
                };
                collect_branches(a, Some(join(name.to_owned())), out, depth + 1);
                collect_branches(b, Some(join(format!("!{name}"))), out, depth + 1);
                return;
            }
        }
    }
    out.push((cond, v));
}

/// The branch CloudFormation takes at default parameter values (the value itself when it is
/// not an `Fn::If`, or when its condition is not fixed: then the first branch).
pub fn default_branch<'a>(t: &Template, v: &'a Value) -> &'a Value {
    let mut cur = v;
    for _ in 0..16 {
        let Some(("Fn::If", arg)) = cur.intrinsic() else {
            return cur;
        };
        let Some([c, a, b]) = arg.as_seq().and_then(|s| <&[Value; 3]>::try_from(s).ok()) else {
            return cur;
        };
        cur = match c.as_str().and_then(|c| condition_value(t, c)) {
            Some(false) => b,
            _ => a,
        };
    }
    cur
}

/// Every concrete variant of a value with all its nested `Fn::If`s chosen, each with the
/// choices made (`(condition, taken)`); `Ref AWS::NoValue` entries are dropped from maps and
/// lists as CloudFormation does. Capped at `limit` variants (the first ones are kept).
pub fn variants(v: &Value, limit: usize) -> Vec<(Vec<(String, bool)>, Value)> {
    let mut out = vec![(Vec::new(), v.clone())];
    for _ in 0..32 {
        let mut next = Vec::new();
        let mut changed = false;
        for (choices, val) in out {
            match first_if(&val) {
                Some((cond, path)) => {
                    changed = true;
                    for taken in [true, false] {
                        let mut c = choices.clone();
                        c.push((cond.clone(), taken));
                        let mut nv = val.clone();
                        choose_at(&mut nv, &path, taken);
                        if next.len() < limit {
                            next.push((c, nv));
                        }
                    }
                }
                None => {
                    if next.len() < limit {
                        next.push((choices, val));
                    }
                }
            }
        }
        out = next;
        if !changed {
            break;
        }
    }
    for (_, v) in &mut out {
        drop_no_values(v);
    }
    out
}

/// The condition and path (child indexes) of the first `Fn::If` in `v`.
fn first_if(v: &Value) -> Option<(String, Vec<usize>)> {
    if let Some(("Fn::If", arg)) = v.intrinsic() {
        if let Some([c, _, _]) = arg.as_seq().and_then(|s| <&[Value; 3]>::try_from(s).ok()) {
            return Some((c.as_str().unwrap_or("?").to_owned(), Vec::new()));
        }
    }
    let children: Vec<&Value> = match &v.node {
        Node::Seq(items) => items.iter().collect(),
        Node::Map(entries) => entries.iter().map(|(_, x)| x).collect(),
        _ => return None,
    };
    for (i, c) in children.into_iter().enumerate() {
        if let Some((cond, mut path)) = first_if(c) {
            path.insert(0, i);
            return Some((cond, path));
        }
    }
    None
}

fn choose_at(v: &mut Value, path: &[usize], taken: bool) {
    match path.split_first() {
        None => {
            let chosen = match v.intrinsic() {
                Some(("Fn::If", arg)) => arg
                    .as_seq()
                    .and_then(|s| s.get(if taken { 1 } else { 2 }))
                    .cloned(),
                _ => None,
            };
            if let Some(c) = chosen {
                *v = c;
            }
        }
        Some((i, rest)) => {
            let child = match &mut v.node {
                Node::Seq(items) => items.get_mut(*i),
                Node::Map(entries) => entries.get_mut(*i).map(|(_, x)| x),
                _ => None,
            };
            if let Some(c) = child {
                choose_at(c, rest, taken);
            }
        }
    }
}

fn drop_no_values(v: &mut Value) {
    match &mut v.node {
        Node::Seq(items) => {
            items.retain(|x| !is_no_value(x));
            items.iter_mut().for_each(drop_no_values);
        }
        Node::Map(entries) => {
            entries.retain(|(_, x)| !is_no_value(x));
            entries.iter_mut().for_each(|(_, x)| drop_no_values(x));
        }
        _ => {}
    }
}

/// A CloudFormation dynamic reference found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamicRef {
    /// `ssm`, `ssm-secure` or `secretsmanager`.
    pub service: String,
    /// What follows the service (`/my/param:1`, `MySecret:SecretString:password`).
    pub reference: String,
}

impl DynamicRef {
    /// Does the reference keep the value secret (`ssm-secure`, `secretsmanager`)?
    pub fn is_secret(&self) -> bool {
        self.service == "ssm-secure" || self.service == "secretsmanager"
    }
}

/// Every dynamic reference (`{{resolve:service:reference}}`) in a string.
pub fn dynamic_refs(s: &str) -> Vec<DynamicRef> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{resolve:") {
        rest = &rest[i + "{{resolve:".len()..];
        let Some(end) = rest.find("}}") else { break };
        let inner = &rest[..end];
        if let Some((service, reference)) = inner.split_once(':') {
            out.push(DynamicRef {
                service: service.to_owned(),
                reference: reference.to_owned(),
            });
        }
        rest = &rest[end + 2..];
    }
    out
}

/// Is this a CloudFormation dynamic reference (`{{resolve:ssm-secure:...}}`)?
pub fn dynamic_reference(s: &str) -> Option<&str> {
    let i = s.find("{{resolve:")?;
    let rest = &s[i + "{{resolve:".len()..];
    rest.split(':').next()
}
