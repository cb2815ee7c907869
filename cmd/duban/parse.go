package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
)

// runParse reads a notice and prints the reading: a summary for a person, or
// the duban.extraction/v1 JSON with --json.
func runParse(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "parse", "parse [--json] [--full] 文件|-\n"+notice.Formats)
	asJSON := fs.Bool("json", false, "输出 duban.extraction/v1 JSON（标准输出只有 JSON）")
	full := fs.Bool("full", false, "显示任务全文（默认每项任务只显示前 60 个字）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	r, err := readNotice(env, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	width := 60
	if *full {
		width = 0
	}
	printReading(env.Stdout, r, width)
	return nil
}

// readNotice reads the notice at path, or standard input for "-".
func readNotice(env *Env, path string) (*duban.Reading, error) {
	if path == "-" {
		return notice.ReadFrom("", env.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: fmt.Sprintf("无法打开文件 %s：%s", path, osReason(err)), Err: err}
	}
	defer f.Close()
	return notice.ReadFrom(path, f)
}

// osReason says in Chinese why a file could not be opened.
func osReason(err error) string {
	switch {
	case os.IsNotExist(err):
		return "文件不存在，请检查路径"
	case os.IsPermission(err):
		return "没有读取权限"
	}
	return err.Error()
}

// printReading writes a reading for a person to check: the letterhead, the
// counts, every section, area and task with its owners and targets, the
// unassigned text, and the warnings with their line numbers. Task texts are
// cut to width characters (0: whole).
func printReading(w io.Writer, r *duban.Reading, width int) {
	d := r.Document
	var b strings.Builder
	if d.Title != "" {
		fmt.Fprintf(&b, "%s\n", d.Title)
	}
	var meta []string
	for _, s := range []string{d.Issuer, d.DocNumber, d.Date} {
		if s != "" {
			meta = append(meta, s)
		}
	}
	if len(meta) > 0 {
		fmt.Fprintf(&b, "%s\n", strings.Join(meta, " · "))
	}
	targets := 0
	for _, t := range r.Tasks {
		targets += len(t.Indicators)
	}
	sections := 0
	for _, s := range r.Sections {
		if s.No > 0 {
			sections++
		}
	}
	fmt.Fprintf(&b, "\n%d 个行动 · %d 个重点领域 · %d 项任务 · %d 个量化指标 · %d 段无人认领 · %d 条提示\n",
		sections, len(r.Areas), len(r.Tasks), targets, len(r.Unassigned), len(r.Warnings))

	for _, s := range r.Sections {
		if s.No == 0 {
			fmt.Fprintf(&b, "\n【%s】\n", s.Title)
		} else {
			fmt.Fprintf(&b, "\n【%s、%s】\n", chineseOrdinal(s.No), s.Title)
		}
		printArea(&b, r, s.No, 0, width)
		for _, a := range r.Areas {
			if a.Section == s.No {
				fmt.Fprintf(&b, "\n  （%d）%s\n", a.No, a.Title)
				printArea(&b, r, s.No, a.No, width)
			}
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n提示（请对照原文核对）：\n")
		for _, wn := range r.Warnings {
			fmt.Fprintf(&b, "  - %s\n", wn.Message)
		}
	}
	io.WriteString(w, b.String())
}

// printArea writes the tasks and unassigned text of one area (or of a
// section, for area 0).
func printArea(b *strings.Builder, r *duban.Reading, section, area, width int) {
	for _, t := range r.Tasks {
		if t.Section != section || t.Area != area {
			continue
		}
		fmt.Fprintf(b, "    %s %s\n", t.No, cut(t.Text, width))
		var owners []string
		for _, o := range []struct {
			label string
			names []string
		}{{"牵头领导", t.LeadLeaders}, {"牵头单位", t.LeadUnits}, {"责任单位", t.ResponsibleUnits}} {
			if len(o.names) > 0 {
				owners = append(owners, o.label+"："+strings.Join(o.names, "、"))
			}
		}
		if t.Deadline != "" {
			owners = append(owners, "完成时限："+t.Deadline)
		}
		if len(owners) > 0 {
			fmt.Fprintf(b, "          %s\n", strings.Join(owners, "  "))
		}
		for _, ind := range t.Indicators {
			fmt.Fprintf(b, "          指标：%s %s\n", ind.Metric, ind.Goal())
		}
	}
	for _, u := range r.Unassigned {
		if u.Section == section && u.Area == area {
			fmt.Fprintf(b, "    ！无人认领：%s\n", cut(u.Text, width))
		}
	}
}

// cut shortens s to n characters with an ellipsis; n = 0 keeps it whole.
func cut(s string, n int) string {
	rs := []rune(s)
	if n <= 0 || len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

// chineseOrdinal writes 1…99 as 一…九十九.
func chineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
