//! Suppressions: `Metadata.pillarlint.ignore` on a resource or the template, and the
//! equivalent settings of other tools (`cfn_nag.rules_to_suppress`, `checkov.skip`,
//! `cfn-lint.config.ignore_checks`, cdk-nag's `cdk_nag.rules_to_suppress`) for rules whose
//! `sources` list that id. Entries on a finding's resource apply, and so do those on the
//! resource whose definition holds the finding's position (the `AWS::IAM::Policy` with the
//! statement, where cfn_nag and cdk-nag report a finding pillarlint puts on the role). In an
//! app of several stacks, a template-level entry covers the resources of its own stack.

use crate::model::Template;
use crate::rules::{Finding, RuleMeta, Source, Suppression, RULES};
use crate::span::Span;
use crate::value::Value;

/// One suppression entry as written.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `pillarlint`, `cfn_nag`, `checkov`, `cfn-lint`, `cdk-nag`.
    pub by: &'static str,
    pub id: String,
    pub reason: Option<String>,
    pub span: Span,
    /// cdk-nag's granular findings the entry is limited to (`Action::s3:*`); empty: all.
    pub applies_to: Vec<String>,
}

/// The suppression entries of a `Metadata` map.
pub fn entries(meta: &Value) -> Vec<Entry> {
    let mut out = Vec::new();
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(list) = meta.get_path(&["pillarlint", "ignore"]) {
        for e in list.items() {
            if let Some(id) = e.as_str() {
                out.push(Entry {
                    by: "pillarlint",
                    id: id.to_owned(),
                    reason: None,
                    span: e.span,
                    applies_to: Vec::new(),
                });
            } else if let Some(id) = e.get("id").or_else(|| e.get("Id")).and_then(Value::as_str) {
                out.push(Entry {
                    by: "pillarlint",
                    id: id.to_owned(),
                    reason: text(e.get("reason").or_else(|| e.get("Reason"))),
                    span: e.span,
                    applies_to: Vec::new(),
                });
            }
        }
    }
    // Lists of `{id, reason}` maps: cfn_nag, checkov (`comment`), cdk-nag (`reason`, and
    // granular findings as `applies_to` or cdk-nag 3's `AwsSolutions-IAM5[Action::s3:*]` id).
    let lists: [(&'static str, &[&str], &str); 3] = [
        ("cfn_nag", &["cfn_nag", "rules_to_suppress"], "reason"),
        ("checkov", &["checkov", "skip"], "comment"),
        ("cdk-nag", &["cdk_nag", "rules_to_suppress"], "reason"),
    ];
    for (by, path, reason) in lists {
        for e in meta.get_path(path).map(Value::items).unwrap_or_default() {
            let Some(raw) = e.get("id").and_then(Value::as_str).map(str::trim) else {
                continue;
            };
            let (id, granular) = match raw.split_once('[') {
                Some((id, rest)) => (id, Some(rest.trim_end_matches(']').to_owned())),
                None => (raw, None),
            };
            // A regular-expression entry (`{regex: …}`) is kept as "", which matches nothing.
            let mut applies_to: Vec<String> = e
                .get("applies_to")
                .map(Value::items)
                .unwrap_or_default()
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_owned())
                .collect();
            applies_to.extend(granular);
            out.push(Entry {
                by,
                id: id.to_owned(),
                reason: text(e.get(reason)),
                span: e.span,
                applies_to,
            });
        }
    }
    if let Some(list) = meta.get_path(&["cfn-lint", "config", "ignore_checks"]) {
        for e in list.items() {
            if let Some(id) = e.as_str() {
                out.push(Entry {
                    by: "cfn-lint",
                    id: id.to_owned(),
                    reason: None,
                    span: e.span,
                    applies_to: Vec::new(),
                });
            }
        }
    }
    out
}

fn matches(meta: &RuleMeta, e: &Entry, f: &Finding) -> bool {
    match e.by {
        "pillarlint" => meta.id.eq_ignore_ascii_case(&e.id),
        "cfn_nag" => meta
            .sources
            .iter()
            .any(|s| matches!(s, Source::CfnNag(x) if x.eq_ignore_ascii_case(&e.id))),
        "checkov" => meta
            .sources
            .iter()
            .any(|s| matches!(s, Source::Checkov(x) if x.eq_ignore_ascii_case(&e.id))),
        "cfn-lint" => meta.sources.iter().any(|s| {
            matches!(s, Source::CfnLint(x) | Source::ServerlessRules(x) if x.eq_ignore_ascii_case(&e.id))
        }),
        "cdk-nag" => {
            meta.sources
                .iter()
                .any(|s| matches!(s, Source::CdkNag(x) if x.eq_ignore_ascii_case(&e.id)))
                && (e.applies_to.is_empty()
                    || crate::model::cdk::applies_to_message(&e.applies_to, &f.message))
        }
        _ => false,
    }
}

/// Mark suppressed findings (they stay in the list).
pub fn apply(t: &Template, findings: &mut [Finding]) {
    let template_level = t.root.get("Metadata").map(entries).unwrap_or_default();
    let stack_level: Vec<(&str, Vec<Entry>)> = t
        .stacks
        .iter()
        .filter_map(|s| Some((s.prefix.as_str(), entries(s.metadata.as_ref()?))))
        .collect();
    // Resources with suppressions of their own (usually few), for the position lookup.
    let with_entries: Vec<(&crate::model::Resource, Vec<Entry>)> = t
        .resources
        .iter()
        .filter_map(|r| Some((r, entries(r.metadata.as_ref()?))))
        .filter(|(_, e)| !e.is_empty())
        .collect();
    for f in findings.iter_mut() {
        let Some(meta) = RULES.iter().map(|r| r.meta()).find(|m| m.id == f.rule) else {
            continue;
        };
        let own = |r: &crate::model::Resource| f.resource.as_deref() == Some(r.id.as_str());
        let holds = |r: &crate::model::Resource| {
            let p = r.properties.span;
            p.file() == f.span.file() && p.start <= f.span.start && f.span.end <= p.end
        };
        let resource_level: Vec<&Entry> = with_entries
            .iter()
            .filter(|(r, _)| own(r) || holds(r))
            .flat_map(|(_, e)| e)
            .collect();
        // The entries of the innermost stack the resource is in (an app's root stack: the
        // template's own `Metadata`).
        let own_stack = f.resource.as_deref().and_then(|id| {
            stack_level
                .iter()
                .filter(|(prefix, _)| id.starts_with(prefix))
                .max_by_key(|(prefix, _)| prefix.len())
        });
        let stack_entries = own_stack.map_or(&template_level, |(_, e)| e);
        let hit = resource_level
            .into_iter()
            .chain(stack_entries.iter())
            .find(|e| matches(meta, e, f));
        if let Some(e) = hit {
            f.suppressed = Some(Suppression {
                by: e.by.to_owned(),
                reason: e.reason.clone().unwrap_or_else(|| "no reason given".into()),
            });
        }
    }
}
