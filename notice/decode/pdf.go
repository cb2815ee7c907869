package decode

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
)

// A PDF is read through its text layer, as poppler's pdftotext prints it,
// and then as text: the same decoding, page-furniture removal and unwrapping
// as a text file. pdftotext runs with -layout: it keeps each line's
// indentation, and in a Chinese notice the two-character indent is what
// marks a new paragraph — without it, a heading that fills its line
// (（一）…新格局。) runs into the paragraph below. -nodiag drops diagonal
// watermarks.

// Limits on running pdftotext. A real notice of a hundred pages converts in
// well under a second, so the timeout bounds what a hostile file can cost,
// waiting for a slot included.
const (
	pdfTimeout    = 20 * time.Second
	maxPDFText    = 32 << 20
	maxPDFStderr  = 64 << 10
	pdfTextBinary = "pdftotext"
	maxXMLDepth   = 256 // of pdftohtml's XML
)

const (
	msgNoPdftotext = "读取 PDF 需要 pdftotext：请安装 poppler-utils（sudo apt-get install poppler-utils）"
	msgPDFDamaged  = "PDF 文件已损坏或无法读取：请重新导出 PDF，或改用通知的 Word（.docx）版本。"
	msgPDFPassword = "PDF 文件设有密码，无法读取：请去除密码后重新导出，或改用通知的 Word（.docx）版本。"
	msgPDFScanned  = "这个 PDF 没有文字层（可能是扫描件或图片）：需要先做文字识别（OCR），或改用通知的 Word、网页或文本版本。"
	msgPDFGarbled  = "这个 PDF 的文字层无法正确提取（字体缺少编码信息）：请改用通知的 Word 版本，或对 PDF 做文字识别（OCR）后再导入。"
	msgPDFTimeout  = "读取 PDF 超时（超过 20 秒）：文件可能过大或已损坏，请改用通知的 Word（.docx）版本。"
	msgPDFTooLarge = "PDF 中的文字过多（超过 32 MB），不像是一份任务分解通知：请检查文件。"
)

// pdfSlots bounds how many PDFs are converted at once, so that a burst of
// uploads cannot take every core from the server's other work.
var pdfSlots = make(chan struct{}, 2)

// decodePDF reads a PDF's text layer into blocks.
func decodePDF(data []byte) ([]Block, error) {
	bin, err := exec.LookPath(pdfTextBinary)
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: msgNoPdftotext, Err: err}
	}
	// A file, not standard input: older poppler releases cannot read a PDF
	// from a pipe.
	f, err := os.CreateTemp("", "duban-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	select {
	case pdfSlots <- struct{}{}:
		defer func() { <-pdfSlots }()
	case <-ctx.Done():
		return nil, &duban.Error{Code: duban.EINVALID, Message: msgPDFTimeout, Err: ctx.Err()}
	}
	text, err := pdfText(ctx, bin, f.Name())
	if err != nil {
		return nil, err
	}
	lines, err := textLines(text)
	if err != nil {
		return nil, err
	}
	blocks := decodeText(lines)
	if hints := pdfBoldText(ctx, f.Name()); hints != nil {
		hints.mark(blocks)
	}
	return blocks, nil
}

// pdfText runs pdftotext on the PDF at path and returns its text, pages
// separated by form feeds.
func pdfText(ctx context.Context, bin, path string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-layout", "-nodiag", "-enc", "UTF-8", "-eol", "unix", path, "-")
	stdout := &boundedBuffer{limit: maxPDFText, full: cancel}
	stderr := &boundedBuffer{limit: maxPDFStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	switch {
	case stdout.over:
		return nil, duban.Errorf(duban.EINVALID, msgPDFTooLarge)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, &duban.Error{Code: duban.EINVALID, Message: msgPDFTimeout, Err: ctx.Err()}
	case err != nil:
		msg := msgPDFDamaged
		if strings.Contains(strings.ToLower(stderr.String()), "password") {
			msg = msgPDFPassword
		}
		return nil, &duban.Error{Code: duban.EINVALID, Message: msg, Err: errors.New(strings.TrimSpace(err.Error() + ": " + stderr.String()))}
	}
	out := stdout.Bytes()
	if err := checkTextLayer(out); err != nil {
		return nil, err
	}
	return out, nil
}

// pdfBold is the PDF's text without white space, with which bytes are set
// in a bold font.
type pdfBold struct {
	text string
	bold []bool // per byte of text
}

// pdfBoldText asks poppler's pdftohtml which text is set in bold, since
// pdftotext does not say and bold is how many notices mark their focus
// headings (加快放大政策集成强效应。). It returns nil when pdftohtml is
// missing or fails: bold is a help, not a need.
func pdfBoldText(ctx context.Context, path string) *pdfBold {
	bin, err := exec.LookPath("pdftohtml")
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-xml", "-i", "-q", "-nodrm", "-stdout", "-enc", "UTF-8", path)
	stdout := &boundedBuffer{limit: 2 * maxPDFText, full: cancel}
	cmd.Stdout = stdout
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil || stdout.over {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(stdout.Bytes()))
	d.Strict = false
	var b strings.Builder
	var flags []bool
	depth, boldDepth, skipDepth := 0, 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxXMLDepth {
				return nil
			}
			switch {
			case skipDepth > 0:
			case t.Name.Local == "outline":
				skipDepth = depth
			case t.Name.Local == "b" && boldDepth == 0:
				boldDepth = depth
			}
		case xml.EndElement:
			if depth == skipDepth {
				skipDepth = 0
			}
			if depth == boldDepth {
				boldDepth = 0
			}
			depth--
		case xml.CharData:
			if skipDepth > 0 {
				continue
			}
			for _, r := range string(t) {
				if unicode.IsSpace(r) {
					continue
				}
				n, _ := b.WriteRune(r)
				for i := 0; i < n; i++ {
					flags = append(flags, boldDepth > 0)
				}
			}
		}
	}
	return &pdfBold{text: b.String(), bold: flags}
}

// mark sets the bold opening of the paragraphs that start in bold. Each
// paragraph is found in the bold map by its first characters, searching
// forward from the previous paragraph, so that repeated phrases match in
// order.
func (pb *pdfBold) mark(blocks []Block) {
	// The two tools read the same layer in the same order, so a paragraph
	// is found a little ahead of the last; after many misses in a row the
	// orders differ and searching on is only cost.
	const keyRunes, window, maxMisses = 12, 8 << 10, 50
	cursor, misses := 0, 0
	for i := range blocks {
		if misses > maxMisses {
			return
		}
		b := &blocks[i]
		if b.Kind != Para || b.Bold > 0 {
			continue
		}
		dense := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, b.Text)
		key := dense
		if utf8.RuneCountInString(key) < 2 {
			continue
		}
		for j, c := 0, 0; j < len(dense); j += utf8.RuneLen(block.FirstRune(dense[j:])) {
			if c == keyRunes {
				key = dense[:j]
				break
			}
			c++
		}
		end := min(len(pb.text), cursor+window)
		k := strings.Index(pb.text[cursor:end], key)
		if k < 0 {
			misses++
			continue
		}
		k += cursor
		misses = 0
		cursor = k
		// Count the bold bytes of dense from k on.
		n := 0
		for n < len(dense) && k+n < len(pb.bold) && pb.bold[k+n] && pb.text[k+n] == dense[n] {
			n++
		}
		for n > 0 && n < len(dense) && !utf8.RuneStart(dense[n]) {
			n-- // never split a character
		}
		if n == 0 {
			continue
		}
		b.Bold = denseOffset(b.Text, n)
	}
}

// denseOffset maps a byte count in s without white space to the byte
// offset in s that covers it.
func denseOffset(s string, n int) int {
	seen := 0
	for i := 0; i < len(s); {
		if seen >= n {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			seen += size
		}
		i += size
	}
	return len(s)
}

// checkTextLayer tells a scanned PDF (pages of images, next to no text) and
// one whose fonts lack a Unicode map (text comes out as symbols) from a PDF
// we can read.
func checkTextLayer(out []byte) error {
	pages := max(1, bytes.Count(out, []byte("\f")))
	var visible, readable int
	for _, r := range string(out) {
		if unicode.IsSpace(r) {
			continue
		}
		visible++
		if unicode.Is(unicode.Han, r) || (r < 0x7F && unicode.IsPrint(r)) ||
			(r >= 0x2000 && r <= 0x206F) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) {
			readable++
		}
	}
	switch {
	case visible < 20*pages:
		return duban.Errorf(duban.EINVALID, msgPDFScanned)
	case readable*2 < visible:
		return duban.Errorf(duban.EINVALID, msgPDFGarbled)
	}
	return nil
}

// boundedBuffer collects a command's output up to limit bytes. Past that it
// calls full (to stop the command) and drops the rest.
type boundedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
	full  func()
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.over {
		return len(p), nil
	}
	if b.Len()+len(p) > b.limit {
		b.over = true
		if b.full != nil {
			b.full()
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
