#!/usr/bin/env bash
# Measures how fast `forumbot serve` is ready and how much memory it holds
# when idle: a static build with Slack in HTTP mode and a stub of Slack's
# Web API on 127.0.0.1 (auth.test only). By default the example forum on a
# new database; with COMMITMENTS and MONTHS, a seeded forum of that many
# commitments (30 members each) with that many months of history, built
# through the real engine (docs/bench/seeded; cached after the first run).
# Usage: docs/bench/serve-idle.sh [runs] [COMMITMENTS MONTHS]   (needs go and python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
commitments=${2:-}
months=${3:-24}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/forumbot" ./cmd/forumbot
python3 - "$work/port" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = {"ok": True, "user_id": "UBOT", "team_id": "T1", "user": "forumbot"}
        data = json.dumps(body).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
while [ ! -s "$work/port" ]; do sleep 0.1; done
# serve's own listener on a port nothing else holds.
listen="127.0.0.1:$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
if [ -z "$commitments" ]; then
  sed -e "s|path: forumbot.db|path: $work/serve.db|" \
      -e "s|  app_token: \${SLACK_APP_TOKEN}.*|  signing_secret: secret\n  api_url: http://127.0.0.1:$(cat "$work/port")/api/|" \
      -e "s|listen: 127.0.0.1:8080|listen: $listen|" \
      -e '/^discord:/,/^$/d' -e 's/discord:\([0-9]*\)/slack:UD\1/' configs/example.yaml > "$work/forumbot.yaml"
else
  mkdir "$work/seed"
  go run ./docs/bench/seeded -platform slack -commitments "$commitments" -people $((commitments * 6)) -months "$months" -out "$work/seed"
  # The seeded forum's rounds run to November 2026; a yearly schedule keeps
  # the measured process idle whatever today's date.
  { printf 'store: {path: %s/serve.db}\nhttp: {listen: "%s"}\n' "$work" "$listen"
    printf 'slack: {bot_token: "${SLACK_BOT_TOKEN}", signing_secret: secret, api_url: "http://127.0.0.1:%s/api/"}\n' "$(cat "$work/port")"
    sed -e 's|prompt: "0 9 1 \* \*"|prompt: "0 9 1 1 *"|' "$work/seed/forum.yaml"; } > "$work/forumbot.yaml"
  ls -l "$work/seed/forumbot.db" >&2
fi
export SLACK_BOT_TOKEN=xoxb-measure

printf "run\tready_ms\tidle_rss_kb\n"
for i in $(seq "$runs"); do
  rm -f "$work/serve.db"*
  [ -z "$commitments" ] || cp "$work/seed/forumbot.db" "$work/serve.db"
  start=$(date +%s%N)
  "$work/forumbot" serve --config "$work/forumbot.yaml" 2> "$work/log" &
  pid=$!
  until grep -q "msg=ready" "$work/log" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { cat "$work/log" >&2; exit 1; }
    sleep 0.005
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 10
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  printf "%d\t%d\t%d\n" "$i" "$ready" "$rss"
done
