package cycle

import (
	"context"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// MaxEvidenceSize is the default cap on one evidence file, in bytes.
const MaxEvidenceSize = 50 << 20

// EvidenceRef points a report, a request to close or an answer to a
// supervision notice at an evidence file, kept once by the hash of its
// content whatever name it was uploaded under.
type EvidenceRef struct {
	SHA256 string `json:"sha256"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Type   string `json:"type,omitempty"` // media type, as sniffed from the content
}

// Validate checks the reference's hash and name.
func (e *EvidenceRef) Validate() error {
	if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 || strings.ToLower(e.SHA256) != e.SHA256 {
		return duban.Errorf(duban.EINVALID, "附件“%s”的摘要不正确：请重新上传。", e.Name)
	}
	switch {
	case strings.TrimSpace(e.Name) == "" || utf8.RuneCountInString(e.Name) > 200:
		return duban.Errorf(duban.EINVALID, "附件名称应为 1 到 200 个字。")
	case strings.ContainsAny(e.Name, "/\\\x00"):
		return duban.Errorf(duban.EINVALID, "附件名称“%s”不能含有 / 或 \\。", e.Name)
	case e.Size < 0:
		return duban.Errorf(duban.EINVALID, "附件“%s”的大小不正确。", e.Name)
	}
	return nil
}

// Evidence is an uploaded file as the store records it: who brought it and
// when, so that the audit log counts every file.
type Evidence struct {
	EvidenceRef
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// EvidenceService records evidence files kept by content hash (package
// evidence keeps the bytes). Reports may point only at files recorded here.
type EvidenceService interface {
	// CreateEvidence records an uploaded file; a file already recorded is
	// left as it is.
	CreateEvidence(ctx context.Context, e *Evidence) error
	// FindEvidence returns the record of a file by its hash.
	FindEvidence(ctx context.Context, sha256 string) (*Evidence, error)
}
