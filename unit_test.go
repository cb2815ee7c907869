package duban_test

import (
	"testing"

	"github.com/dubanhq/duban"
)

func TestGuessUnitKind(t *testing.T) {
	for _, c := range []struct {
		name string
		want duban.UnitKind
	}{
		{"区发展和改革局", duban.UnitDepartment},
		{"中央商务区管委会", duban.UnitDepartment},
		{"泉城路街道办事处", duban.UnitStreet},
		{"龙洞街道", duban.UnitStreet},
		{"历下控股集团", duban.UnitCompany},
		{"济南历下城市发展有限公司", duban.UnitCompany},
		{"各街道办事处", duban.UnitGroup},
		{"相关街道办事处", duban.UnitGroup},
		{"区直各有关部门（单位）", duban.UnitGroup},
		{"区直各部门(单位)", duban.UnitGroup},
		{"落实全市“东强”战略工作推进指挥部成员单位", duban.UnitGroup},
		{"各产业主管部门", duban.UnitGroup},
	} {
		if got := duban.GuessUnitKind(c.name); got != c.want {
			t.Errorf("GuessUnitKind(%q): got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestScopeOfGroup(t *testing.T) {
	for _, c := range []struct {
		name   string
		want   duban.GroupScope
		wantOK bool
	}{
		{"各街道办事处", duban.GroupScope{Kind: duban.UnitStreet}, true},
		{"相关街道办事处", duban.GroupScope{Kind: duban.UnitStreet, Choose: true}, true},
		{"区直各部门（单位）", duban.GroupScope{Kind: duban.UnitDepartment}, true},
		{"区直各有关部门（单位）", duban.GroupScope{Kind: duban.UnitDepartment, Choose: true}, true},
		{"各产业主管部门", duban.GroupScope{Kind: duban.UnitDepartment, Choose: true}, true},
		{"区财政局", duban.GroupScope{}, false},
	} {
		got, ok := duban.ScopeOfGroup(c.name)
		if got != c.want || ok != c.wantOK {
			t.Errorf("ScopeOfGroup(%q): got %+v, %v; want %+v, %v", c.name, got, ok, c.want, c.wantOK)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"区直各部门(单位)", "区直各部门（单位）"},
		{" 区财政局\u3000", "区财政局"},
		{"区 发 改 局", "区发改局"},
	} {
		if got := duban.NormalizeName(c.in); got != c.want {
			t.Errorf("NormalizeName(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDirectory(t *testing.T) {
	units := []*duban.Unit{
		{ID: 1, Name: "区发展和改革局", Kind: duban.UnitDepartment, Aliases: []string{"区发改局"}},
		{ID: 2, Name: "泉城路街道办事处", Kind: duban.UnitStreet},
		{ID: 3, Name: "龙洞街道办事处", Kind: duban.UnitStreet},
		{ID: 4, Name: "区经济和信息化局", Kind: duban.UnitDepartment, MergedInto: 1},
		{ID: 5, Name: "旧街道办事处", Kind: duban.UnitStreet, MergedInto: 2},
	}
	leaders := []*duban.Leader{{ID: 7, Name: "武毅"}}
	d := duban.NewDirectory(units, leaders)

	for _, c := range []struct {
		name string
		want int64
	}{
		{"区发展和改革局", 1},
		{"区发改局", 1},
		{" 区发改局 ", 1},
		{"区经济和信息化局", 1}, // merged into 1
		{"区财政局", 0},
	} {
		var got int64
		if u := d.Unit(c.name); u != nil {
			got = u.ID
		}
		if got != c.want {
			t.Errorf("Unit(%q): got %d, want %d", c.name, got, c.want)
		}
	}

	task := &duban.Task{
		LeadLeaders:      []duban.Owner{{Name: "武毅"}, {Name: "赵冬梅"}, {ID: 7}},
		LeadUnits:        []duban.Owner{{Name: "区发改局"}, {ID: 2}},
		ResponsibleUnits: []duban.Owner{{Name: "区财政局"}, {ID: 4, Name: "区经济和信息化局"}, {Name: "区财政局"}},
	}
	newUnits, newLeaders := d.Map(task)
	if got, want := newUnits, []string{"区财政局"}; !equal(got, want) {
		t.Errorf("new units: got %q, want %q", got, want)
	}
	if got, want := newLeaders, []string{"赵冬梅"}; !equal(got, want) {
		t.Errorf("new leaders: got %q, want %q", got, want)
	}
	if got, want := task.LeadUnits[0].ID, int64(1); got != want {
		t.Errorf("lead unit: got %d, want %d", got, want)
	}
	if got, want := task.ResponsibleUnits[1].ID, int64(1); got != want {
		t.Errorf("owner of a merged unit: got %d, want %d (the unit it merged into)", got, want)
	}
	if got, want := task.LeadLeaders[0].ID, int64(7); got != want {
		t.Errorf("leader: got %d, want %d", got, want)
	}
	if got, want := task.LeadUnits[1].Name, "泉城路街道办事处"; got != want {
		t.Errorf("unit chosen by ID: got name %q, want %q", got, want)
	}
	if got, want := task.LeadLeaders[2].Name, "武毅"; got != want {
		t.Errorf("leader chosen by ID: got name %q, want %q", got, want)
	}

	for _, c := range []struct {
		group    string
		want     []int64
		wantCode string
	}{
		{"各街道办事处", []int64{2, 3}, ""},
		{"相关街道办事处", []int64{2, 3}, duban.ECONFLICT},
		{"区财政局", nil, duban.EINVALID},
		{"各集团公司", nil, duban.ENOTFOUND},
		{"相关集团公司", nil, duban.ENOTFOUND},
	} {
		members, err := d.Members(c.group)
		if got := duban.ErrorCode(err); got != c.wantCode {
			t.Errorf("Members(%q): got code %q (%v), want %q", c.group, got, err, c.wantCode)
		}
		var got []int64
		for _, u := range members {
			got = append(got, u.ID)
		}
		if len(got) != len(c.want) || (len(got) > 0 && (got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1])) {
			t.Errorf("Members(%q): got %v, want %v", c.group, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		v    interface{ Validate() error }
		want string
	}{
		{"unit", &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}, ""},
		{"unit without name", &duban.Unit{Name: " ", Kind: duban.UnitDepartment}, duban.EINVALID},
		{"unit of no kind", &duban.Unit{Name: "区财政局", Kind: "club"}, duban.EINVALID},
		{"unit alias equal to name", &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment, Aliases: []string{"区 财政局"}}, duban.EINVALID},
		{"leader", &duban.Leader{Name: "武毅", Title: "副区长"}, ""},
		{"leader without name", &duban.Leader{}, duban.EINVALID},
		{"admin", &duban.User{Name: "office", Role: duban.RoleAdmin}, ""},
		{"clerk", &duban.User{Name: "clerk.1", Role: duban.RoleClerk, UnitID: 3}, ""},
		{"clerk without unit", &duban.User{Name: "clerk", Role: duban.RoleClerk}, duban.EINVALID},
		{"viewer bound to a unit", &duban.User{Name: "viewer", Role: duban.RoleViewer, UnitID: 3}, duban.EINVALID},
		{"leader account", &duban.User{Name: "wuyi", Role: duban.RoleLeader, LeaderID: 1}, ""},
		{"leader account without leader", &duban.User{Name: "wuyi", Role: duban.RoleLeader}, duban.EINVALID},
		{"admin bound to a leader", &duban.User{Name: "office", Role: duban.RoleAdmin, LeaderID: 1}, duban.EINVALID},
		{"user name in Chinese", &duban.User{Name: "督办", Role: duban.RoleAdmin}, duban.EINVALID},
		{"user of no role", &duban.User{Name: "x1", Role: "root"}, duban.EINVALID},
		{"plan", &duban.Plan{Title: "分解通知", Year: 2022, State: duban.PlanDraft}, ""},
		{"plan without year", &duban.Plan{Title: "分解通知", State: duban.PlanDraft}, duban.EINVALID},
		{"plan of no state", &duban.Plan{Title: "分解通知", Year: 2022, State: "lost"}, duban.EINVALID},
		{"statement", &duban.Statement{Text: "一段话", State: duban.StatementOpen}, ""},
		{"assigned statement without task", &duban.Statement{Text: "一段话", State: duban.StatementAssigned}, duban.EINVALID},
	} {
		if got := duban.ErrorCode(c.v.Validate()); got != c.want {
			t.Errorf("%s: got %q (%v), want %q", c.name, got, c.v.Validate(), c.want)
		}
	}
}
