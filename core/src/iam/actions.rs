//! IAM actions: wildcard matching, and the action sets the rules reason with.
//!
//! The sets come from the published research on IAM abuse: Rhino Security Labs' privilege
//! escalation methods, Bishop Fox's `iam-vulnerable` scenarios and cloudsplaining's risk
//! categories (credentials exposure, data exfiltration, resource exposure). They are kept as
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

/// Reads that copy data out when they are not scoped (cloudsplaining's data exfiltration).
pub const DATA_EXFILTRATION: &[&str] = &[
    "s3:getobject",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
    "secretsmanager:getsecretvalue",
    "rds:copydbsnapshot",
    "rds:createdbsnapshot",
];

/// Privilege-escalation methods: a name and the actions that, together, make it.
/// `iam:PassRole` methods need the pass and one compute-creating action.
pub const ESCALATIONS: &[(&str, &[&str])] = &[
    (
        "create an access key for another user",
        &["iam:createaccesskey"],
    ),
    (
        "set another user's console password",
        &["iam:createloginprofile"],
    ),
    (
        "reset another user's console password",
        &["iam:updateloginprofile"],
    ),
    (
        "add a user to a more privileged group",
        &["iam:addusertogroup"],
    ),
    (
        "publish a new version of a policy",
        &["iam:createpolicyversion"],
    ),
    (
        "switch a policy to an older, broader version",
        &["iam:setdefaultpolicyversion"],
    ),
    (
        "attach any managed policy to a user",
        &["iam:attachuserpolicy"],
    ),
    (
        "attach any managed policy to a group",
        &["iam:attachgrouppolicy"],
    ),
    (
        "attach any managed policy to a role",
        &["iam:attachrolepolicy"],
    ),
    ("write an inline policy on a user", &["iam:putuserpolicy"]),
    ("write an inline policy on a group", &["iam:putgrouppolicy"]),
    ("write an inline policy on a role", &["iam:putrolepolicy"]),
    (
        "rewrite a role's trust policy to assume it",
        &["iam:updateassumerolepolicy"],
    ),
    (
        "remove a role's permissions boundary",
        &["iam:deleterolepermissionsboundary"],
    ),
    (
        "assume any role that trusts the account",
        &["sts:assumerole"],
    ),
    (
        "replace the code of a function that runs with another role",
        &["lambda:updatefunctioncode"],
    ),
    (
        "replace a Glue endpoint's key to run as its role",
        &["glue:updatedevendpoint"],
    ),
    (
        "run commands on instances with their roles",
        &["ssm:sendcommand"],
    ),
    (
        "pass a role to a new Lambda function",
        &["iam:passrole", "lambda:createfunction"],
    ),
    (
        "pass a role to a new EC2 instance",
        &["iam:passrole", "ec2:runinstances"],
    ),
    (
        "pass a role to a new CloudFormation stack",
        &["iam:passrole", "cloudformation:createstack"],
    ),
    (
        "pass a role to a new CodeBuild project",
        &["iam:passrole", "codebuild:createproject"],
    ),
    (
        "pass a role to a new Glue endpoint",
        &["iam:passrole", "glue:createdevendpoint"],
    ),
    (
        "pass a role to a new Glue job",
        &["iam:passrole", "glue:createjob"],
    ),
    (
        "pass a role to a new Data Pipeline",
        &["iam:passrole", "datapipeline:createpipeline"],
    ),
    (
        "pass a role to a new ECS task",
        &["iam:passrole", "ecs:registertaskdefinition"],
    ),
    (
        "pass a role to a new SageMaker notebook",
        &["iam:passrole", "sagemaker:createnotebookinstance"],
    ),
    (
        "pass a role to a new state machine",
        &["iam:passrole", "states:createstatemachine"],
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

/// Does any of `patterns` (an allowed `Action` list) grant `action`?
pub fn any_matches<'a>(patterns: impl IntoIterator<Item = &'a str>, action: &str) -> bool {
    patterns.into_iter().any(|p| matches(p, action))
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
