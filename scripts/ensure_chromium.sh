#!/usr/bin/env bash
# Print the path of Debian's Chromium for the browser tests, installing the chromium,
# fonts-noto-cjk and poppler-utils packages with apt-get when they are missing and we are root.
# The PDF tests need the CJK font (WeasyPrint) and poppler (pdftotext, pdftoppm) as much as the
# browser tests need Chromium, so this fails with a message naming what is missing: never a
# silent skip.
set -euo pipefail

find_chromium() {
    if [[ -n "${ZHIGONG_CHROMIUM:-}" && -x "${ZHIGONG_CHROMIUM}" ]]; then
        echo "${ZHIGONG_CHROMIUM}"
        return
    fi
    command -v chromium || command -v chromium-browser || true
}

# Chinese pages screenshot as boxes without a CJK font, so the font is part of "Chromium".
have_cjk_font() {
    if command -v dpkg-query >/dev/null; then
        dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed"
    else
        command -v fc-list >/dev/null && fc-list :lang=zh | grep -qi "noto sans cjk"
    fi
}

have_poppler() {
    command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null
}

chromium="$(find_chromium)"
if [[ -z "${chromium}" ]] || ! have_cjk_font || ! have_poppler; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "[chromium] installing Debian's chromium, fonts-noto-cjk and poppler-utils with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk poppler-utils >&2
        chromium="$(find_chromium)"
    fi
fi
if ! have_poppler; then
    echo "FAILED: poppler-utils (pdftotext, pdftoppm) for the PDF tests is not available" \
         "(apt-get install poppler-utils, or run make test as root so that it can install it)." >&2
    exit 2
fi
if [[ -z "${chromium}" ]] || ! have_cjk_font; then
    echo "FAILED: Chromium for the browser tests is not available: Debian's chromium and" \
         "fonts-noto-cjk packages are needed (apt-get install chromium fonts-noto-cjk, or run" \
         "make test as root so that it can install them)." >&2
    exit 2
fi
echo "${chromium}"
