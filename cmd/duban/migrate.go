package main

import (
	"context"
	"fmt"
	"io"
)

// runMigrate brings the database's schema up to date, or prints it.
func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "migrate", "migrate [--db 数据库] [--schema]")
	schema := fs.Bool("schema", false, "输出数据库结构（与 sqldb/schema 中的文件相同）")
	cfg.Init = true // migrate makes the database on a new install
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	if *schema {
		s, err := a.db.DumpSchema(ctx)
		if err != nil {
			return err
		}
		_, err = io.WriteString(env.Stdout, s)
		return err
	}
	fmt.Fprintf(env.Stdout, "%s（%s）\n", cfg, a.db.Dialect())
	if len(a.db.Applied()) == 0 {
		fmt.Fprintf(env.Stdout, "数据库结构已是最新，无需迁移。\n")
	}
	for _, m := range a.db.Applied() {
		fmt.Fprintf(env.Stdout, "已应用迁移 %s\n", m)
	}
	return nil
}
