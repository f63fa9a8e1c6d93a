//! `Globals`: which section reaches which resource type, what SAM refuses there, and the merge.

use crate::value::{Node, Value};

use super::mk;
use super::{Cx, Resource};

pub(super) fn globals_section(type_: &str) -> Option<&'static str> {
    Some(match type_ {
        "AWS::Serverless::Function" => "Function",
        "AWS::Serverless::Api" => "Api",
        "AWS::Serverless::HttpApi" => "HttpApi",
        "AWS::Serverless::SimpleTable" => "SimpleTable",
        "AWS::Serverless::StateMachine" => "StateMachine",
        "AWS::Serverless::LayerVersion" => "LayerVersion",
        _ => return None,
    })
}

/// Properties SAM refuses in a Globals section.
pub(super) fn not_global(section: &str, key: &str) -> bool {
    match section {
        "Function" => matches!(
            key,
            "Role"
                | "Policies"
                | "FunctionName"
                | "Events"
                | "InlineCode"
                | "PackageType"
                | "ImageUri"
        ),
        "Api" => matches!(key, "StageName" | "DefinitionBody"),
        _ => false,
    }
}

pub(super) fn apply_globals(cx: &mut Cx, section: &str, r: &mut Resource, root: &Value) {
    let Some(g) = cx.globals.as_ref().and_then(|g| g.get(section)).cloned() else {
        return;
    };
    let ignore: Vec<String> = root
        .get_path(&["Resources", &r.id, "IgnoreGlobals"])
        .map(|v| {
            v.items()
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if ignore.iter().any(|x| x == "*") {
        return;
    }
    let Some(entries) = g.as_map() else {
        cx.warn(format!("`Globals.{section}` must be a map"), g.span);
        return;
    };
    if r.properties.is_null() {
        r.properties = mk::empty(r.span);
    }
    for (k, gv) in entries {
        if not_global(section, &k.name) {
            cx.warn(
                format!(
                    "`{}` cannot be set in `Globals.{section}`; SAM rejects it",
                    k.name
                ),
                k.span,
            );
            continue;
        }
        if ignore.contains(&k.name) {
            continue;
        }
        let merged = match r.properties.get(&k.name) {
            Some(lv) => merge_global(gv, lv),
            None => gv.clone(),
        };
        mk::set(&mut r.properties, &k.name, merged);
    }
}

/// SAM's Globals merge: maps merge recursively, lists concatenate (global first), anything else
/// (scalars, intrinsics, different kinds) → the local value wins.
pub fn merge_global(g: &Value, l: &Value) -> Value {
    let is_plain_map = |v: &Value| v.as_map().is_some() && v.intrinsic().is_none();
    match (&g.node, &l.node) {
        (Node::Map(ge), Node::Map(le)) if is_plain_map(g) && is_plain_map(l) => {
            let mut out = Vec::with_capacity(ge.len() + le.len());
            for (k, gv) in ge {
                match le.iter().find(|(lk, _)| lk.name == k.name) {
                    Some((lk, lv)) => out.push((lk.clone(), merge_global(gv, lv))),
                    None => out.push((k.clone(), gv.clone())),
                }
            }
            for (k, lv) in le {
                if !ge.iter().any(|(gk, _)| gk.name == k.name) {
                    out.push((k.clone(), lv.clone()));
                }
            }
            Value::new(Node::Map(out), l.span)
        }
        (Node::Seq(gi), Node::Seq(li)) => {
            Value::new(Node::Seq(gi.iter().chain(li).cloned().collect()), l.span)
        }
        _ => l.clone(),
    }
}
