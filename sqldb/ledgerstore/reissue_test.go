package ledgerstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// TestReissue imports a corrected notice for a published plan: the import
// only reports the changes; applying them changes exactly those tasks, keeps
// the office's corrections elsewhere, and records each task's history.
func TestReissue(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		plans := ledgerstore.NewPlanService(db)
		tasks := ledgerstore.NewTaskService(db)
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		reworded := MustFindTask(t, db, p.ID, "1.1.2")
		reowned := MustFindTask(t, db, p.ID, "1.2.1")
		removed := MustFindTask(t, db, p.ID, "0.0.4")
		corrected := MustFindTask(t, db, p.ID, "2.1.1")
		if _, err := tasks.UpdateTask(as(office), corrected.ID, duban.TaskUpdate{Deadline: ptr("督查室补充的时限")}); err != nil {
			t.Fatal(err)
		}

		r := MustReadGold(t)
		r.Document.Date = "2022-05-06"
		r.Tasks[5].Text += "，年内完成规划编制"                 // 1.1.2
		r.Tasks[6].ResponsibleUnits = []string{"区审计局"} // 1.2.1
		r.Tasks = append(r.Tasks[:3], r.Tasks[4:]...)  // 0.0.4 gone
		r.Tasks = append(r.Tasks, duban.ReadTask{No: "7.3.9", Section: 7, Area: 3, Text: "建立政务服务“好差评”制度", LeadUnits: []string{"区行政审批服务局"}})
		data, _ := json.Marshal(r)
		in := duban.ImportInput{Name: "更正.md", Data: data, Reading: r}

		res, err := plans.ImportPlan(as(office), in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Outcome, duban.ImportReissue; got != want {
			t.Fatalf("outcome: got %q, want %q", got, want)
		}
		want := duban.DiffCounts{Added: 1, Removed: 1, Reworded: 1, OwnersChanged: 1, Unchanged: 85}
		if got := res.Diff.Counts(); got != want {
			t.Errorf("changes: got %+v, want %+v", got, want)
		}
		if !res.Diff.DocumentChanged {
			t.Errorf("document changed: got false, want true")
		}
		// Nothing is applied before confirmation.
		if got, _ := tasks.FindTaskByID(as(office), reworded.ID); got.Text != reworded.Text {
			t.Errorf("reworded before confirmation: got %q", got.Text)
		}

		d, err := plans.ReissuePlan(as(office), p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Counts(); got != want {
			t.Errorf("applied: got %+v, want %+v", got, want)
		}
		if got, _ := tasks.FindTaskByID(as(office), reworded.ID); got.Text != r.Tasks[4].Text {
			t.Errorf("reworded: got %q, want %q", got.Text, r.Tasks[4].Text)
		}
		if got, _ := tasks.FindTaskByID(as(office), reowned.ID); len(got.ResponsibleUnits) != 1 || got.ResponsibleUnits[0].Name != "区审计局" || got.ResponsibleUnits[0].ID == 0 {
			t.Errorf("owners changed: got %+v", got.ResponsibleUnits)
		}
		if got, _ := tasks.FindTaskByID(as(office), removed.ID); got.State != duban.TaskWithdrawn {
			t.Errorf("removed task: got state %q, want withdrawn", got.State)
		}
		if got, _ := tasks.FindTaskByID(as(office), corrected.ID); got.Deadline != "督查室补充的时限" {
			t.Errorf("office's correction: got deadline %q, want it kept", got.Deadline)
		}
		if got := MustFindTask(t, db, p.ID, "7.3.9"); got.LeadUnits[0].ID == 0 {
			t.Errorf("added task: got unmapped owner %+v", got.LeadUnits)
		}
		after, _ := plans.FindPlanByID(as(office), p.ID)
		if after.Issues != 2 || after.Date != "2022-05-06" || after.TaskCount != 88 || after.State != duban.PlanPublished {
			t.Errorf("plan after re-issue: got issues %d, date %q, %d tasks, %s", after.Issues, after.Date, after.TaskCount, after.State)
		}

		// Each changed task has the change in its history.
		for _, c := range []struct {
			task   *duban.Task
			action string
		}{{reworded, "task.reissue"}, {reowned, "task.reissue"}, {removed, "task.withdraw"}} {
			events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("task"), EntityID: &c.task.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 || events[0].Action != c.action {
				t.Errorf("history of %s: got %+v, want %s first", c.task.No, events, c.action)
			}
		}

		// The same corrected file again changes nothing.
		again, err := plans.ImportPlan(as(office), in)
		if err != nil {
			t.Fatal(err)
		}
		if again.Outcome != duban.ImportUnchanged {
			t.Errorf("second import of the correction: got %q, want unchanged", again.Outcome)
		}
		_, err = plans.ReissuePlan(as(office), p.ID, in)
		wantCode(t, "re-issue the same file", err, duban.ECONFLICT)
		d, err = plans.DiffPlan(as(office), p.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Empty() {
			t.Errorf("diff after applying: got %+v, want none", d.Counts())
		}
		MustVerifyAudit(t, db)
	})
}

func TestArchive(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		plans := ledgerstore.NewPlanService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		_, err := plans.ArchivePlan(as(office), p.ID)
		wantCode(t, "archive a draft", err, duban.ECONFLICT)
		MustPublish(t, db, p.ID)
		archived, err := plans.ArchivePlan(as(office), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if archived.State != duban.PlanArchived {
			t.Errorf("state: got %q", archived.State)
		}
		task := MustFindTask(t, db, p.ID, "1.1.1")
		_, err = ledgerstore.NewTaskService(db).UpdateTask(as(office), task.ID, duban.TaskUpdate{Text: ptr("x")})
		wantCode(t, "edit an archived plan", err, duban.ECONFLICT)
		src, err := plans.FindPlanSource(as(viewer), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if src.Issue != 1 || src.Name != "source.md" || len(src.Data) == 0 {
			t.Errorf("source: got issue %d, name %q, %d bytes", src.Issue, src.Name, len(src.Data))
		}
	})
}

func TestDraftsAreTheOffices(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		plans := ledgerstore.NewPlanService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		_, err := plans.FindPlanByID(as(viewer), p.ID)
		wantCode(t, "viewer finds a draft", err, duban.ENOTFOUND)
		if _, n, _ := plans.FindPlans(as(viewer), duban.PlanFilter{}); n != 0 {
			t.Errorf("viewer's plans: got %d, want 0", n)
		}
		if _, n, _ := ledgerstore.NewTaskService(db).FindTasks(as(viewer), duban.TaskFilter{}); n != 0 {
			t.Errorf("viewer's tasks: got %d, want 0", n)
		}
		_, err = plans.ImportPlan(as(viewer), duban.ImportInput{Reading: MustReadGold(t)})
		wantCode(t, "viewer imports", err, duban.EFORBIDDEN)
		_, _, err = plans.FindPlans(context.Background(), duban.PlanFilter{})
		wantCode(t, "nobody lists", err, duban.EUNAUTHORIZED)
		MustPublish(t, db, p.ID)
		if _, n, _ := ledgerstore.NewTaskService(db).FindTasks(as(viewer), duban.TaskFilter{}); n != 88 {
			t.Errorf("viewer's tasks once published: got %d, want 88", n)
		}
	})
}
