package cycle

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// The progress of quantitative targets: reading the actual a unit types
// against the target's unit (3.87 万人 is 38,700 人), and comparing actuals with
// targets for every comparison the reader extracts.

// scales are the multipliers written before a unit: 3.87万人, 3亿元.
var scales = []struct {
	word string
	mult float64
}{{"万亿", 1e12}, {"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2}}

// SplitUnit splits a target's unit into its scale and base unit: 万人 is 人
// times 10,000. Only 万 and 亿 count as scales in a target's unit, since 千瓦
// and 千米 are units of their own.
func SplitUnit(unit string) (base string, mult float64) {
	for _, s := range scales[:3] {
		if rest, ok := strings.CutPrefix(unit, s.word); ok && rest != "" {
			return rest, s.mult
		}
	}
	return unit, 1
}

// isPercent reports whether a unit is a percentage.
func isPercent(unit string) bool { return unit == "%" || unit == "％" || unit == "个百分点" }

// Additive reports whether a period's actuals of the target add up over the
// year (新增企业 30 家 this month, 20 the next), rather than each standing for
// the whole (a growth rate, a share, a ceiling), where the latest counts.
func Additive(in *duban.Indicator) bool {
	if isPercent(in.Unit) || in.Cmp == duban.CmpAtMost {
		return false
	}
	return !duban.ContainsAny(in.Metric, []string{"率", "增长", "增速", "占比", "比重", "指数", "控制", "降低", "下降", "总量", "规模", "浓度"})
}

// BaseValue returns the target in its base unit: 3.87 万人 is 38,700.
func BaseValue(in *duban.Indicator) float64 {
	_, mult := SplitUnit(in.Unit)
	return in.Value * mult
}

// actualNumber is an actual as typed: a number, a scale and a unit.
var actualNumber = regexp.MustCompile(`^([+-]?\d+(?:\.\d+)?)(万亿|亿|万|千|百)?(.*)$`)

// actualPrefixes are words a unit may type before a number; a falling
// quantity is negative.
var actualPrefixes = []struct {
	word string
	sign float64
}{{"同比增长", 1}, {"同比下降", -1}, {"增长", 1}, {"提高", 1}, {"增加", 1}, {"下降", -1}, {"减少", -1},
	{"降低", -1}, {"达到", 1}, {"完成", 1}, {"累计", 1}, {"新增", 1}, {"共", 1}}

// MaxActual is the longest actual accepted, in characters.
const MaxActual = 50

// ParseActual reads the actual a unit typed for a target into the target's
// base unit (38700 for 3.87万人, 3.87万 or 38,700人). A number without unit
// is read in the target's unit, unless that unit has a scale (万人), where a
// bare 38700 could mean either. What cannot be read (约四万, a unit other
// than the target's) is refused with a message saying how to write it.
func ParseActual(text string, in *duban.Indicator) (float64, error) {
	typed := strings.TrimSpace(text)
	s := normalizeActual(typed)
	base, mult := SplitUnit(in.Unit)
	switch {
	case s == "":
		return 0, duban.Errorf(duban.EINVALID, "“%s”的实际完成数为空：请填写数字，如 %s。", in.Metric, exampleActual(in))
	case utf8.RuneCountInString(typed) > MaxActual:
		return 0, duban.Errorf(duban.EINVALID, "“%s”的实际完成数过长（超过 %d 字）：请只填写数字和单位，说明写在进展情况中。", in.Metric, MaxActual)
	case duban.ContainsAny(s, []string{"约", "近", "超", "余", "多", "左右", "以上", "以下", "不足", "大约"}):
		return 0, duban.Errorf(duban.EINVALID, "“%s”不是确切的数字：请填写实际完成数，如 %s；估计或说明请写在进展情况中。", typed, exampleActual(in))
	case strings.ContainsAny(s, "零一二三四五六七八九十两〇壹贰叁肆伍陆柒捌玖拾"):
		return 0, duban.Errorf(duban.EINVALID, "“%s”无法读取：请用阿拉伯数字填写，如 %s。", typed, exampleActual(in))
	}
	sign := 1.0
	for _, p := range actualPrefixes {
		if rest, ok := strings.CutPrefix(s, p.word); ok {
			s, sign = rest, p.sign
			break
		}
	}
	m := actualNumber.FindStringSubmatch(s)
	if m == nil {
		return 0, duban.Errorf(duban.EINVALID, "“%s”无法读取：请填写数字，可带单位，如 %s。", typed, exampleActual(in))
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil || math.IsInf(n, 0) {
		return 0, duban.Errorf(duban.EINVALID, "“%s”无法读取：请填写数字，如 %s。", typed, exampleActual(in))
	}
	n *= sign
	scale, unit := m[2], m[3]
	scaleMult := 1.0
	for _, sc := range scales {
		if sc.word == scale {
			scaleMult = sc.mult
		}
	}
	switch {
	case scale+unit == in.Unit && in.Unit != "":
		return n * mult, nil
	case unit == "" && scale == "" && mult != 1:
		// 38700 against 万人 could be people or ten-thousands of people.
		return 0, duban.Errorf(duban.EINVALID, "“%s”没有写单位：目标的单位是“%s”，请写成 %s。", typed, in.Unit, exampleActual(in))
	case unit == "" || unit == base || in.Unit == "":
		return n * scaleMult, nil
	case isPercent(in.Unit) && isPercent(unit) && scale == "":
		return n, nil
	}
	shown := unit
	if shown == "" {
		shown = scale
	}
	return 0, duban.Errorf(duban.EINVALID, "“%s”的单位“%s”与目标的单位“%s”不同：请按“%s”填写，如 %s。", typed, shown, in.Unit, in.Unit, exampleActual(in))
}

// exampleActual shows how an actual of the target is written: 38700 或 3.87万人.
func exampleActual(in *duban.Indicator) string {
	base, mult := SplitUnit(in.Unit)
	if mult != 1 {
		return fmt.Sprintf("%s%s 或 %s%s", formatNumber(in.Value), in.Unit, formatNumber(BaseValue(in)), base)
	}
	return formatNumber(in.Value) + in.Unit
}

// normalizeActual makes digits, signs and the decimal point ASCII and drops
// spaces and thousands separators.
func normalizeActual(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == '．' || r == '。':
			r = '.'
		case r == '％':
			r = '%'
		case r == '－':
			r = '-'
		case r == '＋':
			r = '+'
		case r == ',' || r == '，' || r == ' ' || r == '\u3000' || r == '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatNumber writes a number without trailing zeros, with thousands
// separated: 38,700; 3.87.
func formatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v != math.Trunc(v) {
		if len(s) > 12 {
			s = strconv.FormatFloat(v, 'f', 2, 64)
		}
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatActual writes a value in base units in the target's unit as the
// office reads it: 38700 against 万人 is "3.87万人（38,700人）".
func FormatActual(v float64, in *duban.Indicator) string {
	base, mult := SplitUnit(in.Unit)
	if mult == 1 {
		return formatNumber(v) + in.Unit
	}
	return fmt.Sprintf("%s%s（%s%s）", formatNumber(v/mult), in.Unit, formatNumber(v), base)
}

// Actual is what a report says was done against one of its task's targets.
type Actual struct {
	// Indicator is the target's place among its task's targets, from 0.
	Indicator int    `json:"indicator"`
	Text      string `json:"text"` // as typed
	// Value is the text read in the target's base unit; nil when it was
	// left empty or could not be read (Problem then says why).
	Value   *float64 `json:"value,omitempty"`
	Problem string   `json:"problem,omitempty"`
}

// TargetProgress is where one target stands against what was reported.
type TargetProgress struct {
	Indicator int    `json:"indicator"`
	Metric    string `json:"metric"`
	Goal      string `json:"goal"` // ≥ 8 %
	// Reported is false when no actual was reported yet; the rest is then
	// zero.
	Reported bool    `json:"reported"`
	Actual   float64 `json:"actual"` // in the base unit, summed over periods for additive targets
	// Ratio is the actual over the target (1 is reached); for a ceiling (≤)
	// it is 1 while the actual stays under it.
	Ratio float64 `json:"ratio"`
	Met   bool    `json:"met"`
	// Additive is set for a target whose actuals add up over the year,
	// which time elapsed applies to; a rate or a ceiling is met or not.
	Additive bool   `json:"additive"`
	Sentence string `json:"sentence"`
}

// Progress compares an actual, in the target's base unit, with the target.
func Progress(in *duban.Indicator, index int, actual float64) TargetProgress {
	p := progress(in, index, actual)
	p.Goal = in.Goal()
	state := "未达到"
	if p.Met {
		state = "已达到"
	}
	p.Sentence = fmt.Sprintf("%s：目标 %s，实际 %s，%s", in.Metric, p.Goal, FormatActual(actual, in), state)
	if in.Cmp != duban.CmpAtMost && !isPercent(in.Unit) && BaseValue(in) > 0 {
		p.Sentence += fmt.Sprintf("（%d%%）", int(math.Round(p.Ratio*100)))
	}
	return p
}

// progress compares an actual with the target without the words, which a
// light does not need.
func progress(in *duban.Indicator, index int, actual float64) TargetProgress {
	return progressOf(in, index, actual, Additive(in))
}

// progressOf is progress for a target whose additivity is known.
func progressOf(in *duban.Indicator, index int, actual float64, additive bool) TargetProgress {
	goal := BaseValue(in)
	p := TargetProgress{Indicator: index, Metric: in.Metric, Reported: true, Actual: actual, Additive: additive}
	ratio := func() float64 {
		if goal == 0 {
			return 1
		}
		return actual / goal
	}
	switch in.Cmp {
	case duban.CmpAtLeast, duban.CmpEqual:
		p.Met, p.Ratio = actual >= goal-1e-9*math.Abs(goal), ratio()
	case duban.CmpMore:
		p.Met, p.Ratio = actual > goal, ratio()
	case duban.CmpAbout:
		p.Met, p.Ratio = actual >= 0.95*goal, ratio()
	case duban.CmpRange:
		p.Met, p.Ratio = actual >= goal, ratio()
	case duban.CmpAtMost:
		p.Met = actual <= goal
		p.Ratio = 1
		if !p.Met && actual != 0 {
			p.Ratio = goal / actual
		}
	}
	return p
}

// ReadActuals reads the texts typed for a task's targets, one per target in
// order ("" for a target not reported), keeping each text and why it could
// not be read.
func ReadActuals(texts []string, inds []duban.Indicator) ([]Actual, error) {
	if len(texts) > len(inds) {
		return nil, duban.Errorf(duban.EINVALID, "填写了 %d 个实际完成数，但任务只有 %d 个目标：请刷新后重新填写。", len(texts), len(inds))
	}
	var out []Actual
	for i, text := range texts {
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		a := Actual{Indicator: i, Text: text}
		if v, err := ParseActual(text, &inds[i]); err != nil {
			a.Problem = duban.ErrorMessage(err)
		} else {
			a.Value = &v
		}
		out = append(out, a)
	}
	return out, nil
}
