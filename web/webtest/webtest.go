// Package webtest drives a running duban server over HTTP the way a
// browser does, for the tests of the web packages, the command and the
// browser and load tests: a client with its own cookies that signs in and
// sends forms with their CSRF token. It also assembles the whole server
// (NewServer) and a world to test it in (NewWorld): a copy of a store
// holding the sample notice and an account for each role.
package webtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Client is one browser: its cookies (session, CSRF token, language) are
// its own. It does not follow redirects, so that tests see them.
type Client struct {
	t    testing.TB
	base *url.URL
	http *http.Client
	// Header is added to every request the client sends (X-Forwarded-For
	// for a client behind a balancer).
	Header http.Header
}

// NewClient returns a browser for the server at base (http://host:port).
func NewClient(t testing.TB, base string) *Client {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: u, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is what the server answered.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is where a redirect points.
func (r *Response) Location() string { return r.Header.Get("Location") }

// Do sends a request and reads the whole answer.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	for k, v := range c.Header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// URL returns the absolute address of a path on the server.
func (c *Client) URL(path string) string {
	return c.base.ResolveReference(&url.URL{Path: pathOnly(path), RawQuery: queryOnly(path)}).String()
}

func pathOnly(p string) string  { before, _, _ := strings.Cut(p, "?"); return before }
func queryOnly(p string) string { _, after, _ := strings.Cut(p, "?"); return after }

// Get fetches a path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.URL(path), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// Post sends a form to a path with the browser's CSRF token, as the
// server's pages do.
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if !f.Has("csrf") {
		f.Set("csrf", c.CSRF())
	}
	return c.PostRaw(path, f)
}

// PostRaw sends a form exactly as given, without adding a CSRF token.
func (c *Client) PostRaw(path string, form url.Values) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.URL(path), strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Cookie returns the value of one of the browser's cookies for the server,
// or "".
func (c *Client) Cookie(name string) string {
	for _, ck := range c.http.Jar.Cookies(c.base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie gives the browser a cookie for the server, as another site or
// a stolen copy might.
func (c *Client) SetCookie(name, value string) {
	c.http.Jar.SetCookies(c.base, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// CSRF returns the browser's CSRF token, first visiting the sign-in page to
// get one if it has none.
func (c *Client) CSRF() string {
	c.t.Helper()
	if v := c.Cookie("duban_csrf"); v != "" {
		return v
	}
	c.Get("/login")
	v := c.Cookie("duban_csrf")
	if v == "" {
		c.t.Fatal("the server gave no CSRF cookie")
	}
	return v
}

// Login signs in and fails the test unless the server accepts it.
func (c *Client) Login(name, password string) {
	c.t.Helper()
	r := c.Post("/login", url.Values{"name": {name}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: got status %d, want 303:\n%s", name, r.Status, r.Body)
	}
}

// MustGet fetches a path and fails the test unless the status is want and
// the page contains every one of texts.
func (c *Client) MustGet(path string, want int, texts ...string) *Response {
	c.t.Helper()
	r := c.Get(path)
	c.check("GET "+path, r, want, texts)
	return r
}

// MustPost sends a form and fails the test unless the status is want and
// the answer contains every one of texts.
func (c *Client) MustPost(path string, form url.Values, want int, texts ...string) *Response {
	c.t.Helper()
	r := c.Post(path, form)
	c.check("POST "+path, r, want, texts)
	return r
}

func (c *Client) check(what string, r *Response, want int, texts []string) {
	c.t.Helper()
	if r.Status != want {
		c.t.Errorf("%s: got status %d, want %d:\n%s", what, r.Status, want, excerpt(r.Body))
	}
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			c.t.Errorf("%s: the answer lacks %q:\n%s", what, s, excerpt(r.Body))
		}
	}
}

// excerpt shortens a page for a failure message: its main part.
func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500] + "…"
	}
	return body
}

// Short cuts a page to its message, or else its main part, for a failure.
func Short(body string) string {
	if i := strings.Index(body, `class="message"`); i >= 0 {
		body = body[i:]
	} else if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 400 {
		body = body[:400] + "…"
	}
	return body
}

// MainPart returns a page's main part, without the header that names the
// user.
func MainPart(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}

// FirstRunes returns the first n characters of s, for finding a text by
// its start.
func FirstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// Buffer collects what a server writes (its log, a command's output) while
// a test reads it, and lets the test wait for what it expects.
type Buffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed at the next write, once asked for
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Next returns what was written so far and a channel closed at the next
// write, so that a test waits for output without polling.
func (b *Buffer) Next() (string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written == nil {
		b.written = make(chan struct{})
	}
	return b.buf.String(), b.written
}
