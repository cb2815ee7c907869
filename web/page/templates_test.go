package page

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/internal/i18ntest"
	"github.com/dubanhq/duban/web/internal/pagetest"
)

// hostile is text a notice or a user might hold that must show as text.
const hostile = pagetest.Hostile

// examplePages returns an example of every page struct, filled the way its
// handler fills it, with hostile text wherever users' text goes. A new page
// adds its example here; TestTemplates fails for a template without one.
func examplePages() []web.Page {
	at := time.Date(2022, 4, 22, 9, 30, 0, 0, time.UTC)
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, DocNumber: "历下政办字〔2022〕3号",
		State: duban.PlanPublished, TaskCount: 2,
		Sections: []duban.Section{{No: 0, Title: "主要预期目标"}, {No: 1, Title: hostile}},
		Areas:    []duban.Area{{Section: 1, No: 1, Title: "城市更新" + hostile}},
	}
	upper := 3.0
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, Section: 1, Area: 1, Seq: 2, No: "1.1.2", Text: "推进城市更新" + hostile,
		Deadline: "2022年底前" + hostile, State: duban.TaskActive, Line: 12,
		LeadLeaders:      []duban.Owner{{ID: 3, Name: "武毅"}},
		LeadUnits:        []duban.Owner{{ID: 5, Name: "区住房城乡建设局"}, {Name: hostile}},
		ResponsibleUnits: []duban.Owner{{ID: 6, Name: "区财政局"}},
		Indicators:       []duban.Indicator{{Text: "新增 2 至 3 所" + hostile, Metric: "新增学校", Value: 2, Upper: &upper, Unit: "所", Cmp: duban.CmpRange}},
		CreatedAt:        at, UpdatedAt: at,
	}
	dated := &duban.Task{ID: 9, No: "1.1.4", Text: "分两步" + hostile, Deadline: "2022年6月底前开工、12月底前竣工" + hostile, State: duban.TaskActive}
	dated.ReadDeadline(2022)
	unit := &duban.Unit{ID: 6, Name: "区财政局", Kind: duban.UnitDepartment, Aliases: []string{hostile}}
	group := &duban.Unit{ID: 9, Name: "区直各部门" + hostile, Kind: duban.UnitGroup, Members: []int64{6}}
	leader := &duban.Leader{ID: 3, Name: "武毅", Title: "副区长" + hostile}
	admin := &duban.User{ID: 1, Name: "office", DisplayName: "督查室" + hostile, Role: duban.RoleAdmin}
	clerk := &duban.User{ID: 2, Name: "clerk", DisplayName: hostile, Role: duban.RoleClerk, UnitID: 6, Disabled: true}
	tl := func() *taskList {
		return &taskList{Tasks: []*duban.Task{task}, Total: 30, All: "/tasks?unit=6&q=" + hostile, tr: tr("zh")}
	}
	choices := directoryChoices{Roles: roles, Units: []*duban.Unit{unit}, Leaders: []*duban.Leader{leader},
		UnitNames: map[int64]string{6: hostile}, LeaderNames: map[int64]string{3: hostile}}
	years := yearChoice{Years: []int{2022, 2021}, Year: 2022}
	owners := []ownerRow{{ID: 6, Name: hostile, Detail: hostile, Lead: 3, Shared: 4}}
	comment := &duban.Comment{ID: 1, TaskID: 7, Author: hostile, AuthorRole: duban.RoleLeader, Text: hostile, CreatedAt: at}
	event := &duban.AuditEvent{Seq: 1, At: at, Actor: hostile, Action: "task.update", Summary: hostile}
	draft := *plan
	draft.State, draft.Warnings = duban.PlanDraft, []duban.Warning{{Line: 3, Code: "x", Message: hostile}}
	return []web.Page{
		&taskPage{Task: task, Plan: plan, Section: hostile, Area: hostile, SourceName: hostile + ".docx",
			Source:     []sourceParagraph{{Line: 11, Text: hostile}, {Line: 12, Text: task.Text, Here: true}},
			History:    []historyEntry{{AuditEvent: event, Changes: []duban.FieldChange{{Field: "完成时限", From: hostile, To: hostile}, {Field: "牵头单位", To: hostile}}}},
			Comments:   []*duban.Comment{comment, {ID: 2, TaskID: 7, Author: hostile, AuthorRole: duban.RoleClerk, Text: hostile, CreatedAt: at}},
			CanComment: true, Via: []string{hostile}},
		&taskPage{Task: &duban.Task{ID: 8, No: "1.1.3", Text: hostile, State: duban.TaskWithdrawn}, Plan: &draft, SourceNote: hostile},
		&taskPage{Task: dated, Plan: plan},
		&unitPage{Unit: &duban.Unit{ID: 9, Name: hostile, Kind: duban.UnitStreet, Aliases: []string{hostile}, MergedInto: 6,
			History: []duban.UnitEvent{{At: at, Kind: duban.UnitRenamed, From: hostile, To: hostile}, {At: at, Kind: duban.UnitMergedInto, To: hostile}}},
			MergedInto: unit, yearChoice: years, Lead: tl(), Shared: &taskList{tr: tr("en")}, Groups: []*duban.Unit{group}, CanEdit: true},
		&unitPage{Unit: group, Members: []*duban.Unit{unit}, Lead: tl(), Shared: tl()},
		&leaderPage{Leader: leader, yearChoice: years, Lead: tl(), CanEdit: true},
		&unitsPage{yearChoice: years, Kind: "street", Q: hostile, Kinds: []duban.UnitKind{duban.UnitStreet}, Rows: owners, CanEdit: true},
		&leadersPage{yearChoice: years, Rows: owners, CanEdit: true},
		&plansPage{Plans: []*duban.Plan{plan, &draft}, CanImport: true},
		&planPage{Plan: &draft, CanReview: true, Units: 5, WithTargets: 1,
			Sections: []sectionSummary{{Section: plan.Sections[1], Tasks: 2, Areas: []areaSummary{{Area: plan.Areas[0], Tasks: 2}}}}},
		&accountsPage{Users: []*duban.User{admin, clerk}, directoryChoices: choices},
		&accountPage{Account: clerk, directoryChoices: choices, Tokens: []*duban.APIToken{
			{ID: 1, Name: hostile, Prefix: "dbn_abcdefgh", CreatedAt: at}, {ID: 2, Name: "旧", Prefix: "dbn_x", RevokedAt: at}}},
		&secretPage{Message: hostile, Secret: "dbn_" + hostile, Back: "/accounts/2"},
		&loginPage{Name: hostile, Next: "/tasks?q=" + hostile, Error: hostile, Draft: true},
		&homePage{Role: duban.RoleClerk, Unit: unit, Lead: tl(), Shared: &taskList{tr: tr("zh")}, Groups: []*duban.Unit{group},
			Plans: []*duban.Plan{plan}},
		&homePage{Role: duban.RoleLeader, Leader: leader, LeaderTotal: 1, LeaderAll: "/tasks?leader=3",
			ByUnit: []*unitTasks{{ID: 6, Name: hostile, Tasks: []*duban.Task{task}, tr: tr("zh")}}, Plans: []*duban.Plan{plan}},
		&homePage{Role: duban.RoleAdmin, Drafts: []*duban.Plan{&draft}, Missing: []duban.Owner{{ID: 9, Name: hostile}, {Name: hostile}},
			Progress: []*duban.Comment{comment}, TaskNos: map[int64]string{7: "1.1.2"}, Plans: []*duban.Plan{plan}},
		&homePage{Role: duban.RoleAdmin, Empty: true},
		&homePage{Role: duban.RoleViewer, Plans: []*duban.Plan{plan},
			Due: []dueCount{{Choice: duban.DueThisMonth, Count: 2, URL: "/tasks?due=month&q=" + hostile}, {Choice: duban.DueOverdue, URL: "/tasks?due=overdue"}}},
		&mePage{Unit: unit, Leader: leader, Error: hostile},
		&ledgerPage{
			Query: web.LedgerQuery{Plan: 1, Section: "1", Unit: 6, Q: "城市", Sort: "unit", Desc: true, Page: 2, Size: 20},
			Pager: web.Pager{Page: 2, Size: 20, Total: 45, Link: func(n int) string { return "/tasks?page=" + string(rune('0'+n)) }},
			Tasks: []*duban.Task{task}, PlanNames: map[int64]string{1: plan.Title},
			Plans: []*duban.Plan{plan}, Years: []int{2022}, Plan: plan,
			Leaders: []*duban.Leader{leader}, Units: []*duban.Unit{unit}, Unit: unit,
			UnitCounts: &roleCounts{All: 3, Lead: 1, Shared: 2},
		},
	}
}

// TestTaskTable writes a task's row of the ledger and of a short list, in
// each language: the cells of the table's head, users' text escaped, the
// keyword marked, the plan named on the year, the day of the last change in
// the government's time zone; a short list has neither targets nor day.
func TestTaskTable(t *testing.T) {
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, No: "1.1.2", Text: "推进城市更新<b>", Deadline: "年底前&",
		LeadLeaders: []duban.Owner{{ID: 3, Name: "武毅"}}, LeadUnits: []duban.Owner{{ID: 5, Name: "区住建局"}, {Name: "各街道"}},
		ResponsibleUnits: []duban.Owner{{ID: 6, Name: "区财政局"}}, Indicators: make([]duban.Indicator, 2),
		UpdatedAt: time.Date(2022, 4, 22, 20, 30, 0, 0, time.UTC)}
	for _, c := range []struct {
		name  string
		table taskTable
		want  []string
		not   []string
	}{
		{"ledger", taskTable{tr: tr("zh"), planNames: map[int64]string{1: "2022 年\"分解\""}, query: "城市", ledger: true}, []string{
			`<td class="no"><a href="/tasks/7">1.1.2</a><small title="2022 年&#34;分解&#34;">2022</small></td>`,
			`<td class="text"><a href="/tasks/7">推进<mark>城市</mark>更新&lt;b&gt;</a> <span class="tag">2 个指标</span></td>`,
			`<td data-label="牵头领导"><a href="/leaders/3">武毅</a></td>`,
			`<td data-label="牵头单位"><a href="/units/5">区住建局</a>、各街道</td>`,
			`<td data-label="责任单位"><a href="/units/6">区财政局</a></td>`,
			`<td data-label="完成时限">年底前&amp;</td>`,
			`<td class="date" data-label="更新">2022-04-23</td>`,
		}, nil},
		{"ledger in English", taskTable{tr: tr("en"), planNames: map[int64]string{}, ledger: true}, []string{
			`<small title="">2022</small>`, `推进城市更新&lt;b&gt;</a> <span class="tag">2 targets</span>`,
			`<td data-label="Lead leader">`, `<td data-label="Lead units">`, `<td class="date" data-label="Updated">`,
		}, nil},
		{"short list", taskTable{tr: tr("zh")}, []string{
			`<td class="no"><a href="/tasks/7">1.1.2</a><small>2022</small></td>`,
			`<td class="text"><a href="/tasks/7">推进城市更新&lt;b&gt;</a></td>`,
			`<td data-label="完成时限">年底前&amp;</td>`,
		}, []string{"tag", "class=\"date\"", "<mark>"}},
	} {
		got := string(c.table.rows([]*duban.Task{task, task}))
		if n := strings.Count(got, "<tr>"); n != 2 {
			t.Errorf("%s: got %d rows, want 2:\n%s", c.name, n, got)
		}
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: lacks %s:\n%s", c.name, want, got)
			}
		}
		for _, not := range c.not {
			if strings.Contains(got, not) {
				t.Errorf("%s: has %s:\n%s", c.name, not, got)
			}
		}
	}
}

// TestTaskTableDeadlines writes a deadline as written with the date it is
// read as behind it, in the table's language, marks one passed on the day
// the table is for, and says when a deadline could not be read.
func TestTaskTableDeadlines(t *testing.T) {
	due := &duban.Task{ID: 1, No: "1.1.1", Deadline: "9月底前"}
	due.ReadDeadline(2022)
	odd := &duban.Task{ID: 2, No: "1.1.2", Deadline: "视情况而定"}
	odd.ReadDeadline(2022)
	none := &duban.Task{ID: 3, No: "1.1.3"}
	for _, c := range []struct {
		name  string
		table taskTable
		want  []string
	}{
		{"before", taskTable{tr: tr("zh"), today: duban.NewDate(2022, time.September, 30)}, []string{
			`<td data-label="完成时限">9月底前<small class="due">9月30日</small></td>`,
			`<td data-label="完成时限">视情况而定<small class="due warn">未能识别</small></td>`,
			`<td data-label="完成时限"></td>`}},
		{"after", taskTable{tr: tr("zh"), today: duban.NewDate(2022, time.October, 1)}, []string{
			`<td class="overdue" data-label="完成时限">9月底前<small class="due">9月30日</small></td>`}},
		{"in English, no day", taskTable{tr: tr("en")}, []string{
			`<td data-label="Deadline">9月底前<small class="due">30 September</small></td>`,
			`<small class="due warn">not read</small>`}},
	} {
		got := string(c.table.rows([]*duban.Task{due, odd, none}))
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: lacks %s:\n%s", c.name, want, got)
			}
		}
	}
}

// TestFilterOptions writes the ledger's choices of plan and year, the
// chosen one selected, a plan not published named with its state in the
// page's language, users' text escaped.
func TestFilterOptions(t *testing.T) {
	p := &ledgerPage{Query: web.LedgerQuery{Plan: 2, Year: 2021}, Years: []int{2022, 2021},
		Plans: []*duban.Plan{{ID: 1, Year: 2022, Title: "工作<报告>", State: duban.PlanPublished}, {ID: 2, Year: 2023, Title: "复核中", State: duban.PlanDraft}}}
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"zh", []string{`<option value="1">2022 · 工作&lt;报告&gt;</option>`, `<option value="2" selected>2023 · 复核中（草稿）</option>`}},
		{"en", []string{`<option value="1">2022 · 工作&lt;报告&gt;</option>`, `<option value="2" selected>2023 · 复核中（Draft）</option>`}},
	} {
		p.Tr = tr(c.lang)
		got := string(p.PlanOptions())
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("plans (%s): lack %s:\n%s", c.lang, want, got)
			}
		}
	}
	want := "<option value=\"2022\">2022</option>\n<option value=\"2021\" selected>2021</option>\n"
	if got := string(p.YearOptions()); got != want {
		t.Errorf("years: got %q, want %q", got, want)
	}
	if got := string((yearChoice{Years: []int{2022, 2021}, Year: 2022}).YearOptions()); !strings.HasPrefix(got, `<option value="2022" selected>`) {
		t.Errorf("a page's years: got %q, want 2022 selected", got)
	}
}

// templates are the core's templates with the pages'.
var templates = pagetest.NewTemplates(Part)

// tr returns the translator of a language with the server's catalog.
func tr(lang string) web.Translator { return templates.Tr(lang) }

// TestTemplates executes every template with its page struct, in both
// languages and as each role, and checks that users' text comes out
// escaped.
func TestTemplates(t *testing.T) {
	pages := slices.Concat(examplePages(), coreCycleExamples())
	pagetest.ExecuteAll(t, templates.Must(t), templateDir(), pages)
}

// TestCatalog checks that every message the pages' templates and handlers
// translate has its English, here or in the core's catalog, and that the
// pages' catalog holds no message the pages do not use.
func TestCatalog(t *testing.T) {
	labels := map[string]string{}
	for _, e := range navigation {
		labels[e.Label] = "navigation"
	}
	for _, st := range []duban.PlanState{duban.PlanDraft, duban.PlanPublished, duban.PlanArchived} {
		labels[st.Label()] = "duban.PlanState.Label"
	}
	for _, k := range []duban.UnitKind{duban.UnitDepartment, duban.UnitStreet, duban.UnitCompany, duban.UnitGroup} {
		labels[k.Label()] = "duban.UnitKind.Label"
	}
	// The links of a task's cycle (light.go).
	for _, l := range []string{"填报本期进展", "修改本期报告", "查看本期报告"} {
		labels[l] = "taskCycle.ReportLabel"
	}
	for _, st := range []cycle.SupervisionState{cycle.SupervisionIssued, cycle.SupervisionAcknowledged, cycle.SupervisionAnswered,
		cycle.SupervisionClosed, cycle.SupervisionReissued} {
		labels[st.Label()] = "cycle.SupervisionState.Label"
	}
	for _, c := range duban.DueChoices {
		labels[c.Label()] = "duban.DueChoice.Label"
	}
	labels[duban.DeadlineUnread.Label()] = "duban.DeadlineKind.Label"
	for _, w := range duban.SectionWords {
		labels[w] = "duban.Plan.SectionWord"
	}
	// The fields a task's history names.
	full := &duban.Task{Seq: 1, Text: "x", Deadline: "x", State: duban.TaskWithdrawn, Indicators: []duban.Indicator{{Text: "x"}},
		LeadLeaders: []duban.Owner{{Name: "x"}}, LeadUnits: []duban.Owner{{Name: "x"}}, ResponsibleUnits: []duban.Owner{{Name: "x"}}}
	for _, c := range duban.TaskChanges(nil, full) {
		labels[c.Field] = "duban.TaskChanges"
	}
	i18ntest.Check(t, english, templates.Must(t).Translator("en").Has, labels, "../supervision", "../outputs", "../reporting", "../review")
}
