// Package load measures a running duban server from outside, the way its
// users load it: signed-in clients, each a browser with its own connection
// and cookies, sending requests back to back for a while; and the figures of
// what came back — requests a second, latency percentiles, answers other
// than the one expected. Bench (bench.go) is duban bench's measurement: a
// made-up ledger, a server in a second process, and the reads and writes an
// office makes. It judges nothing: duban bench prints the figures for a
// person to read against the targets.
package load

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Client is one browser signed in to the server: its cookies (session,
// CSRF token) and its own connection, kept alive between requests as a
// browser keeps it.
type Client struct {
	base *url.URL
	http *http.Client
	// body holds the last answer's body, read into the same memory each
	// time: the client runs on the machine it measures, and a fresh copy
	// of each page (two hundred kilobytes for an overview) would take its
	// allocations and collections from the server's cores.
	body bytes.Buffer
}

// NewClient returns a browser for the server at base (http://host:port).
func NewClient(base string) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	return &Client{base: u, http: &http.Client{
		Jar: jar,
		// Each client has a transport of its own, so that clients do not
		// share (or queue for) connections, as separate browsers do not.
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       time.Minute,
	}}, nil
}

// Answer is what the server answered: its status and its body, which is
// the client's until its next request.
type Answer struct {
	Status int
	Body   []byte
}

// Get fetches a path (with its query).
func (c *Client) Get(ctx context.Context, path string) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(path), nil)
	if err != nil {
		return nil, err
	}
	return c.do(req)
}

// GetFrom fetches a path as a client at addr behind a balancer would: with
// X-Forwarded-For naming it.
func (c *Client) GetFrom(ctx context.Context, path, addr string) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(path), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Forwarded-For", addr)
	return c.do(req)
}

// Post sends a form as the server's pages do, with the browser's CSRF
// token.
func (c *Client) Post(ctx context.Context, path string, form url.Values) (*Answer, error) {
	f := url.Values{"csrf": {c.cookie("duban_csrf")}}
	for k, v := range form {
		f[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(path), strings.NewReader(f.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// Login signs in through the sign-in form, first fetching it for the CSRF
// token its form carries.
func (c *Client) Login(ctx context.Context, name, password string) error {
	if _, err := c.Get(ctx, "/login"); err != nil {
		return err
	}
	a, err := c.Post(ctx, "/login", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		return err
	}
	if a.Status != http.StatusSeeOther {
		return fmt.Errorf("signing in as %s: status %d: %s", name, a.Status, Excerpt(a.Body))
	}
	return nil
}

// Close closes the client's idle connection.
func (c *Client) Close() { c.http.CloseIdleConnections() }

func (c *Client) url(path string) string {
	p, q, _ := strings.Cut(path, "?")
	return c.base.ResolveReference(&url.URL{Path: p, RawQuery: q}).String()
}

func (c *Client) cookie(name string) string {
	for _, ck := range c.http.Jar.Cookies(c.base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// do sends a request and reads the whole answer, so that the connection is
// kept for the next one.
func (c *Client) do(req *http.Request) (*Answer, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	c.body.Reset()
	if _, err := c.body.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	return &Answer{Status: resp.StatusCode, Body: c.body.Bytes()}, nil
}

// Phase is one measurement: clients sending one kind of request for a
// while, back to back (no pause between an answer and the next request), or
// together at a steady rate.
type Phase struct {
	Name     string
	Clients  []*Client
	Duration time.Duration
	// Rate, when not 0, is how many requests a second the clients send
	// together, each at its turn of a steady schedule: latency at a given
	// load rather than the most the server answers. A request's latency
	// counts from its turn, not from when it was sent, so that a client
	// held up by a slow answer shows the wait of the requests behind it;
	// turns not reached by the phase's end are not sent, and the rate
	// answered falls short of Rate.
	Rate float64
	// Want is the status of a successful answer (200 for a page, 303 for a
	// form, which answers with a redirect).
	Want int
	// Request sends the n-th request of client i (both from 0).
	Request func(ctx context.Context, c *Client, i, n int) (*Answer, error)
}

// Result is what a phase measured.
type Result struct {
	Name     string
	Clients  int
	Elapsed  time.Duration
	Requests int
	// Latencies are every request's, sorted.
	Latencies []time.Duration
	// Failures counts the answers other than the one wanted by what they
	// were (HTTP 500, a connection error…), with an example of each.
	Failures map[string]int
	Examples map[string]string

	mu sync.Mutex // guards the above while clients add to them
}

// Run runs a phase: every client sends requests until the phase's time is
// up (or ctx ends), and the answers are counted.
func Run(ctx context.Context, ph Phase) *Result {
	res := newResult(ph.Name, len(ph.Clients))
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(ph.Duration)
	for i, c := range ph.Clients {
		wg.Go(func() {
			t := newTally()
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				if ph.Rate > 0 {
					t0 = start.Add(turn(ph.Rate, len(ph.Clients), i, n))
					if !t0.Before(deadline) || !sleepUntil(ctx, t0) {
						break
					}
				}
				a, err := ph.Request(ctx, c, i, n)
				t.add(ctx, time.Since(t0), a, err, ph.Want)
			}
			res.add(t)
		})
	}
	wg.Wait()
	res.end(time.Since(start))
	return res
}

// turn is when client i of clients sends its n-th request, from the
// phase's start, for the clients to send rate requests a second together,
// taking turns.
func turn(rate float64, clients, i, n int) time.Duration {
	return time.Duration(float64(n*clients+i) / rate * float64(time.Second))
}

// sleepUntil waits until t, and reports whether ctx is still alive then.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

func newResult(name string, clients int) *Result {
	return &Result{Name: name, Clients: clients, Failures: map[string]int{}, Examples: map[string]string{}}
}

// tally is what one client's answers were, gathered apart and added to the
// result at its end.
type tally struct {
	lat      []time.Duration
	failures map[string]int
	examples map[string]string
}

func newTally() *tally { return &tally{failures: map[string]int{}, examples: map[string]string{}} }

// add counts an answer that took d, and reports whether it was the one
// wanted. A request cut short by the caller (ctx ended) is not counted.
func (t *tally) add(ctx context.Context, d time.Duration, a *Answer, err error, want int) bool {
	var kind, example string
	switch {
	case err != nil && ctx.Err() != nil:
		return false
	case err != nil:
		kind, example = "连接错误", err.Error()
	case a.Status != want:
		kind, example = fmt.Sprintf("HTTP %d", a.Status), Excerpt(a.Body)
	}
	t.lat = append(t.lat, d)
	if kind == "" {
		return true
	}
	t.failures[kind]++
	if t.examples[kind] == "" {
		t.examples[kind] = example
	}
	return false
}

// add adds a client's tally to the result; clients add theirs at once.
func (r *Result) add(t *tally) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Latencies = append(r.Latencies, t.lat...)
	for k, n := range t.failures {
		r.Failures[k] += n
		if r.Examples[k] == "" {
			r.Examples[k] = t.examples[k]
		}
	}
}

// end closes the result once every client added its tally.
func (r *Result) end(elapsed time.Duration) {
	r.Elapsed = elapsed
	r.Requests = len(r.Latencies)
	slices.Sort(r.Latencies)
}

// RunAll runs phases at once, as people doing different things at the same
// time, and returns their results in the same order.
func RunAll(ctx context.Context, phases ...Phase) []*Result {
	res := make([]*Result, len(phases))
	var wg sync.WaitGroup
	for i, ph := range phases {
		wg.Go(func() { res[i] = Run(ctx, ph) })
	}
	wg.Wait()
	return res
}

// Rate is the requests answered a second.
func (r *Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile is the latency that p percent of the requests took at most
// (nearest rank); 0 when there were none.
func (r *Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(math.Ceil(float64(n)*p/100)) - 1
	return r.Latencies[min(max(i, 0), n-1)]
}

// Max is the longest latency.
func (r *Result) Max() time.Duration { return r.Percentile(100) }

// Failed is how many answers were not the one wanted.
func (r *Result) Failed() int {
	n := 0
	for _, c := range r.Failures {
		n += c
	}
	return n
}

var (
	tags   = regexp.MustCompile(`(?s)<head.*?</head>|<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// Excerpt is the start of an answer's text, without its markup, to show
// what a failed answer said.
func Excerpt(body []byte) string {
	s := string(body)
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	s = strings.TrimSpace(spaces.ReplaceAllString(tags.ReplaceAllString(s, " "), " "))
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
