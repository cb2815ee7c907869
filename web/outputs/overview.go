package outputs

import (
	"bytes"
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/chart"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// overviewRoutes are the overview (一屏统览): a plan's lights on one screen.
func (s *server) overviewRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/overview", Allow: duban.CanRead, Action: "查看一屏统览", Handler: s.overview},
	}
}

// overviewTargets is how many targets the overview draws: the targets of
// a notice's main goals and those behind, which one screen shows; a plan
// with more links to a page drawing them all.
const overviewTargets = 60

// overviewRefresh is how often the full-screen overview reloads itself, in
// seconds: the meeting room's screen follows the reports as they come.
const overviewRefresh = 120

// overviewPage is a plan's overview in a period.
type overviewPage struct {
	web.Base
	// Plans are those the overview can show (published and archived);
	// Plan the one shown.
	Plans []*duban.Plan
	Plan  *duban.Plan
	O     *cycle.Overview
	// Latest says the period shown is the latest with lights, so that the
	// ledger's links need not name it.
	Latest bool
	// Full is the full-screen mode of the meeting room's screen.
	Full bool
	// Sort and Desc order the table of units.
	Sort string
	Desc bool
	// Leader is the leader whose tasks come first (a leader's account).
	Leader *duban.Owner
	// The charts, drawn on the server.
	SectionsSVG, LeadersSVG, TrendSVG, TargetsSVG template.HTML
	// TargetsMet counts the targets reached, TargetsReported those with
	// an actual; TargetsDrawn those drawn, all of them with AllTargets,
	// else those needing attention first, up to overviewTargets.
	TargetsMet, TargetsReported, TargetsDrawn int
	AllTargets                                bool
	// UnitRows are the table of units, sorted, in pieces of some rows
	// each (maxPrintedPiece); MineRows the leader's tasks and OverdueRows the
	// units owing reports, as list items.
	UnitRows              []template.HTML
	MineRows, OverdueRows template.HTML
}

func (*overviewPage) TemplateName() string { return "overview.html" }

// LightLabel is a light's word in the page's language.
func (p *overviewPage) LightLabel(s cycle.LightStatus) string {
	if p.Lang == "en" {
		return s.LabelEN()
	}
	return s.Label()
}

// AsOf is the day the lights are of: the period's end, or today while it
// runs.
func (p *overviewPage) AsOf() string {
	d := p.O.Period.End
	if p.O.Today.Before(d) {
		d = p.O.Today
	}
	if p.Lang == "en" {
		return d.LabelEN()
	}
	return d.Label()
}

// Reason is why a light is what it is, in the page's language; empty for
// the lights that need no attention.
func (p *overviewPage) Reason(l cycle.Light) string {
	if p.Lang == "en" {
		return l.ReasonEN
	}
	return l.Reason
}

// LightTiles are the totals of each light, in display order, each linked
// to its tasks in the ledger: written here, as html/template would write
// them, for the reflection its actions cost per light.
func (p *overviewPage) LightTiles() template.HTML {
	var b strings.Builder
	b.Grow(len(cycle.LightStatuses) * 120)
	for i, st := range cycle.LightStatuses {
		b.WriteString("\n  <li class=\"light-")
		b.WriteString(string(st))
		b.WriteString(`"><a href="`)
		web.Escape(&b, p.ledger(st, ""))
		b.WriteString(`"><strong>`)
		b.WriteString(strconv.Itoa(p.O.Totals[i]))
		b.WriteString(`</strong><span>`)
		web.Escape(&b, p.LightLabel(st))
		b.WriteString(`</span></a></li>`)
	}
	return template.HTML(b.String())
}

// LightColumns are the heads of the columns of the table of units
// counting each light, each linked to the table sorted by it, as
// LightTiles are written.
func (p *overviewPage) LightColumns() template.HTML {
	var b strings.Builder
	b.Grow(len(cycle.LightStatuses) * 160)
	for _, st := range cycle.LightStatuses {
		b.WriteString("\n          <th scope=\"col\" class=\"n light-")
		b.WriteString(string(st))
		b.WriteString(`"><a href="`)
		web.Escape(&b, p.SortURL(string(st)))
		b.WriteString(`">`)
		web.Escape(&b, p.LightLabel(st))
		b.WriteString(p.SortMark(string(st)))
		b.WriteString(`</a></th>`)
	}
	return template.HTML(b.String())
}

// LedgerURL is the address of the ledger of the plan's tasks of a light
// (all of them for ""), in the period shown.
func (p *overviewPage) LedgerURL(light cycle.LightStatus) string { return p.ledger(light, "") }

// ledger is the address of the ledger's tasks of the plan of a light (any
// for ""), narrowed by more filters (&unit=5); the overview writes a
// thousand of them, so they are put together rather than encoded.
func (p *overviewPage) ledger(light cycle.LightStatus, more string) string {
	var b strings.Builder
	b.Grow(64)
	p.writeLedger(&b, light, more)
	return b.String()
}

// writeLedger writes the address ledger makes.
func (p *overviewPage) writeLedger(b *strings.Builder, light cycle.LightStatus, more string) {
	var id [20]byte
	b.WriteString("/tasks?plan=")
	b.Write(strconv.AppendInt(id[:0], p.Plan.ID, 10))
	if light != "" {
		b.WriteString("&light=")
		b.WriteString(string(light))
		if !p.Latest && p.O.Period != nil {
			b.WriteString("&period=")
			b.WriteString(strconv.FormatInt(p.O.Period.ID, 10))
		}
	}
	b.WriteString(more)
}

// barLinks links each bar, narrowed by its more filters, to its tasks in
// the ledger and each of its segments to those of the segment's light:
// eight addresses a bar, cut from one string.
func (p *overviewPage) barLinks(rows []chart.BarRow, more []string) {
	n := len(cycle.LightStatuses)
	var b strings.Builder
	b.Grow(len(rows) * (1 + n) * 48)
	ends := make([]int, 0, len(rows)*(1+n))
	for _, m := range more {
		p.writeLedger(&b, "", m)
		ends = append(ends, b.Len())
		for _, st := range cycle.LightStatuses {
			p.writeLedger(&b, st, m)
			ends = append(ends, b.Len())
		}
	}
	all := b.String()
	hrefs := make([]string, len(rows)*n)
	start := 0
	next := func() string {
		s := all[start:ends[0]]
		start, ends = ends[0], ends[1:]
		return s
	}
	for i := range rows {
		rows[i].Href = next()
		rows[i].Hrefs = hrefs[i*n : (i+1)*n : (i+1)*n]
		for k := range n {
			rows[i].Hrefs[k] = next()
		}
	}
}

// TargetsURL is the address of the overview drawing every target.
func (p *overviewPage) TargetsURL() string {
	u := p.URL(false, "", false) + "&targets=all"
	return u
}

// URL is the address of the overview with other parameters, in the
// order url.Values.Encode puts them: the table's heads write a dozen.
func (p *overviewPage) URL(full bool, sort string, desc bool) string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString("/overview?")
	if full {
		b.WriteString("full=1&")
	}
	if desc {
		b.WriteString("order=desc&")
	}
	if !p.Latest && p.O.Period != nil {
		b.WriteString("period=")
		b.WriteString(strconv.FormatInt(p.O.Period.ID, 10))
		b.WriteByte('&')
	}
	b.WriteString("plan=")
	b.WriteString(strconv.FormatInt(p.Plan.ID, 10))
	if sort != "" {
		b.WriteString("&sort=")
		b.WriteString(url.QueryEscape(sort))
	}
	return b.String()
}

// SortURL is the address of the overview with the units sorted by a
// column: the first click sorts the counts from the most, the names from
// A; a second click reverses.
func (p *overviewPage) SortURL(sort string) string {
	desc := sort != "name"
	if p.Sort == sort {
		desc = !p.Desc
	}
	return p.URL(p.Full, sort, desc)
}

// SortMark is the arrow beside the column the units are sorted by.
func (p *overviewPage) SortMark(sort string) string {
	switch {
	case p.Sort != sort:
		return ""
	case p.Desc:
		return "↓"
	}
	return "↑"
}

// PeriodOptions are the options of the period selector.
func (p *overviewPage) PeriodOptions() template.HTML {
	var b strings.Builder
	for _, q := range p.O.Periods {
		page.Option(&b, strconv.FormatInt(q.ID, 10), q.Label, p.O.Period != nil && q.ID == p.O.Period.ID)
	}
	return template.HTML(b.String())
}

// PlanOptions are the options of the plan selector.
func (p *overviewPage) PlanOptions() template.HTML {
	var b strings.Builder
	for _, pl := range p.Plans {
		page.Option(&b, strconv.FormatInt(pl.ID, 10), strconv.Itoa(pl.Year)+" · "+pl.Title, pl.ID == p.Plan.ID)
	}
	return template.HTML(b.String())
}

// UnitLedgerURL is the ledger of a unit's tasks in the plan.
func (p *overviewPage) UnitLedgerURL(id int64) string {
	return p.ledger("", "&unit="+strconv.FormatInt(id, 10))
}

// overview shows a plan's overview: the plan asked for, or the newest
// published one; the period asked for, or its latest with lights. Its
// content is kept (web.RenderCached) while nothing but comments has
// changed: the plan, its tasks and the directory, the lights, the reports
// and the 督办单 it counts all change with an event that moves the version
// every server reads from the store on each request. The key adds what
// differs per viewer besides the language and the role (a leader's own
// tasks come first) and today, which moves the lights' day and who owes
// reports with no change made.
func (s *server) overview(w http.ResponseWriter, r *http.Request) error {
	var leaderID int64
	if u := duban.UserFromContext(r.Context()); u != nil && u.Role == duban.RoleLeader {
		leaderID = u.LeaderID
	}
	if r.URL.Query().Get("full") == "1" {
		w.Header().Set("Refresh", strconv.Itoa(overviewRefresh))
	}
	key := r.URL.RequestURI() + "\x00leader " + strconv.FormatInt(leaderID, 10) + "\x00" + s.Today().String()
	return s.RenderCached(w, r, key, func() (web.Page, error) { return s.buildOverview(r, leaderID) })
}

// buildOverview reads and draws the overview a request asks for, the
// tasks of leader (0 for none) first.
func (s *server) buildOverview(r *http.Request, leaderID int64) (*overviewPage, error) {
	ctx := r.Context()
	q := r.URL.Query()
	planID, err := web.QueryInt(q, "plan")
	if err != nil {
		return nil, err
	}
	periodID, err := web.QueryInt(q, "period")
	if err != nil {
		return nil, err
	}
	p := &overviewPage{Full: q.Get("full") == "1", Sort: q.Get("sort"), Desc: q.Get("order") == "desc", AllTargets: q.Get("targets") == "all"}
	p.Title = web.Lang(r).T("一屏统览")
	p.Bare = p.Full
	ch, err := s.Choices(r)
	if err != nil {
		return nil, err
	}
	for _, pl := range ch.Plans {
		if pl.State != duban.PlanDraft {
			p.Plans = append(p.Plans, pl)
		}
	}
	if len(p.Plans) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "还没有已发布的文件：发布文件并开始填报后，这里显示统览。")
	}
	want := p.Plans[0].ID
	if planID != nil && *planID != 0 {
		want = *planID
	}
	pd, err := s.planData(r, want)
	if err != nil {
		return nil, err
	}
	p.Plan = pd.plan
	if p.Plan.State == duban.PlanDraft {
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”尚未发布，没有统览：发布并开始填报后再查看。", p.Plan.Title)
	}
	// The reasons of the leader's own tasks only, which the page lists.
	ff := cycle.FiguresFilter{PlanID: want, Reasons: pd.index.LedBy(leaderID)}
	if periodID != nil {
		ff.PeriodID = *periodID
	}
	figures, err := s.svc.Overview.FindFigures(ctx, ff)
	if err != nil {
		return nil, err
	}
	p.O = pd.index.Overview(figures, leaderID)
	p.Latest = len(figures.Trend) == 0 || figures.Period == nil || figures.Period.ID == figures.Trend[len(figures.Trend)-1].Period.ID
	for i := range p.O.Leaders {
		if p.O.Leaders[i].ID == leaderID && leaderID != 0 {
			p.Leader = &duban.Owner{ID: leaderID, Name: p.O.Leaders[i].Name}
			// The leader's own row first.
			row := p.O.Leaders[i]
			p.O.Leaders = slices.Insert(slices.Delete(p.O.Leaders, i, i+1), 0, row)
			break
		}
	}
	for i := range p.O.Units {
		if unit := ch.Unit(p.O.Units[i].ID); unit != nil {
			p.O.Units[i].Name = unit.Name
		}
	}
	for i := range p.O.Overdue {
		if unit := ch.Unit(p.O.Overdue[i].UnitID); unit != nil {
			p.O.Overdue[i].Name = unit.Name
		}
	}
	if err := p.draw(web.Lang(r)); err != nil {
		return nil, err
	}
	return p, nil
}

// drawBuffers lend draw its buffer: the charts, lists and table of units
// of a page, some two hundred kilobytes, are written one after another into
// it and made a string once, rather than each grown on its own.
var drawBuffers web.BufferPool

// draw draws the page's charts and writes its lists and the table of
// units.
func (p *overviewPage) draw(tr web.Translator) error {
	b := drawBuffers.Get()
	defer drawBuffers.Put(b)
	// Each piece's place in b, set once b is made a string.
	type piece struct {
		html       *template.HTML
		start, end int
	}
	var pieces [6]piece
	n := 0
	mark := func(html *template.HTML, start int) {
		pieces[n] = piece{html, start, b.Len()}
		n++
	}
	series := chart.Lights()
	if p.Lang == "en" {
		for i := range series {
			series[i].Name = cycle.LightStatuses[i].LabelEN()
		}
	}
	bars := chart.Bars{Title: tr.T("按行动统计"), Series: series}
	var more []string
	for _, sec := range p.O.Sections {
		no := int(sec.ID)
		label := sec.Name
		if no > 0 {
			label = duban.ChineseNumeral(no) + "、" + label
		}
		more = append(more, "&section="+strconv.Itoa(no))
		bars.Rows = append(bars.Rows, chart.BarRow{Label: label, Values: sec.Counts[:]})
	}
	p.barLinks(bars.Rows, more)
	start := b.Len()
	if err := appendSVG(b, &bars); err != nil {
		return err
	}
	mark(&p.SectionsSVG, start)
	bars = chart.Bars{Title: tr.T("按牵头领导统计"), Series: series, Rows: bars.Rows[:0]}
	more = more[:0]
	for _, l := range p.O.Leaders {
		more = append(more, "&leader="+strconv.FormatInt(l.ID, 10))
		bars.Rows = append(bars.Rows, chart.BarRow{Label: l.Name, Values: l.Counts[:]})
	}
	p.barLinks(bars.Rows, more)
	start = b.Len()
	if len(bars.Rows) > 0 {
		if err := appendSVG(b, &bars); err != nil {
			return err
		}
	}
	mark(&p.LeadersSVG, start)
	start = b.Len()
	if len(p.O.Trend) > 0 {
		trend := chart.Trend{Title: tr.T("各期状态趋势"), Series: series, Periods: make([]chart.Period, 0, len(p.O.Trend))}
		plan := strconv.FormatInt(p.Plan.ID, 10)
		for _, pc := range p.O.Trend {
			// The overview of the period, its parameters in the order
			// url.Values.Encode puts them.
			href := "/overview?period=" + strconv.FormatInt(pc.Period.ID, 10) + "&plan=" + plan
			trend.Periods = append(trend.Periods, chart.Period{Label: shortPeriod(pc.Period), Href: href, Values: pc.Counts[:]})
		}
		if err := appendSVG(b, &trend); err != nil {
			return err
		}
	}
	mark(&p.TrendSVG, start)
	start = b.Len()
	if err := p.drawTargets(b, tr); err != nil {
		return err
	}
	mark(&p.TargetsSVG, start)
	cuts := p.writeUnitRows(b)
	start = b.Len()
	p.writeMineRows(b)
	mark(&p.MineRows, start)
	start = b.Len()
	p.writeOverdueRows(b, tr)
	mark(&p.OverdueRows, start)
	all := b.String()
	for _, pc := range pieces[:n] {
		*pc.html = template.HTML(all[pc.start:pc.end])
	}
	p.UnitRows = make([]template.HTML, len(cuts)-1)
	for i := range p.UnitRows {
		p.UnitRows[i] = template.HTML(all[cuts[i]:cuts[i+1]])
	}
	return nil
}

// maxPrintedPiece is about how long a piece of the table of units is at most:
// text/template prints each value through fmt, which keeps its buffer for
// the next value only up to 64 KiB, so that a longer one, as the whole
// table would be, costs a buffer of its size on every page.
const maxPrintedPiece = 32 << 10

// writeMineRows writes the leader's tasks, the worst lights first: each
// with its light as word and colour, linked, and why when it needs
// attention.
func (p *overviewPage) writeMineRows(b *bytes.Buffer) {
	for _, m := range p.O.Mine {
		b.WriteString("\n<li><span class=\"lamp light-")
		b.WriteString(string(m.Light.Status))
		b.WriteString(`">`)
		web.Escape(b, p.LightLabel(m.Light.Status))
		b.WriteString(`</span> <a href="/tasks/`)
		b.WriteString(strconv.FormatInt(m.Task.ID, 10))
		b.WriteString(`">`)
		web.Escape(b, m.Task.No+" "+cycle.Shorten(m.Task.Text, 40))
		b.WriteString("</a>")
		if why := p.Reason(m.Light); why != "" {
			b.WriteString(` <span class="muted">`)
			web.Escape(b, why)
			b.WriteString("</span>")
		}
		b.WriteString("</li>")
	}
}

// writeOverdueRows writes the units owing reports, each linked to its
// tasks in the plan.
func (p *overviewPage) writeOverdueRows(b *bytes.Buffer, tr web.Translator) {
	for _, u := range p.O.Overdue {
		b.WriteString("\n<li><a href=\"")
		web.Escape(b, p.UnitLedgerURL(u.UnitID))
		b.WriteString(`">`)
		web.Escape(b, cmp.Or(u.Name, "#"+strconv.FormatInt(u.UnitID, 10)))
		b.WriteString(`</a> <span class="tag warn">`)
		web.Escape(b, tr.T("%d 份", u.Reports))
		b.WriteString("</span></li>")
	}
}

// drawTargets draws every target's progress, those needing attention
// first.
func (p *overviewPage) drawTargets(b *bytes.Buffer, tr web.Translator) error {
	if len(p.O.Targets) == 0 {
		return nil
	}
	// In the order of their ranks, and of the plan within a rank: the ranks
	// being few, each target is put after those of the ranks before.
	var at [targetRanks]int
	for i := range p.O.Targets {
		at[targetRank(&p.O.Targets[i])]++
	}
	sum := 0
	for k, n := range at {
		at[k], sum = sum, sum+n
	}
	targets := make([]*cycle.OverviewTarget, len(p.O.Targets))
	for i := range p.O.Targets {
		k := targetRank(&p.O.Targets[i])
		targets[at[k]] = &p.O.Targets[i]
		at[k]++
	}
	if !p.AllTargets && len(targets) > overviewTargets {
		targets = targets[:overviewTargets]
	}
	p.TargetsDrawn = len(targets)
	for _, t := range p.O.Targets {
		if t.Progress.Reported {
			p.TargetsReported++
		}
		if t.Progress.Met {
			p.TargetsMet++
		}
	}
	// Each target's label and link (its task's page), cut from one
	// string, and their percentages from one array.
	unreported := tr.T("（未报）")
	var words strings.Builder
	ends := make([]int, 0, 2*len(targets))
	var id [20]byte
	for _, t := range targets {
		words.WriteString(t.TaskNo)
		words.WriteByte(' ')
		words.WriteString(t.Progress.Metric)
		if !t.Progress.Reported {
			words.WriteString(unreported)
		}
		ends = append(ends, words.Len())
		words.WriteString("/tasks/")
		words.Write(strconv.AppendInt(id[:0], t.TaskID, 10))
		ends = append(ends, words.Len())
	}
	all := words.String()
	percents := make([]float64, len(targets))
	c := chart.Progress{Title: tr.T("量化指标完成情况"), Targets: make([]chart.Target, len(targets))}
	start := 0
	for i, t := range targets {
		_, mult := cycle.SplitUnit(t.Indicator.Unit)
		c.Targets[i] = chart.Target{Label: all[start:ends[2*i]], Target: t.Indicator.Value, Unit: t.Indicator.Unit,
			Href: all[ends[2*i]:ends[2*i+1]], Colour: chart.LightColour(t.Light.Label())}
		start = ends[2*i+1]
		if t.Progress.Reported {
			c.Targets[i].Actual = t.Progress.Actual / mult
			percents[i] = t.Progress.Ratio * 100
			c.Targets[i].Percent = &percents[i]
		}
	}
	return appendSVG(b, &c)
}

// targetRank orders targets: not met, not reported, met; within each,
// by how much their task's light needs attention.
func targetRank(t *cycle.OverviewTarget) int {
	met := 0
	switch {
	case t.Progress.Met:
		met = 2
	case !t.Progress.Reported:
		met = 1
	}
	return met*attentionRanks + t.Light.Attention()
}

// attentionRanks is how many places LightStatus.Attention gives; there
// are three times as many ranks of targets.
const (
	attentionRanks = 8
	targetRanks    = 3 * attentionRanks
)

// writeUnitRows writes the rows of the table of units, sorted as asked:
// each unit's tasks, those it leads, and its count of each light, every
// figure a link to the tasks it counts. It returns where the rows begin
// and end in b, cut in pieces of about maxPrintedPiece.
func (p *overviewPage) writeUnitRows(b *bytes.Buffer) []int {
	rows := p.O.Units
	if p.Sort == "" || (p.Sort != "name" && p.Sort != "tasks" && p.Sort != "lead" && p.Sort != "behind" && !cycle.LightStatus(p.Sort).Valid()) {
		p.Sort, p.Desc = "behind", true
	}
	// The column sorted by, each row's figure taken once.
	keys := make([]int, len(rows))
	for i := range rows {
		r := &rows[i]
		switch p.Sort {
		case "name":
		case "tasks":
			keys[i] = r.Counts.Total()
		case "lead":
			keys[i] = r.Lead
		case "behind":
			keys[i] = r.Counts.Behind()
		default:
			keys[i] = r.Counts.Of(cycle.LightStatus(p.Sort))
		}
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &rows[i], &rows[j]
		c := cmp.Compare(keys[i], keys[j])
		if p.Sort == "name" {
			c = cmp.Compare(a.Name, b.Name)
		}
		if p.Desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.Name, b.Name))
	})
	b.Grow(len(rows) * 900)
	// Every figure links to the ledger of the unit's tasks it counts, the
	// address written here as ledger makes it, its &s escaped (its other
	// parts are digits and light names): a table writes a thousand. They
	// are written from the part before the unit's number, the same for
	// every row.
	all := "/tasks?plan=" + strconv.FormatInt(p.Plan.ID, 10)
	period := ""
	if !p.Latest && p.O.Period != nil {
		period = "&amp;period=" + strconv.FormatInt(p.O.Period.ID, 10)
	}
	byLight := make([]string, len(cycle.LightStatuses))
	for i, st := range cycle.LightStatuses {
		byLight[i] = all + "&amp;light=" + string(st) + period + "&amp;unit="
	}
	all += "&amp;unit="
	var unit []byte
	cell := func(class string, n int, href, role string) {
		if n == 0 {
			b.WriteString(`<td class="n zero">0</td>`)
			return
		}
		b.WriteString(`<td class="n`)
		b.WriteString(class)
		b.WriteString(`"><a href="`)
		b.WriteString(href)
		b.Write(unit)
		if role != "" {
			b.WriteString("&amp;role=")
			b.WriteString(role)
		}
		b.WriteString(`">`)
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(n), 10))
		b.WriteString("</a></td>")
	}
	cuts := []int{b.Len()}
	for _, i := range order {
		if b.Len()-cuts[len(cuts)-1] >= maxPrintedPiece {
			cuts = append(cuts, b.Len())
		}
		r := &rows[i]
		unit = strconv.AppendInt(unit[:0], r.ID, 10)
		b.WriteString("\n<tr><th scope=\"row\"><a href=\"")
		b.WriteString(all)
		b.Write(unit)
		b.WriteString(`">`)
		if r.Name != "" {
			web.Escape(b, r.Name)
		} else {
			b.WriteByte('#')
			b.Write(unit)
		}
		b.WriteString("</a></th>")
		cell("", r.Counts.Total(), all, "")
		cell("", r.Lead, all, "lead")
		cell(" behind", r.Counts.Behind(), all, "")
		for k := range cycle.LightStatuses {
			cell("", r.Counts[k], byLight[k], "")
		}
		b.WriteString("</tr>")
	}
	return append(cuts, b.Len())
}

// shortPeriod names a period without its year, for the trend's columns.
func shortPeriod(q *cycle.Period) string {
	if _, after, ok := strings.Cut(q.Label, "年"); ok && after != "" {
		return after
	}
	return q.Label
}

// appendSVG draws a chart at the end of b. Its SVG is built from escaped
// text and presentation attributes only (package chart), so it is safe as
// HTML.
func appendSVG(b *bytes.Buffer, c interface{ AppendSVG([]byte) ([]byte, error) }) error {
	svg, err := c.AppendSVG(b.AvailableBuffer())
	if err != nil {
		return err
	}
	b.Write(svg)
	return nil
}

// planData is a plan with its tasks (in plan order, with owners and
// targets) indexed with the directory's groups, as the overview joins them
// to the day's figures.
type planData struct {
	plan  *duban.Plan
	index *cycle.PlanIndex
}

// planCache keeps plans with their tasks read at the newest version of the
// tasks and the directory (web.Server.TasksHead), as choiceCache keeps the
// filters' lists: a plan's tasks change only with a change that moves that
// version, which reports and comments do not, while the overview, read all
// day and all through a reporting week, joins them to figures it reads
// afresh on every request.
type planCache struct {
	mu      sync.Mutex
	entries map[planKey]*planEntry
}

// planKey names a cached plan: its ID and whether its reader sees drafts.
type planKey struct {
	id     int64
	drafts bool
}

// planEntry is a plan of one version, being read until ready is closed.
type planEntry struct {
	head  int64
	ready chan struct{}
	data  *planData
	err   error
}

// maxCachedPlans bounds the plans kept: a year's and a few past years'.
const maxCachedPlans = 32

// planData returns a plan and its tasks at the version of the tasks and
// the directory that the request reads.
func (s *server) planData(r *http.Request, id int64) (*planData, error) {
	head, err := s.TasksHead(r)
	if err != nil {
		return nil, err
	}
	k := planKey{id: id, drafts: duban.CanViewDrafts(duban.UserFromContext(r.Context()))}
	pc := &s.planCache
	pc.mu.Lock()
	if pc.entries == nil {
		pc.entries = map[planKey]*planEntry{}
	}
	e := pc.entries[k]
	if e == nil || e.head < head {
		if len(pc.entries) >= maxCachedPlans {
			clear(pc.entries)
		}
		e = &planEntry{head: head, ready: make(chan struct{})}
		pc.entries[k] = e
		pc.mu.Unlock()
		func() {
			defer close(e.ready)
			e.data, e.err = s.readPlanData(context.WithoutCancel(r.Context()), id)
		}()
		if e.err != nil {
			pc.mu.Lock()
			if pc.entries[k] == e {
				delete(pc.entries, k)
			}
			pc.mu.Unlock()
		}
		return e.data, e.err
	}
	pc.mu.Unlock()
	select {
	case <-e.ready:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	if e.data == nil {
		return s.readPlanData(r.Context(), id)
	}
	return e.data, nil
}

// readPlanData reads a plan, its tasks and the groups, and indexes them.
func (s *server) readPlanData(ctx context.Context, id int64) (*planData, error) {
	p, err := s.svc.Plans.FindPlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id})
	if err != nil {
		return nil, err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	return &planData{plan: p, index: cycle.NewPlanIndex(p, tasks, groups)}, nil
}
