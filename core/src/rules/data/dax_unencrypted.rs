use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags DynamoDB Accelerator (DAX) clusters without encryption at rest
    /// (`SSESpecification.SSEEnabled: true`); unlike DynamoDB itself, DAX is unencrypted
    /// by default.
    ///
    /// ## Why is this bad?
    /// The cluster caches items read from (and written through to) its tables: an
    /// encrypted table behind an unencrypted cache leaves copies of the same data, and the
    /// cache's logs, unencrypted on the nodes' disks. Encryption can only be chosen when the
    /// cluster is created.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Cache:
    ///     Type: AWS::DAX::Cluster
    ///     Properties:
    ///       NodeType: dax.r5.large
    ///       ReplicationFactor: 3
    ///       IAMRoleARN: arn:aws:iam::123456789012:role/dax
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Cache:
    ///     Type: AWS::DAX::Cluster
    ///     Properties:
    ///       NodeType: dax.r5.large
    ///       ReplicationFactor: 3
    ///       IAMRoleARN: arn:aws:iam::123456789012:role/dax
    ///       SSESpecification: {SSEEnabled: true}
    /// ```
    ///
    /// ## Remediation
    /// Set `SSESpecification: {SSEEnabled: true}` (the cluster is replaced: plan the
    /// switch-over), and `ClusterEndpointEncryptionType: TLS` for traffic to it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html
    pub DaxUnencrypted {
        id: "DATA019",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_47"), Source::CfnNag("W83"), Source::CdkNag("AwsSolutions-DDB4")],
    }
}

impl Rule for DaxUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for c in cx.template.resources_of("AWS::DAX::Cluster") {
            for b in prop(c, &["SSESpecification", "SSEEnabled"]) {
                // A parameter or other unresolved value: cannot tell, stay silent.
                if b.value.is_some() && b.bool() != Some(false) {
                    continue;
                }
                let how = if b.value.is_some() {
                    "sets `SSEEnabled: false`"
                } else {
                    "does not enable `SSESpecification` (DAX defaults to unencrypted)"
                };
                out.push(finding(&Self::META, c, span_or(c, &b, &["SSESpecification", "SSEEnabled"]), &b.cond,
                    format!("DAX cluster {} {how}: the items it caches from its tables sit unencrypted on its nodes, and encryption can only be chosen when the cluster is created", c.id),
                    "Set `SSESpecification: {SSEEnabled: true}` (this replaces the cluster)."));
            }
        }
    }
}
