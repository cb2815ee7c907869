package xlsx

import (
	"io"
	"strings"

	"github.com/dubanhq/duban"
)

// TaskTable is the task table (任务分解表) of a plan, or of the part of it
// one unit or one leader answers for: the caller filters the tasks.
type TaskTable struct {
	// Title heads the sheet: 2022年政府工作报告目标任务分解表（区财政局）.
	Title    string
	Sections []duban.Section
	Areas    []duban.Area
	// Tasks are written in the order given (plan order), each under its
	// action's and area's heading rows.
	Tasks []*duban.Task
}

// The task table's columns, as offices print it.
var taskColumns = []reportColumn{
	{column{title: "序号", width: 6, center: true}, fieldNo},
	{column{title: "任务内容", width: 60}, fieldText},
	{column{title: "牵头领导", width: 10, center: true}, fieldLeaders},
	{column{title: "牵头单位", width: 16, center: true}, fieldLeadUnits},
	{column{title: "责任单位", width: 24}, fieldUnits},
	{column{title: "完成时限", width: 14, center: true}, fieldDeadline},
	{column{title: "备注", width: 10, center: true}, fieldRemark},
}

// MaxTasks bounds a table: more than any plan holds, few enough that a
// table stays a document to print.
const MaxTasks = 20000

// WriteTaskTable writes the task table as a workbook of one sheet.
func WriteTaskTable(w io.Writer, t TaskTable) error {
	if strings.TrimSpace(t.Title) == "" {
		return duban.Errorf(duban.EINVALID, "任务分解表缺少标题。")
	}
	if len(t.Tasks) > MaxTasks {
		return duban.Errorf(duban.EINVALID, "任务过多（超过 %d 项），请按单位或领导分别导出。", MaxTasks)
	}
	b := newBook()
	defer b.f.Close()
	s, err := b.startSheet(&sheetSpec{name: "任务分解表", title: t.Title, columns: columnsOf(taskColumns)})
	if err != nil {
		return err
	}
	if err := writeReports(s, taskColumns, taskRows(t)); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.f.Write(w)
}

// taskRows are the table's tasks as rows under their headings.
func taskRows(t TaskTable) []ReportRow {
	sections := map[int]string{}
	for _, s := range t.Sections {
		sections[s.No] = s.Title
	}
	areas := map[[2]int]string{}
	for _, a := range t.Areas {
		areas[[2]int{a.Section, a.No}] = a.Title
	}
	rows := make([]ReportRow, len(t.Tasks))
	for i, task := range t.Tasks {
		r := &rows[i]
		r.TaskID, r.Text, r.Deadline = task.ID, task.Text, task.Deadline
		r.Section = SectionHeading(task.Section, sections[task.Section])
		if task.Area > 0 {
			r.Area = AreaHeading(task.Area, areas[[2]int{task.Section, task.Area}])
		}
		r.LeadLeaders = duban.OwnerNames(task.LeadLeaders)
		r.LeadUnits = duban.OwnerNames(task.LeadUnits)
		r.ResponsibleUnits = duban.OwnerNames(task.ResponsibleUnits)
		if task.State == duban.TaskWithdrawn {
			r.Remark = "已撤销"
		}
	}
	return rows
}

// SectionHeading is an action's heading row: 一、大力实施城市更新行动…, or the
// title alone for section 0 (主要预期目标).
func SectionHeading(no int, title string) string {
	if title == "" {
		title = "行动" + duban.ChineseNumeral(no)
		if no == 0 {
			title = "主要预期目标"
		}
	}
	if no == 0 {
		return title
	}
	return duban.ChineseNumeral(no) + "、" + title
}

// AreaHeading is an area's heading row: （一）加快放大政策集成强效应.
func AreaHeading(no int, title string) string {
	if title == "" {
		title = "重点领域"
	}
	return "（" + duban.ChineseNumeral(no) + "）" + title
}
