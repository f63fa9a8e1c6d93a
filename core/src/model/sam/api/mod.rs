//! `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`, explicit and implicit: events add
//! routes while functions are expanded ([`ensure_implicit`], [`add_route`]); once every event is
//! known, [`finalize_api`] writes them into the OpenAPI body (SAM's route representation, see
//! [`super`]), applies `Auth` ([`auth`]) and emits the API's resources ([`rest`], [`http`]).

mod auth;
mod http;
mod rest;

use http::finalize_http;
use rest::finalize_rest;

use crate::span::Span;
use crate::value::{Node, Value};

use super::globals::not_global;
use super::mk::{self, obj, s, seq};
use super::{Cx, Resource};

/// Names of the implicit APIs.
pub const IMPLICIT_REST_API: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ApiKind {
    Rest,
    Http,
}

/// One route added by an event.
#[derive(Debug, Clone)]
pub(super) struct RouteAdd {
    path: String,
    /// Lower-case method key (`get`, `x-amazon-apigateway-any-method`).
    op: String,
    operation: Value,
    /// The event's `Auth` block.
    auth: Option<Value>,
    span: Span,
}

#[derive(Debug, Clone)]
pub(super) struct ApiBuild {
    pub(super) id: String,
    pub(super) kind: ApiKind,
    pub(super) span: Span,
    pub(super) props: Value,
    pub(super) implicit: bool,
    pub(super) condition: Option<String>,
    pub(super) routes: Vec<RouteAdd>,
    /// For implicit APIs: the `Condition` of each function that added a route.
    pub(super) route_conditions: Vec<Option<String>>,
}

/// `arn:...:execute-api:<region>:<account>:<api>/*/<tail>`: the source ARN of a permission
/// for API Gateway to invoke a function from any stage.
pub(super) fn execute_api_any_stage(tail: &str, api: Value, span: Span) -> Value {
    let mut arn = sub_with_api(
        &format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{__ApiId__}}/${{__Stage__}}/{tail}"),
        api,
        span,
    );
    add_sub_var(&mut arn, "__Stage__", s("*", span));
    arn
}

/// `{"Fn::Sub": [text, {"__ApiId__": api}]}`.
pub(super) fn sub_with_api(text: &str, api: Value, span: Span) -> Value {
    Value::single(
        "Fn::Sub",
        span,
        seq(
            span,
            vec![s(text, span), obj(span, vec![("__ApiId__", api)])],
        ),
    )
}

/// Add a variable to an `Fn::Sub: [text, {vars}]`.
fn add_sub_var(v: &mut Value, name: &str, val: Value) {
    if let Node::Map(entries) = &mut v.node {
        if let Some((_, arg)) = entries.first_mut() {
            if let Node::Seq(items) = &mut arg.node {
                if let Some(vars) = items.get_mut(1) {
                    mk::set(vars, name, val);
                }
            }
        }
    }
}

pub(super) fn rename_sub_var(mut v: Value, from: &str, to: &str) -> Value {
    if let Node::Map(entries) = &mut v.node {
        if let Some((_, arg)) = entries.first_mut() {
            if let Node::Seq(items) = &mut arg.node {
                if let Some(vars) = items.get_mut(1) {
                    if let Node::Map(ve) = &mut vars.node {
                        for (k, _) in ve.iter_mut() {
                            if k.name == from {
                                k.name = to.to_owned();
                            }
                        }
                    }
                }
            }
        }
    }
    v
}

/// The OpenAPI operation key of a method.
pub(super) fn op_key(method: &str) -> String {
    let m = method.to_ascii_lowercase();
    if m == "any" || m == "x-amazon-apigateway-any-method" {
        "x-amazon-apigateway-any-method".to_owned()
    } else {
        m
    }
}

pub(super) fn ensure_implicit(cx: &mut Cx, kind: ApiKind, span: Span) {
    let id = match kind {
        ApiKind::Rest => IMPLICIT_REST_API,
        ApiKind::Http => IMPLICIT_HTTP_API,
    };
    if cx.api_pos(id).is_some() {
        return;
    }
    let section = match kind {
        ApiKind::Rest => "Api",
        ApiKind::Http => "HttpApi",
    };
    let mut props = mk::empty(span);
    if kind == ApiKind::Rest {
        mk::set(&mut props, "StageName", s("Prod", span));
    }
    if let Some(g) = cx
        .globals
        .as_ref()
        .and_then(|g| g.get(section))
        .and_then(Value::as_map)
    {
        for (k, v) in g {
            if !not_global(section, &k.name) {
                mk::set(&mut props, &k.name, v.clone());
            }
        }
    }
    cx.put_api(ApiBuild {
        id: id.to_owned(),
        kind,
        span,
        props,
        implicit: true,
        condition: None,
        routes: Vec::new(),
        route_conditions: Vec::new(),
    });
}

#[allow(clippy::too_many_arguments)]
pub(super) fn add_route(
    cx: &mut Cx,
    api: Option<&str>,
    kind: ApiKind,
    path: &str,
    op: &str,
    operation: Value,
    auth: Option<Value>,
    span: Span,
    cond: &Option<String>,
) {
    let Some(api) = api else {
        cx.warn(
            "the API is not a logical ID of this template; the route cannot be placed",
            span,
        );
        return;
    };
    match cx.api_pos(api).map(|i| &mut cx.apis[i]) {
        Some(a) if a.kind == kind => {
            if a.implicit && a.routes.is_empty() {
                a.span = span;
            }
            if a.implicit {
                a.route_conditions.push(cond.clone());
            }
            a.routes.push(RouteAdd {
                path: path.to_owned(),
                op: op.to_owned(),
                operation,
                auth,
                span,
            });
        }
        _ => cx.warn(
            format!(
                "`{api}` is not an AWS::Serverless::{} of this template; SAM rejects the event",
                if kind == ApiKind::Rest {
                    "Api"
                } else {
                    "HttpApi"
                }
            ),
            span,
        ),
    }
}

pub(super) fn finalize_api(cx: &mut Cx, api: ApiBuild) -> Vec<Resource> {
    match api.kind {
        ApiKind::Rest => finalize_rest(cx, api),
        ApiKind::Http => finalize_http(cx, api),
    }
}

fn stage_suffix(name: &Value) -> String {
    match name.as_str() {
        Some(n) if mk::is_alnum(n) => format!("{n}Stage"),
        Some(n) => format!("Stage{}", mk::h10(n)),
        None => "Stage".to_owned(),
    }
}

fn body_of(cx: &mut Cx, api: &ApiBuild, skeleton: Value) -> Value {
    match api.props.get("DefinitionBody") {
        Some(b) if b.as_map().is_some() && b.intrinsic().is_none() => b.clone(),
        Some(b) => {
            cx.warn(
                format!("`{}`: DefinitionBody is not an inline map (e.g. Fn::Transform include); only routes from Events are known", api.id),
                b.span,
            );
            skeleton
        }
        None => {
            if let Some(u) = api.props.get("DefinitionUri") {
                cx.warn(
                    format!("`{}`: DefinitionUri points at a file pillarlint does not read; only routes from Events are known", api.id),
                    u.span,
                );
            }
            skeleton
        }
    }
}

/// Write the event routes into `body.paths`.
fn write_routes(cx: &mut Cx, body: &mut Value, routes: &[RouteAdd]) {
    let body_span = body.span;
    let paths = mk::entry_map(body, "paths");
    for r in routes {
        let path = mk::entry_map(paths, &r.path);
        if path.get(&r.op).is_some() {
            cx.warn(
                format!("route {} {} is defined twice", r.op, r.path),
                r.span,
            );
        }
        mk::set(path, &r.op, r.operation.clone());
        // Keys of generated paths point at the event's `Path`.
        if let Node::Map(entries) = &mut paths.node {
            if let Some((k, _)) = entries.iter_mut().find(|(k, _)| k.name == r.path) {
                if k.span == Span::default() || k.span == body_span {
                    k.span = r.span;
                }
            }
        }
    }
}
