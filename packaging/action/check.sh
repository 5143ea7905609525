#!/usr/bin/env bash
# The check step of action.yml: runs `dts-migrate check` with the console report (plus the
# ::warning/::error annotations GITHUB_ACTIONS=true adds), a SARIF report and a concise one for
# the job summary. It never fails itself: it writes `exit-code` and `sarif-file` to
# $GITHUB_OUTPUT, and a later step fails the job (after the SARIF upload).
# Environment: DTS_MIGRATE (the executable), INPUT_ARGS, INPUT_PATHS (split on white space,
# no globbing or quoting), INPUT_SARIF_FILE.
set -euo pipefail

exe="${DTS_MIGRATE:-dts-migrate}"
# Spaces, tabs and newlines separate the words (read returns 1 at the end of the input).
IFS=$' \t\n' read -r -d '' -a args <<<"${INPUT_ARGS:-}" || true
IFS=$' \t\n' read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
if [ "${#paths[@]}" -eq 0 ]; then
  paths=(.)
fi
sarif="${INPUT_SARIF_FILE:-dts-migrate.sarif}"
mkdir -p "$(dirname "$sarif")"
sarif="$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")"
rm -f "$sarif"
concise="$(mktemp)"
trap 'rm -f "$concise"' EXIT

set +e
"$exe" check --report "sarif=$sarif" --report "concise=$concise" ${args[@]+"${args[@]}"} -- "${paths[@]}"
code=$?
set -e

written=""
if [ -s "$sarif" ]; then
  written="$sarif"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "sarif-file=$written"
  } >>"$GITHUB_OUTPUT"
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
  {
    echo "### dts-migrate check"
    echo
    if [ -s "$concise" ]; then
      echo "$(tail -n 1 "$concise" | escape) (exit code $code)"
      echo
      echo "<details><summary>Findings</summary>"
      echo
      echo "<pre>"
      head -n 200 "$concise" | escape
      echo "</pre>"
      echo "</details>"
    else
      echo "dts-migrate check exited with $code and wrote no report (see the step's log)."
    fi
    if [ -n "$written" ]; then
      echo
      echo "SARIF report: \`$written\`"
    fi
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
