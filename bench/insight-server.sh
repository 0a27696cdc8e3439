#!/usr/bin/env bash
# The Insight API as a user meets it: the real `tandem serve` (Release) over a database, every report asked over HTTP,
# first once (cold: builds the in-memory facts), then RUNS more times each; then the server's resident memory.
# It writes an API key into the database, so point it at a copy (docs/benchmarks.md, "Insight").
# Usage: bench/insight-server.sh DATA_DIR [RUNS] [PORT]
set -euo pipefail
DATA=$1; RUNS=${2:-7}; PORT=${3:-5199}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dotnet build -c Release -v q "$ROOT/src/Tandem" > /dev/null
T="$ROOT/src/Tandem/bin/Release/net10.0/tandem"
KEY=$("$T" keys create --name "insight-bench-$$" --scope Read --data "$DATA" | tail -1)
"$T" serve --data "$DATA" --urls "http://127.0.0.1:$PORT" > /tmp/insight-server-$$.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 1; done
echo "server pid $PID up; RSS before any report: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status) MB"

ask() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT$1"; }
URLS=(
  "/api/insight/funnel?by=channel"
  "/api/insight/funnel?by=persona&stage=MQL&from=2025-01-01&to=2026-01-01"
  "/api/insight/flow?by=channel&interval=month"
  "/api/insight/deals?by=team&basis=closed"
  "/api/insight/reasons?by=channel"
  "/api/insight/channels?by=channel&from=2025-01-01&to=2026-01-01"
  "/api/insight/attribution?model=w-shaped"
  "/api/insight/attribution-models"
  "/api/insight/funnel/drill?by=channel&key=Email&cell=reached:SQL&pageSize=50"
)
echo "| request | first (cold for the first one) ms | warm median ms | warm max ms |"
echo "|---|---:|---:|---:|"
for u in "${URLS[@]}"; do
  first=$(ask "$u")
  [[ $first == 200* ]] || { echo "$u answered $first"; exit 1; }
  times=$(for _ in $(seq "$RUNS"); do ask "$u" | awk '{print $2 * 1000}'; done | sort -n)
  median=$(echo "$times" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
  max=$(echo "$times" | tail -1)
  printf '| `GET %s` | %.0f | %.1f | %.1f |\n' "$u" "$(echo "$first" | awk '{print $2 * 1000}')" "$median" "$max"
done
awk '/VmRSS|VmHWM/ {printf "%s %d MB\n", $1, $2/1024}' /proc/$PID/status
