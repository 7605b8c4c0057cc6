#!/bin/sh
# Regenerates the photo fixtures in this directory. Needs ImageMagick 6 (convert), cwebp/gif2webp-free libwebp tools
# (cwebp) and python3. Run from this directory. The tests never run this; they read the committed files.
set -eu
C=${CONVERT:-/usr/bin/convert}
PHOTOS=../photos

# 64x48 quadrants: red, green / blue, yellow (32x24 each), to see where each corner goes
$C -size 32x24 xc:'#ff0000' xc:'#00ff00' +append \( -size 32x24 xc:'#0000ff' xc:'#ffff00' +append \) -append \
   quadrants.ppm

$C quadrants.ppm -quality 95 plain.jpg
python3 - plain.jpg orientation6.jpg 6 <<'PY'
# insert an EXIF APP1 segment holding only IFD0 Orientation after the JFIF APP0 segment
import struct, sys
src, dst, orientation = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read()
assert data[:2] == b'\xff\xd8'
at = 2
if data[2:4] == b'\xff\xe0':
    at = 4 + struct.unpack('>H', data[4:6])[0]
tiff = b'II*\x00' + struct.pack('<I', 8) + struct.pack('<H', 1) \
    + struct.pack('<HHIHH', 0x0112, 3, 1, orientation, 0) + struct.pack('<I', 0)
payload = b'Exif\x00\x00' + tiff
app1 = b'\xff\xe1' + struct.pack('>H', len(payload) + 2) + payload
open(dst, 'wb').write(data[:at] + app1 + data[at:])
PY
rm plain.jpg

$C quadrants.ppm -quality 95 -colorspace CMYK cmyk.jpg
$C quadrants.ppm -quality 90 -interlace JPEG progressive.jpg
$C -size 40x30 gradient:black-white -colorspace Gray -quality 90 grey.jpg
$C -size 40x30 xc:'gray(128)' -colorspace Gray -depth 8 -define png:color-type=0 grey.png
# 16-bit samples whose high byte and rounded 8-bit value agree: (65535, 17185, 49407) -> (255, 67, 192)
$C -size 40x30 xc:'#ffff4321c0ff' -depth 16 -define png:bit-depth=16 -define png:color-type=2 rgb16.png
# left half fully transparent, right half red at alpha 128
$C -size 20x30 xc:'rgba(0,0,255,0)' -size 20x30 xc:'rgba(255,0,0,0.50196)' +append +repage -depth 8 \
   -define png:color-type=6 transparent.png
# grey 64 opaque on the left, grey 0 at alpha 0 on the right
$C -size 20x30 xc:'graya(64,1)' -size 20x30 xc:'graya(0,0)' +append +repage -depth 8 -define png:color-type=4 \
   grey-alpha.png
# palette (colour type 3) with a tRNS entry: green on the left, transparent on the right
$C -size 20x30 xc:'#00ff00' -size 20x30 xc:'rgba(255,0,255,0)' +append +repage PNG8:palette-transparent.png
# two frames: red, then blue
$C -delay 50 -size 40x30 xc:'#ff0000' xc:'#0000ff' -loop 0 animated.gif
$C quadrants.ppm -type TrueColor BMP3:image.bmp
$C quadrants.ppm -depth 8 -compress lzw -orient RightTop image.tiff
$C quadrants.ppm -quality 80 -define webp:lossless=false lossy.webp
$C transparent.png -define webp:lossless=true lossless-alpha.webp
cp lossy.webp webp-named.jpg
rm quadrants.ppm

# the first half of a real photo: a decoder fills the rest with grey unless the truncation is noticed
head -c 3518 $PHOTOS/cdf_validation_cat.2004.jpg > truncated.jpg

: > empty.bin
printf 'Hello, this is plain text and not a photo.\n' > text.txt
# the start of a PDF: only the header matters
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' > document.pdf
# an ISO-BMFF ftyp box with HEIC brands, the way iPhone photos start, followed by an empty meta box
printf '\000\000\000\030ftypheic\000\000\000\000mif1heic\000\000\000\010meta' > synthetic.heic
printf '\000\000\000\034ftypavif\000\000\000\000avifmif1miaf\000\000\000\010meta' > synthetic.avif
cat > drawing.svg <<'SVG'
<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>
SVG
