package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web/webtest"
)

// Start runs a command that serves until stopped (serve, demo) in the
// background and returns once its output contains want, with its output
// so far. stop interrupts it, as Ctrl+C does, and fails the test unless it
// ends cleanly.
func (c *cli) Start(args []string, want string) (out string, stop func()) {
	c.t.Helper()
	var buf webtest.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	env := &Env{Stdin: strings.NewReader(""), Stdout: &buf, Stderr: &buf, Getenv: func(k string) string { return c.env[k] }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, env, args) }()
	deadline := time.After(startWait * time.Second)
	for {
		out, written := buf.Next()
		if strings.Contains(out, want) {
			break
		}
		select {
		case code := <-done:
			cancel()
			c.t.Fatalf("duban %s ended with %d before saying %q:\n%s", strings.Join(args, " "), code, want, buf.String())
		case <-deadline:
			cancel()
			c.t.Fatalf("duban %s did not say %q within %d s:\n%s", strings.Join(args, " "), want, startWait, buf.String())
		case <-written:
		}
	}
	stopped := false
	stop = func() {
		c.t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != 0 {
			c.t.Errorf("duban %s: exit %d after interrupt:\n%s", strings.Join(args, " "), code, buf.String())
		}
	}
	c.t.Cleanup(stop)
	return buf.String(), stop
}

var (
	urlRE      = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	passwordRE = regexp.MustCompile(`(?m)^\s*(\S+)\s+密码 (\S+)`)
)

// TestDemo runs the README's first command: the demo loads the sample,
// prints an account for each role and serves; each account signs in and
// sees what its role may see. Without --db it makes a database of its own
// and removes it when it stops.
func TestDemo(t *testing.T) {
	// A temporary folder the demo fails to remove is this test's, removed
	// with it.
	t.Setenv("TMPDIR", t.TempDir())
	c := newCLI(t)
	c.env["DUBAN_ADDR"] = "127.0.0.1:0"
	db := filepath.Join(t.TempDir(), "demo.db")
	out, stop := c.Start([]string{"demo", "--db", db}, "按 Ctrl+C 停止")
	for _, want := range []string{"发布为文件 #1", "7 个行动，24 个重点领域，88 项任务，57 个单位，12 位领导", "9 段无人认领的段落", "用时",
		"8 个统称（如“各街道办事处”）设置了成员", "督查室管理员", "领导（武毅）", "单位联络员（区财政局）", "单位联络员（解放路街道办事处）", "查看者",
		"填报模拟到 2022年8月29日", "份待审核", "督办〔2022〕第 1 号（已下发）待区财政局反馈", "演示中的日期是 2022年8月29日 10:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	base := urlRE.FindString(out)
	accounts := map[string]string{}
	for _, m := range passwordRE.FindAllStringSubmatch(out, -1) {
		accounts[m[1]] = m[2]
	}
	if base == "" || len(accounts) != 5 {
		t.Fatalf("demo output: got address %q and %d accounts, want both:\n%s", base, len(accounts), out)
	}
	// Each account lands on its home: the office's queue, the leader's
	// tasks by unit, a clerk's unit with its tasks (a street's through the
	// groups it belongs to), the documents in hand.
	for _, a := range []struct {
		name string
		sees []string
	}{
		{"office", []string{"督查室待办", "账号"}},
		{"wuyi", []string{"牵头的任务共 19 项", "区发展和改革局"}},
		{"caizheng", []string{"区财政局", "本单位的任务"}},
		{"jiefanglu", []string{"解放路街道办事处", "本单位属于“", "各街道办事处", "相关街道办事处"}},
		{"viewer", []string{"在执行的文件"}},
	} {
		b := webtest.NewClient(t, base)
		b.MustGet("/", http.StatusSeeOther)
		b.Login(a.name, accounts[a.name])
		b.MustGet("/", http.StatusOK, a.sees...)
		switch a.name {
		case "office":
			// The 督办单 open, and what lags to urge.
			b.MustGet("/supervisions?state=open", http.StatusOK, "督办〔2022〕第 1 号", "已下发", "区财政局")
			b.MustGet("/urges", http.StatusOK, "严重滞后", "逾期未报送的单位")
		case "caizheng":
			// The clerk's bell rings: reminders and the 督办单.
			page := b.MustGet("/tasks", http.StatusOK, `class="badge"`)
			if !regexp.MustCompile(`通知（\d+ 条未读）`).MatchString(page.Body) {
				t.Errorf("the clerk's bell has no unread count")
			}
			b.MustGet("/notifications?unread=1", http.StatusOK, "督办〔2022〕第 1 号", "催报")
		}
	}
	stop()
	// Every colour of light, and reports waiting for the office.
	func() {
		store, err := sqldb.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		office := duban.NewContextWithUser(context.Background(), &duban.User{Name: "test", Role: duban.RoleAdmin})
		for _, st := range cycle.LightStatuses {
			if _, n, err := cyclestore.NewLightService(store).FindLights(office, cycle.LightFilter{Status: &st, Latest: true}); err != nil || n == 0 {
				t.Errorf("the demo's lights: %d %s (%v), want some", n, st.Label(), err)
			}
		}
		waiting := cycle.ReportSubmitted
		if _, n, err := cyclestore.NewReportService(store, nil).FindReports(office, cycle.ReportFilter{State: &waiting}); err != nil || n == 0 {
			t.Errorf("the demo's reports waiting for review: %d (%v), want some", n, err)
		}
	}()
	c.MustFail(1, []string{"demo", "--db", db}, "已有 1 个文件")
	c.MustRun([]string{"plan", "list", "--db", db}, "已发布")
	c.MustRun([]string{"user", "list", "--db", db}, "共 5 个账号", "caizheng", "单位：区财政局", "领导：武毅")
	// Without --db the demo makes a database of its own, not DUBAN_DB's;
	// saying so is the last thing it prints.
	out, stop = c.Start(args("demo"), "在演示停止时删除")
	temp := regexp.MustCompile(`--db (\S*duban-demo-\S*)`).FindStringSubmatch(out)
	if temp == nil || !strings.Contains(out, "在演示停止时删除") {
		t.Fatalf("demo without --db: want a temporary database, removed when the demo stops:\n%s", out)
	}
	if _, err := os.Stat(temp[1]); err != nil {
		t.Errorf("the demo's database while it runs: %v", err)
	}
	stop()
	if _, err := os.Stat(filepath.Dir(temp[1])); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the demo's temporary folder after it stopped: got %v, want it removed", err)
	}
	c.MustRun(args("plan list"), "共 0 个文件")
}

// TestUserCommand makes the first administrator on a new install, who then
// signs in to the server.
func TestUserCommand(t *testing.T) {
	c := newCLI(t)
	c.MustRun(args("unit add 区财政局"))
	out := c.MustRun(args("user add admin --role admin --name 张主任"), "已新建账号 #1 张主任（admin），角色督查室管理员", "密码：")
	pw := regexp.MustCompile(`密码：(\S+)（`).FindStringSubmatch(out)[1]
	c.MustFail(1, args("user add admin --role viewer"), "已被使用")
	c.MustFail(1, args("user add clerk --role clerk"), "需要指定所属单位")
	c.MustFail(1, args("user add nobody --role viewer --unit 区不存在局"), "名录中没有单位")
	c.MustRun(args("user add caizheng --role clerk --unit 区财政局"), "单位联络员")
	code, msg := c.runStdin("short\n", "user", "add", "shortpw", "--role", "viewer", "--password-stdin")
	if code != 1 || !strings.Contains(msg, "密码太短") {
		t.Errorf("a short password: got %d %s", code, msg)
	}
	// The short password was refused before the account was made.
	if out := c.MustRun(args("user list"), "共 2 个账号", "单位：区财政局"); strings.Contains(out, "shortpw") {
		t.Errorf("an account with a refused password was made:\n%s", out)
	}

	c.env["DUBAN_ADDR"] = "127.0.0.1:0"
	out, stop := c.Start(args("serve"), "按 Ctrl+C 停止")
	b := webtest.NewClient(t, urlRE.FindString(out))
	b.Login("admin", pw)
	b.MustGet("/accounts", http.StatusOK, "caizheng")
	// A script's token made by whoever held the account.
	tok := b.MustPost("/accounts/1/tokens", url.Values{"name": {"脚本"}}, http.StatusOK)
	secret := regexp.MustCompile(`dbn_[A-Za-z0-9_-]+`).FindString(tok.Body)
	script := func() int {
		req, _ := http.NewRequest("GET", b.URL("/api/v1/me"), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return webtest.NewClient(t, b.URL("/")).Do(req).Status
	}
	if secret == "" || script() != http.StatusOK {
		t.Fatalf("the token made on the accounts page does not work:\n%s", tok.Body)
	}

	// A password reset from the command line signs the account out and
	// ends its tokens.
	if code, msg := c.runStdin("a-new-password-2022\n", "user", "passwd", "admin", "--password-stdin"); code != 0 || !strings.Contains(msg, "已重置") || !strings.Contains(msg, "API 令牌") {
		t.Errorf("passwd: got %d %s, want it to say the account's tokens ended", code, msg)
	}
	b.MustGet("/accounts", http.StatusSeeOther)
	if got := script(); got != http.StatusUnauthorized {
		t.Errorf("the token after the password was reset: got %d, want 401", got)
	}
	b.Login("admin", "a-new-password-2022")
	stop()
}

// runStdin runs duban with input on standard input.
func (c *cli) runStdin(stdin string, args ...string) (int, string) {
	c.t.Helper()
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out, Getenv: func(k string) string { return c.env[k] }}
	return run(context.Background(), env, args), out.String()
}

// TestServeMissing: duban serve over a database that is not there (a
// file deleted, a path mistyped) refuses, saying how a new install starts,
// and makes no file; with --init it makes one, and the first-run path,
// duban user add, makes it too.
func TestServeMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db")
	c := &cli{t: t, env: map[string]string{"DUBAN_DB": path, "USER": "tester", "DUBAN_ADDR": "127.0.0.1:0"}}
	c.MustFail(1, args("serve"), "--init")
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("serve over a missing database made %s (%v)", path, err)
	}
	c.MustFail(1, args("plan list"), "不存在")
	_, stop := c.Start(args("serve --init"), "创建督查室管理员。")
	stop()

	c.env["DUBAN_DB"] = filepath.Join(t.TempDir(), "first.db")
	c.runStdin("first-password-1\n", "user", "add", "admin", "--role", "admin", "--password-stdin")
	out, stop := c.Start(args("serve"), "按 Ctrl+C 停止")
	if strings.Contains(out, "还没有任何账号") {
		t.Errorf("after duban user add: the server says there is no account:\n%s", out)
	}
	stop()
}

// TestServeFirstRun says how to make the first account when there is none,
// after saying where it serves, and refuses an address in use.
func TestServeFirstRun(t *testing.T) {
	c := newCLI(t)
	c.env["DUBAN_ADDR"] = "127.0.0.1:0"
	// The hint comes after the line saying where the server listens: wait
	// for the hint, the last thing a first run prints.
	out, stop := c.Start(args("serve"), "创建督查室管理员。")
	if !strings.Contains(out, "duban user add 登录名 --role admin") || !strings.Contains(out, "按 Ctrl+C 停止") {
		t.Errorf("first run: want where it serves and the hint to make an administrator:\n%s", out)
	}
	addr := strings.TrimPrefix(urlRE.FindString(out), "http://")
	c.MustFail(1, []string{"serve", "--init", "--addr", addr, "--db", filepath.Join(t.TempDir(), "other.db")}, "已被占用")
	stop()
	c.MustFail(2, args("serve extra"), "用法")
}

// newTestMain boots the real server on a random port with a database, the
// way an end-to-end test does, with cheap password hashing.
func newTestMain(t *testing.T, dsn string, policy duban.AuthPolicy) *Main {
	t.Helper()
	m := NewMain(Config{DB: dsn, Data: t.TempDir(), Addr: "127.0.0.1:0", Init: true}, io.Discard)
	m.Passwords = auth.Params{Time: 1, Memory: 64, Threads: 1}
	m.Policy = policy
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestClose stops the server: it answers until Close and not after.
func TestClose(t *testing.T) {
	m := newTestMain(t, sqldbtest.SQLiteDSN(t), duban.DefaultAuthPolicy)
	b := webtest.NewClient(t, m.URL())
	b.MustGet("/login", http.StatusOK)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(m.URL() + "/login"); err == nil {
		t.Error("the server still answers after Close")
	}
}

// TestSeveralServers runs two servers on one PostgreSQL database, as behind
// a balancer: a session made on one works on the other, a sign-out on one
// ends it on both, a comment made through one shows through the other, and
// failed sign-ins are counted across both.
func TestSeveralServers(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	policy := duban.DefaultAuthPolicy
	policy.MaxPairFailures = 4
	a := newTestMain(t, dsn, policy)
	b := newTestMain(t, dsn, policy)

	c := newCLI(t)
	c.env["DUBAN_DB"] = dsn
	c.MustRun(args("import " + demoSample))
	out := c.MustRun(args("plan statements 1"))
	for _, id := range regexp.MustCompile(`(?m)^#(\d+)`).FindAllStringSubmatch(out, -1) {
		c.MustRun(args("plan dismiss 1 " + id[1]))
	}
	c.MustRun(args("plan publish 1"))
	c.runStdin("leader-password-1\n", "user", "add", "wuyi", "--role", "leader", "--leader", "武毅", "--password-stdin")

	// Sign in on A; the same browser goes on through B.
	onA := webtest.NewClient(t, a.URL())
	onA.Login("wuyi", "leader-password-1")
	onB := webtest.NewClient(t, b.URL())
	onB.SetCookie("duban_session", onA.Cookie("duban_session"))
	onB.SetCookie("duban_csrf", onA.Cookie("duban_csrf"))
	page := onB.MustGet("/tasks?leader=1", http.StatusOK, "武毅")
	task := regexp.MustCompile(`href="/tasks/(\d+)"`).FindStringSubmatch(page.Body)
	if task == nil {
		t.Fatalf("no task on the leader's ledger:\n%s", page.Body)
	}
	onB.MustPost("/tasks/"+task[1]+"/comments", url.Values{"text": {"请两台服务器都看到这条意见。"}}, http.StatusSeeOther)
	onA.MustGet("/tasks/"+task[1], http.StatusOK, "请两台服务器都看到这条意见。")

	// Signing out on B ends the session on A.
	onB.MustPost("/logout", nil, http.StatusSeeOther)
	onA.MustGet("/tasks", http.StatusSeeOther)

	// Failures on A and B add up: the fifth attempt is refused on either.
	for i, srv := range []*Main{a, b, a, b} {
		r := webtest.NewClient(t, srv.URL()).Post("/login", url.Values{"name": {"wuyi"}, "password": {"wrong"}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, r.Status)
		}
	}
	r := webtest.NewClient(t, b.URL()).Post("/login", url.Values{"name": {"wuyi"}, "password": {"leader-password-1"}})
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "后再试") {
		t.Errorf("after four failures on two servers: got %d, want 429 saying when to retry", r.Status)
	}
}

// TestTuneGC checks that a server collects garbage less often than Go's
// default unless the environment says otherwise, and that what the
// environment sets is left.
func TestTuneGC(t *testing.T) {
	gcPercent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(gcPercent); debug.SetMemoryLimit(limit) })
	for _, tc := range []struct {
		gogc, gomemlimit string
		percent          int
		limit            int64
	}{
		{"", "", serverGCPercent, serverMemoryLimit},
		{"150", "", 100, serverMemoryLimit},
		{"", "2GiB", serverGCPercent, math.MaxInt64},
	} {
		t.Setenv("GOGC", tc.gogc)
		t.Setenv("GOMEMLIMIT", tc.gomemlimit)
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		tuneGC()
		if got := debug.SetGCPercent(100); got != tc.percent {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.gogc, got, tc.percent)
		}
		if got := debug.SetMemoryLimit(-1); got != tc.limit {
			t.Errorf("GOMEMLIMIT=%q: memory limit %d, want %d", tc.gomemlimit, got, tc.limit)
		}
	}
}
