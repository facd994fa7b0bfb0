#!/usr/bin/env bash
# Runs the Dockerfile's recipe outside Docker (CI has no Docker engine) and proves that a
# production-only install serves tools:
#   1. build stage: the files the Dockerfile copies, `npm ci --ignore-scripts`, `npm run build`;
#   2. runtime stage: package.json, package-lock.json, dist/ and corpus/ in a clean folder,
#      `npm ci --omit=dev --ignore-scripts`;
#   3. a fresh PostgreSQL database seeded, the demo help center ingested and the demo squad-api
#      started, all with the image's own scripts (the compose file runs seed and demo-api in the image);
#   4. the image's CMD with the image's ENV (ENVIRONMENT=production), then its HEALTHCHECK, REST
#      calls (get_player, search_documents) and an MCP tools/call (get_player_stats), and a clean
#      SIGTERM exit.
# A runtime package left in devDependencies fails step 3 or 4: node cannot resolve it.
#
# The embedded default's parts (PGlite, pglite-socket, pglite-pgvector) and the pretty console (pino-pretty) are
# development dependencies: the production install must not hold them, and still serve.
#
# Needs: `npm ci` done in the repo (for the pinned Node 24), PostgreSQL at TEST_DB_URL (default
# postgres://postgres@127.0.0.1:5432/postgres, a role that may create databases) and Redis at
# TEST_REDIS_URL (default redis://127.0.0.1:6379), as the tests do. Quiet unless it fails; the last
# line gives the size of the production node_modules.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
started=$SECONDS
admin_db_url=${TEST_DB_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg=(psql "$admin_db_url" -v ON_ERROR_STOP=1 -qAt)
redis_url=${TEST_REDIS_URL:-redis://127.0.0.1:6379}

work="$(mktemp -d -t squad-prodcheck.XXXXXX)"
db="squad_prodcheck_$$_$RANDOM"
pids=()
db_created=false

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $db_created == true ]]; then
    "${pg[@]}" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "production-install-check: FAILED: $1" >&2
  shift
  for log in "$@"; do
    if [[ -s $log ]]; then
      echo "--- last lines of $(basename "$log") ---" >&2
      tail -n 40 "$log" >&2
    fi
  done
  exit 1
}

# The project's pinned Node 24 (the `node` devDependency), first on PATH for npm and for the
# service: the clean folders have no devDependencies, so they cannot provide it themselves.
pinned_node="$(readlink -f "$repo/node_modules/.bin/node" 2>/dev/null || true)"
[[ -x $pinned_node ]] || fail "no pinned Node in $repo/node_modules/.bin/node (run npm ci first)"
PATH="$(dirname "$pinned_node"):$PATH"
export PATH
[[ "$(node -p 'process.versions.node.split(".")[0]')" == 24 ]] || fail "expected Node 24, got $(node --version)"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# The runtime stage's ENV, CMD and HEALTHCHECK, read from the Dockerfile so the two cannot drift.
image_env=() image_cmd=() image_healthcheck=()
eval "$(python3 - "$repo/Dockerfile" <<'PY'
import json, shlex, sys
lines = open(sys.argv[1]).read().replace('\\\n', ' ').splitlines()
stage = [l.strip() for l in lines[max(i for i, l in enumerate(lines) if l.startswith('FROM ')):]]
env = [kv for l in stage if l.startswith('ENV ') for kv in shlex.split(l[4:])]
cmd = json.loads(next(l for l in stage if l.startswith('CMD '))[4:])
check = json.loads(next(l for l in stage if l.startswith('HEALTHCHECK ')).split(' CMD ', 1)[1])
for name, words in (('image_env', env), ('image_cmd', cmd), ('image_healthcheck', check)):
    print(f"{name}=({' '.join(shlex.quote(w) for w in words)})")
PY
)"
((${#image_cmd[@]} > 0 && ${#image_healthcheck[@]} > 0)) || fail "cannot read CMD and HEALTHCHECK from the Dockerfile"

# 1. Build stage.
build="$work/build"
mkdir -p "$build"
cp -R "$repo/package.json" "$repo/package-lock.json" "$repo/nest-cli.json" "$repo/tsconfig.json" \
  "$repo/tsconfig.build.json" "$repo/src" "$build/"
find "$build/src" \( -name '*.spec.ts' -o -name '*.db-spec.ts' \) -delete
(cd "$build" && npm ci --ignore-scripts >"$work/npm-ci-build.log" 2>&1) ||
  fail "npm ci (build stage) failed" "$work/npm-ci-build.log"
(cd "$build" && npm run build >"$work/build.log" 2>&1) || fail "npm run build failed" "$work/build.log"

# 2. Runtime stage: production dependencies only.
app="$work/app"
mkdir -p "$app"
cp "$repo/package.json" "$repo/package-lock.json" "$app/"
(cd "$app" && npm ci --omit=dev --ignore-scripts >"$work/npm-ci-production.log" 2>&1) ||
  fail "npm ci --omit=dev failed" "$work/npm-ci-production.log"
cp -R "$build/dist" "$app/dist"
cp -R "$repo/corpus" "$app/corpus"
for dev_only in @nestjs/cli jest eslint node @electric-sql/pglite @electric-sql/pglite-socket @electric-sql/pglite-pgvector pino-pretty; do
  [[ ! -e $app/node_modules/$dev_only ]] || fail "$dev_only (a devDependency) is in the production install"
done
production_mb=$(($(du -sk "$app/node_modules" | cut -f1) / 1024))
full_mb=$(($(du -sk "$build/node_modules" | cut -f1) / 1024))
packages=$(grep -oE 'added [0-9]+ packages' "$work/npm-ci-production.log" | grep -oE '[0-9]+' || echo '?')

# From here on everything runs in the runtime folder with nothing inherited but PATH and HOME,
# like a container.
cd "$app"
clean_env=(env -i PATH="$PATH" HOME="$work")

wait_for_line() { # file, pattern, seconds, pid
  for _ in $(seq 1 $(($3 * 10))); do
    grep -m1 -oE "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# 3. Database and demo squad-api.
"${pg[@]}" -c "CREATE DATABASE \"$db\"" >/dev/null 2>"$work/psql.log" ||
  fail "cannot create a database at $admin_db_url" "$work/psql.log"
db_created=true
db_url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$admin_db_url" "$db")
"${clean_env[@]}" DB_URL="$db_url" node dist/demo/seed.cli.js >"$work/seed.log" 2>&1 || fail "seed failed" "$work/seed.log"
"${clean_env[@]}" DB_URL="$db_url" node dist/documents/ingest.cli.js --dir corpus/help-center >"$work/ingest.log" 2>&1 ||
  fail "ingest failed" "$work/ingest.log"

service_token="svc-$(node -p 'require("node:crypto").randomBytes(18).toString("hex")')"
"${clean_env[@]}" DB_URL="$db_url" HOST=127.0.0.1 PORT=0 SERVICE_AUTH_TOKEN="$service_token" \
  node dist/demo/demo-api.cli.js >"$work/demo-api.log" 2>&1 &
pids+=($!)
api_url=$(wait_for_line "$work/demo-api.log" 'http://127\.0\.0\.1:[0-9]+' 20 "${pids[-1]}") ||
  fail "the demo squad-api did not start" "$work/demo-api.log"

# 4. The image's command and environment, bound to loopback on a free port.
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
key="prod-$(node -p 'require("node:crypto").randomBytes(24).toString("hex")')"
base="http://127.0.0.1:$port"
log="$work/squad-mcp.log"
"${clean_env[@]}" "${image_env[@]}" HOST=127.0.0.1 PORT="$port" DB_URL="$db_url" API_BASE_URL="$api_url" \
  SERVICE_AUTH_TOKEN="$service_token" API_KEY_PRIMARY="$key" REDIS_URL="$redis_url" ENABLE_RAG=true \
  "${image_cmd[@]}" >"$log" 2>&1 &
server=$!
pids+=("$server")
[[ " ${image_env[*]} " == *" ENVIRONMENT=production "* ]] || fail "the Dockerfile does not set ENVIRONMENT=production"

ready=false
for _ in $(seq 1 300); do
  if curl -sf -o /dev/null "$base/health/ready"; then
    ready=true
    break
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [[ $ready != true ]]; then
  kill -0 "$server" 2>/dev/null || fail "squad-mcp exited before it was ready" "$log"
  fail "squad-mcp did not become ready on $base within 30 s" "$log"
fi

"${clean_env[@]}" "${image_env[@]}" PORT="$port" "${image_healthcheck[@]}" || fail "the Dockerfile's HEALTHCHECK failed" "$log"

health=$(curl -s "$base/health")
node -e 'const h = JSON.parse(process.argv[1]);
  if (h.status !== "healthy" || h.checks.rate_limiter.backend !== "redis") process.exit(1);' "$health" ||
  fail "/health is not healthy with Redis-backed limits: $health" "$log"

status=$(curl -s -o "$work/rest.json" -w '%{http_code}' -X POST "$base/v1/mcp/get_player" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"player_id": 1}')
[[ $status == 200 ]] || fail "REST get_player answered $status: $(cat "$work/rest.json")" "$log"
node -e 'const p = require(process.argv[1]); if (p.id !== 1) process.exit(1);' "$work/rest.json" ||
  fail "REST get_player did not return player 1: $(cat "$work/rest.json")"

status=$(curl -s -o "$work/docs.json" -w '%{http_code}' -X POST "$base/v1/mcp/search_documents" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"query": "how do I transfer to another squad?"}')
[[ $status == 200 ]] || fail "REST search_documents answered $status: $(cat "$work/docs.json")" "$log"
node -e 'const a = require(process.argv[1]); if (a.items[0]?.source !== "squads/transferring-to-another-squad.md") process.exit(1);' "$work/docs.json" ||
  fail "REST search_documents did not find the transfer guide: $(cat "$work/docs.json")"

status=$(curl -s -o "$work/mcp.txt" -w '%{http_code}' -X POST "$base/mcp" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_player_stats","arguments":{"player_id":1}}}')
[[ $status == 200 ]] || fail "MCP tools/call answered $status: $(cat "$work/mcp.txt")" "$log"
# The reply is either plain JSON or one SSE event carrying it.
node -e 'const text = require("node:fs").readFileSync(process.argv[1], "utf8");
  const json = text.trimStart().startsWith("{") ? text : text.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5)).join("");
  const r = JSON.parse(json).result;
  if (!r || r.isError || r.structuredContent.player_id !== 1) process.exit(1);' "$work/mcp.txt" ||
  fail "MCP get_player_stats did not return player 1's stats: $(cat "$work/mcp.txt")" "$log"

kill -TERM "$server"
stopped=false
for _ in $(seq 1 250); do
  if ! kill -0 "$server" 2>/dev/null; then
    stopped=true
    break
  fi
  sleep 0.1
done
[[ $stopped == true ]] || fail "squad-mcp did not exit within 25 s of SIGTERM" "$log"
code=0
wait "$server" || code=$?
[[ $code == 0 ]] || fail "squad-mcp exited with status $code after SIGTERM" "$log"

echo "production-install-check: ok in $((SECONDS - started))s: npm ci --omit=dev ($packages packages, node_modules ${production_mb} MB; ${full_mb} MB with dev dependencies), ENVIRONMENT=production on Node $(node --version), no PGlite or pino-pretty, seeded database and ingested help center, HEALTHCHECK, get_player and search_documents over REST, get_player_stats over MCP, clean SIGTERM exit"
