package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb/cyclestore"
)

// runDemo makes a fresh database with the sample notice imported and
// published and an account for each role, says what it did, and serves the
// web pages on it until interrupted.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", "demo [--db 新数据库] [--addr 主机:端口]")
	// The demo always starts afresh: DUBAN_DB, which names the real
	// database, is not used; only --db chooses where.
	cfg := newConfig(env)
	cfg.DB, cfg.Init = "", true
	fs.StringVar(&cfg.DB, "db", "", "演示用的新数据库（SQLite 文件或 postgres:// 地址）；默认在临时文件夹中新建")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "网页服务的监听地址（环境变量 DUBAN_ADDR）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	temporary := cfg.DB == ""
	if temporary {
		dir, err := os.MkdirTemp("", "duban-demo-")
		if err != nil {
			return err
		}
		// A database the demo made for itself goes when the demo stops,
		// however it stops, so that demos leave nothing behind.
		defer os.RemoveAll(dir)
		cfg.DB, cfg.Data = filepath.Join(dir, "duban.db"), dir
	}
	w := env.Stdout
	accounts, err := loadDemo(ctx, env, cfg)
	if err != nil {
		return err
	}
	tuneGC()
	m := NewMain(*cfg, env.Stderr)
	// The demonstration's console shows the accounts, not a line a request.
	m.Logger = slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// The server lives in the sample's year, from where the demonstration
	// left it, its clock going on from there.
	m.Now = demoClock(time.Now())
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n演示账号（密码每次随机生成）：\n")
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-10s 密码 %s  %s\n", a.user.Name, a.password, a.role)
	}
	fmt.Fprintf(w, "\n演示中的日期是 %s（服务器的时钟从这一刻起走）。\n", demo.AsOf.Format("2006年1月2日 15:04"))
	fmt.Fprintf(w, "\n请用浏览器打开 %s 登录；按 Ctrl+C 停止。\n", m.URL())
	fmt.Fprintf(w, "命令行可用同一数据库，如 duban plan show 1 --db %s\n", cfg.DB)
	if temporary {
		fmt.Fprintf(w, "这个数据库在演示停止时删除；要保留，请用 --db 指定文件。\n")
	}
	return m.serveUntilDone(ctx)
}

// demoAccount is an account the demo makes, with its password.
type demoAccount struct {
	user     *duban.User
	password string
	role     string // the role as the list shows it, with its binding
}

// loadDemo loads the sample into a new database and makes an account for
// each role: the leader account is the sample's leader 武毅, the clerks
// report for 区财政局 and for a street.
func loadDemo(ctx context.Context, env *Env, cfg *Config) ([]demoAccount, error) {
	start := time.Now()
	a, err := openApp(ctx, env, cfg)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	if _, n, err := a.plans.FindPlans(a.ctx, duban.PlanFilter{Limit: 1}); err != nil || n > 0 {
		if err != nil {
			return nil, err
		}
		return nil, duban.Errorf(duban.ECONFLICT, "数据库 %s 中已有 %d 个文件：演示需要一个新的数据库，请换一个 --db，或不给 --db 使用临时文件夹。", cfg, n)
	}
	opened := time.Since(start)
	// The sample is published when it was issued, and its year walked
	// from there with the store's clock moved along.
	var now time.Time
	a.db.Now = func() time.Time { return now }
	now = demo.PublishedAt
	svc := demo.Services{Plans: a.plans, Tasks: a.tasks, Units: a.units}
	res, err := demo.Load(a.ctx, svc)
	if err != nil {
		return nil, err
	}
	db := a.db
	year, err := demo.Year(a.ctx, res.Plan, svc, demo.Cycle{Periods: cyclestore.NewPeriodService(db), Reports: cyclestore.NewReportService(db, a.units),
		Lights: cyclestore.NewLightService(db), Reminders: cyclestore.NewReminderService(db, a.units),
		Supervisions: cyclestore.NewSupervisionService(db, a.units), Notifications: cyclestore.NewNotificationService(db)},
		func(t time.Time) { now = t }, demoUnit)
	if err != nil {
		return nil, err
	}
	p := res.Plan
	w := env.Stdout
	fmt.Fprintf(w, "duban 演示\n")
	fmt.Fprintf(w, "  %s（%s，新建）\n", cfg, a.db.Dialect())
	fmt.Fprintf(w, "  读取示例通知 %s，导入并发布为文件 #%d：%s\n", demo.SampleName, p.ID, p.Name())
	fmt.Fprintf(w, "  %s，%d 个重点领域，%d 项任务，%d 个单位，%d 位领导；\n", sectionsText(p), len(p.Areas), p.TaskCount, res.Units, res.NewLeaders)
	fmt.Fprintf(w, "  单位名录含历下区的 %d 个街道，%d 个统称（如“各街道办事处”）设置了成员，写给它们的任务各成员单位都能看到；\n", len(demo.Streets), res.Groups)
	fmt.Fprintf(w, "  %d 段无人认领的段落已标记为无需分配（演示中无人可问）。\n", res.Dismissed)
	fmt.Fprintf(w, "  用时 %s：建库 %s，读取 %s，导入 %s，名录 %s，发布 %s。\n", ms(opened+res.Took()), ms(opened), ms(res.Read), ms(res.Import), ms(res.Directory), ms(res.Publish))
	fmt.Fprintf(w, "  填报模拟到 %s：5 月至 7 月的填报已关闭，8 月的报告已过截止日；%d 份报告，%d 份待审核；\n",
		demo.AsOf.Format("2006年1月2日"), year.Reports, year.Waiting)
	var colours []string
	for _, st := range cycle.LightStatuses {
		colours = append(colours, fmt.Sprintf("%s %d 项", st.Label(), year.Lights[st]))
	}
	fmt.Fprintf(w, "  状态灯：%s；\n", strings.Join(colours, "，"))
	fmt.Fprintf(w, "  催办 %d 次；%s（%s）待%s反馈。用时 %s。\n", year.Urges, year.Supervision.Number(), year.Supervision.State.Label(),
		year.Supervision.Unit, ms(year.Took))

	leader, err := a.leader(demoLeader)
	if err != nil {
		return nil, err
	}
	unit, err := a.unit(demoUnit)
	if err != nil {
		return nil, err
	}
	street, err := a.unit(demoStreet)
	if err != nil {
		return nil, err
	}
	accounts := []demoAccount{
		{&duban.User{Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}, "", duban.RoleAdmin.Label()},
		{&duban.User{Name: "wuyi", DisplayName: leader.Name, Role: duban.RoleLeader, LeaderID: leader.ID}, "", duban.RoleLeader.Label() + "（" + leader.Name + "）"},
		{&duban.User{Name: "caizheng", DisplayName: unit.Name + "联络员", Role: duban.RoleClerk, UnitID: unit.ID}, "", duban.RoleClerk.Label() + "（" + unit.Name + "）"},
		{&duban.User{Name: "jiefanglu", DisplayName: street.Name + "联络员", Role: duban.RoleClerk, UnitID: street.ID}, "", duban.RoleClerk.Label() + "（" + street.Name + "）"},
		{&duban.User{Name: "viewer", DisplayName: "查看者", Role: duban.RoleViewer}, "", duban.RoleViewer.Label()},
	}
	for i := range accounts {
		ac := &accounts[i]
		ac.password = auth.RandomPassword()
		if err := a.users.CreateUser(a.ctx, ac.user); err != nil {
			return nil, err
		}
		if err := a.auth.SetPassword(a.ctx, ac.user.ID, ac.password); err != nil {
			return nil, err
		}
	}
	return accounts, nil
}

// The sample's leader and units the demo's leader and clerk accounts stand
// for: a department, and a street that the notice reaches through 各街道办事处.
const (
	demoLeader = "武毅"
	demoUnit   = "区财政局"
	demoStreet = "解放路街道办事处"
)

// demoClock returns the demonstration's clock: demo.AsOf when the server
// started, going on at the pace of the real one.
func demoClock(started time.Time) func() time.Time {
	return func() time.Time { return demo.AsOf.Add(time.Since(started)) }
}

// ms writes a duration in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
}
