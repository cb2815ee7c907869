package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// LedgerQuery is the ledger's filter as the address carries it, so that a
// view can be bookmarked and sent to a colleague; the API's task lists read
// the same query. Zero values do not filter; Section and Area are text
// because section 0 (the main targets) is a real section.
type LedgerQuery struct {
	Plan    int64
	Year    int64
	Section string
	Area    string
	Leader  int64
	Unit    int64
	Role    string // "", "lead" or "shared": the unit's part in the task
	Targets string // "", "yes" or "no": whether the task has quantitative targets
	// Due selects tasks by their deadline as of Today: due this month,
	// overdue, ongoing, unread (duban.DueChoice).
	Due   string
	Today duban.Date
	// State narrows the list to the plans in that state: published, the
	// documents in hand.
	State string
	// Light is a status light (cycle.LightStatus) the tasks have in period
	// Period, or in their plan's latest period with lights when it is 0.
	Light  string
	Period int64
	Q      string
	Sort   string
	Desc   bool
	Page   int
	Size   int
}

// ParseLedgerQuery reads the filter from an address and returns it with the
// task filter it means, as of the office's today.
func ParseLedgerQuery(q url.Values) (LedgerQuery, duban.TaskFilter, error) {
	return ParseLedgerQueryOn(q, duban.Today(time.Now()))
}

// ParseLedgerQueryOn reads the filter from an address as of a day: what is
// due this month or overdue depends on it.
func ParseLedgerQueryOn(q url.Values, today duban.Date) (LedgerQuery, duban.TaskFilter, error) {
	lq := LedgerQuery{
		Due:     q.Get("due"),
		State:   q.Get("state"),
		Today:   today,
		Section: strings.TrimSpace(q.Get("section")),
		Area:    strings.TrimSpace(q.Get("area")),
		Role:    q.Get("role"),
		Targets: q.Get("targets"),
		Sort:    q.Get("sort"),
		Desc:    q.Get("order") == "desc",
	}
	pg := ReadPager(q)
	lq.Page, lq.Size = pg.Page, pg.Size
	var f duban.TaskFilter
	var err error
	if lq.Q, err = QuerySearch(q); err != nil {
		return lq, f, err
	}
	year, err := QueryYear(q)
	if err != nil {
		return lq, f, err
	}
	lq.Year = int64(year)
	ints := []struct {
		name string
		dst  *int64
	}{{"plan", &lq.Plan}, {"leader", &lq.Leader}, {"unit", &lq.Unit}, {"period", &lq.Period}}
	for _, n := range ints {
		v, err := QueryInt(q, n.name)
		if err != nil {
			return lq, f, err
		}
		if v != nil {
			*n.dst = *v
		}
	}
	if lq.Plan != 0 {
		f.PlanID = &lq.Plan
		// Sections and areas are numbered within a plan; without one they
		// mean nothing.
		if f.Section, err = QuerySmall(q, "section"); err != nil {
			return lq, f, err
		}
		if f.Area, err = QuerySmall(q, "area"); err != nil {
			return lq, f, err
		}
	} else {
		lq.Section, lq.Area = "", ""
	}
	if f.Section == nil {
		f.Area, lq.Area = nil, ""
	}
	if lq.Year != 0 {
		y := int(lq.Year)
		f.Year = &y
	}
	if lq.Leader != 0 {
		f.LeaderID = &lq.Leader
	}
	if lq.Unit != 0 {
		f.UnitID = &lq.Unit
		switch lq.Role {
		case "lead":
			f.UnitRole = duban.UnitLeads
		case "shared":
			f.UnitRole = duban.UnitShares
		default:
			lq.Role = ""
		}
	} else {
		lq.Role = ""
	}
	switch lq.Targets {
	case "yes", "no":
		has := lq.Targets == "yes"
		f.HasTargets = &has
	default:
		lq.Targets = ""
	}
	if st := duban.PlanState(lq.State); st.Valid() {
		f.PlanState = &st
	} else {
		lq.State = ""
	}
	if c := duban.DueChoice(lq.Due); c.Valid() {
		c.Narrow(&f, today)
	} else {
		lq.Due = ""
	}
	if light := q.Get("light"); cycle.LightStatus(light).Valid() {
		lq.Light, f.Light, f.LightPeriod = light, light, lq.Period
	} else {
		lq.Period = 0
	}
	f.Query = lq.Q
	if !duban.TaskSort(lq.Sort).Valid() {
		lq.Sort = ""
	}
	f.Sort, f.Desc = duban.TaskSort(lq.Sort), lq.Desc
	f.Offset, f.Limit = pg.Offset(), pg.Size
	return lq, f, nil
}

// Values writes the filter back as an address's query, leaving out what
// does not filter, so that addresses stay short.
func (lq LedgerQuery) Values() url.Values {
	v := url.Values{}
	set := func(name, val string) {
		if val != "" && val != "0" {
			v.Set(name, val)
		}
	}
	set("plan", strconv.FormatInt(lq.Plan, 10))
	set("year", strconv.FormatInt(lq.Year, 10))
	if lq.Section != "" {
		v.Set("section", lq.Section)
	}
	if lq.Area != "" {
		v.Set("area", lq.Area)
	}
	set("leader", strconv.FormatInt(lq.Leader, 10))
	set("unit", strconv.FormatInt(lq.Unit, 10))
	set("role", lq.Role)
	set("targets", lq.Targets)
	set("due", lq.Due)
	set("state", lq.State)
	set("light", lq.Light)
	set("period", strconv.FormatInt(lq.Period, 10))
	set("q", lq.Q)
	set("sort", lq.Sort)
	if lq.Desc {
		v.Set("order", "desc")
	}
	if lq.Size != PageSizes[0] {
		v.Set("size", strconv.Itoa(lq.Size))
	}
	if lq.Page > 1 {
		v.Set("page", strconv.Itoa(lq.Page))
	}
	return v
}

// Filtered reports whether the query narrows the ledger at all.
func (lq LedgerQuery) Filtered() bool {
	v := lq.Values()
	v.Del("sort")
	v.Del("order")
	v.Del("size")
	v.Del("page")
	return len(v) > 0
}

// URL is the address of the ledger the filter selects.
func (lq LedgerQuery) URL() string {
	if v := lq.Values().Encode(); v != "" {
		return "/tasks?" + v
	}
	return "/tasks"
}
