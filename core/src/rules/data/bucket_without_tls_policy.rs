use crate::declare_rule;
use crate::rules::util::{bucket_policies, bucket_tls_only};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags S3 buckets with no bucket policy statement denying requests made over plain
    /// HTTP (`aws:SecureTransport: false`).
    ///
    /// ## Why is this bad?
    /// S3 accepts HTTP requests unless a policy refuses them; credentials-signed requests
    /// and object data can then travel unencrypted and be read or altered in transit.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///   BucketPolicy:
    ///     Type: AWS::S3::BucketPolicy
    ///     Properties:
    ///       Bucket: !Ref Bucket
    ///       PolicyDocument:
    ///         Statement:
    ///           - Effect: Deny
    ///             Principal: "*"
    ///             Action: "s3:*"
    ///             Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
    ///             Condition: {Bool: {aws:SecureTransport: false}}
    /// ```
    ///
    /// ## Remediation
    /// Add a bucket policy statement that denies `s3:*` when `aws:SecureTransport` is
    /// `false`.
    ///
    /// ## References
    /// - https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
    pub BucketWithoutTlsPolicy {
        id: "DATA001",
        pillar: Data,
        severity: Medium,
        sources: &[Source::CfnNag("W51"), Source::CdkNag("AwsSolutions-S10"), Source::Guard("S3_BUCKET_SSL_REQUESTS_ONLY")],
    }
}

impl Rule for BucketWithoutTlsPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for b in t.resources_of("AWS::S3::Bucket") {
            if bucket_tls_only(t, &b.id) {
                continue;
            }
            let policies: Vec<String> = bucket_policies(t, &b.id)
                .iter()
                .map(|p| p.id.clone())
                .collect();
            out.push(
                Finding::new(&Self::META, Some(&b.id), b.span,
                    format!("bucket {} does not deny plain-HTTP requests{}: data and requests to it can travel unencrypted", b.id, if policies.is_empty() { " (it has no bucket policy)".to_owned() } else { format!(" (policy {} has no aws:SecureTransport deny)", policies.join(", ")) }),
                    "Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport false.")
                .condition(b.condition.clone())
                .related(policies),
            );
        }
    }
}
