package duban

import "testing"

func TestChineseNumeral(t *testing.T) {
	for n, want := range map[int]string{0: "0", 1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一", 99: "九十九", 100: "100"} {
		if got := ChineseNumeral(n); got != want {
			t.Errorf("ChineseNumeral(%d) = %s, want %s", n, got, want)
		}
	}
}
