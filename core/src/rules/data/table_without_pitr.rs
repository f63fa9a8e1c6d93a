use crate::declare_rule;
use crate::graph::{AccessLevel, NodeKind};
use crate::rules::paths::public_reach;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags DynamoDB tables written from a public route that have no point-in-time
    /// recovery.
    ///
    /// ## Why is this bad?
    /// Anything the internet can write, it can corrupt: a bug, a bad deploy or an attacker
    /// overwrites items, and without point-in-time recovery there is no way back to the
    /// state of five minutes ago.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   PostItem:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !GetAtt Api.RootResourceId
    ///       HttpMethod: POST
    ///       AuthorizationType: AWS_IAM
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: write
    ///           PolicyDocument: {Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Table.Arn}]}
    ///   Table:
    ///     Type: AWS::DynamoDB::Table
    ///     Properties: {BillingMode: PAY_PER_REQUEST}
    /// ```
    ///
    /// ## Remediation
    /// Set `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
    pub TableWithoutPitr {
        id: "DATA010",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_28"), Source::CdkNag("AwsSolutions-DDB3")],
        graph: true,
    }
}

impl Rule for TableWithoutPitr {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut done: Vec<&str> = Vec::new();
        for (route, x) in public_reach(cx) {
            if x.kind != NodeKind::Table || x.level < AccessLevel::Write || done.contains(&x.store)
            {
                continue;
            }
            let Some(table) = t
                .resource(x.store)
                .filter(|r| r.type_ == "AWS::DynamoDB::Table")
            else {
                continue;
            };
            done.push(x.store);
            for b in prop(
                table,
                &[
                    "PointInTimeRecoverySpecification",
                    "PointInTimeRecoveryEnabled",
                ],
            ) {
                if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                    continue;
                }
                out.push(
                    finding(&Self::META, table, span_or(table, &b, &["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]), &b.cond,
                        format!("table {} is written from public route {} (via {}) but has no point-in-time recovery: corrupted or deleted items cannot be restored", table.id, route.label(), route.func),
                        "Enable `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled`.")
                    .related([route.api.to_owned(), route.func.to_owned()]),
                );
            }
        }
    }
}
