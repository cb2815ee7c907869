package docx

import (
	"strings"
	"time"
)

// sampleDocument is a bulletin as the office sends one: letterhead, number,
// title, addressee, headings, paragraphs, a table of lagging tasks, and the
// office and date at the end. It runs over three pages.
func sampleDocument() *Document {
	body := []Block{
		Paragraph{Text: "根据《关于印发2022年〈济南市历下区政府工作报告〉目标任务分解的通知》（历下政办字〔2022〕3号）要求，区政府督查室对2022年5月各项目标任务推进情况进行了调度，现将有关情况通报如下。"},
		Heading{Level: 1, Text: "总体情况"},
		Paragraph{Text: "全区88项目标任务中，已办结3项，已完成9项，正常推进52项，进度滞后12项，严重滞后4项，未报送6项，未启动2项。"},
		Heading{Level: 2, Text: "各行动推进情况"},
		Paragraph{Text: "实施科技创新引领行动，新增高新技术企业80家，完成目标的67%；实施“项目深化年”攻坚行动，省市重点项目开工率达到85%。"},
		Heading{Level: 2, Text: "量化指标完成情况"},
		Paragraph{Text: "43个量化指标中，已达到或超过序时进度的31个，低于序时进度的12个。"},
		Heading{Level: 1, Text: "进度滞后任务"},
		Table{
			Columns: []Column{{Title: "序号", Width: 1, Center: true}, {Title: "任务内容", Width: 5}, {Title: "牵头单位", Width: 2, Center: true}, {Title: "滞后原因", Width: 4}},
			Rows:    lateRows(),
		},
		Heading{Level: 1, Text: "下一步工作要求"},
	}
	for i := range 8 {
		body = append(body, Paragraph{Text: strings.Repeat("各牵头单位要对照目标任务，倒排工期、挂图作战，", 2+i%3) + "确保各项任务按期完成。"})
	}
	return &Document{
		Office:    "济南市历下区人民政府督查室",
		Number:    "历下督字〔2022〕5号",
		Title:     "关于2022年5月全区重点工作任务推进情况的通报",
		To:        "各街道办事处，区政府各部门，各驻区单位：",
		Body:      body,
		Signature: "济南市历下区人民政府督查室",
		Date:      time.Date(2022, 6, 6, 0, 0, 0, 0, time.UTC),
	}
}

func lateRows() [][]string {
	units := []string{"区发展和改革局", "区科学技术局", "区住房和城乡建设局", "区教育和体育局"}
	var rows [][]string
	for i := range 16 {
		rows = append(rows, []string{
			itoa(i + 1),
			"推进老旧小区改造，完成改造项目" + itoa(10+i) + "个，惠及居民<" + itoa(1000*(i+1)) + ">户",
			units[i%len(units)],
			"受施工条件影响，\n部分项目开工推迟",
		})
	}
	return rows
}
