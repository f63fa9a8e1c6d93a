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
//!   document's root `security`, read as API Gateway imports it (see [`crate::model::openapi`]);
//!   `security: []` means no authorization. An API key scheme (`type: apiKey` without an
//!   API Gateway auth type) is *not* authentication: it sets `api_key_required` and leaves
//!   the route `NONE`;
//! - AppSync resolvers (API -> data source target) and application load balancer listener
//!   rules forwarding to Lambda target groups.
//!
//! `authorization` is one of `NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`, or
//! `None` when the template does not fix it. With `Fn::If`, the weakest branch counts.

use crate::model::openapi;
use crate::model::resolve::{resolve, resource_refs, Resolved};
use crate::model::{Resource, Template};
use crate::span::Span;
use crate::value::Value;

use super::lookup::{external, node_target, targets};
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
    appsync(t, g, &mut out);
    load_balancers(t, g, &mut out);
    websocket_inherit(&mut out);
    for p in out {
        // The method/route fact on the API says what it is.
        if p.route.resource != p.api {
            let text = format!(
                "{} {} -> {} ({}{})",
                p.route.method,
                p.route.path,
                p.target,
                p.route
                    .authorization
                    .as_deref()
                    .unwrap_or("authorization unknown"),
                if p.route.api_key_required {
                    ", API key"
                } else {
                    ""
                }
            );
            if let Some(n) = g.node_mut(&p.api) {
                for f in n
                    .facts
                    .iter_mut()
                    .filter(|f| f.id.as_deref() == Some(p.route.resource.as_str()))
                {
                    f.text = text.clone();
                }
            }
        }
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
        Resolved::Literal(s) => Some(s.trim().to_ascii_uppercase()),
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
            let inner = match s.find("functions/") {
                Some(i) => {
                    let inner = &s[i + "functions/".len()..];
                    Some(inner.strip_suffix("/invocations").unwrap_or(inner))
                }
                // an HTTP API integrates a function by its ARN
                None => s.contains(":lambda:").then_some(s.as_str()),
            };
            if let Some(inner) = inner {
                // a function of the template written out by its name (a resolved plan)
                if let Some(id) = inner
                    .split_once(":function:")
                    .map(|(_, n)| n.split(':').next().unwrap_or(n))
                    .and_then(|n| g.names.get(n))
                    .and_then(|ids| {
                        ids.iter().find(|id| {
                            g.node(id)
                                .is_some_and(|n| n.kind == super::NodeKind::Function)
                        })
                    })
                {
                    return Some(id.clone());
                }
                return external(t, g, &Value::string(inner, uri.span));
            }
            if s.starts_with("http") {
                return None;
            }
        }
        if !resource_refs(t, uri).is_empty() {
            return None;
        }
        if let Some(id) = super::lookup::import_name(t, uri).and_then(|_| external(t, g, uri)) {
            return Some(id);
        }
    }
    // Any node the integration names (a queue URL parameter, a table in a mapping
    // template), not counting the API itself or the role it runs with.
    let named = whole
        .as_map()
        .unwrap_or_default()
        .iter()
        .find_map(|(k, v)| {
            if matches!(
                k.name.as_str(),
                "ApiId" | "RestApiId" | "Credentials" | "CredentialsArn" | "ConnectionId"
            ) {
                return None;
            }
            node_target(t, g, v)
        });
    named.or_else(|| credentials_target(t, g, uri, whole))
}

/// An AWS service integration that names no resource of the template (a table name in a
/// mapping template, say) reaches what its `Credentials` role grants on that service.
fn credentials_target(
    t: &Template,
    g: &mut Graph,
    uri: Option<&Value>,
    whole: &Value,
) -> Option<String> {
    let creds = whole
        .get("Credentials")
        .or_else(|| whole.get("CredentialsArn"))?;
    let role = targets(t, creds)
        .into_iter()
        .find_map(|id| t.resource(&id).filter(|r| r.type_ == "AWS::IAM::Role"))?;
    // REST: arn:aws:apigateway:<region>:<service>:action/...; HTTP: IntegrationSubtype.
    let svc = match uri.and_then(|u| super::iam::arn_pattern(t, u, 0)) {
        Some(p) => {
            let parts: Vec<&str> = p.splitn(6, ':').collect();
            if parts.len() < 5 || parts.get(2) != Some(&"apigateway") {
                return None;
            }
            parts[4].to_ascii_lowercase()
        }
        None => {
            let sub = whole.get("IntegrationSubtype").and_then(Value::as_str)?;
            match sub
                .split('-')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
                .as_str()
            {
                "eventbridge" => "events".to_owned(),
                "stepfunctions" => "states".to_owned(),
                other => other.to_owned(),
            }
        }
    };
    if svc == "lambda" {
        return None;
    }
    super::iam::role_targets(t, g, role, &svc)
        .into_iter()
        .next()
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
            .to_ascii_uppercase();
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
                public: false,
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
                public: false,
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
        Some((m, p)) => (m.trim().to_ascii_uppercase(), p.trim().to_owned()),
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
                public: false,
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

fn openapi_bodies(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for api in &t.resources {
        if !g.has(&api.id) || !matches!(g.node(&api.id).map(|n| n.kind), Some(super::NodeKind::Api))
        {
            continue;
        }
        let Some(body) = openapi::body_of(api).filter(|b| b.get("paths").is_some()) else {
            continue;
        };
        for op in openapi::operations(body) {
            let Some(integration) = op.integration else {
                continue;
            };
            let uri = integration.get("uri").or_else(|| integration.get("Uri"));
            let Some(target) = integration_target(t, g, uri, integration) else {
                continue;
            };
            let authorizer = op.authorizer();
            out.push(Pending {
                api: api.id.clone(),
                target,
                route: Route {
                    path: op.path.to_owned(),
                    resource: api.id.clone(),
                    authorization: Some(
                        authorizer
                            .and_then(|a| a.kind.authorization())
                            .unwrap_or("NONE")
                            .to_owned(),
                    ),
                    api_key_required: op.api_key_required(),
                    authorizer: authorizer.map(|a| a.name.clone()),
                    method: op.method,
                    source: "openapi".into(),
                    public: false,
                },
                span: op.key_span,
                websocket: false,
            });
        }
        // Authorizers of the document guard the API: user pools and authorizer functions.
        let schemes = openapi::security_schemes(body).and_then(Value::as_map);
        for (name, scheme) in schemes.unwrap_or_default() {
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

/// AppSync authentication types -> (authorization, api key).
fn appsync_auth(v: Option<&str>) -> (Option<String>, bool) {
    match v.map(str::to_ascii_uppercase).as_deref() {
        Some("API_KEY") => (Some("NONE".into()), true),
        Some("AWS_IAM") => (Some("AWS_IAM".into()), false),
        Some("AMAZON_COGNITO_USER_POOLS") => (Some("COGNITO_USER_POOLS".into()), false),
        Some("OPENID_CONNECT") => (Some("JWT".into()), false),
        Some("AWS_LAMBDA") => (Some("CUSTOM".into()), false),
        _ => (None, false),
    }
}

/// AppSync resolvers: API -> the data source's function or store, per `Type.field`. The
/// effective authorization is the weakest of the API's providers (any may be used).
fn appsync(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    for r in t.resources_of("AWS::AppSync::Resolver") {
        let Some(api_id) = r.prop("ApiId").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let Some(api) = t.resource(&api_id) else {
            continue;
        };
        let mut sources: Vec<String> = Vec::new();
        if let Some(ds) = r.prop("DataSourceName") {
            sources.extend(targets(t, ds));
        }
        for f in r
            .prop_path(&["PipelineConfig", "Functions"])
            .map(Value::items)
            .unwrap_or_default()
        {
            for fc in targets(t, f) {
                if let Some(ds) = t.resource(&fc).and_then(|x| x.prop("DataSourceName")) {
                    sources.extend(targets(t, ds));
                }
            }
        }
        let mut auths = vec![appsync_auth(
            api.prop("AuthenticationType").and_then(Value::as_str),
        )];
        for p in api
            .prop("AdditionalAuthenticationProviders")
            .map(Value::items)
            .unwrap_or_default()
        {
            auths.push(appsync_auth(
                p.get("AuthenticationType").and_then(Value::as_str),
            ));
        }
        let (authorization, api_key_required) = auths
            .iter()
            .find(|(a, _)| a.as_deref() == Some("NONE"))
            .or_else(|| auths.first())
            .cloned()
            .unwrap_or((None, false));
        let type_name = r.prop("TypeName").and_then(Value::as_str).unwrap_or("?");
        let field = r.prop("FieldName").and_then(Value::as_str).unwrap_or("?");
        for ds in sources {
            let Some(d) = t.resource(&ds) else { continue };
            let target = [
                "LambdaConfig",
                "DynamoDBConfig",
                "RelationalDatabaseConfig",
                "OpenSearchServiceConfig",
                "EventBridgeConfig",
            ]
            .iter()
            .filter_map(|k| d.prop(k))
            .find_map(|v| {
                super::iam::named_nodes(t, g, v)
                    .into_iter()
                    .next()
                    .map(|(id, _)| id)
            });
            let Some(target) = target else { continue };
            out.push(Pending {
                api: api_id.clone(),
                target,
                route: Route {
                    method: type_name.to_ascii_uppercase(),
                    path: field.to_owned(),
                    resource: r.id.clone(),
                    authorization: authorization.clone(),
                    api_key_required,
                    authorizer: None,
                    source: "appsync".into(),
                    public: false,
                },
                span: r.span,
                websocket: false,
            });
        }
    }
}

/// The targets (functions, or anything else that is a node) of a target group.
fn target_group_targets(t: &Template, g: &Graph, tg: &str) -> Vec<String> {
    t.resource(tg)
        .and_then(|r| r.prop("Targets"))
        .map(|ts| {
            ts.items()
                .iter()
                .filter_map(|x| x.get("Id"))
                .filter_map(|v| node_target(t, g, v))
                .collect()
        })
        .unwrap_or_default()
}

/// Forwarded target groups and the authentication of a listener or rule's `Actions`.
fn alb_actions(t: &Template, actions: Option<&Value>) -> (Vec<String>, Option<&'static str>) {
    let mut groups = Vec::new();
    let mut auth = None;
    for a in actions.map(Value::items).unwrap_or_default() {
        match a.get("Type").and_then(Value::as_str).unwrap_or("") {
            "authenticate-cognito" => auth = Some("COGNITO_USER_POOLS"),
            "authenticate-oidc" => auth = Some("JWT"),
            _ => {}
        }
        if let Some(tg) = a.get("TargetGroupArn") {
            groups.extend(targets(t, tg));
        }
        for x in a
            .get_path(&["ForwardConfig", "TargetGroups"])
            .map(Value::items)
            .unwrap_or_default()
        {
            if let Some(tg) = x.get("TargetGroupArn") {
                groups.extend(targets(t, tg));
            }
        }
    }
    (groups, auth)
}

/// Application load balancers forwarding to Lambda target groups: one route per listener
/// rule (path pattern, method) or listener default action. `authenticate-cognito` /
/// `authenticate-oidc` actions authenticate; an `internal` scheme is private.
fn load_balancers(t: &Template, g: &mut Graph, out: &mut Vec<Pending>) {
    let mut push = |lb: &str,
                    target: String,
                    method: String,
                    path: String,
                    res: &crate::model::Resource,
                    auth: Option<&'static str>| {
        out.push(Pending {
            api: lb.to_owned(),
            target,
            route: Route {
                method,
                path,
                resource: res.id.clone(),
                authorization: Some(auth.unwrap_or("NONE").to_owned()),
                api_key_required: false,
                authorizer: None,
                source: "alb".into(),
                public: false,
            },
            span: res.span,
            websocket: false,
        });
    };
    for l in t.resources_of("AWS::ElasticLoadBalancingV2::Listener") {
        let Some(lb) = l.prop("LoadBalancerArn").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let (groups, auth) = alb_actions(t, l.prop("DefaultActions"));
        for tg in groups {
            for target in target_group_targets(t, g, &tg) {
                push(&lb, target, "ANY".into(), "/*".into(), l, auth);
            }
        }
        for rule in t.resources_of("AWS::ElasticLoadBalancingV2::ListenerRule") {
            let on_listener = rule
                .prop("ListenerArn")
                .is_some_and(|v| targets(t, v).contains(&l.id));
            if !on_listener {
                continue;
            }
            let (groups, rule_auth) = alb_actions(t, rule.prop("Actions"));
            let mut path = "/*".to_owned();
            let mut method = "ANY".to_owned();
            for c in rule
                .prop("Conditions")
                .map(Value::items)
                .unwrap_or_default()
            {
                let field = c.get("Field").and_then(Value::as_str).unwrap_or("");
                let values = |cfg: &str| {
                    c.get("Values")
                        .or_else(|| c.get_path(&[cfg, "Values"]))
                        .map(|v| {
                            v.items()
                                .iter()
                                .map(|x| match resolve(t, x) {
                                    Resolved::Literal(s) => s,
                                    _ => "?".to_owned(),
                                })
                                .collect::<Vec<_>>()
                                .join(",")
                        })
                };
                match field {
                    "path-pattern" => path = values("PathPatternConfig").unwrap_or(path),
                    "http-request-method" => {
                        method = values("HttpRequestMethodConfig")
                            .unwrap_or(method)
                            .to_ascii_uppercase()
                    }
                    _ => {}
                }
            }
            for tg in groups {
                for target in target_group_targets(t, g, &tg) {
                    push(
                        &lb,
                        target,
                        method.clone(),
                        path.clone(),
                        rule,
                        rule_auth.or(auth),
                    );
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
