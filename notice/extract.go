package notice

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/cjk"
)

// textPiece is a stretch of text waiting for the attribution that closes it.
type textPiece struct {
	text string
	para int // index of its paragraph in the container
	line int
	// start is set when the piece opens its paragraph.
	start bool
}

// extract reads the tasks and unassigned statements of every container.
func (r *reader) extract() {
	cs := r.containers()
	n := 0
	for _, c := range cs {
		for _, p := range c.paras {
			n += len(r.attrsOf(p))
			if p.attr != nil {
				n++
			}
		}
	}
	r.out.Tasks = make([]duban.ReadTask, 0, n)
	hasAreas := map[int]bool{}
	for _, a := range r.out.Areas {
		hasAreas[a.Section] = true
	}
	for _, c := range cs {
		// Text before the first area of a section that has areas is the
		// section's introduction, not an area's body.
		intro := c.area == 0 && c.section > 0 && hasAreas[c.section]
		r.extractContainer(c, intro)
	}
}

// extractContainer reads one section's or area's body. A task is the text
// since the previous attribution (or the start of the body); the text after
// the last attribution is unassigned, one entry per paragraph, and a body
// with no attribution at all is one unassigned entry.
func (r *reader) extractContainer(c *container, intro bool) {
	var pending []textPiece
	seq, attributed := 0, 0
	var lastTask *duban.ReadTask
	emit := func(a *attribution, line int) {
		attributed++
		text, first := r.taskText(pending)
		pending = nil
		if text == "" {
			if lastTask != nil {
				r.warn(line, "attribution_without_task", "第 %d 行：这处分工前面没有任务文字，已并入上一项任务 %s 的分工，请核对。", line, lastTask.No)
				mergeOwners(lastTask, a)
			} else {
				r.warn(line, "attribution_without_task", "第 %d 行：这处分工前面没有任务文字，请核对。", line)
			}
			return
		}
		seq++
		t := duban.ReadTask{
			No:      strconv.Itoa(c.section) + "." + strconv.Itoa(c.area) + "." + strconv.Itoa(seq),
			Section: c.section, Area: c.area, Text: text,
			LeadLeaders: clone(a.leaders), LeadUnits: clone(a.leads), ResponsibleUnits: clone(a.resp),
			Deadline: a.deadline, Line: first,
		}
		if len(t.LeadLeaders) == 0 {
			// The leader the heading names leads the tasks that name none.
			t.LeadLeaders = clone(c.leaders)
		}
		r.out.Tasks = append(r.out.Tasks, t)
		lastTask = &r.out.Tasks[len(r.out.Tasks)-1]
		for _, k := range a.unknown {
			r.warn(line, "unknown_key", "第 %d 行：分工中的“%s”不是已知的分工项（牵头领导、牵头单位、责任单位、完成时限等），已忽略，请核对。", line, k)
		}
		r.checkNames(line, a)
	}
	prevKeys := false
	for pi, p := range c.paras {
		switch {
		case p.row:
			r.unassign(c, pending, false)
			pending = nil
			if p.attr == nil {
				r.unassign(c, []textPiece{{text: p.text, para: pi, line: p.line, start: true}}, false)
				continue
			}
			pending = []textPiece{{text: p.text, para: pi, line: p.line, start: true}}
			emit(p.attr, p.line)
		case p.keys:
			if prevKeys && len(pending) == 0 && lastTask != nil {
				mergeOwners(lastTask, p.attr)
				r.checkNames(p.line, p.attr)
			} else {
				emit(p.attr, p.line)
			}
		default:
			r.checkBrackets(p)
			pos := 0
			for _, f := range r.attrsOf(p) {
				pending = append(pending, textPiece{text: p.text[pos:f.start], para: pi, line: p.line, start: pos == 0})
				emit(f.attr, p.line)
				pos = f.end
			}
			rest := p.text[pos:]
			if p.unclosed >= pos && opensAttribution(p.text[p.unclosed:]) {
				// An attribution cut off by the end of the text: the text
				// before it has lost its owners and is no task.
				rest = p.text[pos:p.unclosed]
			}
			if strings.TrimSpace(rest) != "" {
				pending = append(pending, textPiece{text: rest, para: pi, line: p.line, start: pos == 0})
			}
		}
		prevKeys = p.keys
	}
	if intro && attributed == 0 {
		return
	}
	r.unassign(c, pending, attributed == 0)
}

// unassign records text that no attribution closes: one entry per paragraph,
// or one for all when whole is set.
func (r *reader) unassign(c *container, pieces []textPiece, whole bool) {
	for len(pieces) > 0 {
		n := len(pieces)
		if !whole {
			n = 1
			for n < len(pieces) && pieces[n].para == pieces[0].para {
				n++
			}
		}
		// The same joining and trimming as a task's text, lead-in included.
		if t, line := r.taskText(pieces[:n]); t != "" {
			r.out.Unassigned = append(r.out.Unassigned, duban.ReadStatement{Section: c.section, Area: c.area, Text: t, Line: line})
			r.warn(line, "unassigned", "第 %d 行：这段文字没有分工（无人认领）：“%s”。", line, abbreviate(t, 30))
		}
		pieces = pieces[n:]
	}
}

// reLeadIn is a lead-in that introduces the tasks after it (今年的主要预期目标
// 是：) and is not part of the first one.
var reLeadIn = regexp.MustCompile(`^[^。；：:]{0,60}(?:是|为|如下|以下[^。；：:]{0,12}|包括|目标|任务)[：:]`)

// taskText joins the pieces of a task, drops a lead-in at the start of a
// paragraph, and returns the task's text and the line it starts on.
func (r *reader) taskText(pieces []textPiece) (string, int) {
	// A paragraph that only introduces what follows (…如下：) is dropped.
	for len(pieces) > 1 && pieces[0].start && strings.HasSuffix(strings.TrimSpace(pieces[0].text), "：") && pieces[1].para != pieces[0].para {
		pieces = pieces[1:]
	}
	var b strings.Builder
	n := 0
	for _, p := range pieces {
		n += len(p.text)
	}
	b.Grow(n)
	for i, p := range pieces {
		t := p.text
		if i == 0 && p.start {
			if !hasColonNear(t) {
				// No lead-in without a colon; skip the regular expression.
			} else if loc := reLeadIn.FindStringIndex(t); loc != nil && loc[1] < len(t) {
				t = t[loc[1]:]
			}
		}
		b.WriteString(t)
	}
	line := 0
	if len(pieces) > 0 {
		line = pieces[0].line
	}
	return cleanTaskText(b.String()), line
}

// hasColonNear reports whether a colon stands in the first characters of t,
// where a lead-in would end.
func hasColonNear(t string) bool {
	if len(t) > 200 {
		t = t[:200]
	}
	return strings.Contains(t, "：") || strings.Contains(t, ":")
}

// cleanTaskText trims a task's text as the spec says: no leading item
// number, no leading or trailing punctuation and spaces.
func cleanTaskText(s string) string {
	s = trimPunct(s)
	if lvl, n := cjk.OrdinalLevel(s); lvl > 0 {
		s = trimPunct(s[n:])
	}
	return s
}

// mergeOwners adds an attribution's owners to a task that already has some.
func mergeOwners(t *duban.ReadTask, a *attribution) {
	t.LeadLeaders = append(t.LeadLeaders, a.leaders...)
	t.LeadUnits = append(t.LeadUnits, a.leads...)
	t.ResponsibleUnits = append(t.ResponsibleUnits, a.resp...)
	if t.Deadline == "" {
		t.Deadline = a.deadline
	}
}

// opensAttribution reports whether an unclosed bracket's text begins as an
// attribution does: a known key (牵头单位：…) or a phrase (X牵头).
func opensAttribution(s string) bool {
	_, n := utf8.DecodeRuneInString(s)
	inner := strings.TrimSpace(s[n:])
	if k, _, found := cutKey(inner); found && (classifyKey(k) != keyNone || isPhraseKey(k)) {
		return true
	}
	for _, clause := range splitTop(inner, isPhraseSep)[:1] {
		if rePhraseLead.MatchString(clause) || rePhraseResp.MatchString(clause) {
			return true
		}
	}
	return false
}

// checkBrackets warns about a paragraph whose brackets do not pair up.
func (r *reader) checkBrackets(p *para) {
	r.attrsOf(p)
	if last := r.paras[len(r.paras)-1]; p.unclosed >= 0 && (p == last || p == last.rest) && opensAttribution(p.text[p.unclosed:]) {
		r.warn(p.line, "text_ends_in_bracket", "第 %d 行：文字在分工的括号内结束（“%s”），分工像是被截断了：这段文字没有读作任务，已列为无人认领，请对照原文核对。", p.line, abbreviate(p.text[p.unclosed:], 20))
		return
	}
	if p.unclosed >= 0 {
		r.warn(p.line, "unbalanced_brackets", "第 %d 行：括号没有闭合（“%s”），分工可能没有读全，请核对。", p.line, abbreviate(p.text[p.unclosed:], 20))
	}
	if p.stray > 0 {
		r.warn(p.line, "unbalanced_brackets", "第 %d 行：有多余的右括号，请核对分工是否完整。", p.line)
	}
}

// checkNames warns about names that look like two run together
// (区发改局区财政局), which a missing 、 in the notice produces.
func (r *reader) checkNames(line int, a *attribution) {
	if !a.checked {
		// Attributions are shared between tasks with the same owners; the
		// names are judged once.
		a.checked = true
		for _, list := range [][]string{a.leads, a.resp} {
			for _, n := range list {
				if runTogether(n) {
					a.runTogether = append(a.runTogether, n)
				}
			}
		}
		for _, n := range a.leaders {
			if cjk.RuneLen(n) > 4 && !isOrg(n) && !spacedBetweenHan(n) {
				a.longLeaders = append(a.longLeaders, n)
			}
		}
		for _, list := range [][]string{a.leaders, a.leads, a.resp} {
			for _, n := range list {
				if spacedBetweenHan(n) {
					a.spaced = append(a.spaced, n)
				}
			}
		}
	}
	for _, n := range a.spaced {
		r.warn(line, "name_with_spaces", "第 %d 行：“%s”中间有空格（排版对齐留下的？），已按原文保留，请核对。", line, n)
	}
	for _, n := range a.runTogether {
		r.warn(line, "names_run_together", "第 %d 行：“%s”像是两个单位连在了一起（缺少顿号？），请核对。", line, n)
	}
	for _, n := range a.longLeaders {
		r.warn(line, "names_run_together", "第 %d 行：领导姓名“%s”较长，可能是几个姓名连在了一起，请核对。", line, n)
	}
}

// runTogether reports whether a unit name splits into two unit names, the
// second starting as district unit names do.
func runTogether(n string) bool {
	if len(n) < 18 || !strings.ContainsAny(n[3:], "区市县省") {
		// Two names of two characters each at least, the second starting
		// with 区, 市, 县 or 省.
		return false
	}
	rs := []rune(n)
	for i := 2; i < len(rs)-2; i++ {
		left, right := string(rs[:i]), string(rs[i:])
		if !strings.ContainsRune("区市县省", rs[i]) {
			continue
		}
		if (strings.HasSuffix(left, "局") || strings.HasSuffix(left, "委") || strings.HasSuffix(left, "中心") ||
			strings.HasSuffix(left, "集团") || strings.HasSuffix(left, "办事处") || strings.HasSuffix(left, "办公室")) &&
			isOrg(right) && cjk.RuneLen(right) >= 3 && !strings.HasPrefix(right, "区块") {
			return true
		}
	}
	return false
}

// spacedBetweenHan reports whether a name has a space between two Chinese
// characters (王 强), which layout leaves, not the name; spaces around
// numbers (区 12345 热线运行中心) are typesetting.
func spacedBetweenHan(n string) bool {
	if !strings.ContainsAny(n, " \u3000\t") {
		return false
	}
	rs := []rune(n)
	for i := 1; i < len(rs)-1; i++ {
		if !unicode.IsSpace(rs[i]) || !cjk.IsHan(rs[i-1]) {
			continue
		}
		j := i
		for j < len(rs) && unicode.IsSpace(rs[j]) {
			j++
		}
		if j < len(rs) && cjk.IsHan(rs[j]) {
			return true
		}
	}
	return false
}

func abbreviate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

// clone copies a list of names, so that a task owns its lists: attributions
// are shared between tasks with the same owners.
func clone(s []string) []string {
	return append(make([]string, 0, len(s)), s...)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// readTargets reads the targets of every task, with r.workers goroutines,
// and returns the numbers of each task that look like targets but
// were not read as such.
func (r *reader) readTargets() [][]string {
	tasks := r.out.Tasks
	strays := make([][]string, len(tasks))
	read := func(from, to int) {
		for i := from; i < to; i++ {
			tasks[i].Indicators, strays[i] = indicatorsIn(tasks[i].Text)
		}
	}
	if r.workers < 2 {
		read(0, len(tasks))
		return strays
	}
	chunk := (len(tasks) + r.workers - 1) / r.workers
	var wg sync.WaitGroup
	for start := 0; start < len(tasks); start += chunk {
		wg.Go(func() { read(start, min(start+chunk, len(tasks))) })
	}
	wg.Wait()
	return strays
}

// finish reads the targets of every task and makes every list non-nil, so
// the JSON form has [] rather than null.
func (r *reader) finish() {
	out := r.out
	strays := r.readTargets()
	for i := range out.Tasks {
		t := &out.Tasks[i]
		stray := strays[i]
		if t.Indicators == nil {
			t.Indicators = []duban.Indicator{}
		}
		for _, s := range stray {
			r.warn(t.Line, "number_not_target", "第 %d 行：任务 %s 中的数字“%s”像是目标值，但没有读成量化指标，请核对。", t.Line, t.No, s)
		}
		t.LeadLeaders, t.LeadUnits, t.ResponsibleUnits = nonNil(t.LeadLeaders), nonNil(t.LeadUnits), nonNil(t.ResponsibleUnits)
	}
	if out.Sections == nil {
		out.Sections = []duban.ReadSection{}
	}
	if out.Areas == nil {
		out.Areas = []duban.ReadArea{}
	}
	if out.Tasks == nil {
		out.Tasks = []duban.ReadTask{}
	}
	if out.Unassigned == nil {
		out.Unassigned = []duban.ReadStatement{}
	}
}
