use crate::declare_rule;
use crate::graph::{AccessLevel, NodeKind};
use crate::rules::paths::{public_routes, reach};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Follows every unauthenticated public route to the function it invokes and the data
    /// stores that function can write or administer, and reports the whole path.
    ///
    /// ## Why is this bad?
    /// Each piece can look fine alone: a route without auth for a "read-only" page, a role
    /// with `dynamodb:*`. Together, anyone on the internet can delete or corrupt your data
    /// through one request. Per-resource linters cannot see this.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Items:
    ///     Type: AWS::ApiGateway::Resource
    ///     Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
    ///   PostItems:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !Ref Items
    ///       HttpMethod: POST
    ///       AuthorizationType: NONE
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: data
    ///           PolicyDocument:
    ///             Statement:
    ///               - {Effect: Allow, Action: "dynamodb:*", Resource: !GetAtt Table.Arn}
    ///   Table:
    ///     Type: AWS::DynamoDB::Table
    /// ```
    ///
    /// ## Remediation
    /// Put an authorizer on the route, and cut the function's grants down to the actions it
    /// needs (read-only routes get read-only grants).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    pub PublicRouteBlastRadius {
        id: "AUTH012",
        pillar: Auth,
        severity: Critical,
        sources: &[],
        graph: true,
    }
}

impl Rule for PublicRouteBlastRadius {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in public_routes(cx) {
            if !r.unauthenticated(cx.template) {
                continue;
            }
            // Writing a table, bucket or database corrupts data; publishing to a topic or
            // queue does not, unless the grant administers it (delete, re-policy).
            let risky: Vec<_> = reach(cx, r.func)
                .into_iter()
                .filter(|x| match x.kind {
                    NodeKind::Queue | NodeKind::Topic => x.level == AccessLevel::Admin,
                    _ => x.level >= AccessLevel::Write,
                })
                .collect();
            if risky.is_empty() {
                continue;
            }
            let admin = risky.iter().any(|x| x.level == AccessLevel::Admin);
            let stores: Vec<String> = risky
                .iter()
                .map(|x| {
                    format!(
                        "{} ({}{})",
                        x.store,
                        if x.level == AccessLevel::Admin {
                            "admin"
                        } else {
                            "write"
                        },
                        if x.wildcard { ", via wildcard" } else { "" }
                    )
                })
                .collect();
            let span = cx
                .template
                .resource(&r.route.resource)
                .map_or(r.edge.span, |m| m.span_of(&["AuthorizationType"]));
            let mut f = Finding::new(
                &Self::META,
                Some(&r.route.resource),
                span,
                format!("unauthenticated route {} on {} -> {} -> {}: anyone on the internet can {} this data", r.label(), r.api, r.func, stores.join(", "), if admin { "delete or reconfigure" } else { "write" }),
                "Add an authorizer to the route and reduce the function's grants to what the route needs.",
            )
            .severity(if admin { Severity::Critical } else { Severity::High })
            .related([r.api.to_owned(), r.func.to_owned()])
            .edge(r.api, r.func);
            for x in &risky {
                f = f.related([x.store.to_owned()]);
                // `via` names the role, or how a network path was found (`env:DB_HOST`).
                if let Some(v) = x.via.filter(|v| cx.template.resource(v).is_some()) {
                    f = f.related([v.to_owned()]);
                }
            }
            out.push(f);
        }
    }
}
