package main

import (
	"flag"
	"strings"

	"duban"
	"duban/sqldb"
)

// Config is duban's configuration, filled once per run: defaults, then the
// environment, then command-line flags; validated once; passed explicitly.
type Config struct {
	// DB is the database: a SQLite file path or a postgres:// URL.
	DB string
}

// defaultDB is the database used when neither --db nor DUBAN_DB names one:
// a SQLite file in the current folder, so that duban needs no set-up.
const defaultDB = "duban.db"

// newConfig returns the defaults overridden by the environment.
func newConfig(env *Env) *Config {
	c := &Config{DB: defaultDB}
	if v := strings.TrimSpace(env.Getenv("DUBAN_DB")); v != "" {
		c.DB = v
	}
	return c
}

// bindFlags lets flags override the configuration.
func (c *Config) bindFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "数据库：SQLite 文件路径或 postgres:// 地址（环境变量 DUBAN_DB）")
}

// Validate checks the configuration before anything is opened.
func (c *Config) Validate() error {
	c.DB = strings.TrimSpace(c.DB)
	switch {
	case c.DB == "":
		return duban.Errorf(duban.EINVALID, "没有指定数据库：请用 --db 或环境变量 DUBAN_DB 给出 SQLite 文件路径或 postgres:// 地址。")
	case !sqldb.IsPostgres(c.DB) && strings.ContainsAny(c.DB, "?#"):
		return duban.Errorf(duban.EINVALID, "数据库文件路径“%s”不能含有 ? 或 #。", c.DB)
	}
	return nil
}

// String shows the configuration with secrets redacted, fit for logs.
func (c *Config) String() string {
	return "数据库：" + sqldb.RedactDSN(c.DB)
}
