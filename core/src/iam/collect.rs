//! Reading every policy document of the expanded template into the model.

use crate::model::resolve::resource_refs;
use crate::model::{Origin, Resource, Template};
use crate::span::Span;
use crate::value::Value;

use super::statement::{
    self, if_branches, list_items, raw_text, Condition, Effect, Item, Statement,
};
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

/// The literal physical name of an identity (`RoleName: deployer`), for policies that name
/// it by text.
fn physical_name(r: &Resource) -> Option<&str> {
    let key = match r.type_.as_str() {
        "AWS::IAM::Role" => "RoleName",
        "AWS::IAM::User" => "UserName",
        _ => "GroupName",
    };
    r.prop(key).and_then(Value::as_str)
}

/// The identities of the template a value names (by reference, or by literal name).
fn named_identities(t: &Template, m: &IamModel, v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, item) in list_items(v, None) {
        let refs: Vec<String> = resource_refs(t, item)
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| m.identity(id).is_some())
            .collect();
        if refs.is_empty() {
            if let Some(name) = item.as_str() {
                out.extend(
                    m.identities
                        .iter()
                        .filter(|i| t.resource(&i.id).and_then(physical_name) == Some(name))
                        .map(|i| i.id.clone()),
                );
            }
        }
        out.extend(refs);
    }
    let mut seen = Vec::new();
    out.retain(|x| {
        let fresh = !seen.contains(x);
        seen.push(x.clone());
        fresh
    });
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
    /// Add a document (its statements read from `value`, or given) and return its index.
    #[allow(clippy::too_many_arguments)]
    fn doc(
        &mut self,
        kind: DocKind,
        carrier: &Resource,
        name: String,
        holders: Vec<String>,
        service: &'static str,
        value: Option<&Value>,
        cond: Option<String>,
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
            holders,
            service,
            cond,
            span,
            statements,
        });
        idx
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
                let d = self.doc(
                    DocKind::Trust,
                    r,
                    r.id.clone(),
                    vec![r.id.clone()],
                    "sts",
                    Some(v),
                    None,
                    v.span,
                );
                if let Some(i) = self.m.identity_mut(&r.id) {
                    i.trust = Some(d);
                }
            }
        }
        if let Some(policies) = r.prop("Policies") {
            for (c, p) in list_items(policies, None) {
                let Some(doc) = p.get("PolicyDocument") else {
                    continue;
                };
                let name = p
                    .get("PolicyName")
                    .and_then(Value::as_str)
                    .unwrap_or("inline")
                    .to_owned();
                let sam = sam_policy_template(t, r, &name);
                let d = self.doc(
                    DocKind::Identity,
                    r,
                    name,
                    vec![r.id.clone()],
                    "",
                    Some(doc),
                    c,
                    p.span,
                );
                if let Some(x) = self.m.docs.get_mut(d) {
                    x.sam_template = sam;
                }
                self.attach(&r.id, d);
            }
        }
        if let Some(arns) = r.prop("ManagedPolicyArns") {
            for (c, v) in list_items(arns, None) {
                if resource_refs(t, v)
                    .iter()
                    .any(|(id, _)| t.resource(id).is_some())
                {
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
                let d = self.doc(
                    DocKind::Identity,
                    r,
                    name.clone(),
                    vec![r.id.clone()],
                    "",
                    None,
                    c.clone(),
                    v.span,
                );
                let st = Statement {
                    doc: d,
                    sid: None,
                    effect: Effect::Allow,
                    actions: g
                        .actions
                        .iter()
                        .map(|a| Item {
                            text: (*a).to_owned(),
                            span: v.span,
                            cond: c.clone(),
                            target: None,
                            value: None,
                        })
                        .collect(),
                    not_action: g.not_action,
                    resources: vec![Item {
                        text: "*".into(),
                        span: v.span,
                        cond: c.clone(),
                        target: None,
                        value: None,
                    }],
                    not_resource: false,
                    principals: Vec::new(),
                    not_principal: false,
                    conditions: Vec::new(),
                    opaque_condition: false,
                    span: v.span,
                    cond: c,
                    action_span: Some(v.span),
                    principal_span: None,
                };
                if let Some(x) = self.m.docs.get_mut(d) {
                    x.managed = Some(name);
                    x.statements.push(st);
                }
                self.attach(&r.id, d);
            }
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
                for id in named_identities(t, &self.m, v) {
                    if !holders.contains(&id) {
                        holders.push(id);
                    }
                }
            }
        }
        for i in &self.m.identities {
            let attaches = t
                .resource(&i.id)
                .and_then(|r| r.prop("ManagedPolicyArns"))
                .is_some_and(|v| resource_refs(t, v).iter().any(|(id, _)| *id == p.id));
            if attaches && !holders.contains(&i.id) {
                holders.push(i.id.clone());
            }
        }
        let value = p.prop("PolicyDocument");
        let span = value.map_or(p.span, |v| v.span);
        let d = self.doc(
            DocKind::Identity,
            p,
            p.id.clone(),
            holders.clone(),
            "",
            value,
            None,
            span,
        );
        for h in holders {
            self.attach(&h, d);
        }
    }

    fn resource_policy(
        &mut self,
        r: &Resource,
        holders: Vec<String>,
        service: &'static str,
        value: &Value,
    ) {
        self.doc(
            DocKind::Resource,
            r,
            r.id.clone(),
            holders,
            service,
            Some(value),
            None,
            value.span,
        );
    }

    /// A Lambda `Permission` or `LayerVersionPermission` read as a one-statement policy.
    fn permission(&mut self, r: &Resource, layer: bool) {
        let t = self.t;
        let target_key = if layer {
            "LayerVersionArn"
        } else {
            "FunctionName"
        };
        let holders: Vec<String> = r
            .prop(target_key)
            .map(|v| resource_refs(t, v).into_iter().map(|(id, _)| id).collect())
            .unwrap_or_default();
        let d = self.doc(
            DocKind::Resource,
            r,
            r.id.clone(),
            holders,
            if layer { "lambda-layer" } else { "lambda" },
            None,
            None,
            r.span,
        );
        let items = |key: &str, keep: bool| -> Vec<Item> {
            r.prop(key)
                .map(|v| {
                    if_branches(v, None)
                        .into_iter()
                        .map(|(c, x)| {
                            let target = resource_refs(t, x).into_iter().next().map(|(id, _)| id);
                            Item {
                                text: raw_text(x).unwrap_or_default(),
                                span: x.span,
                                cond: c,
                                target,
                                value: keep.then(|| x.clone()),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut conditions = Vec::new();
        let keys: &[(&str, &str)] = if layer {
            &[("OrganizationId", "aws:PrincipalOrgID")]
        } else {
            &[
                ("SourceArn", "aws:SourceArn"),
                ("SourceAccount", "aws:SourceAccount"),
                ("PrincipalOrgID", "aws:PrincipalOrgID"),
                ("EventSourceToken", "lambda:EventSourceToken"),
                ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType"),
                ("InvokedViaFunctionUrl", "lambda:InvokedViaFunctionUrl"),
            ]
        };
        for (prop, key) in keys {
            if let Some((k, v)) = r.properties.entry(prop) {
                conditions.push(Condition {
                    op: "Property".into(),
                    key: (*key).into(),
                    values: vec![raw_text(v).unwrap_or_else(|| "${?}".into())],
                    span: k.span,
                });
            }
        }
        let principal = r.prop("Principal");
        let st = Statement {
            doc: d,
            sid: None,
            effect: Effect::Allow,
            actions: items("Action", false),
            not_action: false,
            resources: items(target_key, true),
            not_resource: false,
            principals: principal
                .map(|v| principal::read_flat(t, v, &None))
                .unwrap_or_default(),
            not_principal: false,
            conditions,
            opaque_condition: false,
            span: r.properties.span,
            cond: None,
            action_span: r.prop("Action").map(|v| v.span),
            principal_span: principal.map(|v| v.span),
        };
        if let Some(x) = self.m.docs.get_mut(d) {
            x.statements.push(st);
        }
    }

    /// `AWS::Events::EventBusPolicy`: a `Statement`, or the older `Principal`/`Action`/`Condition` form.
    fn bus_policy(&mut self, r: &Resource) {
        let t = self.t;
        let holders: Vec<String> = r
            .prop("EventBusName")
            .map(|v| resource_refs(t, v).into_iter().map(|(id, _)| id).collect())
            .unwrap_or_default();
        if let Some(st) = r.prop("Statement") {
            let d = self.doc(
                DocKind::Resource,
                r,
                r.id.clone(),
                holders,
                "events",
                None,
                None,
                st.span,
            );
            let s = statement::parse(t, st, d, None);
            if let Some(x) = self.m.docs.get_mut(d) {
                x.statements.push(s);
            }
            return;
        }
        let d = self.doc(
            DocKind::Resource,
            r,
            r.id.clone(),
            holders,
            "events",
            None,
            None,
            r.span,
        );
        let mut conditions = Vec::new();
        if let Some(c) = r.prop("Condition") {
            conditions.push(Condition {
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
        let actions = r
            .prop("Action")
            .map(|v| {
                vec![Item {
                    text: raw_text(v).unwrap_or_default(),
                    span: v.span,
                    cond: None,
                    target: None,
                    value: None,
                }]
            })
            .unwrap_or_default();
        let principal = r.prop("Principal");
        let st = Statement {
            doc: d,
            sid: None,
            effect: Effect::Allow,
            actions,
            not_action: false,
            resources: Vec::new(),
            not_resource: false,
            principals: principal
                .map(|v| principal::read_flat(t, v, &None))
                .unwrap_or_default(),
            not_principal: false,
            conditions,
            opaque_condition: false,
            span: r.properties.span,
            cond: None,
            action_span: r.prop("Action").map(|v| v.span),
            principal_span: principal.map(|v| v.span),
        };
        if let Some(x) = self.m.docs.get_mut(d) {
            x.statements.push(st);
        }
    }
}

/// The role of the template a resource runs as, through the property that names it.
fn role_property<'a>(t: &'a Template, r: &Resource) -> Vec<&'a str> {
    const KEYS: &[&str] = &[
        "Role",
        "RoleArn",
        "ServiceRole",
        "ExecutionRoleArn",
        "TaskRoleArn",
        "ServiceRoleArn",
    ];
    let mut out = Vec::new();
    for k in KEYS {
        if let Some(v) = r.prop(k) {
            for (id, _) in resource_refs(t, v) {
                if let Some(role) = t.resource(&id).filter(|x| x.type_ == "AWS::IAM::Role") {
                    if !out.contains(&role.id.as_str()) {
                        out.push(role.id.as_str());
                    }
                }
            }
        }
    }
    out
}

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
        match r.type_.as_str() {
            "AWS::IAM::User" => {
                for g in r
                    .prop("Groups")
                    .map(|v| named_identities(t, &b.m, v))
                    .unwrap_or_default()
                {
                    members.push((r.id.clone(), g));
                }
            }
            "AWS::IAM::UserToGroupAddition" => {
                let groups = r
                    .prop("GroupName")
                    .map(|v| named_identities(t, &b.m, v))
                    .unwrap_or_default();
                let users = r
                    .prop("Users")
                    .map(|v| named_identities(t, &b.m, v))
                    .unwrap_or_default();
                for u in &users {
                    for g in &groups {
                        members.push((u.clone(), g.clone()));
                    }
                }
            }
            _ => {}
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
        let refs = |key: &str| -> Vec<String> {
            r.prop(key)
                .map(|v| resource_refs(t, v).into_iter().map(|(id, _)| id).collect())
                .unwrap_or_default()
        };
        match r.type_.as_str() {
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => b.policy_resource(r),
            "AWS::S3::BucketPolicy" => {
                if let Some(v) = r.prop("PolicyDocument") {
                    b.resource_policy(r, refs("Bucket"), "s3", v);
                }
            }
            "AWS::SQS::QueuePolicy" | "AWS::SQS::QueueInlinePolicy" => {
                if let Some(v) = r.prop("PolicyDocument") {
                    let mut h = refs("Queues");
                    h.extend(refs("Queue"));
                    b.resource_policy(r, h, "sqs", v);
                }
            }
            "AWS::SNS::TopicPolicy" | "AWS::SNS::TopicInlinePolicy" => {
                if let Some(v) = r.prop("PolicyDocument") {
                    let mut h = refs("Topics");
                    h.extend(refs("TopicArn"));
                    b.resource_policy(r, h, "sns", v);
                }
            }
            "AWS::KMS::Key" => {
                if let Some(v) = r.prop("KeyPolicy") {
                    b.resource_policy(r, vec![r.id.clone()], "kms", v);
                }
            }
            "AWS::SecretsManager::ResourcePolicy" => {
                if let Some(v) = r.prop("ResourcePolicy") {
                    b.resource_policy(r, refs("SecretId"), "secretsmanager", v);
                }
            }
            "AWS::ApiGateway::RestApi" => {
                // SAM's `Auth.ResourcePolicy` lands in the OpenAPI body.
                let v = r.prop("Policy").or_else(|| {
                    r.prop("Body")
                        .or_else(|| r.prop("DefinitionBody"))
                        .and_then(|b| b.get("x-amazon-apigateway-policy"))
                });
                if let Some(v) = v {
                    b.resource_policy(r, vec![r.id.clone()], "execute-api", v);
                }
            }
            "AWS::ECR::Repository" => {
                if let Some(v) = r.prop("RepositoryPolicyText") {
                    b.resource_policy(r, vec![r.id.clone()], "ecr", v);
                }
            }
            "AWS::Events::EventBus" => {
                if let Some(v) = r.prop("Policy") {
                    b.resource_policy(r, vec![r.id.clone()], "events", v);
                }
            }
            "AWS::Events::EventBusPolicy" => b.bus_policy(r),
            "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => {
                if let Some(v) = r.prop("AccessPolicies") {
                    b.resource_policy(r, vec![r.id.clone()], "es", v);
                }
            }
            "AWS::Lambda::Permission" => b.permission(r, false),
            "AWS::Lambda::LayerVersionPermission" => b.permission(r, true),
            _ => {}
        }
        if identity_kind(&r.type_).is_none() {
            for role in role_property(t, r) {
                b.m.runs_as.push((r.id.clone(), role.to_owned()));
            }
        }
        if r.type_ == "AWS::Cognito::IdentityPoolRoleAttachment" {
            let pools = refs("IdentityPoolId");
            if let Some(roles) = r.prop("Roles") {
                for (id, _) in resource_refs(t, roles) {
                    if b.m.identity(&id).is_some() {
                        for p in &pools {
                            b.m.runs_as.push((p.clone(), id.clone()));
                        }
                    }
                }
            }
        }
    }
    b.m
}
