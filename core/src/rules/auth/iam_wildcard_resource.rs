use crate::declare_rule;
use crate::graph::lookup::iam_service;
use crate::iam::DocKind;
use crate::rules::util::{doc_target, edit_target, held_by, is_function_role};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements with `Resource: "*"` for a service whose resources are
    /// declared in the same template, so the specific ARN was at hand; and, whatever the
    /// template holds, writes to data services, reading secrets, `iam:PassRole` and changes
    /// to resource policies, ACLs and grants on `*` (high for the last two). Every identity
    /// policy is checked: function roles, other roles, users, groups, policy resources.
    /// Actions that only work with `Resource: "*"` (`xray:PutTraceSegments`,
    /// `logs:CreateLogGroup`, `ec2:*NetworkInterface*`, `List*`/`Describe*` calls,
    /// `cloudwatch:PutMetricData`, ...) are not flagged.
    ///
    /// ## Why is this bad?
    /// `dynamodb:PutItem` on `*` lets the function write every table in the account, not
    /// just the one it was built for: a bug or injection reaches other services' data.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Table:
    ///     Type: AWS::DynamoDB::Table
    ///     Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}
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
    ///               - Effect: Allow
    ///                 Action: [dynamodb:GetItem, dynamodb:PutItem]
    ///                 Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Replace `*` with the ARN of the resource the function uses (`!GetAtt Table.Arn`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub IamWildcardResource {
        id: "AUTH005",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_111"), Source::Checkov("CKV_AWS_109"), Source::CfnNag("W11"), Source::CfnNag("W12"), Source::CfnNag("W13"), Source::CfnNag("F38"), Source::CfnNag("F39"), Source::CfnNag("F40"), Source::CdkNag("AwsSolutions-IAM5")],
    }
}

/// Does this action work only on `Resource: "*"` (or is it account-level)?
pub fn needs_star(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    let (svc, verb) = a.split_once(':').unwrap_or(("", a.as_str()));
    if verb.starts_with("list") || verb.starts_with("describe") {
        return true;
    }
    matches!(svc, "xray" | "cloudwatch" | "ec2" | "sts" | "logs")
        || matches!(
            a.as_str(),
            "s3:listallmybuckets"
                | "kms:createkey"
                | "ssm:getparametersbypath"
                | "secretsmanager:getrandompassword"
                | "lambda:createeventsourcemapping"
                | "events:putrule"
        )
}

/// Changes to resource policies, ACLs and grants (cloudsplaining's "resource exposure"):
/// on `*`, the holder can open any bucket, key, queue or function to other accounts.
/// Identity-policy changes are privilege escalation (AUTH023), not listed here.
fn exposes_resources(action: &str) -> bool {
    crate::iam::actions::permissions_management(action)
        && !action.to_ascii_lowercase().starts_with("iam:")
}

/// Actions that are over-broad on `*` whatever the template holds: writes and deletes on
/// data services, reading secrets, passing roles, changing resource policies.
fn risky_anywhere(action: &str) -> bool {
    if exposes_resources(action) {
        return true;
    }
    let a = action.to_ascii_lowercase();
    let Some((svc, verb)) = a.split_once(':') else {
        return false;
    };
    if a == "iam:passrole"
        || a == "secretsmanager:getsecretvalue"
        || a == "kms:decrypt"
        || verb.starts_with("getparameter") && svc == "ssm"
    {
        return true;
    }
    matches!(
        svc,
        "dynamodb"
            | "s3"
            | "sqs"
            | "sns"
            | "kinesis"
            | "secretsmanager"
            | "ssm"
            | "lambda"
            | "states"
    ) && crate::graph::lookup::access_level(action) >= crate::graph::AccessLevel::Write
        && !verb.ends_with('*')
}

impl Rule for IamWildcardResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        // Services with at least one resource declared here, and an example of each.
        let mut held: Vec<(&'static str, String)> = Vec::new();
        for n in cx.graph.nodes() {
            if let Some(svc) = iam_service(n.kind) {
                if n.kind.is_data_store() && !held.iter().any(|(s, _)| *s == svc) {
                    held.push((svc, n.id.clone()));
                }
            }
        }
        let iam = &cx.graph.iam;
        let users = crate::rules::util::role_users(t);
        for d in iam.docs_of_kind(DocKind::Identity) {
            if d.managed.is_some() {
                continue;
            }
            let (fn_roles, others): (Vec<&String>, Vec<&String>) = d
                .holders
                .iter()
                .partition(|h| is_function_role(cx, &users, h));
            for st in d
                .statements
                .iter()
                .filter(|s| s.is_allow() && !s.not_resource)
            {
                let Some(star) = st.star_resource() else {
                    continue;
                };
                let mut services: Vec<&str> = Vec::new();
                let mut examples = Vec::new();
                let mut risky: Vec<String> = Vec::new();
                for a in st.actions.iter().filter(|_| !st.not_action) {
                    let action = a.text.as_str();
                    if action == "*" || needs_star(action) {
                        continue;
                    }
                    let svc = action.split(':').next().unwrap_or("").to_ascii_lowercase();
                    if let Some((s, ex)) = held.iter().find(|(s, _)| *s == svc) {
                        if !services.contains(s) {
                            services.push(*s);
                            examples.push(ex.clone());
                        }
                    } else if risky_anywhere(action) {
                        risky.push(action.to_owned());
                    }
                }
                let severe = risky
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("iam:PassRole") || exposes_resources(a));
                let others_too = !others.is_empty() || d.holders.is_empty();
                if services.is_empty() && !risky.is_empty() {
                    for role in fn_roles.iter().filter_map(|id| t.resource(id)) {
                        let fns: Vec<String> = users.get(&role.id).cloned().unwrap_or_default();
                        out.push(
                            Finding::new(
                                &Self::META,
                                Some(edit_target(t, role)),
                                star.span,
                                format!("role {} allows {} on `Resource: \"*\"`: every such resource in the account (other stacks' data, secrets, queues) is in reach, not just the ones the function uses", role.id, risky.join(", ")),
                                "Scope `Resource` to the ARNs the function uses; use a parameter or an import for resources outside this template.",
                            )
                            .severity(if severe { Severity::High } else { Severity::Low })
                            .related([role.id.clone()])
                            .related(fns.clone()),
                        );
                    }
                    if others_too {
                        out.push(
                            Finding::new(
                                &Self::META,
                                Some(doc_target(t, d)),
                                star.span,
                                format!("{} allows {} on `Resource: \"*\"`: every such resource in the account is in reach{}{}", held_by(iam, d), risky.join(", "),
                                    if risky.iter().any(|a| a.eq_ignore_ascii_case("iam:PassRole")) { ", including handing any role to a service" } else { "" },
                                    if risky.iter().any(|a| exposes_resources(a)) { ", including opening any resource's policy to other accounts" } else { "" }),
                                "Scope `Resource` to the ARNs this identity needs; use a parameter or an import for resources outside this template.",
                            )
                            .severity(if severe { Severity::High } else { Severity::Low })
                            .related(others.iter().map(|s| (*s).clone()))
                            .related([d.carrier.clone()]),
                        );
                    }
                    continue;
                }
                if services.is_empty() {
                    continue;
                }
                let mut list = services;
                crate::sort::sort(&mut list);
                let from = match &d.sam_template {
                    Some(tpl) => format!(
                        " (from the SAM policy template {tpl}, whose parameters you can narrow)"
                    ),
                    None => String::new(),
                };
                for role in fn_roles.iter().filter_map(|id| t.resource(id)) {
                    let fns: Vec<String> = users.get(&role.id).cloned().unwrap_or_default();
                    out.push(
                        Finding::new(
                            &Self::META,
                            Some(edit_target(t, role)),
                            star.span,
                            format!("role {} grants {} actions on `Resource: \"*\"`{from}, though the template declares the resources it should name (e.g. {}): the function can touch every such resource in the account", role.id, list.join(", "), examples.join(", ")),
                            "Scope `Resource` to the ARNs the function uses (`!GetAtt Table.Arn`, `!Sub ${Bucket.Arn}/*`).",
                        )
                        .related([role.id.clone()])
                        .related(fns.clone())
                        .related(examples.clone()),
                    );
                }
                if others_too {
                    out.push(
                        Finding::new(
                            &Self::META,
                            Some(doc_target(t, d)),
                            star.span,
                            format!("{} grants {} actions on `Resource: \"*\"`, though the template declares the resources it should name (e.g. {}): it can touch every such resource in the account", held_by(iam, d), list.join(", "), examples.join(", ")),
                            "Scope `Resource` to the ARNs this identity uses (`!GetAtt Table.Arn`, `!Sub ${Bucket.Arn}/*`).",
                        )
                        .related(others.iter().map(|s| (*s).clone()))
                        .related([d.carrier.clone()])
                        .related(examples.clone()),
                    );
                }
            }
        }
    }
}
