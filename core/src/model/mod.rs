//! The template model: a CloudFormation-shaped view of any supported input.
//!
//! # One folder per input language, one model
//! Each input language has a front-end folder that turns its source into the one
//! CloudFormation-shaped [`Template`], with positions into that source:
//! - [`cfn`]: plain CloudFormation (`Parameters`, `Conditions`, `Outputs`, `Resources`, read as
//!   written); SAM templates are read this way first.
//! - [`sam`]: the SAM transform (ids, roles, policy templates, events, APIs, Globals,
//!   connectors), replacing each `AWS::Serverless::*` resource by what the translator
//!   generates. Its module docs describe the **route representation**: routes live in the API's
//!   OpenAPI `Body`.
//! - [`serverless`]: the Serverless Framework (variables, functions keyed by their name under
//!   `functions:`, roles, events, `provider` settings, `resources:`), into the same shapes as
//!   SAM.
//! - [`terraform`]: Terraform (HCL, `.tf.json`, `terraform show -json` plans): addresses as
//!   logical IDs, the provider's resources as their CloudFormation types, split resources
//!   folded into their owners; a module of several files is one template.
//!
//! Generated resources keep the logical IDs the real tool uses, record where they came from
//! ([`Origin::Generated`], [`Resource::source_type`]) and point at the source that produced
//! them. Everything after this stage (graph, rules) speaks CloudFormation only: it never learns
//! which language a resource came from, except through the names and the `source_type` the
//! front-end attaches (which rules use for remediation text).
//!
//! Shared by the front-ends:
//! - [`openapi`]: the one reader of routes and their effective authorization, for SAM,
//!   Serverless and hand-written `Body`/`DefinitionBody` alike.
//! - [`resolve`]: `Ref`/`GetAtt`/`Sub`/`Join`/`Select`/`Split`/`FindInMap`/`If` resolution at
//!   default parameter values, conditions, both branches of every `Fn::If` ([`resolve::branches`],
//!   [`resolve::variants`]), dynamic references, `ImportValue` as an explicit unknown.
//! - [`mk`]: builders and tree edits used by the expansions.
//! - [`cdk`]: what CDK adds to the CloudFormation it writes (construct paths, cdk-nag
//!   suppressions).
//! - [`stacks`]: several templates as one (nested stacks, the stacks of a CDK app), each
//!   resource keeping the position in its own file ([`Span::file`]).
//! - the types here: [`Template`], [`Resource`], [`Parameter`], [`Diagnostic`].
//!
//! # Adding a front-end
//! Add a folder `model/<language>/` whose entry point fills a [`Template`] (its `resources`,
//! `parameters`, `conditions`, `outputs`, `aliases`, diagnostics through [`Template::warn`]),
//! building values with [`mk`] and reading declared resources with [`resource_from`]; give it a
//! [`Format`] and one arm in [`Template::build`]. Graph and rules need no change when the
//! front-end emits the CloudFormation types and shapes they already read (routes in an OpenAPI
//! `Body`, roles as `AWS::IAM::Role`, …).
//!
//! Reading never panics on user input: a wrong shape is a [`ParseError`] with a position (when
//! the template cannot be read at all) or a [`Diagnostic`] (when the rest still makes sense).
//! Rain directives (`!Rain::Embed`, `!Rain::S3`) are kept and reported; a resource whose `Type` is
//! a Rain module is an error (the template must be packaged with `rain pkg` first).

pub mod cdk;
pub mod cfn;
pub mod mk;
pub mod openapi;
pub mod resolve;
pub mod sam;
pub mod serverless;

/// What every refusal of a build that leaves an optional reader out says (Terraform,
/// Serverless): the web app's first bundle, built without them, moves to its full app on it.
const READER_LEFT_OUT: &str = "this build of pillarlint leaves its";

/// The error a build without the reader of `what` gives for it.
pub(crate) fn reader_left_out(what: &str, reader: &str, instead: &str) -> ParseError {
    ParseError::at(
        format!("this is {what}, and {READER_LEFT_OUT} {reader} reader out: use the CLI, the JS API or {instead}"),
        1,
        1,
    )
}

/// Does this error say the input needs a reader this build leaves out?
pub fn needs_other_build(message: &str) -> bool {
    message.contains(READER_LEFT_OUT)
}
pub mod stacks;
pub mod terraform;

pub use cfn::resource_from;

use std::collections::HashMap;

use serde::Serialize;

use crate::parse::{Format, ParseError};
use crate::span::Span;
use crate::value::Value;

/// A template parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub span: Span,
    pub type_: String,
    pub default: Option<Value>,
    pub no_echo: bool,
    pub allowed_values: Vec<String>,
}

impl Parameter {
    /// A parameter as declared under `Parameters` (CloudFormation, or a Serverless file's
    /// `resources.Parameters`).
    pub fn declared(k: &crate::value::Key, v: &Value) -> Parameter {
        Parameter {
            name: k.name.clone(),
            span: k.span,
            type_: v
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or("String")
                .to_owned(),
            default: v.get("Default").cloned(),
            no_echo: v.get("NoEcho").and_then(Value::as_bool).unwrap_or(false),
            allowed_values: v
                .get("AllowedValues")
                .map(|a| {
                    a.items()
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// Where a resource comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// Written in the template (CloudFormation, SAM, or `resources.Resources` of a
    /// Serverless file).
    Declared,
    /// Generated by the SAM transform or the Serverless Framework from `by`.
    Generated { by: String },
}

/// One CloudFormation resource (declared, or generated by a transform).
#[derive(Debug, Clone)]
pub struct Resource {
    /// Logical ID.
    pub id: String,
    /// CloudFormation type, e.g. `AWS::Lambda::Function`.
    pub type_: String,
    /// Position of the logical ID (for generated resources: of the source that made it).
    pub span: Span,
    /// The `Properties` map (a null value when absent).
    pub properties: Value,
    pub metadata: Option<Value>,
    /// The resource's `Condition`, if any.
    pub condition: Option<String>,
    pub depends_on: Vec<String>,
    pub origin: Origin,
    /// For SAM resources: the original `AWS::Serverless::*` type they were expanded from; for
    /// Serverless Framework functions: `serverless:function`.
    pub source_type: Option<String>,
}

impl Resource {
    pub fn prop(&self, key: &str) -> Option<&Value> {
        self.properties.get(key)
    }

    pub fn prop_path(&self, keys: &[&str]) -> Option<&Value> {
        self.properties.get_path(keys)
    }

    /// The best position for a finding about property `keys`: the property if present,
    /// else the resource.
    pub fn span_of(&self, keys: &[&str]) -> Span {
        self.prop_path(keys).map_or(self.span, |v| v.span)
    }

    pub fn is_generated(&self) -> bool {
        matches!(self.origin, Origin::Generated { .. })
    }
}

/// A non-fatal problem found while reading (unknown shapes, unresolved variables).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// The file of an app it is about (see [`Span::file`]).
    #[serde(skip)]
    pub file: u16,
}

/// A template, read and expanded.
#[derive(Debug, Clone)]
pub struct Template {
    pub format: Format,
    pub root: Value,
    pub parameters: Vec<Parameter>,
    pub resources: Vec<Resource>,
    pub conditions: Vec<(String, Value)>,
    /// `Outputs` (for Serverless: `resources.Outputs`), by name.
    pub outputs: Vec<(String, Value)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Other logical IDs a resource is known by (alias → id): the Serverless Framework's
    /// `<Normalized>LambdaFunction` for a function whose node id is its key under `functions:`.
    pub aliases: HashMap<String, String>,
    /// The names of the files a template of several files was read from (a Terraform
    /// module), by [`Span::file`]; empty for a single file.
    pub files: Vec<String>,
    /// The stacks of an app made of several templates (see [`stacks`]); empty for a
    /// single template.
    pub stacks: Vec<stacks::Stack>,
    index: HashMap<String, usize>,
}

impl Template {
    /// Build the model from a loaded document of a known format.
    pub fn build(root: Value, format: Format) -> Result<Template, ParseError> {
        let mut t = Template::empty(format, root);
        match format {
            Format::CloudFormation => {
                t.read_cloudformation()?;
                if let Some(r) = t
                    .resources
                    .iter()
                    .find(|r| r.type_.starts_with("AWS::Serverless::"))
                {
                    let span = r.span;
                    t.warn(
                        "this template uses AWS::Serverless::* resources but has no `Transform: AWS::Serverless-2016-10-31`; CloudFormation rejects it as written. pillarlint expands it as SAM",
                        span,
                    );
                    sam::expand(&mut t)?;
                }
            }
            Format::Sam => {
                t.read_cloudformation()?;
                sam::expand(&mut t)?;
            }
            #[cfg(feature = "serverless")]
            Format::Serverless => serverless::expand(&mut t)?,
            #[cfg(not(feature = "serverless"))]
            Format::Serverless => return Err(serverless::not_in_this_build()),
            #[cfg(feature = "terraform")]
            Format::Terraform => {
                // `.tf.json` read by the template loader; HCL text never gets here (see
                // [`terraform::looks_like_hcl`])
                let limits = crate::parse::Limits::default();
                let file = terraform::json::file(&t.root, &limits)?;
                t = terraform::read_files(vec![file], &[""], &limits);
            }
            #[cfg(feature = "terraform")]
            Format::TerraformPlan => t = terraform::plan::read(t.root),
            #[cfg(not(feature = "terraform"))]
            Format::Terraform | Format::TerraformPlan => return Err(terraform::not_in_this_build()),
        }
        t.reindex();
        t.note_rain_directives();
        Ok(t)
    }

    /// A template with nothing in it yet.
    pub fn empty(format: Format, root: Value) -> Template {
        Template {
            format,
            root,
            parameters: Vec::new(),
            resources: Vec::new(),
            conditions: Vec::new(),
            outputs: Vec::new(),
            diagnostics: Vec::new(),
            aliases: HashMap::new(),
            files: Vec::new(),
            stacks: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Findings in the input's words: a front-end whose language is not CloudFormation
    /// rewrites the rules' remediations (see [`terraform::speak`]).
    pub fn present(&self, findings: &mut [crate::rules::Finding]) {
        #[cfg(feature = "terraform")]
        if matches!(self.format, Format::Terraform | Format::TerraformPlan) {
            terraform::speak::present(self, findings);
        }
        #[cfg(not(feature = "terraform"))]
        let _ = findings;
    }

    /// Rain directives other than modules (`Rain::Embed`, `Rain::S3`) stand for content Rain
    /// fills in at packaging time: the template reads, and each one is reported.
    fn note_rain_directives(&mut self) {
        fn visit(v: &Value, found: &mut Vec<(String, Span)>) {
            match &v.node {
                crate::value::Node::Map(entries) => {
                    if let [(k, _)] = entries.as_slice() {
                        if k.name.starts_with("Rain::") {
                            found.push((k.name.clone(), k.span));
                        }
                    }
                    entries.iter().for_each(|(_, x)| visit(x, found));
                }
                crate::value::Node::Seq(items) => items.iter().for_each(|x| visit(x, found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        visit(&self.root, &mut found);
        for (name, span) in found {
            self.warn(
                format!("`{name}` is a Rain directive; its content is filled in by `rain pkg` and was not read"),
                span,
            );
        }
    }

    /// Rebuild the id → resource index after resources were added or replaced.
    pub fn reindex(&mut self) {
        self.index = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
    }

    /// The resource with this logical ID (or one of its aliases).
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        let i = self
            .index
            .get(id)
            .or_else(|| self.aliases.get(id).and_then(|a| self.index.get(a)))?;
        self.resources.get(*i)
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    pub fn resources_of<'a>(&'a self, type_: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.type_ == type_)
    }

    /// Record a diagnostic (the same message at the same place is kept once).
    pub fn warn(&mut self, message: impl Into<String>, span: Span) {
        let d = Diagnostic {
            message: message.into(),
            line: span.start.line,
            column: span.start.column,
            file: span.file(),
        };
        if !self.diagnostics.contains(&d) {
            self.diagnostics.push(d);
        }
    }
}
