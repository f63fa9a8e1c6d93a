//! Apps: several files analysed as one graph.
//!
//! The core does no I/O: the CLI and the web app hand it a set of `(path, bytes)` files
//! ([`FileSet`]). [`plan`] groups them into apps — a CDK cloud assembly (`cdk.out`), a
//! template with nested stacks (`AWS::CloudFormation::Stack` `TemplateURL` / SAM
//! `AWS::Serverless::Application` `Location` / CDK `aws:asset:path` naming a local file), a
//! Serverless service with `${file(...)}` includes, a Terraform module (a directory's `.tf` /
//! `.tf.json` files, read by [`crate::analyze_module`]), or a file on its own — and [`analyze`]
//! reads each into one stitched template ([`crate::model::stacks`]), so the graph rules see
//! paths that cross stacks and files. A caller that reads from disk asks [`references`] what
//! a file names, to read those files too.
//!
//! Positions stay in their own files ([`crate::span::Span::file`]): [`App::reports`] gives
//! one report per template file, as the report contract has always had them, and
//! [`App::view`] the whole app (`apps` in the contract). A file on its own is analysed exactly
//! as [`crate::analyze_bytes`] does.

pub mod load;
pub mod paths;
pub mod plan;
pub mod share;
pub mod zip;

pub use load::AppFile;
pub use plan::{plan, references, AppKind, FileSet, Plan, RefKind, Reference, Refs};

use crate::model::stacks::{stack_of, Stack};
use crate::parse::ParseError;
use crate::report::{AppFileOut, AppOut, FileReport, StackOut};
use crate::Analysis;

/// An analysed app.
#[derive(Debug)]
pub struct App {
    pub kind: AppKind,
    /// The `cdk.out` directory, or the root template's path.
    pub name: String,
    /// The file it is read from.
    pub root: String,
    /// Every file it read; a position's [`crate::span::Span::file`] is an index here.
    pub files: Vec<AppFile>,
    /// The stitched analysis; `None` when the root itself cannot be read.
    pub analysis: Option<Analysis>,
    /// Several top-level stacks under a root of no template of its own (a CDK app).
    virtual_root: bool,
}

/// Directories of a project that never hold its templates.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".aws-sam",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    ".idea",
    ".vscode",
    "__MACOSX",
    ".serverless",
];

/// Is a file of a dropped folder or zip worth reading for an app? Templates and CDK's
/// assembly files go by extension; dependencies, tool caches, hidden files and a cloud
/// assembly's `asset.*` directories (bundled function code) are left out.
pub fn wanted(path: &str) -> bool {
    let path = paths::normalize(path);
    let mut parts = path.split('/').peekable();
    while let Some(seg) = parts.next() {
        let last = parts.peek().is_none();
        if seg.starts_with('.') && seg != ".."
            || !last && (SKIP_DIRS.contains(&seg) || seg.starts_with("asset."))
        {
            return false;
        }
    }
    let lower = path.to_ascii_lowercase();
    [".yaml", ".yml", ".json", ".template", ".cfn", ".sam", ".tf"]
        .iter()
        .any(|x| lower.ends_with(x))
}

/// Analyse every app of a set of files, in the order of [`plan`].
pub fn analyze_set(set: &FileSet<'_>) -> Vec<App> {
    plan(set).iter().map(|p| analyze(p, set)).collect()
}

/// Analyse one app of a set.
pub fn analyze(plan: &Plan, set: &FileSet<'_>) -> App {
    let mut loader = load::Loader::new(set);
    let mut virtual_root = false;
    let name = match plan.kind {
        AppKind::Cdk => {
            let dir = paths::dir_of(&plan.root);
            if dir.is_empty() { "cdk.out" } else { dir }.to_owned()
        }
        _ => plan.root.clone(),
    };
    let analysis = match plan.kind {
        AppKind::Single => {
            loader.file(&plan.root, "template");
            let bytes = set.get(&plan.root).unwrap_or_default();
            match crate::analyze_bytes(bytes) {
                Ok(a) => {
                    if let Some(f) = loader.files.first_mut() {
                        f.format = Some(a.format());
                        f.instances = 1;
                    }
                    Some(a)
                }
                Err(e) => {
                    if let Some(f) = loader.files.first_mut() {
                        f.error = Some(e);
                    }
                    None
                }
            }
        }
        AppKind::Stacks | AppKind::Serverless => {
            let file = loader.file(&plan.root, "template").unwrap_or(0);
            match loader.template(&plan.root, file, &plan.root, &mut Vec::new()) {
                Ok(mut t) => {
                    if let Some(f) = loader.files.first_mut() {
                        f.instances = 1;
                    }
                    crate::model::stacks::link_outputs(&mut t);
                    Some(crate::analyze_template(t))
                }
                Err(_) => None,
            }
        }
        AppKind::Terraform => terraform_module(plan, set, &mut loader),
        AppKind::Cdk => match loader.cloud_assembly(&plan.root) {
            Ok((t, v)) => {
                virtual_root = v;
                Some(crate::analyze_template(t))
            }
            Err(_) => None,
        },
    };
    // The other files of the app's directory (CDK's reports and counters) belong to it.
    for m in &plan.members {
        loader.file(m, "metadata");
    }
    App {
        kind: plan.kind,
        name,
        root: plan.root.clone(),
        files: loader.files,
        analysis,
        virtual_root,
    }
}

/// A Terraform module's files read as one configuration, named as the CLI names them (by
/// file name: they share a directory). The error that stops it is recorded on the file it
/// names.
fn terraform_module(
    plan: &Plan,
    set: &FileSet<'_>,
    loader: &mut load::Loader<'_, '_>,
) -> Option<Analysis> {
    let mut texts: Vec<(&str, &str)> = Vec::with_capacity(plan.members.len());
    for m in &plan.members {
        let file = loader.file(m, "template")?;
        match crate::parse::decode(set.get(m).unwrap_or_default()) {
            Ok(t) => texts.push((paths::file_name(m), t)),
            Err(e) => {
                let e = ParseError::at(
                    format!("{}: {}", paths::file_name(m), e.message),
                    e.line,
                    e.column,
                );
                if let Some(f) = loader.files.get_mut(usize::from(file)) {
                    f.error = Some(e);
                }
                return None;
            }
        }
    }
    let sources: Vec<crate::model::terraform::Source<'_>> = texts
        .iter()
        .map(|&(name, text)| crate::model::terraform::Source { name, text })
        .collect();
    match crate::analyze_module(&sources, &loader.limits) {
        Ok(a) => {
            for f in &mut loader.files {
                f.format = Some(crate::parse::Format::Terraform);
                f.instances = 1;
            }
            Some(a)
        }
        Err(e) => {
            let at = texts
                .iter()
                .position(|(name, _)| e.message.starts_with(&format!("{name}: ")))
                .unwrap_or(0);
            if let Some(f) = loader.files.get_mut(at) {
                f.error = Some(e);
            }
            None
        }
    }
}

impl App {
    fn stacks(&self) -> &[Stack] {
        self.analysis
            .as_ref()
            .map_or(&[], |a| a.template.stacks.as_slice())
    }

    /// The path of file `i`.
    fn path(&self, i: u16) -> Option<&str> {
        self.files.get(usize::from(i)).map(|f| f.path.as_str())
    }

    /// The id prefix to drop in file `i`'s own report: the prefix of the one stack it is the
    /// template of (`""` for the root and included files). A file deployed as several
    /// stacks keeps the app's ids, which tell the copies apart.
    fn local_prefix(&self, i: u16) -> Option<&str> {
        let mut of_file = self.stacks().iter().filter(|s| s.file == i);
        match (of_file.next(), of_file.next()) {
            (Some(s), None) => Some(s.prefix.as_str()),
            (None, _) => Some(""),
            _ => None,
        }
    }

    /// One report per template file, in the order the app read them: each with the nodes
    /// declared in it, the edges between those, and the findings and warnings at its lines,
    /// under the ids the file itself uses. A file that cannot be read reports its error.
    pub fn reports(&self) -> Vec<FileReport> {
        let mut out = Vec::new();
        let full = self.analysis.as_ref().map(|a| (a, a.to_report(&self.root)));
        for (i, f) in self.files.iter().enumerate() {
            let Ok(i) = u16::try_from(i) else { break };
            if let Some(e) = &f.error {
                out.push(FileReport::failed(&f.path, e.clone()));
                continue;
            }
            if !matches!(f.role, "template" | "include") {
                continue;
            }
            let Some((a, full)) = &full else { continue };
            if self.kind == AppKind::Single {
                let mut r = full.clone();
                r.path.clone_from(&f.path);
                out.push(r);
                continue;
            }
            out.push(self.file_report(a, full, i, f));
        }
        out
    }

    fn file_report(&self, a: &Analysis, full: &FileReport, i: u16, f: &AppFile) -> FileReport {
        let in_file = |id: &str| a.graph.node(id).is_some_and(|n| n.span.file() == i);
        let prefix = self.local_prefix(i);
        let local = |id: &mut String| {
            if let Some(rest) = prefix
                .filter(|p| !p.is_empty())
                .and_then(|p| id.strip_prefix(p))
            {
                *id = rest.to_owned();
            }
        };
        let mut nodes: Vec<_> = full
            .nodes
            .iter()
            .filter(|n| in_file(&n.id))
            .cloned()
            .collect();
        for n in &mut nodes {
            local(&mut n.id);
            if let Some(g) = &mut n.group {
                local(g);
            }
            for fact in &mut n.facts {
                if let Some(id) = &mut fact.id {
                    local(id);
                }
            }
            for p in &mut n.permissions {
                p.resources.iter_mut().for_each(&local);
            }
        }
        let mut edges: Vec<_> = full
            .edges
            .iter()
            .filter(|e| in_file(&e.from) && in_file(&e.to))
            .cloned()
            .collect();
        for e in &mut edges {
            local(&mut e.from);
            local(&mut e.to);
            if let Some(v) = &mut e.via {
                local(v);
            }
            if let Some(r) = &mut e.route {
                local(&mut r.resource);
            }
        }
        let mut findings: Vec<_> = a
            .findings
            .iter()
            .zip(&full.findings)
            .filter(|(raw, _)| raw.span.file() == i)
            .map(|(_, out)| out.clone())
            .collect();
        for x in &mut findings {
            if let Some(r) = &mut x.resource {
                local(r);
            }
            x.related.iter_mut().for_each(&local);
            if let Some(e) = &mut x.edge {
                local(&mut e.from);
                local(&mut e.to);
            }
        }
        let warnings = a
            .template
            .diagnostics
            .iter()
            .zip(&full.warnings)
            .filter(|(d, _)| d.file == i)
            .map(|(_, w)| w.clone())
            .collect();
        FileReport {
            path: f.path.clone(),
            format: f.format,
            error: None,
            nodes,
            edges,
            findings,
            warnings,
        }
    }

    /// The name of the stack a node is shown in, as a group: the nested stack holding it
    /// (or, for a nested stack's own resource, the stack it deploys); `None` in the root.
    fn group_of(&self, id: &str) -> Option<&str> {
        let stacks = self.stacks();
        if let Some(s) = stacks.iter().find(|s| s.node.as_deref() == Some(id)) {
            return Some(&s.name);
        }
        stack_of(&self.analysis.as_ref()?.template, id)
            .filter(|s| !s.prefix.is_empty())
            .map(|s| s.name.as_str())
    }

    /// The whole app as one graph, in the app's ids (`None` for a file on its own).
    pub fn view(&self) -> Option<AppOut> {
        if self.kind == AppKind::Single {
            return None;
        }
        let a = self.analysis.as_ref()?;
        let full = a.to_report(&self.root);
        let stacks = self.stacks();
        let stack_name = |id: &str| {
            stack_of(&a.template, id)
                .filter(|s| !(self.virtual_root && s.prefix.is_empty()))
                .map(|s| s.name.clone())
        };
        let nodes = full
            .nodes
            .into_iter()
            .map(|mut n| {
                let file = a.graph.node(&n.id).map(|g| g.span.file());
                n.file = file.and_then(|i| self.path(i)).map(str::to_owned);
                n.stack = stack_name(&n.id);
                if let Some(g) = self.group_of(&n.id) {
                    n.group = Some(g.to_owned());
                }
                n
            })
            .collect();
        let findings = a
            .findings
            .iter()
            .zip(full.findings)
            .map(|(raw, mut f)| {
                f.file = self.path(raw.span.file()).map(str::to_owned);
                f
            })
            .collect();
        Some(AppOut {
            name: self.name.clone(),
            kind: self.kind.as_str().to_owned(),
            root: self.root.clone(),
            files: self
                .files
                .iter()
                .map(|f| AppFileOut {
                    path: f.path.clone(),
                    role: f.role.to_owned(),
                    format: f.format,
                })
                .collect(),
            stacks: stacks
                .iter()
                .filter(|s| !(self.virtual_root && s.prefix.is_empty()))
                .map(|s| StackOut {
                    name: s.name.clone(),
                    file: self.path(s.file).unwrap_or_default().to_owned(),
                    prefix: s.prefix.clone(),
                    node: s.node.clone(),
                    parent: s
                        .parent
                        .and_then(|p| stacks.get(p))
                        .filter(|p| !(self.virtual_root && p.prefix.is_empty()))
                        .map(|p| p.name.clone()),
                })
                .collect(),
            nodes,
            edges: full.edges,
            findings,
        })
    }

    /// The app's graph as one report (app ids, nested stacks as groups): what the diagram
    /// draws. For a file on its own, its report.
    pub fn diagram_report(&self) -> Option<FileReport> {
        let a = self.analysis.as_ref()?;
        Some(match self.view() {
            Some(v) => v.as_report(),
            None => a.to_report(&self.root),
        })
    }

    /// The app's diagram, nested stacks boxed.
    pub fn scene(&self) -> Option<crate::diagram::Scene> {
        use crate::diagram::{layered::Layered, owners, Layout, LayoutInput};
        let a = self.analysis.as_ref()?;
        let r = self.diagram_report()?;
        let input = LayoutInput::for_report(a, &r, &owners(&r, Some(a)));
        Some(Layered::default().layout(&input))
    }

    /// The error that stopped the app's root from being read (for a Terraform module, any
    /// of its files: each is part of the one configuration).
    pub fn root_error(&self) -> Option<&ParseError> {
        if self.kind == AppKind::Terraform {
            return self.files.iter().find_map(|f| f.error.as_ref());
        }
        self.files.first().and_then(|f| f.error.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_files_of_a_dropped_folder() {
        for yes in [
            "app/template.yaml",
            "cdk.out/manifest.json",
            "serverless.yml",
            "a/b.template",
            "infra/main.tf",
            "infra/extra.tf.json",
        ] {
            assert!(wanted(yes), "{yes}");
        }
        for no in [
            "app/node_modules/x/template.yaml",
            "cdk.out/asset.1234abcd/lib/config.json",
            "__MACOSX/app/._template.yaml",
            "app/.aws-sam/build/template.yaml",
            "app/.github/workflows/ci.yml",
            "app/handler.py",
            "README.md",
            "infra/.terraform/modules/modules.json",
        ] {
            assert!(!wanted(no), "{no}");
        }
    }

    /// A folder's Terraform files are one module: one app, `main.tf` first, nodes and
    /// findings in the file that declares them, references across files resolved.
    #[test]
    fn a_folder_of_terraform_files_is_one_module() {
        let lambda = "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  role          = aws_iam_role.r.arn\n  handler       = \"index.handler\"\n  runtime       = \"nodejs20.x\"\n  environment {\n    variables = {\n      TABLE = aws_dynamodb_table.t.name\n      DB_PASSWORD = \"SuperSecret123\"\n    }\n  }\n}\n";
        let role = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"lambda.amazonaws.com\"}}]})\n}\nresource \"aws_dynamodb_table\" \"t\" {\n  name     = \"t\"\n  hash_key = \"id\"\n}\n";
        let files = [
            ("infra/iam.tf", role),
            ("infra/main.tf", lambda),
            (
                "infra/README.yaml",
                "Resources:\n  Q: {Type: AWS::SQS::Queue}\n",
            ),
        ];
        let set: FileSet<'_> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
        let plans = plan(&set);
        let tf = plans
            .iter()
            .find(|p| p.kind == AppKind::Terraform)
            .expect("a Terraform app");
        assert_eq!(tf.members, vec!["infra/main.tf", "infra/iam.tf"]);
        assert_eq!(
            plans.len(),
            2,
            "the YAML file is an app of its own: {plans:?}"
        );
        let app = analyze(tf, &set);
        assert!(app.root_error().is_none(), "{:?}", app.root_error());
        let view = app.view().expect("an app view");
        assert_eq!(view.kind, "terraform");
        let file_of = |id: &str| {
            view.nodes
                .iter()
                .find(|n| n.id == id)
                .and_then(|n| n.file.clone())
        };
        assert_eq!(
            file_of("aws_lambda_function.f").as_deref(),
            Some("infra/main.tf")
        );
        assert_eq!(
            file_of("aws_dynamodb_table.t").as_deref(),
            Some("infra/iam.tf")
        );
        assert!(
            view.edges
                .iter()
                .any(|e| e.from == "aws_lambda_function.f" && e.to == "aws_dynamodb_table.t"),
            "the function's table, declared in the other file: {:?}",
            view.edges
        );
        let secret = view
            .findings
            .iter()
            .find(|f| f.rule == "AUTH008")
            .expect("the literal secret");
        assert_eq!(secret.file.as_deref(), Some("infra/main.tf"));
        let reports = app.reports();
        assert_eq!(reports.len(), 2);
        assert!(reports[0].findings.iter().any(|f| f.rule == "AUTH008"));
        assert!(reports[1].findings.iter().all(|f| f.rule != "AUTH008"));

        // a broken file stops the module, and the error names it
        let broken = [
            ("infra/main.tf", lambda),
            (
                "infra/iam.tf",
                "resource \"aws_iam_role\" \"r\" {\n  name = \n",
            ),
        ];
        let set: FileSet<'_> = broken.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
        let app = analyze(&plan(&set)[0], &set);
        let e = app.root_error().expect("an error");
        assert!(e.message.starts_with("iam.tf: "), "{}", e.message);
        assert_eq!(e.line, 2, "{e:?}");
    }
}
