//! Serverless Framework (`serverless.yml`, v3/v4) expansion into the CloudFormation that
//! `serverless package` generates. Source: `/work/shared/reference/serverless-framework-naming.md`.
//!
//! # Ids
//! - A function's node id is its **key** under `functions:` (the report contract); the
//!   Framework's logical ID `<Normalized>LambdaFunction` is recorded in [`Template::aliases`]
//!   and every reference to it (in `resources:` too) is rewritten to the key.
//! - Shared role `IamRoleLambdaExecution`; per-function roles `<Normalized>IamRoleLambdaExecution`
//!   (v4 built-in / `serverless-iam-roles-per-function`), REST API `ApiGatewayRestApi`, HTTP API
//!   `HttpApi` + `HttpApiStage`, WebSocket API `WebsocketsApi`, and the event resources of §5.
//!
//! # Routes
//! The Framework emits `AWS::ApiGateway::Method`/`Resource` resources; pillarlint writes the
//! same routes into the API's `Properties.Body` as an OpenAPI document **in exactly the shape the
//! SAM expansion uses** (see [`super::sam`]) so the graph reads one representation. Each operation
//! carries `x-pillarlint-logical-id` with the Framework's Method/Route logical ID
//! (`ApiGatewayMethodUsersIdVarGet`, `HttpApiRouteGetUsersIdVar`). Authorizers: `aws_iam` →
//! `AWS_IAM` scheme; a function name/ARN → `custom` (token/request); a Cognito ARN or
//! `type: COGNITO_USER_POOLS` → `cognito_user_pools`; `private: true` → `api_key`.
//!
//! # Stage settings
//! REST stage logging/tracing are patched after deploy (not in the template). pillarlint records
//! what `provider.logs.restApi` / `provider.tracing.apiGateway` will set as
//! `Metadata.StageSettingsAppliedAfterDeploy` on the `ApiGatewayDeployment…` resource, in
//! `AWS::ApiGateway::Stage` property shape (`TracingEnabled`, `AccessLogSetting`, `MethodSettings`).
//!
//! # Not generated (deliberately)
//! The core template's `ServerlessDeploymentBucket` (the Framework's artifact bucket, AES256 +
//! TLS-only policy: always the same, never the user's data), function versions (their hash
//! needs the zip), layers, and the custom-resource plumbing for existing buckets/user pools.
//! Functions' `Code.S3Bucket` still names `ServerlessDeploymentBucket`.
//!
//! # Variables
//! `${self:…}`, `${opt:…}` (no CLI options: only fallbacks apply), `${sls:stage}`
//! (`provider.stage` → `dev`), `${aws:region}`, `${env:…}` (never read: only its fallback),
//! `${strToBool(…)}`, `${param:…}` from `params.<stage>`/`stages.<stage>.params` (and their
//! `default`) and literal fallbacks are resolved; `${file(…)}`, `${ssm:…}`, `${cf:…}`, `${s3:…}`,
//! dashboard parameters and unresolvable ones stay as written with a diagnostic. Self-references
//! terminate with a diagnostic. CloudFormation `${AWS::Region}`/`${Res.Arn}` are not variables.

use std::collections::HashMap;

use crate::smap::StrMap;

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::{Node, Value};

use super::mk::{self, boolean, getatt, num, obj, ref_, s, seq, sub};
use super::{Origin, Resource, Template};

// ---------------------------------------------------------------------------------------------
// Variables

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

// ---------------------------------------------------------------------------------------------
// Naming (§1)

/// `getNormalizedFunctionName`: `-` → `Dash`, `_` → `Underscore`, first letter upper-cased.
pub fn normalize_function_name(s: &str) -> String {
    upper_first(&s.replace('-', "Dash").replace('_', "Underscore"))
}

/// `normalizeNameToAlphaNumericOnly`.
pub fn alnum_name(s: &str) -> String {
    upper_first(
        &s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// `normalizePathPart`.
fn normalize_path_part(part: &str) -> String {
    let mut cap: String = {
        let mut c = part.chars();
        match c.next() {
            Some(f) => std::iter::once(f.to_ascii_uppercase())
                .chain(c.map(|ch| ch.to_ascii_lowercase()))
                .collect(),
            None => String::new(),
        }
    };
    cap = cap.replace('-', "Dash");
    if let (Some(a), Some(b)) = (cap.find('{'), cap.rfind('}')) {
        if a < b {
            let inner = cap[a + 1..b].to_owned();
            cap = format!("{}{}Var{}", &cap[..a], inner, &cap[b + 1..]);
        }
    }
    upper_first(
        &cap.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `normalizePath`.
pub fn normalize_path(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(normalize_path_part)
        .collect()
}

fn normalize_method(m: &str) -> String {
    upper_first(&m.to_ascii_lowercase())
}

// ---------------------------------------------------------------------------------------------
// Expansion

struct Sls {
    service: String,
    stage: String,
    provider: Value,
    out: Vec<Resource>,
    diags: Vec<(String, Span)>,
    /// Statements added to the shared role by event compilers.
    role_statements: Vec<Value>,
    rest: Option<RestApi>,
    http: Option<HttpApi>,
    websockets: bool,
    /// Function keys (for authorizers named by function).
    functions: Vec<String>,
}

struct RestApi {
    span: Span,
    body: Value,
    api_key: bool,
}

struct HttpApi {
    span: Span,
    body: Value,
}

impl Sls {
    fn warn(&mut self, m: impl Into<String>, span: Span) {
        self.diags.push((m.into(), span));
    }

    fn push(&mut self, id: String, type_: &str, props: Value, span: Span, by: &str) -> usize {
        self.out.push(mk::resource(id, type_, props, span, by));
        self.out.len() - 1
    }

    fn push_permission(
        &mut self,
        id: String,
        fn_key: &str,
        principal: &str,
        source: Option<Value>,
        span: Span,
    ) {
        if self.out.iter().any(|r| r.id == id) {
            return;
        }
        let mut p = obj(
            span,
            vec![
                ("FunctionName", getatt(fn_key, "Arn", span)),
                ("Action", s("lambda:InvokeFunction", span)),
                ("Principal", s(principal, span)),
            ],
        );
        if let Some(src) = source {
            mk::set(&mut p, "SourceArn", src);
        }
        self.push(id, "AWS::Lambda::Permission", p, span, fn_key);
    }

    fn p(&self, path: &[&str]) -> Option<&Value> {
        self.provider.get_path(path)
    }
}

/// Expand a Serverless Framework service into the CloudFormation it packages to.
pub fn expand(t: &mut Template) -> Result<(), ParseError> {
    let (root, var_diags) = resolve_variables(&t.root);
    for (m, sp) in var_diags {
        t.warn(m, sp);
    }
    let service = match root.get("service") {
        Some(v) => v
            .as_str()
            .or_else(|| v.get("name").and_then(Value::as_str))
            .unwrap_or("service")
            .to_owned(),
        None => "service".to_owned(),
    };
    let provider = root
        .get("provider")
        .cloned()
        .unwrap_or_else(|| mk::empty(root.span));
    if provider.as_map().is_none() {
        return Err(ParseError::at(
            "`provider` must be a map (name: aws, runtime, ...)",
            provider.span.start.line,
            provider.span.start.column,
        ));
    }
    let stage = provider
        .get("stage")
        .and_then(Value::as_str)
        .filter(|s| !s.contains("${"))
        .unwrap_or("dev")
        .to_owned();
    let mut x = Sls {
        service,
        stage,
        provider,
        out: Vec::new(),
        diags: Vec::new(),
        role_statements: Vec::new(),
        rest: None,
        http: None,
        websockets: false,
        functions: Vec::new(),
    };
    let functions: Vec<(String, Span, Value)> = match root.get("functions") {
        Some(f) => match f.as_map() {
            Some(m) => m
                .iter()
                .map(|(k, v)| (k.name.clone(), k.span, v.clone()))
                .collect(),
            None if f.is_null() => Vec::new(),
            None => {
                x.warn(
                    "`functions` must be a map of function names to functions",
                    f.span,
                );
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    x.functions = functions.iter().map(|(k, _, _)| k.clone()).collect();
    let mut aliases = HashMap::new();
    for (key, span, f) in &functions {
        aliases.insert(
            format!("{}LambdaFunction", normalize_function_name(key)),
            key.clone(),
        );
        expand_function(&mut x, key, *span, f);
    }
    finish_apis(&mut x);
    shared_role(&mut x, &functions);

    // `resources.Resources`: deep-merged into generated resources with the same id.
    let mut declared: Vec<Resource> = Vec::new();
    if let Some(res) = root.get_path(&["resources", "Resources"]) {
        match res.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    let id = aliases
                        .get(&k.name)
                        .cloned()
                        .unwrap_or_else(|| k.name.clone());
                    if let Some(g) = x.out.iter_mut().find(|r| r.id == id) {
                        if let Some(p) = v.get("Properties") {
                            if g.properties.is_null() {
                                g.properties = p.clone();
                            } else {
                                mk::deep_merge(&mut g.properties, p);
                            }
                        }
                        if let Some(ty) = v.get("Type").and_then(Value::as_str) {
                            g.type_ = ty.to_owned();
                        }
                        continue;
                    }
                    if let Some(text) = v.as_str().filter(|s| s.contains("${")) {
                        x.warn(
                            format!("resource `{}` comes from `{text}`, which pillarlint does not read; skipped", k.name),
                            v.span,
                        );
                        continue;
                    }
                    declared.push(super::resource_from(id, k.span, v, Origin::Declared)?);
                }
            }
            None => x.warn("`resources.Resources` must be a map", res.span),
        }
    }
    // `resources.extensions.<id>`: shallow-assign Properties/Metadata, append DependsOn, set
    // Condition; an unknown id is an error in the Framework (a diagnostic here).
    if let Some(ext) = root
        .get_path(&["resources", "extensions"])
        .and_then(Value::as_map)
    {
        for (k, v) in ext {
            let id = aliases
                .get(&k.name)
                .cloned()
                .unwrap_or_else(|| k.name.clone());
            let target = x
                .out
                .iter_mut()
                .chain(declared.iter_mut())
                .find(|r| r.id == id);
            let Some(r) = target else {
                x.diags.push((
                    format!("`resources.extensions.{}` extends a resource that does not exist; the Framework rejects this", k.name),
                    k.span,
                ));
                continue;
            };
            if let Some(p) = v.get("Properties").and_then(Value::as_map) {
                if r.properties.is_null() {
                    r.properties = mk::empty(r.span);
                }
                for (pk, pv) in p {
                    mk::set(&mut r.properties, &pk.name, pv.clone());
                }
            }
            if let Some(m) = v.get("Metadata") {
                r.metadata = Some(m.clone());
            }
            for d in v.get("DependsOn").map(Value::items).unwrap_or_default() {
                if let Some(d) = d.as_str() {
                    r.depends_on.push(d.to_owned());
                }
            }
            if let Some(c) = v.get("Condition").and_then(Value::as_str) {
                r.condition = Some(c.to_owned());
            }
        }
    }
    if let Some(outs) = root
        .get_path(&["resources", "Outputs"])
        .and_then(Value::as_map)
    {
        t.outputs = outs
            .iter()
            .map(|(k, v)| (k.name.clone(), v.clone()))
            .collect();
    }
    if let Some(conds) = root
        .get_path(&["resources", "Conditions"])
        .and_then(Value::as_map)
    {
        t.conditions = conds
            .iter()
            .map(|(k, v)| (k.name.clone(), v.clone()))
            .collect();
    }
    if let Some(params) = root
        .get_path(&["resources", "Parameters"])
        .and_then(Value::as_map)
    {
        for (k, v) in params {
            t.parameters.push(super::Parameter::declared(k, v));
        }
    }
    let mut resources = x.out;
    resources.extend(declared);
    for r in &mut resources {
        mk::rename_refs(&mut r.properties, &aliases);
        for d in &mut r.depends_on {
            if let Some(to) = aliases.get(d.as_str()) {
                *d = to.clone();
            }
        }
    }
    t.resources = resources;
    t.aliases = aliases;
    // Keep the configuration with its variables resolved (positions are the written ones), so
    // later stages read the values the Framework would use.
    t.root = root;
    for (m, sp) in x.diags {
        t.warn(m, sp);
    }
    t.reindex();
    Ok(())
}

fn role_props(
    x: &Sls,
    statements: Vec<Value>,
    managed: Vec<Value>,
    span: Span,
    name_suffix: &str,
) -> Value {
    let mut props = obj(
        span,
        vec![
            (
                "AssumeRolePolicyDocument",
                mk::policy_document(
                    vec![obj(
                        span,
                        vec![
                            ("Effect", s("Allow", span)),
                            (
                                "Principal",
                                obj(
                                    span,
                                    vec![(
                                        "Service",
                                        seq(span, vec![s("lambda.amazonaws.com", span)]),
                                    )],
                                ),
                            ),
                            ("Action", seq(span, vec![s("sts:AssumeRole", span)])),
                        ],
                    )],
                    span,
                ),
            ),
            (
                "Policies",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            (
                                "PolicyName",
                                mk::join(
                                    "-",
                                    vec![
                                        s(&x.service, span),
                                        s(&x.stage, span),
                                        s(name_suffix, span),
                                    ],
                                    span,
                                ),
                            ),
                            ("PolicyDocument", mk::policy_document(statements, span)),
                        ],
                    )],
                ),
            ),
            ("Path", s("/", span)),
        ],
    );
    if !managed.is_empty() {
        mk::set(&mut props, "ManagedPolicyArns", seq(span, managed));
    }
    props
}

fn log_statements(x: &Sls, span: Span) -> Vec<Value> {
    let base = format!(
        "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{}-{}*",
        x.service, x.stage
    );
    vec![
        mk::allow(
            &[
                "logs:CreateLogStream",
                "logs:CreateLogGroup",
                "logs:TagResource",
            ],
            seq(span, vec![sub(format!("{base}:*"), span)]),
            span,
        ),
        mk::allow(
            &["logs:PutLogEvents"],
            seq(span, vec![sub(format!("{base}:*:*"), span)]),
            span,
        ),
    ]
}

/// User statements: `provider.iam.role.statements`, else legacy `provider.iamRoleStatements`.
fn provider_statements(x: &Sls) -> Vec<Value> {
    let st = x
        .p(&["iam", "role", "statements"])
        .or_else(|| x.p(&["iamRoleStatements"]));
    st.map(|v| v.items().into_iter().cloned().collect())
        .unwrap_or_default()
}

fn provider_managed(x: &Sls) -> Vec<Value> {
    x.p(&["iam", "role", "managedPolicies"])
        .or_else(|| x.p(&["iamManagedPolicies"]))
        .map(|v| v.items().into_iter().cloned().collect())
        .unwrap_or_default()
}

/// Does the provider name an existing role (no `IamRoleLambdaExecution` then)?
fn existing_provider_role(x: &Sls) -> Option<Value> {
    if let Some(r) = x.p(&["iam", "role"]) {
        if r.as_str().is_some() || r.intrinsic().is_some() {
            return Some(r.clone());
        }
    }
    x.p(&["role"]).cloned()
}

fn role_value(role: &Value, span: Span) -> Value {
    match role.as_str() {
        Some(a) if a.starts_with("arn:") => role.clone(),
        Some("IamRoleLambdaExecution") | None if role.intrinsic().is_some() => role.clone(),
        Some(id) => getatt(id, "Arn", span),
        None => role.clone(),
    }
}

fn shared_role(x: &mut Sls, functions: &[(String, Span, Value)]) {
    if existing_provider_role(x).is_some() {
        return;
    }
    let needs = functions
        .iter()
        .any(|(_, _, f)| f.get("role").is_none() && !own_role_wanted(x, f));
    if !needs {
        return;
    }
    let span = x.provider.span;
    let mut statements = log_statements(x, span);
    statements.extend(provider_statements(x));
    statements.extend(std::mem::take(&mut x.role_statements));
    let mut managed = provider_managed(x);
    if x.p(&["vpc"]).is_some() || functions.iter().any(|(_, _, f)| f.get("vpc").is_some()) {
        managed.push(sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            span,
        ));
    }
    let mut props = role_props(x, statements, managed, span, "lambda");
    mk::set(
        &mut props,
        "RoleName",
        mk::join(
            "-",
            vec![
                s(&x.service, span),
                s(&x.stage, span),
                ref_("AWS::Region", span),
                s("lambdaRole", span),
            ],
            span,
        ),
    );
    if let Some(pb) = x
        .p(&["iam", "role", "permissionsBoundary"])
        .or_else(|| x.p(&["rolePermissionsBoundary"]))
    {
        mk::set(&mut props, "PermissionsBoundary", pb.clone());
    }
    let mut r = mk::resource(
        "IamRoleLambdaExecution".into(),
        "AWS::IAM::Role",
        props,
        span,
        "provider",
    );
    r.span = x
        .p(&["iam"])
        .or_else(|| x.p(&["iamRoleStatements"]))
        .map_or(span, |v| v.span);
    x.out.insert(0, r);
}

/// Does this function get its own role (`<Fn>IamRoleLambdaExecution`)? v4 built-in or the
/// `serverless-iam-roles-per-function` plugin: own statements/managed policies, or
/// `provider.iam.role.mode: perFunction`.
fn own_role_wanted(x: &Sls, f: &Value) -> bool {
    has_own_statements(f)
        || x.p(&["iam", "role", "mode"]).and_then(Value::as_str) == Some("perFunction")
}

fn has_own_statements(f: &Value) -> bool {
    f.get("iamRoleStatements").is_some()
        || f.get_path(&["iam", "role", "statements"]).is_some()
        || f.get_path(&["iam", "role", "managedPolicies"]).is_some()
}

fn expand_function(x: &mut Sls, key: &str, span: Span, f: &Value) {
    if f.as_map().is_none() {
        x.warn(
            format!("function `{key}` must be a map (handler, events, ...)"),
            f.span,
        );
        return;
    }
    let norm = normalize_function_name(key);
    let name = f
        .get("name")
        .cloned()
        .unwrap_or_else(|| s(format!("{}-{}-{key}", x.service, x.stage), span));
    let mut props = obj(span, vec![("FunctionName", name.clone())]);
    if let Some(img) = f.get("image") {
        mk::set(
            &mut props,
            "Code",
            obj(
                img.span,
                vec![(
                    "ImageUri",
                    img.get("uri").cloned().unwrap_or_else(|| img.clone()),
                )],
            ),
        );
        mk::set(&mut props, "PackageType", s("Image", img.span));
    } else {
        mk::set(
            &mut props,
            "Code",
            obj(
                span,
                vec![
                    ("S3Bucket", ref_("ServerlessDeploymentBucket", span)),
                    (
                        "S3Key",
                        s(
                            format!("serverless/{}/{}/{}.zip", x.service, x.stage, x.service),
                            span,
                        ),
                    ),
                ],
            ),
        );
        if let Some(h) = f.get("handler") {
            mk::set(&mut props, "Handler", h.clone());
        }
        let rt = f
            .get("runtime")
            .or_else(|| x.p(&["runtime"]))
            .cloned()
            .unwrap_or_else(|| s("nodejs20.x", span));
        mk::set(&mut props, "Runtime", rt);
    }
    let mem = f
        .get("memorySize")
        .or_else(|| x.p(&["memorySize"]))
        .cloned()
        .unwrap_or_else(|| num(1024, span));
    mk::set(&mut props, "MemorySize", mem);
    let timeout = f
        .get("timeout")
        .or_else(|| x.p(&["timeout"]))
        .cloned()
        .unwrap_or_else(|| num(6, span));
    mk::set(&mut props, "Timeout", timeout);
    // Environment: provider shallow-merged with the function's (function wins per key).
    let mut env = x
        .p(&["environment"])
        .cloned()
        .filter(|v| v.as_map().is_some());
    if let Some(fe) = f.get("environment").filter(|v| v.as_map().is_some()) {
        match &mut env {
            Some(e) => {
                for (k, v) in fe.as_map().unwrap_or(&[]) {
                    mk::set(e, &k.name, v.clone());
                }
            }
            None => env = Some(fe.clone()),
        }
    }
    if let Some(e) = env {
        mk::set(
            &mut props,
            "Environment",
            obj(e.span, vec![("Variables", e)]),
        );
    }
    if let Some(rc) = f.get("reservedConcurrency") {
        mk::set(&mut props, "ReservedConcurrentExecutions", rc.clone());
    }
    let tracing = f.get("tracing").or_else(|| x.p(&["tracing", "lambda"]));
    if let Some(tr) = tracing {
        let mode = match tr.as_str() {
            Some("true") | Some("Active") => Some("Active"),
            Some("PassThrough") => Some("PassThrough"),
            _ => None,
        };
        if let Some(m) = mode {
            mk::set(
                &mut props,
                "TracingConfig",
                obj(tr.span, vec![("Mode", s(m, tr.span))]),
            );
        }
    }
    if let Some(k) = f
        .get("kmsKeyArn")
        .or_else(|| x.p(&["kmsKeyArn"]))
        .or_else(|| x.p(&["awsKmsKeyArn"]))
    {
        mk::set(&mut props, "KmsKeyArn", k.clone());
    }
    // VPC: each list falls back separately; dropped unless both are set.
    let fvpc = f.get("vpc");
    if fvpc.is_none_or(|v| !v.is_null() && v.as_bool() != Some(false)) {
        let pick = |k: &str| {
            fvpc.and_then(|v| v.get(k))
                .or_else(|| x.p(&["vpc", k]))
                .cloned()
        };
        if let (Some(sg), Some(sn)) = (pick("securityGroupIds"), pick("subnetIds")) {
            mk::set(
                &mut props,
                "VpcConfig",
                obj(sg.span, vec![("SecurityGroupIds", sg), ("SubnetIds", sn)]),
            );
        }
    }
    if let Some(l) = f.get("layers").or_else(|| x.p(&["layers"])) {
        mk::set(&mut props, "Layers", l.clone());
    }
    if let Some(dlq) = f.get("onError") {
        mk::set(
            &mut props,
            "DeadLetterConfig",
            obj(dlq.span, vec![("TargetArn", dlq.clone())]),
        );
    }
    let mut tags = x.p(&["tags"]).cloned().filter(|v| v.as_map().is_some());
    if let Some(ft) = f.get("tags").filter(|v| v.as_map().is_some()) {
        match &mut tags {
            Some(t) => {
                for (k, v) in ft.as_map().unwrap_or(&[]) {
                    mk::set(t, &k.name, v.clone());
                }
            }
            None => tags = Some(ft.clone()),
        }
    }
    if let Some(t) = tags {
        let list = mk::tag_list(&t);
        mk::set(&mut props, "Tags", seq(t.span, list));
    }
    // Role.
    let mut own_role: Option<usize> = None;
    let role = if let Some(r) = f.get("role") {
        role_value(r, r.span)
    } else if own_role_wanted(x, f) {
        let rid = format!("{norm}IamRoleLambdaExecution");
        let mut statements = log_statements(x, span);
        let inherit = f
            .get_path(&["iam", "inheritStatements"])
            .or_else(|| f.get("iamRoleStatementsInherit"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || x.p(&["iam", "role", "mode"]).and_then(Value::as_str) == Some("perFunction");
        if inherit {
            statements.extend(provider_statements(x));
        }
        let own = f
            .get_path(&["iam", "role", "statements"])
            .or_else(|| f.get("iamRoleStatements"));
        statements.extend(
            own.map(|v| v.items().into_iter().cloned().collect::<Vec<_>>())
                .unwrap_or_default(),
        );
        let managed = f
            .get_path(&["iam", "role", "managedPolicies"])
            .map(|v| v.items().into_iter().cloned().collect())
            .unwrap_or_default();
        let rprops = role_props(x, statements, managed, span, key);
        let rspan = own.map_or(span, |v| v.span);
        own_role = Some(x.push(rid.clone(), "AWS::IAM::Role", rprops, rspan, key));
        getatt(&rid, "Arn", span)
    } else if let Some(r) = existing_provider_role(x) {
        role_value(&r, r.span)
    } else {
        getatt("IamRoleLambdaExecution", "Arn", span)
    };
    mk::set(&mut props, "Role", role);
    let mut func = mk::resource(key.to_owned(), "AWS::Lambda::Function", props, span, key);
    func.origin = Origin::Declared;
    func.source_type = Some("serverless:function".to_owned());
    if f.get("disableLogs").and_then(Value::as_bool) != Some(true) {
        let lg = format!("{norm}LogGroup");
        func.depends_on.push(lg.clone());
        let mut lp = obj(
            span,
            vec![(
                "LogGroupName",
                match name.as_str() {
                    Some(n) => s(format!("/aws/lambda/{n}"), span),
                    None => mk::join("", vec![s("/aws/lambda/", span), name.clone()], span),
                },
            )],
        );
        if let Some(r) = f
            .get_path(&["logRetentionInDays"])
            .or_else(|| x.p(&["logRetentionInDays"]))
        {
            mk::set(&mut lp, "RetentionInDays", r.clone());
        }
        x.out.push(func);
        x.push(lg, "AWS::Logs::LogGroup", lp, span, key);
    } else {
        x.out.push(func);
    }
    // Function URL.
    if let Some(url) = f.get("url").filter(|u| u.as_bool() != Some(false)) {
        let sp = url.span;
        let iam = url.get("authorizer").and_then(Value::as_str) == Some("aws_iam");
        let mut u = obj(
            sp,
            vec![
                ("AuthType", s(if iam { "AWS_IAM" } else { "NONE" }, sp)),
                ("TargetFunctionArn", getatt(key, "Arn", sp)),
            ],
        );
        if let Some(c) = url.get("cors") {
            mk::set(&mut u, "Cors", c.clone());
        }
        x.push(
            format!("{norm}LambdaFunctionUrl"),
            "AWS::Lambda::Url",
            u,
            sp,
            key,
        );
        if !iam {
            let mut p = obj(
                sp,
                vec![
                    ("FunctionName", getatt(key, "Arn", sp)),
                    ("Action", s("lambda:InvokeFunctionUrl", sp)),
                    ("Principal", s("*", sp)),
                    ("FunctionUrlAuthType", s("NONE", sp)),
                ],
            );
            let _ = &mut p;
            x.push(
                format!("{norm}LambdaPermissionFnUrl"),
                "AWS::Lambda::Permission",
                p,
                sp,
                key,
            );
        }
    }
    // Destinations / event invoke config.
    if f.get("destinations").is_some()
        || f.get("maximumEventAge").is_some()
        || f.get("maximumRetryAttempts").is_some()
    {
        let mut e = obj(
            span,
            vec![
                ("FunctionName", ref_(key, span)),
                ("Qualifier", s("$LATEST", span)),
            ],
        );
        mk::copy(f, "maximumEventAge", &mut e, "MaximumEventAgeInSeconds");
        mk::copy(f, "maximumRetryAttempts", &mut e, "MaximumRetryAttempts");
        if let Some(d) = f.get("destinations") {
            let mut dc = mk::empty(d.span);
            for (k, to) in [("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")] {
                if let Some(v) = d.get(k) {
                    let dest = v.get("arn").cloned().unwrap_or_else(|| v.clone());
                    mk::set(&mut dc, to, obj(v.span, vec![("Destination", dest)]));
                }
            }
            mk::set(&mut e, "DestinationConfig", dc);
        }
        x.push(
            format!("{norm}LambdaEvConf"),
            "AWS::Lambda::EventInvokeConfig",
            e,
            span,
            key,
        );
    }
    // Events.
    let events = f.get("events").map(Value::items).unwrap_or_default();
    let mut counters: StrMap<usize> = StrMap::new();
    let mut fn_statements: Vec<Value> = Vec::new();
    for (pos, ev) in events.iter().enumerate() {
        let Some((ty, body)) = ev
            .as_map()
            .and_then(|m| m.first())
            .map(|(k, v)| (k.name.as_str(), v))
        else {
            x.warn(
                format!("an event of `{key}` must be a map like `- http: ...`"),
                ev.span,
            );
            continue;
        };
        let ev_span = ev.span;
        match ty {
            "http" => http_event(x, key, &norm, body, ev_span),
            "httpApi" => http_api_event(x, key, &norm, body, ev_span),
            "sqs" => {
                let arn = body.get("arn").cloned().unwrap_or_else(|| body.clone());
                let qname = resource_name(&arn, ':');
                let mut m = event_source_mapping(key, &arn, body, None, ev_span);
                mk::copy(
                    body,
                    "maximumBatchingWindow",
                    &mut m,
                    "MaximumBatchingWindowInSeconds",
                );
                if let Some(fp) = body.get("filterPatterns") {
                    let filters = fp
                        .items()
                        .into_iter()
                        .map(|p| obj(p.span, vec![("Pattern", p.clone())]))
                        .collect();
                    mk::set(
                        &mut m,
                        "FilterCriteria",
                        obj(fp.span, vec![("Filters", seq(fp.span, filters))]),
                    );
                }
                x.push(
                    format!("{norm}EventSourceMappingSQS{}", alnum_name(&qname)),
                    "AWS::Lambda::EventSourceMapping",
                    m,
                    ev_span,
                    key,
                );
                fn_statements.push(mk::allow(
                    &[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                    ],
                    seq(ev_span, vec![arn]),
                    ev_span,
                ));
            }
            "stream" => {
                let arn = body.get("arn").cloned().unwrap_or_else(|| body.clone());
                let kind = body
                    .get("type")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| {
                        arn.as_str()
                            .and_then(|a| a.split(':').nth(2))
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| "dynamodb".to_owned());
                let sname = match arn.as_str() {
                    Some(a) => a.split('/').nth(1).unwrap_or("").to_owned(),
                    None => resource_name(&arn, '/'),
                };
                let mut m = event_source_mapping(key, &arn, body, Some("TRIM_HORIZON"), ev_span);
                mk::copy(body, "maximumRetryAttempts", &mut m, "MaximumRetryAttempts");
                x.push(
                    format!(
                        "{norm}EventSourceMapping{}{}",
                        upper_first(&kind),
                        alnum_name(&sname)
                    ),
                    "AWS::Lambda::EventSourceMapping",
                    m,
                    ev_span,
                    key,
                );
                let actions: &[&str] = if kind == "kinesis" {
                    &[
                        "kinesis:GetRecords",
                        "kinesis:GetShardIterator",
                        "kinesis:DescribeStream",
                        "kinesis:ListStreams",
                    ]
                } else {
                    &[
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:DescribeStream",
                        "dynamodb:ListStreams",
                    ]
                };
                x.role_statements
                    .push(mk::allow(actions, seq(ev_span, vec![arn]), ev_span));
            }
            "sns" => {
                let (arn, topic_name) = match body.as_str() {
                    Some(t) if t.starts_with("arn:") => (
                        Some(body.clone()),
                        t.rsplit(':').next().unwrap_or(t).to_owned(),
                    ),
                    Some(t) => (None, t.to_owned()),
                    None => {
                        let arn = body.get("arn").cloned();
                        let name = body
                            .get("topicName")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                            .or_else(|| {
                                arn.as_ref()
                                    .and_then(Value::as_str)
                                    .and_then(|a| a.rsplit(':').next())
                                    .map(str::to_owned)
                            })
                            .unwrap_or_default();
                        (arn, name)
                    }
                };
                let topic_arn = match arn {
                    Some(a) => a,
                    None => {
                        let tid = format!("SNSTopic{}", alnum_name(&topic_name));
                        if !x.out.iter().any(|r| r.id == tid) {
                            x.push(
                                tid.clone(),
                                "AWS::SNS::Topic",
                                obj(ev_span, vec![("TopicName", s(&topic_name, ev_span))]),
                                ev_span,
                                key,
                            );
                        }
                        ref_(&tid, ev_span)
                    }
                };
                let tn = alnum_name(&topic_name);
                let mut sp = obj(
                    ev_span,
                    vec![
                        ("TopicArn", topic_arn.clone()),
                        ("Protocol", s("lambda", ev_span)),
                        ("Endpoint", getatt(key, "Arn", ev_span)),
                    ],
                );
                mk::copy(body, "filterPolicy", &mut sp, "FilterPolicy");
                x.push(
                    format!("{norm}SnsSubscription{tn}"),
                    "AWS::SNS::Subscription",
                    sp,
                    ev_span,
                    key,
                );
                x.push_permission(
                    format!("{norm}LambdaPermission{tn}SNS"),
                    key,
                    "sns.amazonaws.com",
                    Some(topic_arn),
                    ev_span,
                );
            }
            "s3" => {
                let (bucket, events_v, rules, existing) = match body.as_str() {
                    Some(b) => (b.to_owned(), None, None, false),
                    None => (
                        body.get("bucket")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        body.get("event").cloned(),
                        body.get("rules").cloned(),
                        body.get("existing")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    ),
                };
                let bn = alnum_name(&bucket);
                let event = events_v.unwrap_or_else(|| s("s3:ObjectCreated:*", ev_span));
                if existing {
                    x.push(
                        format!("{norm}CustomS31"),
                        "Custom::S3",
                        obj(
                            ev_span,
                            vec![
                                ("BucketName", s(&bucket, ev_span)),
                                (
                                    "BucketConfigs",
                                    seq(
                                        ev_span,
                                        vec![obj(
                                            ev_span,
                                            vec![
                                                ("Event", event),
                                                (
                                                    "Rules",
                                                    rules.unwrap_or_else(|| seq(ev_span, vec![])),
                                                ),
                                            ],
                                        )],
                                    ),
                                ),
                            ],
                        ),
                        ev_span,
                        key,
                    );
                    x.push_permission(
                        format!("{norm}LambdaPermission{bn}S3"),
                        key,
                        "s3.amazonaws.com",
                        Some(sub(
                            format!("arn:${{AWS::Partition}}:s3:::{bucket}"),
                            ev_span,
                        )),
                        ev_span,
                    );
                    continue;
                }
                let bid = format!("S3Bucket{bn}");
                let mut lc = obj(
                    ev_span,
                    vec![("Event", event), ("Function", getatt(key, "Arn", ev_span))],
                );
                if let Some(r) = rules {
                    let f_rules: Vec<Value> = r
                        .items()
                        .iter()
                        .filter_map(|x| x.as_map())
                        .flat_map(|m| {
                            m.iter().map(|(k, v)| {
                                obj(
                                    k.span,
                                    vec![("Name", s(k.name.clone(), k.span)), ("Value", v.clone())],
                                )
                            })
                        })
                        .collect();
                    mk::set(
                        &mut lc,
                        "Filter",
                        obj(
                            ev_span,
                            vec![(
                                "S3Key",
                                obj(ev_span, vec![("Rules", seq(ev_span, f_rules))]),
                            )],
                        ),
                    );
                }
                let perm = format!("{norm}LambdaPermission{bn}S3");
                let idx = match x.out.iter().position(|r| r.id == bid) {
                    Some(i) => i,
                    None => x.push(
                        bid.clone(),
                        "AWS::S3::Bucket",
                        obj(ev_span, vec![("BucketName", s(&bucket, ev_span))]),
                        ev_span,
                        key,
                    ),
                };
                let b = &mut x.out[idx];
                let nc = mk::entry_map(&mut b.properties, "NotificationConfiguration");
                if nc.get("LambdaConfigurations").is_none() {
                    mk::set(nc, "LambdaConfigurations", seq(ev_span, vec![]));
                }
                if let Some(l) = mk::get_mut(nc, "LambdaConfigurations") {
                    mk::push(l, lc);
                }
                if !b.depends_on.contains(&perm) {
                    b.depends_on.push(perm.clone());
                }
                x.push_permission(
                    perm,
                    key,
                    "s3.amazonaws.com",
                    Some(sub(
                        format!("arn:${{AWS::Partition}}:s3:::{bucket}"),
                        ev_span,
                    )),
                    ev_span,
                );
            }
            "schedule" => {
                let rates: Vec<Value> = match body.as_str() {
                    Some(_) => vec![body.clone()],
                    None => body
                        .get("rate")
                        .map(|r| r.items().into_iter().cloned().collect())
                        .unwrap_or_default(),
                };
                let scheduler = body.get("method").and_then(Value::as_str) == Some("scheduler");
                for rate in rates {
                    let n = counters.entry_or_insert_with("schedule", || 0);
                    *n += 1;
                    let n = *n;
                    if scheduler {
                        x.push(
                            format!("{norm}SchedulerSchedule{n}"),
                            "AWS::Scheduler::Schedule",
                            obj(
                                ev_span,
                                vec![
                                    ("ScheduleExpression", rate),
                                    (
                                        "FlexibleTimeWindow",
                                        obj(ev_span, vec![("Mode", s("OFF", ev_span))]),
                                    ),
                                    (
                                        "Target",
                                        obj(ev_span, vec![("Arn", getatt(key, "Arn", ev_span))]),
                                    ),
                                ],
                            ),
                            ev_span,
                            key,
                        );
                        continue;
                    }
                    let enabled = body.get("enabled").and_then(Value::as_bool).unwrap_or(true);
                    let mut tgt = obj(
                        ev_span,
                        vec![
                            ("Arn", getatt(key, "Arn", ev_span)),
                            ("Id", s(format!("{key}Schedule"), ev_span)),
                        ],
                    );
                    mk::copy(body, "input", &mut tgt, "Input");
                    let rid = format!("{norm}EventsRuleSchedule{n}");
                    x.push(
                        rid.clone(),
                        "AWS::Events::Rule",
                        obj(
                            ev_span,
                            vec![
                                ("ScheduleExpression", rate),
                                (
                                    "State",
                                    s(if enabled { "ENABLED" } else { "DISABLED" }, ev_span),
                                ),
                                ("Targets", seq(ev_span, vec![tgt])),
                            ],
                        ),
                        ev_span,
                        key,
                    );
                    x.push_permission(
                        format!("{norm}LambdaPermissionEventsRuleSchedule{n}"),
                        key,
                        "events.amazonaws.com",
                        Some(getatt(&rid, "Arn", ev_span)),
                        ev_span,
                    );
                }
            }
            "eventBridge" => {
                let n = pos + 1;
                let fname = name.as_str().unwrap_or(key).to_owned();
                let rid = format!(
                    "{}EventBridgeRule",
                    alnum_name(&format!("{fname}-rule-{n}"))
                );
                let mut rule = enabled_rule(key, format!("{fname}-target"), ev_span);
                mk::copy(body, "pattern", &mut rule, "EventPattern");
                mk::copy(body, "schedule", &mut rule, "ScheduleExpression");
                mk::copy(body, "eventBus", &mut rule, "EventBusName");
                push_rule(
                    x,
                    key,
                    rid,
                    rule,
                    format!("{norm}EventBridgeLambdaPermission{n}"),
                    ev_span,
                );
            }
            "cloudwatchEvent" => {
                let n = counters.entry_or_insert_with("cwe", || 0);
                *n += 1;
                let n = *n;
                let rid = format!("{norm}EventsRuleCloudWatchEvent{n}");
                let mut rule = enabled_rule(key, format!("{key}CloudWatchEvent"), ev_span);
                mk::copy(body, "event", &mut rule, "EventPattern");
                push_rule(
                    x,
                    key,
                    rid,
                    rule,
                    format!("{norm}LambdaPermissionEventsRuleCloudWatchEvent{n}"),
                    ev_span,
                );
            }
            "cloudwatchLog" => {
                let n = counters.entry_or_insert_with("cwl", || 0);
                *n += 1;
                let n = *n;
                let lg = body
                    .get("logGroup")
                    .cloned()
                    .unwrap_or_else(|| body.clone());
                let mut fprops = obj(
                    ev_span,
                    vec![
                        ("LogGroupName", lg),
                        ("DestinationArn", getatt(key, "Arn", ev_span)),
                    ],
                );
                mk::copy(body, "filter", &mut fprops, "FilterPattern");
                x.push(
                    format!("{norm}LogsSubscriptionFilterCloudWatchLog{n}"),
                    "AWS::Logs::SubscriptionFilter",
                    fprops,
                    ev_span,
                    key,
                );
                x.push_permission(
                    format!("{norm}LambdaPermissionLogsSubscriptionFilterCloudWatchLog"),
                    key,
                    "logs.amazonaws.com",
                    None,
                    ev_span,
                );
            }
            "cognitoUserPool" => {
                let pool = body
                    .get("pool")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let trigger = body
                    .get("trigger")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let pn = alnum_name(&pool);
                if body.get("existing").and_then(Value::as_bool) == Some(true) {
                    x.push(
                        format!("{norm}CustomCognitoUserPool1"),
                        "Custom::CognitoUserPool",
                        obj(ev_span, vec![("UserPoolName", s(&pool, ev_span))]),
                        ev_span,
                        key,
                    );
                } else {
                    let pid = format!("CognitoUserPool{pn}");
                    let idx = match x.out.iter().position(|r| r.id == pid) {
                        Some(i) => i,
                        None => x.push(
                            pid.clone(),
                            "AWS::Cognito::UserPool",
                            obj(ev_span, vec![("UserPoolName", s(&pool, ev_span))]),
                            ev_span,
                            key,
                        ),
                    };
                    let lc = mk::entry_map(&mut x.out[idx].properties, "LambdaConfig");
                    mk::set(lc, &trigger, getatt(key, "Arn", ev_span));
                    x.push_permission(
                        format!(
                            "{norm}LambdaPermissionCognitoUserPool{pn}TriggerSource{}",
                            alnum_name(&trigger)
                        ),
                        key,
                        "cognito-idp.amazonaws.com",
                        Some(getatt(&pid, "Arn", ev_span)),
                        ev_span,
                    );
                }
            }
            "websocket" => {
                let route = body
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| body.get("route").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_default();
                x.websockets = true;
                let integ = format!("{norm}WebsocketsIntegration");
                if !x.out.iter().any(|r| r.id == integ) {
                    x.push(
                        integ.clone(),
                        "AWS::ApiGatewayV2::Integration",
                        obj(
                            ev_span,
                            vec![
                                ("ApiId", ref_("WebsocketsApi", ev_span)),
                                ("IntegrationType", s("AWS_PROXY", ev_span)),
                                ("IntegrationUri", lambda_uri(key, ev_span)),
                            ],
                        ),
                        ev_span,
                        key,
                    );
                }
                let rk: String = route
                    .replace('$', "S")
                    .replace('/', "Slash")
                    .replace('-', "Dash")
                    .replace('_', "Underscore")
                    .replace('.', "Period");
                let mut rp = obj(
                    ev_span,
                    vec![
                        ("ApiId", ref_("WebsocketsApi", ev_span)),
                        ("RouteKey", s(&route, ev_span)),
                        ("AuthorizationType", s("NONE", ev_span)),
                        (
                            "Target",
                            mk::join(
                                "/",
                                vec![s("integrations", ev_span), ref_(&integ, ev_span)],
                                ev_span,
                            ),
                        ),
                    ],
                );
                if let Some(a) = body.get("authorizer") {
                    let an = a
                        .as_str()
                        .or_else(|| a.get("name").and_then(Value::as_str))
                        .unwrap_or("authorizer");
                    let aid = format!("{}WebsocketsAuthorizer", normalize_function_name(an));
                    mk::set(&mut rp, "AuthorizationType", s("CUSTOM", a.span));
                    mk::set(&mut rp, "AuthorizerId", ref_(&aid, a.span));
                    if !x.out.iter().any(|r| r.id == aid) {
                        x.push(
                            aid,
                            "AWS::ApiGatewayV2::Authorizer",
                            obj(
                                a.span,
                                vec![
                                    ("ApiId", ref_("WebsocketsApi", a.span)),
                                    ("AuthorizerType", s("REQUEST", a.span)),
                                    ("Name", s(an, a.span)),
                                ],
                            ),
                            a.span,
                            key,
                        );
                    }
                }
                x.push(
                    format!("{rk}WebsocketsRoute"),
                    "AWS::ApiGatewayV2::Route",
                    rp,
                    ev_span,
                    key,
                );
                x.push_permission(
                    format!("{norm}LambdaPermissionWebsockets"),
                    key,
                    "apigateway.amazonaws.com",
                    None,
                    ev_span,
                );
            }
            "alb" => {
                let prio = body
                    .get("priority")
                    .and_then(Value::as_str)
                    .unwrap_or("1")
                    .to_owned();
                let tg = format!(
                    "{norm}AlbTargetGroup{}",
                    alnum_name(&resource_name(body.get("listenerArn").unwrap_or(body), '/'))
                );
                x.push(
                    tg.clone(),
                    "AWS::ElasticLoadBalancingV2::TargetGroup",
                    obj(
                        ev_span,
                        vec![
                            ("TargetType", s("lambda", ev_span)),
                            (
                                "Targets",
                                seq(
                                    ev_span,
                                    vec![obj(ev_span, vec![("Id", getatt(key, "Arn", ev_span))])],
                                ),
                            ),
                        ],
                    ),
                    ev_span,
                    key,
                );
                let mut lr = obj(
                    ev_span,
                    vec![
                        (
                            "Actions",
                            seq(
                                ev_span,
                                vec![obj(
                                    ev_span,
                                    vec![
                                        ("Type", s("forward", ev_span)),
                                        ("TargetGroupArn", ref_(&tg, ev_span)),
                                    ],
                                )],
                            ),
                        ),
                        ("Priority", s(&prio, ev_span)),
                    ],
                );
                mk::copy(body, "listenerArn", &mut lr, "ListenerArn");
                mk::copy(body, "conditions", &mut lr, "Conditions");
                x.push(
                    format!("{norm}AlbListenerRule{prio}"),
                    "AWS::ElasticLoadBalancingV2::ListenerRule",
                    lr,
                    ev_span,
                    key,
                );
                x.push_permission(
                    format!("{norm}LambdaPermissionAlb"),
                    key,
                    "elasticloadbalancing.amazonaws.com",
                    None,
                    ev_span,
                );
            }
            "msk" | "kafka" | "activemq" | "rabbitmq" => {
                let cut = |t: &str, n: usize| alnum_name(t).chars().take(n).collect::<String>();
                let topic = body.get("topic").and_then(Value::as_str).unwrap_or("");
                let queue = body.get("queue").and_then(Value::as_str).unwrap_or("");
                let arn = body.get("arn").cloned();
                let (id, mut m) = match ty {
                    "msk" => {
                        let cluster = arn
                            .as_ref()
                            .and_then(Value::as_str)
                            .and_then(|a| a.split('/').nth(1))
                            .map(str::to_owned)
                            .unwrap_or_else(|| {
                                arn.as_ref()
                                    .map(|a| resource_name(a, '/'))
                                    .unwrap_or_default()
                            });
                        (
                            format!(
                                "{norm}EventSourceMappingMSK{}{}",
                                cut(&cluster, 79),
                                cut(topic, 79)
                            ),
                            obj(
                                ev_span,
                                vec![("Topics", seq(ev_span, vec![s(topic, ev_span)]))],
                            ),
                        )
                    }
                    "kafka" => {
                        let mut m = obj(
                            ev_span,
                            vec![("Topics", seq(ev_span, vec![s(topic, ev_span)]))],
                        );
                        if let Some(bs) = body.get("bootstrapServers") {
                            mk::set(
                                &mut m,
                                "SelfManagedEventSource",
                                obj(
                                    bs.span,
                                    vec![(
                                        "Endpoints",
                                        obj(bs.span, vec![("KafkaBootstrapServers", bs.clone())]),
                                    )],
                                ),
                            );
                        }
                        (
                            format!("{norm}EventSourceMappingKafka{}", cut(topic, 158)),
                            m,
                        )
                    }
                    "activemq" => (
                        format!("{norm}EventSourceMappingActiveMQ{}", cut(queue, 150)),
                        obj(
                            ev_span,
                            vec![("Queues", seq(ev_span, vec![s(queue, ev_span)]))],
                        ),
                    ),
                    _ => (
                        format!("{norm}EventSourceMappingRabbitMQ{}", cut(queue, 150)),
                        obj(
                            ev_span,
                            vec![("Queues", seq(ev_span, vec![s(queue, ev_span)]))],
                        ),
                    ),
                };
                mk::set(&mut m, "FunctionName", getatt(key, "Arn", ev_span));
                if let Some(a) = arn {
                    mk::set(&mut m, "EventSourceArn", a);
                }
                mk::copy(body, "batchSize", &mut m, "BatchSize");
                mk::copy(body, "enabled", &mut m, "Enabled");
                mk::copy(body, "startingPosition", &mut m, "StartingPosition");
                x.push(id, "AWS::Lambda::EventSourceMapping", m, ev_span, key);
            }
            "iot" => {
                let n = counters.entry_or_insert_with("iot", || 0);
                *n += 1;
                let n = *n;
                let mut payload = obj(
                    ev_span,
                    vec![
                        ("RuleDisabled", boolean(false, ev_span)),
                        (
                            "Actions",
                            seq(
                                ev_span,
                                vec![obj(
                                    ev_span,
                                    vec![(
                                        "Lambda",
                                        obj(
                                            ev_span,
                                            vec![("FunctionArn", getatt(key, "Arn", ev_span))],
                                        ),
                                    )],
                                )],
                            ),
                        ),
                    ],
                );
                mk::copy(body, "sql", &mut payload, "Sql");
                x.push(
                    format!("{norm}IotTopicRule{n}"),
                    "AWS::IoT::TopicRule",
                    obj(ev_span, vec![("TopicRulePayload", payload)]),
                    ev_span,
                    key,
                );
                x.push_permission(
                    format!("{norm}LambdaPermissionIotTopicRule{n}"),
                    key,
                    "iot.amazonaws.com",
                    None,
                    ev_span,
                );
            }
            other => x.warn(
                format!("event type `{other}` of `{key}` is not expanded by pillarlint yet"),
                ev_span,
            ),
        }
    }
    match own_role {
        Some(i) => {
            if let Some(list) = x.out.get_mut(i).and_then(|r| {
                mk::get_mut(&mut r.properties, "Policies")
                    .and_then(|p| match &mut p.node {
                        Node::Seq(items) => items.first_mut(),
                        _ => None,
                    })
                    .and_then(|p| mk::get_mut(p, "PolicyDocument"))
                    .and_then(|d| mk::get_mut(d, "Statement"))
            }) {
                for st in fn_statements {
                    mk::push(list, st);
                }
            }
        }
        None => x.role_statements.extend(fn_statements),
    }
}

/// The name part of an ARN-ish value, for naming: last `sep` part of a string, the logical ID of
/// a `Ref`/`GetAtt`, the name of an `ImportValue`, or the last element of a `Join`.
fn resource_name(v: &Value, sep: char) -> String {
    if let Some(t) = v.as_str() {
        return t.rsplit(sep).next().unwrap_or(t).to_owned();
    }
    match v.intrinsic() {
        Some(("Ref", a)) => a.as_str().unwrap_or("").to_owned(),
        Some(("Fn::GetAtt", a)) => match &a.node {
            Node::Seq(items) => items
                .first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            Node::String(t) => t.split('.').next().unwrap_or("").to_owned(),
            _ => String::new(),
        },
        Some(("Fn::ImportValue", a)) => a.as_str().unwrap_or("").to_owned(),
        Some(("Fn::Join", a)) => a
            .as_seq()
            .and_then(|x| x.get(1))
            .and_then(Value::as_seq)
            .and_then(|x| x.last())
            .map(|l| resource_name(l, sep))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn lambda_uri(fn_key: &str, span: Span) -> Value {
    sub(mk::invocations_uri(&format!("${{{fn_key}.Arn}}")), span)
}

fn authorizer_uri_of(x: &Sls, name_or_arn: &Value, span: Span) -> Value {
    match name_or_arn.as_str() {
        Some(n) if x.functions.iter().any(|f| f == n) => lambda_uri(n, span),
        _ => Value::single(
            "Fn::Sub",
            span,
            seq(
                span,
                vec![
                    s(mk::invocations_uri("${__FunctionArn__}"), span),
                    obj(span, vec![("__FunctionArn__", name_or_arn.clone())]),
                ],
            ),
        ),
    }
}

fn parse_route(body: &Value) -> Option<(String, String)> {
    if let Some(t) = body.as_str() {
        if t.trim() == "*" {
            return Some(("*".into(), "$default".into()));
        }
        let (m, p) = t.trim().split_once(char::is_whitespace)?;
        return Some((m.trim().to_owned(), p.trim().to_owned()));
    }
    let p = body.get("path").and_then(Value::as_str)?;
    let m = body.get("method").and_then(Value::as_str).unwrap_or("ANY");
    Some((m.to_owned(), p.to_owned()))
}

/// Push an events rule targeting function `key` and the permission letting it invoke `key`.
fn push_rule(x: &mut Sls, key: &str, rid: String, rule: Value, permission: String, span: Span) {
    let source = getatt(&rid, "Arn", span);
    x.push(rid, "AWS::Events::Rule", rule, span, key);
    x.push_permission(permission, key, "events.amazonaws.com", Some(source), span);
}

/// An enabled `AWS::Events::Rule` whose one target is the function `key`.
fn enabled_rule(key: &str, target_id: String, span: Span) -> Value {
    obj(
        span,
        vec![
            ("State", s("ENABLED", span)),
            (
                "Targets",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            ("Arn", getatt(key, "Arn", span)),
                            ("Id", s(target_id, span)),
                        ],
                    )],
                ),
            ),
        ],
    )
}

/// An `AWS::Lambda::EventSourceMapping` of function `key` on `arn` (batch size 10 and enabled
/// unless the event says otherwise; streams start at `starting` by default).
fn event_source_mapping(
    key: &str,
    arn: &Value,
    body: &Value,
    starting: Option<&str>,
    span: Span,
) -> Value {
    let or = |k: &str, default: Value| body.get(k).cloned().unwrap_or(default);
    let mut entries = vec![
        ("EventSourceArn", arn.clone()),
        ("FunctionName", getatt(key, "Arn", span)),
        ("BatchSize", or("batchSize", num(10, span))),
    ];
    if let Some(p) = starting {
        entries.push(("StartingPosition", or("startingPosition", s(p, span))));
    }
    entries.push(("Enabled", or("enabled", boolean(true, span))));
    obj(span, entries)
}

/// Stage `MethodSettings` for every method: the execution log level and data tracing.
fn all_methods_logging(level: impl Into<String>, data_trace: bool, span: Span) -> Value {
    seq(
        span,
        vec![obj(
            span,
            vec![
                ("LoggingLevel", s(level, span)),
                ("DataTraceEnabled", boolean(data_trace, span)),
                ("HttpMethod", s("*", span)),
                ("ResourcePath", s("/*", span)),
            ],
        )],
    )
}

fn op_key(method: &str) -> String {
    let m = method.to_ascii_lowercase();
    if m == "any" || m == "*" {
        "x-amazon-apigateway-any-method".into()
    } else {
        m
    }
}

fn operation(uri: Value, payload: Option<&str>, logical_id: String, span: Span) -> Value {
    let integ = mk::lambda_proxy(uri, payload, span);
    obj(
        span,
        vec![
            ("x-amazon-apigateway-integration", integ),
            ("responses", mk::empty(span)),
            ("x-pillarlint-logical-id", s(logical_id, span)),
        ],
    )
}

fn set_op(body: &mut Value, path: &str, op: &str, val: Value, span: Span) {
    let paths = mk::entry_map(body, "paths");
    let item = mk::entry_map(paths, path);
    mk::set(item, op, val);
    if let Node::Map(entries) = &mut paths.node {
        if let Some((k, _)) = entries.iter_mut().find(|(k, _)| k.name == path) {
            k.span = span;
        }
    }
}

fn add_scheme(body: &mut Value, path: &[&str], name: &str, scheme: Value) {
    let mut target: &mut Value = body;
    for k in path {
        target = mk::entry_map(target, k);
    }
    if target.get(name).is_none() {
        mk::set(target, name, scheme);
    }
}

fn http_event(x: &mut Sls, key: &str, norm: &str, body: &Value, span: Span) {
    let Some((method, path)) = parse_route(body) else {
        x.warn(format!("http event of `{key}` needs a path and a method (`GET /users` or {{path, method}})"), span);
        return;
    };
    let path_span = body.get("path").map_or(body.span, |v| v.span);
    let clean = path.trim_matches('/');
    let oas_path = format!("/{clean}");
    let logical = format!(
        "ApiGatewayMethod{}{}",
        normalize_path(clean),
        normalize_method(if method == "*" { "ANY" } else { &method })
    );
    let rest = x.rest.get_or_insert_with(|| RestApi {
        span,
        body: mk::api_body(true, s("", span), span),
        api_key: false,
    });
    let _ = rest;
    let mut op = operation(lambda_uri(key, path_span), None, logical, path_span);
    let mut security: Vec<Value> = Vec::new();
    let mut schemes: Vec<(String, Value)> = Vec::new();
    let mut extra_perm: Option<(String, String)> = None;
    if let Some(a) = body.get("authorizer") {
        let sp = a.span;
        let (name, arn, ty, scopes, identity) = match a.as_str() {
            Some(t) => (
                None,
                Some(a.clone()),
                if t == "aws_iam" {
                    Some("aws_iam".to_owned())
                } else {
                    None
                },
                None,
                None,
            ),
            None => (
                a.get("name").and_then(Value::as_str).map(str::to_owned),
                a.get("arn").cloned(),
                a.get("type").and_then(Value::as_str).map(str::to_owned),
                a.get("scopes").cloned(),
                a.get("identitySource").cloned(),
            ),
        };
        let ty_l = ty.as_deref().map(str::to_ascii_lowercase);
        if ty_l.as_deref() == Some("aws_iam") {
            security.push(obj(sp, vec![("AWS_IAM", seq(sp, vec![]))]));
            schemes.push(("AWS_IAM".into(), mk::iam_scheme(sp)));
        } else if let Some(id) = a.get("authorizerId") {
            let n = name.unwrap_or_else(|| "ExternalAuthorizer".into());
            let kind = if ty_l.as_deref() == Some("cognito_user_pools") {
                "cognito_user_pools"
            } else {
                "custom"
            };
            security.push(obj(
                sp,
                vec![(n.as_str(), scopes.unwrap_or_else(|| seq(sp, vec![])))],
            ));
            schemes.push((
                n.clone(),
                mk::header_scheme(
                    s("Authorization", sp),
                    Some(kind),
                    Some(obj(
                        sp,
                        vec![("type", s(kind, sp)), ("authorizerId", id.clone())],
                    )),
                    sp,
                ),
            ));
        } else {
            let target = arn.clone().or_else(|| name.as_ref().map(|n| s(n, sp)));
            let target_text = target
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let cognito = ty_l.as_deref() == Some("cognito_user_pools")
                || target_text.contains(":cognito-idp:");
            let n = name.clone().unwrap_or_else(|| {
                if x.functions.contains(&target_text) {
                    target_text.clone()
                } else {
                    // naming.js `extractAuthorizerNameFromArn`: last `:` part, then its last
                    // `-` part (also for Cognito ARNs).
                    let fname = target_text.rsplit(':').next().unwrap_or(&target_text);
                    let n = fname.rsplit('-').next().unwrap_or(fname);
                    match (n.is_empty(), cognito) {
                        (false, _) => n.to_owned(),
                        (true, true) => "CognitoAuthorizer".to_owned(),
                        (true, false) => "Authorizer".to_owned(),
                    }
                }
            });
            let scheme_name = format!("{}ApiGatewayAuthorizer", normalize_function_name(&n));
            let header = identity
                .as_ref()
                .and_then(Value::as_str)
                .and_then(|i| i.strip_prefix("method.request.header."))
                .unwrap_or("Authorization")
                .to_owned();
            let scheme = if cognito {
                mk::header_scheme(
                    s(&header, sp),
                    Some("cognito_user_pools"),
                    Some(obj(
                        sp,
                        vec![
                            ("type", s("cognito_user_pools", sp)),
                            ("providerARNs", seq(sp, target.into_iter().collect())),
                        ],
                    )),
                    sp,
                )
            } else {
                let request = ty_l.as_deref() == Some("request");
                let uri = target
                    .as_ref()
                    .map(|t| authorizer_uri_of(x, t, sp))
                    .unwrap_or_else(|| s("", sp));
                if x.functions.contains(&target_text) {
                    extra_perm = Some((
                        format!("{}LambdaPermissionApiGateway", normalize_function_name(&n)),
                        target_text.clone(),
                    ));
                }
                mk::header_scheme(
                    s(&header, sp),
                    Some("custom"),
                    Some(obj(
                        sp,
                        vec![
                            ("type", s(if request { "request" } else { "token" }, sp)),
                            ("authorizerUri", uri),
                        ],
                    )),
                    sp,
                )
            };
            security.push(obj(
                sp,
                vec![(
                    scheme_name.as_str(),
                    scopes.unwrap_or_else(|| seq(sp, vec![])),
                )],
            ));
            schemes.push((scheme_name, scheme));
        }
    }
    let private = body.get("private").and_then(Value::as_bool) == Some(true);
    if private {
        let sp = body.get("private").map_or(span, |v| v.span);
        security.push(obj(sp, vec![("api_key", seq(sp, vec![]))]));
    }
    if !security.is_empty() {
        mk::set(&mut op, "security", seq(span, security));
    }
    if let Some(rest) = x.rest.as_mut() {
        set_op(&mut rest.body, &oas_path, &op_key(&method), op, path_span);
        for (n, sc) in schemes {
            add_scheme(&mut rest.body, &["securityDefinitions"], &n, sc);
        }
        if private {
            rest.api_key = true;
        }
        if body.get("cors").is_some_and(|c| c.as_bool() != Some(false)) {
            let cors_op = obj(
                span,
                vec![
                    (
                        "x-amazon-apigateway-integration",
                        obj(span, vec![("type", s("mock", span))]),
                    ),
                    ("responses", mk::empty(span)),
                    (
                        "x-pillarlint-logical-id",
                        s(
                            format!("ApiGatewayMethod{}Options", normalize_path(clean)),
                            span,
                        ),
                    ),
                ],
            );
            let has = rest
                .body
                .get_path(&["paths", &oas_path, "options"])
                .is_some();
            if !has {
                set_op(&mut rest.body, &oas_path, "options", cors_op, path_span);
            }
        }
    }
    if let Some((pid, fnk)) = extra_perm {
        x.push_permission(pid, &fnk, "apigateway.amazonaws.com", Some(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*/*", span)), span);
    }
    x.push_permission(
        format!("{norm}LambdaPermissionApiGateway"),
        key,
        "apigateway.amazonaws.com",
        Some(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*/*", span)),
        span,
    );
}

fn http_api_event(x: &mut Sls, key: &str, norm: &str, body: &Value, span: Span) {
    let Some((method, path)) = parse_route(body) else {
        x.warn(
            format!("httpApi event of `{key}` needs `METHOD /path`, `*`, or {{method, path}}"),
            span,
        );
        return;
    };
    let path_span = body.get("path").map_or(body.span, |v| v.span);
    let (oas_path, op, logical) = if path == "$default" {
        (
            "$default".to_owned(),
            "x-amazon-apigateway-any-method".to_owned(),
            "HttpApiRouteDefault".to_owned(),
        )
    } else {
        let m = if method == "*" {
            "ANY".to_owned()
        } else {
            method.to_ascii_uppercase()
        };
        (
            path.clone(),
            op_key(&method),
            format!(
                "HttpApiRoute{}",
                normalize_path(&format!("{m} {path}").replace(' ', "/"))
            ),
        )
    };
    if x.http.is_none() {
        x.http = Some(HttpApi {
            span,
            body: mk::api_body(false, s("", span), span),
        });
    }
    let payload = body
        .get("payload")
        .or_else(|| x.p(&["httpApi", "payload"]))
        .and_then(Value::as_str)
        .unwrap_or("2.0")
        .to_owned();
    let mut opv = operation(
        lambda_uri(key, path_span),
        Some(&payload),
        logical,
        path_span,
    );
    let mut schemes: Vec<(String, Value)> = Vec::new();
    if let Some(a) = body.get("authorizer") {
        let sp = a.span;
        let ty = a
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let name = a
            .as_str()
            .map(str::to_owned)
            .or_else(|| a.get("name").and_then(Value::as_str).map(str::to_owned));
        let scopes = a.get("scopes").cloned().unwrap_or_else(|| seq(sp, vec![]));
        if ty.as_deref() == Some("aws_iam") {
            mk::set(
                &mut opv,
                "security",
                seq(sp, vec![obj(sp, vec![("AWS_IAM", seq(sp, vec![]))])]),
            );
            schemes.push(("AWS_IAM".into(), mk::iam_scheme(sp)));
        } else if let Some(n) = name {
            mk::set(
                &mut opv,
                "security",
                seq(sp, vec![obj(sp, vec![(n.as_str(), scopes)])]),
            );
            match x.p(&["httpApi", "authorizers", &n]).cloned() {
                Some(def) => schemes.push((n.clone(), http_authorizer_scheme(x, &n, &def))),
                None => x.warn(
                    format!(
                        "httpApi authorizer `{n}` is not defined in provider.httpApi.authorizers"
                    ),
                    sp,
                ),
            }
        } else if let Some(id) = a.get("id") {
            mk::set(
                &mut opv,
                "security",
                seq(sp, vec![obj(sp, vec![("ExternalAuthorizer", scopes)])]),
            );
            schemes.push((
                "ExternalAuthorizer".into(),
                mk::header_scheme(
                    s("Authorization", sp),
                    None,
                    Some(obj(sp, vec![("authorizerId", id.clone())])),
                    sp,
                ),
            ));
        }
    }
    if let Some(h) = x.http.as_mut() {
        set_op(&mut h.body, &oas_path, &op, opv, path_span);
        for (n, sc) in schemes {
            add_scheme(&mut h.body, &["components", "securitySchemes"], &n, sc);
        }
    }
    x.push_permission(
        format!("{norm}LambdaPermissionHttpApi"),
        key,
        "apigateway.amazonaws.com",
        Some(sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*",
            span,
        )),
        span,
    );
}

fn http_authorizer_scheme(x: &mut Sls, name: &str, def: &Value) -> Value {
    let sp = def.span;
    let ty = def
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("jwt")
        .to_ascii_lowercase();
    if ty == "request" {
        let target = def
            .get("functionArn")
            .cloned()
            .or_else(|| def.get("functionName").cloned())
            .unwrap_or_else(|| s("", sp));
        let mut az = obj(
            sp,
            vec![
                ("type", s("request", sp)),
                ("authorizerUri", authorizer_uri_of(x, &target, sp)),
            ],
        );
        mk::set(
            &mut az,
            "authorizerPayloadFormatVersion",
            def.get("payloadVersion")
                .cloned()
                .unwrap_or_else(|| s("2.0", sp)),
        );
        mk::copy(
            def,
            "enableSimpleResponses",
            &mut az,
            "enableSimpleResponses",
        );
        mk::copy(def, "identitySource", &mut az, "identitySource");
        if let Some(fnk) = def.get("functionName").and_then(Value::as_str) {
            if def.get("managedExternally").and_then(Value::as_bool) != Some(true) {
                let fnk = fnk.to_owned();
                x.push_permission(
                    format!("{}LambdaAuthorizerPermissionHttpApi", normalize_function_name(name)),
                    &fnk,
                    "apigateway.amazonaws.com",
                    Some(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*", sp)),
                    sp,
                );
            }
        }
        mk::header_scheme(s("Unused", sp), None, Some(az), sp)
    } else {
        let mut jc = mk::empty(sp);
        mk::copy(def, "issuerUrl", &mut jc, "issuer");
        mk::copy(def, "audience", &mut jc, "audience");
        obj(
            sp,
            vec![
                ("type", s("oauth2", sp)),
                (
                    "x-amazon-apigateway-authorizer",
                    obj(
                        sp,
                        vec![
                            ("type", s("jwt", sp)),
                            ("jwtConfiguration", jc),
                            (
                                "identitySource",
                                def.get("identitySource")
                                    .cloned()
                                    .unwrap_or_else(|| s("$request.header.Authorization", sp)),
                            ),
                        ],
                    ),
                ),
            ],
        )
    }
}

/// Emit the APIs the events asked for, with provider.apiGateway / logs / tracing settings.
fn finish_apis(x: &mut Sls) {
    if let Some(mut rest) = x.rest.take() {
        let span = rest.span;
        let api_cfg = x
            .p(&["apiGateway"])
            .cloned()
            .unwrap_or_else(|| mk::empty(span));
        let external = api_cfg.get("restApiId").is_some();
        if rest.api_key || api_cfg.get("apiKeys").is_some() {
            add_scheme(
                &mut rest.body,
                &["securityDefinitions"],
                "api_key",
                mk::header_scheme(s("x-api-key", span), None, None, span),
            );
        }
        let name = x.p(&["apiName"]).cloned().unwrap_or_else(|| {
            if api_cfg
                .get("shouldStartNameWithService")
                .and_then(Value::as_bool)
                == Some(true)
            {
                s(format!("{}-{}", x.service, x.stage), span)
            } else {
                s(format!("{}-{}", x.stage, x.service), span)
            }
        });
        if let Some(info) = mk::get_mut(&mut rest.body, "info") {
            mk::set(info, "title", name.clone());
        }
        let mut props = obj(span, vec![("Name", name), ("Body", rest.body)]);
        let endpoint = x
            .p(&["endpointType"])
            .and_then(Value::as_str)
            .unwrap_or("EDGE")
            .to_ascii_uppercase();
        mk::set(
            &mut props,
            "EndpointConfiguration",
            obj(span, vec![("Types", seq(span, vec![s(endpoint, span)]))]),
        );
        match api_cfg.get("resourcePolicy") {
            Some(rp) => mk::set(
                &mut props,
                "Policy",
                obj(
                    rp.span,
                    vec![
                        ("Version", s("2012-10-17", rp.span)),
                        ("Statement", rp.clone()),
                    ],
                ),
            ),
            None => mk::set(&mut props, "Policy", s("", span)),
        }
        for (k, to) in [
            ("apiKeySourceType", "ApiKeySourceType"),
            ("minimumCompressionSize", "MinimumCompressionSize"),
            ("binaryMediaTypes", "BinaryMediaTypes"),
            ("description", "Description"),
            ("disableDefaultEndpoint", "DisableExecuteApiEndpoint"),
        ] {
            mk::copy(&api_cfg, k, &mut props, to);
        }
        if external {
            x.warn("provider.apiGateway.restApiId: the REST API is defined elsewhere; its routes are recorded on a placeholder `ApiGatewayRestApi`", api_cfg.span);
        }
        x.push(
            "ApiGatewayRestApi".into(),
            "AWS::ApiGateway::RestApi",
            props,
            span,
            "provider",
        );
        // Deployment (+ the stage settings Serverless patches in after deploy).
        let stage_name = api_cfg
            .get("stage")
            .cloned()
            .unwrap_or_else(|| s(&x.stage, span));
        let mut dep = mk::resource(
            "ApiGatewayDeployment".into(),
            "AWS::ApiGateway::Deployment",
            obj(
                span,
                vec![
                    ("RestApiId", ref_("ApiGatewayRestApi", span)),
                    ("StageName", stage_name.clone()),
                ],
            ),
            span,
            "provider",
        );
        let mut settings = mk::empty(span);
        if let Some(t) = x.p(&["tracing", "apiGateway"]).and_then(Value::as_bool) {
            mk::set(&mut settings, "TracingEnabled", boolean(t, span));
        }
        if let Some(l) = x.p(&["logs", "restApi"]).cloned() {
            let lsp = l.span;
            if l.as_bool() == Some(false) {
                mk::set(
                    &mut settings,
                    "MethodSettings",
                    all_methods_logging("OFF", false, lsp),
                );
            } else {
                let access = l.get("accessLogging").and_then(Value::as_bool) != Some(false);
                let exec = l.get("executionLogging").and_then(Value::as_bool) != Some(false);
                let level = if exec {
                    l.get("level")
                        .and_then(Value::as_str)
                        .unwrap_or("INFO")
                        .to_owned()
                } else {
                    "OFF".to_owned()
                };
                let full = l.get("fullExecutionData").and_then(Value::as_bool) != Some(false);
                mk::set(
                    &mut settings,
                    "MethodSettings",
                    all_methods_logging(level, exec && full, lsp),
                );
                if access {
                    let mut lg = obj(
                        lsp,
                        vec![(
                            "LogGroupName",
                            s(format!("/aws/api-gateway/{}-{}", x.service, x.stage), lsp),
                        )],
                    );
                    if let Some(r) = x.p(&["logRetentionInDays"]) {
                        mk::set(&mut lg, "RetentionInDays", r.clone());
                    }
                    x.push(
                        "ApiGatewayLogGroup".into(),
                        "AWS::Logs::LogGroup",
                        lg,
                        lsp,
                        "provider",
                    );
                    let mut als = obj(
                        lsp,
                        vec![("DestinationArn", getatt("ApiGatewayLogGroup", "Arn", lsp))],
                    );
                    mk::copy(&l, "format", &mut als, "Format");
                    mk::set(&mut settings, "AccessLogSetting", als);
                }
            }
        }
        if settings.as_map().is_some_and(|m| !m.is_empty()) {
            dep.metadata = Some(obj(
                span,
                vec![("StageSettingsAppliedAfterDeploy", settings)],
            ));
        }
        x.out.push(dep);
        // API keys and usage plans.
        let keys = api_cfg.get("apiKeys").map(Value::items).unwrap_or_default();
        let mut n = 0;
        let mut key_ids = Vec::new();
        for k in keys {
            n += 1;
            let kid = format!("ApiGatewayApiKey{n}");
            let mut kp = obj(
                k.span,
                vec![
                    ("Enabled", boolean(true, k.span)),
                    (
                        "StageKeys",
                        seq(
                            k.span,
                            vec![obj(
                                k.span,
                                vec![
                                    ("RestApiId", ref_("ApiGatewayRestApi", k.span)),
                                    ("StageName", stage_name.clone()),
                                ],
                            )],
                        ),
                    ),
                ],
            );
            if let Some(nm) = k.as_str() {
                mk::set(&mut kp, "Name", s(nm, k.span));
            } else {
                mk::copy(k, "name", &mut kp, "Name");
                mk::copy(k, "value", &mut kp, "Value");
            }
            let mut r = mk::resource(
                kid.clone(),
                "AWS::ApiGateway::ApiKey",
                kp,
                k.span,
                "provider",
            );
            r.depends_on.push("ApiGatewayDeployment".into());
            x.out.push(r);
            key_ids.push(kid);
        }
        if api_cfg.get("usagePlan").is_some() || !key_ids.is_empty() {
            let up = api_cfg
                .get("usagePlan")
                .cloned()
                .unwrap_or_else(|| mk::empty(span));
            let sp = up.span;
            let mut pp = obj(
                sp,
                vec![
                    (
                        "ApiStages",
                        seq(
                            sp,
                            vec![obj(
                                sp,
                                vec![
                                    ("ApiId", ref_("ApiGatewayRestApi", sp)),
                                    ("Stage", stage_name.clone()),
                                ],
                            )],
                        ),
                    ),
                    ("UsagePlanName", s(format!("{}-{}", x.service, x.stage), sp)),
                ],
            );
            if let Some(q) = up.get("quota") {
                let mut qq = mk::empty(q.span);
                mk::copy(q, "limit", &mut qq, "Limit");
                mk::copy(q, "offset", &mut qq, "Offset");
                mk::copy(q, "period", &mut qq, "Period");
                mk::set(&mut pp, "Quota", qq);
            }
            if let Some(t) = up.get("throttle") {
                let mut tt = mk::empty(t.span);
                mk::copy(t, "burstLimit", &mut tt, "BurstLimit");
                mk::copy(t, "rateLimit", &mut tt, "RateLimit");
                mk::set(&mut pp, "Throttle", tt);
            }
            x.push(
                "ApiGatewayUsagePlan".into(),
                "AWS::ApiGateway::UsagePlan",
                pp,
                sp,
                "provider",
            );
            for (i, kid) in key_ids.iter().enumerate() {
                x.push(
                    format!("ApiGatewayUsagePlanKey{}", i + 1),
                    "AWS::ApiGateway::UsagePlanKey",
                    obj(
                        sp,
                        vec![
                            ("KeyId", ref_(kid, sp)),
                            ("KeyType", s("API_KEY", sp)),
                            ("UsagePlanId", ref_("ApiGatewayUsagePlan", sp)),
                        ],
                    ),
                    sp,
                    "provider",
                );
            }
        }
    }
    if let Some(h) = x.http.take() {
        let span = h.span;
        let mut body = h.body;
        let cfg = x
            .p(&["httpApi"])
            .cloned()
            .unwrap_or_else(|| mk::empty(span));
        if let Some(c) = cfg.get("cors").filter(|c| c.as_bool() != Some(false)) {
            mk::set(
                &mut body,
                "x-amazon-apigateway-cors",
                if c.as_bool() == Some(true) {
                    obj(
                        c.span,
                        vec![("allowOrigins", seq(c.span, vec![s("*", c.span)]))],
                    )
                } else {
                    c.clone()
                },
            );
        }
        let name = cfg
            .get("name")
            .cloned()
            .unwrap_or_else(|| s(format!("{}-{}", x.stage, x.service), span));
        let mut props = obj(
            span,
            vec![
                ("Name", name),
                ("ProtocolType", s("HTTP", span)),
                ("Body", body),
            ],
        );
        mk::copy(
            &cfg,
            "disableDefaultEndpoint",
            &mut props,
            "DisableExecuteApiEndpoint",
        );
        x.push(
            "HttpApi".into(),
            "AWS::ApiGatewayV2::Api",
            props,
            span,
            "provider",
        );
        let mut st = obj(
            span,
            vec![
                ("ApiId", ref_("HttpApi", span)),
                ("StageName", s("$default", span)),
                ("AutoDeploy", boolean(true, span)),
            ],
        );
        mk::copy(&cfg, "metrics", &mut st, "DetailedMetricsEnabled");
        if let Some(l) = x
            .p(&["logs", "httpApi"])
            .cloned()
            .filter(|l| l.as_bool() != Some(false))
        {
            let lsp = l.span;
            x.push(
                "HttpApiLogGroup".into(),
                "AWS::Logs::LogGroup",
                obj(
                    lsp,
                    vec![(
                        "LogGroupName",
                        s(format!("/aws/http-api/{}-{}", x.service, x.stage), lsp),
                    )],
                ),
                lsp,
                "provider",
            );
            let mut als = obj(
                lsp,
                vec![("DestinationArn", getatt("HttpApiLogGroup", "Arn", lsp))],
            );
            mk::copy(&l, "format", &mut als, "Format");
            mk::set(&mut st, "AccessLogSettings", als);
        }
        x.push(
            "HttpApiStage".into(),
            "AWS::ApiGatewayV2::Stage",
            st,
            span,
            "provider",
        );
    }
    if x.websockets {
        let span = x.provider.span;
        x.push(
            "WebsocketsApi".into(),
            "AWS::ApiGatewayV2::Api",
            obj(
                span,
                vec![
                    (
                        "Name",
                        s(format!("{}-{}-websockets", x.stage, x.service), span),
                    ),
                    ("ProtocolType", s("WEBSOCKET", span)),
                    ("RouteSelectionExpression", s("$request.body.action", span)),
                ],
            ),
            span,
            "provider",
        );
        x.role_statements.push(mk::allow(
            &["execute-api:ManageConnections"],
            seq(
                span,
                vec![s(
                    "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*",
                    span,
                )],
            ),
            span,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rules_match_the_framework() {
        assert_eq!(
            normalize_function_name("hello_world"),
            "HelloUnderscoreworld"
        );
        assert_eq!(normalize_function_name("hello-world"), "HelloDashworld");
        assert_eq!(alnum_name("my-queue.fifo"), "Myqueuefifo");
        assert_eq!(normalize_path("users/{id}"), "UsersIdVar");
        assert_eq!(normalize_path("a-path"), "ADashpath");
        assert_eq!(normalize_path("{proxy+}"), "ProxyVar");
        assert_eq!(normalize_method("gET"), "Get");
    }

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
