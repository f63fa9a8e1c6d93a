//! One policy statement, normalised: effect, actions (or `NotAction`), resources (or
//! `NotResource`), principals (or `NotPrincipal`) and conditions, each entry with its
//! position and the `Fn::If` conditions that select it.

use crate::model::resolve::resource_refs;
use crate::model::Template;
use crate::span::Span;
use crate::value::{Node, Value};

use super::principal::{self, PrincipalItem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Not a literal `Allow`/`Deny` (a parameter, a typo): no rule may rely on it.
    Unknown,
}

/// One entry of `Action` or `Resource` (or their `Not` forms).
#[derive(Debug, Clone)]
pub struct Item {
    /// As written: a literal, a `Fn::Sub` template, the literal parts of a `Fn::Join`
    /// (`${?}` for the others); empty for a bare `Ref`/`GetAtt`.
    pub text: String,
    pub span: Span,
    /// The `Fn::If` conditions that select this entry, its statement's included.
    pub cond: Option<String>,
    /// The resource of the template the entry names (`!GetAtt Table.Arn`, `${Bucket.Arn}/*`).
    pub target: Option<String>,
    /// Resources only: the value itself, for ARN matching against the template's resources.
    pub value: Option<Value>,
}

impl Item {
    /// An entry the model makes up (an AWS managed policy's action, a permission's
    /// property), with its text and the position that stands for it.
    pub fn synthetic(text: String, span: Span, cond: Option<String>) -> Item {
        Item {
            text,
            span,
            cond,
            target: None,
            value: None,
        }
    }

    /// `*` on its own.
    pub fn is_star(&self) -> bool {
        self.text.trim() == "*"
    }

    /// What a message calls this entry: its text (`${Reports.Arn}/*` shortened to
    /// `Reports/*`), or the resource it names.
    pub fn display(&self) -> String {
        match (&self.target, self.text.is_empty()) {
            (Some(t), false) => {
                let arn = format!("${{{t}.Arn}}");
                match self.text.strip_prefix(&arn) {
                    Some(rest) => format!("{t}{rest}"),
                    None => self.text.clone(),
                }
            }
            (None, false) => self.text.clone(),
            (Some(t), true) => t.clone(),
            (None, true) => "?".into(),
        }
    }
}

/// One condition key of a statement (`StringEquals: {"sts:ExternalId": "x"}`).
#[derive(Debug, Clone)]
pub struct Condition {
    pub op: String,
    pub key: String,
    /// Its literal values (intrinsics as their text, `${?}` when unknown).
    pub values: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Statement {
    /// Index of its document in [`super::IamModel::docs`].
    pub doc: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Vec<Item>,
    pub not_action: bool,
    pub resources: Vec<Item>,
    pub not_resource: bool,
    pub principals: Vec<PrincipalItem>,
    pub not_principal: bool,
    pub conditions: Vec<Condition>,
    /// A `Condition` that is not a plain map (an `Fn::If`, a parameter): something narrows
    /// the statement, but the model cannot say what.
    pub opaque_condition: bool,
    pub span: Span,
    /// The `Fn::If` conditions under which the statement exists.
    pub cond: Option<String>,
    /// The `Action`/`NotAction` value, `Principal`/`NotPrincipal` value (for findings about
    /// the element as a whole).
    pub action_span: Option<Span>,
    pub principal_span: Option<Span>,
}

impl Statement {
    /// An `Allow` statement the model makes up (an AWS managed policy, a Lambda permission),
    /// to be filled in; `span` stands for it and its elements.
    pub fn synthetic(doc: usize, span: Span) -> Statement {
        Statement {
            doc,
            sid: None,
            effect: Effect::Allow,
            actions: Vec::new(),
            not_action: false,
            resources: Vec::new(),
            not_resource: false,
            principals: Vec::new(),
            not_principal: false,
            conditions: Vec::new(),
            opaque_condition: false,
            span,
            cond: None,
            action_span: Some(span),
            principal_span: None,
        }
    }

    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    pub fn has_condition(&self) -> bool {
        self.opaque_condition || !self.conditions.is_empty()
    }

    /// Does the statement name `action` (through its patterns, or by leaving it out of a
    /// `NotAction`)?
    pub fn covers_action(&self, action: &str) -> bool {
        let hit = self
            .actions
            .iter()
            .any(|a| super::actions::matches(&a.text, action));
        hit != self.not_action
    }

    /// The `Action` entries that grant `action` (none for a `NotAction` statement).
    pub fn action_items_for<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.actions
            .iter()
            .filter(move |a| !self.not_action && super::actions::matches(&a.text, action))
    }

    /// Does it apply to every resource (`*`, or `NotResource`)?
    pub fn any_resource(&self) -> bool {
        self.not_resource || self.resources.iter().any(Item::is_star)
    }

    /// The first `*` resource entry.
    pub fn star_resource(&self) -> Option<&Item> {
        self.resources.iter().find(|r| r.is_star())
    }

    /// Does the statement have one of these condition keys (given in lower case)?
    pub fn has_condition_key(&self, keys: &[&str]) -> bool {
        self.conditions
            .iter()
            .any(|c| keys.iter().any(|k| c.key.eq_ignore_ascii_case(k)))
    }

    /// Does a condition key limit *who* may use the statement (an organization, an account,
    /// a principal ARN, a source, a network, a federated audience or subject)? Keys such as
    /// `aws:MultiFactorAuthPresent` or `aws:CurrentTime` narrow when, not who.
    pub fn limits_caller(&self) -> bool {
        self.opaque_condition
            || self.conditions.iter().any(|c| {
                let k = c.key.to_ascii_lowercase();
                k.starts_with("aws:principal")
                    || k.starts_with("aws:source")
                    || k.starts_with("aws:userid")
                    || k.starts_with("aws:username")
                    || k.starts_with("aws:resourceorg")
                    || k == "aws:calledvia"
                    || k.starts_with("kms:calleraccount")
                    || k.starts_with("kms:viaservice")
                    || k.starts_with("kms:encryptioncontext")
                    || k.starts_with("lambda:functionurlauthtype")
                    || k.starts_with("lambda:eventsourcetoken")
                    || k.ends_with(":aud")
                    || k.ends_with(":sub")
                    || k.ends_with(":amr")
                    || k.starts_with("saml:")
            })
    }

    /// Does it require `sts:ExternalId` (the third-party shared secret)?
    pub fn has_external_id(&self) -> bool {
        self.conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case("sts:ExternalId"))
    }

    /// The first `Principal` entry that opens the statement to everyone (`*`,
    /// `{AWS: "*"}`, `{CanonicalUser: "*"}`); never for `NotPrincipal`.
    pub fn everyone(&self) -> Option<&PrincipalItem> {
        if self.not_principal {
            return None;
        }
        self.principals
            .iter()
            .find(|p| p.kind == super::PrincipalKind::Everyone)
    }

    /// The `Action` entries as written (none for `NotAction`).
    pub fn action_texts(&self) -> Vec<String> {
        if self.not_action {
            return Vec::new();
        }
        self.actions.iter().map(|a| a.text.clone()).collect()
    }

    /// The `Fn::If` conditions of the statement and of one of its entries, joined.
    pub fn cond_with(&self, item: &Option<String>) -> Option<String> {
        join(&self.cond, item)
    }
}

/// `a and b` (either may be absent).
pub fn join(a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if a == b => Some(a.clone()),
        (Some(a), Some(b)) => Some(format!("{a} and {b}")),
        (Some(a), None) => Some(a.clone()),
        (None, b) => b.clone(),
    }
}

/// Every branch of `v` through nested `Fn::If`s with the conditions that select it
/// (`IsProd`, `!IsProd`, joined with ` and `, the rules' spelling); `AWS::NoValue` branches
/// are dropped.
pub fn if_branches(v: &Value, cond: Option<String>) -> Vec<(Option<String>, &Value)> {
    let mut out = Vec::new();
    if_into(v, cond, &mut out, 0);
    out
}

fn if_into<'a>(
    v: &'a Value,
    cond: Option<String>,
    out: &mut Vec<(Option<String>, &'a Value)>,
    depth: u8,
) {
    if depth < 8 {
        if let Some(("Fn::If", arg)) = v.intrinsic() {
            if let Some([c, a, b]) = arg.as_seq() {
                let name = c.as_str().unwrap_or("?").to_owned();
                if_into(a, join(&cond, &Some(name.clone())), out, depth + 1);
                if_into(b, join(&cond, &Some(format!("!{name}"))), out, depth + 1);
                return;
            }
        }
    }
    if !crate::model::resolve::is_no_value(v) {
        out.push((cond, v));
    }
}

/// The items of a list-or-scalar value, through `Fn::If` at the list and at each item.
pub fn list_items(v: &Value, cond: Option<String>) -> Vec<(Option<String>, &Value)> {
    let mut out = Vec::new();
    for (c, list) in if_branches(v, cond) {
        for item in list.items() {
            out.extend(if_branches(item, c.clone()));
        }
    }
    out
}

/// The text of a string-ish value: a literal, a `Fn::Sub` template, or the literal parts of
/// a `Fn::Join` (`${?}` for the parts it cannot read).
pub fn raw_text(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    match v.intrinsic()? {
        ("Fn::Sub", arg) => match arg.as_seq() {
            Some(items) => items.first().and_then(Value::as_str).map(str::to_owned),
            None => arg.as_str().map(str::to_owned),
        },
        ("Fn::Join", arg) => {
            let items = arg.as_seq()?;
            let sep = items.first()?.as_str()?;
            let parts = items.get(1)?;
            Some(
                parts
                    .items()
                    .iter()
                    .map(|p| {
                        raw_text(p)
                            .or_else(|| getatt_text(p))
                            .unwrap_or_else(|| "${?}".into())
                    })
                    .collect::<Vec<_>>()
                    .join(sep),
            )
        }
        ("Ref", arg) => arg.as_str().map(|n| format!("${{{n}}}")),
        _ => None,
    }
}

/// `Fn::GetAtt` as `Fn::Sub` writes it (`${Bucket.Arn}`): a part of a joined text
/// (Terraform's `"${aws_s3_bucket.b.arn}/*"` is a join).
fn getatt_text(v: &Value) -> Option<String> {
    let ("Fn::GetAtt", arg) = v.intrinsic()? else {
        return None;
    };
    let text = match arg.as_seq() {
        Some(items) => items
            .iter()
            .map(|i| i.as_str())
            .collect::<Option<Vec<_>>>()?
            .join("."),
        None => arg.as_str()?.to_owned(),
    };
    Some(format!("${{{text}}}"))
}

fn item(t: &Template, v: &Value, cond: Option<String>, keep_value: bool) -> Item {
    let target = resource_refs(t, v).into_iter().next().map(|(id, _)| id);
    let text = match v.intrinsic() {
        Some(("Ref" | "Fn::GetAtt", _)) if target.is_some() => String::new(),
        _ => raw_text(v).unwrap_or_default(),
    };
    Item {
        text,
        span: v.span,
        cond,
        target,
        value: keep_value.then(|| v.clone()),
    }
}

/// Items of `Action`/`NotAction` or `Resource`/`NotResource`: which key was used, and its entries.
fn items_of(
    t: &Template,
    st: &Value,
    keys: [&str; 2],
    cond: &Option<String>,
    keep_value: bool,
) -> (Vec<Item>, bool, Option<Span>) {
    for (i, key) in keys.iter().enumerate() {
        if let Some(v) = st.get(key) {
            let items = list_items(v, cond.clone())
                .into_iter()
                .map(|(c, x)| item(t, x, c, keep_value))
                .collect();
            return (items, i == 1, Some(v.span));
        }
    }
    (Vec::new(), false, None)
}

fn conditions_of(c: &Value) -> (Vec<Condition>, bool) {
    let Some(ops) = c.as_map() else {
        return (Vec::new(), !c.is_null());
    };
    if c.intrinsic().is_some() {
        return (Vec::new(), true);
    }
    let mut out = Vec::new();
    let mut opaque = false;
    for (op, keys) in ops {
        let Some(keys) = keys.as_map().filter(|_| keys.intrinsic().is_none()) else {
            opaque = true;
            continue;
        };
        for (k, v) in keys {
            out.push(Condition {
                op: op.name.clone(),
                key: k.name.clone(),
                values: v
                    .items()
                    .iter()
                    .map(|x| raw_text(x).unwrap_or_else(|| "${?}".into()))
                    .collect(),
                span: k.span,
            });
        }
    }
    (out, opaque)
}

/// Read one statement (a map) of document `doc`.
pub fn parse(t: &Template, st: &Value, doc: usize, cond: Option<String>) -> Statement {
    let effect = match st.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => Effect::Unknown,
    };
    let (actions, not_action, action_span) = items_of(t, st, ["Action", "NotAction"], &cond, false);
    let (resources, not_resource, _) = items_of(t, st, ["Resource", "NotResource"], &cond, true);
    let (principals, not_principal, principal_span) = match st
        .get("Principal")
        .map(|v| (v, false))
        .or_else(|| st.get("NotPrincipal").map(|v| (v, true)))
    {
        Some((v, not)) => (principal::read(t, v, &cond), not, Some(v.span)),
        None => (Vec::new(), false, None),
    };
    let (conditions, opaque_condition) = st.get("Condition").map(conditions_of).unwrap_or_default();
    Statement {
        doc,
        sid: st.get("Sid").and_then(Value::as_str).map(str::to_owned),
        effect,
        actions,
        not_action,
        resources,
        not_resource,
        principals,
        not_principal,
        conditions,
        opaque_condition,
        span: st.span,
        cond,
        action_span,
        principal_span,
    }
}

/// Every statement of a policy document value (`Statement` as a list or a single map,
/// through `Fn::If` at each level). Documents written as JSON strings are not read.
pub fn parse_document(
    t: &Template,
    doc: &Value,
    idx: usize,
    cond: Option<String>,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for (c, d) in if_branches(doc, cond) {
        if !matches!(d.node, Node::Map(_)) {
            continue;
        }
        let Some(list) = d.get("Statement") else {
            continue;
        };
        for (sc, st) in list_items(list, c) {
            if st.as_map().is_some() && st.intrinsic().is_none() {
                out.push(parse(t, st, idx, sc));
            }
        }
    }
    out
}
