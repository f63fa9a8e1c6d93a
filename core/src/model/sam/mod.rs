//! SAM transform expansion (`AWS::Serverless-2016-10-31`), as the real translator does it.
//!
//! Sources: the SAM translator's generated logical IDs and Globals rules (samtranslator 1.110.0,
//! `samtranslator/` read and each id confirmed against its `tests/translator/output`) and the SAM
//! policy templates (`data/sam-policy-templates.json`, Apache-2.0, see `data/NOTICE`).
//!
//! # Layout
//! [`expand`] (here) runs the passes in order: Globals, explicit APIs, then each
//! resource by type, implicit APIs once every event is known, layer renames, connectors, and
//! last the edits events make to declared resources.
//! - `globals`: the `Globals` sections and SAM's merge rule ([`merge_global`]).
//! - `function`: `AWS::Serverless::Function` (code, alias/version, URL, event invoke config,
//!   implicit role); `events/`: one handler per event family, behind one dispatcher.
//! - `api/`: `Api`/`HttpApi` (explicit and implicit) and their OpenAPI bodies: routes, `Auth`,
//!   resource policies, stages, deployments, usage plans.
//! - `policies`: `Policies` entries, policy templates (the bundled data), generated roles.
//! - `connectors`: `AWS::Serverless::Connector` and embedded `Connectors`.
//! - `state_machine`, `resources`: `StateMachine` (and its events); `SimpleTable`,
//!   `LayerVersion`, `GraphQLApi`, `Application`.
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

mod api;
mod connectors;
mod events;
mod function;
mod globals;
mod policies;
mod resources;
mod state_machine;

use std::collections::HashMap;

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::Value;

use super::mk::{self, obj, s, seq};
use super::{Resource, Template};

pub use api::{IMPLICIT_HTTP_API, IMPLICIT_REST_API};
pub use globals::merge_global;
pub use policies::{expand_policy_template, policy_templates};

use api::{finalize_api, ApiBuild, ApiKind};
use connectors::{connector_specs, expand_connector};
use events::apply_edits;
use function::expand_function;
use globals::{apply_globals, globals_section};
use resources::{expand_application, expand_graphql, expand_layer, expand_simple_table};
use state_machine::expand_state_machine;

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

/// A change an event makes to a declared resource, applied once every resource is expanded.
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
// Helpers shared by the expansions

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
