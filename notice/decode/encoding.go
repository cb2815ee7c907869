package decode

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Notices reach the office in whatever encoding the sender's machine used:
// UTF-8 from recent systems, GBK (GB18030) from Windows Notepad and older
// government web sites, UTF-16 from Word's "Unicode text" export. toUTF8
// finds out which from the bytes themselves, because file names and declared
// charsets are often wrong.

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Messages for text that cannot be read as text.
const (
	msgUndecodable = "无法识别文件的文字编码：请用记事本或 WPS 打开文件，另存为“UTF-8”编码的文本后再导入。"
	msgBinary      = "文件内容不是文字（可能是图片、压缩包或其他二进制文件）：请上传通知的 Word（.docx、.doc、.wps）、Excel 任务表（.xlsx、.xls）、PDF、网页（.html）或文本（.txt）文件。"
)

// toUTF8 returns data as UTF-8 text with "\n" line ends. declared is the
// charset a document names for itself (an HTML meta tag), or ""; it is used
// only for encodings that cannot be told from the bytes.
func toUTF8(data []byte, declared string) (string, error) {
	var s string
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		// A UTF-8 mark in front of bytes that are not UTF-8 happens when a
		// tool adds it blindly; read what follows on its own merits.
		var err error
		if s, err = decodeUnmarked(data[3:], declared); err != nil {
			return "", err
		}
	case bytes.HasPrefix(data, bomUTF16LE):
		s = decodeUTF16(data[2:], xunicode.LittleEndian)
	case bytes.HasPrefix(data, bomUTF16BE):
		s = decodeUTF16(data[2:], xunicode.BigEndian)
	default:
		var err error
		if s, err = decodeUnmarked(data, declared); err != nil {
			return "", err
		}
	}
	s = normalizeNewlines(s)
	if looksBinary(s) {
		return "", duban.Errorf(duban.EINVALID, msgBinary)
	}
	return s, nil
}

// decodeUnmarked decodes text that carries no byte order mark.
func decodeUnmarked(data []byte, declared string) (string, error) {
	if order, ok := utf16ByNULs(data); ok {
		if s := decodeUTF16(data, order); utf16Plausible(s) {
			return s, nil
		}
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	if trimmed := trimPartialRune(data); len(trimmed) < len(data) && utf8.Valid(trimmed) {
		// A file cut off in the middle of its last character.
		return string(trimmed), nil
	}
	if enc := declaredEncoding(declared); enc != nil {
		if s, err := enc.NewDecoder().Bytes(data); err == nil && strings.Count(string(s), "\uFFFD") == 0 {
			return string(s), nil
		}
	}
	if gbPlausible(data) {
		return decodeGB(data), nil
	}
	// A text pasted together from a UTF-8 and a GBK file: decide line by line.
	var b strings.Builder
	var gb []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if utf8.Valid(line) {
			b.Write(line)
			continue
		}
		gb = append(gb, line...)
		b.WriteString(decodeGB(line))
	}
	if gbPlausible(gb) {
		return b.String(), nil
	}
	// A UTF-8 file with a damaged byte or two: keep it, marking the damage.
	if n := invalidUTF8(data); n*1000 <= len(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", duban.Errorf(duban.EINVALID, msgBinary)
	}
	return "", duban.Errorf(duban.EINVALID, msgUndecodable)
}

// invalidUTF8 counts the bytes of data that are not part of valid UTF-8.
func invalidUTF8(data []byte) int {
	n := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			n++
		}
		i += size
	}
	return n
}

// declaredEncoding returns the decoder for a charset a document declares,
// when that charset is neither UTF-8 nor of the GB family (those are
// recognised from the bytes, and a page that says gb2312 is really GBK).
func declaredEncoding(name string) encoding.Encoding {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil
	}
	if canonical, _ := htmlindex.Name(enc); canonical == "utf-8" || canonical == "gbk" || canonical == "gb18030" {
		return nil
	}
	return enc
}

func decodeUTF16(data []byte, order xunicode.Endianness) string {
	if len(data)%2 == 1 {
		data = data[:len(data)-1]
	}
	s, err := xunicode.UTF16(order, xunicode.IgnoreBOM).NewDecoder().Bytes(data)
	if err != nil {
		return ""
	}
	return string(s)
}

// utf16ByNULs recognises UTF-16 without a byte order mark by its NUL bytes:
// every ASCII character (line ends, spaces, digits) has a zero high byte, on
// odd offsets in little-endian text and on even offsets in big-endian text.
// Some hanzi have a zero low byte (一 is U+4E00), so the other side is not
// quite free of zeros; binary files have zeros on both alike.
func utf16ByNULs(data []byte) (xunicode.Endianness, bool) {
	sample := data
	if len(sample) > 1<<16 {
		sample = sample[:1<<16]
	}
	var even, odd int
	for i, c := range sample {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch {
	case odd >= 2 && even*4 <= odd:
		return xunicode.LittleEndian, true
	case even >= 2 && odd*4 <= even:
		return xunicode.BigEndian, true
	}
	return xunicode.LittleEndian, false
}

// utf16Plausible reports whether text decoded as UTF-16 reads as text:
// no broken surrogates and no stray control characters.
func utf16Plausible(s string) bool {
	if s == "" {
		return false
	}
	bad, n := 0, 0
	for _, r := range s {
		n++
		if r == utf8.RuneError || r == 0 || (r < 0x20 && !strings.ContainsRune("\t\n\r\f\v", r)) {
			bad++
		}
	}
	return bad*100 <= n
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of data.
func trimPartialRune(data []byte) []byte {
	for i := 1; i <= 3 && i <= len(data); i++ {
		c := data[len(data)-i]
		if c < 0x80 {
			return data
		}
		if c >= 0xC0 { // a lead byte: is its sequence complete?
			if !utf8.FullRune(data[len(data)-i:]) {
				return data[:len(data)-i]
			}
			return data
		}
	}
	return data
}

var gbDecoder = simplifiedchinese.GB18030

func decodeGB(data []byte) string {
	s, err := gbDecoder.NewDecoder().Bytes(data)
	if err != nil {
		return ""
	}
	return string(s)
}

// gbPlausible reports whether data reads as Chinese text in GBK/GB18030. The
// test is on the byte pairs: ordinary Chinese prose is written almost only
// with the 3,755 common characters and the punctuation of GB2312 (lead bytes
// A1–D7), while UTF-8 or other bytes misread as GBK fall on rare characters
// (UTF-8 hanzi begin with E4–E9) or on invalid sequences.
func gbPlausible(data []byte) bool {
	var pairs, common, invalid int
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c < 0x80:
			i++
		case c == 0x80 || c == 0xFF || i+1 >= len(data):
			invalid++
			i++
		case data[i+1] >= 0x30 && data[i+1] <= 0x39: // four-byte GB18030
			if i+3 >= len(data) || data[i+2] < 0x81 || data[i+2] == 0xFF || data[i+3] < 0x30 || data[i+3] > 0x39 {
				invalid++
				i++
				continue
			}
			pairs++
			i += 4
		case data[i+1] >= 0x40 && data[i+1] != 0x7F && data[i+1] != 0xFF:
			pairs++
			if c >= 0xA1 && c <= 0xD7 && data[i+1] >= 0xA1 {
				common++
			}
			i += 2
		default:
			invalid++
			i++
		}
	}
	if pairs == 0 {
		return false
	}
	return invalid*200 <= pairs && common*10 >= pairs*7
}

// normalizeNewlines turns CRLF, CR and the Unicode line separators into "\n"
// so that line numbers count the way an editor shows them.
func normalizeNewlines(s string) string {
	// strings.ContainsAny decodes every rune; these byte searches do not.
	if strings.IndexByte(s, '\r') < 0 && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029") && !strings.Contains(s, "\u0085") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer("\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n").Replace(s)
}

// looksBinary reports whether decoded text is really binary data: it holds
// NUL characters (other than padding at the end) or more than a few control
// characters that no text editor writes.
func looksBinary(s string) bool {
	s = strings.TrimRight(s, "\x00")
	// Bytes, not runes: a control character is an ASCII byte, a C1 control
	// is C2 80–9F and the replacement character EF BF BD in UTF-8. Most
	// bytes of a text are none of these and cost one table look-up.
	ctrl := 0
	for i := 0; i < len(s); i++ {
		switch binaryClass[s[i]] {
		case 0:
		case 1:
			ctrl++
		case 2:
			return true
		case 3:
			if i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] < 0xA0 {
				ctrl++
			}
		case 4:
			if i+2 < len(s) && s[i+1] == 0xBF && s[i+2] == 0xBD {
				ctrl++
			}
		}
	}
	n := utf8.RuneCountInString(s)
	return ctrl > 8 && ctrl*100 > n || n > 0 && ctrl*10 > n
}

// binaryClass sorts bytes for looksBinary: 1 a control character, 2 NUL,
// 3 the lead byte of a C1 control, 4 the lead byte of U+FFFD.
var binaryClass = func() (t [256]uint8) {
	for c := 1; c < 0x20; c++ {
		t[c] = 1
	}
	t['\t'], t['\n'], t['\f'], t['\v'] = 0, 0, 0, 0
	t[0x7F], t[0], t[0xC2], t[0xEF] = 1, 2, 3, 4
	return t
}()
