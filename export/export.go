// Package export makes the reporting cycle's files from the domain's
// services: a plan's task table (任务分解表), a period's progress book
// (进展台账) and a unit's fill-in workbook (填报表) through package xlsx, the
// period's bulletin (通报) through package docx; and it reads a filled-in
// workbook back, checks it row by row and saves it as the unit's reports in
// one go. The pages, the API and the command make the same files with it.
package export

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// Services are what the files are made from: the ledger's services and the
// cycle's. Groups may be nil while the directory keeps no group
// membership; Today, when nil, is the clock's day in Beijing.
type Services struct {
	Plans     duban.PlanService
	Tasks     duban.TaskService
	Units     duban.UnitService
	Leaders   duban.LeaderService
	Periods   cycle.PeriodService
	Reports   cycle.ReportService
	Lights    cycle.LightService
	Reminders cycle.ReminderService
	Bulletins cycle.BulletinService
	Groups    cycle.GroupMembers
	Today     func() duban.Date
}

// today is the day in Beijing.
func (s *Services) today() duban.Date {
	if s.Today != nil {
		return s.Today()
	}
	return duban.Today(time.Now())
}

// groups returns the directory's group membership, or none.
func (s *Services) groups(ctx context.Context) (cycle.Groups, error) {
	if s.Groups == nil {
		return nil, nil
	}
	return s.Groups.FindGroupMembers(ctx)
}

// The files' media types.
const (
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// File is a file made for download: its name, its media type and what
// writes it.
type File struct {
	Name        string
	ContentType string
	write       func(io.Writer) error
}

// Write writes the file.
func (f *File) Write(w io.Writer) error { return f.write(w) }

// fileName makes a file name of words: what a Windows or a phone accepts,
// without the characters they refuse.
func fileName(words, ext string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`\/:*?"<>|`, r), unicode.IsControl(r):
			return '_'
		}
		return r
	}, strings.TrimSpace(words))
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	return name + ext
}

// sectionTitles and areaTitles index a plan's headings.
func headings(p *duban.Plan) (map[int]string, map[[2]int]string) {
	sections := map[int]string{}
	for _, s := range p.Sections {
		sections[s.No] = s.Title
	}
	areas := map[[2]int]string{}
	for _, a := range p.Areas {
		areas[[2]int{a.Section, a.No}] = a.Title
	}
	return sections, areas
}

// targetText writes a target as the office does: 新增市场主体 ≥ 100 家.
func targetText(in *duban.Indicator) string { return in.Metric + " " + in.Goal() }
