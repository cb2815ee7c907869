package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

var update = flag.Bool("update", false, "rewrite the golden charts in testdata")

// sampleCharts are the charts the golden files hold: what the overview
// draws for a plan part-way through its year.
func sampleCharts() map[string]interface{ SVG() ([]byte, error) } {
	lights := Lights()
	pct := 100.0
	return map[string]interface{ SVG() ([]byte, error) }{
		"totals": &Bars{
			Title:  "2022 年任务状态（共 88 项）",
			Series: lights,
			Rows: []BarRow{{
				Values: []int{3, 9, 52, 12, 4, 6, 2},
				Hrefs:  []string{"/tasks?light=closed", "/tasks?light=done", "/tasks?light=ontrack", "/tasks?light=lagging", "/tasks?light=severe", "/tasks?light=noreport", "/tasks?light=notbegun"},
			}},
		},
		"by-action": &Bars{
			Title:  "各行动任务状态",
			Series: lights,
			Rows: []BarRow{
				{Label: "主要预期目标", Href: "/tasks?section=0", Values: []int{0, 2, 8, 1, 0, 0, 0}},
				{Label: "实施科技创新引领行动", Values: []int{1, 1, 10, 3, 1, 2, 0}},
				{Label: "实施“项目深化年”攻坚行动，<加快>新旧动能转换", Values: []int{2, 6, 34, 8, 3, 4, 2}},
			},
		},
		"targets": &Progress{
			Title: "量化指标完成情况",
			Targets: []Target{
				{Label: "新增高新技术企业", Actual: 80, Target: 119, Unit: "家", Href: "/tasks/12"},
				{Label: "地区生产总值增长", Actual: 8.2, Target: 8, Unit: "%", Percent: &pct},
				{Label: "城镇新增就业", Actual: 3.87, Target: 3.5, Unit: "万人", Colour: LightColour(LightDone)},
				{Label: "老旧小区改造", Actual: 0, Target: 12, Unit: "个", Colour: LightColour(LightSevere)},
			},
		},
		"trend": &Trend{
			Title:  "各期任务状态变化",
			Series: lights,
			Periods: []Period{
				{Label: "4月", Values: []int{0, 0, 60, 10, 2, 16, 0}},
				{Label: "5月", Values: []int{1, 3, 58, 12, 3, 9, 2}, Href: "/periods/2"},
				{Label: "6月", Values: []int{3, 9, 52, 12, 4, 6, 2}},
			},
		},
	}
}

// TestGolden compares each sample chart with its golden file; -update
// rewrites them (look at them in a browser before committing).
func TestGolden(t *testing.T) {
	for name, c := range sampleCharts() {
		got, err := c.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join("testdata", name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./chart -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./chart -update after checking the change)", name, path)
		}
	}
}

// allowed lists the elements a chart may hold and, for each, the
// attributes: presentation attributes only, so that the page's
// Content-Security-Policy (no inline style, no script) holds.
var allowed = map[string][]string{
	"svg":   {"xmlns", "viewBox", "role", "font-family", "font-size"},
	"title": {},
	"desc":  {},
	"rect":  {"x", "y", "width", "height", "fill"},
	"line":  {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
	"text":  {"x", "y", "fill", "text-anchor", "font-size"},
	"a":     {"href"},
}

// checkSafe parses an SVG and fails on anything outside the allow-list,
// on links leaving the site and on a fixed size (which would stop the
// chart from scaling to a phone).
func checkSafe(t *testing.T, name string, data []byte) (texts []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && (tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("%s: root is %v, want svg", name, tok.Name)
			}
			attrs, ok := allowed[tok.Name.Local]
			if !ok {
				t.Errorf("%s: element <%s> not allowed", name, tok.Name.Local)
			}
			hasViewBox := false
			for _, a := range tok.Attr {
				local := a.Name.Local
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && local == "xmlns") {
					local = "xmlns"
				}
				if !contains(attrs, local) {
					t.Errorf("%s: attribute %s on <%s> not allowed", name, a.Name.Local, tok.Name.Local)
				}
				if local == "href" && (!strings.HasPrefix(a.Value, "/") || strings.HasPrefix(a.Value, "//")) {
					t.Errorf("%s: link %q leaves the site", name, a.Value)
				}
				hasViewBox = hasViewBox || local == "viewBox"
			}
			if depth == 1 && !hasViewBox {
				t.Errorf("%s: the svg has no viewBox", name)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		case xml.ProcInst, xml.Directive:
			t.Errorf("%s: %T not allowed", name, tok)
		}
	}
	return texts
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAppendSVG checks that a chart appended to what a page wrote before
// is that page's bytes followed by the chart as SVG draws it.
func TestAppendSVG(t *testing.T) {
	for name, c := range sampleCharts() {
		want, err := c.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		before := []byte("<p>before</p>")
		got, err := c.(interface{ AppendSVG([]byte) ([]byte, error) }).AppendSVG(before)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != string(before)+string(want) {
			t.Errorf("%s: appended %q…, want %q and the chart", name, got[:min(len(got), 40)], before)
		}
	}
}

func TestChartsAreSafeXML(t *testing.T) {
	for name, c := range sampleCharts() {
		data, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		texts := checkSafe(t, name, data)
		if len(texts) == 0 || texts[0] == "" {
			t.Errorf("%s: no title", name)
		}
	}
}

// TestNumbersWritten checks that every count is written as text, on the bar
// or in the legend, not told by colour alone, and that the title and a
// description in words come first.
func TestNumbersWritten(t *testing.T) {
	c := sampleCharts()["totals"].(*Bars)
	data, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	texts := checkSafe(t, "totals", data)
	if got, want := texts[0], c.Title; got != want {
		t.Errorf("first text = %q, want the title %q", got, want)
	}
	if got, want := texts[1], "已办结 3，已完成 9，正常推进 52，进度滞后 12，严重滞后 4，未报送 6，未启动 2"; got != want {
		t.Errorf("description = %q, want %q", got, want)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"|52|", "|12|", "|88|", "|正常推进 52|", "|未启动 2|", "|进度滞后 12|"} {
		if !strings.Contains("|"+joined+"|", want) {
			t.Errorf("texts %q lack %q", joined, want)
		}
	}
}

func TestTextEscaped(t *testing.T) {
	c := &Bars{
		Title:  `</title><script>alert(1)</script>`,
		Series: []Series{{Name: `"><style>x</style>`, Colour: LightColour(LightOnTrack)}},
		Rows:   []BarRow{{Label: `<a href="javascript:x">单位</a>`, Values: []int{5}}},
	}
	data, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	texts := checkSafe(t, "escaped", data)
	if texts[0] != c.Title {
		t.Errorf("title read back as %q, want %q", texts[0], c.Title)
	}
	if bytes.Contains(data, []byte("<script")) || bytes.Contains(data, []byte("<style")) {
		t.Errorf("markup from the input reached the SVG:\n%s", data)
	}
}

func TestProgressFigures(t *testing.T) {
	c := sampleCharts()["targets"].(*Progress)
	data, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	joined := "|" + strings.Join(checkSafe(t, "targets", data), "|") + "|"
	for _, want := range []string{
		"|80 / 119 家|", "|67%|", // 80/119 rounded
		"|8.2 / 8 %|", "|100%|", // the percent given by the cycle
		"|3.87 / 3.5 万人|", "|111%|",
		"|0 / 12 个|", "|0%|",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %s lack %s", joined, want)
		}
	}
	// Every target has its mark: one line per target with a target above 0.
	if got := bytes.Count(data, []byte("<line")); got != 4 {
		t.Errorf("%d target marks, want 4", got)
	}
}

func TestTrendTotals(t *testing.T) {
	c := sampleCharts()["trend"].(*Trend)
	data, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	joined := "|" + strings.Join(checkSafe(t, "trend", data), "|") + "|"
	for _, want := range []string{"|4月|", "|5月|", "|6月|", "|88|", "|60|", "|100|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %s lack %s", joined, want)
		}
	}
}

func TestTickStep(t *testing.T) {
	for _, c := range []struct{ most, want int }{{0, 1}, {5, 1}, {6, 2}, {10, 2}, {11, 5}, {25, 5}, {26, 10}, {88, 20}, {300, 100}, {6000, 2000}} {
		if got := tickStep(c.most); got != c.want {
			t.Errorf("tickStep(%d) = %d, want %d", c.most, got, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	lights := Lights()
	seven := []int{1, 2, 3, 4, 5, 6, 7}
	for name, c := range map[string]interface{ SVG() ([]byte, error) }{
		"no title":         &Bars{Series: lights, Rows: []BarRow{{Values: seven}}},
		"no rows":          &Bars{Title: "x", Series: lights},
		"too few values":   &Bars{Title: "x", Series: lights, Rows: []BarRow{{Values: []int{1}}}},
		"negative":         &Bars{Title: "x", Series: lights, Rows: []BarRow{{Values: []int{1, 2, 3, 4, 5, 6, -7}}}},
		"other origin":     &Bars{Title: "x", Series: lights, Rows: []BarRow{{Href: "//evil.example/", Values: seven}}},
		"script link":      &Bars{Title: "x", Series: lights, Rows: []BarRow{{Href: "javascript:alert(1)", Values: seven}}},
		"bad colour":       &Bars{Title: "x", Series: []Series{{Name: "a", Colour: Colour{"red", "#000000"}}}, Rows: []BarRow{{Values: []int{1}}}},
		"no series name":   &Trend{Title: "x", Series: []Series{{Colour: LightColour(LightDone)}}, Periods: []Period{{Values: []int{1}}}},
		"no periods":       &Trend{Title: "x", Series: lights},
		"no targets":       &Progress{Title: "x"},
		"target unlabeled": &Progress{Title: "x", Targets: []Target{{Actual: 1, Target: 2}}},
	} {
		_, err := c.SVG()
		var e *duban.Error
		if !errors.As(err, &e) || e.Code != duban.EINVALID || e.Message == "" {
			t.Errorf("%s: err = %v, want invalid with a message", name, err)
		}
	}
}

func TestLightsPalette(t *testing.T) {
	lights := Lights()
	lights[0].Colour.Fill = "#000000"
	if LightColour(LightClosed).Fill == "#000000" {
		t.Error("changing the returned palette changed the package's")
	}
	if got := LightColour("不是灯"); got != unknownLight {
		t.Errorf("unknown word's colour = %v", got)
	}
	seen := map[string]bool{}
	for _, l := range Lights() {
		if seen[l.Colour.Fill] {
			t.Errorf("two lights share the fill %s", l.Colour.Fill)
		}
		seen[l.Colour.Fill] = true
	}
}

func BenchmarkBars(b *testing.B) {
	rows := make([]BarRow, 150)
	for i := range rows {
		rows[i] = BarRow{Label: "区发展和改革局", Href: "/units/1", Values: []int{1, 2, 30, 4, 5, 6, 7}}
	}
	c := &Bars{Title: "各单位任务状态", Series: Lights(), Rows: rows}
	for b.Loop() {
		if _, err := c.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNumAsStrconv checks that num writes a number rounded to tenths as
// strconv writes it, without a "-0".
func TestNumAsStrconv(t *testing.T) {
	values := []float64{0, -0.04, -0.05, 0.05, 0.15, 1.25, -1.25, 12.34, 99.95, 480, -3.96, 1e14 + 0.3, 1e16, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), 0.1 + 0.2, 1.0 / 3}
	for i := range 2000 {
		values = append(values, float64(i)*0.0137-9.5, float64(i*i)/7)
	}
	for _, v := range values {
		w := math.Round(v*10) / 10
		if w == 0 {
			w = 0
		}
		want := strconv.FormatFloat(w, 'f', -1, 64)
		var s svg
		s.num(v)
		if got := s.b.String(); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestTextEscapesAsXML checks that text writes every string as
// xml.EscapeText does, the plain ones copied without it.
func TestTextEscapesAsXML(t *testing.T) {
	for _, v := range []string{"", "plain", "牵头单位 12", "a<b & c>d", `"quoted" 'single'`, "tab\tnew\nline\r",
		"bad \xff byte", "real \uFFFD", "ctl \x01", "emoji 😀", "surrogate-free \uE000\uFFFE", "del \x7f", "中文\"引号\""} {
		var want bytes.Buffer
		_ = xml.EscapeText(&want, []byte(v))
		var s svg
		s.text(v)
		if got := s.b.String(); got != want.String() {
			t.Errorf("text(%q) = %q, want %q", v, got, want.String())
		}
	}
}
