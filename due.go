package duban

// DueChoice selects tasks by their deadline as of a day: those due this
// month, those whose date has passed, those without end, those whose
// deadline could not be read. The ledger and the homes offer them.
type DueChoice string

// The choices of tasks by deadline.
const (
	DueAny       DueChoice = ""
	DueThisMonth DueChoice = "month"   // the date falls in the month of today
	DueOverdue   DueChoice = "overdue" // the date is before today
	DueOngoing   DueChoice = "ongoing" // 长期坚持, 持续推进: no date
	DueUnread    DueChoice = "unread"  // a text that reads as no date
)

// DueChoices are the choices, in the order forms offer them.
var DueChoices = []DueChoice{DueThisMonth, DueOverdue, DueOngoing, DueUnread}

// Label is the choice as users read it.
func (c DueChoice) Label() string {
	switch c {
	case DueThisMonth:
		return "本月到期"
	case DueOverdue:
		return "已过完成时限"
	case DueOngoing:
		return "长期坚持"
	case DueUnread:
		return "时限未能识别"
	}
	return "不限"
}

// Valid reports whether c is one of the choices or none.
func (c DueChoice) Valid() bool {
	return c == DueAny || c == DueThisMonth || c == DueOverdue || c == DueOngoing || c == DueUnread
}

// Narrow sets f to select the tasks of the choice as of today.
func (c DueChoice) Narrow(f *TaskFilter, today Date) {
	switch c {
	case DueThisMonth:
		from, to := NewDate(today.Year, today.Month, 1), LastDayOf(today.Year, today.Month)
		f.DueFrom, f.DueTo = &from, &to
	case DueOverdue:
		to := today.AddDays(-1)
		f.DueTo = &to
	case DueOngoing, DueUnread:
		k := DeadlineOngoing
		if c == DueUnread {
			k = DeadlineUnread
		}
		f.DeadlineKind = &k
	}
}

// Overdue reports whether the task's deadline date has passed on today: a
// task without a date never is.
func (t *Task) Overdue(today Date) bool {
	return t.DeadlineKind == DeadlineDate && !t.DeadlineDate.IsZero() && t.DeadlineDate.Before(today)
}
