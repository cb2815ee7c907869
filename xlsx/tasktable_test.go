package xlsx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/xuri/excelize/v2"
)

// samplePlan is the sample notice's plan as its hand-checked reading gives
// it: 7 actions, 24 areas, 88 tasks.
func samplePlan(t testing.TB) (*duban.Plan, []*duban.Task) {
	t.Helper()
	data, err := os.ReadFile("../notice/testdata/corpus/lixia-2022/gold.json")
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	r.Schema = duban.ReadingSchema
	c, err := duban.PlanFromReading(&r, "source.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, task := range c.Tasks {
		task.ID = int64(i + 1)
	}
	return c.Plan, c.Tasks
}

// openBook opens a written workbook for reading back.
func openBook(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func writeTable(t testing.TB, tt TaskTable) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTaskTable(&b, tt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wantTable is the table a reader expects, row by row: the title, the
// header, then each task under the headings of its action and area when
// they change. It also returns which rows are headings.
func wantTable(title string, p *duban.Plan, tasks []*duban.Task) (rows [][]string, headings []int) {
	sections := map[int]string{}
	for _, s := range p.Sections {
		sections[s.No] = s.Title
	}
	areas := map[string]string{}
	for _, a := range p.Areas {
		areas[fmt.Sprint(a.Section, ".", a.No)] = a.Title
	}
	rows = append(rows, []string{title}, []string{"序号", "任务内容", "牵头领导", "牵头单位", "责任单位", "完成时限", "备注"})
	sec, area := -1, -1
	for i, task := range tasks {
		if task.Section != sec {
			h := sections[task.Section]
			if task.Section > 0 {
				h = duban.ChineseNumeral(task.Section) + "、" + h
			}
			rows = append(rows, []string{h})
			headings = append(headings, len(rows))
			area = -1
		}
		if task.Area != area && task.Area > 0 {
			rows = append(rows, []string{"（" + duban.ChineseNumeral(task.Area) + "）" + areas[fmt.Sprint(task.Section, ".", task.Area)]})
			headings = append(headings, len(rows))
		}
		sec, area = task.Section, task.Area
		remark := ""
		if task.State == duban.TaskWithdrawn {
			remark = "已撤销"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), task.Text,
			strings.Join(duban.OwnerNames(task.LeadLeaders), "、"), strings.Join(duban.OwnerNames(task.LeadUnits), "、"),
			strings.Join(duban.OwnerNames(task.ResponsibleUnits), "、"), task.Deadline, remark})
	}
	return rows, headings
}

// TestTaskTableReadsBack exports the sample plan and reads the workbook back:
// every task's cells, the headings merged across, the styles, the frozen
// header, the print titles and the page set-up.
func TestTaskTableReadsBack(t *testing.T) {
	p, tasks := samplePlan(t)
	tasks[5].State = duban.TaskWithdrawn
	title := "2022年《济南市历下区政府工作报告》目标任务分解表"
	f := openBook(t, writeTable(t, TaskTable{Title: title, Sections: p.Sections, Areas: p.Areas, Tasks: tasks}))
	checkTable(t, f, title, p, tasks)
}

func checkTable(t *testing.T, f *excelize.File, title string, p *duban.Plan, tasks []*duban.Task) {
	t.Helper()
	const sheet = "任务分解表"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
		t.Fatalf("sheets %v, want [%s]", got, sheet)
	}
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want, headings := wantTable(title, p, tasks)
	if len(got) != len(want) {
		t.Errorf("%d rows, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if g, w := trimRight(got[i]), trimRight(want[i]); !slices.Equal(g, w) {
			t.Errorf("row %d = %q\nwant %q", i+1, g, w)
		}
	}

	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	wantRefs := []string{"A1:G1"}
	for _, r := range headings {
		wantRefs = append(wantRefs, fmt.Sprintf("A%d:G%d", r, r))
	}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("merged cells %v\nwant %v", refs, wantRefs)
	}

	// Task text wraps; the header is bold; a heading is bold.
	for _, c := range []struct {
		cell       string
		wrap, bold bool
	}{
		{"B2", true, true},
		{fmt.Sprintf("A%d", headings[0]), true, true},
		{fmt.Sprintf("B%d", headings[0]+1), true, false},
		{fmt.Sprintf("E%d", len(want)), true, false},
	} {
		id, err := f.GetCellStyle(sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Alignment == nil || st.Alignment.WrapText != c.wrap {
			t.Errorf("%s: wrap text %v, want %v", c.cell, st.Alignment, c.wrap)
		}
		if st.Font == nil || st.Font.Bold != c.bold {
			t.Errorf("%s: bold %v, want %v", c.cell, st.Font, c.bold)
		}
	}
	// A long task's row is taller than a short one's.
	long, short := -1, -1
	for i, row := range want {
		if i < 2 || len(row) != 7 {
			continue
		}
		n := len([]rune(row[1]))
		if long < 0 || n > len([]rune(want[long][1])) {
			long = i
		}
		if short < 0 || n < len([]rune(want[short][1])) {
			short = i
		}
	}
	hl, _ := f.GetRowHeight(sheet, long+1)
	hs, _ := f.GetRowHeight(sheet, short+1)
	if hl <= hs {
		t.Errorf("row %d (long text) is %.0f pt high, row %d (short) %.0f pt", long+1, hl, short+1, hs)
	}

	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Errorf("panes %+v, want frozen below row 2", panes)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			found = true
			if dn.Scope != sheet || dn.RefersTo != "'任务分解表'!$2:$2" {
				t.Errorf("print titles %+v, want row 2 of %s", dn, sheet)
			}
		}
	}
	if !found {
		t.Error("no print titles: the header would not repeat on each page")
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
		t.Errorf("page layout size %d %s fit %d×%d, want A4 (9) landscape fitted to 1 page wide",
			*layout.Size, *layout.Orientation, *layout.FitToWidth, *layout.FitToHeight)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page is off: FitToWidth would be ignored")
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hf.OddFooter, "&P") || !strings.Contains(hf.OddFooter, "&N") {
		t.Errorf("footer %q lacks the page number and count", hf.OddFooter)
	}
}

// TestTaskTableOneUnit exports the tasks of one unit: only they appear,
// under their own headings.
func TestTaskTableOneUnit(t *testing.T) {
	p, tasks := samplePlan(t)
	var mine []*duban.Task
	for _, task := range tasks {
		for _, o := range append(slices.Clone(task.LeadUnits), task.ResponsibleUnits...) {
			if o.Name == "区财政局" {
				mine = append(mine, task)
				break
			}
		}
	}
	if len(mine) < 3 || len(mine) == len(tasks) {
		t.Fatalf("the sample has %d tasks of 区财政局; want a few", len(mine))
	}
	title := "2022年目标任务分解表（区财政局）"
	f := openBook(t, writeTable(t, TaskTable{Title: title, Sections: p.Sections, Areas: p.Areas, Tasks: mine}))
	checkTable(t, f, title, p, mine)
}

func TestTaskTableRefuses(t *testing.T) {
	var b bytes.Buffer
	err := WriteTaskTable(&b, TaskTable{})
	if duban.ErrorCode(err) != duban.EINVALID || b.Len() != 0 {
		t.Errorf("no title: err %v, %d bytes written", err, b.Len())
	}
	err = WriteTaskTable(&b, TaskTable{Title: "x", Tasks: make([]*duban.Task, MaxTasks+1)})
	if duban.ErrorCode(err) != duban.EINVALID || b.Len() != 0 {
		t.Errorf("too many tasks: err %v, %d bytes written", err, b.Len())
	}
}

func TestSheetName(t *testing.T) {
	taken := map[string]bool{}
	for _, c := range []struct{ in, want string }{
		{"2022年计划", "2022年计划"},
		{"2022年计划", "2022年计划(2)"},
		{"a/b:c", "a_b_c"},
		{"", "Sheet"},
		{strings.Repeat("长", 40), strings.Repeat("长", 31)},
		{strings.Repeat("长", 40), strings.Repeat("长", 28) + "(2)"},
	} {
		if got := sheetName(c.in, taken); got != c.want {
			t.Errorf("sheetName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// bigPlan repeats the sample plan's tasks to n tasks, each text made
// distinct.
func bigPlan(t testing.TB, n int) (*duban.Plan, []*duban.Task) {
	p, tasks := samplePlan(t)
	var out []*duban.Task
	for i := range n {
		c := tasks[i%len(tasks)].Clone()
		c.ID = int64(i + 1)
		c.Text = fmt.Sprintf("%s（%d）", c.Text, i/len(tasks)+1)
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b *duban.Task) int {
		if a.Section != b.Section {
			return a.Section - b.Section
		}
		return a.Area - b.Area
	})
	return p, out
}

// BenchmarkTaskTable300 exports the task table of a 300-task plan.
func BenchmarkTaskTable300(b *testing.B) {
	p, tasks := bigPlan(b, 300)
	tt := TaskTable{Title: "2022年目标任务分解表", Sections: p.Sections, Areas: p.Areas, Tasks: tasks}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteTaskTable(&buf, tt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/book")
}
