package accountstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestDrafts keeps a form's draft for the account whose session ended, and
// gives it back once, to that account alone, until it expires.
func TestDrafts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		clerk := MustCreateUser(t, db, &duban.User{Name: "clerk", Role: duban.RoleViewer}, "clerk-password")
		other := MustCreateUser(t, db, &duban.User{Name: "other", Role: duban.RoleViewer}, "other-password")
		_, token, err := login(a, "clerk", "clerk-password", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(testPolicy.SessionIdle + time.Minute) // the session ends
		if _, err := a.FindSession(context.Background(), token); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Fatalf("the session after its idle time: %v", err)
		}
		d, _ := duban.NewFormDraft("/tasks/7", "/tasks/7/comments", map[string][]string{"text": {"本月完成了第一阶段。"}})
		before := MustVerifyAudit(t, db)
		secret, err := a.SaveDraft(context.Background(), d, token)
		if err != nil {
			t.Fatal(err)
		}
		if d.UserID != clerk.ID {
			t.Errorf("the draft's account: got %d, want the ended session's %d", d.UserID, clerk.ID)
		}
		if MustVerifyAudit(t, db) != before {
			t.Error("keeping a draft wrote to the audit log: it changes nothing")
		}
		_, err = a.TakeDraft(as(other), secret)
		wantCode(t, "another account takes it", err, duban.ENOTFOUND)
		_, err = a.TakeDraft(context.Background(), secret)
		wantCode(t, "nobody takes it", err, duban.EUNAUTHORIZED)
		got, err := a.TakeDraft(as(clerk), secret)
		if err != nil || got.Fields.Get("text") != "本月完成了第一阶段。" || got.Page != "/tasks/7" || got.Action != "/tasks/7/comments" {
			t.Fatalf("its account takes it: got %+v (%v)", got, err)
		}
		_, err = a.TakeDraft(as(clerk), secret)
		wantCode(t, "taken twice", err, duban.ENOTFOUND)

		// Without the ended session's token it is whoever signs in next's;
		// past its life it is gone.
		secret, err = a.SaveDraft(context.Background(), d, "")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(duban.DraftLife + time.Minute)
		_, err = a.TakeDraft(as(other), secret)
		wantCode(t, "an expired draft", err, duban.ENOTFOUND)
		secret, err = a.SaveDraft(context.Background(), d, "no-such-session")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := a.TakeDraft(as(other), secret); err != nil || got.UserID != 0 {
			t.Errorf("a draft of no known account: got %+v (%v)", got, err)
		}
	})
}

// TestChangePassword changes the own password once the current one is
// given, keeps the browser's session, ends the others and revokes the
// account's API tokens.
func TestChangePassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		u := MustCreateUser(t, db, &duban.User{Name: "leader", Role: duban.RoleViewer}, "first-password")
		_, here, err := login(a, "leader", "first-password", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		_, elsewhere, err := login(a, "leader", "first-password", "10.0.0.2")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ name, current, next, code string }{
			{"wrong current", "not-the-password", "second-password", duban.EINVALID},
			{"no current", "", "second-password", duban.EINVALID},
			{"too short", "first-password", "short", duban.EINVALID},
			{"the same", "first-password", "first-password", duban.EINVALID},
		} {
			wantCode(t, c.name, a.ChangePassword(as(u), c.current, c.next, here), c.code)
		}
		wantCode(t, "nobody", a.ChangePassword(context.Background(), "first-password", "second-password", ""), duban.EUNAUTHORIZED)
		secret, err := a.CreateAPIToken(as(office), &duban.APIToken{UserID: u.ID, Name: "脚本"})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.ChangePassword(as(u), "first-password", "second-password", here); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindUserByAPIToken(context.Background(), secret); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a token made before the change: %v, want revoked", err)
		}
		if _, err := a.FindSession(context.Background(), here); err != nil {
			t.Errorf("the browser that changed it: %v, want still signed in", err)
		}
		if _, err := a.FindSession(context.Background(), elsewhere); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("another browser: %v, want signed out", err)
		}
		if _, _, err := login(a, "leader", "second-password", "10.0.0.1"); err != nil {
			t.Errorf("signing in with the new password: %v", err)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("user"), EntityID: &u.ID, Limit: 1})
		if err != nil || len(events) != 1 || events[0].Summary != "本人修改密码："+u.Label()+"，吊销 1 个 API 令牌" {
			t.Errorf("the log: got %v (%v)", events, err)
		}
	})
}
