package decode

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// govPage wraps an article in the furniture of a government site.
func govPage(article string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知_政府文件</title>
<script>var nav = "不是正文";</script><style>.x{}</style></head><body>
<div class="top"><form class="search"><input name="q"><button>搜索</button></form></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a>政民互动</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>政府文件</a></div>
<div class="left_menu"><h3>政府文件</h3><ul><li>区政府文件</li><li>区政府办公室文件</li><li>政策解读</li></ul></div>
<div class="article"><h1>关于印发重点工作分工的通知</h1>
<div class="info">发布日期：2024-03-01 来源：区政府办公室</div>
<div id="zoom" class="TRS_Editor">` + article + `</div>
<div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】</div>
<div class="bdsharebuttonbox">分享到：<a>微信</a><a>微博</a></div>
</div></div>
<div id="footer"><p>主办单位：某某区人民政府办公室 承办单位：某某区大数据局</p><p>网站标识码：3701020001 鲁ICP备05001982号</p></div>
<script>document.write("统计");</script></body></html>`
}

const articleBody = `<p style="text-align:center">某政办字〔2024〕1号</p>
<p>各街道办事处，区政府各部门：</p>
<p style="text-indent:2em"><strong>稳定经济增长。</strong>全年地区生产总值增长6%左右。（牵头单位：区发展和改革局，责任单位：区统计局）</p>
<p style="text-indent:2em">扩大有效投资，实施重点项目100个以上，完成固定资产投资增长8%以上，推动一批重大项目开工建设、竣工投产，加快形成实物工作量，以投资的稳定增长支撑经济平稳运行。（牵头单位：区发展和改革局）</p>`

// paraTexts returns the text of paragraph blocks, "**bold**rest" for a bold
// opening and "#N " in front of headings.
func paraTexts(bs []Block) []string {
	var out []string
	for _, b := range bs {
		switch {
		case b.Kind == Table:
			out = append(out, fmt.Sprintf("table%q", b.Rows))
		case b.Bold > 0:
			out = append(out, fmt.Sprintf("%s**%s**%s", strings.Repeat("#", b.Heading), b.Text[:b.Bold], b.Text[b.Bold:]))
		default:
			out = append(out, strings.Repeat("#", b.Heading)+b.Text)
		}
	}
	return out
}

// TestHTMLArticle checks that the article is read and the site around it is
// not.
func TestHTMLArticle(t *testing.T) {
	wantArticle := []string{
		"某政办字〔2024〕1号",
		"各街道办事处，区政府各部门：",
		"**稳定经济增长。**全年地区生产总值增长6%左右。（牵头单位：区发展和改革局，责任单位：区统计局）",
		"扩大有效投资，实施重点项目100个以上，完成固定资产投资增长8%以上，推动一批重大项目开工建设、竣工投产，加快形成实物工作量，以投资的稳定增长支撑经济平稳运行。（牵头单位：区发展和改革局）",
	}
	tests := []struct {
		name string
		page string
		want []string
	}{
		// The article box holds the title and date line too; with an
		// article this short, they are part of what is read.
		{"government site", govPage(articleBody), append([]string{"#关于印发重点工作分工的通知", "发布日期：2024-03-01 来源：区政府办公室"}, wantArticle...)},
		{"page wrapped in an ASP.NET form", `<html><body><form id="form1"><div id="nav">首页 政务公开</div><div class="detail">` + articleBody + `</div></form></body></html>`, wantArticle},
		{"no named container: the element with most hanzi", `<html><body><div class="a"><a>首页</a></div><div class="b"><div class="c">` + articleBody +
			`</div></div><div class="d"><p>主办单位：某某区人民政府办公室</p></div></body></html>`, wantArticle},
		{"article loose in the body, site footer lines dropped", `<html><body>` + articleBody +
			`<p>主办单位：某某区人民政府办公室　承办单位：某某区大数据局</p><p>网站标识码：3701020001　鲁ICP备05001982号-1</p><p>政府网站找错</p></body></html>`, wantArticle},
		{"a lead-unit key line is no footer", `<html><body>` + articleBody + `<p>主办单位：区发展和改革局</p></body></html>`,
			append(append([]string{}, wantArticle...), "主办单位：区发展和改革局")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File("page.html", []byte(tt.page))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if gs := paraTexts(got); !reflect.DeepEqual(gs, tt.want) {
				t.Errorf("blocks:\n got %q\nwant %q", gs, tt.want)
			}
		})
	}
}

// TestHTMLInline checks bold, headings, line breaks, entities and hidden
// text inside an article.
func TestHTMLInline(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"strong", `<p><strong>加快放大。</strong>正文</p>`, []string{"**加快放大。**正文"}},
		{"b after an indent", `<p>&nbsp;&nbsp;<b>加快放大。</b>正文</p>`, []string{"**加快放大。**正文"}},
		{"font-weight bold", `<p><span style="font-weight: bold">加快放大。</span>正文</p>`, []string{"**加快放大。**正文"}},
		{"font-weight 700", `<p><span style="FONT-WEIGHT:700">加快放大。</span>正文</p>`, []string{"**加快放大。**正文"}},
		{"normal inside strong", `<p><strong><span style="font-weight:normal">不加粗。</span></strong>正文</p>`, []string{"不加粗。正文"}},
		{"bold later in the paragraph", `<p>正文<strong>加粗</strong></p>`, []string{"正文加粗"}},
		{"headings", `<h2>（一）稳定增长</h2><h3>1.扩大投资</h3>`, []string{"##（一）稳定增长", "###1.扩大投资"}},
		{"br lines are paragraphs", `<p>完成任务。<br>牵头单位：区财政局<br/>责任单位：区税务局</p>`, []string{"完成任务。", "牵头单位：区财政局", "责任单位：区税务局"}},
		{"br in a centred title joins", `<p align="center"><strong>关于印发</strong><br><strong>目标任务分解的通知</strong></p>`, []string{"**关于印发目标任务分解的通知**"}},
		{"div and li are paragraphs", `<div>第一段<div>第二段</div>第三段</div><ul><li>第四段</li><li>第五段</li></ul>`, []string{"第一段", "第二段", "第三段", "第四段", "第五段"}},
		{"entities", `<p>加快&amp;推进&lt;示范&gt;&quot;项目&quot;&#x4E00;&#20108;</p>`, []string{`加快&推进<示范>"项目"一二`}},
		{"source line end between hanzi", "<p>坚持集\n      约节约用地，推进 2022\n年目标</p>", []string{"坚持集约节约用地，推进 2022 年目标"}},
		{"hidden", `<p>看得见</p><div style="display: none">看不见</div><p hidden>也看不见</p>`, []string{"看得见"}},
		{"page tools inside the article", `<p>正文</p><p>【打印本页】【关闭窗口】</p><p>字号：大 中 小</p><p>上一篇：某某通知</p>`, []string{"正文"}},
		{"pre", "<pre>第一行\n第二行</pre>", []string{"第一行", "第二行"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File("page.html", []byte(`<html><body><div class="content">`+tt.body+`</div></body></html>`))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if gs := paraTexts(got); !reflect.DeepEqual(gs, tt.want) {
				t.Errorf("blocks:\n got %q\nwant %q", gs, tt.want)
			}
		})
	}
}

// TestHTMLTables checks task tables, spans included, and tables that only
// lay out the page.
func TestHTMLTables(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"task table with spans", `<table><thead><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th></tr></thead><tbody>
<tr><td colspan="4">一、经济发展</td></tr>
<tr><td>1</td><td><p>新增就业</p><p>3万人</p></td><td rowspan="2">区人社局</td><td>区财政局</td></tr>
<tr><td>2</td><td>技能培训</td><td>区教体局</td></tr>
<tr><td>3</td><td rowspan="2" colspan="2">跨两行两列</td><td>区商务局</td></tr>
<tr><td>4</td><td>区统计局</td></tr>
</tbody></table>`, []string{fmt.Sprintf("table%q", [][]string{
			{"序号", "工作任务", "牵头单位", "责任单位"},
			{"一、经济发展", "", "", ""},
			{"1", "新增就业\n3万人", "区人社局", "区财政局"},
			{"2", "技能培训", "", "区教体局"},
			{"3", "跨两行两列", "", "区商务局"},
			{"4", "", "", "区统计局"},
		})}},
		{"rowspan at the end of a row", `<table><tr><td>甲</td><td rowspan="2">乙</td></tr><tr><td>丙</td></tr></table>`,
			[]string{fmt.Sprintf("table%q", [][]string{{"甲", "乙"}, {"丙", ""}})}},
		{"nested table flattened into its cell", `<table><tr><td>外</td><td><table><tr><td>里一</td><td>里二</td></tr></table></td></tr></table>`,
			[]string{fmt.Sprintf("table%q", [][]string{{"外", "里一\n里二"}})}},
		{"layout table", `<table><tr><td><p>第一段</p><p><b>第二段。</b>正文</p></td></tr><tr><td>第三段</td></tr></table>`,
			[]string{"第一段", "**第二段。**正文", "第三段"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File("page.html", []byte(`<html><body><div class="content"><p>表前</p>`+tt.body+`</div></body></html>`))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := append([]string{"表前"}, tt.want...)
			if gs := paraTexts(got); !reflect.DeepEqual(gs, want) {
				t.Errorf("blocks:\n got %q\nwant %q", gs, want)
			}
		})
	}
}

// TestHTMLGBK reads a page in GBK that declares gb2312, as many government
// sites serve them.
func TestHTMLGBK(t *testing.T) {
	page := strings.Replace(govPage(articleBody), `<meta charset="utf-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, 1)
	data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	got, err := File("page.htm", data)
	if err != nil {
		t.Fatal(err)
	}
	if gs := paraTexts(got); len(gs) != 6 || gs[4] != "**稳定经济增长。**全年地区生产总值增长6%左右。（牵头单位：区发展和改革局，责任单位：区统计局）" {
		t.Errorf("blocks = %q", gs)
	}
}

// TestFurnitureName checks the id and class names taken for furniture.
func TestFurnitureName(t *testing.T) {
	for _, s := range []string{"nav", "mainNav", "navbar", "top-menu", "breadcrumb", "crumbs", "footer", "foot_box", "bdsharebuttonbox",
		"copyright", "sidebar", "side-nav", "position", "dqwz"} {
		if !furnitureName(s) {
			t.Errorf("furnitureName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"content", "TRS_Editor", "article", "zoom", "inside", "canvas", "main", "detail-text"} {
		if furnitureName(s) {
			t.Errorf("furnitureName(%q) = true, want false", s)
		}
	}
}

// TestHTMLLongCentredParagraph checks that joining the lines of a centred
// paragraph stays linear in their number: one block, and about twice the
// bytes allocated for twice the lines.
func TestHTMLLongCentredParagraph(t *testing.T) {
	decodetest.Linear(t, "decoding a centred paragraph", func(n int) {
		page := `<html><body><div class="content"><p align="center">` + strings.Repeat("（标题的一行<br>", n) + `</p></div></body></html>`
		got, err := File("page.html", []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Errorf("decode gave %d blocks, want 1", len(got))
		}
	}, 25000)
}

// TestHTMLTooManyTags checks that a page of more tags than any notice has
// is refused before its tree is built, allocating little.
func TestHTMLTooManyTags(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<p>段</p>", maxHTMLTags) + "</body></html>"
	var err error
	allocated := decodetest.Allocated(func() { _, err = File("通知.html", []byte(page)) })
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "上限 200000 个") || !strings.Contains(msg, ".docx") {
		t.Errorf("error = %v, want a message that the page has too many tags", err)
	}
	if allocated > 8*uint64(len(page)) {
		t.Errorf("refusing a %d MB page allocated %d MB", len(page)>>20, allocated>>20)
	}
}
