#!/usr/bin/env bash
# Copy the front-end packages installed by `npm ci` into static/vendor (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/bootstrap-icons/fonts" "$dst/htmx" "$dst/echarts" "$dst/html5-qrcode"
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$dst/bootstrap/"
cp "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$dst/bootstrap-icons/"
cp "$src/bootstrap-icons/font/fonts/"* "$dst/bootstrap-icons/fonts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"
cp "$src/html5-qrcode/html5-qrcode.min.js" "$dst/html5-qrcode/"
echo "static/vendor ready"
