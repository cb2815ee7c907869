package notice

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func isOpenBracket(r rune) bool {
	switch r {
	case '（', '(', '【', '[', '〔':
		return true
	}
	return false
}

func isCloseBracket(r rune) bool {
	switch r {
	case '）', ')', '】', ']', '〕':
		return true
	}
	return false
}

// terminalPunct ends a paragraph for real; a paragraph that ends in anything
// else was cut by a page break (or is a heading, which is decided elsewhere).
const terminalPunct = "。！？!?；;：:）)】]」』”\"》…"

// endsTerminal reports whether s ends with punctuation that can end a paragraph.
func endsTerminal(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return r != utf8.RuneError && strings.ContainsRune(terminalPunct, r)
}

// trimPunct removes leading and trailing punctuation and spaces, as a task's
// text is trimmed, while keeping brackets and quotes that are balanced within
// the text.
func trimPunct(s string) string {
	for {
		t := strings.TrimFunc(s, isTrimmed)
		t = trimUnbalanced(t)
		if t == s {
			return t
		}
		s = t
	}
}

// isTrimmed reports whether r is trimmed from the ends of a task's text.
func isTrimmed(r rune) bool {
	switch r {
	case '，', ',', '。', '.', '；', ';', '：', ':', '、', '！', '!', '？', '?', '…', '—', '-', '·', '•', '\u3000':
		return true
	}
	return unicode.IsSpace(r)
}

// trimUnbalanced drops a closing bracket or quote at the start and an opening
// one at the end: they belong to the neighbouring text, not to this piece.
func trimUnbalanced(s string) string {
	if r, n := utf8.DecodeRuneInString(s); n > 0 && (isCloseBracket(r) || strings.ContainsRune("”’」』》", r)) {
		s = s[n:]
	}
	if r, n := utf8.DecodeLastRuneInString(s); n > 0 && (isOpenBracket(r) || strings.ContainsRune("“‘「『《", r)) {
		s = s[:len(s)-n]
	}
	return s
}
