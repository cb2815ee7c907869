package sqldbtest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// MustReadGold returns the hand-checked reading of the sample notice
// (testdata/lixia-2022.reading.json at the repository's root).
func MustReadGold(t testing.TB) *duban.Reading {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "lixia-2022.reading.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// MustImport imports a reading as a new draft, acting as office, and
// returns it.
func MustImport(t testing.TB, db *sqldb.DB, office *duban.User, r *duban.Reading, name string) *duban.Plan {
	t.Helper()
	data, _ := json.Marshal(r)
	ctx := duban.NewContextWithUser(context.Background(), office)
	res, err := ledgerstore.NewPlanService(db).ImportPlan(ctx, duban.ImportInput{Name: name, Data: data, Reading: r})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != duban.ImportCreated {
		t.Fatalf("import %s: got outcome %q, want created", name, res.Outcome)
	}
	return res.Plan
}

// Clock is a test's time, moved by hand.
type Clock struct{ now time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.now }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// UseClock sets a store's time to a clock at 2022-05-01 09:00 UTC.
func UseClock(db *sqldb.DB) *Clock {
	c := &Clock{now: time.Date(2022, 5, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = c.Now
	return c
}

// Hammer runs write(w, i) for writes i of writers w, all writers at once,
// and returns the errors.
func Hammer(writers, writes int, write func(w, i int) error) []error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	start := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-start
			for i := range writes {
				if err := write(w, i); err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			}
		})
	}
	close(start)
	wg.Wait()
	return failures
}

// FastHasher hashes with argon2id at the lowest cost, so that tests sign in
// quickly; the algorithm is the one the server uses.
var FastHasher = auth.NewHasher(auth.Params{Time: 1, Memory: 64, Threads: 1})

// MustCreateUser stores an account, acting as office, with a password
// unless pw is empty, and returns it.
func MustCreateUser(t testing.TB, db *sqldb.DB, office, u *duban.User, pw string) *duban.User {
	t.Helper()
	ctx := duban.NewContextWithUser(context.Background(), office)
	if err := accountstore.NewUserService(db).CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if pw != "" {
		if err := accountstore.NewAuthService(db, FastHasher, duban.DefaultAuthPolicy).SetPassword(ctx, u.ID, pw); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// MustFindTask returns the task of a plan with the given number, read as
// actor.
func MustFindTask(t testing.TB, db *sqldb.DB, actor *duban.User, planID int64, no string) *duban.Task {
	t.Helper()
	tasks, _, err := ledgerstore.NewTaskService(db).FindTasks(As(actor), duban.TaskFilter{PlanID: &planID})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		if task.No == no {
			return task
		}
	}
	t.Fatalf("plan %d has no task %s", planID, no)
	return nil
}

// The users the stores' tests act as: the office, with an ID no stored
// account has, and a viewer.
var (
	Office = &duban.User{ID: 1000, Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}
	Viewer = &duban.User{ID: 2, Name: "viewer", Role: duban.RoleViewer}
)

// As returns a context acting as u.
func As(u *duban.User) context.Context {
	return duban.NewContextWithUser(context.Background(), u)
}

// WantCode fails the test unless err has the code.
func WantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := duban.ErrorCode(err); got != code {
		t.Errorf("%s: got code %q (%v), want %q", what, got, err, code)
	}
}
