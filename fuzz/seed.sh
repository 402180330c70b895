#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/TARGET/) from the repository's own files: rule files
# for check_rules, applicant files for applicant, REPL scripts for repl_lines. The corpora
# are not committed; run this once before fuzzing, and again after the fixtures change.
# applicant_structured starts from an empty corpus: its inputs are not text.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=fuzz/corpus
mkdir -p "$corpus/check_rules" "$corpus/applicant" "$corpus/repl_lines" \
  "$corpus/applicant_structured" "$corpus/fmt_round_trip" "$corpus/screen_line"

# Copies each file into a corpus folder under a name made from its path.
seed() {
  local target=$1
  shift
  local file
  for file in "$@"; do
    [ -f "$file" ] || continue
    cp "$file" "$corpus/$target/$(printf '%s' "$file" | tr '/' '_')"
  done
}

# Files larger than libFuzzer's default input length are left out.
small() {
  find "$@" -type f -size -64k | sort
}

mapfile -t rule_files < <(small rules tests/fixtures/check -name '*.qual')
seed check_rules "${rule_files[@]}"
mapfile -t format_files < <(small rules tests/fixtures -name '*.qual')
seed fmt_round_trip "${format_files[@]}"
# The shipped rules together, as one input of several files (split at NUL bytes).
shipped=()
while IFS= read -r file; do shipped+=("$file"); done < <(find rules -name '*.qual' | sort)
for file in "${shipped[@]}"; do cat "$file"; printf '\0'; done >"$corpus/check_rules/shipped_rules_together"

mapfile -t applicant_files < <(small tests/fixtures/applicants examples/applicants \
  tests/fixtures/repl \( -name '*.toml' -o -name '*.json' \))
seed applicant "${applicant_files[@]}"

# Each line of every JSON Lines pool, and each JSON applicant file, as one pool line.
n=0
while IFS= read -r pool; do
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    printf '%s' "$line" >"$corpus/screen_line/pool_line_$n"
  done <"$pool"
done < <(find examples tests/fixtures -name '*.jsonl' -size -64k | sort)
while IFS= read -r file; do
  tr -d '\n\r' <"$file" >"$corpus/screen_line/$(printf '%s' "$file" | tr '/' '_')"
done < <(small tests/fixtures/applicants examples/applicants -name '*.json')

mapfile -t repl_scripts < <(small tests/fixtures/repl -name '*.txt')
seed repl_lines "${repl_scripts[@]}"

for target in check_rules applicant repl_lines fmt_round_trip screen_line; do
  echo "$target: $(find "$corpus/$target" -type f | wc -l) seed inputs"
done
