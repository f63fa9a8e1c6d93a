use crate::declare_rule;
use crate::iam::statement::join;
use crate::rules::util::edit_target;
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements on a function's role whose `Action` is `*` or a whole
    /// service (`dynamodb:*`).
    ///
    /// ## Why is this bad?
    /// A function should only be able to do what its code needs. With `*`, a bug or an
    /// injected payload in the function can delete tables, read every secret or change IAM.
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
        sources: &[Source::Checkov("CKV_AWS_63"), Source::CfnNag("F3"), Source::CdkNag("AwsSolutions-IAM5"), Source::ServerlessRules("WS1003")],
    }
}

/// Services whose wildcard is an observability habit rather than a data risk.
const LOW_RISK_SERVICES: &[&str] = &["logs", "xray", "cloudwatch"];

impl Rule for IamWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        let users = crate::rules::util::role_users(t);
        for role in t.resources_of("AWS::IAM::Role") {
            let fns: Vec<String> = users.get(&role.id).cloned().unwrap_or_default();
            if fns.is_empty() && !iam.trusts_service(&role.id, "lambda") {
                continue;
            }

            let target = edit_target(t, role);
            for (d, _) in iam.docs_of(&role.id) {
                if d.managed.is_some() {
                    continue;
                }
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
                        let severity = if action == "*" {
                            Severity::Critical
                        } else if LOW_RISK_SERVICES.contains(&service.as_str()) {
                            Severity::Low
                        } else {
                            Self::META.severity
                        };
                        let from = match &d.sam_template {
                            Some(tpl) => format!(" (from the SAM policy template {tpl})"),
                            None => format!(" (policy {})", d.name),
                        };
                        let who = if fns.is_empty() {
                            "its functions".to_owned()
                        } else {
                            fns.join(", ")
                        };
                        let cond = join(&d.cond, &a.cond);
                        let mut f = Finding::new(
                            &Self::META,
                            Some(target),
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
