//! `Api` and `HttpApi` events: a permission for API Gateway to invoke the function and a route
//! (an OpenAPI operation with a Lambda proxy integration) added to the API, explicit or implicit.

use crate::value::Value;

use super::super::api::{
    add_route, ensure_implicit, execute_api_any_stage, op_key, ApiKind, IMPLICIT_HTTP_API,
    IMPLICIT_REST_API,
};
use super::super::function::permission;
use super::super::mk::{self, obj, ref_, sub};
use super::super::{plain_id, Cx, Resource};
use super::Event;

/// An `Api` event: a route of a REST API (`RestApiId`, else the implicit `ServerlessRestApi`).
pub(super) fn api_event(cx: &mut Cx, e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let ev = e.name;
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
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

/// An `HttpApi` event: a route of an HTTP API (`ApiId`, else the implicit `ServerlessHttpApi`);
/// no path means the `$default` route, whose permission covers the whole API.
pub(super) fn http_api_event(
    cx: &mut Cx,
    e: &Event<'_>,
    extra: &mut Vec<Resource>,
    http_default_owned: &mut Vec<String>,
) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
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
