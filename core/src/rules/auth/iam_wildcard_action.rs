use crate::declare_rule;
use crate::iam::statement::join;
use crate::iam::DocKind;
use crate::rules::util::{doc_target, edit_target, held_by, is_function_role};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements whose `Action` is `*` or a whole service (`dynamodb:*`), in
    /// every identity policy of the template: function roles, other roles, users, groups,
    /// and `AWS::IAM::Policy` / `ManagedPolicy` resources (attached or not). `*` and
    /// `iam:*` / `organizations:*` (which let the holder make itself an administrator) are
    /// critical; `logs:*`, `xray:*` and `cloudwatch:*` are low.
    ///
    /// ## Why is this bad?
    /// A function should only be able to do what its code needs. With `*`, a bug or an
    /// injected payload in the function can delete tables, read every secret or change IAM.
    /// On a user, a group or a CI role, whoever holds its credentials can do the same.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: all
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: "*"
    ///                 Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// List the specific actions the function calls (`dynamodb:GetItem`, `dynamodb:PutItem`),
    /// or use a SAM policy template such as `DynamoDBCrudPolicy`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub IamWildcardAction {
        id: "AUTH002",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_63"), Source::Checkov("CKV_AWS_62"), Source::CfnNag("F3"), Source::CfnNag("F4"), Source::CfnNag("F5"), Source::CdkNag("AwsSolutions-IAM5"), Source::ServerlessRules("WS1003")],
    }
}

/// Services whose wildcard is an observability habit rather than a data risk.
const LOW_RISK_SERVICES: &[&str] = &["logs", "xray", "cloudwatch"];

/// Services whose wildcard lets the holder grant itself anything.
const ADMIN_SERVICES: &[&str] = &["iam", "organizations"];

fn severity_of(action: &str, service: &str) -> Severity {
    if action == "*" || ADMIN_SERVICES.contains(&service) {
        Severity::Critical
    } else if LOW_RISK_SERVICES.contains(&service) {
        Severity::Low
    } else {
        IamWildcardAction::META.severity
    }
}

/// What the holder of `action` can do, for messages about identities other than functions.
fn consequence(action: &str, service: &str) -> String {
    if action == "*" {
        "whoever holds it can do anything in the account: read every secret, delete every store, create new administrators".into()
    } else if ADMIN_SERVICES.contains(&service) {
        format!("whoever holds it can grant itself any permission (`{action}` includes attaching AdministratorAccess)")
    } else if crate::iam::actions::SENSITIVE_SERVICES.contains(&service) {
        format!("whoever holds it controls every {service} resource of the account, credentials and keys included")
    } else {
        format!("whoever holds it can use every {service} action on every resource it reaches, deletes and policy changes included")
    }
}

impl Rule for IamWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
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
                .filter(|s| s.is_allow() && !s.not_action)
            {
                for a in &st.actions {
                    let action = a.text.as_str();
                    let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
                    let whole = action == "*" || action.ends_with(":*");
                    if !whole {
                        continue;
                    }
                    let severity = severity_of(action, &service);
                    let cond = join(&d.cond, &a.cond);
                    for role in fn_roles.iter().filter_map(|id| t.resource(id)) {
                        let fns: Vec<String> = users.get(&role.id).cloned().unwrap_or_default();
                        let from = match &d.sam_template {
                            Some(tpl) => format!(" (from the SAM policy template {tpl})"),
                            None => format!(" (policy {})", d.name),
                        };
                        let who = if fns.is_empty() {
                            "its functions".to_owned()
                        } else {
                            fns.join(", ")
                        };
                        let mut f = Finding::new(
                            &Self::META,
                            Some(edit_target(t, role)),
                            a.span,
                            format!("role {} allows `{action}`{from}{}: {who} can do far more than the code needs, so a bug or injected payload can reach every {} resource and action", role.id, crate::rules::util::when(&cond), if action == "*" { "AWS" } else { &service }),
                            "Replace the wildcard with the specific actions the function calls, scoped to the resources it uses.",
                        )
                        .severity(severity)
                        .condition(crate::rules::util::cond_of(role, &cond))
                        .related([role.id.clone()])
                        .related(fns.clone());
                        if d.carrier != role.id {
                            f = f.related([d.carrier.clone()]);
                        }
                        out.push(f);
                    }
                    if others.is_empty() && !d.holders.is_empty() {
                        continue;
                    }
                    let Some(carrier) = t.resource(&d.carrier) else {
                        continue;
                    };
                    out.push(
                        Finding::new(
                            &Self::META,
                            Some(doc_target(t, d)),
                            a.span,
                            format!("{} allows `{action}`{}: {}", held_by(iam, d), crate::rules::util::when(&cond), consequence(action, &service)),
                            "List the actions this identity needs, scoped to the resources it uses; keep administrator access for break-glass roles behind MFA.",
                        )
                        .severity(severity)
                        .condition(crate::rules::util::cond_of(carrier, &cond))
                        .related(others.iter().map(|s| (*s).clone()))
                        .related([d.carrier.clone()]),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn points_at_the_action_and_names_the_function() {
        let ex = &super::IamWildcardAction::META.examples("expect_finding")[0];
        let f = findings_of("AUTH002", ex);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resource.as_deref(), Some("FnRole"));
        assert_eq!(f[0].span.start.line, 14, "the `Action: \"*\"` line");
        assert_eq!(f[0].related, vec!["Fn".to_owned()]);
    }
}
