#!/usr/bin/env bash
# Measures how fast `forumbot serve` is ready and how much memory it holds
# when idle: a static build, the example forum's shape with Slack in HTTP
# mode, and a stub of Slack's Web API on 127.0.0.1 (auth.test only).
# Usage: docs/bench/serve-idle.sh [runs]   (needs go and python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
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
sed -e "s|path: forumbot.db|path: $work/serve.db|" \
    -e "s|  app_token: \${SLACK_APP_TOKEN}.*|  signing_secret: secret\n  api_url: http://127.0.0.1:$(cat "$work/port")/api/|" \
    -e '/^discord:/,/^$/d' -e 's/discord:\([0-9]*\)/slack:UD\1/' configs/example.yaml > "$work/forumbot.yaml"
export SLACK_BOT_TOKEN=xoxb-measure

printf "run\tready_ms\tidle_rss_kb\n"
for i in $(seq "$runs"); do
  rm -f "$work/serve.db"*
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
