//! `websocket` events: the integration, the route (with its request authorizer) of
//! `WebsocketsApi`, and the permission; the API itself is emitted by [`super::super::apis`].

use crate::value::Value;

use super::super::apis::lambda_uri;
use super::super::mk::{self, obj, ref_, s};
use super::super::naming::normalize_function_name;
use super::super::Sls;
use super::Event;

/// A `websocket` event.
pub(super) fn websocket_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let route = body
        .as_str()
        .map(str::to_owned)
        .or_else(|| body.get("route").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    x.websockets = true;
    let integ = format!("{norm}WebsocketsIntegration");
    if !x.out.iter().any(|r| r.id == integ) {
        x.push(
            integ.clone(),
            "AWS::ApiGatewayV2::Integration",
            obj(
                ev_span,
                vec![
                    ("ApiId", ref_("WebsocketsApi", ev_span)),
                    ("IntegrationType", s("AWS_PROXY", ev_span)),
                    ("IntegrationUri", lambda_uri(key, ev_span)),
                ],
            ),
            ev_span,
            key,
        );
    }
    let rk: String = route
        .replace('$', "S")
        .replace('/', "Slash")
        .replace('-', "Dash")
        .replace('_', "Underscore")
        .replace('.', "Period");
    let mut rp = obj(
        ev_span,
        vec![
            ("ApiId", ref_("WebsocketsApi", ev_span)),
            ("RouteKey", s(&route, ev_span)),
            ("AuthorizationType", s("NONE", ev_span)),
            (
                "Target",
                mk::join(
                    "/",
                    vec![s("integrations", ev_span), ref_(&integ, ev_span)],
                    ev_span,
                ),
            ),
        ],
    );
    if let Some(a) = body.get("authorizer") {
        let an = a
            .as_str()
            .or_else(|| a.get("name").and_then(Value::as_str))
            .unwrap_or("authorizer");
        let aid = format!("{}WebsocketsAuthorizer", normalize_function_name(an));
        mk::set(&mut rp, "AuthorizationType", s("CUSTOM", a.span));
        mk::set(&mut rp, "AuthorizerId", ref_(&aid, a.span));
        if !x.out.iter().any(|r| r.id == aid) {
            x.push(
                aid,
                "AWS::ApiGatewayV2::Authorizer",
                obj(
                    a.span,
                    vec![
                        ("ApiId", ref_("WebsocketsApi", a.span)),
                        ("AuthorizerType", s("REQUEST", a.span)),
                        ("Name", s(an, a.span)),
                    ],
                ),
                a.span,
                key,
            );
        }
    }
    x.push(
        format!("{rk}WebsocketsRoute"),
        "AWS::ApiGatewayV2::Route",
        rp,
        ev_span,
        key,
    );
    x.push_permission(
        format!("{norm}LambdaPermissionWebsockets"),
        key,
        "apigateway.amazonaws.com",
        None,
        ev_span,
    );
}
