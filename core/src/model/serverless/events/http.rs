//! `http` events: REST API routes (operations of `ApiGatewayRestApi`'s body) with their
//! authorizers (IAM, Lambda token/request, Cognito, external by id), API keys and CORS.

use crate::span::Span;
use crate::value::Value;

use super::super::apis::{
    add_scheme, authorizer_uri_of, lambda_uri, op_key, operation, parse_route, set_op, RestApi,
};
use super::super::mk::{self, obj, s, seq, sub};
use super::super::naming::{normalize_function_name, normalize_method, normalize_path};
use super::super::Sls;

pub(super) fn http_event(x: &mut Sls, key: &str, norm: &str, body: &Value, span: Span) {
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
