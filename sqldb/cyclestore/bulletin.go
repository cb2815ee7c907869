package cyclestore

import (
	"context"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// BulletinService keeps the office's words of each period's bulletin.
type BulletinService struct{ base }

// NewBulletinService returns the bulletins' words of db.
func NewBulletinService(db *sqldb.DB) *BulletinService { return &BulletinService{base{db: db}} }

var _ cycle.BulletinService = (*BulletinService)(nil)

// FindBulletinText returns a period's words, the defaults when none were
// saved.
func (s *BulletinService) FindBulletinText(ctx context.Context, periodID int64) (*cycle.BulletinText, error) {
	if _, err := duban.Authorize(ctx, "查看通报", duban.CanRead); err != nil {
		return nil, err
	}
	var b *cycle.BulletinText
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		b, err = findBulletinText(tx, periodID)
		return err
	})
	return b, err
}

func findBulletinText(tx *Tx, periodID int64) (*cycle.BulletinText, error) {
	q, err := findPeriod(tx, periodID)
	if err != nil {
		return nil, err
	}
	p, err := tx.FindPlan(q.PlanID)
	if err != nil {
		return nil, err
	}
	b := cycle.DefaultBulletinText(p, q)
	err = tx.QueryRow("SELECT number, addressee, opening, closing, signature, updated_by, updated_at FROM bulletins WHERE period_id = ?", periodID).
		Scan(&b.Number, &b.To, &b.Opening, &b.Closing, &b.Signature, &b.UpdatedBy, sqldb.TimeCol(&b.UpdatedAt))
	switch {
	case isNoRows(err):
	case err != nil:
		return nil, tx.QueryError("SELECT bulletins", err)
	default:
		b.Saved = true
	}
	return b, nil
}

// UpdateBulletinText changes a period's words, with its audit event.
func (s *BulletinService) UpdateBulletinText(ctx context.Context, periodID int64, upd cycle.BulletinTextUpdate) (*cycle.BulletinText, error) {
	if _, err := duban.Authorize(ctx, "编辑通报", cycle.CanWriteBulletin); err != nil {
		return nil, err
	}
	var b *cycle.BulletinText
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if b, err = findBulletinText(tx, periodID); err != nil {
			return err
		}
		before := *b
		upd.Apply(b)
		if err := b.Validate(); err != nil {
			return err
		}
		b.Saved, b.UpdatedBy, b.UpdatedAt = true, tx.Actor(), tx.Now()
		if _, err := tx.Exec(`INSERT INTO bulletins (period_id, number, addressee, opening, closing, signature, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period_id) DO UPDATE SET number = excluded.number, addressee = excluded.addressee,
			opening = excluded.opening, closing = excluded.closing, signature = excluded.signature, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`,
			periodID, b.Number, b.To, b.Opening, b.Closing, b.Signature, b.UpdatedBy, tx.Time(b.UpdatedAt)); err != nil {
			return err
		}
		q, err := findPeriod(tx, periodID)
		if err != nil {
			return err
		}
		return tx.Record("bulletin.edit", "period", periodID, q.PlanID, "修改"+q.Label+"通报的文字", before, b)
	})
	return b, err
}
