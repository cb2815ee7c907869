package docx

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/docx/docxtest"
)

// The conversion and poppler's tools are docxtest's.
var (
	toPDF   = docxtest.ToPDF
	pdfInfo = docxtest.Info
)

func run(t *testing.T, name, pkg string, args ...string) string {
	return docxtest.Run(t, name, pkg, args...)
}

// word is one word of pdftotext -bbox: its page, box and text.
type word struct {
	page             int
	xMin, yMin, xMax float64
	text             string
}

func pdfWords(t *testing.T, pdf string) []word {
	t.Helper()
	out := run(t, "pdftotext", "poppler-utils", "-bbox", pdf, "-")
	d := xml.NewDecoder(strings.NewReader(out))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var words []word
	page := 0
	var cur *word
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "page":
				page++
			case "word":
				w := word{page: page}
				for _, a := range tok.Attr {
					v, _ := strconv.ParseFloat(a.Value, 64)
					switch a.Name.Local {
					case "xMin":
						w.xMin = v
					case "yMin":
						w.yMin = v
					case "xMax":
						w.xMax = v
					}
				}
				cur = &w
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "word" && cur != nil {
				words = append(words, *cur)
				cur = nil
			}
		}
	}
	return words
}

const mmPt = 72 / 25.4

// gridDocument has one short paragraph a line, so that where each line and
// page falls does not depend on the fonts a machine substitutes: the title,
// 50 paragraphs, a blank line, the office and the date make 54 lines (53
// with text), three pages of 22 lines at most.
func gridDocument() *Document {
	d := &Document{Title: "网格检查", Signature: "督查室", Date: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	for i := range 50 {
		d.Body = append(d.Body, Paragraph{Text: fmt.Sprintf("第%d段", i+1)})
	}
	return d
}

// TestPDFLayout converts a document with LibreOffice and checks the PDF: A4,
// three pages of at most 22 lines, the text block's left edge 28 mm from
// the paper's on odd pages (the binding side) and 26 mm on even ones, and
// the page numbers "— n —" at the right of odd pages and the left of even
// ones.
func TestPDFLayout(t *testing.T) {
	pdf := toPDF(t, mustBytes(t, gridDocument()))
	pages, w, h := pdfInfo(t, pdf)
	if pages != 3 {
		t.Errorf("%d pages, want 3 (54 lines at 22 a page)", pages)
	}
	if w < 594 || w > 596.5 || h < 841 || h > 843 {
		t.Errorf("page size %.1f × %.1f pt, want A4 (595.3 × 841.9)", w, h)
	}
	words := pdfWords(t, pdf)
	footerTop := h - 35*mmPt // the text block ends 35 mm above the paper's bottom
	lines := map[int]map[int]bool{}
	left := map[int]float64{}
	numbers := map[int][]word{}
	for _, wd := range words {
		if wd.yMin > footerTop {
			numbers[wd.page] = append(numbers[wd.page], wd)
			continue
		}
		if lines[wd.page] == nil {
			lines[wd.page], left[wd.page] = map[int]bool{}, wd.xMin
		}
		lines[wd.page][int(wd.yMin+0.5)] = true
		left[wd.page] = min(left[wd.page], wd.xMin)
	}
	if n := len(lines[2]); n != 22 {
		t.Errorf("page 2 has %d lines, want 22", n)
	}
	if got := len(lines[1]) + len(lines[2]) + len(lines[3]); got != 53 {
		t.Errorf("%d lines of text in all, want 53", got)
	}
	// Page 2's first paragraph follows page 1's last: 21 body lines on page 1.
	for _, wd := range words {
		if wd.page == 2 && strings.HasPrefix(wd.text, "第") {
			if !strings.HasPrefix(wd.text, "第22") {
				t.Errorf("page 2 begins with %q, want 第22段", wd.text)
			}
			break
		}
	}
	// Every line of pages 2 and 3 is a paragraph indented two characters
	// (two grid cells of 15.8 pt) from the text block's edge.
	if got := (left[2] - 2*15.8) / mmPt; got < 25 || got > 27 {
		t.Errorf("page 2 (even) text block starts %.1f mm from the left, want 26 (the outer side)", got)
	}
	if got := (left[3] - 2*15.8) / mmPt; got < 27 || got > 29 {
		t.Errorf("page 3 (odd) text block starts %.1f mm from the left, want 28 (the binding side)", got)
	}
	for page := 1; page <= 3; page++ {
		ws := numbers[page]
		var text string
		xMin, xMax := w, 0.0
		for _, wd := range ws {
			text += wd.text
			xMin, xMax = min(xMin, wd.xMin), max(xMax, wd.xMax)
		}
		if want := fmt.Sprintf("—%d—", page); strings.ReplaceAll(text, " ", "") != want {
			t.Errorf("page %d footer reads %q, want %s", page, text, want)
			continue
		}
		if page%2 == 1 && xMin < w/2 {
			t.Errorf("page %d: number at %.0f pt, want the right half", page, xMin)
		}
		if page%2 == 0 && xMax > w/2 {
			t.Errorf("page %d: number ends at %.0f pt, want the left half", page, xMax)
		}
	}
}

// TestPDFText converts the sample bulletin and checks that its text reads
// back whole and in order: every heading, paragraph and cell, the office
// and the date, and a page number on each page.
func TestPDFText(t *testing.T) {
	d := sampleDocument()
	pdf := toPDF(t, mustBytes(t, d))
	pages, _, _ := pdfInfo(t, pdf)
	text := run(t, "pdftotext", "poppler-utils", pdf, "-")
	// pdftotext breaks lines and spaces characters as they were laid out.
	flat := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\f' || r == '\u3000' {
			return -1
		}
		return r
	}, text)
	for p := 1; p <= pages; p++ {
		if !strings.Contains(flat, fmt.Sprintf("—%d—", p)) {
			t.Errorf("no page number — %d — in the PDF", p)
		}
	}
	// A paragraph running over a page has the page number inside its text.
	flat = regexp.MustCompile(`—\d+—`).ReplaceAllString(flat, "")
	// Paragraphs must come in order; table cells, which pdftotext may read
	// across a row or down a column, anywhere.
	styles, texts := paragraphs(t, unzip(t, mustBytes(t, d))["word/document.xml"])
	at := 0
	for i, s := range texts {
		s = strings.NewReplacer(" ", "", "\n", "").Replace(s)
		if s == "" {
			continue
		}
		if strings.HasPrefix(styles[i], "Table") {
			if !strings.Contains(flat, s) {
				t.Errorf("the PDF lacks the cell %q", s)
			}
			continue
		}
		j := strings.Index(flat[at:], s)
		if j < 0 {
			t.Errorf("the PDF lacks %q after the text before it", s)
			continue
		}
		at += j + len(s)
	}
	if pages < 2 {
		t.Errorf("the sample bulletin has %d page(s), want several (its table runs over a page)", pages)
	}
}
