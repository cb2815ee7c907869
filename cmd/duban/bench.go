package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/load"
	"github.com/dubanhq/duban/sqldb"
)

// duban bench runs load.Bench against duban serve from this same binary,
// so that the installed binary measures the machine it runs on, and prints
// the figures; it fails only when an answer was not a success.

// The targets the figures are read against, printed with them.
const benchTargets = "目标：台账与单位页面各 ≥ 1000 次/秒且 p99 ≤ 20 ms（报送高峰时亦然）；一屏统览（数据未变时取自页面缓存）≥ 500 次/秒且 p99 ≤ 50 ms；" +
	"政务公开 ≥ 2000 次/秒；写入的非成功应答为 0；报送高峰每分钟 2000 份报告，p99 ≤ 100 ms，确认的报告事后全部在库。" +
	"标明“每秒 N 次”的测量按目标负载定速发送请求，看该负载下的延迟；其余测量请求一个接一个，看最多能应答多少。"

func runBench(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "bench", "bench [--db 数据库] [--duration 10s] [--rush 1m --reports 2000] [--clients 8] [--writers 10] [--plans 20 --tasks 300 --units 150]")
	dsn := fs.String("db", "", "压测用的数据库（SQLite 文件或 postgres:// 地址），没有数据时新建模拟台账；默认在临时文件夹中新建，用后删除。不要用正式数据库：压测会修改任务、发表意见")
	dur := fs.Duration("duration", 10*time.Second, "每项测量的时长")
	readers := fs.Int("clients", 8, "读取时同时请求的客户端数")
	writers := fs.Int("writers", 10, "写入时同时请求的客户端数：一半是督查室修改任务，一半是单位联络员发表意见")
	rush := fs.Duration("rush", 0, "报送高峰的时长（每个单位一名联络员通过填报表单报送），默认同 --duration")
	rate := fs.Int("reports", load.DefaultRushRate, "报送高峰每分钟报送的报告数")
	size := demo.FullSize
	fs.IntVar(&size.Plans, "plans", size.Plans, "新建模拟台账时的计划数（每年一个）")
	fs.IntVar(&size.Tasks, "tasks", size.Tasks, "每个计划的任务数")
	fs.IntVar(&size.Units, "units", size.Units, "单位数")
	months := fs.Int("months", 7, "新建模拟台账时各计划已填报的月数")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *dur <= 0 || *rush < 0 || *rate < 1 || *readers < 1 || *writers < 2 || size.Plans < 1 || size.Tasks < 1 || size.Units < 2 || *months < 1 || *months > 12 {
		fs.Usage()
		return errUsage
	}
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "duban-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "bench.db")
	}
	if err := (&Config{DB: *dsn, Addr: defaultAddr}).Validate(); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	b := &load.Bench{DSN: *dsn, Size: size, Actor: cliUser(env), Duration: *dur, Readers: *readers, Writers: *writers, Months: *months, Rush: *rush, RushRate: *rate,
		Serve: func(dsn string, cached bool) *exec.Cmd {
			args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--trust-proxy"}
			if !cached {
				args = append(args, "--no-page-cache")
			}
			return exec.Command(exe, args...)
		},
		Report: benchPrinter{w: env.Stdout, dsn: *dsn}}
	failed, err := b.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\n测量结束%s。\n", systemLoad())
	if failed > 0 {
		return duban.Errorf(duban.EINTERNAL, "服务器有 %d 次应答不是成功（见上）。", failed)
	}
	return nil
}

// systemLoad says how busy the machine was over the last minute, where the
// system tells.
func systemLoad() string {
	if l := load.SystemLoad(); l != "" {
		return "，一分钟平均负载 " + l
	}
	return ""
}

// benchPrinter prints what the bench does as it does it.
type benchPrinter struct {
	w   io.Writer
	dsn string
}

func (p benchPrinter) Ready(d *load.Data) {
	how := "已有"
	if d.Built {
		how = fmt.Sprintf("新建，用时 %.1f s", d.Took.Seconds())
	}
	fmt.Fprintf(p.w, "duban bench：%d 个计划，%d 项任务，%d 个单位（%s，%s）\n", d.Plans, d.Tasks, d.Units, sqldb.RedactDSN(p.dsn), how)
	fmt.Fprintf(p.w, "本机 %d 核%s。%s\n", runtime.NumCPU(), systemLoad(), benchTargets)
}

func (p benchPrinter) Serving(cached bool, url string, pid int) {
	how := "使用页面缓存：列表所示数据未变时（发表意见不算），常用页面只渲染一次"
	if !cached {
		how = "不用页面缓存（--no-page-cache）：每次请求都读库渲染，如同数据不断变动时"
	}
	fmt.Fprintf(p.w, "\n== %s\n服务：%s，duban serve 在另一进程（pid %d）。\n", how, url, pid)
}

func (p benchPrinter) Starting(s load.Step) {
	// How the readers read: back to back, or together at a steady rate.
	pace := "，请求一个接一个"
	if s.Rate > 0 {
		pace = fmt.Sprintf("，共每秒 %.0f 次（延迟从每次请求排定的时刻算起；压测程序此时只用 %d 个 Go 处理器）", s.Rate, load.PacedProcs)
	}
	switch s.Kind {
	case load.ReadPage:
		fmt.Fprintf(p.w, "\n%s GET %s，%d 个客户端%s，%s（先把每个单位的页面请求一次预热）%s\n", s.Page, s.Path, s.Readers, pace, s.Duration, systemLoad())
	case load.Writes:
		fmt.Fprintf(p.w, "\n写入：%d 个客户端同时，%s%s\n", s.Writers, s.Duration, systemLoad())
	case load.ReadsWhileCommenting:
		fmt.Fprintf(p.w, "\n读取与发表意见同时：%d 个客户端读取（台账与单位页面交替），%d 个单位联络员发表意见（如月报周），%s%s\n", s.Readers, s.Commenters, s.Duration, systemLoad())
	case load.ReadsWhileWriting:
		fmt.Fprintf(p.w, "\n读写同时：%d 个客户端读取（台账与单位页面交替），%d 个客户端写入，%s%s\n", s.Readers, s.Writers, s.Duration, systemLoad())
	case load.Rush:
		fmt.Fprintf(p.w, "\n报送高峰：%d 个单位联络员各自登录，%s 内报送 %d 份报告（每份先打开填报表单再报送）%s\n", s.Writers, s.Duration, s.Reports, systemLoad())
	case load.ReadsDuringRush:
		fmt.Fprintf(p.w, "\n报送高峰时读取：%d 个客户端读取（台账与单位页面交替%s），%d 个单位联络员 %s 内报送 %d 份报告%s\n", s.Readers, pace, s.Writers, s.Duration, s.Reports, systemLoad())
	}
}

func (p benchPrinter) Measured(r *load.Result) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(p.w, "  %s：%d 次，%.0f 次/秒；延迟 p50 %s，p90 %s，p99 %s，最大 %s；非成功 %d\n",
		r.Name, r.Requests, r.Rate(), ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)), ms(r.Max()), r.Failed())
	kinds := make([]string, 0, len(r.Failures))
	for k := range r.Failures {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(p.w, "    %s × %d，如：%s\n", k, r.Failures[k], r.Examples[k])
	}
}

func (p benchPrinter) RushChecked(c *load.RushCheck) {
	fmt.Fprintf(p.w, "  报送后核对：服务器确认的 %d 份报告，库中有 %d 份（已报送，内容一致）\n", c.Acknowledged, c.Found)
	for _, s := range c.Problems {
		fmt.Fprintf(p.w, "    %s\n", s)
	}
	for _, e := range c.Recomputed {
		fmt.Fprintf(p.w, "  其间服务器的定时任务补算了计划 #%d 的状态灯（%s，%s）：所及单位的页面随之重读，此项测量不只是报送本身\n",
			e.PlanID, e.Summary, e.At.In(duban.Beijing).Format("15:04:05"))
	}
}

func (p benchPrinter) ServerErrors(errs []string) {
	fmt.Fprintf(p.w, "服务器日志中最先的错误和警告：\n  %s\n", strings.Join(errs, "\n  "))
}
