package notice

import (
	"reflect"
	"testing"
)

func TestParseAttribution(t *testing.T) {
	tests := []struct {
		in         string
		firstLeads bool
		ok         bool
		leaders    []string
		leads      []string
		resp       []string
		deadline   string
	}{
		{in: "牵头领导：武毅，牵头单位：区财政局，责任单位：区发展和改革局、历下控股集团", ok: true,
			leaders: []string{"武毅"}, leads: []string{"区财政局"}, resp: []string{"区发展和改革局", "历下控股集团"}},
		{in: "牵头领导：王锐，牵头单位：区住房和城市建设局，责任单位：区自然资源局、历下城发集团，相关街道办事处", ok: true,
			leaders: []string{"王锐"}, leads: []string{"区住房和城市建设局"}, resp: []string{"区自然资源局", "历下城发集团", "相关街道办事处"}},
		{in: "牵头领导：洪露，牵头单位：区大数据局，责任单位：区直各有关部门（单位），各街道办事处", ok: true,
			leaders: []string{"洪露"}, leads: []string{"区大数据局"}, resp: []string{"区直各有关部门（单位）", "各街道办事处"}},
		{in: "牵头领导：于杰，牵头单位：区市政工程服务中心，区责任单位：区自然资源局", ok: true,
			leaders: []string{"于杰"}, leads: []string{"区市政工程服务中心"}, resp: []string{"区自然资源局"}},
		{in: "牵头领导：武毅、刘俊刚、王若曦，责任单位：区委统筹疫情防控和经济运行工作领导小组各成员单位", ok: true,
			leaders: []string{"武毅", "刘俊刚", "王若曦"}, resp: []string{"区委统筹疫情防控和经济运行工作领导小组各成员单位"}},
		{in: "责任单位：区审计局", ok: true, resp: []string{"区审计局"}},
		{in: "牵头单位:区卫健局;责任单位:区医保局、各街道办事处", ok: true,
			leads: []string{"区卫健局"}, resp: []string{"区医保局", "各街道办事处"}},
		{in: "分管区领导：李明；主办单位：区发改局；协办单位：区财政局等；完成时限：2023年12月底前", ok: true,
			leaders: []string{"李明"}, leads: []string{"区发改局"}, resp: []string{"区财政局"}, deadline: "2023年12月底前"},
		{in: "国家发展改革委牵头，财政部、商务部等按职责分工负责", ok: true,
			leads: []string{"国家发展改革委"}, resp: []string{"财政部", "商务部"}},
		{in: "国家发展改革委、财政部、商务部等按职责分工负责，年内持续推进", ok: true,
			resp: []string{"国家发展改革委", "财政部", "商务部"}, deadline: "年内持续推进"},
		{in: "国家发展改革委、财政部、商务部等按职责分工负责，年内持续推进", firstLeads: true, ok: true,
			leads: []string{"国家发展改革委"}, resp: []string{"财政部", "商务部"}, deadline: "年内持续推进"},
		{in: "部门分工：省文化和旅游厅牵头，省体育局、省交通运输厅等按职责分工负责", ok: true,
			leads: []string{"省文化和旅游厅"}, resp: []string{"省体育局", "省交通运输厅"}},
		{in: "分管副省长、协管副秘书长负责，省工业和信息化厅牵头，长春市政府等按职责分工负责", firstLeads: true, ok: true,
			leaders: []string{"分管副省长", "协管副秘书长"}, leads: []string{"省工业和信息化厅"}, resp: []string{"长春市政府"}},
		{in: "省政务服务和数字化建设管理局牵头，各部门分别负责", ok: true,
			leads: []string{"省政务服务和数字化建设管理局"}, resp: []string{"各部门"}},
		{in: "部门分工:省发展改革委牵头,各地、各部门配合。", ok: true,
			leads: []string{"省发展改革委"}, resp: []string{"各地", "各部门"}},
		{in: "分管省领导：陈明远；部门分工：省财政厅牵头，省税务局配合", ok: true,
			leaders: []string{"陈明远"}, leads: []string{"省财政厅"}, resp: []string{"省税务局"}},
		{in: "省商务厅、南昌海关牵头，省发展改革委等按职责分工负责", ok: true,
			leads: []string{"省商务厅", "南昌海关"}, resp: []string{"省发展改革委"}},
		// A full stop ends the owners; what follows names nobody.
		{in: "分管副省长、协管副秘书长负责，省发展改革委牵头。明确牵头部门的，其他有关部门配合，不逐一列出，下同", ok: true,
			leaders: []string{"分管副省长", "协管副秘书长"}, leads: []string{"省发展改革委"}},
		// The bracket that states the first-listed rule; leaders by post do
		// not count as the first one listed.
		{in: "分管副省长负责，省生态移民局、省教育厅、省人力资源社会保障厅等负责。列第一位的为牵头部门，其他部门和单位按职责分工负责，下同", firstLeads: true, ok: true,
			leaders: []string{"分管副省长"}, leads: []string{"省生态移民局"}, resp: []string{"省教育厅", "省人力资源社会保障厅"}},
		{in: "分管副省长负责，省财政厅、省税务局负责", ok: true,
			leaders: []string{"分管副省长"}, resp: []string{"省财政厅", "省税务局"}},
		{in: "分管副省长负责，省工业和信息化厅牵头，省发展改革委、省财政厅配合", firstLeads: true, ok: true,
			leaders: []string{"分管副省长"}, leads: []string{"省工业和信息化厅"}, resp: []string{"省发展改革委", "省财政厅"}},
		// Units alone are an attribution only under the first-listed rule.
		{in: "市科技局、市发改委、市经信局", firstLeads: true, ok: true,
			leads: []string{"市科技局"}, resp: []string{"市发改委", "市经信局"}},
		{in: "市交通运输局", firstLeads: true, ok: true, leads: []string{"市交通运输局"}},
		{in: "市科技局、市发改委、市经信局", ok: false},
		{in: "含赣州经开区", firstLeads: true, ok: false},
		{in: "市、区", firstLeads: true, ok: false},
		// A preamble's rule in brackets is no attribution.
		{in: "各项工作均需各设区市人民政府负责落实，不再列出；除列明的部门外，其他有关部门按职责分工负责，不再一一列出", ok: false},
		// Parentheticals that name nobody are not attributions.
		{in: "单位", ok: false},
		{in: "济南", ok: false},
		{in: "以下简称“两个负责”", ok: false},
		{in: "含 2022 年新开工项目", ok: false},
		{in: "详见附件", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, ok := parseAttribution(tt.in, tt.firstLeads)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, a)
			}
			if !ok {
				return
			}
			got := [][]string{a.leaders, a.leads, a.resp}
			want := [][]string{tt.leaders, tt.leads, tt.resp}
			for i := range got {
				if len(got[i]) == 0 && len(want[i]) == 0 {
					continue
				}
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("list %d = %q, want %q", i, got[i], want[i])
				}
			}
			if a.deadline != tt.deadline {
				t.Errorf("deadline = %q, want %q", a.deadline, tt.deadline)
			}
		})
	}
}

func TestClassifyKey(t *testing.T) {
	tests := map[string]keyRole{
		"牵头领导": keyLeader, "牵头区领导": keyLeader, "牵头县领导": keyLeader, "责任领导": keyLeader, "分管领导": keyLeader, "分管市领导": keyLeader,
		"牵头单位": keyLead, "牵头部门": keyLead, "主办单位": keyLead, "牵头责任单位": keyLead,
		"责任单位": keyResp, "配合单位": keyResp, "参与单位": keyResp, "协办单位": keyResp, "责任部门": keyResp, "区责任单位": keyResp,
		"完成时限": keyDeadline, "完成时间": keyDeadline, "时间节点": keyDeadline, "时限": keyDeadline,
		"领导": keyNone, "单位": keyNone, "发布时间": keyNone, "来源": keyNone, "字体": keyNone, "联系电话": keyNone,
	}
	for k, want := range tests {
		if got := classifyKey(k); got != want {
			t.Errorf("classifyKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestFindBrackets(t *testing.T) {
	groups, unclosed, stray := findBrackets("任务(牵头领导：王若曦，责任单位：区人力资源和社会保障局）我们【甲】x（区直各部门（单位））")
	var inner []string
	for _, g := range groups {
		inner = append(inner, g.inner)
	}
	want := []string{"牵头领导：王若曦，责任单位：区人力资源和社会保障局", "甲", "区直各部门（单位）"}
	if !reflect.DeepEqual(inner, want) || unclosed != -1 || stray != 0 {
		t.Errorf("findBrackets = %q, %d, %d; want %q, -1, 0", inner, unclosed, stray, want)
	}
	if _, unclosed, stray := findBrackets("a（b）c）d（e"); unclosed != len("a（b）c）d") || stray != 1 {
		t.Errorf("unclosed = %d, stray = %d; want %d, 1", unclosed, stray, len("a（b）c）d"))
	}
}
