#!/usr/bin/env bash
# Benchmark on a generated monorepo (scripts/gen-monorepo.py), in one run so the machine's noise
# hits every command alike. Prints each time as a ratio to ripgrep searching the same config
# files, and the peak memory of each dts-migrate run.
#
#   scripts/bench.sh [APPS]        # default 10000; needs rg, python3, GNU time
#
# Bars (DESIGN §9): check <= 1.5x ripgrep; check --write of every app (fsynced) <= 25x ripgrep;
# memory that grows with the findings, not with the tree (a second, smaller tree shows it).
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${1:-10000}"
runs="${RUNS:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/dts-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin="$PWD/target/release/dts-migrate"
python3 scripts/gen-monorepo.py "$work/tree" --apps "$apps" >/dev/null
echo "tree: $apps apps, $(find "$work/tree" -type f | wc -l) files"

# ripgrep over the same files dts-migrate reads (src/discover.rs: config files, project files,
# props, the language manifests and function.json that tell the hosting model), with the same
# exclusions, ignore files off.
rg_cmd=(rg -uu --no-messages --count-matches durableTask
  -g 'host.json' -g 'local.settings.json' -g '*.csproj' -g '*.fsproj' -g '*.vbproj'
  -g 'Directory.Packages.props' -g 'Directory.Build.props'
  -g 'requirements.txt' -g 'package.json' -g 'pom.xml' -g 'build.gradle' -g 'build.gradle.kts'
  -g 'requirements.psd1' -g 'function.json'
  -g '!bin/' -g '!obj/' -g '!node_modules/' -g '!.git/' -g '!.venv/' -g '!__pycache__/'
  -g '!.vs/' -g '!dist/' "$work/tree")

# Best of $runs wall-clock seconds of a command (output discarded).
best() {
  local best=""
  for _ in $(seq "$runs"); do
    local start end t
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
  done
  echo "$best"
}

# Peak resident memory (MB) of one run.
peak() {
  { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

rg_t=$(best "${rg_cmd[@]}")
check_t=$(best "$bin" check --no-config --format concise "$work/tree")
json_t=$(best "$bin" check --no-config --format json "$work/tree")
check_mb=$(peak "$bin" check --no-config --format concise "$work/tree")
json_mb=$(peak "$bin" check --no-config --format json "$work/tree")

# --write on fresh copies: best of $runs, each on its own copy.
write_best=""
for i in $(seq "$runs"); do
  rm -rf "$work/copy"
  cp -a "$work/tree" "$work/copy"
  sync
  start=$(date +%s.%N)
  "$bin" check --no-config --write --format concise "$work/copy" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  if [ -z "$write_best" ] || (($(echo "$t < $write_best" | bc -l))); then write_best=$t; fi
done
rm -rf "$work/copy"
cp -a "$work/tree" "$work/copy"
write_mb=$(peak "$bin" check --no-config --write --format concise "$work/copy")
written=$( (cd "$work" && diff -rq tree copy || true) | wc -l)

# Memory against the size of the tree: the same check on a tree a tenth the size.
small_apps=$((apps / 10))
python3 scripts/gen-monorepo.py "$work/small" --apps "$small_apps" >/dev/null
small_mb=$(peak "$bin" check --no-config --format json "$work/small")
findings=$({ "$bin" check --no-config --format json "$work/tree" 2>/dev/null || true; } |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')

ratio() { echo "scale=2; $1 / $rg_t" | bc -l; }
printf '%-32s %8s %8s %8s\n' command seconds ratio peakMB
printf '%-32s %8.3f %8s %8s\n' "rg -uu (same files)" "$rg_t" 1.00 -
printf '%-32s %8.3f %8s %8s\n' "check --format concise" "$check_t" "$(ratio "$check_t")" "$check_mb"
printf '%-32s %8.3f %8s %8s\n' "check --format json" "$json_t" "$(ratio "$json_t")" "$json_mb"
printf '%-32s %8.3f %8s %8s\n' "check --write ($written files)" "$write_best" "$(ratio "$write_best")" "$write_mb"
echo "findings: $findings; check --format json peak: ${small_mb} MB at $small_apps apps, ${json_mb} MB at $apps apps"
verdict() { if (($(echo "$1 <= $2" | bc -l))); then echo "ok"; else echo "OVER"; fi; }
echo "bars: check $(ratio "$check_t")x <= 1.5x: $(verdict "$(ratio "$check_t")" 1.5);" \
  "check --write $(ratio "$write_best")x <= 25x: $(verdict "$(ratio "$write_best")" 25)"
