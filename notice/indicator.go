package notice

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/cjk"
)

// Units that a quantitative target counts in, longest first so that 万平方米
// wins over 平方米 and 个百分点 over 个. A scale (万, 亿) before a unit is part
// of the unit as written.
var targetUnits = []string{
	"个工作日", "工作日", "微克/立方米", "毫克/立方米", "立方米/秒", "个百分点", "平方公里", "平方米", "立方米", "千瓦时", "标准箱", "公里", "千米", "千瓦", "兆瓦", "公顷", "人次",
	"百分点", "美元", "元", "场次", "公斤", "斤", "头", "只", "个", "家", "座", "亩", "户", "处", "条", "所", "名", "人", "场", "项", "件", "台",
	"辆", "套", "张", "次", "间", "栋", "幢", "支", "批", "部", "种", "株", "棵", "床", "倍", "篇", "吨", "米",
	"%", "％", "‰", "个月", "天", "小时", "位", "组", "片", "段", "类", "万",
}

// Units a Chinese numeral may count in (三个, 两所); a narrower list, since
// Chinese numerals more often make names (三条底线, 八项规定).
var chineseNumeralUnits = map[string]bool{"个": true, "家": true, "座": true, "处": true, "条": true, "所": true, "项": true, "场": true, "支": true, "名": true}

// Verbs after which a Chinese numeral counts something to be done.
var countVerbs = []string{"新建", "新增", "建成", "建设", "打造", "完成", "引进", "培育", "新成立", "成立", "创建", "举办", "改造", "开展", "新认定", "认定", "整治", "推出", "设立", "争创", "创成", "实现", "突破", "新开工", "开工", "实施", "建立", "组建", "新改建", "改扩建", "提升", "等"}

var (
	reRange = regexp.MustCompile(`^\s*(?:至|到|-|－|~|～|—)\s*([0-9０-９]+(?:[.．][0-9０-９]+)?|[两二三四五六七八九十百千]+)\s*`)
)

// indicatorsIn finds the quantitative targets in a task's text, following the
// spec: a number (Arabic, or Chinese after a counting verb) with a unit and
// its comparison; years, ordinals and names are not targets.
func indicatorsIn(text string) (inds []duban.Indicator, stray []string) {
	var positions []int
	covered := 0 // text before this offset was read as part of a target
	arabic, chinese := numberRuns(text)
	for _, m := range arabic {
		if m[0] < covered {
			continue
		}
		ind, end, ok := readTarget(text, m[0], m[1], false)
		if !ok {
			if looksLikeTarget(text, m[0], m[1]) {
				stray = append(stray, text[m[0]:m[1]])
			}
			continue
		}
		covered = end
		inds, positions = append(inds, ind), append(positions, m[0])
	}
	for _, m := range chinese {
		if ind, _, ok := readTarget(text, m[0], m[1], true); ok && !overlaps(inds, positions, m[0]) {
			inds, positions = append(inds, ind), append(positions, m[0])
		}
	}
	// Keep the targets in the order they stand in the text.
	for i := 1; i < len(inds); i++ {
		for j := i; j > 0 && positions[j] < positions[j-1]; j-- {
			inds[j], inds[j-1] = inds[j-1], inds[j]
			positions[j], positions[j-1] = positions[j-1], positions[j]
		}
	}
	return inds, stray
}

// overlaps reports whether a target starting at pos was already read.
func overlaps(inds []duban.Indicator, positions []int, pos int) bool {
	for i, p := range positions {
		if pos >= p && pos < p+len(inds[i].Text) {
			return true
		}
	}
	return false
}

func isArabicDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func isChineseNumeral(r rune) bool {
	switch r {
	case '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千':
		return true
	}
	return false
}

// numberRuns returns the [start, end) offsets of the Arabic and the Chinese
// numbers in text (an Arabic number may have one decimal point inside), in
// one pass over the text.
func numberRuns(text string) (arabic, chinese [][2]int) {
	aStart, cStart := -1, -1
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isArabicDigit(r):
			if aStart < 0 {
				aStart = i
			}
		case aStart >= 0 && (r == '.' || r == '．') && i+size < len(text) && !strings.ContainsAny(text[aStart:i], ".．"):
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); !isArabicDigit(next) {
				arabic = append(arabic, [2]int{aStart, i})
				aStart = -1
			}
		case aStart >= 0:
			arabic = append(arabic, [2]int{aStart, i})
			aStart = -1
		}
		switch {
		case isChineseNumeral(r):
			if cStart < 0 {
				cStart = i
			}
		case cStart >= 0:
			chinese = append(chinese, [2]int{cStart, i})
			cStart = -1
		}
		i += size
	}
	if aStart >= 0 {
		arabic = append(arabic, [2]int{aStart, len(text)})
	}
	if cStart >= 0 {
		chinese = append(chinese, [2]int{cStart, len(text)})
	}
	return arabic, chinese
}

// readTarget reads the target whose number is text[start:end]; it returns the
// end of what it read.
func readTarget(text string, start, end int, chinese bool) (duban.Indicator, int, bool) {
	var ind duban.Indicator
	num := text[start:end]
	value, ok := numberValue(num)
	if !ok {
		return ind, 0, false
	}
	before := text[:start]
	prev, _ := utf8.DecodeLastRuneInString(before)
	if prev == '第' || prev == '.' || prev == '．' || unicode.IsLetter(prev) && prev < 0x80 || insideQuotes(before) {
		return ind, 0, false
	}
	if chinese && value < 2 {
		return ind, 0, false
	}
	pos := end
	// A range: 2 至 3 所.
	var upper *float64
	if m := reRange.FindStringSubmatchIndex(text[pos:]); m != nil {
		if u, ok := numberValue(text[pos+m[2] : pos+m[3]]); ok && u > value {
			upper = &u
			pos += m[1]
		}
	}
	rest := text[pos:]
	trimmed := strings.TrimLeft(rest, " \u00a0\u3000")
	pos += len(rest) - len(trimmed)
	scale := ""
	for _, s := range []string{"万亿", "千万", "百万", "万", "亿"} {
		if strings.HasPrefix(text[pos:], s) {
			scale = s
			pos += len(s)
			break
		}
	}
	more := false
	for _, s := range []string{"余", "多"} {
		if strings.HasPrefix(text[pos:], s) {
			more = true
			pos += len(s)
			break
		}
	}
	trimmed = strings.TrimLeft(text[pos:], " ")
	pos += len(text[pos:]) - len(trimmed)
	unit := ""
	for _, u := range targetUnits {
		if strings.HasPrefix(text[pos:], u) {
			unit = u
			break
		}
	}
	if unit == "万" && scale == "" {
		// 万 alone after a number is a scale with the unit left out (3 万).
		unit = ""
	}
	if unit == "" {
		if scale == "" {
			return ind, 0, false
		}
		// 339 亿 with no unit after it: the scale is the unit as written.
		unit, scale = scale, ""
		pos -= len(unit)
		if more {
			pos -= len("余")
		}
	} else {
		pos += len(unit)
	}
	if unit == "％" {
		unit = "%"
	}
	if chinese && (!chineseNumeralUnits[unit] || !afterCountVerb(before) && !(clauseCounts(before) && clauseEndsAt(text[pos:]))) {
		// Chinese numerals more often make names (三条底线, 一刻钟): they
		// count only right after a counting verb (新成立育德等三个), or at the
		// end of a clause that opens with one (建成养老服务中心两处).
		return ind, 0, false
	}
	if !more && !chinese && scale == "" && isNameAfter(text[pos:]) {
		return ind, 0, false
	}
	ind.Value = value
	ind.Unit = scale + unit
	ind.Cmp = duban.CmpEqual
	if upper != nil {
		ind.Cmp, ind.Upper = duban.CmpRange, upper
	}
	after := text[pos:]
	switch {
	case upper != nil:
	case hasSuffixAny(before, "不少于", "至少", "不低于", "不小于"):
		ind.Cmp = duban.CmpAtLeast
	case hasSuffixAny(before, "超过", "突破", "逾"):
		ind.Cmp = duban.CmpMore
	case hasSuffixAny(before, "不超过", "不高于", "不多于", "控制在"):
		ind.Cmp = duban.CmpAtMost
	case hasSuffixAny(before, "约", "大约"):
		ind.Cmp = duban.CmpAbout
	}
	for _, s := range []struct {
		word string
		cmp  duban.Comparison
	}{{"以上", duban.CmpAtLeast}, {"及以上", duban.CmpAtLeast}, {"以下", duban.CmpAtMost}, {"以内", duban.CmpAtMost}, {"左右", duban.CmpAbout}} {
		if strings.HasPrefix(after, s.word) {
			if upper == nil {
				ind.Cmp = s.cmp
			}
			pos += len(s.word)
			break
		}
	}
	if more && upper == nil && ind.Cmp == duban.CmpEqual {
		ind.Cmp = duban.CmpMore
	}
	if qualifies(text[pos:]) {
		// 5000万元以上项目2000个以上: the first amount says which projects,
		// the second is the target.
		return ind, 0, false
	}
	ind.Metric, ind.Text = metricOf(text, start, pos)
	return ind, pos, true
}

// qualifies reports whether the noun after a target is itself counted by a
// number in the same clause, which makes the first amount a qualifier.
func qualifies(after string) bool {
	if strings.HasPrefix(after, "和") || strings.HasPrefix(after, "与") || strings.HasPrefix(after, "及") {
		// 分别增长6.5%和8%: two targets side by side.
		return false
	}
	for i, r := range after {
		if strings.ContainsRune("，。；、,;：:（()）！？", r) || i > 60 {
			return false
		}
		if isArabicDigit(r) {
			return i > 0
		}
	}
	return false
}

// isNameAfter reports whether what follows a number and its unit makes the
// whole a name rather than a count (5G, 4 号线 are caught earlier; here: 个人
// in 个人所得税 and the like).
func isNameAfter(after string) bool {
	return strings.HasPrefix(after, "人所得") || strings.HasPrefix(after, "体工商")
}

// metricOf returns the phrase a target counts and the target's whole text:
// the noun phrase after the unit (4个项目 → 项目) or, where the number ends
// the clause, the phrase before it (新增高新技术企业 119 家).
func metricOf(text string, start, end int) (metric, whole string) {
	clauseEnd := end
	for i, r := range text[end:] {
		if isClauseMark(r) || r == '、' || r == '“' || r == '”' {
			clauseEnd = end + i
			break
		}
		clauseEnd = end + i + utf8.RuneLen(r)
	}
	after := strings.TrimSpace(text[end:clauseEnd])
	after = strings.TrimPrefix(after, "的")
	clauseStart := start
	for clauseStart > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:clauseStart])
		if isClauseMark(r) {
			break
		}
		clauseStart -= size
	}
	before := strings.TrimSpace(text[clauseStart:start])
	if after != "" && cjk.RuneLen(after) <= 24 {
		return after, strings.TrimSpace(text[clauseStart:clauseEnd])
	}
	metric = before
	if i := strings.LastIndex(metric, "等"); i >= 0 && i+len("等") < len(metric) {
		metric = metric[i+len("等"):]
	}
	for _, p := range []string{"不少于", "至少", "不低于", "超过", "突破", "不超过", "控制在", "达到", "约", "力争", "确保"} {
		metric = strings.TrimSuffix(metric, p)
	}
	for _, p := range []string{"力争", "确保", "全年", "各类", "累计", "充分利用"} {
		metric = strings.TrimPrefix(metric, p)
	}
	return strings.TrimSpace(metric), strings.TrimSpace(text[clauseStart:end])
}

// isClauseMark reports whether r ends a clause around a target.
func isClauseMark(r rune) bool {
	switch r {
	case '，', '。', '；', ',', ';', '：', ':', '（', '(', ')', '）', '！', '？':
		return true
	}
	return false
}

// afterCountVerb reports whether a Chinese numeral follows a verb that counts
// (新建两所, 育德等三个) rather than standing in a name (三条底线).
func afterCountVerb(before string) bool {
	return hasSuffixAny(before, countVerbs...)
}

// clauseCounts reports whether the clause that ends at the end of before
// opens with a counting verb.
func clauseCounts(before string) bool {
	start := 0
	for i, r := range before {
		if strings.ContainsRune("，。；,;：:！？", r) {
			start = i + utf8.RuneLen(r)
		}
	}
	clause := strings.TrimSpace(before[start:])
	for _, v := range countVerbs {
		if v != "等" && strings.HasPrefix(clause, v) {
			return true
		}
	}
	return false
}

// clauseEndsAt reports whether the text after a target ends its clause.
func clauseEndsAt(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return after == "" || strings.ContainsRune("，。；,;！？）)", r)
}

// insideQuotes reports whether the text before a number leaves a quote open:
// numbers in quotes name things (“两个确立”, “12345”).
func insideQuotes(before string) bool {
	return strings.Count(before, "“") > strings.Count(before, "”") || strings.Count(before, "「") > strings.Count(before, "」")
}

// looksLikeTarget reports whether an Arabic number that was not read as a
// target still looks like one, so the office can check it: not a year, an
// ordinal, a name like 5G or 4 号线, or a number in quotes.
func looksLikeTarget(text string, start, end int) bool {
	num := text[start:end]
	after := strings.TrimLeft(text[end:], " ")
	before := text[:start]
	prev, _ := utf8.DecodeLastRuneInString(before)
	next, _ := utf8.DecodeRuneInString(after)
	switch {
	case prev == '第', insideQuotes(before), unicode.IsLetter(prev) && prev < 0x80:
		return false
	case next < 0x80 && unicode.IsLetter(next), strings.ContainsRune("号届期级年月日时代条款+", next):
		return false
	case len(num) == 4 && (strings.HasPrefix(num, "19") || strings.HasPrefix(num, "20")):
		return false
	case len(num) == 5 && strings.HasPrefix(num, "123"):
		// Service hotlines: 12345, 12315, 12369.
		return false
	}
	return true
}

// numberValue reads an Arabic (also full-width) or Chinese number.
func numberValue(s string) (float64, bool) {
	ascii := strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '．':
			return '.'
		}
		return r
	}, s)
	if c := ascii[0]; c >= '0' && c <= '9' {
		if v, err := strconv.ParseFloat(ascii, 64); err == nil {
			return v, true
		}
	}
	if v, ok := cjk.ParseInt(s); ok {
		return float64(v), true
	}
	return 0, false
}

func hasSuffixAny(s string, suffixes ...string) bool {
	s = strings.TrimRight(s, " ")
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
