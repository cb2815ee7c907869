package web

import (
	"net/http"
	"sync"
	"time"
)

// ClientAddress is the address a request came from: the connection's peer,
// or behind a trusted balancer the client it names (Config.TrustProxy).
func ClientAddress(r *http.Request) string { return state(r).address }

// Language is the language a request is answered in: "zh" or "en".
func Language(r *http.Request) string { return state(r).lang }

// Limiter bounds how often each client address may ask: a token bucket per
// address, refilled at Rate a second up to Burst. It remembers the
// addresses of the last two minutes only, at most maxAddresses of them; the
// addresses past that share one bucket, so that a crowd of addresses costs
// bounded memory and still cannot take more than its share. Each server
// keeps its own: what it protects is its own time.
type Limiter struct {
	rate, burst float64
	now         func() time.Time

	mu        sync.Mutex
	cur, prev map[string]*bucket
	rotated   time.Time
	overflow  bucket
}

// bucket is an address's tokens as of when they were last counted.
type bucket struct {
	tokens float64
	at     time.Time
}

// maxAddresses bounds the addresses a limiter remembers at once.
const maxAddresses = 50000

// NewLimiter returns a limiter of rate requests a second per address, with
// bursts of burst.
func NewLimiter(rate, burst float64) *Limiter {
	return &Limiter{rate: rate, burst: burst, now: time.Now, cur: map[string]*bucket{}, prev: map[string]*bucket{}}
}

// Allow takes a token of addr's bucket and reports whether there was one.
func (l *Limiter) Allow(addr string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.rotated) > time.Minute {
		l.prev, l.cur, l.rotated = l.cur, make(map[string]*bucket, len(l.cur)), now
	}
	b := l.cur[addr]
	if b == nil {
		if b = l.prev[addr]; b == nil {
			b = &bucket{tokens: l.burst, at: now}
		}
		if len(l.cur) < maxAddresses {
			l.cur[addr] = b
		} else {
			b = &l.overflow
		}
	}
	if b.at.IsZero() {
		b.tokens, b.at = l.burst, now
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
