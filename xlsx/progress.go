package xlsx

import (
	"io"
	"strings"

	"github.com/dubanhq/duban"
)

// ProgressBook is a period's progress book (进展台账): a sheet per plan,
// each task with its report, completion, targets against actuals, its
// light (the cell in the light's colour, with the word) and the light's
// reason.
type ProgressBook struct {
	Sheets []ProgressSheet
}

// ProgressSheet is one plan's part of the book.
type ProgressSheet struct {
	// Name is the sheet's tab (the plan's short name); it is made valid and
	// unique (at most 31 characters, none of : \ / ? * [ ]).
	Name string
	// Title heads the sheet: 2022年5月重点任务进展台账.
	Title string
	Rows  []ReportRow
}

// The progress book's columns.
var progressColumns = []reportColumn{
	{column{title: "序号", width: 5, center: true}, fieldNo},
	{column{title: "任务内容", width: 40}, fieldText},
	{column{title: "牵头领导", width: 9, center: true}, fieldLeaders},
	{column{title: "牵头单位", width: 13, center: true}, fieldLeadUnits},
	{column{title: "责任单位", width: 16}, fieldUnits},
	{column{title: "完成时限", width: 11, center: true}, fieldDeadline},
	{column{title: "进展情况", width: 44}, fieldProgress},
	{column{title: "完成进度(%)", width: 8, center: true}, fieldCompletion},
	{column{title: "量化指标", width: 20}, fieldTarget},
	{column{title: "实际完成", width: 12, center: true}, fieldActual},
	{column{title: "状态", width: 9, center: true}, fieldLight},
	{column{title: "状态说明", width: 24}, fieldReason},
	{column{title: "存在问题", width: 20}, fieldProblems},
	{column{title: "下一步打算", width: 20}, fieldNextSteps},
}

// Bounds on a progress book: 200 plans of 20,000 rows would be far past any
// district's year.
const (
	MaxSheets   = 200
	MaxBookRows = 200000
)

// WriteProgressBook writes the progress book.
func WriteProgressBook(w io.Writer, pb ProgressBook) error {
	if len(pb.Sheets) == 0 {
		return duban.Errorf(duban.EINVALID, "进展台账没有内容。")
	}
	if len(pb.Sheets) > MaxSheets {
		return duban.Errorf(duban.EINVALID, "进展台账的工作表过多（超过 %d 个）。", MaxSheets)
	}
	total := 0
	for _, s := range pb.Sheets {
		if strings.TrimSpace(s.Title) == "" {
			return duban.Errorf(duban.EINVALID, "进展台账的工作表“%s”缺少标题。", s.Name)
		}
		if err := checkRows(s.Rows); err != nil {
			return err
		}
		total += len(s.Rows)
	}
	if total > MaxBookRows {
		return duban.Errorf(duban.EINVALID, "进展台账的任务过多（超过 %d 项）：请按文件分别导出。", MaxBookRows)
	}
	b := newBook()
	defer b.f.Close()
	taken := map[string]bool{}
	cols := columnsOf(progressColumns)
	for _, ps := range pb.Sheets {
		s, err := b.startSheet(&sheetSpec{name: sheetName(ps.Name, taken), title: ps.Title, columns: cols})
		if err != nil {
			return err
		}
		if err := writeReports(s, progressColumns, ps.Rows); err != nil {
			return err
		}
		if err := s.flush(); err != nil {
			return err
		}
	}
	return b.f.Write(w)
}
