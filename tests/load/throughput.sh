#!/usr/bin/env bash
# Throughput of the main pages under load, the figures docs/PERFORMANCE.md keeps:
#
#   tests/load/throughput.sh BINARY [STUDENTS]
#
# Makes a demo school of STUDENTS (3,000 unless given) in a temporary folder with BINARY
# (`xueji demo-data`; with XUEJI_LOAD_DATABASE_URL=postgres://… that database instead, which
# must be empty), serves it on 127.0.0.1 pinned to core 0, signs in a homeroom teacher (t0001,
# a class of about 45) and a records administrator (records1), and runs wrk pinned to core 1 against
# /healthz, the roster, a student's page and the search page (a name search kept): 64 connections, 20 seconds
# each (XUEJI_LOAD_SECONDS), one line per page with requests a second and p50/p99.
# Needs wrk (Debian's package) and a machine with two cores or more.
set -euo pipefail
BINARY=$(realpath "$1")
STUDENTS=${2:-3000}
SECONDS_EACH=${XUEJI_LOAD_SECONDS:-20}
PASSWORD='Qv7#mTz9!pLw'
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

dir=$(mktemp -d)
server=""
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
export XUEJI_DATABASE_URL=${XUEJI_LOAD_DATABASE_URL:-sqlite://$dir/xueji.db}
export XUEJI_KEY_FILE=$dir/xueji.key
export XUEJI_LOG=warn
case "$XUEJI_DATABASE_URL" in
  postgres*) "$BINARY" migrate >/dev/null ;;
esac
echo "$PASSWORD" | "$BINARY" demo-data --students "$STUDENTS" --password-stdin >/dev/null

port=$(( 20000 + RANDOM % 30000 ))
origin="http://127.0.0.1:$port"
# Loopback is the trusted proxy: the sign-in flood below comes from many addresses.
XUEJI_TRUSTED_PROXIES=127.0.0.1/32 XUEJI_ADDR=127.0.0.1:$port taskset -c 0 "$BINARY" serve >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$origin/healthz" >/dev/null && break; sleep 0.1; done

# A session's cookie for `username`.
sign_in() {
  curl -fs -o /dev/null -D - -H "Origin: $origin" --data-urlencode "username=$1" \
    --data-urlencode "password=$PASSWORD" "$origin/api/sign-in" \
    | tr -d '\r' | awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /^xueji_session=/ { print $2 }'
}
teacher=$(sign_in t0001)
records=$(sign_in records1)
class=$(curl -fs -H "Cookie: $teacher" "$origin/records" | grep -o '/records/classes/[0-9a-f]\{32\}' | head -1)
student=$(curl -fs -H "Cookie: $teacher" "$origin$class" | grep -o '/records/students/[0-9a-f]\{32\}' | head -1)
[ -n "$class" ] && [ -n "$student" ] || { echo "no class or student found" >&2; exit 1; }
# The search page shows the search its session keeps: one search first, then its page.
curl -fs -o /dev/null -H "Cookie: $records" -H "Origin: $origin" --data-urlencode "query=wxm" \
  "$origin/api/records/search"

# Wrong passwords for unknown names from a new address each: every one is hashed.
cat >"$dir/flood.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", "/api/sign-in", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "$origin",
    ["X-Forwarded-For"] = ip,
  }, "username=nobody" .. counter .. "&password=not-the-password-" .. counter)
end
LUA

load() {
  local name=$1 cookie=$2 path=$3
  shift 3
  taskset -c 1 wrk -t1 -c64 -d"${SECONDS_EACH}s" --latency -H "Cookie: $cookie" "$@" "$origin$path" \
    | awk -v name="$name" '
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
        /Non-2xx/ { bad = $NF }
        END { printf "%-13s %10s req/s   p50 %8s   p99 %8s%s\n", name, rps, p50, p99, bad ? "   non-2xx " bad : "" }'
}
echo "$(basename "$BINARY") · $STUDENTS students · ${XUEJI_DATABASE_URL%%:*} · wrk -t1 -c64 -d${SECONDS_EACH}s"
load healthz "" /healthz
load roster "$teacher" "$class"
load student "$teacher" "$student"
load search "$records" /records/search
# The roster again while 16 clients send wrong passwords as fast as they are answered.
taskset -c 1 wrk -t1 -c16 -d"$((SECONDS_EACH + 2))s" -s "$dir/flood.lua" "$origin/api/sign-in" \
  >"$dir/flood.out" 2>&1 &
flood=$!
sleep 1
load "roster+flood" "$teacher" "$class"
wait "$flood"
awk '/Requests\/sec/ { printf "%-13s %10s req/s (sign-ins answered, most refused)\n", "flood", $2 }' "$dir/flood.out"
