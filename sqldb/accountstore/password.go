package accountstore

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
)

// ChangePassword sets the signed-in user's own password once the current one
// is checked, ends the user's other sessions and revokes the user's API
// tokens.
func (s *AuthService) ChangePassword(ctx context.Context, current, next, keep string) error {
	me, err := duban.Authorize(ctx, "修改密码", duban.CanRead)
	if err != nil {
		return err
	}
	if current == "" {
		return duban.Errorf(duban.EINVALID, "请输入当前的密码。")
	}
	if err := duban.ValidatePassword(next); err != nil {
		return err
	}
	if next == current {
		return duban.Errorf(duban.EINVALID, "新密码与当前的密码相同：请换一个。")
	}
	var hash string
	if err := s.db.View(ctx, func(tx *Tx) error {
		_, h, err := userWithHash(tx, me.Name)
		hash = h
		return err
	}); err != nil {
		return err
	}
	// As at sign-in, the hashing is done outside any transaction.
	ok := false
	if hash != "" {
		if ok, err = s.hasher.Verify(hash, current); err != nil {
			return fmt.Errorf("sqldb: password of user %d: %w", me.ID, err)
		}
	}
	if !ok {
		return duban.Errorf(duban.EINVALID, "当前的密码不正确：请重新输入；如果忘记了密码，请联系督查室重置。")
	}
	newHash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", newHash, tx.Time(tx.Now()), me.ID); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", me.ID, duban.HashSecret(keep)); err != nil {
			return err
		}
		// Whoever learnt the old password may have made a token with it;
		// a new password leaves them no way in.
		summary, err := revokeTokens(tx, me, "本人修改密码："+me.Label())
		if err != nil {
			return err
		}
		return tx.Record("user.password", "user", me.ID, 0, summary, nil, nil)
	})
}
