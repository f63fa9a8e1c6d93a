use crate::declare_rule;
use crate::graph::build::{function_role, role_statements};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

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
        sources: &[Source::Checkov("CKV_AWS_63"), Source::CfnNag("F3"), Source::CdkNag("AwsSolutions-IAM5")],
    }
}

impl Rule for IamWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(role) = function_role(t, f) else {
                continue;
            };
            for st in role_statements(t, role) {
                if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                    continue;
                }
                for a in st.get("Action").map(Value::items).unwrap_or_default() {
                    let Some(action) = a.as_str() else { continue };
                    let whole = action == "*" || action.ends_with(":*");
                    if !whole {
                        continue;
                    }
                    let severity = if action == "*" {
                        crate::rules::Severity::Critical
                    } else {
                        Self::META.severity
                    };
                    out.push(
                        Finding::new(
                            &Self::META,
                            Some(&role.id),
                            a.span,
                            format!("role {} of function {} allows `{action}`: the function can do far more than its code needs", role.id, f.id),
                            "Replace the wildcard with the specific actions the function calls.",
                        )
                        .severity(severity)
                        .related([f.id.clone()]),
                    );
                }
            }
        }
    }
}
