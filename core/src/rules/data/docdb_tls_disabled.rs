use crate::declare_rule;
use crate::rules::util::{docdb_tls_disabled, referencing};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags DocumentDB cluster parameter groups that set `tls: disabled`.
    ///
    /// ## Why is this bad?
    /// Clients then connect in plain text: credentials and documents cross the network
    /// unencrypted, readable by anything on the path.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Params:
    ///     Type: AWS::DocDB::DBClusterParameterGroup
    ///     Properties:
    ///       Description: cluster parameters
    ///       Family: docdb5.0
    ///       Parameters:
    ///         tls: disabled
    /// ```
    ///
    /// ## Remediation
    /// Set `tls: enabled` (the default) and connect with the Amazon RDS CA bundle.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/documentdb/latest/developerguide/security.encryption.ssl.html
    pub DocdbTlsDisabled {
        id: "DATA005",
        pillar: Data,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_90")],
    }
}

impl Rule for DocdbTlsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for pg in t.resources_of("AWS::DocDB::DBClusterParameterGroup") {
            let Some(v) = docdb_tls_disabled(pg) else {
                continue;
            };
            let clusters: Vec<String> = referencing(
                t,
                "AWS::DocDB::DBCluster",
                "DBClusterParameterGroupName",
                &pg.id,
            )
            .map(|c| c.id.clone())
            .collect();
            out.push(
                Finding::new(&Self::META, Some(&pg.id), v.span,
                    format!("parameter group {} disables TLS{}: clients connect in plain text, so credentials and documents cross the network unencrypted", pg.id, if clusters.is_empty() { String::new() } else { format!(" for {}", clusters.join(", ")) }),
                    "Set `tls: enabled` and connect with the RDS CA bundle.")
                .condition(pg.condition.clone())
                .related(clusters),
            );
        }
    }
}
