#!/usr/bin/env python3
"""Cuts heavykv's prose prompt buckets and held-out text for SmolLM2 out of Jane Austen's novels.

Source: Debian's r-cran-janeaustenr (MIT package; the novels, from Project Gutenberg, are in the public
domain). Run from the repository root:

    apt-get download r-cran-janeaustenr && dpkg-deb -x r-cran-janeaustenr_*.deb deb
    python3 tools/prose/sample.py deb/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb

It rewrites engine/src/main/resources/heavykv/prose/ (prompts, held-out text, manifest.jsonl). Token counts
are SmolLM2's, made by its tokenizer in heavykv (tools/prose/TokenCount.java; build the engine first with
`mvn -pl engine package -DskipTests`, source ci/jdk.sh for java, and ci/models.sh fetches the model).

Sampling, stratified and seeded (SEED): Persuasion is held out whole for evaluation; the other five novels
are the prompt strata. Bucket b (0..3) takes its 3 prompts from novels (3b + k) mod 5, k = 0..2, prompt k
from the k-th third of that novel's lines, each starting at the first paragraph after a uniformly drawn
line of that third. An excerpt is whole paragraphs (chapter headings inside it kept; reflowed: Gutenberg's line breaks inside a paragraph
become spaces) and then sentences, ending at the last sentence end that keeps it within its bucket's range
[0.9, 0.98] x target tokens (0.98 leaves room for 16 generated tokens in the model's 8192 context). A draw
overlapping an excerpt already taken, or with no sentence end in range, is drawn again.
"""
import json
import random
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

SEED = 20261203
BUCKETS = [128, 512, 2048, 8192]
PER_BUCKET = 3
LOW, HIGH = 0.90, 0.98
HELD_OUT = "Persuasion"
HELD_OUT_TOKENS = 8192 + 4 * 2048  # one 8192-token window and four 2048-token ones, BOS excluded
OUT = Path("engine/src/main/resources/heavykv/prose")


def novels(rdb):
    """The package's lazy-load database: one zlib-compressed serialized R character vector per novel."""
    data = Path(rdb).read_bytes()
    books, off = {}, 0
    while off < len(data):
        inflater = zlib.decompressobj()
        obj = inflater.decompress(data[off + 4:])
        off = len(data) - len(inflater.unused_data)
        i = obj.index(b"UTF-8") + 5
        _, count = struct.unpack(">II", obj[i:i + 8])
        i += 8
        lines = []
        for _ in range(count):
            _, n = struct.unpack(">Ii", obj[i:i + 8])
            i += 8
            lines.append("" if n < 0 else obj[i:i + n].decode("utf-8"))
            i += max(n, 0)
        title = next(l for l in lines if l.strip()).strip().title()
        books[title] = lines
    return books


def paragraphs(lines, first):
    """(first line, last line, text) of each paragraph from line index `first` on, lines 0-based."""
    start = None
    for i in range(first, len(lines) + 1):
        blank = i == len(lines) or not lines[i].strip()
        if blank and start is not None:
            text = " ".join(l.strip() for l in lines[start:i])
            yield start, i - 1, text
            start = None
        elif not blank and start is None:
            start = i


COUNTER = None


def token_count(text):
    """SmolLM2's token count of `text` without BOS, from one long-lived tools/prose/TokenCount.java."""
    global COUNTER
    if COUNTER is None:
        model = Path.home() / ".cache/heavykv/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        COUNTER = subprocess.Popen(["java", "-cp", "engine/target/heavykv-engine-0.1.0-SNAPSHOT.jar",
                                    "tools/prose/TokenCount.java", str(model)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    COUNTER.stdin.write(text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\n")
    COUNTER.stdin.flush()
    return int(COUNTER.stdout.readline())


SENTENCE_END = re.compile(r"[.!?][\"')]*(?=\s|$)")


def excerpt(lines, first, target):
    """Whole paragraphs from `first`, cut at a sentence end within the bucket's range; None if there is none."""
    low, high = int(LOW * target), int(HIGH * target)
    paras, text = [], ""
    for start, end, para in paragraphs(lines, first):
        if not paras and (para.isupper() or para.lower().startswith("chapter")):
            continue  # an excerpt starts with prose, not a heading
        candidate = (text + "\n\n" + para) if text else para
        paras.append((start, end))
        # Austen's prose runs above 3 characters a token in SmolLM2's vocabulary: skip counting short ones.
        if len(candidate) < 3 * low or token_count(candidate) < low:
            text = candidate
            continue
        cuts = [m.end() for m in SENTENCE_END.finditer(candidate) if m.end() > len(text)]
        # Token counts grow with the cut: find the last cut within range by bisection.
        lo, hi, best = 0, len(cuts) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            n = token_count(candidate[:cuts[mid]])
            if n > high:
                hi = mid - 1
            else:
                if n >= low:
                    best = (cuts[mid], n)
                lo = mid + 1
        if best is None:
            return None
        return candidate[:best[0]], paras[0][0], paras[-1][1], best[1]
    return None


def main(rdb):
    books = novels(rdb)
    strata = sorted(t for t in books if t != HELD_OUT)
    assert len(strata) == 5, strata
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    taken = {t: [] for t in books}
    manifest = []
    for b, target in enumerate(BUCKETS):
        for k in range(PER_BUCKET):
            title = strata[(3 * b + k) % len(strata)]
            lines = books[title]
            third = len(lines) // 3
            while True:
                drawn = rng.randrange(k * third, (k + 1) * third)
                cut = excerpt(lines, drawn, target)
                if cut is None:
                    continue
                text, first, last, tokens = cut
                if any(first <= e and s <= last for s, e in taken[title]):
                    continue
                break
            taken[title].append((first, last))
            name = f"prose_{target}_{k + 1}.txt"
            (OUT / name).write_text(text, encoding="utf-8")
            manifest.append({"file": name, "bucket": str(target), "target_tokens": target, "tokens": tokens,
                             "source": title, "first_line": first + 1, "last_line": last + 1, "drawn_line": drawn + 1})
            print(name, title, first + 1, last + 1, tokens, file=sys.stderr)
    # The held-out text: Persuasion from its first chapter on, whole paragraphs up to HELD_OUT_TOKENS.
    lines = books[HELD_OUT]
    first = next(i for i, l in enumerate(lines) if l.strip().lower().startswith("chapter")) + 1
    text, last = "", first
    for start, end, para in paragraphs(lines, first):
        candidate = (text + "\n\n" + para) if text else para
        if len(candidate) > 4.6 * HELD_OUT_TOKENS and token_count(candidate) > HELD_OUT_TOKENS:
            break
        text, last = candidate, end
    tokens = token_count(text)
    (OUT / "heldout_persuasion.txt").write_text(text, encoding="utf-8")
    manifest.append({"file": "heldout_persuasion.txt", "bucket": "heldout", "target_tokens": HELD_OUT_TOKENS,
                     "tokens": tokens, "source": HELD_OUT, "first_line": first + 1, "last_line": last + 1})
    print("heldout", tokens, file=sys.stderr)
    with open(OUT / "manifest.jsonl", "w", encoding="utf-8") as f:
        for entry in manifest:
            f.write(json.dumps(entry) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
