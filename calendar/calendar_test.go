package calendar_test

import (
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/cycle"
)

func MustNew(t testing.TB, overrides ...*cycle.CalendarOverride) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(overrides)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func date(s string) duban.Date {
	d, err := duban.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestIsWorkday(t *testing.T) {
	c := MustNew(t)
	for _, tc := range []struct {
		date    string
		workday bool
		dayOff  string
	}{
		{"2024-02-04", true, ""}, // Sunday worked before 春节
		{"2024-02-18", true, ""}, // Sunday worked after 春节
		{"2024-02-09", true, ""}, // Friday, 除夕 worked in 2024
		{"2024-02-10", false, "法定节假日（春节）"},
		{"2024-02-17", false, "法定节假日（春节）"},
		{"2024-04-07", true, ""}, // Sunday worked after 清明
		{"2024-10-01", false, "法定节假日（国庆节）"},
		{"2024-10-04", false, "法定节假日（国庆节）"},
		{"2024-10-07", false, "法定节假日（国庆节）"},
		{"2024-10-08", true, ""},
		{"2024-10-12", true, ""}, // Saturday worked after 国庆
		{"2024-10-13", false, "星期日"},
		{"2024-07-06", false, "星期六"},
		{"2024-07-08", true, ""},
		{"2022-10-08", true, ""},           // Saturday worked in 2022
		{"2022-12-31", false, "法定节假日（元旦）"}, // 2023's 元旦 began in 2022
		{"2020-02-01", false, "法定节假日（春节）"}, // the 2020 extension
		{"2020-01-19", true, ""},
		{"2025-02-04", false, "法定节假日（春节）"},
		{"2025-02-08", true, ""},
		{"2026-02-23", false, "法定节假日（春节）"},
		{"2026-02-28", true, ""},
		{"2026-09-20", true, ""},
		{"2027-02-14", true, ""},
		{"2027-10-09", true, ""},
	} {
		d := date(tc.date)
		if got := c.IsWorkday(d); got != tc.workday {
			t.Errorf("IsWorkday(%s): got %v, want %v", tc.date, got, tc.workday)
		}
		if got := c.DayOff(d); got != tc.dayOff {
			t.Errorf("DayOff(%s): got %q, want %q", tc.date, got, tc.dayOff)
		}
	}
}

func TestNextWorkday(t *testing.T) {
	c := MustNew(t)
	for _, tc := range []struct{ from, want string }{
		{"2024-10-01", "2024-10-08"},
		{"2024-09-29", "2024-09-29"}, // a Sunday worked
		{"2024-02-10", "2024-02-18"},
		{"2022-09-25", "2022-09-26"},
		{"2022-06-25", "2022-06-27"},
		{"2022-12-25", "2022-12-26"},
		{"2030-06-01", "2030-06-03"}, // unknown year: weekends only
	} {
		if got := c.NextWorkday(date(tc.from)); got != date(tc.want) {
			t.Errorf("NextWorkday(%s): got %s, want %s", tc.from, got, tc.want)
		}
	}
}

func TestDueOn(t *testing.T) {
	c := MustNew(t)
	for _, tc := range []struct {
		scheduled, due, note, noteEN string
	}{
		{"2024-10-01", "2024-10-08", "10月1日为法定节假日（国庆节），顺延至10月8日", "1 October is a public holiday; moved to 8 October"},
		{"2022-09-25", "2022-09-26", "9月25日为星期日，顺延至9月26日", "25 September is a Sunday; moved to 26 September"},
		{"2022-07-25", "2022-07-25", "", ""},
	} {
		due, note, noteEN := cycle.DueOn(c, date(tc.scheduled))
		if due != date(tc.due) || note != tc.note || noteEN != tc.noteEN {
			t.Errorf("DueOn(%s): got %s %q %q, want %s %q %q", tc.scheduled, due, note, noteEN, tc.due, tc.note, tc.noteEN)
		}
	}
}

func TestUnknownYear(t *testing.T) {
	c := MustNew(t)
	for y := 2020; y <= 2027; y++ {
		if !c.Known(y) {
			t.Errorf("Known(%d): got false, want true", y)
		}
	}
	for _, y := range []int{2019, 2028, 2030} {
		if c.Known(y) {
			t.Errorf("Known(%d): got true, want false", y)
		}
	}
	// 1 October 2030 is a Tuesday: without the year's notice it counts as
	// a working day, which is why the page warns.
	if !c.IsWorkday(date("2030-10-01")) {
		t.Errorf("IsWorkday(2030-10-01) without the year's notice: got false, want true")
	}
}

func TestOverrides(t *testing.T) {
	c := MustNew(t,
		&cycle.CalendarOverride{Date: date("2028-10-02"), Name: "国庆节"},
		&cycle.CalendarOverride{Date: date("2028-10-07"), Workday: true, Name: "调休上班"},
		&cycle.CalendarOverride{Date: date("2024-10-08"), Name: "区级活动"},
	)
	if !c.Known(2028) {
		t.Error("a year with overrides should count as known")
	}
	for _, tc := range []struct {
		date    string
		workday bool
		dayOff  string
	}{
		{"2028-10-02", false, "休息日（国庆节）"},
		{"2028-10-07", true, ""}, // a Saturday worked
		{"2024-10-08", false, "休息日（区级活动）"},
		{"2024-10-09", true, ""},
	} {
		d := date(tc.date)
		if got := c.IsWorkday(d); got != tc.workday {
			t.Errorf("IsWorkday(%s): got %v, want %v", tc.date, got, tc.workday)
		}
		if got := c.DayOff(d); got != tc.dayOff {
			t.Errorf("DayOff(%s): got %q, want %q", tc.date, got, tc.dayOff)
		}
	}
}

// TestAgainstLunar checks every day of 2020–2027 against the holiday table
// of 6tail/lunar-go, kept apart from the one embedded here: a day off or a
// day worked mistyped in either shows as a difference.
func TestAgainstLunar(t *testing.T) {
	c := MustNew(t)
	diffs := 0
	for d := date("2020-01-01"); d.Year <= 2027; d = d.AddDays(1) {
		want := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if h := HolidayUtil.GetHolidayByYmd(d.Year, int(d.Month), d.Day); h != nil {
			want = h.IsWork()
		}
		if got := c.IsWorkday(d); got != want {
			diffs++
			t.Errorf("%s: IsWorkday got %v, lunar-go says %v", d, got, want)
		}
	}
	if diffs == 0 {
		t.Logf("2020–2027: every day agrees with lunar-go")
	}
}

func TestParseYear(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		ok         bool
	}{
		{"good", `{"year": 2028, "days": [{"name": "元旦", "date": "2028-01-01", "isOffDay": true}]}`, true},
		{"not json", `{"year": 2028,`, false},
		{"bad year", `{"year": 1900, "days": []}`, false},
		{"bad date", `{"year": 2028, "days": [{"name": "元旦", "date": "2028-13-01", "isOffDay": true}]}`, false},
		{"other year", `{"year": 2028, "days": [{"name": "元旦", "date": "2031-01-01", "isOffDay": true}]}`, false},
	} {
		_, err := calendar.ParseYear([]byte(tc.data))
		if (err == nil) != tc.ok {
			t.Errorf("%s: got error %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && duban.ErrorCode(err) != duban.EINVALID {
			t.Errorf("%s: got code %q, want invalid", tc.name, duban.ErrorCode(err))
		}
	}
}

func FuzzParseYear(f *testing.F) {
	f.Add([]byte(`{"year": 2028, "days": [{"name": "元旦", "date": "2028-01-01", "isOffDay": true}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := calendar.ParseYear(data)
		if err != nil {
			if duban.ErrorCode(err) != duban.EINVALID {
				t.Fatalf("got code %q, want invalid: %v", duban.ErrorCode(err), err)
			}
			return
		}
		for _, d := range y.Days {
			if d.Date.Year < y.Year-1 || d.Date.Year > y.Year {
				t.Fatalf("day %s outside year %d", d.Date, y.Year)
			}
		}
	})
}
