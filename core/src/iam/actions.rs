//! IAM actions: wildcard matching, and the action sets the rules reason with.
//!
//! The sets come from the published research on IAM abuse: Rhino Security Labs' privilege
//! escalation methods, Bishop Fox's `iam-vulnerable` scenarios and cloudsplaining's risk
//! categories (credentials exposure, resource exposure). They are kept as
//! short lists of lower-case names and patterns, not as a copy of the IAM action catalogue.

/// Case-insensitive glob match with `*` and `?` (IAM's own matching for actions).
pub fn matches(pattern: &str, action: &str) -> bool {
    let p = pattern.as_bytes();
    let s = action.as_bytes();
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        let pc = p.get(pi).map(u8::to_ascii_lowercase);
        if pc == Some(b'?') || pc == Some(s[si].to_ascii_lowercase()) {
            pi += 1;
            si += 1;
        } else if pc == Some(b'*') {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

/// The service prefix of an action (`s3` of `s3:GetObject`; `*` for `*`), lower-case.
pub fn service(action: &str) -> String {
    if action == "*" {
        return "*".into();
    }
    action
        .split_once(':')
        .map_or("", |(s, _)| s)
        .to_ascii_lowercase()
}

/// `*`, or a whole service (`iam:*`).
pub fn is_service_wide(action: &str) -> bool {
    action == "*" || action.ends_with(":*") && !action[..action.len() - 2].contains('*')
}

/// Services whose wildcard hands out control of the account rather than of its data.
pub const SENSITIVE_SERVICES: &[&str] = &["iam", "sts", "kms", "secretsmanager", "organizations"];

/// Actions that return credentials in their response (cloudsplaining's list, without
/// `ecr:GetAuthorizationToken`, which every image pull needs, and without `sts:AssumeRole*`,
/// judged as privilege escalation).
pub const CREDENTIALS_EXPOSURE: &[&str] = &[
    "appsync:createapikey",
    "chime:createapikey",
    "codeartifact:getauthorizationtoken",
    "codepipeline:pollforjobs",
    "cognito-identity:getcredentialsforidentity",
    "cognito-identity:getopenidtoken",
    "cognito-identity:getopenidtokenfordeveloperidentity",
    "connect:getfederationtoken",
    "ec2:getpassworddata",
    "gamelift:getinstanceaccess",
    "gamelift:requestuploadcredentials",
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:createservicespecificcredential",
    "iam:resetservicespecificcredential",
    "iam:updateaccesskey",
    "lightsail:downloaddefaultkeypair",
    "lightsail:getinstanceaccessdetails",
    "lightsail:getrelationaldatabasemasteruserpassword",
    "rds-db:connect",
    "redshift:getclustercredentials",
    "redshift-serverless:getcredentials",
    "sso:getrolecredentials",
    "sts:getfederationtoken",
    "sts:getsessiontoken",
];

/// One privilege-escalation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// What it lets the holder do, as a phrase.
    pub name: &'static str,
    /// The actions that, together, make it; the first is the one whose
    /// resources say what it reaches.
    pub actions: &'static [&'static str],
    /// What it takes over: `user` (another user's credentials), `join` (a group to join),
    /// `self-role`/`self-user`/`self-group` (its own permissions), `role` (a stronger role),
    /// `assume` (roles that trust the account), `policy` (managed policy versions),
    /// `function` (what another function runs as); or, for a role handed to a service, the
    /// service that must trust the role (`lambda`).
    pub target: &'static str,
}

const fn m(name: &'static str, actions: &'static [&'static str], target: &'static str) -> Method {
    Method {
        name,
        actions,
        target,
    }
}

/// Privilege-escalation methods (Rhino Security Labs, Bishop Fox `iam-vulnerable`,
/// cloudsplaining). `iam:PassRole` methods need the pass and one compute-creating action.
pub const ESCALATIONS: &[Method] = &[
    m(
        "create an access key for another user",
        &["iam:CreateAccessKey"],
        "user",
    ),
    m(
        "set another user's console password",
        &["iam:CreateLoginProfile"],
        "user",
    ),
    m(
        "reset another user's console password",
        &["iam:UpdateLoginProfile"],
        "user",
    ),
    m(
        "add itself to a more privileged group",
        &["iam:AddUserToGroup"],
        "join",
    ),
    m(
        "publish a new version of a policy",
        &["iam:CreatePolicyVersion"],
        "policy",
    ),
    m(
        "switch a policy to an older, broader version",
        &["iam:SetDefaultPolicyVersion"],
        "policy",
    ),
    m(
        "attach any managed policy to a user, itself included",
        &["iam:AttachUserPolicy"],
        "self-user",
    ),
    m(
        "attach any managed policy to a group, its own included",
        &["iam:AttachGroupPolicy"],
        "self-group",
    ),
    m(
        "attach any managed policy to a role, itself included",
        &["iam:AttachRolePolicy"],
        "self-role",
    ),
    m(
        "write an inline policy on a user, itself included",
        &["iam:PutUserPolicy"],
        "self-user",
    ),
    m(
        "write an inline policy on a group, its own included",
        &["iam:PutGroupPolicy"],
        "self-group",
    ),
    m(
        "write an inline policy on a role, itself included",
        &["iam:PutRolePolicy"],
        "self-role",
    ),
    m(
        "rewrite a role's trust policy, then assume it",
        &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
        "role",
    ),
    m(
        "remove its own permissions boundary",
        &["iam:DeleteRolePermissionsBoundary"],
        "self-role",
    ),
    m(
        "assume any role that trusts the account",
        &["sts:AssumeRole"],
        "assume",
    ),
    m(
        "replace the code of a function that runs with another role",
        &["lambda:UpdateFunctionCode"],
        "function",
    ),
    m(
        "replace a Glue endpoint's key to run as its role",
        &["glue:UpdateDevEndpoint"],
        "glue",
    ),
    m(
        "run commands on instances with their roles",
        &["ssm:SendCommand"],
        "ec2",
    ),
    m(
        "pass a role to a new Lambda function",
        &["iam:PassRole", "lambda:CreateFunction"],
        "lambda",
    ),
    m(
        "pass a role to a new EC2 instance",
        &["iam:PassRole", "ec2:RunInstances"],
        "ec2",
    ),
    m(
        "pass a role to a new CloudFormation stack",
        &["iam:PassRole", "cloudformation:CreateStack"],
        "cloudformation",
    ),
    m(
        "pass a role to a new CodeBuild project",
        &["iam:PassRole", "codebuild:CreateProject"],
        "codebuild",
    ),
    m(
        "pass a role to a new Glue endpoint",
        &["iam:PassRole", "glue:CreateDevEndpoint"],
        "glue",
    ),
    m(
        "pass a role to a new Glue job",
        &["iam:PassRole", "glue:CreateJob"],
        "glue",
    ),
    m(
        "pass a role to a new Data Pipeline",
        &["iam:PassRole", "datapipeline:CreatePipeline"],
        "datapipeline",
    ),
    m(
        "pass a role to a new ECS task",
        &["iam:PassRole", "ecs:RegisterTaskDefinition"],
        "ecs-tasks",
    ),
    m(
        "pass a role to a new SageMaker notebook",
        &["iam:PassRole", "sagemaker:CreateNotebookInstance"],
        "sagemaker",
    ),
    m(
        "pass a role to a new state machine",
        &["iam:PassRole", "states:CreateStateMachine"],
        "states",
    ),
];

/// Changes to who may do what: identity policies, resource policies, ACLs and grants
/// (the "permissions management" access level, for the services serverless apps use).
pub fn permissions_management(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    let Some((svc, verb)) = a.split_once(':') else {
        return false;
    };
    if svc == "iam" {
        return verb.contains("policy")
            || verb.contains("permissionsboundary")
            || verb == "addusertogroup"
            || verb == "removeuserfromgroup";
    }
    const VERBS: &[&str] = &[
        "putbucketpolicy",
        "deletebucketpolicy",
        "putbucketacl",
        "putobjectacl",
        "putbucketpublicaccessblock",
        "putaccountpublicaccessblock",
        "addpermission",
        "removepermission",
        "putresourcepolicy",
        "deleteresourcepolicy",
        "putkeypolicy",
        "creategrant",
        "setrepositorypolicy",
        "putpermission",
        "addlayerversionpermission",
        "updatefunctionurlconfig",
        "createfunctionurlconfig",
    ];
    VERBS.contains(&verb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing_is_case_insensitive() {
        assert!(matches("iam:*", "iam:PassRole"));
        assert!(matches("IAM:Pass*", "iam:passrole"));
        assert!(matches("*", "s3:GetObject"));
        assert!(matches("s3:Get?bject", "s3:GetObject"));
        assert!(!matches("s3:Get*", "s3:PutObject"));
        assert!(!matches("iam:PassRole", "iam:PassRoles"));
    }

    #[test]
    fn service_wide() {
        assert!(is_service_wide("*"));
        assert!(is_service_wide("iam:*"));
        assert!(!is_service_wide("iam:Get*"));
        assert!(!is_service_wide("*:*x"));
        assert_eq!(service("DynamoDB:GetItem"), "dynamodb");
    }

    #[test]
    fn permissions_management_actions() {
        assert!(permissions_management("iam:AttachRolePolicy"));
        assert!(permissions_management("s3:PutBucketPolicy"));
        assert!(permissions_management("kms:PutKeyPolicy"));
        assert!(!permissions_management("s3:PutObject"));
        assert!(!permissions_management("iam:PassRole"));
    }
}
