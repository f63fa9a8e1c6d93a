use crate::declare_rule;
use crate::rules::dos::denial_of_wallet::route_throttled;
use crate::rules::paths::{public_routes, reserved_concurrency};
use crate::rules::{Context, Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Follows each public route end to end and flags it when no layer limits it: no stage
    /// throttling, no WAF rate-based rule, and no reserved concurrency on the function.
    ///
    /// ## Why is this bad?
    /// Any one of these brakes bounds a flood. With none, the route turns every request an
    /// attacker can send into an invocation, database load and cost.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   GetItems:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !GetAtt Api.RootResourceId
    ///       HttpMethod: GET
    ///       AuthorizationType: AWS_IAM
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    /// ```
    ///
    /// ## Remediation
    /// Add at least one brake, ideally all: stage throttling, a WAF rate-based rule, and
    /// `ReservedConcurrentExecutions` on the function.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/rel-throttling.html
    pub DosPath {
        id: "DOS011",
        pillar: Dos,
        severity: High,
        sources: &[],
        graph: true,
    }
}

impl Rule for DosPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut memo = crate::rules::paths::ApiMemo::default();
        for r in public_routes(cx) {
            if memo.get(r.api, || route_throttled(cx, &r))
                || t.resource(r.func).is_some_and(reserved_concurrency)
            {
                continue;
            }
            let span = t
                .resource(&r.route.resource)
                .map_or(r.edge.span, |m| m.span);
            out.push(
                Finding::new(&Self::META, Some(&r.route.resource), span,
                    format!("public route {} on {} -> {} has no brake on any layer: no stage throttling, no WAF rate rule, no reserved concurrency — a flood becomes unbounded invocations and cost", r.label(), r.api, r.func),
                    "Throttle the stage, add a WAF rate-based rule, and set reserved concurrency on the function.")
                .related([r.api.to_owned(), r.func.to_owned()])
                .edge(r.api, r.func),
            );
        }
    }
}
