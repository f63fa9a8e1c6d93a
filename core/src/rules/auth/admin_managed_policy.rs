use crate::declare_rule;
use crate::rules::util::edit_target;
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags function roles that attach an admin-grade AWS managed policy:
    /// `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`, or a service's
    /// `*FullAccess` policy.
    ///
    /// ## Why is this bad?
    /// These policies let the function do nearly anything in the account (or everything in
    /// a service). Any code flaw becomes an account takeover.
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
    ///       ManagedPolicyArns:
    ///         - arn:aws:iam::aws:policy/AdministratorAccess
    /// ```
    ///
    /// ## Remediation
    /// Replace the managed policy with an inline policy (or SAM policy template) listing the
    /// actions and resources the function uses.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
    pub AdminManagedPolicy {
        id: "AUTH006",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_274"), Source::CfnNag("W43"), Source::CdkNag("AwsSolutions-IAM4")],
    }
}

impl Rule for AdminManagedPolicy {
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
            let Some(who) = iam.identity(&role.id) else {
                continue;
            };
            for (name, span, cond) in &who.managed {
                let severity = match name.as_str() {
                    "AdministratorAccess" | "IAMFullAccess" => Severity::Critical,
                    "PowerUserAccess" => Severity::High,
                    n if n.ends_with("FullAccess") => Severity::Medium,
                    _ => continue,
                };
                out.push(
                    Finding::new(
                        &Self::META,
                        Some(edit_target(t, role)),
                        *span,
                        format!("role {} attaches the AWS managed policy {name}{}: {} can act far beyond what it needs, so any code flaw becomes broad account access", role.id, crate::rules::util::when(cond), if fns.is_empty() { "the function".to_owned() } else { fns.join(", ") }),
                        "Replace it with a policy listing the specific actions and resources the function uses.",
                    )
                    .severity(severity)
                    .condition(crate::rules::util::cond_of(role, cond))
                    .related([role.id.clone()])
                    .related(fns.clone()),
                );
            }
        }
    }
}
