#!/usr/bin/env bash
# Draws Portico's icon (a portico: pediment, four columns and steps on the accent colour)
# with ImageMagick: build/appicon.png at 1024 px for packaging, app/icon.png at 256 px for
# the window. Run from the repository root after changing the drawing.
set -euo pipefail

draw=(
  -fill '#3451c7' -draw 'roundrectangle 64,64 960,960 180,180'
  -fill white
  -draw 'polygon 512,210 820,390 204,390'
  -draw 'rectangle 230,410 794,450'
  -draw 'rectangle 270,470 340,730'
  -draw 'rectangle 420,470 490,730'
  -draw 'rectangle 534,470 604,730'
  -draw 'rectangle 684,470 754,730'
  -draw 'rectangle 230,750 794,790'
  -draw 'rectangle 190,810 834,850'
)
convert -size 1024x1024 xc:none "${draw[@]}" build/appicon.png
convert build/appicon.png -resize 256x256 app/icon.png
