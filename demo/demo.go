// Package demo carries the sample notice inside the binary and loads it into
// a store, so that duban demo shows the product on a real notice with nothing
// to fetch or set up; and it makes up a ledger of many years (synthetic.go),
// so that benchmarks measure at the size a district reaches.
package demo

import (
	"context"
	_ "embed"
	"slices"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
)

// The sample: the 2022 decomposition notice of Lixia District, Jinan (历下政办字
// 〔2022〕3号), a copy of notice/testdata/corpus/lixia-2022/source.md.
//
//go:embed lixia-2022.md
var sample []byte

// SampleName is the sample notice's file name.
const SampleName = "lixia-2022.md"

// Sample returns the sample notice's bytes.
func Sample() []byte { return sample }

// Services are the services Load works through, so that any store (or a
// server's) can be loaded.
type Services struct {
	Plans duban.PlanService
	Tasks duban.TaskService
	Units duban.UnitService
}

// Streets are the street offices of Lixia District, which the sample's
// 各街道办事处 and 相关街道办事处 stand for; the notice names two of them.
var Streets = []string{
	"解放路街道办事处", "千佛山街道办事处", "趵突泉街道办事处", "泉城路街道办事处", "大明湖街道办事处",
	"东关街道办事处", "文东街道办事处", "建新街道办事处", "甸柳街道办事处", "燕山街道办事处",
	"姚家街道办事处", "龙洞街道办事处", "智远街道办事处", "舜华路街道办事处",
}

// chosenMembers are the members of the sample's group terms that stand for
// some units the notice does not name, as an office would choose them; the
// other terms stand for every unit of their kind (各街道办事处: every street).
var chosenMembers = map[string][]string{
	"各产业主管部门": {"区发展和改革局", "区工业和信息化局", "区科学技术局", "区商务局", "区文化和旅游局", "区地方金融监督管理局"},
	"落实全市“东强”战略工作推进指挥部成员单位": {"区发展和改革局", "区自然资源局", "区住房和城市建设局", "区投资促进局", "区商务局"},
}

// Result says what Load did and how long each step took.
type Result struct {
	Plan       *duban.Plan
	Units      int // units the plan's tasks name
	Groups     int // group terms given their members
	Dismissed  int // unassigned statements marked as needing no owner
	Read       time.Duration
	Import     time.Duration
	Publish    time.Duration
	Directory  time.Duration // entering the units and the groups' members
	NewLeaders int
}

// Took is the whole time Load took.
func (r *Result) Took() time.Duration { return r.Read + r.Import + r.Directory + r.Publish }

// Load reads the sample notice, imports it as a draft, enters the units it
// names into the directory with the district's streets, gives each group
// term its members (the units of the kind it names: 各街道办事处 every
// street), marks its unassigned statements as needing no owner (a
// demonstration has nobody to ask) and publishes it, every group reaching
// its units. ctx must carry a user who may do all that (the office).
func Load(ctx context.Context, s Services) (*Result, error) {
	res := &Result{}
	t0 := time.Now()
	r, err := notice.Read(SampleName, sample)
	if err != nil {
		return nil, err
	}
	t1 := time.Now()
	imp, err := s.Plans.ImportPlan(ctx, duban.ImportInput{Name: SampleName, Data: sample, Reading: r})
	if err != nil {
		return nil, err
	}
	if imp.Outcome != duban.ImportCreated {
		return nil, duban.Errorf(duban.ECONFLICT, "示例通知已导入过（文件 #%d）：演示需要一个新的数据库。", imp.Plan.ID)
	}
	res.NewLeaders = len(imp.NewLeaders)
	t2 := time.Now()
	if res.Groups, err = enterDirectory(ctx, s, imp.NewUnits); err != nil {
		return nil, err
	}
	res.Directory = time.Since(t2)
	open := duban.StatementOpen
	statements, _, err := s.Tasks.FindStatements(ctx, duban.StatementFilter{PlanID: &imp.Plan.ID, State: &open})
	if err != nil {
		return nil, err
	}
	for _, st := range statements {
		if _, err := s.Tasks.DismissStatement(ctx, st.ID, "演示：无需单独分工"); err != nil {
			return nil, err
		}
	}
	res.Dismissed = len(statements)
	if res.Plan, err = s.Plans.PublishPlan(ctx, imp.Plan.ID); err != nil {
		return nil, err
	}
	t3 := time.Now()
	if _, res.Units, err = s.Units.FindUnits(ctx, duban.UnitFilter{PlanID: &res.Plan.ID, Limit: 1}); err != nil {
		return nil, err
	}
	res.Read, res.Import, res.Publish = t1.Sub(t0), t2.Sub(t1), t3.Sub(t2)-res.Directory
	return res, nil
}

// enterDirectory adds the names the notice brings as units, of the kind
// their names suggest (as publishing would), and the streets it does not
// name, then gives each group term among them its members: the units of its
// kind, or those chosenMembers names. It returns how many groups it gave
// members.
func enterDirectory(ctx context.Context, s Services, names []string) (int, error) {
	var groups []*duban.Unit
	for _, name := range append(slices.Clone(names), Streets...) {
		if _, n, err := s.Units.FindUnits(ctx, duban.UnitFilter{Name: &name, Limit: 1}); err != nil || n > 0 {
			if err != nil {
				return 0, err
			}
			continue
		}
		u := &duban.Unit{Name: name, Kind: duban.GuessUnitKind(name)}
		if err := s.Units.CreateUnit(ctx, u); err != nil {
			return 0, err
		}
		if u.Kind == duban.UnitGroup {
			groups = append(groups, u)
		}
	}
	for _, g := range groups {
		scope, _ := duban.ScopeOfGroup(g.Name)
		filters := []duban.UnitFilter{{Kind: &scope.Kind}}
		if names, ok := chosenMembers[g.Name]; ok {
			filters = nil
			for _, n := range names {
				filters = append(filters, duban.UnitFilter{Name: &n})
			}
		}
		var members []int64
		for _, f := range filters {
			units, _, err := s.Units.FindUnits(ctx, f)
			if err != nil {
				return 0, err
			}
			for _, u := range units {
				members = append(members, u.ID)
			}
		}
		if _, err := s.Units.SetGroupMembers(ctx, g.ID, members); err != nil {
			return 0, err
		}
	}
	return len(groups), nil
}
