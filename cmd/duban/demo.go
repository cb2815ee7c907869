package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"duban"
	"duban/demo"
)

// runDemo makes a fresh database with the sample notice imported and
// published, and says what it did.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", "demo [--db 新数据库]")
	// The demo always starts afresh: DUBAN_DB, which names the real
	// database, is not used; only --db chooses where.
	cfg := &Config{}
	fs.StringVar(&cfg.DB, "db", "", "演示用的新数据库（SQLite 文件或 postgres:// 地址）；默认在临时文件夹中新建")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	if cfg.DB == "" {
		dir, err := os.MkdirTemp("", "duban-demo-")
		if err != nil {
			return err
		}
		cfg.DB = filepath.Join(dir, "duban.db")
	}
	start := time.Now()
	a, err := openApp(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, n, err := a.plans.FindPlans(a.ctx, duban.PlanFilter{Limit: 1}); err != nil || n > 0 {
		if err != nil {
			return err
		}
		return duban.Errorf(duban.ECONFLICT, "数据库 %s 中已有 %d 个计划：演示需要一个新的数据库，请换一个 --db，或不给 --db 使用临时文件夹。", cfg, n)
	}
	opened := time.Since(start)
	res, err := demo.Load(a.ctx, demo.Services{Plans: a.plans, Tasks: a.tasks, Units: a.units})
	if err != nil {
		return err
	}
	p := res.Plan
	w := env.Stdout
	fmt.Fprintf(w, "duban 演示\n")
	fmt.Fprintf(w, "  %s（%s，新建）\n", cfg, a.db.Dialect())
	fmt.Fprintf(w, "  读取示例通知 %s，导入并发布为计划 #%d：%s\n", demo.SampleName, p.ID, p.Name())
	fmt.Fprintf(w, "  %s，%d 个重点领域，%d 项任务，%d 个单位，%d 位领导；\n", sectionsText(p), len(p.Areas), p.TaskCount, res.Units, res.NewLeaders)
	fmt.Fprintf(w, "  %d 条未分配表述已标记为无需分配（演示中无人可问）。\n", res.Dismissed)
	fmt.Fprintf(w, "  用时 %s：建库 %s，读取 %s，导入 %s，发布 %s。\n", ms(opened+res.Took()), ms(opened), ms(res.Read), ms(res.Import), ms(res.Publish))
	fmt.Fprintf(w, "\n接着可以看看：\n")
	for _, c := range []string{
		fmt.Sprintf("duban plan show %d", p.ID),
		fmt.Sprintf("duban plan tasks %d --section 2", p.ID),
		"duban unit tasks 区财政局 --led",
		"duban leader tasks 武毅",
		"duban audit verify",
	} {
		fmt.Fprintf(w, "  %s --db %s\n", c, cfg.DB)
	}
	return nil
}

// ms writes a duration in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
}
