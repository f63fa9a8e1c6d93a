use crate::declare_rule;
use crate::graph::EdgeKind;
use crate::rules::auth::shared_role::env_stores;
use crate::rules::util::edit_target;
use crate::rules::{Context, Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Compares what each function's role grants with what the function uses: flags stores
    /// of the template the function can reach through IAM but never names (in its
    /// environment, or as an event source), when it does name its other stores.
    ///
    /// ## Why is this bad?
    /// Grants nobody uses are pure risk: a compromised function reaches data it never
    /// needed. Wildcards (`Resource: "*"`) are the usual cause: they reach every store of the
    /// service in the account.
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
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: data
    ///           PolicyDocument:
    ///             Statement:
    ///               - {Effect: Allow, Action: [dynamodb:GetItem, dynamodb:PutItem], Resource: "*"}
    ///   Orders:
    ///     Type: AWS::DynamoDB::Table
    ///   Users:
    ///     Type: AWS::DynamoDB::Table
    /// ```
    ///
    /// ## Remediation
    /// Scope the grant to the stores the function names (`!GetAtt Orders.Arn`), and remove
    /// grants for stores it does not use.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub OverGrant {
        id: "AUTH014",
        pillar: Auth,
        severity: Medium,
        sources: &[],
        graph: true,
    }
}

impl Rule for OverGrant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            let named = env_stores(cx, f);
            if named.is_empty() {
                continue;
            }
            let mut triggers: Vec<&str> = cx
                .graph
                .edges_to(&f.id)
                .filter(|e| e.kind == EdgeKind::Trigger)
                .map(|e| e.from.as_str())
                .collect();
            // Event sources that name the function (rules, mappings, notifications), in case
            // the graph does not draw them: what they name, the function uses.
            for r in &t.resources {
                let source = matches!(
                    r.type_.as_str(),
                    "AWS::Events::Rule"
                        | "AWS::Lambda::EventSourceMapping"
                        | "AWS::Scheduler::Schedule"
                        | "AWS::SNS::Subscription"
                        | "AWS::S3::Bucket"
                        | "AWS::Logs::SubscriptionFilter"
                );
                if source
                    && crate::rules::util::references(t, &r.properties, &f.id)
                    && !triggers.contains(&r.id.as_str())
                {
                    triggers.push(&r.id);
                }
            }
            let role = crate::graph::lookup::function_role(t, f);
            let mut unused = Vec::new();
            let mut span = None;
            for e in cx
                .graph
                .edges_from(&f.id)
                .filter(|e| e.kind == EdgeKind::Access)
            {
                let Some(n) = cx.graph.node(&e.to) else {
                    continue;
                };
                if !n.kind.is_data_store()
                    || named.contains(&e.to)
                    || triggers.contains(&e.to.as_str())
                    || triggers.iter().any(|src| {
                        // An event rule whose pattern names the bucket (S3 via EventBridge).
                        t.resource(src).is_some_and(|r| {
                            crate::rules::util::references(t, &r.properties, &e.to)
                        })
                    })
                {
                    continue;
                }
                // Only judge stores of a kind the function does name: that shows how it finds its stores.
                let same_kind_named = named
                    .iter()
                    .any(|s| cx.graph.node(s).is_some_and(|m| m.kind == n.kind));
                if !same_kind_named {
                    continue;
                }
                span.get_or_insert(e.span);
                unused.push(format!(
                    "{}{}",
                    e.to,
                    if e.wildcard { " (via wildcard)" } else { "" }
                ));
            }
            if unused.is_empty() {
                continue;
            }
            let target = role.map_or(f.id.as_str(), |r| edit_target(t, r));
            out.push(
                Finding::new(&Self::META, Some(target), span.unwrap_or(f.span),
                    format!("function {} is granted access to {} but names only {} in its configuration: those extra grants are unused risk", f.id, unused.join(", "), named.iter().cloned().collect::<Vec<_>>().join(", ")),
                    "Scope the role's statements to the stores the function uses.")
                .related([f.id.clone()])
                .related(role.map(|r| r.id.clone()))
                .related(unused.iter().map(|u| u.split(' ').next().unwrap_or(u).to_owned())),
            );
        }
    }
}
