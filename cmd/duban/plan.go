package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

// runPlan reviews and publishes plans: duban plan <verb>.
func runPlan(ctx context.Context, env *Env, args []string) error {
	return runVerbs(ctx, env, "plan", map[string]command{
		"list":       {"列出文件", planList},
		"show":       {"显示文件：通知信息、行动与领域、读取提示、无人认领的段落", planShow},
		"tasks":      {"列出文件的任务（可按单位、领导、行动、关键词筛选）", planTasks},
		"edit":       {"修改任务的内容、责任、完成时限或量化指标", planEdit},
		"split":      {"把一项任务拆成两项（草稿）", planSplit},
		"merge":      {"把两项任务合并为一项（草稿）", planMerge},
		"statements": {"列出无人认领的段落", planStatements},
		"assign":     {"为无人认领的段落指定责任，使其成为任务", planAssign},
		"dismiss":    {"把无人认领的段落标记为无需分配", planDismiss},
		"expand":     {"把“各街道办事处”等统称展开为具体单位", planExpand},
		"publish":    {"发布文件", planPublish},
		"archive":    {"归档已发布的文件", planArchive},
		"diff":       {"比较更正后的通知与文件（不修改）", planDiff},
		"reissue":    {"应用更正后的通知（--yes 确认）", planReissue},
	}, args)
}

func planList(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan list", "plan list [--year 年份] [--state draft|published|archived]")
	year := fs.Int("year", 0, "只列出这一年的文件")
	state := fs.String("state", "", "只列出这一状态的文件")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	var f duban.PlanFilter
	if *year != 0 {
		f.Year = year
	}
	if *state != "" {
		s := duban.PlanState(*state)
		if !s.Valid() {
			return duban.Errorf(duban.EINVALID, "状态 %q 不正确：应为 draft、published 或 archived。", *state)
		}
		f.State = &s
	}
	plans, total, err := a.plans.FindPlans(a.ctx, f)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "共 %d 个文件\n", total)
	for _, p := range plans {
		fmt.Fprintf(w, "#%-4d %d  %-4s  %3d 项任务  %d 段无人认领  %s\n", p.ID, p.Year, p.State.Label(), p.TaskCount, p.OpenStatements, p.Name())
	}
	return nil
}

func planShow(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan show", "plan show 文件")
	a, p, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	tasks, _, err := a.tasks.FindTasks(a.ctx, duban.TaskFilter{PlanID: &p.ID})
	if err != nil {
		return err
	}
	perArea := map[[2]int]int{}
	for _, t := range tasks {
		perArea[[2]int{t.Section, t.Area}]++
	}
	w := env.Stdout
	fmt.Fprintf(w, "文件 #%d %s\n", p.ID, p.Name())
	fmt.Fprintf(w, "  %s · %s · %d 年 · %s · 第 %d 版通知\n", p.Issuer, p.Region, p.Year, p.State.Label(), p.Issues)
	fmt.Fprintf(w, "  %d 项任务，%d 条待处理的无人认领的段落\n", p.TaskCount, p.OpenStatements)
	for _, s := range p.Sections {
		fmt.Fprintf(w, "\n【%s】%s（%d 项）\n", sectionLabel(s.No), s.Title, perArea[[2]int{s.No, 0}])
		for _, ar := range p.Areas {
			if ar.Section == s.No {
				fmt.Fprintf(w, "  （%d）%s（%d 项）\n", ar.No, ar.Title, perArea[[2]int{s.No, ar.No}])
			}
		}
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintf(w, "\n读取提示（请对照原文核对）：\n")
		for _, wn := range p.Warnings {
			fmt.Fprintf(w, "  第 %d 行：%s\n", wn.Line, wn.Message)
		}
	}
	if p.OpenStatements > 0 {
		fmt.Fprintf(w, "\n待处理的无人认领的段落：duban plan statements %d\n", p.ID)
	}
	return nil
}

// sectionLabel names a section as the notice numbers it: 一、二… and 主要预期目标 for 0.
func sectionLabel(no int) string {
	if no == 0 {
		return "主要预期目标"
	}
	return chineseOrdinal(no)
}

func planTasks(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan tasks", "plan tasks 文件 [--section 行动] [--unit 单位] [--leader 领导] [--q 关键词] [--full]")
	section := fs.Int("section", -1, "只列出这一行动的任务（0 为主要预期目标）")
	unit := fs.String("unit", "", "只列出这个单位牵头或参与的任务")
	leader := fs.String("leader", "", "只列出这位领导牵头的任务")
	query := fs.String("q", "", "只列出内容含有这个关键词的任务")
	withdrawn := fs.Bool("withdrawn", false, "也列出已撤销的任务")
	full := fs.Bool("full", false, "显示任务全文")
	a, p, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.TaskFilter{PlanID: &p.ID, Query: *query, IncludeWithdrawn: *withdrawn}
	if *section >= 0 {
		f.Section = section
	}
	if *unit != "" {
		u, err := a.unit(*unit)
		if err != nil {
			return err
		}
		f.UnitID = &u.ID
	}
	if *leader != "" {
		l, err := a.leader(*leader)
		if err != nil {
			return err
		}
		f.LeaderID = &l.ID
	}
	return printTasks(a, env, f, *full)
}

// printTasks lists the tasks a filter selects, with their count.
func printTasks(a *app, env *Env, f duban.TaskFilter, full bool) error {
	tasks, total, err := a.tasks.FindTasks(a.ctx, f)
	if err != nil {
		return err
	}
	width := 60
	if full {
		width = 0
	}
	fmt.Fprintf(env.Stdout, "共 %d 项任务\n", total)
	plan := int64(0)
	for _, t := range tasks {
		if t.PlanID != plan && f.PlanID == nil {
			fmt.Fprintf(env.Stdout, "\n%d 年 · 文件 #%d\n", t.Year, t.PlanID)
		}
		plan = t.PlanID
		printTask(env.Stdout, t, width)
	}
	return nil
}

// ownerFlags are the flags that give a task's owners.
type ownerFlags struct {
	leaders, leadUnits, units, deadline *string
}

func bindOwnerFlags(fs *flag.FlagSet) ownerFlags {
	return ownerFlags{
		leaders:   fs.String("lead-leaders", "", "牵头领导，用、或逗号分隔"),
		leadUnits: fs.String("lead-units", "", "牵头单位，用、或逗号分隔"),
		units:     fs.String("units", "", "责任单位，用、或逗号分隔"),
		deadline:  fs.String("deadline", "", "完成时限，如“2022年6月底前”"),
	}
}

// repeated collects the values of a flag given several times (--target).
type repeated []string

func (l *repeated) String() string     { return strings.Join(*l, "; ") }
func (l *repeated) Set(s string) error { *l = append(*l, s); return nil }

// parseTarget reads a target written as 指标,比较,数值,单位[,上限]: 新增高新技术企业,>=,119,家.
func parseTarget(s string) (duban.Indicator, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' })
	bad := duban.Errorf(duban.EINVALID, "指标“%s”写法不正确：应为“指标,比较,数值,单位”，如“新增高新技术企业,>=,119,家”；区间为“指标,range,2,所,3”。", s)
	if len(parts) != 4 && len(parts) != 5 {
		return duban.Indicator{}, bad
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	v, err := strconv.ParseFloat(parts[2], 64)
	if err != nil {
		return duban.Indicator{}, bad
	}
	in := duban.Indicator{Metric: parts[0], Cmp: duban.Comparison(parts[1]), Value: v, Unit: parts[3]}
	in.Text = in.Metric + " " + parts[2] + " " + in.Unit
	if len(parts) == 5 {
		upper, err := strconv.ParseFloat(parts[4], 64)
		if err != nil {
			return duban.Indicator{}, bad
		}
		in.Upper = &upper
	}
	return in, duban.ValidateIndicator(&in)
}

func planEdit(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan edit", "plan edit 文件 任务编号 [--text 内容] [--lead-leaders …] [--lead-units …] [--units …] [--deadline …] [--target 指标,比较,数值,单位]… [--clear-targets]")
	text := fs.String("text", "", "任务内容")
	owners := bindOwnerFlags(fs)
	var targets repeated
	fs.Var(&targets, "target", "量化指标，可重复：指标,比较(=、>=、>、<=、~、range),数值,单位[,上限]")
	clearTargets := fs.Bool("clear-targets", false, "删除任务的全部量化指标")
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.task(p, pos[0])
	if err != nil {
		return err
	}
	var upd duban.TaskUpdate
	if isSet(fs, "text") {
		upd.Text = text
	}
	if isSet(fs, "deadline") {
		upd.Deadline = owners.deadline
	}
	for flag, field := range map[string]**[]duban.Owner{"lead-leaders": &upd.LeadLeaders, "lead-units": &upd.LeadUnits, "units": &upd.ResponsibleUnits} {
		if isSet(fs, flag) {
			list := duban.OwnersNamed(splitNames(fs.Lookup(flag).Value.String()))
			*field = &list
		}
	}
	if *clearTargets || len(targets) > 0 {
		list := []duban.Indicator{}
		for _, s := range targets {
			in, err := parseTarget(s)
			if err != nil {
				return err
			}
			list = append(list, in)
		}
		upd.Indicators = &list
	}
	if upd == (duban.TaskUpdate{}) {
		fs.Usage()
		return errUsage
	}
	t, err = a.tasks.UpdateTask(a.ctx, t.ID, upd)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已修改任务：\n")
	printTask(env.Stdout, t, 0)
	return nil
}

func planSplit(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan split", "plan split 文件 任务编号 --at 第二项开头的文字")
	at := fs.String("at", "", "第二项任务开头的文字（在它第一次出现处拆开）")
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.task(p, pos[0])
	if err != nil {
		return err
	}
	i := strings.Index(t.Text, *at)
	if *at == "" || i < 0 {
		return duban.Errorf(duban.EINVALID, "任务 %s 的内容中没有“%s”：请用 --at 给出第二项任务开头的几个字。", t.No, *at)
	}
	first, second, err := a.tasks.SplitTask(a.ctx, t.ID, len([]rune(t.Text[:i])))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已拆分为两项任务（其后的任务编号顺延）：\n")
	printTask(env.Stdout, first, 0)
	printTask(env.Stdout, second, 0)
	return nil
}

func planMerge(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan merge", "plan merge 文件 任务编号 并入的任务编号")
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 3, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.task(p, pos[0])
	if err != nil {
		return err
	}
	o, err := a.task(p, pos[1])
	if err != nil {
		return err
	}
	t, err = a.tasks.MergeTasks(a.ctx, t.ID, o.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已把任务 %s 并入（其后的任务编号前移）：\n", o.No)
	printTask(env.Stdout, t, 0)
	return nil
}

func planStatements(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan statements", "plan statements 文件 [--all]")
	all := fs.Bool("all", false, "也列出已认领和无需分配的段落")
	a, p, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.StatementFilter{PlanID: &p.ID}
	if !*all {
		open := duban.StatementOpen
		f.State = &open
	}
	sts, total, err := a.tasks.FindStatements(a.ctx, f)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "共 %d 段无人认领的段落\n", total)
	for _, s := range sts {
		state := map[duban.StatementState]string{duban.StatementOpen: "待处理", duban.StatementAssigned: "已分配", duban.StatementDismissed: "无需分配"}[s.State]
		fmt.Fprintf(w, "#%-5d %s  %d.%d  第 %d 行  %s\n", s.ID, state, s.Section, s.Area, s.Line, s.Text)
	}
	if total > 0 && !*all {
		fmt.Fprintf(w, "\n指定责任：duban plan assign %d 段落编号 --lead-units 单位 [--units 单位]\n无需分配：duban plan dismiss %d 段落编号 [--note 说明]\n", p.ID, p.ID)
	}
	return nil
}

// statement returns a statement of a plan by its ID.
func (a *app) statement(p *duban.Plan, arg string) (*duban.Statement, error) {
	id, err := parseID("段落", arg)
	if err != nil {
		return nil, err
	}
	sts, _, err := a.tasks.FindStatements(a.ctx, duban.StatementFilter{ID: &id, PlanID: &p.ID})
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "文件 #%d 中没有无人认领的段落 #%d：用 duban plan statements %d 查看。", p.ID, id, p.ID)
	}
	return sts[0], nil
}

func planAssign(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan assign", "plan assign 文件 段落编号 [--lead-leaders …] [--lead-units …] [--units …] [--deadline …]")
	owners := bindOwnerFlags(fs)
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	s, err := a.statement(p, pos[0])
	if err != nil {
		return err
	}
	t, err := a.tasks.AssignStatement(a.ctx, s.ID, duban.StatementAssignment{
		LeadLeaders:      duban.OwnersNamed(splitNames(*owners.leaders)),
		LeadUnits:        duban.OwnersNamed(splitNames(*owners.leadUnits)),
		ResponsibleUnits: duban.OwnersNamed(splitNames(*owners.units)),
		Deadline:         *owners.deadline,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "段落 #%d 已成为任务：\n", s.ID)
	printTask(env.Stdout, t, 0)
	return nil
}

func planDismiss(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan dismiss", "plan dismiss 文件 段落编号 [--note 说明]")
	note := fs.String("note", "", "为什么无需分配")
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	s, err := a.statement(p, pos[0])
	if err != nil {
		return err
	}
	if _, err := a.tasks.DismissStatement(a.ctx, s.ID, *note); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "段落 #%d 已标记为无需分配。\n", s.ID)
	return nil
}

func planExpand(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan expand", "plan expand 文件 统称 [--task 任务编号]… [--units 单位、单位]")
	var taskNos repeated
	fs.Var(&taskNos, "task", "只展开这项任务中的统称，可重复")
	units := fs.String("units", "", "统称所指的单位（“相关街道办事处”等需要指明），用、或逗号分隔")
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	exp := duban.GroupExpansion{PlanID: p.ID, Group: pos[0]}
	for _, no := range taskNos {
		t, err := a.task(p, no)
		if err != nil {
			return err
		}
		exp.TaskIDs = append(exp.TaskIDs, t.ID)
	}
	for _, name := range splitNames(*units) {
		u, err := a.unit(name)
		if err != nil {
			return err
		}
		exp.UnitIDs = append(exp.UnitIDs, u.ID)
	}
	changed, err := a.tasks.ExpandGroup(a.ctx, exp)
	if duban.ErrorCode(err) == duban.ECONFLICT && len(exp.UnitIDs) == 0 {
		return askWhich(a, env, p, pos[0], err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已在 %d 项任务中展开“%s”：\n", len(changed), pos[0])
	for _, t := range changed {
		printTask(env.Stdout, t, 40)
	}
	return nil
}

// askWhich answers an expansion of a group term that does not say which
// units it means: it lists the tasks naming the term and the units to choose
// from, and how to give them.
func askWhich(a *app, env *Env, p *duban.Plan, group string, cause error) error {
	w := env.Stdout
	fmt.Fprintf(w, "%s\n", duban.ErrorMessage(cause))
	scope, _ := duban.ScopeOfGroup(group)
	units, _, err := a.units.FindUnits(a.ctx, duban.UnitFilter{Kind: &scope.Kind})
	if err != nil {
		return err
	}
	var names []string
	for _, u := range units {
		names = append(names, u.Name)
	}
	fmt.Fprintf(w, "可选单位：%s\n写有“%s”的任务：\n", strings.Join(names, "、"), group)
	tasks, _, err := a.tasks.FindTasks(a.ctx, duban.TaskFilter{PlanID: &p.ID})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		for _, o := range append(append([]duban.Owner{}, t.LeadUnits...), t.ResponsibleUnits...) {
			if duban.NormalizeName(o.Name) == duban.NormalizeName(group) {
				printTask(w, t, 40)
				break
			}
		}
	}
	fmt.Fprintf(w, "\n逐项指明：duban plan expand %d %s --task 任务编号 --units 单位、单位\n", p.ID, group)
	return cause
}

func planPublish(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan publish", "plan publish 文件")
	a, p, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	if p, err = a.plans.PublishPlan(a.ctx, p.ID); err != nil {
		return err
	}
	_, units, err := a.units.FindUnits(a.ctx, duban.UnitFilter{PlanID: &p.ID})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已发布文件 #%d %s：%d 项任务，涉及 %d 个单位。\n", p.ID, p.Name(), p.TaskCount, units)
	missing, err := duban.PlanMembersMissing(a.ctx, a.tasks, a.units, p.ID)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		fmt.Fprintf(env.Stdout, "以下统称还没有成员，写给它们的任务暂时没有单位看得到：%s。\n", strings.Join(duban.OwnerNames(missing), "、"))
		fmt.Fprintf(env.Stdout, "设置成员：duban unit members 统称 --units 单位、单位（或 --kind street）。\n")
	}
	return nil
}

func planArchive(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "plan archive", "plan archive 文件")
	a, p, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	if p, err = a.plans.ArchivePlan(a.ctx, p.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已归档文件 #%d %s。\n", p.ID, p.Name())
	return nil
}

func planDiff(ctx context.Context, env *Env, args []string) error {
	return reissue(ctx, env, "diff", args)
}

func planReissue(ctx context.Context, env *Env, args []string) error {
	return reissue(ctx, env, "reissue", args)
}

// reissue compares a corrected notice with a plan (diff) and applies it with
// --yes (reissue).
func reissue(ctx context.Context, env *Env, verb string, args []string) error {
	fs, cfg := dbFlagSet(env, "plan "+verb, "plan "+verb+" 文件编号 通知文件 [--year 年份]"+map[string]string{"reissue": " [--yes]"}[verb])
	year := fs.Int("year", 0, "文件年份（通知中没有读到年份时使用）")
	yes := new(bool)
	if verb == "reissue" {
		yes = fs.Bool("yes", false, "确认应用变更")
	}
	a, p, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).plan)
	if err != nil {
		return err
	}
	defer a.Close()
	in, err := readImport(env, pos[0], *year)
	if err != nil {
		return err
	}
	d, err := a.plans.DiffPlan(a.ctx, p.ID, in.Reading)
	if err != nil {
		return err
	}
	return confirmReissue(a, env, p.ID, in, d, *yes, fmt.Sprintf("duban plan reissue %d %s --yes", p.ID, pos[0]))
}
