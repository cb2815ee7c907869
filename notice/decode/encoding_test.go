package decode

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dubanhq/duban"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

const sampleLine = "（一）大力实施城市更新行动。新增高新技术企业 119 家。（牵头单位：区科学技术局）\n"

// encodeWith encodes s with an x/text encoder.
func encodeWith(t *testing.T, e interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := e.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// TestToUTF8 reads the same text in every encoding notices come in.
func TestToUTF8(t *testing.T) {
	text := strings.Repeat(sampleLine, 3)
	gbk := encodeWith(t, simplifiedchinese.GBK.NewEncoder(), text)
	utf16le := encodeWith(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder(), text)
	utf16be := encodeWith(t, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewEncoder(), text)
	tests := []struct {
		name     string
		data     []byte
		declared string
		want     string
	}{
		{"utf-8", []byte(text), "", text},
		{"utf-8 with bom", append([]byte("\xEF\xBB\xBF"), text...), "", text},
		{"utf-16le with bom", append([]byte{0xFF, 0xFE}, utf16le...), "", text},
		{"utf-16be with bom", append([]byte{0xFE, 0xFF}, utf16be...), "", text},
		{"utf-16le without bom", utf16le, "", text},
		{"utf-16be without bom", utf16be, "", text},
		{"gbk", gbk, "", text},
		{"gbk declared gb2312", gbk, "gb2312", text},
		{"gb18030 four-byte", encodeWith(t, simplifiedchinese.GB18030.NewEncoder(), "𠀀字（牵头单位：区民政局）\n"), "", "𠀀字（牵头单位：区民政局）\n"},
		{"big5 declared", encodeWith(t, traditionalchinese.Big5.NewEncoder(), "牽頭單位：區財政局\n"), "big5", "牽頭單位：區財政局\n"},
		{"crlf", []byte("第一行\r\n第二行\r\n"), "", "第一行\n第二行\n"},
		{"cr", []byte("第一行\r第二行\r"), "", "第一行\n第二行\n"},
		{"form feed kept", []byte("第一页\n\f第二页\n"), "", "第一页\n\f第二页\n"},
		{"mixed utf-8 and gbk lines", append([]byte("第一行是 UTF-8 的文字\n"), encodeWith(t, simplifiedchinese.GBK.NewEncoder(), "第二行是国标编码的文字\n")...), "", "第一行是 UTF-8 的文字\n第二行是国标编码的文字\n"},
		{"utf-8 cut in a character", []byte(text + "中")[:len(text)+2], "", text},
		{"utf-8 with one bad byte", []byte(strings.Repeat(sampleLine, 20) + "\xff" + sampleLine), "", strings.Repeat(sampleLine, 20) + "\uFFFD" + sampleLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toUTF8(tt.data, tt.declared)
			if err != nil {
				t.Fatalf("toUTF8: %v", err)
			}
			if got != tt.want {
				t.Errorf("toUTF8 = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestToUTF8Refuses checks that binary data and undecodable bytes are
// refused with a message that says what to do, instead of being read as
// text full of garbage.
func TestToUTF8Refuses(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"nul bytes", []byte("abc\x00\x01\x02\x00def\x00\x00\x07ghi\x00"), "不是文字"},
		{"control characters", bytes.Repeat([]byte("\x01\x02\x03\x04abc"), 20), "不是文字"},
		{"latin-1", []byte("Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise, na\xefve r\xe9sum\xe9"), "编码"},
		{"utf-8 read as gbk would be mojibake", append(encodeWith(t, simplifiedchinese.GBK.NewEncoder(), "国标"), []byte(strings.Repeat("\xe4\xb8", 40))...), "编码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toUTF8(tt.data, "")
			if err == nil {
				t.Fatalf("toUTF8 = %q, want an error", got)
			}
			if duban.ErrorCode(err) != duban.EINVALID || !strings.Contains(duban.ErrorMessage(err), tt.want) {
				t.Errorf("error = %v, want invalid with %q", err, tt.want)
			}
		})
	}
}

// TestGBPlausible checks the test that tells GBK text from other bytes.
func TestGBPlausible(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"gbk prose", encodeWith(t, simplifiedchinese.GBK.NewEncoder(), sampleLine), true},
		{"gbk with rare names", encodeWith(t, simplifiedchinese.GBK.NewEncoder(), "嵒桥大厦、槿椿颐养中心、鳌角山。确保年内建成交付。"), true},
		{"utf-8 hanzi", []byte(sampleLine), false},
		{"ascii only", []byte("plain ascii"), false},
		{"truncated lead byte", []byte("\xd6"), false},
	}
	for _, tt := range tests {
		if got := gbPlausible(tt.data); got != tt.want {
			t.Errorf("%s: gbPlausible = %v, want %v", tt.name, got, tt.want)
		}
	}
}
