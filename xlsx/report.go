package xlsx

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/chart"
)

// ReportRow is one task's report for a period, or one unit's part of it,
// as the progress book shows it and the fill-in workbook carries it. The
// reporting cycle maps its reports into these rows; the package knows
// nothing else of them.
type ReportRow struct {
	TaskID int64
	// Version is the report's version when the rows were read (0 when
	// nothing is reported yet). The fill-in workbook keeps it, so that an
	// upload can tell a row edited online since the download.
	Version int64
	// Section and Area are the heading rows the task stands under
	// (SectionHeading, AreaHeading); a heading row is written where they
	// change. Area is "" for a task outside any area.
	Section string
	Area    string
	Text    string
	// LeadLeaders, LeadUnits and ResponsibleUnits are the owners' names.
	LeadLeaders      []string
	LeadUnits        []string
	ResponsibleUnits []string
	Deadline         string
	// Part says whose report it is: 牵头 for the lead unit's report of the
	// task, 配合 for a responsible unit's part of it.
	Part string
	// Targets are the task's quantitative targets as the office writes
	// them (新增高新技术企业 ≥ 119 家); Entry.Actuals follow them.
	Targets []string
	Entry
	// Light is the task's status light, one of chart.Lights' words, and
	// Reason its reason in one sentence; the progress book paints the
	// light's cell in the light's colour and writes the word in it.
	Light  string
	Reason string
	// Remark is the task table's 备注: 已撤销 for a withdrawn task.
	Remark string
}

// Entry is what a unit reports on a task for a period.
type Entry struct {
	Progress string // 进展情况
	// Completion is the completion in percent (0–100); nil when not given.
	Completion *float64
	// Actuals are what the targets reached, one per target, as typed
	// (3.87万人); the cycle reads the numbers.
	Actuals   []string
	Problems  string // 存在问题
	NextSteps string // 下一步打算
	// Choice is the value chosen in the fill-in's drop-down column, when
	// it has one.
	Choice string
}

// Limits on an entry, in characters, checked when a filled-in workbook is
// read back and set as the workbook's validation.
const (
	MaxProgress = 2000
	MaxNote     = 1000 // 存在问题, 下一步打算
	MaxActual   = 100
)

// MaxTargets bounds a task's targets: a task states a handful.
const MaxTargets = 50

// checkRows refuses rows the sheets cannot show: too many targets, or more
// actuals than targets.
func checkRows(rows []ReportRow) error {
	for i := range rows {
		r := &rows[i]
		if len(r.Targets) > MaxTargets {
			return duban.Errorf(duban.EINVALID, "任务“%s”的量化指标过多（超过 %d 个）。", truncate(r.Text, 20), MaxTargets)
		}
		if len(r.Actuals) > len(r.Targets) {
			return duban.Errorf(duban.EINVALID, "任务“%s”的实际完成值（%d 个）多于量化指标（%d 个）。", truncate(r.Text, 20), len(r.Actuals), len(r.Targets))
		}
	}
	return nil
}

// field names what a column of a report sheet holds.
type field int

const (
	fieldNo field = iota
	fieldText
	fieldLeaders
	fieldLeadUnits
	fieldUnits
	fieldDeadline
	fieldPart
	fieldProgress
	fieldCompletion
	fieldTarget
	fieldActual
	fieldProblems
	fieldNextSteps
	fieldChoice
	fieldLight
	fieldReason
	fieldRemark
	fieldKey
)

// reportColumn is a column of a report sheet: its look and its field.
type reportColumn struct {
	column
	field field
}

// perTarget reports whether a field has a value on each target's row;
// the other fields are written once and merged down beside the targets.
func (f field) perTarget() bool { return f == fieldTarget || f == fieldActual || f == fieldKey }

// writeReport writes a task's rows: one per target (one when it has none),
// the task's own cells merged down beside them.
func writeReport(s *sheet, cols []reportColumn, n int, r *ReportRow) error {
	rows := max(1, len(r.Targets))
	first := s.row + 1
	for j := range rows {
		cells := make([]cell, len(cols))
		for i, c := range cols {
			kind := styleText
			if c.center {
				kind = styleCentered
			}
			if c.input {
				kind = styleInput
				if c.center {
					kind = styleInputCentered
				}
			}
			cells[i] = cell{kind: kind}
			if j > 0 && !c.field.perTarget() {
				continue // merged into the first row's cell
			}
			switch c.field {
			case fieldNo:
				cells[i].value = strconv.Itoa(n)
			case fieldText:
				cells[i].value = r.Text
			case fieldLeaders:
				cells[i].value = strings.Join(r.LeadLeaders, "、")
			case fieldLeadUnits:
				cells[i].value = strings.Join(r.LeadUnits, "、")
			case fieldUnits:
				cells[i].value = strings.Join(r.ResponsibleUnits, "、")
			case fieldDeadline:
				cells[i].value = r.Deadline
			case fieldPart:
				cells[i].value = r.Part
			case fieldProgress:
				cells[i].value = r.Progress
			case fieldCompletion:
				if r.Completion != nil {
					cells[i].value = *r.Completion
				}
			case fieldTarget:
				cells[i].value = at(r.Targets, j)
			case fieldActual:
				cells[i].value = at(r.Actuals, j)
			case fieldProblems:
				cells[i].value = r.Problems
			case fieldNextSteps:
				cells[i].value = r.NextSteps
			case fieldChoice:
				cells[i].value = r.Choice
			case fieldLight:
				colour := chart.LightColour(r.Light)
				cells[i] = cell{value: r.Light, kind: styleLight, fill: colour.Fill, ink: colour.Ink}
			case fieldReason:
				cells[i].value = r.Reason
			case fieldRemark:
				cells[i].value = r.Remark
			case fieldKey:
				cells[i] = cell{value: rowKey(r, j, len(r.Targets)), kind: styleRowKey}
			}
		}
		if err := s.write(cells, rows); err != nil {
			return err
		}
	}
	var merge []int
	for i, c := range cols {
		if !c.field.perTarget() {
			merge = append(merge, i+1)
		}
	}
	return s.mergeDown(first, merge)
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// writeReports writes rows under their headings.
func writeReports(s *sheet, cols []reportColumn, rows []ReportRow) error {
	for i := range rows {
		r := &rows[i]
		section, area := headingsBefore(rows, i)
		if section {
			if err := s.heading(r.Section, styleSection); err != nil {
				return err
			}
		}
		if area {
			if err := s.heading(r.Area, styleArea); err != nil {
				return err
			}
		}
		if err := writeReport(s, cols, i+1, r); err != nil {
			return err
		}
	}
	return nil
}

// headingsBefore says which heading rows come before rows[i]: its action's
// where the action changes, its area's where the area or the action does.
func headingsBefore(rows []ReportRow, i int) (section, area bool) {
	r := &rows[i]
	newSection := i == 0 || r.Section != rows[i-1].Section
	return newSection && r.Section != "", (newSection || r.Area != rows[i-1].Area) && r.Area != ""
}

// rowsTaken is how many sheet rows writeReports takes for rows.
func rowsTaken(rows []ReportRow) int {
	n := 0
	for i, r := range rows {
		section, area := headingsBefore(rows, i)
		if section {
			n++
		}
		if area {
			n++
		}
		n += max(1, len(r.Targets))
	}
	return n
}

// rowKey is what the fill-in's hidden column holds on each of a task's
// rows: the task, the report's version, the target the row is for (1…, or
// 0 for a task without targets) and, on the first row, a digest of the
// entry as downloaded, so that an upload can tell the rows a unit left as
// they were.
func rowKey(r *ReportRow, j, targets int) string {
	k := j + 1
	if targets == 0 {
		k = 0
	}
	key := fmt.Sprintf("%d:%d:%d", r.TaskID, r.Version, k)
	if j == 0 {
		key += ":" + digest(&r.Entry, targets)
	}
	return key
}

// digest is a short hash of an entry's canonical form, with one actual for
// each of the task's targets.
func digest(e *Entry, targets int) string {
	var b strings.Builder
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	b.WriteString(norm(e.Progress))
	b.WriteByte(0)
	if e.Completion != nil {
		b.WriteString(strconv.FormatFloat(*e.Completion, 'g', -1, 64))
	}
	for i := range targets {
		b.WriteByte(0)
		b.WriteString(norm(at(e.Actuals, i)))
	}
	for _, s := range []string{e.Problems, e.NextSteps, e.Choice} {
		b.WriteByte(1)
		b.WriteString(norm(s))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:6])
}
