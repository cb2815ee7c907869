// Command duban reads government work-report decomposition notices into a
// task ledger and serves the supervision workflow built on it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/dubanhq/duban"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(run(ctx, env, os.Args[1:]))
}

// Env is what a subcommand may touch of the outside world, so that tests can
// run subcommands in-process with their own input, output and environment.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// A command is one subcommand of duban.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands lists the subcommands. Each lives in its own file.
func commands() map[string]command {
	return map[string]command{
		"parse":   {"读取任务分解通知并显示结果（--json 输出 JSON）", runParse},
		"import":  {"导入通知为文件草稿；更正后的通知列出变更，--yes 应用", runImport},
		"plan":    {"审核与发布文件：list、show、tasks、edit、split、merge、assign、dismiss、expand、publish、diff、reissue", runPlan},
		"unit":    {"单位名录：list、show、tasks、add、alias、rename、kind、merge", runUnit},
		"leader":  {"领导名录：list、add、edit、tasks", runLeader},
		"audit":   {"审计日志：verify、log", runAudit},
		"migrate": {"创建或升级数据库结构（--schema 输出结构）", runMigrate},
		"demo":    {"演示：新建数据库，导入并发布示例通知，为每种角色建账号，启动网页服务", runDemo},
		"serve":   {"启动网页服务（--addr 监听地址，默认 127.0.0.1:8080）", runServe},
		"user":    {"账号：add、passwd、list（新装系统先用它创建督查室管理员）", runUser},
		"bench":   {"压测：在模拟的多年台账上另起 duban serve，测量读取与并发写入，打印每秒请求数与延迟", runBench},
	}
}

// run executes one subcommand and returns the process exit code: 0 on
// success, 1 when the command failed, 2 on a usage error.
func run(ctx context.Context, env *Env, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "duban: 未知命令 %q。\n", args[0])
		usage(env.Stderr, cmds)
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(env.Stderr, "duban %s: %s\n", args[0], duban.ErrorMessage(err))
	if duban.ErrorCode(err) == duban.EINTERNAL {
		fmt.Fprintf(env.Stderr, "详细信息：%v\n", err)
	}
	return 1
}

// errUsage is returned by a subcommand whose arguments are wrong, after it
// has printed its own usage.
var errUsage = errors.New("usage")

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for name := range cmds {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("用法：duban <命令> [参数]\n\n命令：\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", name, cmds[name].summary)
	}
	b.WriteString("\n运行 duban <命令> -h 查看该命令的参数。\n")
	io.WriteString(w, b.String())
}

// newFlagSet returns a flag set that reports errors to env.Stderr and does not
// exit the process.
func newFlagSet(env *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "用法：duban %s\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps a flag error to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
