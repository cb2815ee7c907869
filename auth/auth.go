// Package auth hashes and checks passwords with argon2id (RFC 9106), the
// memory-hard function that makes guessing a stolen hash slow on any
// hardware. It implements duban.PasswordHasher; it is a package of its own
// because the domain imports only the standard library.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/dubanhq/duban"
)

// Params are argon2id's costs: passes over memory, memory in KiB, and
// lanes. A hash records the parameters it was made with, so that raising
// them later still verifies old passwords.
type Params struct {
	Time    uint32
	Memory  uint32
	Threads uint8
}

// DefaultParams cost about a fifth of a second and 64 MiB on a two-core
// server: unnoticeable at sign-in, ruinous for anyone trying billions of
// guesses (OWASP asks for at least 19 MiB and two passes).
var DefaultParams = Params{Time: 2, Memory: 64 * 1024, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher hashes passwords with argon2id. At most as many hashes run at once
// as there are processors, so that a burst of sign-ins cannot make the
// server allocate memory without bound; a few more wait for a slot, each
// for at most maxWait; the rest are refused at once as too many, so that a
// flood of guesses cannot make a real sign-in wait for seconds.
type Hasher struct {
	params Params
	// slots holds a token per hash running; queue one per hash running or
	// waiting for a slot.
	slots chan struct{}
	queue chan struct{}
}

var _ duban.PasswordHasher = (*Hasher)(nil)

// The bounds of the hashes waiting for a slot: waitingPerSlot per slot,
// each for at most maxWait (a hash takes a fifth of a second), then
// refused, to be retried after retryBusy.
const (
	waitingPerSlot = 4
	maxWait        = time.Second
	retryBusy      = 2 * time.Second
)

// NewHasher returns a hasher making new hashes with p.
func NewHasher(p Params) *Hasher {
	n := max(1, runtime.NumCPU())
	return &Hasher{params: p, slots: make(chan struct{}, n), queue: make(chan struct{}, n*(1+waitingPerSlot))}
}

// errBusy refuses a password when too many are being checked.
func errBusy() error {
	return duban.TooMany(retryBusy, "登录的人太多，服务器正忙：请稍等几秒后再试。")
}

// Hash returns pw's hash in the PHC string format:
// $argon2id$v=19$m=65536,t=3,p=2$salt$key.
func (h *Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never returns an error (crypto/rand)
	key, err := h.key([]byte(pw), salt, h.params, keyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches a hash made by Hash, with whatever
// parameters the hash records.
func (h *Hasher) Verify(hash, pw string) (bool, error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, err
	}
	got, err := h.key([]byte(pw), salt, p, uint32(len(key)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// key runs argon2id in one of the hasher's slots, or refuses as busy when
// the queue is full or no slot frees within maxWait.
func (h *Hasher) key(pw, salt []byte, p Params, n uint32) ([]byte, error) {
	select {
	case h.queue <- struct{}{}:
	default:
		return nil, errBusy()
	}
	defer func() { <-h.queue }()
	wait := time.NewTimer(maxWait)
	defer wait.Stop()
	select {
	case h.slots <- struct{}{}:
	case <-wait.C:
		return nil, errBusy()
	}
	defer func() { <-h.slots }()
	return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, n), nil
}

// errBadHash is returned for a stored hash that is not one of ours: the
// database was edited by hand, or the hash is from another system.
var errBadHash = errors.New("auth: stored password hash is not in argon2id PHC format")

// maxMemory bounds the memory a stored hash may ask for (1 GiB), so that a
// hash edited into the database cannot exhaust the server.
const maxMemory = 1 << 20

func decode(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// passwordAlphabet has no characters that read alike (0 O o, 1 l I), so
// that a password read aloud or copied from paper comes out right.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// RandomPassword returns a new random password of 14 characters (about 80
// bits), for a first sign-in or a reset.
func RandomPassword() string {
	b := make([]byte, 14)
	for i := range b {
		b[i] = passwordAlphabet[randIntn(len(passwordAlphabet))]
	}
	return string(b)
}

// randIntn returns a uniform random number in [0, n) for a small n.
func randIntn(n int) int {
	limit := 256 - 256%n // bytes at or above it would favour small numbers
	var c [1]byte
	for {
		rand.Read(c[:])
		if int(c[0]) < limit {
			return int(c[0]) % n
		}
	}
}
