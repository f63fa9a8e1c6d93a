use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags ElastiCache replication groups without at-rest or in-transit encryption, and
    /// Redis cache clusters (which cannot encrypt at rest).
    /// ElastiCache Serverless is always encrypted and is not flagged.
    ///
    /// ## Why is this bad?
    /// Caches hold sessions, tokens and copies of database rows; unencrypted, they leak on
    /// the wire and in backups.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Cache:
    ///     Type: AWS::ElastiCache::ReplicationGroup
    ///     Properties:
    ///       ReplicationGroupDescription: sessions
    ///       Engine: redis
    ///       CacheNodeType: cache.t4g.micro
    ///       AtRestEncryptionEnabled: true
    /// ```
    ///
    /// ## Remediation
    /// Set `AtRestEncryptionEnabled: true` and `TransitEncryptionEnabled: true` (with an
    /// `AuthToken` or RBAC user group), or use ElastiCache Serverless.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html
    pub ElasticacheUnencrypted {
        id: "DATA007",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_29"), Source::Checkov("CKV_AWS_30"), Source::CfnNag("F25"), Source::CfnNag("F33")],
    }
}

impl Rule for ElasticacheUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in cx
            .template
            .resources_of("AWS::ElastiCache::ReplicationGroup")
        {
            for (key, what) in [
                ("AtRestEncryptionEnabled", "at rest"),
                ("TransitEncryptionEnabled", "in transit"),
            ] {
                for b in prop(r, &[key]) {
                    if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                        continue;
                    }
                    out.push(finding(&Self::META, r, span_or(r, &b, &[key]), &b.cond,
                        format!("cache {} is not encrypted {what} (`{key}` is {}): cached sessions and rows are exposed {}", r.id, if b.value.is_some() { "false" } else { "not set" }, if what == "at rest" { "in storage and backups" } else { "on the network" }),
                        "Set `AtRestEncryptionEnabled` and `TransitEncryptionEnabled` to true."));
                }
            }
        }
        for r in cx.template.resources_of("AWS::ElastiCache::CacheCluster") {
            if r.prop("Engine").and_then(Value::as_str) != Some("redis") {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&r.id), r.span_of(&["Engine"]),
                    format!("Redis cache cluster {} is a single-node cluster, which cannot be encrypted at rest", r.id),
                    "Use an `AWS::ElastiCache::ReplicationGroup` with encryption enabled, or ElastiCache Serverless.")
                .severity(Severity::Low)
                .condition(r.condition.clone()),
            );
        }
    }
}
