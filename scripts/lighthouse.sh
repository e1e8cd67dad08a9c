#!/usr/bin/env bash
# Lighthouse (accessibility, performance, best practices, SEO; mobile and desktop) on
# the Spanish site's shopping path of a running shop: home, category, search,
# product, size guide, a content page (the terms of sale), then cart and each checkout step with a cart filled by curl.
# Search results, the cart and the checkout are not for search engines (`noindex`,
# or kept out by robots.txt): their SEO score says so rather than a fault. Lighthouse is
# installed from npm into /var/tmp/comptoir-lighthouse the first time.
# Usage: scripts/lighthouse.sh [BASE]   (default http://127.0.0.1:8080, the demo shop)
# Needs: node and npm, Chromium at /usr/bin/chromium, a shop with the demo catalogue.
set -euo pipefail
base="${1:-http://127.0.0.1:8080}"
tools=/var/tmp/comptoir-lighthouse
[ -x "$tools/node_modules/.bin/lighthouse" ] \
    || npm install --prefix "$tools" --no-audit --no-fund --silent lighthouse@13.5.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHROME_PATH=/usr/bin/chromium

# The token of the first form of a page.
token() { curl -s -c "$work/jar" -b "$work/jar" "$base$1" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
post() { curl -s -o /dev/null -c "$work/jar" -b "$work/jar" -H "Origin: $base" "$@"; }

report() {
    local page="$1" form="$2" out="$work/report.json" preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    "$tools/node_modules/.bin/lighthouse" "$base$page" "${preset[@]}" \
        --extra-headers="$work/headers.json" \
        --only-categories=accessibility,performance,best-practices,seo \
        --chrome-flags="--headless --no-sandbox --disable-gpu" \
        --output=json --output-path="$out" --quiet
    python3 - "$out" "$page" "$form" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
accessibility = {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}
failed = [a["id"] for a in report["audits"].values()
          if a["id"] in accessibility and a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
print(f'{sys.argv[2]:<36} {sys.argv[3]:<7} accessibility {scores["accessibility"]:>3}  '
      f'performance {scores["performance"]:>3}  best practices {scores["best-practices"]:>3}  '
      f'SEO {scores["seo"]:>3}  '
      f'{" ".join(failed)}  ({report["finalDisplayedUrl"]})')
PY
}

# No cookie for the catalogue pages, as a first visit.
echo '{}' > "$work/headers.json"
for page in /es/ /es/c/halloween "/es/buscar?q=bruja" /es/p/disfraz-de-bruja-para-mujer /es/guia-de-tallas /es/condiciones-generales; do
    for form in mobile desktop; do report "$page" "$form"; done
done

# A cart, a checkout with its address and its payment chosen, as the shopper's cookies.
post -d "variant=DIS-BRUJA-MUJER-M&quantity=1" "$base/es/cart/add"
curl -s -o /dev/null -c "$work/jar" -b "$work/jar" "$base/es/checkout"
post --data-urlencode "csrf=$(token /es/checkout/address)" \
    -d "email=ana@example.es&name=Ana García&phone=612 345 678&street=Calle Mayor 1&postcode=28013&city=Madrid&country=ES" \
    "$base/es/checkout/address"
# A step the shopper cannot reach sends back to the cart: audit no page by mistake.
reaches() { [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" "$base$1")" = 200 ] || { echo "the checkout does not reach $1" >&2; exit 1; }; }
reaches /es/checkout/payment
cookies=$(sed 's/^#HttpOnly_//' "$work/jar" | awk '!/^#/ && NF >= 7 { printf "%s=%s; ", $6, $7 }')
python3 -c 'import json, sys; json.dump({"Cookie": sys.argv[1]}, open(sys.argv[2], "w"))' "$cookies" "$work/headers.json"
for page in /es/cart /es/checkout/address /es/checkout/payment; do
    for form in mobile desktop; do report "$page" "$form"; done
done
post --data-urlencode "csrf=$(token /es/checkout/payment)" -d "method=card" "$base/es/checkout/payment"
reaches /es/checkout/review
for form in mobile desktop; do report /es/checkout/review "$form"; done
