//! The APIs the events asked for — the REST API `ApiGatewayRestApi` (deployment, stage settings
//! applied after deploy, API keys, usage plan), the HTTP API `HttpApi` and its stage, the
//! WebSocket API `WebsocketsApi` — with `provider.apiGateway`/`httpApi`/`logs`/`tracing`
//! settings; and the helpers that write routes into their OpenAPI bodies.

use crate::span::Span;
use crate::value::{Node, Value};

use super::mk::{self, boolean, getatt, obj, ref_, s, seq, sub};
use super::Sls;

pub(super) struct RestApi {
    pub(super) span: Span,
    pub(super) body: Value,
    pub(super) api_key: bool,
}

pub(super) struct HttpApi {
    pub(super) span: Span,
    pub(super) body: Value,
}

/// Emit the APIs the events asked for, with provider.apiGateway / logs / tracing settings.
pub(super) fn finish_apis(x: &mut Sls) {
    if let Some(rest) = x.rest.take() {
        finish_rest(x, rest);
    }
    if let Some(h) = x.http.take() {
        finish_http(x, h);
    }
    if x.websockets {
        finish_websockets(x);
    }
}

/// `ApiGatewayRestApi`, its deployment (with the stage settings applied after deploy), API keys
/// and usage plan.
fn finish_rest(x: &mut Sls, mut rest: RestApi) {
    let span = rest.span;
    let api_cfg = x
        .p(&["apiGateway"])
        .cloned()
        .unwrap_or_else(|| mk::empty(span));
    let external = api_cfg.get("restApiId").is_some();
    if rest.api_key || api_cfg.get("apiKeys").is_some() {
        add_scheme(
            &mut rest.body,
            &["securityDefinitions"],
            "api_key",
            mk::header_scheme(s("x-api-key", span), None, None, span),
        );
    }
    let name = x.p(&["apiName"]).cloned().unwrap_or_else(|| {
        if api_cfg
            .get("shouldStartNameWithService")
            .and_then(Value::as_bool)
            == Some(true)
        {
            s(format!("{}-{}", x.service, x.stage), span)
        } else {
            s(format!("{}-{}", x.stage, x.service), span)
        }
    });
    if let Some(info) = mk::get_mut(&mut rest.body, "info") {
        mk::set(info, "title", name.clone());
    }
    let mut props = obj(span, vec![("Name", name), ("Body", rest.body)]);
    let endpoint = x
        .p(&["endpointType"])
        .and_then(Value::as_str)
        .unwrap_or("EDGE")
        .to_ascii_uppercase();
    mk::set(
        &mut props,
        "EndpointConfiguration",
        obj(span, vec![("Types", seq(span, vec![s(endpoint, span)]))]),
    );
    match api_cfg.get("resourcePolicy") {
        Some(rp) => mk::set(
            &mut props,
            "Policy",
            obj(
                rp.span,
                vec![
                    ("Version", s("2012-10-17", rp.span)),
                    ("Statement", rp.clone()),
                ],
            ),
        ),
        None => mk::set(&mut props, "Policy", s("", span)),
    }
    for (k, to) in [
        ("apiKeySourceType", "ApiKeySourceType"),
        ("minimumCompressionSize", "MinimumCompressionSize"),
        ("binaryMediaTypes", "BinaryMediaTypes"),
        ("description", "Description"),
        ("disableDefaultEndpoint", "DisableExecuteApiEndpoint"),
    ] {
        mk::copy(&api_cfg, k, &mut props, to);
    }
    if external {
        x.warn("provider.apiGateway.restApiId: the REST API is defined elsewhere; its routes are recorded on a placeholder `ApiGatewayRestApi`", api_cfg.span);
    }
    x.push(
        "ApiGatewayRestApi".into(),
        "AWS::ApiGateway::RestApi",
        props,
        span,
        "provider",
    );
    // Deployment (+ the stage settings Serverless patches in after deploy).
    let stage_name = api_cfg
        .get("stage")
        .cloned()
        .unwrap_or_else(|| s(&x.stage, span));
    let mut dep = mk::resource(
        "ApiGatewayDeployment".into(),
        "AWS::ApiGateway::Deployment",
        obj(
            span,
            vec![
                ("RestApiId", ref_("ApiGatewayRestApi", span)),
                ("StageName", stage_name.clone()),
            ],
        ),
        span,
        "provider",
    );
    let mut settings = mk::empty(span);
    if let Some(t) = x.p(&["tracing", "apiGateway"]).and_then(Value::as_bool) {
        mk::set(&mut settings, "TracingEnabled", boolean(t, span));
    }
    if let Some(l) = x.p(&["logs", "restApi"]).cloned() {
        let lsp = l.span;
        if l.as_bool() == Some(false) {
            mk::set(
                &mut settings,
                "MethodSettings",
                all_methods_logging("OFF", false, lsp),
            );
        } else {
            let access = l.get("accessLogging").and_then(Value::as_bool) != Some(false);
            let exec = l.get("executionLogging").and_then(Value::as_bool) != Some(false);
            let level = if exec {
                l.get("level")
                    .and_then(Value::as_str)
                    .unwrap_or("INFO")
                    .to_owned()
            } else {
                "OFF".to_owned()
            };
            let full = l.get("fullExecutionData").and_then(Value::as_bool) != Some(false);
            mk::set(
                &mut settings,
                "MethodSettings",
                all_methods_logging(level, exec && full, lsp),
            );
            if access {
                let mut lg = obj(
                    lsp,
                    vec![(
                        "LogGroupName",
                        s(format!("/aws/api-gateway/{}-{}", x.service, x.stage), lsp),
                    )],
                );
                if let Some(r) = x.p(&["logRetentionInDays"]) {
                    mk::set(&mut lg, "RetentionInDays", r.clone());
                }
                x.push(
                    "ApiGatewayLogGroup".into(),
                    "AWS::Logs::LogGroup",
                    lg,
                    lsp,
                    "provider",
                );
                let mut als = obj(
                    lsp,
                    vec![("DestinationArn", getatt("ApiGatewayLogGroup", "Arn", lsp))],
                );
                mk::copy(&l, "format", &mut als, "Format");
                mk::set(&mut settings, "AccessLogSetting", als);
            }
        }
    }
    if settings.as_map().is_some_and(|m| !m.is_empty()) {
        dep.metadata = Some(obj(
            span,
            vec![("StageSettingsAppliedAfterDeploy", settings)],
        ));
    }
    x.out.push(dep);
    // API keys and usage plans.
    let keys = api_cfg.get("apiKeys").map(Value::items).unwrap_or_default();
    let mut n = 0;
    let mut key_ids = Vec::new();
    for k in keys {
        n += 1;
        let kid = format!("ApiGatewayApiKey{n}");
        let mut kp = obj(
            k.span,
            vec![
                ("Enabled", boolean(true, k.span)),
                (
                    "StageKeys",
                    seq(
                        k.span,
                        vec![obj(
                            k.span,
                            vec![
                                ("RestApiId", ref_("ApiGatewayRestApi", k.span)),
                                ("StageName", stage_name.clone()),
                            ],
                        )],
                    ),
                ),
            ],
        );
        if let Some(nm) = k.as_str() {
            mk::set(&mut kp, "Name", s(nm, k.span));
        } else {
            mk::copy(k, "name", &mut kp, "Name");
            mk::copy(k, "value", &mut kp, "Value");
        }
        let mut r = mk::resource(
            kid.clone(),
            "AWS::ApiGateway::ApiKey",
            kp,
            k.span,
            "provider",
        );
        r.depends_on.push("ApiGatewayDeployment".into());
        x.out.push(r);
        key_ids.push(kid);
    }
    if api_cfg.get("usagePlan").is_some() || !key_ids.is_empty() {
        let up = api_cfg
            .get("usagePlan")
            .cloned()
            .unwrap_or_else(|| mk::empty(span));
        let sp = up.span;
        let mut pp = obj(
            sp,
            vec![
                (
                    "ApiStages",
                    seq(
                        sp,
                        vec![obj(
                            sp,
                            vec![
                                ("ApiId", ref_("ApiGatewayRestApi", sp)),
                                ("Stage", stage_name.clone()),
                            ],
                        )],
                    ),
                ),
                ("UsagePlanName", s(format!("{}-{}", x.service, x.stage), sp)),
            ],
        );
        if let Some(q) = up.get("quota") {
            let mut qq = mk::empty(q.span);
            mk::copy(q, "limit", &mut qq, "Limit");
            mk::copy(q, "offset", &mut qq, "Offset");
            mk::copy(q, "period", &mut qq, "Period");
            mk::set(&mut pp, "Quota", qq);
        }
        if let Some(t) = up.get("throttle") {
            let mut tt = mk::empty(t.span);
            mk::copy(t, "burstLimit", &mut tt, "BurstLimit");
            mk::copy(t, "rateLimit", &mut tt, "RateLimit");
            mk::set(&mut pp, "Throttle", tt);
        }
        x.push(
            "ApiGatewayUsagePlan".into(),
            "AWS::ApiGateway::UsagePlan",
            pp,
            sp,
            "provider",
        );
        for (i, kid) in key_ids.iter().enumerate() {
            x.push(
                format!("ApiGatewayUsagePlanKey{}", i + 1),
                "AWS::ApiGateway::UsagePlanKey",
                obj(
                    sp,
                    vec![
                        ("KeyId", ref_(kid, sp)),
                        ("KeyType", s("API_KEY", sp)),
                        ("UsagePlanId", ref_("ApiGatewayUsagePlan", sp)),
                    ],
                ),
                sp,
                "provider",
            );
        }
    }
}

/// `HttpApi` and its `$default` stage (access logs from `provider.logs.httpApi`).
fn finish_http(x: &mut Sls, h: HttpApi) {
    let span = h.span;
    let mut body = h.body;
    let cfg = x
        .p(&["httpApi"])
        .cloned()
        .unwrap_or_else(|| mk::empty(span));
    if let Some(c) = cfg.get("cors").filter(|c| c.as_bool() != Some(false)) {
        mk::set(
            &mut body,
            "x-amazon-apigateway-cors",
            if c.as_bool() == Some(true) {
                obj(
                    c.span,
                    vec![("allowOrigins", seq(c.span, vec![s("*", c.span)]))],
                )
            } else {
                c.clone()
            },
        );
    }
    let name = cfg
        .get("name")
        .cloned()
        .unwrap_or_else(|| s(format!("{}-{}", x.stage, x.service), span));
    let mut props = obj(
        span,
        vec![
            ("Name", name),
            ("ProtocolType", s("HTTP", span)),
            ("Body", body),
        ],
    );
    mk::copy(
        &cfg,
        "disableDefaultEndpoint",
        &mut props,
        "DisableExecuteApiEndpoint",
    );
    x.push(
        "HttpApi".into(),
        "AWS::ApiGatewayV2::Api",
        props,
        span,
        "provider",
    );
    let mut st = obj(
        span,
        vec![
            ("ApiId", ref_("HttpApi", span)),
            ("StageName", s("$default", span)),
            ("AutoDeploy", boolean(true, span)),
        ],
    );
    mk::copy(&cfg, "metrics", &mut st, "DetailedMetricsEnabled");
    if let Some(l) = x
        .p(&["logs", "httpApi"])
        .cloned()
        .filter(|l| l.as_bool() != Some(false))
    {
        let lsp = l.span;
        x.push(
            "HttpApiLogGroup".into(),
            "AWS::Logs::LogGroup",
            obj(
                lsp,
                vec![(
                    "LogGroupName",
                    s(format!("/aws/http-api/{}-{}", x.service, x.stage), lsp),
                )],
            ),
            lsp,
            "provider",
        );
        let mut als = obj(
            lsp,
            vec![("DestinationArn", getatt("HttpApiLogGroup", "Arn", lsp))],
        );
        mk::copy(&l, "format", &mut als, "Format");
        mk::set(&mut st, "AccessLogSettings", als);
    }
    x.push(
        "HttpApiStage".into(),
        "AWS::ApiGatewayV2::Stage",
        st,
        span,
        "provider",
    );
}

/// `WebsocketsApi`, and the shared role's right to post to its connections.
fn finish_websockets(x: &mut Sls) {
    let span = x.provider.span;
    x.push(
        "WebsocketsApi".into(),
        "AWS::ApiGatewayV2::Api",
        obj(
            span,
            vec![
                (
                    "Name",
                    s(format!("{}-{}-websockets", x.stage, x.service), span),
                ),
                ("ProtocolType", s("WEBSOCKET", span)),
                ("RouteSelectionExpression", s("$request.body.action", span)),
            ],
        ),
        span,
        "provider",
    );
    x.role_statements.push(mk::allow(
        &["execute-api:ManageConnections"],
        seq(
            span,
            vec![s(
                "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*",
                span,
            )],
        ),
        span,
    ));
}

/// Stage `MethodSettings` for every method: the execution log level and data tracing.
fn all_methods_logging(level: impl Into<String>, data_trace: bool, span: Span) -> Value {
    seq(
        span,
        vec![obj(
            span,
            vec![
                ("LoggingLevel", s(level, span)),
                ("DataTraceEnabled", boolean(data_trace, span)),
                ("HttpMethod", s("*", span)),
                ("ResourcePath", s("/*", span)),
            ],
        )],
    )
}

pub(super) fn lambda_uri(fn_key: &str, span: Span) -> Value {
    sub(mk::invocations_uri(&format!("${{{fn_key}.Arn}}")), span)
}

pub(super) fn authorizer_uri_of(x: &Sls, name_or_arn: &Value, span: Span) -> Value {
    match name_or_arn.as_str() {
        Some(n) if x.functions.iter().any(|f| f == n) => lambda_uri(n, span),
        _ => Value::single(
            "Fn::Sub",
            span,
            seq(
                span,
                vec![
                    s(mk::invocations_uri("${__FunctionArn__}"), span),
                    obj(span, vec![("__FunctionArn__", name_or_arn.clone())]),
                ],
            ),
        ),
    }
}

pub(super) fn parse_route(body: &Value) -> Option<(String, String)> {
    if let Some(t) = body.as_str() {
        if t.trim() == "*" {
            return Some(("*".into(), "$default".into()));
        }
        let (m, p) = t.trim().split_once(char::is_whitespace)?;
        return Some((m.trim().to_owned(), p.trim().to_owned()));
    }
    let p = body.get("path").and_then(Value::as_str)?;
    let m = body.get("method").and_then(Value::as_str).unwrap_or("ANY");
    Some((m.to_owned(), p.to_owned()))
}

pub(super) fn op_key(method: &str) -> String {
    let m = method.to_ascii_lowercase();
    if m == "any" || m == "*" {
        "x-amazon-apigateway-any-method".into()
    } else {
        m
    }
}

pub(super) fn operation(
    uri: Value,
    payload: Option<&str>,
    logical_id: String,
    span: Span,
) -> Value {
    let integ = mk::lambda_proxy(uri, payload, span);
    obj(
        span,
        vec![
            ("x-amazon-apigateway-integration", integ),
            ("responses", mk::empty(span)),
            ("x-pillarlint-logical-id", s(logical_id, span)),
        ],
    )
}

pub(super) fn set_op(body: &mut Value, path: &str, op: &str, val: Value, span: Span) {
    let paths = mk::entry_map(body, "paths");
    let item = mk::entry_map(paths, path);
    mk::set(item, op, val);
    if let Node::Map(entries) = &mut paths.node {
        if let Some((k, _)) = entries.iter_mut().find(|(k, _)| k.name == path) {
            k.span = span;
        }
    }
}

pub(super) fn add_scheme(body: &mut Value, path: &[&str], name: &str, scheme: Value) {
    let mut target: &mut Value = body;
    for k in path {
        target = mk::entry_map(target, k);
    }
    if target.get(name).is_none() {
        mk::set(target, name, scheme);
    }
}
