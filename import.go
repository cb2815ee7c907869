package duban

import (
	"path/filepath"
	"strings"
)

// PlanContent is what one notice says, in the domain's terms: the plan, its
// tasks and its unassigned statements, with owners named but not yet mapped
// to the directory.
type PlanContent struct {
	Plan       *Plan
	Tasks      []*Task
	Statements []*Statement
}

// PlanFromReading turns a notice's reading into a draft plan. name is the
// notice's file name, the title of last resort.
func PlanFromReading(r *Reading, name string) (*PlanContent, error) {
	if err := validateReading(r); err != nil {
		return nil, err
	}
	d := r.Document
	p := &Plan{
		Region:    strings.TrimSpace(d.Region),
		Year:      d.Year,
		DocNumber: strings.TrimSpace(d.DocNumber),
		Title:     strings.TrimSpace(d.Title),
		Issuer:    strings.TrimSpace(d.Issuer),
		Date:      d.Date,
		State:     PlanDraft,
		Warnings:  r.Warnings,
	}
	if p.Title == "" {
		p.Title = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	for _, s := range r.Sections {
		p.Sections = append(p.Sections, Section(s))
	}
	for _, a := range r.Areas {
		p.Areas = append(p.Areas, Area(a))
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := &PlanContent{Plan: p}
	for i := range r.Tasks {
		t := NewTask(&r.Tasks[i])
		if err := t.Validate(); err != nil {
			return nil, err
		}
		c.Tasks = append(c.Tasks, t)
	}
	for _, s := range r.Unassigned {
		c.Statements = append(c.Statements, NewStatement(s))
	}
	return c, nil
}

// NewStatement makes an open statement from an unassigned part of a reading.
func NewStatement(s ReadStatement) *Statement {
	return &Statement{Section: s.Section, Area: s.Area, Text: s.Text, Line: s.Line, State: StatementOpen}
}

func validateReading(r *Reading) error {
	switch {
	case r == nil:
		return Errorf(EINVALID, "没有可导入的读取结果。")
	case r.Schema != ReadingSchema:
		return Errorf(EINVALID, "读取结果的格式 %q 不受支持：应为 %s。", r.Schema, ReadingSchema)
	case len(r.Tasks) == 0:
		return Errorf(EINVALID, "通知中没有读到带责任分工的任务，无法导入。")
	}
	return nil
}
