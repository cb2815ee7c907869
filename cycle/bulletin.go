package cycle

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// The bulletin (通报): what the office sends every unit after a period, as
// an official document. Its figures, lagging lists, overdue units and
// highlights are the period's own (MakeBulletin); its number, addressee,
// opening and closing paragraphs and signature are the office's words
// (BulletinText), kept per period and edited before it is made.

// BulletinText is what the office writes of a period's bulletin.
type BulletinText struct {
	PeriodID int64 `json:"period_id"`
	// Number is the document number (文号): 历下督字〔2022〕5号.
	Number string `json:"number"`
	// To is the addressee (主送机关): 各街道办事处，区政府各部门：.
	To        string `json:"to"`
	Opening   string `json:"opening"`
	Closing   string `json:"closing"`
	Signature string `json:"signature"` // 区政府督查室
	// Saved says the office has saved it; a text never saved is the
	// defaults.
	Saved     bool      `json:"saved"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Limits of the office's words, in characters.
const (
	MaxBulletinLine      = 100  // the number, the addressee, the signature
	MaxBulletinParagraph = 3000 // the opening and the closing
)

// DefaultBulletinText is a period's text before the office edits it.
func DefaultBulletinText(p *duban.Plan, q *Period) *BulletinText {
	return &BulletinText{
		PeriodID: q.ID,
		To:       "各街道办事处，区政府各部门，各有关单位：",
		Opening: fmt.Sprintf("为推动%s确定的各项目标任务落实落地，区政府督查室对%s各项任务推进情况进行了调度。现将有关情况通报如下：",
			planName(p), q.Label),
		Closing: "请各责任单位对照本通报，认真分析进度滞后的原因，明确整改措施和完成时限，确保各项目标任务按期完成。" +
			"对逾期未报送、进度严重滞后的任务，区政府督查室将持续跟踪督办，并纳入年度考核。",
		Signature: "区政府督查室",
	}
}

// planName names a plan in a sentence: 《2022年政府工作报告》 when its title
// quotes one, or its title.
func planName(p *duban.Plan) string {
	if i := strings.Index(p.Title, "《"); i >= 0 {
		if j := strings.Index(p.Title[i:], "》"); j > 0 {
			return p.Title[i : i+j+len("》")]
		}
	}
	return "“" + p.Title + "”"
}

// Validate checks the office's words before they are kept.
func (b *BulletinText) Validate() error {
	for _, f := range []struct{ name, text string }{{"文号", b.Number}, {"主送机关", b.To}, {"落款", b.Signature}} {
		if utf8.RuneCountInString(f.text) > MaxBulletinLine || strings.ContainsAny(f.text, "\r\n") {
			return duban.Errorf(duban.EINVALID, "通报的%s应为一行，不超过 %d 字。", f.name, MaxBulletinLine)
		}
	}
	for _, f := range []struct{ name, text string }{{"开头", b.Opening}, {"结尾", b.Closing}} {
		if strings.TrimSpace(f.text) == "" {
			return duban.Errorf(duban.EINVALID, "请填写通报的%s段落。", f.name)
		}
		if utf8.RuneCountInString(f.text) > MaxBulletinParagraph {
			return duban.Errorf(duban.EINVALID, "通报的%s过长（超过 %d 字）。", f.name, MaxBulletinParagraph)
		}
	}
	if strings.TrimSpace(b.Signature) == "" {
		return duban.Errorf(duban.EINVALID, "请填写通报的落款（发文机关）。")
	}
	return nil
}

// BulletinTextUpdate changes the office's words; nil fields are left as
// they are.
type BulletinTextUpdate struct {
	Number    *string `json:"number,omitempty"`
	To        *string `json:"to,omitempty"`
	Opening   *string `json:"opening,omitempty"`
	Closing   *string `json:"closing,omitempty"`
	Signature *string `json:"signature,omitempty"`
}

// Apply sets the given fields on b, trimmed.
func (u BulletinTextUpdate) Apply(b *BulletinText) {
	for _, f := range []struct {
		src *string
		dst *string
	}{{u.Number, &b.Number}, {u.To, &b.To}, {u.Opening, &b.Opening}, {u.Closing, &b.Closing}, {u.Signature, &b.Signature}} {
		if f.src != nil {
			*f.dst = strings.TrimSpace(strings.ReplaceAll(*f.src, "\r\n", "\n"))
		}
	}
}

// BulletinService keeps the office's words of each period's bulletin.
type BulletinService interface {
	// FindBulletinText returns a period's words, the defaults when the
	// office has saved none.
	FindBulletinText(ctx context.Context, periodID int64) (*BulletinText, error)
	// UpdateBulletinText changes a period's words.
	UpdateBulletinText(ctx context.Context, periodID int64, upd BulletinTextUpdate) (*BulletinText, error)
}

// Bulletin is a period's bulletin: the office's words around the period's
// figures and lists.
type Bulletin struct {
	Text   BulletinText `json:"text"`
	Title  string       `json:"title"`
	PlanID int64        `json:"plan_id"`
	Plan   string       `json:"plan"` // the plan's title
	// Work names what the plan carries out in a sentence: 《政府工作报告》.
	Work   string  `json:"work"`
	Period *Period `json:"period"`
	// AsOf is the day the figures are of: the period's lights' day.
	AsOf duban.Date `json:"as_of"`
	// Tasks counts the tasks in force, Counts their lights.
	Tasks  int         `json:"tasks"`
	Counts LightCounts `json:"counts"`
	// Owed counts the reports the period asks for, Handed those handed in
	// and Late those handed in after the due date.
	Owed, Handed, Late int
	// Targets counts the quantitative targets, Met those reached.
	Targets, Met int
	// Severe and Lagging are the red and yellow lists, in plan order.
	Severe  []BulletinItem `json:"severe"`
	Lagging []BulletinItem `json:"lagging"`
	// Overdue are the units with reports still owed after the due date.
	Overdue []OverdueUnit `json:"overdue"`
	// Highlights are the reports' highlights, per action.
	Highlights []BulletinSection `json:"highlights"`
}

// BulletinItem is a task in a list of the bulletin.
type BulletinItem struct {
	TaskID int64  `json:"task_id"`
	TaskNo string `json:"task_no"`
	Text   string `json:"text"` // the task, shortened
	// Units are its lead units, Leaders its lead leaders.
	Units   string `json:"units"`
	Leaders string `json:"leaders"`
	// Note is why it is listed: its light's reason, or what its report
	// says.
	Note string `json:"note"`
}

// BulletinSection is an action's highlights.
type BulletinSection struct {
	Section int            `json:"section"`
	Title   string         `json:"title"`
	Items   []BulletinItem `json:"items"`
}

// BulletinInput is what a bulletin is made of.
type BulletinInput struct {
	Plan   *duban.Plan // with its sections
	Period *Period
	Text   *BulletinText
	Tasks  []*duban.Task // in plan order, with owners and targets
	// Lights are the tasks' lights in the period, with their reasons.
	Lights []*Light
	// Reports are the period's reports (every unit's and kind).
	Reports []*Report
	Groups  Groups
	// Today is the day the bulletin is made.
	Today duban.Date
}

// MaxHighlights is how many tasks an action's highlights name at most.
const MaxHighlights = 3

// MakeBulletin makes a period's bulletin.
func MakeBulletin(in *BulletinInput) *Bulletin {
	b := &Bulletin{
		Text: *in.Text, PlanID: in.Plan.ID, Plan: in.Plan.Title, Work: planName(in.Plan), Period: in.Period, AsOf: in.Period.End,
		Title: fmt.Sprintf("关于%s目标任务%s推进情况的通报", planName(in.Plan), in.Period.Label),
	}
	if in.Today.Before(b.AsOf) {
		b.AsOf = in.Today
	}
	lights := make(map[int64]*Light, len(in.Lights))
	for _, l := range in.Lights {
		lights[l.TaskID] = l
		if !l.AsOf.IsZero() {
			b.AsOf = l.AsOf
		}
	}
	reports := map[int64]*Report{} // the period's task reports handed in
	handed := []*Report{}
	for _, r := range in.Reports {
		if r.PeriodID != in.Period.ID || !r.State.Reported() {
			continue
		}
		handed = append(handed, r)
		if r.Kind == ReportTask {
			reports[r.TaskID] = r
		}
		if r.DaysLate(in.Period.Due) > 0 {
			b.Late++
		}
	}
	highlights := map[int][]scored{}
	for order, t := range in.Tasks {
		if t.State != duban.TaskActive {
			continue
		}
		b.Tasks++
		l := lights[t.ID]
		st := LightNotStarted
		if l != nil {
			st = l.Status
		}
		b.Counts.Add(st)
		item := BulletinItem{TaskID: t.ID, TaskNo: t.No, Text: Shorten(t.Text, 60),
			Units: strings.Join(duban.OwnerNames(t.LeadUnits), "、"), Leaders: strings.Join(duban.OwnerNames(t.LeadLeaders), "、")}
		switch {
		case st == LightSevere:
			item.Note = l.Reason
			b.Severe = append(b.Severe, item)
		case st == LightLagging:
			item.Note = l.Reason
			b.Lagging = append(b.Lagging, item)
		}
		for i := range t.Indicators {
			b.Targets++
			if l == nil {
				continue
			}
			for _, a := range l.Reached {
				if a.Indicator == i && a.Value != nil && Progress(&t.Indicators[i], i, *a.Value).Met {
					b.Met++
				}
			}
		}
		if r := reports[t.ID]; r != nil && strings.TrimSpace(r.Progress) != "" && (st == LightDone || st == LightClosed || st == LightNormal) {
			item.Note = FirstSentence(r.Progress, 120)
			highlights[t.Section] = append(highlights[t.Section], scored{item, highlightScore(st, r), order})
		}
	}
	obligations := Obligations(in.Period, in.Tasks, handed, in.Groups)
	b.Owed = len(obligations)
	for _, o := range obligations {
		if o.Done() {
			b.Handed++
		}
	}
	if in.Today.After(in.Period.Due) {
		ix := NewPlanIndex(in.Plan, in.Tasks, in.Groups)
		hr := make([]HandedReport, len(handed))
		for i, r := range handed {
			hr[i] = HandedReport{TaskID: r.TaskID, UnitID: r.UnitID, Kind: r.Kind}
		}
		b.Overdue, _ = ix.overdue(&Figures{Period: in.Period, Handed: hr})
		for i := range b.Overdue {
			b.Overdue[i].Name = cmp.Or(b.Overdue[i].Name, fmt.Sprintf("单位 #%d", b.Overdue[i].UnitID))
		}
	}
	for _, s := range in.Plan.Sections {
		items := highlights[s.No]
		if len(items) == 0 {
			continue
		}
		slices.SortStableFunc(items, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
		chosen := items[:min(len(items), MaxHighlights)]
		// The chosen are told in plan order, as the reader knows them.
		slices.SortFunc(chosen, func(a, b scored) int { return cmp.Compare(a.order, b.order) })
		sec := BulletinSection{Section: s.No, Title: s.Title}
		for _, it := range chosen {
			sec.Items = append(sec.Items, it.item)
		}
		b.Highlights = append(b.Highlights, sec)
	}
	return b
}

// scored is a highlight with how strongly it stands out.
type scored struct {
	item  BulletinItem
	score int
	order int // the task's place in the plan
}

// highlightScore ranks a highlight: work finished first, then the most
// complete, then the longest account.
func highlightScore(st LightStatus, r *Report) int {
	s := r.Completion * 10
	if st == LightDone || st == LightClosed {
		s += 10000
	}
	return s + min(utf8.RuneCountInString(r.Progress), 500)/50
}

// FirstSentence returns the first sentence of a text (up to 。！？ or a line
// break), shortened to at most n characters.
func FirstSentence(text string, n int) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexAny(text, "。！？\n"); i >= 0 {
		end := i
		if text[i] != '\n' {
			end += len("。")
		}
		text = text[:end]
	}
	return Shorten(text, n)
}

// Shorten cuts a text to at most n characters, ending it with … when cut.
func Shorten(text string, n int) string {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return string(r[:n-1]) + "…"
}

// CanWriteBulletin reports whether u may edit a period's bulletin before it
// is made: the office's work.
func CanWriteBulletin(u *duban.User) bool { return duban.IsOffice(u) }
