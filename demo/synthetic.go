package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dubanhq/duban"
)

// Size is the size of a made-up ledger: a district after years of use,
// which no real notice gives at once. The store's benchmarks and duban
// bench measure on it, so that both speak of the same data.
type Size struct {
	Plans int // one plan a year, from FirstSyntheticYear on
	Tasks int // tasks in each plan
	Units int // units the tasks are spread over
}

// FullSize is the ledger the speed targets are set for: 20 years of 300
// tasks over 150 units.
var FullSize = Size{Plans: 20, Tasks: 300, Units: 150}

// FirstSyntheticYear is the year of a made-up ledger's first plan.
const FirstSyntheticYear = 2006

// SyntheticLeaders is how many leaders a made-up plan's tasks are led by.
const SyntheticLeaders = 12

// SyntheticReading is a notice of the given year with tasks spread over 7
// sections of 3 areas, each task led by one of the units and shared by two
// to four others, led by one of 12 leaders, and with one target. Every
// year names the same units and leaders, so that a unit's page gathers
// tasks across the years as a real one does.
func SyntheticReading(year, tasks, units int) *duban.Reading {
	r := &duban.Reading{
		Schema: duban.ReadingSchema,
		Document: duban.DocumentInfo{
			Region: "济南市历下区", Year: year, DocNumber: fmt.Sprintf("历下政办字〔%d〕3号", year),
			Title: fmt.Sprintf("关于印发 %d 年《政府工作报告》目标任务分解的通知", year),
		},
	}
	for s := 1; s <= 7; s++ {
		r.Sections = append(r.Sections, duban.ReadSection{No: s, Title: fmt.Sprintf("第%d项行动", s)})
		for a := 1; a <= 3; a++ {
			r.Areas = append(r.Areas, duban.ReadArea{Section: s, No: a, Title: fmt.Sprintf("重点%d-%d", s, a)})
		}
	}
	for i := range tasks {
		s, a := 1+i%7, 1+(i/7)%3
		t := duban.ReadTask{
			No: fmt.Sprintf("%d.%d.%d", s, a, 1+i/21), Section: s, Area: a,
			Text:        fmt.Sprintf("%d 年第 %d 项任务：推进重点项目建设，新增市场主体 %d 家", year, i, 100+i),
			LeadLeaders: []string{fmt.Sprintf("领导%d", i%SyntheticLeaders)},
			LeadUnits:   []string{SyntheticUnit(i*7, units)},
		}
		for k := 1; k <= 2+i%3; k++ {
			t.ResponsibleUnits = append(t.ResponsibleUnits, SyntheticUnit(i*7+k*31, units))
		}
		t.Indicators = []duban.Indicator{{Text: fmt.Sprintf("新增市场主体 %d 家", 100+i), Metric: "新增市场主体", Value: float64(100 + i), Unit: "家", Cmp: duban.CmpEqual}}
		r.Tasks = append(r.Tasks, t)
	}
	return r
}

// SyntheticUnit is the name of the made-up unit i (modulo units).
func SyntheticUnit(i, units int) string { return fmt.Sprintf("区第%03d局", i%units) }

// LoadSynthetic imports and publishes a made-up ledger of the given size,
// one plan a year, and returns the plans. Publishing adds the units and
// leaders the plans name to the directory. ctx must carry a user who may
// import and publish (the office).
func LoadSynthetic(ctx context.Context, s Services, size Size) ([]*duban.Plan, error) {
	var plans []*duban.Plan
	for i := range size.Plans {
		year := FirstSyntheticYear + i
		r := SyntheticReading(year, size.Tasks, size.Units)
		data, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		imp, err := s.Plans.ImportPlan(ctx, duban.ImportInput{Name: fmt.Sprintf("%d.json", year), Data: data, Reading: r})
		if err != nil {
			return nil, err
		}
		if imp.Outcome != duban.ImportCreated {
			return nil, duban.Errorf(duban.ECONFLICT, "%d 年的计划已导入过（计划 #%d）：请用一个新的数据库。", year, imp.Plan.ID)
		}
		p, err := s.Plans.PublishPlan(ctx, imp.Plan.ID)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}
