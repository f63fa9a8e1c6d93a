//! Rules: the four pillar packs and the cross-resource (graph) checks.
//!
//! One rule per file, grouped by pillar folder. Each file holds, in this order: the
//! `declare_rule!` block (docs as doc comments: What it does / Why is this bad? / Example /
//! Remediation / References, plus id, pillar, default severity and `sources`), the
//! `impl Rule` with the detection, then its unit tests. [`RULES`] lists every rule; the
//! meta-tests at the bottom fail on duplicate ids, missing doc sections, or a doc example
//! that does not fire.

pub mod auth;
pub mod data;
pub mod dos;
pub mod logging;
pub mod paths;
pub mod peers;
pub mod suppress;
pub mod util;

use serde::{Deserialize, Serialize};

use crate::graph::Graph;
use crate::model::Template;
use crate::span::Span;

/// The four pillars of serverless security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pillar {
    Auth,
    Data,
    Logging,
    Dos,
}

impl Pillar {
    pub const ALL: [Pillar; 4] = [Pillar::Auth, Pillar::Data, Pillar::Logging, Pillar::Dos];

    pub const fn as_str(self) -> &'static str {
        match self {
            Pillar::Auth => "auth",
            Pillar::Data => "data",
            Pillar::Logging => "logging",
            Pillar::Dos => "dos",
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Pillar::Auth => "Authentication & authorization",
            Pillar::Data => "Data security & integrity",
            Pillar::Logging => "Monitoring & logging",
            Pillar::Dos => "Brute force & DDoS",
        }
    }

    pub fn parse(s: &str) -> Option<Pillar> {
        Pillar::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

static ALL_PILLARS: [Pillar; 4] = Pillar::ALL;

/// A set of pillars, iterated in pillar order (a bit set: what `BTreeSet<Pillar>` did, with
/// none of its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PillarSet(u8);

impl PillarSet {
    pub const fn new() -> PillarSet {
        PillarSet(0)
    }

    pub fn contains(&self, p: &Pillar) -> bool {
        self.0 & p.bit() != 0
    }

    /// Add `p`; false when it was there already.
    pub fn insert(&mut self, p: Pillar) -> bool {
        let fresh = !self.contains(&p);
        self.0 |= p.bit();
        fresh
    }

    /// Take `p` out; false when it was not there.
    pub fn remove(&mut self, p: &Pillar) -> bool {
        let had = self.contains(p);
        self.0 &= !p.bit();
        had
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The pillars in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Pillar> + '_ {
        ALL_PILLARS.iter().filter(|p| self.contains(p))
    }
}

impl FromIterator<Pillar> for PillarSet {
    fn from_iter<I: IntoIterator<Item = Pillar>>(iter: I) -> Self {
        let mut s = PillarSet::new();
        for p in iter {
            s.insert(p);
        }
        s
    }
}

impl Extend<Pillar> for PillarSet {
    fn extend<I: IntoIterator<Item = Pillar>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// An equivalent rule in another tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "tool", content = "id")]
pub enum Source {
    #[serde(rename = "checkov")]
    Checkov(&'static str),
    #[serde(rename = "cfn_nag")]
    CfnNag(&'static str),
    #[serde(rename = "cfn-lint")]
    CfnLint(&'static str),
    #[serde(rename = "serverless-rules")]
    ServerlessRules(&'static str),
    #[serde(rename = "cdk-nag")]
    CdkNag(&'static str),
    #[serde(rename = "guard")]
    Guard(&'static str),
}

impl Source {
    pub const fn id(self) -> &'static str {
        match self {
            Source::Checkov(s)
            | Source::CfnNag(s)
            | Source::CfnLint(s)
            | Source::ServerlessRules(s)
            | Source::CdkNag(s)
            | Source::Guard(s) => s,
        }
    }
}

/// A rule's declaration.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub pillar: Pillar,
    pub severity: Severity,
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, `## Remediation`, `## References`.
    pub docs: &'static str,
    pub sources: &'static [Source],
    /// Does the rule reason over the graph (more than one resource)?
    pub graph: bool,
}

impl RuleMeta {
    /// The first sentence of "What it does".
    pub fn summary(&self) -> &'static str {
        let after = self
            .docs
            .split("## What it does")
            .nth(1)
            .unwrap_or(self.docs);
        let text = after.split("##").next().unwrap_or("").trim();
        text.split_terminator("\n\n").next().unwrap_or(text).trim()
    }

    /// The YAML of the `expect_finding` example(s) in the docs.
    pub fn examples(&self, marker: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = self.docs;
        let fence = format!("```yaml,{marker}");
        while let Some(i) = rest.find(&fence) {
            rest = &rest[i + fence.len()..];
            let Some(end) = rest.find("```") else { break };
            out.push(rest[..end].trim_start_matches('\n').to_owned());
            rest = &rest[end + 3..];
        }
        out
    }
}

/// Declare a rule: a unit struct carrying its [`RuleMeta`], docs taken from doc comments.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub $name:ident {
            id: $id:literal,
            pillar: $pillar:ident,
            severity: $sev:ident,
            sources: $sources:expr
            $(, graph: $graph:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                name: stringify!($name),
                pillar: $crate::rules::Pillar::$pillar,
                severity: $crate::rules::Severity::$sev,
                docs: if cfg!(feature = "lean") { "" } else { concat!($($doc, "\n"),*) },
                sources: $sources,
                graph: false $(|| $graph)?,
            };
        }
    };
}

/// What a rule sees.
#[derive(Debug)]
pub struct Context<'a> {
    pub template: &'a Template,
    pub graph: &'a Graph,
}

/// The edge a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeRef {
    pub from: String,
    pub to: String,
}

/// A finding that has been suppressed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// `pillarlint`, `cfn_nag`, `checkov`, `cfn-lint`, or `config`.
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub pillar: Pillar,
    pub severity: Severity,
    pub resource: Option<String>,
    pub related: Vec<String>,
    pub edge: Option<EdgeRef>,
    pub message: String,
    pub remediation: String,
    pub span: Span,
    /// The `Fn::If` condition under which the finding holds, when it depends on one.
    pub condition: Option<String>,
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// A finding of `meta`'s rule at its default severity.
    pub fn new(
        meta: &RuleMeta,
        resource: Option<&str>,
        span: Span,
        message: impl Into<String>,
        remediation: impl Into<String>,
    ) -> Self {
        Finding {
            rule: meta.id,
            pillar: meta.pillar,
            severity: meta.severity,
            resource: resource.map(str::to_owned),
            related: Vec::new(),
            edge: None,
            message: message.into(),
            remediation: remediation.into(),
            span,
            condition: None,
            suppressed: None,
        }
    }

    #[must_use]
    pub fn related<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for id in ids {
            let id = id.into();
            if Some(&id) != self.resource.as_ref() && !self.related.contains(&id) {
                self.related.push(id);
            }
        }
        self
    }

    #[must_use]
    pub fn edge(mut self, from: &str, to: &str) -> Self {
        self.edge = Some(EdgeRef {
            from: from.to_owned(),
            to: to.to_owned(),
        });
        self
    }

    #[must_use]
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    #[must_use]
    pub fn condition(mut self, c: Option<String>) -> Self {
        self.condition = c;
        self
    }
}

/// A rule.
pub trait Rule: Sync + std::fmt::Debug {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in id order within each pillar.
pub static RULES: &[&dyn Rule] = &[
    &auth::unauthenticated_route::UnauthenticatedRoute,
    &auth::iam_wildcard_action::IamWildcardAction,
    &auth::function_url_public::FunctionUrlPublic,
    &auth::lambda_permission_open::LambdaPermissionOpen,
    &auth::iam_wildcard_resource::IamWildcardResource,
    &auth::admin_managed_policy::AdminManagedPolicy,
    &auth::shared_role::SharedRole,
    &auth::secret_in_environment::SecretInEnvironment,
    &auth::plaintext_master_password::PlaintextMasterPassword,
    &auth::public_bucket::PublicBucket,
    &auth::open_resource_policy::OpenResourcePolicy,
    &auth::public_route_blast_radius::PublicRouteBlastRadius,
    &auth::permission_caller_binding::PermissionCallerBinding,
    &auth::over_grant::OverGrant,
    &auth::missing_grant::MissingGrant,
    &auth::secret_flow::SecretFlow,
    &auth::identity_pool_unauthenticated::IdentityPoolUnauthenticated,
    &auth::public_assumable_role::PublicAssumableRole,
    &auth::cross_account_trust::CrossAccountTrust,
    &auth::federated_trust_without_audience::FederatedTrustWithoutAudience,
    &auth::broad_trust_statement::BroadTrustStatement,
    &auth::allow_not_action::AllowNotAction,
    &auth::privilege_escalation::PrivilegeEscalation,
    &auth::credentials_exposure::CredentialsExposure,
    &auth::policy_on_user::PolicyOnUser,
    &auth::user_access_key::UserAccessKey,
    &auth::login_profile_without_reset::LoginProfileWithoutReset,
    &auth::resource_policy_shape::ResourcePolicyShape,
    &auth::service_principal_without_source::ServicePrincipalWithoutSource,
    &auth::user_pool_password_only::UserPoolPasswordOnly,
    &data::bucket_without_tls_policy::BucketWithoutTlsPolicy,
    &data::default_key_on_public_path::DefaultKeyOnPublicPath,
    &data::topic_stream_unencrypted::TopicStreamUnencrypted,
    &data::docdb_storage_unencrypted::DocdbStorageUnencrypted,
    &data::docdb_tls_disabled::DocdbTlsDisabled,
    &data::rds_unencrypted::RdsUnencrypted,
    &data::elasticache_unencrypted::ElasticacheUnencrypted,
    &data::weak_tls::WeakTls,
    &data::env_secrets_without_kms::EnvSecretsWithoutKms,
    &data::table_without_pitr::TableWithoutPitr,
    &data::write_route_without_validation::WriteRouteWithoutValidation,
    &data::tmp_storage::TmpStorage,
    &data::edge_without_tls::EdgeWithoutTls,
    &data::queue_sse_disabled::QueueSseDisabled,
    &data::database_publicly_accessible::DatabasePubliclyAccessible,
    &data::stage_cache_unencrypted::StageCacheUnencrypted,
    &data::stage_data_trace::StageDataTrace,
    &data::trail_without_kms::TrailWithoutKms,
    &data::dax_unencrypted::DaxUnencrypted,
    &logging::function_without_tracing::FunctionWithoutTracing,
    &logging::rest_stage_logging::RestStageAccessLogs,
    &logging::rest_stage_execution_logging::RestStageExecutionLogging,
    &logging::rest_stage_tracing::RestStageTracing,
    &logging::http_stage_access_logs::HttpStageAccessLogs,
    &logging::no_cloudtrail::NoCloudTrail,
    &logging::trail_log_validation::TrailLogValidation,
    &logging::trail_multi_region::TrailMultiRegion,
    &logging::trail_data_events::TrailDataEvents,
    &logging::log_retention::LogRetention,
    &logging::async_without_dlq::AsyncWithoutDlq,
    &logging::state_machine_logging::StateMachineLogging,
    &logging::public_bucket_access_logging::PublicBucketAccessLogging,
    &logging::observability_gap::ObservabilityGap,
    &logging::suppression_audit::SuppressionAudit,
    &logging::docdb_audit_logging::DocdbAuditLogging,
    &logging::function_cannot_log::FunctionCannotLog,
    &dos::stage_without_throttling::StageWithoutThrottling,
    &dos::http_api_without_throttling::HttpApiWithoutThrottling,
    &dos::stage_without_waf::StageWithoutWaf,
    &dos::distribution_without_waf::DistributionWithoutWaf,
    &dos::web_acl_without_rate_rule::WebAclWithoutRateRule,
    &dos::public_function_without_concurrency::PublicFunctionWithoutConcurrency,
    &dos::usage_plan_without_limits::UsagePlanWithoutLimits,
    &dos::user_pool_advanced_security::UserPoolAdvancedSecurity,
    &dos::user_pool_without_mfa::UserPoolWithoutMfa,
    &dos::denial_of_wallet::DenialOfWallet,
    &dos::dos_path::DosPath,
    &dos::weak_password_policy::WeakPasswordPolicy,
    &dos::web_acl_without_known_bad_inputs::WebAclWithoutKnownBadInputs,
];

/// Look a rule up by id (case-insensitive).
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

/// Every rule's docs as one JSON object, `{"AUTH001": "markdown", …}`, one rule per line in id
/// order: the file the web app loads its rule pages from (`static/rule-docs.json`; the app is
/// built `lean`, without docs in its wasm). A test keeps the committed file equal to this.
pub fn docs_json() -> String {
    let mut metas: Vec<&RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    crate::sort::sort_by(&mut metas, |a, b| a.id.cmp(b.id));
    let lines: Vec<String> = metas
        .iter()
        .map(|m| {
            format!(
                "{}:{}",
                serde_json::Value::from(m.id),
                serde_json::Value::from(m.docs)
            )
        })
        .collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// Run every rule; findings come back sorted by position, then rule id.
pub fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in RULES {
        r.check(cx, &mut out);
    }
    suppress::apply(cx.template, &mut out);
    cx.template.present(&mut out);
    crate::sort::sort_by(&mut out, |a, b| {
        (a.span.file(), a.span.start, a.rule, &a.resource).cmp(&(
            b.span.file(),
            b.span.start,
            b.rule,
            &b.resource,
        ))
    });
    out.dedup_by(|a, b| {
        a.rule == b.rule && a.resource == b.resource && a.span == b.span && a.message == b.message
    });
    out
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Analyse `text` and return the findings of rule `id`.
    pub fn findings_of(id: &str, text: &str) -> Vec<Finding> {
        let a = crate::analyze_text(text).expect("the fixture must parse");
        a.findings.into_iter().filter(|f| f.rule == id).collect()
    }
}

#[cfg(test)]
mod meta_tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in RULES {
            let m = r.meta();
            assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
            let prefix = match m.pillar {
                Pillar::Auth => "AUTH",
                Pillar::Data => "DATA",
                Pillar::Logging => "LOG",
                Pillar::Dos => "DOS",
            };
            assert!(
                m.id.starts_with(prefix),
                "{} should start with {prefix}",
                m.id
            );
        }
    }

    #[test]
    fn every_rule_has_complete_docs() {
        for r in RULES {
            let m = r.meta();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Remediation",
                "## References",
            ] {
                assert!(m.docs.contains(section), "{} lacks `{section}`", m.id);
            }
            assert!(!m.summary().is_empty(), "{} has an empty summary", m.id);
        }
    }

    #[test]
    fn every_doc_example_fires_exactly_where_it_says() {
        for r in RULES {
            let m = r.meta();
            let fails = m.examples("expect_finding");
            assert!(
                !fails.is_empty(),
                "{} has no ```yaml,expect_finding example",
                m.id
            );
            for ex in fails {
                let n = testing::findings_of(m.id, &ex).len();
                assert!(n >= 1, "{}: its expect_finding example does not fire", m.id);
            }
            for ex in m.examples("expect_no_finding") {
                let f = testing::findings_of(m.id, &ex);
                assert!(
                    f.is_empty(),
                    "{}: its expect_no_finding example fires: {f:?}",
                    m.id
                );
            }
        }
    }
}
