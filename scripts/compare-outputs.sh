#!/usr/bin/env bash
# Compares what two builds print and write, byte for byte: every report format, --diff and
# --write, on ../shared/corpus (when present), the fixtures and a generated monorepo. Used to
# prove that a refactor changed no behaviour.
#
#   scripts/compare-outputs.sh [REV]     # REV (default HEAD) against the working tree
#
# REV is built in a temporary worktree with its own target folder; the working tree is built
# as it is. Exits 0 when every output is identical, 1 with the differing files otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
apps="${APPS:-1000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/dts-compare.XXXXXX")"
sha="$(git rev-parse --verify "$rev^{commit}")"
# A stable folder per revision, so that a second comparison against it builds nothing.
base_src="$PWD/target/compare-base/src"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if [ "$(git -C "$base_src" rev-parse HEAD 2>/dev/null)" != "$sha" ]; then
  git worktree remove --force "$base_src" >/dev/null 2>&1 || rm -rf "$base_src"
  git worktree prune
  git worktree add --detach --quiet "$base_src" "$sha"
fi
echo "building $rev and the working tree (release)"
CARGO_TARGET_DIR="$PWD/target/compare-base/target" cargo build --release --quiet --manifest-path "$base_src/Cargo.toml"
cargo build --release --quiet
base_bin="$PWD/target/compare-base/target/release/dts-migrate"
head_bin="$PWD/target/release/dts-migrate"

# The inputs: each one a folder to check; all runs see the same copy.
mkdir -p "$work/inputs"
python3 scripts/gen-monorepo.py "$work/inputs/monorepo" --apps "$apps" >/dev/null
cp -R fixtures "$work/inputs/fixtures"
if [ -d ../shared/corpus ]; then
  cp -R ../shared/corpus "$work/inputs/corpus"
else
  echo "note: ../shared/corpus not found; comparing the fixtures and the generated tree only"
fi

formats=(human concise json json-lines sarif github azure junit gitlab)

# Runs one build over every input and records stdout, stderr and exit code of each run, and
# the tree each --write leaves behind.
record() {
  local bin="$1" out="$2"
  mkdir -p "$out"
  for input in "$work/inputs"/*; do
    local name
    name="$(basename "$input")"
    (
      cd "$work/inputs"
      for fmt in "${formats[@]}"; do
        "$bin" check --color never --format "$fmt" "$name" >"$out/$name.$fmt.out" 2>"$out/$name.$fmt.err" \
          && echo 0 >"$out/$name.$fmt.rc" || echo $? >"$out/$name.$fmt.rc"
      done
      "$bin" check --color never --diff "$name" >"$out/$name.diff.out" 2>"$out/$name.diff.err" \
        && echo 0 >"$out/$name.diff.rc" || echo $? >"$out/$name.diff.rc"
      "$bin" check --color never --diff --unsafe-fixes "$name" >"$out/$name.diff-unsafe.out" 2>"$out/$name.diff-unsafe.err" \
        && echo 0 >"$out/$name.diff-unsafe.rc" || echo $? >"$out/$name.diff-unsafe.rc"
    )
    # --write on a private copy, then the copy itself is part of the record.
    mkdir -p "$out/write"
    cp -R "$input" "$out/write/$name"
    (
      cd "$out/write"
      "$bin" check --color never --format concise --write --show-fixes "$name" >"$out/$name.write.out" 2>"$out/$name.write.err" \
        && echo 0 >"$out/$name.write.rc" || echo $? >"$out/$name.write.rc"
    )
  done
}

echo "running $rev"
record "$base_bin" "$work/base"
echo "running the working tree"
record "$head_bin" "$work/head"

if diff -r -q "$work/base" "$work/head" >"$work/differences"; then
  echo "identical: $(find "$work/base" -type f | wc -l) outputs and files"
else
  echo "DIFFERENT:"
  head -50 "$work/differences"
  first=$(awk '/^Files /{print $2; exit}' "$work/differences")
  if [ -n "$first" ]; then
    diff -u "$first" "${first/$work\/base/$work\/head}" | head -40 || true
  fi
  exit 1
fi
