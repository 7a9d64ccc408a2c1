#!/usr/bin/env bash
# Packs the built package and installs it the way n8n's Community Nodes installer does: the tarball
# unpacked, dev and peer dependencies dropped, runtime dependencies installed inside the package folder.
# Usage: stage-package.sh OUT_DIR  → OUT_DIR/node_modules/<package name>
set -euo pipefail
out="$1"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
name="$(node -p "require('$repo/package.json').name")"
target="$out/node_modules/$name"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$repo" && npm pack --silent --pack-destination "$tmp" >/dev/null)
rm -rf "$target" && mkdir -p "$target"
tar xzf "$tmp"/*.tgz -C "$target" --strip-components=1
node -e '
const fs = require("fs"); const file = process.argv[1];
const { devDependencies, peerDependencies, peerDependenciesMeta, optionalDependencies, overrides, ...pkg } = JSON.parse(fs.readFileSync(file, "utf8"));
fs.writeFileSync(file, JSON.stringify(pkg, null, 2));' "$target/package.json"
(cd "$target" && npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false --loglevel=error)
echo "$target"
