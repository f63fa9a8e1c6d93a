//! What the guards pass collects about each API (stages and their settings, WAF, usage plans)
//! and the derived facts, the rules and the UI read ([`super::Graph::api_info`]). A leaf.

use serde::Serialize;

/// Request rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Throttle {
    pub rate: Option<f64>,
    pub burst: Option<i64>,
}

/// One stage of an API and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StageInfo {
    /// The stage (or deployment) resource id.
    pub id: String,
    pub name: String,
    /// Stage-wide throttling (`*` `/*` method settings, HTTP `DefaultRouteSettings`).
    pub throttle: Option<Throttle>,
    /// Per-route throttling: (method or `*`, path, limits).
    pub route_throttles: Vec<(String, String, Throttle)>,
    pub access_logs: bool,
    /// Execution logging level (`INFO`, `ERROR`, `OFF`), if set.
    pub execution_logging: Option<String>,
    pub data_trace: bool,
    /// X-Ray tracing.
    pub tracing: bool,
    /// Web ACLs associated with this stage.
    pub waf: Vec<String>,
}

impl StageInfo {
    /// One line for the API node's badge.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        match &self.throttle {
            Some(t) => parts.push(format!(
                "throttling {}/{}",
                t.rate.map_or("-".to_owned(), |r| r.to_string()),
                t.burst.map_or("-".to_owned(), |b| b.to_string())
            )),
            None if !self.route_throttles.is_empty() => parts.push("per-route throttling".into()),
            None => parts.push("no throttling".into()),
        }
        parts.push(
            if self.access_logs {
                "access logs"
            } else {
                "no access logs"
            }
            .into(),
        );
        if let Some(l) = &self.execution_logging {
            parts.push(format!("execution logs {l}"));
        }
        if self.tracing {
            parts.push("tracing".into());
        }
        if !self.waf.is_empty() {
            parts.push(format!("WAF {}", self.waf.join(", ")));
        }
        format!("stage {}: {}", self.name, parts.join(", "))
    }

    /// The throttle that applies to `method path` on this stage, if any.
    pub fn throttle_for(&self, method: &str, path: &str) -> Option<Throttle> {
        self.route_throttles
            .iter()
            .find(|(m, p, _)| {
                (m == "*" || m.eq_ignore_ascii_case(method)) && (p == path || p == "/*" || p == "*")
            })
            .map(|(_, _, t)| *t)
            .or(self.throttle)
    }
}

/// A usage plan on an API.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct UsagePlanInfo {
    pub id: String,
    pub throttle: Option<Throttle>,
    pub quota: bool,
}

/// Stages, WAF and usage plans of an API.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ApiInfo {
    pub id: String,
    /// `REST`, `HTTP`, `WEBSOCKET`, `GRAPHQL`.
    pub protocol: String,
    /// A private endpoint (or the execute-api endpoint disabled): not reachable from the internet.
    pub private: bool,
    /// A resource policy is set.
    pub resource_policy: bool,
    pub stages: Vec<StageInfo>,
    /// Web ACLs on any stage of the API or on a distribution in front of it.
    pub waf: Vec<String>,
    pub usage_plans: Vec<UsagePlanInfo>,
    pub request_validators: Vec<String>,
}
