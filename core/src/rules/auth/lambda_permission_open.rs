use crate::declare_rule;
use crate::rules::util::finding;
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `AWS::Lambda::Permission` resources that let anyone invoke the function
    /// (`Principal: "*"`), or let an AWS service invoke it on behalf of any account
    /// (a service principal with neither `SourceArn` nor `SourceAccount`).
    ///
    /// ## Why is this bad?
    /// A function's resource policy decides who may call it. `*` lets any AWS account invoke
    /// it; a service principal without a source lets, for example, any S3 bucket or any
    /// API Gateway in any account trigger it (the confused-deputy problem).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Perm:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: my-function
    ///       Action: lambda:InvokeFunction
    ///       Principal: s3.amazonaws.com
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Perm:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: my-function
    ///       Action: lambda:InvokeFunction
    ///       Principal: s3.amazonaws.com
    ///       SourceAccount: !Ref AWS::AccountId
    /// ```
    ///
    /// ## Remediation
    /// Set `SourceArn` to the exact bucket, topic, rule or API route that calls the
    /// function (and `SourceAccount` for S3), and never use `Principal: "*"`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    pub LambdaPermissionOpen {
        id: "AUTH004",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_301"), Source::Checkov("CKV_AWS_364"), Source::CfnNag("F13")],
    }
}

/// Services that can invoke a function on behalf of resources in any account.
const CONFUSED_DEPUTY: &[&str] = &[
    "s3",
    "sns",
    "events",
    "apigateway",
    "logs",
    "scheduler",
    "iot",
    "ses",
    "sqs",
];

impl Rule for LambdaPermissionOpen {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for p in t.resources_of("AWS::Lambda::Permission") {
            for d in cx.graph.iam.carried_by(&p.id) {
                for st in &d.statements {
                    // Function URL permissions are judged by the URL's AuthType (AUTH003).
                    if st.has_condition_key(&["lambda:functionurlauthtype"]) {
                        continue;
                    }
                    let fns = &d.holders;
                    let scoped = st.has_condition_key(&[
                        "aws:sourcearn",
                        "aws:sourceaccount",
                        "aws:principalorgid",
                        "lambda:eventsourcetoken",
                    ]);
                    for who in &st.principals {
                        let principal = who.text.as_str();
                        if principal == "*" {
                            out.push(
                                finding(&Self::META, p, who.span, &who.cond,
                                    format!("permission {} lets any principal (`*`) invoke the function{}", p.id, if scoped { ", narrowed only by its source condition" } else { ": any AWS account can call it" }),
                                    "Name the one service or account that calls the function, with a `SourceArn`.")
                                .severity(if scoped { Severity::Medium } else { Severity::High })
                                .related(fns.clone()),
                            );
                        } else if principal.ends_with(".amazonaws.com") && !scoped {
                            let svc = principal.trim_end_matches(".amazonaws.com");
                            // Services where a missing source is the documented confused-deputy risk.
                            if !CONFUSED_DEPUTY.contains(&svc) {
                                continue;
                            }
                            out.push(
                                finding(&Self::META, p, who.span, &who.cond,
                                    format!("permission {} lets {svc} invoke the function with no `SourceArn` or `SourceAccount`: any {svc} resource in any AWS account can trigger it", p.id),
                                    "Add `SourceArn` (the exact bucket, topic, rule or API) and, for S3, `SourceAccount`.")
                                .related(fns.clone()),
                            );
                        }
                    }
                }
            }
        }
    }
}
