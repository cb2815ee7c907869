// Package cjk holds the helpers for Chinese text that the notice reader's
// packages share: telling Chinese characters, counting characters cheaply,
// dropping spaces, reading Chinese numerals, and the ordinals that number a
// notice's headings and items (一、 （一） 1. （1）).
package cjk

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DropSpaces removes all white space from s (王 强 → 王强, 文    号 → 文号).
func DropSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// RuneLen is the number of characters in s.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// AtMost reports whether s has at most n characters, without counting the
// characters of a text that is plainly longer (a character takes at most
// four bytes).
func AtMost(s string, n int) bool {
	if len(s) <= n {
		return true
	}
	if len(s) > 4*n {
		return false
	}
	return utf8.RuneCountInString(s) <= n
}

// IsHan reports whether r is a Chinese character.
func IsHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true // the common block, without a table search
	}
	return r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// Ordinal prefixes of headings and items, from the top level down.
var (
	// 一、 第一部分 第一章
	reOrdinal1 = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、．﹒]|第[一二三四五六七八九十]+(?:部分|章|篇|方面)[、，,：:．.]?)\s*`)
	// （一） (一)
	reOrdinal2 = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)][、．.]?\s*`)
	// 1. 1、 1． 1﹒ ▲; a digit right after the dot makes it a number (1.5万).
	reOrdinal3 = regexp.MustCompile(`^(?:\d{1,3}[、．.﹒]|[▲■◆●])\s*`)
	// （1） (1) ①, the numbers of sub-items under a 1.
	reOrdinal4 = regexp.MustCompile(`^(?:[（(]\d{1,3}[）)][、．.]?|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*`)
)

// OrdinalLevel is the kind of ordinal a paragraph opens with: 1 for 一、, 2 for
// （一）, 3 for 1. and item marks, 4 for （1） and ①, 0 for none; n is the length
// of the ordinal (and the space after it) in bytes.
func OrdinalLevel(s string) (level, n int) {
	first, _ := utf8.DecodeRuneInString(s)
	if !mayOpenOrdinal(first) {
		return 0, 0
	}
	if m := reOrdinal2.FindString(s); m != "" {
		return 2, len(m)
	}
	if m := reOrdinal1.FindString(s); m != "" {
		return 1, len(m)
	}
	if m := reOrdinal3.FindString(s); m != "" {
		if r, _ := utf8.DecodeRuneInString(s[len(m):]); unicode.IsDigit(r) && !strings.HasSuffix(strings.TrimSpace(m), "、") {
			return 0, 0
		}
		return 3, len(m)
	}
	if m := reOrdinal4.FindString(s); m != "" {
		return 4, len(m)
	}
	return 0, 0
}

// mayOpenOrdinal reports whether an ordinal can start with r, so that most
// paragraphs are told apart without running the regular expressions.
func mayOpenOrdinal(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r == '（', r == '(', r == '第', r >= '①' && r <= '⑳':
		return true
	}
	switch r {
	case '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '▲', '■', '◆', '●':
		return true
	}
	return false
}

// StripOrdinal removes a leading heading or item ordinal and the space after it.
func StripOrdinal(s string) string {
	_, n := OrdinalLevel(s)
	return strings.TrimSpace(s[n:])
}

// digits maps Chinese numerals to their values.
var digits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// ParseInt reads a Chinese numeral below 100000 such as 二十三, 两千 or
// 二〇二二, and reports whether s was one.
func ParseInt(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if !strings.ContainsAny(s, "十百千万") {
		// Digit by digit, as years are written: 二〇二二.
		v := 0
		for _, r := range s {
			d, ok := digits[r]
			if !ok {
				return 0, false
			}
			v = v*10 + d
		}
		return v, true
	}
	total, section, cur := 0, 0, 0
	for _, r := range s {
		if d, ok := digits[r]; ok {
			cur = d
			continue
		}
		switch r {
		case '十', '百', '千':
			unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			if cur == 0 {
				cur = 1
			}
			section += cur * unit
			cur = 0
		case '万':
			total += (section + cur) * 10000
			section, cur = 0, 0
		default:
			return 0, false
		}
	}
	return total + section + cur, true
}
