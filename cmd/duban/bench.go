package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/load"
	"github.com/dubanhq/duban/sqldb"
)

// duban bench measures the server as the office's machine will run it: a
// made-up ledger of many years (20 plans × 300 tasks × 150 units unless
// told otherwise) in a database of its own, duban serve on it in a second
// process, and signed-in clients on loopback reading the ledger filtered by
// a unit and a unit's page, then correcting tasks and commenting from ten
// clients at once. It prints requests a second, latency percentiles and
// every answer that was not a success; it judges no figure, but ends with
// an error when an answer was not a success, since none may be.
//
// It is a subcommand rather than a program of its own so that the
// installed binary measures the machine it is installed on, with no Go
// tools there, and so that the server measured is exactly the binary
// measuring it.

// The targets the figures are read against (issue 4), printed with them.
const benchTargets = "目标：两种读取各 ≥ 1000 次/秒且 p99 ≤ 20 ms；写入的非成功应答为 0。"

// benchPasswords hash the bench's own accounts cheaply: they live in a
// throwaway database, and signing in twenty clients is not what is
// measured. The server verifies a hash with the costs written in it.
var benchPasswords = auth.Params{Time: 1, Memory: 64, Threads: 1}

// The bench's accounts: one for the office, one clerk for each of the
// first units.
const (
	benchOffice = "bench-office"
	benchClerk  = "bench-clerk-%03d"
)

func runBench(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "bench", "bench [--db 数据库] [--duration 10s] [--clients 8] [--writers 10] [--plans 20 --tasks 300 --units 150]")
	dsn := fs.String("db", "", "压测用的数据库（SQLite 文件或 postgres:// 地址），没有数据时新建模拟台账；默认在临时文件夹中新建，用后删除。不要用正式数据库：压测会修改任务、发表意见")
	dur := fs.Duration("duration", 10*time.Second, "每项测量的时长")
	readers := fs.Int("clients", 8, "读取时同时请求的客户端数")
	writers := fs.Int("writers", 10, "写入时同时请求的客户端数：一半是督办室修改任务，一半是单位联络员发表意见")
	size := demo.FullSize
	fs.IntVar(&size.Plans, "plans", size.Plans, "新建模拟台账时的计划数（每年一个）")
	fs.IntVar(&size.Tasks, "tasks", size.Tasks, "每个计划的任务数")
	fs.IntVar(&size.Units, "units", size.Units, "单位数")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *dur <= 0 || *readers < 1 || *writers < 2 || size.Plans < 1 || size.Tasks < 1 || size.Units < 2 {
		fs.Usage()
		return errUsage
	}
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "duban-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "bench.db")
	}
	w := env.Stdout
	data, err := prepareBench(ctx, env, *dsn, size, max(*readers, *writers/2))
	if err != nil {
		return err
	}
	how := "已有"
	if data.built {
		how = fmt.Sprintf("新建，用时 %.1f s", data.took.Seconds())
	}
	fmt.Fprintf(w, "duban bench：%d 个计划，%d 项任务，%d 个单位（%s，%s）\n", data.plans, data.tasks, len(data.units), sqldb.RedactDSN(*dsn), how)
	fmt.Fprintf(w, "本机 %d 核%s。%s\n", runtime.NumCPU(), loadAverage(), benchTargets)
	failed := 0
	for _, cached := range []bool{true, false} {
		b := bench{ctx: ctx, w: w, data: data, dur: *dur}
		n, err := b.measure(*dsn, *readers, *writers, cached)
		failed += n
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n测量结束%s。\n", loadAverage())
	if failed > 0 {
		return duban.Errorf(duban.EINTERNAL, "服务器有 %d 次应答不是成功（见上）。", failed)
	}
	return nil
}

// measure starts duban serve on the bench's database, with its page
// cache or without, and measures it: each kind of read alone, then reads
// while clerks comment, then while others comment and correct tasks. With
// the cache it also measures the writes alone; without, the reads show
// what every request costs when what lists show keeps changing (each
// correction empties the cache). It returns how many answers were not a
// success, having printed the server's first errors when there were some.
func (b *bench) measure(dsn string, readers, writers int, cached bool) (int, error) {
	ctx, w := b.ctx, b.w
	srv, err := startBenchServer(ctx, dsn, cached)
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	how := "使用页面缓存：列表所示数据未变时（发表意见不算），常用页面只渲染一次"
	if !cached {
		how = "不用页面缓存（--no-page-cache）：每次请求都读库渲染，如同数据不断变动时"
	}
	fmt.Fprintf(w, "\n== %s\n服务：%s，duban serve 在另一进程（pid %d）。\n", how, srv.url, srv.cmd.Process.Pid)
	if err := b.signIn(srv.url, readers, writers); err != nil {
		return 0, err
	}
	defer b.close()
	failed := 0
	for _, ph := range []struct {
		title string
		path  string
	}{{"台账（按单位筛选）", "/tasks?unit=%d"}, {"单位页面", "/units/%d"}} {
		b.warmUp(ph.path)
		fmt.Fprintf(w, "\n%s GET %s，%d 个客户端，%s（先把每个单位的页面请求一次预热）%s\n", ph.title, strings.ReplaceAll(ph.path, "%d", "…"), len(b.readers), b.dur, loadAverage())
		failed += b.report(load.Run(ctx, b.readPhase(ph.title, ph.path)))
	}
	if cached {
		fmt.Fprintf(w, "\n写入：%d 个客户端同时，%s%s\n", len(b.correctors)+len(b.commenters), b.dur, loadAverage())
		for _, r := range load.RunAll(ctx, b.correctPhase(), b.commentPhase()) {
			failed += b.report(r)
		}
	}
	// Clerks comment all day in a reporting week, and the office corrects
	// now and then: reads while only comments are written, then while the
	// office corrects too, as fast as it can.
	fmt.Fprintf(w, "\n读取与发表意见同时：%d 个客户端读取（台账与单位页面交替），%d 个单位联络员发表意见（如月报周），%s%s\n", len(b.readers), len(b.commenters), b.dur, loadAverage())
	for _, r := range load.RunAll(ctx, b.readPhase("读取（联络员发表意见时）", ""), b.commentPhase()) {
		failed += b.report(r)
	}
	fmt.Fprintf(w, "\n读写同时：%d 个客户端读取（台账与单位页面交替），%d 个客户端写入，%s%s\n", len(b.readers), len(b.correctors)+len(b.commenters), b.dur, loadAverage())
	for _, r := range load.RunAll(ctx, b.readPhase("读取", ""), b.correctPhase(), b.commentPhase()) {
		failed += b.report(r)
	}
	if err := ctx.Err(); err != nil {
		return failed, err
	}
	if errs := srv.log.Errors(); failed > 0 && len(errs) > 0 {
		fmt.Fprintf(w, "服务器日志中最先的错误和警告：\n  %s\n", strings.Join(errs, "\n  "))
	}
	return failed, nil
}

// loadAverage says how busy the machine was over the last minute, where
// the system tells: figures taken while other programs used the cores are
// not the server's alone.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return "，一分钟平均负载 " + f[0]
	}
	return ""
}

// benchData is what the bench knows of its database: the units to read
// about and the accounts to sign in with, and for each the tasks it
// writes on.
type benchData struct {
	built        bool
	took         time.Duration
	plans, tasks int
	units        []int64
	office       benchAccount
	clerks       []benchAccount

	// month shifts the corrected deadlines from run to run, so that a
	// correction is a change even on a database measured before; corrected
	// counts each task's corrections in this run, each moving its deadline
	// a month on, so that no correction leaves a task as it was (one that
	// changes nothing writes nothing).
	month     int
	mu        sync.Mutex
	corrected map[int64]int
}

// nextMonth is the month a task's next correction sets its deadline to.
func (d *benchData) nextMonth(task int64) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.corrected[task]++
	return 1 + (d.month+d.corrected[task])%12
}

// benchAccount is an account of the bench's and the tasks it writes on: a
// clerk its unit's tasks (comments), the office the last plan's
// (corrections).
type benchAccount struct {
	name, password string
	tasks          []int64
}

// prepareBench opens the bench's database, fills an empty one with a
// made-up ledger, and makes (or gives new passwords to) its accounts: the
// office's and one clerk for each of the first units. A database with plans
// that the bench did not make is refused, since the bench changes tasks.
func prepareBench(ctx context.Context, env *Env, dsn string, size demo.Size, clerks int) (*benchData, error) {
	a, err := openApp(ctx, env, &Config{DB: dsn, Addr: defaultAddr})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	d := &benchData{month: int(time.Now().Unix() % 12), corrected: map[int64]int{}}
	_, n, err := a.plans.FindPlans(a.ctx, duban.PlanFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	name := benchOffice
	if _, mine, err := a.users.FindUsers(a.ctx, duban.UserFilter{Name: &name, Limit: 1}); err != nil {
		return nil, err
	} else if n > 0 && mine == 0 {
		return nil, duban.Errorf(duban.ECONFLICT, "数据库 %s 中已有计划，但不是 duban bench 建的：压测会修改任务、发表意见，请换一个 --db，或不给 --db 使用临时文件夹。", sqldb.RedactDSN(dsn))
	}
	if n == 0 {
		start := time.Now()
		if _, err := demo.LoadSynthetic(a.ctx, demo.Services{Plans: a.plans, Tasks: a.tasks, Units: a.units}, size); err != nil {
			return nil, err
		}
		d.built, d.took = true, time.Since(start)
	}
	plans, _, err := a.plans.FindPlans(a.ctx, duban.PlanFilter{})
	if err != nil {
		return nil, err
	}
	d.plans = len(plans)
	last := slices.MaxFunc(plans, func(p, q *duban.Plan) int { return p.Year - q.Year })
	if d.office.tasks, d.tasks, err = taskIDs(a, duban.TaskFilter{PlanID: &last.ID}); err != nil {
		return nil, err
	}
	if _, d.tasks, err = a.tasks.FindTasks(a.ctx, duban.TaskFilter{Limit: 1}); err != nil {
		return nil, err
	}
	units, _, err := a.units.FindUnits(a.ctx, duban.UnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		d.units = append(d.units, u.ID)
	}
	if len(units) < clerks {
		return nil, duban.Errorf(duban.EINVALID, "数据库中只有 %d 个单位，不够 %d 个联络员各用一个：请减少 --clients 或 --writers。", len(units), clerks)
	}
	authSvc := sqldb.NewAuthService(a.db, auth.NewHasher(benchPasswords), duban.DefaultAuthPolicy)
	office := &duban.User{Name: benchOffice, DisplayName: "督办室（压测）", Role: duban.RoleAdmin}
	if d.office.password, err = benchAccountFor(a, authSvc, office); err != nil {
		return nil, err
	}
	d.office.name = office.Name
	for i, u := range units[:clerks] {
		clerk := &duban.User{Name: fmt.Sprintf(benchClerk, i+1), DisplayName: u.Name + "联络员（压测）", Role: duban.RoleClerk, UnitID: u.ID}
		ac := benchAccount{name: clerk.Name}
		if ac.password, err = benchAccountFor(a, authSvc, clerk); err != nil {
			return nil, err
		}
		if ac.tasks, _, err = taskIDs(a, duban.TaskFilter{UnitID: &u.ID}); err != nil {
			return nil, err
		}
		if len(ac.tasks) == 0 {
			return nil, duban.Errorf(duban.EINVALID, "单位“%s”没有任务，它的联络员无处发表意见：请用 duban bench 新建的数据库。", u.Name)
		}
		d.clerks = append(d.clerks, ac)
	}
	return d, nil
}

// benchAccountFor makes the account u unless it exists, and gives it a new
// random password, which it returns.
func benchAccountFor(a *app, authSvc duban.AuthService, u *duban.User) (string, error) {
	found, _, err := a.users.FindUsers(a.ctx, duban.UserFilter{Name: &u.Name, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(found) > 0 {
		u = found[0]
	} else if err := a.users.CreateUser(a.ctx, u); err != nil {
		return "", err
	}
	pw := auth.RandomPassword()
	return pw, authSvc.SetPassword(a.ctx, u.ID, pw)
}

// taskIDs returns the IDs of the tasks a filter selects, and how many.
func taskIDs(a *app, f duban.TaskFilter) ([]int64, int, error) {
	tasks, n, err := a.tasks.FindTasks(a.ctx, f)
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	return ids, n, err
}

// benchServer is the server measured: duban serve in a process of its own.
type benchServer struct {
	cmd *exec.Cmd
	url string
	log *serverLog
}

// startBenchServer starts this binary's duban serve on the database, on a
// free port of loopback, with its page cache or without, and returns once
// it says where it listens.
func startBenchServer(ctx context.Context, dsn string, cached bool) (*benchServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	s := &benchServer{log: &serverLog{}}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}
	if !cached {
		args = append(args, "--no-page-cache")
	}
	s.cmd = exec.Command(exe, args...)
	// The server logs every request as in production; the bench keeps
	// only what explains a failure.
	s.cmd.Stderr = s.log
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u := serverURL.FindString(sc.Text()); u != "" {
				found <- u
				break
			}
		}
		io.Copy(io.Discard, out)
		close(found)
	}()
	select {
	case u, ok := <-found:
		if ok {
			s.url = u
			return s, nil
		}
	case <-time.After(time.Minute):
	case <-ctx.Done():
	}
	s.stop()
	return nil, duban.Errorf(duban.EINTERNAL, "duban serve 没有启动：\n%s", s.log)
}

var serverURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// stop interrupts the server, as Ctrl+C does, and waits for it to end; one
// that does not end in time is killed.
func (s *benchServer) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// serverLog keeps of the server's log what a person needs when something
// went wrong: its last bytes (why it did not start) and its first errors
// and warnings (why it refused requests).
type serverLog struct {
	mu      sync.Mutex
	last    []byte
	partial []byte // the line being written
	errors  []string
}

// Bounds of what serverLog keeps.
const (
	logTailBytes = 4 << 10
	logErrors    = 10
)

func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = append(l.last, p...)
	if len(l.last) > logTailBytes {
		l.last = slices.Clone(l.last[len(l.last)-logTailBytes:])
	}
	l.partial = append(l.partial, p...)
	for {
		i := slices.Index(l.partial, '\n')
		if i < 0 {
			break
		}
		line := string(l.partial[:i])
		l.partial = l.partial[i+1:]
		if len(l.errors) < logErrors && (strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN")) {
			l.errors = append(l.errors, line)
		}
	}
	l.partial = slices.Clone(l.partial)
	return len(p), nil
}

// String is the end of the log.
func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.last)
}

// Errors are the first errors and warnings the server logged.
func (l *serverLog) Errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.errors)
}

// bench is a measurement under way: its clients signed in, and where it
// prints.
type bench struct {
	ctx  context.Context
	w    io.Writer
	data *benchData
	dur  time.Duration
	// readers are clerks. The correctors are the office's, each on its
	// share of the last plan's tasks, so that no two correct the same task
	// at once; the commenters are clerks, each on its unit's tasks.
	readers    []*load.Client
	correctors []writer
	commenters []writer
}

// signIn signs the clients in, each with its own session.
func (b *bench) signIn(base string, readers, writers int) error {
	login := func(ac benchAccount) (*load.Client, error) {
		c, err := load.NewClient(base)
		if err == nil {
			err = c.Login(b.ctx, ac.name, ac.password)
		}
		return c, err
	}
	d := b.data
	for i := range readers {
		c, err := login(d.clerks[i])
		if err != nil {
			return err
		}
		b.readers = append(b.readers, c)
	}
	offices := (writers + 1) / 2
	for i := range offices {
		var tasks []int64
		for k := i; k < len(d.office.tasks); k += offices {
			tasks = append(tasks, d.office.tasks[k])
		}
		c, err := login(d.office)
		if err != nil {
			return err
		}
		b.correctors = append(b.correctors, writer{c, tasks})
	}
	for _, ac := range d.clerks[:writers-offices] {
		c, err := login(ac)
		if err != nil {
			return err
		}
		b.commenters = append(b.commenters, writer{c, ac.tasks})
	}
	return nil
}

// writer is a client that writes, and the tasks it writes on.
type writer struct {
	client *load.Client
	tasks  []int64
}

func (b *bench) close() {
	for _, c := range b.readers {
		c.Close()
	}
	for _, w := range append(b.correctors, b.commenters...) {
		w.client.Close()
	}
}

// unitAt is the unit of a reader's n-th request: each reader walks through
// the units from its own starting point, so that all are asked for evenly.
func (b *bench) unitAt(i, n int) int64 {
	units := b.data.units
	return units[(i*len(units)/len(b.readers)+n)%len(units)]
}

// readPhase reads the pages of path (with %d for a unit), or alternately
// the ledger and a unit's page when path is "".
func (b *bench) readPhase(name, path string) load.Phase {
	return load.Phase{Name: name, Clients: b.readers, Duration: b.dur, Want: 200,
		Request: func(ctx context.Context, c *load.Client, i, n int) (*load.Answer, error) {
			p := path
			if p == "" {
				p = []string{"/tasks?unit=%d", "/units/%d"}[n%2]
			}
			return c.Get(ctx, fmt.Sprintf(p, b.unitAt(i, n)))
		}}
}

// warmUp asks once for each unit's page of path, so that the measurement
// starts from a server that has served each of them, as one that has been
// running has.
func (b *bench) warmUp(path string) {
	var wg sync.WaitGroup
	for i, c := range b.readers {
		wg.Go(func() {
			for k := i; k < len(b.data.units); k += len(b.readers) {
				c.Get(b.ctx, fmt.Sprintf(path, b.data.units[k]))
			}
		})
	}
	wg.Wait()
}

// correctPhase is the office correcting tasks' deadlines on the review
// page. A form answers a success with a redirect.
func (b *bench) correctPhase() load.Phase {
	return writePhase("修改任务（督办室）", b.correctors, b.dur, func(ctx context.Context, c *load.Client, task int64, n int) (*load.Answer, error) {
		month := b.data.nextMonth(task)
		return c.Post(ctx, fmt.Sprintf("/review/tasks/%d/edit", task), url.Values{"deadline": {fmt.Sprintf("%d月底前", month)}})
	})
}

// commentPhase is clerks commenting on their units' tasks.
func (b *bench) commentPhase() load.Phase {
	return writePhase("发表意见（单位联络员）", b.commenters, b.dur, func(ctx context.Context, c *load.Client, task int64, n int) (*load.Answer, error) {
		return c.Post(ctx, fmt.Sprintf("/tasks/%d/comments", task), url.Values{"text": {fmt.Sprintf("压测意见 %d：本月节点任务已完成。", n)}})
	})
}

// writePhase is writers going round their tasks, each request writing on
// the next.
func writePhase(name string, writers []writer, dur time.Duration,
	write func(ctx context.Context, c *load.Client, task int64, n int) (*load.Answer, error)) load.Phase {
	clients := make([]*load.Client, len(writers))
	for i, w := range writers {
		clients[i] = w.client
	}
	return load.Phase{Name: name, Clients: clients, Duration: dur, Want: 303,
		Request: func(ctx context.Context, c *load.Client, i, n int) (*load.Answer, error) {
			tasks := writers[i].tasks
			return write(ctx, c, tasks[n%len(tasks)], n)
		}}
}

// report prints a phase's figures and returns how many answers were not a
// success.
func (b *bench) report(r *load.Result) int {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(b.w, "  %s：%d 次，%.0f 次/秒；延迟 p50 %s，p90 %s，p99 %s，最大 %s；非成功 %d\n",
		r.Name, r.Requests, r.Rate(), ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)), ms(r.Max()), r.Failed())
	kinds := make([]string, 0, len(r.Failures))
	for k := range r.Failures {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(b.w, "    %s × %d，如：%s\n", k, r.Failures[k], r.Examples[k])
	}
	return r.Failed()
}
