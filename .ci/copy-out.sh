#!/usr/bin/env bash
# Each example folder must work outside the repository: copied into an empty directory and
# installed from its own package.json, it type-checks on its own (its tsconfig.json is standalone),
# every program answers --help under `npx tsx` (the way on Node 20) and under plain `node` on
# Node 24 (type stripping), and its first server starts, prints its readiness line and stops with
# exit 0 on SIGTERM, both ways, and on Bun and Deno.
set -uo pipefail
root=$(pwd)
status=0
node24=$(npx --yes -p node@24 -- sh -c 'command -v node') || { echo "could not fetch Node 24"; exit 1; }

# start_and_stop LABEL COMMAND...: runs a server (leading its own process group) with --port 0,
# waits for "listening on", sends SIGTERM and requires exit 0.
start_and_stop() {
  local label=$1; shift
  setsid "$@" --port 0 >out.txt 2>&1 &
  local pid=$! ready=""
  for _ in $(seq 1 200); do
    if grep -q '^listening on ' out.txt 2>/dev/null; then ready=yes; break; fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid"; local code=$?
  if [ -n "$ready" ] && [ "$code" = 0 ]; then
    echo "  $label: $(grep '^listening on ' out.txt), stopped with exit 0"
  else
    echo "  $label: FAILED (ready: ${ready:-no}, exit $code):"; sed 's/^/    /' out.txt; return 1
  fi
}

# play_bot_game NODE: starts game-server, plays 10 moves with game-client --bot, requires every move
# acknowledged and exit 0 from both.
play_bot_game() {
  setsid "$1" src/game-server.ts --port 0 --announce-every 0 >game.txt 2>&1 &
  local pid=$! port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's|^listening on udp://127.0.0.1:\([0-9]*\)$|\1|p' game.txt 2>/dev/null)
    [ -n "$port" ] && break
    sleep 0.1
  done
  local played=1
  if [ -n "$port" ] && "$1" src/game-client.ts --bot --seed 1 --moves 10 --port "$port" >bot.txt 2>&1 &&
    grep -q '^inputs 10 in [0-9]* datagrams, acknowledged up to 10$' bot.txt; then played=0; fi
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid"; local code=$?
  if [ "$played" = 0 ] && [ "$code" = 0 ]; then
    echo "  node ($("$1" --version)) game-client --bot played 10 moves against game-server, both exited 0"
  else
    echo "  the bot game FAILED (server exit $code):"; sed 's/^/    /' game.txt bot.txt; return 1
  fi
}

for example in "$root"/examples/*/; do
  area=$(basename "$example")
  copy=$(mktemp -d)
  (cd "$example" && tar --exclude=node_modules -cf - .) | (cd "$copy" && tar -xf -)
  cd "$copy" || exit 1
  echo "$area (copied to $copy)"
  if ! npm install --no-audit --no-fund --loglevel=error >/dev/null; then
    echo "  npm install failed"; status=1; cd "$root"; continue
  fi
  if npx tsc -p . >tsc.txt 2>&1; then echo "  type-checks on its own"; else
    echo "  tsc failed:"; sed 's/^/    /' tsc.txt; status=1
  fi
  programs=$(grep -l '^ \* Run: ' src/*.ts | sort)
  for program in $programs; do
    name=$(basename "$program" .ts)
    npx tsx "$program" --help 2>&1 | grep -q "^usage: $name " || { echo "  npx tsx $program --help failed"; status=1; }
    "$node24" "$program" --help 2>&1 | grep -q "^usage: $name " || { echo "  node (24) $program --help failed"; status=1; }
  done
  echo "  every program answers --help under npx tsx ($(node --version)) and node ($("$node24" --version))"
  server=$(grep -l 'printListening(' $programs | head -n 1)
  if grep -q '"node": ">=22' package.json; then
    # An area that needs a newer Node (07-web: node:sqlite) refuses Node 20 in one line, and starts on Node 24
    # once it has its certificates (below).
    if node_modules/.bin/tsx "$server" --port 0 >refused.txt 2>&1; then refused=0; else refused=$?; fi
    if [ "$refused" = 1 ] && grep -q "^error: .* Node 22.13 and newer; this is Node $(node --version | tr -d v)$" refused.txt; then
      echo "  tsx $server on $(node --version): $(cat refused.txt)"
    else
      echo "  tsx $server on $(node --version) did not refuse in one line (exit $refused):"; sed 's/^/    /' refused.txt; status=1
    fi
  else
    # npx would stand between the signal and tsx; the tsx CLI it runs relays SIGTERM to the program.
    start_and_stop "tsx $server" node_modules/.bin/tsx "$server" || status=1
    start_and_stop "node (24) $server" "$node24" "$server" || status=1
    # Bun and Deno (the lockfile's) run the same file in the copy, with the packages npm installed there.
    start_and_stop "bun $server" "$root/node_modules/.bin/bun" "$server" || status=1
    start_and_stop "deno run -A $server" "$root/node_modules/.bin/deno" run -A "$server" || status=1
  fi
  # An area with TLS makes its certificates with its own make-certs, then starts its TLS server.
  if [ -f src/make-certs.ts ]; then
    if "$node24" src/make-certs.ts >make-certs.txt 2>&1; then echo "  node (24) src/make-certs.ts: $(cat make-certs.txt)"; else
      echo "  make-certs failed:"; sed 's/^/    /' make-certs.txt; status=1
    fi
    if [ -f src/tls-echo-server.ts ]; then
      start_and_stop "tsx src/tls-echo-server.ts" node_modules/.bin/tsx src/tls-echo-server.ts || status=1
    elif [ -f src/board.ts ]; then
      start_and_stop "node (24) src/board.ts" "$node24" src/board.ts || status=1
    else
      start_and_stop "tsx src/app.ts over HTTP/2" node_modules/.bin/tsx src/app.ts \
        --key certs/server.key --cert certs/server.crt --http2 || status=1
    fi
  fi
  # An area with the game plays a short bot game in the copy: the server and a client, both sibling-only.
  if [ -f src/game-server.ts ]; then play_bot_game "$node24" || status=1; fi
  # The lab, as root: the copied folder builds a network and takes it down again.
  if [ -f src/lab.ts ] && [ "$(id -u)" = 0 ]; then
    if "$node24" src/lab.ts --lab 777 up two-hosts >lab.txt 2>&1 && "$node24" src/lab.ts --lab 777 down >>lab.txt 2>&1; then
      echo "  node (24) src/lab.ts: $(head -n 1 lab.txt); $(tail -n 1 lab.txt)"
    else
      echo "  the lab FAILED:"; sed 's/^/    /' lab.txt; "$node24" src/lab.ts --lab 777 down >/dev/null 2>&1; status=1
    fi
  fi
  cd "$root" || exit 1
  rm -rf "$copy"
done
exit $status
