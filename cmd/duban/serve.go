package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/evidence"
	"github.com/dubanhq/duban/jobs"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/deliverystore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/api"
	"github.com/dubanhq/duban/web/outputs"
	"github.com/dubanhq/duban/web/page"
	"github.com/dubanhq/duban/web/reporting"
	"github.com/dubanhq/duban/web/review"
	"github.com/dubanhq/duban/web/supervision"
)

// Main is the server as a value: duban serve and duban demo run one, and
// end-to-end tests boot the real server with it on a random port and a
// temporary database.
type Main struct {
	Config Config
	// Logger receives the request log and the server's errors.
	Logger *slog.Logger
	// Passwords are argon2id's costs; tests lower them.
	Passwords auth.Params
	// Policy times sessions and throttles sign-in.
	Policy duban.AuthPolicy
	// Now is the clock of the store, the pages and the jobs (time.Now):
	// tests move it, and the demo runs part-way through its sample's year.
	Now func() time.Time
	// Senders carry the channels' messages (their defaults); tests trust
	// their receivers' certificates and clocks with them.
	Senders *notify.Senders
	// JobInterval is the pause between the jobs' rounds (the jobs'
	// default).
	JobInterval time.Duration

	// DB, Server, Drainer and Jobs are set by Run.
	DB      *sqldb.DB
	Server  *web.Server
	Drainer *notify.Drainer
	Jobs    *jobs.Runner

	files    *evidence.Store
	http     *http.Server
	listener net.Listener
	served   chan error
	// stopJobs ends the drainer and the jobs; jobsDone are closed when
	// they have stopped.
	stopJobs context.CancelFunc
	jobsDone []<-chan struct{}
}

// NewMain returns a server with cfg and the production defaults, logging
// to w.
func NewMain(cfg Config, w io.Writer) *Main {
	return &Main{
		Config:    cfg,
		Logger:    slog.New(slog.NewTextHandler(w, nil)),
		Passwords: auth.DefaultParams,
		Policy:    duban.DefaultAuthPolicy,
	}
}

// shutdownGrace is how long Close waits for requests in progress.
const shutdownGrace = 10 * time.Second

// Run validates the configuration, opens the database (bringing its schema
// up to date), builds the web server and starts listening. It returns once
// the server accepts connections; Close stops it.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	db, err := sqldb.OpenWith(ctx, m.Config.DB, sqldb.Options{Create: m.Config.Init})
	if err != nil {
		return err
	}
	m.DB = db
	if m.Now != nil {
		db.Now = m.Now
	}
	cache := 0 // the web server's default size
	if m.Config.NoPageCache {
		cache = -1 // none
	}
	svc := newServices(db, auth.NewHasher(m.Passwords), m.Policy, m.Config.PublicURL)
	if m.files, err = evidence.Open(filepath.Join(m.Config.Data, "evidence"), int64(m.Config.EvidenceMaxMB)<<20); err != nil {
		db.Close()
		return err
	}
	svc.Files = m.files
	senders := m.Senders
	if senders == nil {
		senders = &notify.Senders{}
	}
	m.Drainer = notify.NewDrainer(svc.Deliveries, senders, notify.Options{Logger: m.Logger})
	svc.Tester = m.Drainer
	m.Jobs = jobs.New(jobs.Services{Plans: svc.Plans, Reminders: svc.Reminders, Lights: svc.Lights},
		jobs.Options{Interval: m.JobInterval, Now: func() time.Time { return db.Now() }, Logger: m.Logger})
	cfg := web.Config{TrustProxy: m.Config.TrustProxy, Logger: m.Logger, PageCache: cache, Now: func() time.Time { return db.Now() }}
	m.Server, err = web.New(cfg, svc, page.Part(), review.Part(), reporting.Part(), supervision.Part(), outputs.Part(), api.Part())
	if err != nil {
		m.files.Close()
		db.Close()
		return err
	}
	m.listener, err = net.Listen("tcp", m.Config.Addr)
	if err != nil {
		m.files.Close()
		db.Close()
		if errors.Is(err, syscall.EADDRINUSE) {
			return duban.Errorf(duban.EINVALID, "地址 %s 已被占用：请停止占用它的程序，或用 --addr（环境变量 DUBAN_ADDR）换一个端口，如 127.0.0.1:8081。", m.Config.Addr)
		}
		return &duban.Error{Code: duban.EINVALID, Message: fmt.Sprintf("无法在 %s 上监听：请检查地址和权限。", m.Config.Addr), Err: err}
	}
	m.http = &http.Server{
		Handler:           m.Server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // a notice uploaded over a slow line
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.http.Serve(m.listener) }()
	// The drainer and the jobs run until Close, whatever becomes of ctx,
	// which only bounds starting.
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.stopJobs = cancel
	m.jobsDone = []<-chan struct{}{m.Drainer.Start(jctx), m.Jobs.Start(jctx)}
	return nil
}

// URL is the address to open in a browser, http://host:port, with the port
// the server got when Config.Addr asked for any (":0").
func (m *Main) URL() string {
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Wait returns when the server stops by itself, with the reason.
func (m *Main) Wait() <-chan error { return m.served }

// Close stops the server gracefully, letting requests in progress finish
// for a while, and closes the database.
func (m *Main) Close() error {
	var err error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		err = m.http.Shutdown(ctx)
	}
	if m.stopJobs != nil {
		m.stopJobs()
		for _, done := range m.jobsDone {
			<-done
		}
		m.stopJobs = nil
	}
	if m.DB != nil {
		err = errors.Join(err, m.DB.Close())
	}
	if m.files != nil {
		err = errors.Join(err, m.files.Close())
	}
	return err
}

// runServe serves duban until interrupted.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "serve [--addr 主机:端口] [--db 数据库] [--data 数据目录] [--init] [--trust-proxy] [--no-page-cache]")
	cfg := newConfig(env)
	cfg.bindServeFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	tuneGC()
	m := NewMain(*cfg, env.Stderr)
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "duban 已在 %s 启动（%s，%s）；按 Ctrl+C 停止。\n", m.URL(), cfg, m.DB.Dialect())
	if err := firstAdminHint(ctx, env, m); err != nil {
		if ctx.Err() != nil {
			return m.Close() // interrupted as it started: a clean stop
		}
		m.Close()
		return err
	}
	return m.serveUntilDone(ctx)
}

// The garbage collector's settings for a server, unless GOGC or
// GOMEMLIMIT set them. A server keeps some 50 MB live (the pages and plans
// it keeps, the directory) and a page read afresh allocates hundreds of
// kilobytes, so that at Go's default (a collection each time the heap
// doubles) it collects every second under load, each time taking one of
// the two cores for tens of milliseconds and stalling the requests queued
// meanwhile. Collecting when the heap has grown five times over does a
// quarter of that work; the soft limit has it collect sooner as the heap
// nears a gigabyte, however much more the server keeps live.
const (
	serverGCPercent   = 400
	serverMemoryLimit = 1 << 30
)

// tuneGC sets the garbage collector for a server, leaving what the
// environment sets.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}

// serveUntilDone waits for ctx to end (Ctrl+C, SIGTERM) and shuts down, or
// returns the reason the server stopped by itself.
func (m *Main) serveUntilDone(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return m.Close()
	case err := <-m.Wait():
		m.Close()
		return err
	}
}

// firstAdminHint says how to make the first account on a new install,
// where nobody could sign in otherwise.
func firstAdminHint(ctx context.Context, env *Env, m *Main) error {
	_, n, err := accountstore.NewUserService(m.DB).FindUsers(duban.NewContextWithUser(ctx, cliUser(env)), duban.UserFilter{Limit: 1})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(env.Stdout, "还没有任何账号：请先运行 duban user add 登录名 --role admin --db %s 创建督查室管理员。\n", m.Config.DB)
	}
	return nil
}

// newServices returns the store's services in the domain's terms; site is
// the address people open duban at, for the links of outbound messages.
// The test sender is the server's drainer, which Run adds, and so are the
// evidence files.
func newServices(db *sqldb.DB, hasher duban.PasswordHasher, policy duban.AuthPolicy, site string) web.Services {
	units := ledgerstore.NewUnitService(db) // it answers the cycle's group membership too
	reminders := cyclestore.NewReminderService(db, units)
	supervisions := cyclestore.NewSupervisionService(db, units)
	reminders.Site, supervisions.Site = site, site
	return web.Services{
		Plans:    ledgerstore.NewPlanService(db),
		Tasks:    ledgerstore.NewTaskService(db),
		Units:    units,
		Leaders:  ledgerstore.NewLeaderService(db),
		Users:    accountstore.NewUserService(db),
		Audit:    sqldb.NewAuditService(db),
		Auth:     accountstore.NewAuthService(db, hasher, policy),
		Comments: ledgerstore.NewCommentService(db),

		Periods:      cyclestore.NewPeriodService(db),
		Reports:      cyclestore.NewReportService(db, units),
		Lights:       cyclestore.NewLightService(db),
		Reminders:    reminders,
		Evidence:     cyclestore.NewEvidenceService(db),
		Supervisions: supervisions,
		Overview:     cyclestore.NewOverviewService(db),
		Bulletins:    cyclestore.NewBulletinService(db),
		Publications: cyclestore.NewPublicationService(db),

		Notifications: cyclestore.NewNotificationService(db),
		Deliveries:    deliverystore.NewDeliveryService(db),
	}
}
