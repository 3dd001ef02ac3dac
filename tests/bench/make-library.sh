#!/usr/bin/env bash
# make-library.sh: a synthetic content library of N items for the startup
# benchmark (`kiosk bench startup`), in the format of content/README.md.
#
#   tests/bench/make-library.sh DIR [N]      (N defaults to 1000)
#
# Four tiny media files are made once with the ffmpeg tool and copied into
# every item folder; the items cycle through the four types, every topic
# and a few languages, a tenth of them with a featured window, so loading
# exercises every field. The texts are mechanical: this library is
# benchmark data, never shown to visitors.
set -euo pipefail
DIR=${1:?usage: make-library.sh DIR [N]}
N=${2:-1000}
mkdir -p "$DIR"
SEED="$DIR/.seed"
mkdir -p "$SEED"
ff() { ffmpeg -v error -y "$@"; }
[ -f "$SEED/poster.png" ] || ff -f lavfi -i "color=c=0x3b4f9a:s=540x764" -frames:v 1 "$SEED/poster.png"
[ -f "$SEED/thumb.png" ] || ff -f lavfi -i "color=c=0x8e242b:s=480x270" -frames:v 1 "$SEED/thumb.png"
[ -f "$SEED/video.mp4" ] || ff -f lavfi -i "testsrc2=s=320x180:r=25" -f lavfi -i "sine=f=440" \
	-t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$SEED/video.mp4"
[ -f "$SEED/audio.m4a" ] || ff -f lavfi -i "sine=f=330" -t 2 -c:a aac "$SEED/audio.m4a"

TYPES=(video audio poster leaflet)
MEDIA=(video.mp4 audio.m4a poster.png poster.png)
TOPICS=(udhr iccpr icescr cedaw cerd crc crpd cat vn-law women children poverty elderly disability ethnic-minorities hr-day)
for ((i = 1; i <= N; i++)); do
	id=$(printf "bench-%05d" "$i")
	d="$DIR/$id"
	[ -f "$d/item.json" ] && continue
	mkdir -p "$d"
	t=$(( i % 4 ))
	m=${MEDIA[$t]}
	cp "$SEED/$m" "$d/$m"
	cp "$SEED/thumb.png" "$d/thumb.png"
	topic=${TOPICS[$(( i % ${#TOPICS[@]} ))]}
	featured=""
	if (( i % 10 == 0 )); then
		featured=',
  "featured": [ { "from": "12-03", "to": "12-10" } ]'
	fi
	en=""
	if (( i % 3 == 0 )); then
		en=', "en": "Test item '"$i"'"'
	fi
	cat > "$d/item.json" <<JSON
{
  "id": "$id",
  "type": "${TYPES[$t]}",
  "title": { "vi": "Mục thử nghiệm $i"$en },
  "summary": { "vi": "Dữ liệu đo hiệu năng, không hiển thị cho khách." },
  "topics": [ "$topic" ]$featured,
  "media": { "vi": "$m" },
  "thumbnail": "thumb.png"
}
JSON
done
echo "make-library: $N items in $DIR"
