//! `cdk.out/manifest.json`: the cloud assembly's list of stacks and the files that go with
//! them.
//!
//! ```text
//! {"version": "…", "artifacts": {
//!    "LibraryStack": {"type": "aws:cloudformation:stack", "displayName": "LibraryStack",
//!                     "properties": {"templateFile": "LibraryStack.template.json", "stackName"?: …},
//!                     "additionalMetadataFile"?: "LibraryStack.metadata.json"},
//!    "LibraryStack.assets": {"type": "cdk:asset-manifest", "properties": {"file": "…assets.json"}},
//!    "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
//!    "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}
//! ```
//! Nested stacks are not listed here: each stack template names its nested stacks' templates
//! in their `Metadata` (`aws:asset:path`), read with the template.

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::Value;

/// A stack of the assembly.
#[derive(Debug, Clone, PartialEq)]
pub struct StackArtifact {
    /// The artifact id (the stack's construct id).
    pub id: String,
    /// Its template, relative to the manifest.
    pub template: String,
    /// Where `templateFile` is written in the manifest.
    pub span: Span,
    /// The name it deploys as (`stackName`, else the artifact id).
    pub stack_name: String,
    /// The name CDK shows (`displayName`, e.g. `Prod/LibraryStack` in a stage).
    pub display_name: String,
}

/// What a manifest lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    pub stacks: Vec<StackArtifact>,
    /// The manifests of nested cloud assemblies (CDK stages), relative to this one.
    pub assemblies: Vec<String>,
    /// Other files of the assembly: the construct tree, asset manifests, metadata files.
    pub files: Vec<(String, &'static str)>,
}

/// Is this document a cloud assembly manifest (a map with `artifacts` whose entries have a
/// `type`)? Other `manifest.json` files (web app manifests) are not.
pub fn is_manifest(root: &Value) -> bool {
    root.get("artifacts")
        .and_then(Value::as_map)
        .is_some_and(|a| a.iter().any(|(_, v)| v.get("type").is_some()))
        && root.get("version").is_some()
}

/// Read a loaded `manifest.json`.
pub fn read(root: &Value) -> Result<Manifest, ParseError> {
    let Some(artifacts) = root.get("artifacts").and_then(Value::as_map) else {
        return Err(ParseError::at(
            "this manifest.json is not a CDK cloud assembly manifest: it has no `artifacts` map",
            root.span.start.line,
            root.span.start.column,
        ));
    };
    let mut m = Manifest::default();
    for (k, a) in artifacts {
        let props = a.get("properties");
        let prop = |key: &str| props.and_then(|p| p.get(key));
        match a.get("type").and_then(Value::as_str).unwrap_or("") {
            "aws:cloudformation:stack" => {
                let Some(t) = prop("templateFile") else {
                    return Err(ParseError::at(
                        format!(
                            "stack `{}` of the manifest has no `properties.templateFile`",
                            k.name
                        ),
                        k.span.start.line,
                        k.span.start.column,
                    ));
                };
                let Some(template) = t.as_str() else {
                    return Err(ParseError::at(
                        format!(
                            "the `templateFile` of stack `{}` must be a file name",
                            k.name
                        ),
                        t.span.start.line,
                        t.span.start.column,
                    ));
                };
                m.stacks.push(StackArtifact {
                    id: k.name.clone(),
                    template: template.to_owned(),
                    span: t.span,
                    stack_name: prop("stackName")
                        .and_then(Value::as_str)
                        .unwrap_or(&k.name)
                        .to_owned(),
                    display_name: a
                        .get("displayName")
                        .and_then(Value::as_str)
                        .unwrap_or(&k.name)
                        .to_owned(),
                });
                if let Some(f) = a.get("additionalMetadataFile").and_then(Value::as_str) {
                    m.files.push((f.to_owned(), "metadata"));
                }
            }
            "cdk:cloud-assembly" => {
                if let Some(d) = prop("directoryName").and_then(Value::as_str) {
                    m.assemblies
                        .push(format!("{}/manifest.json", d.trim_end_matches('/')));
                }
            }
            "cdk:tree" => {
                if let Some(f) = prop("file").and_then(Value::as_str) {
                    m.files.push((f.to_owned(), "tree"));
                }
            }
            "cdk:asset-manifest" => {
                if let Some(f) = prop("file").and_then(Value::as_str) {
                    m.files.push((f.to_owned(), "metadata"));
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stacks_stages_and_other_files() {
        let text = r#"{"version": "55.0.0", "artifacts": {
  "LibraryStack.assets": {"type": "cdk:asset-manifest", "properties": {"file": "LibraryStack.assets.json"}},
  "LibraryStack": {"type": "aws:cloudformation:stack", "displayName": "LibraryStack",
    "properties": {"templateFile": "LibraryStack.template.json", "stackName": "library-prod"},
    "additionalMetadataFile": "LibraryStack.metadata.json"},
  "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
  "assembly-Dev": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Dev"}}}}"#;
        let root = crate::parse::load(text, &crate::parse::Limits::default()).expect("json");
        assert!(is_manifest(&root));
        let m = read(&root).expect("a manifest");
        assert_eq!(m.stacks.len(), 1);
        assert_eq!(m.stacks[0].template, "LibraryStack.template.json");
        assert_eq!(m.stacks[0].stack_name, "library-prod");
        assert_eq!(m.stacks[0].span.start.line, 4);
        assert_eq!(m.assemblies, vec!["assembly-Dev/manifest.json".to_owned()]);
        assert_eq!(m.files.len(), 3);
        let web = crate::parse::load(r#"{"name": "app", "icons": []}"#, &Default::default())
            .expect("json");
        assert!(
            !is_manifest(&web),
            "a web app manifest is not a cloud assembly"
        );
    }

    #[test]
    fn a_stack_without_a_template_is_a_positioned_error() {
        let text = "{\"version\": \"1\", \"artifacts\": {\n  \"S\": {\"type\": \"aws:cloudformation:stack\"}}}";
        let root = crate::parse::load(text, &crate::parse::Limits::default()).expect("json");
        let e = read(&root).expect_err("no templateFile");
        assert_eq!((e.line, e.column), (2, 3));
    }
}
