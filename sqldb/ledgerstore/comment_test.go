package ledgerstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestComments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		task := MustFindTask(t, db, p.ID, "1.1.1")
		other := MustFindTask(t, db, p.ID, "0.0.1")
		unit := task.LeadUnits[0].ID
		if other.HasUnit(unit) {
			t.Fatal("pick another task: 0.0.1 shares a unit with 1.1.1")
		}
		admin := MustCreateUser(t, db, &duban.User{Name: "office2", Role: duban.RoleAdmin}, "")
		leader := MustCreateUser(t, db, &duban.User{Name: "leader", Role: duban.RoleLeader, LeaderID: task.LeadLeaders[0].ID}, "")
		clerk := MustCreateUser(t, db, &duban.User{Name: "clerk", Role: duban.RoleClerk, UnitID: unit}, "")
		view := MustCreateUser(t, db, &duban.User{Name: "viewer2", Role: duban.RoleViewer}, "")
		cs := ledgerstore.NewCommentService(db)
		for _, c := range []struct {
			who  *duban.User
			task *duban.Task
			text string
			code string
		}{
			{admin, task, "请于月底前报送进展。", ""},
			{leader, task, "抓紧推进<script>", ""},
			{clerk, task, "已完成前期工作。", ""},
			{clerk, other, "这不是本单位的任务", duban.EFORBIDDEN},
			{view, task, "查看者不能发表意见", duban.EFORBIDDEN},
			{nil, task, "未登录", duban.EUNAUTHORIZED},
			{admin, task, "  ", duban.EINVALID},
			{admin, task, strings.Repeat("长", duban.MaxComment+1), duban.EINVALID},
		} {
			ctx := context.Background()
			if c.who != nil {
				ctx = as(c.who)
			}
			err := cs.CreateComment(ctx, &duban.Comment{TaskID: c.task.ID, Text: c.text})
			if got := duban.ErrorCode(err); got != c.code {
				t.Errorf("%v on %s: got %q (%v), want %q", c.who, c.task.No, got, err, c.code)
			}
		}
		comments, n, err := cs.FindComments(as(view), duban.CommentFilter{TaskID: &task.ID})
		if err != nil || n != 3 {
			t.Fatalf("comments: got %d, %v; want 3", n, err)
		}
		if c := comments[1]; c.Author != "leader" || c.AuthorRole != duban.RoleLeader || c.Text != "抓紧推进<script>" || c.PlanID != p.ID {
			t.Errorf("second comment: got %+v", c)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(view), duban.AuditFilter{Entity: ptr("task"), EntityID: &task.ID, Limit: 3})
		if err != nil || len(events) != 3 || events[0].Action != "task.comment" {
			t.Errorf("the task's history: got %d events, %v; want the comments in it", len(events), err)
		}

		// Comments wait for publication.
		draft := MustImport(t, db, readingWithTitle(t, "草稿计划"), "draft.md")
		dt := MustFindTask(t, db, draft.ID, "1.1.1")
		wantCode(t, "a comment on a draft", cs.CreateComment(as(admin), &duban.Comment{TaskID: dt.ID, Text: "草稿"}), duban.ECONFLICT)
	})
}

// readingWithTitle returns the sample's reading as another notice.
func readingWithTitle(t *testing.T, title string) *duban.Reading {
	r := MustReadGold(t)
	r.Document.Title, r.Document.DocNumber = title, title
	return r
}
