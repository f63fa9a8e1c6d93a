//! Generated templates for scaling tests and benchmarks.

/// A valid CloudFormation template of about `resources` resources: groups of a function, its
/// role (granting a table), a table, an API resource and an unauthenticated method, each
/// function padded with a description of `pad` bytes.
pub fn service(resources: usize, pad: usize) -> String {
    let groups = resources.div_ceil(5).max(1);
    let mut s = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n");
    for i in 0..groups {
        s.push_str(&format!(
            concat!(
                "  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Description: \"{pad}\"\n",
                "      Runtime: python3.12\n      Handler: a.h\n      Code: {{ZipFile: x}}\n      Role: !GetAtt Role{i}.Arn\n",
                "      Environment: {{Variables: {{TABLE: !Ref Table{i}}}}}\n",
                "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n",
                "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n",
                "              - {{Effect: Allow, Action: [\"dynamodb:GetItem\", \"dynamodb:PutItem\"], Resource: !GetAtt Table{i}.Arn}}\n",
                "  Table{i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n",
                "      KeySchema: [{{AttributeName: id, KeyType: HASH}}]\n      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]\n",
                "  Res{i}:\n    Type: AWS::ApiGateway::Resource\n",
                "    Properties: {{RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: p{i}}}\n",
                "  Get{i}:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n",
                "      ResourceId: !Ref Res{i}\n      HttpMethod: GET\n      AuthorizationType: NONE\n",
                "      Integration: {{Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub \"arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn{i}.Arn}}/invocations\"}}\n",
            ),
            i = i,
            pad = "x".repeat(pad)
        ));
    }
    s
}
