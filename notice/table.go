package notice

import (
	"regexp"
	"strings"

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
)

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
	if runeLen(l) <= 12 && (strings.Contains(l, "任务") || strings.Contains(l, "工作") || strings.Contains(l, "内容") ||
		strings.Contains(l, "事项") || strings.Contains(l, "举措") || strings.Contains(l, "措施") || strings.Contains(l, "目标")) {
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
	for i, cells := range b.Rows {
		line := b.Line + i
		if rs, ok := headerRoles(cells); ok {
			roles = rs
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
			out = append(out, p)
		}
	}
	return out
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
	reSeqCell      = regexp.MustCompile(`^\d{1,3}[.、．]?$`)
	reDeadlineCell = regexp.MustCompile(`(\d{4}|[年月日旬底前]|季度|持续|长期|全年|年内|常态)`)
)

// flattenedTables finds tables that were copied as text, one cell per line:
// a run of header cells (序号, 工作任务, 牵头单位 …), then the rows' cells. Each
// row becomes a row paragraph; heading lines between rows stay paragraphs.
func (r *reader) flattenedTables(ps []*para) []*para {
	var out []*para
	for i := 0; i < len(ps); i++ {
		if roles := spacedHeader(ps[i]); roles != nil {
			rows, n := r.spacedRows(ps[i+1:], roles)
			out = append(out, rows...)
			i += n
			continue
		}
		roles, n := flatHeader(ps[i:])
		if n == 0 {
			out = append(out, ps[i])
			continue
		}
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
				out = append(out, r.flatRows(rows, roles)...)
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
			if !atMost(p.text, 400) || (roles[0] == colSeq && len(rows[len(rows)-1]) >= len(roles)+2) {
				goto done
			}
			rows[len(rows)-1] = append(rows[len(rows)-1], p)
		}
	done:
		out = append(out, r.flatRows(rows, roles)...)
		i--
	}
	return out
}

// spacedHeader reads a line of header cells separated by spaces (序号 重点工作任务
// 主要责任单位 协同配合单位), as a table copied from a web page gives it.
func spacedHeader(p *para) []colRole {
	if p.row || !atMost(p.text, 80) {
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
		case cells != nil && atMost(p.text, 400):
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
	lvl, _ := ordinalLevel(p.text)
	return (lvl == 1 || lvl == 2) && runeLen(p.text) <= 60 && !strings.ContainsAny(stripOrdinal(p.text), "（(")
}

// flatHeader reads a run of header cells at the start of ps and returns the
// column roles and how many paragraphs they take (0 when there is no header).
func flatHeader(ps []*para) ([]colRole, int) {
	var roles []colRole
	task, owner := false, false
	for _, p := range ps {
		if p.row || !atMost(p.text, 12) {
			break
		}
		role := headerRole(p.text)
		if role == colOther {
			break
		}
		roles = append(roles, role)
		switch role {
		case colTask:
			task = true
		case colLeader, colLead, colResp:
			owner = true
		}
	}
	if len(roles) < 3 || !task || !owner {
		return nil, 0
	}
	return roles, len(roles)
}

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
		placed := placeCells(texts, cols)
		p := rowPara(placed, cols, cells[0].line)
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// placeCells puts a flattened row's cells into its columns. With as many
// cells as columns they go in order; with more, the task text was broken
// over several lines; with fewer, each cell goes to the next column its
// content fits.
func placeCells(texts []string, cols []colRole) []string {
	placed := make([]string, len(cols))
	task := -1
	for i, c := range cols {
		if c == colTask {
			task = i
			break
		}
	}
	if len(texts) == len(cols) || task < 0 {
		copy(placed, texts)
		return placed
	}
	if len(texts) > len(cols) {
		// A cell broken over lines: two single unit names in a row are one
		// cell listing both (区财政局 / 区税务局); anything else belongs to
		// the task's text.
		texts = append([]string(nil), texts...)
		for i := task + 1; i+1 < len(texts) && len(texts) > len(cols); {
			if isOrg(texts[i]) && isOrg(texts[i+1]) {
				texts[i] += "、" + texts[i+1]
				texts = append(texts[:i+1], texts[i+2:]...)
				continue
			}
			i++
		}
		if len(texts) == len(cols) {
			copy(placed, texts)
			return placed
		}
		extra := len(texts) - len(cols)
		copy(placed, texts[:task])
		placed[task] = strings.Join(texts[task:task+extra+1], "")
		copy(placed[task+1:], texts[task+extra+1:])
		return placed
	}
	// Fewer cells than columns: cells before the task column are rare
	// (序号 is handled by the caller); the first cell is the task.
	placed[task] = texts[0]
	col := task + 1
	for _, t := range texts[1:] {
		for col < len(cols) && !cellFits(t, cols[col]) {
			col++
		}
		if col >= len(cols) {
			break
		}
		placed[col] = t
		col++
	}
	return placed
}

// cellFits reports whether a cell's text can belong to a column of the role.
func cellFits(t string, role colRole) bool {
	names := splitNames(t)
	switch role {
	case colDeadline:
		return reDeadlineCell.MatchString(t) && !allOrgs(names)
	case colLeader:
		if len(names) == 0 {
			return false
		}
		for _, n := range names {
			if !isPersonName(n) && !isRole(n) {
				return false
			}
		}
		return true
	case colLead, colResp:
		return allOrgs(names)
	}
	return true
}

// isRole reports whether n names a leader by office (分管副市长).
func isRole(n string) bool {
	for _, s := range []string{"长", "主任", "书记", "领导", "秘书长"} {
		if strings.HasSuffix(n, s) && runeLen(n) <= 12 {
			return true
		}
	}
	return false
}

// isPersonName reports whether n looks like a person's name: two to four
// Chinese characters and nothing else.
func isPersonName(n string) bool {
	c := runeLen(n)
	if c < 2 || c > 4 {
		return false
	}
	for _, r := range n {
		if !isHan(r) {
			return false
		}
	}
	return !isOrg(n) || c <= 3 && !strings.HasSuffix(n, "局") && !strings.HasSuffix(n, "委") && !strings.HasSuffix(n, "办")
}
