package accountstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
)

// TestReadsNeedNoWrite: a request made with an API token or a session
// reads; noting when they were last used is a write it does not wait for
// nor fail by. With another write holding the lock (a long import), the
// token and the session are still found.
func TestReadsNeedNoWrite(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2022, 5, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	office := duban.NewContextWithUser(ctx, &duban.User{ID: 1000, Name: "office", Role: duban.RoleAdmin})
	a := accountstore.NewAuthService(db, auth.NewHasher(auth.Params{Time: 1, Memory: 64, Threads: 1}), duban.DefaultAuthPolicy)
	u := &duban.User{Name: "script", Role: duban.RoleViewer}
	if err := accountstore.NewUserService(db).CreateUser(office, u); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPassword(office, u.ID, "a-long-password"); err != nil {
		t.Fatal(err)
	}
	secret, err := a.CreateAPIToken(office, &duban.APIToken{UserID: u.ID, Name: "脚本"})
	if err != nil {
		t.Fatal(err)
	}
	_, session, err := a.Login(ctx, duban.Credentials{Name: "script", Password: "a-long-password"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour) // both last-used times are due to be noted

	held, release := make(chan struct{}), make(chan struct{})
	go db.Update(ctx, func(*sqldb.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	defer close(release)
	found := make(chan error, 2)
	go func() {
		_, err := a.FindUserByAPIToken(ctx, secret)
		found <- err
	}()
	go func() {
		_, err := a.FindSession(ctx, session)
		found <- err
	}()
	for range 2 {
		select {
		case err := <-found:
			if err != nil {
				t.Errorf("a token or session with the write lock held: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("finding a token or a session waited for the write lock: a read needed a write")
		}
	}
}
