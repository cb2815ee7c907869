package ledgerstore_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestUpdateTask(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		tasks := ledgerstore.NewTaskService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		task := MustFindTask(t, db, p.ID, "1.1.1")

		targets := []duban.Indicator{{Text: "新增项目 5 个", Metric: "新增项目", Value: 5, Unit: "个", Cmp: duban.CmpAtLeast}}
		for _, c := range []struct {
			name  string
			upd   duban.TaskUpdate
			check func(t *testing.T, got *duban.Task)
			code  string
		}{
			{"text", duban.TaskUpdate{Text: ptr("改正后的任务内容")}, func(t *testing.T, got *duban.Task) {
				if got.Text != "改正后的任务内容" {
					t.Errorf("text: got %q", got.Text)
				}
			}, ""},
			{"owners", duban.TaskUpdate{
				LeadLeaders:      &[]duban.Owner{{Name: "王锐"}},
				ResponsibleUnits: &[]duban.Owner{{Name: "区财政局"}, {Name: "区审计局"}},
			}, func(t *testing.T, got *duban.Task) {
				if g, w := duban.OwnerNames(got.ResponsibleUnits), []string{"区财政局", "区审计局"}; !slices.Equal(g, w) {
					t.Errorf("responsible units: got %q, want %q", g, w)
				}
				if g, w := duban.OwnerNames(got.LeadLeaders), []string{"王锐"}; !slices.Equal(g, w) {
					t.Errorf("lead leaders: got %q, want %q", g, w)
				}
			}, ""},
			{"deadline and targets", duban.TaskUpdate{Deadline: ptr("2022年9月底前"), Indicators: &targets}, func(t *testing.T, got *duban.Task) {
				if got.Deadline != "2022年9月底前" || len(got.Indicators) != 1 || got.Indicators[0].Value != 5 {
					t.Errorf("got deadline %q, targets %+v", got.Deadline, got.Indicators)
				}
			}, ""},
			{"empty text", duban.TaskUpdate{Text: ptr(" ")}, nil, duban.EINVALID},
			{"nobody answers", duban.TaskUpdate{LeadLeaders: &[]duban.Owner{}, LeadUnits: &[]duban.Owner{}, ResponsibleUnits: &[]duban.Owner{}}, nil, duban.EINVALID},
			{"bad target", duban.TaskUpdate{Indicators: &[]duban.Indicator{{Metric: "m", Cmp: "?"}}}, nil, duban.EINVALID},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := tasks.UpdateTask(as(office), task.ID, c.upd)
				wantCode(t, "update", err, c.code)
				if err != nil {
					return
				}
				c.check(t, got)
				stored, err := tasks.FindTaskByID(as(office), task.ID)
				if err != nil {
					t.Fatal(err)
				}
				c.check(t, stored)
			})
		}

		// Each correction is in the task's history, with before and after.
		events, n, err := sqldb.NewAuditService(db).FindAuditEvents(as(viewer), duban.AuditFilter{Entity: ptr("task"), EntityID: &task.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, 3; got != want {
			t.Errorf("history: got %d events, want %d", got, want)
		}
		_, _, err = sqldb.NewAuditService(db).FindAuditEvents(as(viewer), duban.AuditFilter{})
		wantCode(t, "viewer reads the whole log", err, duban.EFORBIDDEN)
		if len(events) > 0 && (events[0].Action != "task.update" || len(events[0].Before) == 0 || len(events[0].After) == 0) {
			t.Errorf("newest event: got %+v", events[0])
		}

		// A draft is the office's: others do not even see it. Once published,
		// only the office corrects tasks.
		clerk := &duban.User{Name: "clerk", Role: duban.RoleClerk, UnitID: 1}
		_, err = tasks.UpdateTask(as(clerk), task.ID, duban.TaskUpdate{Text: ptr("x")})
		wantCode(t, "clerk edits a draft", err, duban.ENOTFOUND)
		MustPublish(t, db, p.ID)
		_, err = tasks.UpdateTask(as(clerk), task.ID, duban.TaskUpdate{Text: ptr("x")})
		wantCode(t, "clerk edits a published task", err, duban.EFORBIDDEN)
		edited, err := tasks.UpdateTask(as(office), task.ID, duban.TaskUpdate{ResponsibleUnits: &[]duban.Owner{{Name: "新成立的单位"}}})
		if err != nil {
			t.Fatal(err)
		}
		if edited.ResponsibleUnits[0].ID == 0 {
			t.Errorf("a new name in a published plan: got no unit, want a new unit")
		}
		_, err = tasks.UpdateTask(as(office), 999999, duban.TaskUpdate{Text: ptr("x")})
		wantCode(t, "missing task", err, duban.ENOTFOUND)
		MustVerifyAudit(t, db)
	})
}

func TestSplitAndMerge(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		tasks := ledgerstore.NewTaskService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		task := MustFindTask(t, db, p.ID, "1.2.1")
		next := MustFindTask(t, db, p.ID, "1.2.2")
		at := len([]rune("坚持把征收拆迁作为第一抓手，"))

		first, second, err := tasks.SplitTask(as(office), task.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := first.Text, "坚持把征收拆迁作为第一抓手"; got != want {
			t.Errorf("first: got %q, want %q", got, want)
		}
		if got, want := second.No, "1.2.2"; got != want {
			t.Errorf("second's number: got %q, want %q", got, want)
		}
		if got, want := MustFindTask(t, db, p.ID, "1.2.3").ID, next.ID; got != want {
			t.Errorf("the task after moved to 1.2.3: got task %d, want %d", got, want)
		}
		if got, want := duban.OwnerNames(second.LeadUnits), duban.OwnerNames(task.LeadUnits); !slices.Equal(got, want) {
			t.Errorf("second's lead units: got %q, want %q", got, want)
		}

		merged, err := tasks.MergeTasks(as(office), first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := merged.No, "1.2.1"; got != want {
			t.Errorf("merged number: got %q, want %q", got, want)
		}
		if got, want := MustFindTask(t, db, p.ID, "1.2.2").ID, next.ID; got != want {
			t.Errorf("the task after moved back to 1.2.2: got task %d, want %d", got, want)
		}
		if _, err := tasks.FindTaskByID(as(office), second.ID); duban.ErrorCode(err) != duban.ENOTFOUND {
			t.Errorf("merged-away task: got %v, want not found", err)
		}
		_, _, err = tasks.SplitTask(as(office), task.ID, 0)
		wantCode(t, "split at 0", err, duban.EINVALID)
		_, err = tasks.MergeTasks(as(office), task.ID, task.ID)
		wantCode(t, "merge with itself", err, duban.EINVALID)
		_, _, err = tasks.SplitTask(as(viewer), task.ID, at)
		wantCode(t, "viewer splits", err, duban.EFORBIDDEN)

		// A published plan's numbering is fixed.
		MustPublish(t, db, p.ID)
		_, _, err = tasks.SplitTask(as(office), task.ID, at)
		wantCode(t, "split in a published plan", err, duban.ECONFLICT)
		_, err = tasks.MergeTasks(as(office), task.ID, next.ID)
		wantCode(t, "merge in a published plan", err, duban.ECONFLICT)
		MustVerifyAudit(t, db)
	})
}

func TestStatements(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		tasks := ledgerstore.NewTaskService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		sts, n, err := tasks.FindStatements(as(office), duban.StatementFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if n != 9 {
			t.Fatalf("statements: got %d, want 9", n)
		}
		st := sts[1] // section 1, area 1, after its last task
		_, last, _ := tasks.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, Section: &st.Section, Area: &st.Area})

		task, err := tasks.AssignStatement(as(office), st.ID, duban.StatementAssignment{
			LeadUnits: []duban.Owner{{Name: "区发展和改革局"}}, Deadline: "年底前",
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := task.No, duban.TaskNo(st.Section, st.Area, last+1); got != want {
			t.Errorf("new task's number: got %q, want %q", got, want)
		}
		if got, want := task.Text, st.Text; got != want {
			t.Errorf("new task's text: got %q, want %q", got, want)
		}
		after, _, _ := tasks.FindStatements(as(office), duban.StatementFilter{ID: &st.ID})
		if got := after[0]; got.State != duban.StatementAssigned || got.TaskID != task.ID {
			t.Errorf("statement after assigning: got %+v", got)
		}
		_, err = tasks.AssignStatement(as(office), st.ID, duban.StatementAssignment{LeadUnits: []duban.Owner{{Name: "区财政局"}}})
		wantCode(t, "assign twice", err, duban.ECONFLICT)
		_, err = tasks.AssignStatement(as(office), sts[2].ID, duban.StatementAssignment{})
		wantCode(t, "assign to nobody", err, duban.EINVALID)

		dismissed, err := tasks.DismissStatement(as(office), sts[0].ID, "总括性表述")
		if err != nil {
			t.Fatal(err)
		}
		if dismissed.State != duban.StatementDismissed || dismissed.Note != "总括性表述" {
			t.Errorf("dismissed: got %+v", dismissed)
		}
		_, err = tasks.DismissStatement(as(office), sts[0].ID, "")
		wantCode(t, "dismiss twice", err, duban.ECONFLICT)
		plan, _ := ledgerstore.NewPlanService(db).FindPlanByID(as(office), p.ID)
		if got, want := plan.OpenStatements, 7; got != want {
			t.Errorf("open statements: got %d, want %d", got, want)
		}
		if got, want := plan.TaskCount, 89; got != want {
			t.Errorf("tasks: got %d, want %d", got, want)
		}
		MustVerifyAudit(t, db)
	})
}

func TestExpandGroup(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		units := ledgerstore.NewUnitService(db)
		tasks := ledgerstore.NewTaskService(db)
		var streets []int64
		for _, name := range []string{"泉城路街道办事处", "龙洞街道办事处", "解放路街道办事处"} {
			u := &duban.Unit{Name: name, Kind: duban.UnitStreet}
			if err := units.CreateUnit(as(office), u); err != nil {
				t.Fatal(err)
			}
			streets = append(streets, u.ID)
		}
		p := MustImport(t, db, MustReadGold(t), "source.md")

		changed, err := tasks.ExpandGroup(as(office), duban.GroupExpansion{PlanID: p.ID, Group: "各街道办事处"})
		if err != nil {
			t.Fatal(err)
		}
		if len(changed) == 0 {
			t.Fatal("no task names 各街道办事处")
		}
		for _, task := range changed {
			for _, o := range task.ResponsibleUnits {
				if o.Name == "各街道办事处" {
					t.Errorf("task %s still names the group", task.No)
				}
			}
			var ids []int64
			for _, o := range task.ResponsibleUnits {
				if slices.Contains(streets, o.ID) {
					ids = append(ids, o.ID)
				}
			}
			if !slices.Equal(ids, streets) {
				t.Errorf("task %s streets: got %v, want %v", task.No, ids, streets)
			}
		}

		// 相关街道办事处 does not say which: the office chooses, per task.
		_, err = tasks.ExpandGroup(as(office), duban.GroupExpansion{PlanID: p.ID, Group: "相关街道办事处"})
		wantCode(t, "相关 without units", err, duban.ECONFLICT)
		task := MustFindTask(t, db, p.ID, "1.2.1")
		changed, err = tasks.ExpandGroup(as(office), duban.GroupExpansion{
			PlanID: p.ID, Group: "相关街道办事处", TaskIDs: []int64{task.ID}, UnitIDs: streets[1:2],
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(changed) != 1 {
			t.Fatalf("changed: got %d tasks, want 1", len(changed))
		}
		if got, want := changed[0].ResponsibleUnits[len(changed[0].ResponsibleUnits)-1].Name, "龙洞街道办事处"; got != want {
			t.Errorf("chosen street: got %q, want %q", got, want)
		}
		_, err = tasks.ExpandGroup(as(office), duban.GroupExpansion{PlanID: p.ID, Group: "各街道办事处"})
		wantCode(t, "expand again", err, duban.ENOTFOUND)
		MustVerifyAudit(t, db)
	})
}
