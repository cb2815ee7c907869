package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/xuri/excelize/v2"
)

// Upload is what a filled-in workbook says, read against the rows as they
// stand: a row per task it holds, and every cell that is wrong. The caller
// applies nothing while Errors is not empty, and never a Stale row.
type Upload struct {
	Rows   []UploadRow
	Errors []CellError
}

// UploadRow is one task's entry as filled in.
type UploadRow struct {
	TaskID int64
	// Version is the report's version the workbook was made from.
	Version int64
	// Row is the sheet row of the task's first line, for messages.
	Row int
	Entry
	// Changed says the unit changed the entry since the download.
	Changed bool
	// Stale says it changed and the report was also changed online since
	// the download (its version moved): it is reported, not applied, so that
	// neither change overwrites the other unseen.
	Stale bool
}

// CellError is one wrong cell (or row, when Column is empty).
type CellError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"` // A, B…
	Field   string `json:"field,omitempty"`  // the column's title
	Message string `json:"message"`
}

// String says where and what: 第 7 行 F 列（完成进度(%)）：“五成”不是 0 到 100 之间的数。
func (e CellError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行 %s 列（%s）：%s", e.Row, e.Column, e.Field, e.Message)
}

// Err is nil when the upload has no errors, and otherwise an invalid-input
// error listing them (the first 20, and how many more).
func (u *Upload) Err() error {
	if len(u.Errors) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "填报表有 %d 处错误，未导入任何内容，请改正后重新上传：", len(u.Errors))
	for i, e := range u.Errors {
		if i == 20 {
			fmt.Fprintf(&b, "……另有 %d 处。", len(u.Errors)-20)
			break
		}
		b.WriteString(e.String())
		if !strings.HasSuffix(e.Message, "。") {
			b.WriteString("。")
		}
	}
	return duban.Errorf(duban.EINVALID, "%s", b.String())
}

// Limits on an uploaded workbook: the file, and what it may unzip to (the
// library's defaults allow gigabytes). A fill-in of MaxFillInRows tasks
// is well under them.
const (
	MaxUpload         = 8 << 20
	maxUnzip          = 32 << 20
	maxUnzipXML       = 16 << 20
	maxUploadSheetRow = 4 * MaxFillInRows * 2
)

// ReadFillIn reads a filled-in workbook back, row by row, against now: the
// unit's rows as they stand (their current versions and entries, and the
// choice column as the workbook was made). It returns an error only for a
// file it cannot read at all (not a workbook, too large, not a fill-in);
// what is wrong in the cells is in Upload.Errors, every one with its row
// and column.
func ReadFillIn(r io.Reader, now FillIn) (up *Upload, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUpload+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxUpload {
		return nil, duban.Errorf(duban.ETOOLARGE, "上传的填报表过大（超过 %d MB）。", MaxUpload>>20)
	}
	unreadable := duban.Errorf(duban.EINVALID, "上传的文件不是可读取的 Excel 工作簿（.xlsx）：请上传从系统下载并填写的填报表。")
	// A damaged file must not take the server down with it.
	defer func() {
		if recover() != nil {
			up, err = nil, unreadable
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxUnzipXML})
	if err != nil {
		return nil, unreadable
	}
	defer f.Close()
	notOurs := duban.Errorf(duban.EINVALID, "上传的工作簿不是本系统的填报表，或表头已被改动：请重新下载填报表，填写后上传。")
	if idx, err := f.GetSheetIndex(fillInSheet); err != nil || idx < 0 {
		return nil, notOurs
	}
	rows, err := f.Rows(fillInSheet)
	if err != nil {
		return nil, unreadable
	}
	defer rows.Close()
	rd := newReader(now)
	for n := 1; rows.Next(); n++ {
		if n > maxUploadSheetRow {
			return nil, duban.Errorf(duban.EINVALID, "填报表的行数过多：请重新下载填报表后填写。")
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, unreadable
		}
		if !rd.header && n <= 5 {
			rd.header = slices.Equal(trimRight(cells), rd.titles)
			continue
		}
		if !rd.header {
			return nil, notOurs
		}
		rd.row(n, cells)
	}
	if err := rows.Error(); err != nil {
		return nil, unreadable
	}
	if !rd.header {
		return nil, notOurs
	}
	return rd.finish(), nil
}

// reader checks an upload's rows one at a time.
type reader struct {
	now    FillIn
	cols   []reportColumn
	titles []string
	col    map[field]int // a field's column index
	tasks  map[int64]*ReportRow
	header bool
	up     Upload
	seen   map[string]int // row keys read, and where
	// cur is the task whose rows are being read, curSum the digest of its
	// entry as downloaded.
	cur    *UploadRow
	curSum string
	// skip is set after a task's first row failed, so that its further
	// rows add no errors of their own.
	skip bool
}

func newReader(now FillIn) *reader {
	rd := &reader{now: now, cols: fillInColumns(now.Choice), col: map[field]int{}, tasks: map[int64]*ReportRow{}, seen: map[string]int{}}
	for i, c := range rd.cols {
		rd.titles = append(rd.titles, c.title)
		rd.col[c.field] = i
	}
	for i := range now.Rows {
		rd.tasks[now.Rows[i].TaskID] = &now.Rows[i]
	}
	return rd
}

func trimRight(row []string) []string {
	for len(row) > 0 && strings.TrimSpace(row[len(row)-1]) == "" {
		row = row[:len(row)-1]
	}
	return row
}

// fail records a wrong cell of field f (or the whole row, with f < 0).
func (rd *reader) fail(row int, f field, format string, args ...any) {
	e := CellError{Row: row, Message: fmt.Sprintf(format, args...)}
	if f >= 0 {
		i := rd.col[f]
		e.Column, _ = excelize.ColumnNumberToName(i + 1)
		e.Field = rd.cols[i].title
	}
	rd.up.Errors = append(rd.up.Errors, e)
}

// row reads one sheet row: a heading (no key, nothing filled), a task's
// first row (its entry and first target's actual), or a further target's
// row (that target's actual).
func (rd *reader) row(n int, cells []string) {
	get := func(f field) string {
		if i, ok := rd.col[f]; ok && i < len(cells) {
			return strings.TrimSpace(strings.ReplaceAll(cells[i], "\r\n", "\n"))
		}
		return ""
	}
	key := get(fieldKey)
	if key == "" {
		for _, f := range []field{fieldProgress, fieldCompletion, fieldActual, fieldProblems, fieldNextSteps, fieldChoice} {
			if get(f) != "" {
				rd.fail(n, -1, "这一行不是下载时的任务行（可能是插入的行）：请把内容填在对应任务的行内。")
				return
			}
		}
		return // a heading row
	}
	id, version, k, sum, ok := parseKey(key)
	if ok && k > 1 {
		// A further target's row belongs to the task read just before.
		if rd.cur == nil || rd.cur.TaskID != id {
			if !rd.skip {
				rd.fail(n, -1, "这一行与它所属任务的首行分开了（行被移动）：请重新下载填报表。")
			}
			return
		}
	} else {
		// A task's first row, or a row whose key is broken: the task before
		// it is complete.
		rd.closeTask()
		rd.skip = true // until this row reads as a task
	}
	task := rd.tasks[id]
	switch {
	case !ok || (k <= 1 && sum == ""):
		rd.fail(n, fieldKey, "行标识被改动：请重新下载填报表后填写。")
		return
	case task == nil:
		rd.fail(n, -1, "这项任务不在本单位本期的填报范围内（任务可能已调整）：请重新下载填报表。")
		return
	case (k == 0) != (len(task.Targets) == 0) || k > len(task.Targets):
		rd.fail(n, -1, "这一行的量化指标与系统中的不一致（指标可能已调整）：请重新下载填报表。")
		return
	}
	short := fmt.Sprintf("%d:%d", id, k)
	if prev, dup := rd.seen[short]; dup {
		rd.fail(n, -1, "与第 %d 行是同一任务的同一行：请删除重复的行。", prev)
		return
	}
	rd.seen[short] = n
	if k <= 1 {
		rd.skip = false
		rd.cur = &UploadRow{TaskID: id, Version: version, Row: n, Entry: Entry{Actuals: make([]string, len(task.Targets))}}
		rd.curSum = sum
		rd.cur.Progress = rd.text(n, fieldProgress, get(fieldProgress), MaxProgress)
		rd.cur.Problems = rd.text(n, fieldProblems, get(fieldProblems), MaxNote)
		rd.cur.NextSteps = rd.text(n, fieldNextSteps, get(fieldNextSteps), MaxNote)
		rd.cur.Completion = rd.completion(n, get(fieldCompletion))
		if _, has := rd.col[fieldChoice]; has {
			rd.cur.Choice = rd.choice(n, get(fieldChoice))
		}
	}
	if k >= 1 {
		rd.cur.Actuals[k-1] = rd.text(n, fieldActual, get(fieldActual), MaxActual)
	}
}

// closeTask finishes the task being read: changed when its entry differs
// from the one downloaded, stale when changed and its version moved since.
func (rd *reader) closeTask() {
	u := rd.cur
	if u == nil {
		return
	}
	task := rd.tasks[u.TaskID]
	u.Changed = digest(&u.Entry, len(task.Targets)) != rd.curSum
	u.Stale = u.Changed && u.Version != task.Version
	rd.up.Rows = append(rd.up.Rows, *u)
	rd.cur = nil
}

func (rd *reader) finish() *Upload {
	rd.closeTask()
	return &rd.up
}

// text checks a text's length.
func (rd *reader) text(n int, f field, v string, limit int) string {
	if c := utf8.RuneCountInString(v); c > limit {
		rd.fail(n, f, "有 %d 字，超过 %d 字：请精简。", c, limit)
	}
	return v
}

// completion reads a completion: a number from 0 to 100, with or without a
// per cent sign; empty is none.
func (rd *reader) completion(n int, v string) *float64 {
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimRight(v, "%％")), 64)
	if err != nil || x < 0 || x > 100 || math.IsNaN(x) {
		rd.fail(n, fieldCompletion, "“%s”不是 0 到 100 之间的数。", truncate(v, 20))
		return nil
	}
	return &x
}

// choice checks a value against the drop-down's options; empty is none.
func (rd *reader) choice(n int, v string) string {
	if v != "" && !slices.Contains(rd.now.Choice.Options, v) {
		rd.fail(n, fieldChoice, "“%s”不是下拉列表中的选项（%s）。", truncate(v, 20), strings.Join(rd.now.Choice.Options, "、"))
	}
	return v
}

// parseKey reads a row key (see rowKey): task, version, target, and on a
// task's first row the digest.
func parseKey(key string) (id, version int64, k int, sum string, ok bool) {
	parts := strings.Split(key, ":")
	if len(parts) != 3 && len(parts) != 4 {
		return 0, 0, 0, "", false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	version, err2 := strconv.ParseInt(parts[1], 10, 64)
	k, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || id <= 0 || version < 0 || k < 0 || k > MaxTargets {
		return 0, 0, 0, "", false
	}
	if len(parts) == 4 {
		sum = parts[3]
		if len(sum) != 12 || strings.Trim(sum, "0123456789abcdef") != "" {
			return 0, 0, 0, "", false
		}
	}
	return id, version, k, sum, true
}

// CellError makes the error of a cell of an uploaded row: the column whose
// title is given (进展情况, 实际完成…; "" for the whole row), on the task's
// first row, or for the actual of target (from 0) on that target's row. A
// caller checking more than ReadFillIn does (an actual against its
// target's unit) names the cell as ReadFillIn's own errors do.
func (fi *FillIn) CellError(u *UploadRow, title string, target int, format string, args ...any) CellError {
	e := CellError{Row: u.Row, Message: fmt.Sprintf(format, args...)}
	if title == "" {
		return e
	}
	for i, c := range fillInColumns(fi.Choice) {
		if c.title == title {
			e.Column, _ = excelize.ColumnNumberToName(i + 1)
			e.Field = c.title
			if c.field == fieldActual {
				e.Row += target
			}
		}
	}
	return e
}
