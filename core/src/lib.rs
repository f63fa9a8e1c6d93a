//! pillarlint's analysis core: parse → model → graph → rules → report.
//!
//! Pure Rust with no I/O and no web dependencies: the CLI, the web app and the
//! JavaScript bindings all call [`analyze_text`] / [`analyze_bytes`] and render the result.

pub mod app;
pub mod diagram;
pub mod example;
pub mod graph;
pub mod iam;
pub mod model;
pub mod parse;
pub mod permalink;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod smap;
pub mod sort;
pub mod span;
pub mod value;

use graph::Graph;
use model::Template;
use parse::{Format, Limits, ParseError};
use report::{EdgeOut, FileReport, FindingOut, NodeOut};
use rules::{Finding, Pillar, PillarSet};

/// Everything known about one template after analysis.
#[derive(Debug)]
pub struct Analysis {
    pub template: Template,
    pub graph: Graph,
    pub findings: Vec<Finding>,
}

impl Analysis {
    pub fn format(&self) -> Format {
        self.template.format
    }

    /// The name of the file a position is in, for a template read from several files.
    fn file_of(&self, span: span::Span) -> Option<String> {
        self.template.files.get(usize::from(span.file())).cloned()
    }

    /// The report for this file, in the JSON contract's shape.
    pub fn to_report(&self, path: &str) -> FileReport {
        let pillars_of = |pred: &dyn Fn(&Finding) -> bool| -> Vec<Pillar> {
            let set: PillarSet = self
                .findings
                .iter()
                .filter(|f| f.suppressed.is_none() && pred(f))
                .map(|f| f.pillar)
                .collect();
            set.iter().copied().collect()
        };
        let paths = model::cdk::ConstructPaths::of(&self.template);
        let mut nodes: Vec<NodeOut> = self
            .graph
            .nodes()
            .map(|n| NodeOut {
                id: n.id.clone(),
                kind: n.kind.as_str().to_owned(),
                label: n.label.clone(),
                line: n.span.start.line,
                column: n.span.start.column,
                type_: n.type_.clone(),
                facts: n.facts.clone(),
                group: n.group.clone(),
                pillars: pillars_of(&|f| {
                    f.edge.is_none()
                        && (f.resource.as_deref() == Some(&n.id)
                            || f.resource
                                .as_deref()
                                .is_some_and(|r| self.graph.attached_to(r).contains(&n.id)))
                }),
                unknown: n.unknown,
                construct_path: paths.get(&n.id).map(str::to_owned),
                file: self.file_of(n.span),
                stack: None,
                permissions: self.graph.permissions_of(&n.id),
            })
            .collect();
        crate::sort::sort_by(&mut nodes, |a, b| (a.line, &a.id).cmp(&(b.line, &b.id)));
        let mut edges: Vec<EdgeOut> = self
            .graph
            .edges()
            .map(|e| EdgeOut {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind.as_str().to_owned(),
                label: e.label.clone(),
                line: e.span.start.line,
                access: e.access,
                wildcard: e.wildcard,
                route: e.route.clone(),
                actions: e.actions.clone(),
                via: e.via.clone(),
                pillars: pillars_of(&|f| {
                    f.edge
                        .as_ref()
                        .is_some_and(|x| x.from == e.from && x.to == e.to)
                }),
                network: e.network,
            })
            .collect();
        crate::sort::sort_by(&mut edges, |a, b| {
            (&a.from, &a.to, &a.kind, &a.label).cmp(&(&b.from, &b.to, &b.kind, &b.label))
        });
        let findings = self
            .findings
            .iter()
            .map(|f| {
                let mut out = finding_out(f);
                out.file = self.file_of(f.span);
                out.construct_path = f
                    .resource
                    .as_deref()
                    .and_then(|r| paths.get(r))
                    .map(str::to_owned);
                out
            })
            .collect();
        FileReport {
            path: path.to_owned(),
            format: Some(self.template.format),
            error: None,
            nodes,
            edges,
            findings,
            warnings: self
                .template
                .diagnostics
                .iter()
                .map(|d| report::ErrorOut {
                    message: match self.template.files.get(usize::from(d.file)) {
                        Some(name) => format!("{name}: {}", d.message),
                        None => d.message.clone(),
                    },
                    line: d.line,
                    column: d.column,
                    file: None,
                })
                .collect(),
        }
    }
}

fn finding_out(f: &Finding) -> FindingOut {
    let edge = f
        .edge
        .as_ref()
        .map(|e| format!("{}>{}", e.from, e.to))
        .unwrap_or_default();
    let key = format!(
        "{}|{}|{}",
        f.rule,
        f.resource.as_deref().unwrap_or(""),
        edge
    );
    FindingOut {
        rule: f.rule.to_owned(),
        pillar: f.pillar,
        severity: f.severity,
        resource: f.resource.clone(),
        related: f.related.clone(),
        edge: f.edge.clone(),
        message: f.message.clone(),
        remediation: f.remediation.clone(),
        line: f.span.start.line,
        column: f.span.start.column,
        end_line: f.span.end.line,
        end_column: f.span.end.column,
        condition: f.condition.clone(),
        suppressed: f.suppressed.clone(),
        fingerprint: format!(
            "{:016x}",
            report::fnv1a(format!("{key}|{}", f.message).as_bytes())
        ),
        construct_path: None,
        file: None,
    }
}

/// Analyse template text with the default limits.
pub fn analyze_text(text: &str) -> Result<Analysis, ParseError> {
    analyze_with(text, &Limits::default())
}

/// Analyse template text.
pub fn analyze_with(text: &str, limits: &Limits) -> Result<Analysis, ParseError> {
    if model::terraform::looks_like_hcl(text) {
        return analyze_module(&[model::terraform::Source { name: "", text }], limits);
    }
    let root = parse::load(text, limits)?;
    let format = parse::detect(&root)?;
    let template = Template::build(root, format)?;
    Ok(analyze_template(template))
}

/// Analyse a Terraform module: its `.tf` and `.tf.json` files, read as one configuration.
/// A file's errors name it; findings and nodes carry their file ([`span::Span::file`], the
/// names in [`Template::files`]).
pub fn analyze_module(
    files: &[model::terraform::Source<'_>],
    limits: &Limits,
) -> Result<Analysis, ParseError> {
    let template = model::terraform::read_module(files, limits)?;
    Ok(analyze_template(template))
}

/// Graph and rules over a read template (one file, or an app's stacks stitched into one).
/// Resources with a CDK construct path are named by it in labels and messages.
pub fn analyze_template(template: Template) -> Analysis {
    let mut graph = Graph::build(&template);
    let mut findings = rules::run(&rules::Context {
        template: &template,
        graph: &graph,
    });
    let paths = model::cdk::ConstructPaths::of(&template);
    paths.label_graph(&mut graph);
    paths.name_findings(&mut findings);
    Analysis {
        template,
        graph,
        findings,
    }
}

/// Analyse raw file bytes (checks UTF-8 and NUL bytes first).
pub fn analyze_bytes(bytes: &[u8]) -> Result<Analysis, ParseError> {
    analyze_text(parse::decode(bytes)?)
}

/// The report for a Terraform module (a directory's `.tf` and `.tf.json` files, by name):
/// an analysis, or the positioned error (naming its file) that stopped it. One file with an
/// empty name is a single `.tf` file whatever its first block.
pub fn report_module(path: &str, files: &[(String, Vec<u8>)]) -> FileReport {
    let mut texts = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        match parse::decode(bytes) {
            Ok(t) => texts.push((name.as_str(), t)),
            Err(e) => {
                let msg = if name.is_empty() {
                    e.message
                } else {
                    format!("{name}: {}", e.message)
                };
                return FileReport::failed(path, ParseError::at(msg, e.line, e.column));
            }
        }
    }
    let sources: Vec<model::terraform::Source<'_>> = texts
        .iter()
        .map(|(name, text)| model::terraform::Source { name, text })
        .collect();
    match analyze_module(&sources, &Limits::default()) {
        Ok(a) => a.to_report(path),
        Err(e) => FileReport::failed(path, e),
    }
}

/// The report for one file's bytes: an analysis, or the positioned error that stopped it.
pub fn report_file(path: &str, bytes: &[u8]) -> FileReport {
    match analyze_bytes(bytes) {
        Ok(a) => a.to_report(path),
        Err(e) => FileReport::failed(path, e),
    }
}

/// Every template of the shared corpus (`../shared/corpus`, or `$PILLARLINT_CORPUS`), sorted.
#[cfg(test)]
pub(crate) fn corpus_files() -> Vec<std::path::PathBuf> {
    let root = std::env::var_os("PILLARLINT_CORPUS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        std::path::PathBuf::from,
    );
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("the corpus is readable") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x != "tsv") {
                out.push(p);
            }
        }
    }
    crate::sort::sort(&mut out);
    out
}
