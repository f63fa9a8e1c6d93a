//! Derived facts the cross-resource rules share, computed over the graph API: routes and
//! whether they are public or authenticated, the stages and protections of an API, and what
//! each function can reach.

use std::collections::HashMap;

use crate::graph::{AccessLevel, EdgeKind, GEdge, NodeKind, Route};
use crate::model::{Resource, Template};
use crate::rules::util::{literal, references, refs};
use crate::rules::Context;
use crate::value::Value;

/// A route of an API that invokes a function.
#[derive(Debug, Clone, Copy)]
pub struct RouteRef<'a> {
    pub api: &'a str,
    pub func: &'a str,
    pub route: &'a Route,
    pub edge: &'a GEdge,
}

impl RouteRef<'_> {
    /// No authorizer at all (an API key alone does not count). An authorization the
    /// template does not fix (`None`: a parameter, an import) is not judged open.
    pub fn unauthenticated(&self, t: &Template) -> bool {
        route_open(t, self.route)
    }

    pub fn is_write(&self) -> bool {
        matches!(
            self.route.method.as_str(),
            "POST" | "PUT" | "PATCH" | "DELETE" | "ANY" | "X-AMAZON-APIGATEWAY-ANY-METHOD"
        )
    }

    pub fn label(&self) -> String {
        format!("{} {}", self.route.method, self.route.path)
    }
}

/// Every route (trigger edge with a route) to a function, CORS preflights left out.
pub fn routes<'a>(cx: &'a Context<'a>) -> Vec<RouteRef<'a>> {
    cx.graph
        .edges()
        .filter(|e| e.kind == EdgeKind::Trigger)
        .filter_map(|e| {
            let route = e.route.as_ref()?;
            (route.method != "OPTIONS").then_some(RouteRef {
                api: &e.from,
                func: &e.to,
                route,
                edge: e,
            })
        })
        .filter(|r| {
            cx.graph
                .node(r.func)
                .is_some_and(|n| n.kind == NodeKind::Function)
        })
        .collect()
}

/// Routes on APIs reachable from the internet (not `PRIVATE` endpoints).
pub fn public_routes<'a>(cx: &'a Context<'a>) -> Vec<RouteRef<'a>> {
    routes(cx)
        .into_iter()
        .filter(|r| !api_is_private(cx.template, r.api))
        .collect()
}

/// Does the API declare a `PRIVATE` endpoint (reachable only from a VPC)?
pub fn api_is_private(t: &Template, api: &str) -> bool {
    let Some(r) = t.resource(api) else {
        return false;
    };
    r.prop_path(&["EndpointConfiguration", "Types"])
        .map(Value::items)
        .unwrap_or_default()
        .iter()
        .any(|x| x.as_str() == Some("PRIVATE"))
        || r.prop_path(&["EndpointConfiguration"])
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("PRIVATE"))
}

/// The function URLs of a function.
pub fn function_urls<'a>(t: &'a Template, func: &'a str) -> Vec<&'a Resource> {
    t.resources_of("AWS::Lambda::Url")
        .filter(|u| {
            u.prop("TargetFunctionArn")
                .is_some_and(|v| references(t, v, func))
        })
        .collect()
}

/// A function URL with `AuthType: NONE`.
pub fn open_url<'a>(t: &'a Template, func: &'a str) -> Option<&'a Resource> {
    function_urls(t, func)
        .into_iter()
        .find(|u| u.prop("AuthType").and_then(Value::as_str) == Some("NONE"))
}

/// Is the function reachable from the internet (a public route or an open URL)?
pub fn public_entry(cx: &Context<'_>, func: &str) -> Option<String> {
    if let Some(r) = public_routes(cx).into_iter().find(|r| r.func == func) {
        return Some(format!("{} on {}", r.label(), r.api));
    }
    open_url(cx.template, func).map(|u| format!("function URL {}", u.id))
}

/// Settings of one deployed stage: an `AWS::ApiGateway::Stage`, the `StageDescription` of
/// an `AWS::ApiGateway::Deployment` with a `StageName`, or an `AWS::ApiGatewayV2::Stage`.
#[derive(Debug, Clone, Copy)]
pub struct Stage<'a> {
    pub res: &'a Resource,
    /// The map holding the settings (the stage's properties or the deployment's `StageDescription`).
    pub settings: &'a Value,
    pub v2: bool,
    /// Path of `settings` under `Properties`.
    pub base: &'static [&'static str],
}

/// The stages of an API.
pub fn stages<'a>(t: &'a Template, api: &str) -> Vec<Stage<'a>> {
    let mut out = Vec::new();
    for s in t.resources_of("AWS::ApiGateway::Stage") {
        if s.prop("RestApiId").is_some_and(|v| references(t, v, api)) {
            out.push(Stage {
                res: s,
                settings: &s.properties,
                v2: false,
                base: &[],
            });
        }
    }
    let has_stage_resource = !out.is_empty();
    for d in t.resources_of("AWS::ApiGateway::Deployment") {
        if has_stage_resource || d.prop("StageName").is_none() {
            continue;
        }
        if d.prop("RestApiId").is_some_and(|v| references(t, v, api)) {
            out.push(Stage {
                res: d,
                settings: d.prop("StageDescription").unwrap_or(Value::null()),
                v2: false,
                base: &["StageDescription"],
            });
        }
    }
    for s in t.resources_of("AWS::ApiGatewayV2::Stage") {
        if s.prop("ApiId").is_some_and(|v| references(t, v, api)) {
            out.push(Stage {
                res: s,
                settings: &s.properties,
                v2: true,
                base: &[],
            });
        }
    }
    out
}

/// Which API a stage belongs to.
pub fn api_of_stage(t: &Template, s: &Resource) -> Option<String> {
    let key = if s.type_ == "AWS::ApiGatewayV2::Stage" {
        "ApiId"
    } else {
        "RestApiId"
    };
    s.prop(key).and_then(|v| refs(t, v).into_iter().next())
}

/// Does the stage set a throttling rate or burst limit for all its methods?
pub fn stage_throttled(st: &Stage<'_>) -> bool {
    let num = |v: Option<&Value>| v.is_some();
    if st.v2 {
        return num(st
            .settings
            .get_path(&["DefaultRouteSettings", "ThrottlingRateLimit"]))
            || num(st
                .settings
                .get_path(&["DefaultRouteSettings", "ThrottlingBurstLimit"]));
    }
    if num(st.settings.get("ThrottlingRateLimit")) || num(st.settings.get("ThrottlingBurstLimit")) {
        return true;
    }
    st.settings
        .get("MethodSettings")
        .map(Value::items)
        .unwrap_or_default()
        .iter()
        .any(|m| num(m.get("ThrottlingRateLimit")) || num(m.get("ThrottlingBurstLimit")))
}

/// Web ACLs associated with the API or one of its stages.
pub fn web_acls_of_api(t: &Template, api: &str) -> Vec<String> {
    let stage_ids: Vec<&str> = stages(t, api).iter().map(|s| s.res.id.as_str()).collect();
    let mut out = Vec::new();
    for a in t.resources.iter().filter(|r| {
        r.type_ == "AWS::WAFv2::WebACLAssociation"
            || r.type_ == "AWS::WAFRegional::WebACLAssociation"
    }) {
        let Some(arn) = a.prop("ResourceArn") else {
            continue;
        };
        let hits = refs(t, arn);
        let covers = hits
            .iter()
            .any(|h| h == api || stage_ids.contains(&h.as_str()));
        if covers {
            let acl_key = if a.type_ == "AWS::WAFv2::WebACLAssociation" {
                "WebACLArn"
            } else {
                "WebACLId"
            };
            if let Some(acl) = a.prop(acl_key) {
                out.extend(refs(t, acl));
            }
            out.push(a.id.clone());
        }
    }
    // A CloudFront distribution in front of the API with a web ACL covers it as well.
    for d in t.resources_of("AWS::CloudFront::Distribution") {
        let Some(cfg) = d.prop("DistributionConfig") else {
            continue;
        };
        let fronts = cfg.get("Origins").is_some_and(|o| references(t, o, api));
        if fronts {
            if let Some(acl) = cfg.get("WebACLId") {
                out.push(d.id.clone());
                out.extend(refs(t, acl));
            }
        }
    }
    out
}

/// Does a WAFv2 web ACL have a rate-based rule?
pub fn acl_has_rate_rule(acl: &Resource) -> bool {
    acl.prop("Rules")
        .map(Value::items)
        .unwrap_or_default()
        .iter()
        .any(|r| r.get_path(&["Statement", "RateBasedStatement"]).is_some())
}

/// Does a WAFv2 web ACL hold a SQL-injection or XSS protection?
pub fn acl_has_injection_rule(acl: &Resource) -> bool {
    let mut hit = false;
    if let Some(rules) = acl.prop("Rules") {
        rules.walk(&mut |_, v| {
            if let Some(m) = v.as_map() {
                for (k, val) in m {
                    if k.name == "SqliMatchStatement" || k.name == "XssMatchStatement" {
                        hit = true;
                    }
                    if k.name == "Name" {
                        if let Some(s) = val.as_str() {
                            if s.contains("SQLi")
                                || s.contains("CommonRuleSet")
                                || s.contains("KnownBadInputs")
                            {
                                hit = true;
                            }
                        }
                    }
                }
            }
        });
    }
    hit
}

/// Reserved concurrency set on the function?
pub fn reserved_concurrency(f: &Resource) -> bool {
    f.prop("ReservedConcurrentExecutions").is_some()
}

/// A store the function can reach, and how.
#[derive(Debug, Clone)]
pub struct Reach<'a> {
    pub store: &'a str,
    pub kind: NodeKind,
    pub level: AccessLevel,
    pub wildcard: bool,
    /// The role or reference that grants it.
    pub via: Option<&'a str>,
    pub edge: &'a GEdge,
}

/// Data stores a function can reach: IAM `access` edges, plus the databases and caches it
/// names in its configuration (those are reached over the network, not through IAM).
pub fn reach<'a>(cx: &'a Context<'a>, func: &str) -> Vec<Reach<'a>> {
    let mut out: Vec<Reach<'a>> = Vec::new();
    for e in cx.graph.edges_from(func) {
        let Some(n) = cx.graph.node(&e.to) else {
            continue;
        };
        if !n.kind.is_data_store() && n.kind != NodeKind::DocumentDb {
            continue;
        }
        let level = match e.kind {
            EdgeKind::Access => e.access.unwrap_or(AccessLevel::Read),
            EdgeKind::Reference
                if matches!(
                    n.kind,
                    NodeKind::DocumentDb | NodeKind::Database | NodeKind::Cache
                ) =>
            {
                AccessLevel::Write
            }
            // A store named in the environment whose grant points at an ARN the template
            // spells as text (unresolved Serverless variables, a hand-written ARN).
            EdgeKind::Reference => match grant_by_name(cx, func, &e.to) {
                Some(level) => level,
                None => continue,
            },
            _ => continue,
        };
        if let Some(x) = out.iter_mut().find(|x| x.store == e.to) {
            if level > x.level {
                x.level = level;
                x.edge = e;
            }
            continue;
        }
        out.push(Reach {
            store: &e.to,
            kind: n.kind,
            level,
            wildcard: e.wildcard,
            via: e.via.as_deref(),
            edge: e,
        });
    }
    out
}

/// Is a literal boolean-ish property explicitly true?
pub fn is_true(t: &Template, v: Option<&Value>) -> bool {
    v.and_then(|v| literal(t, v))
        .is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

/// Stores reached from unauthenticated public routes: (route, function, reach).
pub fn public_reach<'a>(cx: &'a Context<'a>) -> Vec<(RouteRef<'a>, Reach<'a>)> {
    let mut out = Vec::new();
    for r in public_routes(cx) {
        for x in reach(cx, r.func) {
            out.push((r, x));
        }
    }
    out
}

/// Is the store reached from any public entry (route or open URL)? Returns a description.
pub fn store_public_entry(cx: &Context<'_>, store: &str) -> Option<String> {
    for f in cx.template.resources_of("AWS::Lambda::Function") {
        if reach(cx, &f.id).iter().any(|x| x.store == store) {
            if let Some(entry) = public_entry(cx, &f.id) {
                return Some(format!("{entry} -> {}", f.id));
            }
        }
    }
    None
}

/// Does the route validate its request body: a REST method with a `RequestValidatorId`, or
/// an OpenAPI body whose operation (or root) names an `x-amazon-apigateway-request-validator`?
pub fn route_validated(t: &Template, r: &RouteRef<'_>) -> bool {
    if let Some(m) = t.resource(&r.route.resource) {
        if m.type_ == "AWS::ApiGateway::Method" {
            return m.prop("RequestValidatorId").is_some();
        }
    }
    if source_event_validates(t, r) {
        return true;
    }
    let Some(api) = t.resource(r.api) else {
        return false;
    };
    let Some(body) = api.prop("Body").or_else(|| api.prop("DefinitionBody")) else {
        return false;
    };
    const KEY: &str = "x-amazon-apigateway-request-validator";
    if body.get(KEY).is_some() {
        return true;
    }
    let method = r.route.method.to_ascii_lowercase();
    let Some(ops) = body.get_path(&["paths", r.route.path.as_str()]) else {
        return false;
    };
    [method.as_str(), "x-amazon-apigateway-any-method"]
        .iter()
        .any(|m| ops.get_path(&[m, KEY]).is_some())
}

/// Web ACLs (resource ids) protecting the API, and whether one blocks injection.
pub fn api_injection_waf(t: &Template, api: &str) -> bool {
    web_acls_of_api(t, api)
        .iter()
        .filter_map(|id| t.resource(id))
        .any(|r| r.type_ == "AWS::WAFv2::WebACL" && acl_has_injection_rule(r))
}

/// Does a usage plan with a throttle cover the API, with every method of it requiring an
/// API key (so the plan's throttle applies to every request)?
pub fn usage_plan_throttles(t: &Template, api: &str) -> bool {
    let plan = t.resources_of("AWS::ApiGateway::UsagePlan").any(|p| {
        p.prop("Throttle").is_some() && p.prop("ApiStages").is_some_and(|s| references(t, s, api))
    });
    if !plan {
        return false;
    }
    let mut methods = t
        .resources_of("AWS::ApiGateway::Method")
        .filter(|m| m.prop("RestApiId").is_some_and(|v| references(t, v, api)))
        .filter(|m| m.prop("HttpMethod").and_then(Value::as_str) != Some("OPTIONS"))
        .peekable();
    methods.peek().is_some() && methods.all(|m| is_true(t, m.prop("ApiKeyRequired")))
}

/// Is the route known to have no authorizer? `authorization: None` means the template does
/// not fix it, except for a declared method that simply omits `AuthorizationType` (which
/// CloudFormation treats as `NONE`).
pub fn route_open(t: &Template, route: &Route) -> bool {
    match route.authorization.as_deref() {
        // The API's definition lives outside the template: its security is unknown.
        Some(_) if route_api_external(t, route) => false,
        Some(a) => a.eq_ignore_ascii_case("NONE") || a.is_empty(),
        None => t.resource(&route.resource).is_some_and(|m| {
            m.type_ == "AWS::ApiGateway::Method" && m.prop("AuthorizationType").is_none()
        }),
    }
}

/// Does the SAM or Serverless event that declares this route ask for body validation?
/// (SAM `RequestModel` with `ValidateBody` not false; Serverless `request.schemas`.) The
/// expansion does not always carry validators into the generated API, so the source says.
fn source_event_validates(t: &Template, r: &RouteRef<'_>) -> bool {
    let norm = |p: &str| format!("/{}", p.trim().trim_matches('/')).to_ascii_lowercase();
    let want_path = norm(&r.route.path);
    let want_method = r.route.method.to_ascii_lowercase();
    let same = |path: Option<&str>, method: Option<&str>| {
        path.is_some_and(|p| norm(p) == want_path)
            && method.is_some_and(|m| {
                let m = m.to_ascii_lowercase();
                m == want_method || m == "any" || m == "*"
            })
    };
    // SAM: Resources.<Fn>.Properties.Events.<E> {Type: Api, Properties: {Path, Method, RequestModel}}.
    if let Some(events) = t
        .root
        .get_path(&["Resources", r.func, "Properties", "Events"])
        .and_then(Value::as_map)
    {
        for (_, ev) in events {
            let Some(p) = ev.get("Properties") else {
                continue;
            };
            if !same(
                p.get("Path").and_then(Value::as_str),
                p.get("Method").and_then(Value::as_str),
            ) {
                continue;
            }
            if let Some(m) = p.get("RequestModel") {
                if m.get("ValidateBody").and_then(Value::as_bool) != Some(false) {
                    return true;
                }
            }
        }
    }
    // Serverless: functions.<fn>.events[].http {path, method, request: {schemas | schema}}.
    if let Some(events) = t.root.get_path(&["functions", r.func, "events"]) {
        for ev in events.items() {
            let Some(h) = ev.get("http") else { continue };
            if !same(
                h.get("path").and_then(Value::as_str),
                h.get("method").and_then(Value::as_str),
            ) {
                continue;
            }
            if h.get_path(&["request", "schemas"]).is_some()
                || h.get_path(&["request", "schema"]).is_some()
            {
                return true;
            }
        }
    }
    false
}

/// Every function reachable from the internet, with how (a public route or an open URL).
/// Computed once per caller, so rules stay linear in the template's size.
pub fn public_functions(cx: &Context<'_>) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for r in public_routes(cx) {
        m.entry(r.func.to_owned())
            .or_insert_with(|| format!("{} on {}", r.label(), r.api));
    }
    for u in cx.template.resources_of("AWS::Lambda::Url") {
        if u.prop("AuthType").and_then(Value::as_str) != Some("NONE") {
            continue;
        }
        for f in u
            .prop("TargetFunctionArn")
            .map(|v| refs(cx.template, v))
            .unwrap_or_default()
        {
            m.entry(f)
                .or_insert_with(|| format!("function URL {}", u.id));
        }
    }
    m
}

/// Every data store a public function reaches: store -> "entry -> function".
pub fn public_stores(cx: &Context<'_>) -> HashMap<String, String> {
    let funcs = public_functions(cx);
    let mut m = HashMap::new();
    for f in cx.template.resources_of("AWS::Lambda::Function") {
        let Some(entry) = funcs.get(&f.id) else {
            continue;
        };
        for x in reach(cx, &f.id) {
            m.entry(x.store.to_owned())
                .or_insert_with(|| format!("{entry} -> {}", f.id));
        }
    }
    m
}

/// Per-API answers memoised for the length of one rule (stages and web ACLs are found by
/// scanning the template, which per route would be quadratic).
#[derive(Debug, Default)]
pub struct ApiMemo(crate::smap::StrMap<bool>);

impl ApiMemo {
    pub fn get(&mut self, api: &str, compute: impl FnOnce() -> bool) -> bool {
        if let Some(&v) = self.0.get(api) {
            return v;
        }
        let v = compute();
        self.0.insert(api.to_owned(), v);
        v
    }
}

/// The access a function has to `store` through a grant on an external ARN that spells the
/// store's literal name (`TableName`, `BucketName`, ...), if any.
fn grant_by_name(cx: &Context<'_>, func: &str, store: &str) -> Option<AccessLevel> {
    let r = cx.template.resource(store)?;
    let key = match r.type_.as_str() {
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::Kinesis::Stream" => "Name",
        _ => return None,
    };
    let name = crate::rules::util::raw_text(r.prop(key)?)?;
    if name.len() < 3 {
        return None;
    }
    let spells = |arn: &str| {
        arn.ends_with(&format!("/{name}"))
            || arn.ends_with(&format!(":{name}"))
            || arn.contains(&format!("/{name}/"))
            || arn.ends_with(&format!(":::{name}/*"))
    };
    let via_graph = cx
        .graph
        .edges_from(func)
        .filter(|e| e.kind == EdgeKind::Access)
        .filter(|e| {
            cx.graph
                .node(&e.to)
                .is_some_and(|n| n.kind == NodeKind::External)
        })
        .filter(|e| spells(&e.to))
        .filter_map(|e| e.access)
        .max();
    if via_graph.is_some() {
        return via_graph;
    }
    // The role's own statements, read directly: the graph leaves ARNs with unresolved
    // variables out of its nodes.
    let t = cx.template;
    let f = t.resource(func)?;
    let role = crate::graph::lookup::function_role(t, f)?;
    let svc = match r.type_.as_str() {
        "AWS::DynamoDB::Table" => "dynamodb",
        "AWS::S3::Bucket" => "s3",
        "AWS::SQS::Queue" => "sqs",
        "AWS::SNS::Topic" => "sns",
        _ => "kinesis",
    };
    let mut best: Option<AccessLevel> = None;
    for (d, _) in cx.graph.iam.docs_of(&role.id) {
        if d.managed.is_some() {
            continue;
        }
        for st in d
            .statements
            .iter()
            .filter(|s| s.is_allow() && !s.not_resource)
        {
            let names_it = st.resources.iter().any(|x| spells(&x.text));
            if !names_it {
                continue;
            }
            for a in st.actions.iter().filter(|_| !st.not_action) {
                let action = a.text.as_str();
                let on_service = action == "*"
                    || action
                        .split(':')
                        .next()
                        .is_some_and(|x| x.eq_ignore_ascii_case(svc));
                if on_service {
                    let level = crate::graph::lookup::access_level(action);
                    best = Some(best.map_or(level, |b| b.max(level)));
                }
            }
        }
    }
    best
}

/// Is the OpenAPI definition of the route's API outside the template (`DefinitionUri`,
/// `BodyS3Location`, or an `AWS::Include` transform)? Then routes declared by SAM or
/// Serverless events may be secured there, and nothing here can say they are open.
fn route_api_external(t: &Template, route: &Route) -> bool {
    let Some(api) = t
        .resource(&route.resource)
        .filter(|r| r.type_ == "AWS::ApiGateway::RestApi" || r.type_ == "AWS::ApiGatewayV2::Api")
    else {
        return false;
    };
    let transformed = |v: Option<&Value>| {
        v.and_then(Value::intrinsic)
            .is_some_and(|(name, _)| name == "Fn::Transform")
    };
    if api.prop("BodyS3Location").is_some()
        || transformed(api.prop("Body"))
        || transformed(api.prop("DefinitionBody"))
    {
        return true;
    }
    // The SAM source of the API, when it was expanded from one.
    t.root
        .get_path(&["Resources", &api.id, "Properties"])
        .is_some_and(|p| p.get("DefinitionUri").is_some() || transformed(p.get("DefinitionBody")))
}
