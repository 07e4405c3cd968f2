#!/usr/bin/env bash
# Copy the front-end packages installed by `npm ci` into static/vendor (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/bootstrap-icons/fonts" "$dst/htmx" "$dst/echarts" "$dst/jsqr"
# With the source maps their last lines name: collectstatic (DEBUG off) refuses a bundle whose map is missing.
cp "$src/bootstrap/dist/css/bootstrap.min.css"{,.map} "$src/bootstrap/dist/js/bootstrap.bundle.min.js"{,.map} "$dst/bootstrap/"
cp "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$dst/bootstrap-icons/"
cp "$src/bootstrap-icons/font/fonts/"* "$dst/bootstrap-icons/fonts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"
cp "$src/jsqr/dist/jsQR.js" "$dst/jsqr/"
# Every sourceMappingURL a vendor file names must be there, or `collectstatic` fails in production.
for file in $(grep -rl --include="*.js" --include="*.css" "sourceMappingURL=" "$dst" || true); do
  for map in $(grep -o "sourceMappingURL=[^ *]*" "$file" | cut -d= -f2); do
    test -f "$(dirname "$file")/$map" || { echo "$file names $map, which was not copied" >&2; exit 1; }
  done
done
echo "static/vendor ready"
