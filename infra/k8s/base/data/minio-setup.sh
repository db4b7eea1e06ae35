#!/bin/sh
# The minio-setup Job: bucket, the services' account limited to it, the shipped datasets. Safe to run again.
set -eu

echo "waiting for MinIO at $MINIO_URL"
until mc alias set platform "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  sleep 2
done

mc mb --ignore-existing "platform/$MLOPS_S3_BUCKET"

cat > /tmp/bucket-policy.json <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::$MLOPS_S3_BUCKET"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                                   "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$MLOPS_S3_BUCKET/*"]}
  ]
}
JSON
mc admin policy create platform "$MLOPS_S3_BUCKET-rw" /tmp/bucket-policy.json
# adding an existing user sets its secret again, so a regenerated credentials file takes effect
mc admin user add platform "$MLOPS_S3_ACCESS_KEY" "$MLOPS_S3_SECRET_KEY"
if ! mc admin user info platform "$MLOPS_S3_ACCESS_KEY" | grep -q "$MLOPS_S3_BUCKET-rw"; then
  mc admin policy attach platform "$MLOPS_S3_BUCKET-rw" --user "$MLOPS_S3_ACCESS_KEY"
fi

for dataset in /datasets/*; do
  [ -f "$dataset" ] || continue
  mc cp "$dataset" "platform/$MLOPS_S3_BUCKET/datasets/$(basename "$dataset")"
done
echo "bucket $MLOPS_S3_BUCKET ready"
