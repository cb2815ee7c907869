package duban

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Session is a signed-in browser. The browser holds a random token; the
// store keeps only the token's hash, so that a copy of the database does not
// let anyone sign in. Sessions live in the database, not in a server's
// memory, so that every server behind a balancer knows them.
type Session struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"user_id"`
	// User is the account signed in, filled by FindSession.
	User *User `json:"-"`
	// Address and UserAgent say where the sign-in came from, for the
	// account's owner and the office to recognise it.
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
	CreatedAt time.Time `json:"created_at"`
	// SeenAt is when the session was last used, to the minute; a session
	// unused for longer than the policy's idle time ends.
	SeenAt time.Time `json:"seen_at"`
	// ExpiresAt ends the session however busy it is.
	ExpiresAt time.Time `json:"expires_at"`
}

// AuthPolicy sets how long sessions last and how sign-in is throttled. It is
// configuration, passed to the store that implements AuthService.
type AuthPolicy struct {
	// SessionIdle ends a session unused for that long.
	SessionIdle time.Duration
	// SessionMax ends a session that long after sign-in, however busy.
	SessionMax time.Duration
	// FailureWindow is how long a failed sign-in counts against the account
	// and address pair, and the address, it came from.
	FailureWindow time.Duration
	// MaxPairFailures is how many failures of one account from one address
	// within the window are let through; after them that pair, and only
	// that pair, waits PairDelay before its next attempt, doubled with each
	// further failure, up to FailureWindow. The account's owner elsewhere
	// is not paused: a lockout anyone could cause would be a weapon.
	MaxPairFailures int
	PairDelay       time.Duration
	// MaxAddressFailures is how many failures from one address, at any
	// accounts, within the window pause sign-in from it (which catches
	// trying many accounts). Only failures count, and the bound is high:
	// a whole office signs in from behind one address.
	MaxAddressFailures int
}

// DefaultAuthPolicy is a working day's session; after five wrong passwords
// for one account from one address, a minute's pause for that pair,
// doubling to a quarter hour; after a hundred failures from one address
// within a quarter hour, a pause for the address.
var DefaultAuthPolicy = AuthPolicy{
	SessionIdle:        8 * time.Hour,
	SessionMax:         7 * 24 * time.Hour,
	FailureWindow:      15 * time.Minute,
	MaxPairFailures:    5,
	PairDelay:          time.Minute,
	MaxAddressFailures: 100,
}

// Credentials are what a person gives to sign in, and where from.
type Credentials struct {
	Name      string
	Password  string
	Address   string
	UserAgent string
	// Replace is the token of the session the browser had before, if any:
	// signing in ends it, so that a session token planted in a browser before
	// sign-in is worth nothing after.
	Replace string
}

// APIToken lets a script act as a user through the JSON API. Like a session,
// only the secret's hash is stored; the secret is shown once, when made.
type APIToken struct {
	ID     int64  `json:"id"`
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	// Prefix is the secret's first characters, for telling tokens apart.
	Prefix     string    `json:"prefix"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Validate checks a token's name.
func (t *APIToken) Validate() error {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return Errorf(EINVALID, "请给令牌起一个名称，说明哪个脚本使用它。")
	case utf8.RuneCountInString(t.Name) > 100:
		return Errorf(EINVALID, "令牌名称过长（超过 100 字）。")
	}
	return nil
}

// APITokenFilter selects API tokens, newest first. Nil fields do not filter.
type APITokenFilter struct {
	UserID *int64
	// IncludeRevoked adds tokens that no longer work.
	IncludeRevoked bool

	Offset int
	Limit  int
}

// MinPassword and MaxPassword bound a password's length, in characters.
const (
	MinPassword = 8
	MaxPassword = 256
)

// ValidatePassword checks a new password's length. Length is what makes a
// password hard to guess; rules about kinds of character are not asked.
func ValidatePassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPassword:
		return Errorf(EINVALID, "密码太短：至少需要 %d 个字符。", MinPassword)
	case n > MaxPassword:
		return Errorf(EINVALID, "密码太长：不能超过 %d 个字符。", MaxPassword)
	}
	return nil
}

// PasswordHasher turns passwords into stored hashes and checks them. Package
// auth implements it with argon2id; the store is given one, so that the
// domain and the store stay free of the choice of algorithm.
type PasswordHasher interface {
	// Hash returns an encoded hash of pw, with its algorithm, parameters and
	// salt.
	Hash(pw string) (string, error)
	// Verify reports whether pw matches the encoded hash.
	Verify(hash, pw string) (bool, error)
}

// NewSecret returns a random secret for a session or an API token, as the
// client keeps it, and its hash, as the store keeps it. prefix marks what
// the secret is for (dbn_ for API tokens), so that a leaked one is
// recognisable.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error (crypto/rand)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the hash under which a secret is stored and looked up.
// A fast hash is right here: the secret is random and long, so there is
// nothing to guess, unlike a password.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// APITokenPrefix marks API token secrets.
const APITokenPrefix = "dbn_"

// AuthService signs people in and out, keeps passwords, sessions and API
// tokens, and counts failed sign-ins. Account changes (passwords, tokens)
// are written to the audit log like every other change.
type AuthService interface {
	// Login checks a name and password and starts a session, returning the
	// session and the secret token for the browser. Each attempt is counted
	// before its password is checked, per account and address pair and per
	// address, and a right password forgets its pair's; too many within the
	// policy's window refuse further attempts with ETOOMANY (carrying a
	// RetryAfter), even right ones.
	Login(ctx context.Context, c Credentials) (*Session, string, error)
	// ClearLoginFailures forgets the failed sign-ins at a user's account
	// from every address, lifting any pause, and returns how many there
	// were. It is the office's; a password reset does the same.
	ClearLoginFailures(ctx context.Context, userID int64) (int, error)
	// Logout ends the session whose token is given. An unknown token is not
	// an error: the session is gone either way.
	Logout(ctx context.Context, token string) error
	// FindSession returns the live session of a token with its user, or
	// EUNAUTHORIZED when it has ended, expired, or its user is disabled.
	FindSession(ctx context.Context, token string) (*Session, error)

	// SetPassword sets a user's password, ends the user's sessions and
	// revokes the user's API tokens. It is the office's.
	SetPassword(ctx context.Context, userID int64, pw string) error
	// ChangePassword sets the signed-in user's own password once current is
	// checked, ends the user's other sessions and revokes the user's API
	// tokens: keep is the token of the session to keep (the browser's own),
	// "" for none.
	ChangePassword(ctx context.Context, current, next, keep string) error

	// FindAPITokens returns API tokens, newest first, and how many match.
	FindAPITokens(ctx context.Context, f APITokenFilter) ([]*APIToken, int, error)
	// CreateAPIToken makes a token for a user and returns it with its secret,
	// which is not kept and cannot be shown again. It is the office's.
	CreateAPIToken(ctx context.Context, t *APIToken) (string, error)
	// RevokeAPIToken stops a token from working. It is the office's.
	RevokeAPIToken(ctx context.Context, id int64) (*APIToken, error)
	// FindUserByAPIToken returns the user an API token acts as, or
	// EUNAUTHORIZED when the token is unknown, revoked or its user disabled.
	FindUserByAPIToken(ctx context.Context, secret string) (*User, error)

	// SaveDraft keeps what was typed into a form sent after its session
	// ended, and returns the secret that finds it again. ended is the token
	// of the session that ended, when the browser still sent it: the draft
	// is then given back to that account alone.
	SaveDraft(ctx context.Context, d *FormDraft, ended string) (string, error)
	// TakeDraft returns a draft to the user in ctx and forgets it: ENOTFOUND
	// when there is none, it expired, or it is another account's.
	TakeDraft(ctx context.Context, secret string) (*FormDraft, error)
}

// FormDraft is what a person typed into a form that was sent after their
// session had ended, kept for a while, so that signing in again returns
// them to the form with the text in it rather than losing it. It lives in
// the database, so that whichever server they sign in on finds it.
type FormDraft struct {
	// Page is the address of the page the form is on, where it is given
	// back; Action the address the form was sent to, which names the form.
	Page   string
	Action string
	// Fields are the form's fields as sent, but for the CSRF token and any
	// password.
	Fields url.Values
	// UserID is the account whose session had ended, 0 when unknown.
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// DraftLife is how long a draft is kept: time to sign in again, not to
// come back another day.
const DraftLife = 2 * time.Hour

// MaxDraft bounds a draft's fields, in bytes, encoded: more than any form
// of text, which MaxComment and MaxTaskText bound.
const MaxDraft = 64 << 10

// draftSkips reports whether a draft leaves a field out: the CSRF token,
// worthless after sign-in, and any password, which is never stored in
// clear.
func draftSkips(field string) bool {
	return field == "csrf" || strings.Contains(field, "password")
}

// NewFormDraft makes the draft of a form sent to action from page, leaving
// out the fields never kept. ok is false when nothing typed is left to keep
// or the draft would be too large to keep.
func NewFormDraft(page, action string, fields url.Values) (d *FormDraft, ok bool) {
	kept := url.Values{}
	typed := false
	for k, vs := range fields {
		if draftSkips(k) {
			continue
		}
		kept[k] = slices.Clone(vs)
		typed = typed || slices.ContainsFunc(vs, func(v string) bool { return strings.TrimSpace(v) != "" })
	}
	if !typed || len(kept.Encode()) > MaxDraft {
		return nil, false
	}
	return &FormDraft{Page: page, Action: action, Fields: kept}, true
}
