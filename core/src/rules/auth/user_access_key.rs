use crate::declare_rule;
use crate::rules::util::{grants_summary, refs};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags `AWS::IAM::AccessKey` resources: long-lived access keys for an IAM user, made
    /// by the stack. High when the template hands the secret out (`!GetAtt Key.SecretAccessKey`
    /// in `Outputs`, where anyone who can describe the stack reads it).
    ///
    /// ## Why is this bad?
    /// An access key works from anywhere, for anyone who has it, until someone deletes it.
    /// Keys made by a template end up in stack outputs, parameters, CI variables and laptops;
    /// most cloud breaches start with one.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Deployer:
    ///     Type: AWS::IAM::User
    ///   DeployerKey:
    ///     Type: AWS::IAM::AccessKey
    ///     Properties:
    ///       UserName: !Ref Deployer
    /// ```
    ///
    /// ## Remediation
    /// Use roles instead: OIDC federation for CI (GitHub Actions, GitLab), IAM Identity
    /// Center for people, instance/task roles for workloads. If a key is unavoidable, store it
    /// in Secrets Manager (never in `Outputs`) and rotate it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
    pub UserAccessKey {
        id: "AUTH026",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_273")],
    }
}

impl Rule for UserAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for k in t.resources_of("AWS::IAM::AccessKey") {
            if k.prop("Status").and_then(Value::as_str) == Some("Inactive") {
                continue;
            }
            let users = k.prop("UserName").map(|v| refs(t, v)).unwrap_or_default();
            // Outputs that hand out the secret.
            let leaked: Vec<&str> = t
                .outputs
                .iter()
                .filter(|(_, v)| {
                    let mut hit = false;
                    v.walk(&mut |_, x| {
                        if let Some(("Fn::GetAtt", arg)) = x.intrinsic() {
                            let text = match arg.as_seq() {
                                Some(items) => items
                                    .iter()
                                    .filter_map(Value::as_str)
                                    .collect::<Vec<_>>()
                                    .join("."),
                                None => arg.as_str().unwrap_or("").to_owned(),
                            };
                            hit |= text == format!("{}.SecretAccessKey", k.id);
                        }
                        if let Some(s) = x.as_str() {
                            hit |= s.contains(&format!("${{{}.SecretAccessKey}}", k.id));
                        }
                    });
                    hit
                })
                .map(|(n, _)| n.as_str())
                .collect();
            let can = users
                .first()
                .map(|u| grants_summary(&cx.graph.iam, u))
                .unwrap_or_else(|| "whatever its user may".into());
            let mut f = Finding::new(
                &Self::META,
                Some(&k.id),
                k.span,
                format!(
                    "access key {} is a long-lived credential for {}{}: whoever gets it can use it from anywhere until it is deleted, for: {can}",
                    k.id,
                    if users.is_empty() { "an IAM user".to_owned() } else { format!("user {}", users.join(", ")) },
                    if leaked.is_empty() { String::new() } else { format!(", and the output {} publishes its secret to anyone who can describe the stack", leaked.join(", ")) }
                ),
                "Use roles instead (OIDC federation for CI, IAM Identity Center for people); if a key is unavoidable, keep it in Secrets Manager and rotate it.",
            )
            .condition(k.condition.clone())
            .related(users.clone());
            if !leaked.is_empty() {
                f = f.severity(Severity::High);
            }
            out.push(f);
        }
    }
}
