package sqldb_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestConcurrentWrites writes from many goroutines at once: every write must
// succeed (no "database is locked"), and the audit chain must hold one event
// per write, in order.
func TestConcurrentWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		tasks, _, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		before := MustVerifyAudit(t, db)
		const writers, writes = 20, 10
		failures := sqldbtest.Hammer(writers, writes, func(w, i int) error {
			if i%2 == 0 {
				return ledgerstore.NewLeaderService(db).CreateLeader(as(office), &duban.Leader{Name: fmt.Sprintf("并发%d-%d", w, i)})
			}
			text := fmt.Sprintf("第 %d 号写入者的第 %d 次修改", w, i)
			_, err := ledgerstore.NewTaskService(db).UpdateTask(as(office), tasks[w%len(tasks)].ID, duban.TaskUpdate{Text: &text})
			return err
		})
		t.Logf("%s: %d writers × %d writes, %d failed", db.Dialect(), writers, writes, len(failures))
		if len(failures) > 0 {
			t.Errorf("got %d failed writes, want 0; first: %v", len(failures), failures[0])
		}
		if got, want := MustVerifyAudit(t, db), before+writers*writes; got != want {
			t.Errorf("audit events: got %d, want %d", got, want)
		}
	})
}

// TestConcurrentWritesTwoProcesses opens one database twice, as a command
// run beside the server does on SQLite, or as two servers behind a balancer
// do on PostgreSQL, and writes through both at once: no write may fail, and
// the audit chain must stay one chain.
func TestConcurrentWritesTwoProcesses(t *testing.T) {
	forEachDB(t, func(t *testing.T, a *sqldb.DB) {
		dsn := sqldbtest.DSNOf(a)
		b := mustOpen(t, dsn)
		const writers, writes = 10, 10
		failures := sqldbtest.Hammer(writers, writes, func(w, i int) error {
			db := a
			if w%2 == 1 {
				db = b
			}
			return ledgerstore.NewLeaderService(db).CreateLeader(as(office), &duban.Leader{Name: fmt.Sprintf("并发%d-%d", w, i)})
		})
		t.Logf("%s, two handles: %d writers × %d writes, %d failed", a.Dialect(), writers, writes, len(failures))
		if len(failures) > 0 {
			t.Errorf("got %d failed writes, want 0; first: %v", len(failures), failures[0])
		}
		if got, want := MustVerifyAudit(t, a), int64(writers*writes); got != want {
			t.Errorf("audit events: got %d, want %d", got, want)
		}
	})
}

// TestDurability writes in a loop in a child process, kills it with SIGKILL
// mid-stream, and checks that every write the child reported as done is in
// the database when it is opened again. It runs several rounds on one file.
func TestDurability(t *testing.T) {
	if path := os.Getenv("DUBAN_DURABILITY_CHILD"); path != "" {
		durabilityChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "duban.db")
	mustOpen(t, path).Close()
	var acked, found atomic.Int64
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDurability$")
		cmd.Env = append(os.Environ(), "DUBAN_DURABILITY_CHILD="+path, fmt.Sprintf("DUBAN_DURABILITY_ROUND=%d", round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var names []string
		lines := bufio.NewScanner(out)
		killAt := 30 + 17*round
		for lines.Scan() {
			if name, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
				names = append(names, name)
				if len(names) == killAt {
					cmd.Process.Kill() // SIGKILL: no deferred function, no flush
				}
			}
		}
		cmd.Wait()
		if len(names) < killAt {
			t.Fatalf("round %d: the child acknowledged %d writes before it ended, want at least %d", round, len(names), killAt)
		}
		db := mustOpen(t, path)
		leaders, n, err := ledgerstore.NewLeaderService(db).FindLeaders(as(office), duban.LeaderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]bool{}
		for _, l := range leaders {
			stored[l.Name] = true
		}
		missing := 0
		for _, name := range names {
			if !stored[name] {
				missing++
			}
		}
		acked.Add(int64(len(names)))
		found.Add(int64(len(names) - missing))
		t.Logf("round %d: %d writes acknowledged before kill -9, %d of them found on reopening (%d rows in all)", round, len(names), len(names)-missing, n)
		if missing > 0 {
			t.Errorf("round %d: %d acknowledged writes lost", round, missing)
		}
		MustVerifyAudit(t, db)
		db.Close()
	}
	t.Logf("in all: %d acknowledged, %d found", acked.Load(), found.Load())
}

// durabilityChild writes leaders until killed, printing each name once its
// transaction has committed.
func durabilityChild(path string) {
	db, err := sqldb.Open(context.Background(), path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	round := os.Getenv("DUBAN_DURABILITY_ROUND")
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		name := fmt.Sprintf("第%s轮领导%d", round, i)
		if err := ledgerstore.NewLeaderService(db).CreateLeader(as(office), &duban.Leader{Name: name}); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("ack " + name)
	}
	os.Exit(0)
}
