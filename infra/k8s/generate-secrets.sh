#!/usr/bin/env bash
# Creates the credentials the kustomize base turns into Secrets: base/secrets/<secret>.env, one KEY=value per line,
# random values, readable by the owner only. A file that exists is kept as it is (the cluster's data already uses
# those passwords), so running this again is harmless. git ignores the files (infra/k8s/.gitignore).
#
#   infra/k8s/generate-secrets.sh            # then: kubectl apply -k infra/k8s/overlays/kind
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/base/secrets"
mkdir -p "$dir"
umask 077

# Hex characters only: safe in env files, URLs and SQL literals. $1 = number of random bytes.
random_hex() {
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex "$1"
  else
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
    echo
  fi
}

# $1 = secret name, then KEY=value pairs
write() {
  local file="$dir/$1.env"
  shift
  if [[ -e "$file" ]]; then
    echo "kept      $file"
    return
  fi
  printf '%s\n' "$@" > "$file"
  echo "generated $file"
}

write postgres-superuser "POSTGRES_PASSWORD=$(random_hex 24)"
write tracking-db "MLOPS_DB_PASSWORD=$(random_hex 24)"
# MinIO: access keys 3-20 characters, secret keys 8-40
write minio-root "MINIO_ROOT_USER=root-$(random_hex 6)" "MINIO_ROOT_PASSWORD=$(random_hex 16)"
write s3-credentials "MLOPS_S3_ACCESS_KEY=mlops-$(random_hex 6)" "MLOPS_S3_SECRET_KEY=$(random_hex 16)"
write grafana-admin "GF_SECURITY_ADMIN_PASSWORD=$(random_hex 16)"
# the tracking API's bearer token: tracking-svc checks it, the services and ./mlops send it
write tracking-api-token "MLOPS_API_TOKEN=$(random_hex 24)"
