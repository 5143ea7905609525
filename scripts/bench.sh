#!/usr/bin/env bash
# Benchmark of `check` against ripgrep and of `check --write` against a plain atomic rewrite, on
# a generated monorepo (scripts/gen-monorepo.py) or a tree of your own, in ONE run: every
# measurement takes its turn in every round, so a slow spell of the machine hits them alike, and
# each round gives its own ratios (check / ripgrep, --write / floor), whose medians are reported.
#
#   scripts/bench.sh [options] [APPS]
#     --apps N          apps in the generated tree (default 10000; a bare APPS is the same)
#     --shape SHAPE     generator shape: classic (default), decoy-heavy, deep, many-decoys, large
#     --gen 'ARGS'      more generator options (e.g. '--decoys 40 --nesting 3 --seed 7')
#     --tree DIR        measure DIR instead of generating a tree (it is copied for --write only)
#     --rounds N        rounds (default 5; env RUNS works too)
#     --bin PATH        dts-migrate binary (default: cargo build --release, target/release)
#     --threads 'A B'   also time `check --format concise --threads N` for each N listed
#     --no-write        leave out --write and its floor
#     --markdown        also print the table as Markdown (for the README)
#
# Measurements, each round, in this order (rotated by one each round):
#   rg        rg -uu -l --no-messages -g host.json -g local.settings.json -g '*.csproj'
#             -g extensions.csproj -g Directory.Packages.props -g requirements.txt -g package.json
#             -g '!bin/' -g '!obj/' -g '!node_modules/' -g '!.git/' durableTask TREE  (issue 18)
#   human     check --format human, piped (| cat > /dev/null)
#   concise / json / sarif   check --format F > /dev/null
#   write     check --write --format concise on a copy of the tree
#   floor     scripts/write-floor.rs on the same copy: the files that --write writes, each
#             read, written to a temporary file beside it and renamed over it, on one thread a
#             core, then one syncfs
#   floor2    the same with a syncfs before the first rename as well (what --write does so a
#             rename never publishes data not on disk): the cost of that guarantee
# The copy (cp -a, then sync) is made once, before the rounds; after each --write the files it
# wrote get their old text back (untimed, then sync), so every turn starts from the tree; the
# floor writes the bytes it read. Times are wall seconds around the command; peak RSS is GNU
# time's %M (the largest of the rounds). Every check runs with --no-config. Needs rg, python3,
# rustc and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

apps=10000 shape=classic gen_args="" tree="" rounds="${RUNS:-5}" bin="" threads="" do_write=1 markdown=0
while [ $# -gt 0 ]; do
  case "$1" in
  --apps) apps="$2"; shift 2 ;;
  --shape) shape="$2"; shift 2 ;;
  --gen) gen_args="$2"; shift 2 ;;
  --tree) tree="$(cd "$2" && pwd)"; shift 2 ;;
  --rounds) rounds="$2"; shift 2 ;;
  --bin) bin="$(realpath "$2")"; shift 2 ;;
  --threads) threads="$2"; shift 2 ;;
  --no-write) do_write=0; shift ;;
  --markdown) markdown=1; shift ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  [0-9]*) apps="$1"; shift ;;
  *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in rg python3 rustc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: needs $tool" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dts-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="$repo/target/release/dts-migrate"
fi
rustc -O -o "$work/write-floor" "$repo/scripts/write-floor.rs"
if [ -z "$tree" ]; then
  tree="$work/tree"
  # shellcheck disable=SC2086
  python3 scripts/gen-monorepo.py "$tree" --apps "$apps" --shape "$shape" $gen_args >/dev/null
  what="generated: --apps $apps --shape $shape${gen_args:+ $gen_args}"
else
  what="given: $tree"
fi

rg_cmd=(rg -uu -l --no-messages -g host.json -g local.settings.json -g '*.csproj'
  -g extensions.csproj -g Directory.Packages.props -g requirements.txt -g package.json
  -g '!bin/' -g '!obj/' -g '!node_modules/' -g '!.git/' durableTask)

files=$(find "$tree" -type f | wc -l)
listed=$("${rg_cmd[@]}" "$tree" | wc -l)
status=0
"$bin" check --no-config --format concise "$tree" >/dev/null 2>&1 || status=$?
if [ "$status" -ge 2 ]; then
  echo "bench.sh: check exits $status on the tree:" >&2
  "$bin" check --no-config --format concise "$tree" 2>&1 | tail -5 >&2
  exit 1
fi
findings=$({ "$bin" check --no-config --format json "$tree" 2>/dev/null || true; } |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')

# The files --write writes: one reference run on a copy of the tree, compared with the tree.
# One copy serves every round: after each --write the files it wrote get their old text back
# (and the floor writes the text it read), so the copy is the tree again before every turn.
copy="$work/copy"
restore() { # the listed files get the tree's text again, then everything is on disk
  python3 -c 'import shutil, sys
tree, copy = sys.argv[1:3]
for p in open(sys.argv[3]).read().splitlines():
    shutil.copyfile(tree + "/" + p, copy + "/" + p)' "$tree" "$copy" "$work/list"
  sync
}
written=0
if [ "$do_write" = 1 ]; then
  cp -a "$tree" "$copy"
  sync
  "$bin" check --no-config --write --format concise "$copy" >/dev/null 2>&1 || true
  (diff -rq "$tree" "$copy" 2>/dev/null || true) >"$work/diff"
  python3 - "$tree" "$copy" "$work/diff" "$work/list" <<'EOF'
import sys
tree, copy, diff, out = sys.argv[1:]
files, other = [], []
for line in open(diff):
    if line.startswith("Files ") and line.rstrip().endswith(" differ"):
        files.append(line[len("Files "):].rsplit(" and ", 1)[0][len(tree) + 1:])
    else:
        other.append(line.rstrip())
open(out, "w").write("".join(f + "\n" for f in files))
if other:
    print(f"bench.sh: --write also did: {other[:3]} ({len(other)} lines)", file=sys.stderr)
EOF
  written=$(wc -l <"$work/list")
  restore
  if ! diff -rq "$tree" "$copy" >/dev/null; then
    echo "bench.sh: the copy differs from the tree after restoring it" >&2
    exit 1
  fi
fi

# One measurement: NAME, then the command. Appends "NAME seconds peakKB" to $work/times.
measure() {
  local name="$1" start end
  shift
  start=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  echo "$name $(echo "$end - $start" | bc -l) $(tail -1 "$work/rss")" >>"$work/times"
}
measure_piped() { # the same, with the output through a pipe
  local name="$1" start end
  shift
  start=$EPOCHREALTIME
  { /usr/bin/time -f %M -o "$work/rss" "$@" 2>/dev/null || true; } | cat >/dev/null
  end=$EPOCHREALTIME
  echo "$name $(echo "$end - $start" | bc -l) $(tail -1 "$work/rss")" >>"$work/times"
}
step() {
  case "$1" in
  rg) measure rg "${rg_cmd[@]}" "$tree" ;;
  human) measure_piped human "$bin" check --no-config --format human "$tree" ;;
  concise | json | sarif) measure "$1" "$bin" check --no-config --format "$1" "$tree" ;;
  concise-t*) measure "$1" "$bin" check --no-config --format concise --threads "${1#concise-t}" "$tree" ;;
  write)
    measure write "$bin" check --no-config --write --format concise "$copy"
    restore ;;
  floor | floor2)
    local flag=()
    [ "$1" = floor2 ] && flag=(--two-flushes)
    (cd "$copy" && measure "$1" "$work/write-floor" "${flag[@]}" "$work/list")
    sync ;;
  esac
}

steps=(rg human concise json sarif)
for t in $threads; do steps+=("concise-t$t"); done
if [ "$do_write" = 1 ] && [ "$written" -gt 0 ]; then steps+=(write floor floor2); fi

echo "tree ($what): $files files, $listed listed by rg, $findings findings, --write writes $written files"
echo "binary: $bin (source at $(cd "$repo" && git log -1 --format=%h -- src Cargo.toml Cargo.lock)); $(rg --version | sed -n 1p); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
"${rg_cmd[@]}" "$tree" >/dev/null || true # warm the page cache
"$bin" check --no-config --format concise "$tree" >/dev/null 2>&1 || true
: >"$work/times"
n=${#steps[@]}
for r in $(seq "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    step "${steps[$(((i + r - 1) % n))]}"
  done
  echo "round $r" >>"$work/times"
done

python3 - "$work/times" "$markdown" "${steps[@]}" <<'EOF'
import statistics, sys
path, markdown, steps = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]
rounds, cur = [], {}
for line in open(path):
    parts = line.split()
    if parts[0] == "round":
        rounds.append(cur)
        cur = {}
    else:
        cur[parts[0]] = (float(parts[1]), int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0)
base = {s: ("floor" if s in ("write", "floor2") else None if s in ("rg", "floor") else "rg") for s in steps}
rows = []
for s in steps:
    t = [r[s][0] for r in rounds if s in r]
    kb = max(r[s][1] for r in rounds if s in r)
    b = base[s]
    ratios = [r[s][0] / r[b][0] for r in rounds if b and s in r and b in r]
    rows.append((s, statistics.median(t), min(t), max(t),
                 statistics.median(ratios) if ratios else None,
                 (min(ratios), max(ratios)) if ratios else None, b, kb / 1024))
print(f"{len(rounds)} rounds; ratio: median over rounds of time / the baseline's time in the same round")
print(f"{'measurement':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>6} {'range':>11} {'to':>6} {'peak MB':>8}")
for s, med, lo, hi, ratio, rng, b, mb in rows:
    r = f"{ratio:.2f}" if ratio else "1"
    g = f"{rng[0]:.2f}-{rng[1]:.2f}" if rng else "-"
    print(f"{s:<12} {med:9.3f} {lo:7.3f} {hi:7.3f} {r:>6} {g:>11} {b or '-':>6} {mb:8.1f}")
if markdown:
    print("\n| measurement | median s | × baseline (median of rounds) | range of rounds | peak MB |")
    print("|---|---|---|---|---|")
    for s, med, lo, hi, ratio, rng, b, mb in rows:
        r = f"{ratio:.2f} × {b}" if ratio else "–"
        g = f"{rng[0]:.2f}–{rng[1]:.2f}" if rng else "–"
        print(f"| {s} | {med:.3f} | {r} | {g} | {mb:.0f} |")
EOF
