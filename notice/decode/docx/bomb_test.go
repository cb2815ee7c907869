package docx

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// randomWord returns n letters drawn from rng, which compress about as
// well as real markup does.
func randomWord(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}

// TestBombs checks that documents built to exhaust the reader are refused
// with a message saying what was too large, allocating a bounded amount
// (not in proportion to what the document would inflate to).
func TestBombs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	document := func(body func(b *strings.Builder)) [2]string {
		var b strings.Builder
		b.WriteString(`<w:document ` + wordNS + `><w:body>`)
		body(&b)
		b.WriteString(`</w:body></w:document>`)
		return [2]string{"word/document.xml", b.String()}
	}
	styles := func() string {
		var b strings.Builder
		b.WriteString(`<w:styles ` + wordNS + `>`)
		for b.Len() < 3900<<10 {
			fmt.Fprintf(&b, `<w:style w:styleId="%s"><w:name w:val="%s"/></w:style>`, randomWord(rng, 8), randomWord(rng, 12))
		}
		b.WriteString(`</w:styles>`)
		return b.String()
	}
	tests := []struct {
		name  string
		build func() []byte
		want  string
		bound uint64 // bytes the refusal may allocate
		heavy bool   // tens of megabytes to build and read
	}{
		{"60 MB of runs in 8 MB", func() []byte { return decodetest.DocxBomb(t, 60<<20) }, "word/document.xml 解压后 60 MB，上限 20 MB", 1 << 20, true},
		{"9 MB of text", func() []byte {
			hanzi := []rune("经济发展社会民生城市建设产业升级")
			return decodetest.Zip(t, document(func(b *strings.Builder) {
				for b.Len() < 10<<20 {
					b.WriteString("<w:p><w:r><w:t>")
					for range 300 {
						b.WriteRune(hanzi[rng.IntN(len(hanzi))])
					}
					b.WriteString("</w:t></w:r></w:p>")
				}
			}))
		}, "正文文字超过 8 MB", 0, true},
		{"millions of elements", func() []byte {
			return decodetest.Zip(t, document(func(b *strings.Builder) {
				for b.Len() < 8<<20 {
					// Elements of another namespace, which the reader skips
					// but must still decode: some six bytes each.
					fmt.Fprintf(b, "<%s/>", randomWord(rng, 2))
				}
			}))
		}, "XML 元素超过 1000000 个", 0, true},
		{"cells spanning many columns", func() []byte {
			return decodetest.Zip(t, document(func(b *strings.Builder) {
				b.WriteString("<w:tbl><w:tr>")
				for range 4000 {
					b.WriteString(`<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr></w:tc>`)
				}
				b.WriteString("</w:tr></w:tbl>")
			}))
		}, "超过 100000 个", 0, false},
		{"parts together", func() []byte {
			st := styles()
			return decodetest.Zip(t, [2]string{"word/styles.xml", st},
				[2]string{"word/numbering.xml", strings.Replace(st, "w:styles", "w:numbering", 2)},
				document(func(b *strings.Builder) {
					for b.Len() < 19<<20 {
						fmt.Fprintf(b, `<w:p w:rsidR="%s"/>`, randomWord(rng, 8))
					}
				}))
		}, "合计超过 24 MB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.heavy && decodetest.Race {
				t.Skip("tens of megabytes: run without the race detector")
			}
			data := tt.build()
			var err error
			allocated := decodetest.Allocated(func() { _, err = Decode(data) })
			var de *duban.Error
			if !errors.As(err, &de) || de.Code != duban.EINVALID || !strings.Contains(de.Message, tt.want) {
				t.Fatalf("error = %v, want invalid with %q", err, tt.want)
			}
			if !strings.Contains(de.Message, "另存为新的 .docx") {
				t.Errorf("message %q does not say what to do", de.Message)
			}
			// Whatever a bomb holds, reading stops at the limits: what is
			// allocated is bounded by them (encoding/xml allocates some
			// fifteen bytes a byte of XML), not by the bomb.
			bound := tt.bound
			if bound == 0 {
				bound = 20 * maxXML
			}
			if allocated > bound {
				t.Errorf("refusing it allocated %d MB, want at most %d MB", allocated>>20, bound>>20)
			}
			t.Logf("%d KB file refused, %d MB allocated", len(data)>>10, allocated>>20)
		})
	}
}

// TestMemoryLinear checks that reading twice the document allocates about
// twice the bytes.
func TestMemoryLinear(t *testing.T) {
	decodetest.Linear(t, "reading a .docx", func(n int) {
		var b strings.Builder
		for i := range n {
			b.WriteString(p(rb(fmt.Sprintf("加快第%d项建设。", i)) + r("坚持把用足政策作为第一保障，先干一步、快人一拍。（牵头单位：区财政局）")))
		}
		if _, err := Decode(decodetest.Docx(t, b.String())); err != nil {
			t.Fatal(err)
		}
	}, 2000)
}

// BenchmarkBomb reads a .docx of 8 MB whose document.xml inflates to 60 MB
// of short runs.
func BenchmarkBomb(b *testing.B) {
	data := decodetest.DocxBomb(b, 60<<20)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err == nil {
			b.Fatal("the bomb was read")
		}
	}
}
