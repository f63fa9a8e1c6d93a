//! Reading every policy document of the expanded template into the model.

use crate::model::resolve::resource_refs;
use crate::model::{Origin, Resource, Template};
use crate::span::Span;
use crate::value::Value;

use super::statement::{self, if_branches, list_items, raw_text, Condition, Item, Statement};
use super::{principal, DocKind, Document, IamModel, Identity, IdentityKind};

/// The AWS managed policy name an ARN value names (`arn:${AWS::Partition}:iam::aws:policy/service-role/X` → `X`).
pub fn managed_name(v: &Value) -> Option<String> {
    let text = raw_text(v)?;
    let i = text.find(":policy/")?;
    if !text[..i].ends_with(":aws") {
        return None;
    }
    let name = text[i + ":policy/".len()..].rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

fn identity_kind(ty: &str) -> Option<IdentityKind> {
    Some(match ty {
        "AWS::IAM::Role" => IdentityKind::Role,
        "AWS::IAM::User" => IdentityKind::User,
        "AWS::IAM::Group" => IdentityKind::Group,
        _ => return None,
    })
}

/// Resource policies: the type, the property holding the document, the property naming the
/// protected resources (empty: the resource itself), the service.
const RESOURCE_POLICIES: &[(&str, &str, &str, &str)] = &[
    ("AWS::S3::BucketPolicy", "PolicyDocument", "Bucket", "s3"),
    ("AWS::SQS::QueuePolicy", "PolicyDocument", "Queues", "sqs"),
    (
        "AWS::SQS::QueueInlinePolicy",
        "PolicyDocument",
        "Queue",
        "sqs",
    ),
    ("AWS::SNS::TopicPolicy", "PolicyDocument", "Topics", "sns"),
    (
        "AWS::SNS::TopicInlinePolicy",
        "PolicyDocument",
        "TopicArn",
        "sns",
    ),
    ("AWS::KMS::Key", "KeyPolicy", "", "kms"),
    (
        "AWS::SecretsManager::ResourcePolicy",
        "ResourcePolicy",
        "SecretId",
        "secretsmanager",
    ),
    ("AWS::ApiGateway::RestApi", "Policy", "", "execute-api"),
    ("AWS::ECR::Repository", "RepositoryPolicyText", "", "ecr"),
    ("AWS::Events::EventBus", "Policy", "", "events"),
    (
        "AWS::Events::EventBusPolicy",
        "Statement",
        "EventBusName",
        "events",
    ),
    ("AWS::OpenSearchService::Domain", "AccessPolicies", "", "es"),
    ("AWS::Elasticsearch::Domain", "AccessPolicies", "", "es"),
    ("AWS::Lambda::Permission", "", "FunctionName", "lambda"),
    (
        "AWS::Lambda::LayerVersionPermission",
        "",
        "LayerVersionArn",
        "lambda-layer",
    ),
];

/// Resource ids a property of `r` names.
fn ids(t: &Template, r: &Resource, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = r.prop(key) {
        for (id, _) in resource_refs(t, v) {
            out.push(id);
        }
    }
    out
}

/// The identities of the template a value names (by reference, or by literal name).
fn named_identities(t: &Template, m: &IamModel, v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, item) in list_items(v, None) {
        let mut found = Vec::new();
        for (id, _) in resource_refs(t, item) {
            if m.identity(&id).is_some() {
                found.push(id);
            }
        }
        if found.is_empty() {
            if let Some(name) = item.as_str() {
                for i in &m.identities {
                    let key = match i.kind {
                        IdentityKind::Role => "RoleName",
                        IdentityKind::User => "UserName",
                        IdentityKind::Group => "GroupName",
                    };
                    let named = t
                        .resource(&i.id)
                        .and_then(|r| r.prop(key))
                        .and_then(Value::as_str);
                    if named == Some(name) {
                        found.push(i.id.clone());
                    }
                }
            }
        }
        for id in found {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// When a generated role's inline policy came from a SAM policy template, its name.
pub fn sam_policy_template(t: &Template, role: &Resource, policy_name: &str) -> Option<String> {
    let Origin::Generated { by } = &role.origin else {
        return None;
    };
    let idx: usize = policy_name
        .strip_prefix(&format!("{}Policy", role.id))?
        .parse()
        .ok()?;
    let entry = t
        .root
        .get_path(&["Resources", by, "Properties", "Policies"])?
        .as_seq()?
        .get(idx)?;
    let m = entry.as_map()?;
    let (k, _) = m.first()?;
    (m.len() == 1 && k.name != "Statement" && k.name != "Version").then(|| k.name.clone())
}

struct Builder<'t> {
    t: &'t Template,
    m: IamModel,
}

impl Builder<'_> {
    /// Add a document, its statements read from `value`, and return its index.
    fn doc(
        &mut self,
        kind: DocKind,
        carrier: &Resource,
        name: String,
        value: Option<&Value>,
        span: Span,
    ) -> usize {
        let idx = self.m.docs.len();
        let statements = value
            .map(|v| statement::parse_document(self.t, v, idx, None))
            .unwrap_or_default();
        self.m.docs.push(Document {
            kind,
            carrier: carrier.id.clone(),
            name,
            managed: None,
            sam_template: None,
            holders: vec![carrier.id.clone()],
            service: "",
            cond: None,
            span,
            statements,
        });
        idx
    }

    fn last(&mut self) -> Option<&mut Document> {
        self.m.docs.last_mut()
    }

    fn attach(&mut self, who: &str, doc: usize) {
        if let Some(i) = self.m.identity_mut(who) {
            if !i.docs.contains(&doc) {
                i.docs.push(doc);
            }
        }
    }

    /// Trust policy, inline policies and AWS managed policies of one identity.
    fn identity(&mut self, r: &Resource, kind: IdentityKind) {
        let t = self.t;
        if kind == IdentityKind::Role {
            if let Some(v) = r.prop("AssumeRolePolicyDocument") {
                let d = self.doc(DocKind::Trust, r, r.id.clone(), Some(v), v.span);
                if let Some(i) = self.m.identity_mut(&r.id) {
                    i.trust = Some(d);
                }
            }
        }
        for (c, p) in r
            .prop("Policies")
            .map(|v| list_items(v, None))
            .unwrap_or_default()
        {
            let Some(doc) = p.get("PolicyDocument") else {
                continue;
            };
            let name = p
                .get("PolicyName")
                .and_then(Value::as_str)
                .unwrap_or("inline")
                .to_owned();
            let sam = sam_policy_template(t, r, &name);
            let d = self.doc(DocKind::Identity, r, name, Some(doc), p.span);
            if let Some(x) = self.last() {
                x.sam_template = sam;
                x.cond = c;
            }
            self.attach(&r.id, d);
        }
        for (c, v) in r
            .prop("ManagedPolicyArns")
            .map(|v| list_items(v, None))
            .unwrap_or_default()
        {
            if !resource_refs(t, v).is_empty() {
                continue; // a policy of the template: attached when it is read
            }
            let Some(name) = managed_name(v) else {
                continue;
            };
            if let Some(i) = self.m.identity_mut(&r.id) {
                i.managed.push((name.clone(), v.span, c.clone()));
            }
            let Some(g) = super::managed::grant(&name) else {
                continue;
            };
            let d = self.doc(DocKind::Identity, r, name.clone(), None, v.span);
            let mut st = Statement::synthetic(d, v.span);
            for a in g.actions {
                st.actions
                    .push(Item::synthetic((*a).to_owned(), v.span, c.clone()));
            }
            st.not_action = g.not_action;
            st.resources
                .push(Item::synthetic("*".into(), v.span, c.clone()));
            st.cond = c.clone();
            if let Some(x) = self.last() {
                x.managed = Some(name);
                x.cond = c;
                x.statements.push(st);
            }
            self.attach(&r.id, d);
        }
        let boundary = r.prop("PermissionsBoundary").is_some();
        if let Some(i) = self.m.identity_mut(&r.id) {
            i.boundary = boundary;
        }
    }

    /// A policy resource and whom it is attached to.
    fn policy_resource(&mut self, p: &Resource) {
        let t = self.t;
        let mut holders = Vec::new();
        for key in [
            "Roles",
            "Users",
            "Groups",
            "RoleName",
            "UserName",
            "GroupName",
        ] {
            if let Some(v) = p.prop(key) {
                holders.extend(named_identities(t, &self.m, v));
            }
        }
        for i in &self.m.identities {
            if let Some(v) = t.resource(&i.id).and_then(|r| r.prop("ManagedPolicyArns")) {
                if resource_refs(t, v).iter().any(|(id, _)| *id == p.id) {
                    holders.push(i.id.clone());
                }
            }
        }
        let mut seen: Vec<String> = Vec::new();
        holders.retain(|h| {
            let fresh = !seen.contains(h);
            seen.push(h.clone());
            fresh
        });
        let value = p.prop("PolicyDocument");
        let d = self.doc(
            DocKind::Identity,
            p,
            p.id.clone(),
            value,
            value.map_or(p.span, |v| v.span),
        );
        for h in &holders {
            self.attach(h, d);
        }
        if let Some(x) = self.last() {
            x.holders = holders;
        }
    }

    /// A resource policy; Lambda permissions and the older `AWS::Events::EventBusPolicy`
    /// form are read as one-statement policies from their properties.
    fn resource_policy(
        &mut self,
        r: &Resource,
        doc_key: &str,
        holder_key: &str,
        service: &'static str,
    ) {
        let t = self.t;
        let mut value = r.prop(doc_key).filter(|_| !doc_key.is_empty());
        if value.is_none() && r.type_ == "AWS::ApiGateway::RestApi" {
            // SAM's `Auth.ResourcePolicy` lands in the OpenAPI body.
            value = r
                .prop("Body")
                .or_else(|| r.prop("DefinitionBody"))
                .and_then(|b| b.get("x-amazon-apigateway-policy"));
        }
        let synthetic = doc_key.is_empty() || doc_key == "Statement" && value.is_none();
        if value.is_none() && !synthetic {
            return;
        }
        let span = value.map_or(r.span, |v| v.span);
        let d = self.doc(DocKind::Resource, r, r.id.clone(), None, span);
        let holders = if holder_key.is_empty() {
            vec![r.id.clone()]
        } else {
            ids(t, r, holder_key)
        };
        let mut statements = Vec::new();
        if doc_key == "Statement" {
            if let Some(v) = value {
                statements.push(statement::parse(t, v, d, None));
            }
        } else if let Some(v) = value {
            statements = statement::parse_document(t, v, d, None);
        }
        if synthetic {
            statements.push(self.properties_statement(r, d, holder_key));
        }
        if let Some(x) = self.last() {
            x.holders = holders;
            x.service = service;
            x.statements = statements;
        }
    }

    /// A Lambda permission (or layer permission, or bus policy) as a statement: its
    /// `Action`, `Principal` and target, with `SourceArn`, `SourceAccount`, `PrincipalOrgID`,
    /// `OrganizationId` and `Condition` as conditions.
    fn properties_statement(&self, r: &Resource, d: usize, target_key: &str) -> Statement {
        let t = self.t;
        let mut st = Statement::synthetic(d, r.properties.span);
        for key in ["Action", target_key] {
            for (c, x) in r
                .prop(key)
                .map(|v| if_branches(v, None))
                .unwrap_or_default()
            {
                let mut item = Item::synthetic(raw_text(x).unwrap_or_default(), x.span, c);
                if key == target_key {
                    item.target = resource_refs(t, x).into_iter().next().map(|(id, _)| id);
                    item.value = Some(x.clone());
                    st.resources.push(item);
                } else {
                    st.actions.push(item);
                }
            }
        }
        st.action_span = r.prop("Action").map(|v| v.span);
        if let Some(v) = r.prop("Principal") {
            st.principals = principal::read_flat(t, v, &None);
            st.principal_span = Some(v.span);
        }
        const KEYS: &[(&str, &str)] = &[
            ("SourceArn", "aws:SourceArn"),
            ("SourceAccount", "aws:SourceAccount"),
            ("PrincipalOrgID", "aws:PrincipalOrgID"),
            ("OrganizationId", "aws:PrincipalOrgID"),
            ("EventSourceToken", "lambda:EventSourceToken"),
            ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType"),
            ("InvokedViaFunctionUrl", "lambda:InvokedViaFunctionUrl"),
        ];
        for (prop, key) in KEYS {
            if let Some((k, v)) = r.properties.entry(prop) {
                st.conditions.push(Condition {
                    op: "Property".into(),
                    key: (*key).into(),
                    values: vec![raw_text(v).unwrap_or_default()],
                    span: k.span,
                });
            }
        }
        // `AWS::Events::EventBusPolicy`'s older form: `Condition: {Type, Key, Value}`.
        if let Some(c) = r.prop("Condition") {
            st.conditions.push(Condition {
                op: c
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("StringEquals")
                    .into(),
                key: c.get("Key").and_then(Value::as_str).unwrap_or("?").into(),
                values: c.get("Value").and_then(raw_text).into_iter().collect(),
                span: c.span,
            });
        }
        st
    }
}

/// Roles of the template a resource runs as, through the property that names it.
const ROLE_KEYS: &[&str] = &[
    "Role",
    "RoleArn",
    "ServiceRole",
    "ExecutionRoleArn",
    "TaskRoleArn",
    "ServiceRoleArn",
];

pub fn collect(t: &Template) -> IamModel {
    let mut b = Builder {
        t,
        m: IamModel::default(),
    };
    for r in &t.resources {
        if let Some(kind) = identity_kind(&r.type_) {
            b.m.index.insert(r.id.clone(), b.m.identities.len());
            b.m.identities.push(Identity {
                id: r.id.clone(),
                kind,
                span: r.span,
                docs: Vec::new(),
                groups: Vec::new(),
                trust: None,
                managed: Vec::new(),
                boundary: false,
                condition: r.condition.clone(),
            });
        }
    }
    for r in &t.resources {
        if let Some(kind) = identity_kind(&r.type_) {
            b.identity(r, kind);
        }
    }
    // Group membership: a user's `Groups`, and `AWS::IAM::UserToGroupAddition`.
    let mut members: Vec<(String, String)> = Vec::new();
    for r in &t.resources {
        let (users, groups) = match r.type_.as_str() {
            "AWS::IAM::User" => (vec![r.id.clone()], r.prop("Groups")),
            "AWS::IAM::UserToGroupAddition" => (
                r.prop("Users")
                    .map(|v| named_identities(t, &b.m, v))
                    .unwrap_or_default(),
                r.prop("GroupName"),
            ),
            _ => continue,
        };
        let groups = groups
            .map(|v| named_identities(t, &b.m, v))
            .unwrap_or_default();
        for u in &users {
            for g in &groups {
                members.push((u.clone(), g.clone()));
            }
        }
    }
    for (u, g) in members {
        let is_group =
            b.m.identity(&g)
                .is_some_and(|x| x.kind == IdentityKind::Group);
        if let Some(user) =
            b.m.identity_mut(&u)
                .filter(|x| x.kind == IdentityKind::User)
        {
            if is_group && !user.groups.contains(&g) {
                user.groups.push(g);
            }
        }
    }
    for r in &t.resources {
        let ty = r.type_.as_str();
        if ty.starts_with("AWS::IAM::") && ty.ends_with("Policy") {
            b.policy_resource(r);
        } else if let Some((_, doc, holder, service)) = RESOURCE_POLICIES.iter().find(|x| x.0 == ty)
        {
            b.resource_policy(r, doc, holder, service);
        }
        if identity_kind(ty).is_none() {
            for key in ROLE_KEYS {
                for (id, _) in r.prop(key).map(|v| resource_refs(t, v)).unwrap_or_default() {
                    let is_role =
                        b.m.identity(&id)
                            .is_some_and(|i| i.kind == IdentityKind::Role);
                    if is_role && !b.m.runs_as.iter().any(|(h, x)| *h == r.id && *x == id) {
                        b.m.runs_as.push((r.id.clone(), id));
                    }
                }
            }
        }
        if ty == "AWS::Cognito::IdentityPoolRoleAttachment" {
            let pools = ids(t, r, "IdentityPoolId");
            for (id, _) in r
                .prop("Roles")
                .map(|v| resource_refs(t, v))
                .unwrap_or_default()
            {
                if b.m.identity(&id).is_some() {
                    for p in &pools {
                        b.m.runs_as.push((p.clone(), id.clone()));
                    }
                }
            }
        }
    }
    b.m
}
