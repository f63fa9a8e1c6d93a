//! Stacks: one [`Template`] made of several, so the graph and the rules see a whole app.
//!
//! A nested stack (`AWS::CloudFormation::Stack`, SAM's `AWS::Serverless::Application`, CDK's
//! `NestedStack`) and the sibling stacks of a CDK app are separate templates that deploy
//! together. [`nest`] adds a child template's resources to its parent under an id prefix
//! (`Auth/Fn` for resource `Fn` of the stack deployed by `Auth`), and rewrites the child as
//! CloudFormation would run it:
//! - `Ref`s to the child's parameters become the values the parent passes in its
//!   `Parameters` (a parameter the parent does not pass keeps its default, as `Auth/Name`);
//! - every other reference inside the child (`Ref`, `Fn::GetAtt`, `${…}` of `Fn::Sub`,
//!   `Fn::If` and `Condition` names, `Fn::FindInMap` map names, `DependsOn`) gets the prefix;
//! - the child's outputs are kept on its [`Stack`], in the app's ids.
//!
//! Once every stack is in, [`link_outputs`] replaces what reads them — `Fn::GetAtt
//! [Auth, Outputs.X]` (and `${Auth.Outputs.X}`) in the parent, `Fn::ImportValue` of an
//! exported output anywhere — by the output's value, so a route in one stack reaching a
//! table in another is one path of the graph. A value moved into another template keeps
//! the position of the place that reads it (the finding belongs there), its inner parts keep
//! their own.
//!
//! The ids of the root stack are unchanged, so a template without nested stacks is the
//! template it always was.

use crate::parse::Format;
use crate::smap::{StrMap, StrSet};
use crate::span::Span;
use crate::value::{Key, Node, Value};

use super::{mk, Origin, Parameter, Template};

/// One stack of an app.
#[derive(Debug, Clone)]
pub struct Stack {
    /// The prefix of its resources' ids in the app: `""` for the root stack, `Auth/` for
    /// the stack deployed by resource `Auth`, `Auth/Db/` for one nested in that.
    pub prefix: String,
    /// How people name it: the construct path of a CDK stack, the stack name of a
    /// top-level stack, else the id of the resource that deploys it.
    pub name: String,
    /// Its template's file in the app (see [`Span::file`]).
    pub file: u16,
    pub format: Format,
    /// The `AWS::CloudFormation::Stack` resource of the parent that deploys it.
    pub node: Option<String>,
    /// The stack it is nested in (an index into [`Template::stacks`]).
    pub parent: Option<usize>,
    /// Its template's `Metadata` (template-level suppressions apply to its resources).
    pub metadata: Option<Value>,
    /// Its template's `Outputs`, in the app's ids.
    pub outputs: Vec<(String, Value)>,
    /// The name of a top-level stack as deployed (`AWS::StackName`), when known.
    pub stack_name: Option<String>,
}

impl Stack {
    /// Does the app-wide id belong to this stack (or one nested in it)?
    pub fn holds(&self, id: &str) -> bool {
        id.starts_with(&self.prefix)
    }
}

/// The innermost stack of `t` holding `id` (`None` for a single template).
pub fn stack_of<'a>(t: &'a Template, id: &str) -> Option<&'a Stack> {
    t.stacks
        .iter()
        .filter(|s| s.holds(id))
        .max_by_key(|s| s.prefix.len())
}

/// An empty template: the root of an app whose stacks are all siblings (a CDK app).
pub fn empty(format: Format) -> Template {
    Template::empty(format, mk::empty(Span::default()))
}

/// Record `t` as the root stack of an app (once).
pub fn make_root(t: &mut Template, name: String, file: u16, stack_name: Option<String>) {
    if !t.stacks.is_empty() {
        return;
    }
    t.stacks.push(Stack {
        prefix: String::new(),
        name,
        file,
        format: t.format,
        node: None,
        parent: None,
        metadata: t.root.get("Metadata").cloned(),
        outputs: t.outputs.clone(),
        stack_name,
    });
}

/// How a child stack is deployed.
#[derive(Debug, Clone)]
pub struct Deploy {
    /// The parent's `AWS::CloudFormation::Stack` resource (`None`: a sibling top-level stack).
    pub via: Option<String>,
    /// The prefix of the child's ids: `<via>/`, or `<stack name>/` for a sibling.
    pub prefix: String,
    pub name: String,
    pub file: u16,
    pub stack_name: Option<String>,
}

/// Add `child` (its own nested stacks already in) to `parent` as the stack `how` deploys.
pub fn nest(parent: &mut Template, mut child: Template, how: Deploy) {
    make_root(parent, String::new(), 0, None);
    make_root(
        &mut child,
        how.name.clone(),
        how.file,
        how.stack_name.clone(),
    );
    let passed: Vec<(String, Value)> = how
        .via
        .as_deref()
        .and_then(|v| parent.resource(v))
        .and_then(|r| r.prop("Parameters"))
        .and_then(Value::as_map)
        .map(|m| m.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect())
        .unwrap_or_default();
    let mut rn = Rename {
        prefix: &how.prefix,
        resources: StrSet::new(),
        passed: StrMap::new(),
        params: StrSet::new(),
        conditions: StrSet::new(),
        mappings: StrSet::new(),
    };
    for r in &child.resources {
        rn.resources.insert(r.id.clone());
    }
    for a in child.aliases.keys() {
        rn.resources.insert(a.clone());
    }
    for p in &child.parameters {
        rn.params.insert(p.name.clone());
    }
    for (name, v) in passed {
        if rn.params.contains(&name) {
            rn.passed.insert(name, v);
        }
    }
    for (c, _) in &child.conditions {
        rn.conditions.insert(c.clone());
    }
    let child_mappings: Vec<(Key, Value)> = child
        .root
        .get("Mappings")
        .and_then(Value::as_map)
        .map(<[(Key, Value)]>::to_vec)
        .unwrap_or_default();
    for (k, _) in &child_mappings {
        rn.mappings.insert(k.name.clone());
    }

    let parent_stack = how.via.as_deref().and_then(|v| {
        parent
            .stacks
            .iter()
            .enumerate()
            .filter(|(_, s)| s.holds(v))
            .max_by_key(|(_, s)| s.prefix.len())
            .map(|(i, _)| i)
    });
    let offset = parent.stacks.len();
    for (i, mut s) in std::mem::take(&mut child.stacks).into_iter().enumerate() {
        s.prefix = format!("{}{}", how.prefix, s.prefix);
        s.node = match (i, s.node) {
            (0, _) => how.via.clone(),
            (_, n) => n.map(|n| rn.id(&n)),
        };
        s.parent = match (i, s.parent) {
            (0, _) => parent_stack.or(Some(0)),
            (_, p) => p.map(|p| p + offset),
        };
        for (_, v) in &mut s.outputs {
            rn.value(v);
        }
        parent.stacks.push(s);
    }
    for p in child.parameters {
        if !rn.passed.contains_key(&p.name) {
            parent.parameters.push(Parameter {
                name: rn.id(&p.name),
                ..p
            });
        }
    }
    for (name, mut v) in child.conditions {
        rn.value(&mut v);
        parent.conditions.push((rn.id(&name), v));
    }
    if !child_mappings.is_empty() {
        let maps = mk::entry_map(&mut parent.root, "Mappings");
        if let Node::Map(entries) = &mut maps.node {
            for (k, mut v) in child_mappings {
                rn.value(&mut v);
                entries.push((
                    Key {
                        name: rn.id(&k.name),
                        span: k.span,
                    },
                    v,
                ));
            }
        }
    }
    for (alias, id) in child.aliases {
        parent.aliases.insert(rn.id(&alias), rn.id(&id));
    }
    for mut r in child.resources {
        r.id = rn.id(&r.id);
        rn.value(&mut r.properties);
        if let Some(m) = &mut r.metadata {
            rn.value(m);
        }
        r.condition = r.condition.map(|c| rn.condition(&c));
        r.depends_on = r.depends_on.iter().map(|d| rn.id(d)).collect();
        if let Origin::Generated { by } = &mut r.origin {
            *by = rn.id(by);
        }
        parent.resources.push(r);
    }
    parent.diagnostics.extend(child.diagnostics);
    parent.reindex();
}

/// How the ids of a child stack change when it joins its parent.
struct Rename<'a> {
    prefix: &'a str,
    /// Resource ids (and aliases) of the child.
    resources: StrSet,
    /// Parameters of the child and the values the parent passes to them.
    params: StrSet,
    passed: StrMap<Value>,
    conditions: StrSet,
    mappings: StrSet,
}

impl Rename<'_> {
    fn id(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    fn condition(&self, c: &str) -> String {
        if self.conditions.contains(c) {
            self.id(c)
        } else {
            c.to_owned()
        }
    }

    /// A name read by `Ref` or `${…}`: a resource or an unpassed parameter of the child.
    fn renames(&self, name: &str) -> bool {
        self.resources.contains(name) || self.params.contains(name)
    }

    fn value(&self, v: &mut Value) {
        match self.intrinsic(v) {
            Step::Done => {}
            Step::Replace(r) => *v = r,
            Step::Walk => match &mut v.node {
                Node::Seq(items) => items.iter_mut().for_each(|x| self.value(x)),
                Node::Map(entries) => entries.iter_mut().for_each(|(_, x)| self.value(x)),
                _ => {}
            },
        }
    }

    /// Rewrite an intrinsic function in place.
    fn intrinsic(&self, v: &mut Value) -> Step {
        let span = v.span;
        let Node::Map(entries) = &mut v.node else {
            return Step::Walk;
        };
        let [(k, arg)] = entries.as_mut_slice() else {
            return Step::Walk;
        };
        match k.name.as_str() {
            "Ref" => {
                let Some(name) = arg.as_str().map(str::to_owned) else {
                    return Step::Done;
                };
                if let Some(passed) = self.passed.get(&name) {
                    let mut p = passed.clone();
                    p.span = span;
                    return Step::Replace(p);
                }
                if self.renames(&name) {
                    *arg = Value::string(self.id(&name), arg.span);
                }
            }
            "Fn::GetAtt" => match &mut arg.node {
                Node::Seq(items) => {
                    if let Some(first) = items.first_mut() {
                        if let Some(name) = first.as_str().filter(|n| self.resources.contains(n)) {
                            *first = Value::string(self.id(name), first.span);
                        }
                    }
                    items.iter_mut().skip(1).for_each(|x| self.value(x));
                }
                Node::String(text) => {
                    if let Some((res, attr)) = text.split_once('.') {
                        if self.resources.contains(res) {
                            *text = format!("{}.{attr}", self.id(res));
                        }
                    }
                }
                _ => {}
            },
            "Fn::Sub" => self.sub(arg),
            "Fn::If" | "Fn::FindInMap" => {
                let names = if k.name == "Fn::If" {
                    &self.conditions
                } else {
                    &self.mappings
                };
                if let Node::Seq(items) = &mut arg.node {
                    if let Some(first) = items.first_mut() {
                        if let Some(c) = first.as_str().filter(|c| names.contains(c)) {
                            *first = Value::string(self.id(c), first.span);
                        }
                    }
                    items.iter_mut().skip(1).for_each(|x| self.value(x));
                }
            }
            "Condition" => match arg.as_str() {
                Some(c) => *arg = Value::string(self.condition(c), arg.span),
                None => self.value(arg),
            },
            _ => return Step::Walk,
        }
        Step::Done
    }

    /// `Fn::Sub`: `${Res}`/`${Res.Attr}` and unpassed parameters get the prefix; a passed
    /// parameter becomes an entry of the variable map holding the parent's value (the
    /// string form turns into the list form for that).
    fn sub(&self, arg: &mut Value) {
        if let Node::Seq(items) = &mut arg.node {
            items.iter_mut().skip(1).for_each(|x| self.value(x));
        }
        let (text, text_span, vars) = match &arg.node {
            Node::String(s) => (s.as_str(), arg.span, None),
            Node::Seq(items) => match items.first() {
                Some(t) => match t.as_str() {
                    Some(s) => (s, t.span, items.get(1)),
                    None => return,
                },
                None => return,
            },
            _ => return,
        };
        let shadowed = |name: &str| vars.and_then(|m| m.get(name)).is_some();
        let mut out = String::with_capacity(text.len());
        let mut added: Vec<(String, Value)> = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let Some(end) = rest.find('}') else { break };
            let var = rest[2..end].trim();
            let (base, attr) = match var.split_once('.') {
                Some((b, a)) => (b, Some(a)),
                None => (var, None),
            };
            if var.starts_with('!') || shadowed(base) {
                out.push_str(&rest[..=end]);
            } else if let (Some(passed), None) = (self.passed.get(base), attr) {
                if !added.iter().any(|(n, _)| n == base) {
                    let mut p = passed.clone();
                    p.span = text_span;
                    added.push((base.to_owned(), p));
                }
                out.push_str(&rest[..=end]);
            } else if self.renames(base) {
                out.push_str("${");
                out.push_str(&self.id(base));
                if let Some(a) = attr {
                    out.push('.');
                    out.push_str(a);
                }
                out.push('}');
            } else {
                out.push_str(&rest[..=end]);
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        let new_text = Value::string(out, text_span);
        match &mut arg.node {
            Node::String(_) if added.is_empty() => *arg = new_text,
            Node::Seq(items) if added.is_empty() => {
                if let Some(t) = items.first_mut() {
                    *t = new_text;
                }
            }
            _ => {
                let mut vars = match &arg.node {
                    Node::Seq(items) => items.get(1).cloned(),
                    _ => None,
                }
                .unwrap_or_else(|| mk::empty(text_span));
                for (name, v) in added {
                    mk::set(&mut vars, &name, v);
                }
                arg.node = Node::Seq(vec![new_text, vars]);
            }
        }
    }
}

/// What [`Rename::intrinsic`] did with a value.
enum Step {
    /// Rewritten in place (or nothing to do).
    Done,
    /// To be replaced by this value (a `Ref` to a passed parameter).
    Replace(Value),
    /// Not an intrinsic function: rewrite its children.
    Walk,
}

/// Replace reads of other stacks' outputs by the outputs' values, everywhere in `t`:
/// `Fn::GetAtt [Stack, Outputs.X]` (and `${Stack.Outputs.X}` in `Fn::Sub`) of a nested
/// stack, and `Fn::ImportValue` of an output another stack of the app exports.
pub fn link_outputs(t: &mut Template) {
    if t.stacks.len() < 2 {
        return;
    }
    let mut by_node: StrMap<Vec<(String, Value)>> = StrMap::new();
    let mut exports: StrMap<Value> = StrMap::new();
    for s in &t.stacks {
        if let Some(n) = &s.node {
            let outs = s
                .outputs
                .iter()
                .filter_map(|(name, o)| Some((name.clone(), o.get("Value")?.clone())))
                .collect();
            by_node.insert(n.clone(), outs);
        }
        for (_, o) in &s.outputs {
            let (Some(name), Some(value)) =
                (o.get("Export").and_then(|e| e.get("Name")), o.get("Value"))
            else {
                continue;
            };
            if let Some(name) = export_name(name, s.stack_name.as_deref()) {
                exports.insert(name, value.clone());
            }
        }
    }
    if by_node.is_empty() && exports.is_empty() {
        return;
    }
    let linker = Linker { by_node, exports };
    // Outputs may read other outputs (a parent re-exporting a child's): a few rounds.
    for _ in 0..8 {
        let mut changed = false;
        for r in &mut t.resources {
            changed |= linker.value(&mut r.properties, 0);
        }
        for (_, v) in &mut t.outputs {
            changed |= linker.value(v, 0);
        }
        if !changed {
            break;
        }
    }
    t.reindex();
}

/// An export name fixed by the template: a string, or `Fn::Sub` of the stack's own name.
fn export_name(v: &Value, stack_name: Option<&str>) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    let (f, arg) = v.intrinsic()?;
    let text = match f {
        "Fn::Sub" => arg.as_str()?,
        _ => return None,
    };
    let name = stack_name?;
    let out = text.replace("${AWS::StackName}", name);
    (!out.contains("${")).then_some(out)
}

struct Linker {
    /// Nested stack resource id → its outputs' values.
    by_node: StrMap<Vec<(String, Value)>>,
    /// Export name → the exported value.
    exports: StrMap<Value>,
}

impl Linker {
    fn output(&self, stack: &str, attr: &str) -> Option<&Value> {
        let name = attr.strip_prefix("Outputs.")?;
        self.by_node
            .get(stack)?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// True when something was replaced.
    fn value(&self, v: &mut Value, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        if let Some(mut found) = self.read(v) {
            found.span = v.span;
            *v = found;
            return true;
        }
        if let Some(("Fn::Sub", _)) = v.intrinsic() {
            return self.sub(v);
        }
        let mut changed = false;
        match &mut v.node {
            Node::Seq(items) => {
                for x in items {
                    changed |= self.value(x, depth + 1);
                }
            }
            Node::Map(entries) => {
                for (_, x) in entries {
                    changed |= self.value(x, depth + 1);
                }
            }
            _ => {}
        }
        changed
    }

    /// The value a `Fn::GetAtt` of a stack output or a `Fn::ImportValue` of an export reads.
    fn read(&self, v: &Value) -> Option<Value> {
        let (f, arg) = v.intrinsic()?;
        match f {
            "Fn::GetAtt" => {
                let (stack, attr) = match &arg.node {
                    Node::Seq(items) => (items.first()?.as_str()?, items.get(1)?.as_str()?),
                    Node::String(s) => s.split_once('.')?,
                    _ => return None,
                };
                self.output(stack, attr).cloned()
            }
            "Fn::ImportValue" => self.exports.get(arg.as_str()?).cloned(),
            _ => None,
        }
    }

    /// `${Stack.Outputs.X}` in a `Fn::Sub` text becomes a variable holding the output.
    fn sub(&self, v: &mut Value) -> bool {
        let Node::Map(entries) = &mut v.node else {
            return false;
        };
        let Some((_, arg)) = entries.first_mut() else {
            return false;
        };
        let span = arg.span;
        let mut changed = false;
        if let Node::Seq(items) = &mut arg.node {
            for x in items.iter_mut().skip(1) {
                changed |= self.value(x, 1);
            }
        }
        let text = match &arg.node {
            Node::String(s) => s.clone(),
            Node::Seq(items) => match items.first().and_then(Value::as_str) {
                Some(s) => s.to_owned(),
                None => return changed,
            },
            _ => return changed,
        };
        let mut added: Vec<(String, Value)> = Vec::new();
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let Some(end) = rest.find('}') else { break };
            let var = rest[2..end].trim();
            let found = var
                .split_once('.')
                .and_then(|(stack, attr)| self.output(stack, attr));
            match found {
                Some(value) => {
                    let name: String = format!("Outputs_{var}")
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                        .collect();
                    out.push_str("${");
                    out.push_str(&name);
                    out.push('}');
                    let mut value = value.clone();
                    value.span = span;
                    added.push((name, value));
                }
                None => out.push_str(&rest[..=end]),
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        if added.is_empty() {
            return changed;
        }
        let mut vars = match &arg.node {
            Node::Seq(items) => items.get(1).cloned().unwrap_or_else(|| mk::empty(span)),
            _ => mk::empty(span),
        };
        for (name, value) in added {
            mk::set(&mut vars, &name, value);
        }
        arg.node = Node::Seq(vec![Value::string(out, span), vars]);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolve::{resolve, Resolved};

    fn template(text: &str, file: u16) -> Template {
        let mut root = crate::parse::load(text, &crate::parse::Limits::default()).expect("loads");
        root.set_file(file);
        let format = crate::parse::detect(&root).expect("a template");
        Template::build(root, format).expect("builds")
    }

    const PARENT: &str = r#"
Parameters:
  Secret: {Type: String, NoEcho: true}
Resources:
  Table: {Type: AWS::DynamoDB::Table}
  Auth:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./auth.yaml
      Parameters:
        TableArn: !GetAtt Table.Arn
        Password: !Ref Secret
  Reader:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          QUEUE: !GetAtt Auth.Outputs.QueueUrl
          SUBBED: !Sub "url=${Auth.Outputs.QueueUrl}"
"#;

    const CHILD: &str = r#"
Parameters:
  TableArn: {Type: String}
  Password: {Type: String, NoEcho: true}
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Mappings:
  Sizes: {prod: {mem: 512}}
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Fn:
    Type: AWS::Lambda::Function
    Condition: IsProd
    DependsOn: Queue
    Properties:
      MemorySize: !FindInMap [Sizes, !Ref Stage, mem]
      Environment:
        Variables:
          TABLE: !Ref TableArn
          PASSWORD: !Ref Password
          QUEUE: !Sub "${Queue.Arn}/${TableArn}/${Stage}"
          MODE: !If [IsProd, fast, slow]
Outputs:
  QueueUrl: {Value: !Ref Queue}
"#;

    fn app() -> Template {
        let mut parent = template(PARENT, 0);
        let child = template(CHILD, 1);
        nest(
            &mut parent,
            child,
            Deploy {
                via: Some("Auth".into()),
                prefix: "Auth/".into(),
                name: "Auth".into(),
                file: 1,
                stack_name: None,
            },
        );
        link_outputs(&mut parent);
        parent
    }

    #[test]
    fn child_ids_get_the_prefix_and_passed_parameters_become_the_parents_values() {
        let t = app();
        let f = t
            .resource("Auth/Fn")
            .expect("the child's function is in the app");
        assert_eq!(f.span.file(), 1, "it points into the child's file");
        assert_eq!(f.condition.as_deref(), Some("Auth/IsProd"));
        assert_eq!(f.depends_on, vec!["Auth/Queue".to_owned()]);
        let env = |k: &str| f.prop_path(&["Environment", "Variables", k]).expect(k);
        assert_eq!(
            resolve(&t, env("TABLE")),
            Resolved::Resource("Table".into())
        );
        assert_eq!(
            env("TABLE").span.file(),
            1,
            "the passed value sits where it is read"
        );
        assert_eq!(
            env("PASSWORD").intrinsic().and_then(|(_, a)| a.as_str()),
            Some("Secret"),
            "a secret passed in is the parent's NoEcho parameter"
        );
        let sub = env("QUEUE").to_json().to_string();
        assert!(
            sub.contains("${Auth/Queue.Arn}/${TableArn}/${Auth/Stage}"),
            "{sub}"
        );
        assert!(
            sub.contains(r#""TableArn":{"Fn::GetAtt":["Table","Arn"]}"#),
            "{sub}"
        );
        assert_eq!(
            t.parameter("Auth/Stage")
                .and_then(|p| p.default.as_ref()?.as_str().map(str::to_owned)),
            Some("prod".to_owned())
        );
        assert!(
            t.parameter("Auth/TableArn").is_none(),
            "passed parameters are not kept"
        );
        assert_eq!(
            crate::model::resolve::condition_value(&t, "Auth/IsProd"),
            Some(true)
        );
        assert_eq!(
            resolve(&t, f.prop("MemorySize").expect("memory")),
            Resolved::Literal("512".into())
        );
        assert_eq!(
            env("MODE").to_json().to_string(),
            r#"{"Fn::If":["Auth/IsProd","fast","slow"]}"#
        );
    }

    #[test]
    fn outputs_are_read_back_where_the_parent_reads_them() {
        let t = app();
        let r = t.resource("Reader").expect("reader");
        let q = r
            .prop_path(&["Environment", "Variables", "QUEUE"])
            .expect("queue");
        assert_eq!(resolve(&t, q), Resolved::Resource("Auth/Queue".into()));
        assert_eq!(q.span.file(), 0);
        let s = r
            .prop_path(&["Environment", "Variables", "SUBBED"])
            .expect("sub");
        let refs = crate::model::resolve::resource_refs(&t, s);
        assert_eq!(refs.first().map(|(id, _)| id.as_str()), Some("Auth/Queue"));
        assert_eq!(t.stacks.len(), 2);
        assert_eq!(t.stacks[1].node.as_deref(), Some("Auth"));
        assert_eq!(t.stacks[1].parent, Some(0));
        assert_eq!(
            stack_of(&t, "Auth/Fn").map(|s| s.prefix.as_str()),
            Some("Auth/")
        );
        assert_eq!(stack_of(&t, "Table").map(|s| s.prefix.as_str()), Some(""));
    }

    #[test]
    fn sibling_stacks_read_each_others_exports() {
        let a = template(
            "Resources:\n  Bucket: {Type: AWS::S3::Bucket}\nOutputs:\n  B:\n    Value: !Ref Bucket\n    Export: {Name: !Sub '${AWS::StackName}-bucket'}\n",
            1,
        );
        let b = template(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment: {Variables: {B: !ImportValue StackA-bucket}}\n",
            2,
        );
        let mut app = empty(Format::CloudFormation);
        for (t, name, file) in [(a, "StackA", 1), (b, "StackB", 2)] {
            nest(
                &mut app,
                t,
                Deploy {
                    via: None,
                    prefix: format!("{name}/"),
                    name: name.into(),
                    file,
                    stack_name: Some(name.into()),
                },
            );
        }
        link_outputs(&mut app);
        let v = app
            .resource("StackB/Fn")
            .and_then(|f| f.prop_path(&["Environment", "Variables", "B"]))
            .expect("B");
        assert_eq!(resolve(&app, v), Resolved::Resource("StackA/Bucket".into()));
    }
}
