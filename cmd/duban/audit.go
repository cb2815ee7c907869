package main

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
)

// runAudit reads and verifies the audit log: duban audit <verb>.
func runAudit(ctx context.Context, env *Env, args []string) error {
	return runVerbs(ctx, env, "audit", map[string]command{
		"verify": {"核验审计日志：发现被修改或删除的记录", auditVerify},
		"log":    {"列出审计记录（可按文件或对象筛选）", auditLog},
	}, args)
}

func auditVerify(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "audit verify", "audit verify")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.audit.VerifyAudit(a.ctx)
	if err != nil {
		return err
	}
	if v.OK() {
		hash := v.LastHash
		if len(hash) > 16 {
			hash = hash[:16]
		}
		fmt.Fprintf(env.Stdout, "审计日志完整：共 %d 条记录，最后一条 #%d，摘要 %s。\n", v.Events, v.LastSeq, hash)
		return nil
	}
	for _, p := range v.Problems {
		fmt.Fprintf(env.Stdout, "#%d：%s\n", p.Seq, p.Message)
	}
	return duban.Errorf(duban.ECONFLICT, "审计日志不完整：发现 %d 处问题（见上）。记录在数据库之外被修改或删除过，请从备份核对。", len(v.Problems))
}

func auditLog(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "audit log", "audit log [--plan 文件] [--entity plan|task|statement|unit|leader|user --id 编号] [--limit 条数]")
	plan := fs.Int64("plan", 0, "只列出这个文件的记录")
	entity := fs.String("entity", "", "只列出这类对象的记录")
	id := fs.Int64("id", 0, "与 --entity 一起：只列出这个对象的记录（它的历史）")
	limit := fs.Int("limit", 20, "最多列出多少条（0 为全部）")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	f := duban.AuditFilter{Limit: *limit}
	if *plan != 0 {
		f.PlanID = plan
	}
	if *entity != "" {
		f.Entity = entity
	}
	if *id != 0 {
		f.EntityID = id
	}
	events, total, err := a.audit.FindAuditEvents(a.ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "共 %d 条记录\n", total)
	for _, e := range events {
		fmt.Fprintf(env.Stdout, "#%-6d %s  %s  %s #%d  %s\n", e.Seq, e.At.Local().Format("2006-01-02 15:04:05"), e.Actor, e.Entity, e.EntityID, e.Summary)
	}
	return nil
}
