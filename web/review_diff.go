package web

// diffSpan is a piece of a difference between two texts: kept (=), added
// (+) or removed (-).
type diffSpan struct {
	Op   string
	Text string
}

// maxDiffCells bounds the work of comparing two texts character by
// character; texts that differ over more than this are shown as one
// replaced by the other. Real tasks, a few hundred characters each, stay
// far below it.
const maxDiffCells = 1 << 22

// diffText returns the difference between two texts, character by
// character, in the order of the texts. A single kept character between
// two changes is folded into them, so that a reworded clause reads as one
// removal and one addition rather than a scatter of fragments.
func diffText(a, b string) []diffSpan {
	ra, rb := []rune(a), []rune(b)
	pre := 0
	for pre < len(ra) && pre < len(rb) && ra[pre] == rb[pre] {
		pre++
	}
	suf := 0
	for suf < len(ra)-pre && suf < len(rb)-pre && ra[len(ra)-1-suf] == rb[len(rb)-1-suf] {
		suf++
	}
	midA, midB := ra[pre:len(ra)-suf], rb[pre:len(rb)-suf]
	var raw []diffSpan
	add := func(op string, rs []rune) {
		if len(rs) == 0 {
			return
		}
		if n := len(raw); n > 0 && raw[n-1].Op == op {
			raw[n-1].Text += string(rs)
			return
		}
		raw = append(raw, diffSpan{Op: op, Text: string(rs)})
	}
	add("=", ra[:pre])
	if (len(midA)+1)*(len(midB)+1) > maxDiffCells {
		add("-", midA)
		add("+", midB)
	} else {
		lcsDiff(midA, midB, add)
	}
	add("=", ra[len(ra)-suf:])
	return foldDiff(raw)
}

// lcsDiff walks a longest common subsequence of a and b, reporting each
// character as kept, removed or added.
func lcsDiff(a, b []rune, add func(op string, rs []rune)) {
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
