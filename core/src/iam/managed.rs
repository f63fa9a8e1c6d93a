//! AWS managed policies the model knows by name: what each grants, as a few patterns on
//! `Resource: "*"`. Only the well-known broad ones and those that reach data stores are
//! listed (a table of every managed policy would weigh more than the rest of the core);
//! any other name is attached as an opaque policy.

/// How a managed policy's grant is written: `Action` patterns, or `NotAction` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub not_action: bool,
    pub actions: &'static [&'static str],
}

const fn allow(actions: &'static [&'static str]) -> Grant {
    Grant {
        not_action: false,
        actions,
    }
}

/// Grants full administrator rights, or the means to take them.
pub fn is_admin(name: &str) -> bool {
    matches!(
        name,
        "AdministratorAccess" | "IAMFullAccess" | "PowerUserAccess"
    )
}

/// The grant of an AWS managed policy, or `None` when it is not in the table (unknown, or
/// one of the Lambda execution-role policies, which only let the platform write logs and
/// poll event sources).
pub fn grant(name: &str) -> Option<Grant> {
    Some(match name {
        "AdministratorAccess" => allow(&["*"]),
        // Everything except IAM, Organizations and account management.
        "PowerUserAccess" => Grant {
            not_action: true,
            actions: &["iam:*", "organizations:*", "account:*"],
        },
        "IAMFullAccess" => allow(&["iam:*"]),
        "ReadOnlyAccess" => allow(&["*:Get*", "*:List*", "*:Describe*"]),
        "AmazonDynamoDBFullAccess" => allow(&["dynamodb:*"]),
        "AmazonDynamoDBReadOnlyAccess" => allow(&[
            "dynamodb:BatchGetItem",
            "dynamodb:Describe*",
            "dynamodb:List*",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
        ]),
        "AmazonS3FullAccess" => allow(&["s3:*"]),
        "AmazonS3ReadOnlyAccess" => allow(&["s3:Get*", "s3:List*"]),
        "AmazonSQSFullAccess" => allow(&["sqs:*"]),
        "AmazonSQSReadOnlyAccess" => allow(&[
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ListQueues",
        ]),
        "AmazonSNSFullAccess" => allow(&["sns:*"]),
        "AmazonSNSReadOnlyAccess" => allow(&["sns:GetTopicAttributes", "sns:List*"]),
        "AmazonKinesisFullAccess" => allow(&["kinesis:*"]),
        "AmazonKinesisReadOnlyAccess" => {
            allow(&["kinesis:Get*", "kinesis:List*", "kinesis:Describe*"])
        }
        "AmazonKinesisFirehoseFullAccess" => allow(&["firehose:*"]),
        "SecretsManagerReadWrite" => allow(&["secretsmanager:*"]),
        "AmazonSSMFullAccess" => allow(&["ssm:*"]),
        "AmazonSSMReadOnlyAccess" => allow(&["ssm:Describe*", "ssm:Get*", "ssm:List*"]),
        "AWSLambda_FullAccess" | "AWSLambdaFullAccess" => allow(&["lambda:*"]),
        "AWSLambdaRole" => allow(&["lambda:InvokeFunction"]),
        "AWSStepFunctionsFullAccess" => allow(&["states:*"]),
        "AmazonEventBridgeFullAccess" | "CloudWatchEventsFullAccess" => allow(&["events:*"]),
        "AWSKeyManagementServicePowerUser" => allow(&["kms:*"]),
        "AmazonRDSDataFullAccess" => allow(&["rds-data:*"]),
        "AmazonRDSFullAccess" => allow(&["rds:*"]),
        "AmazonDocDBFullAccess" => allow(&["rds:*", "docdb-elastic:*"]),
        "AmazonDocDBElasticFullAccess" => allow(&["docdb-elastic:*"]),
        "AmazonElastiCacheFullAccess" => allow(&["elasticache:*"]),
        "AmazonCognitoPowerUser" => allow(&["cognito-idp:*"]),
        "AmazonOpenSearchServiceFullAccess" | "AmazonESFullAccess" => allow(&["es:*"]),
        "AmazonEC2FullAccess" => allow(&["ec2:*"]),
        "AWSCloudFormationFullAccess" => allow(&["cloudformation:*"]),
        "AWSCodeBuildAdminAccess" => allow(&["codebuild:*"]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names() {
        assert_eq!(
            grant("AdministratorAccess").map(|g| g.actions),
            Some(&["*"][..])
        );
        assert!(grant("PowerUserAccess").is_some_and(|g| g.not_action));
        assert!(grant("AWSLambdaBasicExecutionRole").is_none());
        assert!(is_admin("IAMFullAccess"));
        assert!(!is_admin("ReadOnlyAccess"));
    }
}
