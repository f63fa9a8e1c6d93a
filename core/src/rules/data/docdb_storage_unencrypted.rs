use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags DocumentDB clusters whose `StorageEncrypted` is `false` or absent (the default
    /// is unencrypted).
    ///
    /// ## Why is this bad?
    /// The cluster's storage, backups and snapshots are stored unencrypted; encryption can
    /// only be turned on by restoring into a new cluster.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties:
    ///       MasterUsername: admin
    ///       MasterUserPassword: "{{resolve:secretsmanager:db:SecretString:password}}"
    ///       StorageEncrypted: false
    /// ```
    ///
    /// ## Remediation
    /// Set `StorageEncrypted: true` (and `KmsKeyId` for a customer managed key).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html
    pub DocdbStorageUnencrypted {
        id: "DATA004",
        pillar: Data,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_74"), Source::CdkNag("AwsSolutions-DOC1")],
    }
}

impl Rule for DocdbStorageUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in cx.template.resources_of("AWS::DocDB::DBCluster") {
            if r.prop("SnapshotIdentifier").is_some() {
                continue; // inherits the snapshot's encryption: cannot verify
            }
            for b in prop(r, &["StorageEncrypted"]) {
                if b.value.is_some() && b.bool() != Some(false) {
                    continue;
                }
                let how = if b.value.is_some() {
                    "sets `StorageEncrypted: false`"
                } else {
                    "does not set `StorageEncrypted` (DocumentDB defaults to unencrypted)"
                };
                out.push(finding(&Self::META, r, span_or(r, &b, &["StorageEncrypted"]), &b.cond,
                    format!("DocumentDB cluster {} {how}: its data, backups and snapshots are stored unencrypted, and fixing it later means a restore into a new cluster", r.id),
                    "Set `StorageEncrypted: true`, with a customer managed `KmsKeyId` if you need key control."));
            }
        }
    }
}
