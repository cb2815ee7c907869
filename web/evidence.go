package web

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/evidence"
)

// Evidence files: uploaded with a report, a request to close or an answer,
// their type read from their content (never from the name or the browser's
// word), kept by package evidence outside any folder the server serves, and
// served back as attachments that no browser runs.

// EvidenceFiles keeps evidence files' bytes by their content's hash:
// package evidence's Store.
type EvidenceFiles interface {
	// Put keeps the content read from r and returns its reference; content
	// over Max is refused and nothing kept.
	Put(r io.Reader, name, mediaType string) (cycle.EvidenceRef, error)
	// Open opens the file of a hash.
	Open(sha string) (*os.File, error)
	// Max is the largest file kept, in bytes.
	Max() int64
}

// MaxEvidenceFiles is how many files one form or request may carry.
const MaxEvidenceFiles = 5

// EvidenceField is the form field evidence files come in.
const EvidenceField = "files"

// EvidenceMax is the largest evidence file the server keeps, in bytes.
func (s *Server) EvidenceMax() int64 {
	if s.svc.Files == nil {
		return cycle.MaxEvidenceSize // a route table built without services, for the API's document
	}
	return s.svc.Files.Max()
}

// EvidenceLimit is the size limit as a form shows it: "50 MB".
func (s *Server) EvidenceLimit() string { return evidence.SizeLabel(s.EvidenceMax()) }

// EvidenceBody is the bound (Route.MaxBody) of a request carrying evidence
// files: MaxEvidenceFiles of the largest, and room for the form's text.
func (s *Server) EvidenceBody() int64 { return MaxEvidenceFiles*s.EvidenceMax() + 1<<20 }

// EvidenceTooLarge is the refusal (Route.TooLarge) of a request past
// EvidenceBody, naming the numbers the form shows.
func (s *Server) EvidenceTooLarge() string {
	return fmt.Sprintf("附件过大：每个附件不超过 %s，一次最多 %d 个。请压缩或拆分后分几次上传。", s.EvidenceLimit(), MaxEvidenceFiles)
}

// evidenceTypes are the media types an evidence file may have, as sniffed:
// PDF, OFD, photos and scans, and office documents. Executables, web pages
// and scripts, archives and everything else are refused.
var evidenceTypes = map[string]string{
	"application/pdf": "PDF",
	"application/ofd": "OFD",
	"image/jpeg":      "JPEG",
	"image/png":       "PNG",
	"image/gif":       "GIF",
	"image/webp":      "WebP",
	"image/bmp":       "BMP",
	"image/tiff":      "TIFF",
	"image/heic":      "HEIC",
	"image/heif":      "HEIF",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "Word",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "Excel",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
	"application/msword":                              "Word",
	"application/vnd.ms-excel":                        "Excel",
	"application/vnd.ms-powerpoint":                   "PowerPoint",
	"application/x-ole-storage":                       "WPS",
	"application/vnd.oasis.opendocument.text":         "ODF",
	"application/vnd.oasis.opendocument.spreadsheet":  "ODF",
	"application/vnd.oasis.opendocument.presentation": "ODF",
}

// zipKinds tell an office document or an OFD file from another zip archive
// by an entry only it has, for a file whose first bytes do not say.
var zipKinds = []struct{ entry, mediaType string }{
	{"OFD.xml", "application/ofd"},
	{"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
}

// sniffHead is how much of a file the type is read from.
const sniffHead = 4096

// SniffEvidence reads what an uploaded file is from its content: one of the
// allowed types, or a refusal saying what it is and what may be uploaded. A
// zip archive is opened to find an office document or an OFD file in it.
func SniffEvidence(name string, f io.ReaderAt, size int64) (string, error) {
	head := make([]byte, min(size, sniffHead))
	if _, err := f.ReadAt(head, 0); err != nil && err != io.EOF {
		return "", &duban.Error{Code: duban.EINVALID, Message: "无法读取上传的附件：请重试。", Err: err}
	}
	m := mimetype.Detect(head)
	mediaType, _, _ := mime.ParseMediaType(m.String())
	if mediaType == "application/zip" {
		if zr, err := zip.NewReader(f, size); err == nil {
			for _, k := range zipKinds {
				for _, e := range zr.File {
					if e.Name == k.entry {
						return k.mediaType, nil
					}
				}
			}
		}
	}
	if _, ok := evidenceTypes[mediaType]; ok {
		return mediaType, nil
	}
	what := "这种格式（" + mediaType + "）"
	switch {
	case m.Is("text/html") || m.Is("application/xhtml+xml") || m.Is("image/svg+xml"):
		what = "网页或可含脚本的文件"
	case m.Is("application/vnd.microsoft.portable-executable") || m.Is("application/x-elf") || m.Is("application/x-mach-binary") ||
		m.Is("application/x-ms-installer") || m.Is("application/x-executable") || m.Is("application/x-sharedlib") ||
		m.Is("application/java-archive") || m.Is("application/vnd.android.package-archive") || m.Is("text/x-shellscript"):
		what = "可执行程序"
	case m.Is("application/zip") || m.Is("application/x-7z-compressed") || m.Is("application/x-rar-compressed") || m.Is("application/gzip"):
		what = "压缩包"
	}
	return "", duban.Errorf(duban.EINVALID, "附件“%s”是%s，不能上传：请上传 PDF、OFD、图片（JPEG、PNG 等）或 Office 文档（Word、Excel、PowerPoint、WPS）。",
		name, what)
}

// ReadEvidence keeps the evidence files a form's field carries (none is no
// error) and records each, returning their references in order. A file
// too large or of a type not allowed is refused with a message naming it;
// files kept before it stay kept, as they are by content and harmless.
func (s *Server) ReadEvidence(r *http.Request, field string) ([]cycle.EvidenceRef, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var headers []*multipart.FileHeader
	for _, h := range r.MultipartForm.File[field] {
		if h.Filename != "" || h.Size > 0 {
			headers = append(headers, h)
		}
	}
	if len(headers) > MaxEvidenceFiles {
		return nil, duban.Errorf(duban.EINVALID, "一次最多上传 %d 个附件，选择了 %d 个：请分几次上传。", MaxEvidenceFiles, len(headers))
	}
	var refs []cycle.EvidenceRef
	for _, h := range headers {
		ref, err := s.keepEvidence(r, h)
		if err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// keepEvidence checks, keeps and records one uploaded file.
func (s *Server) keepEvidence(r *http.Request, h *multipart.FileHeader) (cycle.EvidenceRef, error) {
	name := strings.TrimSpace(h.Filename)
	if name == "" {
		name = "附件"
	}
	if h.Size > s.EvidenceMax() {
		return cycle.EvidenceRef{}, duban.Errorf(duban.ETOOLARGE, "附件“%s”超过 %s：请压缩或拆分后再上传。", name, s.EvidenceLimit())
	}
	if h.Size == 0 {
		return cycle.EvidenceRef{}, duban.Errorf(duban.EINVALID, "附件“%s”是空文件：请选择要上传的文件。", name)
	}
	f, err := h.Open()
	if err != nil {
		return cycle.EvidenceRef{}, &duban.Error{Code: duban.EINVALID, Message: "无法读取上传的附件：请重试。", Err: err}
	}
	defer f.Close()
	mediaType, err := SniffEvidence(name, f, h.Size)
	if err != nil {
		return cycle.EvidenceRef{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return cycle.EvidenceRef{}, err
	}
	ref, err := s.svc.Files.Put(f, name, mediaType)
	if err != nil {
		return ref, err
	}
	return ref, s.svc.Evidence.CreateEvidence(r.Context(), &cycle.Evidence{EvidenceRef: ref})
}

// ServeEvidence sends an evidence file as an attachment that no browser
// shows in place or runs: its sniffed type, nosniff, a sandbox, and its name
// in a Content-Disposition written by mime.FormatMediaType. Whether the
// user may have it is the caller's to check first.
func (s *Server) ServeEvidence(w http.ResponseWriter, r *http.Request, ref cycle.EvidenceRef) error {
	f, err := s.svc.Files.Open(ref.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	h := w.Header()
	ct := ref.Type
	if _, ok := evidenceTypes[ct]; !ok {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Disposition", Attachment(ref.Name))
	h.Set("ETag", strconv.Quote(ref.SHA256))
	http.ServeContent(w, r, "", info.ModTime(), f)
	return nil
}

// Attachment is the Content-Disposition of a download named name: the name
// quoted or, when not ASCII, encoded as RFC 2231 says, so that no name can
// break the header.
func Attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// ReportFile returns the n-th file (from 1) of a report, of its current
// version or of the one version names, to whoever may read the report.
func (s *Server) ReportFile(ctx context.Context, reportID, n int64, version *int64) (cycle.EvidenceRef, error) {
	rep, err := s.svc.Reports.FindReportByID(ctx, reportID)
	if err != nil {
		return cycle.EvidenceRef{}, err
	}
	files := rep.Evidence
	if version != nil && int(*version) != rep.Version {
		vs, err := s.svc.Reports.FindReportVersions(ctx, reportID)
		if err != nil {
			return cycle.EvidenceRef{}, err
		}
		i := slices.IndexFunc(vs, func(x *cycle.ReportVersion) bool { return int64(x.Version) == *version })
		if i < 0 {
			return cycle.EvidenceRef{}, duban.Errorf(duban.ENOTFOUND, "报告没有第 %d 版。", *version)
		}
		files = vs[i].Report.Evidence
	}
	if n < 1 || int(n) > len(files) {
		return cycle.EvidenceRef{}, duban.Errorf(duban.ENOTFOUND, "报告没有第 %d 个附件。", n)
	}
	return files[n-1], nil
}

// ClosureFile returns the n-th file (from 1) of a request to close a task,
// to whoever may read it.
func (s *Server) ClosureFile(ctx context.Context, closureID, n int64) (cycle.EvidenceRef, error) {
	list, _, err := s.svc.Reports.FindClosures(ctx, cycle.ClosureFilter{ID: &closureID})
	if err != nil {
		return cycle.EvidenceRef{}, err
	}
	if len(list) == 0 {
		return cycle.EvidenceRef{}, duban.Errorf(duban.ENOTFOUND, "办结申请 #%d 不存在。", closureID)
	}
	if n < 1 || int(n) > len(list[0].Evidence) {
		return cycle.EvidenceRef{}, duban.Errorf(duban.ENOTFOUND, "办结申请没有第 %d 个附件。", n)
	}
	return list[0].Evidence[n-1], nil
}

// ServeReportFile is the handler of a report's file: {report} and {file}
// in the path, ?version= for an older version's.
func (s *Server) ServeReportFile(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "report")
	if err != nil {
		return err
	}
	n, err := PathID(r, "file")
	if err != nil {
		return err
	}
	version, err := QueryInt(r.URL.Query(), "version")
	if err != nil {
		return err
	}
	ref, err := s.ReportFile(r.Context(), id, n, version)
	if err != nil {
		return err
	}
	return s.ServeEvidence(w, r, ref)
}

// ServeClosureFile is the handler of a request's file: {closure} and
// {file} in the path.
func (s *Server) ServeClosureFile(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "closure")
	if err != nil {
		return err
	}
	n, err := PathID(r, "file")
	if err != nil {
		return err
	}
	ref, err := s.ClosureFile(r.Context(), id, n)
	if err != nil {
		return err
	}
	return s.ServeEvidence(w, r, ref)
}
