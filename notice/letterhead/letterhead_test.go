package letterhead

import (
	"testing"

	"github.com/dubanhq/duban"
)

// paras turns lines into paragraphs.
func paras(lines ...string) []Para {
	out := make([]Para, len(lines))
	for i, l := range lines {
		out[i] = Para{Text: l}
	}
	return out
}

// TestRead checks the fields read from a letterhead, a signature at the
// end, and where the notice has no title of its own.
func TestRead(t *testing.T) {
	tests := []struct {
		name       string
		head, tail []Para
		want       duban.DocumentInfo
	}{
		{"letterhead and signature",
			paras("济南市历下区人民政府办公室文件", "历下政办字〔2022〕3号", "区人民政府办公室关于印发2022年目标任务分解的通知", "各街道办事处："),
			paras("济南市历下区人民政府办公室", "2022年4月22日"),
			duban.DocumentInfo{DocNumber: "历下政办字〔2022〕3号", Issuer: "济南市历下区人民政府办公室", Title: "关于印发2022年目标任务分解的通知",
				Date: "2022-04-22", Year: 2022, Region: "济南市历下区"}},
		{"posting date under a damaged signing date",
			paras("黄石港区人民政府关于印发2025年区政府重点工作分解意见的通知", "发布时间:2025-01-13"),
			paras("黄石港区人民政府", "20251月13"),
			duban.DocumentInfo{Issuer: "黄石港区人民政府", Title: "关于印发2025年区政府重点工作分解意见的通知", Date: "2025-01-13", Year: 2025, Region: "黄石港区"}},
		{"posting date and no signing date",
			paras("宿州市人民政府关于2021年市政府重点工作及责任分解的通知", "发布时间:2021-02-05 16:20", "完成时限", "2021年12月"),
			paras("2021年12月"),
			duban.DocumentInfo{Issuer: "宿州市人民政府", Title: "关于2021年市政府重点工作及责任分解的通知", Year: 2021, Region: "宿州市"}},
		{"a plan published alone, reported",
			paras("近日,省政府办公厅印发2020年政府工作报告重点工作责任分解的通知。", "政府工作报告重点工作责任分解", "一、李明省长主抓重点工作"),
			nil,
			duban.DocumentInfo{Issuer: "省政府办公厅", Title: "政府工作报告重点工作责任分解", Year: 2020}},
		{"a covering notice without its title",
			paras("各区县人民政府：", "现印发给你们。", "某市人民政府办公室", "2020年5月22日", "2020年政府工作报告重点工作责任分解", "一、王刚市长主抓重点工作"),
			nil,
			duban.DocumentInfo{Issuer: "某市人民政府办公室", Date: "2020-05-22", Year: 2020, Region: "某市"}},
		{"the State Council, year from the number",
			paras("国务院关于落实《政府工作报告》重点工作部门分工的意见", "国发〔2020〕6号"),
			nil,
			duban.DocumentInfo{DocNumber: "国发〔2020〕6号", Issuer: "国务院", Title: "关于落实《政府工作报告》重点工作部门分工的意见", Year: 2020, Region: "全国"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Read(tt.head, tt.tail); got != tt.want {
				t.Errorf("Read = %+v\nwant   %+v", got, tt.want)
			}
		})
	}
}

// TestIssuerBefore checks the issuer found before a title or a verb of a
// report, and that what is no office's name gives none.
func TestIssuerBefore(t *testing.T) {
	for in, want := range map[string]string{
		"【市政府重点工作及责任分解】滁州市人民政府":     "滁州市人民政府",
		"据安徽省人民政府网消息,近日,安徽省人民政府发布":  "安徽省人民政府",
		"2023-01-05 10:00 区人民政府办公室": "区人民政府办公室",
		"经区政府同意，现":                  "",
		"":                          "",
	} {
		if got := issuerBefore(in); got != want {
			t.Errorf("issuerBefore(%q) = %q, want %q", in, got, want)
		}
	}
}
