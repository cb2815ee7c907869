package duban

import (
	"fmt"
	"strconv"
)

// ReadingSchema names the version of the reading format that notice readers
// produce and that importers accept.
const ReadingSchema = "duban.extraction/v1"

// Reading is the structured content of one decomposition notice as read from
// its text: the document's identity, its actions (sections) and focus areas,
// the attributed tasks and the statements nobody owns yet. Its JSON form is
// the schema duban.extraction/v1.
type Reading struct {
	Schema     string          `json:"schema"`
	Document   DocumentInfo    `json:"document"`
	Sections   []ReadSection   `json:"sections"`
	Areas      []ReadArea      `json:"areas"`
	Tasks      []ReadTask      `json:"tasks"`
	Unassigned []ReadStatement `json:"unassigned"`
	// Warnings point the office at places in the notice that the reader was
	// unsure of. They are not part of the scored reading.
	Warnings []Warning `json:"warnings,omitempty"`
}

// DocumentInfo identifies the notice: who issued it, when, under which number.
type DocumentInfo struct {
	DocNumber string `json:"doc_number"`
	Issuer    string `json:"issuer"`
	Title     string `json:"title"`
	Date      string `json:"date"` // YYYY-MM-DD, or "" when the notice gives none
	Year      int    `json:"year"`
	Region    string `json:"region"`
}

// ReadSection is one action of the notice (（一）…), numbered from 1; section
// 0 holds the main expected targets.
type ReadSection struct {
	No    int    `json:"no"`
	Title string `json:"title"`
}

// ReadArea is a focus heading inside a section, numbered from 1 within it.
type ReadArea struct {
	Section int    `json:"section"`
	No      int    `json:"no"`
	Title   string `json:"title"`
}

// ReadTask is one attributed task as the notice states it.
type ReadTask struct {
	No               string      `json:"no"` // section.area.seq
	Section          int         `json:"section"`
	Area             int         `json:"area"`
	Text             string      `json:"text"`
	LeadLeaders      []string    `json:"lead_leaders"`
	LeadUnits        []string    `json:"lead_units"`
	ResponsibleUnits []string    `json:"responsible_units"`
	Deadline         string      `json:"deadline"`
	Indicators       []Indicator `json:"indicators"`
	// Line is where the task's text starts in the notice (line or paragraph
	// number, from 1), so that a reviewer can find it in the source.
	Line int `json:"line,omitempty"`
}

// ReadStatement is text inside a section or area that no attribution closes.
type ReadStatement struct {
	Section int    `json:"section"`
	Area    int    `json:"area"`
	Text    string `json:"text"`
	Line    int    `json:"line,omitempty"`
}

// Comparison says how a target's value is to be met.
type Comparison string

// Comparisons of a quantitative target.
const (
	CmpEqual   Comparison = "="
	CmpAtLeast Comparison = ">="
	CmpMore    Comparison = ">"
	CmpAtMost  Comparison = "<="
	CmpAbout   Comparison = "~"
	CmpRange   Comparison = "range"
)

// Indicator is a quantitative target stated inside a task's text, such as
// 新增高新技术企业 119 家.
type Indicator struct {
	Text   string     `json:"text"`
	Metric string     `json:"metric"`
	Value  float64    `json:"value"`
	Unit   string     `json:"unit"`
	Cmp    Comparison `json:"cmp"`
	// Upper is the upper bound of a range (2 至 3 所), nil otherwise.
	Upper *float64 `json:"upper,omitempty"`
}

// Goal writes the target's comparison, value and unit: ≥ 8 %, 2–3 所.
func (in *Indicator) Goal() string {
	v := strconv.FormatFloat(in.Value, 'f', -1, 64)
	switch in.Cmp {
	case CmpRange:
		if in.Upper != nil {
			return fmt.Sprintf("%s–%s %s", v, strconv.FormatFloat(*in.Upper, 'f', -1, 64), in.Unit)
		}
	case CmpAtLeast:
		return "≥ " + v + " " + in.Unit
	case CmpMore:
		return "> " + v + " " + in.Unit
	case CmpAtMost:
		return "≤ " + v + " " + in.Unit
	case CmpAbout:
		return "约 " + v + " " + in.Unit
	}
	return v + " " + in.Unit
}

// Warning marks a place in a notice for the office to check.
type Warning struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}
