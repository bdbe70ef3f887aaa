#!/usr/bin/env bash
# Re-vendor the GOV.UK Frontend's precompiled CSS, JS and assets into static/govuk-frontend/.
# Usage: bash scripts/vendor-govuk-frontend.sh [VERSION]   (needs npm; the result is committed)
set -euo pipefail
version="${1:-6.6.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@${version}" >/dev/null && tar xzf govuk-frontend-*.tgz)
dist="$work/package/dist/govuk"
out="$here/static/govuk-frontend"
rm -rf "$out" && mkdir -p "$out"
# The CSS refers to /assets/…; served under /static/govuk-frontend/ it must be relative.
sed 's#url(/assets/#url(assets/#g' "$dist/govuk-frontend.min.css" > "$out/govuk-frontend.min.css"
cp "$dist/govuk-frontend.min.js" "$out/"
cp -r "$dist/assets" "$out/assets"
echo "$version" > "$out/VERSION"
echo "GOV.UK Frontend $version vendored into $out"
