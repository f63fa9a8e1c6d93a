//! Reading an app's files into one stitched [`Template`]: a template with its nested stacks
//! (recursively) and includes, or every stack of a CDK cloud assembly.

use crate::model::cdk::{construct_path, manifest};
use crate::model::serverless::includes;
use crate::model::stacks::{self, Deploy};
use crate::model::Template;
use crate::parse::{self, Format, Limits, ParseError};
use crate::span::Span;
use crate::value::Value;

use super::paths::{dir_of, join};
use super::plan::{stack_location, FileSet};

/// Most files one app reads (see [`crate::span::MAX_FILES`]).
pub const MAX_FILES: usize = crate::span::MAX_FILES - 1;
/// Deepest chain of nested stacks (CloudFormation allows 5 levels; generated apps go deeper).
const MAX_NESTING: usize = 16;
/// Most stacks one app reads: a template deploying another many times, each deploying more,
/// must not multiply without end (CloudFormation's own quota is 2,000 stacks per account).
pub const MAX_STACKS: usize = 1000;

/// One file of an app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppFile {
    pub path: String,
    /// `template`, `include`, `manifest`, `tree`, `metadata`.
    pub role: &'static str,
    pub format: Option<Format>,
    /// Why it could not be read.
    pub error: Option<ParseError>,
    /// How many stacks it is the template of (a nested template may be deployed twice).
    pub instances: u32,
}

/// Reads files of a set into templates, recording every file it reads.
pub(crate) struct Loader<'s, 'a> {
    pub set: &'s FileSet<'a>,
    pub limits: Limits,
    pub files: Vec<AppFile>,
    /// Stack templates read so far.
    stacks: usize,
}

impl<'s, 'a> Loader<'s, 'a> {
    pub fn new(set: &'s FileSet<'a>) -> Self {
        Loader {
            set,
            limits: Limits::default(),
            files: Vec::new(),
            stacks: 0,
        }
    }

    /// The index of a file in the app (added when new); `None` past [`MAX_FILES`].
    pub fn file(&mut self, path: &str, role: &'static str) -> Option<u16> {
        if let Some(i) = self.files.iter().position(|f| f.path == path) {
            return u16::try_from(i).ok();
        }
        if self.files.len() >= MAX_FILES {
            return None;
        }
        self.files.push(AppFile {
            path: path.to_owned(),
            role,
            format: None,
            error: None,
            instances: 0,
        });
        u16::try_from(self.files.len() - 1).ok()
    }

    fn fail(&mut self, file: u16, e: &ParseError) {
        if let Some(f) = self.files.get_mut(usize::from(file)) {
            f.error.get_or_insert_with(|| e.clone());
        }
    }

    /// Decode and load a file of the set, its positions marked with its index.
    pub fn load(&mut self, path: &str, file: u16) -> Result<Value, ParseError> {
        let bytes = self
            .set
            .get(path)
            .ok_or_else(|| ParseError::at(format!("{path} is not among the files read"), 0, 0))?;
        let read = parse::decode(bytes).and_then(|text| parse::load(text, &self.limits));
        match read {
            Ok(mut v) => {
                v.set_file(file);
                Ok(v)
            }
            Err(e) => {
                self.fail(file, &e);
                Err(e)
            }
        }
    }

    /// A template and everything it names: its includes (Serverless), then its nested
    /// stacks, each read the same way and nested in it. `name` names its stack.
    pub fn template(
        &mut self,
        path: &str,
        file: u16,
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<Template, ParseError> {
        if self.stacks >= MAX_STACKS {
            return Err(ParseError::at(
                format!("the app deploys more than {MAX_STACKS} stacks; the rest are not read"),
                0,
                0,
            ));
        }
        self.stacks += 1;
        let result = self.template_inner(path, file, name, chain);
        if let Err(e) = &result {
            self.fail(file, e);
        }
        result
    }

    fn template_inner(
        &mut self,
        path: &str,
        file: u16,
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<Template, ParseError> {
        let mut root = self.load(path, file)?;
        let format = parse::detect(&root)?;
        if let Some(f) = self.files.get_mut(usize::from(file)) {
            f.format = Some(format);
        }
        let mut diags = Vec::new();
        if format == Format::Serverless {
            diags = includes::include_files(&mut root, path, &mut |from, rel| {
                let p = join(dir_of(from), rel);
                if !self.set.contains(&p) {
                    return Err(format!("{p} is not among the files read"));
                }
                let i = self
                    .file(&p, "include")
                    .ok_or_else(|| format!("the app has more than {MAX_FILES} files"))?;
                if let Some(f) = self.files.get_mut(usize::from(i)) {
                    f.format = Some(Format::Serverless);
                }
                let v = self.load(&p, i).map_err(|e| {
                    format!(
                        "{p} cannot be read: {} (line {}, column {})",
                        e.message, e.line, e.column
                    )
                })?;
                Ok((p, v))
            });
        }
        let mut t = Template::build(root, format)?;
        for (m, span) in diags {
            t.warn(m, span);
        }
        // The nested stacks of this template, as written (SAM applications are stacks now).
        let nested: Vec<(String, Option<String>, String, Span)> = t
            .resources
            .iter()
            .filter(|r| r.type_ == "AWS::CloudFormation::Stack")
            .filter_map(|r| {
                let as_written = t.root.get("Resources").and_then(|res| res.get(&r.id))?;
                let loc = stack_location(as_written)?;
                Some((
                    r.id.clone(),
                    construct_path(r),
                    loc.as_str()?.trim().to_owned(),
                    loc.span,
                ))
            })
            .collect();
        chain.push(path.to_owned());
        for (id, cdk_name, location, span) in nested {
            let child = join(dir_of(path), &location);
            if chain.contains(&child) {
                t.warn(
                    format!("nested stack `{id}` deploys {child}, which contains this template: it is not read again"),
                    span,
                );
                continue;
            }
            if chain.len() > MAX_NESTING {
                t.warn(
                    format!("nested stack `{id}` is more than {MAX_NESTING} stacks deep; its template {child} is not read"),
                    span,
                );
                continue;
            }
            if !self.set.contains(&child) {
                t.warn(
                    format!("the template of nested stack `{id}` ({location}) is not among the files read ({child}); its resources are not in the graph"),
                    span,
                );
                continue;
            }
            let Some(ci) = self.file(&child, "template") else {
                t.warn(
                    format!("the app has more than {MAX_FILES} files; the template of nested stack `{id}` is not read"),
                    span,
                );
                continue;
            };
            let stack_name = cdk_name.unwrap_or_else(|| id.clone());
            match self.template(&child, ci, &stack_name, chain) {
                Ok(c) => {
                    if let Some(f) = self.files.get_mut(usize::from(ci)) {
                        f.instances += 1;
                    }
                    stacks::make_root(&mut t, name.to_owned(), file, None);
                    stacks::nest(
                        &mut t,
                        c,
                        Deploy {
                            via: Some(id.clone()),
                            prefix: format!("{id}/"),
                            name: stack_name,
                            file: ci,
                            stack_name: None,
                        },
                    );
                }
                Err(e) => t.warn(
                    format!(
                        "the template of nested stack `{id}` ({child}) cannot be read: {} (line {}, column {}); its resources are not in the graph",
                        e.message, e.line, e.column
                    ),
                    span,
                ),
            }
        }
        chain.pop();
        Ok(t)
    }

    /// Every stack of a CDK cloud assembly (the manifest at `path`) as one template: a lone
    /// stack is the root itself; several become siblings under `<artifact id>/`. The stack
    /// templates come first among the app's files (file 0 holds what concerns the whole
    /// template, such as a missing CloudTrail trail), the manifest and the other files after.
    pub fn cloud_assembly(&mut self, path: &str) -> Result<(Template, bool), ParseError> {
        let bytes = self.set.get(path).unwrap_or_default();
        let read = parse::decode(bytes)
            .and_then(|text| parse::load(text, &self.limits))
            .and_then(|root| manifest::read(&root));
        let m = match read {
            Ok(m) => m,
            Err(e) => {
                let mi = self.file(path, "manifest").unwrap_or(0);
                self.fail(mi, &e);
                return Err(e);
            }
        };
        let dir = dir_of(path);
        let templates: Vec<Option<u16>> = m
            .stacks
            .iter()
            .map(|s| self.file(&join(dir, &s.template), "template"))
            .collect();
        self.file(path, "manifest");
        for (f, role) in &m.files {
            let p = join(dir, f);
            if self.set.contains(&p) {
                self.file(&p, role);
            }
        }
        let mut loaded = Vec::new();
        for (s, i) in m.stacks.iter().zip(templates) {
            let p = join(dir, &s.template);
            let Some(i) = i else {
                break;
            };
            if !self.set.contains(&p) {
                let e = ParseError::at(
                    format!(
                        "{} lists this file as the template of stack `{}`, but it is not among the files read",
                        path, s.id
                    ),
                    0,
                    0,
                );
                self.fail(i, &e);
                continue;
            }
            if let Ok(t) = self.template(&p, i, &s.display_name, &mut vec![path.to_owned()]) {
                if let Some(f) = self.files.get_mut(usize::from(i)) {
                    f.instances += 1;
                }
                loaded.push((s, i, t));
            }
        }
        if loaded.len() == 1 {
            if let Some((s, i, mut t)) = loaded.pop() {
                stacks::make_root(
                    &mut t,
                    s.display_name.clone(),
                    i,
                    Some(s.stack_name.clone()),
                );
                stacks::link_outputs(&mut t);
                return Ok((t, false));
            }
        }
        let mut app = stacks::empty(Format::CloudFormation);
        let name = if dir.is_empty() { "cdk.out" } else { dir };
        stacks::make_root(&mut app, name.to_owned(), 0, None);
        for (s, i, t) in loaded {
            stacks::nest(
                &mut app,
                t,
                Deploy {
                    via: None,
                    prefix: format!("{}/", s.id),
                    name: s.display_name.clone(),
                    file: i,
                    stack_name: Some(s.stack_name.clone()),
                },
            );
        }
        stacks::link_outputs(&mut app);
        Ok((app, true))
    }
}
