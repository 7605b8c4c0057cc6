#!/usr/bin/env bash
# Copies the screenshots the browser tests took of every page, in English and French
# (target/screenshots/{en,fr}-*.png, written by EveryPageBrowserTests during `mvn verify`), into
# docs/screenshots/, where the README shows them. pngquant (Debian's package) makes them about a third
# of their size when it is installed; without it they are copied as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
shots=(target/screenshots/en-*.png target/screenshots/fr-*.png)
if [ ${#shots[@]} -eq 0 ]; then
  echo "no screenshots under target/screenshots: run mvn verify (or -Dtest=EveryPageBrowserTests) first" >&2
  exit 1
fi
mkdir -p docs/screenshots
rm -f docs/screenshots/*.png
for shot in "${shots[@]}"; do
  out="docs/screenshots/$(basename "$shot")"
  if command -v pngquant >/dev/null; then
    pngquant --quality 60-85 --speed 1 --force --output "$out" "$shot"
  else
    cp "$shot" "$out"
  fi
done
echo "${#shots[@]} screenshots in docs/screenshots/"
