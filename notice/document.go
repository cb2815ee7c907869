package notice

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

var (
	reDocNumber = regexp.MustCompile(`[\p{Han}]{1,12}\s*[〔\[［【（(]\s*(\d{4})\s*[〕\]］】）)]\s*\d{1,4}\s*号`)
	reTitle     = regexp.MustCompile(`关于.{2,120}?(?:的通知|的意见|的方案|的决定|的函)`)
	reYear      = regexp.MustCompile(`(\d{4})\s*年`)
	reDate      = regexp.MustCompile(`(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日`)
	reIssuerEnd = regexp.MustCompile(`(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅)$`)
)

// readDocument reads the letterhead: document number, issuer, title, date,
// year and region, from the paragraphs before the first attribution and the
// date line of the signature.
func readDocument(ps []*para) duban.DocumentInfo {
	var d duban.DocumentInfo
	head := ps
	if len(head) > 40 {
		head = head[:40]
	}
	for i, p := range head {
		t := strings.TrimSpace(p.text)
		if strings.Contains(t, "关于") && !reTitle.MatchString(t) {
			// A title set on two or three lines.
			for j := i + 1; j < len(head) && j <= i+2; j++ {
				t += strings.TrimSpace(head[j].text)
				if reTitle.MatchString(t) {
					break
				}
			}
		}
		if d.DocNumber == "" {
			if m := reDocNumber.FindString(t); m != "" && runeLen(t) < 40 {
				d.DocNumber = strings.Join(strings.Fields(m), "")
			}
		}
		if d.Title == "" {
			if loc := reTitle.FindStringIndex(t); loc != nil && runeLen(t) < 160 {
				d.Title = strings.TrimSpace(t[loc[0]:loc[1]])
				d.Issuer = moreSpecific(d.Issuer, strings.TrimSpace(t[:loc[0]]))
			}
		}
		if !strings.Contains(t, "关于") {
			// The letterhead (…人民政府办公室文件) or the signature.
			d.Issuer = moreSpecific(d.Issuer, strings.TrimSuffix(t, "文件"))
		}
		if d.Date == "" && reDateLine.MatchString(t) {
			d.Date = isoDate(t)
		}
	}
	// The date and the signature may stand at the end.
	for i := len(ps) - 1; i >= 0 && i >= len(ps)-10; i-- {
		t := strings.TrimSpace(ps[i].text)
		if reDateLine.MatchString(t) && d.Date == "" {
			d.Date = isoDate(t)
		}
		d.Issuer = moreSpecific(d.Issuer, t)
	}
	if m := reYear.FindStringSubmatch(d.Title); m != nil {
		d.Year, _ = strconv.Atoi(m[1])
	} else if len(d.Date) >= 4 {
		d.Year, _ = strconv.Atoi(d.Date[:4])
	}
	d.Region = reIssuerEnd.ReplaceAllString(d.Issuer, "")
	return d
}

// moreSpecific returns the issuer the letterhead names most fully: of
// 区人民政府办公室 (in a title) and 宜昌市伍家岗区人民政府办公室 (in the
// letterhead or signature), the latter.
func moreSpecific(issuer, candidate string) string {
	if len(candidate) > 120 {
		// An issuer's name is a short line; body paragraphs are not.
		return issuer
	}
	if !reIssuerLine.MatchString(candidate) && !(candidate != "" && reIssuerEnd.MatchString(candidate) && runeLen(candidate) <= 30) {
		return issuer
	}
	if issuer == "" || strings.HasSuffix(candidate, issuer) && len(candidate) > len(issuer) {
		return candidate
	}
	return issuer
}

// isoDate turns 2022 年 4 月 22 日 or 二〇二二年四月二十二日 into 2022-04-22.
func isoDate(s string) string {
	m := reDate.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	var n [3]int
	for i, part := range m[1:] {
		v, err := strconv.Atoi(part)
		if err != nil {
			var ok bool
			if v, ok = parseChineseInt(part); !ok {
				return ""
			}
		}
		n[i] = v
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", n[0], n[1], n[2])
}
