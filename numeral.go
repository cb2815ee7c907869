package duban

import "strconv"

// ChineseNumeral writes 1 to 99 in Chinese numerals, as documents number
// their parts (一、 （二） 第十一): 一, 十, 十一, 二十, 九十九. Other numbers are
// written in Arabic numerals.
func ChineseNumeral(n int) string {
	const digits = "零一二三四五六七八九"
	d := func(i int) string { return string([]rune(digits)[i]) }
	switch {
	case n < 1 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return d(n)
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d(n%10)
	case n%10 == 0:
		return d(n/10) + "十"
	}
	return d(n/10) + "十" + d(n%10)
}
