#!/usr/bin/env python3
"""Regenerate the lixia-2022 sample notice in the other formats duban reads.

Reads notice/testdata/corpus/lixia-2022/source.md and writes, each next to a symlink
gold.json -> ../lixia-2022/gold.json:

  notice/testdata/corpus/lixia-2022-docx/source.docx     Word, written by LibreOffice from a flat ODT
  notice/testdata/corpus/lixia-2022-pdf/source.pdf       PDF with a text layer, same flat ODT
  notice/testdata/corpus/lixia-2022-html/source.html     a government-site page, GBK with a gb2312 meta
  notice/testdata/corpus/lixia-2022-gbk/source.txt       the Markdown text in GBK with CRLF line ends
  notice/testdata/corpus/lixia-2022-wrapped/source.txt   hard-wrapped text with page footers, as a
                                            PDF-to-text tool leaves it

The source.md keeps the page breaks of the printed notice as blank lines, some of
them in the middle of a sentence (坚持集 / 约节约用地). The real notice has one
paragraph there, so this script joins them again before writing any format; the
PDF and the wrapped text get their own page breaks from their own layout.

It also writes the small files of notice/decode/testdata that the format tests read: a
table in Word, an encrypted and a scanned PDF, and files that are no notice
(legacy .doc, .xlsx, .odt).

Needs python3 (stdlib only) and LibreOffice (soffice) with fonts-noto-cjk.
It is not run by the tests: run it by hand, then check the outputs in.
"""
import html
import os
import struct
import zlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "testdata", "corpus")
SOURCE = os.path.join(CORPUS, "lixia-2022", "source.md")


# ---------------------------------------------------------------- the model

class Para:
    """One paragraph: kind "p" or "h" (heading with level), a role that the
    layouts use (title, docno, salutation, sign, body), and its lines, each a
    list of (text, bold) segments. Only the title has more than one line."""

    def __init__(self, kind, level, role, lines):
        self.kind, self.level, self.role, self.lines = kind, level, role, lines

    def text(self):
        return "".join(t for line in self.lines for t, _ in line)


def segments(s):
    """Split Markdown '**' emphasis into (text, bold) segments."""
    out, bold = [], False
    for i, part in enumerate(s.split("**")):
        if part:
            out.append((part, bold))
        bold = not bold
    return out


# A blank line in source.md after a paragraph that ends like this is a page
# break inside a paragraph, not a paragraph end.
PARA_END = "。）)"
# This page break falls after a full stop but the paragraph goes on: the gold
# reading has one task 4.3.1 across it.
JOIN_AFTER_FULL_STOP = {"有效提升城市环卫保洁质效。"}


def model():
    text = open(SOURCE, encoding="utf-8").read()
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    paras = []
    in_body = False
    for b in blocks:
        raw_lines = b.split("\n")
        m = re.match(r"^(#{1,6})\s+(.*)$", raw_lines[0])
        if m:
            in_body = True
            paras.append(Para("h", len(m.group(1)), "heading", [segments(m.group(2).strip())]))
            continue
        joined = "\n".join(l.rstrip() for l in raw_lines)
        lines = [segments(l) for l in joined.split("\n")]
        if len(lines) > 1:
            # The title: bold spans lines, carry it over. The two spaces at
            # the end of its lines are Markdown line breaks, not text.
            lines = [[(t, True) for t, _ in segments(l.replace("**", "").rstrip())] for l in raw_lines]
            paras.append(Para("p", 0, "title", lines))
            continue
        prev = paras[-1] if paras else None
        starts_heading = b.startswith("**")
        if (in_body and prev is not None and prev.kind == "p" and prev.role == "body"
                and not starts_heading
                and (prev.text()[-1] not in PARA_END
                     or any(prev.text().endswith(s) for s in JOIN_AFTER_FULL_STOP))):
            prev.lines[0].extend(lines[0])
            continue
        role = "body"
        t = b.strip()
        if not in_body:
            if re.match(r"^.{2,6}〔\d{4}〕\d+号$", t):
                role = "docno"
            elif t.endswith("："):
                role = "salutation"
            elif re.match(r"^\d{4} 年 \d+ 月 \d+ 日$", t) or t.endswith("办公室"):
                role = "sign"
        paras.append(Para("p", 0, role, lines))
    return paras


def markdown(paras, sep="\n\n"):
    """The model back as Markdown, page breaks joined."""
    out = []
    for p in paras:
        lines = []
        for line in p.lines:
            s = ""
            for t, bold in line:
                s += "**%s**" % t if bold else t
            lines.append(s)
        if p.role == "title":
            s = "**" + "  \n".join(l.replace("**", "") for l in lines) + "**"
        else:
            s = lines[0]
        if p.kind == "h":
            s = "#" * p.level + " " + s
        out.append(s)
    return sep.join(out) + "\n"


# ------------------------------------------------- flat ODT -> docx and PDF

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>关于印发 2022 年《济南市历下区政府工作报告》目标任务分解的通知</dc:title></office:meta>
<office:font-face-decls>
 <style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'" style:font-family-generic="roman"/>
 <style:font-face style:name="Noto Sans CJK SC" svg:font-family="'Noto Sans CJK SC'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:line-height="28.9pt" style:punctuation-wrap="hanging" style:line-break="strict"/>
  <style:text-properties style:font-name="Noto Serif CJK SC" fo:font-size="16pt"
   style:font-name-asian="Noto Serif CJK SC" style:font-size-asian="16pt"
   style:font-name-complex="Noto Serif CJK SC" style:font-size-complex="16pt"
   fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text">
  <style:paragraph-properties fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:text-indent="32pt" fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
  <style:paragraph-properties fo:text-align="center" fo:line-height="36pt" fo:margin-top="12pt" fo:margin-bottom="12pt"/>
  <style:text-properties fo:font-size="22pt" fo:font-weight="bold" style:font-size-asian="22pt" style:font-weight-asian="bold" style:font-weight-complex="bold"/>
 </style:style>
 <style:style style:name="Doc_20_number" style:display-name="Doc number" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/>
 </style:style>
 <style:style style:name="Signature" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="end" fo:margin-right="32pt"/>
 </style:style>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text"/>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
  <style:paragraph-properties fo:text-indent="0pt" fo:text-align="center" fo:margin-top="12pt" fo:margin-bottom="12pt"/>
  <style:text-properties style:font-name="Noto Sans CJK SC" style:font-name-asian="Noto Sans CJK SC" fo:font-size="18pt" style:font-size-asian="18pt"/>
 </style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text">
  <style:text-properties style:font-name="Noto Sans CJK SC" style:font-name-asian="Noto Sans CJK SC"/>
 </style:style>
 <style:style style:name="Heading_20_4" style:display-name="Heading 4" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="4" style:class="text">
  <style:text-properties style:font-name="Noto Sans CJK SC" style:font-name-asian="Noto Sans CJK SC"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:text-align="center" fo:text-indent="0pt"/>
  <style:text-properties fo:font-size="14pt" style:font-size-asian="14pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="T1" style:family="text">
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>
 </style:style>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="3.7cm" fo:margin-bottom="2.2cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:footer><text:p text:style-name="Footer">— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""

FODT_TAIL = """</office:text></office:body></office:document>
"""

ROLE_STYLE = {"title": "Title", "docno": "Doc_20_number", "sign": "Signature",
              "salutation": "Standard", "body": "Text_20_body"}


def fodt_inline(line):
    out = ""
    for t, bold in line:
        t = escape(t)
        # ODF collapses runs of spaces unless they are written as text:s.
        t = re.sub(r"  +", lambda m: ' <text:s text:c="%d"/>' % (len(m.group(0)) - 1), t)
        out += '<text:span text:style-name="T1">%s</text:span>' % t if bold else t
    return out


def fodt(paras):
    out = [FODT_HEAD]
    for p in paras:
        body = "<text:line-break/>".join(fodt_inline(l) for l in p.lines)
        if p.kind == "h":
            out.append('<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>\n'
                       % (p.level, p.level, body))
        else:
            out.append('<text:p text:style-name="%s">%s</text:p>\n' % (ROLE_STYLE[p.role], body))
    out.append(FODT_TAIL)
    return "".join(out)


def soffice_convert(src, fmt, outdir):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
                        "--convert-to", fmt, "--outdir", outdir, src],
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# ---------------------------------------------------------------- HTML page

HTML_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>关于印发2022年《济南市历下区政府工作报告》目标任务分解的通知_政府文件_济南市历下区人民政府</title>
<meta name="ArticleTitle" content="关于印发2022年《济南市历下区政府工作报告》目标任务分解的通知" />
<meta name="PubDate" content="2022-04-25 09:30" />
<link rel="stylesheet" type="text/css" href="/images/style.css" />
<style type="text/css">
.TRS_Editor P{margin-top:0px;margin-bottom:0px;line-height:2;font-family:仿宋_GB2312;font-size:16pt;}
.nav li{float:left;} #zoom{padding:20px 40px;}
</style>
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">
var _hmt = _hmt || []; // 统计代码：不是正文
function doZoom(size){ document.getElementById('zoom').style.fontSize = size + 'px'; }
</script>
</head>
<body>
<div class="top">
  <div class="top_link"><a href="/">网站首页</a> | <a href="/col/col_wza/">无障碍浏览</a> | <a href="/col/col_ydb/">移动版</a></div>
  <div class="logo"><img src="/images/logo.png" alt="济南市历下区人民政府" /></div>
  <form class="search" action="/search.html" method="get"><input type="text" name="q" value="请输入关键字" /><button type="submit">搜索</button></form>
</div>
<div class="nav" id="nav">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/col/col_zwgk/">政务公开</a></li><li><a href="/col/col_zmhd/">政民互动</a></li>
    <li><a href="/col/col_bsfw/">办事服务</a></li><li><a href="/col/col_zjlx/">走进历下</a></li>
  </ul>
</div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col_zwgk/">政务公开</a> &gt; <a href="/col/col_zfwj/">政府文件</a></div>
  <div class="left_menu">
    <h3>政府文件</h3>
    <ul><li><a href="/col/col_qzfwj/">区政府文件</a></li><li><a href="/col/col_qzfbwj/">区政府办公室文件</a></li><li><a href="/col/col_zcjd/">政策解读</a></li></ul>
  </div>
  <div class="article">
    <h1 class="article_title">关于印发2022年《济南市历下区政府工作报告》目标任务分解的通知</h1>
    <div class="article_info">发布日期：2022-04-25&nbsp;&nbsp;来源：区政府办公室&nbsp;&nbsp;浏览次数：<script type="text/javascript">document.write(1024);</script>
      &nbsp;&nbsp;字号：<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></div>
    <div id="zoom">
<div class="TRS_Editor">
"""

HTML_TAIL = """</div>
    </div>
    <div class="article_tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
    <div class="share bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
  </div>
</div>
<div class="footer" id="footer">
  <p><a href="/col/col_wzdt/">网站地图</a> | <a href="/col/col_lxwm/">联系我们</a> | <a href="/col/col_zfwzzc/">政府网站找错</a></p>
  <p>主办单位：济南市历下区人民政府办公室&nbsp;&nbsp;承办单位：济南市历下区大数据局</p>
  <p>网站标识码：3701020001&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">鲁ICP备05001982号</a>&nbsp;&nbsp;鲁公网安备 37010202000123号</p>
</div>
<script type="text/javascript">var zoomSize = 16; /* 页面尾部脚本 */</script>
</body>
</html>
"""


def html_inline(line):
    out = ""
    for t, bold in line:
        t = html.escape(t, quote=False).replace("  ", "&nbsp; ")
        out += "<strong>%s</strong>" % t if bold else t
    return out


def html_page(paras):
    out = [HTML_HEAD]
    for p in paras:
        body = "<br />\n".join(html_inline(l) for l in p.lines)
        if p.kind == "h":
            out.append('<h%d style="text-align: center;">%s</h%d>\n' % (p.level, body, p.level))
        elif p.role == "title":
            out.append('<p style="text-align: center; font-size: 22pt;">%s</p>\n' % body)
        elif p.role in ("docno",):
            out.append('<p style="text-align: center;">%s</p>\n' % body)
        elif p.role == "sign":
            out.append('<p style="text-align: right;">%s</p>\n' % body)
        elif p.role == "salutation":
            out.append("<p>%s</p>\n" % body)
        else:
            out.append('<p style="text-indent: 2em;">%s</p>\n' % body)
    out.append(HTML_TAIL)
    return "".join(out)


# ------------------------------------------------------ hard-wrapped text

def width(s):
    """Display columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in s)


# Characters a line may not start with (Chinese line-breaking rules).
NO_START = "，。、；：？！）》」』”’…—%,.;:?!)"


def wrap_para(text, cols, indent):
    """Lay text out in lines of at most cols columns, as a typesetter would:
    a first-line indent, numbers and Latin words kept whole, and no line
    starting with closing punctuation (the character before moves down with
    it)."""
    tokens = re.findall(r"[0-9A-Za-z.%]+|.", text)
    lines, line = [], indent
    for tok in tokens:
        if width(line) + width(tok) > cols and line.strip():
            if tok in NO_START and len(line) > 1:
                carry = line[-1]
                lines.append(line[:-1])
                line = carry
            else:
                lines.append(line)
                line = ""
        line += tok
    lines.append(line)
    return lines


def wrapped_text(paras, cols=60, per_page=30):
    """Plain text hard-wrapped at cols columns with a page footer every
    per_page lines: '— N —' centred with spaces, a blank line before it and
    a form feed after it, as pdftotext prints a page."""
    body = []
    for p in paras:
        plain = "".join(t for l in p.lines for t, _ in l) if p.role != "title" else ""
        if p.role == "title":
            for l in p.lines:
                t = "".join(t for t, _ in l).strip()
                pad = max(0, (cols - width(t)) // 2)
                body.append(" " * pad + t)
            continue
        if p.kind == "h" or p.role in ("docno",):
            pad = max(0, (cols - width(plain)) // 2) if p.level <= 2 else 0
            indent = " " * pad if p.level <= 2 else "　　"
            body.extend(wrap_para(plain, cols, indent))
            continue
        if p.role == "sign":
            body.append(" " * max(0, cols - width(plain) - 4) + plain)
            continue
        if p.role == "salutation":
            body.extend(wrap_para(plain, cols, ""))
            continue
        body.extend(wrap_para(plain, cols, "　　"))
    out, page = [], 1
    for i in range(0, len(body), per_page):
        out.extend(body[i:i + per_page])
        footer = "— %d —" % page
        out.append("")
        out.append(" " * ((cols - width(footer)) // 2) + footer)
        out.append("\f")
        page += 1
    # pdftotext ends each page with a form feed at the start of the next line.
    text = "\n".join(out)
    text = text.replace("\n\f\n", "\n\f")
    return text.rstrip("\f") + "\n"


# ------------------------------------------------------- format fixtures

MINI = [
    Para("p", 0, "title", [[("关于印发2024年重点工作分工的通知", True)]]),
    Para("h", 1, "heading", [[("一、经济发展", False)]]),
    Para("p", 0, "body", [[("稳定增长。", True), ("全年地区生产总值增长6%左右。（牵头单位：区发展和改革局，"
                                                   "责任单位：区统计局）", False)]]),
]

TABLE_ROWS = """
<table:table-header-rows><table:table-row>
 <table:table-cell><text:p>序号</text:p></table:table-cell><table:table-cell><text:p>工作任务</text:p></table:table-cell>
 <table:table-cell><text:p>牵头单位</text:p></table:table-cell><table:table-cell><text:p>责任单位</text:p></table:table-cell>
 <table:table-cell><text:p>完成时限</text:p></table:table-cell>
</table:table-row></table:table-header-rows>
<table:table-row>
 <table:table-cell table:number-columns-spanned="5"><text:p>一、经济发展</text:p></table:table-cell>
 <table:covered-table-cell/><table:covered-table-cell/><table:covered-table-cell/><table:covered-table-cell/>
</table:table-row>
<table:table-row>
 <table:table-cell><text:p>1</text:p></table:table-cell><table:table-cell><text:p>新增城镇就业3万人</text:p></table:table-cell>
 <table:table-cell table:number-rows-spanned="2"><text:p>区人力资源和社会保障局</text:p></table:table-cell>
 <table:table-cell><text:p>区财政局</text:p><text:p>各街道办事处</text:p></table:table-cell>
 <table:table-cell><text:p>2024年12月底</text:p></table:table-cell>
</table:table-row>
<table:table-row>
 <table:table-cell><text:p>2</text:p></table:table-cell><table:table-cell><text:p>开展职业技能培训5000人次</text:p></table:table-cell>
 <table:covered-table-cell/>
 <table:table-cell><text:p>区教育和体育局</text:p></table:table-cell>
 <table:table-cell><text:p>2024年11月底</text:p></table:table-cell>
</table:table-row>
"""


def fodt_table(paras):
    doc = fodt(paras)
    table = ('<table:table xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" table:name="分工">'
             '<table:table-column table:number-columns-repeated="5"/>%s</table:table>\n' % TABLE_ROWS)
    return doc.replace(FODT_TAIL, table + FODT_TAIL)


def image_pdf():
    """A one-page PDF holding only a grey image: what a scanner makes."""
    w, h = 64, 64
    pixels = zlib.compress(bytes([200]) * (w * h))
    content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(pixels)) + pixels + b"\nendstream",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


ENCRYPT = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
           '"DocumentOpenPassword":{"type":"string","value":"duban"}}')


def formats():
    out = os.path.join(HERE, "..")
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="duban-gen-")
    try:
        def convert(name, text, fmt, ext, target):
            src = os.path.join(work, name + ".fodt")
            with open(src, "w", encoding="utf-8") as f:
                f.write(text)
            soffice_convert(src, fmt, work)
            shutil.copy(os.path.join(work, name + "." + ext), os.path.join(out, target))

        convert("table", fodt_table(MINI), "docx:MS Word 2007 XML", "docx", "table.docx")
        convert("legacy", fodt(MINI), "doc:MS Word 97", "doc", "legacy.doc")
        convert("letter", fodt(MINI), "odt", "odt", "letter.odt")
        convert("locked", fodt(MINI), ENCRYPT, "pdf", "encrypted.pdf")
        csv = os.path.join(work, "sheet.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("序号,工作任务,牵头单位\n1,新增城镇就业3万人,区人力资源和社会保障局\n")
        soffice_convert(csv, "xlsx", work)
        shutil.copy(os.path.join(work, "sheet.xlsx"), os.path.join(out, "sheet.xlsx"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(out, "scanned.pdf"), "wb") as f:
        f.write(image_pdf())


# ------------------------------------------------------------------- main

def folder(name):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    link = os.path.join(d, "gold.json")
    if not os.path.lexists(link):
        os.symlink("../lixia-2022/gold.json", link)
    return d


def main():
    paras = model()
    work = tempfile.mkdtemp(prefix="duban-gen-")
    try:
        src = os.path.join(work, "source.fodt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fodt(paras))
        for fmt, name in (("docx:MS Word 2007 XML", "docx"), ("pdf:writer_pdf_Export", "pdf")):
            soffice_convert(src, fmt, work)
            shutil.copy(os.path.join(work, "source." + name),
                        os.path.join(folder("lixia-2022-" + name), "source." + name))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    with open(os.path.join(folder("lixia-2022-html"), "source.html"), "wb") as f:
        f.write(html_page(paras).encode("gbk"))
    with open(os.path.join(folder("lixia-2022-gbk"), "source.txt"), "wb") as f:
        f.write(markdown(paras).replace("\n", "\r\n").encode("gbk"))
    with open(os.path.join(folder("lixia-2022-wrapped"), "source.txt"), "w", encoding="utf-8") as f:
        f.write(wrapped_text(paras))
    formats()


if __name__ == "__main__":
    sys.exit(main())
