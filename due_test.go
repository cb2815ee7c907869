package duban_test

import (
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// TestDueChoice narrows a filter to the tasks due this month, overdue,
// ongoing or unread, as of a day.
func TestDueChoice(t *testing.T) {
	today := duban.NewDate(2022, time.September, 14)
	for _, c := range []struct {
		choice   duban.DueChoice
		from, to string
		kind     duban.DeadlineKind
		hasKind  bool
		label    string
	}{
		{duban.DueThisMonth, "2022-09-01", "2022-09-30", "", false, "本月到期"},
		{duban.DueOverdue, "", "2022-09-13", "", false, "已过完成时限"},
		{duban.DueOngoing, "", "", duban.DeadlineOngoing, true, "长期坚持"},
		{duban.DueUnread, "", "", duban.DeadlineUnread, true, "时限未能识别"},
		{duban.DueAny, "", "", "", false, "不限"},
	} {
		var f duban.TaskFilter
		c.choice.Narrow(&f, today)
		str := func(d *duban.Date) string {
			if d == nil {
				return ""
			}
			return d.String()
		}
		if str(f.DueFrom) != c.from || str(f.DueTo) != c.to || (f.DeadlineKind != nil) != c.hasKind ||
			(c.hasKind && *f.DeadlineKind != c.kind) || c.choice.Label() != c.label || !c.choice.Valid() {
			t.Errorf("%q: got from %s to %s kind %v label %q", c.choice, str(f.DueFrom), str(f.DueTo), f.DeadlineKind, c.choice.Label())
		}
	}
	if duban.DueChoice("soon").Valid() {
		t.Error("an unknown choice is valid")
	}
	task := &duban.Task{Deadline: "9月底前"}
	task.ReadDeadline(2022)
	if task.Overdue(today) || !task.Overdue(duban.NewDate(2022, time.October, 1)) {
		t.Errorf("a task due 30 September: overdue on the 14th %v, on 1 October %v", task.Overdue(today), task.Overdue(duban.NewDate(2022, time.October, 1)))
	}
	ongoing := &duban.Task{Deadline: "长期坚持"}
	ongoing.ReadDeadline(2022)
	if ongoing.Overdue(duban.NewDate(2030, time.January, 1)) {
		t.Error("an ongoing task is overdue")
	}
}
