package cyclestore

import (
	"context"
	"slices"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// SaveReports saves a batch of reports in one transaction: each new one as
// CreateReport does and each change as UpdateReport does, with its version,
// lights and audit event, so that a workbook filled in offline becomes the
// unit's reports all at once or not at all.
func (s *ReportService) SaveReports(ctx context.Context, saves []cycle.ReportSave) ([]*cycle.Report, error) {
	u, err := duban.Authorize(ctx, "填报报告", duban.CanRead)
	if err != nil {
		return nil, err
	}
	switch {
	case len(saves) == 0:
		return nil, duban.Errorf(duban.EINVALID, "没有要保存的报告。")
	case len(saves) > cycle.MaxReportSaves:
		return nil, duban.Errorf(duban.EINVALID, "一次最多保存 %d 份报告。", cycle.MaxReportSaves)
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*cycle.Report, len(saves))
	err = s.db.Update(ctx, func(tx *Tx) error {
		sv := &saving{groups: groups, deferred: map[int64][]int64{}}
		for i, save := range saves {
			var err error
			switch {
			case save.Report != nil && save.ID == 0:
				r := save.Report.Clone()
				err = createReport(tx, u, sv, r)
				out[i] = r
			case save.Report == nil && save.ID != 0:
				out[i], err = updateReport(tx, u, sv, save.ID, save.Update)
			default:
				err = duban.Errorf(duban.EINVALID, "第 %d 份报告应为新报告或对已有报告的修改，不能两者都是或都不是。", i+1)
			}
			if err != nil {
				return err
			}
		}
		return recomputeDeferred(tx, sv.deferred)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// wholePlan is how many of a plan's tasks a batch changes before their
// lights are recomputed as the plan's, in one pass, rather than task by
// task.
const wholePlan = 20

// recomputeDeferred recomputes the lights a batch left to its end: task by
// task for a few, the whole plan's at once for many.
func recomputeDeferred(tx *Tx, deferred map[int64][]int64) error {
	for plan, tasks := range deferred {
		slices.Sort(tasks)
		tasks = slices.Compact(tasks)
		if len(tasks) >= wholePlan {
			if _, err := recomputePlan(tx, plan); err != nil {
				return err
			}
			continue
		}
		for _, t := range tasks {
			if _, err := recompute(tx, plan, t, false); err != nil {
				return err
			}
		}
	}
	return nil
}
