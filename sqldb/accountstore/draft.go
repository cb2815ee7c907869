package accountstore

import (
	"context"
	"database/sql"
	"errors"
	"net/url"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// SaveDraft keeps what was typed into a form sent after its session ended.
// Anyone may save one (the session has ended: nobody is signed in); the
// draft is bound to the account of the ended session when its row is still
// there, and expired drafts are removed as new ones come.
func (s *AuthService) SaveDraft(ctx context.Context, d *duban.FormDraft, ended string) (string, error) {
	fields := d.Fields.Encode()
	if len(fields) > duban.MaxDraft {
		return "", duban.Errorf(duban.ETOOLARGE, "填写的内容过多，无法保存。")
	}
	secret, hash := duban.NewSecret("")
	err := s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("DELETE FROM form_drafts WHERE expires_at < ?", tx.Time(tx.Now())); err != nil {
			return err
		}
		d.UserID = 0
		if ended != "" {
			err := tx.QueryRow("SELECT user_id FROM sessions WHERE token_hash = ?", duban.HashSecret(ended)).Scan(&d.UserID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		d.CreatedAt, d.ExpiresAt = tx.Now(), tx.Now().Add(duban.DraftLife)
		_, err := tx.Insert(`INSERT INTO form_drafts (secret_hash, user_id, page, action, fields, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, hash, sqldb.NullID(d.UserID), d.Page, d.Action, fields, tx.Time(d.CreatedAt), tx.Time(d.ExpiresAt))
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// errNoDraft is the answer for a secret of no draft the user may have.
var errNoDraft = duban.Errorf(duban.ENOTFOUND, "没有保存的填写内容：它可能已过期。")

// TakeDraft returns a draft to the user in ctx and deletes it. A draft of
// another account is left for its own, unseen.
func (s *AuthService) TakeDraft(ctx context.Context, secret string) (*duban.FormDraft, error) {
	me, err := duban.Authorize(ctx, "取回填写的内容", duban.CanRead)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, errNoDraft
	}
	var d *duban.FormDraft
	err = s.db.Update(ctx, func(tx *Tx) error {
		var id int64
		var fields string
		d = &duban.FormDraft{}
		err := tx.QueryRow("SELECT id, user_id, page, action, fields, created_at, expires_at FROM form_drafts WHERE secret_hash = ?",
			duban.HashSecret(secret)).Scan(&id, sqldb.IDCol(&d.UserID), &d.Page, &d.Action, &fields, sqldb.TimeCol(&d.CreatedAt), sqldb.TimeCol(&d.ExpiresAt))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errNoDraft
		case err != nil:
			return err
		case d.UserID != 0 && d.UserID != me.ID:
			return errNoDraft
		}
		if _, err := tx.Exec("DELETE FROM form_drafts WHERE id = ?", id); err != nil {
			return err
		}
		if !tx.Now().Before(d.ExpiresAt) {
			return errNoDraft
		}
		d.Fields, err = url.ParseQuery(fields)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
