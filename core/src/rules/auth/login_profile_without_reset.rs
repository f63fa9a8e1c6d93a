use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags IAM users with a console password (`LoginProfile`) that need not be changed at
    /// first sign-in (`PasswordResetRequired` absent or false).
    ///
    /// ## Why is this bad?
    /// The password set by the template is known to whoever wrote, deployed or can read the
    /// template and its parameters. Without a forced reset it stays the user's password.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Alice:
    ///     Type: AWS::IAM::User
    ///     Properties:
    ///       LoginProfile:
    ///         Password: "{{resolve:secretsmanager:alice-initial}}"
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Alice:
    ///     Type: AWS::IAM::User
    ///     Properties:
    ///       LoginProfile:
    ///         Password: "{{resolve:secretsmanager:alice-initial}}"
    ///         PasswordResetRequired: true
    /// ```
    ///
    /// ## Remediation
    /// Set `LoginProfile.PasswordResetRequired: true`, or give people access through IAM
    /// Identity Center instead of IAM users.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-iam-user-loginprofile.html
    pub LoginProfileWithoutReset {
        id: "AUTH027",
        pillar: Auth,
        severity: Low,
        sources: &[Source::CfnNag("W50")],
    }
}

impl Rule for LoginProfileWithoutReset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for u in cx.template.resources_of("AWS::IAM::User") {
            if u.prop("LoginProfile").is_none() {
                continue;
            }
            for b in prop(u, &["LoginProfile", "PasswordResetRequired"]) {
                if b.bool() == Some(true) {
                    continue;
                }
                if prop(u, &["LoginProfile"]).iter().all(|x| x.value.is_none()) {
                    continue;
                }
                out.push(finding(&Self::META, u, span_or(u, &b, &["LoginProfile", "PasswordResetRequired"]), &b.cond,
                    format!("user {} gets a console password that need not be changed at first sign-in: whoever wrote, deployed or can read the template's parameters knows it and can sign in as {}", u.id, u.id),
                    "Set `LoginProfile.PasswordResetRequired: true`."));
            }
        }
    }
}
