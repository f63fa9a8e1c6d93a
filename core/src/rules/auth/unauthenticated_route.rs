use crate::declare_rule;
use crate::graph::EdgeKind;
use crate::rules::paths::api_is_private;
use crate::rules::util::{cond_of, finding, prop, refs, span_or, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags API routes that invoke a function with no authorizer: no IAM, Cognito, JWT or
    /// Lambda authorizer on the route, and none inherited from a default.
    ///
    /// ## Why is this bad?
    /// Anyone on the internet can call the route, and through it the function and every
    /// store the function can touch. An API key is not authentication: keys are meant for
    /// usage plans and are routinely shipped inside clients.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Author:
    ///     Type: AWS::ApiGateway::Resource
    ///     Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: author}
    ///   PostAuthor:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !Ref Author
    ///       HttpMethod: POST
    ///       AuthorizationType: NONE
    ///       Integration:
    ///         Type: AWS_PROXY
    ///         IntegrationHttpMethod: POST
    ///         Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: nodejs20.x, Handler: index.handler, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    /// ```
    ///
    /// Use instead: `AuthorizationType: COGNITO_USER_POOLS` with an `AuthorizerId`, or
    /// `AWS_IAM`.
    ///
    /// ## Remediation
    /// Add an authorizer to the route (Cognito user pool, JWT, Lambda or IAM), or a
    /// `DefaultAuthorizer` in the SAM API's `Auth`, or `authorizer:` on the Serverless
    /// `http` event. If the route is public on purpose, suppress this finding with a reason.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    pub UnauthenticatedRoute {
        id: "AUTH001",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_59"), Source::CfnNag("W59"), Source::CdkNag("AwsSolutions-APIG4")],
        graph: true,
    }
}

/// Is the API reachable only through a custom domain that requires client certificates
/// (mutual TLS, with the default `execute-api` endpoint disabled)? Then callers are
/// authenticated by their certificate.
fn mutual_tls_only(t: &crate::model::Template, api: &str) -> bool {
    let disabled = t
        .resource(api)
        .and_then(|a| a.prop("DisableExecuteApiEndpoint"))
        .and_then(Value::as_bool)
        == Some(true);
    disabled
        && t.resources.iter().any(|r| {
            (r.type_ == "AWS::ApiGateway::DomainName" || r.type_ == "AWS::ApiGatewayV2::DomainName")
                && r.prop("MutualTlsAuthentication").is_some()
        })
}

impl Rule for UnauthenticatedRoute {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut covered: Vec<&str> = Vec::new();
        for e in cx.graph.edges().filter(|e| e.kind == EdgeKind::Trigger) {
            let Some(route) = &e.route else { continue };
            covered.push(&route.resource);
            if route.method == "OPTIONS" || mutual_tls_only(t, &e.from) {
                continue;
            }
            let key_note = if route.api_key_required {
                " (an API key is required, but a key is not an identity)"
            } else {
                ""
            };
            let private = api_is_private(t, &e.from);
            let mut emit = |span, cond: Option<String>| {
                let resource = t.resource(&route.resource);
                let mut f = Finding::new(
                    &Self::META,
                    Some(&route.resource),
                    span,
                    format!(
                        "route {} {} on {} invokes {} with no authorizer{key_note}{}: {}",
                        route.method,
                        route.path,
                        e.from,
                        e.to,
                        when(&cond),
                        if private {
                            "anyone who can reach the private API from a VPC can call it"
                        } else {
                            "anyone on the internet can call it"
                        }
                    ),
                    "Add a Cognito, JWT, Lambda or IAM authorizer to the route (or a DefaultAuthorizer on the API).",
                )
                .related([e.from.clone(), e.to.clone()])
                .edge(&e.from, &e.to);
                if private {
                    f = f.severity(Severity::Medium);
                }
                f = f.condition(match resource {
                    Some(r) => cond_of(r, &cond),
                    None => cond,
                });
                // A route that exists only when its function does.
                if f.condition.is_none() {
                    f.condition = t.resource(&e.to).and_then(|x| x.condition.clone());
                }
                out.push(f);
            };
            // A declared method: judge every `Fn::If` branch of its AuthorizationType.
            match t
                .resource(&route.resource)
                .filter(|r| r.type_ == "AWS::ApiGateway::Method")
            {
                Some(m) => {
                    for b in prop(m, &["AuthorizationType"]) {
                        if b.str().is_none_or(|a| a.eq_ignore_ascii_case("NONE"))
                            && b.value.is_none_or(|v| v.as_str().is_some())
                        {
                            emit(span_or(m, &b, &["AuthorizationType"]), b.cond.clone());
                        }
                    }
                }
                None => {
                    // `None`: the template does not fix it (a parameter, an import): no guess.
                    let open = crate::rules::paths::route_open(t, route);
                    if open {
                        let span = t
                            .resource(&route.resource)
                            .map_or(e.span, |r| r.span_of(&["AuthorizationType"]));
                        emit(span, None);
                    }
                }
            }
        }
        // Methods and routes that integrate with something other than a function of the
        // template (a service integration, an HTTP backend) are entry points too.
        for m in t.resources_of("AWS::ApiGateway::Method") {
            if covered.contains(&m.id.as_str()) {
                continue;
            }
            let method = m
                .prop("HttpMethod")
                .and_then(Value::as_str)
                .unwrap_or("ANY")
                .to_ascii_uppercase();
            if method == "OPTIONS"
                || m.prop_path(&["Integration", "Type"])
                    .and_then(Value::as_str)
                    == Some("MOCK")
            {
                continue;
            }
            let api = m
                .prop("RestApiId")
                .and_then(|v| refs(t, v).into_iter().next());
            if api.as_deref().is_some_and(|a| mutual_tls_only(t, a)) {
                continue;
            }
            for b in prop(m, &["AuthorizationType"]) {
                if !(b.str().is_none_or(|a| a.eq_ignore_ascii_case("NONE"))
                    && b.value.is_none_or(|v| v.as_str().is_some()))
                {
                    continue;
                }
                let private = api.as_deref().is_some_and(|a| api_is_private(t, a));
                let mut f = finding(
                    &Self::META,
                    m,
                    span_or(m, &b, &["AuthorizationType"]),
                    &b.cond,
                    format!("method {} ({method}) has no authorizer: {} can call it and whatever its integration reaches", m.id, if private { "anyone who can reach the private API" } else { "anyone on the internet" }),
                    "Add a Cognito, Lambda or IAM authorizer to the method.",
                )
                .related(api.clone());
                if private {
                    f = f.severity(Severity::Medium);
                }
                out.push(f);
            }
        }
        for r in t.resources_of("AWS::ApiGatewayV2::Route") {
            if covered.contains(&r.id.as_str()) {
                continue;
            }
            let key = r.prop("RouteKey").and_then(Value::as_str).unwrap_or("");
            let api = r.prop("ApiId").and_then(|v| refs(t, v).into_iter().next());
            let websocket = api
                .as_deref()
                .and_then(|a| t.resource(a))
                .and_then(|a| a.prop("ProtocolType"))
                .and_then(Value::as_str)
                == Some("WEBSOCKET");
            // WebSocket APIs authorize on $connect only; CORS preflights need none.
            if (websocket && key != "$connect")
                || key.starts_with("OPTIONS ")
                || api.as_deref().is_some_and(|a| mutual_tls_only(t, a))
            {
                continue;
            }
            for b in prop(r, &["AuthorizationType"]) {
                if !(b.str().is_none_or(|a| a.eq_ignore_ascii_case("NONE"))
                    && b.value.is_none_or(|v| v.as_str().is_some()))
                {
                    continue;
                }
                out.push(
                    finding(
                        &Self::META,
                        r,
                        span_or(r, &b, &["AuthorizationType"]),
                        &b.cond,
                        format!("route `{key}` ({}) has no authorizer: anyone on the internet can call it", r.id),
                        "Set `AuthorizationType` (JWT, AWS_IAM or CUSTOM) with an authorizer on the route.",
                    )
                    .related(api.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn fires_on_the_method_with_its_position() {
        let ex = &super::UnauthenticatedRoute::META.examples("expect_finding")[0];
        let f = findings_of("AUTH001", ex);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resource.as_deref(), Some("PostAuthor"));
        assert_eq!(f[0].span.start.line, 13, "points at AuthorizationType");
        assert_eq!(f[0].edge.as_ref().map(|e| e.to.as_str()), Some("Fn"));
        assert!(f[0].message.contains("POST /author"));
    }

    #[test]
    fn iam_authorization_passes() {
        let ex = super::UnauthenticatedRoute::META.examples("expect_finding")[0]
            .replace("AuthorizationType: NONE", "AuthorizationType: AWS_IAM");
        assert!(findings_of("AUTH001", &ex).is_empty());
    }
}
