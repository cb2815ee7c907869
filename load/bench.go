package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// Bench measures a duban server as the office's machine will run it: a
// made-up ledger of many years in a database of its own, each plan part-way
// through its reporting year, a server on it in a second process (once with
// its page cache, once without), and signed-in clients on loopback reading
// the ledger filtered by a unit, a unit's page and a plan's overview, a
// crowd of addresses reading the public page, then correcting tasks and
// commenting at once, then every unit's clerk handing in reports as at a
// period's deadline (rush.go), alone and while others read. duban bench
// fills it from its flags and prints what its Reporter is told.
type Bench struct {
	// DSN is the bench's database: an empty one gets a made-up ledger of
	// Size; one with plans the bench did not make is refused, since the
	// bench changes tasks and comments on them.
	DSN  string
	Size demo.Size
	// Actor is who the bench acts as in the store, for the audit log.
	Actor *duban.User
	// Duration is how long each measurement lasts.
	Duration time.Duration
	// Readers are the clients reading at once (and the public page's
	// crowd); Writers those writing at once, half of them (rounded up) the
	// office correcting tasks, the others clerks commenting.
	Readers, Writers int
	// Months is how far into their year the made-up plans' reporting is.
	Months int
	// Rush is how long the deadline rush lasts (Duration when 0), and
	// RushRate how many reports a minute it hands in (DefaultRushRate when
	// 0), through one clerk of each unit.
	Rush     time.Duration
	RushRate int
	// Serve returns the command that serves DSN on a free port of
	// loopback, with its page cache or without, and prints its address
	// (http://127.0.0.1:port) on its standard output. It must trust
	// X-Forwarded-For, which the public page's crowd comes with. Its
	// standard error, the server's log, is kept to explain failures.
	Serve func(dsn string, cached bool) *exec.Cmd
	// Report is told what the bench does as it does it.
	Report Reporter
}

// Reporter is told what a bench does as it does it; duban bench prints it.
type Reporter interface {
	// Ready says the database is ready: made now, or found.
	Ready(d *Data)
	// Serving says a server was started, with its page cache or without.
	Serving(cached bool, url string, pid int)
	// Starting says a step begins: one or more phases at once.
	Starting(s Step)
	// Measured gives a phase's figures, as each step ends.
	Measured(r *Result)
	// RushChecked says what the database holds of the reports a rush
	// handed in.
	RushChecked(c *RushCheck)
	// ServerErrors gives the first errors and warnings the server logged,
	// when some of its answers were not a success.
	ServerErrors(errs []string)
}

// Data says what the bench's database holds.
type Data struct {
	Built bool          // made by this run
	Took  time.Duration // to make it
	Plans int
	Tasks int
	Units int
}

// StepKind says what a step measures.
type StepKind int

const (
	// ReadPage is one kind of page read alone (Step.Page, Step.Path),
	// after each unit's page was asked for once.
	ReadPage StepKind = iota
	// Writes is the office correcting tasks while clerks comment, alone.
	Writes
	// ReadsWhileCommenting is reads (the ledger and units' pages in turn)
	// while clerks comment, as in a reporting week.
	ReadsWhileCommenting
	// ReadsWhileWriting is reads while the office corrects tasks and
	// clerks comment.
	ReadsWhileWriting
	// Rush is every unit's clerk handing in reports (Step.Reports of them
	// over the step's time), alone.
	Rush
	// ReadsDuringRush is reads (the ledger and units' pages in turn) while
	// the clerks hand in reports.
	ReadsDuringRush
)

// Step is a step of a measurement: its phases run at once.
type Step struct {
	Kind StepKind
	// Page names the page read, Path its address with … for the unit
	// (ReadPage only).
	Page, Path string
	// Readers and Writers are the clients reading and writing; Commenters
	// are the writers who comment. In a rush the writers are the clerks
	// handing in Reports reports.
	Readers, Writers, Commenters int
	Reports                      int
	Duration                     time.Duration
	// Rate, when not 0, is the requests a second the readers send together
	// (Phase.Rate); else they read back to back.
	Rate float64
}

// The loads the paced steps read at: the targets a server is held to on
// two cores, where each latency is judged (the back-to-back steps show the
// most it answers, at whatever latency).
const (
	// ReadRate is the ledger's and units' pages a second during the
	// deadline rush.
	ReadRate = 1000
	// OverviewRate is the plans' overviews a second.
	OverviewRate = 500
)

// PacedProcs is how many processors the Go scheduler gives the bench while
// its readers keep a pace (Step.Rate): one. The bench shares the server's
// cores, and there a second processor only adds threads spinning between
// answers, taking time the server needs (about a tenth of a core at 1,000
// requests a second here). Latencies count any wait this adds to the
// bench's own side. Back-to-back steps keep every processor, since there
// the bench must keep up with all the server answers.
const PacedProcs = 1

// keepPace sets the bench's processors for a step, and returns what puts
// them back.
func keepPace(s Step) (restore func()) {
	if s.Rate == 0 {
		return func() {}
	}
	prev := runtime.GOMAXPROCS(PacedProcs)
	return func() { runtime.GOMAXPROCS(prev) }
}

// benchPasswords hash the bench's own accounts cheaply: they live in a
// throwaway database, and signing in twenty clients is not what is
// measured. The server verifies a hash with the costs written in it.
var benchPasswords = auth.Params{Time: 1, Memory: 64, Threads: 1}

// The bench's accounts: one for the office, one clerk for each unit.
const (
	benchOffice = "bench-office"
	benchClerk  = "bench-clerk-%03d"
)

// Run prepares the database, then measures a server with its page cache
// and one without. It returns how many answers were not a success, and
// reports acknowledged but not found in the database afterwards.
func (b *Bench) Run(ctx context.Context) (failed int, err error) {
	data, err := b.prepare(ctx, max(b.Readers, b.Writers/2))
	if err != nil {
		return 0, err
	}
	// Three rushes a server: alone, while others read as fast as they can,
	// and while they read at ReadRate.
	rushes, err := b.prepareRushes(ctx, data, 6)
	if err != nil {
		return 0, err
	}
	b.Report.Ready(&data.Data)
	for k, cached := range []bool{true, false} {
		m := measurement{Bench: b, ctx: ctx, data: data, rushes: rushes[3*k : 3*k+3]}
		n, err := m.measure(cached)
		failed += n
		if err != nil {
			return failed, err
		}
	}
	return failed, nil
}

// SystemLoad is the machine's load average over the last minute, where the
// system tells (else ""): figures taken while other programs used the
// cores are not the server's alone.
func SystemLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return ""
}

// benchData is what the bench knows of its database: the units to read
// about and the accounts to sign in with, and for each the tasks it
// writes on.
type benchData struct {
	Data
	units  []int64
	plans  []int64 // their overviews are read
	public int64   // the plan on the public page
	office benchAccount
	// clerks are one clerk of each unit, of unit clerkUnits[i]; the first
	// ones' accounts know their unit's tasks, to comment on.
	clerks     []benchAccount
	clerkUnits []int64

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

// store is the services the bench prepares its database through.
type store struct {
	ctx   context.Context
	plans duban.PlanService
	tasks duban.TaskService
	units duban.UnitService
	users duban.UserService
	auth  duban.AuthService
}

// prepare opens the bench's database, fills an empty one with a made-up
// ledger, and makes (or gives new passwords to) its accounts: the office's
// and one clerk for each unit, the first of whom (clerks) comment.
func (b *Bench) prepare(ctx context.Context, clerks int) (*benchData, error) {
	db, err := sqldb.Open(ctx, b.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	s := &store{ctx: duban.NewContextWithUser(ctx, b.Actor),
		plans: ledgerstore.NewPlanService(db), tasks: ledgerstore.NewTaskService(db), units: ledgerstore.NewUnitService(db),
		users: accountstore.NewUserService(db), auth: accountstore.NewAuthService(db, auth.NewHasher(benchPasswords), duban.DefaultAuthPolicy)}
	d := &benchData{month: int(time.Now().Unix() % 12), corrected: map[int64]int{}}
	_, n, err := s.plans.FindPlans(s.ctx, duban.PlanFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	name := benchOffice
	if _, mine, err := s.users.FindUsers(s.ctx, duban.UserFilter{Name: &name, Limit: 1}); err != nil {
		return nil, err
	} else if n > 0 && mine == 0 {
		return nil, duban.Errorf(duban.ECONFLICT, "数据库 %s 中已有计划，但不是 duban bench 建的：压测会修改任务、发表意见，请换一个 --db，或不给 --db 使用临时文件夹。", sqldb.RedactDSN(b.DSN))
	}
	start := time.Now()
	if n == 0 {
		if _, err := demo.LoadSynthetic(s.ctx, demo.Services{Plans: s.plans, Tasks: s.tasks, Units: s.units}, b.Size); err != nil {
			return nil, err
		}
		d.Built = true
	}
	plans, _, err := s.plans.FindPlans(s.ctx, duban.PlanFilter{})
	if err != nil {
		return nil, err
	}
	d.Plans = len(plans)
	last := slices.MaxFunc(plans, func(p, q *duban.Plan) int { return p.Year - q.Year })
	// The plans' reporting, which a database made by an earlier bench
	// lacks, is added to it.
	periods := cyclestore.NewPeriodService(db)
	if _, begun, err := periods.FindPeriods(s.ctx, cycle.PeriodFilter{Limit: 1}); err != nil {
		return nil, err
	} else if begun == 0 {
		cs := demo.CycleServices{Tasks: s.tasks, Periods: periods, Reports: cyclestore.NewReportService(db, s.units)}
		if err := demo.SyntheticCycle(s.ctx, cs, plans, max(1, b.Months)); err != nil {
			return nil, err
		}
		public := true
		if _, err := cyclestore.NewPublicationService(db).UpdatePublication(s.ctx, last.ID, cycle.PublicationUpdate{Public: &public}); err != nil {
			return nil, err
		}
		d.Built = true
	}
	if d.Built {
		d.Took = time.Since(start)
	}
	for _, p := range plans {
		d.plans = append(d.plans, p.ID)
	}
	d.public = last.ID
	if d.office.tasks, _, err = s.taskIDs(duban.TaskFilter{PlanID: &last.ID}); err != nil {
		return nil, err
	}
	if _, d.Tasks, err = s.tasks.FindTasks(s.ctx, duban.TaskFilter{Limit: 1}); err != nil {
		return nil, err
	}
	units, _, err := s.units.FindUnits(s.ctx, duban.UnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		d.units = append(d.units, u.ID)
	}
	d.Units = len(units)
	if len(units) < clerks {
		return nil, duban.Errorf(duban.EINVALID, "数据库中只有 %d 个单位，不够 %d 个联络员各用一个：请减少 --clients 或 --writers。", len(units), clerks)
	}
	office := &duban.User{Name: benchOffice, DisplayName: "督查室（压测）", Role: duban.RoleAdmin}
	if d.office.password, err = s.account(office); err != nil {
		return nil, err
	}
	d.office.name = office.Name
	for i, u := range units {
		clerk := &duban.User{Name: fmt.Sprintf(benchClerk, i+1), DisplayName: u.Name + "联络员（压测）", Role: duban.RoleClerk, UnitID: u.ID}
		ac := benchAccount{name: clerk.Name}
		if ac.password, err = s.account(clerk); err != nil {
			return nil, err
		}
		if i < clerks {
			if ac.tasks, _, err = s.taskIDs(duban.TaskFilter{UnitID: &u.ID}); err != nil {
				return nil, err
			}
			if len(ac.tasks) == 0 {
				return nil, duban.Errorf(duban.EINVALID, "单位“%s”没有任务，它的联络员无处发表意见：请用 duban bench 新建的数据库。", u.Name)
			}
		}
		d.clerks, d.clerkUnits = append(d.clerks, ac), append(d.clerkUnits, u.ID)
	}
	return d, nil
}

// account makes the account u unless it exists, and gives it a new random
// password, which it returns.
func (s *store) account(u *duban.User) (string, error) {
	found, _, err := s.users.FindUsers(s.ctx, duban.UserFilter{Name: &u.Name, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(found) > 0 {
		u = found[0]
	} else if err := s.users.CreateUser(s.ctx, u); err != nil {
		return "", err
	}
	pw := auth.RandomPassword()
	return pw, s.auth.SetPassword(s.ctx, u.ID, pw)
}

// taskIDs returns the IDs of the tasks a filter selects, and how many.
func (s *store) taskIDs(f duban.TaskFilter) ([]int64, int, error) {
	tasks, n, err := s.tasks.FindTasks(s.ctx, f)
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	return ids, n, err
}

// measurement is a server being measured: its clients signed in.
type measurement struct {
	*Bench
	ctx  context.Context
	data *benchData
	// rushes are the server's two rushes (alone, and while others read);
	// clerks one client of each unit's clerk, who hand them in.
	rushes []*rush
	clerks []*Client
	// readers are clerks. The correctors are the office's, each on its
	// share of the last plan's tasks, so that no two correct the same task
	// at once; the commenters are clerks, each on its unit's tasks.
	readers    []*Client
	correctors []writer
	commenters []writer
}

// measure starts a server on the bench's database, with its page cache or
// without, and measures it: each kind of read alone, then reads while
// clerks comment, then while others comment and correct tasks. With the
// cache it also measures the writes alone; without, the reads show what
// every request costs when what lists show keeps changing (each correction
// empties the cache). It returns how many answers were not a success.
func (m *measurement) measure(cached bool) (int, error) {
	srv, err := startServer(m.ctx, m.Serve(m.DSN, cached))
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	m.Report.Serving(cached, srv.url, srv.cmd.Process.Pid)
	if err := m.signIn(srv.url); err != nil {
		return 0, err
	}
	defer m.close()
	failed := 0
	run := func(s Step, phases ...Phase) {
		s.Duration = m.Duration
		defer keepPace(s)()
		m.Report.Starting(s)
		for _, r := range RunAll(m.ctx, phases...) {
			m.Report.Measured(r)
			failed += r.Failed()
		}
	}
	for _, ph := range []struct {
		title string
		path  string
	}{{"台账（按单位筛选）", "/tasks?unit=%d"}, {"单位页面", "/units/%d"}} {
		m.warmUp(ph.path)
		run(Step{Kind: ReadPage, Page: ph.title, Path: strings.ReplaceAll(ph.path, "%d", "…"), Readers: len(m.readers)},
			m.readPhase(ph.title, ph.path))
	}
	m.warmUpOverviews()
	run(Step{Kind: ReadPage, Page: "一屏统览", Path: "/overview?plan=…", Readers: len(m.readers)}, m.overviewPhase())
	paced := m.overviewPhase()
	paced.Name, paced.Rate = fmt.Sprintf("一屏统览（每秒 %d 次）", OverviewRate), OverviewRate
	run(Step{Kind: ReadPage, Page: "一屏统览", Path: "/overview?plan=…", Readers: len(m.readers), Rate: OverviewRate}, paced)
	crowd, err := m.crowd(srv.url)
	if err != nil {
		return failed, err
	}
	run(Step{Kind: ReadPage, Page: fmt.Sprintf("政务公开（匿名，%d 个地址轮流请求）", crowdAddresses), Path: fmt.Sprintf("/public/plans/%d", m.data.public), Readers: len(crowd)},
		m.publicPhase(crowd))
	writers := len(m.correctors) + len(m.commenters)
	if cached {
		run(Step{Kind: Writes, Writers: writers, Commenters: len(m.commenters)}, m.correctPhase(), m.commentPhase())
	}
	// Clerks comment all day in a reporting week, and the office corrects
	// now and then: reads while only comments are written, then while the
	// office corrects too, as fast as it can.
	run(Step{Kind: ReadsWhileCommenting, Readers: len(m.readers), Writers: len(m.commenters), Commenters: len(m.commenters)},
		m.readPhase("读取（联络员发表意见时）", ""), m.commentPhase())
	run(Step{Kind: ReadsWhileWriting, Readers: len(m.readers), Writers: writers, Commenters: len(m.commenters)},
		m.readPhase("读取", ""), m.correctPhase(), m.commentPhase())
	// The deadline rush: alone, then while others read as fast as they
	// can, then while they read at ReadRate.
	for i, r := range m.rushes {
		s := Step{Kind: Rush, Writers: len(m.clerks), Reports: len(r.reports), Duration: m.rushDuration()}
		var reads *Result
		var wg sync.WaitGroup
		if i > 0 {
			s.Kind, s.Readers = ReadsDuringRush, len(m.readers)
			ph := m.readPhase("读取（报送高峰时）", "")
			if i == 2 {
				s.Rate, ph.Rate = ReadRate, ReadRate
				ph.Name = fmt.Sprintf("读取（报送高峰时，每秒 %d 次）", ReadRate)
			}
			ph.Duration = s.Duration
			wg.Go(func() { reads = Run(m.ctx, ph) })
		}
		restore := keepPace(s)
		m.Report.Starting(s)
		began := time.Now()
		forms, sent := m.runRush(r)
		wg.Wait()
		ended := time.Now()
		restore()
		for _, res := range []*Result{reads, forms, sent} {
			if res != nil {
				m.Report.Measured(res)
				failed += res.Failed()
			}
		}
		if m.ctx.Err() != nil {
			break
		}
		c, err := m.checkRush(r, began, ended)
		if err != nil {
			return failed, err
		}
		m.Report.RushChecked(c)
		failed += c.Acknowledged - c.Found
	}
	if err := m.ctx.Err(); err != nil {
		return failed, err
	}
	if errs := srv.log.Errors(); failed > 0 && len(errs) > 0 {
		m.Report.ServerErrors(errs)
	}
	return failed, nil
}

// server is the server measured, in a process of its own.
type server struct {
	cmd *exec.Cmd
	url string
	log *serverLog
}

// startServer starts the server's command and returns once it says where
// it listens.
func startServer(ctx context.Context, cmd *exec.Cmd) (*server, error) {
	s := &server{cmd: cmd, log: &serverLog{}}
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
func (s *server) stop() {
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

// signIn signs the clients in, each with its own session.
func (m *measurement) signIn(base string) error {
	login := func(ac benchAccount) (*Client, error) {
		c, err := NewClient(base)
		if err == nil {
			err = c.Login(m.ctx, ac.name, ac.password)
		}
		return c, err
	}
	d := m.data
	for i := range m.Readers {
		c, err := login(d.clerks[i])
		if err != nil {
			return err
		}
		m.readers = append(m.readers, c)
	}
	offices := (m.Writers + 1) / 2
	for i := range offices {
		var tasks []int64
		for k := i; k < len(d.office.tasks); k += offices {
			tasks = append(tasks, d.office.tasks[k])
		}
		c, err := login(d.office)
		if err != nil {
			return err
		}
		m.correctors = append(m.correctors, writer{c, tasks})
	}
	for _, ac := range d.clerks[:m.Writers-offices] {
		c, err := login(ac)
		if err != nil {
			return err
		}
		m.commenters = append(m.commenters, writer{c, ac.tasks})
	}
	// Every unit's clerk, for the rushes, signing in ten at a time.
	m.clerks = make([]*Client, len(d.clerks))
	var wg sync.WaitGroup
	errs := make([]error, len(d.clerks))
	sem := make(chan struct{}, 10)
	for i, ac := range d.clerks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			m.clerks[i], errs[i] = login(ac)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writer is a client that writes, and the tasks it writes on.
type writer struct {
	client *Client
	tasks  []int64
}

func (m *measurement) close() {
	for _, c := range slices.Concat(m.readers, m.clerks) {
		if c != nil {
			c.Close()
		}
	}
	for _, w := range append(m.correctors, m.commenters...) {
		w.client.Close()
	}
}

// unitAt is the unit of a reader's n-th request: each reader walks through
// the units from its own starting point, so that all are asked for evenly.
func (m *measurement) unitAt(i, n int) int64 {
	units := m.data.units
	return units[(i*len(units)/len(m.readers)+n)%len(units)]
}

// readPhase reads the pages of path (with %d for a unit), or alternately
// the ledger and a unit's page when path is "".
func (m *measurement) readPhase(name, path string) Phase {
	return Phase{Name: name, Clients: m.readers, Duration: m.Duration, Want: 200,
		Request: func(ctx context.Context, c *Client, i, n int) (*Answer, error) {
			p := path
			if p == "" {
				p = []string{"/tasks?unit=%d", "/units/%d"}[n%2]
			}
			return c.Get(ctx, fmt.Sprintf(p, m.unitAt(i, n)))
		}}
}

// overviewPhase reads the plans' overviews, each reader walking through the
// plans from its own starting point. A server with its page cache keeps
// each overview until something it shows changes (any change but a
// comment) or the day turns; without, each request reads the day's
// figures and draws its charts afresh.
func (m *measurement) overviewPhase() Phase {
	plans := m.data.plans
	return Phase{Name: "一屏统览", Clients: m.readers, Duration: m.Duration, Want: 200,
		Request: func(ctx context.Context, c *Client, i, n int) (*Answer, error) {
			return c.Get(ctx, fmt.Sprintf("/overview?plan=%d", plans[(i*len(plans)/len(m.readers)+n)%len(plans)]))
		}}
}

// warmUpOverviews asks once for each plan's overview, so that the
// measurement starts from a server that has indexed each plan's tasks, as
// one that has been running has.
func (m *measurement) warmUpOverviews() {
	var wg sync.WaitGroup
	for i, c := range m.readers {
		wg.Go(func() {
			for k := i; k < len(m.data.plans); k += len(m.readers) {
				c.Get(m.ctx, fmt.Sprintf("/overview?plan=%d", m.data.plans[k]))
			}
		})
	}
	wg.Wait()
}

// crowd is the public page's readers: as many clients as the readers, none
// signed in.
func (m *measurement) crowd(base string) ([]*Client, error) {
	var out []*Client
	for range m.Readers {
		c, err := NewClient(base)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// publicPhase reads the public page as a crowd of crowdAddresses readers:
// the clients' requests come from their share of the addresses in turn
// (X-Forwarded-For, which the bench's server trusts), so that each address
// asks less than once a second at the rates the page is read at, within
// the page's limit per address, and the addresses stay fewer than a
// limiter tells apart (past those, new addresses share one allowance).
func (m *measurement) publicPhase(crowd []*Client) Phase {
	path := fmt.Sprintf("/public/plans/%d", m.data.public)
	per := max(1, crowdAddresses/len(crowd))
	return Phase{Name: "政务公开", Clients: crowd, Duration: m.Duration, Want: 200,
		Request: func(ctx context.Context, c *Client, i, n int) (*Answer, error) {
			a := i*per + n%per
			return c.GetFrom(ctx, path, fmt.Sprintf("10.%d.%d.%d", a>>16&255, a>>8&255, a&255))
		}}
}

// crowdAddresses is how many addresses the public page's crowd asks from.
const crowdAddresses = 40000

// warmUp asks once for each unit's page of path, so that the measurement
// starts from a server that has served each of them, as one that has been
// running has.
func (m *measurement) warmUp(path string) {
	var wg sync.WaitGroup
	for i, c := range m.readers {
		wg.Go(func() {
			for k := i; k < len(m.data.units); k += len(m.readers) {
				c.Get(m.ctx, fmt.Sprintf(path, m.data.units[k]))
			}
		})
	}
	wg.Wait()
}

// correctPhase is the office correcting tasks' deadlines on the review
// page. A form answers a success with a redirect.
func (m *measurement) correctPhase() Phase {
	return writePhase("修改任务（督查室）", m.correctors, m.Duration, func(ctx context.Context, c *Client, task int64, n int) (*Answer, error) {
		month := m.data.nextMonth(task)
		return c.Post(ctx, fmt.Sprintf("/review/tasks/%d/edit", task), url.Values{"deadline": {fmt.Sprintf("%d月底前", month)}})
	})
}

// commentPhase is clerks commenting on their units' tasks.
func (m *measurement) commentPhase() Phase {
	return writePhase("发表意见（单位联络员）", m.commenters, m.Duration, func(ctx context.Context, c *Client, task int64, n int) (*Answer, error) {
		return c.Post(ctx, fmt.Sprintf("/tasks/%d/comments", task), url.Values{"text": {fmt.Sprintf("压测意见 %d：本月节点任务已完成。", n)}})
	})
}

// writePhase is writers going round their tasks, each request writing on
// the next.
func writePhase(name string, writers []writer, dur time.Duration,
	write func(ctx context.Context, c *Client, task int64, n int) (*Answer, error)) Phase {
	clients := make([]*Client, len(writers))
	for i, w := range writers {
		clients[i] = w.client
	}
	return Phase{Name: name, Clients: clients, Duration: dur, Want: 303,
		Request: func(ctx context.Context, c *Client, i, n int) (*Answer, error) {
			tasks := writers[i].tasks
			return write(ctx, c, tasks[n%len(tasks)], n)
		}}
}
