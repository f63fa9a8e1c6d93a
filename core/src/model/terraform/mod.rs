//! Terraform: HCL (`.tf`), its JSON syntax (`.tf.json`) and `terraform show -json` plan
//! output, into the one CloudFormation-shaped [`Template`], so the graph and every rule work
//! unchanged and findings point at the `.tf` line of the offending argument.
//!
//! # Reading HCL
//! [`hcl`] is a positioned reader of HCL's native syntax written for pillarlint, in the style
//! of the YAML loader: one parser path, every attribute, block, label and expression with its
//! line and column, errors positioned, depth and size bounded, fuzzed (`fuzz/fuzz_targets/hcl.rs`).
//! The well-kept crate was measured against it (2026-12-07, `wasm32-unknown-unknown`, the
//! release profile's opt-level z + LTO, custom sections stripped, gzip -9; each parser in a
//! cdylib that walks every attribute's and block's span, so nothing is optimised away; speed
//! natively, release, median of 7, on the benchmark's generated 2,000-service module):
//!
//! | | positions | wasm, parser alone | speed |
//! |---|---|---|---|
//! | `hcl-edit` 0.10 (what `hcl-rs` parses with) | byte ranges (line and column left to us) | 238.6 KB, **99.8 KB gzip** | see the README's benchmarks |
//! | this reader | line, column and offset on every attribute, block, label and expression | 64.9 KB, **26.4 KB gzip** | see the README's benchmarks |
//!
//! Size decided it: the web app's first load has about 9 KB gzip to spare. Even this reader
//! and the rest of the front-end (evaluation, mapping, plans, Terraform remediations: about
//! 73 KB gzip in all) do not fit, so the web app's first bundle leaves the front-end out
//! (the `terraform` cargo feature) and loads `terraform.html`, the same app with it, when it
//! is given Terraform.
//!
//! # What a module becomes
//! A directory of `.tf` files is one module: one [`Template`] whose spans carry the file
//! ([`crate::span::Span::file`], names in [`Template::files`]).
//! - `variable` blocks are parameters `var.NAME` (default, `sensitive` as `NoEcho`), read as
//!   CloudFormation parameters are ([`eval`]); `locals`, `count`/`for_each`, `dynamic` blocks,
//!   functions, templates and conditionals are evaluated as far as the configuration fixes
//!   them. A resource whose `count`/`for_each` is not fixed is one node with a multiplicity
//!   fact; a fixed one is one node per instance (`aws_sqs_queue.q["orders"]`).
//! - `resource` blocks become CloudFormation resources whose logical ID is the Terraform
//!   address (`aws_lambda_function.author_handler`), typed and shaped by the tables in
//!   [`mapping`]; the provider's split resources (`aws_s3_bucket_*`, `aws_iam_role_policy`,
//!   `aws_api_gateway_integration`, `aws_api_gateway_method_settings`,
//!   `aws_cloudwatch_event_target` …) fold into their owner's properties, where
//!   CloudFormation has them.
//! - IAM reaches the one IAM model ([`crate::iam`]) in CloudFormation's shapes: role, user and
//!   group policies (`aws_iam_{role,user,group}_policy`) are their owner's `Policies`, the
//!   `*_policy_attachment`s its `ManagedPolicyArns` (`aws_iam_policy_attachment` each listed
//!   role's, user's and group's), `aws_iam_user_group_membership` a user's `Groups`,
//!   `aws_iam_group_membership` an `AWS::IAM::UserToGroupAddition`,
//!   `aws_iam_user_login_profile` a user's `LoginProfile`, `aws_kms_key_policy` and
//!   `aws_cloudwatch_event_bus_policy` their owner's policy; an access key's `secret` is its
//!   `SecretAccessKey`.
//! - `data "aws_iam_policy_document"` is the policy document itself; `jsonencode(…)` and JSON
//!   heredocs are documents with their own positions ([`policy`]).
//! - `module` calls are not expanded (pillarlint fetches nothing): each is a diagnostic, and
//!   what the module gives back is a value from outside the configuration. A plan
//!   (`terraform show -json`) has every module expanded and its values resolved: [`plan`]
//!   reads it, with the configuration's references for the values not known before apply.
//! - Comments `# pillarlint:ignore RULE reason` and checkov's `#checkov:skip=CKV_AWS_…:reason`
//!   in or just above a resource block suppress its findings (`Metadata` as CloudFormation
//!   templates write it, so [`crate::rules::suppress`] reads both alike); elsewhere in a file
//!   they apply to the whole module.
//! - Findings speak Terraform: [`speak`] rewrites remediations in Terraform's arguments.

#[cfg(feature = "terraform")]
pub mod eval;
#[cfg(feature = "terraform")]
pub mod hcl;
#[cfg(feature = "terraform")]
pub mod json;
#[cfg(feature = "terraform")]
pub mod mapping;
#[cfg(feature = "terraform")]
pub mod plan;
#[cfg(feature = "terraform")]
pub mod policy;
#[cfg(feature = "terraform")]
pub mod speak;

use crate::model::Template;
#[cfg(feature = "terraform")]
use crate::model::{mk, Origin, Resource};
#[cfg(feature = "terraform")]
use crate::parse::Format;
use crate::parse::{Limits, ParseError};
#[cfg(feature = "terraform")]
use crate::span::Span;
#[cfg(feature = "terraform")]
use crate::value::Node;
use crate::value::Value;

#[cfg(feature = "terraform")]
use eval::{Config, Eval};

/// The error a build without the Terraform reader (the `terraform` feature) gives for
/// Terraform input ([`crate::model::reader_left_out`]).
pub fn not_in_this_build() -> ParseError {
    crate::model::reader_left_out("Terraform", "Terraform", "the web app's Terraform page")
}

/// A Terraform resource instance before it becomes a CloudFormation resource.
#[cfg(feature = "terraform")]
#[derive(Debug, Clone)]
pub struct TfRes {
    /// The address: `aws_s3_bucket.b`, `aws_sqs_queue.q["orders"]`, `module.m.aws_x.y[0]`.
    pub addr: String,
    pub type_: String,
    /// Arguments by name, nested blocks as lists of maps.
    pub body: Value,
    /// The block header (`resource "aws_s3_bucket" "b"`).
    pub span: Span,
    /// The whole block, for the comments inside it.
    pub whole: Span,
    /// Why one node stands for several instances (`for_each = var.queues`).
    pub multiplicity: Option<String>,
    pub depends_on: Vec<String>,
}

/// Does this text look like HCL rather than YAML or JSON? Its first meaningful line opens a
/// Terraform block (`resource "…"`, `variable "…" {`, `locals {`, `terraform {` …).
pub fn looks_like_hcl(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "resource",
        "data",
        "variable",
        "locals",
        "module",
        "output",
        "provider",
        "terraform",
        "moved",
        "import",
        "check",
        "removed",
    ];
    let mut in_block_comment = false;
    for line in text.lines() {
        let l = line.trim();
        if in_block_comment {
            if let Some(i) = l.find("*/") {
                in_block_comment = false;
                if l[i + 2..].trim().is_empty() {
                    continue;
                }
            } else {
                continue;
            }
        }
        if l.is_empty() || l.starts_with('#') || l.starts_with("//") {
            continue;
        }
        if l.starts_with("/*") {
            in_block_comment = !l.contains("*/");
            continue;
        }
        let word: String = l
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = l[word.len()..].trim_start();
        return KEYWORDS.contains(&word.as_str())
            && (rest.starts_with('"') || rest.starts_with('{'));
    }
    false
}

/// Is this loaded JSON document Terraform's JSON syntax (`.tf.json`)?
pub fn is_tf_json(root: &Value) -> bool {
    let Some(m) = root.as_map() else { return false };
    !m.is_empty()
        && m.iter()
            .any(|(k, _)| matches!(k.name.as_str(), "resource" | "data" | "module"))
        && m.iter().all(|(k, _)| {
            matches!(
                k.name.as_str(),
                "resource"
                    | "data"
                    | "variable"
                    | "locals"
                    | "module"
                    | "output"
                    | "provider"
                    | "terraform"
                    | "moved"
                    | "import"
                    | "check"
                    | "removed"
                    | "//"
            )
        })
}

/// Is this loaded JSON document `terraform show -json` output (a plan or a state)?
pub fn is_plan(root: &Value) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("values").is_some()
            || root.get("resource_changes").is_some())
}

/// One file of a module: its name (for messages and reports) and text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// A parsed file: its body and its suppression comments.
#[cfg(feature = "terraform")]
fn read_file(i: usize, src: &Source<'_>, limits: &Limits) -> Result<hcl::File, ParseError> {
    let file = u16::try_from(i).unwrap_or(u16::MAX);
    let is_json = src.name.ends_with(".json")
        || (src.name.is_empty() && src.text.trim_start().starts_with('{'));
    if is_json {
        let mut root = crate::parse::load(src.text, limits)?;
        root.set_file(file);
        json::file(&root, limits)
    } else {
        hcl::parse(src.text, file, limits)
    }
}

/// Read a module (one or more `.tf` / `.tf.json` files) into a template.
#[cfg(not(feature = "terraform"))]
pub fn read_module(_files: &[Source<'_>], _limits: &Limits) -> Result<Template, ParseError> {
    Err(not_in_this_build())
}

/// Read a module (one or more `.tf` / `.tf.json` files) into a template.
#[cfg(feature = "terraform")]
pub fn read_module(files: &[Source<'_>], limits: &Limits) -> Result<Template, ParseError> {
    // a position names its file by an index of a few bits (see [`crate::span::MAX_FILES`])
    if files.len() > crate::span::MAX_FILES {
        return Err(ParseError::at(
            format!(
                "the module has {} files; pillarlint reads at most {} files of one module",
                files.len(),
                crate::span::MAX_FILES
            ),
            1,
            1,
        ));
    }
    let mut parsed = Vec::with_capacity(files.len());
    for (i, src) in files.iter().enumerate() {
        let f = read_file(i, src, limits).map_err(|e| {
            if src.name.is_empty() {
                e
            } else {
                ParseError::at(format!("{}: {}", src.name, e.message), e.line, e.column)
            }
        })?;
        parsed.push(f);
    }
    let names: Vec<&str> = files.iter().map(|f| f.name).collect();
    Ok(read_files(parsed, &names, limits))
}

#[cfg(feature = "terraform")]
/// Read a module's parsed files into a template.
pub fn read_files(parsed: Vec<hcl::File>, names: &[&str], limits: &Limits) -> Template {
    let mut cfg = Config::default();
    for f in &parsed {
        cfg.add(&f.body);
    }
    let mut t = Template::empty(
        Format::Terraform,
        Value::new(Node::Map(Vec::new()), Span::default()),
    );
    // named files (a module read from a directory) are named in reports; a text pasted or
    // piped alone is not
    if names.iter().any(|n| !n.is_empty()) {
        t.files = names.iter().map(|n| (*n).to_owned()).collect();
    }
    let mut ev = Eval::new(&cfg, t, *limits);
    for m in &cfg.modules {
        let name = m.labels.first().map_or("", String::as_str);
        let source = m
            .body
            .attr("source")
            .and_then(|a| match &a.expr.kind {
                hcl::ExprKind::Template(p) => match p.as_slice() {
                    [hcl::Part::Lit(s)] => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            })
            .unwrap_or_default();
        let local = source.starts_with("./") || source.starts_with("../");
        ev.note(
            format!(
                "module `{name}` (source \"{source}\") is not expanded: {}; analyse `terraform show -json` of a plan to check what it creates",
                if local {
                    "pillarlint reads the files it is given and does not follow module sources"
                } else {
                    "pillarlint does not fetch modules"
                }
            ),
            m.span,
        );
    }
    let mut res = Vec::new();
    let mut other_providers = 0usize;
    let mut first_other = None;
    for d in &cfg.resources {
        if !d.type_.starts_with("aws_") {
            other_providers += 1;
            first_other.get_or_insert(d.block.span);
            continue;
        }
        if mapping::ignored(d.type_) {
            continue;
        }
        let depends_on: Vec<String> = d
            .block
            .body
            .attr("depends_on")
            .map(|a| match &a.expr.kind {
                hcl::ExprKind::Tuple(items) => {
                    items.iter().map(eval::literal_or_describe).collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_default();
        for (addr, scope, why) in ev.expand(d) {
            let body = ev.body(&d.block.body, &scope, d.block.span);
            res.push(TfRes {
                addr,
                type_: d.type_.to_owned(),
                body,
                span: d.block.span,
                whole: d.block.whole,
                multiplicity: why,
                depends_on: depends_on.clone(),
            });
        }
    }
    let outputs: Vec<(String, Value)> = cfg
        .outputs
        .iter()
        .filter_map(|o| {
            let v = ev.expr(&o.body.attr("value")?.expr, &eval::Scope::default());
            Some((o.labels.first()?.clone(), v))
        })
        .collect();
    let mut t = ev.t;
    if other_providers > 0 {
        if let Some(span) = first_other {
            t.warn(
                format!("{other_providers} resource(s) of providers other than AWS were not read: pillarlint checks AWS serverless architectures"),
                span,
            );
        }
    }
    t.outputs = outputs;
    let directives: Vec<hcl::Directive> =
        parsed.iter().flat_map(|f| f.directives.clone()).collect();
    lower(&mut t, res, &directives);
    t
}

#[cfg(feature = "terraform")]
/// Terraform resources into the template's CloudFormation resources: types and properties
/// by [`mapping`], split resources folded into their owners, suppressions from comments.
pub fn lower(t: &mut Template, res: Vec<TfRes>, directives: &[hcl::Directive]) {
    let (folds, own): (Vec<TfRes>, Vec<TfRes>) = res
        .into_iter()
        .partition(|r| mapping::FOLDS.iter().any(|f| f.0 == r.type_));
    // which resources a directive belongs to: the innermost block holding it, or the block
    // right below it
    let mut meta_of: Vec<(String, Vec<&hcl::Directive>)> = Vec::new();
    let all: Vec<&TfRes> = own.iter().chain(folds.iter()).collect();
    let mut module_level: Vec<&hcl::Directive> = Vec::new();
    for d in directives {
        let s = d.span;
        let inside = all.iter().find(|r| {
            r.whole.file() == s.file() && r.whole.start <= s.start && s.end <= r.whole.end
        });
        // a comment right above a block (in a run of comment lines that ends at it)
        let above = || {
            let mut line = s.start.line;
            while directives
                .iter()
                .any(|o| o.span.file() == s.file() && o.span.start.line == line + 1)
            {
                line += 1;
            }
            all.iter()
                .find(|r| r.span.file() == s.file() && r.span.start.line == line + 1)
        };
        match inside.or_else(above) {
            Some(r) => {
                let base = base_addr(&r.addr);
                for x in all.iter().filter(|x| base_addr(&x.addr) == base) {
                    match meta_of.iter_mut().find(|(a, _)| *a == x.addr) {
                        Some((_, v)) => v.push(d),
                        None => meta_of.push((x.addr.clone(), vec![d])),
                    }
                }
            }
            None => module_level.push(d),
        }
    }
    let meta = |addr: &str| -> Option<Value> {
        meta_of
            .iter()
            .find(|(a, _)| a == addr)
            .and_then(|(_, ds)| suppressions(ds))
    };
    for r in &own {
        let (type_, props) = match mapping::type_of(&r.type_) {
            Some((cfn, spec)) => (cfn.to_owned(), mapping::convert(&r.body, spec)),
            None => (r.type_.clone(), r.body.clone()),
        };
        let mut metadata = meta(&r.addr);
        if let Some(why) = &r.multiplicity {
            let m = metadata.get_or_insert_with(|| mk::empty(r.span));
            mapping::put(m, "pillarlint.multiplicity", mk::s(why, r.span), r.span);
        }
        t.resources.push(Resource {
            id: r.addr.clone(),
            type_,
            span: r.span,
            properties: props,
            metadata,
            condition: None,
            depends_on: r.depends_on.clone(),
            origin: Origin::Declared,
            source_type: Some(r.type_.clone()),
        });
        split_policy(t, r);
    }
    t.reindex();
    for f in &folds {
        fold(t, f, meta(&f.addr));
    }
    if let Some(m) = suppressions(&module_level) {
        t.root = mk::obj(Span::default(), vec![("Metadata", m)]);
    }
    t.reindex();
}

#[cfg(feature = "terraform")]
/// `aws_x.y["k"]` → `aws_x.y`.
fn base_addr(a: &str) -> &str {
    a.split('[').next().unwrap_or(a)
}

#[cfg(feature = "terraform")]
/// Suppression comments as the `Metadata` CloudFormation templates carry.
fn suppressions(ds: &[&hcl::Directive]) -> Option<Value> {
    let mut m = mk::empty(Span::default());
    let mut any = false;
    for d in ds {
        let text = d
            .text
            .trim_start_matches(['#', '/', '*'])
            .trim_end_matches(['*', '/'])
            .trim();
        if let Some(rest) = text.strip_prefix("pillarlint:ignore") {
            let rest = rest.trim_start_matches(['=', ' ', ':']).trim();
            let (ids, reason) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
            for id in ids.split(',').filter(|s| !s.is_empty()) {
                let mut e = vec![("id", mk::s(id.trim(), d.span))];
                if !reason.trim().is_empty() {
                    e.push(("reason", mk::s(reason.trim(), d.span)));
                }
                mapping::put(
                    &mut m,
                    "pillarlint.ignore",
                    mk::seq(d.span, vec![mk::obj(d.span, e)]),
                    d.span,
                );
                any = true;
            }
        } else if let Some(rest) = text.strip_prefix("checkov:skip=") {
            let (id, reason) = rest.split_once(':').unwrap_or((rest, ""));
            let mut e = vec![("id", mk::s(id.trim(), d.span))];
            if !reason.trim().is_empty() {
                e.push(("comment", mk::s(reason.trim(), d.span)));
            }
            mapping::put(
                &mut m,
                "checkov.skip",
                mk::seq(d.span, vec![mk::obj(d.span, e)]),
                d.span,
            );
            any = true;
        }
    }
    any.then_some(m)
}

#[cfg(feature = "terraform")]
/// Inline `policy` arguments of buckets, queues, topics and secrets are resources of their
/// own in CloudFormation (`AWS::S3::BucketPolicy` …): make them, named `<address>/policy`.
fn split_policy(t: &mut Template, r: &TfRes) {
    let (cfn, target, doc_key) = match r.type_.as_str() {
        "aws_s3_bucket" => ("AWS::S3::BucketPolicy", "Bucket", "PolicyDocument"),
        "aws_sqs_queue" => ("AWS::SQS::QueuePolicy", "Queues", "PolicyDocument"),
        "aws_sns_topic" => ("AWS::SNS::TopicPolicy", "Topics", "PolicyDocument"),
        "aws_secretsmanager_secret" => (
            "AWS::SecretsManager::ResourcePolicy",
            "SecretId",
            "ResourcePolicy",
        ),
        _ => return,
    };
    let Some((k, p)) = r.body.entry("policy") else {
        return;
    };
    if p.is_null() || p.as_str().is_some_and(|s| s.trim().is_empty()) {
        return;
    }
    let owner = mk::ref_(&r.addr, k.span);
    let owner = if target.ends_with('s') {
        mk::seq(k.span, vec![owner])
    } else {
        owner
    };
    let props = mk::obj(
        k.span,
        vec![(target, owner), (doc_key, policy::json_value(p))],
    );
    let mut res = mk::resource(format!("{}/policy", r.addr), cfn, props, k.span, &r.addr);
    res.source_type = Some(r.type_.clone());
    t.resources.push(res);
}

#[cfg(feature = "terraform")]
/// The resource an argument names (by `Ref`/`GetAtt`), when it is one of `types`.
fn owner_of<'t>(t: &'t Template, v: Option<&Value>, types: &[&str]) -> Option<&'t Resource> {
    let v = v?;
    let mut id = None;
    crate::model::resolve::collect_refs(v, &mut |n, _| {
        if id.is_none() {
            id = t
                .resource(n)
                .filter(|r| r.source_type.as_deref().is_some_and(|s| types.contains(&s)))
                .map(|r| r.id.clone());
        }
    });
    id.and_then(|i| t.resource(&i))
}

#[cfg(feature = "terraform")]
/// Resources of `types` whose argument `arg` (CloudFormation property `prop`) is the literal
/// text `v` resolves to: a sub-resource naming its owner by name.
fn owner_by_name(t: &Template, v: Option<&Value>, types: &[&str], prop: &str) -> Option<String> {
    let text = v.and_then(Value::as_str)?;
    t.resources
        .iter()
        .find(|r| {
            r.source_type.as_deref().is_some_and(|s| types.contains(&s))
                && r.prop(prop).and_then(Value::as_str) == Some(text)
        })
        .map(|r| r.id.clone())
}

#[cfg(feature = "terraform")]
/// Fold a split resource into its owner.
fn fold(t: &mut Template, f: &TfRes, meta: Option<Value>) {
    let Some(&(_, arg, types, into, spec)) = mapping::FOLDS.iter().find(|x| x.0 == f.type_) else {
        return;
    };
    if f.type_ == "aws_iam_policy_attachment" {
        policy_attachment(t, f, meta.as_ref());
        return;
    }
    let owner_arg = f.body.get(arg);
    let owner = match f.type_.as_str() {
        "aws_api_gateway_integration" => integration_owner(t, &f.body),
        "aws_api_gateway_method_settings" => settings_owner(t, &f.body),
        _ => owner_of(t, owner_arg, types)
            .map(|r| r.id.clone())
            .or_else(|| owner_by_name(t, owner_arg, types, name_prop(types.first()?))),
    };
    let Some(owner) = owner else {
        t.warn(
            format!(
                "`{}` configures a {} that is not in the files read; its settings are not checked",
                f.addr,
                types.first().copied().unwrap_or("resource")
            ),
            f.span,
        );
        return;
    };
    let value = if !spec.is_empty() && !spec.contains('=') {
        // the value of one argument (a policy ARN into `ManagedPolicyArns`)
        match f.body.get(spec) {
            Some(v) => v.clone(),
            None => return,
        }
    } else if f.type_ == "aws_api_gateway_method_settings" {
        method_settings(&f.body)
    } else {
        let mut body = f.body.clone();
        // the owner argument is the link, not a setting
        if let Node::Map(entries) = &mut body.node {
            entries.retain(|(k, _)| {
                k.name != arg
                    && !matches!(k.name.as_str(), "rest_api_id" | "resource_id" | "api_id")
            });
        }
        mapping::convert(&body, spec)
    };
    let Some(i) = t.resources.iter().position(|r| r.id == owner) else {
        return;
    };
    let r = &mut t.resources[i];
    let (path, list) = match into.strip_suffix("[]") {
        Some(p) => (p, true),
        None => (into, false),
    };
    let value = if list {
        mk::seq(value.span, vec![value])
    } else {
        value
    };
    if path.is_empty() {
        if let Some(entries) = value.as_map() {
            for (k, v) in entries {
                mapping::put(&mut r.properties, &k.name, v.clone(), k.span);
            }
        }
    } else {
        mapping::put(&mut r.properties, path, value, f.span);
    }
    if let Some(m) = meta {
        match &mut r.metadata {
            Some(have) => mk::deep_merge(have, &m),
            None => r.metadata = Some(m),
        }
    }
}

#[cfg(feature = "terraform")]
/// The CloudFormation property holding the name other resources know an owner by.
fn name_prop(tf_type: &str) -> &'static str {
    match tf_type {
        "aws_s3_bucket" => "BucketName",
        "aws_iam_role" => "RoleName",
        "aws_iam_user" => "UserName",
        "aws_iam_group" => "GroupName",
        _ => "Name",
    }
}

#[cfg(feature = "terraform")]
/// `aws_iam_policy_attachment`: one policy attached to the `roles`, `users` and `groups` it
/// lists (names or references), as each one's `ManagedPolicyArns`, the way the split
/// attachments fold.
fn policy_attachment(t: &mut Template, f: &TfRes, meta: Option<&Value>) {
    let Some(arn) = f.body.get("policy_arn") else {
        return;
    };
    let mut owners = Vec::new();
    let mut missing = 0usize;
    for (arg, ty) in [
        ("roles", "aws_iam_role"),
        ("users", "aws_iam_user"),
        ("groups", "aws_iam_group"),
    ] {
        for item in f.body.get(arg).map(Value::items).unwrap_or_default() {
            let types = [ty];
            match owner_of(t, Some(item), &types)
                .map(|r| r.id.clone())
                .or_else(|| owner_by_name(t, Some(item), &types, name_prop(ty)))
            {
                Some(o) if !owners.contains(&o) => owners.push(o),
                Some(_) => {}
                None => missing += 1,
            }
        }
    }
    for o in &owners {
        if let Some(r) = t.resources.iter_mut().find(|r| r.id == *o) {
            mapping::put(
                &mut r.properties,
                "ManagedPolicyArns",
                mk::seq(arn.span, vec![arn.clone()]),
                f.span,
            );
            if let Some(m) = meta {
                match &mut r.metadata {
                    Some(have) => mk::deep_merge(have, m),
                    None => r.metadata = Some(m.clone()),
                }
            }
        }
    }
    if missing > 0 {
        t.warn(
            format!(
                "`{}` attaches its policy to {} role(s), user(s) or group(s) that are not in the files read; those attachments are not checked",
                f.addr, missing
            ),
            f.span,
        );
    }
}

#[cfg(feature = "terraform")]
/// The method an `aws_api_gateway_integration` belongs to: the one its `http_method`
/// references, else the one with the same API, resource and HTTP method.
fn integration_owner(t: &Template, body: &Value) -> Option<String> {
    if let Some(r) = owner_of(t, body.get("http_method"), &["aws_api_gateway_method"]) {
        return Some(r.id.clone());
    }
    let same = |a: Option<&Value>, b: Option<&Value>| match (a, b) {
        (Some(a), Some(b)) => a.to_json() == b.to_json(),
        _ => false,
    };
    t.resources
        .iter()
        .find(|m| {
            m.source_type.as_deref() == Some("aws_api_gateway_method")
                && same(m.prop("RestApiId"), body.get("rest_api_id"))
                && same(m.prop("ResourceId"), body.get("resource_id"))
                && m.prop("HttpMethod").and_then(Value::as_str)
                    == body.get("http_method").and_then(Value::as_str)
        })
        .map(|m| m.id.clone())
}

#[cfg(feature = "terraform")]
/// The stage an `aws_api_gateway_method_settings` applies to.
fn settings_owner(t: &Template, body: &Value) -> Option<String> {
    if let Some(r) = owner_of(t, body.get("stage_name"), &["aws_api_gateway_stage"]) {
        return Some(r.id.clone());
    }
    let api = body.get("rest_api_id").map(Value::to_json);
    let name = body.get("stage_name").and_then(Value::as_str)?;
    t.resources
        .iter()
        .find(|s| {
            s.source_type.as_deref() == Some("aws_api_gateway_stage")
                && s.prop("StageName").and_then(Value::as_str) == Some(name)
                && (api.is_none() || s.prop("RestApiId").map(Value::to_json) == api)
        })
        .map(|s| s.id.clone())
}

#[cfg(feature = "terraform")]
/// `method_path` + `settings {}` as one `MethodSettings` entry.
fn method_settings(body: &Value) -> Value {
    let span = body.span;
    let path = body
        .get("method_path")
        .and_then(Value::as_str)
        .unwrap_or("*/*");
    let (res, method) = path.rsplit_once('/').unwrap_or((path, "*"));
    let res = if res == "*" {
        "/*".to_owned()
    } else {
        format!("/{}", res.trim_start_matches('/'))
    };
    let mut out = mk::obj(
        span,
        vec![
            ("ResourcePath", mk::s(res, span)),
            ("HttpMethod", mk::s(method, span)),
        ],
    );
    let settings = body.get("settings").map(Value::items).unwrap_or_default();
    for s in settings {
        let conv = mapping::convert(s, "");
        for (k, v) in conv.as_map().unwrap_or_default() {
            // -1 is the provider's "not set"
            if k.name.starts_with("Throttling") && v.as_f64().is_some_and(|n| n < 0.0) {
                continue;
            }
            mapping::put(&mut out, &k.name, v.clone(), k.span);
        }
    }
    out
}
