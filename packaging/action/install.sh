#!/usr/bin/env bash
# The install step of action.yml: puts dts-migrate in a virtual environment of its own under
# $RUNNER_TEMP (so it never touches the job's Python), copies the executable into a folder it
# adds to $GITHUB_PATH (later steps can run `dts-migrate`), and writes the outputs `bin` and
# `version` to $GITHUB_OUTPUT.
# Environment: INPUT_VERSION (empty: the version in this checkout's Cargo.toml; `latest`; or a
# version), INPUT_INSTALL_FROM (pypi | source), GITHUB_ACTION_PATH (this checkout).
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
from="${INPUT_INSTALL_FROM:-pypi}"
version="${INPUT_VERSION:-}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

fail() {
  echo "::error title=dts-migrate::$1"
  exit 1
}

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
[ -n "$python" ] || fail "no python3 or python on PATH (set the python-version input)"

case "$from" in
  pypi)
    if [ -z "$version" ]; then
      version="$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)"
      [ -n "$version" ] || fail "no version in $action_path/Cargo.toml"
    fi
    if [ "$version" = latest ]; then
      spec="dts-migrate"
    elif [[ "$version" =~ ^[0-9A-Za-z.+!-]+$ ]]; then
      spec="dts-migrate==$version"
    else
      fail "version \"$version\" is not a version number or latest"
    fi
    ;;
  source)
    spec="$action_path"
    ;;
  *)
    fail "install-from is \"$from\": expected pypi or source"
    ;;
esac

venv="$temp/dts-migrate-venv"
rm -rf "$venv"
"$python" -m venv "$venv"
if [ -d "$venv/Scripts" ]; then
  scripts="$venv/Scripts" exe=".exe"
else
  scripts="$venv/bin" exe=""
fi
echo "Installing $spec"
"$scripts/python$exe" -m pip install --disable-pip-version-check --quiet "$spec"

bin_dir="$temp/dts-migrate-bin"
mkdir -p "$bin_dir"
cp "$scripts/dts-migrate$exe" "$bin_dir/"
bin="$bin_dir/dts-migrate$exe"
installed="$("$bin" --version)"
echo "$installed"
installed="${installed#dts-migrate }"
installed="${installed%% *}"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "bin=$bin"
    echo "version=$installed"
  } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin_dir" >>"$GITHUB_PATH"
fi
