package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
)

// runImport imports a notice as a draft plan; for a notice that is a new
// issue of a stored plan it lists the changes and applies them with --yes.
func runImport(ctx context.Context, env *Env, args []string) error {
	fs, cfg := dbFlagSet(env, "import", "import [--db 数据库] [--year 年份] [--yes] 文件|-")
	year := fs.Int("year", 0, "文件年份（通知中没有读到年份时使用）")
	yes := fs.Bool("yes", false, "确认应用更正后的通知带来的变更")
	a, pos, err := start(ctx, env, fs, cfg, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	in, err := readImport(env, pos[0], *year)
	if err != nil {
		return err
	}
	res, err := a.plans.ImportPlan(a.ctx, in)
	if err != nil {
		return err
	}
	w := env.Stdout
	switch res.Outcome {
	case duban.ImportUnchanged:
		fmt.Fprintf(w, "这个文件已经导入过：文件 #%d %s（%s），没有新建任何内容。\n", res.Plan.ID, res.Plan.Name(), res.Plan.State.Label())
		return nil
	case duban.ImportReissue:
		fmt.Fprintf(w, "这是已有文件 #%d %s（%s）的更正通知。\n", res.Plan.ID, res.Plan.Name(), res.Plan.State.Label())
		return confirmReissue(a, env, res.Plan.ID, in, res.Diff, *yes, "duban import --yes "+pos[0])
	}
	p := res.Plan
	fmt.Fprintf(w, "已导入为草稿：文件 #%d %s\n", p.ID, p.Name())
	fmt.Fprintf(w, "  %s，%d 个重点领域，%d 项任务，%d 段无人认领的段落，%d 条读取提示（duban plan show %d 查看）。\n",
		sectionsText(p), len(p.Areas), p.TaskCount, p.OpenStatements, len(p.Warnings), p.ID)
	if n := len(res.NewUnits); n > 0 {
		fmt.Fprintf(w, "  名录中还没有的单位 %d 个：%s\n", n, strings.Join(res.NewUnits, "、"))
	}
	if n := len(res.NewLeaders); n > 0 {
		fmt.Fprintf(w, "  名录中还没有的领导 %d 位：%s\n", n, strings.Join(res.NewLeaders, "、"))
	}
	if len(res.NewUnits)+len(res.NewLeaders) > 0 {
		fmt.Fprintf(w, "  发布时它们将加入名录；如果某个名称是已有单位的简称，请先把它对应到已有单位：duban unit alias 简称 全称。\n")
	}
	fmt.Fprintf(w, "下一步：duban plan show %d 审核，处理无人认领的段落后 duban plan publish %d 发布。\n", p.ID, p.ID)
	return nil
}

// sectionsText counts a plan's top-level parts, named by the notice's own
// word for them (行动, or 部分), and says whether it opens with the main
// expected targets (section 0).
func sectionsText(p *duban.Plan) string {
	actions, targets := 0, false
	for _, s := range p.Sections {
		if s.No == 0 {
			targets = true
		} else {
			actions++
		}
	}
	if targets {
		return fmt.Sprintf("主要预期目标与 %d 个%s", actions, p.SectionWord())
	}
	return fmt.Sprintf("%d 个%s", actions, p.SectionWord())
}

// confirmReissue prints the changes a new issue of a plan's notice makes and
// applies them when yes; otherwise it says how to confirm.
func confirmReissue(a *app, env *Env, planID int64, in duban.ImportInput, d *duban.PlanDiff, yes bool, confirm string) error {
	w := env.Stdout
	printDiff(w, d)
	if d.Empty() {
		fmt.Fprintf(w, "新通知与文件没有差别，无需更正。\n")
		return nil
	}
	if !yes {
		fmt.Fprintf(w, "\n以上变更尚未应用。核对无误后运行：%s\n", confirm)
		return nil
	}
	applied, err := a.plans.ReissuePlan(a.ctx, planID, in)
	if err != nil {
		return err
	}
	n := applied.Counts()
	fmt.Fprintf(w, "\n已应用：新增 %d 项，撤销 %d 项，改写 %d 项，责任变更 %d 项，时限变更 %d 项；每项变更已记入任务的历史。\n",
		n.Added, n.Removed, n.Reworded, n.OwnersChanged, n.DeadlineChanged)
	return nil
}

// printDiff lists what a new issue of a notice changes, task by task.
func printDiff(w io.Writer, d *duban.PlanDiff) {
	n := d.Counts()
	fmt.Fprintf(w, "与文件 #%d 相比：新增 %d 项，删除 %d 项，改写 %d 项，责任变更 %d 项，时限变更 %d 项，未变 %d 项。\n",
		d.Plan.ID, n.Added, n.Removed, n.Reworded, n.OwnersChanged, n.DeadlineChanged, n.Unchanged)
	if d.DocumentChanged {
		fmt.Fprintf(w, "  通知信息：%s %s %s → %s %s %s\n", d.Plan.DocNumber, d.Plan.Date, d.Plan.Title,
			d.Document.DocNumber, d.Document.Date, d.Document.Title)
	}
	if d.StructureChanged {
		fmt.Fprintf(w, "  各部分或重点领域的标题有变化，将按新通知更新。\n")
	}
	for _, c := range d.Changes {
		switch c.Kind {
		case duban.ChangeAdded:
			fmt.Fprintf(w, "+ 新增 %s %s\n      %s\n", c.New.No, c.New.Text, issuedOwners(duban.Issued(c.New)))
		case duban.ChangeRemoved:
			fmt.Fprintf(w, "- 删除 %s %s\n", c.Task.No, c.Task.Text)
		case duban.ChangeModified:
			fmt.Fprintf(w, "~ 变更 %s（原 %s）：\n", c.New.No, c.Task.No)
			is := c.Task.Issued
			if c.Reworded {
				fmt.Fprintf(w, "      原文：%s\n      新文：%s\n", is.Text, c.New.Text)
			}
			if c.OwnersChanged {
				fmt.Fprintf(w, "      原责任：%s\n      新责任：%s\n", issuedOwners(is), issuedOwners(duban.Issued(c.New)))
			}
			if c.DeadlineChanged {
				fmt.Fprintf(w, "      完成时限：%q → %q\n", is.Deadline, c.New.Deadline)
			}
		}
	}
	for _, s := range d.StatementsAdded {
		fmt.Fprintf(w, "+ 新的无人认领的段落：%s\n", cut(s.Text, 60))
	}
	for _, s := range d.StatementsRemoved {
		fmt.Fprintf(w, "- 不再出现的无人认领的段落 #%d：%s\n", s.ID, cut(s.Text, 60))
	}
}

func issuedOwners(is *duban.IssuedTask) string {
	t := &duban.Task{
		LeadLeaders: duban.OwnersNamed(is.LeadLeaders), LeadUnits: duban.OwnersNamed(is.LeadUnits),
		ResponsibleUnits: duban.OwnersNamed(is.ResponsibleUnits), Deadline: is.Deadline,
	}
	return ownersText(t)
}

// readImport reads a notice file (or standard input for "-") for import: any
// format the reader takes, or a reading in the duban.extraction/v1 JSON that
// duban parse --json writes (perhaps corrected by hand). year, when not 0,
// is the plan's year whatever the notice says.
func readImport(env *Env, path string, year int) (duban.ImportInput, error) {
	in := duban.ImportInput{Name: filepath.Base(path)}
	var r io.Reader = env.Stdin
	if path == "-" {
		in.Name = "标准输入"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return in, &duban.Error{Code: duban.EINVALID, Message: fmt.Sprintf("无法打开文件 %s：%s", path, osReason(err)), Err: err}
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, notice.MaxInput+1))
	if err != nil {
		return in, &duban.Error{Code: duban.EINVALID, Message: "无法读取文件：" + err.Error(), Err: err}
	}
	in.Data = data
	if in.Reading, err = readReading(path, data); err != nil {
		return in, err
	}
	if year != 0 {
		in.Reading.Document.Year = year
	}
	return in, nil
}

// readReading reads a reading from a notice's bytes, or takes it as written
// when the bytes are a duban.extraction/v1 JSON reading.
func readReading(name string, data []byte) (*duban.Reading, error) {
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte("{")) {
		var r duban.Reading
		if err := json.Unmarshal(trimmed, &r); err == nil && r.Schema == duban.ReadingSchema {
			return &r, nil
		}
	}
	return notice.Read(name, data)
}
