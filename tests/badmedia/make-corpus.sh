#!/usr/bin/env bash
# make-corpus.sh: a content library of broken media, for the kiosk to meet
# before a village exhibition does.
#
#   tests/badmedia/make-corpus.sh OUTDIR [--size small|full]
#
# OUTDIR (made if missing, must be empty or absent) becomes a library with
# one item folder per broken file, each with a valid item.json naming it, so
# the catalog takes the item and the failure comes when it is played or
# viewed; plus a few good items beside them (generated, and copies of small
# demo items when content/ has its media). OUTDIR/MANIFEST.tsv lists every
# item: id, kind, item type, the file that is broken (or the media of a good
# item), how it was damaged, and "broken" or "good".
#
# Kinds of file: video (mp4, mkv, webm; H.264, VP9, and in full HEVC, AV1,
# VP8), audio (mp3, m4a, ogg, opus, wav, and flac in full), picture (png,
# jpg, webp: posters, a leaflet page, gallery pictures, thumbnails), pdf
# and text (.md) leaflets, subtitles (.srt, .vtt beside a good video).
# Kinds of damage: cut short at many offsets (inside the headers too),
# bits flipped at several densities, a block zeroed, zero bytes, absurd
# declared sizes (a 60000x60000 PNG with a correct CRC, a 65535x65535 JPEG,
# a 16383x16383 WebP, an mp4 box of 4 GB, a WAV of 4 GB, an mkv segment of
# 2^56 bytes, a PDF of 2e9 pages), the wrong extension (a PNG named .mp4,
# an mp3 named .jpg, a PDF named .png...), a valid container whose packets
# are garbage (the noise bitstream filter), invalid UTF-8, NUL bytes and
# enormous lines in subtitles and text leaflets.
#
# --size small (the default) makes about 120 items in a few seconds, for
# CI; --size full several hundred, for the long run. The corpus is the same
# on every run (fixed seeds). Needs ffmpeg (libx264, libvpx, libopus,
# libvorbis, libmp3lame, libwebp; libx265 and libsvtav1 for full) and
# python3.
set -euo pipefail

usage() {
	sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'
}

for arg in "$@"; do
	case "$arg" in
	-h|--help) usage; exit 0 ;;
	esac
done

for tool in ffmpeg python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "make-corpus: '$tool' not found" >&2
		exit 1
	fi
done

KIOSK_DEMO_DIR="$(cd "$(dirname "$0")/../.." && pwd)/content"
export KIOSK_DEMO_DIR

exec python3 - "$@" <<'PYTHON'
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib


def die(msg):
	sys.exit("make-corpus: " + msg)


def ffmpeg(*args):
	cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + list(args)
	try:
		r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
				   timeout=300)
	except subprocess.TimeoutExpired:
		die("ffmpeg took over 300 s: %s" % " ".join(cmd))
	if r.returncode != 0:
		die("ffmpeg failed: %s\n%s" % (" ".join(cmd), r.stderr.decode(errors="replace")))


def read(path):
	with open(path, "rb") as f:
		return f.read()


# ------------------------------------------------------------------
# Damage: each takes bytes and returns the damaged bytes
# ------------------------------------------------------------------

def cut(data, at):
	return data[:at]


def flip_bits(data, every, seed):
	"""One random bit flipped per `every` bytes (at least one)."""
	rng = random.Random(seed)
	out = bytearray(data)
	for _ in range(max(1, len(data) // every)):
		i = rng.randrange(len(out))
		out[i] ^= 1 << rng.randrange(8)
	return bytes(out)


def zero_block(data, frac, size):
	out = bytearray(data)
	at = int(len(out) * frac)
	end = min(len(out), at + size)
	out[at:end] = bytes(end - at)
	return bytes(out)


def cut_offsets(size, n):
	"""n offsets spread over a file of size bytes: some inside the first
	few hundred bytes (the headers), the rest spread evenly, the last one
	a byte short of the end."""
	heads = [1, 12, 40, 200, 700]
	k = min(len(heads), max(2, n // 3))
	offs = [h for h in heads[:k] if h < size - 1]
	rest = n - len(offs) - 1
	for i in range(rest):
		offs.append(int(size * (i + 1) / (rest + 1)))
	offs.append(size - 1)
	return sorted(set(o for o in offs if 0 < o < size))


def mp4_boxes(data, start=0, end=None):
	"""(offset, header size, size, type) of the boxes in data[start:end]."""
	end = len(data) if end is None else end
	at = start
	while at + 8 <= end:
		size, typ = struct.unpack(">I4s", data[at:at + 8])
		hdr = 8
		if size == 1:
			size = struct.unpack(">Q", data[at + 8:at + 16])[0]
			hdr = 16
		elif size == 0:
			size = end - at
		if size < hdr:
			break
		yield at, hdr, size, typ.decode("latin-1")
		at += size


def mp4_find(data, path):
	"""Offset and header size of the box at path ("moov/trak/mdia/...")."""
	start, end = 0, len(data)
	found = None
	for name in path.split("/"):
		for at, hdr, size, typ in mp4_boxes(data, start, end):
			if typ == name:
				found = (at, hdr)
				start, end = at + hdr, at + size
				break
		else:
			die("no box %s" % path)
	return found


def mp4_box_size(data, name, size):
	at, hdr = mp4_find(data, name)
	out = bytearray(data)
	out[at:at + 4] = struct.pack(">I", size)
	return bytes(out)


def mp4_stsz_count(data, count):
	at, hdr = mp4_find(data, "moov/trak/mdia/minf/stbl/stsz")
	out = bytearray(data)
	out[at + hdr + 8:at + hdr + 12] = struct.pack(">I", count)
	return bytes(out)


def png_chunk(typ, body):
	return (struct.pack(">I", len(body)) + typ + body +
		struct.pack(">I", zlib.crc32(typ + body) & 0xFFFFFFFF))


def png_resize(data, w, h):
	"""The PNG with its IHDR declaring w x h, the CRC made right."""
	assert data[12:16] == b"IHDR"
	body = struct.pack(">II", w, h) + data[24:29]
	return data[:8] + png_chunk(b"IHDR", body) + data[33:]


def png_bad_crc(data):
	out = bytearray(data)
	out[29] ^= 0xFF
	return bytes(out)


def jpeg_resize(data, w, h):
	i = 2
	while i + 9 < len(data):
		if data[i] != 0xFF:
			i += 1
			continue
		m = data[i + 1]
		if m in (0xC0, 0xC1, 0xC2):
			out = bytearray(data)
			out[i + 5:i + 9] = struct.pack(">HH", h, w)
			return bytes(out)
		if m == 0xD8 or 0xD0 <= m <= 0xD7 or m == 0xFF:
			i += 2 if m != 0xFF else 1
			continue
		i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
	die("no SOF in the JPEG")


def webp_resize(data, w, h):
	at = data.find(b"VP8 ")
	if at < 0:
		die("not a lossy WebP")
	f = at + 8 + 3
	assert data[f:f + 3] == b"\x9d\x01\x2a"
	out = bytearray(data)
	out[f + 3:f + 7] = struct.pack("<HH", w & 0x3FFF, h & 0x3FFF)
	return bytes(out)


def wav_huge(data):
	out = bytearray(data)
	out[4:8] = struct.pack("<I", 0xFFFFFFFF)
	at = data.find(b"data", 12)
	out[at + 4:at + 8] = struct.pack("<I", 0xFFFFFFF0)
	return bytes(out)


def ebml_vint(data, at):
	"""(value, length) of the EBML size at data[at]."""
	first = data[at]
	n = 1
	while n <= 8 and not first & (0x80 >> (n - 1)):
		n += 1
	value = first & (0xFF >> n)
	for b in data[at + 1:at + n]:
		value = value << 8 | b
	return value, n


def ebml_set_max(data, id_bytes):
	"""The first element with this ID gets the largest size its size
	field can say (not 'unknown')."""
	at = data.find(id_bytes)
	if at < 0:
		die("no EBML element %s" % id_bytes.hex())
	s = at + len(id_bytes)
	_, n = ebml_vint(data, s)
	value = (1 << (7 * n)) - 2
	field = bytearray(value.to_bytes(n, "big"))
	field[0] |= 0x80 >> (n - 1)
	out = bytearray(data)
	out[s:s + n] = field
	return bytes(out)


# ------------------------------------------------------------------
# Hand-made PDF and text
# ------------------------------------------------------------------

def make_pdf(pages=3, count=None, mediabox="0 0 595 842", kids_loop=False,
	     content=None):
	objs = []
	n_first_page = 4
	kids = " ".join("%d 0 R" % (n_first_page + 2 * i) for i in range(pages))
	if kids_loop:
		kids += " 2 0 R"
	objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
	objs.append(("<< /Type /Pages /Kids [%s] /Count %d >>" %
		     (kids, pages if count is None else count)).encode())
	objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i in range(pages):
		objs.append(("<< /Type /Page /Parent 2 0 R /MediaBox [%s] "
			     "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" %
			     (mediabox, n_first_page + 2 * i + 1)).encode())
		if content is not None:
			body = zlib.compress(content, 9)
			objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) +
				    body + b"\nendstream")
		else:
			text = ("BT /F1 36 Tf 72 700 Td (Trang %d / %d) Tj ET\n"
				"BT /F1 18 Tf 72 640 Td (Quyen con nguoi) Tj ET\n"
				"0 0 1 rg 72 200 450 300 re f\n" % (i + 1, pages)).encode()
			objs.append(b"<< /Length %d >>\nstream\n" % len(text) + text +
				    b"\nendstream")
	out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets = []
	for k, o in enumerate(objs):
		offsets.append(len(out))
		out += b"%d 0 obj\n" % (k + 1) + o + b"\nendobj\n"
	xref = len(out)
	out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
	for off in offsets:
		out += b"%010d 00000 n \n" % off
	out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
		len(objs) + 1, xref)
	return bytes(out)


GOOD_MD = """# Quyền con người

Tuyên ngôn thế giới về quyền con người được thông qua ngày **10 tháng 12
năm 1948** tại Paris. Mọi người sinh ra đều *tự do và bình đẳng* về nhân
phẩm và quyền.

## Một vài quyền

- Quyền sống, tự do và an toàn cá nhân (Điều 3).
- Quyền tự do ngôn luận (Điều 19).
- Quyền được học hành (Điều 26).

1. Năm 1948: Tuyên ngôn.
2. Năm 2013: Hiến pháp Việt Nam, Chương II.

![Một bức tranh](hinh.png)

Gọi **111**,\\
miễn phí.
""".encode()

GOOD_SRT = """1
00:00:00,200 --> 00:00:00,900
Mọi người sinh ra đều tự do

2
00:00:01,000 --> 00:00:01,800
và bình đẳng về nhân phẩm và quyền.
""".encode()

GOOD_VTT = b"WEBVTT\n\n" + GOOD_SRT.replace(b",", b".").replace(b"1\n00", b"00", 1)


# ------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------

class Corpus:
	def __init__(self, out, full):
		self.out = out
		self.full = full
		self.base = os.path.join(out, ".base")   # a dot folder: not an item
		self.rows = []
		self.ids = set()
		os.makedirs(self.base)

	def b(self, name):
		return os.path.join(self.base, name)

	def item(self, iid, kind, typ, files, media=None, damage="", broken=True,
		 bad_file=None, extra=None):
		"""One item folder: files is name -> bytes (or a path to copy),
		media the file item.json names, bad_file the one that is
		broken (default media)."""
		assert iid not in self.ids, iid
		assert len(iid) <= 64, iid
		self.ids.add(iid)
		d = os.path.join(self.out, iid)
		os.makedirs(d)
		for name, content in files.items():
			p = os.path.join(d, name)
			os.makedirs(os.path.dirname(p), exist_ok=True)
			if isinstance(content, bytes):
				with open(p, "wb") as f:
					f.write(content)
			else:
				shutil.copyfile(content, p)
		title = ("Hỏng: " if broken else "Tốt: ") + iid
		j = {"id": iid, "type": typ, "title": {"vi": title, "en": iid},
		     "topics": ["udhr"]}
		if media is not None:
			j["media"] = {"vi": media}
		if extra:
			j.update(extra)
		with open(os.path.join(d, "item.json"), "w", encoding="utf-8") as f:
			json.dump(j, f, ensure_ascii=False, indent=1)
			f.write("\n")
		self.rows.append((iid, kind, typ, bad_file or media, damage,
				  "broken" if broken else "good"))

	# ---- good media to damage ----

	def make_base(self):
		t = "2"
		src_v = ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=25",
			 "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000", "-t", t]
		x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
			"-pix_fmt", "yuv420p"]
		ffmpeg(*src_v, *x264, "-c:a", "aac", "-b:a", "64k",
		       "-movflags", "+faststart", self.b("fast.mp4"))
		ffmpeg(*src_v, *x264, "-c:a", "aac", "-b:a", "64k", self.b("moovlast.mp4"))
		ffmpeg(*src_v, *x264, "-c:a", "libopus", "-b:a", "48k", self.b("v.mkv"))
		ffmpeg(*src_v, "-c:v", "libvpx-vp9", "-deadline", "realtime",
		       "-cpu-used", "8", "-b:v", "200k", "-c:a", "libopus", "-b:a", "48k",
		       self.b("v.webm"))
		# 8192x8192: 67 megapixels, past the kiosk's 50
		ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=8192x8192", "-frames:v", "1",
		       *x264, self.b("huge.mkv"))
		# garbage packets in valid containers
		ffmpeg("-i", self.b("fast.mp4"), "-c", "copy", "-bsf:v", "noise=amount=1",
		       "-bsf:a", "noise=amount=1", self.b("noise.mp4"))
		ffmpeg("-i", self.b("v.mkv"), "-c", "copy", "-bsf:v", "noise=amount=1",
		       "-bsf:a", "noise=amount=1", self.b("noise.mkv"))
		ffmpeg("-i", self.b("v.mkv"), "-c", "copy", "-bsf:v", "noise=amount=1",
		       self.b("noise-video.mkv"))
		ffmpeg("-i", self.b("v.webm"), "-c", "copy", "-bsf:v", "noise=amount=1",
		       "-bsf:a", "noise=amount=1", self.b("noise.webm"))
		src_a = ["-f", "lavfi", "-i", "sine=f=330:sample_rate=48000", "-t", t]
		ffmpeg(*src_a, "-c:a", "libmp3lame", "-b:a", "64k", self.b("a.mp3"))
		ffmpeg(*src_a, "-c:a", "aac", "-b:a", "64k", self.b("a.m4a"))
		ffmpeg(*src_a, "-c:a", "libvorbis", self.b("a.ogg"))
		ffmpeg(*src_a, "-c:a", "libopus", "-b:a", "48k", self.b("a.opus"))
		ffmpeg(*src_a, "-c:a", "pcm_s16le", "-ar", "16000", self.b("a.wav"))
		ffmpeg("-i", self.b("a.m4a"), "-c", "copy", "-bsf:a", "noise=amount=1",
		       self.b("noise.m4a"))
		ffmpeg("-i", self.b("a.opus"), "-c", "copy", "-bsf:a", "noise=amount=1",
		       self.b("noise.opus"))
		src_p = ["-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1"]
		ffmpeg(*src_p, self.b("p.png"))
		ffmpeg(*src_p, "-q:v", "3", self.b("p.jpg"))
		ffmpeg(*src_p, "-c:v", "libwebp", "-lossless", "0", self.b("p.webp"))
		ffmpeg(*src_p, "-q:v", "3", "-pix_fmt", "yuvj444p",
		       self.b("p2.jpg"))
		if self.full:
			ffmpeg(*src_v, "-c:v", "libx265", "-preset", "ultrafast",
			       "-x265-params", "log-level=error", "-pix_fmt", "yuv420p",
			       "-tag:v", "hvc1", "-c:a", "aac", "-movflags", "+faststart",
			       self.b("hevc.mp4"))
			ffmpeg(*src_v, "-c:v", "libsvtav1", "-preset", "12", "-pix_fmt",
			       "yuv420p", "-c:a", "libopus", self.b("av1.mkv"))
			ffmpeg(*src_v, "-c:v", "libvpx", "-deadline", "realtime",
			       "-cpu-used", "8", "-b:v", "200k", "-c:a", "libvorbis",
			       self.b("vp8.webm"))
			ffmpeg(*src_a, "-c:a", "flac", self.b("a.flac"))
			# an audio file with cover art
			ffmpeg("-f", "lavfi", "-t", t, "-i", "sine=f=330:sample_rate=48000",
			       "-f", "lavfi", "-t", "0.04", "-i", "testsrc2=s=200x200",
			       "-frames:v", "1", "-map", "0:a", "-map", "1:v", "-c:a", "aac",
			       "-c:v", "mjpeg", "-disposition:v", "attached_pic",
			       self.b("cover.m4a"))
			ffmpeg(*src_p, "-pix_fmt", "rgba", self.b("p-rgba.png"))
			ffmpeg("-i", self.b("v.mkv"), "-c", "copy", "-bsf:a", "noise=amount=1",
			       self.b("noise-audio.mkv"))
		with open(self.b("l.pdf"), "wb") as f:
			f.write(make_pdf())

	# ---- the broken items ----

	def damaged_set(self, prefix, kind, typ, ext, data, n_cut, flips, extra=()):
		"""Cut at n_cut offsets, flipped at each density in flips, zero
		bytes, and the extra (name, bytes, how) given."""
		name = "media." + ext
		for off in cut_offsets(len(data), n_cut):
			self.item("%s-cut-%07d" % (prefix, off), kind, typ,
				  {name: cut(data, off)}, name,
				  "cut short at byte %d of %d" % (off, len(data)))
		for every, seed in flips:
			self.item("%s-flip-1in%d-s%d" % (prefix, every, seed), kind, typ,
				  {name: flip_bits(data, every, seed)}, name,
				  "one bit flipped per %d bytes (seed %d)" % (every, seed))
		self.item(prefix + "-empty", kind, typ, {name: b""}, name, "zero bytes")
		for suffix, content, how, *fname in extra:
			n = fname[0] if fname else name
			self.item("%s-%s" % (prefix, suffix), kind, typ, {n: content}, n, how)

	def make_broken(self):
		full = self.full
		nc = 16 if full else 3          # offsets for most formats
		nc_main = 16 if full else 8     # for the mp4, PNG and PDF
		fl = ([(64, 1), (1024, 1), (16384, 1), (64, 2), (1024, 2), (16384, 2),
		       (256, 3), (4096, 3)] if full else [(1024, 1)])
		fl_main = fl if full else [(64, 1), (1024, 1), (16384, 1)]

		fast = read(self.b("fast.mp4"))
		last = read(self.b("moovlast.mp4"))
		mkv = read(self.b("v.mkv"))
		webm = read(self.b("v.webm"))
		png = read(self.b("p.png"))
		jpg = read(self.b("p.jpg"))
		webp = read(self.b("p.webp"))
		mp3 = read(self.b("a.mp3"))
		pdf = read(self.b("l.pdf"))

		# video
		self.damaged_set("v-mp4", "video", "video", "mp4", fast, nc_main, fl_main, [
			("zeroed-64k", zero_block(fast, 0.4, 65536), "64 KiB zeroed at 40 %"),
			("moov-4gb", mp4_box_size(fast, "moov", 0xFFFFFFF0),
			 "moov box declares 4 GB"),
			("stsz-1g-samples", mp4_stsz_count(fast, 0x3FFFFFFF),
			 "stsz declares 2^30 samples"),
			("garbage-packets", read(self.b("noise.mp4")),
			 "valid mp4, every packet byte replaced (noise bsf)"),
			("is-png", png, "a PNG named .mp4"),
		])
		self.damaged_set("v-mkv", "video", "video", "mkv", mkv, nc, fl, [
			("segment-2e56", ebml_set_max(mkv, b"\x18\x53\x80\x67"),
			 "Segment declares 2^56 bytes"),
			("garbage-packets", read(self.b("noise.mkv")),
			 "valid mkv, every packet byte replaced (noise bsf)"),
			("garbage-video", read(self.b("noise-video.mkv")),
			 "valid mkv, good sound, every video packet byte replaced"),
			("8192x8192", read(self.b("huge.mkv")),
			 "H.264 of 8192x8192 (67 megapixels)"),
		])
		self.damaged_set("v-webm", "video", "video", "webm", webm, nc, fl, [
			("garbage-packets", read(self.b("noise.webm")),
			 "valid webm, every packet byte replaced (noise bsf)"),
		])
		if full:
			self.damaged_set("v-mp4last", "video", "video", "mp4", last, nc, fl, [
				("mdat-4gb", mp4_box_size(last, "mdat", 0xFFFFFFF0),
				 "mdat box declares 4 GB (the moov after it)"),
				("zeroed-64k", zero_block(last, 0.5, 65536), "64 KiB zeroed at 50 %"),
			])
			hevc = read(self.b("hevc.mp4"))
			self.damaged_set("v-hevc", "video", "video", "mp4", hevc, nc, fl, [
				("moov-tiny", mp4_box_size(hevc, "moov", 9),
				 "moov box declares 9 bytes"),
			])
			av1 = read(self.b("av1.mkv"))
			self.damaged_set("v-av1", "video", "video", "mkv", av1, nc, fl, [
				("tracks-huge", ebml_set_max(av1, b"\x16\x54\xae\x6b"),
				 "Tracks declares the largest size its field holds"),
			])
			vp8 = read(self.b("vp8.webm"))
			self.damaged_set("v-vp8", "video", "video", "webm", vp8, nc, fl, [
				("zeroed-8k", zero_block(vp8, 0.3, 8192), "8 KiB zeroed at 30 %"),
			])
			self.item("v-mkv-garbage-audio", "video", "video",
				  {"media.mkv": self.b("noise-audio.mkv")}, "media.mkv",
				  "valid mkv, good video, every sound packet byte replaced")
			self.item("v-is-srt", "video", "video", {"media.mp4": GOOD_SRT},
				  "media.mp4", "an SRT named .mp4")
			self.item("v-is-wav", "video", "video", {"media.webm": self.b("a.wav")},
				  "media.webm", "a WAV named .webm")
			self.item("v-is-random", "video", "video",
				  {"media.mp4": random.Random(7).randbytes(200000)},
				  "media.mp4", "200 kB of random bytes named .mp4")

		# audio
		self.damaged_set("a-mp3", "audio", "audio", "mp3", mp3, nc, fl, [
			("zeroed-4k", zero_block(mp3, 0.3, 4096), "4 KiB zeroed at 30 %"),
		])
		m4a = read(self.b("a.m4a"))
		self.damaged_set("a-m4a", "audio", "audio", "m4a", m4a, nc, fl, [
			("garbage-packets", read(self.b("noise.m4a")),
			 "valid m4a, every packet byte replaced (noise bsf)"),
		])
		self.damaged_set("a-ogg", "audio", "audio", "ogg", read(self.b("a.ogg")),
				 2 if not full else nc, fl)
		self.damaged_set("a-opus", "audio", "audio", "opus", read(self.b("a.opus")),
				 2 if not full else nc, fl, [
			("garbage-packets", read(self.b("noise.opus")),
			 "valid ogg, every opus packet byte replaced (noise bsf)"),
		])
		wav = read(self.b("a.wav"))
		self.damaged_set("a-wav", "audio", "audio", "wav", wav, 2 if not full else nc,
				 fl if full else [], [
			("data-4gb", wav_huge(wav), "RIFF and data chunk declare 4 GB"),
		])
		if full:
			self.damaged_set("a-flac", "audio", "audio", "flac",
					 read(self.b("a.flac")), nc, fl)
			cover = read(self.b("cover.m4a"))
			self.damaged_set("a-cover", "audio", "audio", "m4a", cover, nc, fl)
			self.item("a-is-mp4", "audio", "audio", {"media.mp3": fast}, "media.mp3",
				  "an mp4 (with video) named .mp3")
			self.item("a-is-pdf", "audio", "audio", {"media.m4a": pdf}, "media.m4a",
				  "a PDF named .m4a")

		# pictures: posters
		self.damaged_set("p-png", "picture", "poster", "png", png, nc_main, fl_main, [
			("60000x60000", png_resize(png, 60000, 60000),
			 "IHDR declares 60000x60000 (CRC right)"),
			("bad-ihdr-crc", png_bad_crc(png), "IHDR CRC wrong"),
		])
		self.damaged_set("p-jpg", "picture", "poster", "jpg", jpg, nc, fl, [
			("65535x65535", jpeg_resize(jpg, 65535, 65535), "SOF declares 65535x65535"),
			("is-mp3", mp3, "an mp3 named .jpg"),
		])
		self.damaged_set("p-webp", "picture", "poster", "webp", webp, nc, fl, [
			("16383x16383", webp_resize(webp, 16383, 16383),
			 "VP8 header declares 16383x16383"),
		])
		self.item("p-is-pdf", "picture", "poster", {"media.png": pdf}, "media.png",
			  "a PDF named .png")
		if full:
			self.item("p-png-7072x7072", "picture", "poster",
				  {"media.png": png_resize(png, 7072, 7072)}, "media.png",
				  "IHDR declares 7072x7072 (just past 50 MP)")
			self.item("p-png-7000x7000", "picture", "poster",
				  {"media.png": png_resize(png, 7000, 7000)}, "media.png",
				  "IHDR declares 7000x7000 (49 MP, under the limit), "
				  "the data of 320x240")
			self.item("p-png-1x60000", "picture", "poster",
				  {"media.png": png_resize(png, 1, 60000)}, "media.png",
				  "IHDR declares 1x60000")
			self.item("p-jpg-1x65535", "picture", "poster",
				  {"media.jpg": jpeg_resize(jpg, 1, 65535)}, "media.jpg",
				  "SOF declares 1x65535")
			rgba = read(self.b("p-rgba.png"))
			self.damaged_set("p-rgba", "picture", "poster", "png", rgba, nc, fl)
			p2 = read(self.b("p2.jpg"))
			self.damaged_set("p-jpg2", "picture", "poster", "jpg", p2, nc, fl)
			self.item("p-is-mp4", "picture", "poster", {"media.jpg": fast},
				  "media.jpg", "an mp4 named .jpg")
			self.item("p-is-random", "picture", "poster",
				  {"media.webp": random.Random(8).randbytes(30000)},
				  "media.webp", "random bytes named .webp")
			self.item("p-is-md", "picture", "poster", {"media.png": GOOD_MD},
				  "media.png", "a text leaflet named .png")
		# a leaflet page picture
		self.item("l-page-jpg-cut", "picture", "leaflet",
			  {"page.jpg": cut(jpg, len(jpg) // 2)}, "page.jpg",
			  "leaflet page cut short at half")

		# PDF leaflets
		self.damaged_set("l-pdf", "pdf", "leaflet", "pdf", pdf,
				 nc_main if full else 4, fl, [
			("2e9-pages", make_pdf(count=2000000000), "Pages /Count 2000000000"),
			("mediabox-0", make_pdf(mediabox="0 0 0 0"), "every MediaBox 0x0"),
			("mediabox-huge", make_pdf(mediabox="0 0 14400000 14400000"),
			 "every MediaBox 14400000 pt square"),
			("kids-loop", make_pdf(kids_loop=True), "Pages /Kids holds itself"),
			("is-png", png, "a PNG named .pdf"),
		])
		if full:
			self.item("l-pdf-flate-bomb", "pdf", "leaflet",
				  {"media.pdf": make_pdf(pages=1, content=b"0 0 m 1 1 l S\n" * 3000000)},
				  "media.pdf", "a page of 3 million strokes (42 MB deflated)")
			self.item("l-pdf-is-md", "pdf", "leaflet", {"media.pdf": GOOD_MD},
				  "media.pdf", "a text leaflet named .pdf")
			self.item("l-pdf-no-eof", "pdf", "leaflet",
				  {"media.pdf": pdf[:pdf.rfind(b"startxref")]}, "media.pdf",
				  "no startxref/xref (needs repair)")

		# text leaflets
		hinh = {"hinh.png": self.b("p.png")}
		bomb = {"hinh.png": png_resize(png, 60000, 60000)}
		word = b"quy\xe1\xbb\x81n"       # quyền
		md_cases = [
			("invalid-utf8", GOOD_MD.replace(b"Paris", b"Pa\xffri\xc0\xafs"),
			 hinh, "invalid UTF-8 in a paragraph"),
			("one-word-900k", b"# T\n\n" + b"a" * 900000 + b"\n", {},
			 "a 900 kB line with no space"),
			("paragraph-900k", b"# T\n\n" + (word + b" ") * 110000 + b"\n", {},
			 "a 900 kB paragraph on one line"),
			("over-limit", b"# T\n\n" + (b"x " * 40 + b"\n") * 20000, {},
			 "1.6 MB, past the leaflet limit"),
			("is-jpg", jpg, {}, "a JPEG named .md"),
			("empty", b"", {}, "zero bytes"),
			("cut-in-utf8", GOOD_MD[:GOOD_MD.find("ề".encode()) + 1], {},
			 "cut in the middle of a UTF-8 sequence"),
			("nul-bytes", GOOD_MD.replace(b"Paris", b"Pa\0\0ris"), hinh,
			 "NUL bytes in a paragraph"),
			("markup-storm", (b"*" * 30000 + b"\n") + (b"#" * 3000 + b"\n") +
			 (b"- " * 20000 + b"\n") + (b"![" * 20000 + b"\n"), {},
			 "30000 stars, 3000 hashes, 20000 dashes, 20000 '![' on four lines"),
			("picture-60000x60000", GOOD_MD, bomb,
			 "its picture's IHDR declares 60000x60000"),
		]
		if full:
			md_cases += [
				("lines-100k", b"- a\n" * 100000, {}, "100000 list items"),
				("utf16", GOOD_MD.decode().encode("utf-16"), {}, "UTF-16 with BOM"),
				("picture-cut", GOOD_MD, {"hinh.png": cut(png, 100)},
				 "its picture cut short"),
				("picture-is-pdf", GOOD_MD, {"hinh.png": pdf}, "its picture is a PDF"),
				("random", random.Random(9).randbytes(50000), {},
				 "random bytes named .md"),
				("crlf-cr", GOOD_MD.replace(b"\n", b"\r"), hinh,
				 "old Mac line ends (CR only)"),
			]
		for suffix, content, more, how in md_cases:
			files = {"media.md": content}
			files.update(more)
			bad = "media.md"
			if suffix.startswith("picture-"):
				bad = "hinh.png"
			self.item("l-md-" + suffix, "text", "leaflet", files, "media.md", how,
				  bad_file=bad)

		# subtitles beside a good video
		long_line = "Quyền con người ".encode() * 30000
		sub_cases = [
			("srt", "invalid-utf8", GOOD_SRT.replace(b"do", b"d\xff\xfeo"),
			 "invalid UTF-8 in every cue"),
			("srt", "line-480k", b"1\n00:00:00,100 --> 00:00:01,900\n" + long_line +
			 b"\n", "a 480 kB line"),
			("srt", "random", random.Random(3).randbytes(40000), "random bytes"),
			("srt", "huge-times", b"1\n99:59:59,999 --> 00:00:00,000\nA\n\n2\n"
			 b"00:00:00,000 --> 2147483647:00:00,000\nB\n\n3\n-5:00:00,000 --> "
			 b"00:00:01,000\nC\n", "absurd and backwards times"),
			("srt", "empty", b"", "zero bytes"),
			("vtt", "invalid-utf8", GOOD_VTT.replace(b"do", b"d\xc0\xafo"),
			 "invalid UTF-8 in every cue"),
			("vtt", "line-480k", b"WEBVTT\n\n00:00:00.100 --> 00:00:01.900\n" +
			 long_line + b"\n", "a 480 kB line"),
			("vtt", "is-png", png, "a PNG named .vtt"),
		]
		if full:
			many = b"".join(b"%d\n00:00:%02d,%03d --> 00:00:%02d,%03d\nc%d\n\n" %
					(i + 1, (i // 1000) % 60, i % 1000, (i // 1000) % 60,
					 i % 1000 + 1 if i % 1000 < 999 else 999, i)
					for i in range(60000))
			sub_cases += [
				("srt", "cues-60000", many, "60000 cues (past the 20000 kept)"),
				("srt", "cut", GOOD_SRT[:40], "cut in the middle of a cue"),
				("vtt", "no-header", GOOD_SRT, "no WEBVTT header"),
				("srt", "utf16", GOOD_SRT.decode().encode("utf-16"), "UTF-16 with BOM"),
				("vtt", "nul-bytes", GOOD_VTT.replace(b"do", b"d\0o"), "NUL bytes"),
			]
		for ext, suffix, content, how in sub_cases:
			self.item("s-%s-%s" % (ext, suffix), "subtitles", "video",
				  {"video.vi.mp4": self.b("fast.mp4"), "video.vi." + ext: content},
				  "video.vi.mp4", how, bad_file="video.vi." + ext)

		# galleries
		cap = {"vi": "Ảnh"}
		self.item("g-one-bad", "gallery", "gallery",
			  {"1.png": self.b("p.png"), "2.png": cut(png, 300),
			   "3.jpg": self.b("p.jpg")},
			  extra={"pictures": [{"file": f, "caption": cap}
					      for f in ("1.png", "2.png", "3.jpg")]},
			  damage="picture 2 of 3 cut short", bad_file="2.png")
		self.item("g-all-bad", "gallery", "gallery",
			  {"1.png": b"", "2.jpg": jpeg_resize(jpg, 65535, 65535)},
			  extra={"pictures": [{"file": f, "caption": cap}
					      for f in ("1.png", "2.jpg")]},
			  damage="zero bytes, then a 65535x65535 JPEG", bad_file="1.png")
		self.item("g-only-bad", "gallery", "gallery",
			  {"1.webp": cut(webp, 50)},
			  extra={"pictures": [{"file": "1.webp", "caption": cap}]},
			  damage="its only picture cut short", bad_file="1.webp")

		# thumbnails
		self.item("t-poster-thumb-cut", "thumbnail", "poster",
			  {"poster.png": self.b("p.png"), "thumb.png": cut(png, 500)},
			  "poster.png", "good poster, thumbnail cut short",
			  bad_file="thumb.png", extra={"thumbnail": "thumb.png"})
		self.item("t-video-thumb-huge", "thumbnail", "video",
			  {"video.mp4": self.b("fast.mp4"),
			   "thumb.png": png_resize(png, 60000, 60000)},
			  "video.mp4", "good video, thumbnail declares 60000x60000",
			  bad_file="thumb.png", extra={"thumbnail": "thumb.png"})
		if full:
			self.item("t-audio-thumb-is-mp3", "thumbnail", "audio",
				  {"a.mp3": self.b("a.mp3"), "thumb.jpg": mp3},
				  "a.mp3", "good audio, thumbnail is an mp3",
				  bad_file="thumb.jpg", extra={"thumbnail": "thumb.jpg"})

	# ---- good items beside them ----

	def make_good(self):
		good = [
			("good-video-mp4", "video", "video", "fast.mp4", "mp4"),
			("good-video-mkv", "video", "video", "v.mkv", "mkv"),
			("good-video-webm", "video", "video", "v.webm", "webm"),
			("good-audio-mp3", "audio", "audio", "a.mp3", "mp3"),
			("good-audio-m4a", "audio", "audio", "a.m4a", "m4a"),
			("good-audio-opus", "audio", "audio", "a.opus", "opus"),
			("good-audio-wav", "audio", "audio", "a.wav", "wav"),
			("good-poster-png", "picture", "poster", "p.png", "png"),
			("good-poster-jpg", "picture", "poster", "p.jpg", "jpg"),
			("good-poster-webp", "picture", "poster", "p.webp", "webp"),
			("good-leaflet-pdf", "pdf", "leaflet", "l.pdf", "pdf"),
		]
		if self.full:
			good += [
				("good-audio-ogg", "audio", "audio", "a.ogg", "ogg"),
				("good-audio-flac", "audio", "audio", "a.flac", "flac"),
				("good-video-hevc", "video", "video", "hevc.mp4", "mp4"),
				("good-video-av1", "video", "video", "av1.mkv", "mkv"),
				("good-video-vp8", "video", "video", "vp8.webm", "webm"),
			]
		for iid, kind, typ, src, ext in good:
			self.item(iid, kind, typ, {"media." + ext: self.b(src)}, "media." + ext,
				  "", broken=False)
		self.item("good-leaflet-md", "text", "leaflet",
			  {"media.md": GOOD_MD, "hinh.png": self.b("p.png")}, "media.md", "",
			  broken=False)
		self.item("good-gallery", "gallery", "gallery",
			  {"1.png": self.b("p.png"), "2.jpg": self.b("p.jpg")},
			  extra={"pictures": [{"file": "1.png", "caption": {"vi": "Một"}},
					      {"file": "2.jpg", "caption": {"vi": "Hai"}}]},
			  broken=False, bad_file="1.png")
		self.item("good-subtitles-srt", "subtitles", "video",
			  {"video.vi.mp4": self.b("fast.mp4"), "video.vi.srt": GOOD_SRT},
			  "video.vi.mp4", "", broken=False, bad_file="video.vi.srt")
		self.item("good-subtitles-vtt", "subtitles", "video",
			  {"video.vi.mp4": self.b("fast.mp4"), "video.vi.vtt": GOOD_VTT},
			  "video.vi.mp4", "", broken=False, bad_file="video.vi.vtt")
		# small demo items, when content/ has its media
		demo = os.environ.get("KIOSK_DEMO_DIR", "")
		for iid, kind in (("udhr-art1", "video"), ("cerd", "picture"),
				  ("leaflet-udhr-text", "text"), ("cat-radio", "audio")):
			src = os.path.join(demo, iid)
			try:
				with open(os.path.join(src, "item.json"), encoding="utf-8") as f:
					j = json.load(f)
			except OSError:
				continue
			names = list(j.get("media", {}).values()) + (
				[j["thumbnail"]] if "thumbnail" in j else [])
			if not all(os.path.exists(os.path.join(src, n)) for n in names):
				continue
			shutil.copytree(src, os.path.join(self.out, iid))
			self.ids.add(iid)
			self.rows.append((iid, kind, j["type"], j["media"]["vi"],
					  "demo item, copied", "good"))

	def finish(self):
		shutil.rmtree(self.base)
		with open(os.path.join(self.out, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
			f.write("#id\tkind\ttype\tfile\tdamage\texpect\n")
			for r in sorted(self.rows):
				f.write("\t".join(r) + "\n")


def main(argv):
	out = None
	size = "small"
	i = 0
	while i < len(argv):
		a = argv[i]
		if a == "--size" and i + 1 < len(argv):
			size = argv[i + 1]
			i += 1
		elif a.startswith("--size="):
			size = a.split("=", 1)[1]
		elif a.startswith("-"):
			die("unknown option '%s' (try --help)" % a)
		elif out is None:
			out = a
		else:
			die("one OUTDIR only")
		i += 1
	if out is None:
		die("usage: make-corpus.sh OUTDIR [--size small|full]")
	if size not in ("small", "full"):
		die("--size is small or full, not '%s'" % size)
	if os.path.exists(out) and os.listdir(out):
		die("%s is not empty" % out)
	os.makedirs(out, exist_ok=True)
	c = Corpus(out, size == "full")
	c.make_base()
	c.make_broken()
	c.make_good()
	c.finish()
	kinds = {}
	for r in c.rows:
		k = "%s %s" % (r[1], r[5])
		kinds[k] = kinds.get(k, 0) + 1
	print("make-corpus: %d items in %s (%s)" % (len(c.rows), out, ", ".join(
		"%s %d" % (k, n) for k, n in sorted(kinds.items()))))


main(sys.argv[1:])
PYTHON
