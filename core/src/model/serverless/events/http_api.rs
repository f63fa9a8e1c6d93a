//! `httpApi` events: HTTP API routes (operations of `HttpApi`'s body) and the authorizers of
//! `provider.httpApi.authorizers` (JWT, Lambda request).

use crate::span::Span;
use crate::value::Value;

use super::super::apis::{
    add_scheme, authorizer_uri_of, lambda_uri, op_key, operation, parse_route, set_op, HttpApi,
};
use super::super::mk::{self, obj, s, seq, sub};
use super::super::naming::{normalize_function_name, normalize_path};
use super::super::Sls;

pub(super) fn http_api_event(x: &mut Sls, key: &str, norm: &str, body: &Value, span: Span) {
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
