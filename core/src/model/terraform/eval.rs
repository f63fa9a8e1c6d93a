//! Evaluating a module's expressions into positioned values, as far as the configuration
//! fixes them; what it does not fix stays an explicit unknown, in the model's own terms:
//!
//! - `var.x`: a [`Parameter`] `var.x` (`sensitive` is `NoEcho`), referenced by `{"Ref": "var.x"}`
//!   when its type is a scalar, so the rules read variables as they read CloudFormation
//!   parameters; a list, map or object default is substituted where it is used;
//! - `local.x`: the local's value (evaluated once, cycles reported);
//! - `aws_s3_bucket.b.arn`: `{"Fn::GetAtt": ["aws_s3_bucket.b", "Arn"]}` (`.id` and the name
//!   attributes are `{"Ref": …}`), with `[i]`/`["k"]` picking an instance of a resource with
//!   `count`/`for_each`;
//! - `data.aws_iam_policy_document.x.json`: the policy document itself (see [`super::policy`]);
//!   the caller identity, region and partition data sources are the pseudo parameters;
//!   `module.m.out` and other data sources are values from outside the configuration
//!   (`Fn::ImportValue` of `module.m` / `data.t.n`), one external end each;
//! - templates with interpolation: `Fn::Join`; `cond ? a : b` with a condition the
//!   configuration does not fix: `Fn::If` on a named condition (`Fn::Equals` over the
//!   variables), so both branches are checked and findings say which one they need;
//! - functions: the common ones of Terraform's library (`jsonencode`, `merge`, `concat`,
//!   `lookup`, `format`, `join`, `replace`, `toset`, …); any other call is unknown.
//!
//! Evaluation is bounded: local chains, instances per resource and the values built in all.

use crate::model::mk;
use crate::model::resolve::{eval_condition, resolve, Resolved};
use crate::model::{Parameter, Template};
use crate::parse::Limits;
use crate::smap::StrMap;
use crate::span::Span;
use crate::value::{Key, Node, Value};

use super::hcl::{Attribute, Block, Body, Expr, ExprKind, Op, Part, Step};

/// A declared `resource` or `data` block.
#[derive(Debug)]
pub struct Decl<'a> {
    pub type_: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
}

/// The module as declared across its files.
#[derive(Debug, Default)]
pub struct Config<'a> {
    pub variables: Vec<&'a Block>,
    pub locals: Vec<&'a Attribute>,
    pub resources: Vec<Decl<'a>>,
    pub data: Vec<Decl<'a>>,
    pub modules: Vec<&'a Block>,
    pub outputs: Vec<&'a Block>,
}

impl<'a> Config<'a> {
    pub fn add(&mut self, body: &'a Body) {
        for b in &body.blocks {
            let two = |b: &'a Block| match b.labels.as_slice() {
                [t, n] => Some(Decl {
                    type_: t,
                    name: n,
                    block: b,
                }),
                _ => None,
            };
            match b.kind.as_str() {
                "variable" if b.labels.len() == 1 => self.variables.push(b),
                "locals" => self.locals.extend(b.body.attrs.iter()),
                "resource" => self.resources.extend(two(b)),
                "data" => self.data.extend(two(b)),
                "module" if b.labels.len() == 1 => self.modules.push(b),
                "output" if b.labels.len() == 1 => self.outputs.push(b),
                _ => {}
            }
        }
    }

    pub fn resource(&self, type_: &str, name: &str) -> Option<&Decl<'a>> {
        self.resources
            .iter()
            .find(|d| d.type_ == type_ && d.name == name)
    }

    fn data_decl(&self, type_: &str, name: &str) -> Option<&Decl<'a>> {
        self.data
            .iter()
            .find(|d| d.type_ == type_ && d.name == name)
    }
}

/// How many instances a resource has.
#[derive(Debug, Clone)]
pub enum Instances {
    One,
    Count(usize),
    /// `for_each` keys with their values.
    Each(Vec<(String, Value)>),
    /// `count`/`for_each` the configuration does not fix: one node stands for them all.
    Unknown(String),
}

/// Most instances one resource is expanded into; more are drawn as one node.
const MAX_INSTANCES: usize = 64;

/// Names bound while evaluating (`each`, `count`, `for` variables, `dynamic` iterators).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: Vec<(String, Value)>,
}

impl Scope {
    pub fn with(&self, name: &str, v: Value) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_owned(), v));
        s
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// The evaluator: the configuration, and the template being filled (its parameters,
/// conditions and diagnostics).
#[derive(Debug)]
pub struct Eval<'a> {
    pub cfg: &'a Config<'a>,
    pub t: Template,
    /// Evaluated locals, with their size (each use costs it: a chain of locals that double
    /// is bounded by the budget, not by memory).
    locals: StrMap<(Value, usize)>,
    stack: Vec<String>,
    instances: StrMap<Instances>,
    docs: StrMap<Value>,
    budget: usize,
    limits: Limits,
    noted: Vec<String>,
}

/// An unknown value: a `Ref` to something that is neither a resource nor a parameter.
pub fn unknown(what: &str, span: Span) -> Value {
    mk::ref_(what, span)
}

/// A value from outside the configuration (a module's output, a data source): one external
/// end per module or data source.
fn outside(what: &str, span: Span) -> Value {
    Value::single("Fn::ImportValue", span, mk::s(what, span))
}

/// Does `v` hold no intrinsic function anywhere (is it fully known)?
pub fn is_known(v: &Value) -> bool {
    if v.intrinsic().is_some() {
        return false;
    }
    match &v.node {
        Node::Seq(items) => items.iter().all(is_known),
        Node::Map(m) => m.iter().all(|(_, x)| is_known(x)),
        _ => true,
    }
}

/// What a copy of `v` costs against the evaluation budget: its nodes, and its text by the
/// 16 bytes (a megabyte string is worth 65,536 small values).
fn cost(v: &Value) -> usize {
    match &v.node {
        Node::String(s) | Node::Number(s) => 1 + s.len() / 16,
        Node::Seq(items) => 1 + items.iter().map(cost).sum::<usize>(),
        Node::Map(m) => {
            1 + m
                .iter()
                .map(|(k, x)| k.name.len() / 16 + cost(x))
                .sum::<usize>()
        }
        _ => 1,
    }
}

fn respan_top(mut v: Value, span: Span) -> Value {
    v.span = span;
    v
}

/// A copy of `v` with every position at `span`.
pub fn respan_all(v: &Value, span: Span) -> Value {
    let node = match &v.node {
        Node::Seq(items) => Node::Seq(items.iter().map(|x| respan_all(x, span)).collect()),
        Node::Map(entries) => Node::Map(
            entries
                .iter()
                .map(|(k, x)| {
                    (
                        Key {
                            name: k.name.clone(),
                            span,
                        },
                        respan_all(x, span),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Value::new(node, span)
}

fn map_of(entries: Vec<(Key, Value)>, span: Span) -> Value {
    Value::new(Node::Map(entries), span)
}

fn key(name: &str, span: Span) -> Key {
    Key {
        name: name.to_owned(),
        span,
    }
}

/// The text of a known scalar as Terraform converts it to a string.
fn text_of(v: &Value) -> Option<String> {
    match &v.node {
        Node::String(s) | Node::Number(s) => Some(s.clone()),
        Node::Bool(b) => Some(b.to_string()),
        Node::Null => Some(String::new()),
        _ => None,
    }
}

/// A whole number as Terraform prints it; a fraction is left unknown (arithmetic in these
/// configurations counts things; printing floats would cost the web app their formatting).
fn number(n: f64, span: Span) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::new(Node::Number((n as i64).to_string()), span)
    } else {
        unknown("a fraction", span)
    }
}

/// The CloudFormation attribute a Terraform attribute stands for: `None` means `Ref` (the
/// id, and the name attributes CloudFormation's `Ref` returns).
fn cfn_attr(resource: &str, attr: &str) -> Option<String> {
    match attr {
        "id" | "name" | "bucket" | "function_name" | "url" | "table_name" | "queue_url" => None,
        // an access key's secret is `SecretAccessKey` in CloudFormation
        "secret" if resource.starts_with("aws_iam_access_key.") => {
            Some("SecretAccessKey".to_owned())
        }
        _ => Some(super::mapping::pascal(attr)),
    }
}

impl<'a> Eval<'a> {
    pub fn new(cfg: &'a Config<'a>, t: Template, limits: Limits) -> Eval<'a> {
        let mut e = Eval {
            cfg,
            t,
            locals: StrMap::new(),
            stack: Vec::new(),
            instances: StrMap::new(),
            docs: StrMap::new(),
            budget: limits.max_nodes,
            limits,
            noted: Vec::new(),
        };
        e.declare_variables();
        e
    }

    /// Each variable is a parameter: type from its `type` (or default), default and
    /// `sensitive` as written.
    fn declare_variables(&mut self) {
        let scope = Scope::default();
        for b in &self.cfg.variables {
            let Some(name) = b.labels.first() else {
                continue;
            };
            let default = b.body.attr("default").map(|a| self.expr(&a.expr, &scope));
            let ty = b.body.attr("type").map(|a| type_name(&a.expr));
            let type_ = match ty.as_deref().or_else(|| {
                default.as_ref().map(|d| match d.node {
                    Node::Number(_) => "number",
                    Node::Bool(_) => "bool",
                    Node::Seq(_) => "list",
                    Node::Map(_) => "map",
                    _ => "string",
                })
            }) {
                Some("number") => "Number",
                Some("bool") => "Boolean",
                Some("string") | None => "String",
                Some(_) => "Terraform::Collection",
            };
            let sensitive = b
                .body
                .attr("sensitive")
                .is_some_and(|a| matches!(a.expr.kind, ExprKind::Bool(true)));
            self.t.parameters.push(Parameter {
                name: format!("var.{name}"),
                span: b.span,
                type_: type_.to_owned(),
                default: default.filter(|d| !d.is_null()),
                no_echo: sensitive,
                allowed_values: Vec::new(),
            });
        }
    }

    /// Record a diagnostic once per text.
    pub fn note(&mut self, msg: String, span: Span) {
        if !self.noted.contains(&msg) {
            self.noted.push(msg.clone());
            self.t.warn(msg, span);
        }
    }

    fn spend(&mut self, n: usize, span: Span) -> bool {
        if self.budget < n {
            if self.budget > 0 {
                self.budget = 0;
                self.t.warn(
                    format!(
                        "evaluating this configuration builds more than {} values; the rest is left unknown",
                        self.limits.max_nodes
                    ),
                    span,
                );
            }
            return false;
        }
        self.budget -= n;
        true
    }

    /// A known value for control flow (`count`, `for_each`, conditions, function
    /// arguments): the value itself when it holds no unknowns, else what the template's
    /// parameter defaults and conditions make of a scalar.
    pub fn known(&self, v: &Value) -> Option<Value> {
        if is_known(v) {
            return Some(v.clone());
        }
        match v.intrinsic() {
            Some(("Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or", _)) => {
                eval_condition(&self.t, v).map(|b| Value::new(Node::Bool(b), v.span))
            }
            Some(("Ref", a)) => {
                let p = a.as_str().and_then(|n| self.t.parameter(n))?;
                p.default.as_ref().map(|d| respan_top(d.clone(), v.span))
            }
            Some(("Fn::If", arg)) => {
                let [c, a, b] = arg.as_seq()? else {
                    return None;
                };
                match crate::model::resolve::condition_value(&self.t, c.as_str()?)? {
                    true => self.known(a),
                    false => self.known(b),
                }
            }
            Some(_) => match resolve(&self.t, v) {
                Resolved::Literal(s) => Some(mk::s(s, v.span)),
                _ => None,
            },
            None => None,
        }
    }

    fn truth(&self, v: &Value) -> Option<bool> {
        self.known(v).and_then(|k| match &k.node {
            Node::Bool(b) => Some(*b),
            Node::String(s) => match s.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }

    /// How many instances resource `type_.name` has.
    pub fn instances(&mut self, d: &Decl<'_>) -> Instances {
        let id = format!("{}.{}", d.type_, d.name);
        if let Some(i) = self.instances.get(&id) {
            return i.clone();
        }
        // a placeholder first: a resource whose count refers to itself stays one node
        self.instances
            .insert(id.clone(), Instances::Unknown("a cycle".into()));
        let scope = Scope::default();
        let inst = if let Some(a) = d.block.body.attr("count") {
            let v = self.expr(&a.expr, &scope);
            match self.known(&v).and_then(|k| k.as_f64()) {
                Some(n) if n >= 0.0 && n <= MAX_INSTANCES as f64 => Instances::Count(n as usize),
                Some(n) if n >= 0.0 => Instances::Unknown(format!("count = {n}")),
                _ => Instances::Unknown(format!("count = {}", describe(&a.expr))),
            }
        } else if let Some(a) = d.block.body.attr("for_each") {
            let v = self.expr(&a.expr, &scope);
            match self.each_pairs(&v) {
                Some(pairs) if pairs.len() > MAX_INSTANCES => {
                    Instances::Unknown(format!("for_each over {} items", pairs.len()))
                }
                Some(pairs) => Instances::Each(pairs),
                None => Instances::Unknown(format!("for_each = {}", describe(&a.expr))),
            }
        } else {
            Instances::One
        };
        self.instances.insert(id, inst.clone());
        inst
    }

    /// The keys and values a `for_each` iterates over: a map's entries (its values may be
    /// unknown: only the keys make instances), or a set of known strings.
    fn each_pairs(&self, v: &Value) -> Option<Vec<(String, Value)>> {
        let k = if v.intrinsic().is_none() && v.as_map().is_some() {
            v.clone()
        } else {
            self.known(v)?
        };
        match &k.node {
            Node::Map(m) => Some(m.iter().map(|(k, x)| (k.name.clone(), x.clone())).collect()),
            Node::Seq(items) => items
                .iter()
                .map(|x| {
                    let x = self.known(x)?;
                    text_of(&x).map(|s| (s, x.clone()))
                })
                .collect(),
            _ => None,
        }
    }

    /// The address and scope of each instance of a resource.
    pub fn expand(&mut self, d: &Decl<'_>) -> Vec<(String, Scope, Option<String>)> {
        let base = format!("{}.{}", d.type_, d.name);
        let span = d.block.span;
        match self.instances(d) {
            Instances::One => vec![(base, Scope::default(), None)],
            Instances::Count(n) => (0..n)
                .map(|i| {
                    let s = Scope::default().with(
                        "count",
                        mk::obj(span, vec![("index", mk::num(i as i64, span))]),
                    );
                    (format!("{base}[{i}]"), s, None)
                })
                .collect(),
            Instances::Each(pairs) => pairs
                .into_iter()
                .map(|(k, v)| {
                    let s = Scope::default().with(
                        "each",
                        mk::obj(span, vec![("key", mk::s(&k, span)), ("value", v)]),
                    );
                    (format!("{base}[\"{k}\"]"), s, None)
                })
                .collect(),
            Instances::Unknown(why) => {
                let s = Scope::default()
                    .with(
                        "each",
                        mk::obj(
                            span,
                            vec![
                                ("key", unknown("each.key", span)),
                                ("value", unknown("each.value", span)),
                            ],
                        ),
                    )
                    .with(
                        "count",
                        mk::obj(span, vec![("index", unknown("count.index", span))]),
                    );
                vec![(base, s, Some(why))]
            }
        }
    }

    /// A body as a Terraform-shaped map: arguments by name, nested blocks as lists of maps
    /// (`dynamic` blocks expanded); meta-arguments left out.
    pub fn body(&mut self, b: &Body, scope: &Scope, span: Span) -> Value {
        let mut entries: Vec<(Key, Value)> = Vec::new();
        for a in &b.attrs {
            if matches!(
                a.name.as_str(),
                "count" | "for_each" | "provider" | "depends_on" | "lifecycle"
            ) {
                continue;
            }
            let v = self.expr(&a.expr, scope);
            entries.push((key(&a.name, a.span), v));
        }
        for blk in &b.blocks {
            let (kind, items) = match blk.kind.as_str() {
                "lifecycle" | "provisioner" | "connection" | "timeouts" => continue,
                "dynamic" => {
                    let Some(kind) = blk.labels.first() else {
                        continue;
                    };
                    (kind.as_str(), self.dynamic(blk, kind, scope))
                }
                k => (k, vec![self.body(&blk.body, scope, blk.span)]),
            };
            match entries.iter_mut().find(|(k, _)| k.name == kind) {
                Some((
                    _,
                    Value {
                        node: Node::Seq(list),
                        ..
                    },
                )) => list.extend(items),
                _ => entries.push((key(kind, blk.span), mk::seq(blk.span, items))),
            }
        }
        map_of(entries, span)
    }

    fn dynamic(&mut self, blk: &Block, kind: &str, scope: &Scope) -> Vec<Value> {
        let Some(content) = blk.body.blocks_of("content").next() else {
            return Vec::new();
        };
        let iter = blk
            .body
            .attr("iterator")
            .map(|a| literal_or_describe(&a.expr))
            .unwrap_or_else(|| kind.to_owned());
        let each = blk.body.attr("for_each").map(|a| self.expr(&a.expr, scope));
        let span = blk.span;
        let known = each.as_ref().and_then(|v| {
            if v.intrinsic().is_none() && v.as_map().is_some() {
                Some(v.clone())
            } else {
                self.known(v)
            }
        });
        let pairs = match known {
            Some(k) => match &k.node {
                Node::Map(m) => m
                    .iter()
                    .map(|(k, x)| (mk::s(&k.name, k.span), x.clone()))
                    .collect(),
                Node::Seq(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (mk::num(i as i64, x.span), x.clone()))
                    .collect(),
                _ => Vec::new(),
            },
            // one block standing for however many there are
            None => vec![(
                unknown(&format!("{iter}.key"), span),
                unknown(&format!("{iter}.value"), span),
            )],
        };
        pairs
            .into_iter()
            .take(MAX_INSTANCES)
            .map(|(k, v)| {
                let s = scope.with(&iter, mk::obj(span, vec![("key", k), ("value", v)]));
                self.body(&content.body, &s, span)
            })
            .collect()
    }

    /// Evaluate an expression.
    pub fn expr(&mut self, e: &Expr, scope: &Scope) -> Value {
        let span = e.span;
        if !self.spend(1, span) {
            return unknown("a value past the evaluation limit", span);
        }
        match &e.kind {
            ExprKind::Null => Value::new(Node::Null, span),
            ExprKind::Bool(b) => mk::boolean(*b, span),
            ExprKind::Number(n) => Value::new(Node::Number(n.clone()), span),
            ExprKind::Template(parts) => {
                let mut out = Vec::new();
                self.parts(parts, scope, &mut out);
                concat_parts(out, span)
            }
            ExprKind::Tuple(items) => {
                let items = items.iter().map(|x| self.expr(x, scope)).collect();
                mk::seq(span, items)
            }
            ExprKind::Object(items) => {
                let mut entries: Vec<(Key, Value)> = Vec::new();
                for (k, v) in items {
                    let name = match &k.kind {
                        ExprKind::Var(n) => n.clone(),
                        _ => {
                            let kv = self.expr(k, scope);
                            match self.known(&kv).as_ref().and_then(text_of) {
                                Some(s) => s,
                                None => describe(k),
                            }
                        }
                    };
                    let v = self.expr(v, scope);
                    match entries.iter_mut().find(|(x, _)| x.name == name) {
                        Some(e) => e.1 = v,
                        None => entries.push((key(&name, k.span), v)),
                    }
                }
                map_of(entries, span)
            }
            ExprKind::Var(_) | ExprKind::GetAttr(..) | ExprKind::Index(..) => {
                self.traversal(e, scope)
            }
            ExprKind::Splat(base, steps) => {
                let b = self.expr(base, scope);
                let items: Vec<Value> = match &b.node {
                    Node::Seq(items) => items.clone(),
                    Node::Null => Vec::new(),
                    Node::Map(_) if b.intrinsic().is_none() => vec![b.clone()],
                    _ if b.intrinsic().is_some() => {
                        // a splat over a resource with unknown instances: its attribute
                        let mut v = b.clone();
                        for s in steps {
                            v = self.step(v, s, scope, span);
                        }
                        return mk::seq(span, vec![v]);
                    }
                    _ => vec![b.clone()],
                };
                let out = items
                    .into_iter()
                    .map(|mut v| {
                        for s in steps {
                            v = self.step(v, s, scope, span);
                        }
                        v
                    })
                    .collect();
                mk::seq(span, out)
            }
            ExprKind::Call(name, args, expand) => self.call(name, args, *expand, scope, span),
            ExprKind::Unary(op, x) => {
                let v = self.expr(x, scope);
                match (op, self.known(&v)) {
                    (b'!', Some(k)) if self.truth(&k).is_some() => {
                        mk::boolean(!self.truth(&k).unwrap_or(false), span)
                    }
                    (b'-', Some(k)) if k.as_f64().is_some() => {
                        number(-k.as_f64().unwrap_or(0.0), span)
                    }
                    (b'!', None) => {
                        Value::single("Fn::Not", span, mk::seq(span, vec![cond_expr(v)]))
                    }
                    _ => unknown(&describe(e), span),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, scope, e),
            ExprKind::Cond(c, a, b) => {
                let cv = self.expr(c, scope);
                if let Some(t) = self.truth(&cv) {
                    // fixed by the configuration itself (not by a variable's default)
                    if is_known(&cv) {
                        return if t {
                            self.expr(a, scope)
                        } else {
                            self.expr(b, scope)
                        };
                    }
                }
                let name = describe(c);
                if !self.t.conditions.iter().any(|(n, _)| *n == name) {
                    self.t.conditions.push((name.clone(), cond_expr(cv)));
                }
                let av = self.expr(a, scope);
                let bv = self.expr(b, scope);
                Value::single(
                    "Fn::If",
                    span,
                    mk::seq(span, vec![mk::s(name, c.span), av, bv]),
                )
            }
            ExprKind::For(f) => {
                let coll = self.expr(&f.coll, scope);
                let Some(k) = self.known(&coll) else {
                    return unknown(&describe(e), span);
                };
                let pairs: Vec<(Value, Value)> = match &k.node {
                    Node::Map(m) => m
                        .iter()
                        .map(|(k, v)| (mk::s(&k.name, k.span), v.clone()))
                        .collect(),
                    Node::Seq(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (mk::num(i as i64, v.span), v.clone()))
                        .collect(),
                    _ => return unknown(&describe(e), span),
                };
                let mut list = Vec::new();
                let mut entries: Vec<(Key, Value)> = Vec::new();
                for (kv, vv) in pairs {
                    let mut s = scope.with(&f.val_var, vv);
                    if let Some(kn) = &f.key_var {
                        s = s.with(kn, kv);
                    }
                    if let Some(c) = &f.cond {
                        let cv = self.expr(c, &s);
                        if self.truth(&cv) == Some(false) {
                            continue;
                        }
                    }
                    let v = self.expr(&f.value, &s);
                    match &f.key {
                        None => list.push(v),
                        Some(ke) => {
                            let kv = self.expr(ke, &s);
                            let name = self
                                .known(&kv)
                                .as_ref()
                                .and_then(text_of)
                                .unwrap_or_else(|| describe(ke));
                            match entries.iter_mut().find(|(x, _)| x.name == name) {
                                Some((
                                    _,
                                    Value {
                                        node: Node::Seq(g), ..
                                    },
                                )) if f.group => g.push(v),
                                Some(e) => e.1 = v,
                                None if f.group => {
                                    entries.push((key(&name, kv.span), mk::seq(span, vec![v])))
                                }
                                None => entries.push((key(&name, kv.span), v)),
                            }
                        }
                    }
                }
                if f.key.is_some() {
                    map_of(entries, span)
                } else {
                    mk::seq(span, list)
                }
            }
        }
    }

    fn parts(&mut self, parts: &[Part], scope: &Scope, out: &mut Vec<Value>) {
        for p in parts {
            match p {
                Part::Lit(s) => out.push(Value::string(s.clone(), crate::span::Span::default())),
                Part::Interp(e) => out.push(self.expr(e, scope)),
                Part::If(c, a, b) => {
                    let cv = self.expr(c, scope);
                    match self.truth(&cv) {
                        Some(true) => self.parts(a, scope, out),
                        Some(false) => self.parts(b, scope, out),
                        None => out.push(unknown(&describe(c), c.span)),
                    }
                }
                Part::For(k, v, coll, body) => {
                    let cv = self.expr(coll, scope);
                    match self.known(&cv) {
                        Some(Value {
                            node: Node::Seq(items),
                            ..
                        }) => {
                            for (i, x) in items.into_iter().enumerate() {
                                let mut s = scope.with(v, x);
                                if let Some(k) = k {
                                    s = s.with(k, mk::num(i as i64, coll.span));
                                }
                                self.parts(body, &s, out);
                            }
                        }
                        Some(Value {
                            node: Node::Map(m), ..
                        }) => {
                            for (kk, x) in m {
                                let mut s = scope.with(v, x);
                                if let Some(k) = k {
                                    s = s.with(k, mk::s(&kk.name, kk.span));
                                }
                                self.parts(body, &s, out);
                            }
                        }
                        _ => out.push(unknown(&describe(coll), coll.span)),
                    }
                }
            }
        }
    }

    fn binary(&mut self, op: Op, a: &Expr, b: &Expr, scope: &Scope, e: &Expr) -> Value {
        let span = e.span;
        let av = self.expr(a, scope);
        let bv = self.expr(b, scope);
        let (ka, kb) = (is_known(&av).then_some(&av), is_known(&bv).then_some(&bv));
        match op {
            Op::Eq | Op::Ne => {
                let scalar =
                    |v: &Value| !matches!(v.node, Node::Null | Node::Seq(_) | Node::Map(_));
                let eq = match (ka, kb) {
                    (Some(x), Some(y)) => Some(
                        x.to_json() == y.to_json()
                            || scalar(x) && scalar(y) && text_of(x) == text_of(y),
                    ),
                    _ => None,
                };
                match eq {
                    Some(eq) => mk::boolean(eq == (op == Op::Eq), span),
                    None => {
                        let v = Value::single("Fn::Equals", span, mk::seq(span, vec![av, bv]));
                        if op == Op::Eq {
                            v
                        } else {
                            Value::single("Fn::Not", span, mk::seq(span, vec![v]))
                        }
                    }
                }
            }
            Op::And | Op::Or => {
                let (ta, tb) = (self.truth(&av), self.truth(&bv));
                let (ka, kb) = (is_known(&av), is_known(&bv));
                match (op, ta, tb) {
                    (Op::And, Some(false), _) if ka => mk::boolean(false, span),
                    (Op::And, _, Some(false)) if kb => mk::boolean(false, span),
                    (Op::Or, Some(true), _) if ka => mk::boolean(true, span),
                    (Op::Or, _, Some(true)) if kb => mk::boolean(true, span),
                    (_, Some(x), Some(y)) if ka && kb => {
                        mk::boolean(if op == Op::And { x && y } else { x || y }, span)
                    }
                    _ => Value::single(
                        if op == Op::And { "Fn::And" } else { "Fn::Or" },
                        span,
                        mk::seq(span, vec![cond_expr(av), cond_expr(bv)]),
                    ),
                }
            }
            _ => {
                let (Some(x), Some(y)) = (ka.and_then(Value::as_f64), kb.and_then(Value::as_f64))
                else {
                    return unknown(&describe(e), span);
                };
                match op {
                    Op::Add => number(x + y, span),
                    Op::Sub => number(x - y, span),
                    Op::Mul => number(x * y, span),
                    Op::Div if y != 0.0 => number(x / y, span),
                    Op::Mod if y as i64 != 0 => number(((x as i64) % (y as i64)) as f64, span),
                    Op::Lt => mk::boolean(x < y, span),
                    Op::Le => mk::boolean(x <= y, span),
                    Op::Gt => mk::boolean(x > y, span),
                    Op::Ge => mk::boolean(x >= y, span),
                    _ => unknown(&describe(e), span),
                }
            }
        }
    }

    /// One traversal step applied to a value.
    fn step(&mut self, v: Value, s: &Step, scope: &Scope, span: Span) -> Value {
        match s {
            Step::Attr(a) => self.get_attr(v, a, span),
            Step::Index(i) => {
                let iv = self.expr(i, scope);
                self.index(v, &iv, span)
            }
        }
    }

    /// `v.name`: a map's entry, or a resource's attribute.
    fn get_attr(&mut self, v: Value, name: &str, span: Span) -> Value {
        if let Some((f, arg)) = v.intrinsic() {
            if f == "Ref" {
                if let Some(id) = arg.as_str() {
                    if self.is_resource(id) {
                        return match cfn_attr(id, name) {
                            None => mk::ref_(id, span),
                            Some(attr) => mk::getatt(id, &attr, span),
                        };
                    }
                }
            }
            return respan_top(v, span);
        }
        match &v.node {
            Node::Map(_) => v
                .get(name)
                .cloned()
                .map_or_else(|| Value::new(Node::Null, span), |x| respan_top(x, span)),
            _ => unknown(name, span),
        }
    }

    fn index(&mut self, v: Value, i: &Value, span: Span) -> Value {
        if v.intrinsic().is_some() {
            return respan_top(v, span);
        }
        let Some(k) = self.known(i) else {
            return unknown("an index the configuration does not fix", span);
        };
        match (&v.node, &k.node) {
            (Node::Seq(items), _) => k
                .as_f64()
                .and_then(|n| items.get(n as usize))
                .cloned()
                .map_or_else(|| Value::new(Node::Null, span), |x| respan_top(x, span)),
            (Node::Map(_), _) => text_of(&k)
                .and_then(|s| v.get(&s).cloned())
                .map_or_else(|| Value::new(Node::Null, span), |x| respan_top(x, span)),
            _ => unknown("an index", span),
        }
    }

    fn is_resource(&self, id: &str) -> bool {
        let base = id.split('[').next().unwrap_or(id);
        base.split_once('.')
            .is_some_and(|(t, n)| self.cfg.resource(t, n).is_some())
    }

    /// A variable, local, resource, data source or module reference, with what follows it.
    fn traversal(&mut self, e: &Expr, scope: &Scope) -> Value {
        let span = e.span;
        // flatten: root name, then the steps in order
        let mut steps: Vec<&Expr> = Vec::new();
        let mut cur = e;
        let root = loop {
            match &cur.kind {
                ExprKind::Var(n) => break Some(n.as_str()),
                ExprKind::GetAttr(x, _) | ExprKind::Index(x, _) => {
                    steps.push(cur);
                    cur = x;
                }
                _ => break None,
            }
        };
        steps.reverse();
        let Some(root) = root else {
            // an attribute or index of some other expression
            let (base, rest) = match &e.kind {
                ExprKind::GetAttr(x, n) => (self.expr(x, scope), Some(Step::Attr(n.clone()))),
                ExprKind::Index(x, i) => (self.expr(x, scope), Some(Step::Index((**i).clone()))),
                _ => return unknown(&describe(e), span),
            };
            return match rest {
                Some(s) => self.step(base, &s, scope, span),
                None => base,
            };
        };
        let attr = |k: usize| match steps.get(k).map(|s| &s.kind) {
            Some(ExprKind::GetAttr(_, n)) => Some(n.as_str()),
            _ => None,
        };
        // (value so far, steps consumed)
        let (v, used) = if let Some(v) = scope.get(root) {
            let v = v.clone();
            if !self.spend(cost(&v), span) {
                return unknown(root, span);
            }
            (v, 0)
        } else {
            match root {
                "var" => match attr(0) {
                    Some(n) => (self.variable(n, span), 1),
                    None => (unknown("var", span), 0),
                },
                "local" => match attr(0) {
                    Some(n) => (self.local(n, span), 1),
                    None => (unknown("local", span), 0),
                },
                "path" => (mk::s(".", span), steps.len().min(1)),
                "terraform" => (mk::s("default", span), steps.len().min(1)),
                "data" => match (attr(0), attr(1)) {
                    (Some(t), Some(n)) => {
                        let (v, used) = self.data(t, n, attr(2), span);
                        (v, 2 + used)
                    }
                    _ => (unknown("data", span), 0),
                },
                "module" => match attr(0) {
                    Some(m) => {
                        let name = format!("module.{m}");
                        self.note(
                            format!("`{name}` is a module call: its resources are not read from HCL (pillarlint does not fetch or expand modules); run `terraform show -json` on a plan and analyse that to see what it creates"),
                            span,
                        );
                        (outside(&name, span), steps.len())
                    }
                    None => (unknown("module", span), 0),
                },
                "each" | "count" | "self" => (unknown(&describe(e), span), steps.len()),
                ty => match attr(0) {
                    Some(n) => match self.cfg.resource(ty, n) {
                        Some(d) => {
                            let (v, used) =
                                self.resource_ref(d, steps.get(1).copied(), scope, span);
                            (v, 1 + used)
                        }
                        None => {
                            let id = format!("{ty}.{n}");
                            self.note(
                                format!("reference to `{id}`, which is not declared in the files read; it is left unknown"),
                                span,
                            );
                            (outside(&id, span), steps.len())
                        }
                    },
                    None => (unknown(root, span), 0),
                },
            }
        };
        let mut v = v;
        for s in steps.iter().skip(used) {
            let st = match &s.kind {
                ExprKind::GetAttr(_, n) => Step::Attr(n.clone()),
                ExprKind::Index(_, i) => Step::Index((**i).clone()),
                _ => continue,
            };
            v = self.step(v, &st, scope, span);
        }
        v
    }

    /// `TYPE.NAME` (+ an index when the next step is one): one instance's `Ref`, or the list
    /// (`count`) or map (`for_each`) of them; the second value is how many steps it used.
    fn resource_ref(
        &mut self,
        d: &Decl<'_>,
        next: Option<&Expr>,
        scope: &Scope,
        span: Span,
    ) -> (Value, usize) {
        let base = format!("{}.{}", d.type_, d.name);
        let idx = match next.map(|n| &n.kind) {
            Some(ExprKind::Index(_, i)) => Some(self.expr(i, scope)),
            _ => None,
        };
        let idx = idx.map(|i| (self.known(&i).as_ref().and_then(text_of), i));
        match self.instances(d) {
            Instances::One => (mk::ref_(&base, span), 0),
            Instances::Unknown(_) => (mk::ref_(&base, span), usize::from(idx.is_some())),
            Instances::Count(n) => match idx {
                Some((Some(i), _)) => (mk::ref_(&format!("{base}[{i}]"), span), 1),
                Some((None, _)) => (mk::ref_(&format!("{base}[0]"), span), 1),
                None => (
                    mk::seq(
                        span,
                        (0..n)
                            .map(|i| mk::ref_(&format!("{base}[{i}]"), span))
                            .collect(),
                    ),
                    0,
                ),
            },
            Instances::Each(pairs) => match idx {
                Some((Some(k), _)) => (mk::ref_(&format!("{base}[\"{k}\"]"), span), 1),
                Some((None, _)) => match pairs.first() {
                    Some((k, _)) => (mk::ref_(&format!("{base}[\"{k}\"]"), span), 1),
                    None => (Value::new(Node::Null, span), 1),
                },
                None => (
                    map_of(
                        pairs
                            .iter()
                            .map(|(k, _)| {
                                (key(k, span), mk::ref_(&format!("{base}[\"{k}\"]"), span))
                            })
                            .collect(),
                        span,
                    ),
                    0,
                ),
            },
        }
    }

    fn variable(&mut self, name: &str, span: Span) -> Value {
        let id = format!("var.{name}");
        match self.t.parameter(&id) {
            None => {
                self.note(
                    format!("`{id}` is not declared (no `variable \"{name}\"` block in the files read); it is left unknown"),
                    span,
                );
                unknown(&id, span)
            }
            Some(p) if p.type_ == "Terraform::Collection" => match p.default.clone() {
                Some(d) if self.spend(cost(&d), span) => respan_top(d, span),
                _ => unknown(&id, span),
            },
            Some(_) => mk::ref_(&id, span),
        }
    }

    fn local(&mut self, name: &str, span: Span) -> Value {
        if let Some((v, n)) = self.locals.get(name) {
            let (v, n) = (v.clone(), *n);
            if !self.spend(n, span) {
                return unknown(&format!("local.{name}"), span);
            }
            return respan_top(v, span);
        }
        let Some(a) = self.cfg.locals.iter().find(|a| a.name == name).copied() else {
            self.note(
                format!("`local.{name}` is not declared in the files read; it is left unknown"),
                span,
            );
            return unknown(&format!("local.{name}"), span);
        };
        if self.stack.iter().any(|s| s == name) || self.stack.len() > 64 {
            self.note(
                format!(
                    "`local.{name}` refers to itself (through other locals); it is left unknown"
                ),
                a.span,
            );
            return unknown(&format!("local.{name}"), span);
        }
        self.stack.push(name.to_owned());
        let v = self.expr(&a.expr, &Scope::default());
        self.stack.pop();
        self.locals.insert(name.to_owned(), (v.clone(), cost(&v)));
        respan_top(v, span)
    }

    /// `data.TYPE.NAME[.attr]`: the value and how many of the attribute steps it used.
    fn data(&mut self, ty: &str, name: &str, attr: Option<&str>, span: Span) -> (Value, usize) {
        let id = format!("data.{ty}.{name}");
        let decl = self.cfg.data_decl(ty, name);
        let pseudo = |p: &str| (mk::ref_(p, span), 1);
        match (ty, attr) {
            ("aws_caller_identity", Some("account_id")) => return pseudo("AWS::AccountId"),
            ("aws_region", Some("name" | "id" | "region")) => return pseudo("AWS::Region"),
            ("aws_partition", Some("partition")) => return pseudo("AWS::Partition"),
            ("aws_partition", Some("dns_suffix")) => return pseudo("AWS::URLSuffix"),
            _ => {}
        }
        let Some(d) = decl else {
            self.note(
                format!("reference to `{id}`, which is not declared in the files read; it is left unknown"),
                span,
            );
            return (outside(&id, span), 0);
        };
        match (ty, attr) {
            ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                if let Some(doc) = self.docs.get(&id) {
                    return (respan_top(doc.clone(), span), 1);
                }
                if self.stack.contains(&id) {
                    return (unknown(&id, span), 1);
                }
                self.stack.push(id.clone());
                let body = self.body(&d.block.body, &Scope::default(), d.block.span);
                let doc = super::policy::document(&body, d.block.span);
                self.stack.pop();
                self.docs.insert(id, doc.clone());
                (respan_top(doc, span), 1)
            }
            ("aws_iam_policy", Some("arn")) => {
                let body = self.body(&d.block.body, &Scope::default(), d.block.span);
                if let Some(arn) = body.get("arn").filter(|v| v.as_str().is_some()) {
                    return (respan_top(arn.clone(), span), 1);
                }
                match body.get("name").and_then(Value::as_str) {
                    Some(n) => (mk::s(format!("arn:aws:iam::aws:policy/{n}"), span), 1),
                    None => (outside(&id, span), 1),
                }
            }
            _ => (outside(&id, span), usize::from(attr.is_some())),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Expr],
        expand: bool,
        scope: &Scope,
        span: Span,
    ) -> Value {
        let mut vals: Vec<Value> = args.iter().map(|a| self.expr(a, scope)).collect();
        if expand {
            if let Some(last) = vals.pop() {
                match self.known(&last) {
                    Some(Value {
                        node: Node::Seq(items),
                        ..
                    }) => vals.extend(items),
                    _ => return unknown(&format!("{name}(…)"), span),
                }
            }
        }
        let unk = || unknown(&format!("{name}(…)"), span);
        // structural functions work on values with unknown parts inside
        match name {
            "jsonencode" | "yamlencode" | "tostring" | "tolist" | "tomap" | "sensitive"
            | "nonsensitive" => {
                return vals
                    .into_iter()
                    .next()
                    .map_or_else(unk, |v| respan_top(v, span))
            }
            "try" | "coalesce" => {
                return vals
                    .iter()
                    .find(|v| is_known(v) && !v.is_null() && v.as_str() != Some(""))
                    .or(vals.first())
                    .cloned()
                    .map_or_else(unk, |v| respan_top(v, span));
            }
            "can" => return mk::boolean(true, span),
            "merge" => {
                let mut entries: Vec<(Key, Value)> = Vec::new();
                for v in &vals {
                    match &v.node {
                        Node::Map(m) if v.intrinsic().is_none() => {
                            for (k, x) in m {
                                match entries.iter_mut().find(|(e, _)| e.name == k.name) {
                                    Some(e) => e.1 = x.clone(),
                                    None => entries.push((k.clone(), x.clone())),
                                }
                            }
                        }
                        Node::Null => {}
                        _ => return unk(),
                    }
                }
                return map_of(entries, span);
            }
            "concat" | "flatten" | "compact" | "distinct" | "toset" => {
                let mut out: Vec<Value> = Vec::new();
                let lists: Vec<&Value> = if name == "concat" {
                    vals.iter().collect()
                } else {
                    vals.iter().take(1).collect()
                };
                for v in lists {
                    match &v.node {
                        Node::Seq(items) => out.extend(items.iter().cloned()),
                        Node::Null => {}
                        _ => return unk(),
                    }
                }
                if name == "flatten" {
                    let mut flat = Vec::new();
                    fn fl(v: Value, out: &mut Vec<Value>, d: u8) {
                        match v.node {
                            Node::Seq(items) if d < 16 => {
                                items.into_iter().for_each(|x| fl(x, out, d + 1))
                            }
                            _ => out.push(v),
                        }
                    }
                    out.into_iter().for_each(|x| fl(x, &mut flat, 0));
                    out = flat;
                }
                if name == "compact" {
                    out.retain(|v| !v.is_null() && v.as_str() != Some(""));
                }
                if name == "distinct" || name == "toset" {
                    let mut seen: Vec<serde_json::Value> = Vec::new();
                    out.retain(|v| {
                        let j = v.to_json();
                        let fresh = !seen.contains(&j);
                        seen.push(j);
                        fresh
                    });
                }
                return mk::seq(span, out);
            }
            "lookup" => {
                let (Some(m), Some(k)) = (vals.first(), vals.get(1)) else {
                    return unk();
                };
                if m.intrinsic().is_some() {
                    return unk();
                }
                return match self.known(k).as_ref().and_then(text_of) {
                    Some(k) => m
                        .get(&k)
                        .or(vals.get(2))
                        .cloned()
                        .map_or_else(unk, |v| respan_top(v, span)),
                    None => unk(),
                };
            }
            "element" => {
                let (
                    Some(Value {
                        node: Node::Seq(items),
                        ..
                    }),
                    Some(i),
                ) = (vals.first(), vals.get(1))
                else {
                    return unk();
                };
                let i = self.known(i).and_then(|i| i.as_f64());
                return match i {
                    Some(i) if !items.is_empty() => items
                        .get((i as usize) % items.len())
                        .cloned()
                        .map_or_else(unk, |v| respan_top(v, span)),
                    _ => unk(),
                };
            }
            "one" => {
                return match vals.first().map(|v| &v.node) {
                    Some(Node::Seq(items)) if items.len() <= 1 => items
                        .first()
                        .cloned()
                        .map_or_else(|| Value::new(Node::Null, span), |v| respan_top(v, span)),
                    _ => unk(),
                }
            }
            "values" | "keys" => {
                return match vals.first() {
                    Some(v) if v.intrinsic().is_none() => match &v.node {
                        Node::Map(m) => mk::seq(
                            span,
                            m.iter()
                                .map(|(k, x)| {
                                    if name == "keys" {
                                        mk::s(&k.name, k.span)
                                    } else {
                                        x.clone()
                                    }
                                })
                                .collect(),
                        ),
                        _ => unk(),
                    },
                    _ => unk(),
                }
            }
            "zipmap" => {
                return match (vals.first().map(|v| &v.node), vals.get(1).map(|v| &v.node)) {
                    (Some(Node::Seq(ks)), Some(Node::Seq(vs))) => map_of(
                        ks.iter()
                            .zip(vs.iter())
                            .filter_map(|(k, v)| text_of(k).map(|k| (key(&k, span), v.clone())))
                            .collect(),
                        span,
                    ),
                    _ => unk(),
                }
            }
            "jsondecode" | "yamldecode" => {
                return match vals
                    .first()
                    .and_then(|v| self.known(v))
                    .as_ref()
                    .and_then(Value::as_str)
                {
                    Some(s) => match crate::parse::load(s, &self.limits) {
                        Ok(v) => respan_all(&v, span),
                        Err(_) => unk(),
                    },
                    None => unk(),
                }
            }
            "file" | "templatefile" | "filebase64" | "timestamp" | "uuid" | "bcrypt" | "sha1"
            | "sha256" | "md5" | "filemd5" | "filesha256" | "filebase64sha256" | "base64sha256"
            | "cidrsubnet" | "cidrhost" | "fileset" | "random" => return unk(),
            _ => {}
        }
        // the rest needs every argument known
        let mut known = Vec::with_capacity(vals.len());
        for v in &vals {
            match self.known(v) {
                Some(k) => known.push(k),
                None => {
                    // a string made of unknown parts stays a join of them
                    if name == "join" {
                        if let (
                            Some(sep),
                            Some(Value {
                                node: Node::Seq(items),
                                ..
                            }),
                        ) = (
                            vals.first()
                                .and_then(|s| self.known(s))
                                .as_ref()
                                .and_then(text_of),
                            vals.get(1),
                        ) {
                            return mk::join(&sep, items.clone(), span);
                        }
                    }
                    if name == "format" {
                        return self.format_unknown(&vals, span).unwrap_or_else(unk);
                    }
                    return unk();
                }
            }
        }
        functions::call(name, &known, span).unwrap_or_else(unk)
    }

    /// `format("arn:aws:s3:::%s/*", aws_s3_bucket.b.bucket)`: a join of the pieces.
    fn format_unknown(&self, vals: &[Value], span: Span) -> Option<Value> {
        let fmt = vals.first().and_then(|v| self.known(v))?;
        let fmt = fmt.as_str()?.to_owned();
        let mut parts = Vec::new();
        let mut args = vals.iter().skip(1);
        let mut lit = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                lit.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => lit.push('%'),
                Some(_) => {
                    parts.push(mk::s(std::mem::take(&mut lit), span));
                    parts.push(args.next()?.clone());
                }
                None => return None,
            }
        }
        parts.push(mk::s(lit, span));
        Some(concat_parts(parts, span))
    }
}

/// A condition as a CloudFormation condition expression (`Fn::Equals` over a variable).
fn cond_expr(v: Value) -> Value {
    match v.intrinsic() {
        Some(("Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or", _)) => v,
        _ if matches!(v.node, Node::Bool(_)) => v,
        _ => {
            let span = v.span;
            Value::single(
                "Fn::Equals",
                span,
                mk::seq(span, vec![v, mk::s("true", span)]),
            )
        }
    }
}

/// The longest string evaluation builds (templates, `join`, `format`, `replace` …): longer
/// ones are left unknown, so doubling strings through locals cannot exhaust memory.
pub const MAX_STRING: usize = 1 << 20;

/// Template pieces as one value: a string when all are known, else `Fn::Join`.
fn concat_parts(parts: Vec<Value>, span: Span) -> Value {
    let total: usize = parts.iter().filter_map(Value::as_str).map(str::len).sum();
    if total > MAX_STRING {
        return unknown("a string longer than pillarlint builds", span);
    }
    if let [p] = parts.as_slice() {
        return match (&p.node, p.intrinsic()) {
            (Node::Number(_) | Node::Bool(_), None) => mk::s(text_of(p).unwrap_or_default(), span),
            _ => respan_top(p.clone(), span),
        };
    }
    let mut out: Vec<Value> = Vec::new();
    let mut lit: Option<String> = None;
    for p in parts {
        match text_of(&p) {
            Some(s) if p.intrinsic().is_none() => lit.get_or_insert_with(String::new).push_str(&s),
            _ => {
                if let Some(l) = lit.take() {
                    out.push(mk::s(l, span));
                }
                // nested joins with no separator flatten into this one
                match p.intrinsic() {
                    Some(("Fn::Join", arg))
                        if arg.as_seq().and_then(|a| a.first()).and_then(Value::as_str)
                            == Some("") =>
                    {
                        if let Some(items) =
                            arg.as_seq().and_then(|a| a.get(1)).and_then(Value::as_seq)
                        {
                            out.extend(items.iter().cloned());
                        }
                    }
                    _ => out.push(p),
                }
            }
        }
    }
    if let Some(l) = lit {
        out.push(mk::s(l, span));
    }
    match out.len() {
        0 => mk::s("", span),
        1 if out[0].as_str().is_some() => respan_top(out.remove(0), span),
        _ => mk::join("", out, span),
    }
}

/// The type keyword of a variable's `type` (`string`, `list(string)` → `list`).
fn type_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(n) | ExprKind::Call(n, ..) => n.clone(),
        // `.tf.json` writes types as strings: "string", "${list(string)}"
        ExprKind::Template(parts) => match parts.as_slice() {
            [Part::Lit(s)] => s.split('(').next().unwrap_or(s).to_owned(),
            [Part::Interp(x)] => type_name(x),
            _ => "any".into(),
        },
        _ => "any".into(),
    }
}

/// The literal text of a one-literal template, else the expression's rendering.
pub fn literal_or_describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Template(parts) => match parts.as_slice() {
            [Part::Lit(s)] => s.clone(),
            _ => describe(e),
        },
        _ => describe(e),
    }
}

/// A short rendering of an expression, for condition names and unknown values.
pub fn describe(e: &Expr) -> String {
    let mut s = String::new();
    describe_into(e, &mut s, 0);
    s
}

fn describe_into(e: &Expr, s: &mut String, d: u8) {
    if d > 8 || s.len() > 80 {
        s.push('…');
        return;
    }
    match &e.kind {
        ExprKind::Var(n) => s.push_str(n),
        ExprKind::GetAttr(x, n) => {
            describe_into(x, s, d + 1);
            s.push('.');
            s.push_str(n);
        }
        ExprKind::Index(x, i) => {
            describe_into(x, s, d + 1);
            s.push('[');
            describe_into(i, s, d + 1);
            s.push(']');
        }
        ExprKind::Splat(x, _) => {
            describe_into(x, s, d + 1);
            s.push_str("[*]");
        }
        ExprKind::Number(n) => s.push_str(n),
        ExprKind::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        ExprKind::Null => s.push_str("null"),
        ExprKind::Template(parts) => {
            s.push('"');
            for p in parts {
                match p {
                    Part::Lit(l) => s.push_str(l),
                    Part::Interp(x) => {
                        s.push_str("${");
                        describe_into(x, s, d + 1);
                        s.push('}');
                    }
                    _ => s.push('…'),
                }
            }
            s.push('"');
        }
        ExprKind::Call(n, args, _) => {
            s.push_str(n);
            s.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                describe_into(a, s, d + 1);
            }
            s.push(')');
        }
        ExprKind::Unary(op, x) => {
            s.push(*op as char);
            describe_into(x, s, d + 1);
        }
        ExprKind::Binary(op, a, b) => {
            describe_into(a, s, d + 1);
            s.push_str(match op {
                Op::Or => " || ",
                Op::And => " && ",
                Op::Eq => " == ",
                Op::Ne => " != ",
                Op::Lt => " < ",
                Op::Le => " <= ",
                Op::Gt => " > ",
                Op::Ge => " >= ",
                Op::Add => " + ",
                Op::Sub => " - ",
                Op::Mul => " * ",
                Op::Div => " / ",
                Op::Mod => " % ",
            });
            describe_into(b, s, d + 1);
        }
        _ => s.push('…'),
    }
}

/// Functions over known values.
mod functions {
    use super::{number, text_of};
    use crate::model::mk;
    use crate::span::Span;
    use crate::value::{Node, Value};

    fn strs(v: &[Value]) -> Vec<String> {
        v.iter().filter_map(text_of).collect()
    }

    pub fn call(name: &str, a: &[Value], span: Span) -> Option<Value> {
        let s = |i: usize| a.get(i).and_then(text_of);
        let n = |i: usize| a.get(i).and_then(Value::as_f64);
        let list = |i: usize| a.get(i).and_then(Value::as_seq);
        let out = |x: String| Some(mk::s(x, span));
        match name {
            // ASCII case: names and ARNs are ASCII, and Unicode's tables cost the web app
            // some 25 KB
            "lower" => out(s(0)?.to_ascii_lowercase()),
            "upper" => out(s(0)?.to_ascii_uppercase()),
            "trimspace" => out(s(0)?.trim().to_owned()),
            "chomp" => out(s(0)?.trim_end_matches(['\n', '\r']).to_owned()),
            "trimprefix" => out(s(0)?
                .strip_prefix(s(1)?.as_str())
                .map(str::to_owned)
                .or_else(|| s(0))?),
            "trimsuffix" => out(s(0)?
                .strip_suffix(s(1)?.as_str())
                .map(str::to_owned)
                .or_else(|| s(0))?),
            "trim" => {
                let cut = s(1)?;
                out(s(0)?.trim_matches(|c| cut.contains(c)).to_owned())
            }
            "replace" => {
                let from = s(1)?;
                if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                    return None; // a regular expression
                }
                let (text, to) = (s(0)?, s(2)?);
                let grows = if from.is_empty() {
                    text.len() + 1
                } else {
                    text.matches(from.as_str()).count()
                };
                if text.len() + grows.saturating_mul(to.len()) > super::MAX_STRING {
                    return None;
                }
                out(text.replace(&from, &to))
            }
            "substr" => {
                let text = s(0)?;
                let off = n(1)? as usize;
                let len = n(2)?;
                let chars = text.chars().skip(off);
                out(if len < 0.0 {
                    chars.collect()
                } else {
                    chars.take(len as usize).collect()
                })
            }
            "startswith" => Some(mk::boolean(s(0)?.starts_with(s(1)?.as_str()), span)),
            "endswith" => Some(mk::boolean(s(0)?.ends_with(s(1)?.as_str()), span)),
            "strcontains" => Some(mk::boolean(s(0)?.contains(s(1)?.as_str()), span)),
            "join" => {
                let parts = strs(list(1)?);
                let sep = s(0)?;
                let total: usize = parts.iter().map(|p| p.len() + sep.len()).sum();
                if total > super::MAX_STRING {
                    return None;
                }
                out(parts.join(&sep))
            }
            "split" => {
                let sep = s(0)?;
                if sep.is_empty() {
                    return None;
                }
                Some(mk::seq(
                    span,
                    s(1)?.split(sep.as_str()).map(|p| mk::s(p, span)).collect(),
                ))
            }
            "format" => {
                let fmt = s(0)?;
                let mut args = a.iter().skip(1);
                let mut o = String::new();
                let mut chars = fmt.chars();
                while let Some(c) = chars.next() {
                    if c != '%' {
                        o.push(c);
                        continue;
                    }
                    match chars.next()? {
                        '%' => o.push('%'),
                        'q' => o.push_str(&format!("\"{}\"", text_of(args.next()?)?)),
                        _ => o.push_str(&text_of(args.next()?)?),
                    }
                    if o.len() > super::MAX_STRING {
                        return None;
                    }
                }
                out(o)
            }
            "formatlist" => {
                let fmt = s(0)?;
                let mut total = 0usize;
                let mut out = Vec::new();
                for x in list(1)? {
                    let v = call("format", &[mk::s(fmt.clone(), span), x.clone()], span)?;
                    total += v.as_str().map_or(0, str::len);
                    if total > super::MAX_STRING {
                        return None;
                    }
                    out.push(v);
                }
                Some(mk::seq(span, out))
            }
            "length" => match &a.first()?.node {
                Node::Seq(x) => Some(mk::num(x.len() as i64, span)),
                Node::Map(x) => Some(mk::num(x.len() as i64, span)),
                Node::String(x) => Some(mk::num(x.chars().count() as i64, span)),
                _ => None,
            },
            "contains" => {
                let j = a.get(1)?.to_json();
                Some(mk::boolean(list(0)?.iter().any(|x| x.to_json() == j), span))
            }
            "index" => {
                let j = a.get(1)?.to_json();
                let i = list(0)?.iter().position(|x| x.to_json() == j)?;
                Some(mk::num(i as i64, span))
            }
            "reverse" => Some(mk::seq(span, list(0)?.iter().rev().cloned().collect())),
            "sort" => {
                let mut v = strs(list(0)?);
                crate::sort::sort_by(&mut v, |x, y| x.cmp(y));
                Some(mk::seq(
                    span,
                    v.into_iter().map(|x| mk::s(x, span)).collect(),
                ))
            }
            "slice" => {
                let l = list(0)?;
                let (from, to) = (n(1)? as usize, n(2)? as usize);
                Some(mk::seq(span, l.get(from..to.min(l.len()))?.to_vec()))
            }
            "range" => {
                let (start, end) = match (n(0), n(1)) {
                    (Some(e), None) => (0.0, e),
                    (Some(s), Some(e)) => (s, e),
                    _ => return None,
                };
                let step = n(2).unwrap_or(1.0);
                if step <= 0.0 || (end - start) / step > 1024.0 {
                    return None;
                }
                let mut v = Vec::new();
                let mut x = start;
                while x < end {
                    v.push(number(x, span));
                    x += step;
                }
                Some(mk::seq(span, v))
            }
            "max" | "min" => {
                let mut it = a.iter().filter_map(Value::as_f64);
                let first = it.next()?;
                let r = it.fold(first, |m, x| if (name == "max") == (x > m) { x } else { m });
                Some(number(r, span))
            }
            "abs" => Some(number(n(0)?.abs(), span)),
            "ceil" => Some(number(n(0)?.ceil(), span)),
            "floor" => Some(number(n(0)?.floor(), span)),
            "tonumber" => Some(number(n(0)?, span)),
            "tobool" => match s(0)?.as_str() {
                "true" => Some(mk::boolean(true, span)),
                "false" => Some(mk::boolean(false, span)),
                _ => None,
            },
            "coalescelist" => a
                .iter()
                .find(|x| x.as_seq().is_some_and(|l| !l.is_empty()))
                .cloned(),
            "setunion" => {
                let mut v: Vec<Value> = Vec::new();
                for l in a {
                    for x in l.as_seq()? {
                        if !v.iter().any(|y| y.to_json() == x.to_json()) {
                            v.push(x.clone());
                        }
                    }
                }
                Some(mk::seq(span, v))
            }
            "indent" => {
                let pad = " ".repeat((n(0)? as usize).min(64));
                let text = s(1)?;
                if text.len() + text.matches('\n').count() * pad.len() > super::MAX_STRING {
                    return None;
                }
                out(text.replace('\n', &format!("\n{pad}")))
            }
            "urlencode" => out(s(0)?),
            _ => None,
        }
    }
}
