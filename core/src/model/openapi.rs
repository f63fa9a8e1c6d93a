//! Reading routes out of an API's OpenAPI/Swagger `Body`: the one route representation shared by
//! SAM expansion, Serverless expansion and CloudFormation `Body`/`DefinitionBody` written by hand.
//!
//! [`routes`] lists every operation of an `AWS::ApiGateway::RestApi` / `AWS::ApiGatewayV2::Api`
//! body with the function it invokes and its **effective authorization**: the operation's
//! `security` (or else the document's top-level `security`), each named scheme classified from
//! `securityDefinitions` / `components.securitySchemes` (`x-amazon-apigateway-authtype`,
//! `x-amazon-apigateway-authorizer.type`), plus the REST extension
//! `x-amazon-apigateway-auth: {type: AWS_IAM}`.
//!
//! API Gateway semantics, not generic OpenAPI ones: API Gateway sets one authorizer per method
//! (the first authorizer scheme listed, in any entry) and `ApiKeyRequired` when any entry names
//! an API-key scheme; it does not implement OpenAPI's "any one entry suffices" (SAM writes
//! `[{MyAuth: []}, {api_key: []}]` for "authorizer + API key"). So a route is unauthenticated
//! when no entry names a real authorizer, and needs an API key when any entry names one. An
//! API key alone is not authentication; neither is a scheme the document does not define
//! (SAM's `{NONE: []}`).
//!
//! This module is the one reader of bodies: [`operations`] for the graph (which resolves
//! integration targets to nodes itself), [`routes`] for a template-level view.

use serde::Serialize;

use crate::span::Span;
use crate::value::Value;

use super::resolve::resource_refs;
use super::Template;

/// What kind of check a security scheme is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Cognito user pool authorizer.
    Cognito,
    /// JWT authorizer (HTTP APIs).
    Jwt,
    /// Lambda (custom) authorizer.
    Lambda,
    /// IAM (SigV4).
    Iam,
    /// An API key: identifies a client, does not authenticate a user.
    ApiKey,
    /// A scheme the body names but does not define, or of a type we do not know: no
    /// authorization to API Gateway.
    Unknown,
}

impl AuthKind {
    /// The method `AuthorizationType` API Gateway gives a route guarded by this kind, `None`
    /// for kinds that do not authenticate.
    pub fn authorization(&self) -> Option<&'static str> {
        match self {
            AuthKind::Cognito => Some("COGNITO_USER_POOLS"),
            AuthKind::Jwt => Some("JWT"),
            AuthKind::Lambda => Some("CUSTOM"),
            AuthKind::Iam => Some("AWS_IAM"),
            AuthKind::ApiKey | AuthKind::Unknown => None,
        }
    }
}

/// One scheme required by a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteAuthorizer {
    pub name: String,
    pub kind: AuthKind,
    pub scopes: Vec<String>,
}

/// One operation of an API body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenApiRoute {
    /// Upper-case method, `ANY` for `x-amazon-apigateway-any-method`.
    pub method: String,
    /// The path as written (`/users/{id}`, `$default`).
    pub path: String,
    /// The resource the integration invokes (a function, a state machine), when in the template.
    pub target: Option<String>,
    /// Every other resource of the template the integration names (a queue or bucket of a
    /// direct `aws` service integration, its credentials role...), without the target.
    pub integration_refs: Vec<String>,
    /// Integration type (`aws_proxy`, `aws`, `http_proxy`, `mock`...).
    pub integration: Option<String>,
    /// The `security` entries and their schemes, empty when none apply.
    pub security: Vec<Vec<RouteAuthorizer>>,
    /// True when no scheme that authenticates applies (no security at all, `security: []`,
    /// only API keys or undefined schemes).
    pub unauthenticated: bool,
    /// True when an API-key scheme applies.
    pub api_key_required: bool,
    /// The Framework's / generator's logical ID for this route, when recorded.
    pub logical_id: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

const METHODS: &[&str] = &[
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

/// The OpenAPI body of an API resource (`Body`, or `DefinitionBody` of an unexpanded SAM API).
pub fn body_of(api: &super::Resource) -> Option<&Value> {
    api.prop("Body")
        .or_else(|| api.prop("DefinitionBody"))
        .filter(|b| b.as_map().is_some() && b.intrinsic().is_none())
}

/// The security schemes of a body (Swagger 2 `securityDefinitions` or OpenAPI 3
/// `components.securitySchemes`).
pub fn security_schemes(body: &Value) -> Option<&Value> {
    body.get("securityDefinitions")
        .or_else(|| body.get_path(&["components", "securitySchemes"]))
}

/// Classify a named scheme of a body.
pub fn scheme_kind(body: &Value, name: &str) -> AuthKind {
    let Some(s) = security_schemes(body).and_then(|m| m.get(name)) else {
        return AuthKind::Unknown;
    };
    let lower = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_ascii_lowercase);
    let authorizer = s.get("x-amazon-apigateway-authorizer");
    match lower(authorizer.and_then(|a| a.get("type"))).as_deref() {
        Some("cognito_user_pools") => return AuthKind::Cognito,
        Some("jwt") => return AuthKind::Jwt,
        Some("token" | "request") => return AuthKind::Lambda,
        _ => {}
    }
    match lower(s.get("x-amazon-apigateway-authtype")).as_deref() {
        Some("cognito_user_pools") => return AuthKind::Cognito,
        Some("awssigv4" | "aws_iam" | "iam") => return AuthKind::Iam,
        Some(_) => return AuthKind::Lambda,
        None => {}
    }
    match s.get("type").and_then(Value::as_str).unwrap_or("") {
        // An authorizer without a type is a token (Lambda) authorizer to API Gateway.
        _ if authorizer.is_some() => AuthKind::Lambda,
        "apiKey" => AuthKind::ApiKey,
        "oauth2" | "openIdConnect" => AuthKind::Jwt,
        "http" => AuthKind::Lambda,
        _ => AuthKind::Unknown,
    }
}

fn read_security(body: &Value, sec: &Value) -> Vec<Vec<RouteAuthorizer>> {
    sec.as_seq()
        .unwrap_or_default()
        .iter()
        .map(|alt| {
            alt.as_map()
                .unwrap_or(&[])
                .iter()
                .map(|(k, scopes)| RouteAuthorizer {
                    name: k.name.clone(),
                    kind: scheme_kind(body, &k.name),
                    scopes: scopes
                        .items()
                        .iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect(),
                })
                .collect()
        })
        .collect()
}

/// One operation of a body, with its effective `security`.
#[derive(Debug)]
pub struct Operation<'a> {
    /// Upper-case method, `ANY` for `x-amazon-apigateway-any-method`.
    pub method: String,
    pub path: &'a str,
    pub path_span: Span,
    /// The operation key as written (`get`, `x-amazon-apigateway-any-method`).
    pub key: &'a str,
    /// The operation key (`get:`) in the source.
    pub key_span: Span,
    pub op: &'a Value,
    pub integration: Option<&'a Value>,
    /// The operation's `security`, else the document's; the REST extension
    /// `x-amazon-apigateway-auth: {type: AWS_IAM}` when neither names a scheme.
    pub security: Vec<Vec<RouteAuthorizer>>,
}

impl Operation<'_> {
    /// The one authorizer API Gateway gives the method: the first authenticating scheme.
    pub fn authorizer(&self) -> Option<&RouteAuthorizer> {
        self.security
            .iter()
            .flatten()
            .find(|a| a.kind.authorization().is_some())
    }

    /// Whether any entry names an API-key scheme.
    pub fn api_key_required(&self) -> bool {
        self.security
            .iter()
            .flatten()
            .any(|a| a.kind == AuthKind::ApiKey)
    }
}

/// Every operation of a body.
pub fn operations(body: &Value) -> Vec<Operation<'_>> {
    let top = body.get("security");
    let mut out = Vec::new();
    for (pk, item) in body.get("paths").and_then(Value::as_map).unwrap_or(&[]) {
        for (mk, op) in item.as_map().unwrap_or(&[]) {
            let lower = mk.name.to_ascii_lowercase();
            if !METHODS.contains(&lower.as_str()) {
                continue;
            }
            let method = if lower == "x-amazon-apigateway-any-method" {
                "ANY".to_owned()
            } else {
                lower.to_ascii_uppercase()
            };
            let mut security = match op.get("security").or(top) {
                Some(sec) => read_security(body, sec),
                None => Vec::new(),
            };
            if security.is_empty()
                && op
                    .get_path(&["x-amazon-apigateway-auth", "type"])
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("AWS_IAM"))
            {
                security.push(vec![RouteAuthorizer {
                    name: "AWS_IAM".into(),
                    kind: AuthKind::Iam,
                    scopes: Vec::new(),
                }]);
            }
            out.push(Operation {
                method,
                path: &pk.name,
                path_span: pk.span,
                key: &mk.name,
                key_span: mk.span,
                op,
                integration: op.get("x-amazon-apigateway-integration"),
                security,
            });
        }
    }
    out
}

/// Every route of an API resource's body, with target and effective authorization.
pub fn routes(t: &Template, api: &super::Resource) -> Vec<OpenApiRoute> {
    let Some(body) = body_of(api) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for o in operations(body) {
        let integ = o.integration;
        let target = integ.and_then(|i| {
            let uri_refs = i
                .get("uri")
                .map(|u| resource_refs(t, u))
                .unwrap_or_default();
            let tmpl_refs = i
                .get("requestTemplates")
                .map(|u| resource_refs(t, u))
                .unwrap_or_default();
            uri_refs
                .into_iter()
                .chain(tmpl_refs)
                .map(|(id, _)| t.resource(&id).map_or(id, |r| r.id.clone()))
                .find(|id| {
                    t.resource(id).is_some_and(|r| {
                        matches!(
                            r.type_.as_str(),
                            "AWS::Lambda::Function"
                                | "AWS::Lambda::Alias"
                                | "AWS::StepFunctions::StateMachine"
                        )
                    })
                })
        });
        let mut integration_refs: Vec<String> = Vec::new();
        if let Some(i) = integ {
            for (id, _) in resource_refs(t, i) {
                let id = t.resource(&id).map_or(id, |r| r.id.clone());
                if Some(&id) != target.as_ref() && !integration_refs.contains(&id) {
                    integration_refs.push(id);
                }
            }
        }
        out.push(OpenApiRoute {
            unauthenticated: o.authorizer().is_none(),
            api_key_required: o.api_key_required(),
            method: o.method,
            path: o.path.to_owned(),
            target,
            integration_refs,
            integration: integ
                .and_then(|i| i.get("type"))
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            logical_id: o
                .op
                .get("x-pillarlint-logical-id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            span: if o.path_span == Span::default() {
                o.key_span
            } else {
                o.path_span
            },
            security: o.security,
        });
    }
    out
}
