#!/usr/bin/python3
"""Writes accent-folding.txt, the table AccentFolding.cs reads: every code point whose canonical decomposition (NFD),
with its non-spacing marks (Mn) removed, is something else, e.g. U+00E9 (é) -> U+0065 (e). Hangul syllables are left
out (AccentFolding decomposes them by formula).

.NET cannot decompose text without ICU (string.Normalize does nothing to non-ASCII text under
InvariantGlobalization, which this repository uses), so the table comes from Python's unicodedata:

    /usr/bin/python3 agents/Agents.Onnx/Embeddings/make_accent_folding.py
"""

import os
import unicodedata

lines = [f"# NFD without Mn marks, from Python's unicodedata {unicodedata.unidata_version}; made by make_accent_folding.py"]
for cp in range(0x80, 0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
        continue
    ch = chr(cp)
    if unicodedata.category(ch) == "Mn":
        continue
    folded = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    if folded != ch:
        lines.append(f"{cp:X} " + " ".join(f"{ord(c):X}" for c in folded))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "accent-folding.txt"), "w", encoding="ascii", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
