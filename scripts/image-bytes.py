#!/usr/bin/env python3
"""The image bytes a page makes a browser fetch, scrolled to the end, at a viewport.

Usage: scripts/image-bytes.py URL [CSS_WIDTH DEVICE_PIXEL_RATIO]   (default 1366 1)

Chooses among each <picture>'s sources as browsers do: the first <source> whose type
the browser takes (WebP: every current browser), and within its srcset the narrowest
candidate at least as wide as the slot (`sizes` at this viewport) times the pixel
ratio, else the widest. Prints the total and each image's bytes.
"""

import re
import sys
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pictures = []
        self.sources = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.sources = []
        elif tag == "source" and self.sources is not None:
            self.sources.append(attrs)
        elif tag == "img":
            self.pictures.append((self.sources or [], attrs))
            self.sources = None


def slot_width(sizes, viewport):
    for part in (sizes or "100vw").split(","):
        part = part.strip()
        condition = re.match(r"\(min-width:\s*(\d+)px\)\s*(.+)", part)
        if condition:
            if viewport < int(condition.group(1)):
                continue
            part = condition.group(2)
        if part.endswith("vw"):
            return viewport * float(part[:-2]) / 100
        return float(part.rstrip("px"))
    return viewport


def choose(srcset, needed):
    candidates = []
    for entry in srcset.split(","):
        url, width = entry.split()
        candidates.append((int(width.rstrip("w")), url))
    candidates.sort()
    for width, url in candidates:
        if width >= needed:
            return url
    return candidates[-1][1]


def size_of(url):
    request = urllib.request.Request(url, method="GET")
    with urllib.request.urlopen(request) as response:
        return len(response.read())


def main():
    page = sys.argv[1]
    viewport = int(sys.argv[2]) if len(sys.argv) > 2 else 1366
    ratio = float(sys.argv[3]) if len(sys.argv) > 3 else 1
    html = urllib.request.urlopen(page).read().decode()
    parser = Images()
    parser.feed(html)
    total = 0
    seen = set()
    for sources, img in parser.pictures:
        url = img.get("src")
        for source in sources:
            if source.get("type") in ("image/webp", "image/jpeg"):
                needed = slot_width(source.get("sizes"), viewport) * ratio
                url = choose(source["srcset"], needed)
                break
        url = urljoin(page, url)
        if url in seen:
            continue
        seen.add(url)
        size = size_of(url)
        total += size
        print(f"{size:>9} {url}")
    print(f"{total:>9} bytes of {len(seen)} images at {viewport} px, ratio {ratio}")


if __name__ == "__main__":
    main()
