#!/usr/bin/env bash
# The whole platform on a local kind cluster, or gone again.
#
#   infra/k8s/kind.sh up      # registry + cluster, build and push the images (./mlops images), apply overlays/kind, wait
#   infra/k8s/kind.sh down    # delete the cluster and the registry container
#
# Needs Docker (a running engine), kind, kubectl and a JDK 17 (Maven comes with ./mvnw). Every step is one plain
# command, printed before it runs, so it can be run by hand as well:
#   1. docker run -d --restart=always -p 127.0.0.1:5001:5000 --network bridge --name kind-registry registry:2
#   2. kind create cluster --config infra/k8s/overlays/kind/kind-cluster.yaml
#   3. on every node: /etc/containerd/certs.d/{localhost:5001,kind-registry:5000}/hosts.toml
#        -> [host."http://kind-registry:5000"]
#   4. docker network connect kind kind-registry
#   5. ./mvnw -B package -DskipTests
#      ./mlops images --push localhost:5001   (infra/images: mlops/<module>:<version> and :latest for the seven
#        services and model-server, on mlops/jre:17-service / 17-serving assembled from Debian packages; the first run downloads them)
#   6. infra/k8s/generate-secrets.sh
#   7. kubectl -n mlops delete job minio-setup --ignore-not-found     (a Job's pod template cannot be changed)
#      kubectl apply -k infra/k8s/overlays/kind
#   8. kubectl rollout status ... for every StatefulSet and Deployment; kubectl wait for the minio-setup Job
# MLOPS_KIND_CLUSTER overrides the cluster name (default mlops).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER="${MLOPS_KIND_CLUSTER:-mlops}"
CONTEXT="kind-$CLUSTER"
REGISTRY_NAME=kind-registry
REGISTRY_PORT=5001
PLATFORM_NS=mlops
SERVING_NS=mlmodel

run() {
  echo "+ $*" >&2
  "$@"
}

die() {
  echo "kind.sh: $*" >&2
  exit 1
}

check_prerequisites() {
  local missing=()
  command -v docker >/dev/null 2>&1 || missing+=("docker (Docker Engine or Docker Desktop: https://docs.docker.com/engine/install/)")
  command -v kind >/dev/null 2>&1 || missing+=("kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)")
  command -v kubectl >/dev/null 2>&1 || missing+=("kubectl (Debian/Ubuntu: apt-get install kubernetes-client; or https://kubernetes.io/docs/tasks/tools/)")
  if [[ "$1" == up ]]; then
    command -v java >/dev/null 2>&1 || missing+=("java 17 (a JDK, for ./mvnw and ./mlops images)")
  fi
  if ((${#missing[@]})); then
    printf 'kind.sh: missing prerequisite: %s\n' "${missing[@]}" >&2
    exit 1
  fi
  docker info >/dev/null 2>&1 || die "docker is installed but its engine does not answer (start Docker, or add your user to the docker group)"
}

cluster_exists() {
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER"
}

start_registry() {
  if [[ "$(docker inspect -f '{{.State.Running}}' "$REGISTRY_NAME" 2>/dev/null || true)" != true ]]; then
    docker rm -f "$REGISTRY_NAME" >/dev/null 2>&1 || true
    run docker run -d --restart=always -p "127.0.0.1:$REGISTRY_PORT:5000" --network bridge --name "$REGISTRY_NAME" registry:2
  fi
}

create_cluster() {
  run kind create cluster --name "$CLUSTER" --config "$HERE/overlays/kind/kind-cluster.yaml"
}

# Nodes pull localhost:5001/... (the manifests) and kind-registry:5000/... (the images image-svc pushes from its pod)
# from the registry container over HTTP.
configure_node_registries() {
  local node host
  for node in $(kind get nodes --name "$CLUSTER"); do
    for host in "localhost:$REGISTRY_PORT" "$REGISTRY_NAME:5000"; do
      run docker exec "$node" mkdir -p "/etc/containerd/certs.d/$host"
      printf '[host."http://%s:5000"]\n' "$REGISTRY_NAME" \
        | run docker exec -i "$node" cp /dev/stdin "/etc/containerd/certs.d/$host/hosts.toml"
    done
  done
}

connect_registry() {
  if [[ "$(docker inspect -f '{{json .NetworkSettings.Networks.kind}}' "$REGISTRY_NAME")" == null ]]; then
    run docker network connect kind "$REGISTRY_NAME"
  fi
  # tells tools which registry the cluster uses (KEP-1755)
  run kubectl --context "$CONTEXT" apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "localhost:$REGISTRY_PORT"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
EOF
}

# The images the manifests name (infra/images' PlatformImages.SERVICES), pushed over plain HTTP (a loopback
# registry) as localhost:5001/mlops/<module>:<version> and :latest, with their bases mlops/jre:17-service and 17-serving beside them.
build_and_push_images() {
  (cd "$ROOT" && run ./mvnw -B package -DskipTests && run ./mlops images --push "localhost:$REGISTRY_PORT")
}

apply_manifests() {
  run "$HERE/generate-secrets.sh"
  if kubectl --context "$CONTEXT" get namespace "$PLATFORM_NS" >/dev/null 2>&1; then
    run kubectl --context "$CONTEXT" -n "$PLATFORM_NS" delete job minio-setup --ignore-not-found
  fi
  run kubectl --context "$CONTEXT" apply -k "$HERE/overlays/kind"
}

# On a cluster that already ran the platform the manifests may be unchanged while the :latest images are new.
restart_services() {
  run kubectl --context "$CONTEXT" -n "$PLATFORM_NS" rollout restart deployment \
    -l app.kubernetes.io/part-of=mlops
}

wait_for_platform() {
  local kind name
  for kind in statefulset deployment; do
    for name in $(kubectl --context "$CONTEXT" -n "$PLATFORM_NS" get "$kind" -o name); do
      run kubectl --context "$CONTEXT" -n "$PLATFORM_NS" rollout status "$name" --timeout=600s
    done
  done
  run kubectl --context "$CONTEXT" -n "$PLATFORM_NS" wait --for=condition=complete job/minio-setup --timeout=300s
  run kubectl --context "$CONTEXT" -n "$SERVING_NS" rollout status deployment/mlflow-model-deployment --timeout=60s
}

print_access() {
  cat <<EOF

The platform runs on kind cluster '$CLUSTER' (kubectl context $CONTEXT), namespace $PLATFORM_NS; models are served
in namespace $SERVING_NS (Deployment mlflow-model-deployment, Service mlflow-model-service:8090).

tracking-svc (REST API on 8080; its bearer token is in $HERE/base/secrets/tracking-api-token.env):
  kubectl --context $CONTEXT -n $PLATFORM_NS port-forward svc/tracking-svc 8080:8080
  export \$(cat $HERE/base/secrets/tracking-api-token.env)      # MLOPS_API_TOKEN, which ./mlops sends too
  curl -s -XPOST -H "Authorization: Bearer \$MLOPS_API_TOKEN" -H 'Content-Type: application/json' \
    -d '{"deploy":{"target":"kubernetes"}}' http://127.0.0.1:8080/pipelines

Grafana (dashboard "Pipeline stages"), user admin, password in $HERE/base/secrets/grafana-admin.env:
  kubectl --context $CONTEXT -n $PLATFORM_NS port-forward svc/grafana 3000:3000      # http://127.0.0.1:3000

Prometheus:
  kubectl --context $CONTEXT -n $PLATFORM_NS port-forward svc/prometheus 9090:9090   # http://127.0.0.1:9090

The served model, once a run has deployed one:
  kubectl --context $CONTEXT -n $SERVING_NS port-forward svc/mlflow-model-service 8090:8090

Stop everything: $0 down
EOF
}

up() {
  check_prerequisites up
  start_registry
  local existed=false
  if cluster_exists; then
    existed=true
    echo "kind cluster '$CLUSTER' exists: reusing it"
  else
    create_cluster
  fi
  configure_node_registries
  connect_registry
  build_and_push_images
  apply_manifests
  if [[ "$existed" == true ]]; then
    restart_services
  fi
  wait_for_platform
  print_access
}

down() {
  check_prerequisites down
  if cluster_exists; then
    run kind delete cluster --name "$CLUSTER"
  else
    echo "no kind cluster '$CLUSTER'"
  fi
  if docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
    run docker rm -f "$REGISTRY_NAME"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
