use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags RDS instances with `PubliclyAccessible: true`.
    ///
    /// ## Why is this bad?
    /// The database gets a public IP and DNS name; only its security group and password
    /// stand between the internet and the data. Serverless functions reach databases from
    /// inside the VPC and never need this.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::RDS::DBInstance
    ///     Properties:
    ///       Engine: mysql
    ///       DBInstanceClass: db.t4g.micro
    ///       StorageEncrypted: true
    ///       PubliclyAccessible: true
    /// ```
    ///
    /// ## Remediation
    /// Set `PubliclyAccessible: false` and reach the database from the VPC (Lambda
    /// `VpcConfig`, RDS Proxy or the Data API).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
    pub DatabasePubliclyAccessible {
        id: "DATA015",
        pillar: Data,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_17"), Source::CfnNag("F22")],
    }
}

impl Rule for DatabasePubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in cx.template.resources_of("AWS::RDS::DBInstance") {
            for b in prop(r, &["PubliclyAccessible"]) {
                if b.bool() == Some(true) {
                    out.push(finding(&Self::META, r, span_or(r, &b, &["PubliclyAccessible"]), &b.cond,
                        format!("database {} is publicly accessible: it has a public endpoint, so only its security group and password protect the data", r.id),
                        "Set `PubliclyAccessible: false` and connect from inside the VPC."));
                }
            }
        }
    }
}
