package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

const demoSample = "../../demo/lixia-2022.md"

// cli runs duban commands in-process against one database.
type cli struct {
	t   *testing.T
	env map[string]string
}

// newCLI returns a command line whose DUBAN_DB is a new SQLite file, made
// by duban migrate as on a new install.
func newCLI(t *testing.T) *cli {
	c := &cli{t: t, env: map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "USER": "tester"}}
	c.MustRun(args("migrate"))
	return c
}

// run runs duban with args and returns the exit code and the output
// (standard output, then standard error).
func (c *cli) run(args ...string) (int, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return c.env[k] }}
	code := run(context.Background(), env, args)
	return code, out.String() + errOut.String()
}

// MustRun runs duban and fails the test unless it succeeds and its output
// contains every one of want.
func (c *cli) MustRun(args []string, want ...string) string {
	c.t.Helper()
	code, out := c.run(args...)
	if code != 0 {
		c.t.Fatalf("duban %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			c.t.Errorf("duban %s: output lacks %q:\n%s", strings.Join(args, " "), w, out)
		}
	}
	return out
}

// MustFail runs duban and fails the test unless it exits with code and its
// output contains want.
func (c *cli) MustFail(code int, args []string, want string) {
	c.t.Helper()
	got, out := c.run(args...)
	if got != code || !strings.Contains(out, want) {
		c.t.Errorf("duban %s: got exit %d, output:\n%s\nwant exit %d and %q", strings.Join(args, " "), got, out, code, want)
	}
}

func args(s string) []string { return strings.Fields(s) }

func TestImportReviewPublish(t *testing.T) {
	c := newCLI(t)
	c.MustRun([]string{"import", demoSample}, "已导入为草稿：文件 #1", "88 项任务", "9 段无人认领的段落", "名录中还没有的单位 57 个")
	c.MustRun([]string{"import", demoSample}, "已经导入过")
	c.MustRun(args("plan list"), "共 1 个文件", "草稿")
	c.MustRun(args("plan show 1"), "【一】大力实施城市更新行动", "加快放大政策集成强效应")

	// Map an abbreviation before the units exist: the full name is added
	// first, then the abbreviation points at it.
	c.MustFail(1, args("unit alias 区发改局 区发展和改革局"), "duban unit add")
	c.MustRun(args("unit add 区发展和改革局"), "已添加单位 #1 区发展和改革局（部门）")
	c.MustRun(args("unit alias 区发改局 区发展和改革局"), "即单位 #1 区发展和改革局")

	// Correct a task.
	c.MustRun([]string{"plan", "edit", "1", "1.1.1", "--units", "区发改局、区财政局", "--deadline", "2022年底前", "--target", "新增项目,>=,5,个"},
		"责任单位：区发改局、区财政局", "完成时限：2022年底前", "指标：新增项目 ≥ 5 个")
	c.MustFail(1, args("plan edit 1 1.1.1 --target 新增项目,约,5,个"), "比较方式")
	c.MustFail(2, args("plan edit 1 1.1.1"), "用法")
	c.MustFail(1, args("plan edit 1 9.9.9 --text x"), "没有任务 9.9.9")

	// Split a task and merge it back.
	c.MustRun(args("plan split 1 1.2.1 --at 继续发扬"), "已拆分为两项任务", "1.2.2 继续发扬")
	c.MustRun(args("plan merge 1 1.2.1 1.2.2"), "已把任务 1.2.2 并入")
	c.MustFail(1, args("plan split 1 1.2.1 --at 不存在的文字"), "没有“不存在的文字”")

	// Decide every unassigned statement, one by giving it owners.
	out := c.MustRun(args("plan statements 1"), "共 9 段无人认领的段落")
	ids := regexp.MustCompile(`(?m)^#(\d+)`).FindAllStringSubmatch(out, -1)
	if len(ids) != 9 {
		t.Fatalf("statement IDs: got %d, want 9", len(ids))
	}
	c.MustFail(1, args("plan publish 1"), "还有 9 段无人认领的段落")
	c.MustRun(args("plan assign 1 "+ids[0][1]+" --lead-units 区发展和改革局"), "已成为任务", "0.0.5")
	for _, id := range ids[1:] {
		c.MustRun(args("plan dismiss 1 "+id[1]+" --note 总括性表述"), "无需分配")
	}

	// Expand group terms.
	c.MustFail(1, args("plan expand 1 各街道办事处"), "还没有街道单位")
	c.MustRun(args("unit add 泉城路街道办事处"), "（街道）")
	c.MustRun(args("unit add 龙洞街道办事处"), "（街道）")
	c.MustRun(args("plan expand 1 各街道办事处"), "项任务中展开“各街道办事处”", "泉城路街道办事处、龙洞街道办事处")
	c.MustFail(1, args("plan expand 1 相关街道办事处"), "可选单位：泉城路街道办事处、龙洞街道办事处")
	c.MustRun(args("plan expand 1 相关街道办事处 --task 1.2.1 --units 龙洞街道办事处"), "在 1 项任务中展开")

	c.MustRun(args("plan publish 1"), "已发布文件 #1")
	c.MustRun(args("plan list --state published"), "已发布")
	c.MustRun(args("unit tasks 区财政局 --led --year 2022"), "共 3 项任务")
	c.MustRun(args("unit show 区发改局"), "单位 #1 区发展和改革局", "又称：区发改局", "2022 年 文件 #1：牵头")
	c.MustRun(args("leader tasks 武毅"), "武毅", "2022 年 · 文件 #1")
	c.MustRun(args("unit rename 区财政局 区财政局（国资局）"), "原名保留为别名")
	c.MustRun(args("unit merge 区审计局 区财政局"), "已并入")
	c.MustRun(args("unit list --merged"), "已合并到")
	c.MustRun(args("audit verify"), "审计日志完整")
	c.MustRun(args("audit log --limit 3"), "unit #")
	c.MustRun(args("migrate"), "已是最新")
}

// TestReissueCommand imports a corrected notice for a published plan: the
// changes are listed and applied only with --yes.
func TestReissueCommand(t *testing.T) {
	c := newCLI(t)
	c.MustRun([]string{"import", demoSample})
	out := c.MustRun(args("plan statements 1"))
	for _, id := range regexp.MustCompile(`(?m)^#(\d+)`).FindAllStringSubmatch(out, -1) {
		c.MustRun(args("plan dismiss 1 " + id[1]))
	}
	c.MustRun(args("plan publish 1"))

	data, err := os.ReadFile(demoSample)
	if err != nil {
		t.Fatal(err)
	}
	corrected := strings.Replace(string(data), "新增高新技术企业 119 家", "新增高新技术企业 125 家", 1)
	corrected = strings.Replace(corrected, "（牵头领导：李莎，牵头单位：中央商务区管委会，责任单位：区商务局、区投资促进局）", "（牵头领导：李莎，牵头单位：中央商务区管委会，责任单位：区商务局）", 1)
	if corrected == string(data) {
		t.Fatal("the correction changed nothing")
	}
	file := filepath.Join(t.TempDir(), "corrected.md")
	if err := os.WriteFile(file, []byte(corrected), 0o644); err != nil {
		t.Fatal(err)
	}
	c.MustRun([]string{"plan", "diff", "1", file}, "改写 1 项，责任变更 1 项", "新增高新技术企业 125 家", "尚未应用")
	c.MustRun([]string{"import", file}, "已有文件 #1", "改写 1 项，责任变更 1 项", "duban import --yes")
	c.MustRun([]string{"plan", "tasks", "1", "--q", "119 家"}, "共 1 项任务")
	c.MustRun([]string{"import", "--yes", file}, "已应用：新增 0 项，撤销 0 项，改写 1 项，责任变更 1 项")
	c.MustRun([]string{"plan", "tasks", "1", "--q", "125 家"}, "共 1 项任务")
	c.MustRun([]string{"import", file}, "已经导入过")
	c.MustRun(args("audit log --entity task --limit 2"), "第 2 版通知")
	c.MustRun(args("audit verify"), "审计日志完整")
}

func TestConfig(t *testing.T) {
	env := func(vars map[string]string) *Env {
		return &Env{Getenv: func(k string) string { return vars[k] }}
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
		code string
	}{
		{"default", nil, nil, "duban.db", ""},
		{"environment", map[string]string{"DUBAN_DB": "/srv/duban.db"}, nil, "/srv/duban.db", ""},
		{"flag over environment", map[string]string{"DUBAN_DB": "/srv/duban.db"}, []string{"--db", "other.db"}, "other.db", ""},
		{"bad path", nil, []string{"--db", "a?b.db"}, "a?b.db", "invalid"},
		{"empty", nil, []string{"--db", " "}, "", "invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs, cfg := dbFlagSet(env(c.env), "test", "test")
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			err := cfg.Validate()
			if got := duban.ErrorCode(err); got != c.code {
				t.Errorf("validate: got %q (%v), want %q", got, err, c.code)
			}
			if cfg.DB != c.want {
				t.Errorf("db: got %q, want %q", cfg.DB, c.want)
			}
		})
	}
	cfg := &Config{DB: "postgres://duban:s3cret@db.internal:5432/duban?sslmode=disable"}
	if s := cfg.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "db.internal") {
		t.Errorf("printed config: got %q, want the password redacted", s)
	}
}

// TestAuditVerifyCommand tampers with the log with SQL, after dropping the
// trigger that protects it, and expects duban audit verify to say so.
func TestAuditVerifyCommand(t *testing.T) {
	for _, c := range []struct {
		name string
		sql  string
	}{
		{"edited", "UPDATE audit_events SET summary = '什么也没发生' WHERE seq = 2"},
		{"deleted", "DELETE FROM audit_events WHERE seq = 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := newCLI(t)
			cl.MustRun(args("leader add 武毅"))
			cl.MustRun(args("leader add 王锐"))
			cl.MustRun(args("leader add 赵冬梅"))
			cl.MustRun(args("audit verify"), "共 3 条记录")
			raw, err := sql.Open("sqlite", cl.env["DUBAN_DB"])
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(c.sql); err == nil {
				t.Fatalf("%s: the trigger let it through", c.sql)
			}
			for _, q := range []string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete", c.sql} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			cl.MustFail(1, args("audit verify"), "审计日志不完整")
		})
	}
}
