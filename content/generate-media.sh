#!/usr/bin/env bash
# generate-media.sh: make every media file and thumbnail that the demo
# library's item.json files name, with the ffmpeg tool.
#
#   content/generate-media.sh [--force] [ITEM-ID...]
#
# The media are not in git (see /.gitignore): run this once after a checkout,
# and again after editing an item. Files that already exist are kept unless
# --force is given, so a second run does nothing and takes well under a
# second. With ITEM-IDs only those items are made.
#
# What it draws comes from the library itself:
#   <id>/item.json      type, topics, title and summary per language, and the
#                       media and thumbnail file names to make;
#   <id>/card.<lang>.txt optional body text for a poster or leaflet page,
#                       drawn instead of the summary ("## " starts a heading,
#                       "- " a bullet).
# The file name's extension says what to make: .mp4 a 10 s H.264/AAC title
# card video (960x540), .m4a a 22 s AAC radio piece (English variants are
# read by the flite voice), .png a 1080x1526 page for posters and leaflets or
# a 480x270 thumbnail. A variant in a minority language is a card of facts
# only: the language's own name, letters of its orthography (table MINORITY
# below) and the item's Vietnamese title; we do not invent translations.
#
# Needs: ffmpeg (with libx264, drawtext; flite optional), python3 (meson
# needs it anyway), fonts-noto-core.
set -euo pipefail

cd "$(dirname "$0")"

usage() {
	sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

for arg in "$@"; do
	case "$arg" in
	-h|--help) usage; exit 0 ;;
	esac
done

for tool in ffmpeg python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "generate-media: '$tool' not found; install it (apt-get install $tool)" >&2
		exit 1
	fi
done

exec python3 - "$@" <<'PYTHON'
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata

FONT_DIR = "/usr/share/fonts/truetype/noto"
FONT = FONT_DIR + "/NotoSans-Regular.ttf"
FONT_BOLD = FONT_DIR + "/NotoSans-Bold.ttf"

VIDEO_W, VIDEO_H, VIDEO_S, VIDEO_FPS = 960, 540, 10, 25
PAGE_W, PAGE_H = 1080, 1526    # even: the colour source is 4:2:0
THUMB_W, THUMB_H = 480, 270
AUDIO_S = 22            # radio pieces: at least this long ...
AUDIO_MAX_S = 30        # ... and at most this long
RATE = 48000

# Background colour and the root of the soft chord, by an item's first topic.
TOPIC_STYLE = {
	"udhr":              ("0x1d4e89", 220.00),
	"iccpr":             ("0x22636f", 196.00),
	"icescr":            ("0x7c5416", 174.61),
	"cedaw":             ("0x853a64", 246.94),
	"cerd":              ("0x553c87", 207.65),
	"crc":               ("0x17737f", 261.63),
	"crpd":              ("0x2f6b34", 233.08),
	"cat":               ("0x7a2626", 164.81),
	"vn-law":            ("0x9c2a1f", 196.00),
	"women":             ("0x853a64", 246.94),
	"children":          ("0x17737f", 261.63),
	"poverty":           ("0x7c5416", 174.61),
	"elderly":           ("0x5c4a2e", 185.00),
	"disability":        ("0x2f6b34", 233.08),
	"ethnic-minorities": ("0x4b5320", 207.65),
	"hr-day":            ("0x0b4f8a", 220.00),
}

TYPE_LABEL = {
	"vi": {"video": "VIDEO", "audio": "BẢN TIN PHÁT THANH",
	       "poster": "ÁP PHÍCH", "leaflet": "TỜ RƠI"},
	"en": {"video": "VIDEO", "audio": "RADIO REPORT",
	       "poster": "POSTER", "leaflet": "LEAFLET"},
}

# Minority-language cards show facts only: the language's name in itself,
# its Vietnamese name, and letters of its Latin orthography. A letter
# written with U+0306 after it carries a breve stacked on its own marks.
#   rad: the 38 letters of the Ê Đê alphabet (Ê Đê has no tone marks).
#   jra: the short vowels of Jrai, written with a breve.
#   mww: White Hmong in the RPA spelling marks the tone with the last
#        letter of the syllable (the mid tone has none).
MINORITY = {
	"rad": {
		"endonym": "Êđê",
		"about_vi": "Tiếng Ê Đê · bảng chữ cái Êđê (38 chữ cái)",
		"letters": "a ă â b ƀ č d đ e ĕ ê ê̆ g h i ĭ j k l m n ñ o ŏ ô ô̆ "
		           "ơ ơ̆ p r s t u ŭ ư ư̆ w y",
	},
	"jra": {
		"endonym": "Jrai",
		"about_vi": "Tiếng Jrai (Gia Rai) · nguyên âm ngắn viết với dấu trăng",
		"letters": "ă ĕ ĭ ŏ ŭ ơ̆ ư̆",
	},
	"mww": {
		"endonym": "Hmoob Dawb",
		"about_vi": "Tiếng Hmông Trắng · chữ RPA ghi thanh điệu bằng chữ cái cuối âm tiết",
		"letters": "b j v s g m d",
	},
}
BREVE_COMBINING = "\u0306"
BREVE_SPACING = "\u02d8"

AUDIO_EXT = (".m4a", ".mp3")


class Failure(Exception):
	"""A problem with one item; the message names the item and file."""


def main(argv):
	force = False
	only = []
	for arg in argv:
		if arg == "--force":
			force = True
		elif arg.startswith("-"):
			sys.exit(f"generate-media: unknown option '{arg}' (try --help)")
		else:
			only.append(arg)
	for font in (FONT, FONT_BOLD):
		if not os.path.exists(font):
			sys.exit(f"generate-media: font {font} missing; "
			         "install fonts-noto-core")
	have_flite = "flite" in run_ok(["ffmpeg", "-hide_banner", "-filters"])

	items = load_items(only)
	jobs = []
	kept = 0
	for item in items:
		for target in item_targets(item):
			path = os.path.join(item["dir"], target["file"])
			remove_partial(item["dir"], target["file"])
			if os.path.exists(path) and os.path.getsize(path) > 0 and not force:
				kept += 1
				continue
			jobs.append((item, target))

	start = time.monotonic()
	failures = []
	with tempfile.TemporaryDirectory(prefix="kiosk-media-") as work:
		workers = max(1, min(4, os.cpu_count() or 1))
		with concurrent.futures.ThreadPoolExecutor(workers) as pool:
			futures = [pool.submit(make, item, target, work, n, have_flite)
			           for n, (item, target) in enumerate(jobs)]
			for fut in futures:
				try:
					fut.result()
				except Failure as e:
					failures.append(str(e))
	for msg in failures:
		print(msg, file=sys.stderr)
	secs = time.monotonic() - start
	print(f"generate-media: {len(items)} items, {len(jobs) - len(failures)} "
	      f"files made, {kept} up to date, {len(failures)} failed "
	      f"({secs:.1f} s)")
	return 1 if failures else 0


def run_ok(cmd):
	return subprocess.run(cmd, capture_output=True, text=True).stdout


# ---------------------------------------------------------------- library

def load_items(only):
	items = []
	for name in sorted(os.listdir(".")):
		path = os.path.join(name, "item.json")
		if not os.path.isfile(path):
			continue
		if only and name not in only:
			continue
		try:
			with open(path, encoding="utf-8") as f:
				data = json.load(f)
		except (OSError, ValueError) as e:
			sys.exit(f"generate-media: {path}: {e}")
		for key in ("type", "title", "topics", "media"):
			if key not in data:
				sys.exit(f"generate-media: {path}: no \"{key}\"")
		if "vi" not in data["title"]:
			sys.exit(f"generate-media: {path}: title has no \"vi\"")
		data["dir"] = name
		items.append(data)
	missing = set(only) - {it["dir"] for it in items}
	if missing:
		sys.exit("generate-media: no such item: " + ", ".join(sorted(missing)))
	return items


def item_targets(item):
	"""The files to make for an item: one per media entry, and the thumbnail."""
	out = []
	for lang, file in item["media"].items():
		ext = os.path.splitext(file)[1].lower()
		if ext == ".mp4":
			kind = "video"
		elif ext in AUDIO_EXT:
			kind = "audio"
		elif ext == ".png":
			kind = "page"
		elif ext in (".md", ".pdf"):
			continue        # written by hand and kept in git
		else:
			raise SystemExit(f"generate-media: {item['dir']}: cannot make "
			                 f"'{file}' (extension {ext or 'missing'})")
		if lang not in ("vi", "en") and lang not in MINORITY:
			raise SystemExit(f"generate-media: {item['dir']}: no fact card "
			                 f"for language '{lang}' (table MINORITY)")
		if lang in MINORITY and kind == "audio":
			raise SystemExit(f"generate-media: {item['dir']}: no audio can be "
			                 f"made for '{lang}' without a translation")
		out.append({"kind": kind, "lang": lang, "file": file})
	if "thumbnail" in item:
		out.append({"kind": "thumb", "lang": "vi", "file": item["thumbnail"]})
	return out


def remove_partial(folder, file):
	tmp = os.path.join(folder, ".part-" + file)
	if os.path.exists(tmp):
		os.remove(tmp)


def text_in(item, field, lang):
	"""The item's text in lang, falling back to Vietnamese like the kiosk."""
	texts = item.get(field) or {}
	return texts.get(lang) or texts.get("vi") or ""


def style_of(item):
	topic = item["topics"][0] if item["topics"] else "udhr"
	return TOPIC_STYLE.get(topic, TOPIC_STYLE["udhr"])


# ---------------------------------------------------------------- drawing

class Canvas:
	"""A list of drawtext filters laid out top to bottom on a w x h frame.
	Each piece of text goes through its own file (textfile=), so no
	Vietnamese letter or punctuation meets the filter parser."""

	def __init__(self, work, tag, w, h):
		self.work, self.tag, self.w, self.h = work, tag, w, h
		self.filters = []
		self.n = 0

	def _file(self, text):
		self.n += 1
		path = os.path.join(self.work, f"{self.tag}-{self.n}.txt")
		with open(path, "w", encoding="utf-8") as f:
			f.write(unicodedata.normalize("NFC", text))
		return path

	def text(self, text, x, baseline, size, color="white", bold=False,
	         centre=False):
		"""Draw one line with its baseline at `baseline` (so lines with
		and without marks above line up); centre puts x at its middle."""
		xs = f"{x}-text_w/2" if centre else f"{x}"
		self.filters.append(
			f"drawtext=fontfile={FONT_BOLD if bold else FONT}"
			f":textfile={self._file(text)}:expansion=none"
			f":fontsize={size}:fontcolor={color}"
			f":x={xs}:y={baseline}-max_glyph_a")

	def box(self, x, y, w, h, color):
		self.filters.append(f"drawbox=x={x}:y={y}:w={w}:h={h}:color={color}:t=fill")

	def para(self, text, x, baseline, width_px, size, line_h, max_lines,
	         color="white", bold=False, what="text"):
		"""Wrap text to width_px and draw it; returns the next baseline.
		Too long a text is an error, not a silent cut."""
		lines = wrap(text, width_px, size, bold)
		if len(lines) > max_lines:
			raise ValueError(f"{what} needs {len(lines)} lines, "
			                 f"room for {max_lines}: shorten it")
		for line in lines:
			self.text(line, x, baseline, size, color, bold)
			baseline += line_h
		return baseline

	def letters(self, letters, x0, baseline0, cell_w, cell_h, cols, size,
	            color="white"):
		"""Draw an alphabet as a grid of cells. A breve stacked on a letter
		that already has a mark (ê̆, ô̆, ơ̆, ư̆) is drawn as a separate breve
		above it, because drawtext does no mark positioning."""
		for i, letter in enumerate(letters):
			cx = x0 + (i % cols) * cell_w + cell_w // 2
			base = baseline0 + (i // cols) * cell_h
			if len(letter) > 1 and letter.endswith(BREVE_COMBINING):
				glyph = letter[:-1]
				lift = 0.86 if glyph in "êôÊÔ" else 0.62
				self.text(glyph, cx, base, size, color, centre=True)
				self.filters.append(
					f"drawtext=fontfile={FONT}"
					f":textfile={self._file(BREVE_SPACING)}:expansion=none"
					f":fontsize={size}:fontcolor={color}"
					f":x={cx}-text_w/2:y={base}-{lift}*{size}-text_h")
			else:
				self.text(letter, cx, base, size, color, centre=True)

	def script(self):
		path = os.path.join(self.work, f"{self.tag}.filter")
		with open(path, "w", encoding="utf-8") as f:
			f.write(",\n".join(self.filters) if self.filters else "null")
		return path


def wrap(text, width_px, size, bold):
	"""Wrap by an estimate of Noto Sans's average advance (generous, so
	lines never run off the edge)."""
	per_char = size * (0.58 if bold else 0.53)
	cols = max(8, int(width_px / per_char))
	return textwrap.wrap(text, cols, break_on_hyphens=False) or [""]


def ffmpeg(item, target, args):
	cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + args
	res = subprocess.run(cmd, capture_output=True, text=True)
	if res.returncode != 0:
		tail = "\n".join(res.stderr.strip().splitlines()[-12:])
		raise Failure(f"generate-media: item '{item['dir']}': ffmpeg failed "
		              f"making {target['file']}:\n{tail}")


def render_png(item, target, canvas, bg, out):
	ffmpeg(item, target, [
		"-f", "lavfi", "-i", f"color=c={bg}:s={canvas.w}x{canvas.h}:d=1",
		"-filter_script:v", canvas.script(),
		"-frames:v", "1", "-f", "image2", "-c:v", "png", out])


# ------------------------------------------------------------ card layouts

def card_video(c, item, lang):
	"""Landscape title card: type label, title, summary."""
	m = 56
	c.box(0, 0, 14, c.h, "white@0.5")
	c.text(TYPE_LABEL[lang_ui(lang)][item["type"]], m, 78, 22,
	       "white@0.8", bold=True)
	y = c.para(text_in(item, "title", lang), m, 150, c.w - 2 * m, 44, 56, 3,
	           bold=True, what="title")
	c.para(text_in(item, "summary", lang), m, y + 28, c.w - 2 * m, 26, 37, 5,
	       color="white@0.92", what="summary")


def card_minority(c, item, lang, portrait):
	"""Facts-only card: endonym, letters, the item's Vietnamese title."""
	facts = MINORITY[lang]
	letters = facts["letters"].split()
	m = 80 if portrait else 56
	c.box(0, 0, c.w, 12, "white@0.6")
	if portrait:
		c.text(facts["endonym"], m, 200, 110, bold=True)
		y = c.para(facts["about_vi"], m, 270, c.w - 2 * m, 34, 46, 2,
		           "white@0.85", what="language line")
		cols, cell, size = 8, (c.w - 2 * m) // 8, 66
		c.box(m, y + 10, c.w - 2 * m, 3, "white@0.5")
		grid_top = y + 150
	else:
		c.text(facts["endonym"], m, 110, 64, bold=True)
		y = c.para(facts["about_vi"], m, 156, c.w - 2 * m, 24, 32, 2,
		           "white@0.85", what="language line")
		cols, cell, size = 13, (c.w - 2 * m) // 13, 42
		grid_top = y + 50
	cols = min(cols, len(letters))
	c.letters(letters, m, grid_top, cell, int(cell * 1.15), cols, size)
	rows = (len(letters) + cols - 1) // cols
	y = grid_top + (rows - 1) * int(cell * 1.15) + (100 if portrait else 64)
	c.box(m, y - (44 if portrait else 30), c.w - 2 * m, 3, "white@0.5")
	c.para(item["title"]["vi"], m, y + (30 if portrait else 10), c.w - 2 * m,
	       52 if portrait else 30, 66 if portrait else 40, 4 if portrait else 2,
	       bold=True, what="Vietnamese title")


def card_page(c, item, lang, body_lines):
	"""Portrait poster or leaflet page."""
	m = 80
	leaflet = item["type"] == "leaflet"
	bg, _ = style_of(item)
	ink = "0x222222" if leaflet else "white"
	accent = bg if leaflet else "white"
	c.text(TYPE_LABEL[lang_ui(lang)][item["type"]], m, 120, 30,
	       "white@0.85", bold=True)
	title_lines = wrap(text_in(item, "title", lang), c.w - 2 * m, 64, True)
	header_h = 200 + 80 * len(title_lines)
	if leaflet:
		c.box(0, 0, c.w, header_h, bg)
	y = c.para(text_in(item, "title", lang), m, 230, c.w - 2 * m, 64, 80, 5,
	           bold=True, what="title")
	y = max(y, header_h) + (70 if leaflet else 10)
	if not leaflet:
		c.box(m, y - 40, 180, 8, "white@0.8")
		y += 40
	# The body at full size if it fits, else a little smaller each try:
	# a long card stays readable instead of failing the whole library.
	top = y
	mark = len(c.filters)
	for scale in (1.0, 0.9, 0.8, 0.72, 0.65):
		del c.filters[mark:]
		y = top
		try:
			for kind, text in body_lines:
				if kind == "heading":
					y += int(18 * scale)
					y = c.para(text, m, y, c.w - 2 * m, int(42 * scale),
					           int(56 * scale), 3, accent, True,
					           what="heading") + int(6 * scale)
				elif kind == "bullet":
					c.text("•", m + 6, y, int(38 * scale), accent, bold=True)
					y = c.para(text, m + 46, y, c.w - 2 * m - 46,
					           int(36 * scale), int(50 * scale), 4, ink,
					           what="bullet") + int(8 * scale)
				else:
					y = c.para(text, m, y, c.w - 2 * m, int(40 * scale),
					           int(58 * scale), 12, ink,
					           what="body") + int(14 * scale)
		except ValueError:
			continue
		if y <= c.h - 170:
			break
	else:
		raise ValueError("body text runs into the footer even at 65 %: shorten it")
	source = item.get("source")
	if source:
		c.para(source, m, c.h - 140, c.w - 2 * m, 22, 28, 4,
		       "0x555555" if leaflet else "white@0.7", what="source")


def body_for(item, lang):
	"""card.<lang>.txt (or card.vi.txt) if present, else the summary."""
	for tag in (lang, "vi"):
		path = os.path.join(item["dir"], f"card.{tag}.txt")
		if os.path.exists(path):
			out = []
			with open(path, encoding="utf-8") as f:
				for raw in f:
					line = raw.strip()
					if not line:
						continue
					if line.startswith("## "):
						out.append(("heading", line[3:]))
					elif line.startswith("- "):
						out.append(("bullet", line[2:]))
					else:
						out.append(("text", line))
			return out
	return [("text", text_in(item, "summary", lang))]


def card_thumb(c, item):
	m = 24
	c.box(0, c.h - 10, c.w, 10, "white@0.6")
	c.text(TYPE_LABEL["vi"][item["type"]], m, 40, 18, "white@0.85", bold=True)
	c.para(item["title"]["vi"], m, 84, c.w - 2 * m, 28, 36, 5, bold=True,
	       what="title (thumbnail)")


def lang_ui(lang):
	return "en" if lang == "en" else "vi"


# ------------------------------------------------------------- the makers

def chord(root, seconds):
	"""A soft major chord that swells slowly, with a quiet chime every 4 s."""
	r = root
	return (f"aevalsrc='(0.10*sin(2*PI*{r}*t)+0.07*sin(2*PI*{r * 1.25:.2f}*t)"
	        f"+0.05*sin(2*PI*{r * 1.5:.2f}*t))*(0.6+0.4*sin(2*PI*t/7))"
	        f"+0.06*sin(2*PI*{r * 2:.2f}*t)*exp(-2.5*mod(t,4))'"
	        f":s={RATE}:c=stereo:d={seconds}")


def make(item, target, work, n, have_flite):
	folder, file, lang = item["dir"], target["file"], target["lang"]
	out = os.path.join(folder, ".part-" + file)
	final = os.path.join(folder, file)
	tag = f"job{n}"
	bg, root = style_of(item)
	try:
		if target["kind"] == "video":
			make_video(item, target, work, tag, bg, root, out)
		elif target["kind"] == "audio":
			make_audio(item, target, work, tag, root, out, have_flite)
		elif target["kind"] == "page":
			c = Canvas(work, tag, PAGE_W, PAGE_H)
			if lang in MINORITY:
				card_minority(c, item, lang, portrait=True)
			else:
				card_page(c, item, lang, body_for(item, lang))
			page_bg = "0xf7f3ea" if item["type"] == "leaflet" and \
				lang not in MINORITY else bg
			render_png(item, target, c, page_bg, out)
		else:
			c = Canvas(work, tag, THUMB_W, THUMB_H)
			card_thumb(c, item)
			render_png(item, target, c, bg, out)
	except ValueError as e:
		raise Failure(f"generate-media: item '{folder}': {file}: {e}")
	except Failure:
		if os.path.exists(out):
			os.remove(out)
		raise
	os.replace(out, final)


def make_video(item, target, work, tag, bg, root, out):
	lang = target["lang"]
	c = Canvas(work, tag, VIDEO_W, VIDEO_H)
	if lang in MINORITY:
		card_minority(c, item, lang, portrait=False)
	else:
		card_video(c, item, lang)
	still = os.path.join(work, tag + "-card.png")
	render_png(item, target, c, bg, still)
	s, w, h = VIDEO_S, VIDEO_W, VIDEO_H
	# Motion: a progress bar fills the bottom edge over the whole clip and
	# a pale square drifts across the top right corner.
	graph = (
		f"[0:v]format=yuv420p[card];"
		f"color=c=white@0.85:s={w}x10:r={VIDEO_FPS},format=yuva420p[bar];"
		f"color=c=white@0.18:s=64x64:r={VIDEO_FPS},format=yuva420p[sq];"
		f"[card][bar]overlay=x='-W+W*t/{s}':y=H-10:shortest=1[v1];"
		f"[v1][sq]overlay=x='W-330+18*t':y='18+4*sin(t)':shortest=1,"
		f"fade=t=in:d=0.6,fade=t=out:st={s - 0.6}:d=0.6,format=yuv420p[v];"
		f"[1:a]afade=t=in:d=1,afade=t=out:st={s - 1.5}:d=1.5[a]")
	ffmpeg(item, target, [
		"-loop", "1", "-framerate", str(VIDEO_FPS), "-t", str(s), "-i", still,
		"-f", "lavfi", "-i", chord(root, s),
		"-filter_complex", graph, "-map", "[v]", "-map", "[a]",
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "26",
		"-pix_fmt", "yuv420p", "-r", str(VIDEO_FPS),
		"-c:a", "aac", "-b:a", "96k", "-ar", str(RATE),
		"-t", str(s), "-movflags", "+faststart", "-f", "mp4", out])


def make_audio(item, target, work, tag, root, out, have_flite):
	"""Vietnamese: gentle tones. English: the title and summary read by the
	flite voice over the tones (tones only when ffmpeg has no flite)."""
	codec = ["-c:a", "aac", "-b:a", "96k", "-f", "ipod"] \
		if out.endswith(".m4a") else ["-c:a", "libmp3lame", "-b:a", "96k",
		                             "-f", "mp3"]
	if target["lang"] == "en" and have_flite:
		speech_txt = os.path.join(work, tag + "-speech.txt")
		with open(speech_txt, "w", encoding="utf-8") as f:
			f.write(text_in(item, "title", "en") + ". " +
			        text_in(item, "summary", "en"))
		speech = os.path.join(work, tag + "-speech.wav")
		ffmpeg(item, target, ["-f", "lavfi", "-i",
		       f"flite=textfile={speech_txt}:voice=slt", speech])
		said = probe_seconds(speech)
		total = min(AUDIO_MAX_S, max(AUDIO_S, int(said + 4)))
		graph = (f"[0:a]aresample={RATE},aformat=channel_layouts=stereo,"
		         f"adelay=1500:all=1,volume=1.6[s];"
		         f"[1:a]volume=0.5[bed];"
		         f"[s][bed]amix=inputs=2:duration=longest:normalize=0,"
		         f"atrim=end={total},afade=t=in:d=1,"
		         f"afade=t=out:st={total - 2}:d=2[a]")
		ffmpeg(item, target, ["-i", speech, "-f", "lavfi",
		       "-i", chord(root, total), "-filter_complex", graph,
		       "-map", "[a]", "-ar", str(RATE)] + codec + [out])
	else:
		total = AUDIO_S
		ffmpeg(item, target, ["-f", "lavfi", "-i", chord(root, total),
		       "-af", f"afade=t=in:d=2,afade=t=out:st={total - 3}:d=3",
		       "-ar", str(RATE)] + codec + [out])


def probe_seconds(path):
	res = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
	                      "format=duration", "-of", "csv=p=0", path],
	                     capture_output=True, text=True)
	try:
		return float(res.stdout.strip())
	except ValueError:
		return float(AUDIO_S)


sys.exit(main(sys.argv[1:]))
PYTHON
