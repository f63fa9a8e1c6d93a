use crate::declare_rule;
use crate::graph::{AccessLevel, EdgeKind, NodeKind};
use crate::rules::paths::{
    acl_has_rate_rule, public_routes, reach, reserved_concurrency, stage_throttled, stages,
    web_acls_of_api, RouteRef,
};
use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Follows public routes that nothing throttles (no stage throttling, no WAF rate rule)
    /// to an on-demand DynamoDB table without `OnDemandThroughput` limits, or to a queue
    /// whose consumer function has no concurrency cap (reserved concurrency or the event
    /// source mapping's `ScalingConfig.MaximumConcurrency`).
    ///
    /// ## Why is this bad?
    /// Pay-per-request services scale with the attacker: each request you do not throttle
    /// becomes table writes and consumer invocations you pay for — denial of wallet.
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
    ///         - PolicyName: write
    ///           PolicyDocument: {Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Table.Arn}]}
    ///   Table:
    ///     Type: AWS::DynamoDB::Table
    ///     Properties: {BillingMode: PAY_PER_REQUEST}
    /// ```
    ///
    /// ## Remediation
    /// Throttle the stage; cap the table with `OnDemandThroughput` (max read/write request
    /// units) and the consumer with reserved concurrency or `ScalingConfig.MaximumConcurrency`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
    pub DenialOfWallet {
        id: "DOS010",
        pillar: Dos,
        severity: Medium,
        sources: &[],
        graph: true,
    }
}

/// Is anything throttling requests on this route's API?
pub fn route_throttled(cx: &Context<'_>, r: &RouteRef<'_>) -> bool {
    let t = cx.template;
    stages(t, r.api).iter().any(stage_throttled)
        || crate::rules::paths::usage_plan_throttles(t, r.api)
        || web_acls_of_api(t, r.api)
            .iter()
            .filter_map(|id| t.resource(id))
            .any(|acl| acl.type_ == "AWS::WAFv2::WebACL" && acl_has_rate_rule(acl))
}

impl Rule for DenialOfWallet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut seen: Vec<String> = Vec::new();
        let mut memo = crate::rules::paths::ApiMemo::default();
        for r in public_routes(cx) {
            if memo.get(r.api, || route_throttled(cx, &r)) {
                continue;
            }
            for x in reach(cx, r.func) {
                if x.level < AccessLevel::Write {
                    continue;
                }
                match x.kind {
                    NodeKind::Table => {
                        let Some(table) = t
                            .resource(x.store)
                            .filter(|s| s.type_ == "AWS::DynamoDB::Table")
                        else {
                            continue;
                        };
                        let on_demand = table.prop("BillingMode").and_then(Value::as_str)
                            == Some("PAY_PER_REQUEST");
                        if !on_demand
                            || table.prop("OnDemandThroughput").is_some()
                            || seen.contains(&table.id)
                        {
                            continue;
                        }
                        seen.push(table.id.clone());
                        out.push(
                            Finding::new(&Self::META, Some(&table.id), table.span_of(&["BillingMode"]),
                                format!("on-demand table {} is written from unthrottled public route {} (via {}) and has no `OnDemandThroughput` cap: request floods become unbounded write charges", table.id, r.label(), r.func),
                                "Throttle the route's stage and set `OnDemandThroughput.MaxWriteRequestUnits`/`MaxReadRequestUnits` on the table.")
                            .related([r.api.to_owned(), r.func.to_owned()])
                            .edge(r.func, &table.id),
                        );
                    }
                    NodeKind::Queue => {
                        let mut consumers: Vec<String> = cx
                            .graph
                            .edges_from(x.store)
                            .filter(|e| e.kind == EdgeKind::Trigger)
                            .map(|e| e.to.clone())
                            .collect();
                        // Event source mappings name their consumer directly, too.
                        for m in t.resources_of("AWS::Lambda::EventSourceMapping") {
                            if m.prop("EventSourceArn")
                                .is_some_and(|v| crate::rules::util::references(t, v, x.store))
                            {
                                if let Some(fid) = m
                                    .prop("FunctionName")
                                    .and_then(|v| crate::rules::util::refs(t, v).into_iter().next())
                                {
                                    if !consumers.contains(&fid) {
                                        consumers.push(fid);
                                    }
                                }
                            }
                        }
                        for cid in consumers {
                            let Some(consumer) = t
                                .resource(&cid)
                                .filter(|c| c.type_ == "AWS::Lambda::Function")
                            else {
                                continue;
                            };
                            if reserved_concurrency(consumer) || seen.contains(&consumer.id) {
                                continue;
                            }
                            let capped =
                                t.resources_of("AWS::Lambda::EventSourceMapping").any(|m| {
                                    m.prop("FunctionName").is_some_and(|v| {
                                        crate::rules::util::references(t, v, &consumer.id)
                                    }) && m
                                        .prop_path(&["ScalingConfig", "MaximumConcurrency"])
                                        .is_some()
                                });
                            if capped {
                                continue;
                            }
                            seen.push(consumer.id.clone());
                            out.push(
                                Finding::new(&Self::META, Some(&consumer.id), consumer.span,
                                    format!("{} consumes queue {} filled from unthrottled public route {} (via {}) with no concurrency cap: a request flood scales the consumer without limit", consumer.id, x.store, r.label(), r.func),
                                    "Throttle the route's stage and cap the consumer (reserved concurrency or `ScalingConfig.MaximumConcurrency`).")
                                .related([r.api.to_owned(), r.func.to_owned(), x.store.to_owned()]),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
