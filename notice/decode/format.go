// Package decode turns a notice file (text or Markdown in any of the
// encodings Chinese offices use, Word .docx, Excel .xlsx, the old .doc, .wps
// and .xls through LibreOffice, a web page, a PDF) into blocks: paragraphs
// with their heading level and bold opening, and tables. It tells the format
// by the content, not the name, and hands each to its decoder (packages docx
// and xlsx, soffice for the old formats); it knows file formats and nothing
// of what a notice says. Package notice reads the structure from the blocks.
package decode

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/docx"
	"github.com/dubanhq/duban/notice/decode/ooxml"
	"github.com/dubanhq/duban/notice/decode/soffice"
	"github.com/dubanhq/duban/notice/decode/xlsx"
)

// File turns a notice file into blocks. The content decides the format,
// not the name: government sites serve web pages named .doc, and people
// rename files to get them past upload forms. name only sharpens an error
// message.
func File(name string, data []byte) ([]Block, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return decodeOLE(name, data)
	}
	if err := refuseBinary(name, data); err != nil {
		return nil, err
	}
	switch {
	case isZip(data):
		return decodeZip(name, data)
	case isPDF(data):
		return decodePDF(data)
	}
	s, err := toUTF8(data, declaredCharset(data))
	if err != nil {
		return nil, err
	}
	switch {
	case looksHTML(s):
		return decodeHTML(s)
	case looksMHT(s):
		return nil, duban.Errorf(duban.EINVALID, "这是“单个文件网页”（.mht）格式：请在浏览器或 Word 中打开，另存为 .html 或 .docx 后再导入。")
	}
	return decodeText(unwrapLines(splitLines(s))), nil
}

// textLines decodes text bytes in any of the encodings notices come in and
// returns its lines, page furniture removed and hard wraps joined, ready for
// decodeText.
func textLines(data []byte) ([]srcLine, error) {
	s, err := toUTF8(data, "")
	if err != nil {
		return nil, err
	}
	return unwrapLines(splitLines(s)), nil
}

// splitLines splits text with "\n" line ends into numbered lines.
func splitLines(s string) []srcLine {
	parts := strings.Split(s, "\n")
	out := make([]srcLine, len(parts))
	for i, l := range parts {
		out[i] = srcLine{text: l, no: i + 1}
	}
	return out
}

func isZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) ||
		bytes.HasPrefix(data, []byte("PK\x07\x08"))
}

// isPDF looks for the PDF header where readers accept it: in the first
// kilobyte, after whatever a mail gateway or a web server put in front.
func isPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("%PDF-"))
}

// Signatures of files that are certainly not notices in a format we read.
var (
	oleMagic   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	imageMagic = [][]byte{
		{0x89, 'P', 'N', 'G'}, {0xFF, 0xD8, 0xFF}, []byte("GIF87a"), []byte("GIF89a"),
		[]byte("II*\x00"), []byte("MM\x00*"), {0x00, 0x00, 0x01, 0x00},
	}
	archiveMagic = [][]byte{
		[]byte("Rar!\x1a\x07"), []byte("7z\xBC\xAF\x27\x1C"), {0x1F, 0x8B}, []byte("BZh"),
		{0xFD, '7', 'z', 'X', 'Z', 0x00},
	}
)

// refuseBinary recognises the binary files people upload by mistake and
// says what to do with each.
func refuseBinary(name string, data []byte) error {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case hasAnyPrefix(data, imageMagic) || isRIFFImage(data) || isISOImage(data) ||
		(bytes.HasPrefix(data, []byte("BM")) && len(data) > 14 && (ext == ".bmp" || bytes.Equal(data[6:10], []byte{0, 0, 0, 0}))):
		return duban.Errorf(duban.EINVALID, "这是一张图片，不是文字：duban 读取通知中的文字。请上传通知的 Word、Excel 任务表、PDF、网页或文本文件；如果只有扫描件或照片，需要先做文字识别（OCR）。")
	case hasAnyPrefix(data, archiveMagic):
		return duban.Errorf(duban.EINVALID, "这是一个压缩包（RAR、7z 或 gzip 等），不是通知文件：请解压后选择其中的通知文件（.docx、.xlsx、.pdf、.html 或 .txt）导入。")
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return duban.Errorf(duban.EINVALID, "这是 RTF 格式的文档：请在 Word 或 WPS 中另存为 .docx 后再导入。")
	case bytes.HasPrefix(data, []byte("\x7fELF")) || bytes.HasPrefix(data, []byte("MZ")) && bytes.Contains(data[:min(len(data), 512)], []byte("This program")):
		return duban.Errorf(duban.EINVALID, msgBinary)
	}
	return nil
}

func hasAnyPrefix(data []byte, prefixes [][]byte) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(data, p) {
			return true
		}
	}
	return false
}

func isRIFFImage(data []byte) bool {
	return len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP"
}

// isISOImage recognises HEIC and AVIF, the photo formats of phones.
func isISOImage(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	switch string(data[8:12]) {
	case "heic", "heix", "hevc", "mif1", "msf1", "avif":
		return true
	}
	return false
}

// decodeOLE reads a file in the old Office container (OLE2 compound file):
// a Word 97 document or a WPS 文字 file (which WPS writes in the same
// format), or an Excel 97 workbook, through LibreOffice; and explains the
// others, among them a password-protected .docx, which Office stores in the
// same container. The stream names inside tell which it is; the name's
// extension decides only when they do not.
func decodeOLE(name string, data []byte) ([]Block, error) {
	ext := strings.ToLower(filepath.Ext(name))
	has := func(stream string) bool {
		u := make([]byte, 0, 2*len(stream))
		for i := 0; i < len(stream); i++ {
			u = append(u, stream[i], 0)
		}
		return bytes.Contains(data, u)
	}
	switch {
	case has("EncryptedPackage"):
		return nil, duban.Errorf(duban.EINVALID, "这个 Office 文件设有打开密码，无法读取：请在 Word 或 WPS 中取消密码，另存为 .docx 后再导入。")
	case has("WordDocument"):
		return convertOLE(data, ".doc", soffice.Docx, docx.Decode)
	case has("Workbook") || has("Book"):
		return convertOLE(data, ".xls", soffice.Xlsx, xlsx.Decode)
	case has("PowerPoint Document"):
		return nil, duban.Errorf(duban.EINVALID, "这是 PowerPoint 演示文稿，不是通知文件：请上传通知的 Word、PDF、网页或文本文件。")
	case ext == ".doc" || ext == ".wps" || ext == ".dot" || ext == ".wpt":
		return convertOLE(data, ext, soffice.Docx, docx.Decode)
	case ext == ".xls" || ext == ".et" || ext == ".xlt":
		return convertOLE(data, ".xls", soffice.Xlsx, xlsx.Decode)
	}
	return nil, duban.Errorf(duban.EINVALID, "这是旧版 Office 文件，但看不出是 Word 文档还是 Excel 表格：请在 Word、WPS 或 Excel 中另存为 .docx 或 .xlsx 后再导入。")
}

// convertOLE converts an old Office file with LibreOffice and reads the
// result.
func convertOLE(data []byte, ext string, to soffice.Target, read func([]byte) ([]block.Block, error)) ([]Block, error) {
	converted, err := soffice.Convert(data, ext, to)
	if err != nil {
		return nil, err
	}
	return read(converted)
}

var (
	metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)`)
	xmlEncodingRe = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_\-:.]+)`)
)

// declaredCharset returns the charset that an HTML document declares in its
// first kilobytes (<meta charset>, http-equiv, or an XML declaration), or "".
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 4096)]
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if m := xmlEncodingRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

var (
	htmlStartRe = regexp.MustCompile(`(?is)^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])`)
	firstTagRe  = regexp.MustCompile(`(?s)^(?:<!--.*?-->\s*)*<([a-zA-Z][a-zA-Z0-9]*)[\s/>]`)
	htmlTags    = map[string]bool{
		"html": true, "head": true, "body": true, "meta": true, "title": true, "link": true,
		"script": true, "style": true, "div": true, "p": true, "table": true, "span": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "center": true,
		"font": true, "br": true, "section": true, "article": true, "ul": true, "ol": true,
	}
)

// looksHTML reports whether text is a web page: it opens (after a byte order
// mark and white space) with a doctype or <html>, or its first tag is one
// that only HTML uses.
func looksHTML(s string) bool {
	s = strings.TrimLeftFunc(strings.TrimPrefix(s, "\uFEFF"), unicode.IsSpace)
	if !strings.HasPrefix(s, "<") {
		return false
	}
	head := s[:min(len(s), 2048)]
	if htmlStartRe.MatchString(head) {
		return true
	}
	m := firstTagRe.FindStringSubmatch(head)
	return m != nil && htmlTags[strings.ToLower(m[1])]
}

// looksMHT recognises a web page saved by Internet Explorer or Word as a
// single MIME file, which government sites also offer as "Word 版".
func looksMHT(s string) bool {
	head := strings.ToLower(s[:min(len(s), 2048)])
	return strings.HasPrefix(strings.TrimSpace(head), "mime-version:") ||
		strings.Contains(head, "content-type: multipart/related")
}

// decodeZip reads a ZIP file: a Word document, an Excel workbook, or an
// error saying what else it is.
func decodeZip(name string, data []byte) ([]Block, error) {
	var f ooxml.Format
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx", ".docm", ".dotx":
		f = ooxml.Word
	case ".xlsx", ".xlsm", ".xltx":
		f = ooxml.Excel
	}
	pkg, err := ooxml.Open(data, f)
	if err != nil {
		return nil, err
	}
	blocks, err := docx.Read(pkg)
	if !errors.Is(err, docx.ErrNoDocument) {
		return blocks, err
	}
	if pkg.Part("xl/workbook.xml") != nil {
		return xlsx.Read(pkg, data)
	}
	return nil, otherZipError(pkg)
}

// otherZipError names what a ZIP without a Word document or a workbook is.
func otherZipError(pkg *ooxml.Package) error {
	has := func(n string) bool { return pkg.Part(n) != nil }
	mimetype := ""
	if f := pkg.Part("mimetype"); f != nil && f.UncompressedSize64 < 200 {
		if rc, err := f.Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 200))
			rc.Close()
			mimetype = string(b)
		}
	}
	switch {
	case has("ppt/presentation.xml"):
		return duban.Errorf(duban.EINVALID, "这是 PowerPoint 演示文稿（.pptx），不是通知文件：请上传通知的 Word、PDF、网页或文本文件。")
	case strings.HasPrefix(mimetype, "application/vnd.oasis.opendocument.text"):
		return duban.Errorf(duban.EINVALID, "这是 OpenDocument 文档（.odt）：请在 WPS 或 LibreOffice 中另存为 .docx 后再导入。")
	case strings.HasPrefix(mimetype, "application/vnd.oasis.opendocument"):
		return duban.Errorf(duban.EINVALID, "这是 OpenDocument 表格或演示文稿，不是通知文件：请上传通知的 Word、PDF、网页或文本文件。")
	case has("ofd.xml"):
		return duban.Errorf(duban.EINVALID, "这是 OFD 版式文件：请在 OFD 阅读器中将其另存为 PDF 或 Word 后再导入。")
	}
	return duban.Errorf(duban.EINVALID, "这是一个 ZIP 压缩包，不是通知文件：请解压后选择其中的通知文件（.docx、.xlsx、.pdf、.html 或 .txt）导入。")
}
