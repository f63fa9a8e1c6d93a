//! `terraform show -json` output: a plan (`planned_values`) or a state (`values`).
//!
//! There every module is expanded (`module.lambda.aws_lambda_function.this[0]`) and every
//! value Terraform knows before apply is resolved, so it is how apps built from modules
//! (terraform-aws-modules/lambda, apigateway-v2 …) are read. Values only known after apply
//! (the ARN of a role being created) are absent or `null`; for those, the configuration's
//! `references` say what they come from (`aws_iam_role.lambda.arn`, followed through module
//! inputs and outputs), and the value becomes that reference. Positions are the plan file's:
//! each resource points at its `address`, each argument at its value.

use crate::model::{mk, Template};
use crate::parse::Format;
use crate::span::Span;
use crate::value::{Key, Node, Value};

use super::TfRes;

/// A module's configuration: its resources' expressions and its calls.
struct Ctx<'a> {
    /// `module.a.module.b.` (empty at the root).
    prefix: String,
    config: Option<&'a Value>,
    /// The calling module's context, for `var.x` references.
    parent: Option<&'a Ctx<'a>>,
    /// This module's name in the parent's `module_calls`.
    call: Option<String>,
}

/// Read plan or state JSON into a template.
pub fn read(root: Value) -> Template {
    let mut res = Vec::new();
    let values = root
        .get_path(&["planned_values", "root_module"])
        .or_else(|| root.get_path(&["values", "root_module"]));
    let config = root.get_path(&["configuration", "root_module"]);
    let ctx = Ctx {
        prefix: String::new(),
        config,
        parent: None,
        call: None,
    };
    let mut addrs = Vec::new();
    if let Some(m) = values {
        collect_addrs(m, &mut addrs, 0);
        module(m, &ctx, &addrs, &mut res, 0);
    }
    let mut t = Template::empty(
        Format::TerraformPlan,
        Value::new(Node::Map(Vec::new()), root.span),
    );
    if values.is_none() {
        t.warn(
            "this `terraform show -json` output has no `planned_values` or `values`: nothing to read (was it a plan with no changes, or `terraform show -json` without a plan or state?)",
            root.span,
        );
    }
    if let Some(vars) = root.get("variables").and_then(Value::as_map) {
        for (k, v) in vars {
            t.parameters.push(crate::model::Parameter {
                name: format!("var.{}", k.name),
                span: k.span,
                type_: "String".into(),
                default: v.get("value").cloned(),
                no_echo: false,
                allowed_values: Vec::new(),
            });
        }
    }
    if let Some(outs) = root
        .get_path(&["planned_values", "outputs"])
        .or_else(|| root.get_path(&["values", "outputs"]))
        .and_then(Value::as_map)
    {
        t.outputs = outs
            .iter()
            .map(|(k, v)| {
                (
                    k.name.clone(),
                    v.get("value").cloned().unwrap_or_else(|| v.clone()),
                )
            })
            .collect();
    }
    super::lower(&mut t, res, &[]);
    t
}

fn collect_addrs(m: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in m.get("resources").map(Value::items).unwrap_or_default() {
        if let Some(a) = r.get("address").and_then(Value::as_str) {
            out.push(a.to_owned());
        }
    }
    for c in m.get("child_modules").map(Value::items).unwrap_or_default() {
        collect_addrs(c, out, depth + 1);
    }
}

/// `module.a["x"].module.b[0]` → `module.a.module.b`.
fn strip_keys(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0usize;
    for c in addr.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn module<'a>(m: &'a Value, ctx: &Ctx<'a>, addrs: &[String], out: &mut Vec<TfRes>, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in m.get("resources").map(Value::items).unwrap_or_default() {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let (Some(addr_v), Some(type_)) = (r.get("address"), r.get("type").and_then(Value::as_str))
        else {
            continue;
        };
        let Some(addr) = addr_v.as_str() else {
            continue;
        };
        if !type_.starts_with("aws_") || super::mapping::ignored(type_) {
            continue;
        }
        let mut body = r
            .get("values")
            .cloned()
            .unwrap_or_else(|| mk::empty(r.span));
        // the configuration of this resource, by its address without instance keys
        let local = strip_keys(addr.strip_prefix(&ctx.prefix).unwrap_or(addr));
        let conf = ctx.config.and_then(|c| {
            c.get("resources")
                .map(Value::items)
                .unwrap_or_default()
                .into_iter()
                .find(|x| x.get("address").and_then(Value::as_str) == Some(local.as_str()))
        });
        if let Some(exprs) = conf.and_then(|c| c.get("expressions")) {
            let key = instance_key(addr);
            let fill = Fill {
                ctx,
                addrs,
                key: key.as_deref(),
                each: strs(conf.and_then(|c| c.get_path(&["for_each_expression", "references"]))),
            };
            fill_refs(&mut body, exprs, &fill, 0);
        }
        out.push(TfRes {
            addr: addr.to_owned(),
            type_: type_.to_owned(),
            body,
            span: addr_v.span,
            whole: r.span,
            multiplicity: None,
            depends_on: Vec::new(),
        });
    }
    for c in m.get("child_modules").map(Value::items).unwrap_or_default() {
        let Some(addr) = c.get("address").and_then(Value::as_str) else {
            continue;
        };
        // the last `module.NAME` of the child's address is its call in this module
        let plain = strip_keys(addr);
        let name = plain
            .rsplit("module.")
            .next()
            .unwrap_or("")
            .trim_end_matches('.')
            .to_owned();
        let config = ctx
            .config
            .and_then(|cf| cf.get_path(&["module_calls", &name, "module"]));
        let child = Ctx {
            prefix: format!("{addr}."),
            config,
            parent: Some(ctx),
            call: Some(name),
        };
        module(c, &child, addrs, out, depth + 1);
    }
}

/// `aws_x.y[0]` → `Some("[0]")`.
fn instance_key(addr: &str) -> Option<String> {
    let i = addr.rfind('[')?;
    addr.ends_with(']').then(|| addr[i..].to_owned())
}

/// Arguments that link a resource to another: a plain reference is the norm there, so the
/// reference replaces even a known value (a name or ARN the graph could not match to the
/// resource it names).
const LINKS: &[&str] = &[
    "role",
    "role_arn",
    "function_name",
    "event_source_arn",
    "integration_uri",
    "uri",
    "target",
    "target_arn",
    "destination_arn",
    "destination",
    "topic_arn",
    "endpoint",
    "bucket",
    "queue_url",
    "rest_api_id",
    "api_id",
    "resource_id",
    "parent_id",
    "authorizer_id",
    "stage_name",
    "deployment_id",
    "web_acl_arn",
    "resource_arn",
    "kms_key_id",
    "kms_key_arn",
    "kms_master_key_id",
    "lambda_function_arn",
    "queue_arn",
    "arn",
    "secret_id",
    "user_pool_id",
    "identity_pool_id",
    "http_method",
    "log_group_name",
    "db_cluster_parameter_group_name",
    "rule",
    "state_machine_arn",
    "authorizer_uri",
    "dead_letter_target_arn",
];

/// Where a resource's references lead: its `for_each` references (for `each.*`), and the
/// instance key of the resource being filled.
struct Fill<'c> {
    ctx: &'c Ctx<'c>,
    addrs: &'c [String],
    key: Option<&'c str>,
    each: Vec<&'c str>,
}

fn strs(v: Option<&Value>) -> Vec<&str> {
    v.map(Value::items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(Value::as_str)
        .collect()
}

/// Values Terraform knows only after apply (and links), replaced by what they reference.
fn fill_refs(v: &mut Value, exprs: &Value, f: &Fill<'_>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Some(entries) = exprs.as_map() else {
        return;
    };
    for (k, e) in entries {
        match &e.node {
            // nested blocks: a list of expression maps, alongside the list of block values
            Node::Seq(blocks) => {
                if let Some(Value {
                    node: Node::Seq(vals),
                    ..
                }) = child_mut(v, &k.name)
                {
                    for (bv, be) in vals.iter_mut().zip(blocks.iter()) {
                        fill_refs(bv, be, f, depth + 1);
                    }
                }
            }
            Node::Map(_) if e.get("references").is_some() || e.get("constant_value").is_some() => {
                let have = v.get(&k.name);
                let unknown =
                    have.is_none_or(|x| x.is_null() || x.as_str().is_some_and(str::is_empty));
                let link =
                    LINKS.contains(&k.name.as_str()) && have.is_none_or(|x| x.as_str().is_some());
                if !unknown && !link {
                    continue;
                }
                let refs = strs(e.get("references"));
                let span = have.map_or(e.span, |x| x.span);
                let mut found = Vec::new();
                targets(&refs, f.ctx, f, true, 0, &mut found);
                let mut ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
                ids.dedup();
                // one resource: that is what the value is; several: left as Terraform knows it
                if let ([_], Some((id, attr))) = (ids.as_slice(), found.first()) {
                    let r = match attr.as_deref() {
                        None | Some("id" | "name" | "bucket" | "function_name" | "url") => {
                            mk::ref_(id, span)
                        }
                        Some(a) => mk::getatt(id, &super::mapping::pascal(a), span),
                    };
                    set(v, &k.name, r, k.span);
                }
            }
            // a nested block written once (some providers) or an object of expressions
            Node::Map(_) => {
                if let Some(child) = child_mut(v, &k.name) {
                    if let Node::Seq(items) = &mut child.node {
                        if let Some(first) = items.first_mut() {
                            fill_refs(first, e, f, depth + 1);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn child_mut<'v>(v: &'v mut Value, name: &str) -> Option<&'v mut Value> {
    match &mut v.node {
        Node::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.name == name)
            .map(|(_, x)| x),
        _ => None,
    }
}

fn set(v: &mut Value, name: &str, val: Value, span: Span) {
    if let Node::Map(entries) = &mut v.node {
        match entries.iter_mut().find(|(k, _)| k.name == name) {
            Some(e) => e.1 = val,
            None => entries.push((
                Key {
                    name: name.to_owned(),
                    span,
                },
                val,
            )),
        }
    }
}

/// The resources references lead to (instance address, attribute), followed through module
/// inputs (`var.x`), outputs (`module.m.out`) and `for_each` (`each.value`).
fn targets(
    refs: &[&str],
    ctx: &Ctx<'_>,
    f: &Fill<'_>,
    own: bool,
    depth: usize,
    out: &mut Vec<(String, Option<String>)>,
) {
    if depth > 8 {
        return;
    }
    for r in refs {
        let parts: Vec<&str> = r.split('.').collect();
        match parts.first().copied() {
            Some("var") => {
                let (Some(parent), Some(call), Some(name)) = (ctx.parent, &ctx.call, parts.get(1))
                else {
                    continue;
                };
                let name = name.split('[').next().unwrap_or(name);
                let inner = strs(parent.config.and_then(|c| {
                    c.get_path(&["module_calls", call, "expressions", name, "references"])
                }));
                targets(&inner, parent, f, false, depth + 1, out);
            }
            // `each.key` is a key, not the value the iteration stands for
            Some("each") if own && parts.get(1) != Some(&"key") => {
                let each = f.each.clone();
                targets(&each, ctx, f, false, depth + 1, out);
            }
            Some("module") => {
                let (Some(m), Some(o)) = (parts.get(1), parts.get(2)) else {
                    continue;
                };
                let m = m.split('[').next().unwrap_or(m);
                let Some(mconf) = ctx
                    .config
                    .and_then(|c| c.get_path(&["module_calls", m, "module"]))
                else {
                    continue;
                };
                let inner = strs(mconf.get_path(&["outputs", o, "expression", "references"]));
                let plain = format!("{}module.{m}.", strip_keys(&ctx.prefix));
                // the child as the plan writes it (with its instance key, if any)
                let prefix = f
                    .addrs
                    .iter()
                    .find(|a| strip_keys(a).starts_with(&plain))
                    .map_or_else(
                        || plain.clone(),
                        |a| written_prefix(a, plain.chars().count()),
                    );
                let child = Ctx {
                    prefix,
                    config: Some(mconf),
                    parent: Some(ctx),
                    call: Some(m.to_owned()),
                };
                targets(&inner, &child, f, false, depth + 1, out);
            }
            Some("local" | "data" | "each" | "count" | "path" | "terraform" | "self") | None => {}
            Some(ty) => {
                let Some(name) = parts.get(1) else { continue };
                let (name, idx) = match name.find('[') {
                    Some(i) => (&name[..i], Some(&name[i..])),
                    None => (*name, None),
                };
                let base = format!("{}{ty}.{name}", ctx.prefix);
                let candidates: Vec<&String> = f
                    .addrs
                    .iter()
                    .filter(|a| strip_keys(a) == strip_keys(&base))
                    .collect();
                // the instance: as written, else the referrer's own key, else the only one
                let pick = idx
                    .map(|i| format!("{base}{i}"))
                    .filter(|a| candidates.contains(&a))
                    .or_else(|| {
                        f.key
                            .filter(|_| own)
                            .map(|k| format!("{base}{k}"))
                            .filter(|a| candidates.contains(&a))
                    })
                    .or_else(|| (candidates.len() == 1).then(|| candidates[0].clone()));
                if let Some(id) = pick {
                    let attr = parts
                        .get(2)
                        .map(|a| a.split('[').next().unwrap_or(a).to_owned());
                    if !out.iter().any(|(x, _)| *x == id) {
                        out.push((id, attr));
                    }
                }
            }
        }
    }
}

/// The first `n` characters outside brackets of an address, with the brackets among them:
/// `module.m[0].aws_x.y` for `module.m.` → `module.m[0].`.
fn written_prefix(addr: &str, n: usize) -> String {
    let mut depth = 0usize;
    let mut plain = 0usize;
    for (i, c) in addr.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain += 1,
            _ => {}
        }
        if plain == n && depth == 0 {
            return addr[..i + c.len_utf8()].to_owned();
        }
    }
    addr.to_owned()
}
