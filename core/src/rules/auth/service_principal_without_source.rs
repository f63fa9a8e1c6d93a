use crate::declare_rule;
use crate::iam::{DocKind, PrincipalKind};
use crate::rules::util::{cond_of, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Flags resource policies (S3 bucket, SQS queue, SNS topic, KMS key, Secrets Manager,
    /// EventBridge bus, ECR) that allow an AWS service principal (`events.amazonaws.com`,
    /// `cloudtrail.amazonaws.com`...) with no condition naming whose resource may use it:
    /// `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` (or `kms:ViaService` /
    /// `kms:CallerAccount` on keys). Lambda permissions have the same check in AUTH004. Log
    /// delivery into buckets and service use of KMS keys are low; the rest medium.
    ///
    /// ## Why is this bad?
    /// A service principal stands for the service acting for *any* customer. Without a
    /// source condition, another account's trail, rule, bucket or distribution can make the
    /// service write into your bucket, publish to your topic or use your key (the
    /// cross-service confused deputy).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Alerts:
    ///     Type: AWS::SNS::Topic
    ///   AlertsPolicy:
    ///     Type: AWS::SNS::TopicPolicy
    ///     Properties:
    ///       Topics: [!Ref Alerts]
    ///       PolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: events.amazonaws.com}
    ///             Action: sns:Publish
    ///             Resource: !Ref Alerts
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Alerts:
    ///     Type: AWS::SNS::Topic
    ///   AlertsPolicy:
    ///     Type: AWS::SNS::TopicPolicy
    ///     Properties:
    ///       Topics: [!Ref Alerts]
    ///       PolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: events.amazonaws.com}
    ///             Action: sns:Publish
    ///             Resource: !Ref Alerts
    ///             Condition: {StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}}
    /// ```
    ///
    /// ## Remediation
    /// Add `Condition: {ArnLike: {aws:SourceArn: <the rule, trail or distribution>}}`, or at
    /// least `StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention
    pub ServicePrincipalWithoutSource {
        id: "AUTH029",
        pillar: Auth,
        severity: Medium,
        sources: &[],
    }
}

/// Services that write their own logs into a bucket (delivery, not a caller acting for
/// someone): a missing source there lets another account fill the bucket, not read it.
const LOG_DELIVERY: &[&str] = &[
    "cloudtrail",
    "delivery.logs",
    "logging.s3",
    "logdelivery.elasticloadbalancing",
    "elasticloadbalancing",
    "config",
];

impl Rule for ServicePrincipalWithoutSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for d in cx.graph.iam.docs_of_kind(DocKind::Resource) {
            if matches!(d.service, "lambda" | "lambda-layer" | "execute-api" | "es") {
                continue;
            }
            let Some(carrier) = t.resource(&d.carrier) else {
                continue;
            };
            for st in d
                .statements
                .iter()
                .filter(|s| s.is_allow() && !s.not_principal)
            {
                if st.limits_caller() {
                    continue;
                }
                for p in st
                    .principals
                    .iter()
                    .filter(|p| p.kind == PrincipalKind::Service)
                {
                    let svc = p.service().unwrap_or(&p.text);
                    // Log delivery fills a bucket; a key used by a service for another account
                    // still needs that account's own grants to read anything: both low.
                    let delivery = LOG_DELIVERY.contains(&svc) || d.service == "kms";
                    let cond = st.cond_with(&p.cond);
                    out.push(
                        Finding::new(&Self::META, Some(&d.carrier), p.span,
                            format!("the resource policy of {} lets {svc} {} with no `aws:SourceArn` or `aws:SourceAccount` condition{}: {svc} acting for any other AWS account can do the same", d.carrier, st.action_texts().join(", "), when(&cond)),
                            "Add `ArnLike: {aws:SourceArn: ...}` naming your own rule, trail or distribution, or `StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}`.")
                        .severity(if delivery { Severity::Low } else { Severity::Medium })
                        .condition(cond_of(carrier, &cond))
                        .related(d.holders.iter().filter(|h| **h != d.carrier).cloned()),
                    );
                }
            }
        }
    }
}
