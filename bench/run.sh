#!/usr/bin/env bash
# Benchmark of the analysis (not a timed test). For each size: generate a synthetic survey of the
# bundled questionnaire (`diagnoza bench gen`), time polars reading that CSV and nothing else
# (`bench read`, the baseline), then the importer's parse + the analysis by every
# disaggregation question (`bench analyze`), each in its own process under /usr/bin/time -v for
# the wall time and peak memory. Prints a Markdown table with the ratios.
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

# run LABEL CMD... → sets WALL (s), RSS (KB), OUT (the command's stdout)
run() {
  local log="$WORK/time.log"
  OUT=$(/usr/bin/time -v -o "$log" "$@")
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}
kv() { echo "$OUT" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }

echo "binary: $BIN ($(file -b "$BIN" | cut -d, -f1)); $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| respondents | CSV MB | polars read s | polars read peak MB | parse+map s | frame s | analysis s | analysis / read | process s | peak MB | peak / CSV size | RSS with responses MB | peak in analysis MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  csv="$WORK/survey-$n.csv"
  "$BIN" bench gen --respondents "$n" --out "$csv" >/dev/null
  bytes=$(stat -c %s "$csv")
  run "$BIN" bench read "$csv"
  read_s=$(kv read_s); read_rss=$RSS
  run "$BIN" bench analyze "$csv"
  map_s=$(kv read_map_s); frame_s=$(kv frame_s); an_s=$(kv analyse_s); wall=$WALL; rss=$RSS
  resp_mb=$(kv rss_responses_mb); an_mb=$(kv peak_analysis_mb)
  awk -v n="$n" -v b="$bytes" -v r="$read_s" -v rr="$read_rss" -v m="$map_s" -v f="$frame_s" \
      -v a="$an_s" -v w="$wall" -v x="$rss" -v rm="$resp_mb" -v am="$an_mb" 'BEGIN {
    printf "| %d | %.1f | %.2f | %.0f | %.2f | %.2f | %.2f | %.1f× | %.1f | %.0f | %.1f× | %.0f | %.0f |\n",
      n, b/1e6, r, rr/1024, m, f, a, a/r, w, x/1024, x*1024/b, rm, am }'
  rm -f "$csv"
done
echo
echo "analysis s = building the indicator frame + aggregating overall and by 8 grouping variables"
echo "(frame s is the frame alone, measured separately); parse+map = the importer's CSV decode,"
echo "column mapping and validation into responses; peak MB = the whole analyze process;"
echo "RSS with responses = memory once the parsed responses are held; peak in analysis = the"
echo "highest RSS while analysing (responses included; Linux clear_refs reset before)."
