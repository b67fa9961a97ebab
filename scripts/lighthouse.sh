#!/usr/bin/env bash
# Lighthouse's four categories for the readers' pages, at 390 px (its mobile emulation) and
# 1280 px (--preset=desktop), against `make serve` (DEBUG off) on a throwaway SQLite database
# with the seed, a lead image on No.210 and a photo of its author, and a Japanese edition of
# No.210 (imported) for the Japanese pages: /ja/, the edition, a search for 協力.
#
#     npm install --prefix /tmp/lh lighthouse
#     LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse scripts/lighthouse.sh [OUT_DIR]
#
# The piece is audited at its canonical address, the one every link on the site gives
# (/commentaries/210/ answers 301 to it). CPU_SLOWDOWN=N replaces Lighthouse's 4x CPU
# throttling, which is calibrated for a fast desktop host: on a slow or busy machine (see the
# reports' environment.benchmarkIndex) 4x emulates a phone far slower than the moto g power it
# names, and total blocking time then measures the host.
#
# Prints one line per page and width: performance, accessibility, best practices, SEO, and
# the host's benchmarkIndex (Lighthouse warns of a slow host below 1000). The
# JSON reports are left in OUT_DIR (default a temporary folder, named at the end). Not run in
# CI: twelve audits take a few minutes. Chromium is Debian's (/usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE=${LIGHTHOUSE:-lighthouse}
PORT=${PORT:-8765}
work=$(mktemp -d)
out=${1:-$work/reports}
mkdir -p "$out"

export DATABASE_URL="sqlite:///$work/db.sqlite3" MEDIA_ROOT="$work/media"
export DJANGO_SECRET_KEY="lighthouse-$(date +%s%N)-not-a-secret-for-anything-real"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT" WEB_CONCURRENCY=2

DJANGO_DEBUG=0 .venv/bin/python manage.py migrate --noinput --verbosity 0
# Pictures drawn here (a gradient with a little noise, like a photograph), attached as an
# editor would, their renditions made at once.
DJANGO_DEBUG=0 TASKS_BACKEND=immediate .venv/bin/python manage.py shell --no-imports -c '
import io, random
import PIL.Image
from django.core.files.uploadedfile import SimpleUploadedFile
from commentaries.media.renditions import image_create, render_all
from commentaries.models import Commentary

def picture(width, height, alt):
    image = PIL.Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = PIL.Image.blend(image, PIL.Image.effect_noise((width, height), 40).convert("RGB"), 0.3)
    data = io.BytesIO()
    image.save(data, "JPEG", quality=90)
    made = image_create(upload=SimpleUploadedFile("p.jpg", data.getvalue()), alt_text=alt)
    render_all(made.pk)
    return made

piece = Commentary.objects.get(number=210)
piece.lead_image = picture(2400, 1350, "Leaders of Japan and the ROK shaking hands")
piece.lead_image_caption = "A summit meeting."
piece.save()
author = piece.authors.first()
author.photo = picture(800, 800, f"{author}")
author.save()
'
# A Japanese edition of No.210 in the importer's layout (short text written for this audit).
cat >"$work/ja.txt" <<'TEXT'
AJISS-Commentary

日韓の首脳は二国間協力の重要性を強調すべきだ

05-15-2015
西野純也

No.210
Language: ja
Translation of: No.210

  • 両国は政治と外交の対話を通じて相互の信頼を回復すべきだ。
  • 首脳は協力の重要性を国民に率直に語るべきだ。
近年、両国の関係には冷え込みが見られる。それでも協力の余地は小さくない。

戦略対話を重ね、互いの安全保障政策への理解を深めることが求められる。

The views expressed in this piece are the author's own and should not be attributed to The Japan Institute of International Affairs.
TEXT
DJANGO_DEBUG=0 .venv/bin/python manage.py import_commentary "$work/ja.txt" >/dev/null
piece=$(DJANGO_DEBUG=0 .venv/bin/python manage.py shell --no-imports -c \
  'from commentaries.models import Commentary; print(Commentary.objects.get(number=210, language="en").get_absolute_url())')
japanese=$(DJANGO_DEBUG=0 .venv/bin/python manage.py shell --no-imports -c \
  'from commentaries.models import Commentary; print(Commentary.objects.get(number=210, language="ja").get_absolute_url())')
author=$(DJANGO_DEBUG=0 .venv/bin/python manage.py shell --no-imports -c \
  'from authors.models import Author; print(Author.objects.first().get_absolute_url())')
topic=$(DJANGO_DEBUG=0 .venv/bin/python manage.py shell --no-imports -c \
  'from commentaries.models import Commentary; print("/topics/%s/" % Commentary.objects.get(number=210, language="en").tags.first().slug)')

setsid make --no-print-directory serve PORT="$PORT" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work/media" "$work/db.sqlite3"' EXIT
for _ in $(seq 120); do curl -fso /dev/null "http://127.0.0.1:$PORT/" && break; sleep 1; done

printf '%-28s %-7s %5s %5s %5s %5s %6s\n' page width perf a11y bp seo cpu
for page in / "$piece" "$author" "$topic" "/search/?q=Japan" /subscribe/ \
  /ja/ "$japanese" "/ja/search/?q=%E5%8D%94%E5%8A%9B"; do
  for width in 390 1280; do
    name=$(echo "$page" | tr -c 'a-zA-Z0-9\n' _)-$width
    preset=(); [ "$width" = 1280 ] && preset=(--preset=desktop)
    [ -n "${CPU_SLOWDOWN:-}" ] && preset+=(--throttling.cpuSlowdownMultiplier="$CPU_SLOWDOWN")
    "$LIGHTHOUSE" "http://127.0.0.1:$PORT$page" "${preset[@]}" --quiet --output=json \
      --output-path="$out/$name.json" --chrome-path=/usr/bin/chromium \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" || true
    printf '%-28s %-7s %5s %5s %5s %5s %6s\n' "${page:0:28}" "$width" $(jq -r \
      '[(.categories[] | .score * 100 | round), (.environment.benchmarkIndex | round)] | join(" ")' \
      "$out/$name.json")
  done
done
echo "reports: $out"
