#!/usr/bin/env bash
# diagnoza against the pandas workflow, side by side (issue #16; not a timed test). For each size:
# generate the 60-question survey (bench/gen_survey.py: questionnaire + one CSV), then, each step
# in its own process under /usr/bin/time -v (wall time, peak resident memory):
#   - pandas: bench/pandas_report.py (read, frequencies with Wilson CIs overall and by each
#     grouping variable, multiple-choice shares, integers, HTML; no charts);
#   - diagnoza's real commands: init, import of the one file, report in all four formats
#     (html, docx, md, xlsx; with its charts).
# Prints a Markdown table: times, peak memory, the store's size, and the ratios pandas / diagnoza.
#
#   cargo build --release && SIZES="1000 100000 1000000" bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${DIAGNOZA:-target/release/diagnoza}
PY=${PYTHON:-python3}
SIZES=${SIZES:-"1000 100000"}
WORK=${WORK:-$(mktemp -d)}
[ -x "$BIN" ] || { echo "no binary at $BIN: run cargo build --release first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 2; }
"$PY" -c "import pandas" || { echo "pandas is needed: pip install pandas" >&2; exit 2; }

# run CMD... → WALL (s), RSS (KB)
run() {
  local log="$WORK/time.log"
  /usr/bin/time -v -o "$log" "$@" >"$WORK/out.log" 2>"$WORK/err.log" || {
    echo "failed: $*" >&2; tail -5 "$WORK/err.log" >&2; exit 1; }
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

echo "binary: $BIN; $($PY -c 'import pandas; print("pandas", pandas.__version__)'); $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| respondents | CSV MB | pandas s | pandas peak MB | import s | import peak MB | store MB | store / CSV | report s | report peak MB | diagnoza end to end s | pandas / diagnoza time | diagnoza peak / pandas peak |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  dir="$WORK/n$n"
  rm -rf "$dir"; mkdir -p "$dir"
  "$PY" bench/gen_survey.py --respondents "$n" --out "$dir"
  csv="$dir/survey.csv"
  bytes=$(stat -c %s "$csv")
  sync
  run "$PY" bench/pandas_report.py "$csv" "$dir/pandas.html"
  py_s=$WALL; py_rss=$RSS
  ws="$dir/ws"
  run "$BIN" init --gmina Benchmark --template "$dir/ankieta.toml" "$ws"
  init_s=$WALL; init_rss=$RSS
  run "$BIN" -w "$ws" import "$csv"
  imp_s=$WALL; imp_rss=$RSS
  grep -q "accepted $n, rejected 0" "$WORK/out.log" || { echo "import of $n did not accept all" >&2; cat "$WORK/out.log" >&2; exit 1; }
  sync
  store=$(stat -c %s "$ws/diagnoza.sqlite")
  run "$BIN" -w "$ws" report --format html,docx,md,xlsx --out "$dir/report"
  rep_s=$WALL; rep_rss=$RSS
  awk -v n="$n" -v b="$bytes" -v ps="$py_s" -v pr="$py_rss" -v is="$imp_s" -v ir="$imp_rss" \
      -v st="$store" -v rs="$rep_s" -v rr="$rep_rss" -v i0="$init_s" -v i0r="$init_rss" 'BEGIN {
    e = i0 + is + rs; peak = ir; if (rr > peak) peak = rr; if (i0r > peak) peak = i0r;
    printf "| %d | %.1f | %.2f | %.0f | %.2f | %.0f | %.1f | %.2f× | %.2f | %.0f | %.2f | %.2f× | %.2f× |\n",
      n, b/1e6, ps, pr/1024, is, ir/1024, st/1e6, st/b, rs, rr/1024, e, ps/e, peak/pr }'
  rm -rf "$dir"
done
echo
echo "end to end = init + import + report (html, docx, md, xlsx, with charts); diagnoza's peak is"
echo "the highest of its three processes. pandas / diagnoza time above 1 means diagnoza is faster."
