use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags REST API stages that cache responses (`CacheClusterEnabled` or a method setting
    /// with `CachingEnabled: true`) without encrypting the cache (`CacheDataEncrypted`).
    ///
    /// ## Why is this bad?
    /// Cached responses hold whatever the functions return — personal data, tokens — and sit
    /// unencrypted at rest in the cache cluster.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Stage:
    ///     Type: AWS::ApiGateway::Stage
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       StageName: prod
    ///       CacheClusterEnabled: true
    ///       MethodSettings:
    ///         - {HttpMethod: "*", ResourcePath: "/*", CachingEnabled: true}
    /// ```
    ///
    /// ## Remediation
    /// Set `CacheDataEncrypted: true` in the `MethodSettings` entries that enable caching.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
    pub StageCacheUnencrypted {
        id: "DATA016",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_120"), Source::CfnNag("W87")],
    }
}

impl Rule for StageCacheUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            let truthy = |v: Option<&Value>| v.and_then(Value::as_bool) == Some(true);
            let settings = s
                .settings
                .get("MethodSettings")
                .map(Value::items)
                .unwrap_or_default();
            let caching = truthy(s.settings.get("CachingEnabled"))
                || settings.iter().any(|m| truthy(m.get("CachingEnabled")));
            if !caching {
                continue;
            }
            let encrypted = truthy(s.settings.get("CacheDataEncrypted"))
                || settings
                    .iter()
                    .filter(|m| truthy(m.get("CachingEnabled")))
                    .all(|m| truthy(m.get("CacheDataEncrypted")));
            if encrypted {
                continue;
            }
            let span = settings
                .iter()
                .find(|m| truthy(m.get("CachingEnabled")))
                .map_or(s.res.span, |m| m.span);
            out.push(
                Finding::new(&Self::META, Some(&s.res.id), span,
                    format!("stage {} of REST API {api} caches responses without encrypting the cache: cached personal data and tokens sit unencrypted at rest", s.res.id),
                    "Set `CacheDataEncrypted: true` wherever `CachingEnabled` is true.")
                .condition(s.res.condition.clone())
                .related([api]),
            );
        }
    }
}
