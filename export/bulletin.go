package export

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/docx"
)

// Bulletin makes a period's bulletin (通报) from its lights, reports and
// obligations and the office's words.
func Bulletin(ctx context.Context, s *Services, periodID int64) (*cycle.Bulletin, error) {
	q, err := s.Periods.FindPeriodByID(ctx, periodID)
	if err != nil {
		return nil, err
	}
	if q.State == cycle.PeriodPending {
		return nil, duban.Errorf(duban.ECONFLICT, "%s的填报尚未开始，还没有可通报的情况。", q.Label)
	}
	in := &cycle.BulletinInput{Period: q, Today: s.today()}
	if in.Plan, err = s.Plans.FindPlanByID(ctx, q.PlanID); err != nil {
		return nil, err
	}
	if in.Text, err = s.Bulletins.FindBulletinText(ctx, q.ID); err != nil {
		return nil, err
	}
	if in.Tasks, _, err = s.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &q.PlanID}); err != nil {
		return nil, err
	}
	if in.Lights, _, err = s.Lights.FindLights(ctx, cycle.LightFilter{PeriodID: &q.ID}); err != nil {
		return nil, err
	}
	if in.Reports, _, err = s.Reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &q.ID}); err != nil {
		return nil, err
	}
	if in.Groups, err = s.groups(ctx); err != nil {
		return nil, err
	}
	return cycle.MakeBulletin(in), nil
}

// BulletinFile makes a period's bulletin as a Word document.
func BulletinFile(ctx context.Context, s *Services, periodID int64) (*File, error) {
	b, err := Bulletin(ctx, s, periodID)
	if err != nil {
		return nil, err
	}
	doc := BulletinDocument(b, s.today())
	if err := doc.Check(); err != nil {
		return nil, err
	}
	return &File{Name: fileName(b.Title, ".docx"), ContentType: DOCX, write: doc.Write}, nil
}

// BulletinParagraphs are the bulletin's sentences that carry its figures,
// shared by the document and the page to print.
type BulletinParagraphs struct {
	Overall string // 一、总体情况
	Reports string // how the period's reports came in
	Overdue string // who still owes them, or that nobody does
	None    string // said when a list is empty
}

// Paragraphs writes the bulletin's figures as sentences.
func Paragraphs(b *cycle.Bulletin) BulletinParagraphs {
	var counts []string
	for i, s := range cycle.LightStatuses {
		if n := b.Counts[i]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d 项", s.Label(), n))
		}
	}
	p := BulletinParagraphs{None: "无。"}
	p.Overall = fmt.Sprintf("截至 %s，%s确定的在办任务共 %d 项，其中%s。", b.AsOf.LabelYear(), b.Work, b.Tasks, strings.Join(counts, "，"))
	if b.Targets > 0 {
		p.Overall += fmt.Sprintf("量化指标 %d 个，已达到 %d 个。", b.Targets, b.Met)
	}
	p.Reports = fmt.Sprintf("%s应报送报告 %d 份（报送截止日 %s），已报送 %d 份", b.Period.Label, b.Owed, b.Period.Due.LabelYear(), b.Handed)
	if b.Late > 0 {
		p.Reports += fmt.Sprintf("，其中逾期报送 %d 份", b.Late)
	}
	p.Reports += "。"
	switch {
	case len(b.Overdue) > 0:
		names := make([]string, len(b.Overdue))
		total := 0
		for i, u := range b.Overdue {
			names[i] = fmt.Sprintf("%s（%d 份）", u.Name, u.Reports)
			total += u.Reports
		}
		p.Overdue = fmt.Sprintf("截至通报时，以下 %d 个单位的 %d 份报告逾期未报送：%s。", len(b.Overdue), total, strings.Join(names, "、"))
	case b.Owed > b.Handed:
		p.Overdue = fmt.Sprintf("本期报送截止日为 %s，尚有 %d 份报告未报送，尚未逾期。", b.Period.Due.LabelYear(), b.Owed-b.Handed)
	default:
		p.Overdue = "本期各单位均已报送。"
	}
	return p
}

// BulletinDocument lays the bulletin out as an official document of
// GB/T 9704, dated on the day it is made.
func BulletinDocument(b *cycle.Bulletin, day duban.Date) *docx.Document {
	p := Paragraphs(b)
	doc := &docx.Document{
		Office: b.Text.Signature, Number: b.Text.Number, Title: b.Title, To: b.Text.To,
		Signature: b.Text.Signature, Date: time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, duban.Beijing),
	}
	add := func(blocks ...docx.Block) { doc.Body = append(doc.Body, blocks...) }
	for _, para := range strings.Split(b.Text.Opening, "\n") {
		if strings.TrimSpace(para) != "" {
			add(docx.Paragraph{Text: para})
		}
	}
	add(docx.Heading{Level: 1, Text: "总体情况"}, docx.Paragraph{Text: p.Overall}, docx.Paragraph{Text: p.Reports})
	add(docx.Heading{Level: 1, Text: "进度滞后的任务"})
	for _, list := range []struct {
		title string
		items []cycle.BulletinItem
	}{{"严重滞后的任务", b.Severe}, {"进度滞后的任务", b.Lagging}} {
		add(docx.Heading{Level: 2, Text: fmt.Sprintf("%s（%d 项）", list.title, len(list.items))})
		if len(list.items) == 0 {
			add(docx.Paragraph{Text: p.None})
			continue
		}
		add(itemTable(list.items))
	}
	add(docx.Heading{Level: 1, Text: "报告报送情况"}, docx.Paragraph{Text: p.Overdue})
	if len(b.Highlights) > 0 {
		add(docx.Heading{Level: 1, Text: "工作亮点"})
		for _, sec := range b.Highlights {
			add(docx.Heading{Level: 2, Text: sec.Title})
			for _, it := range sec.Items {
				add(docx.Paragraph{Text: fmt.Sprintf("%s（任务 %s，%s）：%s", it.Text, it.TaskNo, it.Units, it.Note)})
			}
		}
	}
	for _, para := range strings.Split(b.Text.Closing, "\n") {
		if strings.TrimSpace(para) != "" {
			add(docx.Paragraph{Text: para})
		}
	}
	return doc
}

// itemTable lists tasks with why they are listed.
func itemTable(items []cycle.BulletinItem) docx.Table {
	t := docx.Table{Columns: []docx.Column{
		{Title: "序号", Width: 2, Center: true}, {Title: "任务", Width: 9}, {Title: "牵头单位", Width: 4, Center: true},
		{Title: "情况", Width: 7},
	}}
	for i, it := range items {
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), it.TaskNo + " " + it.Text, it.Units, it.Note})
	}
	return t
}
