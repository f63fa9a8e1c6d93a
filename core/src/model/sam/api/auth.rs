//! `Auth` of an API: authorizers as OpenAPI security schemes, the default authorizer, per-route
//! `security`, API keys, IAM, and `Auth.ResourcePolicy` as `x-amazon-apigateway-policy`.

use crate::span::Span;
use crate::value::{Key, Value};

use super::super::mk::{self, obj, ref_, s, seq};
use super::super::{gen, Cx, Resource};
use super::{sub_with_api, ApiBuild, ApiKind};

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
    crate::model::openapi::operations(body)
        .into_iter()
        .map(|o| (o.path.to_owned(), o.key.to_owned()))
        .collect()
}

fn op_mut<'a>(body: &'a mut Value, path: &str, op: &str) -> Option<&'a mut Value> {
    mk::get_mut(mk::get_mut(mk::get_mut(body, "paths")?, path)?, op)
}

/// Apply `Auth` (authorizers, default, per-route, API keys) to a body.
pub(super) fn apply_auth(cx: &mut Cx, api: &ApiBuild, body: &mut Value) -> Vec<Resource> {
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
            if let Some(sc) = a.get("AuthorizationScopes") {
                authorizer_scopes.insert(k.name.clone(), sc.clone());
            }
            let scheme = match api.kind {
                ApiKind::Rest => rest_authorizer_scheme(cx, api, k, a, &mut extra),
                ApiKind::Http => http_authorizer_scheme(cx, api, k, a, &mut extra),
            };
            let Some(scheme) = scheme else {
                continue;
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

/// The security scheme of one `Auth.Authorizers` entry of a REST API (Cognito or Lambda), and
/// the permission for API Gateway to invoke a Lambda authorizer unless it is turned off.
fn rest_authorizer_scheme(
    cx: &mut Cx,
    api: &ApiBuild,
    k: &Key,
    a: &Value,
    extra: &mut Vec<Resource>,
) -> Option<Value> {
    let sp = k.span;
    let scheme = if let Some(pool) = a.get("UserPoolArn") {
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
        let request = a.get("FunctionPayloadType").and_then(Value::as_str) == Some("REQUEST");
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
        return None;
    };
    Some(scheme)
}

/// The security scheme of one `Auth.Authorizers` entry of an HTTP API (JWT or Lambda), and
/// the permission for a Lambda authorizer when it is asked for.
fn http_authorizer_scheme(
    cx: &mut Cx,
    api: &ApiBuild,
    k: &Key,
    a: &Value,
    extra: &mut Vec<Resource>,
) -> Option<Value> {
    let sp = k.span;
    let scheme = if let Some(jwt) = a.get("JwtConfiguration") {
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
        return None;
    };
    Some(scheme)
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

/// `Auth.ResourcePolicy` (API level, and per event) as the statements SAM writes into
/// `x-amazon-apigateway-policy`: account / IP range / VPC allow- and block-lists per route,
/// then `CustomStatements`.
pub(super) fn resource_policy_statements(api: &ApiBuild) -> Vec<Value> {
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
