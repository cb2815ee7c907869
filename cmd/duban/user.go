package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
)

// runUser keeps the accounts from the command line: duban user <verb>. The
// office makes its first administrator here on a new install; after that,
// the accounts page does the same.
func runUser(ctx context.Context, env *Env, args []string) error {
	return runVerbs(ctx, env, "user", map[string]command{
		"add":    {"新建账号（--role admin|leader|clerk|viewer），并设置密码", userAdd},
		"passwd": {"重置账号的密码（同时退出该账号的所有登录，吊销其 API 令牌）", userPasswd},
		"list":   {"列出账号", userList},
	}, args)
}

// passwordFlag is the choice between a password read from standard input
// and one made up and printed.
func passwordFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("password-stdin", false, "从标准输入读取密码（一行）；不给则随机生成并显示")
}

// readPassword returns the password to set: the first line of standard
// input, or a random one, which printed says it was made up.
func readPassword(env *Env, fromStdin bool) (pw string, random bool, err error) {
	if !fromStdin {
		return auth.RandomPassword(), true, nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, duban.Errorf(duban.EINVALID, "没有从标准输入读到密码：请输入一行密码，如 echo '密码' | duban user add …")
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

func userAdd(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "user add", "user add 登录名 --role admin|leader|clerk|viewer [--name 姓名] [--unit 单位] [--leader 领导] [--password-stdin]")
	role := fs.String("role", "", "角色：admin（督查室管理员）、leader（领导）、clerk（单位联络员）或 viewer（查看者）")
	display := fs.String("name", "", "显示名称，通常是姓名")
	unit := fs.String("unit", "", "单位联络员所属的单位（名称或 #编号）")
	leader := fs.String("leader", "", "领导账号对应的领导（姓名或 #编号）")
	stdin := passwordFlag(fs)
	// The first administrator is made on a new install: the database with it.
	cfg.Init = true
	a, pos, err := start(ctx, env, fs, cfg, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	u := &duban.User{Name: pos[0], DisplayName: *display, Role: duban.Role(*role)}
	if *unit != "" {
		un, err := a.unit(*unit)
		if err != nil {
			return err
		}
		u.UnitID = un.ID
	}
	if *leader != "" {
		l, err := a.leader(*leader)
		if err != nil {
			return err
		}
		u.LeaderID = l.ID
	}
	// The password is checked before the account is made, so that a bad
	// one does not leave an account nobody can sign in to.
	pw, random, err := readPassword(env, *stdin)
	if err != nil {
		return err
	}
	if err := duban.ValidatePassword(pw); err != nil {
		return err
	}
	if err := a.users.CreateUser(a.ctx, u); err != nil {
		return err
	}
	if err := a.auth.SetPassword(a.ctx, u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已新建账号 #%d %s，角色%s。\n", u.ID, u.Label(), u.Role.Label())
	if random {
		fmt.Fprintf(env.Stdout, "密码：%s（请妥善转交，登录后可由督查室重置）\n", pw)
	}
	return nil
}

func userPasswd(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "user passwd", "user passwd 登录名 [--password-stdin]")
	stdin := passwordFlag(fs)
	a, pos, err := start(ctx, env, fs, cfg, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	users, _, err := a.users.FindUsers(a.ctx, duban.UserFilter{Name: &pos[0]})
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return duban.Errorf(duban.ENOTFOUND, "没有登录名为“%s”的账号：用 duban user list 查看。", pos[0])
	}
	pw, random, err := readPassword(env, *stdin)
	if err != nil {
		return err
	}
	if err := a.auth.SetPassword(a.ctx, users[0].ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已重置账号 %s 的密码，该账号的所有登录已退出，API 令牌已全部吊销。\n", users[0].Label())
	if random {
		fmt.Fprintf(env.Stdout, "新密码：%s\n", pw)
	}
	return nil
}

func userList(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "user list", "user list")
	a, _, err := start(ctx, env, fs, cfg, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	users, total, err := a.users.FindUsers(a.ctx, duban.UserFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "共 %d 个账号\n", total)
	for _, u := range users {
		binding := ""
		if u.UnitID != 0 {
			un, err := a.units.FindUnitByID(a.ctx, u.UnitID)
			if err != nil {
				return err
			}
			binding = "  单位：" + un.Name
		}
		if u.LeaderID != 0 {
			l, err := a.leaders.FindLeaderByID(a.ctx, u.LeaderID)
			if err != nil {
				return err
			}
			binding = "  领导：" + l.Name
		}
		state := ""
		if u.Disabled {
			state = "  ［已停用］"
		}
		fmt.Fprintf(env.Stdout, "#%-4d %-16s %-8s %s%s%s\n", u.ID, u.Name, u.Role.Label(), u.DisplayName, binding, state)
	}
	return nil
}
