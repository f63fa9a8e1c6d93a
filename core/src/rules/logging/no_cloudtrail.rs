use crate::declare_rule;
use crate::graph::NodeKind;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::span::{Span, START};

declare_rule! {
    /// ## What it does
    /// Notes (low, template-wide) that the template declares no CloudTrail trail. Trails are
    /// usually account- or organization-level, so this is a reminder to check, not a fault
    /// of this stack.
    ///
    /// ## Why is this bad?
    /// Without a trail, control-plane changes (who changed this function's code, who
    /// widened this role) and data events are not recorded, and an incident cannot be
    /// reconstructed.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    /// ```
    ///
    /// ## Remediation
    /// Confirm an organization or account trail covers this account and region (multi-region,
    /// with log-file validation); if not, add an `AWS::CloudTrail::Trail`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
    pub NoCloudTrail {
        id: "LOG006",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Guard("CLOUD_TRAIL_ENABLED")],
    }
}

impl Rule for NoCloudTrail {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        if t.resources_of("AWS::CloudTrail::Trail").next().is_some() {
            return;
        }
        let serverless = cx
            .graph
            .nodes()
            .any(|n| n.kind == NodeKind::Function || n.kind.is_data_store());
        if !serverless {
            return;
        }
        let span = t
            .root
            .get("Resources")
            .map_or(Span::point(START), |r| Span::point(r.span.start));
        out.push(Finding::new(&Self::META, None, span,
            "the template declares no CloudTrail trail: if no account or organization trail exists, changes to these functions, roles and stores are not recorded (trails are often account-level, so check before adding one)",
            "Confirm an account/organization trail covers this region; otherwise add a multi-region trail with log-file validation."));
    }
}
