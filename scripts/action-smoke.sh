#!/usr/bin/env bash
# Runs the steps of action.yml (packaging/action/install.sh, then check.sh) as GitHub would,
# outside GitHub: GITHUB_ACTIONS=true, a temporary $RUNNER_TEMP, $GITHUB_OUTPUT,
# $GITHUB_STEP_SUMMARY and $GITHUB_PATH, no cargo on PATH, and pip limited to the wheels in
# $DTS_MIGRATE_WHEEL_DIR (PIP_NO_INDEX=1). Checks the outputs, the annotations, the SARIF and
# the summary on a copy of fixtures/example. Exits non-zero with a message on any failure.
#   DTS_MIGRATE_WHEEL_DIR=wheels scripts/action-smoke.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
wheels="${DTS_MIGRATE_WHEEL_DIR:?set DTS_MIGRATE_WHEEL_DIR to a folder holding the dts-migrate wheel}"
wheels="$(cd "$wheels" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "action-smoke: $1" >&2
  for f in console output summary; do
    if [ -f "$tmp/$f" ]; then
      echo "--- $f" >&2
      cat "$tmp/$f" >&2
    fi
  done
  exit 1
}

# PATH without the folders that hold cargo or rustc: the Action must not need Rust.
path=""
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  if [ -n "$dir" ] && [ ! -e "$dir/cargo" ] && [ ! -e "$dir/rustc" ]; then
    path="${path:+$path:}$dir"
  fi
done

mkdir -p "$tmp/runner" "$tmp/workspace"
cp -R "$root/fixtures/example" "$tmp/workspace/example"
: >"$tmp/summary"
: >"$tmp/path"

run_step() { # SCRIPT OUTPUT-FILE [VAR=VALUE...]
  local script="$1" output="$2"
  shift 2
  : >"$output"
  (cd "$tmp/workspace" && env PATH="$path" GITHUB_ACTIONS=true \
    GITHUB_ACTION_PATH="$root" GITHUB_WORKSPACE="$tmp/workspace" RUNNER_TEMP="$tmp/runner" \
    GITHUB_OUTPUT="$output" GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_PATH="$tmp/path" \
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$@" bash "$root/packaging/action/$script")
}
output_value() { # FILE KEY
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

if env PATH="$path" sh -c 'command -v cargo' >/dev/null 2>&1; then
  fail "cargo is still on the PATH built without it"
fi

# The install step with the default inputs: the version of this checkout, from the wheel.
version="$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
run_step install.sh "$tmp/output" INPUT_VERSION= INPUT_INSTALL_FROM=pypi >"$tmp/console" 2>&1 \
  || fail "the install step failed"
bin="$(output_value "$tmp/output" bin)"
[ -x "$bin" ] || fail "the install step wrote no executable bin= output"
[ "$(output_value "$tmp/output" version)" = "$version" ] || fail "version= is not $version"
[ -x "$(cat "$tmp/path")/dts-migrate" ] || fail "GITHUB_PATH does not hold dts-migrate"
case "$bin" in
  "$tmp/runner/"*) ;;
  *) fail "the executable $bin is not under RUNNER_TEMP" ;;
esac

# A bad version is refused before pip runs.
if run_step install.sh "$tmp/bad" INPUT_VERSION='1.0; rm -rf /' INPUT_INSTALL_FROM=pypi >/dev/null 2>&1; then
  fail "the install step accepted a version that is not one"
fi

# The check step on the MSSQL example: findings, so exit-code 1, annotations and SARIF.
run_step check.sh "$tmp/output" DTS_MIGRATE="$bin" INPUT_ARGS="--color never" \
  INPUT_PATHS="example" INPUT_SARIF_FILE="reports/dts-migrate.sarif" >"$tmp/console" 2>&1 \
  || fail "the check step itself failed"
[ "$(output_value "$tmp/output" exit-code)" = 1 ] || fail "exit-code is not 1 on the legacy example"
sarif="$(output_value "$tmp/output" sarif-file)"
[ "$sarif" = "$tmp/workspace/reports/dts-migrate.sarif" ] || fail "sarif-file is \"$sarif\""
grep -q '"ruleId": *"DTS101"' "$sarif" || fail "the SARIF has no DTS101 result"
grep -q '^::warning file=example/orders-app/host.json,line=7,.*DTS101' "$tmp/console" \
  || fail "no ::warning annotation for DTS101"
grep -q 'example/orders-app/host.json:7:17: DTS101' "$tmp/summary" || fail "the summary lacks DTS101"
grep -q 'Found 1 problem' "$tmp/summary" || fail "the summary lacks the totals"

# The user's args reach the tool: with --fail-on error the warning no longer fails.
run_step check.sh "$tmp/output" DTS_MIGRATE="$bin" INPUT_ARGS=$'--fail-on error\n--color never' \
  INPUT_PATHS="example" INPUT_SARIF_FILE="dts-migrate.sarif" >"$tmp/console" 2>&1 \
  || fail "the check step itself failed"
[ "$(output_value "$tmp/output" exit-code)" = 0 ] || fail "exit-code is not 0 with --fail-on error"

# A usage error: exit-code 2 and no SARIF to upload.
run_step check.sh "$tmp/output" DTS_MIGRATE="$bin" INPUT_ARGS="--no-such-option" \
  INPUT_PATHS="example" INPUT_SARIF_FILE="none.sarif" >"$tmp/console" 2>&1 \
  || fail "the check step itself failed"
[ "$(output_value "$tmp/output" exit-code)" = 2 ] || fail "exit-code is not 2 on a usage error"
[ -z "$(output_value "$tmp/output" sarif-file)" ] || fail "sarif-file is set though no SARIF was written"

echo "action-smoke: the Action's install and check steps work from $wheels without cargo"
