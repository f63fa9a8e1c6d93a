use crate::declare_rule;
use crate::graph::NodeKind;
use crate::rules::paths::reach;
use crate::rules::util::{bucket_tls_only, docdb_param_group, docdb_tls_disabled};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Checks encryption in transit on every function-to-store connection: a function that
    /// reaches a DocumentDB cluster whose parameter group disables TLS, or a bucket with no
    /// TLS-only policy.
    ///
    /// ## Why is this bad?
    /// The store's setting decides whether *this* function's traffic (credentials, documents,
    /// objects) crosses the network in plain text. The finding names the connection, so you
    /// see which code paths are exposed.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r, Environment: {Variables: {DB_HOST: !GetAtt Db.Endpoint}}}
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties: {StorageEncrypted: true, DBClusterParameterGroupName: !Ref Params}
    ///   Params:
    ///     Type: AWS::DocDB::DBClusterParameterGroup
    ///     Properties: {Description: p, Family: docdb5.0, Parameters: {tls: disabled}}
    /// ```
    ///
    /// ## Remediation
    /// Enable TLS on the store (`tls: enabled`; a bucket policy denying
    /// `aws:SecureTransport: false`) and connect over TLS from the function.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/documentdb/latest/developerguide/security.encryption.ssl.html
    pub EdgeWithoutTls {
        id: "DATA013",
        pillar: Data,
        severity: High,
        sources: &[],
        graph: true,
    }
}

impl Rule for EdgeWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            for x in reach(cx, &f.id) {
                let Some(store) = t.resource(x.store) else {
                    continue;
                };
                match x.kind {
                    NodeKind::DocumentDb => {
                        let Some(pg) = docdb_param_group(t, store) else {
                            continue;
                        };
                        let Some(v) = docdb_tls_disabled(pg) else {
                            continue;
                        };
                        out.push(
                            Finding::new(&Self::META, Some(&pg.id), v.span,
                                format!("{} connects to DocumentDB cluster {} whose parameter group {} disables TLS: this function's credentials and documents cross the network in plain text", f.id, store.id, pg.id),
                                "Set `tls: enabled` and connect with TLS and the RDS CA bundle.")
                            .related([f.id.clone(), store.id.clone()])
                            .edge(&f.id, &store.id),
                        );
                    }
                    NodeKind::Bucket if store.type_ == "AWS::S3::Bucket" => {
                        if bucket_tls_only(t, &store.id) {
                            continue;
                        }
                        out.push(
                            Finding::new(&Self::META, Some(&store.id), store.span,
                                format!("{} {}s bucket {}, which does not refuse plain-HTTP requests: nothing guarantees this connection is encrypted", f.id, if x.level >= crate::graph::AccessLevel::Write { "write" } else { "read" }, store.id),
                                "Add a bucket policy statement denying requests with `aws:SecureTransport: false`.")
                            .severity(Severity::Medium)
                            .related([f.id.clone()])
                            .edge(&f.id, &store.id),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}
