// Package letterhead reads a decomposition notice's document fields: its
// number, issuer, title, date of issue, year and region. It finds them in
// the letterhead and signature, a web page's information block, the title
// line, and where a page carries no notice of its own, in the news report
// that names it or the plan's own title line. It sees the notice as the
// text of its first and last paragraphs and knows nothing of its tasks.
package letterhead

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/cjk"
)

// A Para is one paragraph of a notice, as the reader has it: its text, and
// whether it is a row of a task table.
type Para struct {
	Text string
	Row  bool
}

// HeadParas and TailParas are how many paragraphs at the start and at the
// end of a notice Read looks at: the letterhead, the title, a page's
// information block and the covering letter's signature stand there.
const (
	HeadParas = 40
	TailParas = 10
)

// Lines of the letterhead and signature.
var reDateLine = regexp.MustCompile(`^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$`)

// IsDateLine reports whether a paragraph is a date alone, as a signature
// dates a notice (2022年4月22日, 二〇二三年三月二十八日).
func IsDateLine(s string) bool { return reDateLine.MatchString(s) }

var (
	reDocNumber = regexp.MustCompile(`[\p{Han}]{1,12}\s*[〔\[［【（(]\s*(\d{4})\s*[〕\]］】）)]\s*第?\s*\d{1,4}\s*号`)
	reTitle     = regexp.MustCompile(`关于.{2,120}?(?:的通知|的意见|的方案|的决定|的函)`)
	reYear      = regexp.MustCompile(`(\d{4})\s*年`)
	reDate      = regexp.MustCompile(`(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日`)
	reISODate   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	// reIssuerSuffix ends the name of an issuing office; what stands before
	// it is the region (谯城区政府(办公室) → 谯城区).
	reIssuerSuffix = regexp.MustCompile(`(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府[（(]办公室[）)]|政府|办公室|办公厅|^国务院)$`)
	// rePlanTitle is a line that names the plan and its year when the notice
	// has no title of its own (an attachment published alone).
	rePlanTitle = regexp.MustCompile(`\d{4}\s*年.*(?:政府工作报告|重点工作|任务|分解|分工|实事)`)
)

// Labels of the information block that government web pages put above a
// notice (索引号 / 发布机构 / 发文日期 / 文号 / 名称), spaced out or not
// (文    号, 名　　称).
var infoLabels = []struct{ field, label string }{
	{"index", "索引号"}, {"issuer", "发布机构"}, {"issuer", "发文机关"}, {"issuer", "发文机构"},
	{"issuer", "发文单位"}, {"date", "成文日期"}, {"date", "发文日期"}, {"posted", "发布日期"},
	{"posted", "发布时间"}, {"number", "发文字号"}, {"number", "文件编号"}, {"number", "文号"}, {"title", "名称"}, {"title", "标题"},
	{"other", "主题分类"}, {"other", "组配分类"}, {"other", "分类"}, {"other", "有效性"}, {"other", "主题词"},
	{"other", "来源"}, {"other", "信息来源"}, {"other", "浏览次数"},
}

// reInfoLabel finds any of the labels, with spaces allowed between their
// characters and an optional colon after them; reInfoStart finds one at the
// start of a paragraph, which a block's line must open with.
var reInfoLabel, reInfoStart = infoLabelRes()

func infoLabelRes() (*regexp.Regexp, *regexp.Regexp) {
	var alts []string
	for _, l := range infoLabels {
		var b strings.Builder
		for i, r := range l.label {
			if i > 0 {
				b.WriteString(`[ \t\x{3000}]*`)
			}
			b.WriteRune(r)
		}
		alts = append(alts, b.String())
	}
	// Longer labels first, so that 发文字号 wins over 文号.
	re := `(` + strings.Join(alts, "|") + `)[ \t\x{3000}]*[:：]?[ \t\x{3000}]*`
	return regexp.MustCompile(re), regexp.MustCompile(`^` + re)
}

// infoField maps a label as matched (spaces and all) to its field.
func infoField(label string) string {
	label = cjk.DropSpaces(label)
	for _, l := range infoLabels {
		if l.label == label {
			return l.field
		}
	}
	return ""
}

// readInfo reads the information block of a web page: each label's value
// is the text up to the next label, or the next paragraph when the label
// stands alone (a table cell). The first value of a field counts.
func readInfo(head []Para) map[string]string {
	info := map[string]string{}
	for i, p := range head {
		t := p.Text
		if !cjk.AtMost(t, 200) || !reInfoStart.MatchString(t) {
			continue
		}
		locs := reInfoLabel.FindAllStringSubmatchIndex(t, -1)
		for k, m := range locs {
			if k == 0 && strings.TrimSpace(t[:m[0]]) != "" {
				// A label inside a sentence (…的文号) is no label.
				break
			}
			end := len(t)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			// A table copied as text puts | between its cells.
			value := strings.Trim(t[m[1]:end], " \t\u3000|")
			if value == "" && k+1 == len(locs) && i+1 < len(head) && cjk.AtMost(head[i+1].Text, 100) {
				if next := head[i+1].Text; !reInfoStart.MatchString(next) {
					value = strings.TrimSpace(next)
				}
			}
			field := infoField(t[m[2]:m[3]])
			if _, seen := info[field]; !seen {
				info[field] = value
			}
		}
	}
	return info
}

// Read reads the document fields from the first paragraphs of a notice
// (head, at most HeadParas) and its last ones (tail, at most TailParas; the
// two overlap in a short notice).
func Read(head, tail []Para) duban.DocumentInfo {
	var d duban.DocumentInfo
	info := readInfo(head)
	if m := reDocNumber.FindString(info["number"]); m != "" {
		d.DocNumber = compact(m)
	}
	for i, p := range head {
		t := strings.TrimSpace(p.Text)
		if strings.Contains(t, "关于") && !reTitle.MatchString(t) {
			// A title set on two or three lines.
			for j := i + 1; j < len(head) && j <= i+2; j++ {
				t += strings.TrimSpace(head[j].Text)
				if reTitle.MatchString(t) {
					break
				}
			}
		}
		if d.DocNumber == "" {
			// The number on a line of its own, or in front of the title.
			if loc := reDocNumber.FindStringIndex(t); loc != nil && (cjk.RuneLen(t) < 40 || loc[0] == 0) {
				d.DocNumber = compact(t[loc[0]:loc[1]])
			}
		}
		if d.Title == "" {
			if loc := reTitle.FindStringIndex(t); loc != nil && cjk.RuneLen(t) < 160 && !isLabelled(t) {
				d.Title = joinTitle(t[loc[0]:loc[1]])
				prefix := reDocNumber.ReplaceAllString(t[:loc[0]], "")
				d.Issuer = moreSpecific(d.Issuer, issuerBefore(prefix))
			}
		}
		if !strings.Contains(t, "关于") {
			// The letterhead (…人民政府办公室文件) or the signature.
			d.Issuer = moreSpecific(d.Issuer, strings.TrimSuffix(t, "文件"))
		}
		if d.Date == "" && reDateLine.MatchString(t) {
			d.Date = isoDate(t)
		}
	}
	// The date and the signature may stand at the end.
	for i := len(tail) - 1; i >= 0; i-- {
		t := strings.TrimSpace(tail[i].Text)
		if reDateLine.MatchString(t) && d.Date == "" {
			d.Date = isoDate(t)
		}
		d.Issuer = moreSpecific(d.Issuer, t)
	}
	for i := 0; i < len(head) && d.Issuer == ""; i++ {
		// A news report of the notice: 渝中区人民政府办公室发布《…》.
		d.Issuer = reportedIssuer(strings.TrimSpace(head[i].Text))
	}
	// The web page's block where the notice itself says nothing: its 发布机构
	// names the issuer, its 名称 the title, its 成文日期 (or, failing that,
	// the posting date) the date.
	if d.Issuer == "" {
		d.Issuer = info["issuer"]
	}
	if d.Title == "" && info["title"] != "" {
		t := joinTitle(info["title"])
		if loc := reTitle.FindStringIndex(t); loc != nil {
			t = t[loc[0]:]
		}
		d.Title = t
	}
	if d.Date == "" {
		d.Date = anyDate(info["date"])
	}
	if d.Date == "" && (damagedDate(head) || damagedDate(tail)) {
		// The page's posting date stands in for a signing date that the
		// copy damaged (20251月13), not for one it never had.
		d.Date = anyDate(info["posted"])
	}
	if d.Title == "" && d.Date == "" {
		// The decomposition published alone, without the notice that covers
		// it (which would be signed and dated): its own title.
		d.Title = planTitle(head)
	}
	switch m := reYear.FindStringSubmatch(d.Title); {
	case m != nil:
		d.Year, _ = strconv.Atoi(m[1])
	case len(d.Date) >= 4:
		d.Year, _ = strconv.Atoi(d.Date[:4])
	case reDocNumber.MatchString(d.DocNumber):
		// 国发〔2020〕6号: issued in the year of the plan.
		d.Year, _ = strconv.Atoi(reDocNumber.FindStringSubmatch(d.DocNumber)[1])
	default:
		// An attachment published alone: its heading names the year.
		for _, p := range head {
			if t := p.Text; cjk.AtMost(t, 80) && rePlanTitle.MatchString(t) {
				d.Year, _ = strconv.Atoi(reYear.FindStringSubmatch(t)[1])
				break
			}
		}
	}
	d.Region = region(d.Issuer)
	return d
}

// isLabelled reports whether a line is a field of the information block
// (名称：…关于…的通知), which names the notice only where nothing else does.
func isLabelled(t string) bool { return reInfoStart.MatchString(t) }

// compact removes the spaces inside a document number.
func compact(s string) string { return strings.Join(strings.Fields(s), "") }

// joinTitle removes the spaces that stand for line breaks in a title copied
// from a page (关于印发 《…分解 和…》的通知), keeping those around numbers and
// Latin words that the title is typeset with (关于印发 2022 年《…》).
func joinTitle(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " \u3000\t") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsSpace(r) {
			j := i + 1
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if i == 0 || j == len(rs) || rs[i-1] >= utf8.RuneSelf && rs[j] >= utf8.RuneSelf {
				continue
			}
			if unicode.IsSpace(rs[i-1]) {
				continue
			}
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isIssuerName reports whether s is the name of an issuing office and
// nothing else: Chinese characters (and brackets) ending as offices do, as
// a letterhead or a signature prints it. A page's 2023-01-05 10:00
// 区人民政府办公室 is not.
func isIssuerName(s string) bool {
	if s == "" || !cjk.AtMost(s, 30) || !reIssuerSuffix.MatchString(s) {
		return false
	}
	for _, r := range s {
		if !cjk.IsHan(r) && !strings.ContainsRune("（）()", r) {
			return false
		}
	}
	return true
}

// issuerBefore returns the issuing office named right before a title, as a
// page or a news report puts it there: 【栏目】滁州市人民政府关于…,
// …消息,近日,安徽省人民政府发布关于…; "" when none is.
func issuerBefore(prefix string) string {
	p := strings.TrimSpace(prefix)
	for {
		t := p
		for _, verb := range []string{"发布", "印发", "下发", "出台", "公布", "了"} {
			t = strings.TrimSuffix(t, verb)
		}
		if t == p {
			break
		}
		p = t
	}
	// The name is the run of Chinese characters (and brackets) at the end.
	start := len(p)
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(p[:start])
		if !cjk.IsHan(r) && !strings.ContainsRune("（）()", r) {
			break
		}
		start -= size
	}
	if name := p[start:]; isIssuerName(name) {
		return name
	}
	return ""
}

// reReportVerb is what a news report says an office did with the notice.
var reReportVerb = regexp.MustCompile(`(?:发布|印发|下发|出台)`)

// reportedIssuer returns the office a news report of the notice names as
// issuing it (近日,省政府办公厅印发…; 渝中区人民政府办公室发布《…》).
func reportedIssuer(t string) string {
	if !cjk.AtMost(t, 300) {
		return ""
	}
	for _, loc := range reReportVerb.FindAllStringIndex(t, 4) {
		if name := issuerBefore(t[:loc[0]]); name != "" {
			return name
		}
	}
	return ""
}

// planTitle returns the decomposition's own title where it is published
// alone: a short line naming the plan (…重点工作责任分解) right before its
// first heading or item.
func planTitle(head []Para) string {
	for i, p := range head[:max(len(head)-1, 0)] {
		t := strings.TrimSpace(p.Text)
		if p.Row || !cjk.AtMost(t, 60) || strings.ContainsAny(t, "，,。；;：:！？") || !rePlanWords.MatchString(t) {
			continue
		}
		if lvl, _ := cjk.OrdinalLevel(head[i+1].Text); lvl == 1 || lvl == 3 {
			return joinTitle(t)
		}
	}
	return ""
}

// rePlanWords names a decomposition (分解, 分工, 清单, 实事, 方案).
var rePlanWords = regexp.MustCompile(`分解|分工|清单|实事|方案`)

// reDamagedDate is a signing date that a copy damaged: 20251月13, 2022121日.
var reDamagedDate = regexp.MustCompile(`^(?:19|20)\d{2}[\d年月日 ]{1,8}$`)

// damagedDate reports whether a signing date stands damaged under the
// signature among the paragraphs.
func damagedDate(ps []Para) bool {
	for i := 1; i < len(ps); i++ {
		t := strings.TrimSpace(ps[i].Text)
		if reDamagedDate.MatchString(t) && !reDateLine.MatchString(t) && isIssuerName(strings.TrimSpace(ps[i-1].Text)) {
			return true
		}
	}
	return false
}

// moreSpecific returns the issuer the letterhead names most fully: of
// 区人民政府办公室 (in a title) and 宜昌市伍家岗区人民政府办公室 (in the
// letterhead or signature), the latter.
func moreSpecific(issuer, candidate string) string {
	candidate = strings.TrimSpace(candidate)
	if !isIssuerName(candidate) {
		return issuer
	}
	if issuer == "" || strings.HasSuffix(candidate, issuer) && len(candidate) > len(issuer) {
		return candidate
	}
	return issuer
}

// region is the place an issuer governs: its name without the office
// (宜昌市伍家岗区人民政府办公室 → 宜昌市伍家岗区), 全国 for the State Council
// and its offices, or "" when the name gives no place (区人民政府办公室).
func region(issuer string) string {
	if strings.HasPrefix(issuer, "国务院") {
		return "全国"
	}
	r := reIssuerSuffix.ReplaceAllString(issuer, "")
	if cjk.RuneLen(r) < 2 {
		return ""
	}
	return r
}

// anyDate reads a date written as 2022-03-14 (a web page's fields) or as
// 2022年3月14日.
func anyDate(s string) string {
	s = strings.TrimSpace(s)
	if m := reISODate.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		if mo >= 1 && mo <= 12 && day >= 1 && day <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, day)
		}
		return ""
	}
	return isoDate(s)
}

// isoDate turns 2022 年 4 月 22 日 or 二〇二二年四月二十二日 into 2022-04-22.
func isoDate(s string) string {
	m := reDate.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	var n [3]int
	for i, part := range m[1:] {
		v, err := strconv.Atoi(part)
		if err != nil {
			var ok bool
			if v, ok = cjk.ParseInt(part); !ok {
				return ""
			}
		}
		n[i] = v
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", n[0], n[1], n[2])
}
