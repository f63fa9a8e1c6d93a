use crate::declare_rule;
use crate::rules::paths::{public_functions, reserved_concurrency};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags functions behind a public route or a public function URL without
    /// `ReservedConcurrentExecutions`.
    ///
    /// ## Why is this bad?
    /// Without a cap, a flood on one public endpoint can take the whole account's concurrency
    /// (1,000 by default), throttling every other function, and runs up the bill.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    ///   FnUrl:
    ///     Type: AWS::Lambda::Url
    ///     Properties: {TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE}
    /// ```
    ///
    /// ## Remediation
    /// Set `ReservedConcurrentExecutions` to the most the function should ever run at once.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    pub PublicFunctionWithoutConcurrency {
        id: "DOS006",
        pillar: Dos,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_115"), Source::CfnNag("W92")],
        graph: true,
    }
}

impl Rule for PublicFunctionWithoutConcurrency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let public = public_functions(cx);
        for f in cx.template.resources_of("AWS::Lambda::Function") {
            if reserved_concurrency(f) {
                continue;
            }
            let Some(entry) = public.get(&f.id) else {
                continue;
            };
            out.push(
                Finding::new(&Self::META, Some(&f.id), f.span,
                    format!("function {} is reachable from the internet ({entry}) and has no reserved concurrency: a flood can exhaust the account's concurrency and throttle every other function", f.id),
                    "Set `ReservedConcurrentExecutions` to the function's expected peak.")
                .condition(f.condition.clone()),
            );
        }
    }
}
