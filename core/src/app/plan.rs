//! Which files form which app: what each file names ([`references`]) and the grouping of a
//! set of files into apps ([`plan`]).

use crate::model::cdk::manifest;
use crate::parse::{self, Limits};
use crate::smap::{StrMap, StrSet};
use crate::value::{Node, Value};

use super::paths::{dir_of, file_name, is_local, join};

/// The files handed to the core, by path (as [`super::paths::normalize`] writes it), in the
/// order they were given.
#[derive(Debug, Default)]
pub struct FileSet<'a> {
    files: Vec<(String, &'a [u8])>,
    index: StrMap<usize>,
}

impl<'a> FileSet<'a> {
    pub fn new() -> Self {
        FileSet::default()
    }

    /// Add a file (a path given twice keeps its first bytes).
    pub fn add(&mut self, path: &str, bytes: &'a [u8]) {
        let path = super::paths::normalize(path);
        if self.index.contains_key(&path) {
            return;
        }
        self.index.insert(path.clone(), self.files.len());
        self.files.push((path, bytes));
    }

    pub fn get(&self, path: &str) -> Option<&'a [u8]> {
        self.index
            .get(path)
            .and_then(|&i| self.files.get(i))
            .map(|(_, b)| *b)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.index.contains_key(path)
    }

    /// Where a path was given (its order).
    pub fn position(&self, path: &str) -> Option<usize> {
        self.index.get(path).copied()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(p, _)| p.as_str())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl<'a> FromIterator<(&'a str, &'a [u8])> for FileSet<'a> {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a [u8])>>(iter: I) -> Self {
        let mut set = FileSet::new();
        for (p, b) in iter {
            set.add(p, b);
        }
        set
    }
}

/// What a reference is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A nested stack's template (`TemplateURL`, SAM `Location`, CDK `aws:asset:path`).
    Stack,
    /// A Serverless `${file(...)}`.
    Include,
    /// A stack template listed in a CDK manifest.
    StackTemplate,
    /// Another file of a CDK cloud assembly (tree, asset manifests, metadata).
    AssemblyFile,
    /// The manifest of a nested cloud assembly (a CDK stage): an app of its own.
    Assembly,
}

/// A file named by another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub path: String,
    pub kind: RefKind,
}

/// What a file is and what it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    /// A CDK cloud assembly manifest.
    pub manifest: bool,
    pub refs: Vec<Reference>,
}

/// Could these bytes name other files? A cheap look before any parsing: most templates
/// do not, and are never read twice.
fn may_reference(path: &str, bytes: &[u8]) -> bool {
    // `str::contains` is the standard library's fast substring search; a file that is not
    // UTF-8 is no template anyway.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    file_name(path) == "manifest.json" && text.contains("\"artifacts\"")
        || text.contains("AWS::CloudFormation::Stack")
        || text.contains("AWS::Serverless::Application")
        || text.contains("${file(")
}

/// The files `bytes` (the file at `path`) names, as paths next to it: nested stack
/// templates, Serverless includes, and for a CDK `manifest.json` the files of the assembly.
/// Only local paths count (not URLs); whether they exist is for the caller to find out.
pub fn references(path: &str, bytes: &[u8]) -> Refs {
    let mut out = Refs::default();
    if !may_reference(path, bytes) {
        return out;
    }
    let Ok(text) = parse::decode(bytes) else {
        return out;
    };
    let Ok(root) = parse::load(text, &Limits::default()) else {
        return out;
    };
    let dir = dir_of(path);
    if file_name(path) == "manifest.json" && manifest::is_manifest(&root) {
        out.manifest = true;
        if let Ok(m) = manifest::read(&root) {
            let mut add = |p: &str, kind| {
                out.refs.push(Reference {
                    path: join(dir, p),
                    kind,
                })
            };
            for s in &m.stacks {
                add(&s.template, RefKind::StackTemplate);
            }
            for (f, _) in &m.files {
                add(f, RefKind::AssemblyFile);
            }
            for a in &m.assemblies {
                add(a, RefKind::Assembly);
            }
        }
        return out;
    }
    if let Some(res) = root.get("Resources").and_then(Value::as_map) {
        for (_, r) in res {
            if let Some(loc) = stack_location(r) {
                out.refs.push(Reference {
                    path: join(dir, loc.as_str().unwrap_or_default()),
                    kind: RefKind::Stack,
                });
            }
        }
    }
    let mut includes = Vec::new();
    file_variables(&root, &mut includes);
    for inc in includes {
        out.refs.push(Reference {
            path: join(dir, &inc),
            kind: RefKind::Include,
        });
    }
    out
}

/// Where a nested stack resource's template is, when it is a local file: CDK's
/// `Metadata.aws:asset:path`, else a `TemplateURL` (or SAM `Location`) that is a path.
pub fn stack_location(r: &Value) -> Option<&Value> {
    let type_ = r.get("Type").and_then(Value::as_str)?;
    if type_ != "AWS::CloudFormation::Stack" && type_ != "AWS::Serverless::Application" {
        return None;
    }
    let asset = r
        .get_path(&["Metadata", "aws:asset:path"])
        .filter(|v| v.as_str().is_some_and(is_local));
    asset.or_else(|| {
        ["TemplateURL", "Location"]
            .iter()
            .filter_map(|k| r.get_path(&["Properties", k]))
            .find(|v| v.as_str().is_some_and(is_local))
    })
}

/// The paths of the `${file(...)}` variables of a Serverless document.
fn file_variables(v: &Value, out: &mut Vec<String>) {
    match &v.node {
        Node::String(s) => {
            let mut rest = s.as_str();
            while let Some(i) = rest.find("${file(") {
                rest = &rest[i + 7..];
                let Some(end) = rest.find(')') else { break };
                let p = rest[..end].trim().trim_matches(|c| c == '\'' || c == '"');
                let lower = p.to_ascii_lowercase();
                if !p.is_empty()
                    && !p.contains("${")
                    && (lower.ends_with(".yml")
                        || lower.ends_with(".yaml")
                        || lower.ends_with(".json"))
                    && !out.iter().any(|x| x == p)
                {
                    out.push(p.to_owned());
                }
                rest = &rest[end..];
            }
        }
        Node::Seq(items) => items.iter().for_each(|x| file_variables(x, out)),
        Node::Map(entries) => entries.iter().for_each(|(_, x)| file_variables(x, out)),
        _ => {}
    }
}

/// Is this a Terraform file (`.tf`, `.tf.json`)?
pub fn is_terraform(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tf.json")
}

/// The kind of an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// One template standing alone.
    Single,
    /// A template with nested stacks.
    Stacks,
    /// A Serverless service with `${file(...)}` includes.
    Serverless,
    /// A CDK cloud assembly (`cdk.out`).
    Cdk,
    /// A Terraform module: the `.tf` and `.tf.json` files of one directory, read as one
    /// configuration (as the CLI reads a directory).
    Terraform,
}

impl AppKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            AppKind::Single => "single",
            AppKind::Stacks => "stacks",
            AppKind::Serverless => "serverless",
            AppKind::Cdk => "cdk",
            AppKind::Terraform => "terraform",
        }
    }
}

/// One app of a set of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: AppKind,
    /// The file it is read from: the root template, or a cloud assembly's `manifest.json`.
    pub root: String,
    /// Every file of the set that belongs to it, the root first.
    pub members: Vec<String>,
}

/// Group a set of files into apps: each CDK cloud assembly (its manifest, its stacks, their
/// nested stacks and the other files of its directory), each template that names nested
/// templates or includes no other file names (with everything it names), and every other
/// file on its own. A file belongs to one app; apps come in the order of their first file.
pub fn plan(set: &FileSet<'_>) -> Vec<Plan> {
    let refs: Vec<(String, Refs)> = set
        .paths()
        .map(|p| (p.to_owned(), references(p, set.get(p).unwrap_or_default())))
        .collect();
    let mut by_path: StrMap<usize> = StrMap::new();
    for (i, (p, _)) in refs.iter().enumerate() {
        by_path.insert(p.clone(), i);
    }
    let is_manifest = |p: &str| by_path.get(p).is_some_and(|&i| refs[i].1.manifest);
    let mut referenced = StrSet::new();
    for (_, r) in &refs {
        for x in &r.refs {
            if x.kind != RefKind::Assembly && set.contains(&x.path) {
                referenced.insert(x.path.clone());
            }
        }
    }
    let mut claimed = StrSet::new();
    let mut plans: Vec<Plan> = Vec::new();
    // Everything reachable from `root` that is not in another app yet.
    let closure = |root: &str, claimed: &mut StrSet| -> (Vec<String>, bool) {
        let mut members = vec![root.to_owned()];
        claimed.insert(root.to_owned());
        let mut include = false;
        let mut i = 0;
        while let Some(p) = members.get(i).cloned() {
            i += 1;
            let Some(&k) = by_path.get(&p) else { continue };
            for x in &refs[k].1.refs {
                if x.kind == RefKind::Assembly || !set.contains(&x.path) {
                    continue;
                }
                include |= x.kind == RefKind::Include;
                if claimed.insert(x.path.clone()) {
                    members.push(x.path.clone());
                }
            }
        }
        (members, include)
    };
    for (p, r) in &refs {
        if r.manifest {
            let (mut members, _) = closure(p, &mut claimed);
            // The assembly's directory is the app's: its other files are not templates.
            let dir = dir_of(p);
            for q in set.paths() {
                if dir_of(q) == dir && !claimed.contains(q) && !is_manifest(q) {
                    claimed.insert(q.to_owned());
                    members.push(q.to_owned());
                }
            }
            plans.push(Plan {
                kind: AppKind::Cdk,
                root: p.clone(),
                members,
            });
        }
    }
    // A directory's Terraform files are one module, its `main.tf` first (a file alone stays
    // a file on its own, read as it always was).
    let mut dirs: Vec<&str> = Vec::new();
    for p in set.paths() {
        if is_terraform(p) && !claimed.contains(p) && !dirs.contains(&dir_of(p)) {
            dirs.push(dir_of(p));
        }
    }
    for dir in dirs {
        let mut members: Vec<String> = set
            .paths()
            .filter(|q| is_terraform(q) && dir_of(q) == dir && !claimed.contains(q))
            .map(str::to_owned)
            .collect();
        if let Some(main) = members.iter().position(|m| file_name(m) == "main.tf") {
            let m = members.remove(main);
            members.insert(0, m);
        }
        let Some(root) = members.first().cloned().filter(|_| members.len() > 1) else {
            continue;
        };
        claimed.extend(members.iter().cloned());
        plans.push(Plan {
            kind: AppKind::Terraform,
            root,
            members,
        });
    }
    // Roots first (files nothing names), then whatever a cycle left unclaimed.
    for pass in 0..2 {
        for (p, r) in &refs {
            let names_files = r.refs.iter().any(|x| x.kind != RefKind::Assembly);
            if !names_files || claimed.contains(p) || pass == 0 && referenced.contains(p) {
                continue;
            }
            let (members, include) = closure(p, &mut claimed);
            let has_stack = r.refs.iter().any(|x| x.kind == RefKind::Stack);
            plans.push(Plan {
                kind: if include && !has_stack {
                    AppKind::Serverless
                } else {
                    AppKind::Stacks
                },
                root: p.clone(),
                members,
            });
        }
    }
    for p in set.paths() {
        if !claimed.contains(p) {
            plans.push(Plan {
                kind: AppKind::Single,
                root: p.to_owned(),
                members: vec![p.to_owned()],
            });
        }
    }
    let first = |pl: &Plan| {
        pl.members
            .iter()
            .filter_map(|m| set.position(m))
            .min()
            .unwrap_or(usize::MAX)
    };
    crate::sort::sort_by_key(&mut plans, first);
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &[u8] = b"Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: nested/child.yaml}\n  Remote:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: https://s3.amazonaws.com/b/t.yaml}\n";
    const CHILD: &[u8] = b"Resources:\n  App:\n    Type: AWS::Serverless::Application\n    Properties: {Location: ../grand.yaml}\n";
    const GRAND: &[u8] = b"Resources:\n  Q: {Type: AWS::SQS::Queue}\n";

    #[test]
    fn references_are_local_paths_next_to_the_file() {
        let r = references("app/template.yaml", PARENT);
        assert_eq!(
            r.refs,
            vec![Reference {
                path: "app/nested/child.yaml".into(),
                kind: RefKind::Stack
            }]
        );
        assert_eq!(
            references("app/nested/child.yaml", CHILD).refs[0].path,
            "app/grand.yaml"
        );
        assert!(references("x.yaml", GRAND).refs.is_empty());
        let sls = b"service: s\nprovider: {name: aws}\nresources: ${file(./res.yml)}\ncustom: ${file(env.${opt:stage}.yml)}\n";
        let r = references("svc/serverless.yml", sls);
        assert_eq!(r.refs.len(), 1, "{r:?}");
        assert_eq!(r.refs[0].path, "svc/res.yml");
        assert_eq!(r.refs[0].kind, RefKind::Include);
    }

    #[test]
    fn a_set_groups_into_apps_in_input_order() {
        let manifest = br#"{"version": "1", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}"#;
        let set: FileSet<'_> = [
            ("lone.yaml", GRAND),
            ("app/nested/child.yaml", CHILD),
            ("app/template.yaml", PARENT),
            ("app/grand.yaml", GRAND),
            ("cdk.out/S.template.json", b"{\"Resources\": {}}".as_slice()),
            ("cdk.out/manifest.json", manifest.as_slice()),
            ("cdk.out/tree.json", b"{}".as_slice()),
        ]
        .into_iter()
        .collect();
        let plans = plan(&set);
        let summary: Vec<(AppKind, &str, Vec<&str>)> = plans
            .iter()
            .map(|p| {
                (
                    p.kind,
                    p.root.as_str(),
                    p.members.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (AppKind::Single, "lone.yaml", vec!["lone.yaml"]),
                (
                    AppKind::Stacks,
                    "app/template.yaml",
                    vec![
                        "app/template.yaml",
                        "app/nested/child.yaml",
                        "app/grand.yaml"
                    ]
                ),
                (
                    AppKind::Cdk,
                    "cdk.out/manifest.json",
                    vec![
                        "cdk.out/manifest.json",
                        "cdk.out/S.template.json",
                        "cdk.out/tree.json"
                    ]
                ),
            ]
        );
    }

    #[test]
    fn files_naming_each_other_still_form_one_app() {
        let a = b"Resources:\n  B:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: b.yaml}\n";
        let b = b"Resources:\n  A:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: a.yaml}\n";
        let set: FileSet<'_> = [("a.yaml", a.as_slice()), ("b.yaml", b.as_slice())]
            .into_iter()
            .collect();
        let plans = plan(&set);
        assert_eq!(plans.len(), 1);
        assert_eq!(
            plans[0].members,
            vec!["a.yaml".to_owned(), "b.yaml".to_owned()]
        );
    }
}
