#!/usr/bin/env bash
# Debian packages used by some tests. Each line: a package and why.
set -euo pipefail
need=()
add() { dpkg -s "$1" >/dev/null 2>&1 || need+=("$1"); }
# (helpers add packages here)
add chromium          # browser tests of the review page (tests/test_browser.py)
add chromium-driver   # the same browser's driver, for selenium users (the tests use playwright)
add fonts-dejavu-core # Vietnamese glyphs in the review-page screenshot
add fonts-liberation2 # Times-like font with Vietnamese glyphs: page images of tests/test_ocr.py and the OCR benchmark
add tesseract-ocr     # OCR of scans (tests/test_ocr.py, benchmarks/ocr_robustness.py)
add tesseract-ocr-vie # Tesseract's Vietnamese model
add libc-bin          # iconv (TCVN5712-1, VISCII, CP1258 fixtures in tests/test_encodings.py)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing Debian packages: ${need[*]} (install them as root)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
