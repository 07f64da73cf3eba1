#!/usr/bin/env bash
# Measures what a coordinator waits for on a forum with history: the
# export (CSV and JSON) and the implementation report (HTML and
# Markdown) of a seeded forum of COMMITMENTS commitments (30 members
# each) with MONTHS months of answers, built through the real engine
# (docs/bench/seeded; cached after the first run). Prints, per run and
# format, the wall time and the peak resident memory (GNU time).
# Usage: docs/bench/report-big.sh [runs] [COMMITMENTS] [MONTHS] [COMMITTEE]   (needs go and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
commitments=${2:-1000}
months=${3:-24}
committee=${4:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/forumbot" ./cmd/forumbot
mkdir "$work/seed"
go run ./docs/bench/seeded -platform local -commitments "$commitments" -people $((commitments * committee / 5)) -months "$months" -committee "$committee" -out "$work/seed"
{ printf 'store: {path: %s/seed/forumbot.db}\n' "$work"; cat "$work/seed/forum.yaml"; } > "$work/forumbot.yaml"
forum=$(awk '/^ *- id:/ {print $3; exit}' "$work/seed/forum.yaml")
ls -l "$work/seed/forumbot.db" >&2

printf "run\tcommand\tformat\tseconds\tpeak_rss_kb\tbytes\n"
for i in $(seq "$runs"); do
  for job in "export csv" "export json" "report html" "report markdown"; do
    set -- $job
    /usr/bin/time -f "%e %M" -o "$work/time" \
      "$work/forumbot" "$1" --config "$work/forumbot.yaml" --forum "$forum" --format "$2" --out "$work/out" --force
    read -r secs rss < "$work/time"
    printf "%d\t%s\t%s\t%s\t%s\t%s\n" "$i" "$1" "$2" "$secs" "$rss" "$(stat -c %s "$work/out")"
  done
done
