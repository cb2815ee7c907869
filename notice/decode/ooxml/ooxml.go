// Package ooxml opens the ZIP packages of Office Open XML documents (Word
// .docx, Excel .xlsx) as untrusted input: it refuses archives with too many
// entries or parts that inflate too far, counts the bytes it inflates
// instead of trusting the sizes the archive claims, and bounds the nesting
// and the number of the XML elements it hands out, so that what a reader
// does with a package is bounded by what a real document needs. The docx
// and xlsx packages read the parts.
package ooxml

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dubanhq/duban"

	"golang.org/x/text/encoding/htmlindex"
)

// Limits on what a package may make a reader do.
const (
	MaxEntries      = 2000
	maxInflateRatio = 200
	maxXMLDepth     = 256
)

// A Format names the kind of document in the messages the user sees.
type Format struct {
	name, ext, apps string
}

// The formats read from packages. The zero Format is a ZIP archive not yet
// known to be a document.
var (
	Word  = Format{"Word", ".docx", "Word 或 WPS"}
	Excel = Format{"Excel", ".xlsx", "Excel 或 WPS"}
)

// Damaged is the message for a package that cannot be read.
func (f Format) Damaged() string {
	if f.name == "" {
		return "文件是损坏的 ZIP 压缩包，无法读取：请重新下载或导出后再导入。"
	}
	return fmt.Sprintf("%s 文件已损坏，无法读取：请在 %s 中打开，重新另存为 %s 后再导入。", f.name, f.apps, f.ext)
}

// TooLarge is the message for a package refused by a limit; what says
// which limit and by how much.
func (f Format) TooLarge(what string) string {
	switch f {
	case Word:
		return fmt.Sprintf("Word 文件的内容远超一份通知的正常大小（%s），为安全起见不予读取。通知正文通常只有几百 KB："+
			"请确认上传的是通知本身；如确是通知，请删去其中的图片和嵌入对象，或只保留任务分解部分，在 Word 或 WPS 中另存为新的 .docx 后再导入。", what)
	case Excel:
		return fmt.Sprintf("Excel 文件的内容远超一份任务表的正常大小（%s），为安全起见不予读取："+
			"请确认上传的是任务分解表；如确是任务表，请删去无关的工作表、多余的空行空列和图片，在 Excel 或 WPS 中另存为新的 .xlsx 后再导入。", what)
	}
	return fmt.Sprintf("压缩包的内容过多或过大（%s），为安全起见不予读取：请解压后选择其中的通知文件（.docx、.xlsx、.pdf、.html 或 .txt）导入。", what)
}

// TooLargeError is the error for a package refused by a limit.
func (f Format) TooLargeError(what string) error {
	return duban.Errorf(duban.EINVALID, "%s", f.TooLarge(what))
}

// A limitError is a limit met while a part is inflated; what says which.
type limitError struct{ what string }

func (e *limitError) Error() string { return "ooxml: " + e.what }

// mb writes a size in megabytes for a message, to a tenth under 10 MB.
func mb(n uint64) string {
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MB", (n+1<<19)>>20)
}

// Limits bound what all the parts a reader opens may make it do together.
// Zero means no bound.
type Limits struct {
	Bytes    int64 // bytes inflated
	Elements int   // XML elements decoded
}

// A Package is an opened ZIP archive with its parts by lower-case name.
type Package struct {
	// Format names the document in messages; set it once the kind is known.
	Format Format
	// Limits bound the parts opened with OpenPart and decoded with
	// NewDecoder, together.
	Limits   Limits
	Files    []*zip.File
	parts    map[string]*zip.File
	inflated int64
	elements int
}

// Open opens data as a ZIP package.
func Open(data []byte, f Format) (*Package, error) {
	if n, ok := EntryCount(data); ok && n > MaxEntries {
		return nil, f.TooLargeError(fmt.Sprintf("压缩包内有 %d 个文件，上限 %d 个", n, MaxEntries))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: f.Damaged(), Err: err}
	}
	if len(zr.File) > MaxEntries {
		return nil, f.TooLargeError(fmt.Sprintf("压缩包内有 %d 个文件，上限 %d 个", len(zr.File), MaxEntries))
	}
	p := &Package{Format: f, Files: zr.File, parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		p.parts[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	return p, nil
}

// Part returns the part of that name, whatever its case, or nil.
func (p *Package) Part(name string) *zip.File {
	return p.parts[strings.ToLower(strings.TrimPrefix(name, "/"))]
}

// EntryCount reads the entry count from the end-of-central-directory
// record, so that an archive claiming a million entries is refused before
// archive/zip allocates a record for each. ok is false when the record is
// missing or defers to ZIP64.
func EntryCount(data []byte) (n int, ok bool) {
	const eocdLen = 22
	start := max(0, len(data)-eocdLen-0xFFFF)
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+eocdLen > len(data) {
		return 0, false
	}
	total := binary.LittleEndian.Uint16(data[start+i+10:])
	if total == 0xFFFF {
		return 0, false
	}
	return int(total), true
}

// CheckSizes refuses a package whose parts, by the sizes the archive
// declares for them, exceed limit(name) each or total bytes together, or
// inflate further than any real document does. archive/zip holds a part to
// its declared size, so a reader that reads every part (as excelize does)
// reads no more than this allows.
func (p *Package) CheckSizes(limit func(name string) int64, total int64) error {
	var sum uint64
	for _, f := range p.Files {
		if err := p.checkSize(f, limit(strings.ToLower(f.Name))); err != nil {
			return err
		}
		sum += f.UncompressedSize64
	}
	if sum > uint64(total) {
		return p.Format.TooLargeError(fmt.Sprintf("各部分解压后合计 %s，上限 %s", mb(sum), mb(uint64(total))))
	}
	return nil
}

// checkSize refuses a part whose header claims more than limit bytes, or
// a compression ratio beyond any real document's.
func (p *Package) checkSize(f *zip.File, limit int64) error {
	if f.UncompressedSize64 > uint64(limit) {
		return p.Format.TooLargeError(fmt.Sprintf("%s 解压后 %s，上限 %s", f.Name, mb(f.UncompressedSize64), mb(uint64(limit))))
	}
	if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > f.CompressedSize64*maxInflateRatio {
		return p.Format.TooLargeError(fmt.Sprintf("%s 的压缩比超过 %d:1", f.Name, maxInflateRatio))
	}
	return nil
}

// OpenPart opens one part of the archive for reading, refusing parts whose
// header claims more than limit bytes and cutting off parts that inflate
// beyond what their header promised, or beyond what the package's parts
// may inflate to together (Limits.Bytes).
func (p *Package) OpenPart(f *zip.File, limit int64) (io.ReadCloser, error) {
	if err := p.checkSize(f, limit); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: p.Format.Damaged(), Err: err}
	}
	// The header may lie: bound what is read by the limit and by the ratio
	// to the compressed size, which the archive cannot misstate without
	// breaking its own layout.
	n := min(limit, max(int64(f.CompressedSize64)*maxInflateRatio, 1<<20))
	return &cappedReader{r: rc, c: rc, left: n, name: f.Name, pkg: p}, nil
}

// cappedReader fails with a limitError once more than left bytes are read
// from it, or once the package's parts together inflate beyond its limit.
type cappedReader struct {
	r    io.Reader
	c    io.Closer
	left int64
	name string
	pkg  *Package
}

func (r *cappedReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		var one [1]byte
		if n, _ := r.r.Read(one[:]); n > 0 {
			return 0, &limitError{fmt.Sprintf("%s 解压后超出限制", r.name)}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	r.pkg.inflated += int64(n)
	if l := r.pkg.Limits.Bytes; l > 0 && r.pkg.inflated > l {
		return n, &limitError{fmt.Sprintf("解压后的 XML 合计超过 %s", mb(uint64(l)))}
	}
	return n, err
}

func (r *cappedReader) Close() error { return r.c.Close() }

// Error turns a failure while reading a part into the user's message.
func (p *Package) Error(err error) error {
	var de *duban.Error
	var le *limitError
	switch {
	case errors.As(err, &de):
		return err
	case errors.As(err, &le):
		return &duban.Error{Code: duban.EINVALID, Message: p.Format.TooLarge(le.what), Err: err}
	}
	return &duban.Error{Code: duban.EINVALID, Message: p.Format.Damaged(), Err: err}
}

// A Decoder reads the XML of a part and refuses nesting deeper than any
// real document needs, which would otherwise cost memory per level.
type Decoder struct {
	d     *xml.Decoder
	pkg   *Package
	depth int
}

// NewDecoder returns a decoder of r that understands the charsets Office
// declares.
func (p *Package) NewDecoder(r io.Reader) *Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return &Decoder{d: d, pkg: p}
}

// Token returns the next token.
func (dd *Decoder) Token() (xml.Token, error) {
	tok, err := dd.d.Token()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		dd.depth++
		if dd.depth > maxXMLDepth {
			return nil, dd.pkg.Format.TooLargeError(fmt.Sprintf("XML 嵌套超过 %d 层", maxXMLDepth))
		}
		dd.pkg.elements++
		if l := dd.pkg.Limits.Elements; l > 0 && dd.pkg.elements > l {
			return nil, dd.pkg.Format.TooLargeError(fmt.Sprintf("XML 元素超过 %d 个", l))
		}
	case xml.EndElement:
		dd.depth--
	}
	return tok, nil
}

// Skip consumes the rest of the element whose start was just read.
func (dd *Decoder) Skip() error {
	for n := 1; n > 0; {
		tok, err := dd.Token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			n++
		case xml.EndElement:
			n--
		}
	}
	return nil
}

// Attr returns the value of the attribute of that local name, or "".
func Attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
