package duban

import (
	"strconv"
	"time"
)

// Date is a civil date, a day of the calendar with no time and no zone: a
// deadline, a due date, a holiday. Its zero value means "no date". Dates
// compare with ==, and order with Compare.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Beijing is China Standard Time, in which the office's days begin and end:
// a report saved at 23:30 on the due day is on time whatever zone the server
// runs in. China keeps no daylight saving, so a fixed zone is exact.
var Beijing = time.FixedZone("CST", 8*60*60)

// NewDate returns the date of year, month and day, normalised as time.Date
// does (the 32nd of January is the 1st of February).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the office's date at the instant now (in Beijing time).
func Today(now time.Time) Date { return DateOf(now.In(Beijing)) }

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "日期“%s”不正确：请写成 2022-09-30 的形式。", s)
	}
	return DateOf(t), nil
}

// LastDayOf returns the last day of a month.
func LastDayOf(year int, month time.Month) Date {
	return NewDate(year, month+1, 0)
}

// IsZero reports whether d is the zero date, "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight at the start of d, in UTC.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns d as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	b := make([]byte, 0, 10)
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return string(appendPadded(b, d.Day, 2))
}

// appendPadded appends n with leading zeros to width digits.
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Label is d as a Chinese sentence writes it within the year: 7月31日.
func (d Date) Label() string { return strconv.Itoa(int(d.Month)) + "月" + strconv.Itoa(d.Day) + "日" }

// LabelYear is d with its year: 2022年7月31日.
func (d Date) LabelYear() string { return strconv.Itoa(d.Year) + "年" + d.Label() }

// LabelEN is d as an English sentence writes it: 31 July.
func (d Date) LabelEN() string { return strconv.Itoa(d.Day) + " " + d.Month.String() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n days after d (before it for negative n).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// DaysSince returns how many days d is after e (negative when before).
func (d Date) DaysSince(e Date) int {
	return int(d.Time().Sub(e.Time()).Hours() / 24)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// MarshalText writes d as YYYY-MM-DD; the zero date as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; "" is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// WeekdayLabel names a day of the week in Chinese: 星期六.
func WeekdayLabel(w time.Weekday) string {
	return "星期" + []string{"日", "一", "二", "三", "四", "五", "六"}[w]
}
