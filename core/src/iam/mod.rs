//! The IAM policy model: every policy document of the expanded template, normalised into
//! statements and attached to who holds it.
//!
//! - identity policies of roles, users and groups: inline `Policies`, `AWS::IAM::Policy`,
//!   `ManagedPolicy` and `RolePolicy`/`UserPolicy`/`GroupPolicy` resources (by their
//!   `Roles`/`Users`/`Groups`, or an identity's `ManagedPolicyArns`), AWS managed policies
//!   by name ([`managed`]), a user's groups' policies; SAM policy templates, SAM connectors
//!   and Serverless `iamRoleStatements` arrive already expanded into role policies by
//!   [`crate::model`], and keep their SAM template name ([`Document::sam_template`]);
//! - trust policies (`AssumeRolePolicyDocument`);
//! - resource policies: S3 bucket, SQS queue, SNS topic, KMS key, Secrets Manager secret,
//!   API Gateway REST API (also SAM's `Auth.ResourcePolicy`), ECR repository, EventBridge bus,
//!   OpenSearch domain, and Lambda `Permission` / `LayerVersionPermission` resources, read as
//!   one-statement policies (their `SourceArn`, `SourceAccount`, `PrincipalOrgID`,
//!   `OrganizationId` become conditions).
//!
//! Each statement ([`Statement`]) keeps the position of every action, resource, principal and
//! condition key, and the `Fn::If` conditions that select it (both branches are read).
//! Built once per analysis, with the graph ([`crate::graph::Graph::iam`]); rules and the
//! graph read it instead of the raw policy JSON. On top of it: [`effective`] (what an
//! identity may do after `Deny`) and [`escalation`] (privilege-escalation paths).

pub mod actions;
pub mod collect;
pub mod effective;
pub mod escalation;
pub mod managed;
pub mod principal;
pub mod statement;

pub use principal::{Account, PrincipalItem, PrincipalKind};
pub use statement::{Condition, Effect, Item, Statement};

use crate::smap::StrMap;
use crate::span::Span;

/// What a policy document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// What its holders (roles, users, groups) may do.
    Identity,
    /// Who may assume a role.
    Trust,
    /// Who may use a resource.
    Resource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    Role,
    User,
    Group,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Role => "role",
            IdentityKind::User => "user",
            IdentityKind::Group => "group",
        }
    }
}

/// One policy document.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    /// The resource whose properties hold it: the role or user for inline policies and
    /// trust policies, the policy resource, the bucket policy, the Lambda permission, the key.
    pub carrier: String,
    /// How messages name it: `PolicyName`, the policy resource's id, the managed policy name.
    pub name: String,
    /// An AWS managed policy (its statements come from [`managed::grant`]).
    pub managed: Option<String>,
    /// The SAM policy template this inline policy was expanded from.
    pub sam_template: Option<String>,
    /// Identity documents: the roles, users and groups it is attached to; trust documents: the
    /// role; resource documents: the resources it protects.
    pub holders: Vec<String>,
    /// Resource documents: the service of the resources (`s3`, `sqs`, `sns`, `kms`,
    /// `secretsmanager`, `execute-api`, `ecr`, `events`, `es`, `lambda`, `lambda-layer`).
    pub service: &'static str,
    /// The `Fn::If` conditions that select the document (the carrier's own `Condition` is
    /// the carrier resource's).
    pub cond: Option<String>,
    pub span: Span,
    pub statements: Vec<Statement>,
}

/// A role, user or group of the template.
#[derive(Debug, Clone)]
pub struct Identity {
    pub id: String,
    pub kind: IdentityKind,
    pub span: Span,
    /// Identity documents attached to it directly (indexes into [`IamModel::docs`]).
    pub docs: Vec<usize>,
    /// Users: the groups of the template they belong to.
    pub groups: Vec<String>,
    /// Roles: the trust policy.
    pub trust: Option<usize>,
    /// Every AWS managed policy it attaches (known to [`managed`] or not): name, position of
    /// the ARN, `Fn::If` conditions.
    pub managed: Vec<(String, Span, Option<String>)>,
    /// It has a `PermissionsBoundary` (what it may do is capped by a policy the model does not
    /// subtract).
    pub boundary: bool,
    /// The `Condition` of the resource.
    pub condition: Option<String>,
}

/// The IAM side of a template.
#[derive(Debug, Default)]
pub struct IamModel {
    pub docs: Vec<Document>,
    pub identities: Vec<Identity>,
    index: StrMap<usize>,
    /// `(resource, role)`: functions, state machines, identity pools and other resources that
    /// run as (or hand out) a role of the template.
    pub runs_as: Vec<(String, String)>,
    /// Privilege-escalation paths, computed once ([`escalation`]).
    pub escalations: Vec<escalation::Escalation>,
}

impl IamModel {
    pub fn build(t: &crate::model::Template) -> IamModel {
        let mut m = collect::collect(t);
        m.escalations = escalation::find(&m);
        m
    }

    pub fn identity(&self, id: &str) -> Option<&Identity> {
        self.index.get(id).and_then(|&i| self.identities.get(i))
    }

    fn identity_mut(&mut self, id: &str) -> Option<&mut Identity> {
        let i = *self.index.get(id)?;
        self.identities.get_mut(i)
    }

    /// Every identity document that applies to `id`: its own, and for a user its groups'.
    /// Each comes with the group it arrives through (`None` for the identity's own).
    pub fn docs_of(&self, id: &str) -> Vec<(&Document, Option<&str>)> {
        let Some(who) = self.identity(id) else {
            return Vec::new();
        };
        let mut out: Vec<(&Document, Option<&str>)> = who
            .docs
            .iter()
            .filter_map(|&d| self.docs.get(d))
            .map(|d| (d, None))
            .collect();
        for g in &who.groups {
            if let Some(group) = self.identity(g) {
                out.extend(
                    group
                        .docs
                        .iter()
                        .filter_map(|&d| self.docs.get(d))
                        .map(|d| (d, Some(g.as_str()))),
                );
            }
        }
        out
    }

    /// Every statement of the identity documents that apply to `id`.
    pub fn statements_of(&self, id: &str) -> Vec<(&Document, &Statement)> {
        self.docs_of(id)
            .into_iter()
            .flat_map(|(d, _)| d.statements.iter().map(move |s| (d, s)))
            .collect()
    }

    /// The trust policy of a role.
    pub fn trust_of(&self, role: &str) -> Option<&Document> {
        self.identity(role)
            .and_then(|r| r.trust)
            .and_then(|i| self.docs.get(i))
    }

    /// Documents of one kind.
    pub fn docs_of_kind(&self, kind: DocKind) -> impl Iterator<Item = &Document> {
        self.docs.iter().filter(move |d| d.kind == kind)
    }

    /// The resources that run as `role` (functions, state machines, ...).
    pub fn hosts_of(&self, role: &str) -> Vec<&str> {
        self.runs_as
            .iter()
            .filter(|(_, r)| r == role)
            .map(|(h, _)| h.as_str())
            .collect()
    }

    /// The roles a resource runs as.
    pub fn roles_of(&self, host: &str) -> Vec<&str> {
        self.runs_as
            .iter()
            .filter(|(h, _)| h == host)
            .map(|(_, r)| r.as_str())
            .collect()
    }

    /// The documents a resource carries (a role's trust and inline policies, a bucket
    /// policy's document, a Lambda permission).
    pub fn carried_by<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Document> + 'a {
        self.docs.iter().filter(move |d| d.carrier == id)
    }

    /// Does the role trust `service` (`lambda` for `lambda.amazonaws.com`; also matches
    /// `edgelambda`)?
    pub fn trusts_service(&self, role: &str, service: &str) -> bool {
        let needle = format!("{service}.amazonaws.com");
        self.trust_of(role).is_some_and(|d| {
            d.statements
                .iter()
                .flat_map(|s| s.principals.iter())
                .any(|p| p.text.contains(&needle))
        })
    }

    /// How a finding names a document: `policy p`, `AWS managed policy X`, `the SAM policy
    /// template X`.
    pub fn describe(d: &Document) -> String {
        if let Some(tpl) = &d.sam_template {
            format!("from the SAM policy template {tpl}")
        } else if let Some(m) = &d.managed {
            format!("AWS managed policy {m}")
        } else {
            format!("policy {}", d.name)
        }
    }
}
