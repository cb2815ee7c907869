package duban

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// ChangeKind says what a re-issued notice does to one task.
type ChangeKind string

// The kinds of change.
const (
	ChangeAdded     ChangeKind = "added"     // a task the plan does not have
	ChangeRemoved   ChangeKind = "removed"   // a task the new notice no longer has
	ChangeModified  ChangeKind = "changed"   // reworded, given other owners or another deadline
	ChangeUnchanged ChangeKind = "unchanged" // the same task, perhaps renumbered
)

// TaskChange is what a re-issued notice does to one task.
type TaskChange struct {
	Kind ChangeKind `json:"kind"`
	// Task is the plan's task (nil when added).
	Task *Task `json:"task,omitempty"`
	// New is the task as the new notice states it (nil when removed).
	New *ReadTask `json:"new,omitempty"`

	Reworded        bool `json:"reworded,omitempty"`
	OwnersChanged   bool `json:"owners_changed,omitempty"`
	DeadlineChanged bool `json:"deadline_changed,omitempty"`
}

// PlanDiff compares a new issue of a plan's notice with the plan as it was
// last issued. Corrections the office made since are not changes: only what
// the notice itself changed is listed, and only that is applied.
type PlanDiff struct {
	Plan *Plan `json:"plan"`
	// Document is the new notice's identity; DocumentChanged says whether it
	// differs from the plan's.
	Document        DocumentInfo `json:"document"`
	DocumentChanged bool         `json:"document_changed"`
	// StructureChanged says whether the sections or areas differ.
	StructureChanged bool `json:"structure_changed"`
	// Changes lists added, removed and modified tasks in the order of the
	// notice (removed tasks where they used to be).
	Changes []TaskChange `json:"changes"`
	// Unchanged pairs each task that stays as it was with its place in the
	// new notice.
	Unchanged []TaskChange `json:"-"`

	StatementsAdded   []ReadStatement `json:"statements_added"`
	StatementsRemoved []*Statement    `json:"statements_removed"`
}

// Empty reports whether the new notice changes nothing in the plan.
func (d *PlanDiff) Empty() bool {
	return !d.DocumentChanged && !d.StructureChanged && len(d.Changes) == 0 &&
		len(d.StatementsAdded) == 0 && len(d.StatementsRemoved) == 0
}

// DiffCounts counts the changes of a diff by kind.
type DiffCounts struct {
	Added, Removed, Reworded, OwnersChanged, DeadlineChanged, Unchanged int
}

// Counts counts the changes by kind; a task both reworded and given other
// owners counts in both.
func (d *PlanDiff) Counts() DiffCounts {
	n := DiffCounts{Unchanged: len(d.Unchanged)}
	for _, c := range d.Changes {
		switch c.Kind {
		case ChangeAdded:
			n.Added++
		case ChangeRemoved:
			n.Removed++
		}
		if c.Reworded {
			n.Reworded++
		}
		if c.OwnersChanged {
			n.OwnersChanged++
		}
		if c.DeadlineChanged {
			n.DeadlineChanged++
		}
	}
	return n
}

// similarEnough is the least similarity (Dice coefficient over pairs of
// characters) at which a task of the new notice is taken for a reworded task
// of the old one rather than a new task.
const similarEnough = 0.5

// DiffReissue compares a new reading of a plan's notice with the plan's tasks
// and statements. Tasks are matched on their issued text, first where it is
// equal and then, among the rest, by similarity; what is left is added or
// removed. Tasks the office made itself (Issued nil) and withdrawn tasks are
// not compared.
func DiffReissue(p *Plan, tasks []*Task, statements []*Statement, r *Reading) *PlanDiff {
	d := &PlanDiff{Plan: p, Document: r.Document}
	d.DocumentChanged = p.Region != r.Document.Region || p.Year != r.Document.Year ||
		p.DocNumber != r.Document.DocNumber || p.Title != r.Document.Title ||
		p.Issuer != r.Document.Issuer || p.Date != r.Document.Date
	d.StructureChanged = !sameStructure(p, r)

	var old []*Task
	for _, t := range tasks {
		if t.Issued != nil && t.State == TaskActive {
			old = append(old, t)
		}
	}
	match := matchTasks(old, r.Tasks) // index in r.Tasks → index in old, or -1
	taken := make([]bool, len(old))
	for j := range r.Tasks {
		nt := &r.Tasks[j]
		i := match[j]
		if i < 0 {
			d.Changes = append(d.Changes, TaskChange{Kind: ChangeAdded, New: nt})
			continue
		}
		taken[i] = true
		c := compareIssued(old[i], nt)
		if c.Kind == ChangeUnchanged {
			d.Unchanged = append(d.Unchanged, c)
		} else {
			d.Changes = append(d.Changes, c)
		}
	}
	for i, t := range old {
		if !taken[i] {
			d.Changes = append(d.Changes, TaskChange{Kind: ChangeRemoved, Task: t})
		}
	}
	slices.SortStableFunc(d.Changes, func(a, b TaskChange) int {
		as, aa, aq := a.position()
		bs, ba, bq := b.position()
		return cmp.Or(cmp.Compare(as, bs), cmp.Compare(aa, ba), cmp.Compare(aq, bq))
	})

	known := map[string]bool{}
	newTexts := map[string]bool{}
	for _, s := range statements {
		known[normText(s.Text)] = true
	}
	for _, s := range r.Unassigned {
		newTexts[normText(s.Text)] = true
		if !known[normText(s.Text)] {
			d.StatementsAdded = append(d.StatementsAdded, s)
		}
	}
	for _, s := range statements {
		if s.State == StatementOpen && !newTexts[normText(s.Text)] {
			d.StatementsRemoved = append(d.StatementsRemoved, s)
		}
	}
	return d
}

// position is where a change stands in the change list: the new notice's
// place for added and modified tasks, the old place for removed ones.
func (c TaskChange) position() (section, area, seq int) {
	if c.New != nil {
		return c.New.Section, c.New.Area, readSeq(c.New)
	}
	return c.Task.Section, c.Task.Area, c.Task.Seq
}

func compareIssued(t *Task, nt *ReadTask) TaskChange {
	is := t.Issued
	c := TaskChange{Task: t, New: nt}
	c.Reworded = normText(is.Text) != normText(nt.Text)
	c.OwnersChanged = !sameNames(is.LeadLeaders, nt.LeadLeaders) ||
		!sameNames(is.LeadUnits, nt.LeadUnits) ||
		!sameNames(is.ResponsibleUnits, nt.ResponsibleUnits)
	c.DeadlineChanged = strings.TrimSpace(is.Deadline) != strings.TrimSpace(nt.Deadline)
	c.Kind = ChangeUnchanged
	if c.Reworded || c.OwnersChanged || c.DeadlineChanged {
		c.Kind = ChangeModified
	}
	return c
}

// Apply brings task t in line with the new notice for a matched pair: its
// place and issued statement always, and its text, owners or deadline where
// the notice changed them (keeping the office's corrections elsewhere). For an
// added task use NewTask; for a removed one, withdraw it.
func (c TaskChange) Apply(t *Task) {
	nt := c.New
	t.Section, t.Area, t.Seq, t.Line = nt.Section, nt.Area, readSeq(nt), nt.Line
	t.No = TaskNo(t.Section, t.Area, t.Seq)
	if c.Reworded {
		t.Text = nt.Text
		t.Indicators = slices.Clone(nt.Indicators)
	}
	if c.OwnersChanged {
		t.LeadLeaders = OwnersNamed(nt.LeadLeaders)
		t.LeadUnits = OwnersNamed(nt.LeadUnits)
		t.ResponsibleUnits = OwnersNamed(nt.ResponsibleUnits)
	}
	if c.DeadlineChanged {
		t.Deadline = nt.Deadline
	}
	t.Issued = Issued(nt)
}

// matchTasks pairs new tasks with old ones: equal texts first, in order, then
// the most similar remaining pairs above similarEnough.
func matchTasks(old []*Task, nts []ReadTask) []int {
	match := make([]int, len(nts))
	taken := make([]bool, len(old))
	byText := map[string][]int{}
	for i, t := range old {
		k := normText(t.Issued.Text)
		byText[k] = append(byText[k], i)
	}
	for j := range nts {
		match[j] = -1
		k := normText(nts[j].Text)
		if list := byText[k]; len(list) > 0 {
			match[j], taken[list[0]] = list[0], true
			byText[k] = list[1:]
		}
	}
	type pair struct {
		i, j int
		s    float64
	}
	var pairs []pair
	oldGrams := make([]map[string]int, len(old))
	for j := range nts {
		if match[j] >= 0 {
			continue
		}
		ng := bigrams(normText(nts[j].Text))
		for i, t := range old {
			if taken[i] {
				continue
			}
			if oldGrams[i] == nil {
				oldGrams[i] = bigrams(normText(t.Issued.Text))
			}
			if s := dice(oldGrams[i], ng); s >= similarEnough {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(b.s, a.s) })
	for _, p := range pairs {
		if !taken[p.i] && match[p.j] < 0 {
			match[p.j], taken[p.i] = p.i, true
		}
	}
	return match
}

func sameStructure(p *Plan, r *Reading) bool {
	if len(p.Sections) != len(r.Sections) || len(p.Areas) != len(r.Areas) {
		return false
	}
	for i, s := range p.Sections {
		if s != Section(r.Sections[i]) {
			return false
		}
	}
	for i, a := range p.Areas {
		if a != Area(r.Areas[i]) {
			return false
		}
	}
	return true
}

func sameNames(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return NormalizeName(x) == NormalizeName(y) })
}

// normText is the form in which texts are compared: white space removed,
// full-width ASCII made half-width, punctuation at either end dropped, so
// that a re-typeset notice does not show as reworded.
func normText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool {
		return strings.ContainsRune("。，、；：,.;:", r)
	})
}

func bigrams(s string) map[string]int {
	rs := []rune(s)
	m := make(map[string]int, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		m[string(rs[i:i+2])]++
	}
	return m
}

// dice is the Dice coefficient of two multisets of character pairs: 1 for
// equal texts, 0 for texts with no pair in common.
func dice(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for g, n := range a {
		na += n
		common += min(n, b[g])
	}
	for _, n := range b {
		nb += n
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(common) / float64(na+nb)
}
