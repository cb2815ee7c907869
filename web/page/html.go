package page

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// The helpers below write in Go, escaping each value, the pieces a page
// repeats by the hundred (owners in every row, a unit in every option),
// which html/template's reflection per value would make most of a ledger's
// cost.

// ownerLinks links each owner to its page (path + ID), names separated by
// 、; a name not mapped to the directory is plain text.
func ownerLinks(path string, owners []duban.Owner) template.HTML {
	var b strings.Builder
	writeOwnerLinks(&b, path, owners)
	return template.HTML(b.String())
}

func writeOwnerLinks(b *strings.Builder, path string, owners []duban.Owner) {
	for i, o := range owners {
		if i > 0 {
			b.WriteString("、")
		}
		if o.ID == 0 {
			web.Escape(b, o.Name)
			continue
		}
		b.WriteString(`<a href="`)
		b.WriteString(path)
		b.WriteString(strconv.FormatInt(o.ID, 10))
		b.WriteString(`">`)
		web.Escape(b, o.Name)
		b.WriteString("</a>")
	}
}

// Option writes one option of a select.
func Option(b *strings.Builder, value, label string, selected bool) {
	b.WriteString(`<option value="`)
	web.Escape(b, value)
	b.WriteString(`"`)
	if selected {
		b.WriteString(" selected")
	}
	b.WriteString(">")
	web.Escape(b, label)
	b.WriteString("</option>\n")
}

// unitOptions are the options of a select of units, the one of ID selected
// marked.
func unitOptions(units []*duban.Unit, selected int64) template.HTML {
	var b strings.Builder
	for _, u := range units {
		Option(&b, strconv.FormatInt(u.ID, 10), u.Name, u.ID == selected)
	}
	return template.HTML(b.String())
}

// yearOptions are the options of a select of years.
func yearOptions(years []int, selected int) template.HTML {
	var b strings.Builder
	for _, y := range years {
		v := strconv.Itoa(y)
		Option(&b, v, v, y == selected)
	}
	return template.HTML(b.String())
}

// leaderOptions are the options of a select of leaders.
func leaderOptions(leaders []*duban.Leader, selected int64) template.HTML {
	var b strings.Builder
	for _, l := range leaders {
		Option(&b, strconv.FormatInt(l.ID, 10), l.Name, l.ID == selected)
	}
	return template.HTML(b.String())
}

// taskTable writes the rows of a table of tasks: each task's number (and
// year), text, owners and deadline, and, for the ledger, how many targets
// it has and the day it last changed. It is the piece a page repeats most,
// so it is written in Go rather than by html/template.
type taskTable struct {
	tr web.Translator
	// planNames names the plan of each task, by ID, on its year; the query
	// is marked in each text; ledger adds the count of targets and the
	// column of the day of the last change.
	planNames map[int64]string
	query     string
	ledger    bool
	// today marks the deadlines passed on it; the zero date marks none.
	today duban.Date
	// lights are the tasks' latest lights, shown in a column of their own
	// when not nil.
	lights map[int64]*cycle.Light
}

// rows writes the table's rows, in the columns of its head.
func (tt taskTable) rows(tasks []*duban.Task) template.HTML {
	label := func(class, text string) string {
		var b strings.Builder
		b.WriteString("</td>\n      <td" + class + ` data-label="`)
		web.Escape(&b, text)
		b.WriteString(`">`)
		return b.String()
	}
	// Each cell's end and the next one's start, which are the same in
	// every row.
	leaders, leads, shares := label("", tt.tr.T("牵头领导")), label("", tt.tr.T("牵头单位")), label("", tt.tr.T("责任单位"))
	deadline, overdue, updated := label("", tt.tr.T("完成时限")), label(` class="overdue"`, tt.tr.T("完成时限")), label(` class="date"`, tt.tr.T("更新"))
	unread := tt.tr.T(duban.DeadlineUnread.Label())
	light := label(` class="status"`, tt.tr.T("状态"))
	var b strings.Builder
	b.Grow(len(tasks) * 1500)
	for _, t := range tasks {
		id := strconv.FormatInt(t.ID, 10)
		b.WriteString("\n    <tr>\n      <td class=\"no\"><a href=\"/tasks/")
		b.WriteString(id)
		b.WriteString(`">`)
		web.Escape(&b, t.No)
		b.WriteString("</a><small")
		if tt.planNames != nil {
			b.WriteString(` title="`)
			web.Escape(&b, tt.planNames[t.PlanID])
			b.WriteString(`"`)
		}
		b.WriteString(">")
		b.WriteString(strconv.Itoa(t.Year))
		b.WriteString("</small></td>\n      <td class=\"text\"><a href=\"/tasks/")
		b.WriteString(id)
		b.WriteString(`">`)
		writeHighlight(&b, t.Text, tt.query)
		b.WriteString("</a>")
		if tt.ledger && len(t.Indicators) > 0 {
			b.WriteString(` <span class="tag">`)
			web.Escape(&b, tt.tr.T("%d 个指标", len(t.Indicators)))
			b.WriteString("</span>")
		}
		if tt.lights != nil {
			b.WriteString(light)
			writeLight(&b, tt.tr, tt.lights[t.ID], true)
		}
		b.WriteString(leaders)
		writeOwnerLinks(&b, "/leaders/", t.LeadLeaders)
		b.WriteString(leads)
		writeOwnerLinks(&b, "/units/", t.LeadUnits)
		b.WriteString(shares)
		writeOwnerLinks(&b, "/units/", t.ResponsibleUnits)
		if !tt.today.IsZero() && t.Overdue(tt.today) {
			b.WriteString(overdue)
		} else {
			b.WriteString(deadline)
		}
		web.Escape(&b, t.Deadline)
		// The text as written, and the date it is read as behind it.
		switch t.DeadlineKind {
		case duban.DeadlineDate:
			b.WriteString(`<small class="due">`)
			b.WriteString(tt.dateLabel(t.DeadlineDate))
			b.WriteString("</small>")
		case duban.DeadlineUnread:
			b.WriteString(`<small class="due warn">`)
			web.Escape(&b, unread)
			b.WriteString("</small>")
		}
		if tt.ledger {
			b.WriteString(updated)
			b.WriteString(date(t.UpdatedAt))
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String())
}

// dateLabel writes a deadline's date in the table's language: 9月30日, 30
// September.
func (tt taskTable) dateLabel(d duban.Date) string {
	if tt.tr.Lang() == "en" {
		return d.LabelEN()
	}
	return d.Label()
}

// date writes a day as the government writes it, in its time zone; the
// zero time as nothing.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(displayZone).Format("2006-01-02")
}

// displayZone is the time zone times are shown in: the government's.
var displayZone = web.DisplayZone

// highlight escapes text and marks each place where q occurs in it, so
// that a keyword search shows where it matched.
func highlight(text, q string) template.HTML {
	var b strings.Builder
	writeHighlight(&b, text, q)
	return template.HTML(b.String())
}

// writeHighlight writes highlight's text into a page being written.
func writeHighlight(b *strings.Builder, text, q string) {
	for q != "" {
		i := strings.Index(text, q)
		if i < 0 {
			break
		}
		web.Escape(b, text[:i])
		b.WriteString("<mark>")
		web.Escape(b, q)
		b.WriteString("</mark>")
		text = text[i+len(q):]
	}
	web.Escape(b, text)
}
