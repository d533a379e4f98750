# Shared helpers for scripts/run.sh and scripts/test.sh. Sourced, not run.

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Install Debian packages that are missing (the machine is root; sudo when it is not).
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# What the Rust build needs from the system: a C compiler (bundled SQLite) and libpq.
ensure_build_deps() {
    command -v cargo >/dev/null || { echo "cargo is missing: install Rust (https://rustup.rs)" >&2; exit 1; }
    command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer" >&2; exit 1; }
    apt_install build-essential pkg-config libpq-dev
}

# Build the web app into frontend/dist.
build_frontend() {
    say "building the web app"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error && npm run build)
}
