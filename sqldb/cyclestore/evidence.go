package cyclestore

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// EvidenceService records the evidence files kept by package evidence, so
// that reports point only at files that arrived and the log counts them.
type EvidenceService struct{ base }

// NewEvidenceService returns the evidence records of db.
func NewEvidenceService(db *sqldb.DB) *EvidenceService { return &EvidenceService{base{db: db}} }

var _ cycle.EvidenceService = (*EvidenceService)(nil)

// CreateEvidence records an uploaded file; one recorded before is left as
// it was, with its first name.
func (s *EvidenceService) CreateEvidence(ctx context.Context, e *cycle.Evidence) error {
	if _, err := duban.Authorize(ctx, "上传附件", cycle.CanUploadEvidence); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		e.UploadedBy, e.UploadedAt = tx.Actor(), tx.Now()
		res, err := tx.Exec(`INSERT INTO evidence (sha256, name, size, type, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (sha256) DO NOTHING`, e.SHA256, e.Name, e.Size, e.Type, e.UploadedBy, tx.Time(e.UploadedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Record("evidence.upload", "evidence", 0, 0, fmt.Sprintf("上传附件“%s”（%d 字节，SHA-256 %s…）", e.Name, e.Size, e.SHA256[:12]), nil, e)
	})
}

// FindEvidence returns the record of a file by its hash.
func (s *EvidenceService) FindEvidence(ctx context.Context, sha256 string) (*cycle.Evidence, error) {
	if _, err := duban.Authorize(ctx, "查看附件", duban.CanRead); err != nil {
		return nil, err
	}
	var e cycle.Evidence
	err := s.db.View(ctx, func(tx *Tx) error {
		err := tx.QueryRow("SELECT sha256, name, size, type, uploaded_by, uploaded_at FROM evidence WHERE sha256 = ?", sha256).
			Scan(&e.SHA256, &e.Name, &e.Size, &e.Type, &e.UploadedBy, sqldb.TimeCol(&e.UploadedAt))
		if isNoRows(err) {
			return duban.Errorf(duban.ENOTFOUND, "附件不存在：请检查链接。")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}
