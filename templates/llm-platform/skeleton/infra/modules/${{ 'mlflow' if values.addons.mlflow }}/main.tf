# MLflow's backing store: an RDS PostgreSQL database (the password is created
# and kept by RDS in Secrets Manager, never in the repository or the state) and
# an S3 bucket for artifacts, which the mlflow service account reaches through
# IRSA. The tracking server itself is k8s/base/mlflow.

data "aws_partition" "current" {}

resource "aws_s3_bucket" "artifacts" {
  bucket = var.artifact_bucket

  tags = var.tags
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_db_subnet_group" "mlflow" {
  name       = "${var.name}-mlflow"
  subnet_ids = var.private_subnet_ids

  tags = var.tags
}

# PostgreSQL from inside the VPC only: with the VPC CNI, pods have VPC addresses.
resource "aws_security_group" "db" {
  name        = "${var.name}-mlflow-db"
  description = "MLflow backend store: PostgreSQL from the VPC"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL from the cluster"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = var.tags
}

resource "aws_db_instance" "mlflow" {
  identifier     = "${var.name}-mlflow"
  engine         = "postgres"
  engine_version = var.postgres_version
  instance_class = var.instance_class

  allocated_storage     = 20
  max_allocated_storage = 100
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                     = "mlflow"
  username                    = "mlflow"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.mlflow.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false

  backup_retention_period   = 7
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${var.name}-mlflow-final" : null

  tags = var.tags
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "Artifacts"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "ListArtifacts"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn]
  }
}

module "irsa" {
  source = "../irsa"

  name              = "${var.name}-mlflow"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_url   = var.oidc_issuer_url
  namespace         = "mlflow"
  service_account   = "mlflow"
  inline_policies   = { mlflow-artifacts = data.aws_iam_policy_document.artifacts.json }
  tags              = var.tags
}
