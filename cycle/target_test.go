package cycle_test

import (
	"math"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

func ind(metric string, cmp duban.Comparison, value float64, unit string) *duban.Indicator {
	return &duban.Indicator{Metric: metric, Cmp: cmp, Value: value, Unit: unit}
}

func TestParseActual(t *testing.T) {
	jobs := ind("新增城镇就业", duban.CmpEqual, 3.87, "万人")
	growth := ind("地区生产总值增长", duban.CmpAtLeast, 8, "%")
	power := ind("光伏装机规模新增", duban.CmpEqual, 5000, "千瓦")
	money := ind("设立政府引导基金", duban.CmpAtLeast, 3, "亿元")
	firms := ind("新增高新技术企业", duban.CmpEqual, 119, "家")
	for _, tc := range []struct {
		in   *duban.Indicator
		text string
		want float64
		// a fragment of the message when the text is refused
		err string
	}{
		{jobs, "3.87万人", 38700, ""},
		{jobs, "38700人", 38700, ""},
		{jobs, "38,700人", 38700, ""},
		{jobs, "38,700", 0, "没有写单位：目标的单位是“万人”，请写成 3.87万人 或 38,700人"},
		{jobs, "3.87", 0, "没有写单位"},
		{jobs, "3.87万", 38700, ""},
		{jobs, "３．８７万人", 38700, ""},
		{jobs, "约四万", 0, "不是确切的数字"},
		{jobs, "四万人", 0, "阿拉伯数字"},
		{jobs, "3.9万人次", 0, "单位“人次”与目标的单位“万人”不同"},
		{jobs, "很多", 0, "不是确切的数字"},
		{jobs, "已完成", 0, "无法读取"},
		{jobs, "", 0, "为空"},
		{growth, "8.2%", 8.2, ""},
		{growth, "增长8.2%", 8.2, ""},
		{growth, "同比增长 8.2 %", 8.2, ""},
		{growth, "8.2", 8.2, ""},
		{growth, "下降1.5%", -1.5, ""},
		{growth, "0.5个百分点", 0.5, ""},
		{power, "5000千瓦", 5000, ""},
		{power, "5000", 5000, ""},
		{money, "30000万元", 3e8, ""},
		{money, "3.2亿元", 3.2e8, ""},
		{money, "3.2亿", 3.2e8, ""},
		{firms, "30家", 30, ""},
		{firms, "30个", 0, "单位“个”"},
		{firms, strings.Repeat("1", 60), 0, "过长"},
	} {
		got, err := cycle.ParseActual(tc.text, tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("ParseActual(%q, %s): %v", tc.text, tc.in.Unit, err)
		case tc.err == "" && math.Abs(got-tc.want) > 1e-6*math.Abs(tc.want):
			t.Errorf("ParseActual(%q, %s): got %v, want %v", tc.text, tc.in.Unit, got, tc.want)
		case tc.err != "" && !strings.Contains(duban.ErrorMessage(err), tc.err):
			t.Errorf("ParseActual(%q, %s): got %v, want a message with %q", tc.text, tc.in.Unit, err, tc.err)
		case tc.err != "" && duban.ErrorCode(err) != duban.EINVALID:
			t.Errorf("ParseActual(%q): got code %q, want invalid", tc.text, duban.ErrorCode(err))
		}
	}
}

func TestTargetProgress(t *testing.T) {
	upper := 3.0
	for _, tc := range []struct {
		in       *duban.Indicator
		actual   float64
		met      bool
		ratio    float64
		sentence string
	}{
		{ind("地区生产总值增长", duban.CmpAtLeast, 8, "%"), 8.2, true, 1.025, "地区生产总值增长：目标 ≥ 8 %，实际 8.2%，已达到"},
		{ind("地区生产总值增长", duban.CmpAtLeast, 8, "%"), 7.9, false, 0.9875, ""},
		{ind("新增城镇就业", duban.CmpEqual, 3.87, "万人"), 38700, true, 1, "新增城镇就业：目标 3.87 万人，实际 3.87万人（38,700人），已达到（100%）"},
		{ind("新增城镇就业", duban.CmpEqual, 3.87, "万人"), 19350, false, 0.5, ""},
		{ind("居民房屋征收", duban.CmpMore, 3700, "户"), 3700, false, 1, ""},
		{ind("居民房屋征收", duban.CmpMore, 3700, "户"), 3701, true, 3701.0 / 3700, ""},
		{ind("PM2.5 浓度", duban.CmpAtMost, 40, "微克/立方米"), 38, true, 1, ""},
		{ind("PM2.5 浓度", duban.CmpAtMost, 40, "微克/立方米"), 50, false, 0.8, ""},
		{ind("群众文化活动", duban.CmpAbout, 100, "场"), 96, true, 0.96, ""},
		{ind("群众文化活动", duban.CmpAbout, 100, "场"), 90, false, 0.9, ""},
		{&duban.Indicator{Metric: "一流品牌学校", Cmp: duban.CmpRange, Value: 2, Upper: &upper, Unit: "所"}, 1, false, 0.5, ""},
		{&duban.Indicator{Metric: "一流品牌学校", Cmp: duban.CmpRange, Value: 2, Upper: &upper, Unit: "所"}, 2, true, 1, ""},
	} {
		p := cycle.Progress(tc.in, 0, tc.actual)
		if p.Met != tc.met || math.Abs(p.Ratio-tc.ratio) > 1e-9 {
			t.Errorf("%s %s, actual %v: got met %v ratio %v, want %v %v", tc.in.Metric, tc.in.Goal(), tc.actual, p.Met, p.Ratio, tc.met, tc.ratio)
		}
		if tc.sentence != "" && p.Sentence != tc.sentence {
			t.Errorf("%s: got sentence %q, want %q", tc.in.Metric, p.Sentence, tc.sentence)
		}
	}
}

func TestReadActuals(t *testing.T) {
	inds := []duban.Indicator{*ind("新增城镇就业", duban.CmpEqual, 3.87, "万人"), *ind("新增学位", duban.CmpEqual, 1.5, "万个")}
	got, err := cycle.ReadActuals([]string{"约四万", " 12000个 "}, inds)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Value != nil || got[0].Text != "约四万" || !strings.Contains(got[0].Problem, "不是确切的数字") {
		t.Errorf("unreadable actual kept with its text and problem: got %+v", got[0])
	}
	if got[1].Value == nil || *got[1].Value != 12000 || got[1].Indicator != 1 {
		t.Errorf("second actual: got %+v", got[1])
	}
	if _, err := cycle.ReadActuals([]string{"1", "2", "3"}, inds); duban.ErrorCode(err) != duban.EINVALID {
		t.Errorf("more actuals than targets: got %v", err)
	}
}

func FuzzParseActual(f *testing.F) {
	for _, s := range []string{"3.87万人", "约四万", "增长8.2%", "38,700", "3.9万人次", "-1e9"} {
		f.Add(s, "万人")
	}
	f.Fuzz(func(t *testing.T, text, unit string) {
		in := &duban.Indicator{Metric: "指标", Cmp: duban.CmpAtLeast, Value: 1, Unit: unit}
		v, err := cycle.ParseActual(text, in)
		if err != nil {
			if duban.ErrorCode(err) != duban.EINVALID {
				t.Fatalf("got code %q: %v", duban.ErrorCode(err), err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%q read as %v", text, v)
		}
	})
}
