use crate::declare_rule;
use crate::rules::util::{docdb_param_group, finding, prop, referencing, span_or, str_items};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags DocumentDB clusters that do not record who did what: a cluster that does not
    /// export its `audit` and `profiler` logs to CloudWatch (`EnableCloudwatchLogsExports`),
    /// a cluster parameter group that leaves `audit_logs` off, and a cluster that exports
    /// audit logs while running on the default parameter group, where auditing is off so
    /// nothing is ever written.
    ///
    /// ## Why is this bad?
    /// DocumentDB writes no audit trail by default: authentication attempts, user and role
    /// changes, and the queries run against the data leave no record, so a leaked password
    /// or a compromised function reading the whole collection cannot be detected or
    /// investigated. Both halves are needed: the parameter group turns auditing on, the
    /// export sends the events somewhere they are kept.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties:
    ///       StorageEncrypted: true
    ///       MasterUsername: admin
    ///       MasterUserPassword: "{{resolve:secretsmanager:db:SecretString:password}}"
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Params:
    ///     Type: AWS::DocDB::DBClusterParameterGroup
    ///     Properties:
    ///       Family: docdb5.0
    ///       Description: audited
    ///       Parameters: {audit_logs: enabled, tls: enabled}
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties:
    ///       StorageEncrypted: true
    ///       DBClusterParameterGroupName: !Ref Params
    ///       EnableCloudwatchLogsExports: [audit, profiler]
    ///       MasterUsername: admin
    ///       MasterUserPassword: "{{resolve:secretsmanager:db:SecretString:password}}"
    /// ```
    ///
    /// ## Remediation
    /// Set `audit_logs: enabled` (or `all`, `ddl`, `dml_read`, `dml_write`) in a cluster
    /// parameter group used by the cluster, and `EnableCloudwatchLogsExports: [audit,
    /// profiler]` on the cluster; give the resulting log groups a retention period.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html
    /// - https://docs.aws.amazon.com/documentdb/latest/developerguide/profiling.html
    pub DocdbAuditLogging {
        id: "LOG016",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_85"), Source::Checkov("CKV_AWS_104"), Source::CdkNag("AwsSolutions-DOC5")],
    }
}

/// `audit_logs` values that record something (`enabled` is the older spelling of `ddl`).
const AUDITING: &[&str] = &["enabled", "all", "ddl", "dml_read", "dml_write"];

fn audits(v: &Value) -> Option<bool> {
    let s = v.as_str()?;
    // A list of event kinds (`ddl,dml_read`) counts when any kind is recorded.
    Some(
        s.split(',')
            .any(|k| AUDITING.iter().any(|a| a.eq_ignore_ascii_case(k.trim()))),
    )
}

impl Rule for DocdbAuditLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for pg in t.resources_of("AWS::DocDB::DBClusterParameterGroup") {
            for b in prop(pg, &["Parameters", "audit_logs"]) {
                // A parameter or other unresolved value: cannot tell.
                if b.value.is_some_and(|v| audits(v) != Some(false)) {
                    continue;
                }
                let clusters: Vec<String> = referencing(
                    t,
                    "AWS::DocDB::DBCluster",
                    "DBClusterParameterGroupName",
                    &pg.id,
                )
                .map(|c| c.id.clone())
                .collect();
                let how = if b.value.is_some() {
                    "turns `audit_logs` off"
                } else {
                    "does not set `audit_logs` (off by default)"
                };
                out.push(
                    finding(&Self::META, pg, span_or(pg, &b, &["Parameters", "audit_logs"]), &b.cond,
                        format!("parameter group {} {how}{}: logins, user changes and queries are never recorded", pg.id, if clusters.is_empty() { String::new() } else { format!(" for {}", clusters.join(", ")) }),
                        "Set `audit_logs: enabled` (or `all`) in the parameter group's `Parameters`.")
                    .related(clusters),
                );
            }
        }
        for c in t.resources_of("AWS::DocDB::DBCluster") {
            let exports = str_items(&c.properties, "EnableCloudwatchLogsExports");
            let unresolved = exports.iter().any(|v| v.as_str().is_none());
            let has = |kind: &str| {
                exports
                    .iter()
                    .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(kind)))
            };
            let missing: Vec<&str> = ["audit", "profiler"]
                .into_iter()
                .filter(|k| !has(k))
                .collect();
            let span = c
                .prop("EnableCloudwatchLogsExports")
                .map_or(c.span, |v: &Value| v.span);
            if unresolved {
                continue;
            }
            if !missing.is_empty() {
                out.push(
                    Finding::new(&Self::META, Some(&c.id), span,
                        format!("DocumentDB cluster {} does not export its {} log{} to CloudWatch: {}", c.id, missing.join(" and "), if missing.len() > 1 { "s" } else { "" }, if missing.contains(&"audit") { "even with auditing on, logins, user changes and queries are kept nowhere anyone can read them" } else { "slow and unusual queries (a bulk read of a collection) leave no record" }),
                        "Set `EnableCloudwatchLogsExports: [audit, profiler]` (and `audit_logs: enabled` in its parameter group).")
                    .condition(c.condition.clone()),
                );
            } else if c.prop("DBClusterParameterGroupName").is_none()
                && docdb_param_group(t, c).is_none()
            {
                out.push(
                    Finding::new(&Self::META, Some(&c.id), span,
                        format!("DocumentDB cluster {} exports audit logs but runs on the default parameter group, where `audit_logs` is disabled: no audit event is ever written", c.id),
                        "Give the cluster a `DBClusterParameterGroupName` whose `Parameters` set `audit_logs: enabled`.")
                    .condition(c.condition.clone()),
                );
            }
        }
    }
}
