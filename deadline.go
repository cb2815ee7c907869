package duban

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DeadlineKind says what a task's 完成时限 means as a date.
type DeadlineKind string

// The kinds of deadline.
const (
	// DeadlineNone: the notice gives no deadline; the task runs to the end
	// of the plan's year.
	DeadlineNone DeadlineKind = ""
	// DeadlineDate: the text reads as a date (9月底前 → 30 September).
	DeadlineDate DeadlineKind = "date"
	// DeadlineOngoing: work that has no end (长期坚持, 持续推进, 常态化).
	DeadlineOngoing DeadlineKind = "ongoing"
	// DeadlineUnread: text that reads as no date; the office should set one.
	DeadlineUnread DeadlineKind = "unread"
)

// Label is the kind as users read it.
func (k DeadlineKind) Label() string {
	switch k {
	case DeadlineNone:
		return "未规定"
	case DeadlineDate:
		return "有期限"
	case DeadlineOngoing:
		return "长期"
	case DeadlineUnread:
		return "未能识别"
	}
	return string(k)
}

// Valid reports whether k is one of the kinds.
func (k DeadlineKind) Valid() bool {
	return k == DeadlineNone || k == DeadlineDate || k == DeadlineOngoing || k == DeadlineUnread
}

// Deadline is a task's 完成时限 read as a date, with what the text meant kept:
// the text as written, the date it stands for (the end of a range, the last
// of several steps), and the dated steps of a text such as
// "6月底前开工、12月底前竣工".
type Deadline struct {
	Text       string       `json:"text"`
	Kind       DeadlineKind `json:"kind"`
	Date       Date         `json:"date"`
	Milestones []Milestone  `json:"milestones,omitempty"`
}

// Milestone is one dated step of a deadline: 开工 by 30 June.
type Milestone struct {
	Date  Date   `json:"date"`
	Label string `json:"label"` // what is to be done by then: 开工; "" when the text says nothing
	Text  string `json:"text"`  // the step as written: 6月底前开工
}

// End returns the date a task is to be done by for its time line: the
// deadline's date, or the last day of the plan's year for a task that has
// none, is ongoing or could not be read.
func (d Deadline) End(year int) Date {
	if d.Kind == DeadlineDate {
		return d.Date
	}
	return NewDate(year, time.December, 31)
}

// Label says the deadline in a few words for a list: 2022-09-30, 长期,
// 未能识别, or "" when there is none.
func (d Deadline) Label() string {
	switch d.Kind {
	case DeadlineDate:
		return d.Date.String()
	case DeadlineOngoing, DeadlineUnread:
		return d.Kind.Label()
	}
	return ""
}

// deadlineToken finds the date expressions of a deadline text, normalised
// by normalizeDeadline, left to right.
var deadlineToken = regexp.MustCompile(
	`(\d{4})年(底|末|内|度内|度)?` + // 1 year, 2 its end
		`|(\d{1,2})月份?(?:(\d{1,2})[日号]|(上旬|中旬|下旬|初|中|底|末))?` + // 3 month, 4 day, 5 part
		`|第?([一二三四1-4])季度` + // 6 quarter
		`|(上半年|下半年|年中|年底|年末|年内|全年|年度内|今年内|当年|本年度|年前)` + // 7 half or whole year
		`|(明年|次年)`) // 8 next year

// ongoingWords mark work without an end.
var ongoingWords = []string{"长期", "持续", "常态", "常年", "每年", "每月", "每季", "经常", "逐年", "不断", "坚持", "动态"}

// ParseDeadline reads a deadline text of a plan of year. It never fails: a
// text that reads as no date comes back as DeadlineUnread for the office to
// correct, with the text kept.
func ParseDeadline(text string, year int) Deadline {
	d := Deadline{Text: strings.TrimSpace(text)}
	if d.Text == "" {
		return d
	}
	if utf8.RuneCountInString(d.Text) > 100 {
		d.Kind = DeadlineUnread
		return d
	}
	norm := normalizeDeadline(d.Text)
	for _, piece := range strings.FieldsFunc(norm, func(r rune) bool { return strings.ContainsRune("、，,；;。", r) }) {
		date, rest, ok := readDeadlinePiece(piece, year)
		if !ok {
			continue
		}
		d.Milestones = append(d.Milestones, Milestone{Date: date, Label: rest, Text: piece})
		if date.After(d.Date) {
			d.Date = date
		}
	}
	switch {
	case len(d.Milestones) > 0:
		d.Kind = DeadlineDate
		if len(d.Milestones) == 1 {
			d.Milestones = nil
		}
	case ContainsAny(norm, ongoingWords):
		d.Kind = DeadlineOngoing
	default:
		d.Kind = DeadlineUnread
	}
	return d
}

// readDeadlinePiece reads the last date a piece of a deadline text names
// (the end of a range: 3-6月 is 30 June), carrying a year written before a
// month to the months after it, and returns the rest of the piece, what is
// to be done by then.
func readDeadlinePiece(piece string, year int) (date Date, rest string, ok bool) {
	y := year
	matches := deadlineToken.FindAllStringSubmatchIndex(piece, -1)
	for _, m := range matches {
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return piece[m[2*i]:m[2*i+1]]
		}
		switch {
		case group(1) != "":
			y, _ = strconv.Atoi(group(1))
			date, ok = NewDate(y, time.December, 31), true
		case group(3) != "":
			month, _ := strconv.Atoi(group(3))
			if month < 1 || month > 12 {
				return Date{}, "", false
			}
			last := LastDayOf(y, time.Month(month))
			switch day, part := group(4), group(5); {
			case day != "":
				n, _ := strconv.Atoi(day)
				if n < 1 || n > last.Day {
					return Date{}, "", false
				}
				date = NewDate(y, time.Month(month), n)
			case part == "上旬" || part == "初":
				date = NewDate(y, time.Month(month), 10)
			case part == "中旬" || part == "中":
				date = NewDate(y, time.Month(month), 20)
			default:
				date = last
			}
			ok = true
		case group(6) != "":
			q := strings.IndexAny("一二三四", group(6))/3 + 1
			if n, err := strconv.Atoi(group(6)); err == nil {
				q = n
			}
			date, ok = LastDayOf(y, time.Month(q*3)), true
		case group(7) != "":
			date, ok = NewDate(y, time.December, 31), true
			if group(7) == "上半年" || group(7) == "年中" {
				date = NewDate(y, time.June, 30)
			}
		case group(8) != "":
			y = year + 1
			date, ok = NewDate(y, time.December, 31), true
		}
	}
	if !ok {
		return Date{}, "", false
	}
	rest = deadlineToken.ReplaceAllString(piece, "")
	rest = strings.TrimLeft(strings.TrimSpace(rest), "-前以之内")
	rest = strings.TrimPrefix(rest, "完成")
	return date, strings.TrimSpace(rest), true
}

// normalizeDeadline makes digits ASCII, months written in Chinese numerals
// Arabic (九月 → 9月), ranges one dash (3至6月 → 3-6月) and drops spaces.
func normalizeDeadline(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == ' ' || r == '\u3000' || r == '\t':
			continue
		case strings.ContainsRune("—–－~～至到", r):
			r = '-'
		}
		b.WriteRune(r)
	}
	return chineseMonth.ReplaceAllStringFunc(b.String(), func(m string) string {
		n := map[string]string{"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
			"九": "9", "十": "10", "十一": "11", "十二": "12"}[strings.TrimSuffix(m, "月")]
		return n + "月"
	})
}

var chineseMonth = regexp.MustCompile(`(十[一二]?|[一二三四五六七八九])月`)

// ContainsAny reports whether s contains any of words.
func ContainsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
