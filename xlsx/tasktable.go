package xlsx

import (
	"io"
	"strconv"
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
var taskColumns = []column{
	{title: "序号", width: 6, center: true},
	{title: "任务内容", width: 60},
	{title: "牵头领导", width: 10, center: true},
	{title: "牵头单位", width: 16, center: true},
	{title: "责任单位", width: 24},
	{title: "完成时限", width: 14, center: true},
	{title: "备注", width: 10, center: true},
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
	s, err := b.startSheet(&sheetSpec{name: "任务分解表", title: t.Title, columns: taskColumns})
	if err != nil {
		return err
	}
	h := newHeadings(t.Sections, t.Areas)
	for i, task := range t.Tasks {
		if err := h.before(s, task.Section, task.Area); err != nil {
			return err
		}
		remark := ""
		if task.State == duban.TaskWithdrawn {
			remark = "已撤销"
		}
		if err := s.write([]cell{
			{value: strconv.Itoa(i + 1), kind: styleCentered},
			{value: task.Text, kind: styleText},
			{value: names(task.LeadLeaders), kind: styleCentered},
			{value: names(task.LeadUnits), kind: styleCentered},
			{value: names(task.ResponsibleUnits), kind: styleText},
			{value: task.Deadline, kind: styleCentered},
			{value: remark, kind: styleCentered},
		}, 1); err != nil {
			return err
		}
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.f.Write(w)
}

// names joins owners' names as the notices list them: 区财政局、区发展和改革局.
func names(owners []duban.Owner) string {
	return strings.Join(duban.OwnerNames(owners), "、")
}

// headings writes an action's heading row before its first task and an
// area's before the area's first task: 一、 for actions (the main targets,
// section 0, without a number) and （一） for areas.
type headings struct {
	sections map[int]string
	areas    map[[2]int]string
	written  bool
	section  int
	area     int
}

func newHeadings(sections []duban.Section, areas []duban.Area) *headings {
	h := &headings{sections: map[int]string{}, areas: map[[2]int]string{}}
	for _, s := range sections {
		h.sections[s.No] = s.Title
	}
	for _, a := range areas {
		h.areas[[2]int{a.Section, a.No}] = a.Title
	}
	return h
}

func (h *headings) before(s *sheet, section, area int) error {
	newSection := !h.written || section != h.section
	if newSection {
		if err := s.heading(SectionHeading(section, h.sections[section]), styleSection); err != nil {
			return err
		}
	}
	if (newSection || area != h.area) && area > 0 {
		if err := s.heading(AreaHeading(area, h.areas[[2]int{section, area}]), styleArea); err != nil {
			return err
		}
	}
	h.written, h.section, h.area = true, section, area
	return nil
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
