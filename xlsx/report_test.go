package xlsx

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/chart"
	"github.com/xuri/excelize/v2"
)

// reportRows maps the sample plan's tasks into report rows as the cycle
// would: headings, owners, targets from the indicators, and for every
// other task an entry, a light of each colour in turn and its reason.
func reportRows(t testing.TB, p *duban.Plan, tasks []*duban.Task) []ReportRow {
	t.Helper()
	sections := map[int]string{}
	for _, s := range p.Sections {
		sections[s.No] = s.Title
	}
	areas := map[[2]int]string{}
	for _, a := range p.Areas {
		areas[[2]int{a.Section, a.No}] = a.Title
	}
	lights := chart.Lights()
	rows := make([]ReportRow, len(tasks))
	for i, task := range tasks {
		r := ReportRow{
			TaskID:           task.ID,
			Version:          int64(i % 3),
			Section:          SectionHeading(task.Section, sections[task.Section]),
			Text:             task.Text,
			LeadLeaders:      duban.OwnerNames(task.LeadLeaders),
			LeadUnits:        duban.OwnerNames(task.LeadUnits),
			ResponsibleUnits: duban.OwnerNames(task.ResponsibleUnits),
			Deadline:         task.Deadline,
			Part:             "牵头",
			Light:            lights[i%len(lights)].Name,
			Reason:           fmt.Sprintf("完成 %d%%，按序时应达 58%%（截至 5 月 31 日）", i%100),
		}
		if task.Area > 0 {
			r.Area = AreaHeading(task.Area, areas[[2]int{task.Section, task.Area}])
		}
		for _, in := range task.Indicators {
			r.Targets = append(r.Targets, fmt.Sprintf("%s %s %s%s", in.Metric, in.Cmp, strconv.FormatFloat(in.Value, 'f', -1, 64), in.Unit))
		}
		if i%2 == 0 {
			c := float64(i % 101)
			r.Completion = &c
			r.Progress = fmt.Sprintf("已完成第 %d 项工作。\n正在推进下一阶段。", i)
			r.Problems = "资金到位较慢"
			r.NextSteps = "加快推进"
			for j := range r.Targets {
				if j%2 == 0 {
					r.Actuals = append(r.Actuals, fmt.Sprintf("%d", 10*(j+1)))
				} else {
					r.Actuals = append(r.Actuals, "3.87万人")
				}
			}
		}
		rows[i] = r
	}
	return rows
}

func writeProgress(t testing.TB, pb ProgressBook) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteProgressBook(&b, pb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestProgressBookReadsBack writes a book of two plans and reads every
// task's cells back: the report, the completion, each target with its
// actual on its own row (the task's cells merged beside them), and the
// light as its word in its colour.
func TestProgressBookReadsBack(t *testing.T) {
	p, tasks := samplePlan(t)
	rows := reportRows(t, p, tasks)
	pb := ProgressBook{Sheets: []ProgressSheet{
		{Name: "历下区/2022", Title: "2022年5月重点任务进展台账（一）", Rows: rows[:40]},
		{Name: "历下区/2022", Title: "2022年5月重点任务进展台账（二）", Rows: rows[40:]},
	}}
	f := openBook(t, writeProgress(t, pb))
	if got, want := f.GetSheetList(), []string{"历下区_2022", "历下区_2022(2)"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for si, ps := range pb.Sheets {
		sheet := f.GetSheetList()[si]
		checkReportSheet(t, f, sheet, 2, progressColumns, ps.Rows)
		checkPrintSetup(t, f, sheet, 2)
	}
}

// checkReportSheet reads rows back from a sheet whose header is row header:
// headings where they change, each task's first row with all its cells,
// each further target's row with the target and actual alone, the task's
// other cells merged down, and light cells in their colours.
func checkReportSheet(t *testing.T, f *excelize.File, sheet string, header int, cols []reportColumn, rows []ReportRow) {
	t.Helper()
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	merges := map[string]string{}
	for _, m := range merged {
		merges[m.GetStartAxis()] = m.GetEndAxis()
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if cols[len(cols)-1].field == fieldKey {
		last, _ = excelize.ColumnNumberToName(len(cols) - 1)
	}
	n := header // the last row checked
	next := func() []string {
		n++
		if n > len(got) {
			t.Fatalf("%s: only %d rows", sheet, len(got))
		}
		return got[n-1]
	}
	for i := range rows {
		r := &rows[i]
		if i == 0 || r.Section != rows[i-1].Section {
			if row := next(); trimRight(row)[0] != r.Section || merges[fmt.Sprintf("A%d", n)] != fmt.Sprintf("%s%d", last, n) {
				t.Errorf("%s row %d = %q, want the heading %q merged across", sheet, n, row, r.Section)
			}
		}
		if r.Area != "" && (i == 0 || r.Area != rows[i-1].Area || r.Section != rows[i-1].Section) {
			if row := next(); trimRight(row)[0] != r.Area {
				t.Errorf("%s row %d = %q, want the heading %q", sheet, n, row, r.Area)
			}
		}
		lines := max(1, len(r.Targets))
		first := n + 1
		for j := range lines {
			row := next()
			cell := func(c int) string {
				if c < len(row) {
					return row[c]
				}
				return ""
			}
			for c, col := range cols {
				want := ""
				switch col.field {
				case fieldNo:
					want = strconv.Itoa(i + 1)
				case fieldText:
					want = r.Text
				case fieldLeaders:
					want = strings.Join(r.LeadLeaders, "、")
				case fieldLeadUnits:
					want = strings.Join(r.LeadUnits, "、")
				case fieldUnits:
					want = strings.Join(r.ResponsibleUnits, "、")
				case fieldDeadline:
					want = r.Deadline
				case fieldPart:
					want = r.Part
				case fieldProgress:
					want = r.Progress
				case fieldCompletion:
					if r.Completion != nil {
						want = strconv.FormatFloat(*r.Completion, 'f', -1, 64)
					}
				case fieldTarget:
					want = at(r.Targets, j)
				case fieldActual:
					want = at(r.Actuals, j)
				case fieldProblems:
					want = r.Problems
				case fieldNextSteps:
					want = r.NextSteps
				case fieldChoice:
					want = r.Choice
				case fieldLight:
					want = r.Light
				case fieldReason:
					want = r.Reason
				case fieldKey:
					continue // checked by the round trip
				}
				if j > 0 && !col.field.perTarget() {
					want = "" // merged into the first row
				}
				if got := cell(c); got != want {
					t.Errorf("%s row %d column %s = %q, want %q", sheet, n, col.title, got, want)
				}
			}
		}
		for c, col := range cols {
			name, _ := excelize.ColumnNumberToName(c + 1)
			top := fmt.Sprintf("%s%d", name, first)
			end, ok := merges[top]
			if lines > 1 && !col.field.perTarget() && end != fmt.Sprintf("%s%d", name, n) {
				t.Errorf("%s: %s should be merged down to row %d beside the targets (got %q)", sheet, top, n, end)
			}
			if (lines == 1 || col.field.perTarget()) && ok {
				t.Errorf("%s: %s merged to %s, want not merged", sheet, top, end)
			}
			if col.field == fieldLight {
				checkLightCell(t, f, sheet, top, r.Light)
			}
		}
	}
	if n != len(got) {
		t.Errorf("%s: %d rows, want %d", sheet, len(got), n)
	}
}

func checkLightCell(t *testing.T, f *excelize.File, sheet, ref, light string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	want := chart.LightColour(light)
	if len(st.Fill.Color) != 1 || !strings.EqualFold("#"+st.Fill.Color[0], want.Fill) || !strings.EqualFold("#"+st.Font.Color, want.Ink) {
		t.Errorf("%s %s (%s): fill %v ink %s, want %s on %s", sheet, ref, light, st.Fill.Color, st.Font.Color, want.Ink, want.Fill)
	}
}

// checkPrintSetup checks what every sheet shares: the frozen and repeated
// header, A4 landscape fitted to the width, page numbers.
func checkPrintSetup(t *testing.T, f *excelize.File, sheet string, header int) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != header {
		t.Errorf("%s: panes %+v, want frozen below row %d", sheet, panes, header)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			found = dn.RefersTo == fmt.Sprintf("'%s'!$%d:$%d", sheet, header, header)
		}
	}
	if !found {
		t.Errorf("%s: no print titles of row %d", sheet, header)
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
		t.Errorf("%s: page layout not A4 landscape fitted to the width", sheet)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("%s: footer %v %v", sheet, hf, err)
	}
}

func TestProgressBookRefuses(t *testing.T) {
	for name, pb := range map[string]ProgressBook{
		"empty":    {},
		"no title": {Sheets: []ProgressSheet{{Name: "a"}}},
		"actuals":  {Sheets: []ProgressSheet{{Name: "a", Title: "t", Rows: []ReportRow{{Text: "x", Entry: Entry{Actuals: []string{"1"}}}}}}},
		"targets":  {Sheets: []ProgressSheet{{Name: "a", Title: "t", Rows: []ReportRow{{Text: "x", Targets: make([]string, MaxTargets+1)}}}}},
	} {
		var b bytes.Buffer
		if err := WriteProgressBook(&b, pb); duban.ErrorCode(err) != duban.EINVALID || b.Len() != 0 {
			t.Errorf("%s: err %v, %d bytes", name, err, b.Len())
		}
	}
}

// bigBook is the measure: 20 plans of 300 tasks with a period's
// reports.
func bigBook(t testing.TB) ProgressBook {
	p, tasks := bigPlan(t, 300)
	rows := reportRows(t, p, tasks)
	var pb ProgressBook
	for i := range 20 {
		pb.Sheets = append(pb.Sheets, ProgressSheet{Name: fmt.Sprintf("计划%d", i+1), Title: "2022年5月重点任务进展台账", Rows: rows})
	}
	return pb
}

// BenchmarkProgressBook20x300 writes the progress book of 20 plans × 300
// tasks (B/op is all memory allocated, an upper bound of what is held).
func BenchmarkProgressBook20x300(b *testing.B) {
	pb := bigBook(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteProgressBook(&buf, pb); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/book")
}
