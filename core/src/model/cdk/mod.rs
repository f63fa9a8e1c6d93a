//! AWS CDK output: construct paths and cdk-nag suppressions.
//!
//! `cdk synth` writes plain CloudFormation, so a CDK template is read by [`super::cfn`] like
//! any other; what CDK adds lives in each resource's `Metadata`:
//! - `aws:cdk:path`: the construct path (`LibraryStack/BooksHandler/Resource`). Logical ids
//!   are hashed (`BooksHandler3EB83358`), so nodes, finding messages and reports name a
//!   resource by its path instead ([`ConstructPaths`]); the logical id stays the id.
//! - `cdk_nag.rules_to_suppress`: the suppressions cdk-nag's `NagSuppressions` writes, read
//!   by [`crate::rules::suppress`] and honoured through each rule's `sources`; a granular one
//!   (`applies_to: [Action::s3:*]`) covers the findings [`applies_to_message`] matches.
//!
//! - `cdk.out/manifest.json` ([`manifest`]): the stacks of the app and their templates, read
//!   by [`crate::app`] with the nested stack templates each stack names.

pub mod manifest;

use crate::graph::Graph;
use crate::rules::Finding;
use crate::smap::StrMap;

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
        // Id characters are ASCII, so every cut below falls on a character boundary.
        let b = text.as_bytes();
        let is_id = |c: &u8| c.is_ascii_alphanumeric() || *c == b'/';
        let mut out = String::with_capacity(text.len());
        let (mut i, mut copied) = (0, 0);
        while let Some(c) = b.get(i) {
            if !is_id(c) {
                i += 1;
                continue;
            }
            let start = i;
            while b.get(i).is_some_and(is_id) {
                i += 1;
            }
            // A word glued to an ARN or path separator (`:Books`, `-Books`) is not a name.
            let glued = start
                .checked_sub(1)
                .and_then(|p| b.get(p))
                .is_some_and(|c| matches!(c, b':' | b'-' | b'_' | b'.' | b'$' | b'{'));
            let path = text.get(start..i).and_then(|w| self.get(w));
            if let (Some(path), false) = (path, glued) {
                out.push_str(text.get(copied..start).unwrap_or_default());
                out.push_str(path);
                copied = i;
            }
        }
        out.push_str(text.get(copied..).unwrap_or_default());
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

/// Does a granular cdk-nag suppression cover a finding with this message? cdk-nag names a
/// granular finding `Action::s3:*`, `Resource::*` or `Policy::<arn>`; it covers the finding
/// when the message names that action, resource or policy. Regular-expression entries and
/// unresolved-token forms (`Resource::<Table.Arn>`) are not matched: such a finding stays
/// visible rather than be hidden by a guess. An AWS managed policy
/// (`Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess`, as cdk-nag's
/// AwsSolutions-IAM4 names it) is matched by its name, which the IAM rules' messages give.
pub fn applies_to_message(applies_to: &[String], message: &str) -> bool {
    applies_to.iter().any(|a| {
        let value = a.split_once("::").map_or(a.as_str(), |(_, v)| v).trim();
        let value = value
            .split_once(":iam::aws:policy/")
            .map_or(value, |(_, name)| name);
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
    "Metadata": {"aws:cdk:path": "LibraryStack/BooksHandler/Resource"}},
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
    fn granular_suppressions_match_what_the_message_names() {
        let a = vec!["Action::s3:*".to_owned(), String::new()];
        assert!(applies_to_message(&a, "role R allows `s3:*` on the bucket"));
        assert!(!applies_to_message(&a, "role R allows `s3:GetObject`"));
        assert!(
            !applies_to_message(&[String::new()], "anything"),
            "a regex entry matches nothing"
        );
        assert!(!applies_to_message(
            &["Resource::<Books.Arn>/*".to_owned()],
            "role R allows dynamodb:* on <Books.Arn>/*"
        ));
        let iam4 = ["Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess".to_owned()];
        assert!(applies_to_message(
            &iam4,
            "role R attaches the AWS managed policy AdministratorAccess: the function can act"
        ));
        assert!(!applies_to_message(
            &iam4,
            "role R attaches the AWS managed policy PowerUserAccess: the function can act"
        ));
    }
}
