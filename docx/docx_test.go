package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.document.xml")

// node is an XML element read back from a part, for checking what was
// written.
type node struct {
	name     string // local name
	attr     map[string]string
	children []*node
	text     strings.Builder
}

// parse reads an XML part into a tree, failing the test if it is not
// well-formed.
func parse(t testing.TB, name string, data []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text.Write(tok)
		}
	}
	if len(root.children) != 1 {
		t.Fatalf("%s has %d root elements", name, len(root.children))
	}
	return root.children[0]
}

// all returns the elements named name at any depth under n, in order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// one returns the only element at the path of names under n.
func (n *node) one(t testing.TB, path ...string) *node {
	t.Helper()
	cur := n
	for _, p := range path {
		var found *node
		for _, c := range cur.children {
			if c.name == p {
				found = c
				break
			}
		}
		if found == nil {
			t.Fatalf("no %s under %s (path %v)", p, cur.name, path)
		}
		cur = found
	}
	return cur
}

// texts returns the text of the w:t elements under n, joined.
func (n *node) texts() string {
	var b strings.Builder
	for _, c := range n.children {
		if c.name == "t" {
			b.WriteString(c.text.String())
		}
		b.WriteString(c.texts())
	}
	return b.String()
}

func (n *node) atoi(t testing.TB, attr string) int {
	t.Helper()
	v, err := strconv.Atoi(n.attr[attr])
	if err != nil {
		t.Fatalf("%s@%s = %q: %v", n.name, attr, n.attr[attr], err)
	}
	return v
}

// unzip returns the parts of a .docx by name.
func unzip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

func mustBytes(t testing.TB, d *Document) []byte {
	t.Helper()
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPartsParse checks that every part is well-formed XML, that the
// content types name each part and that every relationship points at a
// part that is there.
func TestPartsParse(t *testing.T) {
	parts := unzip(t, mustBytes(t, sampleDocument()))
	trees := map[string]*node{}
	for name, data := range parts {
		trees[name] = parse(t, name, data)
	}
	overrides := map[string]bool{}
	for _, o := range trees["[Content_Types].xml"].all("Override") {
		overrides[strings.TrimPrefix(o.attr["PartName"], "/")] = true
	}
	for name := range parts {
		if !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" && !overrides[name] {
			t.Errorf("part %s has no content type", name)
		}
	}
	for rels, dir := range map[string]string{"_rels/.rels": "", "word/_rels/document.xml.rels": "word/"} {
		for _, r := range trees[rels].all("Relationship") {
			if _, ok := parts[dir+r.attr["Target"]]; !ok {
				t.Errorf("%s points at %s, which is missing", rels, r.attr["Target"])
			}
		}
	}
}

// TestPageLayout reads the section back and checks it against GB/T
// 9704-2012: A4, the margins, the text block, the grid of 22 lines of 28
// characters, mirrored margins and different footers on odd and even pages.
func TestPageLayout(t *testing.T) {
	parts := unzip(t, mustBytes(t, sampleDocument()))
	doc := parse(t, "document.xml", parts["word/document.xml"])
	sect := doc.one(t, "body", "sectPr")

	const twipsPerMM = 1440 / 25.4
	mm := func(twips int) float64 { return float64(twips) / twipsPerMM }
	near := func(what string, got, want float64) {
		t.Helper()
		if got < want-0.5 || got > want+0.5 {
			t.Errorf("%s = %.1f mm, want %.0f mm", what, got, want)
		}
	}
	pg := sect.one(t, "pgSz")
	w, h := pg.atoi(t, "w"), pg.atoi(t, "h")
	near("page width", mm(w), 210)
	near("page height", mm(h), 297)
	mar := sect.one(t, "pgMar")
	for attr, want := range map[string]int{"top": 2098, "bottom": 1984, "left": 1587, "right": 1474, "gutter": 0} {
		if got := mar.atoi(t, attr); got != want {
			t.Errorf("pgMar %s = %d, want %d", attr, got, want)
		}
	}
	near("top margin", mm(mar.atoi(t, "top")), 37)
	near("binding side", mm(mar.atoi(t, "left")), 28)
	blockW, blockH := w-mar.atoi(t, "left")-mar.atoi(t, "right"), h-mar.atoi(t, "top")-mar.atoi(t, "bottom")
	near("text block width", mm(blockW), 156)
	near("text block height", mm(blockH), 225)

	grid := sect.one(t, "docGrid")
	if got := grid.attr["type"]; got != "linesAndChars" {
		t.Errorf("docGrid type = %q, want linesAndChars", got)
	}
	pitch := grid.atoi(t, "linePitch")
	if pitch != 579 || blockH/pitch != 22 {
		t.Errorf("linePitch %d gives %d lines a page, want 579 and 22", pitch, blockH/pitch)
	}
	// The character pitch is the default size (16 pt) plus charSpace/4096 pt.
	styles := parse(t, "styles.xml", parts["word/styles.xml"])
	defaults := styles.one(t, "docDefaults", "rPrDefault", "rPr")
	size := float64(defaults.one(t, "sz").atoi(t, "val")) / 2
	charPitch := (size + float64(grid.atoi(t, "charSpace"))/4096) * 20
	if n := int(float64(blockW) / charPitch); n != 28 {
		t.Errorf("character pitch %.1f twips gives %d characters a line, want 28", charPitch, n)
	}
	if size != 16 {
		t.Errorf("body size %.0f pt, want 16 (三号)", size)
	}

	settings := parse(t, "settings.xml", parts["word/settings.xml"])
	settings.one(t, "evenAndOddHeaders")
	settings.one(t, "mirrorMargins")

	rels := map[string]string{}
	for _, r := range parse(t, "rels", parts["word/_rels/document.xml.rels"]).all("Relationship") {
		rels[r.attr["Id"]] = "word/" + r.attr["Target"]
	}
	footers := map[string]*node{}
	for _, ref := range sect.all("footerReference") {
		footers[ref.attr["type"]] = parse(t, "footer", parts[rels[ref.attr["id"]]])
	}
	for kind, want := range map[string]string{"default": "right", "even": "left"} {
		f, ok := footers[kind]
		if !ok {
			t.Fatalf("no %s footer", kind)
		}
		p := f.one(t, "p")
		if got := p.one(t, "pPr", "jc").attr["val"]; got != want {
			t.Errorf("%s footer aligned %s, want %s", kind, got, want)
		}
		if got := p.texts(); got != "— 1 —" {
			t.Errorf("%s footer reads %q, want — 1 —", kind, got)
		}
		if instr := p.all("instrText"); len(instr) != 1 || strings.TrimSpace(instr[0].text.String()) != "PAGE" {
			t.Errorf("%s footer has no PAGE field", kind)
		}
	}
}

// styleByID returns a style of styles.xml.
func styleByID(t testing.TB, styles *node, id string) *node {
	t.Helper()
	for _, s := range styles.all("style") {
		if s.attr["styleId"] == id {
			return s
		}
	}
	t.Fatalf("no style %s", id)
	return nil
}

// TestFonts checks each kind of text's font and size, and that every font
// named has its fallback in the font table.
func TestFonts(t *testing.T) {
	parts := unzip(t, mustBytes(t, sampleDocument()))
	styles := parse(t, "styles.xml", parts["word/styles.xml"])
	if got := styles.one(t, "docDefaults", "rPrDefault", "rPr", "rFonts").attr["eastAsia"]; got != "仿宋_GB2312" {
		t.Errorf("body font %q, want 仿宋_GB2312", got)
	}
	for _, c := range []struct {
		style, font string
		size        int // half-points; 0 for the body's
	}{
		{"Title", "方正小标宋简体", 44},
		{"Letterhead", "方正小标宋简体", 72},
		{"Heading1", "黑体", 0},
		{"Heading2", "楷体_GB2312", 0},
		{"Footer", "宋体", 28},
		{"TableHeader", "黑体", 24},
	} {
		rPr := styleByID(t, styles, c.style).one(t, "rPr")
		if got := rPr.one(t, "rFonts").attr["eastAsia"]; got != c.font {
			t.Errorf("%s font %q, want %q", c.style, got, c.font)
		}
		if c.size != 0 {
			if got := rPr.one(t, "sz").atoi(t, "val"); got != c.size {
				t.Errorf("%s size %d half-points, want %d", c.style, got, c.size)
			}
		}
	}
	if got := styleByID(t, styles, "Body").one(t, "pPr", "ind").attr["firstLineChars"]; got != "200" {
		t.Errorf("body first-line indent %s hundredths of a character, want 200", got)
	}
	fonts := map[string]string{}
	for _, f := range parse(t, "fontTable.xml", parts["word/fontTable.xml"]).all("font") {
		alt := ""
		for _, c := range f.children {
			if c.name == "altName" {
				alt = c.attr["val"]
			}
		}
		fonts[f.attr["name"]] = alt
	}
	for name, alt := range map[string]string{"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "华文中宋", "黑体": "SimHei", "宋体": "SimSun"} {
		if got, ok := fonts[name]; !ok || got != alt {
			t.Errorf("font table: %s falls back to %q, want %q", name, got, alt)
		}
	}
	for _, rf := range styles.all("rFonts") {
		if ea := rf.attr["eastAsia"]; ea != "" {
			if _, ok := fonts[ea]; !ok {
				t.Errorf("font %s used but not in the font table", ea)
			}
		}
	}
}

// paragraphs returns each paragraph of the body with its style and text.
func paragraphs(t testing.TB, data []byte) (styles, texts []string) {
	t.Helper()
	doc := parse(t, "document.xml", data)
	for _, p := range doc.all("p") {
		style := ""
		for _, pPr := range p.children {
			if pPr.name == "pPr" {
				for _, c := range pPr.children {
					if c.name == "pStyle" {
						style = c.attr["val"]
					}
				}
			}
		}
		styles = append(styles, style)
		texts = append(texts, p.texts())
	}
	return styles, texts
}

// TestContent checks the document's parts in order: letterhead, number,
// title, addressee, numbered headings (level 2 counting afresh under each
// level 1), escaped text, the table, and the office and date at the end.
func TestContent(t *testing.T) {
	d := &Document{
		Office: "督查室", Number: "督字〔2026〕1号", Title: "关于<A&B>的通报", To: "各单位：",
		Body: []Block{
			Heading{Level: 1, Text: "甲"}, Heading{Level: 2, Text: "乙"}, Heading{Level: 2, Text: "丙"},
			Paragraph{Text: "正文\x01含控制符"},
			Heading{Level: 1, Text: "丁"}, Heading{Level: 2, Text: "戊"},
			Table{Columns: []Column{{Title: "序号"}, {Title: "内容"}}, Rows: [][]string{{"1", "第一行\n第二行"}}},
		},
		Signature: "济南市历下区人民政府督查室",
		Date:      time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC),
	}
	data := unzip(t, mustBytes(t, d))["word/document.xml"]
	styles, texts := paragraphs(t, data)
	var got []string
	for i := range texts {
		if texts[i] != "" {
			got = append(got, styles[i]+":"+texts[i])
		}
	}
	want := []string{
		"Letterhead:督查室", "DocNumber:督字〔2026〕1号", "Title:关于<A&B>的通报", "Addressee:各单位：",
		"Heading1:一、甲", "Heading2:（一）乙", "Heading2:（二）丙", "Body:正文\uFFFD含控制符",
		"Heading1:二、丁", "Heading2:（一）戊",
		"TableHeader:序号", "TableHeader:内容", "TableText:1", "TableText:第一行第二行",
		"Signature:济南市历下区人民政府督查室", "Signature:2026年12月6日",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	doc := parse(t, "document.xml", data)
	rows := doc.all("tr")
	if len(rows[0].all("tblHeader")) != 1 || len(rows[1].all("tblHeader")) != 0 {
		t.Error("the header row, and only it, should repeat on each page (tblHeader)")
	}
	if len(rows[1].all("br")) != 1 {
		t.Error("a line break in a cell should be a <w:br/>")
	}
	// The office is 13 characters with two spaces on its right; the date
	// (6.5 characters wide) starts two characters right of the office's start.
	var inds []string
	for _, p := range doc.all("p") {
		if strings.Contains(p.texts(), "督查室") || strings.Contains(p.texts(), "年12月") {
			for _, ind := range p.all("ind") {
				inds = append(inds, ind.attr["rightChars"])
			}
		}
	}
	if strings.Join(inds, ",") != "200,650" {
		t.Errorf("right indents of office and date = %v, want 200,650 hundredths of a character", inds)
	}
}

func TestSignatureShorterThanDate(t *testing.T) {
	d := &Document{Title: "通报", Signature: "督查室", Date: time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC)}
	doc := parse(t, "document.xml", unzip(t, mustBytes(t, d))["word/document.xml"])
	var inds []string
	for _, ind := range doc.all("ind") {
		if v, ok := ind.attr["rightChars"]; ok {
			inds = append(inds, v)
		}
	}
	// The date (7 characters) keeps two on its right; the office (3)
	// starts two characters left of the date's start: 2 + 7 + 2 − 3 = 8.
	if strings.Join(inds, ",") != "800,200" {
		t.Errorf("right indents = %v, want 800,200", inds)
	}
}

func TestCheck(t *testing.T) {
	long := strings.Repeat("字", MaxText+1)
	for name, d := range map[string]*Document{
		"no title":      {},
		"heading level": {Title: "x", Body: []Block{Heading{Level: 3, Text: "a"}}},
		"empty heading": {Title: "x", Body: []Block{Heading{Level: 1}}},
		"nil block":     {Title: "x", Body: []Block{nil}},
		"long text":     {Title: "x", Body: []Block{Paragraph{Text: long}}},
		"ragged table":  {Title: "x", Body: []Block{Table{Columns: []Column{{Title: "a"}}, Rows: [][]string{{"1", "2"}}}}},
		"no columns":    {Title: "x", Body: []Block{Table{}}},
		"long cell":     {Title: "x", Body: []Block{Table{Columns: []Column{{Title: "a"}}, Rows: [][]string{{long}}}}},
	} {
		var b bytes.Buffer
		err := d.Write(&b)
		var e *duban.Error
		if !errors.As(err, &e) || e.Code != duban.EINVALID || e.Message == "" {
			t.Errorf("%s: err = %v, want invalid with a message", name, err)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written for a document refused", name, b.Len())
		}
	}
}

func TestFormatDate(t *testing.T) {
	if got := FormatDate(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); got != "2026年1月2日" {
		t.Errorf("FormatDate = %s", got)
	}
}

// TestGolden compares the sample bulletin's document.xml with
// testdata/sample.document.xml; -update rewrites it.
func TestGolden(t *testing.T) {
	got := unzip(t, mustBytes(t, sampleDocument()))["word/document.xml"]
	path := filepath.Join("testdata", "sample.document.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./docx -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("document.xml differs from %s (run go test ./docx -update after checking the change)", path)
	}
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(mustBytes(t, sampleDocument()), mustBytes(t, sampleDocument())) {
		t.Error("the same document written twice differs")
	}
}

func BenchmarkWrite(b *testing.B) {
	d := sampleDocument()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := d.Write(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/doc")
}
