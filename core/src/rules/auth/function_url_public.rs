use crate::declare_rule;
use crate::rules::util::{edit_target, finding, prop, refs, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags Lambda function URLs with `AuthType: NONE`.
    ///
    /// ## Why is this bad?
    /// The URL is an HTTPS endpoint anyone on the internet can call, with no API Gateway in
    /// front: no authorizer, no throttling, no WAF. Whatever the function can reach is one
    /// request away.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    ///   FnUrl:
    ///     Type: AWS::Lambda::Url
    ///     Properties:
    ///       TargetFunctionArn: !GetAtt Fn.Arn
    ///       AuthType: NONE
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   FnUrl:
    ///     Type: AWS::Lambda::Url
    ///     Properties: {TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:f, AuthType: AWS_IAM}
    /// ```
    ///
    /// ## Remediation
    /// Use `AuthType: AWS_IAM` (callers sign requests with SigV4, e.g. through CloudFront
    /// origin access control), or put the function behind API Gateway with an authorizer.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    pub FunctionUrlPublic {
        id: "AUTH003",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_258")],
    }
}

impl Rule for FunctionUrlPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for u in t.resources_of("AWS::Lambda::Url") {
            let targets = u
                .prop("TargetFunctionArn")
                .map(|v| refs(t, v))
                .unwrap_or_default();
            for b in prop(u, &["AuthType"]) {
                if b.str() != Some("NONE") {
                    continue;
                }
                let fname = targets
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "its function".into());
                let target = edit_target(t, u);
                let mut f = finding(
                    &Self::META,
                    u,
                    span_or(u, &b, &["AuthType"]),
                    &b.cond,
                    format!("function URL {} of {fname} has `AuthType: NONE`: anyone on the internet can invoke the function directly, with no authorizer, throttling or WAF in front", u.id),
                    "Set `AuthType: AWS_IAM` or put the function behind API Gateway with an authorizer.",
                );
                if target != u.id {
                    // SAM `FunctionUrlConfig`: the user edits the function.
                    f.resource = Some(target.to_owned());
                    f = f.related([u.id.clone()]);
                }
                f = f.related(targets.clone());
                out.push(f);
            }
        }
    }
}
