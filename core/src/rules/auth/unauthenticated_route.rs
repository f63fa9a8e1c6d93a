use crate::declare_rule;
use crate::graph::EdgeKind;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

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

impl Rule for UnauthenticatedRoute {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.graph.edges().filter(|e| e.kind == EdgeKind::Trigger) {
            let Some(route) = &e.route else { continue };
            let open = route
                .authorization
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case("NONE"));
            if !open || route.method == "OPTIONS" {
                continue;
            }
            let key_note = if route.api_key_required {
                " (an API key is required, but a key is not an identity)"
            } else {
                ""
            };
            out.push(
                Finding::new(
                    &Self::META,
                    Some(&route.resource),
                    cx.template.resource(&route.resource).map_or(e.span, |r| r.span_of(&["AuthorizationType"])),
                    format!(
                        "route {} {} on {} invokes {} with no authorizer{key_note}: anyone on the internet can call it",
                        route.method, route.path, e.from, e.to
                    ),
                    "Add a Cognito, JWT, Lambda or IAM authorizer to the route (or a DefaultAuthorizer on the API).",
                )
                .related([e.from.clone(), e.to.clone()])
                .edge(&e.from, &e.to),
            );
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
