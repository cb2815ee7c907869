package main

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
)

// runLeader keeps the directory of leaders: duban leader <verb>.
func runLeader(ctx context.Context, env *Env, args []string) error {
	return runVerbs(ctx, env, "leader", map[string]command{
		"list":  {"列出领导", leaderList},
		"add":   {"添加领导", leaderAdd},
		"edit":  {"修改领导的姓名、职务或排序号", leaderEdit},
		"tasks": {"列出领导牵头的任务（可按年份）", leaderTasks},
	}, args)
}

func leaderList(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "leader list", "leader list")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	leaders, total, err := a.leaders.FindLeaders(a.ctx, duban.LeaderFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "共 %d 位领导\n", total)
	for _, l := range leaders {
		order := ""
		if l.Order != 0 {
			order = fmt.Sprintf("（排序 %d）", l.Order)
		}
		fmt.Fprintf(env.Stdout, "#%-4d %s %s%s\n", l.ID, l.Name, l.Title, order)
	}
	return nil
}

func leaderAdd(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "leader add", "leader add 姓名 [--title 职务] [--order 排序号]")
	title := fs.String("title", "", "职务，如“副区长”")
	order := fs.Int("order", 0, "在领导名单中的排序号，小的在前；0 不排序")
	a, pos, err := start(ctx, env, fs, cfg, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	l := &duban.Leader{Name: pos[0], Title: *title, Order: *order}
	if err := a.leaders.CreateLeader(a.ctx, l); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已添加领导 #%d %s %s。\n", l.ID, l.Name, l.Title)
	return nil
}

func leaderEdit(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "leader edit", "leader edit 领导 [--name 姓名] [--title 职务] [--order 排序号]")
	name := fs.String("name", "", "新的姓名")
	title := fs.String("title", "", "新的职务")
	order := fs.Int("order", 0, "在领导名单中的排序号，小的在前；0 不排序")
	a, l, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).leader)
	if err != nil {
		return err
	}
	defer a.Close()
	var upd duban.LeaderUpdate
	if isSet(fs, "name") {
		upd.Name = name
	}
	if isSet(fs, "title") {
		upd.Title = title
	}
	if isSet(fs, "order") {
		upd.Order = order
	}
	if l, err = a.leaders.UpdateLeader(a.ctx, l.ID, upd); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "领导 #%d：%s %s。\n", l.ID, l.Name, l.Title)
	return nil
}

func leaderTasks(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "leader tasks", "leader tasks 领导 [--year 年份] [--full]")
	year := fs.Int("year", 0, "只列出这一年的任务")
	full := fs.Bool("full", false, "显示任务全文")
	a, l, _, err := startFor(ctx, env, fs, cfg, args, 1, (*app).leader)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.TaskFilter{LeaderID: &l.ID}
	if *year != 0 {
		f.Year = year
	}
	fmt.Fprintf(env.Stdout, "%s %s\n", l.Name, l.Title)
	return printTasks(a, env, f, *full)
}
