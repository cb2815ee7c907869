package cycle

import "github.com/dubanhq/duban"

// The fill-in workbook (填报表): a unit's reports of a period, downloaded,
// filled in offline and uploaded back as its reports.

// What a row of the fill-in workbook asks done with it, chosen from its
// drop-down list: hand the report in, or keep it as a draft.
const (
	FillInSubmit = "报送"
	FillInDraft  = "暂存"
)

// FillInChoices are the drop-down's options, in order.
var FillInChoices = []string{FillInSubmit, FillInDraft}

// CanFillIn reports whether u may download and upload unit's fill-in
// workbook: the office, for any unit (entering reports given on paper), or
// the clerk of that unit.
func CanFillIn(u *duban.User, unitID int64) bool {
	if duban.IsOffice(u) {
		return unitID != 0
	}
	return duban.Active(u) && u.Role == duban.RoleClerk && u.UnitID != 0 && u.UnitID == unitID
}

// CanFillInAny is CanFillIn's coarse form for routes: those who fill in
// some unit's workbook.
func CanFillInAny(u *duban.User) bool {
	return duban.IsOffice(u) || (duban.Active(u) && u.Role == duban.RoleClerk && u.UnitID != 0)
}

// Locked reports whether a unit may no longer change a report in state s
// of kind k: a task's report handed in waits for the office, and an
// accepted one is final; a unit's part may be corrected until the period
// closes.
func Locked(k ReportKind, s ReportState) bool {
	if k == ReportPart {
		return s == ReportAccepted
	}
	return s == ReportSubmitted || s == ReportResubmitted || s == ReportAccepted
}
