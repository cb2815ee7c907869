package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMain lets a test run this test binary as duban itself, the way duban
// bench runs its own binary as the server it measures: with
// DUBAN_TEST_AS_DUBAN=1 in its environment it runs its arguments as duban's
// command line instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv("DUBAN_TEST_AS_DUBAN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// figuresRE reads one line of figures duban bench prints.
var figuresRE = regexp.MustCompile(`(?m)^  (.+?)：(\d+) 次，(\d+) 次/秒；延迟 p50 [\d.]+ ms，p90 [\d.]+ ms，p99 [\d.]+ ms，最大 [\d.]+ ms；非成功 (\d+)$`)

// checkRE reads what duban bench found of a rush's reports.
var checkRE = regexp.MustCompile(`(?m)^  报送后核对：服务器确认的 (\d+) 份报告，库中有 (\d+) 份`)

// TestBench runs duban bench briefly on a small made-up ledger part-way
// through its year: it builds the database, serves it from a second process, first with its page cache
// and then without, and prints figures for every kind of request under
// each, each answered and none failed, and every report of the rushes
// found afterwards; a second run reuses the database; a database it did not
// make is refused, since the bench writes on it.
func TestBench(t *testing.T) {
	t.Setenv("DUBAN_TEST_AS_DUBAN", "1")
	c := newCLI(t)
	db := filepath.Join(t.TempDir(), "bench.db")
	bench := []string{"bench", "--db", db, "--duration", "300ms", "--plans", "2", "--tasks", "40", "--units", "12", "--clients", "2", "--writers", "4", "--months", "3"}
	out := c.MustRun(bench, "2 个计划，80 项任务，12 个单位", "新建", "另一进程", "只用 1 个 Go 处理器", "一分钟平均负载", "测量结束")
	cached, uncached, ok := strings.Cut(out, "== 不用页面缓存")
	if !ok || !strings.Contains(cached, "== 使用页面缓存") {
		t.Fatalf("want figures with the page cache, then without:\n%s", out)
	}
	for _, part := range []struct {
		out   string
		names []string
	}{
		{cached, []string{"台账（按单位筛选）", "单位页面", "一屏统览", "政务公开", "修改任务（督查室）", "发表意见（单位联络员）", "读取（联络员发表意见时）", "读取",
			"打开填报表单（单位联络员）", "报送报告（单位联络员）", "读取（报送高峰时）", "一屏统览（每秒 500 次）", "读取（报送高峰时，每秒 1000 次）"}},
		{uncached, []string{"台账（按单位筛选）", "单位页面", "一屏统览", "政务公开", "读取（联络员发表意见时）", "读取", "修改任务（督查室）", "发表意见（单位联络员）",
			"打开填报表单（单位联络员）", "报送报告（单位联络员）", "读取（报送高峰时）", "一屏统览（每秒 500 次）", "读取（报送高峰时，每秒 1000 次）"}},
	} {
		got := map[string]int{}
		for _, m := range figuresRE.FindAllStringSubmatch(part.out, -1) {
			n, _ := strconv.Atoi(m[2])
			got[m[1]] += n
			if m[4] != "0" {
				t.Errorf("%s: %s answers were not a success:\n%s", m[1], m[4], out)
			}
		}
		for _, name := range part.names {
			if got[name] == 0 {
				t.Errorf("no request answered for %s:\n%s", name, part.out)
			}
		}
		checks := checkRE.FindAllStringSubmatch(part.out, -1)
		if len(checks) != 3 {
			t.Errorf("want the reports of three rushes checked:\n%s", part.out)
		}
		for _, m := range checks {
			if m[1] != m[2] || m[1] == "0" {
				t.Errorf("of %s reports acknowledged, %s found:\n%s", m[1], m[2], part.out)
			}
		}
	}
	c.MustRun(bench, "2 个计划，80 项任务，12 个单位（"+db+"，已有）")

	c.MustRun([]string{"import", demoSample})
	c.MustFail(1, []string{"bench", "--db", c.env["DUBAN_DB"], "--duration", "100ms"}, "不是 duban bench 建的")
	c.MustFail(2, []string{"bench", "--writers", "1"}, "用法")
}
