package accountstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// fastHasher hashes quickly, with the server's algorithm.
var fastHasher = sqldbtest.FastHasher

// testPolicy throttles after 3 failures per account and address pair, a
// minute's pause doubling with each further one, and after 8 per address.
var testPolicy = duban.AuthPolicy{
	SessionIdle: time.Hour, SessionMax: 8 * time.Hour,
	FailureWindow: 10 * time.Minute, MaxPairFailures: 3, PairDelay: time.Minute, MaxAddressFailures: 8,
}

func login(a *accountstore.AuthService, name, pw, addr string) (*duban.Session, string, error) {
	return a.Login(context.Background(), duban.Credentials{Name: name, Password: pw, Address: addr, UserAgent: "test"})
}

// MustCreateUser stores an account with a password and returns it.
func MustCreateUser(t testing.TB, db *sqldb.DB, u *duban.User, pw string) *duban.User {
	t.Helper()
	return sqldbtest.MustCreateUser(t, db, office, u, pw)
}

func TestLogin(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		u := MustCreateUser(t, db, &duban.User{Name: "zhang.san", DisplayName: "张三", Role: duban.RoleViewer}, "正确的密码123")
		MustCreateUser(t, db, &duban.User{Name: "nopassword", Role: duban.RoleViewer}, "")

		sess, token, err := login(a, "zhang.san", "正确的密码123", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if sess.UserID != u.ID || token == "" || !sess.ExpiresAt.Equal(clk.Now().Add(testPolicy.SessionMax)) {
			t.Errorf("session: got %+v, token %q", sess, token)
		}
		got, err := a.FindSession(context.Background(), token)
		if err != nil || got.User.Name != "zhang.san" || got.Address != "10.0.0.1" {
			t.Fatalf("find session: got %+v, %v", got, err)
		}
		wrong := []struct {
			name, pw string
		}{{"zhang.san", "错误的密码123"}, {"nobody", "正确的密码123"}, {"nopassword", ""}, {"nopassword", "anything-at-all"}}
		for _, c := range wrong {
			_, _, err := login(a, c.name, c.pw, "10.0.0.9")
			if code := duban.ErrorCode(err); code != duban.EUNAUTHORIZED && !(c.pw == "" && code == duban.EINVALID) {
				t.Errorf("login %s/%s: got %v, want refused", c.name, c.pw, err)
			}
		}
		if _, err := a.FindSession(context.Background(), token+"x"); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a forged token: got %v, want unauthorized", err)
		}

		// A new sign-in in the same browser ends the session it had.
		_, token2, err := a.Login(context.Background(), duban.Credentials{Name: "zhang.san", Password: "正确的密码123", Replace: token})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindSession(context.Background(), token); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("the replaced session: got %v, want it ended", err)
		}

		// Idle sessions end; used ones go on until their absolute end.
		clk.Advance(testPolicy.SessionIdle - time.Minute)
		if _, err := a.FindSession(context.Background(), token2); err != nil {
			t.Fatalf("a session used within the idle time: %v", err)
		}
		clk.Advance(testPolicy.SessionIdle - time.Minute)
		if _, err := a.FindSession(context.Background(), token2); err != nil {
			t.Fatalf("a session used again within the idle time: %v", err)
		}
		clk.Advance(testPolicy.SessionIdle)
		if _, err := a.FindSession(context.Background(), token2); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("an idle session: got %v, want ended", err)
		}
		_, token3, _ := login(a, "zhang.san", "正确的密码123", "")
		for i := 0; i < 20; i++ {
			clk.Advance(testPolicy.SessionMax / 20)
			if _, err := a.FindSession(context.Background(), token3); err != nil {
				if i < 19 {
					t.Fatalf("a busy session ended after %d of 20 steps: %v", i+1, err)
				}
			} else if i == 19 {
				t.Error("a session outlived its absolute end")
			}
		}

		// Logout ends the session.
		_, token4, _ := login(a, "zhang.san", "正确的密码123", "")
		if err := a.Logout(context.Background(), token4); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindSession(context.Background(), token4); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("after logout: got %v, want ended", err)
		}

		// Disabling an account ends its sessions and refuses sign-in.
		_, token5, _ := login(a, "zhang.san", "正确的密码123", "")
		if _, err := accountstore.NewUserService(db).UpdateUser(as(office), u.ID, duban.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindSession(context.Background(), token5); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a disabled user's session: got %v, want ended", err)
		}
		if _, _, err := login(a, "zhang.san", "正确的密码123", ""); !strings.Contains(duban.ErrorMessage(err), "已停用") {
			t.Errorf("a disabled user signing in: got %v, want told the account is disabled", err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		MustCreateUser(t, db, &duban.User{Name: "target", Role: duban.RoleViewer}, "target-password")
		MustCreateUser(t, db, &duban.User{Name: "other", Role: duban.RoleViewer}, "other-password")
		refusedFor := func(what string, err error, wait time.Duration) {
			t.Helper()
			var ra duban.RetryAfter
			if duban.ErrorCode(err) != duban.ETOOMANY || !errors.As(err, &ra) || time.Duration(ra) != wait {
				t.Errorf("%s: got %v, want too many, to retry after %v", what, err, wait)
			}
		}

		// Three failures at one account from one address pause that pair,
		// even for the right password, for a minute.
		for i := range testPolicy.MaxPairFailures {
			if _, _, err := login(a, "target", "guess", "10.0.1.1"); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
				t.Fatalf("failure %d: got %v", i+1, err)
			}
		}
		_, _, err := login(a, "TARGET", "target-password", "10.0.1.1")
		refusedFor("the right password after 3 failures", err, time.Minute)
		if msg := duban.ErrorMessage(err); !strings.Contains(msg, "1 分钟") {
			t.Errorf("message: got %q, want how long to wait", msg)
		}
		// The account's owner elsewhere is not paused, nor another account.
		if _, _, err := login(a, "target", "target-password", "10.0.2.1"); err != nil {
			t.Errorf("the account from another address: %v", err)
		}
		if _, _, err := login(a, "other", "other-password", "10.0.1.1"); err != nil {
			t.Errorf("another account from the address: %v", err)
		}
		// After the minute the pair may try again; each further failure
		// doubles the pause.
		clk.Advance(time.Minute)
		if _, _, err := login(a, "target", "guess", "10.0.1.1"); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Fatalf("after the pause: got %v, want a wrong password", err)
		}
		clk.Advance(time.Minute)
		_, _, err = login(a, "target", "target-password", "10.0.1.1")
		refusedFor("a minute after a fourth failure", err, time.Minute)
		clk.Advance(time.Minute)
		// The right password goes through, and forgets the pair's failures.
		if _, _, err := login(a, "target", "target-password", "10.0.1.1"); err != nil {
			t.Fatalf("after two minutes: %v", err)
		}
		if _, _, err := login(a, "target", "guess", "10.0.1.1"); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a failure after a success: got %v, want a wrong password, not a pause", err)
		}

		// Successes from one address do not count against it; eight
		// failures there at any accounts pause the address.
		for i := range 2 * testPolicy.MaxAddressFailures {
			if _, _, err := login(a, "other", "other-password", "10.0.3.3"); err != nil {
				t.Fatalf("sign-in %d from one address: %v", i+1, err)
			}
		}
		for i := range testPolicy.MaxAddressFailures {
			login(a, fmt.Sprintf("name%d", i), "guess", "10.0.3.3")
		}
		_, _, err = login(a, "other", "other-password", "10.0.3.3")
		refusedFor("from an address after 8 failures", err, testPolicy.FailureWindow)
		if _, _, err := login(a, "other", "other-password", "10.0.3.4"); err != nil {
			t.Errorf("from another address: %v", err)
		}
		clk.Advance(testPolicy.FailureWindow + time.Second)
		if _, _, err := login(a, "other", "other-password", "10.0.3.3"); err != nil {
			t.Errorf("after the window: %v", err)
		}

		// Names no account can have and passwords too long to be one are
		// refused without counting.
		if _, _, err := login(a, strings.Repeat("x", 65), "guess", "10.0.4.4"); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a name of 65 letters: got %v", err)
		}
	})
}

// TestLiftPause: a password reset, or the office, lifts a pause on signing
// in to an account.
func TestLiftPause(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sqldbtest.UseClock(db)
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		u := MustCreateUser(t, db, &duban.User{Name: "paused", Role: duban.RoleViewer}, "first-password")
		pause := func() {
			t.Helper()
			for range testPolicy.MaxPairFailures {
				login(a, "paused", "guess", "10.0.5.5")
			}
			if _, _, err := login(a, "paused", "first-password", "10.0.5.5"); duban.ErrorCode(err) != duban.ETOOMANY {
				t.Fatalf("after %d failures: got %v, want paused", testPolicy.MaxPairFailures, err)
			}
		}
		pause()
		if err := a.SetPassword(as(office), u.ID, "second-password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := login(a, "paused", "second-password", "10.0.5.5"); err != nil {
			t.Errorf("after a password reset: %v", err)
		}
		pause()
		if _, err := a.ClearLoginFailures(as(u), u.ID); duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("a viewer lifting a pause: got %v, want forbidden", err)
		}
		n, err := a.ClearLoginFailures(as(office), u.ID)
		if err != nil || n != testPolicy.MaxPairFailures {
			t.Errorf("the office lifting the pause: got %d, %v, want %d failures cleared", n, err, testPolicy.MaxPairFailures)
		}
		if _, _, err := login(a, "paused", "second-password", "10.0.5.5"); err != nil {
			t.Errorf("after the office lifted the pause: %v", err)
		}
	})
}

func TestSetPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		u := MustCreateUser(t, db, &duban.User{Name: "li.si", Role: duban.RoleViewer}, "first-password")
		_, token, err := login(a, "li.si", "first-password", "")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a short password", a.SetPassword(as(office), u.ID, "short"), duban.EINVALID)
		wantCode(t, "a viewer setting a password", a.SetPassword(as(u), u.ID, "second-password"), duban.EFORBIDDEN)
		wantCode(t, "nobody setting a password", a.SetPassword(context.Background(), u.ID, "second-password"), duban.EUNAUTHORIZED)
		before := MustVerifyAudit(t, db)
		if err := a.SetPassword(as(office), u.ID, "second-password"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindSession(context.Background(), token); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a session after the password was reset: got %v, want ended", err)
		}
		if _, _, err := login(a, "li.si", "first-password", ""); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("the old password: got %v, want refused", err)
		}
		if _, _, err := login(a, "li.si", "second-password", ""); err != nil {
			t.Errorf("the new password: %v", err)
		}
		if got := MustVerifyAudit(t, db); got != before+1 {
			t.Errorf("audit events: got %d, want %d", got, before+1)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if e := events[0]; e.Action != "user.password" || strings.Contains(string(e.After)+string(e.Before), "argon2") {
			t.Errorf("audit event: got %s %s %s, want user.password without the hash", e.Action, e.Before, e.After)
		}
	})
}

func TestAPITokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		u := MustCreateUser(t, db, &duban.User{Name: "script", Role: duban.RoleViewer}, "")
		tok := &duban.APIToken{UserID: u.ID, Name: "月报导出脚本"}
		_, err := a.CreateAPIToken(as(u), tok)
		wantCode(t, "a viewer making a token", err, duban.EFORBIDDEN)
		wantCode(t, "a token without a name", func() error { _, err := a.CreateAPIToken(as(office), &duban.APIToken{UserID: u.ID}); return err }(), duban.EINVALID)
		secret, err := a.CreateAPIToken(as(office), tok)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, duban.APITokenPrefix) || !strings.HasPrefix(secret, tok.Prefix) || len(secret) < 40 {
			t.Errorf("secret %q, prefix %q", secret, tok.Prefix)
		}
		got, err := a.FindUserByAPIToken(context.Background(), secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("user of token: got %v, %v", got, err)
		}
		clk.Advance(time.Hour)
		a.FindUserByAPIToken(context.Background(), secret)
		list, n, err := a.FindAPITokens(as(office), duban.APITokenFilter{UserID: &u.ID})
		if err != nil || n != 1 || !list[0].LastUsedAt.Equal(clk.Now()) {
			t.Errorf("tokens: got %d %+v, %v; want one, last used now", n, list, err)
		}
		// Uses a few minutes apart are not each a write.
		noted := clk.Now()
		clk.Advance(4 * time.Minute)
		a.FindUserByAPIToken(context.Background(), secret)
		if list, _, _ := a.FindAPITokens(as(office), duban.APITokenFilter{UserID: &u.ID}); len(list) != 1 || !list[0].LastUsedAt.Equal(noted) {
			t.Errorf("a use 4 minutes after the last noted: got %+v, want the last use still %v", list, noted)
		}
		if _, err := a.FindUserByAPIToken(context.Background(), secret[:len(secret)-1]); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a wrong secret: got %v", err)
		}
		if _, err := a.RevokeAPIToken(as(u), tok.ID); duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("a viewer revoking: got %v", err)
		}
		if _, err := a.RevokeAPIToken(as(office), tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindUserByAPIToken(context.Background(), secret); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("a revoked token: got %v, want refused", err)
		}
		if _, n, _ := a.FindAPITokens(as(office), duban.APITokenFilter{UserID: &u.ID}); n != 0 {
			t.Errorf("working tokens after revoking: got %d, want 0", n)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("api_token")})
		if err != nil || len(events) != 2 || events[0].Action != "token.revoke" || events[1].Action != "token.create" ||
			strings.Contains(string(events[1].After), secret) {
			t.Errorf("audit: got %d events, want token.create and token.revoke without the secret", len(events))
		}
	})
}

// TestUpdateOwnAccount keeps an administrator from locking themselves out.
func TestUpdateOwnAccount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		admin := MustCreateUser(t, db, &duban.User{Name: "admin", Role: duban.RoleAdmin}, "")
		users := accountstore.NewUserService(db)
		_, err := users.UpdateUser(as(admin), admin.ID, duban.UserUpdate{Disabled: ptr(true)})
		wantCode(t, "disabling oneself", err, duban.ECONFLICT)
		_, err = users.UpdateUser(as(admin), admin.ID, duban.UserUpdate{Role: ptr(duban.RoleViewer)})
		wantCode(t, "giving up one's own administration", err, duban.ECONFLICT)
		if _, err := users.UpdateUser(as(admin), admin.ID, duban.UserUpdate{DisplayName: ptr("主任")}); err != nil {
			t.Errorf("renaming oneself: %v", err)
		}
		if _, err := users.UpdateUser(as(office), admin.ID, duban.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Errorf("another administrator disabling the account: %v", err)
		}
	})
}

// TestResetEndsTokens: a password reset and disabling an account end every
// session and every API token of the account, with an audit event that
// says so; enabling it again brings none back.
func TestResetEndsTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		a := accountstore.NewAuthService(db, fastHasher, testPolicy)
		users := accountstore.NewUserService(db)
		u := MustCreateUser(t, db, &duban.User{Name: "scripted", Role: duban.RoleAdmin}, "first-password")
		other := MustCreateUser(t, db, &duban.User{Name: "bystander", Role: duban.RoleViewer}, "")
		mustToken := func(userID int64) string {
			t.Helper()
			secret, err := a.CreateAPIToken(as(office), &duban.APIToken{UserID: userID, Name: "脚本"})
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}
		works := func(secret string) bool {
			_, err := a.FindUserByAPIToken(context.Background(), secret)
			return err == nil
		}
		kept := mustToken(other.ID)

		// A password reset.
		secret := mustToken(u.ID)
		_, session, err := login(a, "scripted", "first-password", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.SetPassword(as(office), u.ID, "second-password"); err != nil {
			t.Fatal(err)
		}
		if works(secret) {
			t.Error("a token made before the password was reset still works")
		}
		if _, err := a.FindSession(context.Background(), session); err == nil {
			t.Error("a session from before the reset still works")
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Limit: 1})
		if err != nil || len(events) != 1 || !strings.Contains(events[0].Summary, "吊销 1 个 API 令牌") {
			t.Errorf("audit event of the reset: got %+v, %v, want it to say a token was revoked", events, err)
		}

		// Disabling, then enabling again.
		secret = mustToken(u.ID)
		if _, err := users.UpdateUser(as(office), u.ID, duban.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := users.UpdateUser(as(office), u.ID, duban.UserUpdate{Disabled: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if works(secret) {
			t.Error("a token made before the account was disabled works again after it is enabled")
		}
		if list, n, err := a.FindAPITokens(as(office), duban.APITokenFilter{UserID: &u.ID}); err != nil || n != 0 {
			t.Errorf("working tokens of the account: got %d %+v, %v, want none", n, list, err)
		}
		if !works(kept) {
			t.Error("another account's token was ended too")
		}
		// A token made after enabling works.
		if secret = mustToken(u.ID); !works(secret) {
			t.Error("a token made after enabling the account does not work")
		}
	})
}

// countingHasher counts the passwords it is asked to check, and notes
// which check was of the right one.
type countingHasher struct {
	duban.PasswordHasher
	right    string
	verified atomic.Int64
	rightAt  atomic.Int64
}

func (h *countingHasher) Verify(hash, pw string) (bool, error) {
	n := h.verified.Add(1)
	if pw == h.right {
		h.rightAt.Store(n)
	}
	return h.PasswordHasher.Verify(hash, pw)
}

// TestConcurrentGuesses sends 200 guesses at one account from one address
// at once, the right password among them: each attempt is counted before
// its password is hashed, so at most the policy's bound are hashed, and
// the right one is let in only if it came within the bound. (Once it is
// in, the pair's failures are forgotten, and guesses still arriving are
// checked again: nothing is left to guess.)
func TestConcurrentGuesses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sqldbtest.UseClock(db)
		h := &countingHasher{PasswordHasher: fastHasher, right: "the-right-password"}
		a := accountstore.NewAuthService(db, h, testPolicy)
		MustCreateUser(t, db, &duban.User{Name: "target", Role: duban.RoleViewer}, "the-right-password")
		const guesses = 200
		start := make(chan struct{})
		var wg sync.WaitGroup
		var let, refused, wrong atomic.Int64
		for i := range guesses {
			pw := fmt.Sprint("guess-", i)
			if i == guesses-1 {
				pw = "the-right-password"
			}
			wg.Go(func() {
				<-start
				_, _, err := login(a, "target", pw, "10.9.9.9")
				switch duban.ErrorCode(err) {
				case "":
					let.Add(1)
				case duban.ETOOMANY:
					refused.Add(1)
				case duban.EUNAUTHORIZED:
					wrong.Add(1)
				default:
					t.Errorf("guess %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		bound := int64(testPolicy.MaxPairFailures)
		t.Logf("%d guesses: %d hashed, %d refused as wrong, %d refused as too many, %d let in (the right one hashed %d.)",
			guesses, h.verified.Load(), wrong.Load(), refused.Load(), let.Load(), h.rightAt.Load())
		if let.Load() == 0 {
			if got := h.verified.Load(); got > bound {
				t.Errorf("passwords hashed: got %d, want at most %d", got, bound)
			}
		} else if at := h.rightAt.Load(); at == 0 || at > bound {
			t.Errorf("the right password was let in as the %dth checked, past the bound of %d", at, bound)
		}
	})
}
