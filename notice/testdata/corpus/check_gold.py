#!/usr/bin/env python3
"""Check the corpus golds against their sources.

usage: check_gold.py [--numbers] [DIR...]     (default: every folder next to this file)

For each notice folder (source.* + gold.json) it checks that:
- gold.json parses and has the fields of schema duban.extraction/v1;
- every task and unassigned text, after the scorer's normalisation (NFKC, whitespace
  removed), occurs in the normalised source text, tasks in source order; no text starts or
  ends with punctuation or an item number;
- every leader and unit name, and every non-empty deadline, occurs in the source;
- sections are numbered 0/1..N, areas 1..k within their section, every task and unassigned
  entry points at an existing section and area (area 0 only where the section has no areas),
  and task `no` is section.area.seq with seq counting from 1 in source order;
- every indicator's text and metric occur in its task text, and its value (digits, or a
  Chinese numeral) in the indicator text; cmp is one of = >= > <= ~ range (range has upper).
With --numbers it also lists, per task, the numbers in the text that no indicator covers, to
read by eye (years, ordinals and names are expected there).

The source is read as its format requires: UTF-8, UTF-16 (BOM) or GBK text; .docx through
its document.xml; .html in the charset its meta tag names, tags, scripts and styles removed;
.pdf through pdftotext.
Page footers (`— 3 —`, `- 3 -`) and form feeds are removed from plain text.
"""
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

ITEM_NO = re.compile(r"^(?:\d+[.、．]|[(（][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|▲)")
EDGE_PUNCT = "。；，、：,;:.！!？?　 \t\r\n"
CMPS = {"=", ">=", ">", "<=", "<", "~", "range"}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000}


def norm(s):
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s)


def cn_to_int(s):
    total, cur = 0, 0
    for ch in s:
        v = CN_DIGITS[ch]
        if v >= 10:
            total += (cur or 1) * v
            cur = 0
        else:
            cur = v
    return total + cur


def in_source(t, nsrc):
    """Whether t occurs in the source, whole or as two pieces in order: a table
    row that a page break split goes on after the footer, the cells between."""
    if t in nsrc:
        return True
    for k in range(1, len(t)):
        i = nsrc.find(t[:k])
        if i < 0:
            return False
        if nsrc.find(t[k:], i + k) >= 0 and t[:k + 1] not in nsrc:
            return True
    return False


def decode_text(raw):
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def docx_text(path):
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    xml = re.sub(r"</w:p>", "\n", xml)
    xml = re.sub(r"<w:tab/>", "\t", xml)
    xml = re.sub(r"<w:br[^>]*/>", "\n", xml)
    parts = re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|(\n|\t)", xml)
    return html.unescape("".join(a or b for a, b in parts))


def html_text(path):
    raw = open(path, "rb").read()
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    cs = (m.group(1).decode("ascii").lower() if m else "utf-8")
    if cs in ("gb2312", "gbk", "x-gbk"):
        cs = "gbk"  # as browsers do: the gb2312 label means GBK
    text = raw.decode(cs)
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?is)<!--.*?-->", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|td|th|li|h\d)>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


FOOTER = re.compile(r"^\s*[—–\-－]\s*\d+\s*[—–\-－]\s*$")


def source_text(folder):
    srcs = [f for f in os.listdir(folder) if f.startswith("source.")]
    if len(srcs) != 1:
        raise ValueError("expected one source.* file, found %r" % srcs)
    path = os.path.join(folder, srcs[0])
    ext = srcs[0].split(".", 1)[1].lower()
    if ext == "docx":
        text = docx_text(path)
    elif ext == "pdf":
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout.decode("utf-8")
    elif ext in ("html", "htm"):
        text = html_text(path)
    else:
        text = decode_text(open(path, "rb").read())
    text = text.replace("\f", "\n")
    text = "\n".join(l for l in text.split("\n") if not FOOTER.match(l))
    return srcs[0], text


class Report:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.notes = []

    def err(self, msg):
        self.errors.append(msg)


def check(folder, numbers=False):
    name = os.path.basename(folder.rstrip("/"))
    r = Report(name)
    try:
        gold = json.load(open(os.path.join(folder, "gold.json"), encoding="utf-8"))
    except (OSError, ValueError) as e:
        r.err("gold.json: %s" % e)
        return r, None
    try:
        srcname, src = source_text(folder)
    except (OSError, ValueError, UnicodeDecodeError, KeyError, subprocess.CalledProcessError) as e:
        r.err("source: %s" % e)
        return r, None
    nsrc = norm(src)

    if gold.get("schema") != "duban.extraction/v1":
        r.err("schema is %r" % gold.get("schema"))
    for k in ("document", "sections", "areas", "tasks", "unassigned"):
        if k not in gold:
            r.err("missing %s" % k)
    doc = gold.get("document") or {}
    for k in ("doc_number", "issuer", "title", "date", "year", "region"):
        if k not in doc:
            r.err("document.%s missing" % k)
    # A fragment or a web copy that prints no date of issue has date "".
    if doc.get("date", "") != "" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(doc.get("date"))):
        r.err("document.date %r is not YYYY-MM-DD" % doc.get("date"))
    for k in ("doc_number", "issuer"):
        if doc.get(k) and norm(doc[k]) not in nsrc:
            r.err("document.%s %r not in source" % (k, doc[k]))

    # structure
    secs = gold.get("sections") or []
    sec_nos = [s["no"] for s in secs]
    start = 0 if sec_nos and sec_nos[0] == 0 else 1
    if sec_nos != list(range(start, start + len(sec_nos))):
        r.err("section numbers %r" % sec_nos)
    for s in secs:
        # Section 0 may be untitled: tasks before any heading that the notice
        # does not name as its main targets (README, Section 0's title).
        if (not s.get("title") and s.get("no") != 0) or s.get("title", "") != s.get("title", "").strip(EDGE_PUNCT):
            r.err("section %s title %r" % (s.get("no"), s.get("title")))
        elif s["no"] != 0 and norm(s["title"]) not in nsrc:
            r.err("section %s title not in source" % s["no"])
    areas = {}
    for a in gold.get("areas") or []:
        areas.setdefault(a["section"], []).append(a["no"])
        if a["section"] not in sec_nos:
            r.err("area %r in unknown section" % a)
        if not a.get("title") or norm(a["title"]) not in nsrc or a["title"] != a["title"].strip(EDGE_PUNCT):
            r.err("area %s.%s title %r" % (a["section"], a["no"], a.get("title")))
    for s, nos in areas.items():
        if nos != list(range(1, len(nos) + 1)):
            r.err("areas of section %s numbered %r" % (s, nos))

    def place_ok(what, s, a):
        if s not in sec_nos:
            r.err("%s: unknown section %r" % (what, s))
        elif a == 0:
            if areas.get(s):
                r.err("%s: area 0 in section %s, which has areas" % (what, s))
        elif a not in areas.get(s, []):
            r.err("%s: unknown area %s.%s" % (what, s, a))

    def text_ok(what, t):
        if not t or t != t.strip(EDGE_PUNCT):
            r.err("%s: text not trimmed: %r" % (what, (t or "")[:30]))
        if ITEM_NO.match(norm(t or "")):
            r.err("%s: text starts with an item number: %r" % (what, t[:20]))
        if not in_source(norm(t), nsrc):
            r.err("%s: text not in source: %r" % (what, t[:40]))

    seqs = {}
    pos = 0
    names = set()
    n_ind = 0
    for t in gold.get("tasks") or []:
        no = t.get("no", "?")
        for k in ("no", "section", "area", "text", "lead_leaders", "lead_units", "responsible_units", "deadline", "indicators"):
            if k not in t:
                r.err("task %s: missing %s" % (no, k))
        s, a = t.get("section"), t.get("area")
        place_ok("task " + no, s, a)
        seqs[(s, a)] = seqs.get((s, a), 0) + 1
        want = "%s.%s.%s" % (s, a, seqs[(s, a)])
        if no != want:
            r.err("task %s: expected no %s" % (no, want))
        text = t.get("text", "")
        text_ok("task " + no, text)
        i = nsrc.find(norm(text), pos)
        if i < 0 and norm(text) in nsrc:
            r.err("task %s: out of source order" % no)
        elif i >= 0:
            pos = i + 1
        for k in ("lead_leaders", "lead_units", "responsible_units"):
            for nm in t.get(k) or []:
                names.add(nm)
                if not nm or nm != nm.strip() or norm(nm) not in nsrc:
                    r.err("task %s: %s name %r not in source" % (no, k, nm))
                if nm.endswith("等"):
                    r.err("task %s: name ends with 等: %r" % (no, nm))
        dl = t.get("deadline")
        if not isinstance(dl, str):
            r.err("task %s: deadline not a string" % no)
        elif dl and norm(dl) not in nsrc:
            r.err("task %s: deadline %r not in source" % (no, dl))
        covered = []
        for ind in t.get("indicators") or []:
            n_ind += 1
            it = ind.get("text", "")
            if norm(it) not in norm(text):
                r.err("task %s: indicator text %r not in task" % (no, it))
            if norm(ind.get("metric", "")) not in norm(text) or not ind.get("metric"):
                r.err("task %s: metric %r not in task" % (no, ind.get("metric")))
            cmp = ind.get("cmp")
            if cmp not in CMPS:
                r.err("task %s: cmp %r" % (no, cmp))
            if cmp == "range" and "upper" not in ind:
                r.err("task %s: range without upper" % no)
            v = ind.get("value")
            if not isinstance(v, (int, float)):
                r.err("task %s: value %r not a number" % (no, v))
                continue
            vs = ("%g" % v)
            found = vs in norm(it) or any(cn_to_int(m) == v for m in re.findall(r"[零〇一二两三四五六七八九十百千]+", it))
            if not found:
                r.err("task %s: value %r not in %r" % (no, v, it))
            if not ind.get("unit") or norm(ind["unit"]) not in re.sub("余|多", "", norm(it)):
                r.err("task %s: unit %r not in %r" % (no, ind.get("unit"), it))
            covered.append(norm(it))
        if numbers:
            nt = norm(text)
            for c in covered:
                nt = nt.replace(c, "□")
            left = re.findall(r"[0-9]+(?:\.[0-9]+)?", nt)
            if left:
                r.notes.append("%s: numbers not in an indicator: %s" % (no, " ".join(left)))
    for u in gold.get("unassigned") or []:
        place_ok("unassigned", u.get("section"), u.get("area"))
        text_ok("unassigned", u.get("text", ""))
    stats = {"tasks": len(gold.get("tasks") or []), "indicators": n_ind,
             "unassigned": len(gold.get("unassigned") or []), "sections": len(secs),
             "areas": len(gold.get("areas") or []), "source": srcname}
    return r, stats


def main(argv):
    numbers = "--numbers" in argv
    dirs = [a for a in argv if not a.startswith("--")]
    if not dirs:
        dirs = sorted(os.path.join(HERE, d) for d in os.listdir(HERE)
                      if os.path.isfile(os.path.join(HERE, d, "gold.json")))
    bad = 0
    for d in dirs:
        r, st = check(d, numbers)
        if st:
            print("%-24s %-12s tasks %3d  indicators %3d  unassigned %2d  sections %2d  areas %2d  %s" % (
                r.name, st["source"], st["tasks"], st["indicators"], st["unassigned"], st["sections"],
                st["areas"], "ok" if not r.errors else "%d ERRORS" % len(r.errors)))
        else:
            print("%-24s %d ERRORS" % (r.name, len(r.errors)))
        for e in r.errors:
            print("  ERROR " + e)
        for n in r.notes:
            print("  note  " + n)
        bad += bool(r.errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
