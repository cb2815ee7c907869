// Package accountstore keeps the accounts and sign-in in the database of
// package sqldb: users and their bindings to a unit or a leader, passwords,
// sessions, failed sign-ins and their throttling, API tokens, and the form
// drafts kept across a session's end. Everything is in the database, so
// that every server of a deployment knows every session and counts every
// failure; the tables come from sqldb's numbered migrations.
package accountstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// Tx is sqldb's transaction, which every function here works in.
type Tx = sqldb.Tx

// AuthService signs people in and keeps passwords, sessions, failed
// sign-ins and API tokens, all in the database, so that every server of a
// deployment knows every session and counts every failure.
type AuthService struct {
	db     *sqldb.DB
	hasher duban.PasswordHasher
	policy duban.AuthPolicy
}

// NewAuthService returns the sign-in service of db, hashing passwords with
// hasher and timing sessions and throttling sign-in by policy.
func NewAuthService(db *sqldb.DB, hasher duban.PasswordHasher, policy duban.AuthPolicy) *AuthService {
	return &AuthService{db: db, hasher: hasher, policy: policy}
}

var _ duban.AuthService = (*AuthService)(nil)

// touchEvery is how stale a session's or token's last use may be before a
// request writes it again: often enough for idle expiry (hours), rarely
// enough that reading a page is not a write.
const touchEvery = 5 * time.Minute

// touchWait bounds how long noting a last use waits for the write lock.
// The note is not worth a reader's wait: a long write (an import) or a
// database that cannot be written leaves it for a later request.
const touchWait = 500 * time.Millisecond

// touch notes when a session or token was last used, if it can within
// touchWait; a failure is not the reader's, whose request goes on.
func (s *AuthService) touch(ctx context.Context, q string, id int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), touchWait)
	defer cancel()
	s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Exec(q, tx.Time(tx.Now()), id)
		return err
	})
}

// errBadLogin is the one answer to a wrong name or a wrong password, so
// that sign-in does not tell which names exist.
var errBadLogin = duban.Errorf(duban.EUNAUTHORIZED, "登录名或密码不正确：请检查后重试（注意大小写）。")

// Login checks the credentials and starts a session. The attempt is
// counted in the database before the password is hashed, in the write
// transaction that checks the bounds, so that guesses sent at once, to
// one server or several, are refused past the bound without being hashed.
func (s *AuthService) Login(ctx context.Context, c duban.Credentials) (*duban.Session, string, error) {
	name := strings.TrimSpace(c.Name)
	if name == "" || c.Password == "" {
		return nil, "", duban.Errorf(duban.EINVALID, "请输入登录名和密码。")
	}
	// No account has a longer name and no password is longer: such
	// attempts are refused without being hashed or kept.
	if len(name) > maxNameBytes || utf8.RuneCountInString(c.Password) > duban.MaxPassword {
		return nil, "", errBadLogin
	}
	account, address := strings.ToLower(name), sqldb.Truncate(c.Address, 100)
	// Most of a flood is refused by this read, which takes no lock.
	if err := s.db.View(ctx, func(tx *Tx) error { return s.throttled(tx, account, address) }); err != nil {
		return nil, "", err
	}
	var u *duban.User
	var hash string
	var attempt int64
	err := s.db.Update(ctx, func(tx *Tx) error {
		if err := s.throttled(tx, account, address); err != nil {
			return err
		}
		// Attempts too old to count are forgotten as new ones come.
		if _, err := tx.Exec("DELETE FROM login_attempts WHERE at < ?", tx.Time(tx.Now().Add(-s.policy.FailureWindow))); err != nil {
			return err
		}
		var err error
		if attempt, err = tx.Insert("INSERT INTO login_attempts (account, address, at) VALUES (?, ?, ?)",
			account, address, tx.Time(tx.Now())); err != nil {
			return err
		}
		u, hash, err = userWithHash(tx, name)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	// The password is checked outside any transaction: hashing takes a
	// fifth of a second, which no write lock should wait for. An unknown
	// name costs a hash too, so that timing does not tell names apart.
	ok := false
	if u != nil && hash != "" {
		ok, err = s.hasher.Verify(hash, c.Password)
	} else {
		_, err = s.hasher.Hash(c.Password)
	}
	if err != nil {
		// A password the server was too busy to check was not tried.
		if duban.ErrorCode(err) == duban.ETOOMANY {
			return nil, "", errors.Join(err, s.forgetAttempt(ctx, attempt))
		}
		return nil, "", fmt.Errorf("sqldb: checking a password: %w", err)
	}
	if !ok {
		return nil, "", errBadLogin
	}
	if u.Disabled {
		return nil, "", errors.Join(duban.Unauthorized(u), s.forgetAttempt(ctx, attempt))
	}
	secret, tokenHash := duban.NewSecret("")
	sess := &duban.Session{UserID: u.ID, User: u, Address: address, UserAgent: sqldb.Truncate(c.UserAgent, 300)}
	err = s.db.Update(ctx, func(tx *Tx) error {
		sess.CreatedAt, sess.SeenAt, sess.ExpiresAt = tx.Now(), tx.Now(), tx.Now().Add(s.policy.SessionMax)
		// A right password forgets its pair's failures; the address's at
		// other accounts stay, or one valid account would unlock guessing
		// at others.
		if _, err := tx.Exec("DELETE FROM login_attempts WHERE account = ? AND address = ?", account, address); err != nil {
			return err
		}
		// Sessions that ended are removed as new ones begin.
		if _, err := tx.Exec("DELETE FROM sessions WHERE expires_at < ? OR seen_at < ?",
			tx.Time(tx.Now()), tx.Time(tx.Now().Add(-s.policy.SessionIdle))); err != nil {
			return err
		}
		if c.Replace != "" {
			if _, err := tx.Exec("DELETE FROM sessions WHERE token_hash = ?", duban.HashSecret(c.Replace)); err != nil {
				return err
			}
		}
		var err error
		sess.ID, err = tx.Insert(`INSERT INTO sessions (token_hash, user_id, address, user_agent, created_at, seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, tokenHash, u.ID, sess.Address, sess.UserAgent,
			tx.Time(sess.CreatedAt), tx.Time(sess.SeenAt), tx.Time(sess.ExpiresAt))
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return sess, secret, nil
}

// maxNameBytes bounds a sign-in name: no account's is longer (duban.User's
// Validate allows 64 letters).
const maxNameBytes = 64

// forgetAttempt deletes an attempt whose password was not judged.
func (s *AuthService) forgetAttempt(ctx context.Context, id int64) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM login_attempts WHERE id = ?", id)
		return err
	})
}

// userWithHash returns the user of a sign-in name and its password hash, or
// nil when there is none.
func userWithHash(tx *Tx, name string) (*duban.User, string, error) {
	var hash string
	u, err := scanUser(tx.QueryRow("SELECT "+userColumns("")+", password_hash FROM users WHERE name = ?", name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	return u, hash, err
}

// throttled refuses a sign-in when its account and address pair has
// failed too often within the policy's window and has not waited long
// enough since, or the address has failed too often at any accounts; the
// error says how long to wait.
func (s *AuthService) throttled(tx *Tx, account, address string) error {
	p := s.policy
	since := tx.Time(tx.Now().Add(-p.FailureWindow))
	if p.MaxPairFailures > 0 {
		var n int
		var last time.Time
		if err := tx.QueryRow("SELECT count(*), max(at) FROM login_attempts WHERE account = ? AND address = ? AND at > ?",
			account, address, since).Scan(&n, sqldb.TimeCol(&last)); err != nil {
			return tx.QueryError("login_attempts", err)
		}
		if n >= p.MaxPairFailures {
			// Each failure past the bound doubles the wait, up to the window.
			wait := p.FailureWindow
			if past := n - p.MaxPairFailures; past < 16 {
				wait = min(wait, p.PairDelay<<past)
			}
			if left := last.Add(wait).Sub(tx.Now()); left > 0 {
				return duban.TooMany(left, "这个账号从您所在地址登录失败的次数过多，已暂停从这里登录：请%s后再试；如果忘记了密码，请联系督查室重置。", waitWords(left))
			}
		}
	}
	if p.MaxAddressFailures > 0 {
		// Attempts resume when enough failures have left the window.
		var at time.Time
		err := tx.QueryRow("SELECT at FROM login_attempts WHERE address = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
			address, since, p.MaxAddressFailures-1).Scan(sqldb.TimeCol(&at))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return tx.QueryError("login_attempts", err)
		default:
			left := at.Add(p.FailureWindow).Sub(tx.Now())
			return duban.TooMany(left, "来自您所在地址的登录失败次数过多，已暂停登录：请%s后再试。", waitWords(left))
		}
	}
	return nil
}

// waitWords says a wait in whole minutes, or seconds under a minute.
func waitWords(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf(" %d 秒", max(1, int(math.Ceil(d.Seconds()))))
	}
	return fmt.Sprintf(" %d 分钟", int(math.Ceil(d.Minutes())))
}

// ClearLoginFailures forgets the failed sign-ins at a user's account.
func (s *AuthService) ClearLoginFailures(ctx context.Context, userID int64) (int, error) {
	if _, err := duban.Authorize(ctx, "解除登录限制", duban.CanManageUsers); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(ctx, func(tx *Tx) error {
		u, err := findUser(tx, userID)
		if err != nil {
			return err
		}
		if n, err = clearFailures(tx, u); err != nil {
			return err
		}
		return tx.Record("user.unlock", "user", userID, 0, fmt.Sprintf("解除账号 %s 的登录限制：清除 %d 次失败的登录", u.Label(), n), nil, nil)
	})
	return n, err
}

// clearFailures deletes the failed sign-ins at an account, from every
// address, and returns how many there were.
func clearFailures(tx *Tx, u *duban.User) (int, error) {
	res, err := tx.Exec("DELETE FROM login_attempts WHERE account = ?", strings.ToLower(u.Name))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Logout ends a session.
func (s *AuthService) Logout(ctx context.Context, token string) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM sessions WHERE token_hash = ?", duban.HashSecret(token))
		return err
	})
}

// errSessionEnded is the answer for a token of no live session.
var errSessionEnded = duban.Errorf(duban.EUNAUTHORIZED, "登录已过期：请重新登录。")

// FindSession returns a token's live session with its user.
func (s *AuthService) FindSession(ctx context.Context, token string) (*duban.Session, error) {
	if token == "" {
		return nil, errSessionEnded
	}
	now := duban.Timestamp(s.db.Now())
	row := s.db.ViewRow(ctx, "SELECT "+userColumns("u.")+", s.id, s.address, s.user_agent, s.created_at, s.seen_at, s.expires_at"+
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", duban.HashSecret(token))
	sess := &duban.Session{}
	var err error
	sess.User, err = scanUser(row, &sess.ID, &sess.Address, &sess.UserAgent,
		sqldb.TimeCol(&sess.CreatedAt), sqldb.TimeCol(&sess.SeenAt), sqldb.TimeCol(&sess.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	sess.UserID = sess.User.ID
	switch {
	case !now.Before(sess.ExpiresAt), now.Sub(sess.SeenAt) >= s.policy.SessionIdle:
		return nil, errSessionEnded
	case sess.User.Disabled:
		return nil, duban.Unauthorized(sess.User)
	}
	if now.Sub(sess.SeenAt) >= touchEvery {
		s.touch(ctx, "UPDATE sessions SET seen_at = ? WHERE id = ?", sess.ID)
	}
	return sess, nil
}

// SetPassword sets a user's password, signs the user out everywhere and
// revokes the user's API tokens.
func (s *AuthService) SetPassword(ctx context.Context, userID int64, pw string) error {
	if _, err := duban.Authorize(ctx, "设置密码", duban.CanManageUsers); err != nil {
		return err
	}
	if err := duban.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		u, err := findUser(tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, tx.Time(tx.Now()), userID); err != nil {
			return err
		}
		summary, err := endAccess(tx, u, "设置账号密码："+u.Label())
		if err != nil {
			return err
		}
		// A new password lifts any pause on signing in to the account.
		if _, err := clearFailures(tx, u); err != nil {
			return err
		}
		// The event says the password changed, never what it is.
		return tx.Record("user.password", "user", userID, 0, summary, nil, nil)
	})
}

// endAccess ends every session of an account and revokes every API token
// it has, as a password reset and disabling the account do: whoever held
// the account before keeps no way in, and enabling it again brings none
// back. It returns the event's summary with what was ended added.
func endAccess(tx *Tx, u *duban.User, summary string) (string, error) {
	if _, err := tx.Exec("DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
		return "", err
	}
	return revokeTokens(tx, u, summary)
}

// revokeTokens revokes every API token of an account and returns the
// event's summary with how many it revoked added.
func revokeTokens(tx *Tx, u *duban.User, summary string) (string, error) {
	res, err := tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.Time(tx.Now()), u.ID)
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", err
	} else if n > 0 {
		summary += fmt.Sprintf("，吊销 %d 个 API 令牌", n)
	}
	return summary, nil
}

const apiTokenColumns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"

func scanAPIToken(sc interface{ Scan(...any) error }) (*duban.APIToken, error) {
	var t duban.APIToken
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, sqldb.TimeCol(&t.CreatedAt), sqldb.TimeCol(&t.LastUsedAt), sqldb.TimeCol(&t.RevokedAt))
	return &t, err
}

// FindAPITokens returns tokens, newest first: any to the office, a user's
// own to that user.
func (s *AuthService) FindAPITokens(ctx context.Context, f duban.APITokenFilter) ([]*duban.APIToken, int, error) {
	own := func(u *duban.User) bool { return duban.CanManageUsers(u) || (f.UserID != nil && *f.UserID == u.ID) }
	if _, err := duban.Authorize(ctx, "查看 API 令牌", own); err != nil {
		return nil, 0, err
	}
	var conds []string
	var args []any
	if f.UserID != nil {
		conds, args = append(conds, "user_id = ?"), append(args, *f.UserID)
	}
	if !f.IncludeRevoked {
		conds = append(conds, "revoked_at IS NULL")
	}
	var tokens []*duban.APIToken
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		if total, err = tx.Count("SELECT count(*) FROM api_tokens"+sqldb.Where(conds), args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		rows, err := tx.Query("SELECT "+apiTokenColumns+" FROM api_tokens"+sqldb.Where(conds)+" ORDER BY id DESC"+page, append(args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanAPIToken(rows)
			if err != nil {
				return err
			}
			tokens = append(tokens, t)
		}
		return rows.Err()
	})
	return tokens, total, err
}

// CreateAPIToken makes a token for a user.
func (s *AuthService) CreateAPIToken(ctx context.Context, t *duban.APIToken) (string, error) {
	if _, err := duban.Authorize(ctx, "创建 API 令牌", duban.CanManageUsers); err != nil {
		return "", err
	}
	t.Name = strings.TrimSpace(t.Name)
	if err := t.Validate(); err != nil {
		return "", err
	}
	secret, hash := duban.NewSecret(duban.APITokenPrefix)
	t.Prefix = secret[:len(duban.APITokenPrefix)+8]
	err := s.db.Update(ctx, func(tx *Tx) error {
		u, err := findUser(tx, t.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return duban.Errorf(duban.ECONFLICT, "账号“%s”已停用，不能为它创建令牌。", u.Name)
		}
		t.CreatedAt = tx.Now()
		if t.ID, err = tx.Insert("INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			t.UserID, t.Name, t.Prefix, hash, tx.Time(tx.Now())); err != nil {
			return err
		}
		return tx.Record("token.create", "api_token", t.ID, 0, fmt.Sprintf("为账号 %s 创建 API 令牌“%s”", u.Label(), t.Name), nil, t)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RevokeAPIToken stops a token from working.
func (s *AuthService) RevokeAPIToken(ctx context.Context, id int64) (*duban.APIToken, error) {
	if _, err := duban.Authorize(ctx, "吊销 API 令牌", duban.CanManageUsers); err != nil {
		return nil, err
	}
	var t *duban.APIToken
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		t, err = scanAPIToken(tx.QueryRow("SELECT "+apiTokenColumns+" FROM api_tokens WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return sqldb.NotFound("API 令牌", id)
		} else if err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return duban.Errorf(duban.ECONFLICT, "令牌“%s”已于 %s 吊销。", t.Name, t.RevokedAt.Format("2006-01-02 15:04"))
		}
		before := *t
		t.RevokedAt = tx.Now()
		if _, err := tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", tx.Time(tx.Now()), id); err != nil {
			return err
		}
		return tx.Record("token.revoke", "api_token", id, 0, fmt.Sprintf("吊销 API 令牌“%s”", t.Name), &before, t)
	})
	return t, err
}

// errBadToken is the answer for a secret of no working token.
var errBadToken = duban.Errorf(duban.EUNAUTHORIZED, "API 令牌无效或已吊销：请在“账号”页面查看或新建令牌。")

// FindUserByAPIToken returns the user a token acts as.
func (s *AuthService) FindUserByAPIToken(ctx context.Context, secret string) (*duban.User, error) {
	if !strings.HasPrefix(secret, duban.APITokenPrefix) {
		return nil, errBadToken
	}
	var id int64
	var used time.Time
	now := duban.Timestamp(s.db.Now())
	u, err := scanUser(s.db.ViewRow(ctx, "SELECT "+userColumns("u.")+", t.id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id"+
		" WHERE t.token_hash = ? AND t.revoked_at IS NULL", duban.HashSecret(secret)), &id, sqldb.TimeCol(&used))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, duban.Unauthorized(u)
	}
	if now.Sub(used) >= touchEvery {
		s.touch(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", id)
	}
	return u, nil
}
