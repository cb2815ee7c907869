// Package notifytest holds real protocol endpoints for tests of what duban
// sends: HTTP servers that check messages as WeCom, DingTalk and a Standard
// Webhooks receiver would, computing the signatures themselves, and an SMTP
// server speaking STARTTLS with a certificate made for the test. The notify
// package's tests and the year walks of the stores and the server use them.
package notifytest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Clock is a test's time, moved by hand, safe for several servers.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Received is one message an endpoint took.
type Received struct {
	ID      string // webhook-id, or the order of arrival for robots
	Key     string // the webhook's once-only key of the message
	Subject string // the webhook's subject, a robot's title or heading
	Body    string // the webhook's body, a robot's markdown
}

// Endpoint is an HTTP test server for one kind of receiver. answer, when
// set, decides the answer instead of the receiver's own checks passing.
type Endpoint struct {
	*httptest.Server
	t   testing.TB
	now func() time.Time

	mu     sync.Mutex
	got    []Received
	hits   int
	answer func(w http.ResponseWriter, r *http.Request) bool
}

// Received returns the messages the endpoint took, in order.
func (e *Endpoint) Received() []Received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Received(nil), e.got...)
}

// Requests counts the requests the endpoint was sent, taken or not.
func (e *Endpoint) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.hits
}

// SetAnswer makes the endpoint answer with f before checking anything; f
// returns false to let the checks go on. Nil restores the checks alone.
func (e *Endpoint) SetAnswer(f func(w http.ResponseWriter, r *http.Request) bool) {
	e.mu.Lock()
	e.answer = f
	e.mu.Unlock()
}

func (e *Endpoint) record(r Received) {
	e.mu.Lock()
	e.got = append(e.got, r)
	e.mu.Unlock()
}

func newEndpoint(t testing.TB, now func() time.Time, check func(e *Endpoint, w http.ResponseWriter, r *http.Request, body []byte)) *Endpoint {
	e := &Endpoint{t: t, now: now}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hits++
		answer := e.answer
		e.mu.Unlock()
		if answer != nil && answer(w, r) {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s with %q: want a JSON POST", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		check(e, w, r, body)
	}))
	t.Cleanup(e.Close)
	return e
}

// WebhookReceiver checks Standard Webhooks 1.0 as a receiver would: the
// three headers, the timestamp within five minutes, and the signature
// computed here over id.timestamp.body with the secret it was given.
func WebhookReceiver(t testing.TB, now func() time.Time, secret string) *Endpoint {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	return newEndpoint(t, now, func(e *Endpoint, w http.ResponseWriter, r *http.Request, body []byte) {
		id, ts, sigs := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if id == "" || err != nil || sigs == "" {
			t.Errorf("webhook headers: id %q timestamp %q signature %q", id, ts, sigs)
			http.Error(w, "missing headers", http.StatusBadRequest)
			return
		}
		if d := e.now().Sub(time.Unix(sec, 0)); d < -5*time.Minute || d > 5*time.Minute {
			http.Error(w, "stale timestamp", http.StatusBadRequest)
			return
		}
		mac := hmac.New(sha256.New, key)
		fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		ok := false
		for _, s := range strings.Fields(sigs) {
			if v, sig, _ := strings.Cut(s, ","); v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
				ok = true
			}
		}
		if !ok {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		var p struct {
			Type      string    `json:"type"`
			Timestamp time.Time `json:"timestamp"`
			Data      struct {
				ID, Key, Event, Subject, Body, Link string
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &p); err != nil || p.Type != "duban."+p.Data.Event || p.Data.ID != id || p.Timestamp.IsZero() {
			t.Errorf("webhook body %s: %v", body, err)
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		e.record(Received{ID: id, Key: p.Data.Key, Subject: p.Data.Subject, Body: p.Data.Body})
		w.WriteHeader(http.StatusNoContent)
	})
}

// RobotAnswer writes a robot's JSON answer.
func RobotAnswer(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"errcode":%d,"errmsg":%q}`, code, msg)
}

// WeComRobot answers as a WeCom group robot with the given key: markdown
// only, at most 4096 bytes of UTF-8.
func WeComRobot(t testing.TB, now func() time.Time, key string) *Endpoint {
	return newEndpoint(t, now, func(e *Endpoint, w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Query().Get("key") != key {
			RobotAnswer(w, 93000, "invalid webhook url, hint: [1658380803_7_bd7b3e] from ip: 10.0.0.1")
			return
		}
		var m struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		if err := json.Unmarshal(body, &m); err != nil || m.MsgType != "markdown" || m.Markdown.Content == "" {
			RobotAnswer(w, 40008, "invalid message type")
			return
		}
		if len(m.Markdown.Content) > 4096 || !utf8.ValidString(m.Markdown.Content) {
			RobotAnswer(w, 40058, "markdown.content exceed max length 4096")
			return
		}
		heading, _, _ := strings.Cut(m.Markdown.Content, "\n")
		e.record(Received{ID: strconv.Itoa(len(e.Received()) + 1), Subject: strings.TrimPrefix(heading, "### "), Body: m.Markdown.Content})
		RobotAnswer(w, 0, "ok")
	})
}

// DingTalkRobot answers as a DingTalk group robot with the given access
// token and signing secret: the sign checked as DingTalk documents it,
// within an hour of the timestamp.
func DingTalkRobot(t testing.TB, now func() time.Time, token, secret string) *Endpoint {
	return newEndpoint(t, now, func(e *Endpoint, w http.ResponseWriter, r *http.Request, body []byte) {
		q := r.URL.Query()
		if q.Get("access_token") != token {
			RobotAnswer(w, 300001, "token is not exist")
			return
		}
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || e.now().Sub(time.UnixMilli(ts)).Abs() > time.Hour {
			RobotAnswer(w, 310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
			return
		}
		mac := hmac.New(sha256.New, []byte(secret))
		fmt.Fprintf(mac, "%d\n%s", ts, secret)
		if q.Get("sign") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			RobotAnswer(w, 310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
			return
		}
		var m struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Title string `json:"title"`
				Text  string `json:"text"`
			} `json:"markdown"`
		}
		if err := json.Unmarshal(body, &m); err != nil || m.MsgType != "markdown" || m.Markdown.Title == "" || m.Markdown.Text == "" {
			RobotAnswer(w, 40035, "缺少参数 markdown")
			return
		}
		e.record(Received{ID: strconv.Itoa(len(e.Received()) + 1), Subject: m.Markdown.Title, Body: m.Markdown.Text})
		RobotAnswer(w, 0, "ok")
	})
}

// TestCert makes a self-signed certificate for 127.0.0.1 and localhost and
// returns it with a pool that trusts it.
func TestCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "邮件服务器（测试）"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// MailServer is an SMTP server in the test's process, speaking what a
// mail server of a government intranet does: EHLO, STARTTLS, AUTH PLAIN
// (offered only once encrypted), MAIL, RCPT, DATA, QUIT.
type MailServer struct {
	ln   net.Listener
	tls  *tls.Config
	user string
	pass string
	// NoTLS makes the server offer no STARTTLS; Reject refuses a
	// recipient; Busy answers MAIL with 451. Change them with Set.
	NoTLS  bool
	Reject string
	Busy   bool

	mu    sync.Mutex
	mails []Mail
}

// Mail is one message the server took.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// NewMailServer starts a mail server taking the account user with the
// password pass, and returns it with the pool that trusts its certificate.
func NewMailServer(t testing.TB, user, pass string) (*MailServer, *x509.CertPool) {
	cert, pool := TestCert(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &MailServer{ln: ln, tls: &tls.Config{Certificates: []tls.Certificate{cert}}, user: user, pass: pass}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	return s, pool
}

// Set changes how the server behaves, between sessions.
func (s *MailServer) Set(f func(s *MailServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// Addr is the server's host:port.
func (s *MailServer) Addr() string { return s.ln.Addr().String() }

// Received returns the mails the server took, in order.
func (s *MailServer) Received() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

func (s *MailServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(conn)
	tp.PrintfLine("220 mail.test ESMTP")
	encrypted, authed := false, false
	var from string
	var to []string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		s.mu.Lock()
		noTLS, reject, busy := s.NoTLS, s.Reject, s.Busy
		s.mu.Unlock()
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250-mail.test")
			if !encrypted && !noTLS {
				tp.PrintfLine("250-STARTTLS")
			}
			if encrypted {
				tp.PrintfLine("250-AUTH PLAIN")
			}
			tp.PrintfLine("250 8BITMIME")
		case "STARTTLS":
			if noTLS || encrypted {
				tp.PrintfLine("502 5.5.1 not offered")
				continue
			}
			tp.PrintfLine("220 2.0.0 Ready to start TLS")
			tc := tls.Server(conn, s.tls)
			if tc.Handshake() != nil {
				return
			}
			conn, tp, encrypted = tc, textproto.NewConn(tc), true
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			cred, err := base64.StdEncoding.DecodeString(resp)
			if !encrypted || strings.ToUpper(mech) != "PLAIN" || err != nil {
				tp.PrintfLine("504 5.5.4 unrecognised authentication")
				continue
			}
			if parts := bytes.Split(cred, []byte{0}); len(parts) == 3 && string(parts[1]) == s.user && string(parts[2]) == s.pass {
				authed = true
				tp.PrintfLine("235 2.7.0 Authentication successful")
			} else {
				tp.PrintfLine("535 5.7.8 Error: authentication failed")
			}
		case "MAIL":
			switch {
			case busy:
				tp.PrintfLine("451 4.3.0 Try again later")
			case !authed:
				tp.PrintfLine("530 5.7.0 Authentication required")
			default:
				from, to = envelopeAddr(arg, "FROM:"), nil
				tp.PrintfLine("250 2.1.0 Ok")
			}
		case "RCPT":
			addr := envelopeAddr(arg, "TO:")
			if addr == reject {
				tp.PrintfLine("550 5.1.1 <%s>: Recipient address rejected: User unknown", addr)
				continue
			}
			to = append(to, addr)
			tp.PrintfLine("250 2.1.5 Ok")
		case "DATA":
			tp.PrintfLine("354 End data with <CR><LF>.<CR><LF>")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.mails = append(s.mails, Mail{From: from, To: to, Data: data})
			s.mu.Unlock()
			tp.PrintfLine("250 2.0.0 Ok: queued")
		case "QUIT":
			tp.PrintfLine("221 2.0.0 Bye")
			return
		case "NOOP", "RSET":
			tp.PrintfLine("250 2.0.0 Ok")
		default:
			tp.PrintfLine("502 5.5.2 Error: command not recognized")
		}
	}
}

// envelopeAddr reads the address of MAIL FROM:<a> or RCPT TO:<a>, with
// any parameters after it.
func envelopeAddr(arg, prefix string) string {
	a, _, _ := strings.Cut(strings.TrimPrefix(arg, prefix), ">")
	return strings.TrimPrefix(a, "<")
}

// Subject returns the mail's subject, decoded from its MIME words.
func (m Mail) Subject() (string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return "", err
	}
	return new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
}
