package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the fuzz seeds in testdata/fuzz")

var statuses = &Choice{Title: "推进状态", Options: []string{"未启动", "推进中", "已完成"}}

// unitFillIn is 区财政局's fill-in for a period: its tasks of the sample
// plan with what it reported so far.
func unitFillIn(t testing.TB) FillIn {
	t.Helper()
	_, tasks := samplePlan(t)
	var mine []*duban.Task
	for _, task := range tasks {
		if slices.Contains(append(duban.OwnerNames(task.LeadUnits), duban.OwnerNames(task.ResponsibleUnits)...), "区财政局") {
			mine = append(mine, task)
		}
	}
	return fillInOf(t, mine)
}

// fillInOf is a fill-in of tasks of the sample plan, with the choice
// column.
func fillInOf(t testing.TB, tasks []*duban.Task) FillIn {
	t.Helper()
	p, _ := samplePlan(t)
	rows := reportRows(t, p, tasks)
	for i := range rows {
		if i%3 == 0 {
			rows[i].Choice = "推进中"
		}
		rows[i].Light, rows[i].Reason = "", ""
	}
	return FillIn{Title: "区财政局 2022年5月 重点任务进展填报表", Choice: statuses, Rows: rows}
}

func writeFillIn(t testing.TB, fi FillIn) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteFillIn(&b, fi); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// save writes an edited workbook back to bytes, as a unit's Excel would.
func save(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func read(t testing.TB, data []byte, now FillIn) *Upload {
	t.Helper()
	up, err := ReadFillIn(bytes.NewReader(data), now)
	if err != nil {
		t.Fatal(err)
	}
	return up
}

// firstRows finds each task's first row in a written fill-in, by the key
// in the hidden column.
func firstRows(t testing.TB, f *excelize.File) map[int64]int {
	t.Helper()
	rows, err := f.GetRows(fillInSheet)
	if err != nil {
		t.Fatal(err)
	}
	keyCol := len(fillInColumns(statuses)) - 1
	out := map[int64]int{}
	for i, row := range rows {
		if keyCol < len(row) {
			if id, _, k, _, ok := parseKey(row[keyCol]); ok && k <= 1 {
				out[id] = i + 1
			}
		}
	}
	return out
}

// colOf is the column letter of a field in the fill-in with statuses.
func colOf(f field) string {
	for i, c := range fillInColumns(statuses) {
		if c.field == f {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	panic("no such field")
}

// TestFillInLayout checks what the unit meets: its tasks under their
// headings, the cells to fill unlocked and the rest locked, the sheet
// protected, the key column hidden, validations and the drop-down list,
// and the print set-up the other sheets have.
func TestFillInLayout(t *testing.T) {
	fi := unitFillIn(t)
	data := writeFillIn(t, fi)
	f := openBook(t, data)
	checkReportSheet(t, f, fillInSheet, 3, fillInColumns(statuses), fi.Rows)
	checkPrintSetup(t, f, fillInSheet, 3)

	row := firstRows(t, f)[fi.Rows[0].TaskID]
	for _, c := range fillInColumns(statuses) {
		name, _ := excelize.ColumnNumberToName(slices.Index(fillInColumns(statuses), c) + 1)
		id, err := f.GetCellStyle(fillInSheet, fmt.Sprintf("%s%d", name, row))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.GetStyle(id)
		locked := st.Protection == nil || st.Protection.Locked
		if locked == c.input {
			t.Errorf("column %s (%s): locked %v, want %v", name, c.title, locked, !c.input)
		}
	}
	keyCol := colOf(fieldKey)
	if visible, err := f.GetColVisible(fillInSheet, keyCol); err != nil || visible {
		t.Errorf("key column %s visible %v (%v), want hidden", keyCol, visible, err)
	}
	sheetXML := part(t, data, "xl/worksheets/sheet1.xml")
	for _, want := range []string{`<sheetProtection`, `sheet="true"`, `insertRows="true"`, `formatColumns="true"`} {
		// In the file, true means the action is protected against.
		if !strings.Contains(sheetXML, want) {
			t.Errorf("sheet protection lacks %s", want)
		}
	}
	if strings.Contains(sheetXML, `formatRows="true"`) {
		t.Error("rows should stay resizable (formatRows allowed)")
	}
	dvs, err := f.GetDataValidations(fillInSheet)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		kinds[dv.Sqref[:1]] = dv
	}
	if dv := kinds[colOf(fieldCompletion)]; dv == nil || dv.Type != "decimal" || dv.Formula1 != "0" || dv.Formula2 != "100" {
		t.Errorf("completion validation %+v, want a decimal from 0 to 100", dv)
	}
	if dv := kinds[colOf(fieldChoice)]; dv == nil || dv.Type != "list" || !strings.Contains(dv.Formula1, "未启动,推进中,已完成") {
		t.Errorf("choice validation %+v, want the drop-down list", dv)
	}
	if dv := kinds[colOf(fieldProgress)]; dv == nil || dv.Type != "textLength" {
		t.Errorf("progress validation %+v, want a length limit", dv)
	}
}

func part(t testing.TB, data []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// TestFillInRoundTrip downloads, fills two tasks and uploads: those two
// read back changed with what was typed (a completion typed as 80%, the
// actuals on their targets' rows); the others unchanged, as downloaded.
func TestFillInRoundTrip(t *testing.T) {
	fi := unitFillIn(t)
	f := openBook(t, writeFillIn(t, fi))
	first := firstRows(t, f)
	// Untouched, every task reads back as it was downloaded.
	up := read(t, save(t, f), fi)
	if len(up.Errors) != 0 {
		t.Fatalf("errors in an untouched workbook: %v", up.Errors)
	}
	if len(up.Rows) != len(fi.Rows) {
		t.Fatalf("%d rows read, want %d", len(up.Rows), len(fi.Rows))
	}
	for i, u := range up.Rows {
		want := fi.Rows[i]
		if u.Changed || u.Stale || u.TaskID != want.TaskID || u.Version != want.Version || u.Row != first[want.TaskID] {
			t.Errorf("untouched row %d read as %+v", i, u)
		}
		wantEntry := want.Entry
		wantEntry.Actuals = padded(want.Actuals, len(want.Targets))
		if !equalEntry(u.Entry, wantEntry) {
			t.Errorf("task %d entry %+v, want %+v", u.TaskID, u.Entry, wantEntry)
		}
	}

	// Fill task A (with targets) and task B (without).
	var a, b *ReportRow
	for i := range fi.Rows {
		r := &fi.Rows[i]
		if a == nil && len(r.Targets) >= 2 {
			a = r
		}
		if b == nil && len(r.Targets) == 0 {
			b = r
		}
	}
	if a == nil || b == nil {
		t.Fatal("the unit's tasks lack one with two targets or one without")
	}
	ra, rb := first[a.TaskID], first[b.TaskID]
	set := func(col string, row int, v any) {
		if err := f.SetCellValue(fillInSheet, fmt.Sprintf("%s%d", col, row), v); err != nil {
			t.Fatal(err)
		}
	}
	set(colOf(fieldProgress), ra, "已完成项目招标。\r\n下月开工。")
	set(colOf(fieldCompletion), ra, 45.5)
	set(colOf(fieldActual), ra, "119")
	set(colOf(fieldActual), ra+1, 3.9)
	set(colOf(fieldProblems), ra, "")
	set(colOf(fieldChoice), ra, "已完成")
	set(colOf(fieldCompletion), rb, "80%")
	set(colOf(fieldNextSteps), rb, "  抓紧推进  ")
	up = read(t, save(t, f), fi)
	if len(up.Errors) != 0 {
		t.Fatalf("errors: %v", up.Errors)
	}
	got := map[int64]UploadRow{}
	for _, u := range up.Rows {
		got[u.TaskID] = u
		if u.Changed != (u.TaskID == a.TaskID || u.TaskID == b.TaskID) {
			t.Errorf("task %d changed %v", u.TaskID, u.Changed)
		}
	}
	ua, ub := got[a.TaskID], got[b.TaskID]
	if ua.Progress != "已完成项目招标。\n下月开工。" || ua.Completion == nil || *ua.Completion != 45.5 ||
		ua.Actuals[0] != "119" || ua.Actuals[1] != "3.9" || ua.Problems != "" || ua.Choice != "已完成" || ua.Stale {
		t.Errorf("task A read as %+v", ua)
	}
	if ub.Completion == nil || *ub.Completion != 80 || ub.NextSteps != "抓紧推进" || ub.Stale {
		t.Errorf("task B read as %+v", ub)
	}
}

func padded(list []string, n int) []string {
	out := make([]string, n)
	copy(out, list)
	return out
}

func equalEntry(a, b Entry) bool {
	ca, cb := a.Completion, b.Completion
	if (ca == nil) != (cb == nil) || (ca != nil && *ca != *cb) {
		return false
	}
	return a.Progress == b.Progress && a.Problems == b.Problems && a.NextSteps == b.NextSteps &&
		a.Choice == b.Choice && slices.Equal(a.Actuals, b.Actuals)
}

// TestFillInStale uploads a workbook whose rows were reported online since
// the download: a row the unit changed is stale (reported, not applied); a
// row it left alone is unchanged, whatever happened online.
func TestFillInStale(t *testing.T) {
	fi := unitFillIn(t)
	f := openBook(t, writeFillIn(t, fi))
	first := firstRows(t, f)
	now := unitFillIn(t)
	edited, untouched := &now.Rows[0], &now.Rows[1]
	for _, r := range []*ReportRow{edited, untouched} {
		r.Version++
		r.Progress = "网上新填的进展"
	}
	if err := f.SetCellValue(fillInSheet, fmt.Sprintf("%s%d", colOf(fieldProgress), first[edited.TaskID]), "离线填写的进展"); err != nil {
		t.Fatal(err)
	}
	up := read(t, save(t, f), now)
	if len(up.Errors) != 0 {
		t.Fatalf("errors: %v", up.Errors)
	}
	for _, u := range up.Rows {
		switch u.TaskID {
		case edited.TaskID:
			if !u.Changed || !u.Stale || u.Progress != "离线填写的进展" || u.Version != edited.Version-1 {
				t.Errorf("edited row %+v, want changed and stale", u)
			}
		case untouched.TaskID:
			if u.Changed || u.Stale {
				t.Errorf("untouched row %+v, want unchanged", u)
			}
		}
	}
}

// TestFillInErrors uploads a workbook with a mistake of every kind and
// checks that each is reported with its row and column, and that none
// hides another.
func TestFillInErrors(t *testing.T) {
	_, tasks := samplePlan(t)
	fi := fillInOf(t, tasks)
	f := openBook(t, writeFillIn(t, fi))
	first := firstRows(t, f)
	// The mistakes go in tasks with at most one target, so that each task
	// is one row and each mistake one error.
	var rows []int
	var idx []int
	for i, r := range fi.Rows {
		if len(r.Targets) <= 1 {
			rows, idx = append(rows, first[r.TaskID]), append(idx, i)
		}
	}
	if len(rows) < 8 {
		t.Fatalf("only %d tasks of one row", len(rows))
	}
	set := func(col string, row int, v any) {
		if err := f.SetCellValue(fillInSheet, fmt.Sprintf("%s%d", col, row), v); err != nil {
			t.Fatal(err)
		}
	}
	key := func(row int) string {
		v, _ := f.GetCellValue(fillInSheet, fmt.Sprintf("%s%d", colOf(fieldKey), row))
		return v
	}
	set(colOf(fieldCompletion), rows[0], "五成")
	set(colOf(fieldCompletion), rows[1], 120)
	set(colOf(fieldProgress), rows[2], strings.Repeat("长", MaxProgress+1))
	set(colOf(fieldChoice), rows[3], "差不多了")
	set(colOf(fieldKey), rows[4], "被改过")
	set(colOf(fieldKey), rows[5], strings.Replace(key(rows[5]), fmt.Sprint(fi.Rows[idx[5]].TaskID)+":", "999999:", 1))
	set(colOf(fieldKey), rows[6], key(rows[7])) // a copy of another task's row
	last := rows[len(rows)-1] + max(1, len(fi.Rows[len(fi.Rows)-1].Targets))
	set(colOf(fieldProgress), last, "在表尾加的一行")
	up := read(t, save(t, f), fi)
	want := []string{
		fmt.Sprintf("第 %d 行 F 列（完成进度(%%)）：“五成”不是 0 到 100 之间的数。", rows[0]),
		fmt.Sprintf("第 %d 行 F 列（完成进度(%%)）：“120”不是 0 到 100 之间的数。", rows[1]),
		fmt.Sprintf("第 %d 行 E 列（进展情况）：有 %d 字，超过 %d 字：请精简。", rows[2], MaxProgress+1, MaxProgress),
		fmt.Sprintf("第 %d 行 K 列（推进状态）：“差不多了”不是下拉列表中的选项（未启动、推进中、已完成）。", rows[3]),
		fmt.Sprintf("第 %d 行 L 列（%s）：行标识被改动：请重新下载填报表后填写。", rows[4], fillInMark),
		fmt.Sprintf("第 %d 行：这项任务不在本单位本期的填报范围内（任务可能已调整）：请重新下载填报表。", rows[5]),
		fmt.Sprintf("第 %d 行：与第 %d 行是同一任务的同一行：请删除重复的行。", rows[7], rows[6]),
		fmt.Sprintf("第 %d 行：这一行不是下载时的任务行（可能是插入的行）：请把内容填在对应任务的行内。", last),
	}
	var got []string
	for _, e := range up.Errors {
		got = append(got, e.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	err := up.Err()
	var e *duban.Error
	if !errors.As(err, &e) || e.Code != duban.EINVALID || !strings.HasPrefix(e.Message, "填报表有 8 处错误，未导入任何内容") ||
		!strings.Contains(e.Message, want[0]) {
		t.Errorf("Err() = %v", err)
	}
	if (&Upload{}).Err() != nil {
		t.Error("an upload without errors has an error")
	}
}

// TestReadFillInRefuses gives the reader files that are not a fill-in.
func TestReadFillInRefuses(t *testing.T) {
	fi := unitFillIn(t)
	p, tasks := samplePlan(t)
	table := writeTable(t, TaskTable{Title: "任务分解表", Sections: p.Sections, Areas: p.Areas, Tasks: tasks})
	other := unitFillIn(t)
	other.Choice = nil // a fill-in made without the choice column
	for name, c := range map[string]struct {
		data []byte
		code string
	}{
		"not a zip":         {[]byte("这不是工作簿"), duban.EINVALID},
		"empty":             {nil, duban.EINVALID},
		"a task table":      {table, duban.EINVALID},
		"other columns":     {writeFillIn(t, other), duban.EINVALID},
		"too large":         {make([]byte, MaxUpload+1), duban.ETOOLARGE},
		"a zip of nonsense": {zipOf(t, map[string]string{"xl/workbook.xml": "<workbook"}), duban.EINVALID},
	} {
		up, err := ReadFillIn(bytes.NewReader(c.data), fi)
		if duban.ErrorCode(err) != c.code || up != nil {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, content := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	z.Close()
	return b.Bytes()
}

// FuzzReadFillIn feeds the reader damaged workbooks: it must answer with
// an error or an upload, never panic or hang. The seeds (testdata/fuzz) are
// a fill-in as downloaded and one filled with mistakes; they are whole
// workbooks, so run it with -fuzzminimizetime 3s, or the fuzzer spends its
// time minimizing them.
func FuzzReadFillIn(f *testing.F) {
	fi := unitFillIn(f)
	f.Add(writeFillIn(f, fi))
	f.Fuzz(func(t *testing.T, data []byte) {
		up, err := ReadFillIn(bytes.NewReader(data), fi)
		if (up == nil) == (err == nil) {
			t.Fatalf("upload %v and error %v", up, err)
		}
	})
}

// TestWriteFuzzSeeds keeps the fuzz seeds in step with the writer: run
// with -update to rewrite them.
func TestWriteFuzzSeeds(t *testing.T) {
	fi := unitFillIn(t)
	good := writeFillIn(t, fi)
	f := openBook(t, good)
	first := firstRows(t, f)
	f.SetCellValue(fillInSheet, fmt.Sprintf("F%d", first[fi.Rows[0].TaskID]), "五成")
	f.SetCellValue(fillInSheet, fmt.Sprintf("L%d", first[fi.Rows[1].TaskID]), "1:2")
	seeds := map[string][]byte{"downloaded": good, "mistakes": save(t, f)}
	dir := filepath.Join("testdata", "fuzz", "FuzzReadFillIn")
	for name, data := range seeds {
		path := filepath.Join(dir, name)
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%v (go test ./xlsx -run TestWriteFuzzSeeds -update writes it)", err)
		}
	}
}

// BenchmarkReadFillIn300 reads back a filled-in workbook of 300 tasks.
func BenchmarkReadFillIn300(b *testing.B) {
	p, tasks := bigPlan(b, 300)
	fi := FillIn{Title: "填报表", Choice: statuses, Rows: reportRows(b, p, tasks)}
	data := writeFillIn(b, fi)
	for b.Loop() {
		up, err := ReadFillIn(bytes.NewReader(data), fi)
		if err != nil || len(up.Rows) != 300 || len(up.Errors) != 0 {
			b.Fatal(err, up.Errors)
		}
	}
}
