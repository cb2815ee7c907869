package main

import (
	"flag"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// Config is duban's configuration, filled once per run: defaults, then the
// environment, then command-line flags; validated once; passed explicitly.
type Config struct {
	// DB is the database: a SQLite file path or a postgres:// URL.
	DB string
	// Data is the folder of the data files: the SQLite database lives there
	// unless DB names another.
	Data string
	// Addr is the address the server listens on, host:port.
	Addr string
	// TrustProxy says the server runs behind a balancer whose
	// X-Forwarded-Proto and X-Forwarded-For are to be believed.
	TrustProxy bool
	// NoPageCache renders every page afresh instead of keeping the pages
	// many people ask for alike until what they show changes (web.Config's
	// PageCache). duban bench uses it to measure what a request costs when
	// the data keeps changing.
	NoPageCache bool
	// PublicURL is the address people open duban at
	// (https://duban.example.gov.cn), for the links in the messages sent
	// through channels; empty, messages carry no link.
	PublicURL string
	// EvidenceMaxMB caps one evidence file, in megabytes (the forms say it);
	// the files are kept in the folder evidence of Data.
	EvidenceMaxMB int
	// Init lets the command make the database when it is not there (--init).
	// Without it a missing SQLite file, or a PostgreSQL schema without
	// duban's tables, is refused: a server restarted over a deleted file
	// must not begin afresh as an empty install. The first-run commands,
	// duban user add and duban migrate, may always make it.
	Init bool

	// dbGiven says DB was named (by DUBAN_DB or --db) rather than derived
	// from Data.
	dbGiven bool
}

// The defaults: a SQLite file in the current folder, so that duban needs no
// set-up, and a server reachable from this machine only until someone
// chooses otherwise.
const (
	defaultDBFile = "duban.db"
	defaultData   = "."
	defaultAddr   = "127.0.0.1:8080"
	// defaultEvidenceMaxMB is cycle.MaxEvidenceSize in megabytes.
	defaultEvidenceMaxMB = cycle.MaxEvidenceSize >> 20
	maxEvidenceMaxMB     = 1024
)

// newConfig returns the defaults overridden by the environment.
func newConfig(env *Env) *Config {
	c := &Config{Data: defaultData, Addr: defaultAddr, EvidenceMaxMB: defaultEvidenceMaxMB}
	if v := strings.TrimSpace(env.Getenv("DUBAN_DATA")); v != "" {
		c.Data = v
	}
	if v := strings.TrimSpace(env.Getenv("DUBAN_ADDR")); v != "" {
		c.Addr = v
	}
	if v, err := strconv.ParseBool(strings.TrimSpace(env.Getenv("DUBAN_TRUST_PROXY"))); err == nil {
		c.TrustProxy = v
	}
	c.PublicURL = strings.TrimSpace(env.Getenv("DUBAN_PUBLIC_URL"))
	if v, err := strconv.Atoi(strings.TrimSpace(env.Getenv("DUBAN_EVIDENCE_MAX_MB"))); err == nil {
		c.EvidenceMaxMB = v
	}
	c.DB = filepath.Join(c.Data, defaultDBFile)
	if v := strings.TrimSpace(env.Getenv("DUBAN_DB")); v != "" {
		c.DB, c.dbGiven = v, true
	}
	return c
}

// bindFlags lets flags override the database and the data folder.
func (c *Config) bindFlags(fs *flag.FlagSet) {
	fs.Func("db", "数据库：SQLite 文件路径或 postgres:// 地址（环境变量 DUBAN_DB；默认为数据目录中的 duban.db）", func(v string) error {
		c.DB, c.dbGiven = v, true
		return nil
	})
	fs.BoolVar(&c.Init, "init", c.Init, "数据库不存在时新建一个空数据库（不给则拒绝，以免在误删或写错路径时从空库开始）")
	fs.Func("data", "数据目录：默认数据库 duban.db 所在的文件夹（环境变量 DUBAN_DATA；默认为当前文件夹）", func(v string) error {
		c.Data = v
		if !c.dbGiven {
			c.DB = filepath.Join(v, defaultDBFile)
		}
		return nil
	})
}

// bindServeFlags adds the server's flags.
func (c *Config) bindServeFlags(fs *flag.FlagSet) {
	c.bindFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "监听地址 主机:端口（环境变量 DUBAN_ADDR）；0.0.0.0:8080 对内网开放")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy,
		"在负载均衡之后运行：采信 X-Forwarded-Proto 和 X-Forwarded-For（环境变量 DUBAN_TRUST_PROXY=true）")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL,
		"用户打开督办系统的地址，如 https://duban.example.gov.cn，供外发消息中的链接使用（环境变量 DUBAN_PUBLIC_URL；默认不带链接）")
	fs.IntVar(&c.EvidenceMaxMB, "evidence-max-mb", c.EvidenceMaxMB, "每个附件的大小上限，单位 MB（环境变量 DUBAN_EVIDENCE_MAX_MB）；附件保存在数据目录的 evidence 文件夹中")
	fs.BoolVar(&c.NoPageCache, "no-page-cache", c.NoPageCache, "不缓存常用页面（台账、单位页面等）的渲染结果，每次请求都读库渲染；压测用它测量数据频繁变动时的速度")
}

// Validate checks the configuration before anything is opened.
func (c *Config) Validate() error {
	c.DB = strings.TrimSpace(c.DB)
	c.Addr = strings.TrimSpace(c.Addr)
	if c.Data = strings.TrimSpace(c.Data); c.Data == "" {
		c.Data = defaultData
	}
	if c.EvidenceMaxMB == 0 {
		c.EvidenceMaxMB = defaultEvidenceMaxMB
	}
	switch {
	case c.DB == "":
		return duban.Errorf(duban.EINVALID, "没有指定数据库：请用 --db 或环境变量 DUBAN_DB 给出 SQLite 文件路径或 postgres:// 地址。")
	case !sqldb.IsPostgres(c.DB) && strings.ContainsAny(c.DB, "?#"):
		return duban.Errorf(duban.EINVALID, "数据库文件路径“%s”不能含有 ? 或 #。", c.DB)
	case c.EvidenceMaxMB < 1 || c.EvidenceMaxMB > maxEvidenceMaxMB:
		return duban.Errorf(duban.EINVALID, "附件大小上限 %d MB 不正确：应在 1 到 %d MB 之间。", c.EvidenceMaxMB, maxEvidenceMaxMB)
	case c.Addr == "" || !strings.Contains(c.Addr, ":"):
		return duban.Errorf(duban.EINVALID, "监听地址“%s”不正确：应为“主机:端口”，如 127.0.0.1:8080 或 0.0.0.0:8080。", c.Addr)
	}
	if c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/"); c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return duban.Errorf(duban.EINVALID, "访问地址“%s”不正确：应为用户在浏览器中打开督办系统的地址，如 https://duban.example.gov.cn。", c.PublicURL)
		}
	}
	return nil
}

// String shows the configuration with secrets redacted, fit for logs.
func (c *Config) String() string {
	return "数据库：" + sqldb.RedactDSN(c.DB)
}
