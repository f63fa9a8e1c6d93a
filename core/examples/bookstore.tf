# The bookstore CRUD service from "Serverless Security 101", written in Terraform: POST /author
# stores authors in DocumentDB, GET /booksStats reads statistics from S3 and DynamoDB. The twin
# of bookstore.sam.yaml, with the article's problems in it, so pillarlint has something to show.

variable "db_user" {
  type    = string
  default = "admin"
}

locals {
  runtime = "nodejs20.x"
  routes = {
    author     = { path = "author", method = "POST", function = "author_handler" }
    booksStats = { path = "booksStats", method = "GET", function = "books_statistics" }
  }
}

# --- API: two routes, no authorizer, a prod stage with no throttling, logs or WAF ---

resource "aws_api_gateway_rest_api" "bookstore" {
  name = "bookstore"
}

resource "aws_api_gateway_resource" "author" {
  rest_api_id = aws_api_gateway_rest_api.bookstore.id
  parent_id   = aws_api_gateway_rest_api.bookstore.root_resource_id
  path_part   = "author"
}

resource "aws_api_gateway_method" "post_author" {
  rest_api_id   = aws_api_gateway_rest_api.bookstore.id
  resource_id   = aws_api_gateway_resource.author.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "post_author" {
  rest_api_id             = aws_api_gateway_rest_api.bookstore.id
  resource_id             = aws_api_gateway_resource.author.id
  http_method             = aws_api_gateway_method.post_author.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.author_handler.invoke_arn
}

resource "aws_api_gateway_resource" "books_stats" {
  rest_api_id = aws_api_gateway_rest_api.bookstore.id
  parent_id   = aws_api_gateway_rest_api.bookstore.root_resource_id
  path_part   = "booksStats"
}

resource "aws_api_gateway_method" "get_books_stats" {
  rest_api_id   = aws_api_gateway_rest_api.bookstore.id
  resource_id   = aws_api_gateway_resource.books_stats.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get_books_stats" {
  rest_api_id             = aws_api_gateway_rest_api.bookstore.id
  resource_id             = aws_api_gateway_resource.books_stats.id
  http_method             = aws_api_gateway_method.get_books_stats.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.books_statistics.invoke_arn
}

resource "aws_api_gateway_deployment" "bookstore" {
  rest_api_id = aws_api_gateway_rest_api.bookstore.id
  depends_on  = [aws_api_gateway_integration.post_author, aws_api_gateway_integration.get_books_stats]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.bookstore.id
  deployment_id = aws_api_gateway_deployment.bookstore.id
  stage_name    = "Prod"
}

resource "aws_lambda_permission" "api" {
  for_each      = local.routes
  statement_id  = "AllowApiGateway-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function == "author_handler" ? aws_lambda_function.author_handler.function_name : aws_lambda_function.books_statistics.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.bookstore.execution_arn}/*/${each.value.method}/${each.value.path}"
}

# --- Functions ---

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "author_handler" {
  name               = "bookstore-author-handler"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "author_handler_logs" {
  role       = aws_iam_role.author_handler.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "author_handler" {
  name = "documentdb"
  role = aws_iam_role.author_handler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "docdb-elastic:*"
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "author_handler" {
  function_name = "bookstore-author-handler"
  role          = aws_iam_role.author_handler.arn
  handler       = "author.handler"
  runtime       = local.runtime
  filename      = "build/author.zip"
  memory_size   = 256
  timeout       = 10

  environment {
    variables = {
      DB_HOST     = aws_docdb_cluster.authors_db.endpoint
      DB_USER     = var.db_user
      DB_PASSWORD = "SuperSecret123"
    }
  }
}

resource "aws_iam_role" "books_statistics" {
  name               = "bookstore-books-statistics"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "books_statistics_logs" {
  role       = aws_iam_role.books_statistics.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "aws_iam_policy_document" "books_statistics" {
  statement {
    sid       = "ReadStats"
    actions   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"]
    resources = [aws_s3_bucket.stats.arn, "${aws_s3_bucket.stats.arn}/*"]
  }
  statement {
    sid       = "Books"
    actions   = ["dynamodb:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "books_statistics" {
  name   = "stats"
  role   = aws_iam_role.books_statistics.id
  policy = data.aws_iam_policy_document.books_statistics.json
}

resource "aws_lambda_function" "books_statistics" {
  function_name = "bookstore-books-statistics"
  role          = aws_iam_role.books_statistics.arn
  handler       = "stats.handler"
  runtime       = local.runtime
  filename      = "build/stats.zip"
  memory_size   = 256
  timeout       = 10

  environment {
    variables = {
      STATS_BUCKET = aws_s3_bucket.stats.id
      BOOKS_TABLE  = aws_dynamodb_table.books.name
    }
  }
}

# --- Data ---

resource "aws_docdb_cluster" "authors_db" {
  cluster_identifier              = "bookstore-authors"
  master_username                 = var.db_user
  master_password                 = "SuperSecret123"
  storage_encrypted               = false
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.authors_db_params.name
  skip_final_snapshot             = true
}

resource "aws_docdb_cluster_parameter_group" "authors_db_params" {
  family      = "docdb5.0"
  name        = "bookstore-authors"
  description = "authors cluster parameters"

  parameter {
    name  = "tls"
    value = "disabled"
  }
}

resource "aws_s3_bucket" "stats" {
  bucket_prefix = "bookstore-stats-"
}

resource "aws_dynamodb_table" "books" {
  name         = "bookstore-books"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
