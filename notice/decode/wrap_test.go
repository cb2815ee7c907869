package decode

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// paragraphs returns the non-blank lines of unwrapLines(text) as "no:text".
func paragraphs(text string) []string {
	var out []string
	for _, l := range unwrapLines(splitLines(text)) {
		if strings.TrimSpace(l.text) != "" {
			out = append(out, fmt.Sprintf("%d:%s", l.no, l.text))
		}
	}
	return out
}

// wrapped lays s out in lines of at most width columns.
func wrapped(s string, width int) string {
	var b strings.Builder
	var line []rune
	n := 0
	for _, r := range s {
		w := 1
		if wideRune(r) {
			w = 2
		}
		if n+w > width {
			b.WriteString(string(line) + "\n")
			line, n = nil, 0
		}
		line = append(line, r)
		n += w
	}
	b.WriteString(string(line) + "\n")
	return b.String()
}

// Paragraphs of the tests, hard-wrapped at 48 columns (24 hanzi). filler is
// there to give wrap detection a page's worth of evidence.
const (
	paraA  = "　　坚持把用足政策作为第一保障，先干一步、快人一拍，牢牢把握发展主动权，充分利用、有机结合两大国家重大利好政策，抓好重点基础设施整体包装。（牵头单位：区财政局）"
	paraB  = "　　加快释放城市发展新空间。坚持把征收拆迁作为第一抓手，下好区域发展、项目提速、环境改善、民生保障的先手棋。（牵头单位：区住房和城市建设局）"
	filler = "　　持续强化特色园区带动力。牢牢把握园区发展目标，瞄准新技术、新领域做强做优产业链。做好信创产业园招商选商，依托头部企业，引进新一代信息技术企业，拉伸产业链条，推动园区迈入第一方阵；加快细胞医学产业园、生物制药生产基地建设，发挥共建研究院科研优势，加快构建生物医药链式产业发展集群。"
)

func lineCount(s string) int { return strings.Count(s, "\n") }

// TestUnwrapJoins checks how hard-wrapped lines are joined into paragraphs
// and where a paragraph is kept apart.
func TestUnwrapJoins(t *testing.T) {
	a, b, f := wrapped(paraA, 48), wrapped(paraB, 48), wrapped(filler, 48)
	joinedA := strings.TrimLeft(paraA, "　")
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			"indented paragraphs",
			a + b,
			[]string{"1:" + paraA, fmt.Sprintf("%d:%s", lineCount(a)+1, paraB)},
		},
		{
			"heading that fills its line",
			"（一）大力实施城市更新行动，构建区域协调发展新格局。\n" + a,
			[]string{"1:（一）大力实施城市更新行动，构建区域协调发展新格局。", "2:" + paraA},
		},
		{
			"unindented text: a short line ends the paragraph",
			wrapped(joinedA, 48) + wrapped("第二段文字从这里开始，也写得足够长，长到要换行才能写完，然后在这里结束。", 48),
			[]string{"1:" + joinedA, fmt.Sprintf("%d:第二段文字从这里开始，也写得足够长，长到要换行才能写完，然后在这里结束。", lineCount(wrapped(joinedA, 48))+1)},
		},
		{
			"numbered items and keys open paragraphs",
			"1.新增城镇就业3万人以上，城镇登记失业率控制在3%以\n" +
				"内，全面落实就业优先政策，扩大就业容量和提高质量。\n" +
				"牵头单位：区人力资源和社会保障局，区财政局，区\n" +
				"责任单位：各街道办事处，区直各有关部门（单位）\n" +
				"（2）开展职业技能培训5000人次以上，提升就业质量。\n" +
				"▲建设改造一刻钟社区便民生活圈2个以上，提升便民服\n" +
				"务的水平，方便群众的生活，满足群众的多样化需求。\n",
			[]string{
				"1:1.新增城镇就业3万人以上，城镇登记失业率控制在3%以内，全面落实就业优先政策，扩大就业容量和提高质量。",
				"3:牵头单位：区人力资源和社会保障局，区财政局，区",
				"4:责任单位：各街道办事处，区直各有关部门（单位）",
				"5:（2）开展职业技能培训5000人次以上，提升就业质量。",
				"6:▲建设改造一刻钟社区便民生活圈2个以上，提升便民服务的水平，方便群众的生活，满足群众的多样化需求。",
			},
		},
		{
			"a key inside an open bracket continues",
			"　　完成盛福片区等875亩土地挂牌出让任务。（牵头领导：\n" +
				"责任单位：区自然资源局、区房屋征收服务中心、区城市\n" +
				"管理局）\n",
			[]string{"1:　　完成盛福片区等875亩土地挂牌出让任务。（牵头领导：责任单位：区自然资源局、区房屋征收服务中心、区城市管理局）"},
		},
		{
			"page break inside a word",
			"　　加快批而未供、供而未用土地处置，优化结构，坚持集\n\n           — 3 —\n\f约节约用地，导入更多高技术含量的优质产业项目。\n",
			[]string{"1:　　加快批而未供、供而未用土地处置，优化结构，坚持集约节约用地，导入更多高技术含量的优质产业项目。"},
		},
		{
			"blank line after a sentence ends the paragraph",
			"第一段写得足够长，足够长才会换行，这一行写满了才换\n到这里结束，这一行也写得一样长，正好也写满了。\n\n" +
				"第二段也写得足够长，足够长才会换行，这一行写满了换\n到这里结束。\n",
			[]string{
				"1:第一段写得足够长，足够长才会换行，这一行写满了才换到这里结束，这一行也写得一样长，正好也写满了。",
				"4:第二段也写得足够长，足够长才会换行，这一行写满了换到这里结束。",
			},
		},
		{
			"latin words joined with a space",
			"　　推进数字政府建设，推广应用 Digital Government\n" +
				"Platform 等系统，实现一网通办，把这一行写满为止。\n",
			[]string{"1:　　推进数字政府建设，推广应用 Digital Government Platform 等系统，实现一网通办，把这一行写满为止。"},
		},
		{
			"number split by a typed wrap",
			"　　加快实施产业数字化，新增上云企业 2000 家，积极推进 20\n" +
				"0 个节点项目落地，推动信息技术与实体经济深度融合。\n",
			[]string{"1:　　加快实施产业数字化，新增上云企业 2000 家，积极推进 200 个节点项目落地，推动信息技术与实体经济深度融合。"},
		},
		{
			"closing punctuation pulled down ends a line short",
			"　　持续强化特色园区带动力。牢牢把握“明湖系”园区\n" +
				"“专”“精”“强”发展目标，瞄准新技术、新领域做强做优。\n",
			[]string{"1:　　持续强化特色园区带动力。牢牢把握“明湖系”园区“专”“精”“强”发展目标，瞄准新技术、新领域做强做优。"},
		},
		{
			"centred title over two lines",
			"　　　　关于印发 2022 年《济南市历下区政府工作\n" +
				"　　　　　　　　　　报告》的通知\n",
			[]string{"1:　　　　关于印发 2022 年《济南市历下区政府工作报告》的通知"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := lineCount(tt.text)
			want := append(tt.want, fmt.Sprintf("%d:%s", n+1, filler))
			if got := paragraphs(tt.text + f); !reflect.DeepEqual(got, want) {
				t.Errorf("unwrapLines:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestUnwrapFooters checks that page numbers and running headers go, in
// every form PDF-to-text tools leave them, and that numbers that are text
// stay.
func TestUnwrapFooters(t *testing.T) {
	body := func(n int) string {
		var b strings.Builder
		for i := 0; i < 9; i++ {
			fmt.Fprintf(&b, "第%d页第%d段文字。\n", n, i+1)
		}
		return b.String()
	}
	var want []string
	for n := 1; n <= 3; n++ {
		for i := 0; i < 9; i++ {
			want = append(want, fmt.Sprintf("第%d页第%d段文字。", n, i+1))
		}
	}
	tests := []struct {
		name   string
		footer func(n int) string
	}{
		{"em dashes", func(n int) string { return fmt.Sprintf("\n— %d —\n", n) }},
		{"hyphens", func(n int) string { return fmt.Sprintf("\n- %d -\n", n) }},
		{"tight em dashes", func(n int) string { return fmt.Sprintf("—%d—\n", n) }},
		{"full-width digits", func(n int) string { return fmt.Sprintf("－%c－\n", '０'+rune(n)) }},
		{"第 N 页", func(n int) string { return fmt.Sprintf("第 %d 页\n", n) }},
		{"第N页 共M页", func(n int) string { return fmt.Sprintf("第%d页 共3页\n", n) }},
		{"N/M", func(n int) string { return fmt.Sprintf("              %d/3\n", n) }},
		{"bare number before a form feed", func(n int) string { return fmt.Sprintf("\n%d\n", n) }},
		{"bare number between blank lines", func(n int) string { return fmt.Sprintf("\n        %d\n\n", n) }},
		{"running header", func(n int) string { return "\n济南市历下区人民政府办公室文件\n" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for n := 1; n <= 3; n++ {
				if tt.name == "running header" {
					b.WriteString(tt.footer(n))
				}
				b.WriteString(body(n))
				if tt.name != "running header" {
					b.WriteString(tt.footer(n))
				}
				if n < 3 && tt.name != "bare number between blank lines" && tt.name != "running header" {
					b.WriteString("\f")
				} else if tt.name == "running header" {
					b.WriteString("\n— " + fmt.Sprint(n) + " —\n\f")
				}
			}
			var got []string
			for _, l := range unwrapLines(splitLines(b.String())) {
				if s := strings.TrimSpace(l.text); s != "" {
					got = append(got, s)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("unwrapLines(%q):\n got %q\nwant %q", b.String(), got, want)
			}
		})
	}
}

// TestUnwrapKeepsText checks that what only looks like furniture stays:
// table cells copied as text (序号 1, 2, 3), a repeated key line without
// page breaks, a number that is a paragraph's text.
func TestUnwrapKeepsText(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"flattened table", "序号\n工作任务\n牵头单位\n1\n新增城镇就业\n区人社局\n2\n开展技能培训\n区人社局\n3\n建设便民生活圈\n区商务局\n"},
		{"repeated keys without page breaks", strings.Repeat("任务一项。\n责任单位：各街道办事处\n\n", 5)},
		{"numbers in a sentence list", "完成以下目标：\n\n1\n\n新增就业。\n\n2\n\n新增企业。\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unwrapLines(splitLines(tt.text))
			want := splitLines(tt.text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("unwrapLines changed the text:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestUnwrapSampleUnchanged checks that a text with one paragraph per line,
// the sample notice, is not taken for hard-wrapped text.
func TestUnwrapSampleUnchanged(t *testing.T) {
	data, err := os.ReadFile("../testdata/corpus/lixia-2022/source.md")
	if err != nil {
		t.Fatal(err)
	}
	in := splitLines(string(data))
	if got := unwrapLines(in); !reflect.DeepEqual(got, in) {
		t.Errorf("unwrapLines changed the sample: %d lines in, %d out", len(in), len(got))
	}
}

// TestDisplayWidth checks the column count wrap detection relies on.
func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"abc", 3},
		{"新增", 4},
		{"“东强”", 8},
		{"　　两", 6},
		{"2022 年", 7},
		{"①▲℃", 6},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestUnwrapLongParagraph checks that joining stays linear: a hard-wrapped
// paragraph of several megabytes, with an open bracket and bold mark, is
// joined into one, and twice the text allocates about twice the bytes.
func TestUnwrapLongParagraph(t *testing.T) {
	decodetest.Linear(t, "unwrapLines", func(n int) {
		text := "　　（牵头单位：**" + strings.Repeat("坚持把用足政策作为第一保障，先干一步、快人一拍，", n)
		in := splitLines(wrapped(text, 48))
		if out := unwrapLines(in); len(out) != 1 {
			t.Errorf("unwrapLines gave %d paragraphs for %d lines, want 1", len(out), len(in))
		}
	}, 50000)
}
