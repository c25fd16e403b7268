#!/usr/bin/env bash
# Benchmark of import and analysis (not a timed test). For each size: generate a synthetic survey
# of the bundled questionnaire (`diagnoza bench gen`: one CSV, and the same rows split into files
# of 100,000), then, each in its own process under /usr/bin/time -v (wall time, peak memory):
#   - the baseline: polars reading the whole CSV and nothing else (`bench read`);
#   - `diagnoza init` + `diagnoza import` of the split files (the real commands);
#   - `diagnoza analyze` (the real command: loads the store, analyses overall and by every
#     grouping variable, prints the tables), the headline figure;
#   - `bench analyze`: the same analysis timed by phase (loading the store, analysing).
# Prints a Markdown table with the ratios.
#
#   bench/run.sh                      # debug binary, 1,000 and 100,000 respondents
#   SIZES="1000 100000 1000000" DIAGNOZA=target/release/diagnoza bench/run.sh
#
# Say which build was measured: a debug build runs polars unoptimised and is many times slower
# than a release build, so its absolute times are not what a user sees.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${DIAGNOZA:-target/debug/diagnoza}
SIZES=${SIZES:-"1000 100000"}
WORK=${WORK:-$(mktemp -d)}
[ -x "$BIN" ] || { echo "no binary at $BIN: run cargo build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 2; }

# run CMD... → sets WALL (s), RSS (KB), OUT (the command's stdout)
run() {
  local log="$WORK/time.log"
  OUT=$(/usr/bin/time -v -o "$log" "$@")
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}
kv() { echo "$OUT" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }

echo "binary: $BIN ($(file -b "$BIN" | cut -d, -f1)); $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| respondents | CSV MB | polars read s | polars read peak MB | import s | import peak MB | analyze s | analyze / read | analyze peak MB | analyze peak / CSV size | load s | analysis s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  dir="$WORK/n$n"
  mkdir -p "$dir"
  csv="$dir/survey.csv"
  "$BIN" bench gen --respondents "$n" --out "$csv" --split 100000 >/dev/null
  bytes=$(stat -c %s "$csv")
  sync  # the files just written are flushed before anything is timed
  run "$BIN" bench read "$csv"
  read_s=$(kv read_s); read_rss=$RSS
  ws="$dir/ws"
  "$BIN" init --gmina Benchmark "$ws" >/dev/null
  run "$BIN" -w "$ws" import "$dir"/survey-[0-9][0-9][0-9].csv
  imp_s=$WALL; imp_rss=$RSS
  sync  # the store's writes reach the disk before the analysis is timed
  run "$BIN" -w "$ws" analyze
  an_s=$WALL; an_rss=$RSS
  run "$BIN" bench analyze "$ws"
  load_s=$(kv load_s); phase_s=$(kv analyse_s)
  awk -v n="$n" -v b="$bytes" -v r="$read_s" -v rr="$read_rss" -v is="$imp_s" -v ir="$imp_rss" \
      -v a="$an_s" -v ar="$an_rss" -v l="$load_s" -v p="$phase_s" 'BEGIN {
    printf "| %d | %.1f | %.2f | %.0f | %.1f | %.0f | %.2f | %.2f× | %.0f | %.2f× | %.2f | %.2f |\n",
      n, b/1e6, r, rr/1024, is, ir/1024, a, a/r, ar/1024, ar*1024/b, l, p }'
  rm -rf "$dir"
done
echo
echo "analyze = the whole \`diagnoza analyze\` process (start, reading the store, analysis overall"
echo "and by the 8 grouping variables, printing); load / analysis = its two phases timed inside"
echo "(\`bench analyze\`); import = \`diagnoza import\` of the same rows as files of 100,000."
echo "Written files are flushed (sync) before the next step is timed."
