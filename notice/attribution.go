package notice

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban/notice/cjk"
)

// attribution is who answers for a task, as one bracket (or a run of key
// lines, or a table row) states it.
type attribution struct {
	leaders  []string
	leads    []string
	resp     []string
	deadline string
	// unknown lists keys that looked like keys but are not known ones.
	unknown []string
	// bare is set for a list of units alone (市科技局、市发改委), read as an
	// attribution only where it closes a task.
	bare bool
	// checked is set once the names were judged; runTogether and
	// longLeaders are the names that look like several run together.
	checked                          bool
	runTogether, longLeaders, spaced []string
}

func (a *attribution) empty() bool {
	return !a.namesOwner() && a.deadline == ""
}

// namesOwner reports whether the attribution names anyone; one that gives a
// deadline only does not close a task on its own.
func (a *attribution) namesOwner() bool {
	return len(a.leaders) > 0 || len(a.leads) > 0 || len(a.resp) > 0
}

// keyRole is what an attribution key assigns.
type keyRole int

const (
	keyNone keyRole = iota
	keyLeader
	keyLead
	keyResp
	keyDeadline
)

// classifyKey tells what a key such as 牵头单位, 分管区领导 or 完成时限 assigns. It
// reads the key by its parts rather than from a closed list, so that the many
// variants notices use (牵头县领导, 责任区领导, 牵头责任单位, a stray prefix
// as in 区责任单位) are all understood.
func classifyKey(k string) keyRole {
	if k == "时限" {
		// The one key of two characters; 领导, 单位 alone are words.
		return keyDeadline
	}
	if len(k) < 6 || len(k) > 40 {
		return keyNone
	}
	if last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(k, " ")); !strings.ContainsRune("导志位门室限间点头", last) {
		// Every key ends in one of these; most colons in a notice are not
		// after a key.
		return keyNone
	}
	if strings.ContainsAny(k, " \u3000") {
		k = cjk.DropSpaces(k)
	}
	n := cjk.RuneLen(k)
	if n < 3 || n > 9 {
		return keyNone
	}
	for _, r := range k {
		if !cjk.IsHan(r) {
			return keyNone
		}
	}
	switch {
	case strings.HasSuffix(k, "领导") || strings.HasSuffix(k, "领导同志"):
		return keyLeader
	case strings.HasSuffix(k, "时限") || strings.HasSuffix(k, "期限") || strings.HasSuffix(k, "节点") ||
		k == "完成时间" || k == "办结时间" || k == "时间要求" || k == "进度要求":
		return keyDeadline
	case (strings.Contains(k, "牵头") || strings.Contains(k, "主办") || strings.Contains(k, "主责") || strings.HasPrefix(k, "主要")) &&
		(strings.HasSuffix(k, "单位") || strings.HasSuffix(k, "部门") || strings.HasSuffix(k, "处室") || strings.HasSuffix(k, "科室") || strings.HasSuffix(k, "牵头")):
		return keyLead
	case strings.HasSuffix(k, "单位") || strings.HasSuffix(k, "部门") || strings.HasSuffix(k, "处室") || strings.HasSuffix(k, "科室"):
		switch {
		case strings.Contains(k, "责任"), strings.Contains(k, "配合"), strings.Contains(k, "参与"), strings.Contains(k, "协办"),
			strings.Contains(k, "协同"), strings.Contains(k, "协作"), strings.Contains(k, "落实"), strings.Contains(k, "承办"):
			return keyResp
		}
	}
	return keyNone
}

// A span is a bracketed group in a text: s[start:end] is the whole group
// including its brackets; inner is what stands between them.
type span struct {
	start, end int
	inner      string
}

// findBrackets returns the top-level bracket groups of s, nesting any bracket
// kinds (notices open with "(" and close with "）" freely). unclosed is the
// offset of an opening bracket that is never closed, or -1; stray counts
// closing brackets with nothing to close.
func findBrackets(s string) (groups []span, unclosed int, stray int) {
	depth, start, startSize := 0, -1, 0
	for i := 0; i < len(s); i++ {
		if !mayBracket(s[i]) {
			continue
		}
		delta, size := bracketAt(s, i)
		switch {
		case delta > 0:
			if depth == 0 {
				start, startSize = i, size
			}
			depth++
		case delta < 0 && depth == 0:
			stray++
		case delta < 0:
			depth--
			if depth == 0 {
				groups = append(groups, span{start: start, end: i + size, inner: s[start+startSize : i]})
			}
		}
		if size > 1 {
			i += size - 1
		}
	}
	unclosed = -1
	if depth > 0 {
		unclosed = start
	}
	return groups, unclosed, stray
}

// mayBracket reports whether a bracket can start at byte c; most bytes of
// Chinese text are told apart by this test alone.
func mayBracket(c byte) bool { return bracketLead[c] }

// bracketLead marks the bytes that can start a bracket.
var bracketLead = [256]bool{0xEF: true, 0xE3: true, '(': true, ')': true, '[': true, ']': true}

// bracketAt tells whether a bracket stands at byte i of s: delta is +1 for
// an opening one, -1 for a closing one, 0 for none; size is its length in
// bytes. It looks at bytes rather than decoding runes because it runs over
// every character of a notice several times.
func bracketAt(s string, i int) (delta, size int) {
	switch s[i] {
	case '(', '[':
		return 1, 1
	case ')', ']':
		return -1, 1
	case 0xEF: // （ ）: EF BC 88, EF BC 89
		if i+2 < len(s) && s[i+1] == 0xBC {
			switch s[i+2] {
			case 0x88:
				return 1, 3
			case 0x89:
				return -1, 3
			}
		}
	case 0xE3: // 【 】 〔 〕: E3 80 90, 91, 94, 95
		if i+2 < len(s) && s[i+1] == 0x80 {
			switch s[i+2] {
			case 0x90, 0x94:
				return 1, 3
			case 0x91, 0x95:
				return -1, 3
			}
		}
	}
	return 0, 1
}

// Separators inside attributions: between key–value pairs, between clauses
// of a phrase attribution, and between names.
func isPairSep(r rune) bool {
	return r == '，' || r == ',' || r == '；' || r == ';' || r == '。' || r == '\n'
}
func isClauseSep(r rune) bool { return r == '，' || r == ',' || r == '；' || r == ';' }
func isNameSep(r rune) bool   { return r == '、' || isClauseSep(r) || r == '\n' }

// splitTop splits s at the separators that stand outside brackets.
func splitTop(s string, isSep func(rune) bool) []string {
	out := make([]string, 0, 4)
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		// Brackets and separators are ASCII or start with byte E3 or EF;
		// other bytes need no decoding.
		if c < 0x80 && !strings.ContainsRune("()[],;\n", rune(c)) || c >= 0x80 && c != 0xE3 && c != 0xEF {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isOpenBracket(r):
			depth++
		case isCloseBracket(r):
			if depth > 0 {
				depth--
			}
		case depth == 0 && isSep(r):
			out = append(out, s[last:i])
			last = i + size
		}
		i += size - 1
	}
	return append(out, s[last:])
}

// parseKeyed reads an attribution written with keys: "牵头领导：武毅，牵头单位：
// 区财政局，责任单位：区发展和改革局、历下控股集团". A piece without a key
// continues the list of the key before it. A key that heads phrases
// (部门分工：X牵头，Y配合) has its value read as a phrase attribution, under
// the first-listed rule when firstLeads is set. ok is false when the text
// does not open with a known key.
func parseKeyed(s string, firstLeads bool) (a *attribution, ok bool) {
	if k, v, found := cutKey(s); found && isPhraseKey(k) {
		a, ok := parsePhrase(v, firstLeads)
		if !ok {
			return nil, false
		}
		return a, true
	}
	a = &attribution{}
	role, leadKey := keyNone, false
	pieces := splitTop(s, isPairSep)
	for i, piece := range pieces {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if k, v, found := cutKey(piece); found {
			if r := classifyKey(k); r != keyNone {
				role = r
				piece = v
				leadKey = leadKey || r == keyLead
			} else if isPhraseKey(k) && i > 0 {
				// 分管领导：…；部门分工：X牵头，Y配合 in one bracket: the rest
				// is phrases.
				_, rest, _ := cutKey(strings.TrimSpace(strings.Join(pieces[i:], "，")))
				if b, ok := parsePhrase(rest, firstLeads); ok {
					mergeAttribution(a, b)
				}
				break
			} else if looksLikeKey(k) {
				a.unknown = append(a.unknown, k)
				role = keyNone
				continue
			}
		}
		if i == 0 && role == keyNone {
			return nil, false
		}
		switch role {
		case keyNone:
			continue
		case keyDeadline:
			if a.deadline != "" {
				a.deadline += "，"
			}
			a.deadline += trimPunct(piece)
		case keyLeader:
			a.leaders = append(a.leaders, splitNames(piece)...)
		case keyLead:
			a.leads = append(a.leads, splitNames(piece)...)
		case keyResp:
			a.resp = append(a.resp, splitNames(piece)...)
		}
	}
	if a.empty() {
		return nil, false
	}
	if firstLeads && !leadKey && len(a.leads) == 0 && len(a.resp) > 0 {
		// 责任单位：A、B、C under the first-listed rule: A leads.
		a.leads, a.resp = a.resp[:1], a.resp[1:]
	}
	return a, true
}

// isPhraseKey reports whether a key heads a phrase attribution rather than a
// list: 部门分工, 责任分工, 任务分工, 分工.
func isPhraseKey(k string) bool {
	k = strings.TrimSpace(k)
	return k == "分工" || cjk.RuneLen(k) <= 4 && strings.HasSuffix(k, "分工") && strings.Trim(k, "部门责任务职分工") == ""
}

// mergeAttribution adds b's owners and deadline to a.
func mergeAttribution(a, b *attribution) {
	a.leaders = append(a.leaders, b.leaders...)
	a.leads = append(a.leads, b.leads...)
	a.resp = append(a.resp, b.resp...)
	if a.deadline == "" {
		a.deadline = b.deadline
	}
}

// cutKey splits "key：value" at the first colon outside brackets.
func cutKey(s string) (key, value string, found bool) {
	for i, r := range s {
		if isOpenBracket(r) {
			return "", "", false
		}
		if r == '：' || r == ':' {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(string(r)):]), true
		}
	}
	return "", "", false
}

// looksLikeKey reports whether k has the shape of an attribution key even if
// it is not a known one, so that the office can be warned about it.
func looksLikeKey(k string) bool {
	n := cjk.RuneLen(k)
	if n < 2 || n > 8 {
		return false
	}
	for _, r := range k {
		if !cjk.IsHan(r) {
			return false
		}
	}
	return strings.HasSuffix(k, "单位") || strings.HasSuffix(k, "部门") || strings.HasSuffix(k, "领导") ||
		strings.HasSuffix(k, "人") || strings.HasSuffix(k, "分工")
}

// Phrase attributions, as the State Council and many provinces write them.
var (
	rePhraseLead = regexp.MustCompile(`^(.+?)牵头(?:负责|抓总)?$`)
	rePhraseResp = regexp.MustCompile(`^(.+?)(?:配合|参与|协助|协同|协办|按职责分工负责|按照职责分工负责|按职责负责|按职责分工落实|分别负责|共同负责|负责落实|负责)$`)
	rePhraseHead = regexp.MustCompile(`^(?:部门分工|责任分工|任务分工|职责分工|分工)[：:]`)
	// reFirstLeads is the statement that the first unit listed leads:
	// 列第一位的为牵头部门, 列第一位的责任单位为牵头单位, 排在首位的为牵头单位,
	// 列第一位者为工作牵头单位, 首位单位为牵头单位.
	reFirstLeads = regexp.MustCompile(`(?:列|排)?在?(?:第一位|首位)(?:的|者)?(?:责任|配合)?(?:单位|部门)?(?:为|是)(?:工作)?(?:牵头|主办)`)
)

// mayStateFirstLeads reports whether s can state the first-listed rule, so
// that most texts are told apart without the regular expression.
func mayStateFirstLeads(s string) bool {
	for i := strings.Index(s, "位"); i >= 0; {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); prev == '一' || prev == '首' {
			return true
		}
		next := strings.Index(s[i+len("位"):], "位")
		if next < 0 {
			break
		}
		i += len("位") + next
	}
	return false
}

// isPhraseSep separates the clauses of a phrase attribution; a full stop
// may end the owners and open a remark (省科技厅牵头。明确牵头部门的，…).
func isPhraseSep(r rune) bool { return isClauseSep(r) || r == '。' }

// parsePhrase reads an attribution written as phrases: "X牵头，Y配合",
// "A、B等按职责分工负责", "部门分工：X牵头，Y等按职责分工负责", leaders named
// by post ("分管副省长、协管副秘书长负责"), and, under the first-listed rule, a
// list of units alone. firstLeads says that the notice has declared, by here,
// that the first unit listed leads (列第一位的为牵头部门). Once an owner is
// read, clauses that name no unit are remarks (下同, 不逐一列出). ok is false
// when the text is an ordinary parenthetical rather than an attribution.
func parsePhrase(s string, firstLeads bool) (a *attribution, ok bool) {
	s = rePhraseHead.ReplaceAllString(strings.TrimSpace(s), "")
	clauses := splitTop(s, isPhraseSep)
	explicitLead := false
	for _, c := range clauses {
		if strings.Contains(c, "牵头") && rePhraseLead.MatchString(strings.TrimSpace(c)) {
			explicitLead = true
			break
		}
	}
	a = &attribution{}
	matched := 0
	for _, clause := range clauses {
		clause = strings.TrimSpace(clause)
		if clause == "" {
			continue
		}
		if m := rePhraseLead.FindStringSubmatch(clause); m != nil {
			names := splitNames(m[1])
			if !allOrgs(names) {
				return nil, false
			}
			a.leads = append(a.leads, names...)
			matched++
			continue
		}
		if mayStateFirstLeads(clause) && reFirstLeads.MatchString(clause) {
			// The convention itself names nobody.
			continue
		}
		m := rePhraseResp.FindStringSubmatch(clause)
		if m == nil && firstLeads && matched == 0 && len(clauses) == 1 {
			// 市科技局、市发改委、市经信局: units alone, under the rule.
			if names := splitNames(clause); allUnits(names) {
				a.leads, a.resp = names[:1], names[1:]
				a.bare = true
				return a, true
			}
		}
		if m != nil {
			names := splitNames(m[1])
			if len(names) == 0 && matched > 0 {
				// 其他部门按职责分工负责 and the like name nobody.
				continue
			}
			if allRoles(names) {
				// 分管副省长、协管副秘书长负责: leaders named by office.
				a.leaders = append(a.leaders, names...)
				matched++
				continue
			}
			if !allOrgs(names) {
				if matched > 0 && isRemark(clause) {
					continue
				}
				return nil, false
			}
			if firstLeads && !explicitLead && len(a.leads) == 0 {
				a.leads = append(a.leads, names[0])
				names = names[1:]
			}
			a.resp = append(a.resp, names...)
			matched++
			continue
		}
		if reTimeRemark.MatchString(clause) && cjk.RuneLen(clause) <= 20 {
			// 年内持续推进, 2021年6月底前完成: when, not who.
			if a.deadline == "" {
				a.deadline = trimPunct(clause)
			}
			continue
		}
		if matched > 0 && (isRemark(clause) || !namesUnits(clause)) {
			continue
		}
		return nil, false
	}
	if matched == 0 || a.empty() {
		return nil, false
	}
	return a, true
}

// namesUnits reports whether a clause lists units (and so is no remark).
func namesUnits(clause string) bool {
	for _, n := range splitTop(clause, isNameSep) {
		if isOrg(cleanName(n)) {
			return true
		}
	}
	return false
}

// allUnits reports whether every name is a unit's or a group's name of
// three characters or more that is not a comment (含…, 以下简称…), as a
// bracket of units alone lists them.
func allUnits(names []string) bool {
	return every(names, func(n string) bool {
		return cjk.RuneLen(n) >= 3 && isOrg(n) && !isRole(n) && !strings.HasPrefix(n, "含") && !strings.HasPrefix(n, "包括") &&
			!strings.HasPrefix(n, "以下") && !strings.HasPrefix(n, "即") && !strings.HasPrefix(n, "不含")
	})
}

// every reports whether there are names and each one is ok.
func every(names []string, ok func(string) bool) bool {
	for _, n := range names {
		if !ok(n) {
			return false
		}
	}
	return len(names) > 0
}

// reTimeRemark is a clause inside a phrase attribution that says when.
var reTimeRemark = regexp.MustCompile(`年内|年底|月底|底前|前完成|持续推进|长期坚持|持续实施|逐步推进|\d{4}\s*年|季度|全年`)

// allRoles reports whether every name is a leader's office (副省长, 秘书长).
func allRoles(names []string) bool {
	for _, n := range names {
		if !isRole(n) || strings.HasSuffix(n, "领导") && cjk.RuneLen(n) > 6 {
			return false
		}
	}
	return len(names) > 0
}

// isRemark reports whether a clause inside an attribution names nobody and
// only comments: 下同, 年内持续推进, 长期坚持, 其他部门按职责分工负责.
func isRemark(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) > 60 {
		return false
	}
	if strings.HasPrefix(s, "其他") || strings.HasPrefix(s, "其余") {
		return true
	}
	if last, _ := utf8.DecodeLastRuneInString(s); last == '局' || last == '委' || last == '办' || last == '心' || last == '团' || last == '处' {
		// A unit's name, the common case.
		return false
	}
	for _, p := range []string{"下同", "持续推进", "长期坚持", "持续实施", "年内完成", "年底前完成", "分别负责", "按职责分工负责", "逐步推进", "持续"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// splitNames splits a list of names written with 、 (and the commas that
// sometimes join groups), dropping a trailing 等, a trailing 负责 after a role,
// and remarks that name nobody.
func splitNames(s string) []string {
	var out []string
	for _, n := range joinOneCharPieces(s, splitTop(s, isNameSep)) {
		n = cleanName(n)
		if n == "" || isRemark(n) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// joinOneCharPieces joins again the pieces of s (split at its separators)
// around a piece of one character: in 各县、市、区政府 the 、 separates the
// levels inside one group's name, not names.
func joinOneCharPieces(s string, pieces []string) []string {
	one := func(p string) bool {
		// A name's piece is longer than one character and its spaces; most
		// are told apart by their length in bytes alone.
		return len(p) <= 8 && cjk.RuneLen(strings.TrimSpace(p)) == 1
	}
	if len(pieces) < 2 || !slices.ContainsFunc(pieces, one) || !slices.ContainsFunc(pieces, func(p string) bool { return !one(p) }) {
		// Levels alone (市、区) name no group.
		return pieces
	}
	var out []string
	start, pos := 0, 0 // where the current name and piece start in s
	for i, p := range pieces {
		end := pos + len(p)
		joined := i+1 < len(pieces) && (one(p) || one(pieces[i+1]))
		if !joined {
			out = append(out, s[start:end])
		}
		if i+1 < len(pieces) {
			_, size := utf8.DecodeRuneInString(s[end:])
			pos = end + size
			if !joined {
				start = pos
			}
		}
	}
	return out
}

// cleanName trims a single name as written in an attribution.
func cleanName(n string) string {
	n = strings.TrimFunc(n, func(r rune) bool {
		return r == '。' || r == '.' || r == '：' || r == ':' || unicode.IsSpace(r)
	})
	n = dropRemarkBracket(n)
	for _, suf := range []string{"按职责分工负责", "按照职责分工负责", "按职责负责", "分别负责", "负责", "配合"} {
		if strings.HasSuffix(n, suf) && cjk.RuneLen(n) > cjk.RuneLen(suf)+1 {
			n = strings.TrimSuffix(n, suf)
			break
		}
	}
	n = strings.TrimSuffix(n, "等")
	n = strings.TrimSuffix(n, "等单位")
	return strings.TrimSpace(n)
}

// dropRemarkBracket removes a bracket at the end of a name that comments
// rather than names: 市税务局(列第一位者为工作牵头单位,下同) → 市税务局. A
// bracket that is part of the name (区直各部门（单位）) stays.
func dropRemarkBracket(n string) string {
	if r, _ := utf8.DecodeLastRuneInString(n); !isCloseBracket(r) {
		return n
	}
	groups, _, _ := findBrackets(n)
	if len(groups) == 0 {
		return n
	}
	g := groups[len(groups)-1]
	if g.end != len(n) || g.start == 0 {
		return n
	}
	if mayStateFirstLeads(g.inner) && reFirstLeads.MatchString(g.inner) || isRemark(g.inner) {
		return strings.TrimSpace(n[:g.start])
	}
	return n
}

// orgSuffixes end the names of units, groups of units and leaders' roles.
var orgSuffixes = []string{
	"局", "委", "办", "部", "厅", "院", "行", "会", "中心", "集团", "公司", "政府", "办事处", "街道", "镇", "乡",
	"署", "所", "站", "队", "处", "室", "馆", "团", "联", "社", "校", "组", "单位", "部门", "机构", "企业", "区", "县",
	"市", "省", "州", "盟", "旗", "园", "长", "主任", "书记", "领导", "秘书长", "）", ")", "科", "台", "司", "协", "海关",
}

// isOrg reports whether a name looks like a unit, a group of units or a role.
func isOrg(n string) bool {
	if n == "" || len(n) > 90 || strings.ContainsAny(n, "，。；：:") {
		return false
	}
	if strings.HasPrefix(n, "各") || strings.HasPrefix(n, "相关") || strings.HasPrefix(n, "有关") {
		// A group of units (各街道办事处, 相关部门), not a sentence that opens
		// with one (各项工作均需各设区市人民政府).
		return cjk.AtMost(n, 20) && !strings.ContainsAny(n, "均需要应将由把")
	}
	for _, s := range orgSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

func allOrgs(names []string) bool { return every(names, isOrg) }

// maxAttribution bounds the length in bytes of an attribution's text; the
// longest real ones list some thirty units.
const maxAttribution = 1500

// parseAttribution reads the inside of a bracket as an attribution, trying
// keys first and phrases second.
func parseAttribution(inner string, firstLeads bool) (*attribution, bool) {
	inner = strings.TrimSpace(joinLines(inner))
	if inner == "" || len(inner) > maxAttribution {
		return nil, false
	}
	if a, ok := parseKeyed(inner, firstLeads); ok {
		return a, true
	}
	return parsePhrase(inner, firstLeads)
}

// joinLines removes line breaks, which inside a bracket only come from wraps.
func joinLines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}
