package review

import (
	"net/url"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// reviewExamplePages are examples of the import and review pages for the
// template test, one for each form the review page can open, with hostile
// text wherever a notice or a user's text goes.
func reviewExamplePages() []web.Page {
	at := time.Date(2022, 4, 22, 9, 30, 0, 0, time.UTC)
	upper := 3.0
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, DocNumber: "历下政办字〔2022〕3号" + hostile,
		Issuer: hostile, Date: "2022-04-22", State: duban.PlanDraft, TaskCount: 2, Issues: 2, OpenStatements: 1,
		Sections: []duban.Section{{No: 0, Title: "主要预期目标"}, {No: 1, Title: hostile}},
		Areas:    []duban.Area{{Section: 1, No: 1, Title: hostile}},
		Warnings: []duban.Warning{{Line: 3, Code: "unassigned", Message: hostile}},
	}
	task := &duban.Task{ID: 7, PlanID: 1, Section: 1, Area: 1, Seq: 1, No: "1.1.1", Line: 3, State: duban.TaskActive,
		Text: "推进城市更新" + hostile + "；完成片区改造。", Deadline: hostile,
		LeadLeaders:      []duban.Owner{{ID: 3, Name: "武毅"}, {Name: hostile}},
		LeadUnits:        []duban.Owner{{ID: 5, Name: hostile}, {Name: "区发改局" + hostile}},
		ResponsibleUnits: []duban.Owner{{Name: "相关街道办事处"}},
		Indicators:       []duban.Indicator{{Text: hostile, Metric: hostile, Value: 2, Upper: &upper, Unit: hostile, Cmp: duban.CmpRange}},
		Issued:           &duban.IssuedTask{Text: hostile},
		CreatedAt:        at, UpdatedAt: at,
	}
	other := &duban.Task{ID: 8, PlanID: 1, Section: 1, Area: 1, Seq: 2, No: "1.1.2", Line: 5, State: duban.TaskActive, Text: hostile,
		LeadUnits: []duban.Owner{{ID: 5, Name: "区财政局"}}}
	withdrawn := &duban.Task{ID: 9, PlanID: 1, Section: 0, Seq: 1, No: "0.0.1", State: duban.TaskWithdrawn, Text: hostile,
		LeadUnits: []duban.Owner{{ID: 5, Name: "区财政局"}}}
	open := &duban.Statement{ID: 4, PlanID: 1, Section: 1, Area: 1, Line: 3, Text: hostile, State: duban.StatementOpen}
	assigned := &duban.Statement{ID: 5, PlanID: 1, Section: 1, Line: 9, Text: hostile, State: duban.StatementAssigned, TaskID: 8}
	dismissed := &duban.Statement{ID: 6, PlanID: 1, Section: 1, Line: 9, Text: hostile, State: duban.StatementDismissed, Note: hostile}
	street := &duban.Unit{ID: 11, Name: "泉城路街道办事处" + hostile, Kind: duban.UnitStreet}
	review := func(focus reviewFocus) *planPageData {
		p := &planPageData{
			Plan: plan, Focus: focus, Draft: true, CanReview: true, CanMap: true, Open: 1, FirstOpen: 4, Withdrawn: 1,
			SourceName: hostile + ".docx",
			Source: []*sourceBlock{
				{Line: 1, Text: hostile},
				{Line: 3, Text: hostile + task.Text + hostile + open.Text, Warnings: plan.Warnings, Tasks: []*duban.Task{task}, Statements: []*duban.Statement{open}},
				{Line: 5, Text: hostile + " ｜ " + hostile},
			},
			Names:   []*nameRef{{Name: "区发改局" + hostile, Kind: duban.UnitDepartment, Tasks: []*duban.Task{task}, Next: hostile}},
			Leaders: []string{hostile},
			Groups: []*groupRef{
				{Name: "相关街道办事处", Scope: duban.GroupScope{Kind: duban.UnitStreet, Choose: true}, Tasks: []*duban.Task{task}, Members: []*duban.Unit{street}},
				{Name: "各街道办事处" + hostile, Scope: duban.GroupScope{Kind: duban.UnitStreet}, Tasks: []*duban.Task{task}, Members: []*duban.Unit{street}},
				{Name: "各产业主管部门", Scope: duban.GroupScope{Kind: duban.UnitDepartment, Choose: true}, Tasks: []*duban.Task{task}},
			},
			Units: []*duban.Unit{street},
			Tasks: []*duban.Task{task, other},
		}
		p.Sections = []*reviewSection{
			{Section: plan.Sections[0], Areas: []*reviewArea{{Items: []*reviewItem{{Task: withdrawn}}}}},
			{Section: plan.Sections[1], Areas: []*reviewArea{
				{Area: duban.Area{Section: 1}, Items: []*reviewItem{{Statement: assigned, TaskNo: "1.1.2", Src: 5}, {Statement: dismissed}}},
				{Area: plan.Areas[0], Items: []*reviewItem{
					{Task: task, Warnings: plan.Warnings, Src: 3}, {Task: other, Src: 5}, {Statement: open, Warnings: plan.Warnings, Src: 3},
				}},
			}},
		}
		return p
	}
	refused := url.Values{"text": {hostile}, "lead_units": {hostile}, "target_text": {hostile, ""}, "target_metric": {hostile, ""},
		"target_cmp": {">=", ">="}, "target_value": {"x" + hostile, ""}, "unit": {hostile}, "note": {hostile}, "at_text": {hostile},
		"other": {"8"}, "task": {"7"}}
	published := *plan
	published.State = duban.PlanPublished
	readOnly := review(reviewFocus{})
	readOnly.Plan, readOnly.Draft, readOnly.CanReview, readOnly.CanMap, readOnly.SourceError = &published, false, false, false, hostile

	modified := duban.TaskChange{Kind: duban.ChangeModified, Task: task, Reworded: true, OwnersChanged: true, DeadlineChanged: true,
		New: &duban.ReadTask{No: "1.1.2", Text: "推进城市更新" + hostile, LeadUnits: []string{hostile}, Deadline: hostile}}
	diff := &duban.PlanDiff{Plan: plan, Document: duban.DocumentInfo{Title: hostile, DocNumber: hostile}, DocumentChanged: true, StructureChanged: true,
		Changes: []duban.TaskChange{
			modified,
			{Kind: duban.ChangeAdded, New: &duban.ReadTask{No: "1.1.3", Text: hostile, LeadUnits: []string{hostile}, Deadline: hostile}},
			{Kind: duban.ChangeRemoved, Task: other},
		},
		StatementsAdded:   []duban.ReadStatement{{Text: hostile}},
		StatementsRemoved: []*duban.Statement{open},
	}
	unit := &duban.Unit{ID: 6, Name: "区财政局", Kind: duban.UnitDepartment, Aliases: []string{hostile}}
	group := &duban.Unit{ID: 9, Name: "区直各部门" + hostile, Kind: duban.UnitGroup, Members: []int64{6}}
	leader := &duban.Leader{ID: 3, Name: "武毅", Title: "副区长" + hostile}
	reissue := &reissuePage{Plan: plan, Diff: diff, Counts: diff.Counts(), Imported: true, Name: hostile + ".docx", Data: "UEsDBA=="}
	for _, c := range diff.Changes {
		reissue.Changes = append(reissue.Changes, newChangeView(c))
	}
	return []web.Page{
		review(reviewFocus{}),
		review(reviewFocus{Kind: "edit", ID: 7, Field: "deadline"}),
		review(reviewFocus{Kind: "edit", ID: 7, Field: "targets", Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "split", ID: 7, Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "split", ID: 8}),
		review(reviewFocus{Kind: "merge", ID: 7}),
		review(reviewFocus{Kind: "merge", ID: 8, Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "assign", ID: 4, Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "dismiss", ID: 4}),
		review(reviewFocus{Kind: "group", Name: "相关街道办事处", Task: 7}),
		review(reviewFocus{Kind: "group", Name: "相关街道办事处", Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "name", Name: "区发改局" + hostile, Error: hostile, Values: refused}),
		review(reviewFocus{Kind: "publish", Error: hostile}),
		readOnly,
		&importPage{Error: hostile, Year: hostile, Types: noticeTypes, MaxMB: 20},
		&importResultPage{Plan: plan, Name: hostile},
		reissue,
		&reissuePage{Plan: plan, Diff: &duban.PlanDiff{Plan: plan}, Name: hostile},
		&unitFormPage{Kinds: page.UnitKinds, Refusal: refusal{Form: "new", Error: hostile, Values: url.Values{"name": {hostile}}}},
		&unitEditPage{Unit: group, Kinds: page.UnitKinds, Units: []*duban.Unit{unit}, Groups: []*duban.Unit{group}, Scoped: true,
			Scope: duban.GroupScope{Kind: duban.UnitDepartment}, Refusal: refusal{Form: "members", Error: hostile, Values: url.Values{"member": {"6"}}}},
		&unitEditPage{Unit: unit, Kinds: page.UnitKinds, Units: []*duban.Unit{unit}, Refusal: refusal{Form: "alias", Error: hostile, Values: url.Values{"alias": {hostile}}}},
		&leaderFormPage{Leader: leader, Refusal: refusal{Form: "leader", Error: hostile, Values: url.Values{"name": {hostile}}}},
		&leaderFormPage{},
	}
}
