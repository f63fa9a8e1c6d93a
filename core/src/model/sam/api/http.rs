//! An HTTP API (`AWS::ApiGatewayV2::Api`): its body, CORS configuration and stage.

use crate::value::Value;

use super::super::mk::{self, boolean, obj, ref_, s, seq};
use super::super::{gen, Cx, Resource};
use super::auth::apply_auth;
use super::{body_of, stage_suffix, write_routes, ApiBuild};

pub(super) fn finalize_http(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
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
        r.origin = crate::model::Origin::Declared;
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
