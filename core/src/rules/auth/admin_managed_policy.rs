use crate::declare_rule;
use crate::iam::IdentityKind;
use crate::rules::util::{edit_target, is_function_role, who as who_name};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags roles, users and groups that attach an admin-grade AWS managed policy:
    /// `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess` (which can attach the other
    /// two), or a service's `*FullAccess` policy.
    ///
    /// ## Why is this bad?
    /// These policies let the function do nearly anything in the account (or everything in
    /// a service). Any code flaw becomes an account takeover. On a user or a group, a leaked
    /// password or access key does the same.
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
        sources: &[Source::Checkov("CKV_AWS_274"), Source::CfnNag("W43"), Source::CfnNag("W44"), Source::CdkNag("AwsSolutions-IAM4")],
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
        for who in &iam.identities {
            let Some(holder) = t.resource(&who.id) else {
                continue;
            };
            let fn_role = is_function_role(cx, &users, &who.id);
            let fns: Vec<String> = users.get(&who.id).cloned().unwrap_or_default();
            for (name, span, cond) in &who.managed {
                let severity = match name.as_str() {
                    "AdministratorAccess" | "IAMFullAccess" => Severity::Critical,
                    "PowerUserAccess" => Severity::High,
                    n if n.ends_with("FullAccess") => Severity::Medium,
                    _ => continue,
                };
                let message = if fn_role {
                    format!("role {} attaches the AWS managed policy {name}{}: {} can act far beyond what it needs, so any code flaw becomes broad account access", who.id, crate::rules::util::when(cond), if fns.is_empty() { "the function".to_owned() } else { fns.join(", ") })
                } else {
                    let members: Vec<String> = iam
                        .identities
                        .iter()
                        .filter(|u| u.groups.contains(&who.id))
                        .map(|u| u.id.clone())
                        .collect();
                    let holders = match who.kind {
                        IdentityKind::User => "anyone with its password or access keys".to_owned(),
                        IdentityKind::Group if !members.is_empty() => {
                            format!("every member ({})", members.join(", "))
                        }
                        IdentityKind::Group => "every member".to_owned(),
                        IdentityKind::Role => "whoever can assume it".to_owned(),
                    };
                    let reach = if name == "PowerUserAccess" {
                        "can do anything outside IAM: read every secret, change every function, delete every store"
                    } else if crate::iam::managed::is_admin(name) {
                        "can take over the whole account"
                    } else {
                        "can do anything in that service, deletes and policy changes included"
                    };
                    format!(
                        "{} attaches the AWS managed policy {name}{}: {holders} {reach}",
                        who_name(iam, &who.id),
                        crate::rules::util::when(cond)
                    )
                };
                out.push(
                    Finding::new(
                        &Self::META,
                        Some(edit_target(t, holder)),
                        *span,
                        message,
                        if fn_role {
                            "Replace it with a policy listing the specific actions and resources the function uses."
                        } else {
                            "Replace it with a policy listing the actions and resources this identity needs; keep administrator access for a break-glass role behind MFA."
                        },
                    )
                    .severity(severity)
                    .condition(crate::rules::util::cond_of(holder, cond))
                    .related([who.id.clone()])
                    .related(fns.clone()),
                );
            }
        }
    }
}
