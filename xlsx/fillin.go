package xlsx

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/xuri/excelize/v2"
)

// FillIn is a unit's fill-in workbook (填报表) for a period: its tasks, what
// it has reported so far, and cells to fill in offline. The cells to fill
// are unlocked and shaded, the rest protected; a hidden column keeps each
// row's task, the report's version and a digest of what was downloaded.
// ReadFillIn reads a filled-in one back against the rows as they stand.
type FillIn struct {
	// Title heads the sheet: 区财政局 2022年5月 重点任务进展填报表.
	Title string
	// Note is the line of instructions under the title; DefaultNote when
	// empty.
	Note string
	// Choice, when set, adds a column whose value is chosen from a
	// drop-down list (推进状态: 未启动、推进中、已完成).
	Choice *Choice
	Rows   []ReportRow
}

// Choice is a drop-down column of the fill-in workbook.
type Choice struct {
	Title   string
	Options []string
}

// DefaultNote tells the unit what to do with the workbook.
const DefaultNote = "请在底色为浅黄的单元格中填写；完成进度填 0 到 100 之间的数（百分比）；量化指标的实际完成填在各指标所在行。" +
	"请勿增删行列或改动其他单元格，填好后在系统中上传本表。"

// fillInSheet is the fill-in workbook's one sheet; fillInMark, in the
// hidden column's header, tells the reader the workbook is one of these.
const (
	fillInSheet = "填报"
	fillInMark  = "duban-fillin/1"
)

// fillInColumns are the workbook's columns: the optional choice column
// before the hidden key.
func fillInColumns(choice *Choice) []reportColumn {
	cols := []reportColumn{
		{column{title: "序号", width: 5, center: true}, fieldNo},
		{column{title: "任务内容", width: 44}, fieldText},
		{column{title: "职责", width: 7, center: true}, fieldPart},
		{column{title: "完成时限", width: 11, center: true}, fieldDeadline},
		{column{title: "进展情况", width: 44, input: true}, fieldProgress},
		{column{title: "完成进度(%)", width: 9, center: true, input: true}, fieldCompletion},
		{column{title: "量化指标", width: 20}, fieldTarget},
		{column{title: "实际完成", width: 12, center: true, input: true}, fieldActual},
		{column{title: "存在问题", width: 24, input: true}, fieldProblems},
		{column{title: "下一步打算", width: 24, input: true}, fieldNextSteps},
	}
	if choice != nil {
		cols = append(cols, reportColumn{column{title: choice.Title, width: 12, center: true, input: true}, fieldChoice})
	}
	return append(cols, reportColumn{column{title: fillInMark, width: 24}, fieldKey})
}

// MaxFillInRows bounds a fill-in workbook's tasks, and so what an upload
// may hold.
const MaxFillInRows = 2000

func (fi *FillIn) check() error {
	switch {
	case strings.TrimSpace(fi.Title) == "":
		return duban.Errorf(duban.EINVALID, "填报表缺少标题。")
	case len(fi.Rows) > MaxFillInRows:
		return duban.Errorf(duban.EINVALID, "填报表的任务过多（超过 %d 项）。", MaxFillInRows)
	}
	if c := fi.Choice; c != nil {
		if strings.TrimSpace(c.Title) == "" || len(c.Options) == 0 {
			return duban.Errorf(duban.EINVALID, "填报表的下拉列缺少标题或选项。")
		}
		for _, o := range c.Options {
			if strings.TrimSpace(o) == "" || strings.ContainsAny(o, ",\"") {
				return duban.Errorf(duban.EINVALID, "下拉选项“%s”不正确：不能为空或含逗号和引号。", o)
			}
		}
		// Excel keeps a list written in the validation to 255 characters.
		if utf8.RuneCountInString(strings.Join(c.Options, ",")) > 255 {
			return duban.Errorf(duban.EINVALID, "下拉选项合计过长（超过 255 字）。")
		}
	}
	seen := map[int64]bool{}
	for _, r := range fi.Rows {
		if r.TaskID <= 0 || seen[r.TaskID] {
			return duban.Errorf(duban.EINVALID, "填报表中的任务编号 %d 重复或不正确。", r.TaskID)
		}
		seen[r.TaskID] = true
	}
	return checkRows(fi.Rows)
}

// WriteFillIn writes the unit's fill-in workbook.
func WriteFillIn(w io.Writer, fi FillIn) error {
	if err := fi.check(); err != nil {
		return err
	}
	cols := fillInColumns(fi.Choice)
	note := fi.Note
	if note == "" {
		note = DefaultNote
	}
	spec := &sheetSpec{name: fillInSheet, title: fi.Title, note: note, columns: columnsOf(cols), hidden: 1}
	// The validations cover the rows the tasks take.
	first := spec.headerRow() + 1
	last := max(first, spec.headerRow()+rowsTaken(fi.Rows))
	spec.prepare = func(f *excelize.File, sheet string) error {
		return prepareFillIn(f, sheet, cols, fi.Choice, first, last)
	}
	b := newBook()
	defer b.f.Close()
	s, err := b.startSheet(spec)
	if err != nil {
		return err
	}
	if err := writeReports(s, cols, fi.Rows); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.f.Write(w)
}

// prepareFillIn adds the input cells' validations (numbers, lengths, the
// drop-down list) with their prompts, and protects the sheet: a unit may
// select cells and resize rows, but change only the unlocked ones, and
// neither insert, delete nor unhide rows and columns.
func prepareFillIn(f *excelize.File, sheet string, cols []reportColumn, choice *Choice, first, last int) error {
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", name, first, name, last))
		var err error
		switch c.field {
		case fieldCompletion:
			err = dv.SetRange(0, 100, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
			dv.SetInput(c.title, "填写 0 到 100 之间的数，如 60 表示完成 60%。")
			dv.SetError(excelize.DataValidationErrorStyleStop, c.title, "完成进度应为 0 到 100 之间的数。")
		case fieldProgress, fieldProblems, fieldNextSteps, fieldActual:
			limit := MaxNote
			switch c.field {
			case fieldProgress:
				limit = MaxProgress
			case fieldActual:
				limit = MaxActual
			}
			err = dv.SetRange(0, limit, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
			dv.SetError(excelize.DataValidationErrorStyleStop, c.title, fmt.Sprintf("%s不能超过 %d 字。", c.title, limit))
		case fieldChoice:
			err = dv.SetDropList(choice.Options)
			dv.SetError(excelize.DataValidationErrorStyleStop, c.title, "请从下拉列表中选择。")
		default:
			continue
		}
		if err != nil {
			return err
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatRows: true,
	})
}
