// Package demo carries the sample notice inside the binary and loads it into
// a store, so that duban demo shows the product on a real notice with nothing
// to fetch or set up; and it makes up a ledger of many years (synthetic.go),
// so that benchmarks measure at the size a district reaches.
package demo

import (
	"context"
	_ "embed"
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

// Result says what Load did and how long each step took.
type Result struct {
	Plan       *duban.Plan
	Units      int // units the plan's tasks name
	Dismissed  int // unassigned statements marked as needing no owner
	Read       time.Duration
	Import     time.Duration
	Publish    time.Duration
	NewLeaders int
}

// Took is the whole time Load took.
func (r *Result) Took() time.Duration { return r.Read + r.Import + r.Publish }

// Load reads the sample notice, imports it as a draft, marks its unassigned
// statements as needing no owner (a demonstration has nobody to ask) and
// publishes it. ctx must carry a user who may do all that (the office).
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
		return nil, duban.Errorf(duban.ECONFLICT, "示例通知已导入过（计划 #%d）：演示需要一个新的数据库。", imp.Plan.ID)
	}
	res.NewLeaders = len(imp.NewLeaders)
	t2 := time.Now()
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
	res.Read, res.Import, res.Publish = t1.Sub(t0), t2.Sub(t1), t3.Sub(t2)
	return res, nil
}
