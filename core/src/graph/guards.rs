//! `guards` edges and API protection facts.
//!
//! - authorizer -> API: `AWS::ApiGateway::Authorizer` / `AWS::ApiGatewayV2::Authorizer`
//!   (the user pool in `ProviderARNs` or a JWT issuer, the function in `AuthorizerUri`);
//!   OpenAPI authorizers are added by [`super::routes`];
//! - WAF web ACL -> API (through `AWS::WAFv2::WebACLAssociation` on a stage) or ->
//!   distribution (`DistributionConfig.WebACLId`);
//! - usage plan -> API (`ApiStages`);
//! - user pool -> identity pool (`CognitoIdentityProviders`);
//! - KMS key -> the resource it encrypts (any `*Kms*`/`*KeyId`/`*KeyArn` property);
//! - trail -> the buckets and functions its data events cover;
//! - log group -> resource is added when the log group is a node (see [`super::build`]).
//!
//! Stage settings (throttling, access logs, execution logging, tracing, WAF) are collected
//! per API into [`super::ApiInfo`] and shown as `setting` facts on the API node.

use crate::smap::StrMap;

use crate::model::resolve::{resolve, Resolved};
use crate::model::{Resource, Template};
use crate::value::Value;

use super::info::{ApiInfo, StageInfo, Throttle, UsagePlanInfo};
use super::lookup::{node_target, targets};
use super::{EdgeKind, Fact, GEdge, Graph, NodeKind};

fn guard(
    g: &mut Graph,
    from: &str,
    to: &str,
    label: impl Into<String>,
    span: crate::span::Span,
    via: Option<&str>,
) {
    if from == to {
        return;
    }
    let mut e = GEdge::new(from, to, EdgeKind::Guards, label, span);
    e.via = via.map(str::to_owned);
    g.add_edge(e);
}

/// The node a value points at, going through attached resources (a stage -> its API).
fn node_or_host(t: &Template, g: &Graph, v: &Value) -> Option<String> {
    for id in targets(t, v) {
        if g.has(&id) {
            return Some(id);
        }
        if let Some(h) = g.attached.get(&id) {
            return Some(h.clone());
        }
    }
    None
}

pub fn build_guards(t: &Template, g: &mut Graph) {
    authorizers(t, g);
    identity_providers(t, g);
    waf(t, g);
    usage_plans(t, g);
    kms(t, g);
    trails(t, g);
    distributions(t, g);
    let apis = api_infos(t, g);
    for (id, info) in &apis {
        for s in &info.stages {
            let text = s.summary();
            let Some(n) = g.node_mut(id) else { continue };
            // The stage (or deployment) is already a fact of the API: say what it does.
            match n
                .facts
                .iter_mut()
                .find(|f| f.id.as_deref() == Some(s.id.as_str()))
            {
                Some(f) => {
                    f.kind = "stage".into();
                    f.text = text;
                }
                None => n.facts.push(Fact {
                    kind: "stage".into(),
                    id: Some(s.id.clone()),
                    text,
                }),
            }
        }
    }
    g.derived.apis = apis;
}

fn authorizers(t: &Template, g: &mut Graph) {
    for a in t.resources.iter().filter(|r| {
        matches!(
            r.type_.as_str(),
            "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer"
        )
    }) {
        let Some(api) = a
            .prop("RestApiId")
            .or_else(|| a.prop("ApiId"))
            .and_then(|v| node_target(t, g, v))
        else {
            continue;
        };
        let mut by = Vec::new();
        for key in ["ProviderARNs", "AuthorizerUri", "JwtConfiguration"] {
            if let Some(v) = a.prop(key) {
                for id in targets(t, v) {
                    if g.has(&id) {
                        by.push(id);
                    } else if let Some(h) = g.attached.get(&id) {
                        by.push(h.clone());
                    }
                }
            }
        }
        for b in by {
            guard(
                g,
                &b,
                &api,
                format!("authorizer {}", a.id),
                a.span,
                Some(&a.id),
            );
        }
    }
}

/// User pools an identity pool trusts sign users in for it.
fn identity_providers(t: &Template, g: &mut Graph) {
    let pools: Vec<&crate::model::Resource> = t
        .resources_of("AWS::Cognito::IdentityPool")
        .filter(|r| g.has(&r.id))
        .collect();
    for p in pools {
        for prov in p
            .prop("CognitoIdentityProviders")
            .map(Value::items)
            .unwrap_or_default()
        {
            for key in ["ProviderName", "ClientId"] {
                if let Some(up) = prov.get(key).and_then(|v| node_or_host(t, g, v)) {
                    if g.node(&up).is_some_and(|n| n.kind == NodeKind::UserPool) {
                        guard(g, &up, &p.id, "identity provider", prov.span, None);
                    }
                }
            }
        }
    }
}

fn waf(t: &Template, g: &mut Graph) {
    for a in t.resources.iter().filter(|r| {
        matches!(
            r.type_.as_str(),
            "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation"
        )
    }) {
        let acl = a
            .prop("WebACLArn")
            .or_else(|| a.prop("WebACLId"))
            .and_then(|v| super::lookup::target_or_external(t, g, v));
        let Some(acl) = acl else { continue };
        let Some(res) = a.prop("ResourceArn").and_then(|v| node_or_host(t, g, v)) else {
            continue;
        };
        guard(g, &acl, &res, "WAF", a.span, Some(&a.id));
    }
}

fn distributions(t: &Template, g: &mut Graph) {
    for d in t.resources_of("AWS::CloudFront::Distribution") {
        let Some(cfg) = d.prop("DistributionConfig") else {
            continue;
        };
        if let Some(acl) = cfg
            .get("WebACLId")
            .and_then(|v| super::lookup::target_or_external(t, g, v))
        {
            guard(
                g,
                &acl,
                &d.id,
                "WAF",
                d.span_of(&["DistributionConfig", "WebACLId"]),
                None,
            );
        }
        for o in cfg.get("Origins").map(Value::items).unwrap_or_default() {
            if let Some(to) = o.get("DomainName").and_then(|v| node_target(t, g, v)) {
                let mut e = GEdge::new(&d.id, &to, EdgeKind::Trigger, "origin", o.span);
                e.via = Some(d.id.clone());
                g.add_edge(e);
            }
        }
    }
}

fn usage_plans(t: &Template, g: &mut Graph) {
    for p in t.resources_of("AWS::ApiGateway::UsagePlan") {
        for s in p.prop("ApiStages").map(Value::items).unwrap_or_default() {
            if let Some(api) = s.get("ApiId").and_then(|v| node_target(t, g, v)) {
                guard(g, &p.id, &api, "usage plan", s.span, Some(&p.id));
            }
        }
    }
}

fn is_key_prop(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.contains("kms") || l.ends_with("keyid") || l.ends_with("keyarn") || l == "encryptionkey"
}

/// KMS keys named anywhere in `v` under a key-like property.
fn kms_keys(t: &Template, v: &Value, under_key: bool, out: &mut Vec<String>) {
    match &v.node {
        crate::value::Node::Map(m) => {
            if v.intrinsic().is_some() {
                if under_key {
                    for id in targets(t, v) {
                        let id = alias_target(t, &id);
                        if t.resource(&id).is_some_and(|r| r.type_ == "AWS::KMS::Key")
                            && !out.contains(&id)
                        {
                            out.push(id);
                        }
                    }
                }
                return;
            }
            for (k, x) in m {
                kms_keys(t, x, under_key || is_key_prop(&k.name), out);
            }
        }
        crate::value::Node::Seq(items) => {
            for x in items {
                kms_keys(t, x, under_key, out);
            }
        }
        _ => {}
    }
}

fn alias_target(t: &Template, id: &str) -> String {
    t.resource(id)
        .filter(|r| r.type_ == "AWS::KMS::Alias")
        .and_then(|r| r.prop("TargetKeyId"))
        .and_then(|v| targets(t, v).into_iter().next())
        .unwrap_or_else(|| id.to_owned())
}

fn kms(t: &Template, g: &mut Graph) {
    for r in &t.resources {
        if r.type_.starts_with("AWS::KMS::") || r.type_.starts_with("AWS::IAM::") {
            continue;
        }
        let host = if g.has(&r.id) {
            r.id.clone()
        } else if let Some(h) = g.attached.get(&r.id) {
            h.clone()
        } else {
            continue;
        };
        let mut keys = Vec::new();
        kms_keys(t, &r.properties, false, &mut keys);
        for k in keys {
            if g.has(&k) {
                let label = if host == r.id {
                    "encrypts".to_owned()
                } else {
                    format!("encrypts {}", r.id)
                };
                guard(g, &k, &host, label, r.span, Some(&r.id));
            }
        }
    }
}

fn trails(t: &Template, g: &mut Graph) {
    for tr in t.resources_of("AWS::CloudTrail::Trail") {
        let mut covered = Vec::new();
        for sel in tr
            .prop("EventSelectors")
            .map(Value::items)
            .unwrap_or_default()
        {
            for dr in sel
                .get("DataResources")
                .map(Value::items)
                .unwrap_or_default()
            {
                if let Some(v) = dr.get("Values") {
                    covered.extend(targets(t, v).into_iter().filter(|id| g.has(id)));
                }
            }
        }
        for c in covered {
            guard(
                g,
                &tr.id,
                &c,
                "data events",
                tr.span_of(&["EventSelectors"]),
                None,
            );
        }
        if let Some(b) = tr.prop("S3BucketName").and_then(|v| node_target(t, g, v)) {
            g.add_fact(
                &b,
                Fact {
                    kind: "setting".into(),
                    id: Some(tr.id.clone()),
                    text: format!("receives CloudTrail logs of {}", tr.id),
                },
            );
        }
    }
}

fn num(t: &Template, v: Option<&Value>) -> Option<f64> {
    let v = v?;
    v.as_f64().or_else(|| match resolve(t, v) {
        Resolved::Literal(s) => crate::value::parse_number(s.trim()),
        _ => None,
    })
}

fn truthy(t: &Template, v: Option<&Value>) -> bool {
    v.is_some_and(|v| {
        v.as_bool().unwrap_or_else(
            || matches!(resolve(t, v), Resolved::Literal(s) if s.eq_ignore_ascii_case("true")),
        )
    })
}

fn throttle_of(t: &Template, v: &Value, rate: &str, burst: &str) -> Option<Throttle> {
    let r = num(t, v.get(rate));
    let b = num(t, v.get(burst));
    (r.is_some() || b.is_some()).then_some(Throttle {
        rate: r,
        burst: b.map(|b| b as i64),
    })
}

/// `/~1author~1{id}` -> `/author/{id}`; `/*` stays.
fn decode_path(p: &str) -> String {
    let s = p.replace("~1", "/");
    let s = s.trim_start_matches('/');
    if s.starts_with('/') {
        s.to_owned()
    } else {
        format!("/{s}")
    }
}

fn rest_stage_settings(t: &Template, s: &mut StageInfo, v: &Value) {
    // Deployment StageDescription has stage-wide throttling and logging at the top.
    if let Some(th) = throttle_of(t, v, "ThrottlingRateLimit", "ThrottlingBurstLimit") {
        s.throttle = Some(th);
    }
    if let Some(l) = v.get("LoggingLevel").and_then(Value::as_str) {
        s.execution_logging = Some(l.to_ascii_uppercase());
    }
    s.data_trace |= truthy(t, v.get("DataTraceEnabled"));
    s.tracing |= truthy(t, v.get("TracingEnabled"));
    if v.get_path(&["AccessLogSetting", "DestinationArn"])
        .is_some()
    {
        s.access_logs = true;
    }
    for ms in v
        .get("MethodSettings")
        .map(Value::items)
        .unwrap_or_default()
    {
        let method = ms
            .get("HttpMethod")
            .and_then(Value::as_str)
            .unwrap_or("*")
            .to_ascii_uppercase();
        let path = decode_path(
            ms.get("ResourcePath")
                .and_then(Value::as_str)
                .unwrap_or("/*"),
        );
        let all = method == "*" && path == "/*";
        if let Some(th) = throttle_of(t, ms, "ThrottlingRateLimit", "ThrottlingBurstLimit") {
            if all {
                s.throttle = Some(th);
            } else {
                s.route_throttles.push((method.clone(), path.clone(), th));
            }
        }
        if all {
            if let Some(l) = ms.get("LoggingLevel").and_then(Value::as_str) {
                s.execution_logging = Some(l.to_ascii_uppercase());
            }
            s.data_trace |= truthy(t, ms.get("DataTraceEnabled"));
        }
    }
}

fn stage_name(t: &Template, r: &Resource, key: &str) -> String {
    match r.prop(key).map(|v| resolve(t, v)) {
        Some(Resolved::Literal(s)) => s,
        _ => r.id.clone(),
    }
}

/// Stage settings, WAF and usage plans of every API node.
pub fn api_infos(t: &Template, g: &Graph) -> StrMap<ApiInfo> {
    let mut out: StrMap<ApiInfo> = StrMap::new();
    for r in &t.resources {
        if g.node(&r.id).is_some_and(|n| n.kind == NodeKind::Api) {
            let protocol = match r.type_.as_str() {
                "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi" => r
                    .prop("ProtocolType")
                    .and_then(Value::as_str)
                    .unwrap_or("HTTP")
                    .to_ascii_uppercase(),
                "AWS::AppSync::GraphQLApi" => "GRAPHQL".to_owned(),
                "AWS::ElasticLoadBalancingV2::LoadBalancer" => "ALB".to_owned(),
                _ => "REST".to_owned(),
            };
            let private = r
                .prop_path(&["EndpointConfiguration", "Types"])
                .map(|v| {
                    v.items().iter().any(|x| {
                        x.as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case("PRIVATE"))
                    })
                })
                .unwrap_or(false)
                || r.prop("DisableExecuteApiEndpoint").and_then(Value::as_bool) == Some(true)
                || r.prop("Scheme").and_then(Value::as_str) == Some("internal");
            out.insert(
                r.id.clone(),
                ApiInfo {
                    id: r.id.clone(),
                    protocol,
                    private,
                    resource_policy: r.prop("Policy").is_some()
                        || r.prop_path(&["Body", "x-amazon-apigateway-policy"])
                            .is_some(),
                    ..ApiInfo::default()
                },
            );
        }
    }
    for r in &t.resources {
        let api_key = match r.type_.as_str() {
            "AWS::ApiGateway::Stage" | "AWS::ApiGateway::Deployment" => "RestApiId",
            "AWS::ApiGatewayV2::Stage" => "ApiId",
            _ => continue,
        };
        let Some(api) = r.prop(api_key).and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let Some(info) = out.get_mut(&api) else {
            continue;
        };
        let mut s = StageInfo {
            id: r.id.clone(),
            ..StageInfo::default()
        };
        match r.type_.as_str() {
            "AWS::ApiGateway::Stage" => {
                s.name = stage_name(t, r, "StageName");
                rest_stage_settings(t, &mut s, &r.properties);
            }
            "AWS::ApiGateway::Deployment" => {
                let Some(desc) = r.prop("StageDescription") else {
                    continue;
                };
                if r.prop("StageName").is_none() {
                    continue;
                }
                s.name = stage_name(t, r, "StageName");
                rest_stage_settings(t, &mut s, desc);
            }
            _ => {
                s.name = stage_name(t, r, "StageName");
                if let Some(d) = r.prop("DefaultRouteSettings") {
                    s.throttle = throttle_of(t, d, "ThrottlingRateLimit", "ThrottlingBurstLimit");
                    if let Some(l) = d.get("LoggingLevel").and_then(Value::as_str) {
                        s.execution_logging = Some(l.to_ascii_uppercase());
                    }
                    s.data_trace |= truthy(t, d.get("DataTraceEnabled"));
                }
                for (k, v) in r
                    .prop("RouteSettings")
                    .and_then(Value::as_map)
                    .unwrap_or_default()
                {
                    if let Some(th) =
                        throttle_of(t, v, "ThrottlingRateLimit", "ThrottlingBurstLimit")
                    {
                        let (m, p) = match k.name.split_once(' ') {
                            Some((m, p)) => (m.to_ascii_uppercase(), p.to_owned()),
                            None => ("*".to_owned(), k.name.clone()),
                        };
                        s.route_throttles.push((m, p, th));
                    }
                }
                s.access_logs = r
                    .prop_path(&["AccessLogSettings", "DestinationArn"])
                    .is_some();
            }
        }
        info.stages.push(s);
    }
    // WAF associations on a stage or the API.
    for a in t.resources.iter().filter(|r| {
        matches!(
            r.type_.as_str(),
            "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation"
        )
    }) {
        let Some(res) = a.prop("ResourceArn") else {
            continue;
        };
        let acl = a
            .prop("WebACLArn")
            .or_else(|| a.prop("WebACLId"))
            .and_then(|v| targets(t, v).into_iter().next())
            .or_else(|| {
                a.prop("WebACLArn")
                    .and_then(|v| super::lookup::external_key(t, v))
                    .map(|k| k.0)
            })
            .unwrap_or_else(|| a.id.clone());
        let refs = targets(t, res);
        for info in out.values_mut() {
            let stage_hit = info
                .stages
                .iter_mut()
                .filter(|s| refs.contains(&s.id))
                .fold(false, |_, s| {
                    s.waf.push(acl.clone());
                    true
                });
            if (stage_hit || refs.contains(&info.id)) && !info.waf.contains(&acl) {
                info.waf.push(acl.clone());
            }
        }
    }
    // A CloudFront distribution with a web ACL in front of the API.
    for d in t.resources_of("AWS::CloudFront::Distribution") {
        let Some(cfg) = d.prop("DistributionConfig") else {
            continue;
        };
        let Some(acl) = cfg.get("WebACLId") else {
            continue;
        };
        let acl = targets(t, acl)
            .into_iter()
            .next()
            .unwrap_or_else(|| d.id.clone());
        for o in cfg.get("Origins").map(Value::items).unwrap_or_default() {
            if let Some(api) = o.get("DomainName").map(|v| targets(t, v)) {
                for id in api {
                    if let Some(info) = out.get_mut(&id) {
                        if !info.waf.contains(&acl) {
                            info.waf.push(acl.clone());
                        }
                    }
                }
            }
        }
    }
    for p in t.resources_of("AWS::ApiGateway::UsagePlan") {
        let throttle = p
            .prop("Throttle")
            .and_then(|v| throttle_of(t, v, "RateLimit", "BurstLimit"));
        let quota = p.prop("Quota").is_some();
        for s in p.prop("ApiStages").map(Value::items).unwrap_or_default() {
            let Some(api) = s.get("ApiId").and_then(|v| node_target(t, g, v)) else {
                continue;
            };
            if let Some(info) = out.get_mut(&api) {
                info.usage_plans.push(UsagePlanInfo {
                    id: p.id.clone(),
                    throttle,
                    quota,
                });
            }
        }
    }
    for r in t
        .resources
        .iter()
        .filter(|r| matches!(r.type_.as_str(), "AWS::ApiGateway::RequestValidator"))
    {
        if let Some(api) = r.prop("RestApiId").and_then(|v| node_target(t, g, v)) {
            if let Some(info) = out.get_mut(&api) {
                info.request_validators.push(r.id.clone());
            }
        }
    }
    out
}
