use crate::declare_rule;
use crate::rules::suppress::entries;
use crate::rules::{rule, Context, Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `Metadata.pillarlint.ignore` suppressions that give no `reason`, or that name
    /// a rule id pillarlint does not have.
    ///
    /// ## Why is this bad?
    /// A suppression is an accepted risk; without a reason nobody can review it later, and
    /// one naming an unknown id (a typo, a renamed rule) silently suppresses nothing.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///     Metadata:
    ///       pillarlint:
    ///         ignore:
    ///           - id: DATA001
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///     Metadata:
    ///       pillarlint:
    ///         ignore:
    ///           - {id: DATA001, reason: "Only CloudFront reads it, through origin access control"}
    /// ```
    ///
    /// ## Remediation
    /// Give every suppression a `reason` and a valid rule id.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/metadata-section-structure.html
    pub SuppressionAudit {
        id: "LOG015",
        pillar: Logging,
        severity: Low,
        sources: &[],
    }
}

impl Rule for SuppressionAudit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut check = |resource: Option<&str>, meta: &crate::value::Value| {
            for e in entries(meta).into_iter().filter(|e| e.by == "pillarlint") {
                let where_ = resource.map_or("the template".to_owned(), |r| r.to_owned());
                if rule(&e.id).is_none() {
                    out.push(Finding::new(&Self::META, resource, e.span,
                        format!("suppression on {where_} names `{}`, which is not a pillarlint rule: it suppresses nothing", e.id),
                        "Fix the rule id (see the rules index) or remove the entry."));
                } else if e.reason.is_none() {
                    out.push(Finding::new(&Self::META, resource, e.span,
                        format!("suppression of {} on {where_} gives no reason: the accepted risk cannot be reviewed", e.id),
                        "Add `reason:` explaining why the finding does not apply or is accepted."));
                }
            }
        };
        if let Some(m) = t.root.get("Metadata") {
            check(None, m);
        }
        for r in &t.resources {
            if let Some(m) = &r.metadata {
                check(Some(&r.id), m);
            }
        }
    }
}
