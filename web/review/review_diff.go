package review

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// diffSpan is a piece of a difference between two texts: kept (=), added
// (+) or removed (-).
type diffSpan struct {
	Op   string
	Text string
}

// maxDiffCells bounds the work of comparing two texts piece by piece; texts that differ over more than this are shown as one
// replaced by the other. Real tasks, a few hundred characters each, stay
// far below it.
const maxDiffCells = 1 << 22

// diffText returns the difference between two texts in the order of the
// texts, comparing character by character except that a number or a Latin
// word is one piece: 119 → 125 reads as one number replaced, not as 1 kept
// and 19 replaced. A single kept character between two changes is folded
// into them, so that a reworded clause reads as one removal and one
// addition rather than a scatter of fragments.
func diffText(a, b string) []diffSpan {
	ta, tb := tokens(a), tokens(b)
	pre := 0
	for pre < len(ta) && pre < len(tb) && ta[pre] == tb[pre] {
		pre++
	}
	suf := 0
	for suf < len(ta)-pre && suf < len(tb)-pre && ta[len(ta)-1-suf] == tb[len(tb)-1-suf] {
		suf++
	}
	midA, midB := ta[pre:len(ta)-suf], tb[pre:len(tb)-suf]
	var raw []diffSpan
	add := func(op string, ts []string) {
		if len(ts) == 0 {
			return
		}
		text := strings.Join(ts, "")
		if n := len(raw); n > 0 && raw[n-1].Op == op {
			raw[n-1].Text += text
			return
		}
		raw = append(raw, diffSpan{Op: op, Text: text})
	}
	add("=", ta[:pre])
	if (len(midA)+1)*(len(midB)+1) > maxDiffCells {
		add("-", midA)
		add("+", midB)
	} else {
		lcsDiff(midA, midB, add)
	}
	add("=", ta[len(ta)-suf:])
	return foldDiff(raw)
}

// tokens cuts a text into the pieces diffText compares: each run of
// digits, Latin letters and the marks inside numbers (8.5%) is one piece,
// every other character a piece of its own.
func tokens(s string) []string {
	var out []string
	word := func(r rune) bool {
		return r < utf8.RuneSelf && (unicode.IsDigit(r) || unicode.IsLetter(r) || r == '.' || r == '%')
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		if word(r) {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !word(r2) {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// lcsDiff walks a longest common subsequence of a and b, reporting each
// piece as kept, removed or added.
func lcsDiff(a, b []string, add func(op string, ts []string)) {
	n, m := len(a), len(b)
	w := m + 1
	l := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			} else {
				l[i*w+j] = max(l[(i+1)*w+j], l[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			add("=", a[i:i+1])
			i, j = i+1, j+1
		case l[(i+1)*w+j] >= l[i*w+j+1]:
			add("-", a[i:i+1])
			i++
		default:
			add("+", b[j:j+1])
			j++
		}
	}
	add("-", a[i:])
	add("+", b[j:])
}

// foldDiff joins each run of changes, with the single kept characters
// inside it, into one removal followed by one addition.
func foldDiff(spans []diffSpan) []diffSpan {
	var out []diffSpan
	var del, ins string
	flush := func() {
		if del != "" {
			out = append(out, diffSpan{Op: "-", Text: del})
		}
		if ins != "" {
			out = append(out, diffSpan{Op: "+", Text: ins})
		}
		del, ins = "", ""
	}
	for i, s := range spans {
		inside := i > 0 && i+1 < len(spans) && len([]rune(s.Text)) == 1
		switch {
		case s.Op == "-":
			del += s.Text
		case s.Op == "+":
			ins += s.Text
		case inside && (del != "" || ins != ""):
			del += s.Text
			ins += s.Text
		default:
			flush()
			out = append(out, s)
		}
	}
	flush()
	return out
}
