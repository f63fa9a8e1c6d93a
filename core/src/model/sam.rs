//! SAM transform expansion (`AWS::Serverless-2016-10-31`), as the real translator does it.
//!
//! Sources: `/work/shared/reference/sam-generated-ids.md` (logical IDs, Globals rules) and the
//! SAM policy templates (`data/sam-policy-templates.json`, Apache-2.0, see `data/NOTICE`).
//!
//! # What comes out
//! Every `AWS::Serverless::*` resource is replaced, in place, by the CloudFormation resources the
//! transform generates, under SAM's logical IDs, with `Resource.origin = Generated { by: <SAM id> }`
//! and spans pointing at the SAM source that produced them (the resource key, the event key, the
//! `Path` value...). The primary resource keeps the SAM logical ID and records
//! `source_type = Some("AWS::Serverless::Function")` etc.
//! - Function → `AWS::Lambda::Function` (same id); implicit `<Fn>Role` when `Role` is absent, with
//!   `ManagedPolicyArns` (basic execution, X-Ray, VPC, user's managed policies, event-source
//!   policies) and `Policies` entries `<Fn>RolePolicy<i>` (i = index in the `Policies` list) for
//!   inline statements and expanded policy templates (`Ref`s of the template's parameters replaced
//!   by the user's values, which keep their own `Ref`/`GetAtt` so the graph can follow them);
//!   `<Fn>Url` (+ public permissions), `<Fn>EventInvokeConfig`, `<Fn>Alias<name>`/`<Fn>Version<h10>`.
//! - Events → permissions, rules, mappings, subscriptions as listed in the reference; S3 and Cognito
//!   events rewrite the bucket's `NotificationConfiguration.LambdaConfigurations` / the user pool's
//!   `LambdaConfig` in place.
//!
//! # Route representation (read by the graph)
//! As SAM does, routes live **inside the API's OpenAPI body**, not in `Method`/`Route` resources:
//! - REST (`AWS::ApiGateway::RestApi`, implicit `ServerlessRestApi`): `Properties.Body` is a Swagger
//!   2.0 document (or the user's `DefinitionBody` with the event paths added). Each operation
//!   `paths.<path>.<method>` (`x-amazon-apigateway-any-method` for ANY) has an
//!   `x-amazon-apigateway-integration` whose `uri` is an `Fn::Sub` naming `${<Fn>.Arn}` (so
//!   `resource_refs` finds the function), and a `security` list:
//!   * absent → no authorization;
//!   * `[]` → explicitly none (`Auth.Authorizer: NONE`);
//!   * `[{<Name>: [scopes]}]` → authorizer `<Name>`, described in `securityDefinitions.<Name>` with
//!     `x-amazon-apigateway-authtype` (`cognito_user_pools`, `custom`, `awsSigv4` for `AWS_IAM`) and
//!     `x-amazon-apigateway-authorizer` (`type: token|request|cognito_user_pools`,
//!     `authorizerUri`/`providerARNs`);
//!   * an entry `{api_key: []}` means an API key is required (`securityDefinitions.api_key`,
//!     `in: header`, `name: x-api-key`) — an API key is **not** authentication.
//!   * with `OpenApiVersion: 3.x` (and in user bodies that say `openapi:`) the schemes live in
//!     `components.securitySchemes` instead of `securityDefinitions`: read both.
//! - HTTP (`AWS::ApiGatewayV2::Api`, implicit `ServerlessHttpApi`): OpenAPI 3 `Body`, the same
//!   operation shape (`payloadFormatVersion: "2.0"`), `$default` route as path `$default` with
//!   `x-amazon-apigateway-any-method`, schemes in `components.securitySchemes` (`type: oauth2` +
//!   `x-amazon-apigateway-authorizer.type: jwt`, `type: request` Lambda authorizers, `AWS_IAM`).
//! - State machine `Api` events use an `aws` integration to `states:action/StartExecution` whose
//!   `requestTemplates` name `${<SM>}`.
//!
//! When an API uses `DefinitionUri` (an external file we never read), its `Body` holds only the
//! routes from `Events`, and a diagnostic says so.
//!
//! Known simplifications (documented, deliberate): the REST `Deployment` id is
//! `<Api>Deployment<h10>` with a hash of our body (SAM hashes Python's repr; match by prefix);
//! CORS preflight `options` operations are added with a `mock` integration; `Auth.ResourcePolicy`
//! (account, IP range and VPC lists, custom statements) is written to `x-amazon-apigateway-policy`
//! per route; `DeploymentPreference` resources are not generated. Connectors (resource and
//! embedded) are expanded for IAM-policy based profiles only (a function or state machine
//! reading/writing a table, bucket, queue, topic, function, state machine, event bus or secret:
//! `AWS::IAM::ManagedPolicy` `<Connector>Policy` attached to the source's role); resource-policy
//! based ones (a topic or rule invoking a function) are reported, not generated.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::{Node, Value};

use super::mk::{self, boolean, getatt, num, obj, ref_, s, seq, sub};
use super::{Resource, Template};

/// The SAM policy templates, embedded (Apache-2.0; see `data/NOTICE`).
const POLICY_TEMPLATES_JSON: &str = include_str!("data/sam-policy-templates.json");

/// The parsed policy templates (parsed once, at first use, by the template loader: JSON is
/// YAML, so the browser bundle needs no second parser).
pub fn policy_templates() -> &'static Value {
    static T: OnceLock<Value> = OnceLock::new();
    T.get_or_init(|| {
        crate::parse::load(POLICY_TEMPLATES_JSON, &crate::parse::Limits::default())
            .ok()
            .and_then(|v| v.get("Templates").cloned())
            .unwrap_or_else(|| Value::null().clone())
    })
}

/// Names of the implicit APIs.
pub const IMPLICIT_REST_API: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiKind {
    Rest,
    Http,
}

/// One route added by an event.
#[derive(Debug, Clone)]
struct RouteAdd {
    path: String,
    /// Lower-case method key (`get`, `x-amazon-apigateway-any-method`).
    op: String,
    operation: Value,
    /// The event's `Auth` block.
    auth: Option<Value>,
    span: Span,
}

#[derive(Debug, Clone)]
struct ApiBuild {
    id: String,
    kind: ApiKind,
    span: Span,
    props: Value,
    implicit: bool,
    condition: Option<String>,
    routes: Vec<RouteAdd>,
    /// For implicit APIs: the `Condition` of each function that added a route.
    route_conditions: Vec<Option<String>>,
}

/// The context of one expansion.
struct Cx {
    /// The APIs being built, one per id (a `Vec` searched by id: there are few).
    apis: Vec<ApiBuild>,
    globals: Option<Value>,
    diags: Vec<(String, Span)>,
    /// Declared-resource edits: (resource id, edit).
    edits: Vec<(String, Edit)>,
    /// Ids of every resource in the template (declared and SAM).
    ids: HashMap<String, String>,
    /// Conditions SAM adds to the template (`ServerlessRestApiCondition`).
    new_conditions: Vec<(String, Value)>,
}

#[derive(Debug, Clone)]
enum Edit {
    /// Append a `LambdaConfigurations` entry to a bucket's notification configuration.
    S3Notification(Value, String),
    /// Set `LambdaConfig.<Trigger>` of a user pool.
    CognitoTrigger(String, Value),
}

impl Cx {
    fn api_pos(&self, id: &str) -> Option<usize> {
        self.apis.iter().position(|a| a.id == id)
    }

    fn api(&self, id: &str) -> Option<&ApiBuild> {
        self.api_pos(id).map(|i| &self.apis[i])
    }

    /// Add `api`, replacing the one of the same id.
    fn put_api(&mut self, api: ApiBuild) {
        match self.api_pos(&api.id) {
            Some(i) => self.apis[i] = api,
            None => self.apis.push(api),
        }
    }

    fn warn(&mut self, msg: impl Into<String>, span: Span) {
        self.diags.push((msg.into(), span));
    }
}

/// Expand `AWS::Serverless::*` resources into what the SAM transform generates.
pub fn expand(t: &mut Template) -> Result<(), ParseError> {
    let mut cx = Cx {
        apis: Vec::new(),
        globals: t.root.get("Globals").cloned(),
        diags: Vec::new(),
        edits: Vec::new(),
        ids: t
            .resources
            .iter()
            .map(|r| (r.id.clone(), r.type_.clone()))
            .collect(),
        new_conditions: Vec::new(),
    };
    if let Some(g) = &cx.globals {
        if g.as_map().is_none() {
            cx.warn(
                "`Globals` must be a map of sections (Function, Api, HttpApi, ...)",
                g.span,
            );
        }
    }
    let originals = std::mem::take(&mut t.resources);
    // Globals first (they also reach the implicit APIs, created below).
    let mut sam: Vec<Resource> = Vec::with_capacity(originals.len());
    for mut r in originals {
        if r.type_.starts_with("AWS::Serverless::")
            && !r.properties.is_null()
            && (r.properties.as_map().is_none() || r.properties.intrinsic().is_some())
        {
            cx.warn(
                format!(
                    "the `Properties` of `{}` must be a map; it is read as empty",
                    r.id
                ),
                r.properties.span,
            );
            r.properties = mk::empty(r.span);
        }
        if let Some(section) = globals_section(&r.type_) {
            apply_globals(&mut cx, section, &mut r, &t.root);
        }
        sam.push(r);
    }
    // Explicit APIs.
    for r in &sam {
        let kind = match r.type_.as_str() {
            "AWS::Serverless::Api" => ApiKind::Rest,
            "AWS::Serverless::HttpApi" => ApiKind::Http,
            _ => continue,
        };
        cx.put_api(ApiBuild {
            id: r.id.clone(),
            kind,
            span: r.span,
            props: r.properties.clone(),
            implicit: false,
            condition: r.condition.clone(),
            routes: Vec::new(),
            route_conditions: Vec::new(),
        });
    }
    // Functions, state machines and the rest; APIs are filled in after all events are known.
    let mut slots: Vec<Vec<Resource>> = Vec::with_capacity(sam.len());
    let mut api_slots: Vec<(usize, String)> = Vec::new();
    for r in &sam {
        let out = match r.type_.as_str() {
            "AWS::Serverless::Function" => expand_function(&mut cx, r),
            "AWS::Serverless::StateMachine" => expand_state_machine(&mut cx, r),
            "AWS::Serverless::SimpleTable" => vec![expand_simple_table(r)],
            "AWS::Serverless::LayerVersion" => vec![expand_layer(r)],
            "AWS::Serverless::Application" => vec![expand_application(r)],
            // Connectors are expanded once every resource type is known (below).
            "AWS::Serverless::Connector" => Vec::new(),
            "AWS::Serverless::GraphQLApi" => vec![expand_graphql(&mut cx, r)],
            "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                api_slots.push((slots.len(), r.id.clone()));
                Vec::new()
            }
            other if other.starts_with("AWS::Serverless::") => {
                cx.warn(
                    format!("`{other}` is not expanded by pillarlint yet; kept as written"),
                    r.span,
                );
                vec![r.clone()]
            }
            _ => vec![r.clone()],
        };
        slots.push(out);
    }
    for (i, id) in api_slots {
        if let Some(at) = cx.api_pos(&id) {
            let api = cx.apis.remove(at);
            slots[i] = finalize_api(&mut cx, api);
        }
    }
    let mut implicit: Vec<ApiBuild> = std::mem::take(&mut cx.apis);
    crate::sort::sort_by(&mut implicit, |a, b| a.id.cmp(&b.id));
    for mut api in implicit {
        // The implicit API is conditional when every route comes from a conditional function:
        // that condition, or `<Api>Condition` = Fn::Or of them when they differ.
        if api.implicit && api.route_conditions.iter().all(Option::is_some) {
            let mut conds: Vec<String> = api.route_conditions.iter().flatten().cloned().collect();
            crate::sort::sort(&mut conds);
            conds.dedup();
            match conds.as_slice() {
                [] => {}
                [one] => api.condition = Some(one.clone()),
                many => {
                    // `Fn::Or` takes at most 10 conditions: bigger sets are grouped in tens
                    // under `<name><i>` first.
                    let name = format!("{}Condition", api.id);
                    let sp = api.span;
                    let or_of = |names: &[String]| {
                        Value::single(
                            "Fn::Or",
                            sp,
                            seq(
                                sp,
                                names
                                    .iter()
                                    .map(|c| Value::single("Condition", sp, s(c, sp)))
                                    .collect(),
                            ),
                        )
                    };
                    let top: Vec<String> = if many.len() > 10 {
                        many.chunks(10)
                            .enumerate()
                            .map(|(i, chunk)| {
                                let sub_name = format!("{name}{}", i + 1);
                                if chunk.len() == 1 {
                                    chunk[0].clone()
                                } else {
                                    cx.new_conditions.push((sub_name.clone(), or_of(chunk)));
                                    sub_name
                                }
                            })
                            .collect()
                    } else {
                        many.to_vec()
                    };
                    cx.new_conditions.push((name.clone(), or_of(&top)));
                    api.condition = Some(name);
                }
            }
        }
        // The implicit API is dropped when no route was added.
        if !api.routes.is_empty() {
            let out = finalize_api(&mut cx, api);
            slots.push(out);
        }
    }
    let mut resources: Vec<Resource> = slots.into_iter().flatten().collect();
    // Layer renames: every `Ref <Layer>` now points at the hashed id.
    let renames: HashMap<String, String> = resources
        .iter()
        .filter(|r| r.type_ == "AWS::Lambda::LayerVersion")
        .filter_map(|r| match &r.origin {
            super::Origin::Generated { by } if *by != r.id => Some((by.clone(), r.id.clone())),
            _ => None,
        })
        .collect();
    for r in &mut resources {
        mk::rename_refs(&mut r.properties, &renames);
    }
    let connectors = connector_specs(&t.root);
    for c in connectors {
        expand_connector(&mut cx, &c, &mut resources);
    }
    apply_edits(&mut cx, &mut resources);
    t.resources = resources;
    t.conditions.extend(std::mem::take(&mut cx.new_conditions));
    for (m, sp) in cx.diags {
        t.warn(m, sp);
    }
    t.reindex();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Globals

fn globals_section(type_: &str) -> Option<&'static str> {
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
fn not_global(section: &str, key: &str) -> bool {
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

fn apply_globals(cx: &mut Cx, section: &str, r: &mut Resource, root: &Value) {
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

// ---------------------------------------------------------------------------------------------
// Helpers

fn gen(
    cx_cond: &Option<String>,
    id: String,
    type_: &str,
    props: Value,
    span: Span,
    by: &str,
) -> Resource {
    let mut r = mk::resource(id, type_, props, span, by);
    r.condition = cx_cond.clone();
    r
}

/// An `AWS::SNS::Subscription` of `endpoint` to `topic`, with the event's `copied` keys.
fn subscription(
    p: &Value,
    endpoint: Value,
    protocol: &str,
    topic: &Value,
    copied: &[&str],
    sp: Span,
) -> Value {
    let mut sub = obj(
        sp,
        vec![
            ("Endpoint", endpoint),
            ("Protocol", s(protocol, sp)),
            ("TopicArn", topic.clone()),
        ],
    );
    for k in copied {
        mk::copy(p, k, &mut sub, k);
    }
    sub
}

/// `Tags`: `<key> = SAM` first, then the user's `Tags` map.
fn created_by_sam(key: &str, props: &Value, span: Span) -> Value {
    let mut tags = vec![obj(
        span,
        vec![("Key", s(key, span)), ("Value", s("SAM", span))],
    )];
    if let Some(user) = props.get("Tags") {
        tags.extend(mk::tag_list(user));
    }
    seq(span, tags)
}

/// A resource's properties, an empty map when it has none.
fn props_or_empty(r: &Resource) -> Value {
    if r.properties.is_null() {
        mk::empty(r.span)
    } else {
        r.properties.clone()
    }
}

/// The CloudFormation resource a SAM resource becomes under its own logical id.
fn declared(r: &Resource, type_: &str, props: Value) -> Resource {
    let mut out = gen(&r.condition, r.id.clone(), type_, props, r.span, &r.id);
    out.origin = super::Origin::Declared;
    out.source_type = Some(r.type_.clone());
    out
}

/// A logical id named by a value: `X` or `{"Ref": X}`.
fn plain_id(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    match v.intrinsic() {
        Some(("Ref", a)) => a.as_str().map(str::to_owned),
        _ => None,
    }
}

/// How a function is invoked by generated resources: the function or its alias.
#[derive(Debug, Clone)]
struct FnTarget {
    id: String,
    alias: Option<String>,
}

impl FnTarget {
    /// For `FunctionName` of permissions and mappings.
    fn name(&self, span: Span) -> Value {
        match &self.alias {
            Some(a) => ref_(a, span),
            None => ref_(&self.id, span),
        }
    }
    /// An ARN of the function (or alias).
    fn arn(&self, span: Span) -> Value {
        match &self.alias {
            Some(a) => ref_(a, span),
            None => getatt(&self.id, "Arn", span),
        }
    }
    /// The `${...}` variable naming the ARN inside an `Fn::Sub`.
    fn sub_var(&self) -> String {
        match &self.alias {
            Some(a) => format!("${{{a}}}"),
            None => format!("${{{}.Arn}}", self.id),
        }
    }
}

fn permission(
    cond: &Option<String>,
    id: String,
    target: &FnTarget,
    principal: &str,
    source_arn: Option<Value>,
    span: Span,
    by: &str,
) -> Resource {
    let mut props = obj(
        span,
        vec![
            ("Action", s("lambda:InvokeFunction", span)),
            ("FunctionName", target.name(span)),
            ("Principal", s(principal, span)),
        ],
    );
    if let Some(a) = source_arn {
        mk::set(&mut props, "SourceArn", a);
    }
    gen(cond, id, "AWS::Lambda::Permission", props, span, by)
}

/// An AWS managed policy ARN, as the translator writes it for the `aws` partition.
fn managed_arn(name: &str, span: Span) -> Value {
    s(format!("arn:aws:iam::aws:policy/{name}"), span)
}

/// AWS managed policies that live under `service-role/`.
const SERVICE_ROLE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
    "AWSConfigRulesExecutionRole",
    "AWSLambdaBasicDurableExecutionRolePolicy",
    "AWSIoTRuleActions",
    "AWSIoTLogging",
    "AmazonAPIGatewayPushToCloudWatchLogs",
    "AWSLambdaReplicator",
    "AWSGlueServiceRole",
    "AmazonSSMAutomationRole",
    "AWSCodeDeployRole",
    "AWSCodeDeployRoleForLambda",
    "AWSBatchServiceRole",
    "AmazonEC2ContainerServiceRole",
    "AmazonEC2ContainerServiceforEC2Role",
    "AmazonEC2RoleforSSM",
    "AWSAppSyncPushToCloudWatchLogs",
    "AmazonECSTaskExecutionRolePolicy",
    "AWS_ConfigRole",
    "AWSIoTThingsRegistration",
];

/// A managed policy named by a string: SAM maps AWS managed policy names to ARNs (its bundled
/// list); we map names that look like AWS's (`AWS…`, `Amazon…`, `…Access`, `…Policy`) and keep
/// anything else (an ARN, a customer policy name) as written.
fn managed_policy_value(v: &Value) -> Value {
    let Some(name) = v.as_str() else {
        return v.clone();
    };
    if name.starts_with("arn:") {
        return v.clone();
    }
    if SERVICE_ROLE_POLICIES.contains(&name) {
        return managed_arn(&format!("service-role/{name}"), v.span);
    }
    let looks_aws = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && (name.starts_with("AWS")
            || name.starts_with("Amazon")
            || name.ends_with("Access")
            || name.ends_with("Policy")
            || name.starts_with("CloudWatch")
            || name.starts_with("IAM")
            || name == "ReadOnlyAccess"
            || name == "AdministratorAccess");
    if looks_aws {
        managed_arn(name, v.span)
    } else {
        v.clone()
    }
}

/// Expand a SAM policy template with the user's parameters.
pub fn expand_policy_template(name: &str, params: &Value, span: Span) -> Result<Value, String> {
    let Some(tpl) = policy_templates().get(name) else {
        return Err(format!("`{name}` is not a SAM policy template"));
    };
    let mut required: Vec<&str> = tpl
        .get("Parameters")
        .and_then(Value::as_map)
        .map(|m| m.iter().map(|(k, _)| k.name.as_str()).collect())
        .unwrap_or_default();
    crate::sort::sort_by(&mut required, |a, b| a.cmp(b));
    for p in &required {
        if params.get(p).is_none() {
            return Err(format!(
                "policy template `{name}` needs parameter `{p}`; SAM rejects the template"
            ));
        }
    }
    let mut def = mk::placed(tpl.get("Definition").unwrap_or(Value::null()), span);
    substitute_params(&mut def, &required, params);
    Ok(def)
}

fn substitute_params(v: &mut Value, names: &[&str], params: &Value) {
    if let Some(("Ref", arg)) = v.intrinsic() {
        if let Some(p) = arg.as_str().filter(|p| names.contains(p)) {
            if let Some(val) = params.get(p) {
                *v = val.clone();
                return;
            }
        }
    }
    match &mut v.node {
        Node::Seq(items) => items
            .iter_mut()
            .for_each(|i| substitute_params(i, names, params)),
        Node::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, i)| substitute_params(i, names, params)),
        _ => {}
    }
}

/// One classified `Policies` entry.
enum PolicyEntry {
    Managed(Value),
    Inline(Value),
    If(Value, Box<PolicyEntry>, Box<PolicyEntry>),
    NoValue(Value),
    Invalid,
}

fn classify_policy(cx: &mut Cx, v: &Value) -> PolicyEntry {
    if let Some((name, arg)) = v.intrinsic() {
        if name == "Fn::If" {
            let items = arg.items();
            if let [c, a, b] = items.as_slice() {
                return PolicyEntry::If(
                    (*c).clone(),
                    Box::new(classify_policy(cx, a)),
                    Box::new(classify_policy(cx, b)),
                );
            }
            cx.warn(
                "`Fn::If` needs [condition, value-if-true, value-if-false]",
                v.span,
            );
            return PolicyEntry::Invalid;
        }
        if name == "Ref" && arg.as_str() == Some("AWS::NoValue") {
            return PolicyEntry::NoValue(v.clone());
        }
        return PolicyEntry::Managed(v.clone());
    }
    match &v.node {
        Node::String(_) => PolicyEntry::Managed(managed_policy_value(v)),
        Node::Map(entries) => {
            if v.get("Statement").is_some() {
                return PolicyEntry::Inline(v.clone());
            }
            if let [(k, params)] = entries.as_slice() {
                return match expand_policy_template(&k.name, params, k.span) {
                    Ok(doc) => PolicyEntry::Inline(doc),
                    Err(e) => {
                        cx.warn(e, k.span);
                        PolicyEntry::Invalid
                    }
                };
            }
            cx.warn(
                "a `Policies` entry must be a managed policy name/ARN, a policy document with `Statement`, or one policy template",
                v.span,
            );
            PolicyEntry::Invalid
        }
        _ => {
            cx.warn("unsupported `Policies` entry", v.span);
            PolicyEntry::Invalid
        }
    }
}

fn is_inline(e: &PolicyEntry) -> bool {
    match e {
        PolicyEntry::Inline(_) => true,
        PolicyEntry::If(_, a, b) => is_inline(a) || is_inline(b),
        _ => false,
    }
}

fn inline_value(e: PolicyEntry, name: &str, span: Span) -> Value {
    match e {
        PolicyEntry::Inline(doc) => obj(
            doc.span,
            vec![("PolicyName", s(name, span)), ("PolicyDocument", doc)],
        ),
        PolicyEntry::If(c, a, b) => Value::single(
            "Fn::If",
            span,
            seq(
                span,
                vec![
                    c,
                    inline_value(*a, name, span),
                    inline_value(*b, name, span),
                ],
            ),
        ),
        PolicyEntry::Managed(v) | PolicyEntry::NoValue(v) => v,
        PolicyEntry::Invalid => ref_("AWS::NoValue", span),
    }
}

fn managed_value(e: PolicyEntry, span: Span) -> Value {
    match e {
        PolicyEntry::Managed(v) | PolicyEntry::NoValue(v) | PolicyEntry::Inline(v) => v,
        PolicyEntry::If(c, a, b) => Value::single(
            "Fn::If",
            span,
            seq(
                span,
                vec![c, managed_value(*a, span), managed_value(*b, span)],
            ),
        ),
        PolicyEntry::Invalid => ref_("AWS::NoValue", span),
    }
}

/// An implicit execution role (`<Owner>Role`) built from SAM's `Policies` and the extras.
#[allow(clippy::too_many_arguments)]
fn build_role(
    cx: &mut Cx,
    owner: &str,
    cond: &Option<String>,
    props: &Value,
    service: &str,
    first_managed: Vec<Value>,
    extra_inline: Vec<Value>,
    span: Span,
    created_by: Option<&str>,
) -> Resource {
    let mut managed: Vec<Value> = first_managed;
    let mut inline: Vec<Value> = Vec::new();
    if let Some(policies) = props.get("Policies") {
        let entries: Vec<&Value> = match &policies.node {
            Node::Map(_) if policies.intrinsic().is_none() => vec![policies],
            _ => policies.items(),
        };
        for (i, p) in entries.into_iter().enumerate() {
            let e = classify_policy(cx, p);
            let name = format!("{owner}RolePolicy{i}");
            match e {
                PolicyEntry::Invalid => {}
                e if is_inline(&e) => inline.push(inline_value(e, &name, p.span)),
                e => {
                    let v = managed_value(e, p.span);
                    if !managed.contains(&v) {
                        managed.push(v);
                    }
                }
            }
        }
    }
    inline.extend(extra_inline);
    let assume = props
        .get("AssumeRolePolicyDocument")
        .cloned()
        .unwrap_or_else(|| assume_role_document(service, span));
    let mut role = obj(span, vec![("AssumeRolePolicyDocument", assume)]);
    mk::set(&mut role, "ManagedPolicyArns", seq(span, managed));
    if !inline.is_empty() {
        mk::set(&mut role, "Policies", seq(span, inline));
    }
    mk::copy(
        props,
        "PermissionsBoundary",
        &mut role,
        "PermissionsBoundary",
    );
    mk::copy(props, "RolePath", &mut role, "Path");
    if let Some(k) = created_by {
        mk::set(&mut role, "Tags", created_by_sam(k, props, span));
    }
    gen(
        cond,
        format!("{owner}Role"),
        "AWS::IAM::Role",
        role,
        span,
        owner,
    )
}

/// The trust policy SAM gives the roles it generates: `service` may assume the role.
fn assume_role_document(service: &str, span: Span) -> Value {
    mk::policy_document(
        vec![obj(
            span,
            vec![
                ("Action", seq(span, vec![s("sts:AssumeRole", span)])),
                ("Effect", s("Allow", span)),
                (
                    "Principal",
                    obj(span, vec![("Service", seq(span, vec![s(service, span)]))]),
                ),
            ],
        )],
        span,
    )
}

/// The `AWS::Events::Rule` properties a `Schedule`, `CloudWatchEvent` or `EventBridgeRule`
/// event writes before its target.
fn events_rule(ty: &str, p: &Value, sp: Span) -> Value {
    let mut rule = mk::empty(sp);
    if ty == "Schedule" {
        mk::copy(p, "Schedule", &mut rule, "ScheduleExpression");
    } else {
        mk::copy(p, "Pattern", &mut rule, "EventPattern");
        mk::copy(p, "EventBusName", &mut rule, "EventBusName");
    }
    for k in ["Name", "Description", "State"] {
        mk::copy(p, k, &mut rule, k);
    }
    rule
}

fn statement_policy(name: &str, actions: &[&str], resource: Value, span: Span) -> Value {
    obj(
        span,
        vec![
            ("PolicyName", s(name, span)),
            (
                "PolicyDocument",
                mk::policy_document(vec![mk::allow(actions, resource, span)], span),
            ),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Functions

/// Properties copied unchanged from `AWS::Serverless::Function` to `AWS::Lambda::Function`.
const FUNCTION_PASSTHROUGH: &[&str] = &[
    "Handler",
    "Runtime",
    "Description",
    "MemorySize",
    "Timeout",
    "Environment",
    "KmsKeyArn",
    "VpcConfig",
    "EphemeralStorage",
    "ReservedConcurrentExecutions",
    "Layers",
    "Architectures",
    "FileSystemConfigs",
    "CodeSigningConfigArn",
    "ImageConfig",
    "PackageType",
    "FunctionName",
    "LoggingConfig",
    "RecursiveLoop",
    "RuntimeManagementConfig",
    "SnapStart",
    "TenancyConfig",
];

fn code_of(props: &Value, span: Span) -> Option<Value> {
    if let Some(inline) = props.get("InlineCode") {
        return Some(obj(inline.span, vec![("ZipFile", inline.clone())]));
    }
    if let Some(img) = props.get("ImageUri") {
        return Some(obj(img.span, vec![("ImageUri", img.clone())]));
    }
    let uri = props.get("CodeUri")?;
    if let Some(text) = uri.as_str() {
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            return Some(obj(
                uri.span,
                vec![
                    ("S3Bucket", s(bucket, uri.span)),
                    ("S3Key", s(key, uri.span)),
                ],
            ));
        }
        // A local path: `sam package` uploads it; the key is what we know.
        return Some(obj(uri.span, vec![("S3Key", uri.clone())]));
    }
    if uri.intrinsic().is_none() && uri.as_map().is_some() {
        let mut code = mk::empty(uri.span);
        mk::copy(uri, "Bucket", &mut code, "S3Bucket");
        mk::copy(uri, "Key", &mut code, "S3Key");
        mk::copy(uri, "Version", &mut code, "S3ObjectVersion");
        return Some(code);
    }
    Some(obj(span, vec![("S3Key", uri.clone())]))
}

fn expand_function(cx: &mut Cx, r: &Resource) -> Vec<Resource> {
    let id = r.id.as_str();
    let span = r.span;
    let props = props_or_empty(r);
    let cond = &r.condition;
    let mut out = Vec::new();
    let mut extra: Vec<Resource> = Vec::new();
    let mut f = mk::empty(span);
    if let Some(code) = code_of(&props, span) {
        mk::set(&mut f, "Code", code);
    }
    for k in FUNCTION_PASSTHROUGH {
        mk::copy(&props, k, &mut f, k);
    }
    if let Some(tr) = props.get("Tracing") {
        mk::set(
            &mut f,
            "TracingConfig",
            obj(tr.span, vec![("Mode", tr.clone())]),
        );
    }
    if let Some(dlq) = props.get("DeadLetterQueue") {
        if let Some(arn) = dlq.get("TargetArn") {
            mk::set(
                &mut f,
                "DeadLetterConfig",
                obj(dlq.span, vec![("TargetArn", arn.clone())]),
            );
        }
    }
    // Tags: `lambda:createdBy = SAM` first, then the user's.
    mk::set(
        &mut f,
        "Tags",
        created_by_sam("lambda:createdBy", &props, span),
    );

    // Alias and version.
    let alias = props
        .get("AutoPublishAlias")
        .and_then(Value::as_str)
        .map(|a| {
            let name: String = a
                .chars()
                .map(|c| match c {
                    '-' => 'D',
                    '_' => 'U',
                    c => c,
                })
                .collect();
            (a.to_owned(), format!("{id}Alias{name}"))
        });
    let target = FnTarget {
        id: id.to_owned(),
        alias: alias.as_ref().map(|(_, aid)| aid.clone()),
    };
    if let Some((alias_name, alias_id)) = &alias {
        let hash_input = f.get("Code").map(mk::canonical_json).unwrap_or_default();
        let version_id = format!("{id}Version{}", mk::h10(&hash_input));
        extra.push(gen(
            cond,
            version_id.clone(),
            "AWS::Lambda::Version",
            obj(span, vec![("FunctionName", ref_(id, span))]),
            span,
            id,
        ));
        let mut a = obj(
            span,
            vec![
                ("Name", s(alias_name, span)),
                ("FunctionName", ref_(id, span)),
                ("FunctionVersion", getatt(&version_id, "Version", span)),
            ],
        );
        mk::copy(
            &props,
            "ProvisionedConcurrencyConfig",
            &mut a,
            "ProvisionedConcurrencyConfig",
        );
        extra.push(gen(
            cond,
            alias_id.clone(),
            "AWS::Lambda::Alias",
            a,
            span,
            id,
        ));
    }

    // Role.
    let mut role_managed: Vec<Value> = Vec::new();
    let mut role_inline: Vec<Value> = Vec::new();
    if let Some(dlq) = props.get("DeadLetterQueue") {
        let is_sns = dlq.get("Type").and_then(Value::as_str) == Some("SNS");
        if let Some(arn) = dlq.get("TargetArn") {
            role_inline.push(statement_policy(
                "DeadLetterQueuePolicy",
                if is_sns {
                    &["sns:Publish"]
                } else {
                    &["sqs:SendMessage"]
                },
                arn.clone(),
                dlq.span,
            ));
        }
    }

    // Events.
    let mut http_default_owned: Vec<String> = Vec::new();
    if let Some(events) = props.get("Events") {
        match events.as_map() {
            Some(entries) => {
                // HttpApi events sorted so `$default` (no path) comes first, as SAM does.
                let mut ordered: Vec<_> = entries.iter().collect();
                crate::sort::sort_by_key(&mut ordered, |(_, ev)| {
                    let is_http = ev.get("Type").and_then(Value::as_str) == Some("HttpApi");
                    let has_path = ev.get_path(&["Properties", "Path"]).is_some();
                    !is_http || has_path
                });
                for (k, ev) in ordered {
                    function_event(
                        cx,
                        &target,
                        cond,
                        &k.name,
                        k.span,
                        ev,
                        &mut extra,
                        &mut role_managed,
                        &mut role_inline,
                        &mut http_default_owned,
                    );
                }
            }
            None => cx.warn(
                "`Events` must be a map of event names to events",
                events.span,
            ),
        }
    }

    // Function URL.
    if let Some(url) = props.get("FunctionUrlConfig") {
        let sp = url.span;
        let mut u = obj(sp, vec![("TargetFunctionArn", target.name(sp))]);
        for k in ["AuthType", "Cors", "InvokeMode"] {
            mk::copy(url, k, &mut u, k);
        }
        if let Some((_, a)) = &alias {
            mk::set(&mut u, "Qualifier", s(a.clone(), sp));
        }
        extra.push(gen(cond, format!("{id}Url"), "AWS::Lambda::Url", u, sp, id));
        if url.get("AuthType").and_then(Value::as_str) == Some("NONE") {
            let mut p = permission(
                cond,
                format!("{id}UrlPublicPermissions"),
                &target,
                "*",
                None,
                sp,
                id,
            );
            mk::set(
                &mut p.properties,
                "Action",
                s("lambda:InvokeFunctionUrl", sp),
            );
            mk::set(&mut p.properties, "FunctionUrlAuthType", s("NONE", sp));
            extra.push(p);
            let mut p2 = permission(
                cond,
                format!("{id}URLInvokeAllowPublicAccess"),
                &target,
                "*",
                None,
                sp,
                id,
            );
            mk::set(
                &mut p2.properties,
                "InvokedViaFunctionUrl",
                boolean(true, sp),
            );
            extra.push(p2);
        }
    }

    // Event invoke config.
    if let Some(eic) = props.get("EventInvokeConfig") {
        let sp = eic.span;
        let mut e = obj(
            sp,
            vec![
                ("FunctionName", ref_(id, sp)),
                (
                    "Qualifier",
                    s(alias.as_ref().map_or("$LATEST", |(a, _)| a.as_str()), sp),
                ),
            ],
        );
        mk::copy(
            eic,
            "MaximumEventAgeInSeconds",
            &mut e,
            "MaximumEventAgeInSeconds",
        );
        mk::copy(eic, "MaximumRetryAttempts", &mut e, "MaximumRetryAttempts");
        if let Some(dc) = eic.get("DestinationConfig") {
            let mut out_dc = mk::empty(dc.span);
            for which in ["OnSuccess", "OnFailure"] {
                let Some(d) = dc.get(which) else { continue };
                let kind = d.get("Type").and_then(Value::as_str).unwrap_or("");
                let dest = match d.get("Destination") {
                    Some(x) => x.clone(),
                    None => {
                        let (suffix, ty, attr) = match kind {
                            "SQS" => ("Queue", "AWS::SQS::Queue", "Arn"),
                            "SNS" => ("Topic", "AWS::SNS::Topic", ""),
                            _ => {
                                cx.warn(format!("`{which}` needs a `Destination`"), d.span);
                                continue;
                            }
                        };
                        let qid = format!("{id}EventInvokeConfig{which}{suffix}");
                        extra.push(gen(cond, qid.clone(), ty, mk::empty(d.span), d.span, id));
                        if attr.is_empty() {
                            ref_(&qid, d.span)
                        } else {
                            getatt(&qid, attr, d.span)
                        }
                    }
                };
                let (actions, k): (&[&str], &str) = match kind {
                    "SQS" => (&["sqs:SendMessage"], "SQS"),
                    "SNS" => (&["sns:Publish"], "SNS"),
                    "Lambda" => (&["lambda:InvokeFunction"], "Lambda"),
                    "EventBridge" => (&["events:PutEvents"], "EventBridge"),
                    "S3" | "S3Bucket" => (&["s3:PutObject", "s3:ListBucket"], "S3"),
                    _ => (&[], ""),
                };
                if !actions.is_empty() {
                    role_inline.push(statement_policy(
                        &format!("{id}EventInvokeConfig{which}{k}Policy"),
                        actions,
                        dest.clone(),
                        d.span,
                    ));
                }
                mk::set(&mut out_dc, which, obj(d.span, vec![("Destination", dest)]));
            }
            mk::set(&mut e, "DestinationConfig", out_dc);
        }
        extra.push(gen(
            cond,
            format!("{id}EventInvokeConfig"),
            "AWS::Lambda::EventInvokeConfig",
            e,
            sp,
            id,
        ));
    }

    match props.get("Role") {
        Some(role) => {
            mk::set(&mut f, "Role", role.clone());
        }
        None => {
            let mut first = vec![managed_arn(
                "service-role/AWSLambdaBasicExecutionRole",
                span,
            )];
            if props
                .get("Tracing")
                .and_then(Value::as_str)
                .is_some_and(|m| m != "Disabled")
            {
                first.push(managed_arn("AWSXrayWriteOnlyAccess", span));
            }
            if props.get("VpcConfig").is_some() {
                first.push(managed_arn(
                    "service-role/AWSLambdaVPCAccessExecutionRole",
                    span,
                ));
            }
            let mut role = build_role(
                cx,
                id,
                cond,
                &props,
                "lambda.amazonaws.com",
                first,
                role_inline,
                span,
                Some("lambda:createdBy"),
            );
            if let Some(list) = mk::get_mut(&mut role.properties, "ManagedPolicyArns") {
                for m in role_managed {
                    if !list.items().contains(&&m) {
                        mk::push(list, m);
                    }
                }
            }
            mk::set(&mut f, "Role", getatt(&role.id, "Arn", span));
            extra.insert(0, role);
        }
    }

    let mut func = gen(cond, id.to_owned(), "AWS::Lambda::Function", f, span, id);
    func.origin = super::Origin::Declared;
    func.source_type = Some(r.type_.clone());
    func.metadata = r.metadata.clone();
    func.depends_on = r.depends_on.clone();
    out.push(func);
    out.extend(extra);
    out
}

#[allow(clippy::too_many_arguments)]
fn function_event(
    cx: &mut Cx,
    target: &FnTarget,
    cond: &Option<String>,
    ev: &str,
    ev_span: Span,
    event: &Value,
    extra: &mut Vec<Resource>,
    role_managed: &mut Vec<Value>,
    role_inline: &mut Vec<Value>,
    http_default_owned: &mut Vec<String>,
) {
    let fid = target.id.as_str();
    let Some(ty) = event.get("Type").and_then(Value::as_str) else {
        cx.warn(format!("event `{ev}` has no `Type`"), ev_span);
        return;
    };
    let p = event
        .get("Properties")
        .cloned()
        .unwrap_or_else(|| mk::empty(ev_span));
    let eid = format!("{fid}{ev}");
    let sp = ev_span;
    // Pull sources with `DestinationConfig.OnFailure.Type` give the role `<Fn><Ev><Type>Policy`;
    // `Type` itself is not a CloudFormation property and is dropped.
    if matches!(
        ty,
        "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB"
    ) {
        if let Some(of) = p.get_path(&["DestinationConfig", "OnFailure"]) {
            let kind = of.get("Type").and_then(Value::as_str);
            if let (Some(kind), Some(dest)) = (kind, of.get("Destination")) {
                let action: &[&str] = match kind {
                    "SQS" => &["sqs:SendMessage"],
                    "SNS" => &["sns:publish"],
                    "S3" => &["s3:PutObject", "s3:ListBucket"],
                    _ => &[],
                };
                if !action.is_empty() {
                    role_inline.push(statement_policy(
                        &format!("{eid}{kind}Policy"),
                        action,
                        dest.clone(),
                        of.span,
                    ));
                }
            }
        }
    }
    let mapping = |extra: &mut Vec<Resource>, arn_key: &str, p: &Value| {
        let mut m = obj(sp, vec![("FunctionName", target.name(sp))]);
        if let Some(a) = p.get(arn_key) {
            mk::set(&mut m, "EventSourceArn", a.clone());
        }
        for (k, v) in p.as_map().unwrap_or(&[]) {
            if k.name != arn_key && !matches!(k.name.as_str(), "Queue" | "Stream" | "Broker") {
                let mut v = v.clone();
                if k.name == "DestinationConfig" {
                    if let Some(of) = mk::get_mut(&mut v, "OnFailure") {
                        mk::remove(of, "Type");
                    }
                }
                mk::set(&mut m, &k.name, v);
            }
        }
        extra.push(gen(
            cond,
            eid.clone(),
            "AWS::Lambda::EventSourceMapping",
            m,
            sp,
            fid,
        ));
    };
    match ty {
        "Api" => {
            let (api, suffix) = match p.get("RestApiId") {
                None => {
                    ensure_implicit(cx, ApiKind::Rest, sp);
                    (Some(IMPLICIT_REST_API.to_owned()), "Prod".to_owned())
                }
                Some(v) => match plain_id(v) {
                    Some(api) => {
                        let suffix = match cx.api(&api).and_then(|a| a.props.get("StageName")) {
                            Some(st) => match st.as_str() {
                                Some(n) if mk::is_alnum(n) => n.to_owned(),
                                Some(n) => mk::h10(n),
                                None => "Stage".to_owned(),
                            },
                            None => "Stage".to_owned(),
                        };
                        (Some(api), suffix)
                    }
                    None => (None, "AllStages".to_owned()),
                },
            };
            let path = p.get("Path").and_then(Value::as_str);
            let method = p.get("Method").and_then(Value::as_str);
            let (Some(path), Some(method)) = (path, method) else {
                cx.warn(format!("Api event `{ev}` needs `Path` and `Method`"), sp);
                return;
            };
            let path_span = p.get("Path").map_or(sp, |v| v.span);
            let op = op_key(method);
            let arn_method = if op == "x-amazon-apigateway-any-method" {
                "*".to_owned()
            } else {
                method.to_ascii_uppercase()
            };
            let arn_path = path.trim_end_matches('/');
            let api_ref = api.clone().unwrap_or_default();
            extra.push(permission(
                cond,
                format!("{eid}Permission{suffix}"),
                target,
                "apigateway.amazonaws.com",
                Some(execute_api_any_stage(
                    &format!("{arn_method}{arn_path}"),
                    p.get("RestApiId")
                        .cloned()
                        .unwrap_or_else(|| ref_(&api_ref, sp)),
                    sp,
                )),
                sp,
                fid,
            ));
            let operation = obj(
                path_span,
                vec![
                    (
                        "x-amazon-apigateway-integration",
                        mk::lambda_proxy(
                            sub(mk::invocations_uri(&target.sub_var()), path_span),
                            None,
                            path_span,
                        ),
                    ),
                    ("responses", mk::empty(path_span)),
                ],
            );
            add_route(
                cx,
                api.as_deref(),
                ApiKind::Rest,
                path,
                &op,
                operation,
                p.get("Auth").cloned(),
                path_span,
                cond,
            );
        }
        "HttpApi" => {
            let api = match p.get("ApiId") {
                None => {
                    ensure_implicit(cx, ApiKind::Http, sp);
                    Some(IMPLICIT_HTTP_API.to_owned())
                }
                Some(v) => plain_id(v),
            };
            let (path, method) = match (
                p.get("Path").and_then(Value::as_str),
                p.get("Method").and_then(Value::as_str),
            ) {
                (Some(pa), Some(m)) => (pa.to_owned(), m.to_owned()),
                (Some(pa), None) => (pa.to_owned(), "ANY".to_owned()),
                _ => ("$default".to_owned(), "ANY".to_owned()),
            };
            let path_span = p.get("Path").map_or(sp, |v| v.span);
            let is_default = path == "$default";
            let api_key_id = api.clone().unwrap_or_default();
            if !http_default_owned.contains(&api_key_id) || is_default {
                let arn_tail = if is_default {
                    "*".to_owned()
                } else {
                    let m = if method.eq_ignore_ascii_case("ANY") {
                        "*".to_owned()
                    } else {
                        method.to_ascii_uppercase()
                    };
                    format!("{m}{path}")
                };
                let api_ref = p
                    .get("ApiId")
                    .cloned()
                    .unwrap_or_else(|| ref_(api.as_deref().unwrap_or(IMPLICIT_HTTP_API), sp));
                extra.push(permission(
                    cond,
                    format!("{eid}Permission"),
                    target,
                    "apigateway.amazonaws.com",
                    Some(execute_api_any_stage(&arn_tail, api_ref, sp)),
                    sp,
                    fid,
                ));
            }
            if is_default {
                http_default_owned.push(api_key_id);
            }
            let mut integration = mk::lambda_proxy(
                sub(mk::invocations_uri(&target.sub_var()), path_span),
                Some("2.0"),
                path_span,
            );
            if let Some(pf) = p.get("PayloadFormatVersion") {
                mk::set(&mut integration, "payloadFormatVersion", pf.clone());
            }
            if let Some(to) = p.get("TimeoutInMillis") {
                mk::set(&mut integration, "timeoutInMillis", to.clone());
            }
            let operation = obj(
                path_span,
                vec![
                    ("x-amazon-apigateway-integration", integration),
                    ("responses", mk::empty(path_span)),
                ],
            );
            add_route(
                cx,
                api.as_deref(),
                ApiKind::Http,
                &path,
                &op_key(&method),
                operation,
                p.get("Auth").cloned(),
                path_span,
                cond,
            );
        }
        "SQS" => {
            role_managed.push(managed_arn(
                "service-role/AWSLambdaSQSQueueExecutionRole",
                sp,
            ));
            mapping(extra, "Queue", &p);
        }
        "Kinesis" => {
            role_managed.push(managed_arn(
                "service-role/AWSLambdaKinesisExecutionRole",
                sp,
            ));
            mapping(extra, "Stream", &p);
        }
        "DynamoDB" => {
            role_managed.push(managed_arn(
                "service-role/AWSLambdaDynamoDBExecutionRole",
                sp,
            ));
            mapping(extra, "Stream", &p);
        }
        "MSK" => {
            role_managed.push(managed_arn("service-role/AWSLambdaMSKExecutionRole", sp));
            mapping(extra, "Stream", &p);
        }
        "MQ" => {
            if let Some(b) = p.get("Broker") {
                role_inline.push(statement_policy(
                    "SamAutoGeneratedAMQPolicy",
                    &[
                        "mq:DescribeBroker",
                        "secretsmanager:GetSecretValue",
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DeleteNetworkInterface",
                    ],
                    b.clone(),
                    sp,
                ));
            }
            mapping(extra, "Broker", &p);
        }
        "SelfManagedKafka" | "DocumentDB" => mapping(extra, "Cluster", &p),
        "SNS" => {
            let topic = p.get("Topic").cloned().unwrap_or_else(|| s("", sp));
            let sqs = p.get("SqsSubscription");
            if let Some(sq) = sqs.filter(|v| v.as_bool() != Some(false)) {
                let (queue_arn, queue_url) = if sq.as_bool() == Some(true) {
                    let qid = format!("{eid}Queue");
                    extra.push(gen(
                        cond,
                        qid.clone(),
                        "AWS::SQS::Queue",
                        mk::empty(sp),
                        sp,
                        fid,
                    ));
                    (getatt(&qid, "Arn", sp), ref_(&qid, sp))
                } else {
                    (
                        sq.get("QueueArn").cloned().unwrap_or_else(|| s("", sp)),
                        sq.get("QueueUrl").cloned().unwrap_or_else(|| s("", sp)),
                    )
                };
                let policy_doc = mk::policy_document(
                    vec![obj(
                        sp,
                        vec![
                            ("Action", s("sqs:SendMessage", sp)),
                            ("Effect", s("Allow", sp)),
                            ("Principal", s("*", sp)),
                            ("Resource", queue_arn.clone()),
                            (
                                "Condition",
                                obj(
                                    sp,
                                    vec![(
                                        "ArnEquals",
                                        obj(sp, vec![("aws:SourceArn", topic.clone())]),
                                    )],
                                ),
                            ),
                        ],
                    )],
                    sp,
                );
                extra.push(gen(
                    cond,
                    format!("{eid}QueuePolicy"),
                    "AWS::SQS::QueuePolicy",
                    obj(
                        sp,
                        vec![
                            ("PolicyDocument", policy_doc),
                            ("Queues", seq(sp, vec![queue_url])),
                        ],
                    ),
                    sp,
                    fid,
                ));
                let sub = subscription(&p, queue_arn.clone(), "sqs", &topic, &["FilterPolicy"], sp);
                extra.push(gen(
                    cond,
                    eid.clone(),
                    "AWS::SNS::Subscription",
                    sub,
                    sp,
                    fid,
                ));
                role_managed.push(managed_arn(
                    "service-role/AWSLambdaSQSQueueExecutionRole",
                    sp,
                ));
                extra.push(gen(
                    cond,
                    format!("{eid}EventSourceMapping"),
                    "AWS::Lambda::EventSourceMapping",
                    obj(
                        sp,
                        vec![
                            ("FunctionName", target.name(sp)),
                            ("EventSourceArn", queue_arn),
                            ("BatchSize", num(10, sp)),
                        ],
                    ),
                    sp,
                    fid,
                ));
            } else {
                let copied = [
                    "FilterPolicy",
                    "FilterPolicyScope",
                    "Region",
                    "RedrivePolicy",
                ];
                let sub = subscription(&p, target.arn(sp), "lambda", &topic, &copied, sp);
                extra.push(gen(
                    cond,
                    eid.clone(),
                    "AWS::SNS::Subscription",
                    sub,
                    sp,
                    fid,
                ));
                extra.push(permission(
                    cond,
                    format!("{eid}Permission"),
                    target,
                    "sns.amazonaws.com",
                    Some(topic),
                    sp,
                    fid,
                ));
            }
        }
        "S3" => {
            let bucket = p.get("Bucket").and_then(plain_id);
            let mut perm = permission(
                cond,
                format!("{eid}Permission"),
                target,
                "s3.amazonaws.com",
                None,
                sp,
                fid,
            );
            mk::set(
                &mut perm.properties,
                "SourceAccount",
                ref_("AWS::AccountId", sp),
            );
            let perm_id = perm.id.clone();
            extra.push(perm);
            match bucket {
                Some(b) if cx.ids.get(&b).is_some_and(|t| t == "AWS::S3::Bucket") => {
                    let events = p.get("Events").map(Value::items).unwrap_or_default();
                    for e in events {
                        let mut lc = obj(e.span, vec![("Event", e.clone()), ("Function", target.arn(sp))]);
                        mk::copy(&p, "Filter", &mut lc, "Filter");
                        cx.edits.push((b.clone(), Edit::S3Notification(lc, perm_id.clone())));
                    }
                }
                _ => cx.warn(
                    format!("S3 event `{ev}`: `Bucket` must reference an AWS::S3::Bucket of this template (SAM rejects it otherwise)"),
                    sp,
                ),
            }
        }
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
            let mut rule = events_rule(ty, &p, sp);
            if p.get("State").is_none() {
                if let Some(en) = p.get("Enabled").and_then(Value::as_bool) {
                    mk::set(
                        &mut rule,
                        "State",
                        s(if en { "ENABLED" } else { "DISABLED" }, sp),
                    );
                }
            }
            let target_id = p.get_path(&["Target", "Id"]).cloned().unwrap_or_else(|| {
                // Target ids are limited to 64 characters: SAM cuts the prefix, keeping
                // the `LambdaTarget` suffix.
                let suffix = "LambdaTarget";
                let keep = 64 - suffix.len();
                let prefix: String = eid.chars().take(keep).collect();
                s(format!("{prefix}{suffix}"), sp)
            });
            let mut tgt = obj(sp, vec![("Arn", target.arn(sp)), ("Id", target_id)]);
            for k in ["Input", "InputPath", "InputTransformer", "RetryPolicy"] {
                mk::copy(&p, k, &mut tgt, k);
            }
            mk::set(&mut rule, "Targets", seq(sp, vec![tgt]));
            extra.push(gen(cond, eid.clone(), "AWS::Events::Rule", rule, sp, fid));
            extra.push(permission(
                cond,
                format!("{eid}Permission"),
                target,
                "events.amazonaws.com",
                Some(getatt(&eid, "Arn", sp)),
                sp,
                fid,
            ));
        }
        "ScheduleV2" => {
            let role_arn = match p.get("RoleArn") {
                Some(r) => r.clone(),
                None => {
                    let rid = format!("{eid}Role");
                    let role_props = obj(sp, vec![]);
                    let mut role = build_role(
                        cx,
                        &eid,
                        cond,
                        &role_props,
                        "scheduler.amazonaws.com",
                        Vec::new(),
                        vec![statement_policy(
                            &format!("{eid}LambdaPolicy"),
                            &["lambda:InvokeFunction"],
                            target.arn(sp),
                            sp,
                        )],
                        sp,
                        None,
                    );
                    role.id = rid.clone();
                    mk::remove(&mut role.properties, "ManagedPolicyArns");
                    extra.push(role);
                    getatt(&rid, "Arn", sp)
                }
            };
            let mut sched = obj(
                sp,
                vec![(
                    "FlexibleTimeWindow",
                    p.get("FlexibleTimeWindow")
                        .cloned()
                        .unwrap_or_else(|| obj(sp, vec![("Mode", s("OFF", sp))])),
                )],
            );
            for k in [
                "ScheduleExpression",
                "ScheduleExpressionTimezone",
                "Name",
                "Description",
                "State",
                "GroupName",
                "StartDate",
                "EndDate",
                "KmsKeyArn",
            ] {
                mk::copy(&p, k, &mut sched, k);
            }
            let mut tgt = obj(sp, vec![("Arn", target.arn(sp)), ("RoleArn", role_arn)]);
            mk::copy(&p, "Input", &mut tgt, "Input");
            mk::copy(&p, "RetryPolicy", &mut tgt, "RetryPolicy");
            mk::set(&mut sched, "Target", tgt);
            extra.push(gen(
                cond,
                eid.clone(),
                "AWS::Scheduler::Schedule",
                sched,
                sp,
                fid,
            ));
        }
        "CloudWatchLogs" => {
            let perm_id = format!("{eid}Permission");
            let log_group = p.get("LogGroupName").cloned().unwrap_or_else(|| s("", sp));
            let src = sub_with_api(
                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*",
                log_group.clone(),
                sp,
            );
            let src = rename_sub_var(src, "__ApiId__", "__LogGroupName__");
            extra.push(permission(
                cond,
                perm_id.clone(),
                target,
                "logs.amazonaws.com",
                Some(src),
                sp,
                fid,
            ));
            let mut f = obj(
                sp,
                vec![
                    ("DestinationArn", target.arn(sp)),
                    ("LogGroupName", log_group),
                ],
            );
            mk::copy(&p, "FilterPattern", &mut f, "FilterPattern");
            let mut r = gen(
                cond,
                eid.clone(),
                "AWS::Logs::SubscriptionFilter",
                f,
                sp,
                fid,
            );
            r.depends_on.push(perm_id);
            extra.push(r);
        }
        "IoTRule" => {
            let mut payload = obj(
                sp,
                vec![
                    ("RuleDisabled", boolean(false, sp)),
                    (
                        "Actions",
                        seq(
                            sp,
                            vec![obj(
                                sp,
                                vec![("Lambda", obj(sp, vec![("FunctionArn", target.arn(sp))]))],
                            )],
                        ),
                    ),
                ],
            );
            mk::copy(&p, "Sql", &mut payload, "Sql");
            mk::copy(&p, "AwsIotSqlVersion", &mut payload, "AwsIotSqlVersion");
            extra.push(gen(
                cond,
                eid.clone(),
                "AWS::IoT::TopicRule",
                obj(sp, vec![("TopicRulePayload", payload)]),
                sp,
                fid,
            ));
            let mut perm = permission(cond, format!("{eid}Permission"), target, "iot.amazonaws.com",
                Some(sub(format!("arn:${{AWS::Partition}}:iot:${{AWS::Region}}:${{AWS::AccountId}}:rule/${{{eid}}}"), sp)), sp, fid);
            mk::set(
                &mut perm.properties,
                "SourceAccount",
                ref_("AWS::AccountId", sp),
            );
            extra.push(perm);
        }
        "AlexaSkill" => {
            let mut perm = permission(
                cond,
                format!("{eid}Permission"),
                target,
                "alexa-appkit.amazon.com",
                None,
                sp,
                fid,
            );
            mk::copy(&p, "SkillId", &mut perm.properties, "EventSourceToken");
            extra.push(perm);
        }
        "Cognito" => {
            let pool = p.get("UserPool").and_then(plain_id);
            let perm_id = format!("{fid}CognitoPermission");
            if !extra.iter().any(|r| r.id == perm_id) {
                let src = pool.as_ref().map(|u| getatt(u, "Arn", sp));
                extra.push(permission(
                    cond,
                    perm_id,
                    target,
                    "cognito-idp.amazonaws.com",
                    src,
                    sp,
                    fid,
                ));
            }
            match pool {
                Some(u) if cx.ids.get(&u).is_some_and(|t| t == "AWS::Cognito::UserPool") => {
                    for trig in p.get("Trigger").map(Value::items).unwrap_or_default() {
                        if let Some(name) = trig.as_str() {
                            cx.edits.push((u.clone(), Edit::CognitoTrigger(name.to_owned(), target.arn(trig.span))));
                        }
                    }
                }
                _ => cx.warn(format!("Cognito event `{ev}`: `UserPool` must reference an AWS::Cognito::UserPool of this template"), sp),
            }
        }
        other => cx.warn(
            format!("event type `{other}` of `{fid}` is not expanded by pillarlint yet"),
            sp,
        ),
    }
}

/// `{"Fn::Sub": [text, {"__ApiId__": api}]}`.
/// `arn:...:execute-api:<region>:<account>:<api>/*/<tail>`: the source ARN of a permission
/// for API Gateway to invoke a function from any stage.
fn execute_api_any_stage(tail: &str, api: Value, span: Span) -> Value {
    let mut arn = sub_with_api(
        &format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{__ApiId__}}/${{__Stage__}}/{tail}"),
        api,
        span,
    );
    add_sub_var(&mut arn, "__Stage__", s("*", span));
    arn
}

fn sub_with_api(text: &str, api: Value, span: Span) -> Value {
    Value::single(
        "Fn::Sub",
        span,
        seq(
            span,
            vec![s(text, span), obj(span, vec![("__ApiId__", api)])],
        ),
    )
}

/// Add a variable to an `Fn::Sub: [text, {vars}]`.
fn add_sub_var(v: &mut Value, name: &str, val: Value) {
    if let Node::Map(entries) = &mut v.node {
        if let Some((_, arg)) = entries.first_mut() {
            if let Node::Seq(items) = &mut arg.node {
                if let Some(vars) = items.get_mut(1) {
                    mk::set(vars, name, val);
                }
            }
        }
    }
}

fn rename_sub_var(mut v: Value, from: &str, to: &str) -> Value {
    if let Node::Map(entries) = &mut v.node {
        if let Some((_, arg)) = entries.first_mut() {
            if let Node::Seq(items) = &mut arg.node {
                if let Some(vars) = items.get_mut(1) {
                    if let Node::Map(ve) = &mut vars.node {
                        for (k, _) in ve.iter_mut() {
                            if k.name == from {
                                k.name = to.to_owned();
                            }
                        }
                    }
                }
            }
        }
    }
    v
}

/// The OpenAPI operation key of a method.
fn op_key(method: &str) -> String {
    let m = method.to_ascii_lowercase();
    if m == "any" || m == "x-amazon-apigateway-any-method" {
        "x-amazon-apigateway-any-method".to_owned()
    } else {
        m
    }
}

fn ensure_implicit(cx: &mut Cx, kind: ApiKind, span: Span) {
    let id = match kind {
        ApiKind::Rest => IMPLICIT_REST_API,
        ApiKind::Http => IMPLICIT_HTTP_API,
    };
    if cx.api_pos(id).is_some() {
        return;
    }
    let section = match kind {
        ApiKind::Rest => "Api",
        ApiKind::Http => "HttpApi",
    };
    let mut props = mk::empty(span);
    if kind == ApiKind::Rest {
        mk::set(&mut props, "StageName", s("Prod", span));
    }
    if let Some(g) = cx
        .globals
        .as_ref()
        .and_then(|g| g.get(section))
        .and_then(Value::as_map)
    {
        for (k, v) in g {
            if !not_global(section, &k.name) {
                mk::set(&mut props, &k.name, v.clone());
            }
        }
    }
    cx.put_api(ApiBuild {
        id: id.to_owned(),
        kind,
        span,
        props,
        implicit: true,
        condition: None,
        routes: Vec::new(),
        route_conditions: Vec::new(),
    });
}

#[allow(clippy::too_many_arguments)]
fn add_route(
    cx: &mut Cx,
    api: Option<&str>,
    kind: ApiKind,
    path: &str,
    op: &str,
    operation: Value,
    auth: Option<Value>,
    span: Span,
    cond: &Option<String>,
) {
    let Some(api) = api else {
        cx.warn(
            "the API is not a logical ID of this template; the route cannot be placed",
            span,
        );
        return;
    };
    match cx.api_pos(api).map(|i| &mut cx.apis[i]) {
        Some(a) if a.kind == kind => {
            if a.implicit && a.routes.is_empty() {
                a.span = span;
            }
            if a.implicit {
                a.route_conditions.push(cond.clone());
            }
            a.routes.push(RouteAdd {
                path: path.to_owned(),
                op: op.to_owned(),
                operation,
                auth,
                span,
            });
        }
        _ => cx.warn(
            format!(
                "`{api}` is not an AWS::Serverless::{} of this template; SAM rejects the event",
                if kind == ApiKind::Rest {
                    "Api"
                } else {
                    "HttpApi"
                }
            ),
            span,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// APIs

fn finalize_api(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
    match api.kind {
        ApiKind::Rest => finalize_rest(cx, api),
        ApiKind::Http => finalize_http(cx, api),
    }
}

fn stage_suffix(name: &Value) -> String {
    match name.as_str() {
        Some(n) if mk::is_alnum(n) => format!("{n}Stage"),
        Some(n) => format!("Stage{}", mk::h10(n)),
        None => "Stage".to_owned(),
    }
}

fn body_of(cx: &mut Cx, api: &ApiBuild, skeleton: Value) -> Value {
    match api.props.get("DefinitionBody") {
        Some(b) if b.as_map().is_some() && b.intrinsic().is_none() => b.clone(),
        Some(b) => {
            cx.warn(
                format!("`{}`: DefinitionBody is not an inline map (e.g. Fn::Transform include); only routes from Events are known", api.id),
                b.span,
            );
            skeleton
        }
        None => {
            if let Some(u) = api.props.get("DefinitionUri") {
                cx.warn(
                    format!("`{}`: DefinitionUri points at a file pillarlint does not read; only routes from Events are known", api.id),
                    u.span,
                );
            }
            skeleton
        }
    }
}

/// Write the event routes into `body.paths`.
fn write_routes(cx: &mut Cx, body: &mut Value, routes: &[RouteAdd]) {
    let body_span = body.span;
    let paths = mk::entry_map(body, "paths");
    for r in routes {
        let path = mk::entry_map(paths, &r.path);
        if path.get(&r.op).is_some() {
            cx.warn(
                format!("route {} {} is defined twice", r.op, r.path),
                r.span,
            );
        }
        mk::set(path, &r.op, r.operation.clone());
        // Keys of generated paths point at the event's `Path`.
        if let Node::Map(entries) = &mut paths.node {
            if let Some((k, _)) = entries.iter_mut().find(|(k, _)| k.name == r.path) {
                if k.span == Span::default() || k.span == body_span {
                    k.span = r.span;
                }
            }
        }
    }
}

/// `security` for a route: `None` = leave for the default, `Some(list)`.
fn event_security(auth: Option<&Value>, default_scopes: &Value) -> Option<(Option<String>, Value)> {
    let auth = auth?;
    let a = auth.get("Authorizer").and_then(Value::as_str)?;
    let scopes = auth
        .get("AuthorizationScopes")
        .cloned()
        .unwrap_or_else(|| default_scopes.clone());
    Some((Some(a.to_owned()), scopes))
}

fn security_entry(name: &str, scopes: Value, span: Span) -> Value {
    let scopes = if scopes.as_seq().is_some() {
        scopes
    } else {
        seq(span, vec![])
    };
    obj(span, vec![(name, scopes)])
}

/// Operations of a body: (path, op key) pairs, skipping non-operation keys.
fn operations(body: &Value) -> Vec<(String, String)> {
    super::openapi::operations(body)
        .into_iter()
        .map(|o| (o.path.to_owned(), o.key.to_owned()))
        .collect()
}

fn op_mut<'a>(body: &'a mut Value, path: &str, op: &str) -> Option<&'a mut Value> {
    mk::get_mut(mk::get_mut(mk::get_mut(body, "paths")?, path)?, op)
}

/// Apply `Auth` (authorizers, default, per-route, API keys) to a body.
fn apply_auth(cx: &mut Cx, api: &ApiBuild, body: &mut Value) -> Vec<Resource> {
    let mut extra = Vec::new();
    let span = api.span;
    let auth = api.props.get("Auth").cloned();
    let oas3 = api
        .props
        .get("OpenApiVersion")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with('3'))
        || body.get("openapi").is_some();
    let schemes_path: &[&str] = match api.kind {
        ApiKind::Rest if !oas3 => &["securityDefinitions"],
        _ => &["components", "securitySchemes"],
    };
    let mut schemes: Vec<(String, Value)> = Vec::new();
    let mut authorizer_scopes: crate::smap::StrMap<Value> = crate::smap::StrMap::new();
    if let Some(auth) = &auth {
        for (k, a) in auth
            .get("Authorizers")
            .and_then(Value::as_map)
            .unwrap_or(&[])
        {
            let sp = k.span;
            if let Some(sc) = a.get("AuthorizationScopes") {
                authorizer_scopes.insert(k.name.clone(), sc.clone());
            }
            let scheme = match api.kind {
                ApiKind::Rest => {
                    if let Some(pool) = a.get("UserPoolArn") {
                        let header = a
                            .get_path(&["Identity", "Header"])
                            .cloned()
                            .unwrap_or_else(|| s("Authorization", sp));
                        mk::header_scheme(
                            header,
                            Some("cognito_user_pools"),
                            Some(obj(
                                sp,
                                vec![
                                    ("type", s("cognito_user_pools", sp)),
                                    (
                                        "providerARNs",
                                        if pool.as_seq().is_some() {
                                            pool.clone()
                                        } else {
                                            seq(pool.span, vec![pool.clone()])
                                        },
                                    ),
                                ],
                            )),
                            sp,
                        )
                    } else if let Some(farn) = a.get("FunctionArn") {
                        let request =
                            a.get("FunctionPayloadType").and_then(Value::as_str) == Some("REQUEST");
                        let header = a
                            .get_path(&["Identity", "Header"])
                            .cloned()
                            .unwrap_or_else(|| s("Authorization", sp));
                        let mut az = obj(
                            sp,
                            vec![
                                ("type", s(if request { "request" } else { "token" }, sp)),
                                ("authorizerUri", authorizer_uri(farn, sp)),
                            ],
                        );
                        mk::copy(a, "FunctionInvokeRole", &mut az, "authorizerCredentials");
                        if let Some(ttl) = a.get_path(&["Identity", "ReauthorizeEvery"]) {
                            mk::set(&mut az, "authorizerResultTtlInSeconds", ttl.clone());
                        }
                        if !request {
                            mk::set(
                                &mut az,
                                "identitySource",
                                s(
                                    format!(
                                        "method.request.header.{}",
                                        header.as_str().unwrap_or("Authorization")
                                    ),
                                    sp,
                                ),
                            );
                        }
                        if a.get("DisableFunctionDefaultPermissions")
                            .and_then(Value::as_bool)
                            != Some(true)
                        {
                            extra.push(authorizer_permission(api, &k.name, farn, sp));
                        }
                        mk::header_scheme(
                            if request { s("Unused", sp) } else { header },
                            Some("custom"),
                            Some(az),
                            sp,
                        )
                    } else {
                        cx.warn(
                            format!(
                                "authorizer `{}` needs `UserPoolArn` or `FunctionArn`",
                                k.name
                            ),
                            sp,
                        );
                        continue;
                    }
                }
                ApiKind::Http => {
                    if let Some(jwt) = a.get("JwtConfiguration") {
                        let mut az = obj(sp, vec![("type", s("jwt", sp))]);
                        let mut jc = mk::empty(jwt.span);
                        mk::copy(jwt, "issuer", &mut jc, "issuer");
                        mk::copy(jwt, "audience", &mut jc, "audience");
                        mk::set(&mut az, "jwtConfiguration", jc);
                        mk::set(
                            &mut az,
                            "identitySource",
                            a.get("IdentitySource")
                                .cloned()
                                .unwrap_or_else(|| s("$request.header.Authorization", sp)),
                        );
                        obj(
                            sp,
                            vec![
                                ("type", s("oauth2", sp)),
                                ("x-amazon-apigateway-authorizer", az),
                            ],
                        )
                    } else if let Some(farn) = a.get("FunctionArn") {
                        let mut az = obj(
                            sp,
                            vec![
                                ("type", s("request", sp)),
                                ("authorizerUri", authorizer_uri(farn, sp)),
                            ],
                        );
                        mk::copy(
                            a,
                            "AuthorizerPayloadFormatVersion",
                            &mut az,
                            "authorizerPayloadFormatVersion",
                        );
                        mk::copy(a, "EnableSimpleResponses", &mut az, "enableSimpleResponses");
                        mk::copy(a, "FunctionInvokeRole", &mut az, "authorizerCredentials");
                        if let Some(h) = a.get_path(&["Identity", "Headers"]) {
                            let src: Vec<Value> = h
                                .items()
                                .iter()
                                .filter_map(|x| {
                                    x.as_str()
                                        .map(|n| s(format!("$request.header.{n}"), x.span))
                                })
                                .collect();
                            mk::set(&mut az, "identitySource", seq(h.span, src));
                        }
                        if a.get("EnableFunctionDefaultPermissions")
                            .and_then(Value::as_bool)
                            == Some(true)
                        {
                            extra.push(authorizer_permission(api, &k.name, farn, sp));
                        }
                        mk::header_scheme(s("Unused", sp), None, Some(az), sp)
                    } else {
                        cx.warn(
                            format!(
                                "authorizer `{}` needs `JwtConfiguration` or `FunctionArn`",
                                k.name
                            ),
                            sp,
                        );
                        continue;
                    }
                }
            };
            schemes.push((k.name.clone(), scheme));
        }
        if auth.get("EnableIamAuthorizer").and_then(Value::as_bool) == Some(true) {
            schemes.push(("AWS_IAM".to_owned(), mk::iam_scheme(span)));
        }
    }
    let default = auth
        .as_ref()
        .and_then(|a| a.get("DefaultAuthorizer"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let default_api_key = auth
        .as_ref()
        .and_then(|a| a.get("ApiKeyRequired"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let preflight_default = auth
        .as_ref()
        .and_then(|a| a.get("AddDefaultAuthorizerToCorsPreflight"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut need_iam = default.as_deref() == Some("AWS_IAM");
    let mut need_api_key = default_api_key;
    let empty_scopes = seq(span, vec![]);
    // Per-route (events) first.
    for r in &api.routes {
        let explicit = event_security(r.auth.as_ref(), &empty_scopes);
        let api_key = r
            .auth
            .as_ref()
            .and_then(|a| a.get("ApiKeyRequired"))
            .and_then(Value::as_bool)
            .unwrap_or(default_api_key);
        let sp = r.auth.as_ref().map_or(r.span, |a| a.span);
        let mut list: Vec<Value> = Vec::new();
        let mut explicit_none = false;
        match explicit {
            Some((Some(name), scopes)) if name == "NONE" => {
                let _ = scopes;
                explicit_none = true;
            }
            Some((Some(name), scopes)) => {
                if name == "AWS_IAM" {
                    need_iam = true;
                } else if !schemes.iter().any(|(n, _)| *n == name) {
                    cx.warn(
                        format!(
                            "authorizer `{name}` is not defined in `{}`'s Auth.Authorizers",
                            api.id
                        ),
                        sp,
                    );
                }
                let scopes = if scopes.as_seq().is_some_and(|x| !x.is_empty()) {
                    scopes
                } else {
                    authorizer_scopes
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| seq(sp, vec![]))
                };
                list.push(security_entry(&name, scopes, sp));
            }
            _ => {
                if let Some(d) = &default {
                    let scopes = r
                        .auth
                        .as_ref()
                        .and_then(|a| a.get("AuthorizationScopes"))
                        .cloned()
                        .or_else(|| authorizer_scopes.get(d).cloned())
                        .unwrap_or_else(|| seq(sp, vec![]));
                    list.push(security_entry(d, scopes, sp));
                }
            }
        }
        if api_key && api.kind == ApiKind::Rest {
            need_api_key = true;
            list.push(obj(sp, vec![("api_key", seq(sp, vec![]))]));
        }
        if let Some(op) = op_mut(body, &r.path, &r.op) {
            if !list.is_empty() || explicit_none {
                mk::set(op, "security", seq(sp, list));
            }
        }
    }
    // The default authorizer reaches every other operation of the body without `security`.
    if let Some(d) = &default {
        for (p, o) in operations(body) {
            if o == "options" && !preflight_default {
                continue;
            }
            let scopes = authorizer_scopes
                .get(d)
                .cloned()
                .unwrap_or_else(|| seq(span, vec![]));
            if let Some(op) = op_mut(body, &p, &o) {
                if op.get("security").is_none() {
                    let sp = op.span;
                    mk::set(op, "security", seq(sp, vec![security_entry(d, scopes, sp)]));
                }
            }
        }
    }
    // Api-level `ApiKeyRequired` reaches every other operation of the body too (REST).
    if default_api_key && api.kind == ApiKind::Rest {
        let preflight_key = auth
            .as_ref()
            .and_then(|a| a.get("AddApiKeyRequiredToCorsPreflight"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let from_events: Vec<(String, String)> = api
            .routes
            .iter()
            .map(|r| (r.path.clone(), r.op.clone()))
            .collect();
        for (p, o) in operations(body) {
            if (o == "options" && !preflight_key) || from_events.contains(&(p.clone(), o.clone())) {
                continue;
            }
            if let Some(op) = op_mut(body, &p, &o) {
                let sp = op.span;
                let entry = obj(sp, vec![("api_key", seq(sp, vec![]))]);
                match mk::get_mut(op, "security") {
                    Some(list) => {
                        if !list.items().iter().any(|e| e.get("api_key").is_some()) {
                            mk::push(list, entry);
                        }
                    }
                    None => mk::set(op, "security", seq(sp, vec![entry])),
                }
            }
        }
    }
    if need_iam && !schemes.iter().any(|(n, _)| n == "AWS_IAM") {
        schemes.push(("AWS_IAM".to_owned(), mk::iam_scheme(span)));
    }
    if need_api_key {
        schemes.push((
            "api_key".to_owned(),
            mk::header_scheme(s("x-api-key", span), None, None, span),
        ));
    }
    if !schemes.is_empty() {
        let mut target: &mut Value = body;
        for k in schemes_path {
            target = mk::entry_map(target, k);
        }
        for (n, v) in schemes {
            mk::set(target, &n, v);
        }
    }
    extra
}

fn authorizer_uri(farn: &Value, span: Span) -> Value {
    Value::single(
        "Fn::Sub",
        span,
        seq(
            span,
            vec![
                s(mk::invocations_uri("${__FunctionArn__}"), span),
                obj(span, vec![("__FunctionArn__", farn.clone())]),
            ],
        ),
    )
}

fn authorizer_permission(api: &ApiBuild, name: &str, farn: &Value, span: Span) -> Resource {
    let mut props = obj(
        span,
        vec![
            ("Action", s("lambda:InvokeFunction", span)),
            ("FunctionName", farn.clone()),
            ("Principal", s("apigateway.amazonaws.com", span)),
        ],
    );
    mk::set(
        &mut props,
        "SourceArn",
        sub_with_api(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*",
            ref_(&api.id, span),
            span,
        ),
    );
    gen(
        &api.condition,
        format!("{}{name}AuthorizerPermission", api.id),
        "AWS::Lambda::Permission",
        props,
        span,
        &api.id,
    )
}

fn add_cors_preflight(body: &mut Value, span: Span) {
    let paths: Vec<String> = body
        .get("paths")
        .and_then(Value::as_map)
        .map(|m| m.iter().map(|(k, _)| k.name.clone()).collect())
        .unwrap_or_default();
    for p in paths {
        if let Some(item) = mk::get_mut(body, "paths").and_then(|ps| mk::get_mut(ps, &p)) {
            if item.get("options").is_none() && item.as_map().is_some() {
                mk::set(
                    item,
                    "options",
                    obj(
                        span,
                        vec![
                            (
                                "x-amazon-apigateway-integration",
                                obj(span, vec![("type", s("mock", span))]),
                            ),
                            ("responses", mk::empty(span)),
                        ],
                    ),
                );
            }
        }
    }
}

/// `Auth.ResourcePolicy` (API level, and per event) as the statements SAM writes into
/// `x-amazon-apigateway-policy`: account / IP range / VPC allow- and block-lists per route,
/// then `CustomStatements`.
fn resource_policy_statements(api: &ApiBuild) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let api_rp = api.props.get_path(&["Auth", "ResourcePolicy"]);
    for r in &api.routes {
        let rp = r
            .auth
            .as_ref()
            .and_then(|a| a.get("ResourcePolicy"))
            .or(api_rp);
        let Some(rp) = rp else { continue };
        let sp = rp.span;
        let method = if r.op == "x-amazon-apigateway-any-method" {
            "*".to_owned()
        } else {
            r.op.to_ascii_uppercase()
        };
        let resource = Value::single(
            "Fn::Sub",
            sp,
            seq(
                sp,
                vec![
                    s(
                        format!("execute-api:/${{__Stage__}}/{method}{}", r.path),
                        sp,
                    ),
                    obj(sp, vec![("__Stage__", s("*", sp))]),
                ],
            ),
        );
        let st = |effect: &str, principal: Value, cond: Option<Value>| {
            let mut v = obj(
                sp,
                vec![
                    ("Action", s("execute-api:Invoke", sp)),
                    ("Effect", s(effect, sp)),
                    ("Principal", principal),
                    ("Resource", seq(sp, vec![resource.clone()])),
                ],
            );
            if let Some(c) = cond {
                mk::set(&mut v, "Condition", c);
            }
            v
        };
        let star = || s("*", sp);
        let list = |k: &str| {
            rp.get(k)
                .map(|v| seq(v.span, v.items().into_iter().cloned().collect()))
        };
        if let Some(accts) = list("AwsAccountWhitelist") {
            out.push(st("Allow", obj(sp, vec![("AWS", accts)]), None));
        }
        if let Some(accts) = list("AwsAccountBlacklist") {
            out.push(st("Deny", obj(sp, vec![("AWS", accts)]), None));
        }
        if let Some(ips) = list("IpRangeWhitelist") {
            out.push(st("Allow", star(), None));
            out.push(st(
                "Deny",
                star(),
                Some(obj(
                    sp,
                    vec![("NotIpAddress", obj(sp, vec![("aws:SourceIp", ips)]))],
                )),
            ));
        }
        if let Some(ips) = list("IpRangeBlacklist") {
            out.push(st("Allow", star(), None));
            out.push(st(
                "Deny",
                star(),
                Some(obj(
                    sp,
                    vec![("IpAddress", obj(sp, vec![("aws:SourceIp", ips)]))],
                )),
            ));
        }
        for (k, negate) in [
            ("SourceVpcWhitelist", true),
            ("SourceVpcBlacklist", false),
            ("IntrinsicVpcWhitelist", true),
            ("IntrinsicVpcBlacklist", false),
            ("IntrinsicVpceWhitelist", true),
            ("IntrinsicVpceBlacklist", false),
        ] {
            if let Some(vpcs) = list(k) {
                let key = if k.contains("Vpce") {
                    "aws:SourceVpce"
                } else {
                    "aws:SourceVpc"
                };
                let op = if negate {
                    "StringNotEquals"
                } else {
                    "StringEquals"
                };
                out.push(st("Allow", star(), None));
                out.push(st(
                    "Deny",
                    star(),
                    Some(obj(sp, vec![(op, obj(sp, vec![(key, vpcs)]))])),
                ));
            }
        }
        if let Some(custom) = rp.get("CustomStatements") {
            for c in custom.items() {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
    }
    out
}

fn finalize_rest(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
    let span = api.span;
    let id = api.id.clone();
    let cond = api.condition.clone();
    let skeleton = mk::api_body(true, ref_("AWS::StackName", span), span);
    let mut body = body_of(cx, &api, skeleton);
    write_routes(cx, &mut body, &api.routes);
    if api.props.get("Cors").is_some() {
        add_cors_preflight(&mut body, api.props.get("Cors").map_or(span, |c| c.span));
    }
    let mut out = Vec::new();
    let extra = apply_auth(cx, &api, &mut body);
    let policy = resource_policy_statements(&api);
    if !policy.is_empty() {
        mk::set(
            &mut body,
            "x-amazon-apigateway-policy",
            mk::policy_document(policy, span),
        );
    }
    if let Some(v) = api.props.get("OpenApiVersion").and_then(Value::as_str) {
        if v.starts_with('3') && mk::remove(&mut body, "swagger").is_some() {
            mk::set(&mut body, "openapi", s(v, span));
        }
    }
    let mut rest = obj(span, vec![("Body", body.clone())]);
    for k in [
        "Name",
        "Description",
        "BinaryMediaTypes",
        "MinimumCompressionSize",
        "DisableExecuteApiEndpoint",
        "Mode",
        "ApiKeySourceType",
        "Policy",
    ] {
        mk::copy(&api.props, k, &mut rest, k);
    }
    if let Some(ep) = api.props.get("EndpointConfiguration") {
        let v = if ep.as_str().is_some() || ep.intrinsic().is_some() {
            obj(ep.span, vec![("Types", seq(ep.span, vec![ep.clone()]))])
        } else {
            let mut e = mk::empty(ep.span);
            if let Some(t) = ep.get("Type") {
                mk::set(&mut e, "Types", seq(t.span, vec![t.clone()]));
            }
            mk::copy(ep, "VPCEndpointIds", &mut e, "VpcEndpointIds");
            e
        };
        mk::set(&mut rest, "EndpointConfiguration", v);
    }
    let mut r = gen(
        &cond,
        id.clone(),
        "AWS::ApiGateway::RestApi",
        rest,
        span,
        &id,
    );
    if !api.implicit {
        r.origin = super::Origin::Declared;
    }
    r.source_type = Some("AWS::Serverless::Api".to_owned());
    out.push(r);
    let body_json = mk::canonical_json(&body);
    let dep_id = format!("{id}Deployment{}", mk::h10(&body_json));
    let digest: String = mk::sha1(body_json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut dep = obj(
        span,
        vec![
            ("RestApiId", ref_(&id, span)),
            (
                "Description",
                s(format!("RestApi deployment id: {digest}"), span),
            ),
        ],
    );
    if api.props.get("OpenApiVersion").is_none() {
        mk::set(&mut dep, "StageName", s("Stage", span));
    }
    out.push(gen(
        &cond,
        dep_id.clone(),
        "AWS::ApiGateway::Deployment",
        dep,
        span,
        &id,
    ));
    let stage_name = api.props.get("StageName").cloned().unwrap_or_else(|| {
        cx.warn(format!("`{id}` has no `StageName`; SAM requires one"), span);
        s("Prod", span)
    });
    let stage_id = format!("{id}{}", stage_suffix(&stage_name));
    let mut st = obj(
        span,
        vec![
            ("RestApiId", ref_(&id, span)),
            ("DeploymentId", ref_(&dep_id, span)),
            ("StageName", stage_name),
        ],
    );
    for k in [
        "MethodSettings",
        "AccessLogSetting",
        "TracingEnabled",
        "CacheClusterEnabled",
        "CacheClusterSize",
        "Variables",
        "CanarySetting",
        "Description",
    ] {
        mk::copy(&api.props, k, &mut st, k);
    }
    if let Some(tags) = api.props.get("Tags").filter(|t| t.as_map().is_some()) {
        mk::set(&mut st, "Tags", seq(span, mk::tag_list(tags)));
    }
    out.push(gen(
        &cond,
        stage_id.clone(),
        "AWS::ApiGateway::Stage",
        st,
        span,
        &id,
    ));
    out.extend(extra);
    // Usage plans.
    if let Some(up) = api.props.get_path(&["Auth", "UsagePlan"]) {
        let mode = up
            .get("CreateUsagePlan")
            .and_then(Value::as_str)
            .unwrap_or("NONE");
        let prefix = match mode {
            "PER_API" => Some(id.clone()),
            "SHARED" => Some("Serverless".to_owned()),
            _ => None,
        };
        if let Some(pre) = prefix {
            let sp = up.span;
            let mut plan = obj(
                sp,
                vec![(
                    "ApiStages",
                    seq(
                        sp,
                        vec![obj(
                            sp,
                            vec![("ApiId", ref_(&id, sp)), ("Stage", ref_(&stage_id, sp))],
                        )],
                    ),
                )],
            );
            for k in ["Description", "Quota", "Throttle", "UsagePlanName", "Tags"] {
                mk::copy(up, k, &mut plan, k);
            }
            let plan_id = format!("{pre}UsagePlan");
            let key_id = format!("{pre}ApiKey");
            if mode == "SHARED" && cx.ids.contains_key(&plan_id) {
                // Already emitted for another API: SAM shares one plan.
            } else {
                cx.ids
                    .insert(plan_id.clone(), "AWS::ApiGateway::UsagePlan".to_owned());
                out.push(gen(
                    &cond,
                    plan_id.clone(),
                    "AWS::ApiGateway::UsagePlan",
                    plan,
                    sp,
                    &id,
                ));
                out.push(gen(
                    &cond,
                    key_id.clone(),
                    "AWS::ApiGateway::ApiKey",
                    obj(
                        sp,
                        vec![
                            ("Enabled", boolean(true, sp)),
                            (
                                "StageKeys",
                                seq(
                                    sp,
                                    vec![obj(
                                        sp,
                                        vec![
                                            ("RestApiId", ref_(&id, sp)),
                                            ("StageName", ref_(&stage_id, sp)),
                                        ],
                                    )],
                                ),
                            ),
                        ],
                    ),
                    sp,
                    &id,
                ));
                out.push(gen(
                    &cond,
                    format!("{pre}UsagePlanKey"),
                    "AWS::ApiGateway::UsagePlanKey",
                    obj(
                        sp,
                        vec![
                            ("KeyId", ref_(&key_id, sp)),
                            ("KeyType", s("API_KEY", sp)),
                            ("UsagePlanId", ref_(&plan_id, sp)),
                        ],
                    ),
                    sp,
                    &id,
                ));
            }
        }
    }
    out
}

fn finalize_http(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
    let span = api.span;
    let id = api.id.clone();
    let cond = api.condition.clone();
    let mut skeleton = mk::api_body(false, ref_("AWS::StackName", span), span);
    let created_by = obj(
        span,
        vec![
            ("name", s("httpapi:createdBy", span)),
            ("x-amazon-apigateway-tag-value", s("SAM", span)),
        ],
    );
    mk::set(&mut skeleton, "tags", seq(span, vec![created_by]));
    let mut body = body_of(cx, &api, skeleton);
    write_routes(cx, &mut body, &api.routes);
    let extra = apply_auth(cx, &api, &mut body);
    if let Some(c) = api.props.get("CorsConfiguration") {
        mk::set(&mut body, "x-amazon-apigateway-cors", c.clone());
    }
    let mut v2 = obj(span, vec![("Body", body)]);
    for k in [
        "Name",
        "Description",
        "DisableExecuteApiEndpoint",
        "FailOnWarnings",
    ] {
        mk::copy(&api.props, k, &mut v2, k);
    }
    let mut r = gen(&cond, id.clone(), "AWS::ApiGatewayV2::Api", v2, span, &id);
    if !api.implicit {
        r.origin = super::Origin::Declared;
    }
    r.source_type = Some("AWS::Serverless::HttpApi".to_owned());
    let mut out = vec![r];
    let (stage_id, stage_name) = match api.props.get("StageName") {
        None => (format!("{id}ApiGatewayDefaultStage"), s("$default", span)),
        Some(n) => (format!("{id}{}", stage_suffix(n)), n.clone()),
    };
    let mut st = obj(
        span,
        vec![
            ("ApiId", ref_(&id, span)),
            ("StageName", stage_name),
            ("AutoDeploy", boolean(true, span)),
        ],
    );
    for k in [
        "AccessLogSettings",
        "DefaultRouteSettings",
        "RouteSettings",
        "StageVariables",
    ] {
        mk::copy(&api.props, k, &mut st, k);
    }
    let mut tags = obj(span, vec![("httpapi:createdBy", s("SAM", span))]);
    if let Some(user) = api.props.get("Tags").and_then(Value::as_map) {
        for (k, v) in user {
            mk::set(&mut tags, &k.name, v.clone());
        }
    }
    mk::set(&mut st, "Tags", tags);
    out.push(gen(
        &cond,
        stage_id,
        "AWS::ApiGatewayV2::Stage",
        st,
        span,
        &id,
    ));
    out.extend(extra);
    out
}

// ---------------------------------------------------------------------------------------------
// Other resource types

fn expand_state_machine(cx: &mut Cx, r: &Resource) -> Vec<Resource> {
    let id = r.id.as_str();
    let span = r.span;
    let cond = &r.condition;
    let props = props_or_empty(r);
    let mut sm = mk::empty(span);
    mk::copy(&props, "Definition", &mut sm, "Definition");
    mk::copy(
        &props,
        "DefinitionSubstitutions",
        &mut sm,
        "DefinitionSubstitutions",
    );
    if let Some(uri) = props.get("DefinitionUri") {
        let loc = match uri.as_str().and_then(|u| u.strip_prefix("s3://")) {
            Some(rest) => {
                let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
                obj(
                    uri.span,
                    vec![("Bucket", s(b, uri.span)), ("Key", s(k, uri.span))],
                )
            }
            None if uri.as_str().is_some() => {
                cx.warn(
                    format!(
                        "`{id}`: DefinitionUri points at a local file pillarlint does not read"
                    ),
                    uri.span,
                );
                obj(uri.span, vec![("Key", uri.clone())])
            }
            None => uri.clone(),
        };
        mk::set(&mut sm, "DefinitionS3Location", loc);
    }
    mk::copy(&props, "Name", &mut sm, "StateMachineName");
    mk::copy(&props, "Type", &mut sm, "StateMachineType");
    mk::copy(&props, "Logging", &mut sm, "LoggingConfiguration");
    mk::copy(&props, "Tracing", &mut sm, "TracingConfiguration");
    mk::set(
        &mut sm,
        "Tags",
        created_by_sam("stateMachine:createdBy", &props, span),
    );
    let mut extra = Vec::new();
    match props.get("Role") {
        Some(role) => {
            if props.get("Policies").is_some() {
                cx.warn(
                    format!("`{id}` sets both `Role` and `Policies`; SAM rejects this"),
                    span,
                );
            }
            mk::set(&mut sm, "RoleArn", role.clone());
        }
        None => {
            let mut first = Vec::new();
            if props
                .get_path(&["Tracing", "Enabled"])
                .and_then(Value::as_bool)
                == Some(true)
            {
                first.push(managed_arn("AWSXrayWriteOnlyAccess", span));
            }
            let role = build_role(
                cx,
                id,
                cond,
                &props,
                "states.amazonaws.com",
                first,
                Vec::new(),
                span,
                Some("stateMachine:createdBy"),
            );
            mk::set(&mut sm, "RoleArn", getatt(&role.id, "Arn", span));
            extra.push(role);
        }
    }
    for (k, ev) in props.get("Events").and_then(Value::as_map).unwrap_or(&[]) {
        let sp = k.span;
        let eid = format!("{id}{}", k.name);
        let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
        let p = ev
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| mk::empty(sp));
        let role_id = format!("{eid}Role");
        let start = |service: &str, name: &str| {
            let mut role = mk::resource(
                role_id.clone(),
                "AWS::IAM::Role",
                obj(
                    sp,
                    vec![
                        (
                            "AssumeRolePolicyDocument",
                            assume_role_document(service, sp),
                        ),
                        (
                            "Policies",
                            seq(
                                sp,
                                vec![statement_policy(
                                    name,
                                    &["states:StartExecution"],
                                    ref_(id, sp),
                                    sp,
                                )],
                            ),
                        ),
                    ],
                ),
                sp,
                id,
            );
            role.condition = cond.clone();
            role
        };
        match ty {
            "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                let mut rule = events_rule(ty, &p, sp);
                let mut tgt = obj(
                    sp,
                    vec![
                        ("Arn", ref_(id, sp)),
                        ("Id", s(format!("{eid}StepFunctionsTarget"), sp)),
                        ("RoleArn", getatt(&role_id, "Arn", sp)),
                    ],
                );
                mk::copy(&p, "Input", &mut tgt, "Input");
                mk::set(&mut rule, "Targets", seq(sp, vec![tgt]));
                extra.push(gen(cond, eid.clone(), "AWS::Events::Rule", rule, sp, id));
                extra.push(start(
                    "events.amazonaws.com",
                    &format!("{eid}RoleStartExecutionPolicy"),
                ));
            }
            "ScheduleV2" => {
                let mut sched = obj(
                    sp,
                    vec![("FlexibleTimeWindow", obj(sp, vec![("Mode", s("OFF", sp))]))],
                );
                for kk in [
                    "ScheduleExpression",
                    "ScheduleExpressionTimezone",
                    "Name",
                    "State",
                ] {
                    mk::copy(&p, kk, &mut sched, kk);
                }
                mk::set(
                    &mut sched,
                    "Target",
                    obj(
                        sp,
                        vec![
                            ("Arn", ref_(id, sp)),
                            ("RoleArn", getatt(&role_id, "Arn", sp)),
                        ],
                    ),
                );
                extra.push(gen(
                    cond,
                    eid.clone(),
                    "AWS::Scheduler::Schedule",
                    sched,
                    sp,
                    id,
                ));
                extra.push(start(
                    "scheduler.amazonaws.com",
                    &format!("{eid}StartExecutionPolicy"),
                ));
            }
            "Api" => {
                let (Some(path), Some(method)) = (
                    p.get("Path").and_then(Value::as_str),
                    p.get("Method").and_then(Value::as_str),
                ) else {
                    cx.warn(
                        format!("Api event `{}` needs `Path` and `Method`", k.name),
                        sp,
                    );
                    continue;
                };
                let api = match p.get("RestApiId") {
                    None => {
                        ensure_implicit(cx, ApiKind::Rest, sp);
                        Some(IMPLICIT_REST_API.to_owned())
                    }
                    Some(v) => plain_id(v),
                };
                let path_span = p.get("Path").map_or(sp, |v| v.span);
                let operation = obj(path_span, vec![
                    ("x-amazon-apigateway-integration", obj(path_span, vec![
                        ("type", s("aws", path_span)),
                        ("httpMethod", s("POST", path_span)),
                        ("uri", sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution", path_span)),
                        ("credentials", getatt(&role_id, "Arn", path_span)),
                        ("requestTemplates", obj(path_span, vec![(
                            "application/json",
                            sub(format!("{{\"input\": \"$util.escapeJavaScript($input.json('$'))\", \"stateMachineArn\": \"${{{id}}}\"}}"), path_span),
                        )])),
                    ])),
                    ("responses", mk::empty(path_span)),
                ]);
                add_route(
                    cx,
                    api.as_deref(),
                    ApiKind::Rest,
                    path,
                    &op_key(method),
                    operation,
                    p.get("Auth").cloned(),
                    path_span,
                    cond,
                );
                extra.push(start(
                    "apigateway.amazonaws.com",
                    &format!("{eid}RoleStartExecutionPolicy"),
                ));
            }
            other => cx.warn(
                format!("state machine event type `{other}` is not expanded by pillarlint yet"),
                sp,
            ),
        }
    }
    let mut m = gen(
        cond,
        id.to_owned(),
        "AWS::StepFunctions::StateMachine",
        sm,
        span,
        id,
    );
    m.origin = super::Origin::Declared;
    m.source_type = Some(r.type_.clone());
    m.depends_on = r.depends_on.clone();
    let mut out = vec![m];
    out.extend(extra);
    out
}

fn expand_simple_table(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let pk = props.get("PrimaryKey");
    let name = pk
        .and_then(|p| p.get("Name"))
        .cloned()
        .unwrap_or_else(|| s("id", span));
    let ty = match pk.and_then(|p| p.get("Type")).and_then(Value::as_str) {
        Some("Number") => "N",
        Some("Binary") => "B",
        _ => "S",
    };
    let mut t = obj(
        span,
        vec![
            (
                "AttributeDefinitions",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            ("AttributeName", name.clone()),
                            ("AttributeType", s(ty, span)),
                        ],
                    )],
                ),
            ),
            (
                "KeySchema",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![("AttributeName", name), ("KeyType", s("HASH", span))],
                    )],
                ),
            ),
        ],
    );
    match props.get("ProvisionedThroughput") {
        Some(pt) => mk::set(&mut t, "ProvisionedThroughput", pt.clone()),
        None => mk::set(&mut t, "BillingMode", s("PAY_PER_REQUEST", span)),
    }
    for k in [
        "TableName",
        "SSESpecification",
        "PointInTimeRecoverySpecification",
    ] {
        mk::copy(&props, k, &mut t, k);
    }
    if let Some(tags) = props.get("Tags").filter(|t| t.as_map().is_some()) {
        mk::set(&mut t, "Tags", seq(span, mk::tag_list(tags)));
    }
    declared(r, "AWS::DynamoDB::Table", t)
}

fn expand_layer(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut l = mk::empty(span);
    if let Some(u) = props.get("ContentUri") {
        {
            let content = match u.as_str().and_then(|x| x.strip_prefix("s3://")) {
                Some(rest) => {
                    let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
                    obj(
                        u.span,
                        vec![("S3Bucket", s(b, u.span)), ("S3Key", s(k, u.span))],
                    )
                }
                None if u.as_map().is_some() && u.intrinsic().is_none() => {
                    let mut c = mk::empty(u.span);
                    mk::copy(u, "Bucket", &mut c, "S3Bucket");
                    mk::copy(u, "Key", &mut c, "S3Key");
                    mk::copy(u, "Version", &mut c, "S3ObjectVersion");
                    c
                }
                None => obj(u.span, vec![("S3Key", u.clone())]),
            };
            mk::set(&mut l, "Content", content);
        }
    }
    mk::set(
        &mut l,
        "LayerName",
        props
            .get("LayerName")
            .cloned()
            .unwrap_or_else(|| s(&r.id, span)),
    );
    for k in [
        "Description",
        "CompatibleRuntimes",
        "CompatibleArchitectures",
        "LicenseInfo",
    ] {
        mk::copy(&props, k, &mut l, k);
    }
    let hash = mk::h10(&mk::canonical_json(&props));
    let mut out = gen(
        &r.condition,
        format!("{}{hash}", r.id),
        "AWS::Lambda::LayerVersion",
        l,
        span,
        &r.id,
    );
    out.source_type = Some(r.type_.clone());
    out
}

/// `AWS::Serverless::GraphQLApi` → `AWS::AppSync::GraphQLApi` (same id) with its
/// authentication modes; schema, data sources, resolvers and API keys are not generated.
fn expand_graphql(cx: &mut Cx, r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut g = obj(
        span,
        vec![(
            "Name",
            props.get("Name").cloned().unwrap_or_else(|| s(&r.id, span)),
        )],
    );
    fn auth_config(a: &Value, out: &mut Value, with_default_action: bool) {
        if let Some(t) = a.get("Type") {
            mk::set(out, "AuthenticationType", t.clone());
        }
        mk::copy(a, "LambdaAuthorizer", out, "LambdaAuthorizerConfig");
        mk::copy(a, "OpenIDConnect", out, "OpenIDConnectConfig");
        if let Some(up) = a.get("UserPool") {
            let mut up = up.clone();
            if !with_default_action {
                mk::remove(&mut up, "DefaultAction");
            }
            mk::set(out, "UserPoolConfig", up);
        }
    }
    match props.get("Auth") {
        Some(a) => {
            auth_config(a, &mut g, true);
            if let Some(add) = a.get("Additional") {
                let list = add
                    .items()
                    .into_iter()
                    .map(|x| {
                        let mut o = mk::empty(x.span);
                        auth_config(x, &mut o, false);
                        o
                    })
                    .collect();
                mk::set(
                    &mut g,
                    "AdditionalAuthenticationProviders",
                    seq(add.span, list),
                );
            }
        }
        None => cx.warn(
            format!("GraphQLApi `{}` has no `Auth`; SAM requires one", r.id),
            span,
        ),
    }
    for k in [
        "XrayEnabled",
        "Visibility",
        "IntrospectionConfig",
        "QueryDepthLimit",
        "ResolverCountLimit",
        "OwnerContact",
        "ApiType",
    ] {
        mk::copy(&props, k, &mut g, k);
    }
    if let Some(l) = props.get("Logging") {
        let mut lc = mk::empty(l.span);
        mk::copy(l, "CloudWatchLogsRoleArn", &mut lc, "CloudWatchLogsRoleArn");
        mk::copy(l, "ExcludeVerboseContent", &mut lc, "ExcludeVerboseContent");
        mk::copy(l, "FieldLogLevel", &mut lc, "FieldLogLevel");
        mk::set(&mut g, "LogConfig", lc);
    }
    if let Some(tags) = props.get("Tags").filter(|t| t.as_map().is_some()) {
        mk::set(&mut g, "Tags", seq(span, mk::tag_list(tags)));
    }
    if props.get("DataSources").is_some() || props.get("Resolvers").is_some() {
        cx.warn(
            format!("the data sources and resolvers of GraphQLApi `{}` are not expanded by pillarlint yet", r.id),
            span,
        );
    }
    declared(r, "AWS::AppSync::GraphQLApi", g)
}

fn expand_application(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut st = mk::empty(span);
    match props.get("Location") {
        Some(loc) if loc.as_str().is_some() || loc.intrinsic().is_some() => {
            mk::set(&mut st, "TemplateURL", loc.clone())
        }
        Some(loc) => mk::set(&mut st, "TemplateURL", loc.clone()),
        None => {}
    }
    for k in ["Parameters", "NotificationARNs", "TimeoutInMinutes", "Tags"] {
        mk::copy(&props, k, &mut st, k);
    }
    declared(r, "AWS::CloudFormation::Stack", st)
}

fn apply_edits(cx: &mut Cx, resources: &mut [Resource]) {
    let edits = std::mem::take(&mut cx.edits);
    for (id, edit) in edits {
        let Some(r) = resources.iter_mut().find(|r| r.id == id) else {
            continue;
        };
        if r.properties.is_null() {
            r.properties = mk::empty(r.span);
        }
        match edit {
            Edit::S3Notification(lc, perm) => {
                let nc = mk::entry_map(&mut r.properties, "NotificationConfiguration");
                if nc.get("LambdaConfigurations").is_none() {
                    let sp = lc.span;
                    mk::set(nc, "LambdaConfigurations", seq(sp, Vec::new()));
                }
                if let Some(list) = mk::get_mut(nc, "LambdaConfigurations") {
                    if !list.items().contains(&&lc) {
                        mk::push(list, lc);
                    }
                }
                if !r.depends_on.contains(&perm) {
                    r.depends_on.push(perm);
                }
            }
            Edit::CognitoTrigger(name, arn) => {
                let lc = mk::entry_map(&mut r.properties, "LambdaConfig");
                if lc.get(&name).is_some() {
                    cx.diags.push((
                        format!(
                            "Cognito trigger `{name}` of `{id}` is set twice; SAM rejects this"
                        ),
                        arn.span,
                    ));
                }
                mk::set(lc, &name, arn);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Connectors

/// One connector: its logical ID, source, destinations and permissions.
struct ConnectorSpec {
    id: String,
    span: Span,
    condition: Option<String>,
    source: Value,
    destinations: Vec<Value>,
    permissions: Vec<String>,
}

/// `AWS::Serverless::Connector` resources and embedded `Connectors:` attributes
/// (`<Source><Name>`, source = the resource that holds them).
fn connector_specs(root: &Value) -> Vec<ConnectorSpec> {
    let mut out = Vec::new();
    for (k, v) in root.get("Resources").and_then(Value::as_map).unwrap_or(&[]) {
        let cond = v
            .get("Condition")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut push = |id: String, span: Span, props: &Value, source: Value| {
            let destinations = props
                .get("Destination")
                .map(|d| match d.as_seq() {
                    Some(items) => items.to_vec(),
                    None => vec![d.clone()],
                })
                .unwrap_or_default();
            let permissions = props
                .get("Permissions")
                .map(|p| {
                    p.items()
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            out.push(ConnectorSpec {
                id,
                span,
                condition: cond.clone(),
                source,
                destinations,
                permissions,
            });
        };
        if v.get("Type").and_then(Value::as_str) == Some("AWS::Serverless::Connector") {
            let props = v
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| mk::empty(k.span));
            let source = props
                .get("Source")
                .cloned()
                .unwrap_or_else(|| mk::empty(k.span));
            push(k.name.clone(), k.span, &props, source);
        }
        for (ck, cv) in v.get("Connectors").and_then(Value::as_map).unwrap_or(&[]) {
            let props = cv
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| mk::empty(ck.span));
            let mut source = props
                .get("SourceReference")
                .cloned()
                .unwrap_or_else(|| mk::empty(ck.span));
            mk::set(&mut source, "Id", s(&k.name, k.span));
            push(format!("{}{}", k.name, ck.name), ck.span, &props, source);
        }
    }
    out
}

/// Actions a connector grants, by destination type and permission (SAM's connector profiles,
/// IAM-policy based ones).
fn connector_actions(dest_type: &str, perm: &str) -> &'static [&'static str] {
    match (dest_type, perm) {
        ("AWS::DynamoDB::Table", "Read") => &[
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:PartiQLSelect",
        ],
        ("AWS::DynamoDB::Table", "Write") => &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLDelete",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
        ],
        ("AWS::S3::Bucket", "Read") => &[
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectLegalHold",
            "s3:GetObjectRetention",
            "s3:GetObjectTorrent",
            "s3:GetObjectVersion",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionTorrent",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:ListBucketVersions",
            "s3:ListMultipartUploadParts",
        ],
        ("AWS::S3::Bucket", "Write") => &[
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:RestoreObject",
        ],
        ("AWS::SQS::Queue", "Read") => &["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
        ("AWS::SQS::Queue", "Write") => &[
            "sqs:DeleteMessage",
            "sqs:SendMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:PurgeQueue",
        ],
        ("AWS::SNS::Topic", "Write") => &["sns:Publish"],
        ("AWS::Lambda::Function", "Read") => &["lambda:GetFunction"],
        ("AWS::Lambda::Function", "Write") => &["lambda:InvokeAsync", "lambda:InvokeFunction"],
        ("AWS::StepFunctions::StateMachine", "Read") => {
            &["states:DescribeStateMachine", "states:ListExecutions"]
        }
        ("AWS::StepFunctions::StateMachine", "Write") => &[
            "states:StartExecution",
            "states:StartSyncExecution",
            "states:StopExecution",
        ],
        ("AWS::Events::EventBus", "Write") => &["events:PutEvents"],
        ("AWS::SecretsManager::Secret", "Read") => &["secretsmanager:GetSecretValue"],
        _ => &[],
    }
}

fn expand_connector(cx: &mut Cx, c: &ConnectorSpec, resources: &mut Vec<Resource>) {
    let sp = c.span;
    let mut generated: Vec<Resource> = Vec::new();
    let find = |v: &Value| -> Option<(String, String)> {
        let id = v.get("Id").and_then(Value::as_str)?;
        let r = resources.iter().find(|r| r.id == id)?;
        Some((r.id.clone(), r.type_.clone()))
    };
    let Some((src_id, src_type)) = find(&c.source) else {
        cx.warn(
            format!("connector `{}`: its source is not a resource of this template (by `Id`); not expanded", c.id),
            sp,
        );
        return;
    };
    // The role the source runs as.
    let role_value = match src_type.as_str() {
        "AWS::Lambda::Function" => resources
            .iter()
            .find(|r| r.id == src_id)
            .and_then(|r| r.prop("Role").cloned()),
        "AWS::StepFunctions::StateMachine" => resources
            .iter()
            .find(|r| r.id == src_id)
            .and_then(|r| r.prop("RoleArn").cloned()),
        _ => None,
    };
    let role_id = role_value.as_ref().and_then(|v| {
        let mut found = None;
        super::resolve::collect_refs(v, &mut |n, _| {
            if found.is_none()
                && resources
                    .iter()
                    .any(|r| r.id == n && r.type_ == "AWS::IAM::Role")
            {
                found = Some(n.to_owned());
            }
        });
        found
    });
    let Some(role_id) = role_id else {
        cx.warn(
            format!("connector `{}`: source `{src_id}` ({src_type}) has no role of this template to attach a policy to; not expanded", c.id),
            sp,
        );
        return;
    };
    let several = c.destinations.len() > 1;
    for (i, d) in c.destinations.iter().enumerate() {
        let (dest_arn, dest_type) = match find(d) {
            Some((id, ty)) => {
                let arn = match ty.as_str() {
                    "AWS::SNS::Topic"
                    | "AWS::StepFunctions::StateMachine"
                    | "AWS::SecretsManager::Secret" => ref_(&id, d.span),
                    _ => getatt(&id, "Arn", d.span),
                };
                (arn, ty)
            }
            None => match (d.get("Arn"), d.get("Type").and_then(Value::as_str)) {
                (Some(a), Some(ty)) => (a.clone(), ty.to_owned()),
                _ => {
                    cx.warn(
                        format!(
                            "connector `{}`: destination needs `Id` or `Arn` + `Type`",
                            c.id
                        ),
                        d.span,
                    );
                    continue;
                }
            },
        };
        let mut statements = Vec::new();
        for perm in &c.permissions {
            let actions = connector_actions(&dest_type, perm);
            if actions.is_empty() {
                cx.warn(
                    format!("connector `{}`: {perm} from {src_type} to {dest_type} is not modelled by pillarlint", c.id),
                    sp,
                );
                continue;
            }
            // The destination, and what lies under it (a table's indexes, a bucket's objects).
            let under = match dest_type.as_str() {
                "AWS::DynamoDB::Table" => Some("${DestinationArn}/index/*"),
                "AWS::S3::Bucket" => Some("${DestinationArn}/*"),
                _ => None,
            };
            let mut resource = vec![dest_arn.clone()];
            if let Some(under) = under {
                resource.push(Value::single(
                    "Fn::Sub",
                    sp,
                    seq(
                        sp,
                        vec![
                            s(under, sp),
                            obj(sp, vec![("DestinationArn", dest_arn.clone())]),
                        ],
                    ),
                ));
            }
            let resource = seq(sp, resource);
            statements.push(mk::allow(actions, resource, sp));
        }
        if statements.is_empty() {
            continue;
        }
        let pid = if several {
            format!("{}PolicyDestination{i}", c.id)
        } else {
            format!("{}Policy", c.id)
        };
        let props = obj(
            sp,
            vec![
                ("PolicyDocument", mk::policy_document(statements, sp)),
                ("Roles", seq(sp, vec![ref_(&role_id, sp)])),
            ],
        );
        generated.push(gen(
            &c.condition,
            pid,
            "AWS::IAM::ManagedPolicy",
            props,
            sp,
            &c.id,
        ));
    }
    resources.extend(generated);
}
