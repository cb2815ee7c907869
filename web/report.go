package web

import (
	"net/http"
	"slices"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// Comparison is two versions of a report and what differs between them,
// field by field, for the page and the API that compare them.
type Comparison struct {
	Report   *cycle.Report          `json:"-"`
	Task     *duban.Task            `json:"-"`
	Versions []*cycle.ReportVersion `json:"-"`
	A        *cycle.ReportVersion   `json:"a"`
	B        *cycle.ReportVersion   `json:"b"`
	Changes  []cycle.FieldChange    `json:"changes"`
}

// CompareReport compares the versions of the report in the path
// ({report}) that ?a= and ?b= name: by default the one before the current
// and the current.
func (s *Server) CompareReport(r *http.Request) (*Comparison, error) {
	ctx := r.Context()
	id, err := PathID(r, "report")
	if err != nil {
		return nil, err
	}
	c := &Comparison{}
	if c.Report, err = s.svc.Reports.FindReportByID(ctx, id); err != nil {
		return nil, err
	}
	if c.Task, err = s.svc.Tasks.FindTaskByID(ctx, c.Report.TaskID); err != nil {
		return nil, err
	}
	if c.Versions, err = s.svc.Reports.FindReportVersions(ctx, id); err != nil {
		return nil, err
	}
	pick := func(name string, fallback int) (*cycle.ReportVersion, error) {
		n, err := QueryInt(r.URL.Query(), name)
		if err != nil {
			return nil, err
		}
		want := int64(fallback)
		if n != nil {
			want = *n
		}
		if i := slices.IndexFunc(c.Versions, func(v *cycle.ReportVersion) bool { return int64(v.Version) == want }); i >= 0 {
			return c.Versions[i], nil
		}
		return nil, duban.Errorf(duban.ENOTFOUND, "报告没有第 %d 版：共 %d 版。", want, len(c.Versions))
	}
	if c.A, err = pick("a", max(1, c.Report.Version-1)); err != nil {
		return nil, err
	}
	if c.B, err = pick("b", c.Report.Version); err != nil {
		return nil, err
	}
	if c.Changes = cycle.DiffReports(&c.A.Report, &c.B.Report, c.Task); c.Changes == nil {
		c.Changes = []cycle.FieldChange{}
	}
	return c, nil
}
