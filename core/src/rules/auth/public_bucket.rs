use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags S3 buckets open to the public: a public canned ACL (`PublicRead`,
    /// `PublicReadWrite`, `AuthenticatedRead`), a public access block with a protection
    /// explicitly turned off, or a bucket policy that allows `Principal: "*"` with no
    /// condition. (New buckets block public access by default, so a missing block is fine.)
    ///
    /// ## Why is this bad?
    /// Public buckets are the most common source of cloud data leaks: anyone who guesses the
    /// name can list or download the objects, or upload their own.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///     Properties:
    ///       AccessControl: PublicRead
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    /// ```
    ///
    /// ## Remediation
    /// Remove the public ACL and policy statement, keep all four public-access-block settings
    /// on, and serve public content through CloudFront with origin access control.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    pub PublicBucket {
        id: "AUTH010",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_20"), Source::Checkov("CKV_AWS_57"), Source::Checkov("CKV_AWS_53"), Source::Checkov("CKV_AWS_54"), Source::Checkov("CKV_AWS_55"), Source::Checkov("CKV_AWS_56"), Source::CfnNag("W31"), Source::CfnNag("F14"), Source::CfnNag("F16"), Source::CdkNag("AwsSolutions-S2")],
    }
}

impl Rule for PublicBucket {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for b in t.resources_of("AWS::S3::Bucket") {
            for br in prop(b, &["AccessControl"]) {
                if let Some(acl @ ("PublicRead" | "PublicReadWrite" | "AuthenticatedRead")) =
                    br.str()
                {
                    out.push(
                        finding(&Self::META, b, span_or(b, &br, &["AccessControl"]), &br.cond,
                            format!("bucket {} has the canned ACL {acl}: {} can {} its objects", b.id, if acl == "AuthenticatedRead" { "any AWS user" } else { "anyone on the internet" }, if acl == "PublicReadWrite" { "read and overwrite" } else { "read" }),
                            "Remove the public ACL and serve public files through CloudFront with origin access control.")
                        .severity(if acl == "PublicReadWrite" { Severity::Critical } else { Severity::High }),
                    );
                }
            }
            for key in [
                "BlockPublicAcls",
                "BlockPublicPolicy",
                "IgnorePublicAcls",
                "RestrictPublicBuckets",
            ] {
                for br in prop(b, &["PublicAccessBlockConfiguration", key]) {
                    if br.bool() == Some(false) {
                        out.push(
                            finding(&Self::META, b, span_or(b, &br, &["PublicAccessBlockConfiguration", key]), &br.cond,
                                format!("bucket {} turns off the public access block setting {key}: a public ACL or policy on it takes effect, which S3 otherwise refuses", b.id),
                                "Keep all four public access block settings true unless the bucket must be public; serve public content through CloudFront instead.")
                            .severity(Severity::Medium),
                        );
                    }
                }
            }
        }
        for p in t.resources_of("AWS::S3::BucketPolicy") {
            for d in cx.graph.iam.carried_by(&p.id) {
                let buckets = d.holders.clone();
                for st in d
                    .statements
                    .iter()
                    .filter(|s| s.is_allow() && !s.has_condition())
                {
                    let Some(who) = st.everyone() else {
                        continue;
                    };
                    let actions = st.action_texts();
                    let writes = actions.iter().any(|a| {
                        a == "*"
                            || a == "s3:*"
                            || a.starts_with("s3:Put")
                            || a.starts_with("s3:Delete")
                    });
                    out.push(
                        Finding::new(&Self::META, Some(&p.id), who.span,
                            format!("bucket policy {} allows everyone (`Principal: \"*\"`, no condition) to {} on {}: the data is public", p.id, actions.join(", "), if buckets.is_empty() { "the bucket".to_owned() } else { buckets.join(", ") }),
                            "Grant specific principals, or add a condition (`aws:SourceArn` of a CloudFront distribution, `aws:PrincipalOrgID`, a VPC endpoint).")
                        .severity(if writes { Severity::Critical } else { Severity::High })
                        .condition(p.condition.clone())
                        .related(buckets.clone()),
                    );
                }
            }
        }
    }
}
