#!/usr/bin/env bash
# A whole purchase through the REST API with curl, against a running `make run` (emulator mode).
#   scripts/curl_purchase.sh [http://localhost:8501]
# Needs curl and python3 (only to read JSON fields).
set -euo pipefail
BASE="${1:-http://localhost:8501}"
API="$BASE/api"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "1. Sign in as the demo customer"
TOKEN=$(curl -fsS -X POST "$API/auth/token" -H 'Content-Type: application/json' \
  -d '{"username": "customer", "password": "customer123"}' | json '["access_token"]')
AUTH=(-H "Authorization: Bearer $TOKEN")

echo "2. Put a notebook in the cart"
PRODUCT=$(curl -fsS "$API/products?q=notebook" | json '["items"][0]["id"]')
curl -fsS -X DELETE "$API/cart" "${AUTH[@]}" >/dev/null
curl -fsS -X POST "$API/cart/items" "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d "{\"product_id\": $PRODUCT, \"quantity\": 2}" >/dev/null

echo "3. Place the pending order (stock is held; the same Idempotency-Key never makes two)"
ORDER=$(curl -fsS -X POST "$API/orders" "${AUTH[@]}" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: curl-demo-$(date +%s)" \
  -d '{"shipping": {"name": "Casey Customer", "line1": "1 Main St", "city": "Springfield",
       "postal_code": "12345", "country": "US"}, "shipping_method": "standard",
       "discount_code": "WELCOME10"}')
ORDER_ID=$(echo "$ORDER" | json '["id"]')
echo "   order $(echo "$ORDER" | json '["number"]'), total $(echo "$ORDER" | json '["total_cents"]') cents"

echo "4. Open a hosted Stripe Checkout session for it"
SESSION=$(curl -fsS -X POST "$API/payment/stripe-checkout" "${AUTH[@]}" \
  -H 'Content-Type: application/json' -d "{\"order_id\": $ORDER_ID}")
SESSION_ID=$(echo "$SESSION" | json '["session_id"]')
PAY_URL=$(echo "$SESSION" | json '["url"]')
echo "   $PAY_URL"

echo "5. Pay on the hosted page with the test card (what the browser form posts)"
curl -fsS -o /dev/null -w "   hosted page answered %{http_code}, redirecting to %{redirect_url}\n" \
  -X POST "$PAY_URL" --data-urlencode "email=customer@shopora.test" \
  --data-urlencode "cardNumber=4000 0566 5566 5556" --data-urlencode "cardExpiry=12 / 34" \
  --data-urlencode "cardCvc=123" --data-urlencode "billingName=Casey Customer" \
  --data-urlencode "billingPostalCode=12345"

echo "6. Confirm: the server retrieves the session from Stripe and verifies it"
curl -fsS -X POST "$API/payment/stripe-confirm" "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d "{\"session_id\": \"$SESSION_ID\"}" | json '["payment_status"]' | sed 's/^/   payment status: /'

echo "7. The order, as the customer sees it"
curl -fsS "$API/orders/$ORDER_ID" "${AUTH[@]}" | python3 -m json.tool | head -30
