//! AWS CDK output: construct paths and cdk-nag suppressions.
//!
//! `cdk synth` writes plain CloudFormation, so a CDK template is read by [`super::cfn`] like
//! any other; what CDK adds lives in each resource's `Metadata`:
//! - `aws:cdk:path`: the construct path (`LibraryStack/BooksHandler/Resource`). Logical ids
//!   are hashed (`BooksHandler3EB83358`), so nodes, finding messages and reports name a
//!   resource by its path instead ([`ConstructPaths`]); the logical id stays the id.
//! - `cdk_nag.rules_to_suppress`: the suppressions cdk-nag's `NagSuppressions` writes
//!   ([`nag_suppressions`]), honoured through each rule's `sources` by
//!   [`crate::rules::suppress`].
//!
//! - `cdk.out/manifest.json` ([`manifest`]): the stacks of the app and their templates, read
//!   by [`crate::app`] with the nested stack templates each stack names.

pub mod manifest;

use crate::graph::Graph;
use crate::rules::Finding;
use crate::smap::StrMap;
use crate::span::Span;
use crate::value::Value;

use super::{Resource, Template};

/// The construct path of a CDK resource, as people say it: CDK's `/Resource` (the L1 inside
/// an L2 construct) dropped, and a nested stack's resource named by its stack
/// (`App/Auth.NestedStack/Auth.NestedStackResource` → `App/Auth`).
pub fn construct_path(r: &Resource) -> Option<String> {
    let raw = r
        .metadata
        .as_ref()?
        .get("aws:cdk:path")?
        .as_str()?
        .trim()
        .trim_matches('/');
    if raw.is_empty() {
        return None;
    }
    if let Some(i) = raw.find(".NestedStack/") {
        if raw.ends_with(".NestedStackResource") {
            return Some(raw[..i].to_owned());
        }
    }
    Some(raw.strip_suffix("/Resource").unwrap_or(raw).to_owned())
}

/// Logical id → construct path, for every resource that has one.
#[derive(Debug, Default)]
pub struct ConstructPaths {
    paths: StrMap<String>,
}

impl ConstructPaths {
    pub fn of(t: &Template) -> ConstructPaths {
        let mut paths = StrMap::new();
        for r in &t.resources {
            if let Some(p) = construct_path(r) {
                paths.insert(r.id.clone(), p);
            }
        }
        ConstructPaths { paths }
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.paths.get(id).map(String::as_str)
    }

    /// `text` with every word that is a logical id with a construct path replaced by the
    /// path. Words are runs of id characters (letters, digits, and `/` of an app's stack
    /// prefix), so ids inside ARNs (`table/Books`) or longer names are left alone.
    pub fn rename(&self, text: &str) -> String {
        let is_id = |c: char| c.is_ascii_alphanumeric() || c == '/';
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(is_id) {
            out.push_str(&rest[..start]);
            let word_and_after = &rest[start..];
            let end = word_and_after
                .find(|c: char| !is_id(c))
                .unwrap_or(word_and_after.len());
            let word = &word_and_after[..end];
            // A word glued to an ARN or path separator (`:Books`, `-Books`) is not a name.
            let glued = out
                .chars()
                .last()
                .is_some_and(|c| matches!(c, ':' | '-' | '_' | '.' | '$' | '{'));
            match self.get(word) {
                Some(path) if !glued => out.push_str(path),
                _ => out.push_str(word),
            }
            rest = &word_and_after[end..];
        }
        out.push_str(rest);
        out
    }

    /// Label graph nodes by their construct path, and say it in the facts drawn on them.
    pub fn label_graph(&self, g: &mut Graph) {
        if self.is_empty() {
            return;
        }
        for i in g.g.node_indices().collect::<Vec<_>>() {
            let n = &mut g.g[i];
            if let Some(p) = self.get(&n.id) {
                n.label = p.to_owned();
            }
            for f in &mut n.facts {
                f.text = self.rename(&f.text);
            }
        }
    }

    /// Name resources by their construct paths in finding messages and remediations.
    pub fn name_findings(&self, findings: &mut [Finding]) {
        if self.is_empty() {
            return;
        }
        for f in findings {
            f.message = self.rename(&f.message);
            f.remediation = self.rename(&f.remediation);
        }
    }
}

/// One `cdk_nag.rules_to_suppress` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct NagSuppression {
    /// The cdk-nag rule id (`AwsSolutions-IAM5`), without a granular `[finding]` suffix.
    pub id: String,
    pub reason: Option<String>,
    /// Granular findings the suppression is limited to (`applies_to`, or cdk-nag 3's
    /// `AwsSolutions-IAM5[Action::s3:*]` id form), e.g. `Action::s3:*`, `Resource::*`.
    /// Empty: every finding of the rule. Regular-expression entries are kept as `None`.
    pub applies_to: Vec<Option<String>>,
    pub span: Span,
}

/// The cdk-nag suppressions of a `Metadata` map (a resource's, or a template's for
/// `NagSuppressions.addStackSuppressions`).
pub fn nag_suppressions(meta: &Value) -> Vec<NagSuppression> {
    let mut out = Vec::new();
    let Some(list) = meta.get_path(&["cdk_nag", "rules_to_suppress"]) else {
        return out;
    };
    for e in list.items() {
        let Some(raw) = e.get("id").and_then(Value::as_str).map(str::trim) else {
            continue;
        };
        let (id, granular) = match raw.split_once('[') {
            Some((id, rest)) => (id, Some(rest.trim_end_matches(']').to_owned())),
            None => (raw, None),
        };
        let mut applies_to: Vec<Option<String>> = e
            .get("applies_to")
            .map(|a| {
                a.items()
                    .iter()
                    .map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        applies_to.extend(granular.map(Some));
        out.push(NagSuppression {
            id: id.to_owned(),
            reason: e
                .get("reason")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            applies_to,
            span: e.span,
        });
    }
    out
}

/// Does a granular cdk-nag suppression cover a finding with this message? cdk-nag names a
/// granular finding `Action::s3:*`, `Resource::*` or `Policy::<arn>`; it covers the finding
/// when the message names that action, resource or policy. Regular-expression entries and
/// unresolved-token forms (`Resource::<Table.Arn>`) are not matched: such a finding stays
/// visible rather than be hidden by a guess.
pub fn applies_to_message(applies_to: &[Option<String>], message: &str) -> bool {
    applies_to.iter().flatten().any(|a| {
        let value = a.split_once("::").map_or(a.as_str(), |(_, v)| v).trim();
        !value.is_empty()
            && !value.contains('<')
            && (message.contains(&format!("`{value}`"))
                || message.contains(&format!("\"{value}\""))
                || message.split_whitespace().any(|w| {
                    w.trim_matches(|c: char| matches!(c, ',' | ':' | ';' | '(' | ')')) == value
                }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Template {
        let root = crate::parse::load(text, &crate::parse::Limits::default()).expect("loads");
        Template::build(root, crate::parse::Format::CloudFormation).expect("builds")
    }

    const CDK: &str = r#"{"Resources": {
  "BooksHandler3EB83358": {"Type": "AWS::Lambda::Function",
    "Metadata": {"aws:cdk:path": "LibraryStack/BooksHandler/Resource",
      "cdk_nag": {"rules_to_suppress": [
        {"id": "AwsSolutions-IAM5", "reason": "scoped by tag", "applies_to": ["Action::s3:*", {"regex": "/^x/"}]},
        {"id": "AwsSolutions-APIG4[Method::GET]", "reason": "  "}]}}},
  "AuthNestedStackAuthNestedStackResource1234ABCD": {"Type": "AWS::CloudFormation::Stack",
    "Metadata": {"aws:cdk:path": "LibraryStack/Auth.NestedStack/Auth.NestedStackResource"}},
  "Plain": {"Type": "AWS::SQS::Queue"}
}}"#;

    #[test]
    fn construct_paths_drop_resource_and_name_nested_stacks_by_their_stack() {
        let t = template(CDK);
        let paths = ConstructPaths::of(&t);
        assert_eq!(
            paths.get("BooksHandler3EB83358"),
            Some("LibraryStack/BooksHandler")
        );
        assert_eq!(
            paths.get("AuthNestedStackAuthNestedStackResource1234ABCD"),
            Some("LibraryStack/Auth")
        );
        assert_eq!(paths.get("Plain"), None);
    }

    #[test]
    fn rename_replaces_whole_ids_only() {
        let paths = ConstructPaths::of(&template(CDK));
        assert_eq!(
            paths.rename("role of BooksHandler3EB83358, see BooksHandler3EB83358X and arn:aws:lambda:x:BooksHandler3EB83358 and Plain"),
            "role of LibraryStack/BooksHandler, see BooksHandler3EB83358X and arn:aws:lambda:x:BooksHandler3EB83358 and Plain"
        );
        assert_eq!(
            paths.rename("ünïcode BooksHandler3EB83358→x"),
            "ünïcode LibraryStack/BooksHandler→x"
        );
    }

    #[test]
    fn nag_suppressions_read_reasons_applies_to_and_granular_ids() {
        let t = template(CDK);
        let meta = t.resources[0].metadata.as_ref().expect("metadata");
        let s = nag_suppressions(meta);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id, "AwsSolutions-IAM5");
        assert_eq!(s[0].reason.as_deref(), Some("scoped by tag"));
        assert_eq!(s[0].applies_to, vec![Some("Action::s3:*".to_owned()), None]);
        assert_eq!(s[1].id, "AwsSolutions-APIG4");
        assert_eq!(s[1].reason, None, "a blank reason is no reason");
        assert_eq!(s[1].applies_to, vec![Some("Method::GET".to_owned())]);
        assert!(applies_to_message(
            &s[0].applies_to,
            "role R allows `s3:*` on the bucket"
        ));
        assert!(!applies_to_message(
            &s[0].applies_to,
            "role R allows `s3:GetObject`"
        ));
        assert!(!applies_to_message(
            &[Some("Resource::<Books.Arn>/*".to_owned())],
            "role R allows dynamodb:* on <Books.Arn>/*"
        ));
    }
}
