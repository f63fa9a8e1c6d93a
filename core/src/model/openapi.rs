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
//! from the non-API-key scheme and `ApiKeyRequired` when any entry names an API-key scheme
//! (SAM writes `[{MyAuth: []}, {api_key: []}]` for "authorizer + API key"). So a route is
//! unauthenticated when no entry names a real authorizer, and needs an API key when any entry
//! names one. An API key alone is not authentication.

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
    /// A scheme the body names but does not define, or of a type we do not know.
    Unknown,
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
    /// True when no scheme other than an API key applies (no security at all, `security: []`,
    /// or only API keys).
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

fn scheme<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.get_path(&["securityDefinitions", name])
        .or_else(|| body.get_path(&["components", "securitySchemes", name]))
}

/// Classify a named scheme of a body.
pub fn scheme_kind(body: &Value, name: &str) -> AuthKind {
    let Some(s) = scheme(body, name) else {
        return match name {
            "AWS_IAM" => AuthKind::Iam,
            "api_key" => AuthKind::ApiKey,
            _ => AuthKind::Unknown,
        };
    };
    let authtype = s
        .get("x-amazon-apigateway-authtype")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let az_type = s
        .get_path(&["x-amazon-apigateway-authorizer", "type"])
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    match (authtype.as_deref(), az_type.as_deref()) {
        (Some("cognito_user_pools"), _) | (_, Some("cognito_user_pools")) => AuthKind::Cognito,
        (Some("awssigv4"), _) => AuthKind::Iam,
        (_, Some("jwt")) => AuthKind::Jwt,
        (Some("custom"), _) | (_, Some("token" | "request")) => AuthKind::Lambda,
        _ => {
            let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
            let has_authorizer = s.get("x-amazon-apigateway-authorizer").is_some();
            if ty.eq_ignore_ascii_case("apiKey") && !has_authorizer {
                AuthKind::ApiKey
            } else if ty == "oauth2" || ty == "openIdConnect" {
                AuthKind::Jwt
            } else if has_authorizer {
                AuthKind::Lambda
            } else {
                AuthKind::Unknown
            }
        }
    }
}

fn read_security(body: &Value, sec: &Value) -> Vec<Vec<RouteAuthorizer>> {
    sec.items()
        .into_iter()
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

/// Every route of an API resource's body, with target and effective authorization.
pub fn routes(t: &Template, api: &super::Resource) -> Vec<OpenApiRoute> {
    let Some(body) = body_of(api) else {
        return Vec::new();
    };
    let top = body.get("security");
    let mut out = Vec::new();
    for (pk, item) in body.get("paths").and_then(Value::as_map).unwrap_or(&[]) {
        for (mk, op) in item.as_map().unwrap_or(&[]) {
            if !METHODS.contains(&mk.name.as_str()) {
                continue;
            }
            let method = if mk.name == "x-amazon-apigateway-any-method" {
                "ANY".to_owned()
            } else {
                mk.name.to_ascii_uppercase()
            };
            let integ = op.get("x-amazon-apigateway-integration");
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
            let unauthenticated = !security
                .iter()
                .flatten()
                .any(|a| a.kind != AuthKind::ApiKey);
            let api_key_required = security
                .iter()
                .flatten()
                .any(|a| a.kind == AuthKind::ApiKey);
            out.push(OpenApiRoute {
                method,
                path: pk.name.clone(),
                target,
                integration_refs,
                integration: integ
                    .and_then(|i| i.get("type"))
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase),
                security,
                unauthenticated,
                api_key_required,
                logical_id: op
                    .get("x-pillarlint-logical-id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                span: if pk.span == Span::default() {
                    op.span
                } else {
                    pk.span
                },
            });
        }
    }
    out
}
