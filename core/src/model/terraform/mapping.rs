//! Terraform resource types as CloudFormation resources: the type table and the argument
//! mapping, written as data.
//!
//! An argument becomes the CloudFormation property of the same name in PascalCase
//! (`tracing_config { mode }` → `TracingConfig.Mode`, `kms_key_arn` → `KmsKeyArn`); a type's
//! entry lists only the exceptions, as `tf.path=Cfn.Path` items (nested paths relative to
//! their block):
//!
//! | target | meaning |
//! |---|---|
//! | `Name`, `A.B` | rename, or nest under `A` |
//! | `Name[]` | a list (blocks, or a single value wrapped) |
//! | `-` | not carried (tags, code archives, meta data) |
//! | `@json:Name` | a JSON document (`jsonencode`, heredoc JSON, a policy document data source) |
//! | `@keep:Name` | a map whose keys are the user's (environment variables, templates) |
//! | `@acl:Name` | an S3 canned ACL (`public-read` → `PublicRead`) |
//! | `@set:Name` | dropped when negative (`-1` means "not set" to the provider) |
//! | `@pos:Name` | dropped unless positive (`0` means "never expire") |
//! | `@params:Name` | `parameter { name, value }` blocks as a `{name: value}` map |
//! | `@dims:Name` | a `{name = value}` map as `[{Name, Value}]` |
//!
//! `*=Prefix.` puts every argument without an item under `Prefix` (CloudFront's
//! `DistributionConfig`). Blocks are lists of maps in the Terraform-shaped value; a map value
//! is an attribute whose keys are kept.

use crate::model::mk;
use crate::span::Span;
use crate::value::{Key, Node, Value};

/// Terraform type, CloudFormation type, argument exceptions.
pub const TYPES: &[(&str, &str, &str)] = &[
    ("aws_lambda_function", "AWS::Lambda::Function",
        "filename=- source_code_hash=- publish=- skip_destroy=- s3_bucket=Code.S3Bucket s3_key=Code.S3Key image_uri=Code.ImageUri reserved_concurrent_executions=@set:ReservedConcurrentExecutions environment.variables=@keep:Variables vpc_config.subnet_ids=SubnetIds vpc_config.security_group_ids=SecurityGroupIds"),
    ("aws_lambda_permission", "AWS::Lambda::Permission", "statement_id=- statement_id_prefix=- principal_org_id=PrincipalOrgID qualifier=-"),
    ("aws_lambda_function_url", "AWS::Lambda::Url", "function_name=TargetFunctionArn authorization_type=AuthType"),
    ("aws_lambda_event_source_mapping", "AWS::Lambda::EventSourceMapping",
        "destination_config.on_failure.destination_arn=Destination"),
    ("aws_lambda_alias", "AWS::Lambda::Alias", ""),
    ("aws_lambda_layer_version", "AWS::Lambda::LayerVersion", "filename=- source_code_hash=-"),
    ("aws_lambda_layer_version_permission", "AWS::Lambda::LayerVersionPermission",
        "layer_name=LayerVersionArn version_number=- statement_id=- skip_destroy=- organization_id=OrganizationId"),
    ("aws_lambda_function_event_invoke_config", "AWS::Lambda::EventInvokeConfig",
        "destination_config.on_failure.destination=Destination destination_config.on_success.destination=Destination"),
    ("aws_iam_role", "AWS::IAM::Role",
        "name=RoleName name_prefix=- assume_role_policy=@json:AssumeRolePolicyDocument inline_policy=Policies[] inline_policy.name=PolicyName inline_policy.policy=@json:PolicyDocument force_detach_policies=-"),
    ("aws_iam_policy", "AWS::IAM::ManagedPolicy", "name=ManagedPolicyName name_prefix=- policy=@json:PolicyDocument"),
    ("aws_iam_user", "AWS::IAM::User", "name=UserName force_destroy=-"),
    ("aws_iam_group", "AWS::IAM::Group", "name=GroupName"),
    ("aws_iam_group_membership", "AWS::IAM::UserToGroupAddition", "name=- group=GroupName"),
    ("aws_iam_access_key", "AWS::IAM::AccessKey", "user=UserName pgp_key=-"),
    ("aws_iam_openid_connect_provider", "AWS::IAM::OIDCProvider", ""),
    ("aws_iam_instance_profile", "AWS::IAM::InstanceProfile", "name=InstanceProfileName name_prefix=- role=Roles[]"),
    ("aws_s3_bucket", "AWS::S3::Bucket",
        "bucket=BucketName bucket_prefix=- force_destroy=- acl=@acl:AccessControl policy=- versioning.enabled=Status logging=LoggingConfiguration logging.target_bucket=DestinationBucketName logging.target_prefix=LogFilePrefix server_side_encryption_configuration=BucketEncryption.ServerSideEncryptionConfiguration server_side_encryption_configuration.rule=- website=WebsiteConfiguration lifecycle_rule=LifecycleConfiguration.Rules[] cors_rule=CorsConfiguration.CorsRules[]"),
    ("aws_s3_bucket_policy", "AWS::S3::BucketPolicy", "policy=@json:PolicyDocument"),
    ("aws_dynamodb_table", "AWS::DynamoDB::Table",
        "name=TableName hash_key=- range_key=- attribute=AttributeDefinitions[] attribute.name=AttributeName attribute.type=AttributeType point_in_time_recovery=PointInTimeRecoverySpecification point_in_time_recovery.enabled=PointInTimeRecoveryEnabled server_side_encryption=SSESpecification server_side_encryption.enabled=SSEEnabled server_side_encryption.kms_key_arn=KMSMasterKeyId stream_enabled=- stream_view_type=StreamSpecification.StreamViewType ttl=TimeToLiveSpecification ttl.attribute_name=AttributeName read_capacity=ProvisionedThroughput.ReadCapacityUnits write_capacity=ProvisionedThroughput.WriteCapacityUnits global_secondary_index=GlobalSecondaryIndexes[] local_secondary_index=LocalSecondaryIndexes[] replica=-"),
    ("aws_sqs_queue", "AWS::SQS::Queue",
        "name=QueueName name_prefix=- policy=- redrive_policy=@json:RedrivePolicy redrive_allow_policy=@json:RedriveAllowPolicy visibility_timeout_seconds=VisibilityTimeout message_retention_seconds=MessageRetentionPeriod kms_data_key_reuse_period_seconds=KmsDataKeyReusePeriodSeconds receive_wait_time_seconds=ReceiveMessageWaitTimeSeconds delay_seconds=DelaySeconds"),
    ("aws_sqs_queue_policy", "AWS::SQS::QueuePolicy", "queue_url=Queues[] policy=@json:PolicyDocument"),
    ("aws_sns_topic", "AWS::SNS::Topic", "name=TopicName name_prefix=- policy=- delivery_policy=- fifo_topic=FifoTopic"),
    ("aws_sns_topic_policy", "AWS::SNS::TopicPolicy", "arn=Topics[] policy=@json:PolicyDocument"),
    ("aws_sns_topic_subscription", "AWS::SNS::Subscription", "filter_policy=@json:FilterPolicy redrive_policy=@json:RedrivePolicy"),
    ("aws_kinesis_stream", "AWS::Kinesis::Stream", "encryption_type=StreamEncryption.EncryptionType kms_key_id=StreamEncryption.KeyId shard_count=ShardCount"),
    ("aws_kinesis_firehose_delivery_stream", "AWS::KinesisFirehose::DeliveryStream", "name=DeliveryStreamName"),
    ("aws_cloudwatch_log_group", "AWS::Logs::LogGroup", "name=LogGroupName name_prefix=- retention_in_days=@pos:RetentionInDays skip_destroy=-"),
    ("aws_cloudwatch_log_subscription_filter", "AWS::Logs::SubscriptionFilter", "name=FilterName"),
    ("aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter", "name=FilterName"),
    ("aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm", "alarm_name=AlarmName dimensions=@dims:Dimensions"),
    ("aws_cloudwatch_event_rule", "AWS::Events::Rule", "event_pattern=@json:EventPattern is_enabled=-"),
    ("aws_cloudwatch_event_bus", "AWS::Events::EventBus", ""),
    ("aws_scheduler_schedule", "AWS::Scheduler::Schedule", "target.input=Input"),
    ("aws_sfn_state_machine", "AWS::StepFunctions::StateMachine",
        "name=StateMachineName definition=@json:Definition type=StateMachineType logging_configuration.log_destination=Destinations tracing_configuration=TracingConfiguration publish=-"),
    ("aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi", "body=@json:Body policy=@json:Policy put_rest_api_mode=- fail_on_warnings=-"),
    ("aws_api_gateway_resource", "AWS::ApiGateway::Resource", ""),
    ("aws_api_gateway_method", "AWS::ApiGateway::Method",
        "authorization=AuthorizationType request_models=@keep:RequestModels request_parameters=@keep:RequestParameters authorization_scopes=AuthorizationScopes"),
    ("aws_api_gateway_authorizer", "AWS::ApiGateway::Authorizer", "provider_arns=ProviderARNs authorizer_credentials=AuthorizerCredentials"),
    ("aws_api_gateway_deployment", "AWS::ApiGateway::Deployment", "triggers=- stage_description=-"),
    ("aws_api_gateway_stage", "AWS::ApiGateway::Stage",
        "xray_tracing_enabled=TracingEnabled access_log_settings=AccessLogSetting variables=@keep:Variables"),
    ("aws_api_gateway_usage_plan", "AWS::ApiGateway::UsagePlan",
        "name=UsagePlanName api_stages=ApiStages[] throttle_settings=Throttle quota_settings=Quota"),
    ("aws_api_gateway_usage_plan_key", "AWS::ApiGateway::UsagePlanKey", ""),
    ("aws_api_gateway_api_key", "AWS::ApiGateway::ApiKey", "value=-"),
    ("aws_api_gateway_request_validator", "AWS::ApiGateway::RequestValidator", ""),
    ("aws_api_gateway_model", "AWS::ApiGateway::Model", "schema=@json:Schema"),
    ("aws_api_gateway_domain_name", "AWS::ApiGateway::DomainName", ""),
    ("aws_api_gateway_base_path_mapping", "AWS::ApiGateway::BasePathMapping", "api_id=RestApiId"),
    ("aws_api_gateway_account", "AWS::ApiGateway::Account", ""),
    ("aws_apigatewayv2_api", "AWS::ApiGatewayV2::Api", "body=@json:Body"),
    ("aws_apigatewayv2_route", "AWS::ApiGatewayV2::Route", "request_parameter=-"),
    ("aws_apigatewayv2_integration", "AWS::ApiGatewayV2::Integration", "request_parameters=@keep:RequestParameters request_templates=@keep:RequestTemplates"),
    ("aws_apigatewayv2_authorizer", "AWS::ApiGatewayV2::Authorizer", "identity_sources=IdentitySource"),
    ("aws_apigatewayv2_stage", "AWS::ApiGatewayV2::Stage",
        "name=StageName stage_variables=@keep:StageVariables route_settings=-"),
    ("aws_apigatewayv2_deployment", "AWS::ApiGatewayV2::Deployment", "triggers=-"),
    ("aws_apigatewayv2_domain_name", "AWS::ApiGatewayV2::DomainName", "domain_name_configuration=DomainNameConfigurations[]"),
    ("aws_apigatewayv2_api_mapping", "AWS::ApiGatewayV2::ApiMapping", ""),
    ("aws_wafv2_web_acl", "AWS::WAFv2::WebACL", "rule=Rules[] visibility_config.cloudwatch_metrics_enabled=CloudWatchMetricsEnabled"),
    ("aws_wafv2_web_acl_association", "AWS::WAFv2::WebACLAssociation", "web_acl_arn=WebACLArn"),
    ("aws_wafv2_rule_group", "AWS::WAFv2::RuleGroup", "rule=Rules[]"),
    ("aws_wafv2_ip_set", "AWS::WAFv2::IPSet", ""),
    ("aws_waf_web_acl", "AWS::WAF::WebACL", ""),
    ("aws_wafregional_web_acl", "AWS::WAFRegional::WebACL", ""),
    ("aws_wafregional_web_acl_association", "AWS::WAFRegional::WebACLAssociation", "web_acl_id=WebACLId"),
    ("aws_cloudfront_distribution", "AWS::CloudFront::Distribution",
        "*=DistributionConfig. origin=Origins[] origin.origin_id=Id ordered_cache_behavior=CacheBehaviors[] logging_config=Logging web_acl_id=WebACLId aliases=Aliases retain_on_delete=- wait_for_deployment=-"),
    ("aws_cloudtrail", "AWS::CloudTrail::Trail",
        "name=TrailName kms_key_id=KMSKeyId cloud_watch_logs_group_arn=CloudWatchLogsLogGroupArn cloud_watch_logs_role_arn=CloudWatchLogsRoleArn event_selector=EventSelectors[] event_selector.data_resource=DataResources[] advanced_event_selector=AdvancedEventSelectors[] enable_logging=IsLogging"),
    ("aws_docdb_cluster", "AWS::DocDB::DBCluster",
        "cluster_identifier=DBClusterIdentifier master_password=MasterUserPassword db_cluster_parameter_group_name=DBClusterParameterGroupName db_subnet_group_name=DBSubnetGroupName enabled_cloudwatch_logs_exports=EnableCloudwatchLogsExports skip_final_snapshot=- final_snapshot_identifier=- apply_immediately=-"),
    ("aws_docdb_cluster_parameter_group", "AWS::DocDB::DBClusterParameterGroup", "parameter=@params:Parameters name=Name"),
    ("aws_docdb_cluster_instance", "AWS::DocDB::DBInstance", "cluster_identifier=DBClusterIdentifier identifier=DBInstanceIdentifier apply_immediately=-"),
    ("aws_docdb_subnet_group", "AWS::DocDB::DBSubnetGroup", ""),
    ("aws_docdbelastic_cluster", "AWS::DocDBElastic::Cluster", "admin_user_password=AdminUserPassword"),
    ("aws_rds_cluster", "AWS::RDS::DBCluster",
        "cluster_identifier=DBClusterIdentifier master_password=MasterUserPassword db_cluster_parameter_group_name=DBClusterParameterGroupName db_subnet_group_name=DBSubnetGroupName iam_database_authentication_enabled=EnableIAMDatabaseAuthentication enabled_cloudwatch_logs_exports=EnableCloudwatchLogsExports skip_final_snapshot=- final_snapshot_identifier=- apply_immediately=-"),
    ("aws_rds_cluster_parameter_group", "AWS::RDS::DBClusterParameterGroup", "parameter=@params:Parameters"),
    ("aws_db_instance", "AWS::RDS::DBInstance",
        "identifier=DBInstanceIdentifier username=MasterUsername password=MasterUserPassword db_name=DBName instance_class=DBInstanceClass parameter_group_name=DBParameterGroupName db_subnet_group_name=DBSubnetGroupName iam_database_authentication_enabled=EnableIAMDatabaseAuthentication enabled_cloudwatch_logs_exports=EnableCloudwatchLogsExports skip_final_snapshot=- final_snapshot_identifier=- apply_immediately=-"),
    ("aws_db_parameter_group", "AWS::RDS::DBParameterGroup", "parameter=@params:Parameters"),
    ("aws_neptune_cluster", "AWS::Neptune::DBCluster", "cluster_identifier=DBClusterIdentifier"),
    ("aws_redshift_cluster", "AWS::Redshift::Cluster", "master_password=MasterUserPassword"),
    ("aws_opensearch_domain", "AWS::OpenSearchService::Domain", ""),
    ("aws_elasticsearch_domain", "AWS::Elasticsearch::Domain", ""),
    ("aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup", "description=ReplicationGroupDescription"),
    ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster", ""),
    ("aws_elasticache_serverless_cache", "AWS::ElastiCache::ServerlessCache", ""),
    ("aws_memorydb_cluster", "AWS::MemoryDB::Cluster", ""),
    ("aws_kms_key", "AWS::KMS::Key", "policy=@json:KeyPolicy deletion_window_in_days=PendingWindowInDays"),
    ("aws_kms_alias", "AWS::KMS::Alias", "name=AliasName"),
    ("aws_secretsmanager_secret", "AWS::SecretsManager::Secret", "policy=- recovery_window_in_days=-"),
    ("aws_secretsmanager_secret_rotation", "AWS::SecretsManager::RotationSchedule", "rotation_lambda_arn=RotationLambdaARN"),
    ("aws_secretsmanager_secret_policy", "AWS::SecretsManager::ResourcePolicy", "secret_arn=SecretId policy=@json:ResourcePolicy"),
    ("aws_ssm_parameter", "AWS::SSM::Parameter", "value=Value insecure_value=Value overwrite=-"),
    ("aws_cognito_user_pool", "AWS::Cognito::UserPool",
        "name=UserPoolName password_policy=Policies.PasswordPolicy software_token_mfa_configuration=- schema=Schema[]"),
    ("aws_cognito_user_pool_client", "AWS::Cognito::UserPoolClient", "name=ClientName"),
    ("aws_cognito_user_pool_domain", "AWS::Cognito::UserPoolDomain", ""),
    ("aws_cognito_user_group", "AWS::Cognito::UserPoolGroup", ""),
    ("aws_cognito_identity_provider", "AWS::Cognito::UserPoolIdentityProvider", "provider_details=@keep:ProviderDetails"),
    ("aws_cognito_resource_server", "AWS::Cognito::UserPoolResourceServer", ""),
    ("aws_cognito_identity_pool", "AWS::Cognito::IdentityPool", "cognito_identity_providers=CognitoIdentityProviders[]"),
    ("aws_cognito_identity_pool_roles_attachment", "AWS::Cognito::IdentityPoolRoleAttachment", "roles=@keep:Roles"),
    ("aws_security_group", "AWS::EC2::SecurityGroup",
        "name=GroupName description=GroupDescription ingress=SecurityGroupIngress[] egress=SecurityGroupEgress[] ingress.protocol=IpProtocol egress.protocol=IpProtocol ingress.cidr_blocks=CidrIp ingress.security_groups=SourceSecurityGroupId revoke_rules_on_delete=-"),
    ("aws_security_group_rule", "AWS::EC2::SecurityGroupIngress", "security_group_id=GroupId protocol=IpProtocol cidr_blocks=CidrIp type=-"),
    ("aws_vpc_security_group_ingress_rule", "AWS::EC2::SecurityGroupIngress", "security_group_id=GroupId referenced_security_group_id=SourceSecurityGroupId ip_protocol=IpProtocol cidr_ipv4=CidrIp"),
    ("aws_vpc_security_group_egress_rule", "AWS::EC2::SecurityGroupEgress", "security_group_id=GroupId ip_protocol=IpProtocol"),
    ("aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", "internal=-"),
    ("aws_lb_listener", "AWS::ElasticLoadBalancingV2::Listener", "default_action=DefaultActions[]"),
    ("aws_lb_listener_rule", "AWS::ElasticLoadBalancingV2::ListenerRule", "action=Actions[] condition=Conditions[]"),
    ("aws_lb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup", ""),
    ("aws_appsync_graphql_api", "AWS::AppSync::GraphQLApi", "xray_enabled=XrayEnabled log_config=LogConfig"),
    ("aws_appsync_datasource", "AWS::AppSync::DataSource", ""),
    ("aws_appsync_resolver", "AWS::AppSync::Resolver", "type=TypeName field=FieldName data_source=DataSourceName"),
    ("aws_pipes_pipe", "AWS::Pipes::Pipe", ""),
    ("aws_vpc", "AWS::EC2::VPC", ""),
    ("aws_subnet", "AWS::EC2::Subnet", ""),
];

/// Sub-resources that are settings of another resource in CloudFormation: the argument
/// naming the owner, the owner's Terraform types, where the settings go in the owner
/// (`Name[]` appends) and their own argument exceptions.
pub const FOLDS: &[(&str, &str, &[&str], &str, &str)] = &[
    ("aws_s3_bucket_public_access_block", "bucket", &["aws_s3_bucket"], "PublicAccessBlockConfiguration", ""),
    ("aws_s3_bucket_server_side_encryption_configuration", "bucket", &["aws_s3_bucket"], "BucketEncryption",
        "rule=ServerSideEncryptionConfiguration[] rule.apply_server_side_encryption_by_default=ServerSideEncryptionByDefault rule.apply_server_side_encryption_by_default.sse_algorithm=SSEAlgorithm rule.apply_server_side_encryption_by_default.kms_master_key_id=KMSMasterKeyID expected_bucket_owner=-"),
    ("aws_s3_bucket_versioning", "bucket", &["aws_s3_bucket"], "", "versioning_configuration=VersioningConfiguration expected_bucket_owner=- mfa=-"),
    ("aws_s3_bucket_logging", "bucket", &["aws_s3_bucket"], "LoggingConfiguration", "target_bucket=DestinationBucketName target_prefix=LogFilePrefix expected_bucket_owner=-"),
    ("aws_s3_bucket_acl", "bucket", &["aws_s3_bucket"], "", "acl=@acl:AccessControl access_control_policy=- expected_bucket_owner=-"),
    ("aws_s3_bucket_ownership_controls", "bucket", &["aws_s3_bucket"], "OwnershipControls", "rule=Rules[]"),
    ("aws_s3_bucket_website_configuration", "bucket", &["aws_s3_bucket"], "WebsiteConfiguration", ""),
    ("aws_s3_bucket_lifecycle_configuration", "bucket", &["aws_s3_bucket"], "LifecycleConfiguration", "rule=Rules[] expected_bucket_owner=-"),
    ("aws_s3_bucket_cors_configuration", "bucket", &["aws_s3_bucket"], "CorsConfiguration", "cors_rule=CorsRules[] expected_bucket_owner=-"),
    ("aws_s3_bucket_object_lock_configuration", "bucket", &["aws_s3_bucket"], "ObjectLockConfiguration", ""),
    ("aws_s3_bucket_notification", "bucket", &["aws_s3_bucket"], "NotificationConfiguration",
        "lambda_function=LambdaConfigurations[] lambda_function.lambda_function_arn=Function lambda_function.events=Event queue=QueueConfigurations[] queue.queue_arn=Queue queue.events=Event topic=TopicConfigurations[] topic.topic_arn=Topic topic.events=Event eventbridge=-"),
    ("aws_iam_role_policy", "role", &["aws_iam_role"], "Policies[]", "name=PolicyName name_prefix=- policy=@json:PolicyDocument"),
    ("aws_iam_role_policy_attachment", "role", &["aws_iam_role"], "ManagedPolicyArns[]", "policy_arn"),
    ("aws_iam_user_policy", "user", &["aws_iam_user"], "Policies[]", "name=PolicyName name_prefix=- policy=@json:PolicyDocument"),
    ("aws_iam_user_policy_attachment", "user", &["aws_iam_user"], "ManagedPolicyArns[]", "policy_arn"),
    ("aws_iam_group_policy", "group", &["aws_iam_group"], "Policies[]", "name=PolicyName name_prefix=- policy=@json:PolicyDocument"),
    ("aws_iam_group_policy_attachment", "group", &["aws_iam_group"], "ManagedPolicyArns[]", "policy_arn"),
    // one attachment for several roles, users and groups: see `policy_attachment`
    ("aws_iam_policy_attachment", "roles", &["aws_iam_role", "aws_iam_user", "aws_iam_group"], "ManagedPolicyArns[]", "policy_arn"),
    ("aws_iam_user_group_membership", "user", &["aws_iam_user"], "", "groups=Groups[]"),
    ("aws_iam_user_login_profile", "user", &["aws_iam_user"], "LoginProfile", "pgp_key=- password_length=-"),
    ("aws_kms_key_policy", "key_id", &["aws_kms_key"], "", "policy=@json:KeyPolicy bypass_policy_lockout_safety_check=-"),
    ("aws_cloudwatch_event_bus_policy", "event_bus_name", &["aws_cloudwatch_event_bus"], "", "policy=@json:Policy"),
    ("aws_api_gateway_rest_api_policy", "rest_api_id", &["aws_api_gateway_rest_api"], "", "policy=@json:Policy"),
    ("aws_sqs_queue_redrive_policy", "queue_url", &["aws_sqs_queue"], "", "redrive_policy=@json:RedrivePolicy"),
    ("aws_sqs_queue_redrive_allow_policy", "queue_url", &["aws_sqs_queue"], "", "redrive_allow_policy=@json:RedriveAllowPolicy"),
    ("aws_cloudwatch_event_target", "rule", &["aws_cloudwatch_event_rule"], "Targets[]", "target_id=Id event_bus_name=- rule=-"),
    ("aws_secretsmanager_secret_version", "secret_id", &["aws_secretsmanager_secret"], "", "secret_binary=- version_stages=-"),
    ("aws_api_gateway_integration", "http_method", &["aws_api_gateway_method"], "Integration",
        "uri=Uri integration_http_method=IntegrationHttpMethod credentials=Credentials request_templates=@keep:RequestTemplates request_parameters=@keep:RequestParameters"),
    ("aws_api_gateway_method_settings", "stage_name", &["aws_api_gateway_stage"], "MethodSettings[]",
        "settings=- method_path=-"),
];

/// Types with nothing to check or draw: other providers' helpers, objects in buckets,
/// responses and other API Gateway plumbing.
pub fn ignored(type_: &str) -> bool {
    const EXACT: &[&str] = &[
        "aws_s3_object",
        "aws_s3_bucket_object",
        "aws_api_gateway_method_response",
        "aws_api_gateway_integration_response",
        "aws_api_gateway_gateway_response",
        "aws_lambda_provisioned_concurrency_config",
        "aws_iam_role_policies_exclusive",
        "aws_iam_role_policy_attachments_exclusive",
    ];
    EXACT.contains(&type_) || !type_.starts_with("aws_")
}

/// `snake_case` as `PascalCase`.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split('_') {
        let mut c = w.chars();
        if let Some(f) = c.next() {
            out.push(f.to_ascii_uppercase());
            out.push_str(c.as_str());
        }
    }
    out
}

/// The CloudFormation type of a Terraform type and its argument exceptions.
pub fn type_of(tf: &str) -> Option<(&'static str, &'static str)> {
    TYPES
        .iter()
        .find(|(t, _, _)| *t == tf)
        .map(|(_, c, spec)| (*c, *spec))
}

/// The item for argument path `path` in `spec`.
fn item<'s>(spec: &'s str, path: &str) -> Option<&'s str> {
    spec.split_ascii_whitespace().find_map(|i| {
        let (p, t) = i.split_once('=')?;
        (p == path).then_some(t)
    })
}

/// A Terraform-shaped map (arguments, nested blocks as lists of maps) as CloudFormation
/// properties, by `spec`.
pub fn convert(tf: &Value, spec: &str) -> Value {
    let prefix = item(spec, "*").unwrap_or("");
    let mut out = mk::empty(tf.span);
    convert_into(tf, spec, "", prefix, &mut out);
    out
}

fn convert_into(tf: &Value, spec: &str, path: &str, prefix: &str, out: &mut Value) {
    let Some(entries) = tf.as_map() else { return };
    for (k, v) in entries {
        let p = if path.is_empty() {
            k.name.clone()
        } else {
            format!("{path}.{}", k.name)
        };
        let target = match item(spec, &p) {
            Some("-") => continue,
            Some(t) => t.to_owned(),
            None if matches!(k.name.as_str(), "tags" | "tags_all" | "region") => continue,
            None => format!("{prefix}{}", pascal(&k.name)),
        };
        let (how, target) = match target.split_once(':') {
            Some((h, t)) if h.starts_with('@') => (h, t.to_owned()),
            _ => ("", target),
        };
        let (target, list) = match target.strip_suffix("[]") {
            Some(t) => (t.to_owned(), true),
            None => (target, false),
        };
        let value = match how {
            "@json" => super::policy::json_value(v),
            "@keep" => v.clone(),
            "@acl" => match v.as_str() {
                Some(a) => mk::s(canned_acl(a), v.span),
                None => v.clone(),
            },
            "@set" if v.as_f64().is_some_and(|n| n < 0.0) => continue,
            "@pos" if v.as_f64().is_some_and(|n| n <= 0.0) => continue,
            "@params" => {
                let entries = v
                    .items()
                    .iter()
                    .filter_map(|p| {
                        let n = p.get("name")?;
                        Some((
                            Key {
                                name: n.as_str()?.to_owned(),
                                span: n.span,
                            },
                            p.get("value")?.clone(),
                        ))
                    })
                    .collect();
                Value::new(Node::Map(entries), v.span)
            }
            "@dims" => mk::seq(
                v.span,
                v.as_map()
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, x)| {
                        mk::obj(
                            k.span,
                            vec![("Name", mk::s(&k.name, k.span)), ("Value", x.clone())],
                        )
                    })
                    .collect(),
            ),
            _ => match &v.node {
                // nested blocks
                Node::Seq(items)
                    if !items.is_empty()
                        && items
                            .iter()
                            .all(|i| i.as_map().is_some() && i.intrinsic().is_none()) =>
                {
                    let conv: Vec<Value> = items
                        .iter()
                        .map(|i| {
                            let mut m = mk::empty(i.span);
                            convert_into(i, spec, &p, "", &mut m);
                            m
                        })
                        .collect();
                    if list || conv.len() != 1 {
                        mk::seq(v.span, conv)
                    } else {
                        conv.into_iter().next().unwrap_or_else(|| mk::empty(v.span))
                    }
                }
                // an empty block list (`allow {}` in a WAF action) is an empty map
                Node::Seq(items) if items.is_empty() && !list => continue,
                _ => v.clone(),
            },
        };
        let value = if list && value.as_seq().is_none() {
            mk::seq(value.span, vec![value])
        } else {
            value
        };
        put(out, &target, value, k.span);
    }
}

/// Set `path` (dotted) in `out`, creating maps on the way; lists at the same place extend.
pub fn put(out: &mut Value, path: &str, value: Value, key_span: Span) {
    let mut cur = out;
    let mut parts = path.split('.').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        if !matches!(cur.node, Node::Map(_)) {
            cur.node = Node::Map(Vec::new());
        }
        let Node::Map(entries) = &mut cur.node else {
            return;
        };
        let i = match entries.iter().position(|(k, _)| k.name == part) {
            Some(i) => i,
            None => {
                entries.push((
                    Key {
                        name: part.to_owned(),
                        span: key_span,
                    },
                    mk::empty(key_span),
                ));
                entries.len() - 1
            }
        };
        let Some(slot) = entries.get_mut(i) else {
            return;
        };
        if parts.peek().is_none() {
            match (&mut slot.1.node, value.node) {
                (Node::Seq(have), Node::Seq(more)) => have.extend(more),
                (Node::Map(have), Node::Map(more)) if !have.is_empty() => {
                    for (k, x) in more {
                        match have.iter_mut().find(|(h, _)| h.name == k.name) {
                            Some(e) => e.1 = x,
                            None => have.push((k, x)),
                        }
                    }
                }
                (_, node) => {
                    slot.1 = Value::new(node, value.span);
                    slot.0.span = key_span;
                }
            }
            return;
        }
        cur = &mut slot.1;
    }
}

/// An S3 canned ACL as CloudFormation spells it.
fn canned_acl(a: &str) -> String {
    match a {
        "aws-exec-read" => "AwsExecRead".into(),
        _ => pascal(&a.replace('-', "_")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(pascal("tracing_config"), "TracingConfig");
        assert_eq!(pascal("kms_key_arn"), "KmsKeyArn");
        assert_eq!(canned_acl("public-read-write"), "PublicReadWrite");
        assert_eq!(canned_acl("log-delivery-write"), "LogDeliveryWrite");
    }

    #[test]
    fn types_and_folds_are_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (t, c, _) in TYPES {
            assert!(seen.insert(*t), "{t} twice");
            assert!(c.starts_with("AWS::"), "{t}: {c}");
        }
        for (t, ..) in FOLDS {
            assert!(seen.insert(*t), "{t} is both a type and a fold");
        }
    }
}
