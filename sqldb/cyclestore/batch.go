package cyclestore

import (
	"context"

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
		for i, sv := range saves {
			var err error
			switch {
			case sv.Report != nil && sv.ID == 0:
				r := sv.Report.Clone()
				err = createReport(tx, u, groups, r)
				out[i] = r
			case sv.Report == nil && sv.ID != 0:
				out[i], err = updateReport(tx, u, groups, sv.ID, sv.Update)
			default:
				err = duban.Errorf(duban.EINVALID, "第 %d 份报告应为新报告或对已有报告的修改，不能两者都是或都不是。", i+1)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
