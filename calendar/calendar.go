// Package calendar tells working days from days off in mainland China: the
// weekends, the statutory holidays and the weekend days worked in exchange
// (调休) that the State Council's yearly notice (国务院办公厅关于部分节假日安排的
// 通知) sets. The notices of the years it knows are embedded as data; the
// office's overrides, kept by the store, come in as data too and win. A year
// it does not know is counted by weekends alone, and Known says so, so that
// a page can ask the office to enter the new year's holidays.
package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// The yearly notices as data, one file a year, in the form of
// NateScarlet/holiday-cn (each day the notice names, off or worked, with the
// holiday it belongs to), so that a new year's file from that project can be
// dropped in as it is.
//
//go:embed data/*.json
var dataFiles embed.FS

// Day is a day a notice names: a day off, or a weekend day worked.
type Day struct {
	Date duban.Date
	Off  bool
	// Name is the holiday it belongs to: 国庆节, 春节.
	Name string
	// Office is set for a day the office's override decides.
	Office bool
}

// Year is one year's notice read from its data.
type Year struct {
	Year int
	// Source names the notice the days come from.
	Source string
	Days   []Day
}

// holidayCN is the JSON form of a year's notice.
type holidayCN struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Days   []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	} `json:"days"`
}

// ParseYear reads a year's notice in the holiday-cn JSON form.
func ParseYear(data []byte) (*Year, error) {
	var raw holidayCN
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, duban.Errorf(duban.EINVALID, "节假日数据不是正确的 JSON：%v。", err)
	}
	if raw.Year < 2000 || raw.Year > 2100 {
		return nil, duban.Errorf(duban.EINVALID, "节假日数据的年份 %d 不正确。", raw.Year)
	}
	y := &Year{Year: raw.Year, Source: raw.Source}
	for _, d := range raw.Days {
		date, err := duban.ParseDate(d.Date)
		if err != nil {
			return nil, err
		}
		// A notice names the days around its year too (元旦 from 31 December).
		if date.Year < raw.Year-1 || date.Year > raw.Year {
			return nil, duban.Errorf(duban.EINVALID, "%d 年的节假日数据中有 %s，不在该年度。", raw.Year, d.Date)
		}
		y.Days = append(y.Days, Day{Date: date, Off: d.IsOffDay, Name: strings.TrimSpace(d.Name)})
	}
	return y, nil
}

// Statutory returns the embedded notices, by year. They are read once; the
// map is shared and must not be changed.
var Statutory = sync.OnceValues(readStatutory)

func readStatutory() (map[int]*Year, error) {
	files, err := fs.Glob(dataFiles, "data/*.json")
	if err != nil {
		return nil, err
	}
	out := map[int]*Year{}
	for _, f := range files {
		data, err := dataFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(data)
		if err != nil {
			return nil, fmt.Errorf("calendar: %s: %w", f, err)
		}
		out[y.Year] = y
	}
	return out, nil
}

// Calendar is the working days of every year: the embedded notices with the
// office's overrides on top. It is built once per request from data and
// never changes, so that it may be shared.
type Calendar struct {
	days  map[duban.Date]Day
	known map[int]bool
}

var _ cycle.Workdays = (*Calendar)(nil)

// New returns the calendar of the embedded notices with the overrides on
// top. A year with an override counts as known: the office enters a new
// year's holidays as overrides.
func New(overrides []*cycle.CalendarOverride) (*Calendar, error) {
	years, err := Statutory()
	if err != nil {
		return nil, err
	}
	c := &Calendar{days: map[duban.Date]Day{}, known: map[int]bool{}}
	for _, y := range years {
		c.known[y.Year] = true
		for _, d := range y.Days {
			c.days[d.Date] = d
		}
	}
	for _, o := range overrides {
		c.known[o.Date.Year] = true
		c.days[o.Date] = Day{Date: o.Date, Off: !o.Workday, Name: o.Name, Office: true}
	}
	return c, nil
}

// Known reports whether the calendar has the holidays of year.
func (c *Calendar) Known(year int) bool { return c.known[year] }

// Lookup returns the day a notice or an override names, if any.
func (c *Calendar) Lookup(d duban.Date) (Day, bool) {
	day, ok := c.days[d]
	return day, ok
}

// IsWorkday reports whether offices work on d: a day a notice or override
// names is as it says; any other day is a working day from Monday to Friday.
func (c *Calendar) IsWorkday(d duban.Date) bool {
	if day, ok := c.days[d]; ok {
		return !day.Off
	}
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// DayOff says why d is a day off: 法定节假日（国庆节）, 星期六; "" for a
// working day.
func (c *Calendar) DayOff(d duban.Date) string {
	if c.IsWorkday(d) {
		return ""
	}
	if day, ok := c.days[d]; ok {
		if day.Office {
			return "休息日（" + day.Name + "）"
		}
		// A holiday that falls on a weekend is still the holiday, as the
		// notice counts it.
		return "法定节假日（" + day.Name + "）"
	}
	return duban.WeekdayLabel(d.Weekday())
}

// NextWorkday returns d when it is a working day, and otherwise the first
// working day after it.
func (c *Calendar) NextWorkday(d duban.Date) duban.Date { return cycle.NextWorkday(c, d) }
