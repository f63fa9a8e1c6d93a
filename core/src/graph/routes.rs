//! API routes, from the three places a template can declare them, with effective auth:
//!
//! - `AWS::ApiGateway::Method` (+ the `AWS::ApiGateway::Resource` tree for the path):
//!   `AuthorizationType` (absent means `NONE`), `AuthorizerId`, `ApiKeyRequired`;
//! - `AWS::ApiGatewayV2::Route` + `AWS::ApiGatewayV2::Integration` (HTTP and WebSocket):
//!   `RouteKey`, `AuthorizationType`, `AuthorizerId`; WebSocket routes other than
//!   `$connect` inherit `$connect`'s authorization (the connection is authorized once);
//!   an HTTP API's quick-create `Target` is a `$default` route with no authorization;
//! - an inline OpenAPI/Swagger document in `Body` (what SAM and the Serverless Framework
//!   generate, or `DefinitionBody` before expansion): operation `security`, else the
//!   document's root `security`; `security: []` means no authorization. Alternatives in a
//!   `security` list are OR-ed, so the weakest alternative is the effective one; schemes
//!   inside one alternative are AND-ed, so the strongest scheme counts. An API key scheme
//!   (`type: apiKey` without an API Gateway auth type) is *not* authentication: it sets
//!   `api_key_required` and leaves the route `NONE`.
//!
//! `authorization` is one of `NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`, or
//! `None` when the template does not fix it. With `Fn::If`, the weakest branch counts.

use crate::model::resolve::{resolve, resource_refs, Resolved};
use crate::model::{Resource, Template};
use crate::span::Span;
use crate::value::Value;

use super::build::{external, node_target, targets};
use super::{EdgeKind, GEdge, Graph, Route};

struct Pending {
    api: String,
    target: String,
    route: Route,
    span: Span,
    websocket: bool,
}

pub fn build_routes(t: &Template, g: &mut Graph) {
    let mut out = Vec::new();
    rest_methods(t, g, &mut out);
    v2_routes(t, g, &mut out);
    openapi_bodies(t, g, &mut out);
    quick_create(t, g, &mut out);
    websocket_inherit(&mut out);
    for p in out {
        let mut e = GEdge::new(
            &p.api,
            &p.target,
            EdgeKind::Trigger,
            format!("{} {}", p.route.method, p.route.path),
            p.span,
        );
        e.via = Some(p.route.resource.clone());
        e.route = Some(p.route);
        g.add_edge(e);
    }
}

/// Resolve an authorization type; with `Fn::If` the weakest branch; `None` if unknown.
fn auth_type(t: &Template, v: Option<&Value>) -> Option<String> {
    let Some(v) = v else {
        return Some("NONE".into());
    };
    if let Some(("Fn::If", arg)) = v.intrinsic() {
        let branches: Vec<Option<String>> = arg
            .items()
            .iter()
            .skip(1)
            .map(|b| auth_type(t, Some(b)))
            .collect();
        if branches.iter().any(|b| b.as_deref() == Some("NONE")) {
            return Some("NONE".into());
        }
        return branches.into_iter().flatten().next();
    }
    match resolve(t, v) {
        Resolved::Literal(s) => Some(s.trim().to_uppercase()),
        _ => None,
    }
}

/// The target of an integration: a node of the template, or an external node.
fn integration_target(
    t: &Template,
    g: &mut Graph,
    uri: Option<&Value>,
    whole: &Value,
) -> Option<String> {
    if let Some(uri) = uri {
        if let Some(id) = node_target(t, g, uri) {
            return Some(id);
        }
        if let Resolved::Literal(s) = resolve(t, uri) {
            // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<fn arn>/invocations
            if let Some(i) = s.find("functions/") {
                let inner = &s[i + "functions/".len()..];
                let inner = inner.strip_suffix("/invocations").unwrap_or(inner);
                return external(t, g, &Value::string(inner, uri.span));
            }
            if s.starts_with("http") {
                return None;
            }
        }
        if !resource_refs(t, uri).is_empty() {
            return None;
        }
        if let Some(id) = super::build::import_name(t, uri).and_then(|_| external(t, g, uri)) {
            return Some(id);
        }
    }
    node_target(t, g, whole)
}

fn rest_methods(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for m in t.resources_of("AWS::ApiGateway::Method") {
        let Some(integration) = m.prop("Integration") else {
            continue;
        };
        let Some(api) = m.prop("RestApiId").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let Some(target) = integration_target(t, g, integration.get("Uri"), integration) else {
            continue;
        };
        let method = m
            .prop("HttpMethod")
            .and_then(Value::as_str)
            .unwrap_or("ANY")
            .to_uppercase();
        let path = rest_path(t, m);
        let mut authorization = auth_type(t, m.prop("AuthorizationType"));
        let authorizer = m
            .prop("AuthorizerId")
            .and_then(|v| targets(t, v).into_iter().next());
        if let (Some(a), Some(auth_res)) = (
            &authorization,
            authorizer.as_deref().and_then(|a| t.resource(a)),
        ) {
            if a == "CUSTOM" {
                if let Some(ty) = auth_res.prop("Type").and_then(Value::as_str) {
                    if ty.eq_ignore_ascii_case("COGNITO_USER_POOLS") {
                        authorization = Some("COGNITO_USER_POOLS".into());
                    }
                }
            }
        }
        let api_key_required = m
            .prop("ApiKeyRequired")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        out.push(Pending {
            api,
            target,
            route: Route {
                method,
                path,
                resource: m.id.clone(),
                authorization,
                api_key_required,
                authorizer,
                source: "method".into(),
            },
            span: m.span,
            websocket: false,
        });
    }
}

/// The path of a REST method, following `AWS::ApiGateway::Resource` parents.
pub fn rest_path(t: &Template, m: &Resource) -> String {
    let mut parts = Vec::new();
    let mut cur = m
        .prop("ResourceId")
        .and_then(|v| resource_refs(t, v).into_iter().next())
        .map(|(id, _)| id);
    let mut guard = 0;
    while let Some(id) = cur {
        guard += 1;
        let Some(r) = t
            .resource(&id)
            .filter(|r| r.type_ == "AWS::ApiGateway::Resource")
        else {
            break;
        };
        if guard > 64 {
            break;
        }
        let part = r.prop("PathPart").map_or_else(
            || "?".to_owned(),
            |v| match resolve(t, v) {
                Resolved::Literal(s) => s,
                _ => "?".to_owned(),
            },
        );
        parts.push(part);
        cur = r
            .prop("ParentId")
            .and_then(|v| resource_refs(t, v).into_iter().next())
            .map(|(id, _)| id);
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

fn v2_routes(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for r in t.resources_of("AWS::ApiGatewayV2::Route") {
        let Some(api) = r.prop("ApiId").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let websocket = t.resource(&api).is_some_and(|a| {
            a.prop("ProtocolType")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"))
        });
        let key = match r.prop("RouteKey").map(|v| resolve(t, v)) {
            Some(Resolved::Literal(s)) => s,
            _ => "?".to_owned(),
        };
        let (method, path) = route_key(&key, websocket);
        let integration = r.prop("Target").and_then(|v| {
            targets(t, v).into_iter().find_map(|id| {
                t.resource(&id)
                    .filter(|x| x.type_ == "AWS::ApiGatewayV2::Integration")
            })
        });
        let Some(integration) = integration else {
            continue;
        };
        let Some(target) = integration_target(
            t,
            g,
            integration.prop("IntegrationUri"),
            &integration.properties,
        ) else {
            continue;
        };
        let authorization = auth_type(t, r.prop("AuthorizationType"));
        let authorizer = r
            .prop("AuthorizerId")
            .and_then(|v| targets(t, v).into_iter().next());
        out.push(Pending {
            api,
            target,
            route: Route {
                method,
                path,
                resource: r.id.clone(),
                authorization,
                api_key_required: r
                    .prop("ApiKeyRequired")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                authorizer,
                source: "route".into(),
            },
            span: r.span,
            websocket,
        });
    }
}

/// `"POST /items"` -> (`POST`, `/items`); `$default` -> (`ANY`, `$default`); WebSocket
/// route keys -> (`WS`, key).
fn route_key(key: &str, websocket: bool) -> (String, String) {
    if websocket {
        return ("WS".into(), key.to_owned());
    }
    match key.split_once(' ') {
        Some((m, p)) => (m.trim().to_uppercase(), p.trim().to_owned()),
        None => ("ANY".into(), key.to_owned()),
    }
}

fn quick_create(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for a in t.resources_of("AWS::ApiGatewayV2::Api") {
        let Some(target) = a.prop("Target").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        out.push(Pending {
            api: a.id.clone(),
            target,
            route: Route {
                method: "ANY".into(),
                path: a
                    .prop("RouteKey")
                    .and_then(Value::as_str)
                    .unwrap_or("$default")
                    .to_owned(),
                resource: a.id.clone(),
                authorization: Some("NONE".into()),
                api_key_required: false,
                authorizer: None,
                source: "quick".into(),
            },
            span: a.span_of(&["Target"]),
            websocket: false,
        });
    }
}

fn websocket_inherit(out: &mut [Pending]) {
    let connects: Vec<(String, Option<String>, Option<String>)> = out
        .iter()
        .filter(|p| p.websocket && p.route.path == "$connect")
        .map(|p| {
            (
                p.api.clone(),
                p.route.authorization.clone(),
                p.route.authorizer.clone(),
            )
        })
        .collect();
    for p in out
        .iter_mut()
        .filter(|p| p.websocket && p.route.path != "$connect")
    {
        let Some((_, auth, authorizer)) = connects.iter().find(|(a, _, _)| *a == p.api) else {
            continue;
        };
        if p.route.authorization.as_deref() == Some("NONE") && auth.as_deref() != Some("NONE") {
            p.route.authorization = auth.clone();
            p.route.authorizer = authorizer.clone().or_else(|| Some("$connect".into()));
        }
    }
}

const OPERATIONS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
];

/// The OpenAPI document of an API resource, if inline.
pub fn openapi_body(r: &Resource) -> Option<&Value> {
    r.prop("Body")
        .or_else(|| r.prop("DefinitionBody"))
        .filter(|b| b.get("paths").is_some())
}

/// The security schemes of an OpenAPI document (Swagger 2 or OpenAPI 3).
pub fn security_schemes(body: &Value) -> Option<&Value> {
    body.get("securityDefinitions")
        .or_else(|| body.get_path(&["components", "securitySchemes"]))
}

/// What one OpenAPI security scheme means for API Gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// Authentication of this kind (`AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`).
    Auth(&'static str),
    /// An API key: metering, not identity.
    ApiKey,
    /// Undefined (SAM's `NONE`) or meaningless to API Gateway.
    None,
}

pub fn scheme_kind(schemes: Option<&Value>, name: &str) -> SchemeKind {
    let Some(s) = schemes.and_then(|m| m.get(name)) else {
        return SchemeKind::None;
    };
    let authtype = s
        .get("x-amazon-apigateway-authtype")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let authorizer_type = s
        .get_path(&["x-amazon-apigateway-authorizer", "type"])
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    match authorizer_type.as_deref() {
        Some("cognito_user_pools") => return SchemeKind::Auth("COGNITO_USER_POOLS"),
        Some("jwt") => return SchemeKind::Auth("JWT"),
        Some("token" | "request") => return SchemeKind::Auth("CUSTOM"),
        _ => {}
    }
    match authtype.as_deref() {
        Some("cognito_user_pools") => return SchemeKind::Auth("COGNITO_USER_POOLS"),
        Some("awssigv4" | "aws_iam" | "iam") => return SchemeKind::Auth("AWS_IAM"),
        Some(_) => return SchemeKind::Auth("CUSTOM"),
        None => {}
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
    match ty {
        "apiKey" => SchemeKind::ApiKey,
        "oauth2" | "openIdConnect" => SchemeKind::Auth("JWT"),
        "http" => SchemeKind::Auth("CUSTOM"),
        _ => SchemeKind::None,
    }
}

/// Effective (authorization, authorizer, api_key_required) of an OpenAPI `security` list.
pub fn eval_security(
    security: Option<&Value>,
    schemes: Option<&Value>,
) -> (String, Option<String>, bool) {
    let Some(list) = security.and_then(Value::as_seq) else {
        return ("NONE".into(), None, false);
    };
    if list.is_empty() {
        return ("NONE".into(), None, false);
    }
    // Rank: lower is weaker. NONE < CUSTOM < JWT/COGNITO < AWS_IAM (for choosing).
    let rank = |a: &str| match a {
        "NONE" => 0,
        "CUSTOM" => 1,
        "JWT" | "COGNITO_USER_POOLS" => 2,
        _ => 3,
    };
    let mut weakest: Option<(String, Option<String>, bool)> = None;
    for alt in list {
        let mut best: (String, Option<String>) = ("NONE".into(), None);
        let mut key = false;
        for (k, _) in alt.as_map().unwrap_or_default() {
            match scheme_kind(schemes, &k.name) {
                SchemeKind::Auth(a) => {
                    if rank(a) > rank(&best.0) {
                        best = (a.to_owned(), Some(k.name.clone()));
                    }
                }
                SchemeKind::ApiKey => key = true,
                SchemeKind::None => {}
            }
        }
        let this = (best.0, best.1, key);
        let weaker = weakest.as_ref().is_none_or(|w| {
            rank(&this.0) < rank(&w.0) || rank(&this.0) == rank(&w.0) && !this.2 && w.2
        });
        if weaker {
            weakest = Some(this);
        }
    }
    weakest.unwrap_or(("NONE".into(), None, false))
}

fn openapi_bodies(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for api in &t.resources {
        if !g.has(&api.id) || !matches!(g.node(&api.id).map(|n| n.kind), Some(super::NodeKind::Api))
        {
            continue;
        }
        let Some(body) = openapi_body(api) else {
            continue;
        };
        let schemes = security_schemes(body);
        let root_security = body.get("security");
        let Some(paths) = body.get("paths").and_then(Value::as_map) else {
            continue;
        };
        for (path, ops) in paths {
            let Some(ops) = ops.as_map() else { continue };
            for (op_key, op) in ops {
                let lower = op_key.name.to_ascii_lowercase();
                if !OPERATIONS.contains(&lower.as_str()) {
                    continue;
                }
                let Some(integration) = op.get("x-amazon-apigateway-integration") else {
                    continue;
                };
                let uri = integration.get("uri").or_else(|| integration.get("Uri"));
                let Some(target) = integration_target(t, g, uri, integration) else {
                    continue;
                };
                let method = if lower == "x-amazon-apigateway-any-method" {
                    "ANY".to_owned()
                } else {
                    lower.to_uppercase()
                };
                let security = op.get("security").or(root_security);
                let (authorization, authorizer, api_key_required) =
                    eval_security(security, schemes);
                out.push(Pending {
                    api: api.id.clone(),
                    target,
                    route: Route {
                        method,
                        path: path.name.clone(),
                        resource: api.id.clone(),
                        authorization: Some(authorization),
                        api_key_required,
                        authorizer,
                        source: "openapi".into(),
                    },
                    span: op_key.span,
                    websocket: false,
                });
            }
        }
        // Authorizers of the document guard the API: user pools and authorizer functions.
        if let Some(defs) = schemes.and_then(Value::as_map) {
            for (name, scheme) in defs {
                let Some(auth) = scheme.get("x-amazon-apigateway-authorizer") else {
                    continue;
                };
                let mut guards = targets(t, auth);
                guards.retain(|id| g.has(id) && *id != api.id);
                for gid in guards {
                    let mut e = GEdge::new(
                        &gid,
                        &api.id,
                        EdgeKind::Guards,
                        format!("authorizer {}", name.name),
                        name.span,
                    );
                    e.via = Some(api.id.clone());
                    g.add_edge(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys() {
        assert_eq!(route_key("POST /a", false), ("POST".into(), "/a".into()));
        assert_eq!(
            route_key("$default", false),
            ("ANY".into(), "$default".into())
        );
        assert_eq!(
            route_key("$connect", true),
            ("WS".into(), "$connect".into())
        );
    }
}
