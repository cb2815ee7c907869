package duban_test

import (
	"testing"

	"github.com/dubanhq/duban"
)

// MustPlanContent returns the plan made from a reading, with task IDs set as a
// store would.
func MustPlanContent(t testing.TB, r *duban.Reading) *duban.PlanContent {
	t.Helper()
	c, err := duban.PlanFromReading(r, "source.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, task := range c.Tasks {
		task.ID = int64(i + 1)
	}
	return c
}

func TestDiffReissue(t *testing.T) {
	type counts = duban.DiffCounts
	for _, c := range []struct {
		name string
		// office changes the plan after import; reissue changes the notice.
		office  func(c *duban.PlanContent)
		reissue func(r *duban.Reading)
		want    counts
		// wantNos are the task numbers listed as changes, in order.
		wantNos []string
		doc     bool
	}{
		{
			name: "same notice",
			want: counts{Unchanged: 88},
		},
		{
			name:    "re-typeset notice is not reworded",
			reissue: func(r *duban.Reading) { r.Tasks[5].Text = " " + r.Tasks[5].Text + "。" },
			want:    counts{Unchanged: 88},
		},
		{
			name:    "reworded",
			reissue: func(r *duban.Reading) { r.Tasks[5].Text += "，确保年底前完成" },
			want:    counts{Reworded: 1, Unchanged: 87},
			wantNos: []string{"1.1.2"},
		},
		{
			name: "owners changed",
			reissue: func(r *duban.Reading) {
				r.Tasks[4].ResponsibleUnits = append(r.Tasks[4].ResponsibleUnits, "区财政局")
			},
			want:    counts{OwnersChanged: 1, Unchanged: 87},
			wantNos: []string{"1.1.1"},
		},
		{
			name:    "deadline changed",
			reissue: func(r *duban.Reading) { r.Tasks[10].Deadline = "2022年6月底前" },
			want:    counts{DeadlineChanged: 1, Unchanged: 87},
			wantNos: []string{"1.2.5"},
		},
		{
			name: "added",
			reissue: func(r *duban.Reading) {
				r.Tasks = append(r.Tasks, duban.ReadTask{No: "7.3.9", Section: 7, Area: 3, Text: "完善政务公开目录，年内更新不少于 200 条", ResponsibleUnits: []string{"区政府办公室"}})
			},
			want:    counts{Added: 1, Unchanged: 88},
			wantNos: []string{"7.3.9"},
		},
		{
			name:    "removed",
			reissue: func(r *duban.Reading) { r.Tasks = append(r.Tasks[:2], r.Tasks[3:]...) },
			want:    counts{Removed: 1, Unchanged: 87},
			wantNos: []string{"0.0.3"},
		},
		{
			name: "renumbered is unchanged",
			reissue: func(r *duban.Reading) {
				r.Tasks = append(r.Tasks[:2], r.Tasks[3:]...)
				r.Tasks[2].No = "0.0.3"
			},
			want:    counts{Removed: 1, Unchanged: 87},
			wantNos: []string{"0.0.3"},
		},
		{
			name:   "office corrections are not changes",
			office: func(c *duban.PlanContent) { c.Tasks[5].Text = "改过的文字"; c.Tasks[5].ResponsibleUnits = nil },
			want:   counts{Unchanged: 88},
		},
		{
			name: "tasks the office made are left alone",
			office: func(c *duban.PlanContent) {
				c.Tasks = append(c.Tasks, &duban.Task{ID: 999, Section: 1, Area: 1, Seq: 9, Text: "拆分出的任务", State: duban.TaskActive})
			},
			want: counts{Unchanged: 88},
		},
		{
			name:    "withdrawn tasks are not compared",
			office:  func(c *duban.PlanContent) { c.Tasks[0].State = duban.TaskWithdrawn },
			want:    counts{Added: 1, Unchanged: 87},
			wantNos: []string{"0.0.1"},
		},
		{
			name: "reworded and owners changed in one task",
			reissue: func(r *duban.Reading) {
				r.Tasks[7].Text = "新" + r.Tasks[7].Text
				r.Tasks[7].LeadLeaders = []string{"王锐"}
			},
			want:    counts{Reworded: 1, OwnersChanged: 1, Unchanged: 87},
			wantNos: []string{"1.2.2"},
		},
		{
			name: "rewritten beyond recognition is removed and added",
			reissue: func(r *duban.Reading) {
				r.Tasks[1].Text = "开展全区营商环境满意度调查"
			},
			want:    counts{Added: 1, Removed: 1, Unchanged: 87},
			wantNos: []string{"0.0.2", "0.0.2"},
		},
		{
			name:    "document number",
			reissue: func(r *duban.Reading) { r.Document.DocNumber = "历下政办字〔2022〕5号" },
			want:    counts{Unchanged: 88},
			doc:     true,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			pc := MustPlanContent(t, MustReadGold(t))
			if c.office != nil {
				c.office(pc)
			}
			r := MustReadGold(t)
			if c.reissue != nil {
				c.reissue(r)
			}
			d := duban.DiffReissue(pc.Plan, pc.Tasks, pc.Statements, r)
			if got := d.Counts(); got != c.want {
				t.Errorf("counts: got %+v, want %+v", got, c.want)
			}
			var nos []string
			for _, ch := range d.Changes {
				if ch.New != nil {
					nos = append(nos, ch.New.No)
				} else {
					nos = append(nos, ch.Task.No)
				}
			}
			if !equal(nos, c.wantNos) {
				t.Errorf("changed tasks: got %q, want %q", nos, c.wantNos)
			}
			if got := d.DocumentChanged; got != c.doc {
				t.Errorf("document changed: got %v, want %v", got, c.doc)
			}
			if got, want := d.Empty(), len(c.wantNos) == 0 && !c.doc; got != want {
				t.Errorf("empty: got %v, want %v", got, want)
			}
		})
	}
}

func TestDiffReissueStatements(t *testing.T) {
	pc := MustPlanContent(t, MustReadGold(t))
	pc.Statements[0].State = duban.StatementDismissed
	r := MustReadGold(t)
	r.Unassigned = append(r.Unassigned[2:], duban.ReadStatement{Section: 1, Area: 1, Text: "新增的一段无人负责的文字"})
	d := duban.DiffReissue(pc.Plan, pc.Tasks, pc.Statements, r)
	if got, want := len(d.StatementsAdded), 1; got != want {
		t.Errorf("statements added: got %d, want %d", got, want)
	}
	// The dismissed statement is a decision already taken: gone from the
	// notice, it is not listed as removed.
	if got, want := len(d.StatementsRemoved), 1; got != want {
		t.Fatalf("statements removed: got %d, want %d", got, want)
	}
	if got, want := d.StatementsRemoved[0].Text, pc.Statements[1].Text; got != want {
		t.Errorf("statement removed: got %q, want %q", got, want)
	}
}

func TestTaskChangeApply(t *testing.T) {
	pc := MustPlanContent(t, MustReadGold(t))
	task := pc.Tasks[4]
	task.Text = "督查室改过的文字"
	task.Deadline = "年底前"
	r := MustReadGold(t)
	nt := r.Tasks[4]
	nt.No, nt.Section, nt.Area = "2.1.7", 2, 1
	nt.ResponsibleUnits = []string{"区财政局"}
	d := duban.DiffReissue(pc.Plan, []*duban.Task{task}, nil, &duban.Reading{Schema: duban.ReadingSchema, Tasks: []duban.ReadTask{nt}})
	if len(d.Changes) != 1 {
		t.Fatalf("got %d changes, want 1", len(d.Changes))
	}
	d.Changes[0].Apply(task)
	if got, want := task.No, "2.1.7"; got != want {
		t.Errorf("number: got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(task.ResponsibleUnits), []string{"区财政局"}; !equal(got, want) {
		t.Errorf("responsible units: got %q, want %q", got, want)
	}
	// The notice did not change the text or deadline: the office's
	// corrections stay.
	if got, want := task.Text, "督查室改过的文字"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	if got, want := task.Deadline, "年底前"; got != want {
		t.Errorf("deadline: got %q, want %q", got, want)
	}
	if got, want := task.Issued.ResponsibleUnits, []string{"区财政局"}; !equal(got, want) {
		t.Errorf("issued: got %q, want %q", got, want)
	}
}
