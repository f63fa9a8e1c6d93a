use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags RDS instances and Aurora/RDS clusters whose `StorageEncrypted` is `false` or
    /// absent (the default is unencrypted). Instances inside an Aurora cluster, read
    /// replicas, restores from snapshots and Aurora Serverless v1 (always encrypted) are
    /// left alone.
    ///
    /// ## Why is this bad?
    /// The database files, automated backups and snapshots are stored unencrypted, and
    /// encryption cannot be turned on in place.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::RDS::DBInstance
    ///     Properties:
    ///       Engine: postgres
    ///       DBInstanceClass: db.t4g.micro
    ///       AllocatedStorage: "20"
    ///       ManageMasterUserPassword: true
    ///       MasterUsername: admin
    /// ```
    ///
    /// ## Remediation
    /// Set `StorageEncrypted: true` (and `KmsKeyId` for a customer managed key).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
    pub RdsUnencrypted {
        id: "DATA006",
        pillar: Data,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_16"), Source::Checkov("CKV_AWS_96"), Source::CfnNag("F26"), Source::CdkNag("AwsSolutions-RDS2")],
    }
}

impl Rule for RdsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for r in t
            .resources
            .iter()
            .filter(|r| r.type_ == "AWS::RDS::DBInstance" || r.type_ == "AWS::RDS::DBCluster")
        {
            let inherits = [
                "DBClusterIdentifier",
                "SourceDBInstanceIdentifier",
                "DBSnapshotIdentifier",
                "SnapshotIdentifier",
                "SourceDBClusterIdentifier",
                "SourceDBInstanceAutomatedBackupsArn",
            ]
            .iter()
            .any(|k| r.prop(k).is_some());
            let serverless_v1 = r.prop("EngineMode").and_then(Value::as_str) == Some("serverless");
            if inherits || serverless_v1 {
                continue;
            }
            for b in prop(r, &["StorageEncrypted"]) {
                if b.value.is_some() && b.bool() != Some(false) {
                    continue;
                }
                let how = if b.value.is_some() {
                    "sets `StorageEncrypted: false`"
                } else {
                    "does not set `StorageEncrypted` (RDS defaults to unencrypted)"
                };
                out.push(finding(&Self::META, r, span_or(r, &b, &["StorageEncrypted"]), &b.cond,
                    format!("database {} {how}: its data, backups and snapshots are stored unencrypted, and it cannot be encrypted in place", r.id),
                    "Set `StorageEncrypted: true`, with a customer managed `KmsKeyId` if you need key control."));
            }
        }
    }
}
