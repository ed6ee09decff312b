#!/bin/bash
set -euo pipefail
curl -fsS "${TARGET_URL:-https://example.com}" | jq .
