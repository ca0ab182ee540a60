#!/usr/bin/env bash
# Each example folder must work outside the repository: copied into an empty directory,
# installed from its own package.json, its first server started, seen ready and stopped.
set -uo pipefail
root=$(pwd)
status=0
for example in "$root"/examples/*/; do
  area=$(basename "$example")
  copy=$(mktemp -d)
  (cd "$example" && tar --exclude=node_modules -cf - .) | (cd "$copy" && tar -xf -)
  if ! (cd "$copy" && npm install --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "$area: npm install failed in $copy"; status=1; continue
  fi
  server=$(grep -lE 'console.log\(`listening on (tcp|udp|http)://' "$copy"/src/*.ts | sort | head -n 1)
  name=$(basename "$server" .ts)
  # The server leads its own process group, so stopping it stops everything it started.
  (cd "$copy" && exec setsid node --import tsx "src/$name.ts" --port 0 >out.txt 2>&1) &
  pid=$!
  ready=""
  for _ in $(seq 1 200); do
    if grep -q '^listening on ' "$copy/out.txt" 2>/dev/null; then ready=yes; break; fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid"; code=$?
  if [ -n "$ready" ] && [ "$code" = 0 ]; then
    echo "$area: $name started ($(grep '^listening on ' "$copy/out.txt")) and stopped with exit 0"
  else
    echo "$area: $name failed (ready: ${ready:-no}, exit $code):"; sed 's/^/  /' "$copy/out.txt"; status=1
  fi
  rm -rf "$copy"
done
exit $status
