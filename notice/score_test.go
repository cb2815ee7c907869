package notice

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/dubanhq/duban"
)

// score compares a reading with a gold reading the way the scoring tool
// (score-reading) does, so that the tests hold the reader to the same figures.
type score struct {
	tasksGold, tasksPred             int
	taskP, taskR, taskF1             float64
	attribution                      float64
	numbered                         float64 // share of matched tasks with the gold's no
	indP, indR, indF1                float64
	sectionsHit, sectionsGold        int
	areasHit, areasGold              int
	unassignedHit, unassignedGold    int
	unassignedPred                   int
	missing, extra, attributionWrong []string
	numberWrong                      []string
}

func (s score) String() string {
	return fmt.Sprintf("tasks %d/%d f1=%.3f (p=%.3f r=%.3f) attribution=%.3f numbered=%.3f indicators f1=%.3f (p=%.3f r=%.3f) sections %d/%d areas %d/%d unassigned %d/%d (pred %d)",
		s.tasksPred, s.tasksGold, s.taskF1, s.taskP, s.taskR, s.attribution, s.numbered, s.indF1, s.indP, s.indR,
		s.sectionsHit, s.sectionsGold, s.areasHit, s.areasGold, s.unassignedHit, s.unassignedGold, s.unassignedPred)
}

func normText(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var scoreItemNo = regexp.MustCompile(`^(?:\d+[.、．]|[(（][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|▲)`)

func textKey(s string) string {
	s = scoreItemNo.ReplaceAllString(normText(s), "")
	return strings.TrimRight(s, "。；，;,")
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

type indKey struct {
	value     float64
	unit, cmp string
}

func indKeys(t duban.ReadTask) []indKey {
	var ks []indKey
	for _, i := range t.Indicators {
		cmp := strings.TrimSpace(string(i.Cmp))
		if cmp == "" {
			cmp = "="
		}
		ks = append(ks, indKey{float64(int64(i.Value*1e6+0.5)) / 1e6, normText(i.Unit), cmp})
	}
	return ks
}

func multisetHits[T comparable](pred, gold []T) int {
	left := append([]T(nil), gold...)
	hit := 0
	for _, k := range pred {
		for i, g := range left {
			if g == k {
				left = append(left[:i], left[i+1:]...)
				hit++
				break
			}
		}
	}
	return hit
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if normText(a[i]) != normText(b[i]) {
			return false
		}
	}
	return true
}

func scoreReading(pred, gold *duban.Reading) score {
	var s score
	index := map[string][]duban.ReadTask{}
	for _, t := range gold.Tasks {
		k := textKey(t.Text)
		index[k] = append(index[k], t)
	}
	type pair struct{ p, g duban.ReadTask }
	var matched []pair
	for _, t := range pred.Tasks {
		k := textKey(t.Text)
		if b := index[k]; len(b) > 0 {
			matched = append(matched, pair{t, b[0]})
			index[k] = b[1:]
		} else {
			s.extra = append(s.extra, t.No+" "+abbreviate(t.Text, 30))
		}
	}
	s.tasksGold, s.tasksPred = len(gold.Tasks), len(pred.Tasks)
	if s.tasksPred > 0 {
		s.taskP = float64(len(matched)) / float64(s.tasksPred)
	}
	if s.tasksGold > 0 {
		s.taskR = float64(len(matched)) / float64(s.tasksGold)
	}
	s.taskF1 = f1(s.taskP, s.taskR)
	ok, numbered := 0, 0
	ip, ig, ih := 0, 0, 0
	for _, m := range matched {
		if m.p.No == m.g.No {
			numbered++
		} else {
			s.numberWrong = append(s.numberWrong, fmt.Sprintf("%s read as %s", m.g.No, m.p.No))
		}
		if sameNames(m.p.LeadLeaders, m.g.LeadLeaders) && sameNames(m.p.LeadUnits, m.g.LeadUnits) && sameNames(m.p.ResponsibleUnits, m.g.ResponsibleUnits) {
			ok++
		} else {
			s.attributionWrong = append(s.attributionWrong, fmt.Sprintf("%s: got %q %q %q, want %q %q %q", m.g.No,
				m.p.LeadLeaders, m.p.LeadUnits, m.p.ResponsibleUnits, m.g.LeadLeaders, m.g.LeadUnits, m.g.ResponsibleUnits))
		}
		pk, gk := indKeys(m.p), indKeys(m.g)
		ip += len(pk)
		ig += len(gk)
		ih += multisetHits(pk, gk)
	}
	if len(matched) > 0 {
		s.attribution = float64(ok) / float64(len(matched))
		s.numbered = float64(numbered) / float64(len(matched))
	}
	switch {
	case ip > 0:
		s.indP = float64(ih) / float64(ip)
	case ig == 0:
		s.indP = 1
	}
	s.indR = 1
	if ig > 0 {
		s.indR = float64(ih) / float64(ig)
	}
	s.indF1 = f1(s.indP, s.indR)
	set := func(titles []string) map[string]bool {
		m := map[string]bool{}
		for _, t := range titles {
			m[normText(t)] = true
		}
		return m
	}
	var gs, ps, ga, pa []string
	for _, x := range gold.Sections {
		gs = append(gs, x.Title)
	}
	for _, x := range pred.Sections {
		ps = append(ps, x.Title)
	}
	for _, x := range gold.Areas {
		ga = append(ga, x.Title)
	}
	for _, x := range pred.Areas {
		pa = append(pa, x.Title)
	}
	gsm, psm, gam, pam := set(gs), set(ps), set(ga), set(pa)
	s.sectionsGold, s.areasGold = len(gsm), len(gam)
	for k := range gsm {
		if psm[k] {
			s.sectionsHit++
		}
	}
	for k := range gam {
		if pam[k] {
			s.areasHit++
		}
	}
	var gu, pu []string
	for _, u := range gold.Unassigned {
		gu = append(gu, textKey(u.Text))
	}
	for _, u := range pred.Unassigned {
		pu = append(pu, textKey(u.Text))
	}
	s.unassignedHit, s.unassignedGold, s.unassignedPred = multisetHits(pu, gu), len(gu), len(pu)
	for _, ts := range index {
		for _, t := range ts {
			s.missing = append(s.missing, t.No+" "+abbreviate(t.Text, 30))
		}
	}
	return s
}
