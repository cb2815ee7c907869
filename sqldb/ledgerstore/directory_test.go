package ledgerstore_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestUnits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		units := ledgerstore.NewUnitService(db)
		ndrc := &duban.Unit{Name: "区发展和改革局", Kind: duban.UnitDepartment}
		if err := units.CreateUnit(as(office), ndrc); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			unit *duban.Unit
			code string
		}{
			{"same name", &duban.Unit{Name: "区发展和改革局", Kind: duban.UnitDepartment}, duban.ECONFLICT},
			{"same name, other spacing", &duban.Unit{Name: "区发展和改革局 ", Kind: duban.UnitDepartment}, duban.ECONFLICT},
			{"no kind", &duban.Unit{Name: "区财政局"}, duban.EINVALID},
			{"as viewer", &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}, duban.EFORBIDDEN},
		} {
			ctx := as(office)
			if c.name == "as viewer" {
				ctx = as(viewer)
			}
			wantCode(t, c.name, units.CreateUnit(ctx, c.unit), c.code)
		}

		// 区发改局 is 区发展和改革局.
		u, err := units.AddUnitAlias(as(office), ndrc.ID, "区发改局")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Aliases, []string{"区发改局"}; !slices.Equal(got, want) {
			t.Errorf("aliases: got %q, want %q", got, want)
		}
		found, _, err := units.FindUnits(as(viewer), duban.UnitFilter{Name: ptr("区发改局")})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 || found[0].ID != ndrc.ID {
			t.Errorf("find by alias: got %+v, want unit %d", found, ndrc.ID)
		}
		_, err = units.AddUnitAlias(as(office), ndrc.ID, "区发改局")
		wantCode(t, "alias twice", err, duban.EINVALID)
		finance := &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}
		if err := units.CreateUnit(as(office), finance); err != nil {
			t.Fatal(err)
		}
		_, err = units.AddUnitAlias(as(office), ndrc.ID, "区财政局")
		wantCode(t, "alias naming another unit", err, duban.ECONFLICT)

		// A rename keeps the old name as an alias and in the history.
		u, err = units.UpdateUnit(as(office), ndrc.ID, duban.UnitUpdate{Name: ptr("区发展改革局")})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Aliases, []string{"区发展和改革局", "区发改局"}; !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("aliases after rename: got %q, want %q", got, want)
		}
		if last := u.History[len(u.History)-1]; last.Kind != duban.UnitRenamed || last.From != "区发展和改革局" || last.To != "区发展改革局" {
			t.Errorf("history after rename: got %+v", u.History)
		}
		_, err = units.UpdateUnit(as(office), ndrc.ID, duban.UnitUpdate{Name: ptr("区财政局")})
		wantCode(t, "rename to another unit's name", err, duban.ECONFLICT)
		// Renaming back to a former name is allowed: it is the unit's own.
		if _, err := units.UpdateUnit(as(office), ndrc.ID, duban.UnitUpdate{Name: ptr("区发展和改革局")}); err != nil {
			t.Errorf("rename back: %v", err)
		}

		found, n, err := units.FindUnits(as(office), duban.UnitFilter{Query: "财政"})
		if err != nil || n != 1 || found[0].ID != finance.ID {
			t.Errorf("query 财政: got %d units %+v (%v), want %d", n, found, err, finance.ID)
		}
		kind := duban.UnitStreet
		if _, n, _ := units.FindUnits(as(office), duban.UnitFilter{Kind: &kind}); n != 0 {
			t.Errorf("streets: got %d, want 0", n)
		}
		MustVerifyAudit(t, db)
	})
}

func TestMergeUnits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		units := ledgerstore.NewUnitService(db)
		MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		from := MustUnit(t, db, "区工业和信息化局")
		into := MustUnit(t, db, "区发展和改革局")
		clerk := &duban.User{Name: "clerk", Role: duban.RoleClerk, UnitID: from.ID}
		if err := accountstore.NewUserService(db).CreateUser(as(office), clerk); err != nil {
			t.Fatal(err)
		}
		tasks := ledgerstore.NewTaskService(db)
		before, nFrom, _ := tasks.FindTasks(as(office), duban.TaskFilter{UnitID: &from.ID})
		_, nInto, _ := tasks.FindTasks(as(office), duban.TaskFilter{UnitID: &into.ID})

		merged, err := units.MergeUnits(as(office), from.ID, into.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(merged.Aliases, "区工业和信息化局") {
			t.Errorf("aliases after merge: got %q, want the merged unit's name", merged.Aliases)
		}
		_, n, _ := tasks.FindTasks(as(office), duban.TaskFilter{UnitID: &into.ID})
		shared := 0
		for _, task := range before {
			if task.HasUnit(into.ID) {
				shared++
			}
		}
		if got, want := n, nInto+nFrom-shared; got != want {
			t.Errorf("tasks of the unit merged into: got %d, want %d", got, want)
		}
		// The task keeps the name as the notice wrote it.
		task, _ := tasks.FindTaskByID(as(office), before[0].ID)
		if !slices.ContainsFunc(append(task.LeadUnits, task.ResponsibleUnits...), func(o duban.Owner) bool {
			return o.Name == "区工业和信息化局" && o.ID == into.ID
		}) {
			t.Errorf("task %s owners after merge: got %+v", task.No, append(task.LeadUnits, task.ResponsibleUnits...))
		}
		u, _ := accountstore.NewUserService(db).FindUserByID(as(office), clerk.ID)
		if got, want := u.UnitID, into.ID; got != want {
			t.Errorf("clerk's unit: got %d, want %d", got, want)
		}
		old, err := units.FindUnitByID(as(office), from.ID)
		if err != nil {
			t.Fatal(err)
		}
		if old.MergedInto != into.ID || old.History[len(old.History)-1].Kind != duban.UnitMergedInto {
			t.Errorf("merged unit: got %+v", old)
		}
		if h := merged.History[len(merged.History)-1]; h.Kind != duban.UnitMergedIn || h.Other != from.ID {
			t.Errorf("history of the unit merged into: got %+v", merged.History)
		}
		// A later notice naming the old unit reaches the one it merged into.
		found, _, _ := units.FindUnits(as(office), duban.UnitFilter{Name: ptr("区工业和信息化局")})
		if len(found) != 1 || found[0].ID != into.ID {
			t.Errorf("find by the merged unit's name: got %+v", found)
		}
		_, err = units.MergeUnits(as(office), from.ID, into.ID)
		wantCode(t, "merge again", err, duban.ECONFLICT)
		_, err = units.MergeUnits(as(office), into.ID, into.ID)
		wantCode(t, "merge into itself", err, duban.EINVALID)
		MustVerifyAudit(t, db)
	})
}

// TestDirectoryAcrossYears: a unit's tasks, led and shared, and a leader's
// tasks, for any year, through a rename between the years.
func TestDirectoryAcrossYears(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		r2022 := MustReadGold(t)
		MustPublish(t, db, MustImport(t, db, r2022, "2022.md").ID)
		ndrc := MustUnit(t, db, "区发展和改革局")
		// The unit is renamed; the next year's notice uses the new name.
		if _, err := ledgerstore.NewUnitService(db).UpdateUnit(as(office), ndrc.ID, duban.UnitUpdate{Name: ptr("区发展改革局")}); err != nil {
			t.Fatal(err)
		}
		r2023 := MustReadGold(t)
		r2023.Document.Year, r2023.Document.DocNumber = 2023, "历下政办字〔2023〕2号"
		r2023.Document.Title = "关于印发 2023 年《济南市历下区政府工作报告》目标任务分解的通知"
		for i := range r2023.Tasks {
			for j, n := range r2023.Tasks[i].LeadUnits {
				if n == "区发展和改革局" {
					r2023.Tasks[i].LeadUnits[j] = "区发展改革局"
				}
			}
		}
		MustPublish(t, db, MustImport(t, db, r2023, "2023.md").ID)

		count := func(r *duban.Reading, role string) int {
			n := 0
			for _, task := range r.Tasks {
				lists := map[string][]string{"lead": task.LeadUnits, "shared": task.ResponsibleUnits}
				for _, name := range lists[role] {
					if name == "区发展和改革局" || name == "区发展改革局" {
						n++
						break
					}
				}
			}
			return n
		}
		tasks := ledgerstore.NewTaskService(db)
		for _, c := range []struct {
			year int
			role duban.UnitRole
			want int
		}{
			{2022, duban.UnitLeads, count(r2022, "lead")},
			{2022, duban.UnitShares, count(r2022, "shared")},
			{2023, duban.UnitLeads, count(r2023, "lead")},
			{2023, duban.UnitShares, count(r2023, "shared")},
		} {
			year := c.year
			got, n, err := tasks.FindTasks(as(viewer), duban.TaskFilter{UnitID: &ndrc.ID, UnitRole: c.role, Year: &year})
			if err != nil {
				t.Fatal(err)
			}
			if n != c.want || len(got) != c.want {
				t.Errorf("%d %s: got %d tasks (total %d), want %d", c.year, c.role, len(got), n, c.want)
			}
			for _, task := range got {
				if task.Year != c.year {
					t.Errorf("%d %s: got a task of %d", c.year, c.role, task.Year)
				}
			}
		}
		if _, n, _ := tasks.FindTasks(as(viewer), duban.TaskFilter{UnitID: &ndrc.ID}); n == 0 {
			t.Errorf("all years: got no tasks")
		}
		if got, _ := ledgerstore.NewUnitService(db).FindUnitByID(as(office), ndrc.ID); len(got.History) < 2 {
			t.Errorf("history: got %+v, want creation and rename", got.History)
		}

		leaders, _, _ := ledgerstore.NewLeaderService(db).FindLeaders(as(viewer), duban.LeaderFilter{Name: ptr("武毅")})
		if len(leaders) != 1 {
			t.Fatalf("leader 武毅: got %d", len(leaders))
		}
		want := 0
		for _, task := range r2022.Tasks {
			if slices.Contains(task.LeadLeaders, "武毅") {
				want++
			}
		}
		for _, year := range []int{2022, 2023} {
			_, n, err := tasks.FindTasks(as(viewer), duban.TaskFilter{LeaderID: &leaders[0].ID, Year: &year})
			if err != nil || n != want {
				t.Errorf("武毅's tasks in %d: got %d (%v), want %d", year, n, err, want)
			}
		}
	})
}

func TestLeaders(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		leaders := ledgerstore.NewLeaderService(db)
		l := &duban.Leader{Name: "武毅", Title: "副区长"}
		if err := leaders.CreateLeader(as(office), l); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "same name", leaders.CreateLeader(as(office), &duban.Leader{Name: " 武毅"}), duban.ECONFLICT)
		wantCode(t, "as viewer", leaders.CreateLeader(as(viewer), &duban.Leader{Name: "王锐"}), duban.EFORBIDDEN)
		got, err := leaders.UpdateLeader(as(office), l.ID, duban.LeaderUpdate{Title: ptr("常务副区长")})
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "常务副区长" || got.Name != "武毅" {
			t.Errorf("after update: got %+v", got)
		}
		if found, _ := leaders.FindLeaderByID(as(viewer), l.ID); found == nil || found.Title != "常务副区长" {
			t.Errorf("find: got %+v", found)
		}
		_, err = leaders.FindLeaderByID(as(viewer), 12345)
		wantCode(t, "missing leader", err, duban.ENOTFOUND)
	})
}

// MustUnit returns the unit a name means.
func MustUnit(t testing.TB, db *sqldb.DB, name string) *duban.Unit {
	t.Helper()
	units, _, err := ledgerstore.NewUnitService(db).FindUnits(as(office), duban.UnitFilter{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 1 {
		t.Fatalf("unit %q: got %d units", name, len(units))
	}
	return units[0]
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
