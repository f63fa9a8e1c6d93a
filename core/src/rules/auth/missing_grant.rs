use crate::declare_rule;
use crate::graph::lookup::{function_role, iam_service};
use crate::graph::EdgeKind;
use crate::rules::auth::shared_role::env_stores;
use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags functions that name a store of the template in their environment but whose role
    /// (declared in the template, with no managed policies beyond the Lambda basics) grants
    /// no access to it.
    ///
    /// ## Why is this bad?
    /// Either the call fails at runtime, or access comes from somewhere nobody reviews (a
    /// policy added by hand, a broad resource policy). Both hide the real permission model.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: a.h
    ///       Code: {ZipFile: "x"}
    ///       Role: !GetAtt FnRole.Arn
    ///       Environment: {Variables: {TABLE: !Ref Orders}}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties: {AssumeRolePolicyDocument: {}}
    ///   Orders:
    ///     Type: AWS::DynamoDB::Table
    /// ```
    ///
    /// ## Remediation
    /// Grant the function the actions it needs on that store in its own role (e.g. SAM
    /// `DynamoDBReadPolicy`), so the permission is declared where it is reviewed.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub MissingGrant {
        id: "AUTH015",
        pillar: Auth,
        severity: Low,
        sources: &[],
        graph: true,
    }
}

impl Rule for MissingGrant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        // Roles that a resource policy (bucket, queue, topic, key) names: they may be granted
        // there, which this rule does not try to evaluate.
        let named_by_resource_policy: crate::smap::StrSet = t
            .resources
            .iter()
            .filter(|r| {
                matches!(
                    r.type_.as_str(),
                    "AWS::S3::BucketPolicy"
                        | "AWS::SQS::QueuePolicy"
                        | "AWS::SNS::TopicPolicy"
                        | "AWS::KMS::Key"
                )
            })
            .flat_map(|r| crate::rules::util::refs(t, &r.properties))
            .collect();
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(role) = function_role(t, f) else {
                continue;
            };
            // Managed policies other than the Lambda basics could grant anything: cannot verify.
            let opaque = role
                .prop("ManagedPolicyArns")
                .map(Value::items)
                .unwrap_or_default()
                .iter()
                .any(|m| {
                    let s = crate::rules::util::raw_text(m).unwrap_or_default();
                    !(s.contains("AWSLambdaBasicExecutionRole")
                        || s.contains("AWSLambdaVPCAccessExecutionRole")
                        || s.contains("AWSXray")
                        || s.contains("AWSXRay"))
                });
            if opaque {
                continue;
            }
            for store in env_stores(cx, f) {
                let Some(n) = cx.graph.node(&store) else {
                    continue;
                };
                if iam_service(n.kind).is_none()
                    || matches!(
                        n.kind,
                        crate::graph::NodeKind::DocumentDb | crate::graph::NodeKind::Database
                    )
                {
                    continue;
                }
                let granted = cx
                    .graph
                    .edges_from(&f.id)
                    .any(|e| e.kind == EdgeKind::Access && e.to == store)
                    || cx
                        .graph
                        .edges_to(&f.id)
                        .any(|e| e.kind == EdgeKind::Trigger && e.from == store);
                if granted {
                    continue;
                }
                // A resource policy on the store may name the role.
                let by_policy = named_by_resource_policy.contains(&role.id);
                if by_policy
                    || names_store_in_policy(cx, role, &store, iam_service(n.kind))
                    || notifies(t, &store, &f.id)
                {
                    continue;
                }
                let span = f
                    .prop_path(&["Environment", "Variables"])
                    .and_then(Value::as_map)
                    .and_then(|vars| {
                        vars.iter()
                            .find(|(_, v)| crate::rules::util::references(t, v, &store))
                            .map(|(k, _)| k.span)
                    })
                    .unwrap_or(f.span);
                out.push(
                    Finding::new(&Self::META, Some(&f.id), span,
                        format!("function {} names {store} in its environment but its role {} grants no access to it: the call will fail, or access comes from a grant outside the template that nobody reviews", f.id, role.id),
                        "Grant the needed actions on that store in the function's role.")
                    .related([role.id.clone(), store.clone()]),
                );
            }
        }
    }
}

/// Does any statement of the role name the store, or reach it with `Resource: "*"`?
fn names_store_in_policy(
    cx: &Context<'_>,
    role: &crate::model::Resource,
    store: &str,
    service: Option<&str>,
) -> bool {
    let t = cx.template;
    cx.graph
        .iam
        .docs_of(&role.id)
        .into_iter()
        .filter(|(d, _)| d.managed.is_none())
        .any(|(d, _)| {
            d.statements.iter().any(|st| {
                st.is_allow()
                    && !st.not_resource
                    && st.resources.iter().any(|x| {
                        x.value
                            .as_ref()
                            .is_some_and(|v| crate::rules::util::references(t, v, store))
                            // `*`, or a pattern on the store's service (`arn:aws:s3:::*reports*`):
                            // it may well cover the store, so no claim of a missing grant.
                            || x.text == "*"
                            || (x.text.contains('*')
                                && service.is_some_and(|svc| x.text.contains(&format!(":{svc}:"))))
                    })
            })
        })
}

/// Is the function the target of the store's own notifications (an S3 event)?
fn notifies(t: &crate::model::Template, store: &str, func: &str) -> bool {
    t.resource(store)
        .and_then(|s| s.prop("NotificationConfiguration"))
        .is_some_and(|n| crate::rules::util::references(t, n, func))
}
