// A small CDK app for pillarlint's tests (tests/tests/cdk_synth.rs synthesizes it with the
// pinned aws-cdk in .tools/, installed by scripts/bootstrap.sh; core/tests/app-fixtures/cdk.out
// is its checked-in output). A public REST API -> a function -> a DynamoDB table and an S3
// bucket, and a nested stack with a public function URL that reaches the parent's table.
// Cross-stack on purpose: the parent's function writes the nested stack's audit table (an
// output read back), the nested function reads the parent's table (a parameter passed in).
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigw = require('aws-cdk-lib/aws-apigateway');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const s3 = require('aws-cdk-lib/aws-s3');
const { NagSuppressions } = require('cdk-nag');

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');

class PublicStack extends cdk.NestedStack {
  constructor(scope, id, props) {
    super(scope, id, props);
    this.audit = new dynamodb.Table(this, 'Audit', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const fn = new lambda.Function(this, 'PublicFn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      environment: { TABLE: props.table.tableName },
    });
    props.table.grantReadWriteData(fn);
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }
}

class LibraryStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const table = new dynamodb.Table(this, 'Books', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const bucket = new s3.Bucket(this, 'Covers');
    const nested = new PublicStack(this, 'PublicStack', { table });
    const fn = new lambda.Function(this, 'BooksHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      environment: {
        TABLE: table.tableName,
        BUCKET: bucket.bucketName,
        AUDIT: nested.audit.tableName,
      },
    });
    table.grantReadWriteData(fn);
    bucket.grantReadWrite(fn);
    nested.audit.grantWriteData(fn);
    const api = new apigw.RestApi(this, 'LibraryApi');
    const books = api.root.addResource('books');
    const list = books.addMethod('GET', new apigw.LambdaIntegration(fn));
    books.addMethod('POST', new apigw.LambdaIntegration(fn));
    NagSuppressions.addResourceSuppressions(list, [
      { id: 'AwsSolutions-APIG4', reason: 'the catalogue is public: reading it needs no sign-in' },
    ]);
  }
}

// No creation stack traces: they hold the paths of the machine that synthesizes.
const app = new cdk.App({ stackTraces: false });
new LibraryStack(app, 'LibraryStack');
app.synth();
