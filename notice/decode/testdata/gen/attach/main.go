// Command attach writes the sample notice (lixia-2022) as the attachments
// offices publish besides Word and PDF, each into its corpus folder next to
// a gold.json that links to the sample's:
//
//	lixia-2022-xlsx/source.xlsx  the task table as a workbook, written here
//	lixia-2022-xls/source.xls    that workbook saved by LibreOffice as Excel 97
//	lixia-2022-doc/source.doc    lixia-2022-docx saved by LibreOffice as Word 97
//	lixia-2022-wps/source.wps    lixia-2022-docx saved by LibreOffice as RTF, and
//	                             that as Word 97: the binary format WPS 文字 writes
//	                             its .wps files in (LibreOffice cannot write WPS
//	                             itself), from another document model than .doc
//
// The workbook has a sheet 通知 with the covering letter (one paragraph per
// row, the title wrapped over three lines in its cell), a sheet 目标任务分解
// with the attachment's title, its opening paragraphs and the main targets
// as the notice has them (prose with bracketed owners, each in a row merged
// across the table), then the table: a header over two rows (责任分工 over
// 牵头单位 and 责任单位), each action and each focus area as a bold row merged
// across the table, and a row per task with the owners the gold gives and the
// task text and units wrapped over lines in their cells; statements without
// owners are rows without owners. A hidden sheet lists the units, as the
// source of a drop-down list would.
//
// Run from the repository root, with LibreOffice (soffice) installed:
//
//	go run ./notice/decode/testdata/gen/attach
//
// The tests never run it; check its outputs in.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode"
)

const corpus = "notice/testdata/corpus"

func main() {
	log.SetFlags(0)
	docxPath := filepath.Join(corpus, "lixia-2022-docx", "source.docx")
	data, err := os.ReadFile(docxPath)
	must(err)
	blocks, err := decode.File(docxPath, data)
	must(err)
	var gold duban.Reading
	raw, err := os.ReadFile(filepath.Join(corpus, "lixia-2022", "gold.json"))
	must(err)
	must(json.Unmarshal(raw, &gold))

	xlsxPath := filepath.Join(corpus, "lixia-2022-xlsx", "source.xlsx")
	must(writeWorkbook(xlsxPath, blocks, &gold))
	work, err := os.MkdirTemp("", "attach-gen-")
	must(err)
	defer os.RemoveAll(work)
	convert(work, xlsxPath, "", "xls:MS Excel 97", filepath.Join(corpus, "lixia-2022-xls", "source.xls"))
	convert(work, docxPath, "", "doc:MS Word 97", filepath.Join(corpus, "lixia-2022-doc", "source.doc"))
	rtf := filepath.Join(work, "source.rtf")
	convert(work, docxPath, "", "rtf", rtf)
	convert(work, rtf, "", "doc:MS Word 97", filepath.Join(corpus, "lixia-2022-wps", "source.wps"))
	for _, f := range []string{"xlsx", "xls", "doc", "wps"} {
		link := filepath.Join(corpus, "lixia-2022-"+f, "gold.json")
		os.Remove(link)
		must(os.Symlink("../lixia-2022/gold.json", link))
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// row is one row of the task table: a heading merged across it, or a task
// (or a statement without owners).
type row struct {
	heading string
	item    *item
}

type item struct {
	pos                   int // where the text starts in the notice
	section, area         int
	text                  string
	leaders, leads, resps []string
}

// dense is the scorer's form of a text: NFKC, no white space.
func dense(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// taskRows lists the table's rows for the actions (sections 1 on): the
// gold's tasks and statements in the order the notice has them, under rows
// for their action and focus area.
func taskRows(blocks []decode.Block, gold *duban.Reading) []row {
	var b strings.Builder
	for _, bl := range blocks {
		b.WriteString(dense(bl.Text))
	}
	text := b.String()
	// The gold lists tasks in the notice's order, each found after the one
	// before; a statement goes where its text is.
	find := func(s string, from int) int {
		i := strings.Index(text[from:], dense(s))
		if i < 0 {
			log.Fatalf("not in the notice: %s", s)
		}
		return from + i
	}
	var items []*item
	at := 0
	for _, t := range gold.Tasks {
		at = find(t.Text, at)
		items = append(items, &item{pos: at, section: t.Section, area: t.Area, text: t.Text,
			leaders: t.LeadLeaders, leads: t.LeadUnits, resps: t.ResponsibleUnits})
	}
	for _, u := range gold.Unassigned {
		items = append(items, &item{pos: find(u.Text, 0), section: u.Section, area: u.Area, text: u.Text})
	}
	slices.SortStableFunc(items, func(a, b *item) int { return a.pos - b.pos })
	headings := map[int]string{}
	for _, bl := range blocks {
		if bl.Heading > 0 && strings.HasPrefix(bl.Text, "（") {
			headings[len(headings)+1] = bl.Text
		}
	}
	areas := map[[2]int]string{}
	for _, a := range gold.Areas {
		areas[[2]int{a.Section, a.No}] = a.Title + "。"
	}
	var out []row
	section, area := 0, 0
	for _, it := range items {
		if it.section == 0 {
			continue
		}
		if it.section != section {
			section, area = it.section, 0
			out = append(out, row{heading: headings[section]})
		}
		if it.area != area {
			area = it.area
			out = append(out, row{heading: areas[[2]int{section, area}]})
		}
		out = append(out, row{item: it})
	}
	return out
}

// wrap breaks a long text after its semicolons, or after a comma past 40
// characters, as a clerk pressing Alt+Enter would.
func wrap(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		b.WriteRune(r)
		n++
		if r == '；' || r == '，' && n >= 40 {
			b.WriteByte('\n')
			n = 0
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeWorkbook(path string, blocks []decode.Block, gold *duban.Reading) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "宋体", Size: 12},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "方正小标宋简体", Size: 18},
		Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	body, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "仿宋_GB2312", Size: 12},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "黑体", Size: 12},
		Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"},
		Border:    []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}})
	if err != nil {
		return err
	}

	// The covering letter, up to the attachment's heading.
	const letter = "通知"
	if err := f.SetSheetName("Sheet1", letter); err != nil {
		return err
	}
	f.SetColWidth(letter, "A", "A", 100)
	start := slices.IndexFunc(blocks, func(b decode.Block) bool { return b.Heading > 0 })
	for i, b := range blocks[:start] {
		cell := fmt.Sprintf("A%d", i+1)
		text := b.Text
		style := body
		if b.Bold > 0 {
			// The title, over three lines as the letterhead sets it.
			text = strings.Replace(strings.Replace(text, "关于", "\n关于", 1), "》", "》\n", 1)
			style = title
		}
		f.SetCellValue(letter, cell, text)
		f.SetCellStyle(letter, cell, cell, style)
	}

	// The attachment: its title, opening paragraphs and main targets, then
	// the table.
	const table = "目标任务分解"
	if _, err := f.NewSheet(table); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 6, "B": 70, "C": 10, "D": 18, "E": 24, "F": 10} {
		f.SetColWidth(table, col, col, w)
	}
	n := 0
	merged := func(text string, style int) {
		n++
		a, z := fmt.Sprintf("A%d", n), fmt.Sprintf("F%d", n)
		f.SetCellValue(table, a, text)
		f.MergeCell(table, a, z)
		f.SetCellStyle(table, a, z, style)
	}
	first := slices.IndexFunc(blocks[start+1:], func(b decode.Block) bool { return b.Heading > 0 }) + start + 1
	merged(blocks[start].Text, title)
	for _, b := range blocks[start+1 : first] {
		merged(b.Text, body)
	}
	n++
	top, low := n, n+1
	for col, text := range map[string]string{"A": "序号", "B": "任务内容", "C": "牵头领导", "F": "完成时限"} {
		a, z := fmt.Sprintf("%s%d", col, top), fmt.Sprintf("%s%d", col, low)
		f.SetCellValue(table, a, text)
		f.MergeCell(table, a, z)
	}
	f.SetCellValue(table, fmt.Sprintf("D%d", top), "责任分工")
	f.MergeCell(table, fmt.Sprintf("D%d", top), fmt.Sprintf("E%d", top))
	f.SetCellValue(table, fmt.Sprintf("D%d", low), "牵头单位")
	f.SetCellValue(table, fmt.Sprintf("E%d", low), "责任单位")
	f.SetCellStyle(table, fmt.Sprintf("A%d", top), fmt.Sprintf("F%d", low), head)
	n = low
	seq := 0
	units := map[string]bool{}
	for _, r := range taskRows(blocks, gold) {
		if r.heading != "" {
			merged(r.heading, bold)
			continue
		}
		n++
		seq++
		it := r.item
		values := []any{seq, wrap(it.text), strings.Join(it.leaders, "、"), strings.Join(it.leads, "、"), strings.Join(it.resps, "\n"), ""}
		if err := f.SetSheetRow(table, fmt.Sprintf("A%d", n), &values); err != nil {
			return err
		}
		f.SetCellStyle(table, fmt.Sprintf("A%d", n), fmt.Sprintf("F%d", n), body)
		for _, u := range append(slices.Clone(it.leads), it.resps...) {
			units[u] = true
		}
	}

	// The hidden list of units behind a drop-down.
	const list = "单位名单"
	if _, err := f.NewSheet(list); err != nil {
		return err
	}
	names := make([]string, 0, len(units))
	for u := range units {
		names = append(names, u)
	}
	slices.Sort(names)
	for i, u := range names {
		f.SetCellValue(list, fmt.Sprintf("A%d", i+1), u)
	}
	if err := f.SetSheetVisible(list, false); err != nil {
		return err
	}
	f.SetActiveSheet(1)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := f.SaveAs(path); err != nil {
		return err
	}
	return os.Chmod(path, 0o644)
}

// convert saves src in another format with LibreOffice, into dst; in names
// the import filter when LibreOffice's own guess is not wanted.
func convert(work, src, in, filter, dst string) {
	if filepath.Dir(src) == work {
		src2 := filepath.Join(work, "in", filepath.Base(src))
		must(os.MkdirAll(filepath.Dir(src2), 0o755))
		must(os.Rename(src, src2))
		src = src2
	}
	profile := url.URL{Scheme: "file", Path: filepath.Join(work, "profile")}
	out := filepath.Join(work, "out")
	args := []string{"--headless", "-env:UserInstallation=" + profile.String()}
	if in != "" {
		args = append(args, "--infilter="+in)
	}
	cmd := exec.Command("soffice", append(args, "--convert-to", filter, "--outdir", out, src)...)
	cmd.Stderr = os.Stderr
	must(cmd.Run())
	ext, _, _ := strings.Cut(filter, ":")
	converted := filepath.Join(out, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+ext)
	data, err := os.ReadFile(converted)
	must(err)
	must(os.MkdirAll(filepath.Dir(dst), 0o755))
	must(os.WriteFile(dst, data, 0o644))
	must(os.Remove(converted))
}
