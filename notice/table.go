package notice

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dubanhq/duban/notice/cjk"
	"github.com/dubanhq/duban/notice/decode"
)

// colRole is what a table column holds.
type colRole int

const (
	colOther colRole = iota
	colSeq
	colTask
	colLeader
	colLead
	colResp
	colDeadline
	colNote // 备注: read past, no part of the reading
)

// headerBrackets removes the brackets of a header cell.
var headerBrackets = strings.NewReplacer("（", "", "）", "", "(", "", ")", "")

// headerRole reads a header cell such as 序号, 工作任务, 分管领导, 牵头单位,
// 责任单位 or 完成时限.
func headerRole(label string) colRole {
	l := strings.Join(strings.Fields(label), "")
	l = strings.Trim(l, "：:*")
	switch l {
	case "":
		return colOther
	case "序号", "编号", "序", "号", "No.", "NO.", "no.":
		return colSeq
	case "备注", "说明", "备注说明":
		return colNote
	}
	if strings.HasSuffix(l, "来源") || strings.HasSuffix(l, "依据") || strings.HasSuffix(l, "出处") {
		// 任务来源 (皖政〔2022〕9号文件): where a task comes from, no part of it.
		return colNote
	}
	if strings.ContainsAny(l, "（()") {
		// 分管（牵头）领导, 责任（配合）单位: the bracket qualifies the key.
		l = headerBrackets.Replace(l)
	}
	switch classifyKey(l) {
	case keyLeader:
		return colLeader
	case keyLead:
		return colLead
	case keyResp:
		return colResp
	case keyDeadline:
		return colDeadline
	}
	if cjk.RuneLen(l) <= 12 && (strings.Contains(l, "任务") || strings.Contains(l, "工作") || strings.Contains(l, "内容") ||
		strings.Contains(l, "事项") || strings.Contains(l, "举措") || strings.Contains(l, "措施") || strings.Contains(l, "目标") || strings.Contains(l, "项目") ||
		strings.Contains(l, "实事")) {
		return colTask
	}
	return colOther
}

// headerRoles reads a row as a table header; ok is false unless it has a task
// column and at least one owner column.
func headerRoles(cells []string) (roles []colRole, ok bool) {
	task, owner := false, false
	for _, c := range cells {
		role := headerRole(c)
		roles = append(roles, role)
		switch role {
		case colTask:
			task = true
		case colLeader, colLead, colResp:
			owner = true
		}
	}
	return roles, task && owner
}

// tableRows turns a table into paragraphs: a heading row (one text across
// the table) becomes a plain paragraph, a task row a row paragraph carrying
// its owners.
func (r *reader) tableRows(b decode.Block) []*para {
	var out []*para
	var roles []colRole
	targets := false
	for i, cells := range b.Rows {
		line := b.Line + i
		if rs, ok := headerRoles(cells); ok {
			roles, targets = rs, namesTargets(strings.Join(cells, ""))
			continue
		}
		if text, single := singleCell(cells); single {
			p := &para{text: text, line: line}
			if roles != nil {
				// Under a header, a row of one text is a heading row (an
				// action, a focus area), set apart as a bold line would be.
				p.bold = len(text)
			}
			out = append(out, p)
			continue
		}
		if roles == nil {
			// A table without a header we understand: read its cells as
			// paragraphs, in order.
			for _, c := range cells {
				if c = strings.TrimSpace(c); c != "" {
					out = append(out, &para{text: strings.ReplaceAll(c, "\n", ""), line: line})
				}
			}
			continue
		}
		if p := rowPara(cells, roles, line); p != nil {
			p.targets = targets
			out = append(out, p)
		}
	}
	return out
}

// namesTargets reports whether a table's header names the main targets
// (2022年预期目标), so that its rows before any heading are section 0's
// targets rather than tasks that merely stand first.
func namesTargets(header string) bool {
	for _, w := range []string{"预期目标", "主要目标", "预期指标", "主要指标"} {
		if strings.Contains(header, w) {
			return true
		}
	}
	return false
}

// headerText joins a flattened header's lines.
func headerText(ps []*para) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// markTargets sets on each row whether its header names the main targets.
func markTargets(ps []*para, targets bool) []*para {
	for _, p := range ps {
		if p.row {
			p.targets = targets
		}
	}
	return ps
}

// singleCell reports whether a row carries one text only (a merged heading
// row, or a row repeating one text across merged cells).
func singleCell(cells []string) (string, bool) {
	text := ""
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || c == text {
			continue
		}
		if text != "" {
			return "", false
		}
		text = c
	}
	return strings.ReplaceAll(text, "\n", ""), text != ""
}

// rowPara reads one task row by its columns.
func rowPara(cells []string, roles []colRole, line int) *para {
	p := &para{row: true, line: line}
	a := &attribution{}
	for i, c := range cells {
		if i >= len(roles) {
			break
		}
		c = strings.TrimSpace(c)
		switch roles[i] {
		case colTask:
			p.text = strings.TrimSpace(strings.ReplaceAll(c, "\n", ""))
		case colLeader:
			a.leaders = append(a.leaders, splitNames(c)...)
		case colLead:
			a.leads = append(a.leads, splitNames(c)...)
		case colResp:
			a.resp = append(a.resp, splitNames(c)...)
		case colDeadline:
			a.deadline = trimPunct(strings.ReplaceAll(c, "\n", ""))
		}
	}
	if p.text == "" {
		return nil
	}
	if a.namesOwner() {
		// A row that names nobody (a deadline at most) is unassigned.
		p.attr = a
	}
	return p
}

var (
	reSeqCell      = regexp.MustCompile(`^\d{1,3}[.、．﹒]?$`)
	reDeadlineCell = regexp.MustCompile(`\d{4}|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|年底|年内|全年|半年|月底|底前|季度|[上中下]旬|持续|长期|常态`)
)

// flattenedTables finds tables that were copied as text, one cell per line:
// a run of header cells (序号, 工作任务, 牵头单位 …), then the rows' cells. Each
// row becomes a row paragraph; heading lines between rows stay paragraphs.
func (r *reader) flattenedTables(ps []*para) []*para {
	var out []*para
	for i := 0; i < len(ps); i++ {
		if roles := spacedHeader(ps[i]); roles != nil {
			rows, n := r.spacedRows(ps[i+1:], roles)
			out = append(out, markTargets(rows, namesTargets(ps[i].text))...)
			i += n
			continue
		}
		roles, n := flatHeader(ps[i:])
		if n == 0 {
			out = append(out, ps[i])
			continue
		}
		targets := namesTargets(headerText(ps[i : i+n]))
		i += n
		var rows [][]*para
		for ; i < len(ps); i++ {
			p := ps[i]
			if p.row {
				break
			}
			if _, m := flatHeader(ps[i:]); m > 0 {
				// The header repeated (a table continued on the next page).
				i += m - 1
				continue
			}
			seq := reSeqCell.MatchString(p.text)
			switch {
			case seq && roles[0] == colSeq:
				rows = append(rows, nil)
				continue
			case isFlatHeading(p):
				out = append(out, markTargets(r.flatRows(rows, roles), targets)...)
				rows = nil
				out = append(out, p)
				continue
			case len(rows) == 0:
				if roles[0] == colSeq {
					// Text before the first row that is not a heading ends
					// the table.
					goto done
				}
				rows = append(rows, nil)
			case roles[0] != colSeq && len(rows[len(rows)-1]) == len(roles):
				rows = append(rows, nil)
			}
			if !cjk.AtMost(p.text, 400) || (roles[0] == colSeq && len(rows[len(rows)-1]) >= len(roles)+maxExtraLines) {
				goto done
			}
			rows[len(rows)-1] = append(rows[len(rows)-1], p)
		}
	done:
		out = append(out, markTargets(r.flatRows(rows, roles), targets)...)
		i--
	}
	return out
}

// spacedHeader reads a line of header cells separated by spaces (序号 重点工作任务
// 主要责任单位 协同配合单位), as a table copied from a web page gives it.
func spacedHeader(p *para) []colRole {
	if p.row || !cjk.AtMost(p.text, 80) {
		return nil
	}
	fields := strings.Fields(p.text)
	if len(fields) < 3 {
		return nil
	}
	roles, ok := headerRoles(fields)
	for _, role := range roles {
		if role == colOther {
			return nil
		}
	}
	if !ok || roles[0] != colSeq {
		return nil
	}
	return roles
}

// reSpacedRow opens a row of a table copied with spaces between its cells.
var reSpacedRow = regexp.MustCompile(`^\d{1,3}\s+\S`)

// spacedRows reads the rows after a spaced header: a row opens with its
// number, its owner cells are the words at its end that name units, the
// rest is the task; lines that follow a row until the next are more of its
// cells. It returns the row paragraphs (and the heading lines between rows)
// and how many paragraphs it read.
func (r *reader) spacedRows(ps []*para, roles []colRole) ([]*para, int) {
	cols := roles[1:]
	var out []*para
	var cells []string
	line := 0
	flush := func() {
		if len(cells) > 0 {
			if p := rowPara(placeCells(cells, cols), cols, line); p != nil {
				out = append(out, p)
			}
		}
		cells = nil
	}
	n := 0
	for ; n < len(ps); n++ {
		p := ps[n]
		switch {
		case p.row:
			flush()
			return out, n
		case reSpacedRow.MatchString(p.text):
			flush()
			line = p.line
			fields := strings.Fields(p.text)[1:]
			// Owner cells hold no spaces; take them from the end.
			owners := 0
			for owners < len(cols)-1 && owners < len(fields)-1 && allOrgs(splitNames(fields[len(fields)-1-owners])) {
				owners++
			}
			task := strings.Join(fields[:len(fields)-owners], " ")
			cells = append([]string{task}, fields[len(fields)-owners:]...)
		case isFlatHeading(p):
			flush()
			out = append(out, p)
		case cells != nil && cjk.AtMost(p.text, 400) && len(cells) < len(cols)+maxExtraLines:
			cells = append(cells, p.text)
		default:
			flush()
			return out, n
		}
	}
	flush()
	return out, n
}

// isFlatHeading reports whether a line between flattened rows is a heading
// (一、 or （一）) rather than a cell.
func isFlatHeading(p *para) bool {
	lvl, _ := cjk.OrdinalLevel(p.text)
	if lvl != 1 && lvl != 2 || !cjk.AtMost(p.text, 60) {
		return false
	}
	// A bracket in a heading counts its tasks (共9项); one that names owners
	// makes the line a task.
	groups, _, _ := findBrackets(cjk.StripOrdinal(p.text))
	for _, g := range groups {
		if _, ok := parseAttribution(g.inner, false); ok {
			return false
		}
	}
	return true
}

// flatHeader reads a run of header cells at the start of ps and returns the
// column roles and how many paragraphs they take (0 when there is no header).
func flatHeader(ps []*para) ([]colRole, int) {
	var roles []colRole
	task, owner := false, false
	n := 0
	for n < len(ps) {
		p := ps[n]
		if p.row || !cjk.AtMost(p.text, 12) {
			break
		}
		role := headerRole(p.text)
		if n+1 < len(ps) && !ps[n+1].row && cjk.AtMost(ps[n+1].text, 8) && (role == colOther || strings.HasSuffix(p.text, "）") || strings.HasSuffix(p.text, ")")) {
			// A header cell broken over two lines (分管（牵头） / 县领导,
			// 完成 / 时限): the two read as one.
			if joined := headerRole(p.text + ps[n+1].text); joined != colOther {
				role = joined
				n++
			}
		}
		if role == colOther || len(roles) == maxColumns {
			break
		}
		n++
		roles = append(roles, role)
		switch role {
		case colTask:
			task = true
		case colLeader, colLead, colResp:
			owner = true
		}
	}
	if len(roles) < 3 || len(roles) == maxColumns || !task || !owner {
		return nil, 0
	}
	return roles, n
}

// A flattened table's header has fewer than maxColumns cells; a row has
// at most maxExtraLines lines more than its columns (cells over several
// lines). Past these, the lines are no table, and the bounds keep reading
// them linear.
const (
	maxColumns    = 12
	maxExtraLines = 12
)

// flatRows turns the cells of flattened rows into row paragraphs. Empty
// cells leave no line when a table is copied as text, so cells are placed by
// what they look like when a row has fewer than the header.
func (r *reader) flatRows(rows [][]*para, roles []colRole) []*para {
	var out []*para
	cols := roles
	if len(cols) > 0 && cols[0] == colSeq {
		cols = cols[1:]
	}
	for _, cells := range rows {
		if len(cells) == 0 {
			continue
		}
		texts := make([]string, len(cells))
		for i, c := range cells {
			texts[i] = c.text
		}
		var above []string
		for len(texts) > 0 {
			n := mergedRowEnd(texts, cols)
			placed := placeCells(texts[:n], cols)
			for j, c := range cols {
				if above != nil && placed[j] == "" && (c == colLeader || c == colLead || c == colResp) {
					// A cell merged over this row and the one above.
					placed[j] = above[j]
				}
			}
			if p := rowPara(placed, cols, cells[0].line); p != nil {
				out = append(out, p)
			}
			above, texts, cells = placed, texts[n:], cells[n:]
		}
	}
	return out
}

// mergedRowEnd returns how many of a flattened row's lines are its own:
// where the table ends in its deadline column, a task line after the
// deadline, the row's task having ended a sentence, is a row of its own
// without a number, its number and owner cells merged with the row above
// (开工建设县老年养护楼。 / 县民政局 / 5月底前动工 / 开工建设老年大学。 / 12月底前).
// A task cut in mid-sentence goes on instead (placeCells).
func mergedRowEnd(texts []string, cols []colRole) int {
	if len(cols) == 0 || cols[len(cols)-1] != colDeadline {
		return len(texts)
	}
	end := 1
	for end < len(texts) && kindOf(texts[end]) == kindText {
		end++
	}
	if !endsTerminal(texts[end-1]) {
		return len(texts)
	}
	for i := end + 1; i < len(texts); i++ {
		if kindOf(texts[i]) == kindText && kindOf(texts[i-1]) == kindDate {
			return i
		}
	}
	return len(texts)
}

// cellKind is what a line of a flattened row looks like it holds.
type cellKind int

const (
	kindText cellKind = iota // task text, or a remark
	kindName                 // people or leaders' posts
	kindOrg                  // units
	kindDate                 // a deadline
)

// kindOf tells what a line of a flattened row holds by its content.
func kindOf(t string) cellKind {
	names := splitNames(t)
	switch {
	case reDeadlineCell.MatchString(t) && cjk.AtMost(t, 20) && !strings.ContainsAny(t, "，,；;") && !allOrgs(names):
		return kindDate
	case len(names) > 0 && allLeaders(names):
		return kindName
	case allOrgs(names):
		return kindOrg
	}
	return kindText
}

// allLeaders reports whether every name is a person's or a leader's post.
func allLeaders(names []string) bool {
	return every(names, func(n string) bool { return isPersonName(n) || isRole(n) })
}

// takes reports whether a column of the role takes a line of the kind.
func takes(role colRole, k cellKind) bool {
	switch role {
	case colLeader:
		return k == kindName
	case colLead, colResp:
		return k == kindOrg
	case colDeadline:
		return k == kindDate
	}
	return false
}

// placeCells puts a flattened row's lines into its columns. A line goes to
// the next column that takes what it holds (people, units, a deadline), so
// that empty cells, which leave no line, are skipped; further lines of the
// same kind are more of the same cell (a task over two lines, units one a
// line). Of a run of unit lines, the lead column keeps the first unless the
// lines change form (single names, then a list), which marks where the
// next cell starts. A text line after the owners is the rest of a row that
// a page break cut (the row goes on without a number): it continues the
// task, and the units after it continue the last unit cell. A column the
// reader does not use (备注) takes a line only right after the column
// before it.
func placeCells(texts []string, cols []colRole) []string {
	placed := make([]string, len(cols))
	task := -1
	for i, c := range cols {
		if c == colTask {
			task = i
			break
		}
	}
	if task < 0 || len(texts) == 0 {
		copy(placed, texts)
		return placed
	}
	add := func(j int, t, sep string) {
		if placed[j] != "" {
			placed[j] += sep
		}
		placed[j] += t
	}
	placed[task] = texts[0]
	cur, lastList := task, -1
	leaders := slices.Contains(cols, colLeader)
	for i := 1; i < len(texts); i++ {
		t := texts[i]
		k := kindOf(t)
		if k == kindName && !leaders && allOrgs(splitNames(t)) {
			// 县残联 in a table without a leaders' column: a unit.
			k = kindOrg
		}
		switch {
		case cols[cur] == colTask && k == kindText:
			add(task, t, "")
			continue
		case cols[cur] == colLeader && k == kindName:
			add(cur, t, "\n")
			continue
		case (cols[cur] == colLead || cols[cur] == colResp) && k == kindOrg && sameCell(texts, i, cols, cur):
			add(cur, t, "\n")
			continue
		}
		j := cur + 1
		for j < len(cols) && !takes(cols[j], k) {
			j++
		}
		if j == len(cols) && cur+1 < len(cols) && !isOwnerRole(cols[cur+1]) && cols[cur+1] != colTask && cols[cur+1] != colSeq && cur != task {
			// 备注 after the deadline.
			j = cur + 1
		}
		if j < len(cols) {
			add(j, t, "\n")
			cur = j
			if cols[j] == colLead || cols[j] == colResp {
				lastList = j
			}
			continue
		}
		switch {
		case k == kindText:
			// The row goes on after a page break: more of its task.
			add(task, t, "")
			cur = task
			if lastList >= 0 {
				cur = lastList
			}
		case k == kindOrg && lastList >= 0:
			add(lastList, t, "\n")
			cur = lastList
		}
	}
	return placed
}

// isOwnerRole reports whether a column names owners or a deadline.
func isOwnerRole(c colRole) bool {
	return c == colLeader || c == colLead || c == colResp || c == colDeadline
}

// sameCell reports whether the unit line texts[i] is more of the unit cell
// in column cur rather than the first line of the next unit column. A
// responsible-units cell (or the last unit column) takes all the unit lines
// that follow; a lead cell keeps one line, unless its lines are single
// names and a list follows them (区财政局 / 区税务局 / 区政府有关部门,各乡镇…).
func sameCell(texts []string, i int, cols []colRole, cur int) bool {
	next := -1
	for j := cur + 1; j < len(cols); j++ {
		if cols[j] == colLead || cols[j] == colResp {
			next = j
			break
		}
	}
	if cols[cur] == colResp || next < 0 {
		return true
	}
	single := func(t string) bool { return len(splitNames(t)) == 1 }
	if !single(texts[i]) || !single(texts[i-1]) {
		return false
	}
	for _, t := range texts[i+1 : min(len(texts), i+1+maxExtraLines)] {
		if kindOf(t) != kindOrg {
			return false
		}
		if !single(t) {
			return true
		}
	}
	return false
}

// isRole reports whether n names a leader by office (分管副市长).
func isRole(n string) bool {
	for _, s := range []string{"长", "主任", "书记", "领导", "秘书长"} {
		if strings.HasSuffix(n, s) && cjk.RuneLen(n) <= 12 {
			return true
		}
	}
	return false
}

// isPersonName reports whether n looks like a person's name: two to four
// Chinese characters and nothing else.
func isPersonName(n string) bool {
	if strings.ContainsAny(n, " \u3000") {
		// 王 强: a two-character name padded to line up with three.
		n = cjk.DropSpaces(n)
	}
	c := cjk.RuneLen(n)
	if c < 2 || c > 4 {
		return false
	}
	for _, r := range n {
		if !cjk.IsHan(r) {
			return false
		}
	}
	return !isOrg(n) || c <= 3 && !strings.HasSuffix(n, "局") && !strings.HasSuffix(n, "委") && !strings.HasSuffix(n, "办")
}
