package notice

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/cjk"
	"github.com/dubanhq/duban/notice/letterhead"
)

// found is an attribution found inside a paragraph: text[start:end] is the
// bracket (or the run of keys) that states it.
type found struct {
	start, end int
	attr       *attribution
}

// parallelSize is the size above which a notice's paragraphs are searched
// for attributions, and its tasks for targets, on all cores: each paragraph
// and task is read on its own, and a large notice is read twice as fast.
const parallelSize = 1 << 20

// readAttributionsInParallel fills the attribution cache of every paragraph,
// splitting them among r.workers goroutines.
func (r *reader) readAttributionsInParallel() {
	if r.workers < 2 {
		return
	}
	chunk := (len(r.paras) + r.workers - 1) / r.workers
	var wg sync.WaitGroup
	for start := 0; start < len(r.paras); start += chunk {
		part := r.paras[start:min(start+chunk, len(r.paras))]
		wg.Go(func() {
			// Each worker has its own cache of attributions read.
			w := &reader{}
			for _, p := range part {
				if !p.row {
					w.attrsOf(p)
				}
			}
		})
	}
	wg.Wait()
}

// attrsOf returns the attributions stated inside a paragraph's text, read
// once and kept: the structure pass asks about each paragraph many times.
func (r *reader) attrsOf(p *para) []found {
	if !p.attrsRead || p.attrsText != p.text {
		p.attrs, p.unclosed, p.stray = r.readAttributions(p.text, p.leadsAt)
		p.attrsRead, p.attrsText = true, p.text
	}
	return p.attrs
}

// findAttributions returns the attributions stated inside a text: brackets
// whose inside reads as one, and a tail of unbracketed keys.
func (r *reader) findAttributions(text string) []found {
	out, _, _ := r.readAttributions(text, -1)
	return out
}

// readAttributions is findAttributions that also returns what findBrackets
// says of unpaired brackets. leadsAt is where in text the first-listed rule
// starts to apply (-1: nowhere): a bracket that states it applies it to its
// own list.
func (r *reader) readAttributions(text string, leadsAt int) (out []found, unclosed, stray int) {
	groups, unclosed, stray := findBrackets(text)
	for _, g := range groups {
		a := r.attribution(g.inner, leadsAt >= 0 && leadsAt < g.end)
		if a == nil || a.bare && !closesTask(text, g) {
			continue
		}
		out = append(out, found{g.start, g.end, a})
	}
	keyed := text
	if unclosed >= 0 {
		// Keys inside a bracket that never closes (a text cut off in
		// （牵头单位：区民政局；责任单位：区) are no attribution.
		keyed = text[:unclosed]
	}
	if start, a := tailKeys(keyed, leadsAt >= 0); a != nil && a.namesOwner() && (len(out) == 0 || out[len(out)-1].end <= start) {
		out = append(out, found{start, len(keyed), a})
	}
	return out, unclosed, stray
}

// closesTask reports whether a bracket stands where an attribution does:
// after some text, at the end of the paragraph or before the punctuation
// that ends a sentence or clause. A bracket inside a sentence (赣州（含
// 赣州经开区）区域…) is part of the text.
func closesTask(text string, g span) bool {
	if strings.TrimSpace(text[:g.start]) == "" {
		return false
	}
	after := strings.TrimLeft(text[g.end:], " \u3000")
	if after == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(after)
	return strings.ContainsRune("。；;，,！？", c)
}

// attribution reads the inside of a bracket as an attribution that names an
// owner, or returns nil; firstLeads says that the first-listed rule
// applies. Notices repeat the same attribution for many tasks, so each
// distinct text is read once.
func (r *reader) attribution(inner string, firstLeads bool) *attribution {
	k := 0
	if firstLeads {
		k = 1
	}
	if a, seen := r.attrCache[k][inner]; seen {
		return a
	}
	a, ok := parseAttribution(inner, firstLeads)
	if !ok || !a.namesOwner() {
		a = nil
	}
	if r.attrCache[k] == nil {
		r.attrCache[k] = map[string]*attribution{}
	}
	r.attrCache[k][inner] = a
	return a
}

// tailKeys finds attribution keys written without brackets at the end of a
// paragraph (…工作。牵头单位：区发改局；责任单位：各街道) and returns where
// they start.
func tailKeys(text string, firstLeads bool) (int, *attribution) {
	// Keys stand in the last few hundred characters of a paragraph; looking
	// only there keeps the search linear in the paragraph's length.
	base := 0
	if len(text) > maxAttribution*3 {
		base = len(text) - maxAttribution*3
		for base < len(text) && !utf8.RuneStart(text[base]) {
			base++
		}
	}
	tail := text[base:]
	for next := 0; next < len(tail); {
		j, size := nextColon(tail[next:])
		if j < 0 {
			break
		}
		colon := next + j
		next = colon + size
		// The key is the run of Chinese characters before the colon (at
		// most ten), which must open the paragraph or follow the end of a
		// sentence.
		start := colon
		for n := 0; start > 0 && n < 10; n++ {
			c, size := utf8.DecodeLastRuneInString(tail[:start])
			if !cjk.IsHan(c) {
				break
			}
			start -= size
		}
		if start == colon {
			continue
		}
		if before := strings.TrimRight(tail[:start], " "); before != "" {
			if c, _ := utf8.DecodeLastRuneInString(before); !strings.ContainsRune("。；;！？", c) {
				continue
			}
		} else if base > 0 {
			continue
		}
		if classifyKey(tail[start:colon]) == keyNone {
			continue
		}
		if a, ok := parseKeyed(tail[start:], firstLeads); ok {
			return base + start, a
		}
	}
	return 0, nil
}

// nextColon returns the offset and size of the first colon (full-width or
// ASCII) in s, or -1.
func nextColon(s string) (int, int) {
	full, ascii := strings.Index(s, "："), strings.IndexByte(s, ':')
	switch {
	case full < 0 && ascii < 0:
		return -1, 0
	case full < 0 || ascii >= 0 && ascii < full:
		return ascii, 1
	}
	return full, len("：")
}

// hasAttribution reports whether a paragraph states or is an attribution.
func (r *reader) hasAttribution(p *para) bool {
	return p.attr != nil || (!p.row && len(r.attrsOf(p)) > 0)
}

// headingSplit reads a paragraph that opens with an ordinal as a heading: its
// title and the body text that follows the title in the same paragraph. ok is
// false when the paragraph is too long or too busy to be a heading.
func (r *reader) headingSplit(p *para) (title, rest string, ok bool) {
	_, n := cjk.OrdinalLevel(p.text)
	body := strings.TrimSpace(p.text[n:])
	if body == "" {
		return "", "", false
	}
	if i := strings.Index(body, "。"); i >= 0 && i+len("。") < len(body) {
		title, rest = body[:i], strings.TrimSpace(body[i+len("。"):])
	} else {
		title = body
	}
	if cjk.RuneLen(title) > 60 || strings.ContainsAny(title, "；;") || len(r.findAttributions(title)) > 0 {
		return "", "", false
	}
	if rest == "" && cjk.RuneLen(title) > 40 && strings.Count(title, "，") > 2 {
		return "", "", false
	}
	return headingTitle(title), rest, true
}

// headingTitle trims a heading's title: no ordinal, no closing punctuation.
func headingTitle(s string) string {
	s = strings.TrimSpace(cjk.StripOrdinal(strings.TrimSpace(s)))
	return strings.TrimRight(s, "。.；;：: \u3000")
}

// structure finds the sections, areas and the paragraphs that belong to
// neither, and records them in the reading.
func (r *reader) structure() {
	// Which ordinal kinds serve as headings here? Closing words after the
	// last attribution (六、工作要求 with its （一）…) do not count.
	last := -1
	for i, p := range r.paras {
		if r.hasAttribution(p) {
			last = i
		}
	}
	// A level whose numbered lines are themselves tasks (1.…, then its keys
	// or a bracket) is the item level: a numbered line there without an
	// attribution but with tasks under it (2.加快数字经济发展。 above its
	// （1）（2）) heads its sub-items and is neither a section nor an area.
	var headings, items [5]int
	for i, p := range r.paras[:last+1] {
		if p.row || p.keys {
			continue
		}
		lvl, _ := cjk.OrdinalLevel(p.text)
		if lvl == 0 {
			continue
		}
		item := r.isItem(i)
		if item && lvl >= 3 {
			items[lvl]++
			continue
		}
		_, rest, ok := r.headingSplit(p)
		switch {
		case ok && lvl < 3 && r.textBeforeAttribution(rest):
			// （一）主要预期目标。地区生产总值增长8%左右（…）: a heading phrase
			// opening the paragraph of its tasks.
			headings[lvl]++
		case item:
			items[lvl]++
		case ok && (lvl < 3 || rest == "" && cjk.AtMost(p.text, 40) && r.tasksUnder(i, lvl)):
			headings[lvl]++
		}
	}
	sectionLvl, areaLvl := 0, 0
	var skipLvl [5]bool
	for lvl := 1; lvl < len(headings); lvl++ {
		if headings[lvl] == 0 {
			continue
		}
		switch {
		case lvl >= 3 && items[lvl] > 0 && sectionLvl > 0:
			skipLvl[lvl] = true
		case sectionLvl == 0:
			sectionLvl = lvl
		case areaLvl == 0:
			areaLvl = lvl
		default:
			skipLvl[lvl] = true
		}
	}
	// Without ordinal headings, Markdown or Word headings mark the sections.
	headingSections := sectionLvl == 0

	// Bold openings anywhere show that this notice marks its areas in bold.
	boldAreas := false
	for _, p := range r.paras {
		if p.bold > 0 && !p.row && cjk.AtMost(p.text[:p.bold], 60) && p.bold < len(p.text) {
			boldAreas = true
		}
	}

	// First the sections, so that the areas can be judged within them.
	for _, p := range r.paras {
		if p.row || p.keys {
			continue
		}
		lvl, _ := cjk.OrdinalLevel(p.text)
		if lvl == 0 && reTargetsHeading.MatchString(p.text) {
			// A numbered targets heading (一、…主要预期目标) is no such heading
			// but a section like any other: section numbers are the notice's.
			p.kind = paraTargets
			continue
		}
		isItem := r.hasAttribution(p)
		switch {
		case sectionLvl > 0 && lvl == sectionLvl:
			if title, rest, ok := r.headingSplit(p); ok && (!isItem || rest != "") {
				p.kind, p.title = paraSection, title
				p.setRest(rest)
			}
		case headingSections && p.heading > 0 && !isItem:
			p.kind, p.title = paraSection, headingTitle(p.text)
		}
	}
	inSection := false
	for i, p := range r.paras {
		if p.kind == paraSection {
			inSection = true
		}
		if p.row || p.keys || p.kind != paraBody || !inSection {
			continue
		}
		lvl, _ := cjk.OrdinalLevel(p.text)
		isItem := r.hasAttribution(p)
		switch {
		case areaLvl > 0 && lvl == areaLvl:
			if title, rest, ok := r.headingSplit(p); ok && (!isItem || lvl < 3 && r.textBeforeAttribution(rest)) {
				p.kind, p.title = paraArea, title
				p.setRest(rest)
			}
			continue
		case skipLvl[lvl] && !r.isItem(i):
			if _, rest, ok := r.headingSplit(p); ok && rest == "" && r.tasksUnder(i, lvl) {
				p.kind = paraSkip
			}
			continue
		case areaLvl > 0:
			if lvl == 0 && !isItem && isSubheading(p.text) {
				// A plain heading below the numbered areas (加强基础设施建设
				// above 12.启动…) heads the tasks under it and is part of
				// none of them.
				p.kind = paraSkip
			}
			continue
		}
		// Areas as phrases: a bold opening, a Markdown heading, or a short
		// plain phrase at the start of a paragraph.
		if title, rest, ok := r.phraseArea(i, boldAreas); ok {
			p.kind, p.title = paraArea, title
			p.setRest(rest)
		}
	}
	r.dropEmptyLeadingSections()
}

// reTargetsHeading is an unnumbered heading of the main expected targets,
// which opens section 0.
var reTargetsHeading = regexp.MustCompile(`^(?:\d{4}\s*年)?(?:全[区县市省州])?(?:经济社会)?(?:发展)?(?:的)?(?:主要(?:预期)?目标|预期目标|主要指标|发展指标)(?:[（(][^）)]{1,8}[）)])?[。：:]?$`)

// dropEmptyLeadingSections turns sections that come before the first
// section with a task, and hold none, back into text of the letter that
// introduces the notice (一、提高思想认识。… in the covering letter).
func (r *reader) dropEmptyLeadingSections() {
	var heads []int
	for i, p := range r.paras {
		if p.kind == paraSection || p.kind == paraTargets {
			heads = append(heads, i)
		}
	}
	for k, h := range heads {
		end := len(r.paras)
		if k+1 < len(heads) {
			end = heads[k+1]
		}
		if r.paras[h].kind == paraTargets {
			continue
		}
		hasTask := r.paras[h].rest != nil && r.hasAttribution(r.paras[h].rest)
		for _, q := range r.paras[h+1 : end] {
			if r.hasAttribution(q) {
				hasTask = true
				break
			}
		}
		if hasTask {
			return
		}
		for _, q := range r.paras[h:end] {
			if q.kind != paraSection && q.kind != paraArea {
				continue
			}
			q.kind, q.rest = paraBody, nil
		}
	}
}

// tasksUnder reports whether an attributed task follows paragraph i before
// the next heading of its level or above: a numbered line is a heading only
// when tasks stand under it.
func (r *reader) tasksUnder(i, lvl int) bool {
	for j := i + 1; j < len(r.paras); j++ {
		q := r.paras[j]
		if q.heading > 0 {
			return false
		}
		item := r.isItem(j)
		if l, _ := cjk.OrdinalLevel(q.text); l > 0 && l <= lvl && !item {
			return false
		}
		if item || q.keys {
			return true
		}
	}
	return false
}

// textBeforeAttribution reports whether the body after a heading's title
// holds text of its own before its first attribution: （一）扩大投资。实施
// 项目一批（…） is a heading and its task, while in （一）地区生产总值增长11%。
// （牵头单位：…） the title is the task.
func (r *reader) textBeforeAttribution(rest string) bool {
	if rest == "" {
		return false
	}
	fs := r.findAttributions(rest)
	return len(fs) == 0 || strings.TrimFunc(rest[:fs[0].start], isTrimmed) != ""
}

// isItem reports whether paragraph i is a task: it states an attribution,
// or key lines follow it.
func (r *reader) isItem(i int) bool {
	p := r.paras[i]
	if r.hasAttribution(p) {
		return true
	}
	return !p.keys && !p.row && i+1 < len(r.paras) && r.paras[i+1].keys
}

// phraseArea reads paragraph i as a focus heading written as a phrase:
// "**加快放大政策集成强效应。**坚持…", a Markdown/Word heading, or a plain
// "持续强化特色园区带动力。牢牢把握…".
func (r *reader) phraseArea(i int, boldAreas bool) (title, rest string, ok bool) {
	p := r.paras[i]
	if p.heading > 0 && cjk.AtMost(p.text, 60) && !r.hasAttribution(p) {
		return headingTitle(p.text), "", true
	}
	if lvl, _ := cjk.OrdinalLevel(p.text); lvl > 0 {
		return "", "", false
	}
	if p.bold > 0 {
		head := strings.TrimSpace(p.text[:p.bold])
		if n := cjk.RuneLen(head); n >= 2 && n <= 60 && len(r.findAttributions(head)) == 0 {
			return headingTitle(head), strings.TrimSpace(p.text[p.bold:]), true
		}
		return "", "", false
	}
	head, rest := firstSentence(p.text)
	if !isPhrase(head) && !isLoosePhrase(head) {
		return "", "", false
	}
	if rest == "" {
		// A phrase standing alone is a heading, unless keys follow it and
		// make it a (short) task.
		if !isPhrase(head) || i+1 < len(r.paras) && r.paras[i+1].keys {
			return "", "", false
		}
		return headingTitle(head), "", true
	}
	if len(r.findAttributions(head)) > 0 {
		return "", "", false
	}
	switch {
	case isPhrase(head) && (boldAreas || r.phraseShare(i, isPhrase) >= 0.5):
	case isLoosePhrase(head) && r.phraseShare(i, isLoosePhrase) >= 0.75:
		// Longer openings (对党绝对忠诚，做…的表率。) count only where nearly
		// every paragraph of the section opens with one.
	default:
		return "", "", false
	}
	return headingTitle(head), rest, true
}

// phraseShare is the share of body paragraphs in paragraph i's section that
// open with a phrase of the kind: where most do, the phrases are the areas.
func (r *reader) phraseShare(i int, phrase func(string) bool) float64 {
	start, end := i, i+1
	for start > 0 && r.paras[start-1].kind != paraSection {
		start--
	}
	for end < len(r.paras) && r.paras[end].kind != paraSection {
		end++
	}
	n, phrases := 0, 0
	for _, q := range r.paras[start:end] {
		if q.row || q.keys || q.kind != paraBody && q.kind != paraArea {
			continue
		}
		if lvl, _ := cjk.OrdinalLevel(q.text); lvl > 0 {
			continue
		}
		n++
		if head, rest := firstSentence(q.text); rest != "" && phrase(head) {
			phrases++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(phrases) / float64(n)
}

// firstSentence splits text after its first 。 (the sentence keeps it).
func firstSentence(text string) (head, rest string) {
	if i := strings.Index(text, "。"); i >= 0 {
		return text[:i+len("。")], strings.TrimSpace(text[i+len("。"):])
	}
	return text, ""
}

// isPhrase reports whether a sentence is short and plain enough to be a
// heading phrase: no commas, colons or brackets, at most 25 characters.
func isPhrase(s string) bool {
	s = strings.TrimRight(strings.TrimSpace(s), "。")
	n := cjk.RuneLen(s)
	return n >= 4 && n <= 25 && !strings.ContainsAny(s, "，,；;：:（()）【】[]、。！？")
}

// statesTargets reports whether a paragraph opens by announcing the main
// targets: 2023年经济社会发展的主要预期目标是：….
func statesTargets(text string) bool {
	i := strings.IndexAny(text, "：:")
	if i < 0 || !cjk.AtMost(text[:i], 40) {
		return false
	}
	lead := text[:i]
	return strings.Contains(lead, "预期目标") || strings.Contains(lead, "主要目标")
}

// isSubheading reports whether a paragraph is a short heading line: a
// phrase without punctuation of its own.
func isSubheading(text string) bool {
	return cjk.AtMost(text, 30) && cjk.RuneLen(text) >= 4 && !endsTerminal(text) && !strings.ContainsAny(text, "，,；;：:、。")
}

// isLoosePhrase reports whether a sentence could be a heading with a comma
// or two in it: 对党绝对忠诚，做捍卫“两个确立”、践行“两个维护”的表率.
func isLoosePhrase(s string) bool {
	s = strings.TrimRight(strings.TrimSpace(s), "。")
	n := cjk.RuneLen(s)
	return n >= 4 && n <= 34 && strings.Count(s, "，") <= 2 && !strings.ContainsAny(s, "；;：:（()）【】[]。！？")
}

// closing reports whether a paragraph after the last task is the notice's
// closing words: addressed to the recipients, the signature or the date.
var reClosing = regexp.MustCompile(`^(?:各[^，。]{0,12}(?:要|须|务必|应)|请各|请你|以上|特此|附件|联系人|抄送|此页无正文|（此件|\(此件|【打印|【关闭|\[打印|\[关闭|打印本页|关闭窗口)`)

func isClosing(text string) bool {
	t := strings.TrimSpace(text)
	return reClosing.MatchString(t) || letterhead.IsDateLine(t) || reIssuerLine.MatchString(t)
}

// container is the body of one section (area 0) or area: the paragraphs
// whose tasks it holds.
type container struct {
	section, area int
	paras         []*para
	// leaders are the leaders its heading names as leading every task
	// under it (王丹县长牵头重点工作).
	leaders []string
}

// reLeaderHeading is a heading that names the leader who leads the tasks
// under it: 王丹县长牵头重点工作, 曹惠明常务副县长牵头重点工作, 潘东旭市长负责事项.
var reLeaderHeading = regexp.MustCompile(`^(\p{Han}{2,4}?)(?:常务)?副?[省市县区州旗盟乡镇]长(?:牵头|主抓|负责|分管|领衔)的?(?:重点|主要)?(?:工作|事项|任务)`)

// headingLeaders returns the leader a heading names as leading the tasks
// under it, or nil.
func headingLeaders(title string) []string {
	if m := reLeaderHeading.FindStringSubmatch(title); m != nil {
		return []string{m[1]}
	}
	return nil
}

// containers groups body paragraphs under their section and area, records
// sections and areas in the reading, and drops closing words: trailing
// sections without any attribution, and text after the last task that
// addresses the recipients.
func (r *reader) containers() []*container {
	last := -1
	for i, p := range r.paras {
		if p.kind == paraBody && r.hasAttribution(p) || p.rest != nil && r.hasAttribution(p.rest) {
			last = i
		}
	}
	firstSection, targets := len(r.paras), -1
	for i, p := range r.paras {
		if p.kind == paraTargets && targets < 0 {
			targets = i
		}
		if p.kind == paraSection {
			firstSection = i
			break
		}
	}
	var out []*container
	// Section 0: the paragraphs of main targets before the first section.
	first0, last0 := -1, -1
	if targets >= 0 {
		// Under a heading of their own: up to the first section.
		first0, last0 = targets+1, firstSection-1
	}
	for i := 0; i < firstSection && i <= last && targets < 0; i++ {
		if r.paras[i].kind == paraBody && r.hasAttribution(r.paras[i]) {
			if first0 < 0 {
				first0 = i
				if r.paras[i].keys && i > 0 {
					// Keys on their own lines close the paragraph before them.
					first0 = i - 1
				}
			}
			last0 = i
		}
	}
	if first0 < 0 && targets < 0 {
		// Main targets stated without an attribution (主要预期目标是：…) are
		// section 0 still, for the office to assign.
		for i := 0; i < firstSection; i++ {
			if p := r.paras[i]; p.kind == paraBody && statesTargets(p.text) {
				first0, last0 = i, i
				break
			}
		}
	}
	if first0 >= 0 && first0 <= last0 {
		c := &container{}
		targetsNamed := targets >= 0
		for _, p := range r.paras[first0 : last0+1] {
			if p.kind == paraBody {
				c.paras = append(c.paras, p)
				targetsNamed = targetsNamed || p.targets || !p.row && statesTargets(p.text)
			}
		}
		// Section 0 is the main targets where the notice names them so;
		// tasks that merely stand before any heading get no title.
		title := ""
		if targetsNamed {
			title = "主要预期目标"
		}
		r.out.Sections = append(r.out.Sections, duban.ReadSection{No: 0, Title: title})
		out = append(out, c)
	}
	section, area := 0, 0
	var cur *container
	var sectionLeaders []string
	closing := false
	for i := firstSection; i < len(r.paras); i++ {
		p := r.paras[i]
		if i > last && (p.kind == paraSection || p.kind == paraBody && isClosing(p.text)) {
			// Closing words run to the end of the notice.
			closing = true
		}
		if closing {
			break
		}
		switch p.kind {
		case paraSection:
			section++
			area = 0
			r.out.Sections = append(r.out.Sections, duban.ReadSection{No: section, Title: p.title})
			sectionLeaders = headingLeaders(p.title)
			cur = &container{section: section, leaders: sectionLeaders}
			out = append(out, cur)
			cur.addRest(p)
		case paraArea:
			area++
			r.out.Areas = append(r.out.Areas, duban.ReadArea{Section: section, No: area, Title: p.title})
			cur = &container{section: section, area: area, leaders: sectionLeaders}
			if l := headingLeaders(p.title); l != nil {
				cur.leaders = l
			}
			out = append(out, cur)
			cur.addRest(p)
		case paraBody:
			if cur != nil {
				cur.paras = append(cur.paras, p)
			}
		}
	}
	return out
}

// addRest adds the body text that followed a heading in its paragraph.
func (c *container) addRest(h *para) {
	if h.rest != nil {
		c.paras = append(c.paras, h.rest)
	}
}

// setRest keeps the body text that followed a heading's title in the same
// paragraph as a paragraph of its own.
func (p *para) setRest(rest string) {
	if rest == "" {
		return
	}
	head := p.text[:len(p.text)-len(rest)]
	p.rest = &para{text: rest, line: p.line, leadsAt: p.leadsAt}
	if p.leadsAt >= 0 {
		p.rest.leadsAt = max(p.leadsAt-len(head), 0)
	}
	if p.attrsRead && p.attrsText == p.text && strings.HasSuffix(p.text, rest) && !strings.ContainsAny(head, "（()【[]】）〔〕：:") {
		// What was found in the paragraph stands in its rest, moved by the
		// heading's length: no need to read it again.
		k := len(head)
		q := p.rest
		q.attrsRead, q.attrsText, q.stray, q.unclosed = true, rest, p.stray, p.unclosed
		if q.unclosed >= 0 {
			q.unclosed -= k
		}
		for _, f := range p.attrs {
			q.attrs = append(q.attrs, found{f.start - k, f.end - k, f.attr})
		}
	}
}

// reIssuerLine is an issuer's name alone on a line, as a signature puts it.
var reIssuerLine = regexp.MustCompile(`^\S{2,30}(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会)$`)
