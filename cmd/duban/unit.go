package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/dubanhq/duban"
)

// runUnit keeps the directory of units: duban unit <verb>.
func runUnit(ctx context.Context, env *Env, args []string) error {
	return runVerbs(ctx, env, "unit", map[string]command{
		"list":    {"列出单位（可按类型、关键词、文件筛选）", unitList},
		"show":    {"显示单位：别名、更名与合并的历史、各年的任务数", unitShow},
		"tasks":   {"列出单位牵头或参与的任务（可按年份）", unitTasks},
		"add":     {"添加单位", unitAdd},
		"alias":   {"把一个名称对应到单位：duban unit alias 区发改局 区发展和改革局", unitAlias},
		"rename":  {"单位更名（原名保留为别名）", unitRename},
		"kind":    {"修改单位类型", unitKind},
		"merge":   {"把一个单位合并到另一个单位（任务和联络员随之转移）", unitMerge},
		"members": {"设置统称（如“各街道办事处”）所指的单位：写给统称的任务到达每个成员", unitMembers},
	}, args)
}

func parseKind(s string) (duban.UnitKind, error) {
	k := duban.UnitKind(s)
	if !k.Valid() {
		return "", duban.Errorf(duban.EINVALID, "单位类型 %q 不正确：应为 department（部门）、street（街道）、company（企业）或 group（泛指多个单位，如“各街道办事处”）。", s)
	}
	return k, nil
}

func unitList(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit list", "unit list [--kind 类型] [--q 关键词] [--plan 文件] [--merged]")
	kind := fs.String("kind", "", "只列出这一类型：department、street、company、group")
	query := fs.String("q", "", "只列出名称含有这个关键词的单位")
	plan := fs.String("plan", "", "只列出这个文件的任务涉及的单位")
	merged := fs.Bool("merged", false, "也列出已合并到其他单位的单位")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.UnitFilter{Query: *query, IncludeMerged: *merged}
	if *kind != "" {
		k, err := parseKind(*kind)
		if err != nil {
			return err
		}
		f.Kind = &k
	}
	if *plan != "" {
		p, err := a.plan(*plan)
		if err != nil {
			return err
		}
		f.PlanID = &p.ID
	}
	units, total, err := a.units.FindUnits(a.ctx, f)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "共 %d 个单位\n", total)
	for _, u := range units {
		line := fmt.Sprintf("#%-4d %-4s %s", u.ID, u.Kind.Label(), u.Name)
		if len(u.Aliases) > 0 {
			line += "（又称 " + strings.Join(u.Aliases, "、") + "）"
		}
		if u.MergedInto != 0 {
			line += fmt.Sprintf(" → 已合并到 #%d", u.MergedInto)
		}
		fmt.Fprintln(w, line)
	}
	return nil
}

func unitShow(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit show", "unit show 单位")
	a, u, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).unit)
	if err != nil {
		return err
	}
	defer a.Close()
	if u, err = a.units.FindUnitByID(a.ctx, u.ID); err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "单位 #%d %s（%s）\n", u.ID, u.Name, u.Kind.Label())
	if len(u.Aliases) > 0 {
		fmt.Fprintf(w, "  又称：%s\n", strings.Join(u.Aliases, "、"))
	}
	if u.MergedInto != 0 {
		fmt.Fprintf(w, "  已合并到单位 #%d\n", u.MergedInto)
	}
	fmt.Fprintf(w, "历史：\n")
	for _, e := range u.History {
		fmt.Fprintf(w, "  %s  %s\n", e.At.Local().Format("2006-01-02 15:04"), unitEventText(e))
	}
	plans, _, err := a.plans.FindPlans(a.ctx, duban.PlanFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "任务：\n")
	for _, p := range plans {
		led, err := countTasks(a, duban.TaskFilter{PlanID: &p.ID, UnitID: &u.ID, UnitRole: duban.UnitLeads})
		if err != nil {
			return err
		}
		shared, err := countTasks(a, duban.TaskFilter{PlanID: &p.ID, UnitID: &u.ID, UnitRole: duban.UnitShares})
		if err != nil {
			return err
		}
		if led+shared > 0 {
			fmt.Fprintf(w, "  %d 年 文件 #%d：牵头 %d 项，参与 %d 项\n", p.Year, p.ID, led, shared)
		}
	}
	fmt.Fprintf(w, "列出任务：duban unit tasks %s [--year 年份] [--led|--shared]\n", u.Name)
	return nil
}

func countTasks(a *app, f duban.TaskFilter) (int, error) {
	f.Limit = 1
	_, n, err := a.tasks.FindTasks(a.ctx, f)
	return n, err
}

// unitEventText tells a change in a unit's identity.
func unitEventText(e duban.UnitEvent) string {
	switch e.Kind {
	case duban.UnitEventCreated:
		return "加入名录：" + e.To
	case duban.UnitRenamed:
		return "更名：" + e.From + " → " + e.To
	case duban.UnitAliasAdded:
		return "新增别名：" + e.To
	case duban.UnitMergedIn:
		return fmt.Sprintf("单位 #%d %s 并入本单位", e.Other, e.From)
	case duban.UnitMergedInto:
		return fmt.Sprintf("并入单位 #%d %s", e.Other, e.To)
	}
	return string(e.Kind)
}

func unitTasks(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit tasks", "unit tasks 单位 [--year 年份] [--led | --shared] [--full]")
	year := fs.Int("year", 0, "只列出这一年的任务")
	led := fs.Bool("led", false, "只列出牵头的任务")
	shared := fs.Bool("shared", false, "只列出参与（责任单位）的任务")
	full := fs.Bool("full", false, "显示任务全文")
	a, u, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).unit)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.TaskFilter{UnitID: &u.ID}
	if *year != 0 {
		f.Year = year
	}
	switch {
	case *led && *shared:
		return duban.Errorf(duban.EINVALID, "--led 与 --shared 只能选一个。")
	case *led:
		f.UnitRole = duban.UnitLeads
	case *shared:
		f.UnitRole = duban.UnitShares
	}
	fmt.Fprintf(env.Stdout, "%s\n", u.Name)
	return printTasks(a, env, f, *full)
}

func unitAdd(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit add", "unit add 名称 [--kind 类型] [--alias 别名、别名]")
	kind := fs.String("kind", "", "department、street、company 或 group；不给时按名称推断")
	aliases := fs.String("alias", "", "别名，用、或逗号分隔")
	a, pos, err := start(ctx, env, fs, cfg, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	u := &duban.Unit{Name: strings.TrimSpace(pos[0]), Kind: duban.GuessUnitKind(pos[0]), Aliases: splitNames(*aliases)}
	if *kind != "" {
		if u.Kind, err = parseKind(*kind); err != nil {
			return err
		}
	}
	if err := a.units.CreateUnit(a.ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已添加单位 #%d %s（%s）。\n", u.ID, u.Name, u.Kind.Label())
	return nil
}

func unitAlias(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit alias", "unit alias 别名 单位")
	a, pos, err := start(ctx, env, fs, cfg, args, 2)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.unit(pos[1])
	if err != nil {
		return err
	}
	if u, err = a.units.AddUnitAlias(a.ctx, u.ID, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "“%s”即单位 #%d %s；此后通知中的这个名称都指它。\n", pos[0], u.ID, u.Name)
	return nil
}

func unitRename(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit rename", "unit rename 单位 新名称")
	a, u, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).unit)
	if err != nil {
		return err
	}
	defer a.Close()
	old := u.Name
	if u, err = a.units.UpdateUnit(a.ctx, u.ID, duban.UnitUpdate{Name: &pos[0]}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "单位 #%d 已由“%s”更名为“%s”；原名保留为别名，历年任务不变。\n", u.ID, old, u.Name)
	return nil
}

func unitKind(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit kind", "unit kind 单位 department|street|company|group")
	a, u, pos, err := startFor(ctx, env, fs, cfg, args, 2, (*app).unit)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := parseKind(pos[0])
	if err != nil {
		return err
	}
	if u, err = a.units.UpdateUnit(a.ctx, u.ID, duban.UnitUpdate{Kind: &k}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "单位 #%d %s 的类型已改为%s。\n", u.ID, u.Name, u.Kind.Label())
	return nil
}

func unitMerge(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit merge", "unit merge 被合并的单位 合并到的单位")
	a, pos, err := start(ctx, env, fs, cfg, args, 2)
	if err != nil {
		return err
	}
	defer a.Close()
	from, err := a.unit(pos[0])
	if err != nil {
		return err
	}
	into, err := a.unit(pos[1])
	if err != nil {
		return err
	}
	if into, err = a.units.MergeUnits(a.ctx, from.ID, into.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "单位 #%d %s 已并入 #%d %s：其任务和联络员已转到 %s，原名保留为别名。\n", from.ID, from.Name, into.ID, into.Name, into.Name)
	return nil
}

func unitMembers(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "unit members", "unit members 统称 [--units 单位、单位 | --kind street|department|company | --none]")
	units := fs.String("units", "", "成员单位，用、或逗号分隔")
	kind := fs.String("kind", "", "以这一类型的全部单位为成员：street、department 或 company")
	none := fs.Bool("none", false, "去掉全部成员")
	a, g, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).unit)
	if err != nil {
		return err
	}
	defer a.Close()
	var members []int64
	switch {
	case *units != "" && *kind == "" && !*none:
		for _, n := range splitNames(*units) {
			u, err := a.unit(n)
			if err != nil {
				return err
			}
			members = append(members, u.ID)
		}
	case *kind != "" && *units == "" && !*none:
		k, err := parseKind(*kind)
		if err != nil {
			return err
		}
		list, _, err := a.units.FindUnits(a.ctx, duban.UnitFilter{Kind: &k})
		if err != nil {
			return err
		}
		for _, u := range list {
			members = append(members, u.ID)
		}
	case *none && *units == "" && *kind == "":
	default:
		if g, err = a.units.FindUnitByID(a.ctx, g.ID); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s（%s）有 %d 个成员：\n", g.Name, g.Kind.Label(), len(g.Members))
		for _, id := range g.Members {
			u, err := a.units.FindUnitByID(a.ctx, id)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "  #%-4d %s\n", u.ID, u.Name)
		}
		fmt.Fprintf(env.Stdout, "设置成员：duban unit members %s --units 单位、单位（或 --kind street，或 --none）\n", g.Name)
		return nil
	}
	if g, err = a.units.SetGroupMembers(a.ctx, g.ID, members); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "“%s”现有 %d 个成员：写给它的任务，每个成员单位都能看到并填报。\n", g.Name, len(g.Members))
	return nil
}
