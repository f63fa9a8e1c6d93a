use crate::declare_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags WAFv2 web ACLs that do not run the AWS managed known-bad-inputs rule group
    /// (`AWSManagedRulesKnownBadInputsRuleSet`) in blocking mode, with its Log4j rule
    /// (`Log4JRCE`) in force. Web ACLs that reference rule groups of their own
    /// (`RuleGroupReferenceStatement`) are left alone: what those hold is not in view.
    ///
    /// ## Why is this bad?
    /// The group blocks request patterns known to exploit common software: Log4Shell
    /// (CVE-2021-44228) lookups such as `${jndi:ldap://…}` in headers, URIs and bodies,
    /// Java deserialization payloads, paths like `/.git` and `localhost` host headers. A web
    /// ACL without it lets those straight through to the functions and containers behind
    /// it, where a single vulnerable library is enough. It is one of AWS's baseline managed
    /// rule groups.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Acl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl}
    ///       Rules:
    ///         - Name: rate
    ///           Priority: 0
    ///           Action: {Block: {}}
    ///           VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: rate}
    ///           Statement: {RateBasedStatement: {Limit: 1000, AggregateKeyType: IP}}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Acl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl}
    ///       Rules:
    ///         - Name: bad-inputs
    ///           Priority: 0
    ///           OverrideAction: {None: {}}
    ///           VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: bad}
    ///           Statement: {ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesKnownBadInputsRuleSet}}
    /// ```
    ///
    /// ## Remediation
    /// Add a rule with `Statement: {ManagedRuleGroupStatement: {VendorName: AWS, Name:
    /// AWSManagedRulesKnownBadInputsRuleSet}}` and `OverrideAction: {None: {}}`, without
    /// excluding or counting `Log4JRCE`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html#aws-managed-rule-groups-baseline-known-bad-inputs
    /// - https://nvd.nist.gov/vuln/detail/CVE-2021-44228
    pub WebAclWithoutKnownBadInputs {
        id: "DOS013",
        pillar: Dos,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_192")],
    }
}

/// The state of the known-bad-inputs group in one rule of a web ACL.
#[derive(PartialEq)]
enum Group {
    Absent,
    /// Present but counting, or with its Log4j rule excluded or counted: the reason.
    Weakened(&'static str),
    Blocking,
}

/// Does a rule action override (`RuleActionOverrides`, `ExcludedRules`) take `Log4JRCE`
/// out of blocking?
fn log4j_weakened(stmt: &Value) -> bool {
    let named = |v: &Value| {
        v.get("Name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("Log4JRCE"))
    };
    let excluded = stmt
        .get("ExcludedRules")
        .map(Value::items)
        .unwrap_or_default()
        .into_iter()
        .any(named);
    let overridden = stmt
        .get("RuleActionOverrides")
        .map(Value::items)
        .unwrap_or_default()
        .into_iter()
        .any(|o| named(o) && o.get_path(&["ActionToUse", "Block"]).is_none());
    excluded || overridden
}

fn group_in_rule(rule: &Value) -> Group {
    let Some(stmt) = rule.get_path(&["Statement", "ManagedRuleGroupStatement"]) else {
        return Group::Absent;
    };
    let is_group = stmt
        .get("Name")
        .and_then(Value::as_str)
        .is_some_and(|n| n == "AWSManagedRulesKnownBadInputsRuleSet")
        && stmt.get("VendorName").and_then(Value::as_str) == Some("AWS");
    if !is_group {
        return Group::Absent;
    }
    if rule.get_path(&["OverrideAction", "Count"]).is_some() {
        return Group::Weakened(
            "runs in count mode (`OverrideAction: Count`), so it blocks nothing",
        );
    }
    if log4j_weakened(stmt) {
        return Group::Weakened(
            "excludes or counts its `Log4JRCE` rule, the one that stops Log4Shell",
        );
    }
    Group::Blocking
}

impl Rule for WebAclWithoutKnownBadInputs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for acl in cx.template.resources_of("AWS::WAFv2::WebACL") {
            let Some(rules) = acl.prop("Rules") else {
                out.push(self.finding(acl, acl.span, "has no rules at all"));
                continue;
            };
            if rules.as_seq().is_none() {
                continue; // a parameter or an import: cannot tell
            }
            let items = crate::graph::lookup::flatten_if(rules);
            if items.iter().any(|r| {
                r.get_path(&["Statement", "RuleGroupReferenceStatement"])
                    .is_some()
            }) {
                continue;
            }
            let mut weakened = None;
            let mut blocking = false;
            for r in &items {
                match group_in_rule(r) {
                    Group::Blocking => blocking = true,
                    Group::Weakened(why) => weakened = Some((r.span, why)),
                    Group::Absent => {}
                }
            }
            if blocking {
                continue;
            }
            match weakened {
                Some((span, why)) => out.push(self.finding(acl, span, &format!("runs the known-bad-inputs group but {why}"))),
                None => out.push(self.finding(acl, rules.span, "does not run the AWS known-bad-inputs rule group (AWSManagedRulesKnownBadInputsRuleSet)")),
            }
        }
    }
}

impl WebAclWithoutKnownBadInputs {
    fn finding(
        &self,
        acl: &crate::model::Resource,
        span: crate::span::Span,
        what: &str,
    ) -> Finding {
        Finding::new(&Self::META, Some(&acl.id), span,
            format!("web ACL {} {what}: requests carrying known exploit patterns, such as Log4Shell `${{jndi:…}}` lookups, reach the code behind it", acl.id),
            "Add the AWSManagedRulesKnownBadInputsRuleSet managed rule group with `OverrideAction: {None: {}}`, keeping its Log4JRCE rule in force.")
        .condition(acl.condition.clone())
    }
}
