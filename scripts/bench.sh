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
# Seconds one command takes (its output discarded, its exit code ignored).
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
min() { if [ -z "$1" ] || (($(echo "$2 < $1" | bc -l))); then echo "$2"; else echo "$1"; fi; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Peak resident memory (MB) of one run.
peak() {
  { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

# ripgrep and the two checks run in turns, round after round, so that a slow spell of the
# machine hits all three; each round gives a ratio, and the median of the rounds is reported
# beside the ratio of the best times.
rg_t="" check_t="" json_t="" check_r="" json_r=""
timed "${rg_cmd[@]}" >/dev/null # warm the page cache
for _ in $(seq "$runs"); do
  r=$(timed "${rg_cmd[@]}")
  c=$(timed "$bin" check --no-config --format concise "$work/tree")
  j=$(timed "$bin" check --no-config --format json "$work/tree")
  rg_t=$(min "$rg_t" "$r") check_t=$(min "$check_t" "$c") json_t=$(min "$json_t" "$j")
  check_r="$check_r $(echo "$c / $r" | bc -l)" json_r="$json_r $(echo "$j / $r" | bc -l)"
done
check_med=$(echo "$check_r" | median)
json_med=$(echo "$json_r" | median)
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
  write_best=$(min "$write_best" "$(echo "$end - $start" | bc -l)")
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
two() { printf '%.2f' "$1"; }
printf '%-32s %8s %8s %8s %8s\n' command best-s ratio median peakMB
printf '%-32s %8.3f %8s %8s %8s\n' "rg -uu (same files)" "$rg_t" 1.00 1.00 -
printf '%-32s %8.3f %8s %8s %8s\n' "check --format concise" "$check_t" "$(ratio "$check_t")" "$(two "$check_med")" "$check_mb"
printf '%-32s %8.3f %8s %8s %8s\n' "check --format json" "$json_t" "$(ratio "$json_t")" "$(two "$json_med")" "$json_mb"
printf '%-32s %8.3f %8s %8s %8s\n' "check --write ($written files)" "$write_best" "$(ratio "$write_best")" - "$write_mb"
echo "(ratio: best time over ripgrep's best; median: the median of the rounds' ratios)"
echo "findings: $findings; check --format json peak: ${small_mb} MB at $small_apps apps, ${json_mb} MB at $apps apps"
verdict() { if (($(echo "$1 <= $2" | bc -l))); then echo "ok"; else echo "OVER"; fi; }
echo "bars: check $(ratio "$check_t")x (median $(two "$check_med")x) <= 1.5x: $(verdict "$check_med" 1.5);" \
  "check --write $(ratio "$write_best")x <= 25x: $(verdict "$(ratio "$write_best")" 25)"
