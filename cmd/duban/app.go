package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/sqldb"
)

// app is what a command that works on the database holds: its store, the
// services in the domain's terms, and a context carrying the user the
// command line acts as.
type app struct {
	cfg     *Config
	db      *sqldb.DB
	ctx     context.Context
	plans   duban.PlanService
	tasks   duban.TaskService
	units   duban.UnitService
	leaders duban.LeaderService
	users   duban.UserService
	audit   duban.AuditService
	auth    duban.AuthService
}

// openApp validates the configuration, opens the database (applying any
// pending migration; making it only when cfg.Init says so) and returns the
// services.
func openApp(ctx context.Context, env *Env, cfg *Config) (*app, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	db, err := sqldb.OpenWith(ctx, cfg.DB, sqldb.Options{Create: cfg.Init})
	if err != nil {
		return nil, err
	}
	return newApp(ctx, env, cfg, db), nil
}

func newApp(ctx context.Context, env *Env, cfg *Config, db *sqldb.DB) *app {
	svc := newServices(db, auth.NewHasher(auth.DefaultParams), duban.DefaultAuthPolicy, cfg.PublicURL)
	return &app{
		cfg:     cfg,
		db:      db,
		ctx:     duban.NewContextWithUser(ctx, cliUser(env)),
		plans:   svc.Plans,
		tasks:   svc.Tasks,
		units:   svc.Units,
		leaders: svc.Leaders,
		users:   svc.Users,
		audit:   svc.Audit,
		auth:    svc.Auth,
	}
}

// Close closes the database.
func (a *app) Close() error { return a.db.Close() }

// cliUser is who the command line acts as: whoever can run it on the server
// holds the database, so it acts with the office's rights, and the audit log
// names the operating-system user.
func cliUser(env *Env) *duban.User {
	name := env.Getenv("USER")
	if name == "" {
		name = "?"
	}
	return &duban.User{Name: name, DisplayName: "命令行", Role: duban.RoleAdmin}
}

// dbFlagSet returns the flag set of a command that uses the database, with
// --db bound to the configuration.
func dbFlagSet(env *Env, name, usageLine string) (*flag.FlagSet, *Config) {
	fs := newFlagSet(env, name, usageLine)
	cfg := newConfig(env)
	cfg.bindFlags(fs)
	return fs, cfg
}

// start parses args (flags may stand anywhere among the positional
// arguments), checks that there are nargs positional arguments, and opens the
// database.
func start(ctx context.Context, env *Env, fs *flag.FlagSet, cfg *Config, args []string, nargs int) (*app, []string, error) {
	pos, err := parseMixed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if len(pos) != nargs {
		fs.Usage()
		return nil, nil, errUsage
	}
	a, err := openApp(ctx, env, cfg)
	return a, pos, err
}

// startFor is start for a verb whose first argument names a thing (a plan,
// a unit, a leader): find finds it, and the other arguments are returned.
func startFor[T any](ctx context.Context, env *Env, fs *flag.FlagSet, cfg *Config, args []string, nargs int,
	find func(a *app, arg string) (T, error)) (*app, T, []string, error) {
	var zero T
	a, pos, err := start(ctx, env, fs, cfg, args, nargs)
	if err != nil {
		return nil, zero, nil, err
	}
	thing, err := find(a, pos[0])
	if err != nil {
		a.Close()
		return nil, zero, nil, err
	}
	return a, thing, pos[1:], nil
}

// parseMixed parses flags that may stand before, between or after the
// positional arguments, which it returns in order.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// isSet reports whether a flag was given.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// runVerbs runs one verb of a command with verbs (duban plan list).
func runVerbs(ctx context.Context, env *Env, name string, verbs map[string]command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		verbUsage(env.Stderr, name, verbs)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "duban %s: 未知操作 %q。\n", name, args[0])
		verbUsage(env.Stderr, name, verbs)
		return errUsage
	}
	return v.run(ctx, env, args[1:])
}

func verbUsage(w io.Writer, name string, verbs map[string]command) {
	names := make([]string, 0, len(verbs))
	for v := range verbs {
		names = append(names, v)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "用法：duban %s <操作> [参数]\n\n操作：\n", name)
	for _, v := range names {
		fmt.Fprintf(w, "  %-10s %s\n", v, verbs[v].summary)
	}
	fmt.Fprintf(w, "\n运行 duban %s <操作> -h 查看该操作的参数。\n", name)
}

// parseID reads an ID written as 12 or #12.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, duban.Errorf(duban.EINVALID, "%s编号“%s”不正确：应为数字，如 3 或 #3。", what, s)
	}
	return id, nil
}

// plan returns the plan an argument names by its ID.
func (a *app) plan(arg string) (*duban.Plan, error) {
	id, err := parseID("文件", arg)
	if err != nil {
		return nil, err
	}
	return a.plans.FindPlanByID(a.ctx, id)
}

// task returns the task of a plan that an argument names, by its number
// (1.2.3) or its ID (#123).
func (a *app) task(p *duban.Plan, arg string) (*duban.Task, error) {
	if strings.HasPrefix(arg, "#") {
		id, err := parseID("任务", arg)
		if err != nil {
			return nil, err
		}
		return a.tasks.FindTaskByID(a.ctx, id)
	}
	var sec, area, seq int
	if _, err := fmt.Sscanf(arg, "%d.%d.%d", &sec, &area, &seq); err != nil {
		return nil, duban.Errorf(duban.EINVALID, "任务编号“%s”不正确：应为“行动.领域.序号”，如 1.2.3，或任务 ID，如 #123。", arg)
	}
	tasks, _, err := a.tasks.FindTasks(a.ctx, duban.TaskFilter{PlanID: &p.ID, Section: &sec, Area: &area})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Seq == seq {
			return t, nil
		}
	}
	return nil, duban.Errorf(duban.ENOTFOUND, "文件 #%d 中没有任务 %s：用 duban plan tasks %d 查看任务编号。", p.ID, arg, p.ID)
}

// unit returns the unit an argument names, by any of its names or by its ID
// (#12).
func (a *app) unit(arg string) (*duban.Unit, error) {
	if strings.HasPrefix(arg, "#") {
		id, err := parseID("单位", arg)
		if err != nil {
			return nil, err
		}
		return a.units.FindUnitByID(a.ctx, id)
	}
	units, _, err := a.units.FindUnits(a.ctx, duban.UnitFilter{Name: &arg, IncludeMerged: true})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "名录中没有单位“%s”：用 duban unit list 查看，或用 duban unit add 添加。", arg)
	}
	return units[0], nil
}

// leader returns the leader an argument names, by name or by ID (#3).
func (a *app) leader(arg string) (*duban.Leader, error) {
	if strings.HasPrefix(arg, "#") {
		id, err := parseID("领导", arg)
		if err != nil {
			return nil, err
		}
		return a.leaders.FindLeaderByID(a.ctx, id)
	}
	leaders, _, err := a.leaders.FindLeaders(a.ctx, duban.LeaderFilter{Name: &arg})
	if err != nil {
		return nil, err
	}
	if len(leaders) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "名录中没有领导“%s”：用 duban leader list 查看。", arg)
	}
	return leaders[0], nil
}

// splitNames splits a list of names written with 、，, ; or ；.
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；", r) })
}

// ownersText writes a task's owners and deadline on one line.
func ownersText(t *duban.Task) string {
	var parts []string
	for _, o := range []struct {
		label  string
		owners []duban.Owner
	}{{"牵头领导", t.LeadLeaders}, {"牵头单位", t.LeadUnits}, {"责任单位", t.ResponsibleUnits}} {
		if len(o.owners) > 0 {
			parts = append(parts, o.label+"："+strings.Join(duban.OwnerNames(o.owners), "、"))
		}
	}
	if t.Deadline != "" {
		parts = append(parts, "完成时限："+t.Deadline)
	}
	return strings.Join(parts, "  ")
}

// printTask writes a task: number, text (cut to width characters, 0 for
// whole), owners, targets.
func printTask(w io.Writer, t *duban.Task, width int) {
	state := ""
	if t.State == duban.TaskWithdrawn {
		state = "［已撤销］"
	}
	fmt.Fprintf(w, "  %s %s%s\n", t.No, state, cut(t.Text, width))
	if s := ownersText(t); s != "" {
		fmt.Fprintf(w, "        %s\n", s)
	}
	for _, in := range t.Indicators {
		fmt.Fprintf(w, "        指标：%s %s\n", in.Metric, in.Goal())
	}
}
