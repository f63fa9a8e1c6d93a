//! Findings in Terraform's words: the rules write CloudFormation remediations (they never
//! learn the input's language); for a Terraform input, each finding's remediation is
//! replaced by the one below for its rule (and, where the fix differs, for the Terraform
//! type of the resource it is on), and the few CloudFormation words in messages are
//! translated. A rule without an entry keeps its own text (the meta-test below fails then).

use crate::model::Template;
use crate::rules::Finding;

/// Rule id, Terraform type (empty: any), remediation.
pub const REMEDIATIONS: &[(&str, &str, &str)] = &[
    ("AUTH001", "aws_apigatewayv2_route", "Set `authorization_type = \"JWT\"` with `authorizer_id = aws_apigatewayv2_authorizer.<name>.id` (or `\"AWS_IAM\"`, or a `\"CUSTOM\"` Lambda authorizer) on the route."),
    ("AUTH001", "", "Set `authorization = \"COGNITO_USER_POOLS\"` with `authorizer_id = aws_api_gateway_authorizer.<name>.id` (or `\"AWS_IAM\"`, or a `\"CUSTOM\"` Lambda authorizer) on the `aws_api_gateway_method`; for an HTTP API route, `authorization_type = \"JWT\"`."),
    ("AUTH002", "", "List the specific actions the function calls (`actions = [\"dynamodb:GetItem\", \"dynamodb:PutItem\"]` in the `aws_iam_policy_document` statement, or `Action` in the `jsonencode` policy) instead of a wildcard."),
    ("AUTH003", "", "Set `authorization_type = \"AWS_IAM\"` on the `aws_lambda_function_url` (callers sign requests with SigV4, e.g. through CloudFront with origin access control)."),
    ("AUTH004", "", "Set `source_arn` (and `source_account` for S3) on the `aws_lambda_permission` to the exact bucket, topic, rule or API route that invokes the function."),
    ("AUTH005", "", "Replace `\"*\"` in `resources` (or `Resource`) with the ARN of the resource the function uses, e.g. `aws_dynamodb_table.<name>.arn`."),
    ("AUTH006", "aws_iam_group", "Replace the `aws_iam_group_policy_attachment` of the broad managed policy with an `aws_iam_group_policy` listing only the actions and resources the members need."),
    ("AUTH006", "aws_iam_user", "Replace the `aws_iam_user_policy_attachment` of the broad managed policy with a group policy (`aws_iam_group_policy`) listing only the actions and resources the user needs."),
    ("AUTH006", "", "Replace the `aws_iam_role_policy_attachment` of the broad managed policy with an `aws_iam_role_policy` listing only the actions and resources the function needs."),
    ("AUTH007", "", "Give each `aws_lambda_function` its own `aws_iam_role` with only the permissions it needs."),
    ("AUTH008", "", "Keep the secret in `aws_secretsmanager_secret` (or an SSM `SecureString`), put only its ARN or name in `environment { variables }`, and read it at runtime."),
    ("AUTH009", "aws_db_instance", "Set `manage_master_user_password = true` (RDS keeps and rotates the password in Secrets Manager), or read it from a `sensitive` variable with no default."),
    ("AUTH009", "aws_rds_cluster", "Set `manage_master_user_password = true` (RDS keeps and rotates the password in Secrets Manager), or read it from a `sensitive` variable with no default."),
    ("AUTH009", "", "Read `master_password` from a `sensitive = true` variable without a default (or from `aws_secretsmanager_secret_version`), never a literal; RDS and Aurora: `manage_master_user_password = true`."),
    ("AUTH010", "", "Remove the public ACL and policy statement, and add an `aws_s3_bucket_public_access_block` with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all `true`."),
    ("AUTH011", "", "Name the account or service that needs access in the policy's `principals`, or add a `condition` such as `aws:SourceArn` / `aws:SourceAccount`."),
    ("AUTH012", "", "Put an authorizer on the route (`authorization` / `authorization_type`), and cut the function's policy down to the actions and resources it uses."),
    ("AUTH013", "", "Set `source_arn = \"${aws_api_gateway_rest_api.<name>.execution_arn}/*/METHOD/path\"` (HTTP API: `aws_apigatewayv2_api.<name>.execution_arn`) on the `aws_lambda_permission`."),
    ("AUTH014", "", "Scope the policy's `resources` to the stores the function names (`aws_dynamodb_table.<name>.arn`) and remove the grants it does not use."),
    ("AUTH015", "", "Grant the function the actions it needs on that store in its own role (an `aws_iam_role_policy` with those actions on the store's `arn`), or remove the reference."),
    ("AUTH016", "", "Keep the secret in `aws_secretsmanager_secret`, pass its ARN in `environment { variables }`, and read it at runtime instead of interpolating the `sensitive` variable."),
    ("AUTH017", "", "Set `allow_unauthenticated_identities = false` on the `aws_cognito_identity_pool`, or give the unauthenticated role only what a guest may do."),
    ("DATA001", "", "Add a bucket policy (`aws_s3_bucket_policy`) statement with `effect = \"Deny\"`, `actions = [\"s3:*\"]` and a `condition` `Bool` `aws:SecureTransport` = `false`."),
    ("DATA002", "aws_dynamodb_table", "Add `server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.<name>.arn }` to the table."),
    ("DATA002", "aws_s3_bucket", "Add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = \"aws:kms\"` and `kms_master_key_id = aws_kms_key.<name>.arn`."),
    ("DATA002", "", "Encrypt the store with a customer managed key (`kms_master_key_id` / `kms_key_id` / `kms_key_arn` = `aws_kms_key.<name>.arn`)."),
    ("DATA003", "", "Set `kms_master_key_id` on the `aws_sns_topic` (`\"alias/aws/sns\"` or a customer managed key); for a Kinesis stream, `encryption_type = \"KMS\"` with `kms_key_id`."),
    ("DATA004", "", "Set `storage_encrypted = true` (and `kms_key_id` for a customer managed key) on the `aws_docdb_cluster`."),
    ("DATA005", "", "Set the `tls` parameter to `\"enabled\"` (the default) in the `aws_docdb_cluster_parameter_group` (`parameter { name = \"tls\" value = \"enabled\" }`), and connect with the Amazon RDS CA bundle."),
    ("DATA006", "", "Set `storage_encrypted = true` (and `kms_key_id` for a customer managed key)."),
    ("DATA007", "", "Set `at_rest_encryption_enabled = true` and `transit_encryption_enabled = true` (with an `auth_token` or RBAC) on the `aws_elasticache_replication_group`."),
    ("DATA008", "", "Set `security_policy = \"TLS_1_2\"` on the domain name; on CloudFront use `viewer_protocol_policy = \"redirect-to-https\"` and `minimum_protocol_version = \"TLSv1.2_2021\"`."),
    ("DATA009", "", "Move the secret to `aws_secretsmanager_secret`; until then set `kms_key_arn` on the `aws_lambda_function` to a customer managed key."),
    ("DATA010", "", "Add `point_in_time_recovery { enabled = true }` to the `aws_dynamodb_table`."),
    ("DATA011", "", "Add an `aws_api_gateway_request_validator` with `validate_request_body = true`, and set `request_validator_id` and `request_models` on the `aws_api_gateway_method`."),
    ("DATA012", "", "Write per-request files under a unique name and delete them before returning, or keep `ephemeral_storage { size }` at the default 512 MB if the function does not need more."),
    ("DATA013", "", "Enable TLS on the store (DocumentDB `tls` parameter `\"enabled\"`; a bucket policy denying `aws:SecureTransport = false`) and connect over TLS."),
    ("DATA014", "", "Remove `sqs_managed_sse_enabled = false` from the `aws_sqs_queue`, or set `kms_master_key_id`."),
    ("DATA015", "", "Set `publicly_accessible = false` and reach the database from the VPC (`vpc_config` on the function)."),
    ("DATA016", "", "Set `cache_data_encrypted = true` in the `settings` of the `aws_api_gateway_method_settings` that enable caching."),
    ("DATA017", "", "Set `data_trace_enabled = false` in the `aws_api_gateway_method_settings` `settings` (or the stage's `default_route_settings`) in production; use access logs with a chosen `format` instead."),
    ("DOS001", "", "Add an `aws_api_gateway_method_settings` for the stage with `method_path = \"*/*\"` and `settings { throttling_rate_limit = N, throttling_burst_limit = M }`."),
    ("DOS002", "", "Set `default_route_settings { throttling_rate_limit = N, throttling_burst_limit = M }` on the `aws_apigatewayv2_stage`."),
    ("DOS003", "", "Add an `aws_wafv2_web_acl` (`scope = \"REGIONAL\"`) with a rate-based rule and the AWS managed common rule set, and an `aws_wafv2_web_acl_association` with `resource_arn = aws_api_gateway_stage.<name>.arn`."),
    ("DOS004", "", "Create an `aws_wafv2_web_acl` with `scope = \"CLOUDFRONT\"` (in us-east-1) with a rate-based rule, and set `web_acl_id` on the `aws_cloudfront_distribution`."),
    ("DOS005", "", "Add a `rule` whose `statement { rate_based_statement { limit = 1000, aggregate_key_type = \"IP\" } }` has `action { block {} }`."),
    ("DOS006", "", "Set `reserved_concurrent_executions` on the `aws_lambda_function` to the most it should ever run at once."),
    ("DOS007", "", "Set `throttle_settings { rate_limit, burst_limit }` and `quota_settings { limit, period }` on the `aws_api_gateway_usage_plan`."),
    ("DOS008", "", "Set `user_pool_add_ons { advanced_security_mode = \"ENFORCED\" }` on the `aws_cognito_user_pool`."),
    ("DOS009", "", "Set `mfa_configuration = \"OPTIONAL\"` (or `\"ON\"`) with `software_token_mfa_configuration { enabled = true }` on the `aws_cognito_user_pool`."),
    ("DOS010", "", "Throttle the stage, and cap the table with `on_demand_throughput { max_read_request_units, max_write_request_units }` (or provisioned capacity), and the function with `reserved_concurrent_executions`."),
    ("DOS011", "", "Add at least one brake, ideally all: stage throttling (`aws_api_gateway_method_settings` / `default_route_settings`), an `aws_wafv2_web_acl` rate-based rule, and `reserved_concurrent_executions` on the function."),
    ("DOS012", "", "Set `password_policy { minimum_length = 12, require_lowercase = true, require_uppercase = true, require_numbers = true, require_symbols = true }` and enable MFA."),
    ("LOG001", "", "Add `tracing_config { mode = \"Active\" }` to the `aws_lambda_function` and allow `xray:PutTraceSegments` / `xray:PutTelemetryRecords` in its role."),
    ("LOG002", "", "Set `access_log_settings { destination_arn = aws_cloudwatch_log_group.<name>.arn, format = … }` on the `aws_api_gateway_stage`."),
    ("LOG003", "", "Add an `aws_api_gateway_method_settings` for the stage with `method_path = \"*/*\"` and `settings { logging_level = \"ERROR\" }` (and an `aws_api_gateway_account` with a CloudWatch role)."),
    ("LOG004", "", "Set `xray_tracing_enabled = true` on the `aws_api_gateway_stage`."),
    ("LOG005", "", "Set `access_log_settings { destination_arn = aws_cloudwatch_log_group.<name>.arn, format = … }` on the `aws_apigatewayv2_stage`."),
    ("LOG006", "", "Confirm an organization or account trail covers this account and region; otherwise add an `aws_cloudtrail` with `is_multi_region_trail = true` and `enable_log_file_validation = true`."),
    ("LOG007", "", "Set `enable_log_file_validation = true` on the `aws_cloudtrail`."),
    ("LOG008", "", "Set `is_multi_region_trail = true` on the `aws_cloudtrail`."),
    ("LOG009", "", "Add an `event_selector` with a `data_resource { type = \"AWS::S3::Object\" values = [\"${aws_s3_bucket.<name>.arn}/\"] }` (and `AWS::Lambda::Function` for the functions) to the `aws_cloudtrail`."),
    ("LOG010", "", "Declare an `aws_cloudwatch_log_group` named `\"/aws/lambda/${aws_lambda_function.<name>.function_name}\"` with `retention_in_days`, or point `logging_config { log_group }` at one."),
    ("LOG011", "", "Add `dead_letter_config { target_arn = aws_sqs_queue.<dlq>.arn }` to the function, or an `aws_lambda_function_event_invoke_config` with `destination_config { on_failure { destination = … } }`."),
    ("LOG012", "", "Add `logging_configuration { level = \"ERROR\", include_execution_data = false, log_destination = \"${aws_cloudwatch_log_group.<name>.arn}:*\" }` to the `aws_sfn_state_machine`."),
    ("LOG013", "", "Add an `aws_s3_bucket_logging` for the bucket with `target_bucket` set to a log bucket (or enable CloudTrail S3 data events for it)."),
    ("LOG014", "", "Turn on the stage's access log (`access_log_settings`) and tracing (`xray_tracing_enabled`), and `tracing_config { mode = \"Active\" }` on the function."),
    ("LOG015", "", "Give every suppression a valid rule id and a reason after it: `# pillarlint:ignore RULE reason`, `#checkov:skip=CKV_AWS_…:reason`."),
    // the parity branch's rules
    ("DATA018", "", "Set `kms_key_id` on the `aws_cloudtrail` to a customer managed key."),
    ("DATA019", "", "Add `server_side_encryption { enabled = true }` to the `aws_dax_cluster`."),
    ("LOG016", "", "Set `enabled_cloudwatch_logs_exports = [\"audit\", \"profiler\"]` on the `aws_docdb_cluster` and the `audit_logs` parameter to `\"enabled\"` in its parameter group."),
    ("LOG017", "", "Allow `logs:CreateLogStream` and `logs:PutLogEvents` in the function's role (attach `AWSLambdaBasicExecutionRole` with an `aws_iam_role_policy_attachment`)."),
    // the iam branch's rules
    ("AUTH018", "", "Name the accounts, roles or services that need the role in the trust policy's `principals` (`assume_role_policy`), or add a `condition` on `aws:PrincipalOrgID` / `aws:PrincipalArn`."),
    ("AUTH019", "", "Add a `condition` requiring `sts:ExternalId` for third parties (or `aws:PrincipalOrgID` / `aws:PrincipalArn`) to the `assume_role_policy`, and trust the one role that needs access rather than the account root."),
    ("AUTH020", "", "Add a `condition` on the provider's `aud` to the `assume_role_policy` statement (and for GitHub Actions on `token.actions.githubusercontent.com:sub`, naming your repository and branch)."),
    ("AUTH021", "", "In the `assume_role_policy`, name the one service that runs the role (`identifiers = [\"lambda.amazonaws.com\"]`) and allow only `sts:AssumeRole` (with `sts:TagSession` if sessions are tagged)."),
    ("AUTH022", "", "List the allowed `actions` (`Action`) and `resources` (`Resource`) of the statement; keep `not_actions` / `not_resources` for `effect = \"Deny\"` statements."),
    ("AUTH023", "", "Scope the action's `resources` to what it must manage (`iam:PassRole` only on named roles, with an `iam:PassedToService` `condition`), or move IAM changes to a separate, audited deployment role."),
    ("AUTH024", "", "Scope the statement's `resources` to the one database user, cluster, instance or role it is for, or let a service keep the credentials (RDS Proxy, Secrets Manager)."),
    ("AUTH025", "", "Attach the policy to an `aws_iam_group` (`aws_iam_group_policy_attachment`) and add the user to it (`aws_iam_user_group_membership`), or use roles through IAM Identity Center."),
    ("AUTH026", "", "Use roles instead of the `aws_iam_access_key` (OIDC federation for CI, IAM Identity Center for people); if a key is unavoidable, keep it in `aws_secretsmanager_secret`, rotate it, and output no `secret`."),
    ("AUTH027", "", "Set `password_reset_required = true` on the `aws_iam_user_login_profile`."),
    ("AUTH028", "", "In the resource policy, name the allowed `principals` and list the `actions` they need (`s3:GetObject`, `sqs:SendMessage`, `kms:Decrypt`; `lambda:InvokeFunction` for an `aws_lambda_permission`); keep `not_principals` / `not_actions` for `effect = \"Deny\"`."),
    ("AUTH029", "aws_lambda_permission", "Set `source_arn` (and `source_account`) on the `aws_lambda_permission` to your own bucket, rule, topic or API."),
    ("AUTH029", "", "Add a `condition` to the policy statement: `ArnLike` on `aws:SourceArn` naming your own rule, trail or distribution, or `StringEquals` on `aws:SourceAccount` = `data.aws_caller_identity.current.account_id`."),
    ("AUTH030", "", "Set `mfa_configuration = \"ON\"` (or `\"OPTIONAL\"` with `software_token_mfa_configuration { enabled = true }`) and `password_policy { minimum_length = 8 }` or more on the `aws_cognito_user_pool`."),
    ("DOS013", "", "Add a `rule` with `statement { managed_rule_group_statement { name = \"AWSManagedRulesKnownBadInputsRuleSet\", vendor_name = \"AWS\" } }` and `override_action { none {} }` to the `aws_wafv2_web_acl`."),
];

/// CloudFormation words in messages and their Terraform counterparts.
const WORDS: &[(&str, &str)] = &[
    ("NoEcho parameter", "sensitive variable"),
    ("without `NoEcho`", "without `sensitive = true`"),
    ("not even NoEcho", "not even `sensitive`"),
    ("parameter var.", "variable var."),
    ("the template declares", "the configuration declares"),
    ("in the template", "in the configuration"),
    ("the template,", "the configuration,"),
    ("in this template", "in this configuration"),
    (
        "anyone who can describe the stack",
        "anyone who can read the Terraform state",
    ),
    (
        "whoever wrote, deployed or can read the template's parameters knows it",
        "whoever can read the Terraform state, or decrypt its `encrypted_password`, knows it",
    ),
];

/// CloudFormation properties whose Terraform argument is not their snake_case spelling.
const ARGUMENTS: &[(&str, &str)] = &[
    ("AuthType", "authorization_type"),
    ("AuthorizationType", "authorization"),
    ("MasterUserPassword", "master_password"),
    ("AccessLogSetting", "access_log_settings"),
    ("TracingEnabled", "xray_tracing_enabled"),
    ("TracingConfig", "tracing_config"),
    ("ManagedPolicyArns", "aws_iam_role_policy_attachment"),
    ("PointInTimeRecoverySpecification", "point_in_time_recovery"),
    ("SSESpecification", "server_side_encryption"),
];

/// Words of IAM and OpenAPI documents, which `jsonencode` keeps as they are.
const DOCUMENT_WORDS: &[&str] = &[
    "Resource",
    "Principal",
    "Action",
    "Effect",
    "Condition",
    "NotAction",
    "NotPrincipal",
    "NotResource",
    "Allow",
    "Deny",
];

/// `KMSMasterKeyID` → `kms_master_key_id`.
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A backticked CloudFormation property (`` `StorageEncrypted: false` ``) in Terraform's
/// spelling (`` `storage_encrypted = false` ``); other code spans unchanged.
fn argument_words(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find('`') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let Some(j) = rest.find('`') else { break };
        let code = &rest[..j];
        let (name, value) = match code.split_once(": ") {
            Some((n, v)) => (n, Some(v)),
            None => (code, None),
        };
        let is_property = name.len() > 2
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && name.chars().any(|c| c.is_ascii_lowercase())
            && !DOCUMENT_WORDS.contains(&name);
        if is_property {
            let arg = ARGUMENTS
                .iter()
                .find(|(c, _)| *c == name)
                .map_or_else(|| snake(name), |(_, a)| (*a).to_owned());
            out.push_str(&arg);
            if let Some(v) = value {
                out.push_str(" = ");
                out.push_str(v);
            }
        } else {
            out.push_str(code);
        }
        out.push('`');
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    out
}

/// The remediation for `rule` on a resource of Terraform type `tf_type`.
pub fn remediation(rule: &str, tf_type: Option<&str>) -> Option<&'static str> {
    let mut any = None;
    for (r, ty, text) in REMEDIATIONS {
        if *r != rule {
            continue;
        }
        if !ty.is_empty() && Some(*ty) == tf_type {
            return Some(text);
        }
        if ty.is_empty() && any.is_none() {
            any = Some(*text);
        }
    }
    any
}

/// Rewrite findings of a Terraform template in Terraform's words.
pub fn present(t: &Template, findings: &mut [Finding]) {
    for f in findings {
        let ty = f
            .resource
            .as_deref()
            .and_then(|r| t.resource(r))
            .and_then(|r| r.source_type.as_deref());
        if let Some(text) = remediation(f.rule, ty) {
            f.remediation = text.to_owned();
        }
        for (cfn, tf) in WORDS {
            if f.message.contains(cfn) {
                f.message = f.message.replace(cfn, tf);
            }
        }
        if f.message.contains('`') {
            f.message = argument_words(&f.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_speaks_terraform() {
        for r in crate::rules::RULES {
            let id = r.meta().id;
            assert!(
                remediation(id, None).is_some(),
                "{id} has no Terraform remediation in model/terraform/speak.rs"
            );
        }
    }

    #[test]
    fn messages_name_arguments() {
        assert_eq!(snake("KMSMasterKeyID"), "kms_master_key_id");
        assert_eq!(snake("OnDemandThroughput"), "on_demand_throughput");
        assert_eq!(
            argument_words("sets `StorageEncrypted: false` and no (`KmsKeyArn`) on `Resource: \"*\"` for `John Doe;`"),
            "sets `storage_encrypted = false` and no (`kms_key_arn`) on `Resource: \"*\"` for `John Doe;`"
        );
        assert_eq!(
            argument_words("`AuthType: NONE`"),
            "`authorization_type = NONE`"
        );
    }

    #[test]
    fn type_specific_text_wins() {
        let v2 = remediation("AUTH001", Some("aws_apigatewayv2_route")).unwrap_or("");
        assert!(v2.contains("authorization_type"), "{v2}");
        let rest = remediation("AUTH001", Some("aws_api_gateway_method")).unwrap_or("");
        assert!(
            rest.contains("authorization = \\\"COGNITO_USER_POOLS\\\"")
                || rest.contains("authorization = \"COGNITO_USER_POOLS\""),
            "{rest}"
        );
    }
}
