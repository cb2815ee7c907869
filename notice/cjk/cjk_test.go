package cjk

import "testing"

// TestOrdinalLevel checks the ordinals of each level and the numbers that
// are no ordinal.
func TestOrdinalLevel(t *testing.T) {
	tests := []struct {
		in    string
		level int
		rest  string
	}{
		{"一、坚持工业强区", 1, "坚持工业强区"},
		{"第一部分 扩大内需", 1, "扩大内需"},
		{"（一）积极扩大有效投资。", 2, "积极扩大有效投资。"},
		{"(二)提升现代服务业能级", 2, "提升现代服务业能级"},
		{"1.推进国资国企改革", 3, "推进国资国企改革"},
		{"12、新建学校", 3, "新建学校"},
		{"（3）实施计划", 4, "实施计划"},
		{"②完善机制", 4, "完善机制"},
		{"▲建设公园", 3, "建设公园"},
		{"1.5万个学位", 0, "1.5万个学位"},
		{"2022年是开局之年", 0, "2022年是开局之年"},
		{"一般公共预算收入", 0, "一般公共预算收入"},
		{"1﹒全省生产总值增长", 3, "全省生产总值增长"},
	}
	for _, tt := range tests {
		level, _ := OrdinalLevel(tt.in)
		if level != tt.level || StripOrdinal(tt.in) != tt.rest {
			t.Errorf("OrdinalLevel(%q) = %d, %q; want %d, %q", tt.in, level, StripOrdinal(tt.in), tt.level, tt.rest)
		}
	}
}

// TestParseInt checks Chinese numerals as dates and counts write them.
func TestParseInt(t *testing.T) {
	for in, want := range map[string]int{"二〇二三": 2023, "二十三": 23, "十": 10, "两千": 2000, "三万五千": 35000, "九": 9} {
		if got, ok := ParseInt(in); !ok || got != want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "二十三个", "abc"} {
		if _, ok := ParseInt(in); ok {
			t.Errorf("ParseInt(%q) ok, want not a numeral", in)
		}
	}
}
