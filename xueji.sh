#!/usr/bin/env bash
# Xueji's build task: the same steps cargo-leptos takes (server, WebAssembly, wasm-bindgen,
# wasm-opt, style and assets), without waiting 20 minutes for cargo-leptos to compile.
#
#   ./xueji.sh run     install what the build needs, build a release, serve on 127.0.0.1:3000
#   ./xueji.sh test    install what the tests need, then run every check and test
#   ./xueji.sh build   only build the release (target/release/xueji and target/site)
#
# Every install step checks first and says what it installs, so a second run is quick.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

OUTPUT_NAME=xueji
SITE=target/site
WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-release

# Temporary files and folders, removed however the script ends.
CLEANUP=()
# A server started for the tests (its postmaster's pid), stopped before its folder goes.
TEST_POSTGRES_PID=""
# Stops a process and everything it started (a background build's cargo and its rustc).
stop_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  # Builds and installs started beside one another, stopped with the script.
  local job
  for job in $(jobs -p); do stop_tree "$job"; done
  if [ -n "$TEST_POSTGRES_PID" ]; then
    # SIGQUIT: PostgreSQL's immediate shutdown (a throw-away cluster needs no checkpoint).
    kill -QUIT "$TEST_POSTGRES_PID" 2>/dev/null || true
    while kill -0 "$TEST_POSTGRES_PID" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "${CLEANUP[@]}"
}
trap cleanup EXIT

# Each step says when it began, in seconds since the script started.
say() { printf '\033[1m==> %s\033[0m (%ss)\n' "$*" "$SECONDS"; }
installing() { printf '\033[1;33m==> installing %s\033[0m\n' "$*"; }
die() { printf 'xueji.sh: %s\n' "$*" >&2; exit 1; }

apt_install() {
  command -v apt-get >/dev/null || die "please install: $*"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  installing "Debian packages: $*"
  # A stale package list finds nothing; refresh it once per run.
  if [ -z "${APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The exact wasm-bindgen version the lock file resolved: the CLI must match it.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    installing "the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi


  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  if ! frontend/node_modules/.bin/wasm-opt --version >/dev/null 2>&1; then
    installing "wasm-opt (npm package binaryen)"
    npm ci --prefix frontend --no-audit --no-fund
  fi
}

# wasm-bindgen-cli at the version Cargo.lock resolved, installed beside the build, which
# needs it last: it compiles in a folder of its own while one core would idle through most
# of a release build. Its install, as "pid:log" (none: nothing to wait for).
WASM_BINDGEN_INSTALL=""
start_wasm_bindgen_install() {
  local want have log
  want=$(locked_version wasm-bindgen)
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  [ "$have" != "$want" ] || return 0
  installing "wasm-bindgen-cli $want (a few minutes, once; beside the build)"
  log=$(mktemp)
  CLEANUP+=("$log")
  # Not --locked: its lock file names a webpki-roots version the registry no longer has.
  # --force: replace a missing or different binary even when cargo remembers installing one.
  # --debug: it compiles in 84 s (126 s of CPU) instead of 152 s (266 s), and turns the full
  # bundle in 2 s instead of 0.3, into the same bytes (2026-12-07).
  cargo install --quiet --force --debug wasm-bindgen-cli --version "$want" >"$log" 2>&1 &
  WASM_BINDGEN_INSTALL="$!:$log"
}
wasm_bindgen_ready() {
  [ -n "$WASM_BINDGEN_INSTALL" ] || return 0
  local pid=${WASM_BINDGEN_INSTALL%%:*} log=${WASM_BINDGEN_INSTALL#*:}
  WASM_BINDGEN_INSTALL=""
  if ! wait "$pid"; then
    cat "$log" >&2
    die "installing wasm-bindgen-cli failed"
  fi
}

# leptosfmt formats the view! macros (rustfmt leaves them alone); the test checks them.
LEPTOSFMT_VERSION=0.1.33

ensure_test_tools() {
  ensure_build_tools
  if [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}' || true)" != "$LEPTOSFMT_VERSION" ]; then
    installing "leptosfmt $LEPTOSFMT_VERSION (a minute, once)"
    # A debug build: it compiles in a fraction of a release's time and checks 160 files in
    # about a second.
    cargo install --force --locked --debug leptosfmt --version "$LEPTOSFMT_VERSION"
  fi
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' \
    || missing+=(fonts-noto-cjk)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  if ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.package-lock.json 2>/dev/null; then
    installing "Playwright and axe-core (npm, no browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/e2e --no-audit --no-fund
  fi
}

# The newest PostgreSQL server binaries Debian's packages installed (none: install them).
postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    # Its report goes to the terminal: this function's output is the folder's name.
    apt_install postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

# A throw-away PostgreSQL for the HTTP tests' second pass: a cluster in a temporary folder
# (the C collation the portal requires; a random password, so that no other local user
# walks in as its superuser), a free port on loopback, fsync off; its postmaster is stopped
# by its pid when the script ends. Sets XUEJI_TEST_POSTGRES.
start_test_postgres() {
  local bin dir port password
  bin=$(postgres_bin)
  dir=$(mktemp -d)
  CLEANUP+=("$dir")
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" > "$dir/password"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to Debian's postgres user.
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  chmod 600 "$dir/password"
  [ ${#as[@]} -eq 0 ] || chown postgres "$dir/password"
  "${as[@]}" "$bin/initdb" -D "$dir/data" --locale=C --encoding=UTF8 --auth=scram-sha-256 \
    --username=xueji --pwfile="$dir/password" >/dev/null
  rm -f "$dir/password"
  # A port nothing answers on.
  port=$(( 20000 + RANDOM % 30000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( 20000 + RANDOM % 30000 )); done
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off -c max_connections=300" start >/dev/null
  TEST_POSTGRES_PID=$(head -1 "$dir/data/postmaster.pid")
  export XUEJI_TEST_POSTGRES="postgres://xueji:$password@127.0.0.1:$port/postgres"
}

# Short content hash for cache-busting file names.
content_hash() { sha256sum "$1" | cut -c1-16; }

# The WebAssembly bundles, in a target folder of their own (cargo builds in one folder one
# build at a time), started in the background: the pid is in WASM_BUILD. Two bundles: the
# full one hydrates every island; the student form's (`form-bundle`) only its own, so the
# page a teacher fills in most loads a fraction of it. The server gives each page the bundle
# its islands need (server/src/pages.rs).
WASM_DIR=target/wasm
WASM_OUT="$WASM_DIR/$WASM_TARGET/$WASM_PROFILE"
WASM_BUILD=""
start_wasm_build() {
  mkdir -p "$WASM_OUT/bundles"
  local clippy=""
  # `lint`: clippy lints the portal's crates as they compile (clippy-driver is rustc with
  # clippy's lints; these are the two variables `cargo clippy` sets), a lint failing the build.
  if [ "${1:-}" = lint ]; then
    clippy=$(rustup which clippy-driver) || die "clippy is missing: rustup component add clippy"
  fi
  (
    if [ -n "$clippy" ]; then
      export RUSTC_WORKSPACE_WRAPPER=$clippy
      export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
    fi
    wasm() {
      cargo build --profile "$WASM_PROFILE" --locked -p frontend --target "$WASM_TARGET" \
        --target-dir "$WASM_DIR" "$@"
    }
    wasm
    cp "$WASM_OUT/frontend.wasm" "$WASM_OUT/bundles/$OUTPUT_NAME.wasm"
    wasm --features form-bundle
    cp "$WASM_OUT/frontend.wasm" "$WASM_OUT/bundles/$OUTPUT_NAME-form.wasm"
  ) &
  WASM_BUILD=$!
}

build() {
  ensure_build_tools
  start_wasm_bindgen_install
  # The server and the WebAssembly side by side: the portal's own crates compile on one core
  # for minutes, and the other build takes the second.
  say "building the server (release) and the WebAssembly ($WASM_PROFILE, two bundles) side by side"
  start_wasm_build
  local failed=()
  cargo build --release --locked -p server --bin xueji || failed+=("the server")
  wait "$WASM_BUILD" || failed+=("the WebAssembly")
  [ ${#failed[@]} -eq 0 ] || die "the build failed: ${failed[*]}"
  say "built target/release/xueji and the WebAssembly"
  assemble_site
}

# The site from the WebAssembly bundles, the stylesheet and the public files: wasm-bindgen,
# wasm-opt, content-hashed names, brotli and gzip.
assemble_site() {
  wasm_bindgen_ready
  local wasm_out=$WASM_OUT
  # The site depends only on the WebAssembly, the stylesheet and the public files: when
  # none changed since the last build, it stands as it is.
  local stamp
  stamp=$(cat "$wasm_out/bundles/$OUTPUT_NAME.wasm" "$wasm_out/bundles/$OUTPUT_NAME-form.wasm" \
    style/main.css $(find public -type f | sort) | sha256sum | cut -c1-64)
  if [ -f "$SITE/hash.txt" ] && [ "$(cat "$SITE/.source-hash" 2>/dev/null)" = "$stamp" ]; then
    say "the site is up to date: $SITE"
    return
  fi

  local stage
  mkdir -p target
  stage=$(mktemp -d "target/site-stage.XXXXXX")
  CLEANUP+=("$stage")
  mkdir -p "$stage/pkg"

  say "wasm-bindgen and wasm-opt"
  local bundle
  for bundle in "$OUTPUT_NAME" "$OUTPUT_NAME-form"; do
    wasm-bindgen --target web --no-typescript --out-name "$bundle" --out-dir "$stage/pkg" \
      "$wasm_out/bundles/$bundle.wasm"
    frontend/node_modules/.bin/wasm-opt -Oz \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$stage/pkg/$bundle.wasm" "$stage/pkg/${bundle}_bg.wasm"
    rm "$stage/pkg/${bundle}_bg.wasm"
  done
  cp style/main.css "$stage/pkg/$OUTPUT_NAME.css"

  say "hashing and compressing the assets"
  local kind file hash
  : >"$stage/hash.txt"
  # hash.txt: `js`, `wasm` and `css` as Leptos reads them, then `form-js` and `form-wasm`
  # for the student form's bundle, which only this server reads.
  local name prefix
  for kind in js wasm css form-js form-wasm; do
    case "$kind" in
      form-*) name="$OUTPUT_NAME-form" prefix="form-" ;;
      *) name="$OUTPUT_NAME" prefix="" ;;
    esac
    file="$stage/pkg/$name.${kind#"$prefix"}"
    hash=$(content_hash "$file")
    mv "$file" "$stage/pkg/$name.$hash.${kind#"$prefix"}"
    echo "$kind: $hash" >>"$stage/hash.txt"
  done
  node -e '
    const zlib = require("zlib"), fs = require("fs");
    for (const f of process.argv.slice(1)) {
      const data = fs.readFileSync(f);
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
    }' "$stage"/pkg/*.js "$stage"/pkg/*.wasm "$stage"/pkg/*.css
  cp -r public/. "$stage/"
  echo "$stamp" >"$stage/.source-hash"

  rm -rf "$SITE.old"
  [ ! -d "$SITE" ] || mv "$SITE" "$SITE.old"
  mv "$stage" "$SITE"
  rm -rf "$SITE.old"
  say "built $SITE ($(du -sh "$SITE" | cut -f1))"
  ls -l "$SITE/pkg" | awk 'NR > 1 { printf "    %8d  %s\n", $5, $9 }'
}

run() {
  build
  say "serving on http://${XUEJI_ADDR:-127.0.0.1:3000} (data in ${XUEJI_DATABASE_URL:-./data/xueji.db}); Ctrl-C stops"
  exec target/release/xueji serve
}

test_all() {
  ensure_test_tools
  local log
  log=$(mktemp)
  CLEANUP+=("$log")
  # The browser journeys' WebAssembly (and wasm-bindgen-cli) needs nothing the checks below
  # build: it compiles beside them from the start, in the time one of them leaves a core idle.
  start_wasm_bindgen_install
  # Linted by clippy as it compiles: the same crates and features as `cargo clippy --target
  # wasm32-unknown-unknown` with `--features app/hydrate` and with `--features
  # frontend/form-bundle` checked, which took 110 s of CPU of their own (2026-12-08). A lint
  # fails the build, reported where the journeys wait for it. Clippy's driver leaves the
  # MIR unoptimised: the student form's bundle came out 51 bytes larger of 110,691 (brotli)
  # than `./xueji.sh build` makes it, within the budgets' margin.
  say "building the WebAssembly ($WASM_PROFILE, two bundles, linted by clippy) in the background"
  start_wasm_build lint

  say "formatting (rustfmt, and leptosfmt for the view! macros)"
  cargo fmt --all --check
  local views=(app/src frontend/src server/src)
  if ! leptosfmt --check --quiet "${views[@]}"; then
    leptosfmt --check "${views[@]}" | grep -v '^✅' || true
    die "view! macros unformatted: run leptosfmt ${views[*]}"
  fi

  # The tests, the benchmarks and the server the browser journeys run (a debug build;
  # `./xueji.sh run` builds and serves the release) in one build: built apart, the two
  # resolve different features (the tests' HTTP client reaches hyper and tokio) and the
  # portal compiles twice. Each `cargo test` below selects the same packages, so it
  # compiles nothing more.
  # Clippy lints the portal's crates as this build compiles them: clippy-driver is rustc
  # with clippy's lints, and these are the two variables `cargo clippy` sets before it runs
  # `cargo check`. A `cargo clippy --all-targets` of its own would check every crate once
  # more (365 s of a clean clone's 1,126, 2026-12-07).
  RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver) || die "clippy is missing: rustup component add clippy"
  export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
  # Without line tables: each binary that starts the portal (the HTTP tests, the bounds
  # tests, the server, six benchmarks) carried 1.4 GB of them, and a failing test names its
  # file and line without them. 32 s less to build and 13 GB less to write (2026-12-07).
  export CARGO_PROFILE_DEV_DEBUG=false
  say "clippy, and the tests and the server (ssr, debug build)"
  cargo build --locked --all-targets

  say "unit and HTTP integration tests (SQLite)"
  cargo test --locked 2>&1 | tee -a "$log"

  say "HTTP integration tests on PostgreSQL (a throw-away server)"
  start_test_postgres
  cargo test --locked --test http 2>&1 | tee -a "$log"

  say "the site"
  wait "$WASM_BUILD" || die "the WebAssembly build failed (a compiler error or a clippy lint: above)"
  assemble_site

  say "browser journeys (Playwright in Chromium, JavaScript on and off)"
  (cd tests/e2e && CI="${CI:-}" XUEJI_E2E_BINARY="${CARGO_TARGET_DIR:-$ROOT/target}/debug/xueji" \
    npx --no-install playwright test) 2>&1 | tee -a "$log"

  say "summary"
  # Adds up field $2 of the lines of the log that match $1.
  total() { grep -oE "$1" "$log" | awk -v f="$2" '{ s += $f } END { print s + 0 }' || true; }
  grep -E '^test result:' "$log" || true
  grep -E '^\s+[0-9]+ (passed|failed|flaky|skipped)' "$log" || true
  local passed failed skipped
  passed=$(( $(total '^test result: [a-zA-Z]+\. [0-9]+ passed' 4) + $(total '^\s+[0-9]+ passed' 1) ))
  failed=$(( $(total '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' 6) + $(total '^\s+[0-9]+ failed' 1) ))
  skipped=$(( $(total '^test result: .* [0-9]+ ignored' 8) + $(total '^\s+[0-9]+ skipped' 1) ))
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

case "${1:-}" in
  run) run ;;
  build) build ;;
  test) test_all ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
