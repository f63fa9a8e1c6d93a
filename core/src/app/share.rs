//! What a link to an app carries: its templates and included files, under paths relative to
//! the app (so the link does not name the sharer's directories), the main template first,
//! and for a CDK app a manifest of its stacks only (CDK's own manifest, tree and metadata
//! files are mostly feature flags and construct details a link need not carry).

use crate::report::AppOut;

use super::paths::{dir_of, file_name};

/// The files of `app` for a link, `(path, text)`; `text` gives a file's text (`None`: the
/// file is left out).
pub fn link_files(app: &AppOut, text: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let shared: Vec<&str> = app
        .files
        .iter()
        .filter(|f| matches!(f.role.as_str(), "template" | "include"))
        .map(|f| f.path.as_str())
        .collect();
    let mut base = dir_of(&app.root).to_owned();
    while !base.is_empty() && !shared.iter().all(|p| p.starts_with(&format!("{base}/"))) {
        base = dir_of(&base).to_owned();
    }
    let rel = |p: &str| {
        if base.is_empty() {
            p.to_owned()
        } else {
            p.strip_prefix(&format!("{base}/")).unwrap_or(p).to_owned()
        }
    };
    let mut out: Vec<(String, String)> = shared
        .iter()
        .filter_map(|p| Some((rel(p), text(p)?)))
        .collect();
    if app.kind == "cdk" {
        let artifacts: Vec<String> = app
            .stacks
            .iter()
            .filter(|s| s.node.is_none())
            .map(|s| {
                let id = s
                    .prefix
                    .strip_suffix('/')
                    .map_or_else(|| s.name.replace('/', "-"), str::to_owned);
                format!(
                    "{}: {{\"type\": \"aws:cloudformation:stack\", \"displayName\": {}, \"properties\": {{\"templateFile\": {}}}}}",
                    serde_json::Value::from(id),
                    serde_json::Value::from(s.name.as_str()),
                    serde_json::Value::from(file_name(&s.file))
                )
            })
            .collect();
        out.push((
            rel(&app.root),
            format!(
                "{{\"version\": \"pillarlint-link\", \"artifacts\": {{\n  {}\n}}}}\n",
                artifacts.join(",\n  ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{analyze_set, FileSet};

    #[test]
    fn a_link_reopens_the_same_app() {
        let parent = "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/child.yaml\n      Parameters: {Q: !Ref Q}\n  Q: {Type: AWS::SQS::Queue}\n";
        let child = "Parameters:\n  Q: {Type: String}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Environment: {Variables: {Q: !Ref Q}}}\n";
        let files = [
            ("work/app/t.yaml", parent),
            ("work/app/nested/child.yaml", child),
        ];
        let set: FileSet<'_> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
        let apps = analyze_set(&set);
        let view = apps[0].view().expect("an app");
        let carried = link_files(&view, &|p| {
            files
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, t)| (*t).to_owned())
        });
        assert_eq!(
            carried.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            vec!["t.yaml", "nested/child.yaml"],
            "paths relative to the app, the main template first"
        );
        let set: FileSet<'_> = carried
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_bytes()))
            .collect();
        let again = analyze_set(&set);
        let v2 = again[0].view().expect("still an app");
        assert_eq!(v2.nodes.len(), view.nodes.len());
        assert_eq!(v2.edges, view.edges);
    }
}
