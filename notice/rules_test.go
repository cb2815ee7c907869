package notice

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// mustRead reads a notice given as text, failing the test on an error.
func mustRead(t *testing.T, text string) *duban.Reading {
	t.Helper()
	r, err := Read("x.txt", []byte(text))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return r
}

// owners is a task's three lists, for comparing in one go.
func owners(task duban.ReadTask) [3][]string {
	return [3][]string{task.LeadLeaders, task.LeadUnits, task.ResponsibleUnits}
}

// TestFirstListedFromWhereStated checks that the first-listed rule
// applies from the bracket or sentence that states it, to that bracket's own
// list and every list after it, and to none before it.
func TestFirstListedFromWhereStated(t *testing.T) {
	r := mustRead(t, `一、推动发展
（一）扩大投资。实施项目一批（省财政厅、省税务局负责）。建设园区一批（省发展改革委、省自然资源厅等负责。列第一位的为牵头部门，下同），推进改革一批（省商务厅、省财政厅负责），办好展会（省商务厅负责）。
`)
	want := [][3][]string{
		{{}, {}, {"省财政厅", "省税务局"}},
		{{}, {"省发展改革委"}, {"省自然资源厅"}},
		{{}, {"省商务厅"}, {"省财政厅"}},
		{{}, {"省商务厅"}, {}},
	}
	if len(r.Tasks) != len(want) {
		t.Fatalf("read %d tasks, want %d", len(r.Tasks), len(want))
	}
	for i, task := range r.Tasks {
		if got := owners(task); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("task %s %q: owners %q, want %q", task.No, task.Text, got, want[i])
		}
	}
	if r.Tasks[0].Text != "实施项目一批" {
		t.Errorf("first task %q: the heading phrase is part of it", r.Tasks[0].Text)
	}
}

// TestUnitOnlyBrackets checks that, under the first-listed rule, a bracket
// of units alone closes a task where an attribution stands, and is text
// inside a sentence.
func TestUnitOnlyBrackets(t *testing.T) {
	r := mustRead(t, `责任分解中，列第一位的责任单位为牵头单位。
一、加快发展
1.培育南昌、赣州（含赣州经开区）区域消费中心城市，推进城区（市商务局、市发改委）。
2.新建公园3个（市园林局）。
`)
	if len(r.Tasks) != 2 {
		t.Fatalf("read %d tasks, want 2: %+v", len(r.Tasks), r.Tasks)
	}
	if got := r.Tasks[0].Text; got != "培育南昌、赣州（含赣州经开区）区域消费中心城市，推进城区" {
		t.Errorf("task 1 text = %q", got)
	}
	if got := owners(r.Tasks[0]); !reflect.DeepEqual(got, [3][]string{{}, {"市商务局"}, {"市发改委"}}) {
		t.Errorf("task 1 owners = %q", got)
	}
	if got := owners(r.Tasks[1]); !reflect.DeepEqual(got, [3][]string{{}, {"市园林局"}, {}}) {
		t.Errorf("task 2 owners = %q", got)
	}
}

// TestTextCutOffInsideAttribution checks that a notice that ends inside an
// attribution's bracket makes no task of the text before it: the text is
// unassigned and the reading says why.
func TestTextCutOffInsideAttribution(t *testing.T) {
	r := mustRead(t, `一、改善民生
1.新建学校2所（牵头单位：区教育局；责任单位：区财政局）
2.开展困难群众帮扶，实现应保尽保。（牵头区领导：杨军；牵头单位：区民政局；责任单位：区医保局、区残联`)
	if len(r.Tasks) != 1 {
		t.Fatalf("read %d tasks, want 1", len(r.Tasks))
	}
	if len(r.Unassigned) != 1 || r.Unassigned[0].Text != "开展困难群众帮扶，实现应保尽保" {
		t.Errorf("unassigned = %+v, want the cut-off item's text", r.Unassigned)
	}
	if !hasWarning(r, "text_ends_in_bracket") {
		t.Errorf("no text_ends_in_bracket warning in %+v", r.Warnings)
	}
}

func hasWarning(r *duban.Reading, code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// TestItemHeadingsAndNumberedTargets checks that sections follow the
// notice's own numbers (a numbered targets heading is section 1) and that
// an item with sub-items under it is a heading at the item level.
func TestItemHeadingsAndNumberedTargets(t *testing.T) {
	r := mustRead(t, `一、2023年主要预期目标
1.地区生产总值增长6%。
牵头单位：区发改局
二、壮大实体经济
1.新增规上工业企业15户。
牵头单位：区工信局
2.加快数字经济发展。
（1）新建5G基站300个。
责任领导:李建国
牵头单位:区工信局
（2）新增数字经济企业10家。
牵头单位：区科技局
3.扩大服务业规模。
责任单位：区商务局
`)
	var nos, texts []string
	for _, task := range r.Tasks {
		nos = append(nos, task.No)
		texts = append(texts, task.Text)
	}
	if want := []string{"1.0.1", "2.0.1", "2.0.2", "2.0.3", "2.0.4"}; !reflect.DeepEqual(nos, want) {
		t.Errorf("task numbers %q, want %q (texts %q)", nos, want, texts)
	}
	if len(r.Sections) != 2 || r.Sections[0].No != 1 || r.Sections[0].Title != "2023年主要预期目标" {
		t.Errorf("sections = %+v", r.Sections)
	}
	if len(r.Areas) != 0 || len(r.Unassigned) != 0 {
		t.Errorf("areas %+v, unassigned %+v: the item heading is neither", r.Areas, r.Unassigned)
	}
}

// TestFlattenedTableAccidents checks a table copied one cell a line with a
// header cell broken over two lines, a padded name, units on separate lines,
// a 备注 column and a row continued after a page footer.
func TestFlattenedTableAccidents(t *testing.T) {
	r := mustRead(t, `序号
重点工作任务
分管（牵头）
县领导
牵头单位
责任（配合）
单位
完成时限
备注
一、扩大有效投资
1
全年实施重点项目150个。
王 强
县发改委
县自然资源局
县住建局
2023年12月底
省重点项目
2
新建高标准农田5万亩，粮食产量稳定在
李建华
县农业农村局
县水利局
— 2 —
60万吨以上。
各乡镇人民政府
2023年9月底
`)
	if len(r.Tasks) != 2 {
		t.Fatalf("read %d tasks, want 2: %+v", len(r.Tasks), r.Tasks)
	}
	want := []struct {
		text     string
		owners   [3][]string
		deadline string
	}{
		{"全年实施重点项目150个", [3][]string{{"王 强"}, {"县发改委"}, {"县自然资源局", "县住建局"}}, "2023年12月底"},
		{"新建高标准农田5万亩，粮食产量稳定在60万吨以上", [3][]string{{"李建华"}, {"县农业农村局"}, {"县水利局", "各乡镇人民政府"}}, "2023年9月底"},
	}
	for i, w := range want {
		task := r.Tasks[i]
		if task.Text != w.text || !reflect.DeepEqual(owners(task), w.owners) || task.Deadline != w.deadline {
			t.Errorf("task %d = %q %q %q, want %q %q %q", i+1, task.Text, owners(task), task.Deadline, w.text, w.owners, w.deadline)
		}
	}
	if !hasWarning(r, "name_with_spaces") {
		t.Errorf("no warning about the padded name %q", "王 强")
	}
}

// TestLetterheads checks the document fields read from the forms web pages
// and letterheads take.
func TestLetterheads(t *testing.T) {
	const body = "\n一、发展经济\n1.新建学校2所（牵头单位：区教育局）\n"
	tests := []struct {
		name, head string
		want       duban.DocumentInfo
	}{
		{"publication line and information block", `区人民政府办公室关于印发2023年区政府工作报告重点任务分解的通知
2023-01-05 10:00 区人民政府办公室
索 引 号 MB1534522/2023-05475 发文日期 2023-01-03
发布机构 区人民政府办公室 文    号 蔡政办〔2023〕1号
各街道办事处：
现印发给你们。
蔡甸区人民政府办公室
2023年1月3日`, duban.DocumentInfo{DocNumber: "蔡政办〔2023〕1号", Issuer: "蔡甸区人民政府办公室",
			Title: "关于印发2023年区政府工作报告重点任务分解的通知", Date: "2023-01-03", Year: 2023, Region: "蔡甸区"}},
		{"number and issuer before the title, posting date only", `港政发〔2025〕1号 黄石港区人民政府 关于印发2025年区政府重点工作分解意见的通知
发布时间:2025-01-13
黄石港区人民政府
20251月13`, duban.DocumentInfo{DocNumber: "港政发〔2025〕1号", Issuer: "黄石港区人民政府",
			Title: "关于印发2025年区政府重点工作分解意见的通知", Date: "2025-01-13", Year: 2025, Region: "黄石港区"}},
		{"a table page with its information block alone", `索引号: 11341602003166647K/202503-00040
发布机构: 谯城区政府(办公室)
名称: 谯城区2025年政府工作报告重点工作任务分解表
文号:
发文日期: 2025-03-28`, duban.DocumentInfo{Issuer: "谯城区政府(办公室)",
			Title: "谯城区2025年政府工作报告重点工作任务分解表", Date: "2025-03-28", Year: 2025, Region: "谯城区"}},
		{"an information table copied with | between its cells", `索引号: | 113304820025561412/2023-10021 | 成文日期: | 2023-03-09 |
文件编号: | 平政办发〔2023〕7号 | 组配分类: | 政府工作报告 |
发布机构: | 市政府办公室 | 有效性: |
平湖市人民政府办公室关于印发政府工作报告2023年重点工作责任分解的通知 |
||`, duban.DocumentInfo{DocNumber: "平政办发〔2023〕7号", Issuer: "平湖市人民政府办公室",
			Title: "关于印发政府工作报告2023年重点工作责任分解的通知", Date: "2023-03-09", Year: 2023, Region: "平湖市"}},
		{"an attachment alone", `2023年区《政府工作报告》确定的重点工作任务责任分解方案`, duban.DocumentInfo{Title: "2023年区《政府工作报告》确定的重点工作任务责任分解方案", Year: 2023}},
		{"a news report of the plan", `地区生产总值增长5%左右
近日,江北区人民政府办公室发布《2023年区政府工作报告重点工作目标任务分解》方案,共细分出120项目标任务。
2023年区政府工作报告重点工作目标任务分解`, duban.DocumentInfo{Issuer: "江北区人民政府办公室", Title: "2023年区政府工作报告重点工作目标任务分解", Year: 2023, Region: "江北区"}},
		{"a news report naming the notice", `新闻讯据省人民政府网消息,近日,江苏省人民政府发布关于年重点工作及责任分解的通知。`,
			duban.DocumentInfo{Issuer: "江苏省人民政府", Title: "关于年重点工作及责任分解的通知", Region: "江苏省"}},
		{"a column tag and a posting time, no signature", `【重点工作及责任分解】宿州市人民政府关于2021年市政府重点工作及责任分解的通知
发布时间:2021-02-05 16:20
各县、区人民政府:`, duban.DocumentInfo{Issuer: "宿州市人民政府", Title: "关于2021年市政府重点工作及责任分解的通知", Year: 2021, Region: "宿州市"}},
		{"the State Council", `国务院关于落实《政府工作报告》重点工作部门分工的意见
国发〔2021〕6号`, duban.DocumentInfo{DocNumber: "国发〔2021〕6号", Issuer: "国务院", Title: "关于落实《政府工作报告》重点工作部门分工的意见", Year: 2021, Region: "全国"}},
		{"a title copied with spaces for line breaks", `鞍山市立山区人民政府文件
鞍立政发〔2023〕2号
立山区人民政府关于印发 《立山区政府2023年重点工作任务分解 和责任分工方案》的通知
二〇二三年三月二十八日`, duban.DocumentInfo{DocNumber: "鞍立政发〔2023〕2号", Issuer: "鞍山市立山区人民政府",
			Title: "关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知", Date: "2023-03-28", Year: 2023, Region: "鞍山市立山区"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRead(t, tt.head+body).Document; got != tt.want {
				t.Errorf("document = %+v\nwant       %+v", got, tt.want)
			}
		})
	}
}

// TestPhraseKeyLines checks own-line 部门分工 phrases and that the next item
// number starts the next task.
func TestPhraseKeyLines(t *testing.T) {
	r := mustRead(t, `一、主要预期目标
1.地区生产总值增长9%左右。
分管省领导:陈明远
部门分工:省发展改革委牵头,各地、各部门配合。
2.地方一般公共预算收入增长8%。
分管省领导：陈明远
部门分工：省财政厅牵头，各地、各部门配合。
`)
	if len(r.Tasks) != 2 || r.Tasks[1].Text != "地方一般公共预算收入增长8%" {
		t.Fatalf("tasks = %+v", r.Tasks)
	}
	for _, task := range r.Tasks {
		if len(task.LeadUnits) != 1 || !reflect.DeepEqual(task.ResponsibleUnits, []string{"各地", "各部门"}) || strings.Join(task.LeadLeaders, "") != "陈明远" {
			t.Errorf("task %s owners %q", task.No, owners(task))
		}
	}
}

// TestItemsNumberedAsHeadings checks that items numbered （一） whose
// attribution follows their text in the same paragraph are tasks, while
// （一）… opening a paragraph with text of its own before the first
// attribution is an area heading.
func TestItemsNumberedAsHeadings(t *testing.T) {
	r := mustRead(t, `一、主要目标
(一)地区生产总值增长11%。[牵头单位:县发改局(粮食局);责任单位:各镇人民政府]
(二)地方公共预算收入增长32%。(牵头单位:县财政局;责任单位:县税务局)
二、重点工作
(一)扩大投资。实施项目一批(牵头单位:县发改局)，建设园区一批(牵头单位:县自然资源局)。
`)
	var got []string
	for _, task := range r.Tasks {
		got = append(got, task.No+" "+task.Text)
	}
	want := []string{"1.0.1 地区生产总值增长11%", "1.0.2 地方公共预算收入增长32%", "2.1.1 实施项目一批", "2.1.2 建设园区一批"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tasks %q, want %q", got, want)
	}
	if len(r.Areas) != 1 || r.Areas[0].Title != "扩大投资" {
		t.Errorf("areas = %+v", r.Areas)
	}
}

// TestFlatHeaderBounded checks that a run of lines that each could be a
// header cell is no header past maxColumns, so that a long run of them is
// not read again from every line (which made reading quadratic).
func TestFlatHeaderBounded(t *testing.T) {
	var ps []*para
	for range 3 * maxColumns {
		ps = append(ps, &para{text: "任务（牵头单位：区A局）"})
	}
	if roles, n := flatHeader(ps); n != 0 {
		t.Errorf("flatHeader read %d lines as a header of %d columns", n, len(roles))
	}
	if roles, n := flatHeader([]*para{{text: "序号"}, {text: "重点工作"}, {text: "牵头"}, {text: "单位"}, {text: "完成时限"}, {text: "1"}}); n != 5 || len(roles) != 4 {
		t.Errorf("flatHeader = %v, %d; want 4 columns over 5 lines", roles, n)
	}
}

// TestFirstListedStatedInKeyLine checks a key line whose last (or first)
// unit carries the first-listed convention in a bracket, as city and county
// notices write it (列第一位者为工作牵头单位或汇总单位,下同 / 首位单位为牵头单位,
// 下同): the first unit leads, the rest are responsible, the remark is part
// of no name, and the rule holds for the key lines after it.
func TestFirstListedStatedInKeyLine(t *testing.T) {
	for _, tt := range []struct{ name, first string }{
		{"at the end of the list", "责任单位:市经信局、市财政局、工商联(列第一位者为牵头或汇总单位,下同)"},
		{"after the first unit", "责任单位:市经信局(首位单位为牵头单位,下同)、市财政局、工商联"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRead(t, "一、推动高质量发展\n1.支持企业发展,减轻企业负担20亿元。\n"+tt.first+"\n2.加快项目建设。\n责任单位:市发改局、市住建局\n3.办好展会。\n责任单位:市商务局\n")
			want := [][3][]string{
				{{}, {"市经信局"}, {"市财政局", "工商联"}},
				{{}, {"市发改局"}, {"市住建局"}},
				{{}, {"市商务局"}, {}},
			}
			if len(r.Tasks) != len(want) {
				t.Fatalf("read %d tasks, want %d", len(r.Tasks), len(want))
			}
			for i, task := range r.Tasks {
				if got := owners(task); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("task %s: owners %q, want %q", task.No, got, want[i])
				}
			}
		})
	}
}

// TestGroupNameWithLevels checks that a group named over several levels
// with 、 (各县、市、区政府, 各县(市、区)政府 written without its brackets) is one
// name, not 各县, 市 and 区政府.
func TestGroupNameWithLevels(t *testing.T) {
	r := mustRead(t, "一、主要目标\n1.地区生产总值增长8%以上。\n牵头责任单位:市发展改革委。\n协同责任单位:市经信局、中新苏滁高新区管委会等,各县、市、区政府。\n")
	if len(r.Tasks) != 1 {
		t.Fatalf("read %d tasks, want 1", len(r.Tasks))
	}
	if got, want := r.Tasks[0].ResponsibleUnits, []string{"市经信局", "中新苏滁高新区管委会", "各县、市、区政府"}; !reflect.DeepEqual(got, want) {
		t.Errorf("responsible %q, want %q", got, want)
	}
}

// TestSmallFullStopNumbers checks that items numbered with the small full
// stop (1﹒, U+FE52) that provincial sites print are read as numbered items,
// the number no part of the task's text.
func TestSmallFullStopNumbers(t *testing.T) {
	r := mustRead(t, "一、确保完成全年主要预期目标\n1﹒全省生产总值增长7%以上。\n牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n2﹒一般公共预算收入增长7%左右。\n牵头责任单位:省财政厅。\n")
	var texts []string
	for _, task := range r.Tasks {
		texts = append(texts, task.Text)
	}
	if want := []string{"全省生产总值增长7%以上", "一般公共预算收入增长7%左右"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("tasks %q, want %q", texts, want)
	}
}

// TestRunOnBody checks a page whose whole body a text copy ran into one
// line, a space where each paragraph ended: its headings, items and key
// lines are found inside the line, and the spaces of an ordinary paragraph
// (around numbers, inside a bracket) split nothing.
func TestRunOnBody(t *testing.T) {
	body := "各镇人民政府(街道办事处),市政府各部门: 《政府工作报告2023年重点工作责任分解》已经市政府同意,现印发给你们,请认真贯彻执行。 " +
		"2023年是全面贯彻落实党的二十大精神的开局之年,各级各部门要高度重视,细化工作方案,确保按时完成既定的目标任务。 平湖市人民政府办公室 2023年3月9日 (此件公开发布) " +
		"政府工作报告2023年重点工作责任分解 一、李明市长牵头重点工作 1.全市生产总值增长 6.5% 左右;一般公共预算收入增长7%。 责任单位:市发改局(首位单位为牵头单位,下同)、市财政局、市税务局 " +
		"2.严控一般性支出,降低行政运行成本。 责任单位:市财政局 二、张华常务副市长牵头重点工作 1.加强重大行政决策事前论证和事后评估,提高决策科学化水平。 责任单位:市司法局"
	r := mustRead(t, body+"\n")
	want := []struct {
		no, text string
		owners   [3][]string
	}{
		{"1.0.1", "全市生产总值增长 6.5% 左右;一般公共预算收入增长7%", [3][]string{{"李明"}, {"市发改局"}, {"市财政局", "市税务局"}}},
		{"1.0.2", "严控一般性支出,降低行政运行成本", [3][]string{{"李明"}, {"市财政局"}, {}}},
		{"2.0.1", "加强重大行政决策事前论证和事后评估,提高决策科学化水平", [3][]string{{"张华"}, {"市司法局"}, {}}},
	}
	if len(r.Tasks) != len(want) {
		t.Fatalf("read %d tasks, want %d: %+v", len(r.Tasks), len(want), r.Tasks)
	}
	for i, w := range want {
		task := r.Tasks[i]
		if task.No != w.no || task.Text != w.text || !reflect.DeepEqual(owners(task), w.owners) {
			t.Errorf("task %d = %s %q %q, want %s %q %q", i+1, task.No, task.Text, owners(task), w.no, w.text, w.owners)
		}
	}
	if len(r.Sections) != 2 || r.Sections[1].Title != "张华常务副市长牵头重点工作" {
		t.Errorf("sections = %+v", r.Sections)
	}
}

// TestLeaderHeadings checks that a heading naming the leader who leads the
// tasks under it gives each of them that leader, unless a task names its
// own, and that the next such heading names the next leader.
func TestLeaderHeadings(t *testing.T) {
	r := mustRead(t, `一、陈立新区长主抓重点工作
1.稳企业、防风险。做好稳企业各项工作。
牵头单位:区发改局、区经信局
2.推进数字化改革。
责任领导:周伟
牵头单位:区大数据局
二、刘芳副区长牵头重点工作
1.办好十方面民生实事。
牵头单位:区民政局
`)
	var got [][]string
	for _, task := range r.Tasks {
		got = append(got, task.LeadLeaders)
	}
	if want := [][]string{{"陈立新"}, {"周伟"}, {"刘芳"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("leaders %q, want %q", got, want)
	}
	if len(r.Sections) != 2 || r.Sections[0].Title != "陈立新区长主抓重点工作" {
		t.Errorf("sections = %+v", r.Sections)
	}
	// A heading that only mentions a post names no leader.
	r = mustRead(t, "一、落实市长负责制\n1.完善城市管理体制。\n牵头单位:市城管局\n")
	if len(r.Tasks) != 1 || len(r.Tasks[0].LeadLeaders) != 0 {
		t.Errorf("tasks %+v: a heading about 市长负责制 names no leader", r.Tasks)
	}
}

// TestFlattenedTableSourceColumnAndLeaderRow checks a table copied as text
// with a column saying where each task comes from (任务来源), which is
// neither text nor owner, and a merged heading row that counts its tasks
// in a bracket and names their leader.
func TestFlattenedTableSourceColumnAndLeaderRow(t *testing.T) {
	r := mustRead(t, `2023年重点工作及责任清单

序号

重点工作

牵头责任单位

协同责任单位

任务来源

一、张明市长负责事项(共2项)

1

持续优化营商环境,深化“放管服”改革。

市政府办

市政府各部门、各直属机构

省政府〔2023〕5号文件

2

加快建设现代产业体系。

市发展改革委

市经信局

市政府工作报告
`)
	want := []struct {
		text   string
		owners [3][]string
	}{
		{"持续优化营商环境,深化“放管服”改革", [3][]string{{"张明"}, {"市政府办"}, {"市政府各部门", "各直属机构"}}},
		{"加快建设现代产业体系", [3][]string{{"张明"}, {"市发展改革委"}, {"市经信局"}}},
	}
	if len(r.Tasks) != len(want) {
		t.Fatalf("read %d tasks, want %d: %+v", len(r.Tasks), len(want), r.Tasks)
	}
	for i, w := range want {
		if task := r.Tasks[i]; task.Text != w.text || !reflect.DeepEqual(owners(task), w.owners) || task.Deadline != "" {
			t.Errorf("task %d = %q %q %q, want %q %q", i+1, task.Text, owners(task), task.Deadline, w.text, w.owners)
		}
	}
	if len(r.Sections) != 1 || r.Sections[0].Title != "张明市长负责事项(共2项)" {
		t.Errorf("sections = %+v", r.Sections)
	}
}

// TestFlattenedRowWithoutNumber checks a 民生实事 table copied as text in
// which an item has a second row without a number, its 序号 and 责任单位
// cells merged with the row above: the row is a task of its own with the
// units above it and its own deadline. A short unit name (县残联) in a
// table without a leaders' column is a unit, not a person.
func TestFlattenedRowWithoutNumber(t *testing.T) {
	r := mustRead(t, `序号
民生实事
责任单位
完成时限
1
建成县残疾人康复中心。
县残联
6月底前
2
开工建设县养老服务中心。
县民政局
县住建局
5月底前动工
新建社区老年食堂10个。
12月底前
3
新建人行天桥2座。
县住建局
9月投入使用
`)
	want := []struct {
		text, deadline string
		resp           []string
	}{
		{"建成县残疾人康复中心", "6月底前", []string{"县残联"}},
		{"开工建设县养老服务中心", "5月底前动工", []string{"县民政局", "县住建局"}},
		{"新建社区老年食堂10个", "12月底前", []string{"县民政局", "县住建局"}},
		{"新建人行天桥2座", "9月投入使用", []string{"县住建局"}},
	}
	if len(r.Tasks) != len(want) {
		t.Fatalf("read %d tasks, want %d: %+v", len(r.Tasks), len(want), r.Tasks)
	}
	for i, w := range want {
		task := r.Tasks[i]
		if task.Text != w.text || task.Deadline != w.deadline || !reflect.DeepEqual(task.ResponsibleUnits, w.resp) || len(task.LeadUnits)+len(task.LeadLeaders) > 0 {
			t.Errorf("task %d = %q %q %q, want %q %q %q", i+1, task.Text, owners(task), task.Deadline, w.text, w.resp, w.deadline)
		}
	}
	// Nothing names these 民生实事 targets: section 0 has no title.
	if len(r.Sections) != 1 || r.Sections[0] != (duban.ReadSection{No: 0, Title: ""}) {
		t.Errorf("sections = %+v, want section 0 without a title", r.Sections)
	}
}

// TestSectionZeroTitle checks that section 0 is titled 主要预期目标 where the
// notice names the targets so (a lead-in, a table's header) and nowhere else.
func TestSectionZeroTitle(t *testing.T) {
	for _, tt := range []struct{ name, text, title string }{
		{"lead-in", "全区经济社会发展的主要预期目标是：地区生产总值增长6%左右（牵头单位：区发改局）。\n一、发展经济\n1.新建学校2所（牵头单位：区教育局）\n", "主要预期目标"},
		{"table header", "序号\n2023年预期目标\n责任单位\n1\n地区生产总值增长6%左右\n区发改委\n", "主要预期目标"},
		{"items under the attachment title", "重点工作责任分解\n1.实施提高居民收入富民行动。\n牵头市领导:王刚\n责任单位:市发改委\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRead(t, tt.text)
			if len(r.Sections) == 0 || r.Sections[0].No != 0 || r.Sections[0].Title != tt.title {
				t.Errorf("sections = %+v, want section 0 titled %q", r.Sections, tt.title)
			}
		})
	}
}
