//! A REST API (`AWS::ApiGateway::RestApi`): its body, CORS preflight operations, deployment,
//! stage and usage plans.

use crate::span::Span;
use crate::value::Value;

use super::super::mk::{self, boolean, obj, ref_, s, seq};
use super::super::{gen, Cx, Resource};
use super::auth::{apply_auth, resource_policy_statements};
use super::{body_of, stage_suffix, write_routes, ApiBuild};

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

pub(super) fn finalize_rest(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
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
        r.origin = crate::model::Origin::Declared;
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
